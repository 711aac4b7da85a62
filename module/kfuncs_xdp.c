// SPDX-License-Identifier: GPL-2.0
/*
 * XDP kfuncs: set, get and clear a field on the packet an XDP program runs on,
 * by value or in place.
 */
#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/err.h>
#include <linux/string.h>
#include <net/xdp.h>
#include "compat.h"
#include "pktmeta.h"
#include "area.h"
#include "demand.h"
#include "hints.h"
#include "stats.h"

/*
 * The field named @id, when @xdp may carry an area, with the generation of
 * the layout it comes from and the row of its counters.
 *
 * A buffer whose area is valid passed the device check already: only a set
 * that passed it marks the area (the mark then travels with this packet,
 * copied across buff/frame conversions), and on a path whose buffers keep
 * their flags from packet to packet the check never passes, so no mark can
 * be left there for the next packet. Such a buffer skips the check, which
 * costs an out-of-line call and, on veth and virtio-net, string compares:
 * the results are those of checking every time.
 *
 * Driver hints pending for this packet (hints.h) reach its area here, on
 * its first pktmeta call: its area is not valid yet, so that call never
 * takes the fast paths below.
 */
static __always_inline int
pktmeta_xdp_lookup(struct xdp_buff *xdp, u32 id,
		   const struct pktmeta_field **field, u64 *generation,
		   unsigned int *row)
{
	const struct pktmeta_snapshot *snap = pktmeta_snapshot_dp();
	const struct pktmeta_field *f = pktmeta_layout_field(&snap->layout, id);

	if (!f)
		return -ENOENT;
	*row = id & PKTMETA_SLOT_MASK;
	pktmeta_hints_flush(xdp);
	if (!pktmeta_xdp_area_valid(xdp) && !pktmeta_xdp_dev_safe(xdp))
		return -EOPNOTSUPP;
	*field = f;
	*generation = snap->layout.generation;
	return 0;
}

/* Do the area header and the field's bytes lie clear of data_meta/data? */
static bool pktmeta_xdp_fits(const struct xdp_buff *xdp,
			     const struct pktmeta_field *f)
{
	return (const void *)&pktmeta_xdp_area(xdp)->data[f->offset + f->size] <=
	       pktmeta_xdp_limit(xdp);
}

/*
 * The common case, checked inline: field @id of @size bytes in this
 * packet's valid area (so the device check passed, see
 * pktmeta_xdp_lookup()), clear of data_meta and data, in an area made
 * under the current layout and, when @need_set, set on this packet.
 * Return: true with the field's bytes in @bytes, or false to send the
 * caller to its slow path, which checks it all again in the order of the
 * errors.
 *
 * Every kfunc call of a program pays this, so it is written for few
 * instructions; each shortcut refuses only what the slow path accepts:
 * - the field is found by its key (struct pktmeta_key), 8 bytes at an index
 *   of one byte of @id, where no other field's can be;
 * - its end is compared with data_meta alone, and must lie before it: an
 *   invalid data_meta is data + 1 (xdp_set_data_meta_invalid(),
 *   include/net/xdp.h), a valid one is at most data, so either way the
 *   field ends by data;
 * - the area's generation is compared with the layout's rather than with
 *   the field's birth: no live field is born after its layout's generation,
 *   so an area made under it holds every live field.
 */
static __always_inline bool
pktmeta_xdp_fast_bytes(const struct xdp_buff *xdp, u32 id, u32 size,
		       bool need_set, u8 **bytes)
{
	const struct pktmeta_layout *l = &pktmeta_snapshot_dp()->layout;
	const struct pktmeta_key *k = pktmeta_layout_key(l, id);
	struct pktmeta_area *area = pktmeta_xdp_area(xdp);
	u8 *start;

	if (k->id != id || k->size != size || !pktmeta_xdp_area_valid(xdp))
		return false;
	start = area->data + (unsigned long)k->offset;
	if ((void *)(start + size) >= xdp->data_meta)
		return false;
	if (area->generation < l->generation)
		return false;
	if (need_set && !((area->set >> (id & PKTMETA_SLOT_MASK)) & 1))
		return false;
	*bytes = start;
	return true;
}

/* Mark field @id set in this packet's valid area: one bts on x86. */
static __always_inline void pktmeta_xdp_set_bit(const struct xdp_buff *xdp,
						u32 id)
{
	__set_bit(id & PKTMETA_SLOT_MASK,
		  (unsigned long *)&pktmeta_xdp_area(xdp)->set);
}

