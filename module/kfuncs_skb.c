// SPDX-License-Identifier: GPL-2.0
/*
 * skb kfuncs: set, get and clear a field on the skb a program runs on, in
 * every skb program type the kernel lets a module offer kfuncs to (see
 * pktmeta_kfuncs_skb_register()).
 *
 * The skb's area is the one its packet initialised at XDP, when the skb was
 * built from that buffer (skb_area.h says how that is known), or one a TC
 * program made on it. Errors are those of the XDP kfuncs, in the same
 * order, except -EOPNOTSUPP: any skb either owns an area or has none.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include "compat.h"
#include "demand.h"
#include "pktmeta.h"
#include "prog_scan.h"
#include "skb_area.h"
#include "stats.h"

/* The field named @id, with the layout generation, or NULL. */
static const struct pktmeta_field *pktmeta_skb_field(u32 id, u64 *generation)
{
	const struct pktmeta_snapshot *snap = pktmeta_snapshot_dp();

	*generation = snap->layout.generation;
	return pktmeta_layout_field(&snap->layout, id);
}

/*
 * A new, empty area at @skb's head for field @f, when @skb may own one and
 * its headroom holds the header and @f; NULL otherwise.
 *
 * An skb that has no MAC header yet (one a socket sends, at cgroup_skb
 * egress or lwt) gets its link-layer header later, pushed into the same
 * headroom, from the neighbour's cache in whole HH_DATA_MOD blocks
 * (neigh_hh_output(), include/net/neighbour.h): up to two bytes more than
 * the header, which the later checks against the MAC header would not
 * see. Its area keeps LL_MAX_HEADER clear of the data.
 */
static struct pktmeta_area *pktmeta_skb_area_new(struct sk_buff *skb,
						 const struct pktmeta_field *f,
						 u64 generation)
{
	struct pktmeta_area *area = (void *)skb->head + PKTMETA_AREA_OFFSET;
	unsigned int reserve = skb_mac_header_was_set(skb) ? 0 : LL_MAX_HEADER;

	if (!pktmeta_skb_can_own(skb) || !pktmeta_skb_fits(skb, area, f) ||
	    (const void *)&area->data[f->offset + f->size] + reserve >
	    pktmeta_skb_limit(skb))
		return NULL;
	area->set = 0;
	area->generation = generation;
	area->nonce = pktmeta_nonce(0);
	pktmeta_skb_own(skb, area);
	return area;
}

/*
 * Where a set of field @id, @size bytes, writes on @skb: its bytes in the
 * skb's area, made when @skb has none, or an ERR_PTR() in the order of
 * bpf_skb_pktmeta_set()'s errors. *@row is the field's stats row either
 * way, *@area the area on success.
 */
static u8 *pktmeta_skb_set_bytes(struct sk_buff *skb, u32 id, u32 size,
				 struct pktmeta_area **area, unsigned int *row)
{
	const struct pktmeta_field *f;
	struct pktmeta_area *a;
	u64 generation;

	*row = PKTMETA_STATS_UNKNOWN;
	f = pktmeta_skb_field(id, &generation);
	if (!f)
		return ERR_PTR(-ENOENT);
	*row = id & PKTMETA_SLOT_MASK;
	if (size != f->size)
		return ERR_PTR(-EINVAL);
	a = pktmeta_skb_area(skb);
	if (a && !pktmeta_skb_fits(skb, a, f))
		return ERR_PTR(-ENOSPC);
	if (a && f->born > a->generation)
		return ERR_PTR(-EFAULT);
	if (!a)
		a = pktmeta_skb_area_new(skb, f, generation);
	if (!a)
		return ERR_PTR(-ENOSPC);
	*area = a;
	return &a->data[f->offset];
}

__bpf_kfunc_start_defs();

/**
 * bpf_skb_pktmeta_set() - set a field on this skb
 * @ctx: the program's context; in a netfilter program, ctx->skb
 * @id: the field's id
 * @val: the value
 * @val__sz: its size, which must be the field's size
 *
 * On an skb without an area (not built from a buffer whose packet set a
 * field at XDP, or whose area was dropped on the way, see the README), the
 * set makes one, at the same place as XDP's, when the skb's head is its own
 * (not a clone's) and the headroom before data_meta/data holds it.
 *
 * Return: 0, or -ENOENT (unknown id), -EINVAL (size differs from the
 * field's), -EFAULT (field newer than the skb's area), -ENOSPC (the
 * headroom does not hold the field, or the skb has no area and cannot
 * have one: a clone, or a locally sent skb that asked for a transmit
 * timestamp).
 */
