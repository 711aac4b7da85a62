// SPDX-License-Identifier: GPL-2.0
/*
 * pktmeta on a driver that receives like ice, for tests/guest/native_xdp.bats:
 * pmnic (tests/pmnic) keeps one xdp_buff per ring and initialises it once
 * per NAPI poll, so xdp_buff->flags of one packet carry over to the next.
 *
 * Traffic is pktgen's: UDP whose payload starts with struct pktgen_hdr, its
 * seq_num counting the packets from 1. set_get, the native XDP program on
 * the receiving device, first reads field_id (a u64) on every packet: no
 * packet has set it yet, so anything but -ENOENT is stale (an odd packet
 * reading a value, or an even one reading another seq before its own set)
 * or wrong (another error). Then on even seqs it sets the field to seq and
 * reads it back (wrong unless it gets seq). Then it applies verdict, or
 * with mixed one verdict after another by seq.
 *
 * Later stages read the field and count, per stage (cpu: the cpumap
 * program, dev: the devmap program, tc: TC ingress on the skb): _ok, an
 * even seq with its own seq; _unset, an odd seq without the field
 * (-ENOENT); _missing, an even seq without it; _wrong, anything else
 * (another value, a value on an odd seq, another error); _refused,
 * -EOPNOTSUPP. wire_check runs on the far end of the cable, where packets
 * arrive as copies: no field may come with them (wire_leak).
 * count_only counts pktgen packets and applies verdict (or mixed) without
 * calling pktmeta.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include "pktmeta.bpf.h"
#include "test_maps.h"

#define ENOENT 2
#define EOPNOTSUPP 95
#define PKTGEN_MAGIC 0xbe9be955

const volatile __u32 field_id = PKTMETA_ID_NONE;	/* a u64 field */
const volatile __u32 verdict = XDP_DROP;	/* of set_get and count_only */
/* XDP_REDIRECT: to CPU cpu_target through the cpumap, else devmap entry 0 */
const volatile __u32 use_cpumap;
const volatile __u32 cpu_target;
/* instead of verdict, by seq % 4: XDP_PASS, XDP_DROP, XDP_TX, devmap entry 0 */
const volatile __u32 mixed;

/* set_get */
__u64 pkts, stale, wrong, refused, set_ok, own_ok;
__u64 first_stale_seq, first_stale_val, first_wrong_seq;
__s64 first_wrong_ret;
/* count_only */
__u64 counted;
/* the later stages */
__u64 cpu_seen, cpu_ok, cpu_unset, cpu_missing, cpu_wrong, cpu_refused;
__u64 dev_seen, dev_ok, dev_unset, dev_missing, dev_wrong, dev_refused;
__u64 tc_seen, tc_ok, tc_unset, tc_missing, tc_wrong, tc_refused;
__u64 wire_seen, wire_leak, wire_unset, wire_refused, wire_other;

TEST_DEVMAP(devs, 1);
TEST_CPUMAP(cpus, 4);

struct pktgen_hdr {
	__be32 pgh_magic;
	__be32 seq_num;
	__be32 tv_sec;
	__be32 tv_usec;
};

/* pktgen's seq_num of the packet between @data and @end, or -1. */
static __always_inline __s64 pktgen_seq(void *data, void *end)
{
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip + 1);
	struct pktgen_hdr *pg = (void *)(udp + 1);

	if ((void *)(pg + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) ||
	    ip->ihl != 5 || ip->protocol != IPPROTO_UDP ||
	    pg->pgh_magic != bpf_htonl(PKTGEN_MAGIC))
		return -1;
	return bpf_ntohl(pg->seq_num);
}

static __always_inline __s64 xdp_seq(struct xdp_md *ctx)
{
	return pktgen_seq((void *)(long)ctx->data, (void *)(long)ctx->data_end);
}

static __always_inline int apply_verdict(__u64 seq)
{
	if (mixed) {
		switch (seq & 3) {
		case 0:
			return XDP_PASS;
		case 1:
			return XDP_DROP;
		case 2:
			return XDP_TX;
		default:
			return bpf_redirect_map(&devs, 0, 0);
		}
	}
	if (verdict != XDP_REDIRECT)
		return verdict;
	if (use_cpumap)
		return bpf_redirect_map(&cpus, cpu_target, 0);
	return bpf_redirect_map(&devs, 0, 0);
}

static __always_inline void count_wrong(__u64 seq, int ret)
{
	if (!__sync_fetch_and_add(&wrong, 1)) {
		first_wrong_seq = seq;
		first_wrong_ret = ret;
	}
}

