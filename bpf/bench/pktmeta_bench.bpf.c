// SPDX-License-Identifier: GPL-2.0
/*
 * Programs of `make bench` (tests/bench/bench.sh), run with pmrun -r N
 * (BPF_PROG_TEST_RUN with a large repeat). Every XDP program stores a u64
 * from `value` and reads it back, or does one half of that, and returns
 * XDP_PASS on success, XDP_ABORTED if a call failed, so that the bench
 * measures the success path and can tell.
 *
 * A test run with repeat runs the program again and again on one xdp_buff:
 * the pktmeta area that the first run initialises stays valid, and so does
 * data_meta as the previous run left it.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include "pktmeta.bpf.h"

__u32 id;		/* in: a u64 field */
__u64 value = 0x1122334455667788ULL;
__u64 got;		/* out: the sum of what was read */

/*
 * Each program below does its work OPS times, unrolled, so that the cost
 * per operation stands out of the fixed cost of a test run (the empty
 * program of meta_bench.bpf.c, the bench's baseline for both objects); the
 * bench divides by the baseline's, so OPS cancels out.
 */
#define OPS 8
#define ENOENT 2

/*
 * A u64 stored and read back through the kfuncs, as meta_bench.bpf.c does
 * through data_meta.
 */
SEC("xdp")
int kfunc_set_get(struct xdp_md *ctx)
{
	__u64 sum = 0, v = 0;
	int i, err = 0;

#pragma unroll
	for (i = 0; i < OPS; i++) {
		err |= bpf_xdp_pktmeta_set(ctx, id, &value, sizeof(value));
		err |= bpf_xdp_pktmeta_get(ctx, id, &v, sizeof(v));
		sum += v;
	}
	got = sum;
	return err ? XDP_ABORTED : XDP_PASS;
}

/*
 * The same through the field's bytes: one bpf_xdp_pktmeta_ptr() call per
 * store and load, as adjust_meta is one call per store and load in meta_bench.bpf.c.
 */
SEC("xdp")
int kfunc_ptr_set_get(struct xdp_md *ctx)
{
	__u64 sum = 0;
	int i;

#pragma unroll
	for (i = 0; i < OPS; i++) {
		__u64 *p = (__u64 *)bpf_xdp_pktmeta_ptr(ctx, id, sizeof(*p));

		if (!p)
			return XDP_ABORTED;
		*p = value;
		asm volatile("" ::: "memory");	/* load what was stored, again */
		sum += *p;
	}
	got = sum;
	return XDP_PASS;
}

/* Set alone. */
SEC("xdp")
int kfunc_set(struct xdp_md *ctx)
{
	int i, err = 0;

#pragma unroll
	for (i = 0; i < OPS; i++)
		err |= bpf_xdp_pktmeta_set(ctx, id, &value, sizeof(value));
	return err ? XDP_ABORTED : XDP_PASS;
}

/* Get alone: the first run finds the field unset and sets it, once. */
SEC("xdp")
int kfunc_get(struct xdp_md *ctx)
{
	__u64 sum = 0, v = 0;
	int i, err = 0;

#pragma unroll
	for (i = 0; i < OPS; i++) {
		err |= bpf_xdp_pktmeta_get(ctx, id, &v, sizeof(v));
		sum += v;
	}
	if (err) {
		bpf_xdp_pktmeta_set(ctx, id, &value, sizeof(value));
		return XDP_ABORTED;
	}
	got = sum;
	return XDP_PASS;
}

/*
 * TC: the baseline, and a get on an skb that carries no fields (its cost
 * on every packet a TC program asks about a field it may not have). Test
 * runs only: they return 2 (TC_ACT_SHOT), the success code the bench
 * checks for every program, 0 on failure.
 */
SEC("tc")
int tc_empty(struct __sk_buff *skb)
{
	return TC_ACT_SHOT;
}

SEC("tc")
int tc_get_nofield(struct __sk_buff *skb)
{
	__u64 v = 0;
	int i, unset = 0;

#pragma unroll
	for (i = 0; i < OPS; i++)
		unset += bpf_skb_pktmeta_get(skb, id, &v, sizeof(v)) == -ENOENT;
	return unset == OPS ? TC_ACT_SHOT : TC_ACT_OK;
}

/* Syscall: unregister the fields NAME.00 .. NAME.(count-1) that
 * registry.bpf.c do_register_many registered; ret is the last error or 0.
 */
char name[PKTMETA_NAME_MAX];
__u32 count;
__s64 ret;

SEC("syscall")
int unregister_many(void *ctx)
{
	char n[PKTMETA_NAME_MAX] = {};
	__s64 fid;
	__u32 i, len;

	for (len = 0; len < 20 && name[len]; len++)
		n[len] = name[len];
	n[len] = '.';
	ret = 0;
	for (i = 0; i < count && i < PKTMETA_MAX_FIELDS; i++) {
		n[len + 1] = '0' + i / 10;
		n[len + 2] = '0' + i % 10;
		fid = bpf_pktmeta_lookup(n, len + 3);
		if (fid < 0) {
			ret = fid;
			continue;
		}
		fid = bpf_pktmeta_unregister(fid);
		if (fid)
			ret = fid;
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