__bpf_kfunc int bpf_skb_pktmeta_set(struct __sk_buff *ctx, u32 id,
				    const void *val, u32 val__sz)
{
	struct pktmeta_area *area;
	unsigned int row;
	u8 *bytes = pktmeta_skb_set_bytes((struct sk_buff *)ctx, id, val__sz,
					  &area, &row);

	if (IS_ERR(bytes))
		return pktmeta_stats_result(row, 0, PTR_ERR(bytes));
	if (!pktmeta_copy_small(bytes, val, val__sz))
		memcpy(bytes, val, val__sz);
	area->set |= 1ULL << row;
	return pktmeta_stats_result(row, PKTMETA_STAT_SET, 0);
}

/*
 * The area of @skb holding field @id of @size bytes (any size when @size
 * is 0) as set, or an error in the order of the XDP kfuncs; *@row is the
 * field's stats row either way. An skb without an area is told at its
 * first load (tskey, skb_area.h), the common case of packets that carry no
 * fields.
 */
static __always_inline int pktmeta_skb_find(const struct sk_buff *skb, u32 id,
					    u32 size,
					    const struct pktmeta_field **field,
					    struct pktmeta_area **area,
					    unsigned int *row)
{
	u64 generation;
	const struct pktmeta_field *f = pktmeta_skb_field(id, &generation);
	struct pktmeta_area *a;

	*row = PKTMETA_STATS_UNKNOWN;
	if (!f)
		return -ENOENT;
	*row = id & PKTMETA_SLOT_MASK;
	if (size && size != f->size)
		return -EINVAL;
	a = pktmeta_skb_area(skb);
	if (!a)
		return -ENOENT;
	if (!pktmeta_skb_fits(skb, a, f))
		return -ENOSPC;
	if (f->born > a->generation)
		return -EFAULT;
	if (!(a->set & (1ULL << *row)))
		return -ENOENT;
	*field = f;
	*area = a;
	return 0;
}

/**
 * bpf_skb_pktmeta_get() - read a field of this skb
 * @ctx: the program's context; in a netfilter program, ctx->skb
 * @id: the field's id
 * @val: where to store the value; zeroed on error
 * @val__sz: its size, which must be the field's size
 *
 * Return: 0, or -ENOENT (unknown id, the skb has no area, or the field is
 * not set on it), -EINVAL, -EFAULT, -ENOSPC (something moved data_meta or
 * data over the field's bytes) as for bpf_skb_pktmeta_set().
 */
__bpf_kfunc int bpf_skb_pktmeta_get(struct __sk_buff *ctx, u32 id, void *val,
				    u32 val__sz)
{
	const struct pktmeta_field *f;
	struct pktmeta_area *area;
	unsigned int row;
	int err;

	err = pktmeta_skb_find((struct sk_buff *)ctx, id, val__sz, &f, &area, &row);
	if (likely(!err)) {
		if (!pktmeta_copy_small(val, &area->data[f->offset], val__sz))
			memcpy(val, &area->data[f->offset], val__sz);
		pktmeta_stats_inc(row, PKTMETA_STAT_GET);
		return 0;
	}
	if (!pktmeta_zero_small(val, val__sz))
		memset(val, 0, val__sz);
	return pktmeta_stats_result(row, 0, err);
}

/**
 * bpf_skb_pktmeta_clear() - unset a field on this skb
 * @ctx: the program's context; in a netfilter program, ctx->skb
 * @id: the field's id
 *
 * Return: 0, or -ENOENT (unknown id, no area, or the field was not set),
 * -EFAULT, -ENOSPC as for bpf_skb_pktmeta_get().
 */
__bpf_kfunc int bpf_skb_pktmeta_clear(struct __sk_buff *ctx, u32 id)
{
	const struct pktmeta_field *f;
	struct pktmeta_area *area;
	unsigned int row;
	int err;

	err = pktmeta_skb_find((struct sk_buff *)ctx, id, 0, &f, &area, &row);
	if (err)
		return pktmeta_stats_result(row, 0, err);
	area->set &= ~(1ULL << row);
	return pktmeta_stats_result(row, PKTMETA_STAT_CLEAR, 0);
}

#ifdef PKTMETA_HAVE_SKB_PTR
/**
 * bpf_skb_pktmeta_ptr() - set a field on this skb in place
 * @ctx: the program's context; in a netfilter program, ctx->skb
 * @id: the field's id
 * @rdwr_buf_size: the field's size, a constant: the verifier lets the
 *                 program load and store that many bytes from the pointer
 *                 returned, and no more
 *
 * bpf_xdp_pktmeta_ptr() for an skb: marks the field set, as
 * bpf_skb_pktmeta_set() does (making the area as it would), and gives its
 * bytes, zeros when it was not set yet. They are in the skb's head, which
 * stays where it is until the program returns: the skb kfuncs' filter
 * refuses this kfunc to a program that calls anything that can give the
 * skb a new head (prog_scan.c), so the verifier rejects such a program.
 *
 * Return: the field's bytes, or NULL where bpf_skb_pktmeta_set() of the
 * same size would fail; its error is counted in the field's stats.
 */
