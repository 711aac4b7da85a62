// SPDX-License-Identifier: GPL-2.0
/*
 * Programs of part f of `make bench` (tests/bench/bench.sh): the cpumap path
 * of packets whose XDP program stored their RX hash as a pktmeta hint, with
 * pktmeta's skb_hints=1 (cpumap's skb gets the stored hash as skb->hash)
 * against skb_hints=0 (the stack computes a hash when something asks).
 *
 *   cpumap_store  native XDP on the receiving end of a veth pair that
 *                 pktgen transmits on (UDP to port 9, one flow per source
 *                 port): stores rx_hash = flow_hash(source port), type L4,
 *                 and redirects to CPU cpu_target through the cpumap
 *   tc_hash       TC ingress of the same device, where the cpumap's skbs
 *                 arrive: asks for the skb's hash as RPS, fq or a flow
 *                 table would (bpf_get_hash_recalc() is skb_get_hash(),
 *                 which dissects the packet when the skb has no hash yet),
 *                 counts whether it is the stored one, and drops the packet
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

#define BENCH_PORT 9

const volatile __u32 cpu_target;

__u64 stored, store_err;		/* out: XDP side */
__u64 seen, hash_stored, hash_other;	/* out: TC side */

struct {
	__uint(type, BPF_MAP_TYPE_CPUMAP);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct bpf_cpumap_val);
} cpus SEC(".maps");

/* The stored hash of a flow (never 0). */
static __always_inline __u32 flow_hash(__u16 sport)
{
	__u32 h = sport * 2654435761U;

	h ^= h >> 15;
	return h ? h : 1;
}

/* The UDP header of a bench packet between @data and @end, or NULL. */
static __always_inline struct udphdr *bench_udp(void *data, void *end)
{
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip + 1);

	if ((void *)(udp + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) ||
	    ip->ihl != 5 || ip->protocol != IPPROTO_UDP ||
	    udp->dest != bpf_htons(BENCH_PORT))
		return NULL;
	return udp;
}

SEC("xdp")
int cpumap_store(struct xdp_md *ctx)
{
	struct udphdr *udp = bench_udp((void *)(long)ctx->data,
				       (void *)(long)ctx->data_end);
	struct pktmeta_rx_hash h = { .type = PKTMETA_RSS_L3_IPV4 | PKTMETA_RSS_L4 |
					     PKTMETA_RSS_L4_UDP };

	if (!udp)
		return XDP_PASS;
	h.hash = flow_hash(bpf_ntohs(udp->source));
	if (bpf_xdp_pktmeta_set(ctx, PKTMETA_HINT_RX_HASH, &h, sizeof(h))) {
		store_err++;
		return XDP_DROP;
	}
	stored++;
	return bpf_redirect_map(&cpus, cpu_target, 0);
}

SEC("tc")
int tc_hash(struct __sk_buff *skb)
{
	struct udphdr *udp = bench_udp((void *)(long)skb->data,
				       (void *)(long)skb->data_end);
	__u32 hash;

	if (!udp)
		return TC_ACT_OK;
	hash = bpf_get_hash_recalc(skb);
	seen++;
	if (hash == flow_hash(bpf_ntohs(udp->source)))
		hash_stored++;
	else
		hash_other++;
	return TC_ACT_SHOT;
}

char LICENSE[] SEC("license") = "GPL";
