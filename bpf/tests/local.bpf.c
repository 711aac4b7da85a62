// SPDX-License-Identifier: GPL-2.0
/*
 * Locally generated skbs (tests/guest/local.bats): local_set runs at TC
 * egress of the device a UDP socket sends through and sets field_id to
 * expected(seq) of each test packet with pktmeta_skb_set_room(), which
 * makes room in the skb's small headroom when the plain set says -ENOSPC;
 * local_check runs at TC ingress where the packet arrives (the veth's peer
 * in another namespace, or lo) and compares the field with the packet's
 * own seq. tunnel_check does the same for the outer skb of a VXLAN tunnel
 * (UDP 4789), whose inner packet is the test packet (tests/guest/paths.bats).
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include "pktmeta.bpf.h"
#include "test_packet.h"

#define ENOENT 2
#define ENOSPC 28

const volatile __u32 field_id = PKTMETA_ID_NONE;

__u64 egress_seen, set_ok, set_needed_room, set_err;		/* local_set */
__u64 ingress_seen, got_own, got_other, got_none, get_err;	/* local_check */

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

SEC("tc")
int local_set(struct __sk_buff *skb)
{
	long seq = test_seq(skb);
	__u64 v;
	int err;

	if (seq < 0)
		return TC_ACT_OK;
	__sync_fetch_and_add(&egress_seen, 1);
	v = expected(seq);
	/* What a plain set says first: counted, then done with room. */
	if (bpf_skb_pktmeta_set(skb, field_id, &v, sizeof(v)) == -ENOSPC)
		__sync_fetch_and_add(&set_needed_room, 1);
	err = pktmeta_skb_set_room(skb, field_id, &v, sizeof(v));
	if (err) {
		__sync_fetch_and_add(&set_err, 1);
		return err == -12 ? TC_ACT_SHOT : TC_ACT_OK;
	}
	__sync_fetch_and_add(&set_ok, 1);
	return TC_ACT_OK;
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

/* Count what the skb of test packet SEQ carries. */
static __always_inline int check(struct __sk_buff *skb, long seq)
{
	__u64 v;
	int err;

	if (seq < 0)
		return TC_ACT_OK;
	__sync_fetch_and_add(&ingress_seen, 1);
	err = bpf_skb_pktmeta_get(skb, field_id, &v, sizeof(v));
	if (!err && v == expected(seq))
		__sync_fetch_and_add(&got_own, 1);
	else if (!err)
		__sync_fetch_and_add(&got_other, 1);
	else if (err == -ENOENT)
		__sync_fetch_and_add(&got_none, 1);
	else
		__sync_fetch_and_add(&get_err, 1);
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

char LICENSE[] SEC("license") = "GPL";
