/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pktmeta for BPF programs: the one header an XDP, TC or syscall program
 * includes to set and get per-packet metadata fields by id.
 *
 * Include it after <linux/bpf.h> (or vmlinux.h) and <bpf/bpf_helpers.h>.
 * The kfuncs come from the pktmeta module's BTF; libbpf resolves them when
 * the program is loaded, so `modprobe pktmeta` must have run first.
 */
#ifndef __PKTMETA_BPF_H
#define __PKTMETA_BPF_H

#include <linux/types.h>
#include "uapi/linux/pktmeta.h"

/*
 * Errors, as the kfuncs return them (negative):
 *   -ENOENT      unknown id, or the field is not set on this packet
 *   -EINVAL      the size differs from the field's
 *   -EFAULT      the field is newer than the packet's area
 *   -ENOSPC      no room: the headroom before data_meta/data is too small
 *   -EOPNOTSUPP  a device on which pktmeta cannot guarantee validity
 */

/* XDP programs. */
extern int bpf_xdp_pktmeta_set(struct xdp_md *ctx, __u32 id, const void *val,
			       __u32 val__sz) __ksym;
extern int bpf_xdp_pktmeta_get(struct xdp_md *ctx, __u32 id, void *val,
			       __u32 val__sz) __ksym;
extern int bpf_xdp_pktmeta_clear(struct xdp_md *ctx, __u32 id) __ksym;

/*
 * XDP, in place: the field's bytes in this packet's area, for plain loads
 * and stores. SIZE must be a constant, the field's size; the verifier then
 * rejects any access past it, and a store through the _ro pointer. Check
 * for NULL: it comes where bpf_xdp_pktmeta_set() (ptr, which marks the
 * field set, its bytes zero if it was not) or bpf_xdp_pktmeta_get()
 * (ptr_ro) of the same size would fail; make that call to learn why. The
 * pointer is good until the program returns or calls bpf_xdp_adjust_head()
 * or bpf_xdp_adjust_meta() (after them a store may land in the packet's
 * new first bytes). TC has its own: bpf_skb_pktmeta_ptr() below.
 *
 *	__u64 *ts = bpf_xdp_pktmeta_ptr(ctx, id, sizeof(*ts));
 *	if (ts)
 *		*ts = bpf_ktime_get_ns();
 */
extern __u8 *bpf_xdp_pktmeta_ptr(struct xdp_md *ctx, __u32 id,
				 __u32 rdwr_buf_size) __ksym;
extern const __u8 *bpf_xdp_pktmeta_ptr_ro(struct xdp_md *ctx, __u32 id,
					  __u32 rdonly_buf_size) __ksym;

/*
 * XDP, for AF_XDP: write the fields set on this packet into its data_meta,
 * ending at data, in the layout of struct pktmeta_xsk_hdr
 * (uapi/linux/pktmeta.h), before redirecting it into an XSKMAP; the
 * socket's consumer reads them with pktmeta_xsk_field() (include/pktmeta.h).
 * FLAGS: 0 or PKTMETA_EXPORT_F_NO_HINTS. Returns the block's length, or
 * -EINVAL, -EOPNOTSUPP, -EBUSY (data_meta already in use), -ENOSPC (the
 * fields do not fit: nothing is written); redirect only what was exported.
 *
 *	if (bpf_xdp_pktmeta_export(ctx, 0) < 0)
 *		return XDP_DROP;
 *	return bpf_redirect_map(&xsks, ctx->rx_queue_index, XDP_DROP);
 */
extern int bpf_xdp_pktmeta_export(struct xdp_md *ctx, __u64 flags) __ksym;

/*
 * skb programs: sched_cls everywhere; where the kernel has kfunc hooks for
 * them (6.3+, README "Program types") sched_act, cgroup_skb, socket
 * filters, lwt, sk_skb and netfilter, which passes
 * (struct __sk_buff *)ctx->skb. The fields an XDP program set on the
 * packet are there when the skb was built from its buffer (XDP_PASS,
 * cpumap, a redirect into a veth); a set on an skb without an area makes
 * one when the skb's headroom holds it, else -ENOSPC. See the README,
 * "Through the stack", for what drops the fields.
 */
extern int bpf_skb_pktmeta_set(struct __sk_buff *ctx, __u32 id,
			       const void *val, __u32 val__sz) __ksym;
extern int bpf_skb_pktmeta_get(struct __sk_buff *ctx, __u32 id, void *val,
			       __u32 val__sz) __ksym;
