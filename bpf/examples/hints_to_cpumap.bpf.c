// SPDX-License-Identifier: GPL-2.0
/*
 * A NIC's hints survive a cpumap: the skb built on the other CPU has the
 * device's RX hash, VLAN tag and timestamp as its own.
 *
 * hints_to_cpumap runs bound to its device (BPF_F_XDP_DEV_BOUND_ONLY, as
 * the kernel's XDP RX metadata kfuncs require; 6.3 and later, the VLAN one
 * 6.8): it reads the device's hints with those kfuncs, stores the ones the
 * device has as pktmeta's hint fields, and redirects the packet to CPU
 * `cpu` through the cpumap `cpus`. There pktmeta gives the stored hints to
 * the skb the cpumap builds (module parameter skb_hints, default on): RPS,
 * GRO and fq see the device's hash instead of a software one, the VLAN tag
 * is not parsed again, and SO_TIMESTAMPING reports the device's timestamp.
 * Without pktmeta that skb would have none of them.
 *
 * tc_check, at TC ingress of the same device, counts the skbs whose hash is
 * the stored rx_hash (hash_kept) and those where it is not (hash_lost).
 *
 *	pmrun -b -a eth0 -t tc_check -m cpus:1:256 -p stored -p hash_kept \
 *		hints_to_cpumap.bpf.o hints_to_cpumap
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include "pktmeta.bpf.h"

/* The kernel's enum (6.3+), here only for the kfunc's prototype. */
enum xdp_rss_hash_type {
	XDP_RSS_TYPE_NONE = 0,
};

extern int bpf_xdp_metadata_rx_hash(const struct xdp_md *ctx, __u32 *hash,
				    enum xdp_rss_hash_type *rss_type) __ksym __weak;
extern int bpf_xdp_metadata_rx_vlan_tag(const struct xdp_md *ctx, __be16 *vlan_proto,
					__u16 *vlan_tci) __ksym __weak;
extern int bpf_xdp_metadata_rx_timestamp(const struct xdp_md *ctx,
					 __u64 *timestamp) __ksym __weak;

const volatile __u32 cpu = 1;

__u64 stored, hash_kept, hash_lost;

struct {
	__uint(type, BPF_MAP_TYPE_CPUMAP);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct bpf_cpumap_val);
} cpus SEC(".maps");

/*
 * Store the device's hints (a kfunc this kernel lacks is a NULL weak symbol
 * and skipped) for this packet as pktmeta's hint fields.
 * Return: how many the device had (and were stored).
 */
static __always_inline int store_device_hints(struct xdp_md *ctx)
{
	struct pktmeta_rx_hash hash;
	struct pktmeta_rx_vlan vlan;
	__u64 ts;
	int n = 0;

	if (bpf_xdp_metadata_rx_hash &&
	    !bpf_xdp_metadata_rx_hash(ctx, &hash.hash, (enum xdp_rss_hash_type *)&hash.type))
		n += !bpf_xdp_pktmeta_set(ctx, PKTMETA_HINT_RX_HASH, &hash, sizeof(hash));
	if (bpf_xdp_metadata_rx_vlan_tag &&
	    !bpf_xdp_metadata_rx_vlan_tag(ctx, &vlan.proto, &vlan.tci))
		n += !bpf_xdp_pktmeta_set(ctx, PKTMETA_HINT_RX_VLAN, &vlan, sizeof(vlan));
	if (bpf_xdp_metadata_rx_timestamp &&
	    !bpf_xdp_metadata_rx_timestamp(ctx, &ts))
		n += !bpf_xdp_pktmeta_set(ctx, PKTMETA_HINT_RX_TIMESTAMP, &ts, sizeof(ts));
	return n;
}

SEC("xdp")
int hints_to_cpumap(struct xdp_md *ctx)
{
	if (store_device_hints(ctx))
		__sync_fetch_and_add(&stored, 1);
	return bpf_redirect_map(&cpus, cpu, XDP_PASS);
}

SEC("tc")
int tc_check(struct __sk_buff *skb)
{
	struct pktmeta_rx_hash h;

	if (bpf_skb_pktmeta_get(skb, PKTMETA_HINT_RX_HASH, &h, sizeof(h)))
		return TC_ACT_OK;
	if (skb->hash == h.hash)
		__sync_fetch_and_add(&hash_kept, 1);
	else
		__sync_fetch_and_add(&hash_lost, 1);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
