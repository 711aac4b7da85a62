// SPDX-License-Identifier: GPL-2.0
/*
 * AF_XDP export: the fields set on a packet, written into its data_meta in
 * the layout of include/uapi/linux/pktmeta.h (struct pktmeta_xsk_hdr), so
 * that the AF_XDP socket the program redirects the packet to reads them in
 * the umem frame, right before the packet's data. Copy-mode AF_XDP copies
 * data_meta and data together (net/xdp/xsk.c: xsk_copy_xdp() in 6.1,
 * __xsk_rcv() in 6.12); so do the skbs that XDP_PASS builds
 * (skb_metadata_set()), and a TC program can read the block there as well.
 *
 * The kfunc is part of the XDP kfunc set (kfuncs_xdp.c).
 */
#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <net/xdp.h>
#include "compat.h"
#include "pktmeta.h"
#include "area.h"
#include "hints.h"

static_assert(sizeof(struct pktmeta_xsk_hdr) == 4);
static_assert(sizeof(struct pktmeta_rec) == 8);
static_assert(PKTMETA_XSK_MAX_LEN <= U8_MAX);

/* Is field @f left out of the block under @flags? */
static bool pktmeta_xsk_skip(const struct pktmeta_field *f, u64 flags)
{
	return (flags & PKTMETA_EXPORT_F_NO_HINTS) && f->id < PKTMETA_NR_HINTS;
}

__bpf_kfunc_start_defs();

/**
 * bpf_xdp_pktmeta_export() - write this packet's fields into its data_meta
 * @ctx: the XDP program's context
 * @flags: 0, or PKTMETA_EXPORT_F_NO_HINTS to leave the predefined hint
 *         fields out
 *
 * Writes every field set on the packet (those of its area that still exist
 * and are not newer than the area), in slot order, as the block described
 * in include/uapi/linux/pktmeta.h, ending at data, and moves data_meta to
 * its start, as bpf_xdp_adjust_meta() would. A packet without fields gets
 * an empty block (the header, count 0), so that the consumer of an AF_XDP
 * socket can tell it from a frame's stale bytes. Export a subset by
 * clearing the other fields first (bpf_xdp_pktmeta_clear()).
 *
 * All or nothing: on error nothing is written and data_meta is unchanged.
 * The block must satisfy the kernel's own rules for data_meta
 * (bpf_xdp_adjust_meta(), net/core/filter.c: no lower than the end of
 * struct xdp_frame, a length xdp_metalen_invalid() accepts: 32 bytes at
 * most on 6.1, 252 on 6.12) and must not reach the bytes of the area it
 * reads (its header and the exported fields); fields set afterwards whose
 * bytes lie at or past the new data_meta then get -ENOSPC, as with any
 * data_meta. The fields stay set: the packet may still be passed up or
 * redirected elsewhere.
 *
 * A program that adds metadata of its own calls bpf_xdp_adjust_meta() after
 * the export: its bytes then come before the block.
 *
 * Return: the length of the block written (4 or more, a multiple of 4), or
 * -EINVAL (an unknown flag), -EOPNOTSUPP (the driver does not support
 * data_meta, or the packet came through a device where pktmeta cannot tell
 * one packet's area from the previous one's), -EBUSY (the packet already
 * carries metadata: data_meta is not at data), -ENOSPC (the block does not
 * fit: longer than the kernel allows data_meta to be, or it would reach
 * the area's bytes; or the program moved data into the area).
 */
__bpf_kfunc int bpf_xdp_pktmeta_export(struct xdp_md *ctx, u64 flags)
{
	struct xdp_buff *xdp = (struct xdp_buff *)ctx;
	struct pktmeta_area *area = pktmeta_xdp_area(xdp);
	const struct pktmeta_snapshot *snap = NULL;
	struct pktmeta_xsk_hdr hdr = {
		.magic = PKTMETA_XSK_MAGIC,
		.version = PKTMETA_XSK_VERSION,
	};
	/* The lowest byte the block may start at (bpf_xdp_adjust_meta()). */
	const void *lowest = xdp->data_hard_start + sizeof(struct xdp_frame);
	unsigned int len = sizeof(hdr), count = 0;
	u64 set = 0, left;
	u8 *dst;

	if (flags & ~PKTMETA_EXPORT_F_ALL)
		return -EINVAL;
	if (xdp_data_meta_unsupported(xdp))
		return -EOPNOTSUPP;
	if (xdp->data_meta != xdp->data)
		return -EBUSY;
	pktmeta_hints_flush(xdp);
	if (pktmeta_xdp_area_valid(xdp)) {
		/* An area whose header holds packet bytes cannot be read. */
		if ((const void *)area->data > xdp->data)
			return -ENOSPC;
		snap = pktmeta_snapshot_dp();
		lowest = max_t(const void *, lowest, area->data);
		left = area->set & snap->layout.live;
		while (left) {
			unsigned int slot = __ffs64(left);
			const struct pktmeta_field *f = &snap->layout.fields[slot];
			const void *end = &area->data[f->offset + f->size];

			left &= left - 1;
			/* Bytes of an earlier field of the slot: not this packet's. */
			if (f->born > area->generation || pktmeta_xsk_skip(f, flags))
				continue;
			lowest = max(lowest, end);
			len += PKTMETA_REC_LEN(f->size);
			set |= 1ULL << slot;
			count++;
		}
	} else if (!pktmeta_xdp_dev_safe(xdp)) {
		return -EOPNOTSUPP;
	}
	if (len > PKTMETA_XSK_MAX_LEN || xdp_metalen_invalid(len) ||
	    xdp->data - len < lowest)
		return -ENOSPC;

	dst = xdp->data - len;
	xdp->data_meta = dst;
	while (set) {
		const struct pktmeta_field *f = &snap->layout.fields[__ffs64(set)];
		struct pktmeta_rec rec = { .id = f->id, .size = f->size };
		unsigned int vlen = PKTMETA_REC_LEN(f->size) - sizeof(rec);

		set &= set - 1;
		memcpy(dst, &rec, sizeof(rec));
		dst += sizeof(rec);
		memcpy(dst, &area->data[f->offset], f->size);
		memset(dst + f->size, 0, vlen - f->size);
		dst += vlen;
	}
	hdr.len = len;
	hdr.count = count;
	memcpy(dst, &hdr, sizeof(hdr));
	return len;
}

__bpf_kfunc_end_defs();
