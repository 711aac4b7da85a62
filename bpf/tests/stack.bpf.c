// SPDX-License-Identifier: GPL-2.0
/*
 * Fields through the stack, for tests/guest/stack.bats.
 *
 * Test packets are UDP to port 47000 with payload { magic, seq, ... }
 * (send_udp in helpers.bash). xdp_mark sets field_id on every packet whose
 * seq is a multiple of mark_every (0: none) to expected(seq), then passes
 * it up, redirects it to redirect_ifindex, or to CPU cpu_target through the
 * cpumap; with use_ptr it stores the value through bpf_xdp_pktmeta_ptr(). tc_check, at TC ingress of the device where the skbs arrive,
 * reads the field of every test packet and counts the packets that carry
 * exactly their own value, those that get -ENOENT (unmarked, or marked and
 * lost on the way: tc_lost); anything else (another value, another error)
 * is bad.
 * With check_hash it also compares the rx_hash hint with skb->hash.
 * (The XDP programs at the far end of a redirect: redirect.bpf.c.)
 * tc_gro does the same for UDP to port 47002 (any payload), which a socket
 * with UDP_GRO receives, so that GRO merges packets: a merged skb must get
 * -ENOENT. tc_set makes fields at TC, through the
 * bpf_set/get_packet_metadata_field wrappers; tc_realloc moves the skb to
 * a new head.
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
#define ENOSPC 28
#define MAGIC 0x706d7631

const volatile __u32 field_id = PKTMETA_ID_NONE;
const volatile __u32 mark_every = 2;
const volatile __u32 redirect_ifindex;
const volatile __u32 use_cpumap;
const volatile __u32 cpu_target;
const volatile __u32 check_hash;
const volatile __u32 drop;	/* xdp_mark drops the test packets it saw */
const volatile __u32 use_ptr;	/* xdp_mark stores through bpf_xdp_pktmeta_ptr */

__u64 xdp_seen, xdp_set_ok, xdp_set_err;
__u64 tc_seen, tc_ok_set, tc_ok_unset, tc_lost, tc_bad, bad_seq, bad_ret, bad_val;
__u64 hash_ok, hash_bad;
__u64 gro_merged_ok, gro_merged_bad, gro_single_ok, gro_single_bad, gro_bytes;
__u64 set_ok, set_enospc, set_other, set_read_back;
__u64 realloc_before_ok, realloc_after_kept, realloc_after_gone, realloc_other;

TEST_CPUMAP(cpus, 4);

static __always_inline __u64 expected(__u32 seq)
{
	return ((__u64)seq * 0x9e3779b97f4a7c15ULL) ^ MAGIC;
}

/* The payload of a test packet between @data and @end, or NULL. */
static __always_inline __u32 *test_payload(void *data, void *end, __u16 port,
					   __u16 proto)
{
	int any = proto & 0x100;	/* any payload: GRO test segments */

	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip + 1);
	__u32 *payload;

	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) ||
	    ip->ihl != 5 || ip->protocol != (proto & 0xff))
		return NULL;
	payload = (void *)(udp + 1);
	if ((void *)(payload + 2) > end || udp->dest != bpf_htons(port) ||
	    (!any && payload[0] != MAGIC))
		return NULL;
	return payload;
}

static __always_inline int marked(__u32 seq)
{
	return mark_every && seq % mark_every == 0;
}

SEC("xdp")
int xdp_mark(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	__u32 *p = test_payload(data, end, 47000, IPPROTO_UDP);
	__u64 v;

	if (!p)
		p = test_payload(data, end, 47002, IPPROTO_UDP | 0x100);
	if (!p)
		return XDP_PASS;
	__sync_fetch_and_add(&xdp_seen, 1);
	/* GRO test packets: the same value on every one (GRO may merge them). */
	v = p[0] == MAGIC ? expected(p[1]) : expected(0);
	if ((p[0] != MAGIC || marked(p[1])) && use_ptr) {
		__u64 *f = (__u64 *)bpf_xdp_pktmeta_ptr(ctx, field_id, sizeof(*f));

		if (f)
			*f = v;
		__sync_fetch_and_add(f ? &xdp_set_ok : &xdp_set_err, 1);
	} else if (p[0] != MAGIC || marked(p[1])) {
		if (bpf_xdp_pktmeta_set(ctx, field_id, &v, sizeof(v)))
			__sync_fetch_and_add(&xdp_set_err, 1);
		else
			__sync_fetch_and_add(&xdp_set_ok, 1);
	}
	if (drop)
		return XDP_DROP;
	if (redirect_ifindex)
		return bpf_redirect(redirect_ifindex, 0);
	if (use_cpumap)
		return bpf_redirect_map(&cpus, cpu_target, 0);
	return XDP_PASS;
}

