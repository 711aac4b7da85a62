// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-net hints: the RX hash and its type from the hash report in the
 * virtio-net header, when the device negotiated VIRTIO_NET_F_HASH_REPORT and
 * the interface has NETIF_F_RXHASH on, as the kernel's virtnet_xdp_rx_hash
 * (6.3+) reports them.
 *
 * virtnet_xdp_handler(prog, xdp, dev, xdp_xmit, stats) is traced at entry:
 * it runs the program on a buffer the driver has just initialised, so the
 * hints go straight into the area. The header (struct
 * virtio_net_hdr_v1_hash, the header size the driver uses with hash
 * reports) sits right before xdp->data. 6.1 has no such function: its XDP
 * path is inlined into receive_buf(), and the hook reports itself disabled.
 *
 * The hook also names the buffer to skb_area.c: virtio-net builds the skb
 * of an XDP_PASS after the program, so an area initialised on this buffer
 * arms its mark for the device's next skb. Without the hook (6.1), fields
 * set on virtio-net would not reach TC: there, the virtio_net_rx hook
 * traces receive_buf(), whose frame holds the inlined XDP path's buffer.
 */
#include <linux/netdevice.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <linux/virtio_net.h>
#include "area.h"
#include "compat.h"
#include "hints.h"
#include "hooks.h"
#include "skb_area.h"

static const u32 pktmeta_virtio_hash_types[] = {
	[VIRTIO_NET_HASH_REPORT_NONE] = 0,
	[VIRTIO_NET_HASH_REPORT_IPv4] = PKTMETA_RSS_L3_IPV4,
	[VIRTIO_NET_HASH_REPORT_TCPv4] = PKTMETA_RSS_L3_IPV4 | PKTMETA_RSS_L4 | PKTMETA_RSS_L4_TCP,
	[VIRTIO_NET_HASH_REPORT_UDPv4] = PKTMETA_RSS_L3_IPV4 | PKTMETA_RSS_L4 | PKTMETA_RSS_L4_UDP,
	[VIRTIO_NET_HASH_REPORT_IPv6] = PKTMETA_RSS_L3_IPV6,
	[VIRTIO_NET_HASH_REPORT_TCPv6] = PKTMETA_RSS_L3_IPV6 | PKTMETA_RSS_L4 | PKTMETA_RSS_L4_TCP,
	[VIRTIO_NET_HASH_REPORT_UDPv6] = PKTMETA_RSS_L3_IPV6 | PKTMETA_RSS_L4 | PKTMETA_RSS_L4_UDP,
	[VIRTIO_NET_HASH_REPORT_IPv6_EX] = PKTMETA_RSS_L3_IPV6 | PKTMETA_RSS_L3_DYNHDR,
	[VIRTIO_NET_HASH_REPORT_TCPv6_EX] = PKTMETA_RSS_L3_IPV6 | PKTMETA_RSS_L3_DYNHDR |
					    PKTMETA_RSS_L4 | PKTMETA_RSS_L4_TCP,
	[VIRTIO_NET_HASH_REPORT_UDPv6_EX] = PKTMETA_RSS_L3_IPV6 | PKTMETA_RSS_L3_DYNHDR |
					    PKTMETA_RSS_L4 | PKTMETA_RSS_L4_UDP,
};

static void notrace pktmeta_virtnet_xdp(unsigned long ip, unsigned long parent_ip,
					struct ftrace_ops *op,
					struct ftrace_regs *fregs)
{
	struct pt_regs *regs = ftrace_get_regs(fregs);
	const struct virtio_net_hdr_v1_hash *hdr;
	struct pktmeta_hint_values v = {};
	struct virtio_device *vdev;
	struct net_device *dev;
	struct xdp_buff *xdp;
	u16 report;

	if (!regs)
		return;
	xdp = (struct xdp_buff *)regs_get_kernel_argument(regs, 1);
	pktmeta_skb_driver_packet(xdp, 0);
	if (!(pktmeta_hooks_hints & BIT(PKTMETA_HINT_RX_HASH)))
		return;
	dev = (struct net_device *)regs_get_kernel_argument(regs, 2);
	vdev = dev_to_virtio(dev->dev.parent);
	if (!(dev->features & NETIF_F_RXHASH) ||
	    !virtio_has_feature(vdev, VIRTIO_NET_F_HASH_REPORT)) {
		pktmeta_hook_miss(PKTMETA_HOOK_VIRTIO_NET);
		return;
	}
	hdr = xdp->data - pktmeta_virtio_hash_hdr_len(vdev);
	report = le16_to_cpu(hdr->hash_report);
	if (report >= ARRAY_SIZE(pktmeta_virtio_hash_types))
		report = VIRTIO_NET_HASH_REPORT_NONE;
	v.hash.hash = pktmeta_virtio_hash_value(hdr);
	v.hash.type = pktmeta_virtio_hash_types[report];
	v.present = BIT(PKTMETA_HINT_RX_HASH);
	pktmeta_hints_write(xdp, &v);
	pktmeta_hook_hit(PKTMETA_HOOK_VIRTIO_NET);
}

struct pktmeta_hook pktmeta_hook_virtio_net = {
	.name = "virtio_net",
	.module = "virtio_net",
	.glob = "virtnet_*",
	.probes = {
		{ .func = "virtnet_xdp_handler", .handler = pktmeta_virtnet_xdp,
		  .args = { { 1, "xdp_buff" }, { 2, "net_device" } } },
	},
};

/* 6.1: a packet starts in receive_buf(); its xdp_buff is in that frame. */
static void notrace pktmeta_virtnet_rx(unsigned long ip, unsigned long parent_ip,
				       struct ftrace_ops *op,
				       struct ftrace_regs *fregs)
{
	struct pt_regs *regs = ftrace_get_regs(fregs);

	if (regs)
		pktmeta_skb_driver_packet(NULL, kernel_stack_pointer(regs));
}

struct pktmeta_hook pktmeta_hook_virtio_net_rx = {
	.name = "virtio_net_rx",
	.module = "virtio_net",
	.glob = "virtnet_*",
	.unless = "virtnet_xdp_handler",
	.probes = {
		{ .func = "receive_buf", .handler = pktmeta_virtnet_rx },
	},
};
