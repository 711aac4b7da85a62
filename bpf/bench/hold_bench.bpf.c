// SPDX-License-Identifier: GPL-2.0
/*
 * A program that uses pktmeta, pinned by `make bench` (tests/bench/bench.sh)
 * while it measures parts a to d and g: its kfunc call keeps pktmeta's
 * hooks in use (module/demand.c) whatever the measured program calls, as
 * on a host where some program uses pktmeta. Never attached, never run.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "pktmeta.bpf.h"

SEC("xdp")
int hold(struct xdp_md *ctx)
{
	__u64 v;

	return bpf_xdp_pktmeta_get(ctx, PKTMETA_HINT_RX_HASH, &v, sizeof(v)) ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