/*
 * Field @id's bytes in this packet's area, @size bytes, with every check in
 * the order of the errors. For a set (@set true) the area is made when the
 * packet has none, and the field need not be set (it is not marked set
 * here); for a get it must be. An ERR_PTR() on error.
 */
static u8 *pktmeta_xdp_bytes(struct xdp_buff *xdp, u32 id, u32 size, bool set,
			     unsigned int *row)
{
	const struct pktmeta_field *f;
	struct pktmeta_area *area = pktmeta_xdp_area(xdp);
	u64 generation;
	int err;

	err = pktmeta_xdp_lookup(xdp, id, &f, &generation, row);
	if (err)
		return ERR_PTR(err);
	if (size != f->size)
		return ERR_PTR(-EINVAL);
	if (!pktmeta_xdp_fits(xdp, f))
		return ERR_PTR(-ENOSPC);
	if (!pktmeta_xdp_area_valid(xdp)) {
		if (!set)
			return ERR_PTR(-ENOENT);
		pktmeta_xdp_area_init(xdp, generation);
	}
	if (f->born > area->generation)
		return ERR_PTR(-EFAULT);
	if (!set && !(area->set & (1ULL << *row)))
		return ERR_PTR(-ENOENT);
	return &area->data[f->offset];
}

/*
 * bpf_xdp_pktmeta_set() off its u64 fast path: first the same checks for
 * the other small sizes, then every check in the order of the errors.
 */
static noinline int pktmeta_xdp_set_slow(struct xdp_buff *xdp, u32 id,
					 const void *val, u32 val__sz)
{
	unsigned int row = PKTMETA_STATS_UNKNOWN;
	u8 *bytes;

	if (pktmeta_xdp_fast_bytes(xdp, id, val__sz, false, &bytes) &&
	    pktmeta_copy_small(bytes, val, val__sz)) {
		pktmeta_xdp_set_bit(xdp, id);
		pktmeta_stats_inc_id(id, PKTMETA_STAT_SET);
		return 0;
	}
	bytes = pktmeta_xdp_bytes(xdp, id, val__sz, true, &row);
	if (IS_ERR(bytes))
		return pktmeta_stats_result(row, 0, PTR_ERR(bytes));
	memcpy(bytes, val, val__sz);
	pktmeta_xdp_area(xdp)->set |= 1ULL << row;
	return pktmeta_stats_result(row, PKTMETA_STAT_SET, 0);
}

/* bpf_xdp_pktmeta_get() off its u64 fast path, as pktmeta_xdp_set_slow(). */
static noinline int pktmeta_xdp_get_slow(struct xdp_buff *xdp, u32 id,
					 void *val, u32 val__sz)
{
	unsigned int row = PKTMETA_STATS_UNKNOWN;
	u8 *bytes;

	if (pktmeta_xdp_fast_bytes(xdp, id, val__sz, true, &bytes) &&
	    pktmeta_copy_small(val, bytes, val__sz)) {
		pktmeta_stats_inc_id(id, PKTMETA_STAT_GET);
		return 0;
	}
	bytes = pktmeta_xdp_bytes(xdp, id, val__sz, false, &row);
	if (IS_ERR(bytes)) {
		memset(val, 0, val__sz);
		return pktmeta_stats_result(row, 0, PTR_ERR(bytes));
	}
	memcpy(val, bytes, val__sz);
	return pktmeta_stats_result(row, PKTMETA_STAT_GET, 0);
}

/* bpf_xdp_pktmeta_ptr() off its fast path. */
static noinline u8 *pktmeta_xdp_ptr_slow(struct xdp_buff *xdp, u32 id,
					 u32 size)
{
	unsigned int row = PKTMETA_STATS_UNKNOWN;
	struct pktmeta_area *area = pktmeta_xdp_area(xdp);
	u8 *bytes = pktmeta_xdp_bytes(xdp, id, size, true, &row);

	if (IS_ERR(bytes)) {
		pktmeta_stats_result(row, 0, PTR_ERR(bytes));
		return NULL;
	}
	pktmeta_area_take(area, row, bytes, size);
	pktmeta_stats_inc(row, PKTMETA_STAT_SET);
	return bytes;
}

