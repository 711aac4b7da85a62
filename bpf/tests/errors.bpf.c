// SPDX-License-Identifier: GPL-2.0
/*
 * XDP programs that provoke each error of the XDP kfuncs (README, API),
 * for tests/guest/errors.bats. Inputs and results are globals (see pmrun).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "pktmeta.bpf.h"

__u32 id;		/* in: the field under test */
__u32 id2;		/* in: a second field */
__u64 value = 0x1122334455667788ULL;
__u64 value2 = 0x99aabbccddeeff00ULL;
__u32 set_size = 8;	/* in: val__sz passed to set, 1..16 */
__u32 get_size = 8;	/* in: val__sz passed to get, 1..16 */
int set_ret = 1, get_ret = 1, get2_ret = 1, clear_ret = 1;	/* out */
__u64 got, got_hi, got2;	/* out: values read back */

/* Bounded sizes the verifier accepts for a 16-byte buffer. */
static __always_inline __u32 bounded(__u32 sz)
{
	return sz < 1 ? 1 : sz > 16 ? 16 : sz;
}

/* set(id, set_size bytes of value) then get(id, get_size bytes). */
SEC("xdp")
int set_get(struct xdp_md *ctx)
{
	__u64 in[2] = { value, value2 }, out[2] = { ~0ULL, ~0ULL };
	__u32 ss = bounded(set_size), gs = bounded(get_size);

	set_ret = bpf_xdp_pktmeta_set(ctx, id, in, ss);
	get_ret = bpf_xdp_pktmeta_get(ctx, id, out, gs);
	got = out[0];
	got_hi = out[1];
	return XDP_PASS;
}

/*
 * id is stale, id2 is the field that took its slot (and bytes): set id2,
 * then every use of the stale id fails with -ENOENT and never shows id2's
 * bytes, and id2 keeps its value.
 */
SEC("xdp")
int stale(struct xdp_md *ctx)
{
	__u64 out = ~0ULL, other = value;

	set_ret = bpf_xdp_pktmeta_set(ctx, id2, &value2, sizeof(value2));
	get_ret = bpf_xdp_pktmeta_get(ctx, id, &out, sizeof(out));
	got = out;
	clear_ret = bpf_xdp_pktmeta_clear(ctx, id);
	/* A stale set must not reach id2's bytes either. */
	if (bpf_xdp_pktmeta_set(ctx, id, &other, sizeof(other)) != -2)
		clear_ret = 1;
	out = 0;
	get2_ret = bpf_xdp_pktmeta_get(ctx, id2, &out, sizeof(out));
	got2 = out;
	return XDP_PASS;
}

/*
 * Headroom taken by the program. BPF_PROG_TEST_RUN gives 256 bytes of
 * headroom, so data starts at data_hard_start + 256; the area is at
 * data_hard_start + area_offset (debugfs layout). The program optionally sets
 * the field first (pre_set), moves data by head_delta and data_meta by
 * meta_delta, fills the first 16 bytes of meta (if any) and data with a
 * pattern, calls set and get, and checks the pattern is intact.
 */
int head_delta, meta_delta, pre_set;	/* in */
int pre_set_ret = 1, adjust_ret = 1;	/* out */
int pattern_ok;				/* out: 1 when meta and data are intact */

#define PATTERN 0xa5

static __always_inline int fill16(__u8 *p, void *end)
{
	int i;

	if ((void *)(p + 16) > end)
		return -1;
#pragma unroll
	for (i = 0; i < 16; i++)
		p[i] = PATTERN + i;
	return 0;
}

static __always_inline int check16(__u8 *p, void *end)
{
	int i;

	if ((void *)(p + 16) > end)
		return 0;
#pragma unroll
	for (i = 0; i < 16; i++)
		if (p[i] != (__u8)(PATTERN + i))
			return 0;
	return 1;
}

/* bpf_xdp_adjust_head() by head_delta, then _meta() by meta_delta. */
static __always_inline int push_headers(struct xdp_md *ctx)
{
	if (head_delta && bpf_xdp_adjust_head(ctx, head_delta))
		return -1;
	if (meta_delta && bpf_xdp_adjust_meta(ctx, meta_delta))
		return -2;
	return 0;
}

