// SPDX-License-Identifier: GPL-2.0
/*
 * The area on an skb (skb_area.h): the mark, and where it is made.
 *
 * An skb gets the mark of its buffer's area at one of these points, read in
 * the 6.1 and 6.12 sources, each at a moment where the skb is certain:
 *  - generic XDP and veth's skb path run the program on the skb's own
 *    buffer, with frame_sz chosen so that xdp_get_shared_info_from_buff()
 *    is skb_shinfo(skb): the area's initialisation writes the mark there
 *    (area.c), and the skb carries it whatever the verdict; its hints
 *    become the skb's at the eth_type_trans() veth calls after XDP_PASS;
 *  - frames (cpumap, a veth receiving redirected frames, XDP_PASS on
 *    them) become skbs in __xdp_build_skb_from_frame(), whose skb is an
 *    argument: a frame whose flags hold the area's bit arms the mark for
 *    that skb, and the eth_type_trans() it calls after building the skb
 *    writes it (hook_skb.c);
 *  - virtio-net builds the skb after the program returns XDP_PASS: an
 *    area initialised on the buffer its hook saw the program start on
 *    (virtnet_xdp_handler()'s argument on 6.12; on 6.1, where the XDP path
 *    is inlined, a virtio-net buffer in the frame of receive_buf()) arms
 *    the mark for the device's next skb, which eth_type_trans() takes in
 *    receive_buf(). The hook's next packet, a redirect and any other
 *    eth_type_trans() on this CPU disarm it first. 6.1 copies packets of
 *    up to 128 bytes into a new skb (page_to_skb()): they lose the area.
 * An skb that got no mark at one of these points has a zero tskey: its
 * buffer's old bytes are nobody's.
 */
#include <linux/netdevice.h>
#include <linux/percpu.h>
#include "hooks.h"
#include "pktmeta.h"
#include "skb_area.h"

DEFINE_PER_CPU(struct pktmeta_skb_armed, pktmeta_skb_armed);
static DEFINE_PER_CPU(u32, pktmeta_nonce_seq);

/**
 * pktmeta_nonce() - a number for a new area, unique among the last 2^31
 * @origin: PKTMETA_NONCE_ONE_PACKET for an XDP area, 0 for one made by TC
 *
 * Return: the nonce, never 0, with @origin in bit 0.
 */
u32 pktmeta_nonce(u32 origin)
{
	u32 n;

	do {
		n = this_cpu_inc_return(pktmeta_nonce_seq) * nr_cpu_ids +
		    smp_processor_id();
		n = n << 1 | origin;
	} while (!n);
	return n;
}

/**
 * pktmeta_skb_can_own() - may @skb take an area of its own?
 * @skb: an skb without an area
 *
 * Its head and shared info must be its alone (not a clone's), and its
 * tskey free (no transmit timestamp asked).
 *
 * Return: true when pktmeta_skb_own() may mark it.
 */
bool pktmeta_skb_can_own(const struct sk_buff *skb)
{
	return !skb_cloned(skb) && !pktmeta_skb_tstamp(skb);
}

/**
 * pktmeta_skb_own() - make @area, at @skb's head, the area of @skb
 * @skb: the skb
 * @area: skb->head + PKTMETA_AREA_OFFSET, with its nonce set
 */
void pktmeta_skb_own(struct sk_buff *skb, struct pktmeta_area *area)
{
	area->owner = (u32)(unsigned long)skb->head;
	skb_shinfo(skb)->tskey = area->nonce;
}

/**
 * pktmeta_skb_driver_buffer() - is @xdp the buffer a driver hook announced?
 * @xdp: a buffer whose area is being initialised
 *
 * Return: true when @xdp is the buffer virtio-net's hook saw (6.12), or a
 * virtio-net buffer in the frame of the receive_buf() running on this CPU
 * (6.1).
 */
bool pktmeta_skb_driver_buffer(const struct xdp_buff *xdp)
{
	const struct pktmeta_skb_armed *a = this_cpu_ptr(&pktmeta_skb_armed);

	if (a->driver_xdp)
		return a->driver_xdp == xdp;
	return a->driver_stack && pktmeta_dev_is_virtio_net(xdp->rxq->dev) &&
	       pktmeta_in_hook_frame(xdp, a->driver_stack,
				     PKTMETA_HOOK_VIRTIO_NET_RX);
}

