/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Driver hints: the values of the predefined hint fields a driver hook found
 * for a packet, and how they reach the packet's area.
 *
 * Hooks that run after the driver has initialised the xdp_buff (virtio-net's
 * virtnet_xdp_handler on 6.12) write the hints into the area at once. Where
 * no traceable function sits between xdp_init_buff() and the program (veth,
 * whose conversion of the skb is inlined), the hook runs at the entry of the
 * per-skb function, finds the values on the skb and leaves them pending on
 * this CPU; they are written into the packet's area on the packet's first
 * pktmeta kfunc call, or when it is redirected (xdp_do_redirect). Programs
 * see the same as if the hints had been filled before they ran; packets that
 * never touch pktmeta pay only for the hook.
 */
#ifndef PKTMETA_HINTS_H
#define PKTMETA_HINTS_H

#include <linux/percpu.h>
#include <net/xdp.h>
#include "registry.h"

/**
 * struct pktmeta_hint_values - hints found for one packet
 * @present: bitmap of PKTMETA_HINT_* with a value below
 * @hash: rx_hash value
 * @vlan: rx_vlan value
 * @timestamp: rx_timestamp value, ns
 */
struct pktmeta_hint_values {
	u32 present;
	struct pktmeta_rx_hash hash;
	struct pktmeta_rx_vlan vlan;
	u64 timestamp;
};

/**
 * struct pktmeta_pending - hints waiting on this CPU for the packet whose
 * XDP program runs next in the hooked function
 * @dev: the device the packet arrived on; NULL when nothing is pending
 * @stack: the hooked function's stack pointer at entry: the packet's
 *         xdp_buff lives in the function's frame, just below it
 * @values: the hints
 * @resolve: when set, completes @values for the packet's @xdp before they
 *           are written (a hint whose computation the hook deferred to the
 *           packet's first pktmeta call: veth's rx_hash, see hook_veth.c)
 * @skb: for @resolve, the skb the hook saw
 * @hook: the hook that found them (enum pktmeta_hook_id), for its counters
 */
struct pktmeta_pending {
	const struct net_device *dev;
	unsigned int hook;
	unsigned long stack;
	struct pktmeta_hint_values values;
	void (*resolve)(struct pktmeta_pending *p, struct xdp_buff *xdp);
	struct sk_buff *skb;
};

DECLARE_PER_CPU(struct pktmeta_pending, pktmeta_pending);

void pktmeta_hints_write(struct xdp_buff *xdp,
			 const struct pktmeta_hint_values *values);
void pktmeta_hints_take_pending(struct xdp_buff *xdp);

/**
 * pktmeta_hints_flush() - write this CPU's pending hints if they are @xdp's
 * @xdp: the buffer an XDP program runs on
 *
 * Cheap when nothing is pending: one per-CPU load.
 */
static inline void pktmeta_hints_flush(struct xdp_buff *xdp)
{
	if (unlikely(this_cpu_read(pktmeta_pending.dev)))
		pktmeta_hints_take_pending(xdp);
}

static inline void pktmeta_hints_drop_pending(void)
{
	this_cpu_write(pktmeta_pending.dev, NULL);
}

#endif /* PKTMETA_HINTS_H */