/* bpf_xdp_pktmeta_ptr_ro() off its fast path. */
static noinline const u8 *pktmeta_xdp_ptr_ro_slow(struct xdp_buff *xdp,
						  u32 id, u32 size)
{
	unsigned int row = PKTMETA_STATS_UNKNOWN;
	const u8 *bytes = pktmeta_xdp_bytes(xdp, id, size, false, &row);

	if (IS_ERR(bytes)) {
		pktmeta_stats_result(row, 0, PTR_ERR(bytes));
		return NULL;
	}
	pktmeta_stats_inc(row, PKTMETA_STAT_GET);
	return bytes;
}

__bpf_kfunc_start_defs();

/**
 * bpf_xdp_pktmeta_set() - set a field on this packet
 * @ctx: the XDP program's context
 * @id: the field's id
 * @val: the value
 * @val__sz: its size, which must be the field's size
 *
 * The first set on a packet initialises its area: fields that existed then
 * can be set and read on this packet, later ones cannot (-EFAULT).
 *
 * Return: 0, or -ENOENT (unknown id), -EINVAL (size differs from the
 * field's), -EFAULT (field newer than the packet's area), -ENOSPC (the
 * headroom left, before data_meta or data, does not hold the field),
 * -EOPNOTSUPP (the packet came through a device where pktmeta cannot tell
 * one packet's area from the previous one's).
 */
__bpf_kfunc int bpf_xdp_pktmeta_set(struct xdp_md *ctx, u32 id,
				    const void *val, u32 val__sz)
{
	struct xdp_buff *xdp = (struct xdp_buff *)ctx;
	u8 *bytes;

	/* A u64 inline: the hash, the timestamp and most programs' fields. */
	if (likely(val__sz == sizeof(u64) &&
		   pktmeta_xdp_fast_bytes(xdp, id, sizeof(u64), false, &bytes))) {
		pktmeta_xdp_set_bit(xdp, id);
		memcpy(bytes, val, sizeof(u64));
		pktmeta_stats_inc_id(id, PKTMETA_STAT_SET);
		return 0;
	}
	return pktmeta_xdp_set_slow(xdp, id, val, val__sz);
}

/**
 * bpf_xdp_pktmeta_get() - read a field of this packet
 * @ctx: the XDP program's context
 * @id: the field's id
 * @val: where to store the value; zeroed on error
 * @val__sz: its size, which must be the field's size
 *
 * Return: 0, or -ENOENT (unknown id, or the field is not set on this
 * packet), -EINVAL, -EFAULT, -ENOSPC, -EOPNOTSUPP as for
 * bpf_xdp_pktmeta_set().
 */
__bpf_kfunc int bpf_xdp_pktmeta_get(struct xdp_md *ctx, u32 id, void *val,
				    u32 val__sz)
{
	struct xdp_buff *xdp = (struct xdp_buff *)ctx;
	u8 *bytes;

	if (likely(val__sz == sizeof(u64) &&
		   pktmeta_xdp_fast_bytes(xdp, id, sizeof(u64), true, &bytes))) {
		memcpy(val, bytes, sizeof(u64));
		pktmeta_stats_inc_id(id, PKTMETA_STAT_GET);
		return 0;
	}
	return pktmeta_xdp_get_slow(xdp, id, val, val__sz);
}

/**
 * bpf_xdp_pktmeta_ptr() - set a field on this packet in place
 * @ctx: the XDP program's context
 * @id: the field's id
 * @rdwr_buf_size: the field's size, a constant: the verifier lets the
 *                 program load and store that many bytes from the pointer
 *                 returned, and no more
 *
 * Marks the field set, as bpf_xdp_pktmeta_set() does, and gives the program
 * its bytes in this packet's area to write (and read) with plain stores and
 * loads: zeros when the field was not set yet, else its value. The pointer
 * stays valid until the program returns or calls bpf_xdp_adjust_head() or
 * bpf_xdp_adjust_meta(): those may move the packet's start into the
 * headroom that holds the area, so a store after them lands in this
 * packet's own buffer (its new first bytes), never outside it.
 *
 * Return: the field's bytes, or NULL where bpf_xdp_pktmeta_set() of the
 * same size would fail; that call's error is counted in the field's stats
 * (debugfs, netlink) and a program learns it by making the call.
 */
__bpf_kfunc u8 *bpf_xdp_pktmeta_ptr(struct xdp_md *ctx, u32 id,
				    u32 rdwr_buf_size)
{
	struct xdp_buff *xdp = (struct xdp_buff *)ctx;
	u8 *bytes;

	if (likely(pktmeta_xdp_fast_bytes(xdp, id, rdwr_buf_size, true, &bytes))) {
		pktmeta_stats_inc_id(id, PKTMETA_STAT_SET);
		return bytes;
	}
	return pktmeta_xdp_ptr_slow(xdp, id, rdwr_buf_size);
}

