// SPDX-License-Identifier: GPL-2.0
/*
 * Hints pending for a packet (hints.h) must reach its area before the packet
 * leaves the hooked driver: xdp_do_redirect() writes them into the area of
 * the buffer it redirects (it is converted into an xdp_frame right after),
 * and xdp_do_flush(), which ends a driver's NAPI poll, drops what is left.
 * Both also forget an skb mark armed for virtio-net (skb_area.c): a
 * redirected buffer becomes no skb of that device.
 */
#include <linux/etherdevice.h>
#include <net/flow_dissector.h>
#include "area.h"
#include "compat.h"
#include "hints.h"
#include "hooks.h"
#include "skb_area.h"

/*
 * veth's rx_hash for a packet whose skb veth_xdp_rcv_skb() (6.1 and 6.12)
 * has consumed before it calls xdp_do_redirect(): the hook deferred it to
 * that skb, so compute it from the buffer the way skb_get_hash() does
 * (net/core/flow_dissector.c ___skb_get_hash(): the flow keys, dissected
 * with FLOW_DISSECTOR_F_STOP_AT_FLOW_LABEL, hashed with the boot-time
 * secret by flow_hash_from_keys(); L4 when the keys have ports).
 */
static void pktmeta_redirect_hash(struct pktmeta_pending *p,
				  const struct xdp_buff *xdp)
{
	const struct ethhdr *eth = xdp->data;
	int len = xdp->data_end - xdp->data;
	struct flow_keys keys;

	p->resolve = NULL;
	if (len < ETH_HLEN) {
		p->values.present &= ~BIT(PKTMETA_HINT_RX_HASH);
		return;
	}
	memset(&keys, 0, sizeof(keys));
	/* Like ___skb_get_hash(): what was dissected, even if it stopped early */
	__skb_flow_dissect(dev_net(xdp->rxq->dev), NULL, &flow_keys_dissector,
			   &keys, xdp->data, eth->h_proto, ETH_HLEN, len,
			   FLOW_DISSECTOR_F_STOP_AT_FLOW_LABEL);
	p->values.hash.hash = flow_hash_from_keys(&keys);
	p->values.hash.type = flow_keys_have_l4(&keys) ? PKTMETA_RSS_L4 : 0;
}

static void notrace pktmeta_redirect(unsigned long ip, unsigned long parent_ip,
				     struct ftrace_ops *op,
				     struct ftrace_regs *fregs)
{
	struct xdp_buff *xdp = (struct xdp_buff *)pktmeta_ftrace_arg(fregs, 1);
	struct pktmeta_pending *p = this_cpu_ptr(&pktmeta_pending);

	pktmeta_skb_disarm();
	if (p->dev) {
		if (p->resolve && p->dev == xdp->rxq->dev)
			pktmeta_redirect_hash(p, xdp);
		pktmeta_hints_take_pending(xdp);
		pktmeta_hook_hit(PKTMETA_HOOK_REDIRECT);
	}
}

static void notrace pktmeta_flush(unsigned long ip, unsigned long parent_ip,
				  struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	pktmeta_hints_drop_pending();
	pktmeta_skb_driver_packet(NULL, 0);
}

struct pktmeta_hook pktmeta_hook_redirect = {
	.name = "redirect",
	.probes = {
		{ .func = "xdp_do_redirect", .handler = pktmeta_redirect,
		  .args_only = true, .args = { { 1, "xdp_buff" } } },
		{ .func = "xdp_do_flush", .handler = pktmeta_flush, .args_only = true },
	},
};
