/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What prog_types.bpf.c and prog_types_nf.bpf.c share: the XDP program
 * that marks the test packets and the judge of what a reader got. Two
 * objects, because libbpf resolves every kfunc an object names before it
 * loads any program: the netfilter one names bpf_dynptr_from_skb(), which
 * 6.1 lacks, and 6.1 must get to the verifier with the others.
 */
#ifndef PKTMETA_PROG_TYPES_H
#define PKTMETA_PROG_TYPES_H

#define ENOENT 2
#define ENOSPC 28
#define MAGIC 0x706d7631

const volatile __u32 field_id = PKTMETA_ID_NONE;

__u64 xdp_seen, xdp_set_err, bad_ret;

#define COUNTERS(p) __u64 p##_seen, p##_set, p##_unset, p##_lost, p##_bad

static __always_inline __u64 expected(__u32 seq)
{
	return ((__u64)seq * 0x9e3779b97f4a7c15ULL) ^ MAGIC;
}

SEC("xdp")
int xdp_mark(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	__u32 *p = data + 14 + 20 + 8;	/* Ethernet, IPv4 without options, UDP */
	__u64 v;

	if ((void *)(p + 2) > end || p[0] != MAGIC)
		return XDP_PASS;
	__sync_fetch_and_add(&xdp_seen, 1);
	if (p[1] % 2 == 0) {
		v = expected(p[1]);
		if (bpf_xdp_pktmeta_set(ctx, field_id, &v, sizeof(v)))
			__sync_fetch_and_add(&xdp_set_err, 1);
	}
	return XDP_PASS;
}

/*
 * Judge what a get of the packet @seq returned; @ret and @v from
 * bpf_skb_pktmeta_get().
 */
static __always_inline void judge(__u32 seq, int ret, __u64 v, __u64 *set,
				  __u64 *unset, __u64 *lost, __u64 *bad)
{
	int marked = seq % 2 == 0;

	if (marked && !ret && v == expected(seq)) {
		__sync_fetch_and_add(set, 1);
	} else if (ret == -ENOENT) {
		__sync_fetch_and_add(marked ? lost : unset, 1);
	} else {
		if (!*bad)
			bad_ret = ret ? ret : -1000;
		__sync_fetch_and_add(bad, 1);
	}
}

#endif
