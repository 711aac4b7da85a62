// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-net hints: the RX hash and its type from the hash report in the
 * virtio-net header, when the device negotiated VIRTIO_NET_F_HASH_REPORT and
 * the interface has NETIF_F_RXHASH on, as the kernel's virtnet_xdp_rx_hash
 * (6.3+) reports them.
 *
 * 6.12 and later: virtnet_xdp_handler(prog, xdp, dev, xdp_xmit, stats) is
 * traced at entry: it runs the program on a buffer the driver has just
 * initialised, so the hints go straight into the area. The header (struct
 * virtio_net_hdr_v1_hash, the header size the driver uses with hash
 * reports) sits right before xdp->data.
 *
 * 6.1 has no such function: its XDP path is inlined into receive_buf(vi,
 * rq, buf, len, ctx, xdp_xmit, stats), hook virtio_net_rx. There the hash
 * report is read from the header at the start of the packet's buffer and
 * left pending on this CPU for the program that runs next in that frame
 * (hints.h), as veth's hook does.
 *
 * Either hook also names the buffer to skb_area.c: virtio-net builds the
 * skb of an XDP_PASS after the program, so an area initialised on this
 * buffer arms its mark for the device's next skb (on 6.1: a virtio-net
 * buffer in the frame of receive_buf()).
 */
#include <linux/mm.h>
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

/* The hash and its type of a hash report. */
static void pktmeta_virtio_hash(const struct virtio_net_hdr_v1_hash *hdr,
				struct pktmeta_hint_values *v)
{
	u16 report = le16_to_cpu(hdr->hash_report);

	if (report >= ARRAY_SIZE(pktmeta_virtio_hash_types))
		report = VIRTIO_NET_HASH_REPORT_NONE;
	v->hash.hash = pktmeta_virtio_hash_value(hdr);
	v->hash.type = pktmeta_virtio_hash_types[report];
	v->present = BIT(PKTMETA_HINT_RX_HASH);
}

/* Does @dev report hashes to its driver? */
static bool pktmeta_virtio_reports_hash(const struct net_device *dev,
					struct virtio_device *vdev)
{
	return (dev->features & NETIF_F_RXHASH) &&
	       virtio_has_feature(vdev, VIRTIO_NET_F_HASH_REPORT);
}

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

	if (!regs)
		return;
	xdp = (struct xdp_buff *)regs_get_kernel_argument(regs, 1);
	pktmeta_skb_driver_packet(xdp, 0);
	if (!(pktmeta_hooks_hints & BIT(PKTMETA_HINT_RX_HASH)))
		return;
	dev = (struct net_device *)regs_get_kernel_argument(regs, 2);
	vdev = dev_to_virtio(dev->dev.parent);
	if (!pktmeta_virtio_reports_hash(dev, vdev)) {
		pktmeta_hook_miss(PKTMETA_HOOK_VIRTIO_NET);
		return;
	}
	hdr = xdp->data - pktmeta_virtio_hash_hdr_len(vdev);
	pktmeta_virtio_hash(hdr, &v);
	pktmeta_hints_write(xdp, &v);
	pktmeta_hook_hit(PKTMETA_HOOK_VIRTIO_NET);
}

struct pktmeta_hook pktmeta_hook_virtio_net = {
	.name = "virtio_net",
	.module = "virtio_net",
	.glob = "virtnet_*",
	.fallback = &pktmeta_hook_virtio_net_rx,
	.probes = {
		{ .func = "virtnet_xdp_handler", .handler = pktmeta_virtnet_xdp,
		  .args = { { 1, "xdp_buff" }, { 2, "net_device" } } },
	},
};