SEC("tc")
int tc_check(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	__u32 *p = test_payload(data, end, 47000, IPPROTO_UDP);
	struct pktmeta_rx_hash h;
	__u32 seq;
	__u64 v;
	int ret;

	if (!p)
		return TC_ACT_OK;
	seq = p[1];
	__sync_fetch_and_add(&tc_seen, 1);
	ret = bpf_skb_pktmeta_get(skb, field_id, &v, sizeof(v));
	if (marked(seq) && !ret && v == expected(seq)) {
		__sync_fetch_and_add(&tc_ok_set, 1);
	} else if (ret == -ENOENT) {
		__sync_fetch_and_add(marked(seq) ? &tc_lost : &tc_ok_unset, 1);
	} else {
		if (!tc_bad) {
			bad_seq = seq;
			bad_ret = ret;
			bad_val = v;
		}
		__sync_fetch_and_add(&tc_bad, 1);
	}
	if (check_hash && marked(seq)) {
		ret = bpf_skb_pktmeta_get(skb, PKTMETA_HINT_RX_HASH, &h, sizeof(h));
		if (!ret && h.hash == skb->hash)
			__sync_fetch_and_add(&hash_ok, 1);
		else
			__sync_fetch_and_add(&hash_bad, 1);
	}
	return TC_ACT_OK;
}

SEC("tc")
int tc_gro(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	__u32 *p = test_payload(data, end, 47002, IPPROTO_UDP | 0x100);
	__u64 v;
	int ret;

	if (!p)
		return TC_ACT_OK;
	ret = bpf_skb_pktmeta_get(skb, field_id, &v, sizeof(v));
	__sync_fetch_and_add(&gro_bytes, skb->len);
	if (skb->gso_segs > 1) {
		if (ret == -ENOENT)
			__sync_fetch_and_add(&gro_merged_ok, 1);
		else
			__sync_fetch_and_add(&gro_merged_bad, 1);
	} else {
		if (!ret && v == expected(0))
			__sync_fetch_and_add(&gro_single_ok, 1);
		else
			__sync_fetch_and_add(&gro_single_bad, 1);
	}
	return TC_ACT_OK;
}

SEC("tc")
int tc_set(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	__u32 *p = test_payload(data, end, 47000, IPPROTO_UDP);
	__u64 v, got = 0;
	int ret;

	if (!p)
		return TC_ACT_OK;
	v = expected(p[1]);
	/* The proposal's names: the wrappers pick the TC kfuncs here. */
	ret = bpf_set_packet_metadata_field(skb, field_id, &v, sizeof(v));
	if (!ret)
		__sync_fetch_and_add(&set_ok, 1);
	else if (ret == -ENOSPC)
		__sync_fetch_and_add(&set_enospc, 1);
	else
		__sync_fetch_and_add(&set_other, 1);
	if (!ret && !bpf_get_packet_metadata_field(skb, field_id, &got, sizeof(got)) &&
	    got == v)
		__sync_fetch_and_add(&set_read_back, 1);
	return TC_ACT_OK;
}

/*
 * A new head (pskb_expand_head): realloc_tail=1 grows the tailroom
 * (bpf_skb_change_tail), and the area moves to the new head with this
 * packet's value; realloc_tail=0 pushes 1024 bytes of zeros at the front
 * (bpf_skb_change_head), more than the headroom, so they cover the area:
 * the field is gone, never another value.
 */
const volatile __u32 realloc_tail;

SEC("tc")
int tc_realloc(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	__u32 *p = test_payload(data, end, 47000, IPPROTO_UDP);
	__u64 v, want;
	long err;

	if (!p)
		return TC_ACT_OK;
	want = expected(p[1]);
	if (!bpf_skb_pktmeta_get(skb, field_id, &v, sizeof(v)) && v == want)
		__sync_fetch_and_add(&realloc_before_ok, 1);
	if (realloc_tail)
		err = bpf_skb_change_tail(skb, skb->len + 4096, 0);
	else
		err = bpf_skb_change_head(skb, 1024, 0);
	if (err) {
		__sync_fetch_and_add(&realloc_other, 1);
		return TC_ACT_SHOT;
	}
	err = bpf_skb_pktmeta_get(skb, field_id, &v, sizeof(v));
	if (!err && v == want)
		__sync_fetch_and_add(&realloc_after_kept, 1);
	else if (err == -ENOENT || err == -ENOSPC)
		__sync_fetch_and_add(&realloc_after_gone, 1);
	else
		__sync_fetch_and_add(&realloc_other, 1);
	return TC_ACT_SHOT;
}

SEC("xdp")
int xdp_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
