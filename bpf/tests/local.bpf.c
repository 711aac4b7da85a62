// SPDX-License-Identifier: GPL-2.0
/*
 * Locally generated skbs (tests/guest/local.bats): local_set runs at TC
 * egress of the device a UDP socket sends through and sets field_id to
 * expected(seq) of each test packet with pktmeta_skb_set_room(), which
 * makes room in the skb's small headroom when the plain set says -ENOSPC;
 * local_check runs at TC ingress where the packet arrives (the veth's peer
 * in another namespace, or lo) and compares the field with the packet's
 * own seq. tests/guest/paths.bats adds: tunnel_check, the same for the
 * outer skb of a VXLAN tunnel (UDP 4789), whose inner packet is the test
 * packet; set_verdict, local_set's verdict after a set, so that a later
 * filter (a mirred action) sees the packet; encap_set, local_set followed
 * by an encapsulation with bpf_skb_adjust_room() (encap_len bytes pushed
 * after the MAC header: an outer IPv4 and UDP header to ENCAP_PORT, then
 * zeros), reading the field after the push; and decap_check, at the
 * receiver's TC ingress, reading it before and after popping them again;
 * overlap_set, a push within the headroom that reaches the field.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include "pktmeta.bpf.h"
#include "test_packet.h"

#define ENOENT 2
#define ENOSPC 28

#define ENCAP_PORT 47010

const volatile __u32 field_id = PKTMETA_ID_NONE;
const volatile int set_verdict = TC_ACT_OK;	/* TC_ACT_UNSPEC: on to the next filter */
const volatile __u32 encap_len = 28;		/* at least an IPv4 and a UDP header */

__u64 egress_seen, set_ok, set_needed_room, set_err;		/* local_set */
__u64 ingress_seen, got_own, got_other, got_none, get_err;	/* local_check */
__u64 push_err, pushed_own, pushed_other, pushed_none, pushed_err;	/* encap_set */
__u64 pop_err, outer_own, outer_other, outer_none, outer_err;	/* decap_check */
__u64 reach_found, reach_len;					/* overlap_set */

struct outer_hdr {
	struct iphdr ip;
	struct udphdr udp;
};

static __always_inline __u64 expected(__u32 seq)
{
	return ((__u64)seq << 32) | 0x10ca1u;
}

/* The seq of a test packet to port 47000, or -1. */
static __always_inline long test_seq(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	struct udphdr *udp = test_udp(data, end, 47000);

	return udp ? test_payload_of(udp)[1] : -1;
}

/*
 * The seq of a test packet, once field_id is set to expected(seq) with
 * room made; else -1 and *VERDICT is what the program returns.
 */
static __always_inline long set_test(struct __sk_buff *skb, int *verdict)
{
	long seq = test_seq(skb);
	__u64 v;
	int err;

	*verdict = TC_ACT_OK;
	if (seq < 0)
		return -1;
	__sync_fetch_and_add(&egress_seen, 1);
	v = expected(seq);
	/* What a plain set says first: counted, then done with room. */
	if (bpf_skb_pktmeta_set(skb, field_id, &v, sizeof(v)) == -ENOSPC)
		__sync_fetch_and_add(&set_needed_room, 1);
	err = pktmeta_skb_set_room(skb, field_id, &v, sizeof(v));
	if (err) {
		__sync_fetch_and_add(&set_err, 1);
		if (err == -12)
			*verdict = TC_ACT_SHOT;
		return -1;
	}
	__sync_fetch_and_add(&set_ok, 1);
	return seq;
}

SEC("tc")
int local_set(struct __sk_buff *skb)
{
	int verdict;

	return set_test(skb, &verdict) < 0 ? verdict : set_verdict;
}

/* The seq of the test packet inside a VXLAN packet, or -1. */
static __always_inline long vxlan_inner_seq(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip + 1), *inner;

	if ((void *)(udp + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) ||
	    ip->ihl != 5 || ip->protocol != IPPROTO_UDP || udp->dest != bpf_htons(4789))
		return -1;
	inner = test_udp((void *)(udp + 1) + 8, end, 47000);	/* after the VXLAN header */
	return inner ? test_payload_of(inner)[1] : -1;
}

/* Count what a get on the skb of test packet SEQ returns. */
static __always_inline void judge(struct __sk_buff *skb, long seq, __u64 *own,
				  __u64 *other, __u64 *none, __u64 *errs)
{
	__u64 v;
	int err = bpf_skb_pktmeta_get(skb, field_id, &v, sizeof(v));

	if (!err && v == expected(seq))
		__sync_fetch_and_add(own, 1);
	else if (!err)
		__sync_fetch_and_add(other, 1);
	else if (err == -ENOENT)
		__sync_fetch_and_add(none, 1);
	else
		__sync_fetch_and_add(errs, 1);
}

/* Count what the skb of test packet SEQ carries. */
static __always_inline int check(struct __sk_buff *skb, long seq)
{
	if (seq < 0)
		return TC_ACT_OK;
	__sync_fetch_and_add(&ingress_seen, 1);
	judge(skb, seq, &got_own, &got_other, &got_none, &get_err);
	return TC_ACT_OK;
}

