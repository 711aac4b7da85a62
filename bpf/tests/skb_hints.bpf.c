// SPDX-License-Identifier: GPL-2.0
/*
 * A packet's hints become its skb's own, for tests/guest/skb_hints.bats.
 *
 * Test packets are UDP to port 47000 with payload { magic, seq, ... }
 * (send_udp_flows in helpers.bash: several source ports, one flow each).
 * xdp_store sets the three hint fields of each one from its flow and seq:
 * rx_hash = flow_hash(source port) of type L4, rx_vlan = vlan_of(seq)
 * (none with no_vlan), rx_timestamp = ts_of(seq); then sends it to CPU
 * cpu_target through the cpumap, to redirect_ifindex, or through entry 0
 * of the devmap.
 * tc_hints, at TC ingress where the skbs arrive, checks that skb->hash and
 * the accelerated VLAN tag are the stored ones (hint_ok, else hint_bad with
 * the first bad packet's values); with want_off, that the skb has neither
 * (off_ok, off_bad); with rps_check, that it runs on the CPU RPS over CPUs
 * 0 and 1 picks for the stored hash (rps_ok, rps_bad, rps_cpus: a bit per
 * CPU seen).
 * xdp_redirect_only redirects without calling pktmeta; tc_hash_recalc at
 * the far end compares the rx_hash hint veth's hook gave the packet with
 * the hash the stack computes for the skb (rhash_ok, rhash_missing,
 * rhash_bad).
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
#include "test_maps.h"
#include "test_packet.h"

const volatile __u32 cpu_target = 1;
const volatile __u32 use_cpumap;
const volatile __u32 use_devmap;
const volatile __u32 redirect_ifindex;
const volatile __u32 no_vlan;
const volatile __u32 want_off;
const volatile __u32 rps_check;

__u64 xdp_seen, xdp_set_err;
__u64 tc_seen, hint_ok, hint_bad, off_ok, off_bad, rps_ok, rps_bad, rps_cpus;
__u64 bad_seq, bad_hash, bad_want_hash, bad_vlan_present, bad_vlan_tci;
__u64 rhash_ok, rhash_missing, rhash_bad;

TEST_CPUMAP(cpus, 4);
TEST_DEVMAP(devs, 4);

/* The stored hash of a flow: never 0, both halves of the range used. */
static __always_inline __u32 flow_hash(__u16 sport)
{
	__u32 h = sport * 2654435761U;

	h ^= h >> 15;
	return h ? h : 1;
}

static __always_inline __u16 vlan_tci_of(__u32 seq)
{
	return (seq % 7) << 13 | (seq % 4094 + 1);
}

static __always_inline __u16 vlan_proto_of(__u32 seq)
{
	return seq & 1 ? ETH_P_8021AD : ETH_P_8021Q;
}

/* Keep in step with the receiver in skb_hints.bats. */
static __always_inline __u64 ts_of(__u32 seq)
{
	return 1700000000000000000ULL + (__u64)seq * 1000 + 7;
}

SEC("xdp")
int xdp_store(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct pktmeta_rx_hash hash;
	struct pktmeta_rx_vlan vlan;
	struct udphdr *udp = test_udp(data, end, 47000);
	__u32 *p;
	__u64 ts;
	int err;

	if (!udp)
		return XDP_PASS;
	p = test_payload_of(udp);
	__sync_fetch_and_add(&xdp_seen, 1);
	hash.hash = flow_hash(bpf_ntohs(udp->source));
	hash.type = PKTMETA_RSS_L3_IPV4 | PKTMETA_RSS_L4 | PKTMETA_RSS_L4_UDP;
	vlan.proto = bpf_htons(vlan_proto_of(p[1]));
	vlan.tci = vlan_tci_of(p[1]);
	ts = ts_of(p[1]);
	err = bpf_xdp_pktmeta_set(ctx, PKTMETA_HINT_RX_HASH, &hash, sizeof(hash));
	if (!no_vlan)
		err |= bpf_xdp_pktmeta_set(ctx, PKTMETA_HINT_RX_VLAN, &vlan, sizeof(vlan));
	err |= bpf_xdp_pktmeta_set(ctx, PKTMETA_HINT_RX_TIMESTAMP, &ts, sizeof(ts));
	if (err)
		__sync_fetch_and_add(&xdp_set_err, 1);
	if (use_cpumap)
		return bpf_redirect_map(&cpus, cpu_target, 0);
	if (use_devmap)
		return bpf_redirect_map(&devs, 0, 0);
	if (redirect_ifindex)
		return bpf_redirect(redirect_ifindex, 0);
	return XDP_PASS;
}

