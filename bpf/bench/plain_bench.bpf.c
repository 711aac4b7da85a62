// SPDX-License-Identifier: GPL-2.0
/*
 * An XDP program that does not call pktmeta, in an object of its own: the
 * kernel verifies every program of an object that is loaded, and a single
 * pktmeta kfunc call among them would put pktmeta's hooks in use
 * (module/demand.c). Part h of `make bench` (tests/bench/bench.sh) runs it
 * with pktmeta not loaded and loaded but unused; tests/guest/hooks.bats
 * checks that it leaves the hooks idle.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u64 packets;		/* out: packets seen */

/* Passes every packet up the stack. */
SEC("xdp")
int plain_pass(struct xdp_md *ctx)
{
	packets++;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
