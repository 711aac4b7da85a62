// SPDX-License-Identifier: GPL-2.0
/*
 * The baseline of `make bench` part a: a u64 stored and read back through
 * bpf_xdp_adjust_meta() and data_meta, as a program does without pktmeta.
 * Apart from pktmeta_bench.bpf.c, so that it loads with pktmeta not
 * loaded at all (an object with pktmeta's kfuncs does not).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u64 value = 0x1122334455667788ULL;
__u64 got;		/* out: the sum of what was read */

/* As in pktmeta_bench.bpf.c: OPS times, unrolled. */
#define OPS 8

/*
 * What every XDP program of the bench pays besides its own work, this
 * object's and pktmeta_bench.bpf.c's: measured with pktmeta loaded or not.
 */
SEC("xdp")
int empty(struct xdp_md *ctx)
{
	return XDP_PASS;
}

/*
 * The same store and load through data_meta: set data_meta to 8 bytes
 * before data (one bpf_xdp_adjust_meta per packet, as a program that tags
 * packets does; the delta is 0 after the first run because data_meta is not
 * reset between repeats), check bounds, store, load.
 */
SEC("xdp")
int meta_set_get(struct xdp_md *ctx)
{
	__u64 sum = 0;
	int i;

#pragma unroll
	for (i = 0; i < OPS; i++) {
		int delta = (int)ctx->data - 8 - (int)ctx->data_meta;
		void *data, *meta;

		if (bpf_xdp_adjust_meta(ctx, delta))
			return XDP_ABORTED;
		data = (void *)(long)ctx->data;
		meta = (void *)(long)ctx->data_meta;
		if (meta + sizeof(__u64) > data)
			return XDP_ABORTED;
		*(__u64 *)meta = value;
		asm volatile("" ::: "memory");	/* load what was stored, again */
		sum += *(__u64 *)meta;
	}
	got = sum;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