SEC("tc")
int local_check(struct __sk_buff *skb)
{
	return check(skb, test_seq(skb));
}

SEC("tc")
int tunnel_check(struct __sk_buff *skb)
{
	return check(skb, vxlan_inner_seq(skb));
}

/* The IPv4 header checksum of @ip (20 bytes, check 0). */
static __always_inline __u16 ip_csum(const struct iphdr *ip)
{
	const __u16 *w = (const __u16 *)ip;
	__u32 sum = 0;
	int i;

	for (i = 0; i < (int)(sizeof(*ip) / 2); i++)
		sum += w[i];
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

SEC("tc")
int encap_set(struct __sk_buff *skb)
{
	const __u64 flags = BPF_F_ADJ_ROOM_ENCAP_L3_IPV4 | BPF_F_ADJ_ROOM_ENCAP_L4_UDP;
	struct outer_hdr o;
	int verdict;
	long seq = set_test(skb, &verdict);

	if (seq < 0)
		return verdict;
	/* The outer IPv4 header: the inner one's, for UDP, encap_len longer. */
	if (bpf_skb_load_bytes(skb, ETH_HLEN, &o.ip, sizeof(o.ip)) ||
	    bpf_skb_adjust_room(skb, encap_len, BPF_ADJ_ROOM_MAC, flags)) {
		__sync_fetch_and_add(&push_err, 1);
		return TC_ACT_SHOT;
	}
	o.ip.tot_len = bpf_htons(bpf_ntohs(o.ip.tot_len) + encap_len);
	o.ip.protocol = IPPROTO_UDP;
	o.ip.check = 0;
	o.ip.check = ip_csum(&o.ip);
	o.udp.source = bpf_htons(ENCAP_PORT);
	o.udp.dest = bpf_htons(ENCAP_PORT);
	o.udp.len = bpf_htons(bpf_ntohs(o.ip.tot_len) - sizeof(o.ip));
	o.udp.check = 0;
	if (bpf_skb_store_bytes(skb, ETH_HLEN, &o, sizeof(o), 0)) {
		__sync_fetch_and_add(&push_err, 1);
		return TC_ACT_SHOT;
	}
	judge(skb, seq, &pushed_own, &pushed_other, &pushed_none, &pushed_err);
	return TC_ACT_OK;
}

SEC("tc")
int decap_check(struct __sk_buff *skb)
{
	__u32 inner = ETH_HLEN + encap_len + sizeof(struct iphdr) + sizeof(struct udphdr);
	struct outer_hdr o;
	__u32 p[2];

	if (skb->protocol != bpf_htons(ETH_P_IP) ||
	    bpf_skb_load_bytes(skb, ETH_HLEN, &o, sizeof(o)) || o.ip.ihl != 5 ||
	    o.ip.protocol != IPPROTO_UDP || o.udp.dest != bpf_htons(ENCAP_PORT) ||
	    bpf_skb_load_bytes(skb, inner, p, sizeof(p)) || p[0] != TEST_MAGIC)
		return TC_ACT_OK;
	__sync_fetch_and_add(&ingress_seen, 1);
	judge(skb, p[1], &outer_own, &outer_other, &outer_none, &outer_err);
	if (bpf_skb_adjust_room(skb, -(__s32)encap_len, BPF_ADJ_ROOM_MAC, 0)) {
		__sync_fetch_and_add(&pop_err, 1);
		return TC_ACT_SHOT;
	}
	judge(skb, p[1], &got_own, &got_other, &got_none, &get_err);
	return TC_ACT_OK;
}

/*
 * overlap_set: local_set, then the shortest push after the MAC header (in
 * steps of 4 bytes, each pulled again) whose bytes reach the field while
 * the head stays (a get says -ENOSPC); reads the field after pulling it.
 */
SEC("tc")
int overlap_set(struct __sk_buff *skb)
{
	const __u64 flags = BPF_F_ADJ_ROOM_FIXED_GSO | BPF_F_ADJ_ROOM_NO_CSUM_RESET;
	int verdict, err, n;
	long seq = set_test(skb, &verdict);
	__u64 v;

	if (seq < 0)
		return verdict;
	for (n = 4; n <= 600; n += 4) {
		if (bpf_skb_adjust_room(skb, n, BPF_ADJ_ROOM_MAC, flags))
			break;
		err = bpf_skb_pktmeta_get(skb, field_id, &v, sizeof(v));
		if (bpf_skb_adjust_room(skb, -n, BPF_ADJ_ROOM_MAC, flags))
			return TC_ACT_SHOT;
		if (err == -ENOSPC) {
			__sync_fetch_and_add(&reach_found, 1);
			reach_len = n;
			judge(skb, seq, &pushed_own, &pushed_other, &pushed_none, &pushed_err);
			return TC_ACT_OK;
		}
		if (err)
			break;
	}
	__sync_fetch_and_add(&push_err, 1);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