/**
 * bpf_xdp_pktmeta_ptr_ro() - read a field of this packet in place
 * @ctx: the XDP program's context
 * @id: the field's id
 * @rdonly_buf_size: the field's size, a constant: the verifier lets the
 *                   program load that many bytes from the pointer returned,
 *                   and store none
 *
 * Valid as long as bpf_xdp_pktmeta_ptr()'s pointer is.
 *
 * Return: the bytes of the field, set on this packet, or NULL where
 * bpf_xdp_pktmeta_get() of the same size would fail (its error counted as
 * that call's is).
 */
__bpf_kfunc const u8 *bpf_xdp_pktmeta_ptr_ro(struct xdp_md *ctx, u32 id,
					     u32 rdonly_buf_size)
{
	struct xdp_buff *xdp = (struct xdp_buff *)ctx;
	u8 *bytes;

	if (likely(pktmeta_xdp_fast_bytes(xdp, id, rdonly_buf_size, true,
					  &bytes))) {
		pktmeta_stats_inc_id(id, PKTMETA_STAT_GET);
		return bytes;
	}
	return pktmeta_xdp_ptr_ro_slow(xdp, id, rdonly_buf_size);
}

/**
 * bpf_xdp_pktmeta_clear() - unset a field on this packet
 * @ctx: the XDP program's context
 * @id: the field's id
 *
 * Return: 0, or -ENOENT (unknown id, or the field was not set), -EFAULT,
 * -ENOSPC, -EOPNOTSUPP as for bpf_xdp_pktmeta_set().
 */
__bpf_kfunc int bpf_xdp_pktmeta_clear(struct xdp_md *ctx, u32 id)
{
	struct xdp_buff *xdp = (struct xdp_buff *)ctx;
	unsigned int row = PKTMETA_STATS_UNKNOWN;
	const struct pktmeta_field *f;
	struct pktmeta_area *area = pktmeta_xdp_area(xdp);
	u64 generation;
	int err;

	err = pktmeta_xdp_lookup(xdp, id, &f, &generation, &row);
	if (err)
		return pktmeta_stats_result(row, 0, err);
	if (!pktmeta_xdp_fits(xdp, f))
		return pktmeta_stats_result(row, 0, -ENOSPC);
	if (!pktmeta_xdp_area_valid(xdp))
		return pktmeta_stats_result(row, 0, -ENOENT);
	if (f->born > area->generation)
		return pktmeta_stats_result(row, 0, -EFAULT);
	if (!(area->set & (1ULL << row)))
		return pktmeta_stats_result(row, 0, -ENOENT);
	area->set &= ~(1ULL << row);
	return pktmeta_stats_result(row, PKTMETA_STAT_CLEAR, 0);
}

__bpf_kfunc_end_defs();

BTF_KFUNCS_START(pktmeta_xdp_kfunc_ids)
BTF_ID_FLAGS(func, bpf_xdp_pktmeta_set)
BTF_ID_FLAGS(func, bpf_xdp_pktmeta_get)
BTF_ID_FLAGS(func, bpf_xdp_pktmeta_clear)
BTF_ID_FLAGS(func, bpf_xdp_pktmeta_ptr, KF_RET_NULL)
BTF_ID_FLAGS(func, bpf_xdp_pktmeta_ptr_ro, KF_RET_NULL)
BTF_ID_FLAGS(func, bpf_xdp_pktmeta_export)	/* kfuncs_xsk.c */
BTF_KFUNCS_END(pktmeta_xdp_kfunc_ids)

static const struct btf_kfunc_id_set pktmeta_xdp_kfunc_set = {
	.owner = THIS_MODULE,
	.set = &pktmeta_xdp_kfunc_ids,
	PKTMETA_DEMAND_FILTER
};

/**
 * pktmeta_kfuncs_xdp_register() - offer the XDP kfuncs to XDP programs
 *
 * Return: 0 or the error of register_btf_kfunc_id_set().
 */
int pktmeta_kfuncs_xdp_register(void)
{
	return register_btf_kfunc_id_set(BPF_PROG_TYPE_XDP,
					 &pktmeta_xdp_kfunc_set);
}
