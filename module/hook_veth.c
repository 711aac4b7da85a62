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
 */
#include <linux/if_vlan.h>
#include <linux/skbuff.h>
#include "area.h"
#include "hints.h"
#include "hooks.h"

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
	if (pktmeta_hooks_hints & BIT(PKTMETA_HINT_RX_HASH)) {
		v->hash.hash = skb_get_hash(skb);
		v->hash.type = skb->l4_hash ? PKTMETA_RSS_L4 : 0;
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
		{ .func = "veth_xdp_rcv_skb", .handler = pktmeta_veth_rcv_skb },
		{ .func = "veth_xdp_rcv_one", .handler = pktmeta_veth_rcv_one },
	},
};
