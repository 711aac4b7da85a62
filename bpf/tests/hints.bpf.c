// SPDX-License-Identifier: GPL-2.0
/*
 * Driver hints as pktmeta fields, for tests/guest/hooks.bats.
 *
 * hints_read (XDP on the receiving device) reads rx_hash, rx_vlan and
 * rx_timestamp of every test packet (UDP to port 47000, payload { magic,
 * seq, ... }) through pktmeta, counts what it got and records the values by
 * sequence number; tc_compare (TC ingress on the same device, after
 * XDP_PASS) compares them with what the skb itself says: the oracle on
 * kernels without the XDP metadata kfuncs.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include "pktmeta.bpf.h"

#define ENOENT 2
#define MAGIC 0x706d7631
#define SLOTS 8192

struct seen {
	__u32 seq;
	int hash_ret, vlan_ret, ts_ret;
	struct pktmeta_rx_hash hash;
	struct pktmeta_rx_vlan vlan;
	__u64 ts;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SLOTS);
	__type(key, __u32);
	__type(value, struct seen);
} seen SEC(".maps");

__u64 pkts, hash_ok, vlan_ok, ts_ok, unset_other;	/* XDP side */
__u64 compared, agree, disagree, missing;		/* TC side */

/* The sequence number of a test packet starting at @data, or -1. */
static __always_inline long test_seq(void *data, void *end)
{
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip + 1);
	__u32 *payload = (void *)(udp + 1);

	if ((void *)(payload + 2) > end || eth->h_proto != bpf_htons(ETH_P_IP) ||
	    ip->ihl != 5 || ip->protocol != IPPROTO_UDP || udp->dest != bpf_htons(47000) ||
	    payload[0] != MAGIC)
		return -1;
	return payload[1];
}

SEC("xdp")
int hints_read(struct xdp_md *ctx)
{
	long seq = test_seq((void *)(long)ctx->data, (void *)(long)ctx->data_end);
	struct seen s = {};
	__u32 key;

	if (seq < 0)
		return XDP_PASS;
	__sync_fetch_and_add(&pkts, 1);
	s.seq = seq;
	s.hash_ret = bpf_xdp_pktmeta_get(ctx, PKTMETA_HINT_RX_HASH, &s.hash, sizeof(s.hash));
	s.vlan_ret = bpf_xdp_pktmeta_get(ctx, PKTMETA_HINT_RX_VLAN, &s.vlan, sizeof(s.vlan));
	s.ts_ret = bpf_xdp_pktmeta_get(ctx, PKTMETA_HINT_RX_TIMESTAMP, &s.ts, sizeof(s.ts));
	if (!s.hash_ret)
		__sync_fetch_and_add(&hash_ok, 1);
	if (!s.vlan_ret)
		__sync_fetch_and_add(&vlan_ok, 1);
	if (!s.ts_ret)
		__sync_fetch_and_add(&ts_ok, 1);
	if ((s.hash_ret && s.hash_ret != -ENOENT) || (s.vlan_ret && s.vlan_ret != -ENOENT) ||
	    (s.ts_ret && s.ts_ret != -ENOENT))
		__sync_fetch_and_add(&unset_other, 1);
	key = seq % SLOTS;
	bpf_map_update_elem(&seen, &key, &s, BPF_ANY);
	return XDP_PASS;
}

/* The skb's own view: hash (and l4), VLAN tag, hardware timestamp (none). */
SEC("tc")
int tc_compare(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	long seq = test_seq(data, end);
	struct seen *s;
	__u32 key;
	int ok;

	if (seq < 0)
		return TC_ACT_OK;
	key = seq % SLOTS;
	s = bpf_map_lookup_elem(&seen, &key);
	if (!s || s->seq != seq) {
		__sync_fetch_and_add(&missing, 1);
		return TC_ACT_OK;
	}
	__sync_fetch_and_add(&compared, 1);
	ok = !s->hash_ret && s->hash.hash == skb->hash;
	if (skb->vlan_present)
		ok = ok && !s->vlan_ret && s->vlan.tci == skb->vlan_tci &&
		     s->vlan.proto == skb->vlan_proto;
	else
		ok = ok && s->vlan_ret == -ENOENT;
	ok = ok && s->ts_ret == -ENOENT;
	if (ok)
		__sync_fetch_and_add(&agree, 1);
	else
		__sync_fetch_and_add(&disagree, 1);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
