// SPDX-License-Identifier: GPL-2.0
/*
 * Programs that do not call pktmeta, in an object of its own: the kernel
 * verifies every program of an object that is loaded, and a single pktmeta
 * kfunc call among them would put pktmeta's hooks in use
 * (module/demand.c), or fail to load without the module. `make bench`
 * (tests/bench/bench.sh) runs them with pktmeta not loaded, and part h also
 * with pktmeta loaded but unused; tests/guest/hooks.bats checks that
 * plain_pass leaves the hooks idle.
 *
 *   plain_pass      part h: XDP, passes every packet up the stack
 *   plain_path_tx   part i: TC egress, path_set of path_bench.bpf.c
 *   plain_path_rx   part i: TC ingress, path_get of path_bench.bpf.c
 *                   (both count pmudp's datagrams and nothing else)
 *   plain_recv      part j: XDP, recv_set of recv_bench.bpf.c (counts)
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "path_bench.h"

__u64 packets;		/* out: packets seen */
__u64 egress_seen, ingress_seen;	/* out: part i */
__u64 recv_seen;			/* out: part j */

/* Passes every packet up the stack. */
SEC("xdp")
int plain_pass(struct xdp_md *ctx)
{
	packets++;
	return XDP_PASS;
}

SEC("tc")
int plain_path_tx(struct __sk_buff *skb)
{
	path_seq(skb, &egress_seen);
	return TC_ACT_OK;
}

SEC("tc")
int plain_path_rx(struct __sk_buff *skb)
{
	path_seq(skb, &ingress_seen);
	return TC_ACT_OK;
}

SEC("xdp")
int plain_recv(struct xdp_md *ctx)
{
	path_seq_xdp(ctx, &recv_seen);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