__bpf_kfunc u8 *bpf_skb_pktmeta_ptr(struct __sk_buff *ctx, u32 id,
				    u32 rdwr_buf_size)
{
	struct pktmeta_area *area;
	unsigned int row;
	u8 *bytes = pktmeta_skb_set_bytes((struct sk_buff *)ctx, id,
					  rdwr_buf_size, &area, &row);

	if (IS_ERR(bytes)) {
		pktmeta_stats_result(row, 0, PTR_ERR(bytes));
		return NULL;
	}
	pktmeta_area_take(area, row, bytes, rdwr_buf_size);
	pktmeta_stats_inc(row, PKTMETA_STAT_SET);
	return bytes;
}

/**
 * bpf_skb_pktmeta_ptr_ro() - read a field of this skb in place
 * @ctx: the program's context; in a netfilter program, ctx->skb
 * @id: the field's id
 * @rdonly_buf_size: the field's size, a constant: the verifier lets the
 *                   program load that many bytes from the pointer
 *                   returned, and store none
 *
 * Kept from the same programs as bpf_skb_pktmeta_ptr().
 *
 * Return: the bytes of the field, set on this skb, or NULL where
 * bpf_skb_pktmeta_get() of the same size would fail (its error counted as
 * that call's is).
 */
__bpf_kfunc const u8 *bpf_skb_pktmeta_ptr_ro(struct __sk_buff *ctx, u32 id,
					     u32 rdonly_buf_size)
{
	const struct pktmeta_field *f;
	struct pktmeta_area *area;
	unsigned int row;
	int err;

	err = pktmeta_skb_find((struct sk_buff *)ctx, id, rdonly_buf_size, &f,
			       &area, &row);
	if (!err && !rdonly_buf_size)
		err = -EINVAL;	/* pktmeta_skb_find() takes 0 for any size */
	if (err) {
		pktmeta_stats_result(row, 0, err);
		return NULL;
	}
	pktmeta_stats_inc(row, PKTMETA_STAT_GET);
	return &area->data[f->offset];
}
#endif /* PKTMETA_HAVE_SKB_PTR */

__bpf_kfunc_end_defs();

/*
 * KF_TRUSTED_ARGS: where the verifier has the projection rule
 * (btf_is_projection_of() in kernel/bpf/btf.c, used by
 * process_kf_arg_ptr_to_btf_id() in kernel/bpf/verifier.c; 6.12 has it,
 * 6.1 not), a kfunc whose argument is struct __sk_buff * takes a
 * struct sk_buff * as well. That is how a netfilter program hands over its
 * ctx->skb, as it does to the kernel's bpf_dynptr_from_skb(); without the
 * flag a pointer walked from it (skb->next, often NULL) would pass too.
 * The context itself is always accepted.
 */
BTF_KFUNCS_START(pktmeta_skb_kfunc_ids)
BTF_ID_FLAGS(func, bpf_skb_pktmeta_set, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, bpf_skb_pktmeta_get, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, bpf_skb_pktmeta_clear, KF_TRUSTED_ARGS)
BTF_KFUNCS_END(pktmeta_skb_kfunc_ids)

#ifdef PKTMETA_HAVE_SKB_PTR
/* The same with the field pointers, when the filter can tell them apart. */
BTF_KFUNCS_START(pktmeta_skb_ptr_kfunc_ids)
BTF_ID_FLAGS(func, bpf_skb_pktmeta_set, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, bpf_skb_pktmeta_get, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, bpf_skb_pktmeta_clear, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, bpf_skb_pktmeta_ptr, KF_TRUSTED_ARGS | KF_RET_NULL)
BTF_ID_FLAGS(func, bpf_skb_pktmeta_ptr_ro, KF_TRUSTED_ARGS | KF_RET_NULL)
BTF_KFUNCS_END(pktmeta_skb_ptr_kfunc_ids)

BTF_ID_LIST(pktmeta_skb_ptr_ids)
BTF_ID(func, bpf_skb_pktmeta_ptr)
BTF_ID(func, bpf_skb_pktmeta_ptr_ro)

/*
 * Do the ids above name the pointer kfuncs for the verifier? Not when the
 * kernel renumbered this module's BTF at load (a distilled base, see
 * module/Makefile): it renumbers the kfunc sets it keeps, not these.
 */
static bool pktmeta_skb_ptr_ids_valid(void)
{
#ifdef PKTMETA_HAVE_MODULE_BTF_BASE
	return !THIS_MODULE->btf_base_data_size;
#else
	return true;
#endif
}