SEC("xdp")
int set_get(struct xdp_md *ctx)
{
	__s64 s = xdp_seq(ctx);
	__u64 seq, v = 0;
	int ret;

	if (s < 0)
		return XDP_PASS;
	seq = s;
	__sync_fetch_and_add(&pkts, 1);
	ret = bpf_xdp_pktmeta_get(ctx, field_id, &v, sizeof(v));
	if (ret == 0) {
		if (!__sync_fetch_and_add(&stale, 1)) {
			first_stale_seq = seq;
			first_stale_val = v;
		}
	} else if (ret == -EOPNOTSUPP) {
		__sync_fetch_and_add(&refused, 1);
	} else if (ret != -ENOENT) {
		count_wrong(seq, ret);
	}
	if (seq & 1)
		return apply_verdict(seq);
	v = seq;
	ret = bpf_xdp_pktmeta_set(ctx, field_id, &v, sizeof(v));
	if (ret == -EOPNOTSUPP) {
		__sync_fetch_and_add(&refused, 1);
	} else if (ret) {
		count_wrong(seq, ret);
	} else {
		__sync_fetch_and_add(&set_ok, 1);
		v = 0;
		ret = bpf_xdp_pktmeta_get(ctx, field_id, &v, sizeof(v));
		if (ret || v != seq)
			count_wrong(seq, ret);
		else
			__sync_fetch_and_add(&own_ok, 1);
	}
	return apply_verdict(seq);
}

SEC("xdp")
int count_only(struct xdp_md *ctx)
{
	__s64 s = xdp_seq(ctx);

	if (s < 0)
		return XDP_PASS;
	__sync_fetch_and_add(&counted, 1);
	return apply_verdict(s);
}

/* The counters of a later stage, for check() below. */
struct stage {
	__u64 *seen, *ok, *unset, *missing, *wrong, *refused;
};

/* Count what a later stage read on packet @seq: @ret and the value @v. */
static __always_inline void check(const struct stage *st, __u64 seq, int ret,
				  __u64 v)
{
	__u64 *c;

	if (ret == -EOPNOTSUPP)
		c = st->refused;
	else if (ret == -ENOENT)
		c = seq & 1 ? st->unset : st->missing;
	else if (ret == 0 && !(seq & 1) && v == seq)
		c = st->ok;
	else
		c = st->wrong;
	__sync_fetch_and_add(st->seen, 1);
	__sync_fetch_and_add(c, 1);
}

/* A cpumap or devmap program: read the field of a pktgen packet. */
static __always_inline int xdp_stage(struct xdp_md *ctx, const struct stage *st)
{
	__s64 s = xdp_seq(ctx);
	__u64 v = 0;
	int ret;

	if (s < 0)
		return XDP_PASS;
	ret = bpf_xdp_pktmeta_get(ctx, field_id, &v, sizeof(v));
	check(st, s, ret, v);
	return XDP_PASS;
}

SEC("xdp/cpumap")
int cpumap_check(struct xdp_md *ctx)
{
	const struct stage st = { &cpu_seen, &cpu_ok, &cpu_unset, &cpu_missing,
				  &cpu_wrong, &cpu_refused };

	return xdp_stage(ctx, &st);
}

SEC("xdp/devmap")
int devmap_check(struct xdp_md *ctx)
{
	const struct stage st = { &dev_seen, &dev_ok, &dev_unset, &dev_missing,
				  &dev_wrong, &dev_refused };

	return xdp_stage(ctx, &st);
}

SEC("tc")
int tc_check(struct __sk_buff *skb)
{
	const struct stage st = { &tc_seen, &tc_ok, &tc_unset, &tc_missing,
				  &tc_wrong, &tc_refused };
	__s64 s = pktgen_seq((void *)(long)skb->data, (void *)(long)skb->data_end);
	__u64 v = 0;
	int ret;

	if (s < 0)
		return TC_ACT_OK;
	ret = bpf_skb_pktmeta_get(skb, field_id, &v, sizeof(v));
	check(&st, s, ret, v);
	return TC_ACT_OK;
}

/* The far end of the cable: packets arrive as copies, without fields. */
SEC("xdp")
int wire_check(struct xdp_md *ctx)
{
	__u64 v = 0;
	int ret;

	if (xdp_seq(ctx) < 0)
		return XDP_PASS;
	__sync_fetch_and_add(&wire_seen, 1);
	ret = bpf_xdp_pktmeta_get(ctx, field_id, &v, sizeof(v));
	if (ret == 0)
		__sync_fetch_and_add(&wire_leak, 1);
	else if (ret == -ENOENT)
		__sync_fetch_and_add(&wire_unset, 1);
	else if (ret == -EOPNOTSUPP)
		__sync_fetch_and_add(&wire_refused, 1);
	else
		__sync_fetch_and_add(&wire_other, 1);
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
