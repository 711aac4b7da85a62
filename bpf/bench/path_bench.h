/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Part i of `make bench` (tests/bench/bench.sh): the datagrams of
 * tests/bench/pmudp.c, as TC programs at the egress of the sending veth and
 * the ingress of its peer see them. path_bench.bpf.c carries a field on
 * them with pktmeta, plain_bench.bpf.c has programs of the same shape that
 * do not call pktmeta.
 */
#ifndef PKTMETA_PATH_BENCH_H
#define PKTMETA_PATH_BENCH_H

#include <linux/pkt_cls.h>
#include "../tests/test_packet.h"

#define PATH_PORT 47000

/* The seq of a pmudp datagram, which counts in *@seen; -1 for any other packet. */
static __always_inline long path_seq(struct __sk_buff *skb, __u64 *seen)
{
	struct udphdr *udp = test_udp((void *)(long)skb->data,
				      (void *)(long)skb->data_end, PATH_PORT);

	if (!udp)
		return -1;
	(*seen)++;
	return test_payload_of(udp)[1];
}

#endif
