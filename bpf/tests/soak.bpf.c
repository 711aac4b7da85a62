// SPDX-License-Identifier: GPL-2.0
/*
 * The soak's datapath (tests/soak/soak.sh): fields set at XDP and checked at
 * every later stage a packet passes, while the registry churns and the
 * module, the drivers and these programs are reloaded around the traffic.
 *
 * Soak packets are UDP to port 47100 with payload { magic, seq, tag, csum }
 * (little-endian u32, tests/soak/send.py): tag names the pipeline, csum is
 * payload_csum(seq, tag). A packet's own value is struct val { v, sum } with
 * v = tag << 32 | seq and sum = csum(v).
 *
 * soak_set, at XDP on the ingress device, sets value_id to the packet's own
 * value on marked packets (seq % 4 != 3) and each churn field k whose id the
 * churn program published in the pinned map pm_churn_ids
 * (concurrency.bpf.c) to { v + k + 1, csum }; unmarked packets get nothing.
 * Then it passes the packet (mode 0), redirects it to redirect_ifindex (1),
 * through devmap entry 0 (2), or through the cpumap to CPU seq % 2 (3).
 *
 * The checks (soak_far at XDP on the far veth of a redirect, soak_devmap,
 * soak_cpumap, soak_tc at TC ingress) read the fields of every soak packet
 * and count, per stage S:
 *   S_ok      a marked packet with exactly its own value, an unmarked one
 *             without a value
 *   S_absent  a marked packet without it (-ENOENT, -EFAULT): allowed, the
 *             packet crossed a reload, a churn, or a path that drops fields
 *   S_wrong   anything else: a value that is not the packet's own (another
 *             packet's, torn bytes), a value on an unmarked packet, another
 *             error
 * and the same for the churn fields (S_cok, S_cabsent, S_cwrong). A soak
 * packet whose payload checksum is wrong counts in S_wrong too. The first
 * wrong read is kept in wrong_*.
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
#define EFAULT 14
#define MAGIC 0x706d7631
#define PORT 47100
#define NCHURN 4

const volatile __u32 value_id = PKTMETA_ID_NONE;	/* struct val */
const volatile __u32 mode;
const volatile __u32 redirect_ifindex;

/* Filled by concurrency.bpf.c's churn program: same definition. */
PINNED_U32_ARRAY(pm_churn_ids, NCHURN);

TEST_DEVMAP(devs, 1);

TEST_CPUMAP(cpus, 2);

struct payload {
	__u32 magic;
	__u32 seq;
	__u32 tag;
	__u32 csum;
};

struct val {
	__u64 v;
	__u64 sum;
};

/* soak_set */
__u64 in_pkts, in_marked, in_set_err, in_corrupt;
__u64 in_cset_ok, in_cset_absent, in_cset_err;

/* the checks: one set of counters per stage */
#define STAGE_COUNTERS(s) \
	__u64 s##_pkts, s##_ok, s##_absent, s##_wrong, s##_cok, s##_cabsent, s##_cwrong
STAGE_COUNTERS(far);
STAGE_COUNTERS(devmap);
STAGE_COUNTERS(cpumap);
STAGE_COUNTERS(tc);

enum { STAGE_FAR = 1, STAGE_DEVMAP, STAGE_CPUMAP, STAGE_TC };

/* The first wrong read: stage, packet, field (key 255: value_id), result. */
__u64 wrong_stage, wrong_tag, wrong_seq, wrong_key, wrong_v, wrong_sum;
__s64 wrong_ret;

struct counters {
	__u64 *pkts, *ok, *absent, *wrong, *cok, *cabsent, *cwrong;
};

#define COUNTERS(s) ((struct counters){ &s##_pkts, &s##_ok, &s##_absent, \
	&s##_wrong, &s##_cok, &s##_cabsent, &s##_cwrong })

static __always_inline __u32 payload_csum(__u32 seq, __u32 tag)
{
	return (seq * 0x9e3779b1U) ^ (tag * 0x85ebca6bU) ^ MAGIC;
}

static __always_inline __u64 csum(__u64 v)
{
	return v * 0x9e3779b97f4a7c15ULL + 0x7f4a7c15ULL;
}

static __always_inline int marked(__u32 seq)
{
	return seq % 4 != 3;
}

/* The payload of a soak packet between @data and @end, or NULL. */
static __always_inline struct payload *soak_payload(void *data, void *end)
{
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip + 1);
	struct payload *p = (void *)(udp + 1);

	if ((void *)(p + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) ||
	    ip->ihl != 5 || ip->protocol != IPPROTO_UDP ||
	    udp->dest != bpf_htons(PORT) || p->magic != MAGIC)
		return NULL;
	return p;
}

static __always_inline __u32 churn_id(__u32 k)
{
	__u32 *id = bpf_map_lookup_elem(&pm_churn_ids, &k);

	return id ? *id : 0;
}