/*
 * Where receive_buf() (drivers/net/virtio_net.c, 6.1) finds a packet's
 * virtio-net header: at @buf for mergeable buffers (receive_mergeable());
 * for small ones (receive_small()) VIRTNET_RX_PAD (NET_IP_ALIGN +
 * NET_SKB_PAD) and the buffer's XDP headroom, which is @ctx
 * (add_recvbuf_small()), further. Big buffers (receive_big(), @buf a
 * struct page, no XDP) have none. NULL when the header is not found.
 */
static const void *pktmeta_virtnet_rx_header(struct virtio_device *vdev,
					     void *buf, unsigned long ctx)
{
	if (!virt_addr_valid(buf))
		return NULL;	/* a big buffer's struct page */
	if (virtio_has_feature(vdev, VIRTIO_NET_F_MRG_RXBUF))
		return buf;
	if (ctx > XDP_PACKET_HEADROOM)	/* VIRTIO_XDP_HEADROOM, or 0 */
		return NULL;
	return buf + NET_IP_ALIGN + NET_SKB_PAD + ctx;
}

/*
 * 6.1's hints: the hash report of the packet receive_buf() starts, pending
 * for the program its inlined XDP path runs in this frame. @vi is
 * netdev_priv() of the device (virtnet_probe()), also its virtio device's
 * priv, which is checked before anything is read through it.
 */
static void pktmeta_virtnet_rx_hints(struct pt_regs *regs)
{
	struct pktmeta_pending *p = this_cpu_ptr(&pktmeta_pending);
	void *vi = (void *)regs_get_kernel_argument(regs, 0);
	void *buf = (void *)regs_get_kernel_argument(regs, 2);
	unsigned int len = regs_get_kernel_argument(regs, 3);
	unsigned long ctx = regs_get_kernel_argument(regs, 4);
	struct net_device *dev = pktmeta_netdev_of_priv(vi);
	struct virtio_device *vdev;
	const void *hdr;

	p->dev = NULL;	/* nothing pending is this packet's */
	if (!pktmeta_dev_is_virtio_net(dev) ||
	    !READ_ONCE(dev->xdp_state[XDP_MODE_DRV].prog))
		return;
	vdev = dev_to_virtio(dev->dev.parent);
	if (vdev->priv != vi)
		return;
	if (!pktmeta_virtio_reports_hash(dev, vdev)) {
		pktmeta_hook_miss(PKTMETA_HOOK_VIRTIO_NET_RX);
		return;
	}
	hdr = pktmeta_virtnet_rx_header(vdev, buf, ctx);
	if (!hdr || len < pktmeta_virtio_hash_hdr_len(vdev) + ETH_HLEN)
		return;	/* receive_buf() drops a packet this short */
	pktmeta_virtio_hash(hdr, &p->values);
	p->resolve = NULL;
	p->stack = kernel_stack_pointer(regs);
	p->hook = PKTMETA_HOOK_VIRTIO_NET_RX;
	p->dev = dev;
	pktmeta_hook_hit(PKTMETA_HOOK_VIRTIO_NET_RX);
}

/* 6.1: a packet starts in receive_buf(); its xdp_buff is in that frame. */
static void notrace pktmeta_virtnet_rx(unsigned long ip, unsigned long parent_ip,
				       struct ftrace_ops *op,
				       struct ftrace_regs *fregs)
{
	struct pt_regs *regs = ftrace_get_regs(fregs);

	if (!regs)
		return;
	pktmeta_skb_driver_packet(NULL, kernel_stack_pointer(regs));
	if (pktmeta_hooks_hints & BIT(PKTMETA_HINT_RX_HASH))
		pktmeta_virtnet_rx_hints(regs);
}

struct pktmeta_hook pktmeta_hook_virtio_net_rx = {
	.name = "virtio_net_rx",
	.module = "virtio_net",
	.glob = "virtnet_*",
	.unless = "virtnet_xdp_handler",
	.probes = {
		{ .func = "receive_buf", .handler = pktmeta_virtnet_rx,
		  .args = { { 0, "virtnet_info" }, { 1, "receive_queue" } } },
	},
};
