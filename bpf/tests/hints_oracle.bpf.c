// SPDX-License-Identifier: GPL-2.0
/*
 * The oracle no one here wrote (6.3+): a device-bound XDP program reads
 * each packet's hints through the kernel's own bpf_xdp_metadata_rx_hash,
 * _rx_vlan_tag and _rx_timestamp and through pktmeta, and counts the
 * packets on which they agree. A kernel error (-ENODATA, -EOPNOTSUPP) must
 * match a pktmeta -ENOENT; a zero timestamp means none was recorded.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "pktmeta.bpf.h"

#define ENOENT 2

/* The kernel's enum (6.3+), here only for the kfunc's prototype. */
enum xdp_rss_hash_type {
	XDP_RSS_TYPE_NONE = 0,
};

extern int bpf_xdp_metadata_rx_hash(const struct xdp_md *ctx, __u32 *hash,
				    enum xdp_rss_hash_type *rss_type) __ksym;
extern int bpf_xdp_metadata_rx_vlan_tag(const struct xdp_md *ctx, __be16 *vlan_proto,
					__u16 *vlan_tci) __ksym;
extern int bpf_xdp_metadata_rx_timestamp(const struct xdp_md *ctx, __u64 *timestamp) __ksym;

__u64 pkts, agree, hash_bad, vlan_bad, ts_bad;	/* out */
__u64 with_hash, with_vlan, with_ts;		/* out: what the kernel had */
__u64 with_l4;		/* out: kernel hashes of an L4 type (hash reports seen) */

SEC("xdp")
int oracle(struct xdp_md *ctx)
{
	struct pktmeta_rx_hash h = {}, kh = {};
	struct pktmeta_rx_vlan v = {}, kv = {};
	__u64 ts = 0, kts = 0;
	int hr, khr, vr, kvr, tr, ktr, bad = 0;

	__sync_fetch_and_add(&pkts, 1);
	khr = bpf_xdp_metadata_rx_hash(ctx, &kh.hash, (enum xdp_rss_hash_type *)&kh.type);
	hr = bpf_xdp_pktmeta_get(ctx, PKTMETA_HINT_RX_HASH, &h, sizeof(h));
	if (!khr)
		__sync_fetch_and_add(&with_hash, 1);
	if (!khr && (kh.type & PKTMETA_RSS_L4))
		__sync_fetch_and_add(&with_l4, 1);
	if (khr ? hr != -ENOENT : (hr || h.hash != kh.hash || h.type != kh.type)) {
		__sync_fetch_and_add(&hash_bad, 1);
		bad = 1;
	}
	kvr = bpf_xdp_metadata_rx_vlan_tag(ctx, &kv.proto, &kv.tci);
	vr = bpf_xdp_pktmeta_get(ctx, PKTMETA_HINT_RX_VLAN, &v, sizeof(v));
	if (!kvr)
		__sync_fetch_and_add(&with_vlan, 1);
	if (kvr ? vr != -ENOENT : (vr || v.proto != kv.proto || v.tci != kv.tci)) {
		__sync_fetch_and_add(&vlan_bad, 1);
		bad = 1;
	}
	ktr = bpf_xdp_metadata_rx_timestamp(ctx, &kts);
	tr = bpf_xdp_pktmeta_get(ctx, PKTMETA_HINT_RX_TIMESTAMP, &ts, sizeof(ts));
	if (!ktr && kts)
		__sync_fetch_and_add(&with_ts, 1);
	if ((ktr || !kts) ? tr != -ENOENT : (tr || ts != kts)) {
		__sync_fetch_and_add(&ts_bad, 1);
		bad = 1;
	}
	if (!bad)
		__sync_fetch_and_add(&agree, 1);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
