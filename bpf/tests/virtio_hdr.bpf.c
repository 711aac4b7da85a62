// SPDX-License-Identifier: GPL-2.0
/*
 * The virtio-net header as the oracle of virtio-net's rx_hash hint, for
 * tests/guest/virtio_net.bats, on every kernel (6.1 has no
 * bpf_xdp_metadata_rx_hash to compare with).
 *
 * virtio-net runs the XDP program with the packet's virtio-net header
 * (struct virtio_net_hdr_v1_hash when the device reports hashes) right
 * before xdp->data, in the headroom (receive_small() and
 * receive_mergeable() in drivers/net/virtio_net.c, 6.1 and 6.12). hdr_oracle
 * moves data back over it with bpf_xdp_adjust_head(), reads the hash
 * report, moves data forward again and only then asks pktmeta for rx_hash
 * (the first pktmeta call writes the hints into the headroom). Counted for
 * every test packet (UDP to port 47000):
 *   agree     rx_hash is the header's hash, with the L4 bit exactly when
 *             the report is an L4 one (what virtio_skb_set_hash() and
 *             virtnet_xdp_rx_hash() make of it)
 *   disagree  rx_hash set but not that
 *   unset     rx_hash -ENOENT
 *   failed    any other error, or the header could not be read
 *   reported  packets whose header has a hash report (not NONE)
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "pktmeta.bpf.h"
#include "test_packet.h"

#define ENOENT 2

/* include/uapi/linux/virtio_net.h: VIRTIO_NET_HASH_REPORT_* */
#define REPORT_NONE	0
#define REPORT_TCPV4	2
#define REPORT_UDPV4	3
#define REPORT_TCPV6	5
#define REPORT_UDPV6	6
#define REPORT_TCPV6_EX	8
#define REPORT_UDPV6_EX	9

/* struct virtio_net_hdr_v1_hash: 12 bytes of virtio_net_hdr_v1, then the
 * hash value (le32) and the report (le16); little-endian, as this target. */
struct hash_hdr {
	__u8 hdr_v1[12];
	__u32 hash_value;
	__u16 hash_report;
	__u16 padding;
};

__u64 pkts, agree, disagree, unset, failed, reported;

static __always_inline int l4_report(__u16 report)
{
	return report == REPORT_TCPV4 || report == REPORT_UDPV4 ||
	       report == REPORT_TCPV6 || report == REPORT_UDPV6 ||
	       report == REPORT_TCPV6_EX || report == REPORT_UDPV6_EX;
}

SEC("xdp")
int hdr_oracle(struct xdp_md *ctx)
{
	struct pktmeta_rx_hash h;
	struct hash_hdr *hdr;
	__u32 value;
	__u16 report;
	void *data;
	int err;

	if (bpf_xdp_adjust_head(ctx, -(int)sizeof(*hdr)))
		goto fail;
	data = (void *)(long)ctx->data;
	hdr = data;
	if ((void *)(hdr + 1) > (void *)(long)ctx->data_end)
		goto fail;
	value = hdr->hash_value;
	report = hdr->hash_report;
	if (bpf_xdp_adjust_head(ctx, sizeof(*hdr)))
		goto fail;
	if (!test_udp((void *)(long)ctx->data, (void *)(long)ctx->data_end, 47000))
		return XDP_PASS;
	pkts++;
	if (report != REPORT_NONE)
		reported++;
	err = bpf_xdp_pktmeta_get(ctx, PKTMETA_HINT_RX_HASH, &h, sizeof(h));
	if (err == -ENOENT)
		unset++;
	else if (err)
		failed++;
	else if (h.hash == value && !(h.type & PKTMETA_RSS_L4) == !l4_report(report))
		agree++;
	else
		disagree++;
	return XDP_PASS;
fail:
	failed++;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
