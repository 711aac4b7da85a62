// SPDX-License-Identifier: GPL-2.0
/*
 * Which XDP buffers may carry a pktmeta area.
 *
 * The area's in-use bit lives in xdp_buff->flags, so it is only as good as
 * the driver's per-packet reset of those flags. This file lists the paths
 * read in the 6.1 and 6.12 sources that reset them for every packet:
 *  - generic XDP and BPF_PROG_TEST_RUN (without live frames) run on one of
 *    the device's own rx queues (dev->_rx) and call xdp_init_buff() per
 *    packet (or, for a test run with repeat, replay the same packet);
 *  - veth calls xdp_init_buff() per skb and rebuilds buffers of redirected
 *    frames from the frame, whose flags came from an accepted buffer;
 *  - virtio-net calls xdp_init_buff() per packet (receive_small/mergeable)
 *    and xsk_buff_set_size() clears flags on its AF_XDP path;
 *  - cpumap and devmap programs see the rx device of the frame (one of the
 *    above) and frame flags copied by xdp_convert_frame_to_buff().
 * Everything else, for example drivers that keep one xdp_buff per ring
 * (ice) or live-frame test runs whose page_pool pages keep their flags, is
 * refused with -EOPNOTSUPP until it is known to be safe. A live-frame run
 * names the device of its ingress_ifindex (a veth, say) in its rxq, so it
 * is recognised by where it keeps its xdp_buff, not by the device.
 */
#include <linux/device.h>
#include <linux/netdevice.h>
#include <net/rtnetlink.h>
#include "area.h"
#include "compat.h"
#include "skb_area.h"

/**
 * pktmeta_rxq_is_generic() - is @rxq one of its device's own rx queues?
 * @rxq: the rxq of an xdp_buff
 *
 * Return: true for generic XDP and BPF_PROG_TEST_RUN, false for a driver's
 * native queues and the stack copies of cpumap and devmap.
 */
bool pktmeta_rxq_is_generic(const struct xdp_rxq_info *rxq)
{
	const struct net_device *dev = rxq->dev;
	const void *q = rxq;

	return q >= (const void *)dev->_rx &&
	       q < (const void *)(dev->_rx + dev->num_rx_queues);
}

static bool pktmeta_dev_is_veth(const struct net_device *dev)
{
	return dev->rtnl_link_ops && !strcmp(dev->rtnl_link_ops->kind, "veth");
}

/**
 * pktmeta_dev_is_virtio_net() - is @dev a virtio-net device?
 * @dev: a device
 *
 * Return: true when virtio_net drives @dev.
 */
bool pktmeta_dev_is_virtio_net(const struct net_device *dev)
{
	const struct device *parent = dev->dev.parent;

	return parent && parent->driver &&
	       !strcmp(parent->driver->name, "virtio_net");
}

/*
 * BPF_PROG_TEST_RUN with BPF_F_TEST_XDP_LIVE_FRAMES keeps each xdp_buff in
 * the page_pool page of its packet, in front of data_hard_start (struct
 * xdp_page_head in net/bpf/test_run.c, 6.1 and 6.12), and reuses it for the
 * page's later packets without clearing its flags. No driver path keeps its
 * xdp_buff inside the packet's own page (they use the stack or the ring).
 */
static bool pktmeta_xdp_buff_in_its_page(const struct xdp_buff *xdp)
{
	unsigned long start = (unsigned long)xdp->data_hard_start;
	unsigned long buff = (unsigned long)xdp;

	return buff < start && (buff & PAGE_MASK) == (start & PAGE_MASK);
}

/**
 * pktmeta_xdp_dev_safe() - may this buffer carry a pktmeta area?
 * @xdp: the buffer an XDP program runs on
 *
 * Return: true when the path that made @xdp resets its flags per packet.
 */
bool pktmeta_xdp_dev_safe(const struct xdp_buff *xdp)
{
	const struct net_device *dev = xdp->rxq->dev;

	if (!dev || pktmeta_xdp_buff_in_its_page(xdp))
		return false;
	return pktmeta_rxq_is_generic(xdp->rxq) || pktmeta_dev_is_veth(dev) ||
	       pktmeta_dev_is_virtio_net(dev);
}

/**
 * pktmeta_xdp_area_init() - make @xdp's area this packet's, empty
 * @xdp: a buffer that passed pktmeta_xdp_dev_safe() and has room for the
 *       area header
 * @generation: the layout generation the area is made under
 *
 * Also gives the area a nonce and writes it where the skb that may be made
 * of this buffer will look for it (skb_area.c): the buffer's shared info,
 * which generic XDP and veth's skb path share with their skb (on veth's
 * frames it is the tailroom every frame reserves for it), or, for the
 * buffer virtio-net's hook saw, the mark armed for the device's next skb.
 * Other buffers' tailroom is left alone: an AF_XDP buffer has none.
 */
void pktmeta_xdp_area_init(struct xdp_buff *xdp, u64 generation)
{
	struct pktmeta_area *area = pktmeta_xdp_area(xdp);

	area->set = 0;
	area->generation = generation;
	area->nonce = pktmeta_nonce(PKTMETA_NONCE_ONE_PACKET);
	area->owner = (u32)(unsigned long)xdp->data_hard_start;
	xdp->flags |= PKTMETA_XDP_FLAG_AREA;
	if (pktmeta_rxq_is_generic(xdp->rxq) ||
	    pktmeta_dev_is_veth(xdp->rxq->dev))
		xdp_get_shared_info_from_buff(xdp)->tskey = area->nonce;
	else if (pktmeta_skb_driver_buffer(xdp))
		pktmeta_skb_arm(area, NULL, xdp->rxq->dev);
}