extern int bpf_skb_pktmeta_clear(struct __sk_buff *ctx, __u32 id) __ksym;

/*
 * skb programs, in place: bpf_xdp_pktmeta_ptr() and _ptr_ro() for an skb,
 * NULL where bpf_skb_pktmeta_set() or _get() of the same size would fail.
 * The bytes are in the skb's head, so they are offered only to a program
 * that cannot move it: one that calls none of the helpers after which the
 * verifier forgets packet pointers (bpf_skb_pull_data(),
 * bpf_skb_change_head(), bpf_skb_adjust_room(), bpf_skb_store_bytes(),
 * bpf_l3/l4_csum_replace(), bpf_clone_redirect(), bpf_tail_call(), ...,
 * and so pktmeta_skb_set_room()) and makes no skb dynptr. The verifier
 * rejects any other ("calling kernel function bpf_skb_pktmeta_ptr is not
 * allowed"; the kernel log names the call). The pointer is then good until
 * the program returns. Kernels with kfunc filters and the verifier's
 * packet-change tracking (6.12, 7.3; not 6.1) have them: weak, so that
 * bpf_ksym_exists() tells.
 */
extern __u8 *bpf_skb_pktmeta_ptr(struct __sk_buff *ctx, __u32 id,
				 __u32 rdwr_buf_size) __ksym __weak;
extern const __u8 *bpf_skb_pktmeta_ptr_ro(struct __sk_buff *ctx, __u32 id,
					  __u32 rdonly_buf_size) __ksym __weak;

/*
 * Headroom in front of the MAC header that holds an skb's area whatever
 * the module's capacity (the area's offset and header, and 128 bytes of
 * fields; debugfs `layout` gives this module's figures).
 */
#define PKTMETA_SKB_ROOM 256

/*
 * TC: give the skb PKTMETA_SKB_ROOM bytes of headroom without changing a
 * byte of the packet, so that a set on it can make its area. A locally
 * sent skb has only LL_RESERVED_SPACE() of headroom (16 or 32 bytes on
 * Ethernet), too little for one: bpf_skb_pktmeta_set() says -ENOSPC.
 *
 * It is bpf_skb_adjust_room() twice: PKTMETA_SKB_ROOM bytes pushed after
 * the MAC header (the head is reallocated with that much room when it has
 * less, as bpf_skb_change_head() does) and pulled again. So the program's
 * packet pointers are invalid after it, as after any helper that changes
 * packet data (the verifier enforces it); a kfunc cannot do this for the
 * program, because the verifier would not know. IPv4 and IPv6 packets
 * only (the helper's rule); GSO sizes are kept.
 *
 * Return: 0; or the first call's error, the packet unchanged; or, if the
 * second call failed (only under memory pressure), -ENOMEM with the packet
 * carrying PKTMETA_SKB_ROOM zero bytes after its MAC header: drop it.
 */
static __always_inline int pktmeta_skb_make_room(struct __sk_buff *skb)
{
	const __u64 flags = BPF_F_ADJ_ROOM_FIXED_GSO | BPF_F_ADJ_ROOM_NO_CSUM_RESET;
	int err;

	err = bpf_skb_adjust_room(skb, PKTMETA_SKB_ROOM, BPF_ADJ_ROOM_MAC, flags);
	if (err)
		return err;
	if (bpf_skb_adjust_room(skb, -PKTMETA_SKB_ROOM, BPF_ADJ_ROOM_MAC, flags))
		return -12;	/* -ENOMEM: drop the packet */
	return 0;
}

/*
 * TC: bpf_skb_pktmeta_set(), making room first when the skb has no area
 * and too little headroom for one (-ENOSPC): a TC egress program's way to
 * set a field on a locally sent skb. The program's packet pointers are
 * invalid after it (see pktmeta_skb_make_room()).
 *
 * Return: as bpf_skb_pktmeta_set(), or pktmeta_skb_make_room()'s error;
 * -ENOMEM means drop the packet.
 */
static __always_inline int pktmeta_skb_set_room(struct __sk_buff *skb, __u32 id,
						const void *val, __u32 size)
{
	int err = bpf_skb_pktmeta_set(skb, id, val, size);

	if (err != -28)	/* -ENOSPC */
		return err;
	err = pktmeta_skb_make_room(skb);
	if (err)
		return err;
	return bpf_skb_pktmeta_set(skb, id, val, size);
}