static __always_inline void note_wrong(__u32 stage, const struct payload *p,
				       __u32 key, int ret, const struct val *got)
{
	if (wrong_stage)
		return;
	wrong_stage = stage;
	wrong_tag = p->tag;
	wrong_seq = p->seq;
	wrong_key = key;
	wrong_ret = ret;
	wrong_v = got->v;
	wrong_sum = got->sum;
}

/*
 * Judge one read of a field whose own value on this packet is @want (if
 * the packet is marked); returns 0 ok, 1 absent, 2 wrong.
 */
static __always_inline int judge(int ret, const struct val *got, __u64 want, int mark)
{
	if (ret == -ENOENT || ret == -EFAULT)
		return mark ? 1 : 0;
	if (!ret && mark && got->v == want && got->sum == csum(want))
		return 0;
	return 2;
}

static __always_inline void count(int verdict, __u64 *ok, __u64 *absent, __u64 *wrong)
{
	__sync_fetch_and_add(verdict == 0 ? ok : verdict == 1 ? absent : wrong, 1);
}

/* Read every field of soak packet @p through @get (the XDP or TC kfunc). */
#define CHECK(ctx, get, stage, c, p) ({						\
	__u64 v = (__u64)(p)->tag << 32 | (p)->seq;				\
	int mark = marked((p)->seq), verdict, ret;				\
	struct val got = {};							\
	__u32 k, id;								\
										\
	__sync_fetch_and_add((c).pkts, 1);					\
	if ((p)->csum != payload_csum((p)->seq, (p)->tag)) {			\
		note_wrong(stage, p, 254, 0, &got);				\
		__sync_fetch_and_add((c).wrong, 1);				\
	} else {								\
		ret = get(ctx, value_id, &got, sizeof(got));			\
		verdict = judge(ret, &got, v, mark);				\
		if (verdict == 2)						\
			note_wrong(stage, p, 255, ret, &got);			\
		count(verdict, (c).ok, (c).absent, (c).wrong);			\
		for (k = 0; k < NCHURN; k++) {					\
			id = churn_id(k);					\
			if (!id)						\
				continue;					\
			got.v = got.sum = 0;					\
			ret = get(ctx, id, &got, sizeof(got));			\
			verdict = judge(ret, &got, v + k + 1, mark);		\
			if (verdict == 2)					\
				note_wrong(stage, p, k, ret, &got);		\
			count(verdict, (c).cok, (c).cabsent, (c).cwrong);	\
		}								\
	}									\
})

SEC("xdp")
int soak_set(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct payload *p = soak_payload(data, end);
	struct val val;
	__u32 k, id, seq;
	__u64 v;
	int ret;

	if (!p)
		return XDP_PASS;
	seq = p->seq;
	__sync_fetch_and_add(&in_pkts, 1);
	if (p->csum != payload_csum(seq, p->tag)) {
		__sync_fetch_and_add(&in_corrupt, 1);
		return XDP_PASS;
	}
	if (marked(seq)) {
		__sync_fetch_and_add(&in_marked, 1);
		v = (__u64)p->tag << 32 | seq;
		val.v = v;
		val.sum = csum(v);
		if (bpf_xdp_pktmeta_set(ctx, value_id, &val, sizeof(val)))
			__sync_fetch_and_add(&in_set_err, 1);
		for (k = 0; k < NCHURN; k++) {
			id = churn_id(k);
			if (!id)
				continue;
			val.v = v + k + 1;
			val.sum = csum(val.v);
			ret = bpf_xdp_pktmeta_set(ctx, id, &val, sizeof(val));
			if (!ret)
				__sync_fetch_and_add(&in_cset_ok, 1);
			else if (ret == -ENOENT || ret == -EFAULT)
				__sync_fetch_and_add(&in_cset_absent, 1);
			else
				__sync_fetch_and_add(&in_cset_err, 1);
		}
	}
	switch (mode) {
	case 1:
		return bpf_redirect(redirect_ifindex, 0);
	case 2:
		return bpf_redirect_map(&devs, 0, 0);
	case 3:
		return bpf_redirect_map(&cpus, seq % 2, 0);
	}
	return XDP_PASS;
}

static __always_inline int xdp_check(struct xdp_md *ctx, __u32 stage, struct counters c)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct payload *p = soak_payload(data, end);

	if (p)
		CHECK(ctx, bpf_xdp_pktmeta_get, stage, c, p);
	return XDP_PASS;
}

SEC("xdp")
int soak_far(struct xdp_md *ctx)
{
	return xdp_check(ctx, STAGE_FAR, COUNTERS(far));
}

SEC("xdp/devmap")
int soak_devmap(struct xdp_md *ctx)
{
	return xdp_check(ctx, STAGE_DEVMAP, COUNTERS(devmap));
}

SEC("xdp/cpumap")
int soak_cpumap(struct xdp_md *ctx)
{
	return xdp_check(ctx, STAGE_CPUMAP, COUNTERS(cpumap));
}

SEC("tc")
int soak_tc(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	struct payload *p = soak_payload(data, end);

	if (p)
		CHECK(skb, bpf_skb_pktmeta_get, STAGE_TC, COUNTERS(tc), p);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
