// SPDX-License-Identifier: GPL-2.0
/*
 * A redirect chain: fields set at the first XDP hop are there at the next.
 *
 * chain_classify runs at XDP on the ingress device. Two applications own a
 * field each: a flow classifier ("flow.class", u32: here the UDP
 * destination port's low bits) and a tracer ("trace.id", u64: a number per
 * packet). It sets both and redirects the packet into another device
 * (out_ifindex, e.g. a veth whose peer is in another namespace).
 * chain_receive runs at XDP on that veth's peer: it reads both fields and
 * passes the packet up, where TC (tc_reader.bpf.c) still sees them.
 *
 * Both hops use the pointer kfuncs: one call per field gives its bytes in
 * the packet's area, written and read with plain stores and loads (the
 * verifier allows exactly the field's size). NULL is where
 * bpf_xdp_pktmeta_set()/_get() would have failed; the pointer is good until
 * the program returns (or moves data with bpf_xdp_adjust_head/_meta).
 *
 *   id_class=$(pktmetactl -j register flow.class 4 | jq .id)
 *   id_trace=$(pktmetactl -j register trace.id 8 | jq .id)
 *   # load with class_id, trace_id (and out_ifindex) in .rodata
 *
 * scripts/demo.sh runs exactly this; tests/guest/examples.bats checks it.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include "pktmeta.bpf.h"

const volatile __u32 class_id = PKTMETA_ID_NONE;
const volatile __u32 trace_id = PKTMETA_ID_NONE;
const volatile __u32 out_ifindex;

__u64 next_trace = 0x7ace0000;	/* the tracer's numbering */
__u64 classified, received, received_with_both;

/* The UDP header of an IPv4 packet, or NULL. */
static __always_inline struct udphdr *udp_of(void *data, void *end)
{
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip + 1);

	if ((void *)(udp + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) ||
	    ip->ihl != 5 || ip->protocol != IPPROTO_UDP)
		return NULL;
	return udp;
}

SEC("xdp")
int chain_classify(struct xdp_md *ctx)
{
	struct udphdr *udp = udp_of((void *)(long)ctx->data, (void *)(long)ctx->data_end);
	__u32 *class;
	__u64 *trace;

	if (!udp)
		return XDP_PASS;
	class = (__u32 *)bpf_xdp_pktmeta_ptr(ctx, class_id, sizeof(*class));
	trace = (__u64 *)bpf_xdp_pktmeta_ptr(ctx, trace_id, sizeof(*trace));
	if (class && trace) {
		*class = bpf_ntohs(udp->dest) & 7;
		*trace = __sync_fetch_and_add(&next_trace, 1);
		__sync_fetch_and_add(&classified, 1);
	}
	return bpf_redirect(out_ifindex, 0);
}

SEC("xdp")
int chain_receive(struct xdp_md *ctx)
{
	struct udphdr *udp = udp_of((void *)(long)ctx->data, (void *)(long)ctx->data_end);
	const __u32 *class;
	const __u64 *trace;

	if (!udp)
		return XDP_PASS;
	__sync_fetch_and_add(&received, 1);
	class = (const __u32 *)bpf_xdp_pktmeta_ptr_ro(ctx, class_id, sizeof(*class));
	trace = (const __u64 *)bpf_xdp_pktmeta_ptr_ro(ctx, trace_id, sizeof(*trace));
	if (class && trace && *trace >= 0x7ace0000 &&
	    *class == (bpf_ntohs(udp->dest) & 7))
		__sync_fetch_and_add(&received_with_both, 1);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
