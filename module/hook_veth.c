// SPDX-License-Identifier: GPL-2.0
/*
 * veth hints: hash (and whether it covers L4), hardware-accelerated VLAN tag
 * and hardware RX timestamp of the skb veth wraps into an xdp_buff, as the
 * kernel's own veth_xdp_rx_hash/_vlan_tag/_timestamp (6.3+) report them.
 *
 * veth_xdp_rcv_skb(rq, skb, bq, stats) is traced at entry, in both 6.1 and
 * 6.12: the skb is there, its xdp_buff is not initialised yet (the
 * conversion is inlined), so the hints are left pending on this CPU for the
 * program that runs next in this frame (hints.h). veth_xdp_rcv_one(), the
 * path of frames redirected into a veth, drops anything pending: frames keep
 * the hints they carry.
 *
 * The hash: veth_xdp_rx_hash() reports skb_get_hash(), which dissects the
 * packet when the skb has no hash yet (veth's own traffic: nothing on the
 * way computed one). That is most of what a hook costs, so when the skb has
 * no hash the hook leaves it to be computed on the packet's first pktmeta
 * call, as veth_xdp_rx_hash() itself does when the program calls it: from
 * the skb the xdp_buff was made of, which veth keeps next to it (struct
 * veth_xdp_buff, 6.3+). Where veth does not (6.1), the hook's skb is only
 * that skb when veth will not copy it (the test of
 * veth_convert_skb_to_xdp_buff()); when it will, the hook computes the hash
 * at once and the copy inherits it, as before. Either way the value is
 * skb_get_hash() of the packet's skb, which then keeps it.
 */
#include <linux/if_vlan.h>
#include <linux/bpf.h>
#include <linux/skbuff.h>
#include "area.h"
#include "hints.h"
#include "hooks.h"

#ifdef PKTMETA_HAVE_XDP_METADATA_OPS
/* drivers/net/veth.c, 6.3+ */
struct pktmeta_veth_xdp_buff {
	struct xdp_buff xdp;
	struct sk_buff *skb;
};
#endif

/* Resolve the deferred rx_hash for the packet's @xdp (hints.h). */
static void pktmeta_veth_resolve_hash(struct pktmeta_pending *p,
				      struct xdp_buff *xdp)
{
	struct pktmeta_hint_values *v = &p->values;
	struct sk_buff *skb;

#ifdef PKTMETA_HAVE_XDP_METADATA_OPS
	skb = container_of(xdp, struct pktmeta_veth_xdp_buff, xdp)->skb;
#else
	skb = p->skb;
#endif
	/* veth made the xdp_buff of the skb's head */
	if (!skb || skb->head != xdp->data_hard_start) {
		v->present &= ~BIT(PKTMETA_HINT_RX_HASH);
		return;
	}
	v->hash.hash = skb_get_hash(skb);
	v->hash.type = skb->l4_hash ? PKTMETA_RSS_L4 : 0;
}

/* Will the skb be the one the xdp_buff is made of, found at resolve time? */
static bool pktmeta_veth_can_defer(struct sk_buff *skb)
{
#ifdef PKTMETA_HAVE_XDP_METADATA_OPS
	return true;
#else
	/* veth_convert_skb_to_xdp_buff(), after the push to the MAC header */
	return !skb_shared(skb) && !skb_head_is_locked(skb) &&
	       !skb_is_nonlinear(skb) &&
	       skb_mac_header(skb) - skb->head >= XDP_PACKET_HEADROOM;
#endif
}

static void notrace pktmeta_veth_rcv_skb(unsigned long ip, unsigned long parent_ip,
					 struct ftrace_ops *op,
					 struct ftrace_regs *fregs)
{
	struct pt_regs *regs = ftrace_get_regs(fregs);
	struct pktmeta_pending *p = this_cpu_ptr(&pktmeta_pending);
	struct pktmeta_hint_values *v = &p->values;
	struct sk_buff *skb;
	ktime_t ts;
	u16 tci;

	if (!regs)
		return;
	skb = (struct sk_buff *)regs_get_kernel_argument(regs, 1);
	v->present = 0;
	p->resolve = NULL;
	if (pktmeta_hooks_hints & BIT(PKTMETA_HINT_RX_HASH)) {
		if (!skb->l4_hash && !skb->sw_hash && pktmeta_veth_can_defer(skb)) {
			p->resolve = pktmeta_veth_resolve_hash;
			p->skb = skb;
		} else {
			v->hash.hash = skb_get_hash(skb);
			v->hash.type = skb->l4_hash ? PKTMETA_RSS_L4 : 0;
		}
		v->present |= BIT(PKTMETA_HINT_RX_HASH);
	}
	if ((pktmeta_hooks_hints & BIT(PKTMETA_HINT_RX_VLAN)) &&
	    !__vlan_hwaccel_get_tag(skb, &tci)) {
		v->vlan.proto = skb->vlan_proto;
		v->vlan.tci = tci;
		v->present |= BIT(PKTMETA_HINT_RX_VLAN);
	}
	ts = skb_hwtstamps(skb)->hwtstamp;
	if ((pktmeta_hooks_hints & BIT(PKTMETA_HINT_RX_TIMESTAMP)) && ts) {
		v->timestamp = ktime_to_ns(ts);
		v->present |= BIT(PKTMETA_HINT_RX_TIMESTAMP);
	}
	if (!v->present) {
		p->dev = NULL;
		pktmeta_hook_miss(PKTMETA_HOOK_VETH);
		return;
	}
	p->stack = regs->sp;
	p->hook = PKTMETA_HOOK_VETH;
	p->dev = skb->dev;
	pktmeta_hook_hit(PKTMETA_HOOK_VETH);
}

static void notrace pktmeta_veth_rcv_one(unsigned long ip, unsigned long parent_ip,
					 struct ftrace_ops *op,
					 struct ftrace_regs *fregs)
{
	pktmeta_hints_drop_pending();
}

struct pktmeta_hook pktmeta_hook_veth = {
	.name = "veth",
	.module = "veth",
	.glob = "veth_*",
	.probes = {
		{ .func = "veth_xdp_rcv_skb", .handler = pktmeta_veth_rcv_skb,
		  .args = { { 1, "sk_buff" } } },
		{ .func = "veth_xdp_rcv_one", .handler = pktmeta_veth_rcv_one },
	},
};