/* Syscall programs (BPF_PROG_TYPE_SYSCALL): manage the registry. */
extern __s64 bpf_pktmeta_register(const char *name, __u32 name__sz,
				  __u32 size) __ksym;
extern __s64 bpf_pktmeta_lookup(const char *name, __u32 name__sz) __ksym;
extern int bpf_pktmeta_unregister(__u32 id) __ksym;

/*
 * The names of the original proposal: pick the kfunc from the type of the
 * program's context.
 */
#define bpf_set_packet_metadata_field(ctx, id, val, size)			\
	_Generic((ctx),								\
		 struct xdp_md *: bpf_xdp_pktmeta_set,				\
		 struct __sk_buff *: bpf_skb_pktmeta_set)(ctx, id, val, size)
#define bpf_get_packet_metadata_field(ctx, id, val, size)			\
	_Generic((ctx),								\
		 struct xdp_md *: bpf_xdp_pktmeta_get,				\
		 struct __sk_buff *: bpf_skb_pktmeta_get)(ctx, id, val, size)
#define bpf_clear_packet_metadata_field(ctx, id)				\
	_Generic((ctx),								\
		 struct xdp_md *: bpf_xdp_pktmeta_clear,			\
		 struct __sk_buff *: bpf_skb_pktmeta_clear)(ctx, id)

/*
 * Fields declared in the program, so that its author never handles ids:
 *
 *	PKTMETA_FIELD(flow_tag, __u32);
 *	PKTMETA_FIELD_NAMED(trace, "acme.trace-id", __u64);
 *	...
 *	__u32 tag = 7;
 *	pktmeta_field_set(ctx, flow_tag, &tag);
 *	pktmeta_field_get(ctx, trace, &trace_id);
 *
 * The loader calls pktmeta_bpf_object_register() (include/pktmeta.h) on the
 * opened object before loading it: each declared field is registered (or a
 * reference is taken on it) and its id written into the constant
 * pktmeta_id_<ident> in .rodata, which the verifier then sees as a known
 * value. A declaration is a struct pktmeta_field_decl called
 * pktmeta_decl_<ident>, also in .rodata. An object that was not passed
 * through the library keeps the id PKTMETA_ID_NONE, which names no field.
 */
#define PKTMETA_FIELD_NAMED(ident, fname, type)					\
	typedef type pktmeta_type_##ident;					\
	_Static_assert(sizeof(fname) > 1 && sizeof(fname) <= PKTMETA_NAME_MAX,	\
		       "pktmeta field name " fname " must have 1..31 characters"); \
	const volatile __u32 pktmeta_id_##ident = PKTMETA_ID_NONE;		\
	const volatile struct pktmeta_field_decl pktmeta_decl_##ident		\
		__attribute__((used)) = { .name = fname, .size = sizeof(type) }

/* A field whose name is the C identifier @name ([a-z0-9_] only). */
#define PKTMETA_FIELD(name, type) PKTMETA_FIELD_NAMED(name, #name, type)

/* The id of the declared field @ident. */
#define pktmeta_field_id(ident) (pktmeta_id_##ident)

/* Set or get the declared field @ident from/into *@ptr, of its exact type. */
#define pktmeta_field_set(ctx, ident, ptr) ({					\
	_Static_assert(sizeof(*(ptr)) == sizeof(pktmeta_type_##ident),		\
		       "value of the wrong size for field " #ident);		\
	bpf_set_packet_metadata_field(ctx, pktmeta_id_##ident, ptr,		\
				      sizeof(pktmeta_type_##ident));		\
})
#define pktmeta_field_get(ctx, ident, ptr) ({					\
	_Static_assert(sizeof(*(ptr)) == sizeof(pktmeta_type_##ident),		\
		       "value of the wrong size for field " #ident);		\
	bpf_get_packet_metadata_field(ctx, pktmeta_id_##ident, ptr,		\
				      sizeof(pktmeta_type_##ident));		\
})

/* XDP: the declared field @ident in place, as its type (NULL as above). */
#define pktmeta_field_ptr(ctx, ident)						\
	((pktmeta_type_##ident *)bpf_xdp_pktmeta_ptr(ctx, pktmeta_id_##ident,	\
						     sizeof(pktmeta_type_##ident)))
#define pktmeta_field_ptr_ro(ctx, ident)					\
	((const pktmeta_type_##ident *)bpf_xdp_pktmeta_ptr_ro(ctx,		\
						pktmeta_id_##ident,		\
						sizeof(pktmeta_type_##ident)))

#endif /* __PKTMETA_BPF_H */
