/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test packets of send_udp and send_udp_flows (tests/guest/helpers.bash):
 * Ethernet, IPv4 without options, UDP, payload { magic, seq, flags, tag }
 * as little-endian u32.
 */
#ifndef PKTMETA_TEST_PACKET_H
#define PKTMETA_TEST_PACKET_H

#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>

#define TEST_MAGIC 0x706d7631

/*
 * The UDP header of a test packet to @port between @data and @end, with at
 * least magic and seq after it, or NULL.
 */
static __always_inline struct udphdr *test_udp(void *data, void *end, __u16 port)
{
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip + 1);
	__u32 *payload = (void *)(udp + 1);

	if ((void *)(payload + 2) > end || eth->h_proto != bpf_htons(ETH_P_IP) ||
	    ip->ihl != 5 || ip->protocol != IPPROTO_UDP ||
	    udp->dest != bpf_htons(port) || payload[0] != TEST_MAGIC)
		return NULL;
	return udp;
}

/* The payload after @udp, a header test_udp() returned. */
static __always_inline __u32 *test_payload_of(struct udphdr *udp)
{
	return (__u32 *)(udp + 1);
}

#endif
