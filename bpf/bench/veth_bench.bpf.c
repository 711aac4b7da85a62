// SPDX-License-Identifier: GPL-2.0
/*
 * Programs of part d of `make bench` (tests/bench/bench.sh): attached in
 * native mode to the receiving end of a veth pair that pktgen transmits on,
 * with pktmeta loaded with hooks=1 and then hooks=0. Both drop every packet
 * (the cheapest veth XDP path, so the one where the hook weighs most) and
 * count it, so that the bench can check that every packet pktgen sent went
 * through the program.
 *
 *   veth_drop     does not touch pktmeta: the cost of the veth hook alone
 *                 (it leaves the hints pending; nothing writes them)
 *   veth_pass     passes every packet up the stack, no pktmeta call: the
 *                 hooks' cost on a packet without fields, skb mark included
 *   veth_rx_hash  reads rx_hash through pktmeta: the first kfunc call of the
 *                 packet writes the pending hints into its area (hooks=1);
 *                 with hooks=0 the read finds the field unset (-ENOENT)
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "pktmeta.bpf.h"

#define ENOENT 2

__u64 packets;		/* out: packets seen */
__u64 hash_ok;		/* out: rx_hash read */
__u64 hash_unset;	/* out: rx_hash unset (-ENOENT) */
__u64 hash_err;		/* out: any other error */
__u32 hash_sum;		/* out: the hashes read, summed (keeps the load) */

SEC("xdp")
int veth_drop(struct xdp_md *ctx)
{
	packets++;
	return XDP_DROP;
}

SEC("xdp")
int veth_rx_hash(struct xdp_md *ctx)
{
	struct pktmeta_rx_hash h;
	int err;

	packets++;
	err = bpf_xdp_pktmeta_get(ctx, PKTMETA_HINT_RX_HASH, &h, sizeof(h));
	if (!err) {
		hash_ok++;
		hash_sum += h.hash;
	} else if (err == -ENOENT) {
		hash_unset++;
	} else {
		hash_err++;
	}
	return XDP_DROP;
}

/* Passes every packet up the stack without touching pktmeta: what the hooks
 * (veth's and the skb mark's at eth_type_trans) cost a packet that carries
 * no fields. */
SEC("xdp")
int veth_pass(struct xdp_md *ctx)
{
	packets++;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
