/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The area on an skb: how an skb built from an XDP buffer keeps the area its
 * packet initialised, and how every other skb is told apart from it.
 *
 * On an skb the area stays where XDP put it, at skb->head +
 * PKTMETA_AREA_OFFSET (the skb's head is the buffer's data_hard_start on
 * every path that carries areas, see skb_area.c). The xdp_buff flag that
 * marked it is gone, and buffers come back through page_pool, the slab and
 * the NAPI skb cache with their old bytes. What every new skb does get is a
 * zeroed struct skb_shared_info up to dataref (__build_skb_around(),
 * __alloc_skb()). pktmeta keeps its mark there, in tskey, a field the stack
 * uses only for the transmit timestamps of locally sent skbs, which have a
 * SKBTX_ANY_TSTAMP bit in tx_flags. An skb owns the area at its head when
 *  - tx_flags has no timestamp bit and tskey is not 0,
 *  - the area's nonce equals tskey and its owner is skb->head,
 *  - the area header lies before data_meta (or data, or the MAC header).
 * The shared info goes with the data: clones share it (and the packet);
 * pskb_expand_head() copies it to a new head, which fails the owner check;
 * copies (skb_copy(), __pskb_copy()) start with a zeroed one. Nonces are
 * never 0 and repeat only after 2^31 areas, so a recycled buffer that kept
 * an earlier packet's area is never taken for this packet's.
 */
#ifndef PKTMETA_SKB_AREA_H
#define PKTMETA_SKB_AREA_H

#include <linux/skbuff.h>
#include "area.h"

/* Nonce bit 0: the area was made by XDP for one packet (not by TC). */
#define PKTMETA_NONCE_ONE_PACKET	1U

u32 pktmeta_nonce(u32 origin);
bool pktmeta_skb_can_own(const struct sk_buff *skb);
void pktmeta_skb_own(struct sk_buff *skb, struct pktmeta_area *area);

/* First byte the area must not reach: data_meta, data or the MAC header. */
static inline const void *pktmeta_skb_limit(const struct sk_buff *skb)
{
	const u8 *start = skb->data;

	if (skb_mac_header_was_set(skb) && skb_mac_header(skb) < start)
		start = skb_mac_header(skb);
	return start - skb_metadata_len(skb);
}

/* Do field @f's bytes in @area lie before data_meta/data of @skb? */
static inline bool pktmeta_skb_fits(const struct sk_buff *skb,
				    const struct pktmeta_area *area,
				    const struct pktmeta_field *f)
{
	return (const void *)&area->data[f->offset + f->size] <=
	       pktmeta_skb_limit(skb);
}

static inline bool pktmeta_skb_tstamp(const struct sk_buff *skb)
{
	return skb_shinfo(skb)->tx_flags & SKBTX_ANY_TSTAMP;
}

/**
 * pktmeta_skb_area() - the area @skb owns
 * @skb: a TC program's skb
 *
 * A GRO packet made of several (skb_is_gso() on an area XDP made for one
 * packet) has no area: its packets' fields may differ.
 *
 * Return: the area, or NULL when @skb has none.
 */
static inline struct pktmeta_area *
pktmeta_skb_area(const struct sk_buff *skb)
{
	struct pktmeta_area *area = (void *)skb->head + PKTMETA_AREA_OFFSET;
	u32 nonce = skb_shinfo(skb)->tskey;

	if (likely(!nonce) || pktmeta_skb_tstamp(skb) ||
	    (const void *)area->data > pktmeta_skb_limit(skb) ||
	    area->nonce != nonce || area->owner != (u32)(unsigned long)skb->head)
		return NULL;
	if ((nonce & PKTMETA_NONCE_ONE_PACKET) && skb_is_gso(skb))
		return NULL;
	return area;
}

/**
 * struct pktmeta_skb_armed - an area waiting, on this CPU, for the skb
 * about to be built over its buffer (skb_area.c)
 * @area: the area; NULL when nothing waits
 * @skb: the skb that will own it, when known in advance
 * @dev: else, the device whose next skb it is
 * @owned: the skb owns @area already (veth's skb path, generic XDP): only
 *         its hints are left to give it
 * @driver_xdp: the buffer a driver hook saw its program start on, whose
 *              area arms when it is initialised (virtio-net, which builds
 *              the skb after the program)
 * @driver_stack: else, the stack pointer at the entry of the driver's
 *                per-packet function, whose frame holds the buffer (6.1's
 *                virtio-net, where the program runs inlined in it)
 */
struct pktmeta_skb_armed {
	struct pktmeta_area *area;
	struct sk_buff *skb;
	const struct net_device *dev;
	bool owned;
	const struct xdp_buff *driver_xdp;
	unsigned long driver_stack;
};

DECLARE_PER_CPU(struct pktmeta_skb_armed, pktmeta_skb_armed);

void pktmeta_skb_arm(struct pktmeta_area *area, struct sk_buff *skb,
		     const struct net_device *dev);
void pktmeta_skb_arm_owned(struct pktmeta_area *area,
			   const struct net_device *dev);
bool pktmeta_skb_built(struct sk_buff *skb, const struct net_device *dev);

/* skb_hints.c */
void pktmeta_skb_apply_hints(struct sk_buff *skb,
			     const struct pktmeta_area *area);

static inline void pktmeta_skb_disarm(void)
{
	this_cpu_write(pktmeta_skb_armed.area, NULL);
}

/*
 * A driver hook: the next packet's buffer is @xdp, or lies in the frame
 * below @stack; forget the last packet's.
 */
static inline void pktmeta_skb_driver_packet(const struct xdp_buff *xdp,
					     unsigned long stack)
{
	this_cpu_write(pktmeta_skb_armed.area, NULL);
	this_cpu_write(pktmeta_skb_armed.driver_xdp, xdp);
	this_cpu_write(pktmeta_skb_armed.driver_stack, stack);
}

bool pktmeta_skb_driver_buffer(const struct xdp_buff *xdp);

#endif /* PKTMETA_SKB_AREA_H */