SEC("xdp")
int headroom(struct xdp_md *ctx)
{
	__u64 in = 0x5555555555555555ULL, out = ~0ULL;
	void *data, *meta, *end;

	if (pre_set)
		pre_set_ret = bpf_xdp_pktmeta_set(ctx, id, &value, sizeof(value));
	adjust_ret = push_headers(ctx);
	data = (void *)(long)ctx->data;
	meta = (void *)(long)ctx->data_meta;
	end = (void *)(long)ctx->data_end;
	if (fill16(data, end))
		return XDP_ABORTED;
	if (meta_delta && fill16(meta, data))
		return XDP_ABORTED;

	set_ret = bpf_xdp_pktmeta_set(ctx, id, &in, sizeof(in));
	get_ret = bpf_xdp_pktmeta_get(ctx, id, &out, sizeof(out));
	got = out;

	data = (void *)(long)ctx->data;
	meta = (void *)(long)ctx->data_meta;
	end = (void *)(long)ctx->data_end;
	pattern_ok = check16(data, end) && (!meta_delta || check16(meta, data));
	return XDP_PASS;
}

/*
 * A push over a set field, bytes written there, then the pop: the field
 * is read again once it lies before the packet, and must not be what the
 * push wrote (module/hook_push.c). head_delta (or meta_delta) pushes,
 * then the 16 pattern bytes are written at the new start, then the same
 * delta is popped.
 */
SEC("xdp")
int push_pop(struct xdp_md *ctx)
{
	__u64 out = ~0ULL;
	void *data, *meta, *end;

	pre_set_ret = bpf_xdp_pktmeta_set(ctx, id, &value, sizeof(value));
	adjust_ret = push_headers(ctx);
	data = (void *)(long)ctx->data;
	meta = (void *)(long)ctx->data_meta;
	end = (void *)(long)ctx->data_end;
	if (meta_delta ? fill16(meta, data) : fill16(data, end))
		return XDP_ABORTED;
	if (head_delta && bpf_xdp_adjust_head(ctx, -head_delta))
		adjust_ret = -3;
	if (meta_delta && bpf_xdp_adjust_meta(ctx, -meta_delta))
		adjust_ret = -4;
	get_ret = bpf_xdp_pktmeta_get(ctx, id, &out, sizeof(out));
	got = out;
	return XDP_PASS;
}

/*
 * -EFAULT: a field registered after the packet's area was initialised.
 * Run with pmrun -r N -w phase -o id_b -c 'register B': BPF_PROG_TEST_RUN
 * with repeat runs the program again and again on the same xdp_buff, and the
 * area (with its in-use flag) persists across those repeats, so all runs of
 * one test run see one packet. The first run sets field id (initialising the
 * area) and sets phase = 1; pmrun then registers B from userspace while the
 * test run keeps going and stores B's id in id_b; the next run sees it and
 * uses B on the same packet, whose area predates B, then sets phase = 2 and
 * pmrun stops the run. A field born after the area must give -EFAULT, while
 * the older field stays readable.
 */
volatile __u32 phase;	/* 0 first run, 1 waiting for id_b, 2 done */
volatile __u32 id_b;	/* in (during the run): the late field */
int set_b = 1, get_b = 1, clear_b = 1;	/* out */
__u64 runs;		/* out: runs on this packet */

SEC("xdp")
int late_field(struct xdp_md *ctx)
{
	__u64 out = ~0ULL;
	__u32 b;

	runs++;
	if (phase == 0) {
		set_ret = bpf_xdp_pktmeta_set(ctx, id, &value, sizeof(value));
		phase = 1;
		return XDP_PASS;
	}
	b = id_b;
	if (phase != 1 || !b)
		return XDP_PASS;
	set_b = bpf_xdp_pktmeta_set(ctx, b, &value2, sizeof(value2));
	get_b = bpf_xdp_pktmeta_get(ctx, b, &out, sizeof(out));
	got2 = out;
	clear_b = bpf_xdp_pktmeta_clear(ctx, b);
	out = 0;
	get_ret = bpf_xdp_pktmeta_get(ctx, id, &out, sizeof(out));
	got = out;
	phase = 2;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
