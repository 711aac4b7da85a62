/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parts i and j of `make bench` (tests/bench/bench.sh): the datagrams of
 * tests/bench/pmudp.c, as TC programs at the egress of the sending veth and
 * the ingress of its peer (part i) or an XDP program on that peer (part j)
 * see them. path_bench.bpf.c and recv_bench.bpf.c carry fields on them
 * with pktmeta, plain_bench.bpf.c has programs of the same shape that do
 * not call pktmeta.
 */
#ifndef PKTMETA_PATH_BENCH_H
#define PKTMETA_PATH_BENCH_H

#include <linux/pkt_cls.h>
#include "../tests/test_packet.h"

#define PATH_PORT 47000

/*
 * The seq of a pmudp datagram at @data (Ethernet header) before @end, which
 * counts in *@seen; -1 for any other packet.
 */
static __always_inline long path_seq_at(void *data, void *end, __u64 *seen)
{
	struct udphdr *udp = test_udp(data, end, PATH_PORT);

	if (!udp)
		return -1;
	(*seen)++;
	return test_payload_of(udp)[1];
}

/* path_seq_at() on a TC program's skb. */
static __always_inline long path_seq(struct __sk_buff *skb, __u64 *seen)
{
	return path_seq_at((void *)(long)skb->data, (void *)(long)skb->data_end, seen);
}

/* path_seq_at() on an XDP program's packet. */
static __always_inline long path_seq_xdp(struct xdp_md *ctx, __u64 *seen)
{
	return path_seq_at((void *)(long)ctx->data, (void *)(long)ctx->data_end, seen);
}

#endif
