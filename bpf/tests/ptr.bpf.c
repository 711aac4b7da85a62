// SPDX-License-Identifier: GPL-2.0
/*
 * Direct access to a field's bytes (bpf_xdp_pktmeta_ptr and _ptr_ro), for
 * tests/guest/ptr.bats. Inputs and results are globals (see pmrun); a
 * pointer's value is reported as ptr_null/ro_null, 1 for NULL.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "pktmeta.bpf.h"

__u32 id;		/* in: the field under test, 8 bytes */
__u64 value = 0x1122334455667788ULL;
__u64 value2 = 0x99aabbccddeeff00ULL;
int pre_set, pre_clear;	/* in: set value2 by value (and clear it) first */
int head_delta;		/* in: bpf_xdp_adjust_head() before anything else */
int ptr_null = -1, ro_null = -1;	/* out */
int set_ret = 1, get_ret = 1, clear_ret = 1, adjust_ret = 1;	/* out */
__u64 first, ro_val, got;	/* out */

/*
 * ptr: what it shows first (zeros, or the value already set), a store of
 * value through it; then ptr_ro and get must both read value.
 */
SEC("xdp")
int ptr_set_get(struct xdp_md *ctx)
{
	const __u64 *ro;
	__u64 *p, out = ~0ULL;

	adjust_ret = bpf_xdp_adjust_head(ctx, head_delta);
	if (pre_set)
		set_ret = bpf_xdp_pktmeta_set(ctx, id, &value2, sizeof(value2));
	if (pre_clear)
		clear_ret = bpf_xdp_pktmeta_clear(ctx, id);
	p = (__u64 *)bpf_xdp_pktmeta_ptr(ctx, id, sizeof(*p));
	ptr_null = !p;
	if (p) {
		first = *p;
		*p = value;
	}
	ro = (const __u64 *)bpf_xdp_pktmeta_ptr_ro(ctx, id, sizeof(*ro));
	ro_null = !ro;
	if (ro)
		ro_val = *ro;
	get_ret = bpf_xdp_pktmeta_get(ctx, id, &out, sizeof(out));
	got = out;
	return XDP_PASS;
}

/* ptr_ro alone, on a packet where nothing set the field. */
SEC("xdp")
int ptr_ro_only(struct xdp_md *ctx)
{
	const __u64 *ro = (const __u64 *)bpf_xdp_pktmeta_ptr_ro(ctx, id, 8);

	ro_null = !ro;
	return XDP_PASS;
}

/* Sizes other than the field's 8: NULL from both, as set and get fail. */
SEC("xdp")
int ptr_wrong_size(struct xdp_md *ctx)
{
	__u8 *p = bpf_xdp_pktmeta_ptr(ctx, id, 4);
	const __u8 *ro = bpf_xdp_pktmeta_ptr_ro(ctx, id, 16);

	ptr_null = !p;
	ro_null = !ro;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