/* Redirects every packet to redirect_ifindex without calling pktmeta. */
SEC("xdp")
int xdp_redirect_only(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;

	if (test_udp(data, end, 47000))
		__sync_fetch_and_add(&xdp_seen, 1);
	return bpf_redirect(redirect_ifindex, 0);
}

/*
 * At the far end of xdp_redirect_only, with skb_hints=0: the rx_hash hint
 * against the hash the stack computes for the skb (skb_get_hash()).
 */
SEC("tc")
int tc_hash_recalc(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	struct pktmeta_rx_hash h;
	__u32 stack_hash;

	if (!test_udp(data, end, 47000))
		return TC_ACT_OK;
	__sync_fetch_and_add(&tc_seen, 1);
	if (bpf_skb_pktmeta_get(skb, PKTMETA_HINT_RX_HASH, &h, sizeof(h))) {
		__sync_fetch_and_add(&rhash_missing, 1);
		return TC_ACT_OK;
	}
	stack_hash = bpf_get_hash_recalc(skb);
	if (h.hash == stack_hash && (h.type & PKTMETA_RSS_L4)) {
		__sync_fetch_and_add(&rhash_ok, 1);
	} else {
		if (!rhash_bad) {
			bad_hash = stack_hash;
			bad_want_hash = h.hash;
		}
		__sync_fetch_and_add(&rhash_bad, 1);
	}
	return TC_ACT_OK;
}

/* The programs at the far end of a redirect: pass everything on. */
SEC("xdp")
int xdp_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("xdp/cpumap")
int cpumap_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("xdp/devmap")
int devmap_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("tc")
int tc_hints(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	struct udphdr *udp = test_udp(data, end, 47000);
	__u32 want_hash, seq, cpu;
	int ok;

	if (!udp)
		return TC_ACT_OK;
	__sync_fetch_and_add(&tc_seen, 1);
	seq = test_payload_of(udp)[1];
	want_hash = flow_hash(bpf_ntohs(udp->source));
	if (want_off) {
		if (skb->hash != want_hash && !skb->vlan_present)
			__sync_fetch_and_add(&off_ok, 1);
		else
			__sync_fetch_and_add(&off_bad, 1);
		return TC_ACT_OK;
	}
	ok = skb->hash == want_hash;
	if (no_vlan)
		ok = ok && !skb->vlan_present;
	else
		ok = ok && skb->vlan_present &&
		     skb->vlan_proto == bpf_htons(vlan_proto_of(seq)) &&
		     skb->vlan_tci == vlan_tci_of(seq);
	if (ok) {
		__sync_fetch_and_add(&hint_ok, 1);
	} else {
		if (!hint_bad) {
			bad_seq = seq;
			bad_hash = skb->hash;
			bad_want_hash = want_hash;
			bad_vlan_present = skb->vlan_present;
			bad_vlan_tci = skb->vlan_tci;
		}
		__sync_fetch_and_add(&hint_bad, 1);
	}
	if (rps_check) {
		/* net/core/dev.c get_rps_cpu(): map->cpus[reciprocal_scale(hash, 2)] */
		cpu = bpf_get_smp_processor_id();
		if (cpu == want_hash >> 31)
			__sync_fetch_and_add(&rps_ok, 1);
		else
			__sync_fetch_and_add(&rps_bad, 1);
		__sync_fetch_and_or(&rps_cpus, 1ULL << (cpu & 63));
	}
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
