// SPDX-License-Identifier: GPL-2.0
/*
 * Which XDP buffers may carry a pktmeta area.
 *
 * The area's in-use bit lives in xdp_buff->flags, so it is only as good as
 * a reset of those flags for every packet. Read in the 6.1 and 6.12 sources,
 * the paths that run XDP programs give their buffers one of these origins
 * (enum pktmeta_xdp_origin):
 *  - frames: cpumap and devmap programs run on a buffer rebuilt from an
 *    xdp_frame (xdp_convert_frame_to_buff() copies its flags) with an rxq
 *    copied onto the stack, never registered (reg_state 0): the frame's area
 *    is the packet's, kept;
 *  - paths that reset the flags per packet themselves: generic XDP and
 *    BPF_PROG_TEST_RUN without live frames run on one of the device's own
 *    rx queues (dev->_rx) and call xdp_init_buff() per packet (a test run
 *    with repeat replays the same packet); veth calls xdp_init_buff() per
 *    skb and rebuilds the buffers of redirected frames from the frame, on
 *    its registered queue (so that queue sees both kinds); virtio-net calls
 *    xdp_init_buff() per packet (receive_small/mergeable) and its 6.12 hook
 *    fills hints before the program runs;
 *  - every other native driver's registered queue: ice, i40e, ixgbe and
 *    others keep one xdp_buff per ring and only xdp_prepare_buff() it per
 *    packet, so its flags may be an earlier packet's;
 *  - live-frame test runs (BPF_F_TEST_XDP_LIVE_FRAMES) keep each packet's
 *    xdp_buff and xdp_frame in its page_pool page and reuse them for the
 *    page's later packets without clearing their flags (net/bpf/test_run.c).
 * The last two are safe once the probe at the start of every XDP program
 * run (hook_xdp_run.c) clears the bit: then every buffer may carry an area.
 * Without the probe (hooks=0, or a kernel where it cannot attach), only
 * frames, the self-resetting paths and the drivers of
 * pktmeta_safe_drivers[] below may.
 */
#include <linux/device.h>
#include <linux/netdevice.h>
#include <net/rtnetlink.h>
#include "area.h"
#include "compat.h"
#include "hooks.h"
#include "refused.h"
#include "skb_area.h"

/**
 * pktmeta_xdp_live_frame_clear() - clear the area bit of a live-frame
 * buffer's frame too
 * @xdp: a PKTMETA_XDP_LIVE_FRAME buffer
 *
 * The frame keeps the flags of the page's last packet when the program
 * leaves the packet's bounds alone (reset_ctx(), net/bpf/test_run.c).
 */
void pktmeta_xdp_live_frame_clear(struct xdp_buff *xdp)
{
	pktmeta_live_frame(xdp)->flags &= ~PKTMETA_XDP_FLAG_AREA;
}

/*
 * Drivers whose native RX path initialises its xdp_buff with xdp_init_buff()
 * for every packet, read in Debian's 6.1.192, 6.12.117 and 7.3.4 sources
 * (drivers/net/ethernet/ abbreviated eth/), by the name of the driver of the
 * device's parent:
 *  - mlx5_core: eth/mellanox/mlx5/core/en_rx.c, mlx5e_fill_xdp_buff() (6.1)
 *    and mlx5e_fill_mxbuf() (6.12, 7.3) for every packet of the legacy and
 *    striding RQs;
 *  - igc: eth/intel/igc/igc_main.c, igc_clean_rx_irq(), a buffer per packet;
 *  - bnxt_en: eth/broadcom/bnxt/bnxt.c, bnxt_rx_pkt() -> bnxt_xdp_buff_init();
 *  - gve: eth/google/gve/gve_rx.c, gve_rx() (6.12, 7.3; 6.1 has no XDP) and
 *    gve_rx_dqo.c (7.3);
 *  - vmxnet3: drivers/net/vmxnet3/vmxnet3_xdp.c, vmxnet3_process_xdp() and
 *    vmxnet3_process_xdp_small() (6.12, 7.3; 6.1 has no XDP);
 *  - hv_netvsc: drivers/net/hyperv/netvsc_bpf.c, netvsc_run_xdp();
 *  - vif (xen-netfront): drivers/net/xen-netfront.c, xennet_run_xdp().
 * tun (drivers/net/tun.c: tun_build_skb(), tun_xdp_one()) has no parent
 * device and is known by its link kind. i40e, ixgbe, igb, ena and, before
 * 7.x, ice keep their flags across packets; they and every driver not
 * listed are refused. So are AF_XDP zero-copy queues of any driver: 6.1's
 * xsk_buff_set_size() and xp_alloc() leave flags alone, and the fast path
 * of xp_alloc_batch() does on every kernel (net/xdp/xsk_buff_pool.c).
 */
static const char *const pktmeta_safe_drivers[] = {
	"mlx5_core", "igc", "bnxt_en", "gve", "vmxnet3", "hv_netvsc", "vif",
};

static bool pktmeta_dev_in_allowlist(const struct xdp_rxq_info *rxq)
{
	const struct net_device *dev = rxq->dev;
	const struct device *parent = dev->dev.parent;
	int i;

	if (rxq->mem.type == MEM_TYPE_XSK_BUFF_POOL)
		return false;
	if (pktmeta_link_kind_is(dev, "tun"))
		return true;
	if (!parent || !parent->driver)
		return false;
	for (i = 0; i < ARRAY_SIZE(pktmeta_safe_drivers); i++)
		if (!strcmp(parent->driver->name, pktmeta_safe_drivers[i]))
			return true;
	return false;
}

/**
 * pktmeta_xdp_dev_safe() - may this buffer carry a pktmeta area?
 * @xdp: the buffer an XDP program runs on
 *
 * Return: true when its flags were reset for this packet: by the probe at
 * the start of every program run while it is attached, else by the path
 * that made @xdp. A refused buffer is counted against its device.
 */
bool pktmeta_xdp_dev_safe(const struct xdp_buff *xdp)
{
	if (!xdp->rxq->dev)
		return false;
	if (pktmeta_xdp_run_attached())
		return true;
	switch (pktmeta_xdp_buff_origin(xdp)) {
	case PKTMETA_XDP_FROM_FRAME:
	case PKTMETA_XDP_SELF_RESET:
		return true;
	case PKTMETA_XDP_DRIVER_RING:
		if (pktmeta_dev_in_allowlist(xdp->rxq))
			return true;
		fallthrough;
	default:
		pktmeta_refused_count(xdp->rxq->dev);
		return false;
	}
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
	    pktmeta_dev_is_veth(xdp->rxq->dev)) {
		xdp_get_shared_info_from_buff(xdp)->tskey = area->nonce;
		pktmeta_skb_arm_owned(area, xdp->rxq->dev);
	} else if (pktmeta_skb_driver_buffer(xdp)) {
		pktmeta_skb_arm(area, NULL, xdp->rxq->dev);
	} else if (xdp->rxq->reg_state == PKTMETA_RXQ_REGISTERED) {
		struct xdp_frame *frm = pktmeta_live_frame(xdp);

		/* what a live-frame run passes or redirects is its frame */
		if (frm)
			frm->flags |= PKTMETA_XDP_FLAG_AREA;
	}
}
