// SPDX-License-Identifier: GPL-2.0
/*
 * Misuses of the XDP kfuncs that the verifier must reject at load time, for
 * tests/guest/verifier.bats (pmrun -L loads only the named program), and
 * one well-formed control program that must load.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "pktmeta.bpf.h"

__u32 id = PKTMETA_HINT_RX_TIMESTAMP;
__u32 size = 8;		/* a size the verifier cannot bound */
int ret;

/* Control: context, an 8-byte buffer and a constant 8. */
SEC("xdp")
int good(struct xdp_md *ctx)
{
	__u64 v = 1;

	ret = bpf_xdp_pktmeta_set(ctx, id, &v, sizeof(v));
	ret |= bpf_xdp_pktmeta_get(ctx, id, &v, sizeof(v));
	return XDP_PASS;
}

/* The context argument is a stack pointer, not the program's context. */
SEC("xdp")
int ctx_not_context(struct xdp_md *ctx)
{
	__u64 fake[8] = {}, v = 1;

	ret = bpf_xdp_pktmeta_set((struct xdp_md *)fake, id, &v, sizeof(v));
	return XDP_PASS;
}

/* The context argument is a map value. */
__u64 fake_ctx[8];
SEC("xdp")
int ctx_is_global(struct xdp_md *ctx)
{
	__u64 v = 1;

	ret = bpf_xdp_pktmeta_get((struct xdp_md *)fake_ctx, id, &v, sizeof(v));
	return XDP_PASS;
}

/* A 4-byte buffer passed with size 8: the kfunc would write past it. */
SEC("xdp")
int get_buffer_too_small(struct xdp_md *ctx)
{
	__u32 v = 0;

	ret = bpf_xdp_pktmeta_get(ctx, id, &v, 8);
	return XDP_PASS;
}

/* The same for set: it would read past the buffer. */
SEC("xdp")
int set_buffer_too_small(struct xdp_md *ctx)
{
	__u32 v = 0;

	ret = bpf_xdp_pktmeta_set(ctx, id, &v, 8);
	return XDP_PASS;
}

/* A size read from a global: unbounded. */
SEC("xdp")
int unbounded_size(struct xdp_md *ctx)
{
	__u64 v[4] = {};

	ret = bpf_xdp_pktmeta_get(ctx, id, v, size);
	return XDP_PASS;
}

/* Bounded, but above the buffer (1..64 for a 32-byte buffer). */
SEC("xdp")
int size_above_buffer(struct xdp_md *ctx)
{
	__u64 v[4] = {};
	__u32 sz = size;

	if (sz < 1 || sz > 64)
		return XDP_PASS;
	ret = bpf_xdp_pktmeta_set(ctx, id, v, sz);
	return XDP_PASS;
}

/* A NULL value pointer. */
SEC("xdp")
int null_value(struct xdp_md *ctx)
{
	ret = bpf_xdp_pktmeta_get(ctx, id, (void *)0, 8);
	return XDP_PASS;
}

/* The registry kfuncs belong to syscall programs, not to XDP. */
SEC("xdp")
int register_from_xdp(struct xdp_md *ctx)
{
	char name[8] = "x";

	ret = bpf_pktmeta_register(name, sizeof(name), 8);
	return XDP_PASS;
}

/* Control for the pointer kfuncs: constant sizes, NULL checked. */
SEC("xdp")
int ptr_good(struct xdp_md *ctx)
{
	__u64 *p = (__u64 *)bpf_xdp_pktmeta_ptr(ctx, id, sizeof(*p));
	const __u64 *ro;

	if (p)
		*p = 1;
	ro = (const __u64 *)bpf_xdp_pktmeta_ptr_ro(ctx, id, sizeof(*ro));
	if (ro)
		ret = *ro == 1 ? 0 : 1;
	return XDP_PASS;
}

/* A store one byte past the size asked for. */
SEC("xdp")
int ptr_past_size(struct xdp_md *ctx)
{
	__u8 *p = bpf_xdp_pktmeta_ptr(ctx, id, 8);

	if (p)
		p[8] = 1;
	return XDP_PASS;
}

/* A load before the start. */
SEC("xdp")
int ptr_before_start(struct xdp_md *ctx)
{
	const __u8 *p = bpf_xdp_pktmeta_ptr_ro(ctx, id, 8);

	if (p)
		ret = *(p - 1);
	return XDP_PASS;
}

/* A store through the read-only pointer. */
SEC("xdp")
int ptr_ro_store(struct xdp_md *ctx)
{
	__u8 *p = (__u8 *)bpf_xdp_pktmeta_ptr_ro(ctx, id, 8);

	if (p)
		*p = 1;
	return XDP_PASS;
}

/* The pointer used without a NULL check. */
SEC("xdp")
int ptr_no_null_check(struct xdp_md *ctx)
{
	__u64 *p = (__u64 *)bpf_xdp_pktmeta_ptr(ctx, id, 8);

	*p = 1;
	return XDP_PASS;
}

/* A size the verifier does not know: it cannot bound the accesses. */
SEC("xdp")
int ptr_size_not_constant(struct xdp_md *ctx)
{
	__u8 *p = bpf_xdp_pktmeta_ptr(ctx, id, size);

	if (p)
		*p = 1;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
