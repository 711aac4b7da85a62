// SPDX-License-Identifier: GPL-2.0
/*
 * The empty kfunc call of `make bench`: bpf_pktmeta_bench_nop() of the
 * bench-only module tests/bench/module, with the arguments of
 * bpf_xdp_pktmeta_get(). Kept apart from pktmeta_bench.bpf.c, which must
 * load without that module.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern int bpf_pktmeta_bench_nop(struct xdp_md *ctx, __u32 id, void *val,
				 __u32 val__sz) __ksym;

__u32 id;
__u64 got;

/* OPS calls, as the programs of pktmeta_bench.bpf.c do. */
#define OPS 8

/* The shape of kfunc_set: the calls, their results or'ed. */
SEC("xdp")
int nop_kfunc(struct xdp_md *ctx)
{
	__u64 v = 0;
	int i, err = 0;

#pragma unroll
	for (i = 0; i < OPS; i++)
		err |= bpf_pktmeta_bench_nop(ctx, id, &v, sizeof(v));
	return err ? XDP_ABORTED : XDP_PASS;
}

/*
 * The shape of kfunc_get: each call's value read and summed as well, so
 * that the two programs differ in the function called alone.
 */
SEC("xdp")
int nop_kfunc_read(struct xdp_md *ctx)
{
	__u64 sum = 0, v = 0;
	int i, err = 0;

#pragma unroll
	for (i = 0; i < OPS; i++) {
		err |= bpf_pktmeta_bench_nop(ctx, id, &v, sizeof(v));
		sum += v;
	}
	if (err)
		return XDP_ABORTED;
	got = sum;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
