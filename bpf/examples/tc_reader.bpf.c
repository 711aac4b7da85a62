// SPDX-License-Identifier: GPL-2.0
/*
 * A TC reader: at TC ingress, read the fields XDP set on the packet and the
 * driver's rx_hash hint, on the skb the stack built from the packet's
 * buffer. An skb that carries no fields (locally sent, or no XDP program
 * set any) gets -ENOENT, never another packet's values.
 *
 * The same class_id/trace_id as redirect_chain.bpf.c. The first few packets
 * are printed to the trace buffer:
 *   cat /sys/kernel/tracing/trace_pipe
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include "pktmeta.bpf.h"

#define ENOENT 2

const volatile __u32 class_id = PKTMETA_ID_NONE;
const volatile __u32 trace_id = PKTMETA_ID_NONE;
const volatile __u32 print_first = 5;

__u64 with_fields, without_fields, with_rx_hash;

SEC("tc")
int tc_read(struct __sk_buff *skb)
{
	struct pktmeta_rx_hash h = {};
	__u32 class;
	__u64 trace, n;
	int hash_ret;

	/* The proposal's generic names work here too; for TC they pick
	 * bpf_skb_pktmeta_get. */
	if (bpf_get_packet_metadata_field(skb, class_id, &class, sizeof(class)) ||
	    bpf_get_packet_metadata_field(skb, trace_id, &trace, sizeof(trace))) {
		__sync_fetch_and_add(&without_fields, 1);
		return TC_ACT_OK;
	}
	n = __sync_fetch_and_add(&with_fields, 1);
	hash_ret = bpf_skb_pktmeta_get(skb, PKTMETA_HINT_RX_HASH, &h, sizeof(h));
	if (!hash_ret)
		__sync_fetch_and_add(&with_rx_hash, 1);
	if (n < print_first)
		bpf_printk("pktmeta tc_reader: flow.class=%u trace.id=%llx rx_hash=%x",
			   class, trace, h.hash);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
