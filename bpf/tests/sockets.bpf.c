// SPDX-License-Identifier: GPL-2.0
/*
 * Fields for sockets (tests/guest/sockets.bats): xdp_fields sets field_a
 * and field_b on the test packets (UDP to port 47000, IPv4 or IPv6, payload
 * { magic, seq, ... }) as sockets.h says, so that a receiving socket that
 * asked for them can check each datagram's control message against its
 * own seq; and on TCP SYNs to port 47001, with the SYN's source port for
 * seq, so that an accepted socket can check its SYN's.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include "pktmeta.bpf.h"
#include "sockets.h"
#include "test_packet.h"

const volatile __u32 field_a = PKTMETA_ID_NONE;
const volatile __u32 field_b = PKTMETA_ID_NONE;

__u64 xdp_seen, xdp_set, xdp_set_err;

/* The @l4proto header after the IPv4 or IPv6 header at @l3, or NULL. */
static __always_inline void *l4(void *l3, void *end, __be16 proto, __u8 l4proto)
{
	if (proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = l3;

		if ((void *)(ip + 1) > end || ip->ihl != 5 ||
		    ip->protocol != l4proto)
			return NULL;
		return ip + 1;
	}
	if (proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = l3;

		if ((void *)(ip6 + 1) > end || ip6->nexthdr != l4proto)
			return NULL;
		return ip6 + 1;
	}
	return NULL;
}

/* Set the fields sockets.h gives packet @seq. */
static __always_inline void set_fields(struct xdp_md *ctx, __u32 seq)
{
	__u64 a;
	__u32 b;

	__sync_fetch_and_add(&xdp_seen, 1);
	if (sock_has_a(seq)) {
		a = sock_a(seq);
		if (bpf_xdp_pktmeta_set(ctx, field_a, &a, sizeof(a)))
			__sync_fetch_and_add(&xdp_set_err, 1);
		else
			__sync_fetch_and_add(&xdp_set, 1);
	}
	if (sock_has_b(seq)) {
		b = sock_b(seq);
		if (bpf_xdp_pktmeta_set(ctx, field_b, &b, sizeof(b)))
			__sync_fetch_and_add(&xdp_set_err, 1);
		else
			__sync_fetch_and_add(&xdp_set, 1);
	}
}

SEC("xdp")
int xdp_fields(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct udphdr *udp;
	struct tcphdr *tcp;
	__u32 *payload;

	if ((void *)(eth + 1) > end)
		return XDP_PASS;
	tcp = l4(eth + 1, end, eth->h_proto, IPPROTO_TCP);
	if (tcp && (void *)(tcp + 1) <= end && tcp->dest == bpf_htons(47001) &&
	    tcp->syn && !tcp->ack) {
		set_fields(ctx, bpf_ntohs(tcp->source));
		return XDP_PASS;
	}
	udp = l4(eth + 1, end, eth->h_proto, IPPROTO_UDP);
	if (!udp || (void *)(udp + 1) > end || udp->dest != bpf_htons(47000))
		return XDP_PASS;
	payload = (void *)(udp + 1);
	if ((void *)(payload + 2) > end || payload[0] != TEST_MAGIC)
		return XDP_PASS;
	set_fields(ctx, payload[1]);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
