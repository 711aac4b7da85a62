// SPDX-License-Identifier: GPL-2.0
/*
 * Frames become skbs: the mark of a frame's area reaches its skb.
 *
 * __xdp_build_skb_from_frame(xdpf, skb, dev) builds every skb made of a
 * frame in 6.1 and 6.12: cpumap, and veth for frames redirected into it
 * (with or without a program there). The skb is an argument, so a frame
 * whose flags carry the area's bit arms the mark for exactly that skb. The
 * function's own eth_type_trans(skb, dev), once the skb is built and its
 * shared info zeroed, writes it (skb_area.c). eth_type_trans() is also
 * where virtio-net's XDP_PASS skbs arrive, and every other device's: for
 * them the probe is one per-CPU load. Both probes read only arguments, so
 * ftrace skips saving full registers for them (compat.h).
 */
#include <linux/etherdevice.h>
#include "area.h"
#include "compat.h"
#include "hooks.h"
#include "skb_area.h"

static void notrace pktmeta_frame_to_skb(unsigned long ip, unsigned long parent_ip,
					 struct ftrace_ops *op,
					 struct ftrace_regs *fregs)
{
	struct xdp_frame *xdpf = (struct xdp_frame *)pktmeta_ftrace_arg(fregs, 0);

	if (xdpf->flags & PKTMETA_XDP_FLAG_AREA)
		pktmeta_skb_arm((void *)xdpf + PKTMETA_AREA_OFFSET,
				(struct sk_buff *)pktmeta_ftrace_arg(fregs, 1), NULL);
}

static void notrace pktmeta_eth_type_trans(unsigned long ip, unsigned long parent_ip,
					   struct ftrace_ops *op,
					   struct ftrace_regs *fregs)
{
	if (likely(!this_cpu_read(pktmeta_skb_armed.area)))
		return;
	if (pktmeta_skb_built((struct sk_buff *)pktmeta_ftrace_arg(fregs, 0),
			      (struct net_device *)pktmeta_ftrace_arg(fregs, 1)))
		pktmeta_hook_hit(PKTMETA_HOOK_SKB);
	else
		pktmeta_hook_miss(PKTMETA_HOOK_SKB);
}

struct pktmeta_hook pktmeta_hook_skb = {
	.name = "skb",
	.probes = {
		{ .func = "__xdp_build_skb_from_frame", .handler = pktmeta_frame_to_skb,
		  .args_only = true, .args = { { 0, "xdp_frame" }, { 1, "sk_buff" } } },
		{ .func = "eth_type_trans", .handler = pktmeta_eth_type_trans,
		  .args_only = true, .args = { { 0, "sk_buff" }, { 1, "net_device" } } },
	},
};