/*
 * The verifier checks a call to one of the skb kfuncs in @prog: the
 * pointers only for a program that keeps its skb's head where it is
 * (bpf_skb_pktmeta_ptr()); then, as for every pktmeta kfunc, the hooks.
 * The verifier says "calling kernel function ... is not allowed"; the
 * kernel log says why.
 */
static int pktmeta_skb_filter(const struct bpf_prog *prog, u32 kfunc_id)
{
	const char *mover;

	if (kfunc_id == pktmeta_skb_ptr_ids[0] ||
	    kfunc_id == pktmeta_skb_ptr_ids[1]) {
		mover = pktmeta_prog_head_mover(prog);
		if (mover) {
			pr_notice_ratelimited("program %s: no field pointer for a program that calls %s, which can move the skb's head; use bpf_skb_pktmeta_set/get\n",
					      prog->aux->name, mover);
			return -EACCES;
		}
	}
	return pktmeta_demand_filter(prog, kfunc_id);
}

#define PKTMETA_SKB_FILTER .filter = pktmeta_skb_filter,
#else
#define PKTMETA_SKB_FILTER PKTMETA_DEMAND_FILTER
#endif

static struct btf_kfunc_id_set pktmeta_skb_kfunc_set = {
	.owner = THIS_MODULE,
	.set = &pktmeta_skb_kfunc_ids,
	PKTMETA_SKB_FILTER
};

/*
 * The program types to offer the skb kfuncs to, sched_cls last. Each has a
 * kfunc hook of its own in the kernel (bpf_prog_type_to_kfunc_hook(),
 * kernel/bpf/btf.c), and a module may register one set per hook: the
 * four lwt types share one hook, as do the cgroup types (only cgroup_skb
 * has an skb as context), so each hook is named once.
 */
static const struct {
	enum bpf_prog_type type;
	const char *name;
} pktmeta_skb_prog_types[] = {
#ifdef PKTMETA_HAVE_SKB_KFUNC_HOOKS
	{ BPF_PROG_TYPE_SCHED_ACT, "sched_act" },
	{ BPF_PROG_TYPE_CGROUP_SKB, "cgroup_skb" },
	{ BPF_PROG_TYPE_SOCKET_FILTER, "socket_filter" },
	{ BPF_PROG_TYPE_LWT_IN, "lwt_in, lwt_out, lwt_xmit, lwt_seg6local" },
	{ BPF_PROG_TYPE_SK_SKB, "sk_skb" },
#endif
#ifdef PKTMETA_HAVE_NETFILTER_KFUNC_HOOK
	{ BPF_PROG_TYPE_NETFILTER, "netfilter" },
#endif
	{ BPF_PROG_TYPE_SCHED_CLS, "sched_cls" },
};

/**
 * pktmeta_kfuncs_skb_register() - offer the skb kfuncs to every skb program
 * type this kernel has a kfunc hook for
 *
 * 6.1 has one, for sched_cls. The skb dynptrs (6.3) brought hooks for
 * sched_act, cgroup_skb, socket filters, the lwt types and sk_skb, and
 * BPF_DYNPTR_TYPE_SKB in include/linux/bpf.h; netfilter programs (6.4)
 * came with their hook. Kbuild probes those headers: a registration for a
 * type without a hook fails, and its error path frees every kfunc set the
 * module registered before (btf_populate_kfunc_set(), kernel/bpf/btf.c).
 * Should one fail anyway, the types before it lose the kfuncs; sched_cls,
 * last, and the XDP and syscall sets, which main.c registers after this,
 * keep theirs. The set has the field pointers where the filter can keep
 * them from the programs that must not have them (PKTMETA_HAVE_SKB_PTR).
 *
 * Return: 0 or the error of register_btf_kfunc_id_set() for sched_cls.
 */
int pktmeta_kfuncs_skb_register(void)
{
	unsigned int i, last = ARRAY_SIZE(pktmeta_skb_prog_types) - 1;
	int err;

#ifdef PKTMETA_HAVE_SKB_PTR
	if (pktmeta_skb_ptr_ids_valid())
		pktmeta_skb_kfunc_set.set = &pktmeta_skb_ptr_kfunc_ids;
	else
		pr_notice("TC field pointers not offered: this module's BTF was renumbered at load (built on a distilled base)\n");
#endif

	for (i = 0; i < last; i++) {
		err = register_btf_kfunc_id_set(pktmeta_skb_prog_types[i].type,
						&pktmeta_skb_kfunc_set);
		if (err)
			pr_warn("skb kfuncs not offered to %s: %d; earlier types lost them\n",
				pktmeta_skb_prog_types[i].name, err);
	}
	return register_btf_kfunc_id_set(pktmeta_skb_prog_types[last].type,
					 &pktmeta_skb_kfunc_set);
}