/**
 * pktmeta_skb_arm() - let the next skb built on this CPU take @area
 * @area: an area initialised by XDP
 * @skb: the skb that will be built over its buffer, if known
 * @dev: else the device whose next skb will be
 */
void pktmeta_skb_arm(struct pktmeta_area *area, struct sk_buff *skb,
		     const struct net_device *dev)
{
	struct pktmeta_skb_armed *a = this_cpu_ptr(&pktmeta_skb_armed);

	a->skb = skb;
	a->dev = dev;
	a->owned = false;
	a->area = area;
}

/**
 * pktmeta_skb_arm_owned() - give the hints of @area, which an skb already
 * owns, to that skb at its eth_type_trans()
 * @area: an area initialised by XDP on an skb's own buffer (veth's skb
 *        path, generic XDP), its nonce already in the skb's shared info
 * @dev: the device the skb is on
 *
 * veth passes the skb of an XDP_PASS to eth_type_trans() right after the
 * program (veth_xdp_rcv_skb(), drivers/net/veth.c, 6.1 and 6.12); generic
 * XDP only when the program changed the Ethernet header
 * (bpf_prog_run_generic_xdp(), net/core/dev.c).
 */
void pktmeta_skb_arm_owned(struct pktmeta_area *area,
			   const struct net_device *dev)
{
	pktmeta_skb_arm(area, NULL, dev);
	this_cpu_write(pktmeta_skb_armed.owned, true);
}

/*
 * Bytes of the area to move: the header and the data capacity, or as much
 * as lies before @limit.
 */
static size_t pktmeta_area_extent(const struct pktmeta_area *area,
				  const void *limit)
{
	const struct pktmeta_snapshot *snap;
	size_t len;

	rcu_read_lock();
	snap = rcu_dereference(pktmeta_current);
	len = sizeof(*area) + snap->layout.capacity;
	rcu_read_unlock();
	return min_t(size_t, len, limit - (const void *)area);
}

/**
 * pktmeta_skb_built() - an skb was just built on this CPU: the armed area's?
 * @skb: the skb, whose eth_type_trans() runs
 * @dev: the device it came in on
 *
 * Takes the armed area, if any, whatever the answer. The skb gets it when
 * it is the armed skb, or the armed device's and its buffer holds the area
 * in its headroom; the hints set in it become the skb's (skb_hints.c). An
 * area that is not at the skb's head (virtio-net's
 * small buffers start the skb before data_hard_start) is moved there: the
 * bytes between are the buffer's padding and the xdp_frame room.
 *
 * Return: true when @skb got the area.
 */
bool pktmeta_skb_built(struct sk_buff *skb, const struct net_device *dev)
{
	struct pktmeta_skb_armed *a = this_cpu_ptr(&pktmeta_skb_armed);
	struct pktmeta_area *area = a->area;
	struct pktmeta_area *at = (void *)skb->head + PKTMETA_AREA_OFFSET;
	const void *limit = pktmeta_skb_limit(skb);

	if (!area)
		return false;
	a->area = NULL;
	if (a->skb ? a->skb != skb : a->dev != dev)
		return false;
	if (a->owned) {
		/* a later skb over a recycled head does not own it */
		if (pktmeta_skb_area(skb) != area)
			return false;
		pktmeta_skb_apply_hints(skb, area);
		return true;
	}
	/*
	 * A device's arm is left behind when the packet's verdict was not
	 * XDP_PASS (XDP_TX, XDP_DROP: no skb consumes it) and holds until the
	 * device's next packet reaches its XDP program. If the program was
	 * detached meanwhile, this skb is a later packet whose buffer may
	 * reuse the armed address with stale bytes: take the arm only while
	 * the device still runs a driver-mode program (net_device::xdp_state,
	 * set under RTNL by dev_xdp_install() in net/core/dev.c).
	 */
	if (!a->skb && !READ_ONCE(dev->xdp_state[XDP_MODE_DRV].prog))
		return false;
	if ((void *)area < (void *)at || (void *)area->data > limit ||
	    skb_cloned(skb))
		return false;
	if (area != at)
		memmove(at, area, pktmeta_area_extent(area, limit));
	pktmeta_skb_own(skb, at);
	pktmeta_skb_apply_hints(skb, at);
	return true;
}
