// SPDX-License-Identifier: GPL-2.0
/*
 * bpf_xdp_pktmeta_export() under BPF_PROG_TEST_RUN, for
 * tests/guest/afxdp.bats: set N fields, export, and check the block before
 * data byte by byte, or that a failed export left data_meta alone. Inputs
 * and results are globals (see pmrun); the ids of the fields come from the
 * array map pinned at /sys/fs/bpf/pmxsk_ids (the test fills it with
 * bpftool), as pmrun sets scalars only.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "pktmeta.bpf.h"

#define MAX_IDS	64

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_IDS);
	__type(key, __u32);
	__type(value, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} pmxsk_ids SEC(".maps");

/* In, read-only so that the verifier walks the block with known sizes. */
const volatile __u32 n;		/* set fields pmxsk_ids[0..n) */
const volatile __u32 size = 8;	/* their size, 1..8 (8 with set_hint) */
const volatile __u32 set_hint;	/* also set the rx_hash hint field */
__u64 flags;		/* in: of the export */
int head_delta;		/* in: bpf_xdp_adjust_head() after the sets */
int pre_meta;		/* in: bytes of data_meta taken before the export */

int set_errors;		/* out: sets that failed */
int last_set_err;	/* out */
int meta_max;		/* out: the longest data_meta the kernel accepts */
int export_ret = 1;	/* out */
int meta_len = -1;	/* out: data - data_meta after the export */
int hdr_ok, recs_ok;	/* out: the block is what the uapi says */
__u32 blk_len, blk_count;	/* out: from the header */

/* The value byte of field @id: each field its own pattern. */
static __always_inline __u8 pattern(__u32 id)
{
	return (__u8)(id ^ 0xa5);
}

/*
 * The kernel's data_meta limit (xdp_metalen_invalid()): 32 bytes if 36 are
 * refused (6.1), else 252 (255 rounded down to 4: 6.12, 7.3). Tried with 36
 * bytes because the headroom, not the limit, refuses 252 here.
 */
static __always_inline int probe_meta_max(struct xdp_md *ctx)
{
	if (bpf_xdp_adjust_meta(ctx, -36))
		return 32;
	bpf_xdp_adjust_meta(ctx, 36);
	return 252;
}

#define MAX_RECS 24	/* records the check walks: the tests export fewer */

/*
 * Walk the block from data_meta: records of `size` bytes, then the header,
 * which must end exactly at data. A pointer derived from data_meta and
 * compared with data is what the verifier lets a program read metadata
 * through.
 */
static __always_inline void check_block(__u8 *p, void *data)
{
	const __u32 vlen = (size + 3) & ~3U;
	struct pktmeta_xsk_hdr *hdr;
	__u32 i, j, count = 0;

	if (size < 1 || size > 8)
		return;
	for (i = 0; i < MAX_RECS; i++) {
		struct pktmeta_rec *rec = (void *)p;

		if ((void *)(rec + 1) > data)
			break;	/* only the header is left */
		if (rec->size != size || rec->reserved)
			return;
		p = (__u8 *)(rec + 1);
		if ((void *)(p + vlen) > data)
			return;
		for (j = 0; j < 8; j++) {
			if (j >= vlen)
				break;
			if (p[j] != (j < size ? pattern(rec->id) : 0))
				return;
		}
		p += vlen;
		count++;
	}
	hdr = (void *)p;
	if ((void *)(hdr + 1) > data)
		return;
	blk_len = hdr->len;
	blk_count = hdr->count;
	hdr_ok = (void *)(hdr + 1) == data && hdr->magic == PKTMETA_XSK_MAGIC &&
		 hdr->version == PKTMETA_XSK_VERSION && hdr->len == export_ret;
	recs_ok = hdr_ok && hdr->count == count;
}

SEC("xdp")
int export_fields(struct xdp_md *ctx)
{
	__u32 i, sz = size < 1 ? 1 : size > 8 ? 8 : size;
	void *data, *meta;
	__u8 val[8];

	meta_max = probe_meta_max(ctx);
	for (i = 0; i < MAX_IDS; i++) {
		__u32 key = i, *id;	/* i itself stays in a register */
		int ret;

		if (i >= n)
			break;
		id = bpf_map_lookup_elem(&pmxsk_ids, &key);
		if (!id)
			break;
		__builtin_memset(val, pattern(*id), sizeof(val));
		ret = bpf_xdp_pktmeta_set(ctx, *id, val, sz);
		if (ret) {
			set_errors++;
			last_set_err = ret;
		}
	}
	if (set_hint) {
		__builtin_memset(val, pattern(PKTMETA_HINT_RX_HASH), sizeof(val));
		if (bpf_xdp_pktmeta_set(ctx, PKTMETA_HINT_RX_HASH, val, 8)) {
			set_errors++;
			last_set_err = -1000;
		}
	}
	if (head_delta && bpf_xdp_adjust_head(ctx, head_delta))
		return XDP_ABORTED;
	if (pre_meta && bpf_xdp_adjust_meta(ctx, -pre_meta))
		return XDP_ABORTED;

	export_ret = bpf_xdp_pktmeta_export(ctx, flags);

	data = (void *)(long)ctx->data;
	meta = (void *)(long)ctx->data_meta;
	meta_len = data - meta;
	if (export_ret > 0 && meta_len == export_ret)
		check_block(meta, data);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
