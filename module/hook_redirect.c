// SPDX-License-Identifier: GPL-2.0
/*
 * Hints pending for a packet (hints.h) must reach its area before the packet
 * leaves the hooked driver: xdp_do_redirect() writes them into the area of
 * the buffer it redirects (it is converted into an xdp_frame right after),
 * and xdp_do_flush(), which ends a driver's NAPI poll, drops what is left.
 * Both also forget an skb mark armed for virtio-net (skb_area.c): a
 * redirected buffer becomes no skb of that device.
 */
#include "area.h"
#include "compat.h"
#include "hints.h"
#include "hooks.h"
#include "skb_area.h"

static void notrace pktmeta_redirect(unsigned long ip, unsigned long parent_ip,
				     struct ftrace_ops *op,
				     struct ftrace_regs *fregs)
{
	struct xdp_buff *xdp = (struct xdp_buff *)pktmeta_ftrace_arg(fregs, 1);
	struct pktmeta_pending *p = this_cpu_ptr(&pktmeta_pending);

	pktmeta_skb_disarm();
	if (p->dev) {
		/*
		 * veth_xdp_rcv_skb() (6.1 and 6.12) consumes the packet's skb
		 * before it calls xdp_do_redirect(): a hint deferred to be
		 * computed from that skb (veth's rx_hash) cannot be computed
		 * here, the skb is freed. The hint stays unset.
		 */
		if (p->resolve && p->dev == xdp->rxq->dev) {
			p->resolve = NULL;
			p->values.present &= ~BIT(PKTMETA_HINT_RX_HASH);
		}
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
