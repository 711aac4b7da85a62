// SPDX-License-Identifier: GPL-2.0
/*
 * A packet's hints become its skb's own.
 *
 * When an skb takes the area of the packet it is built from
 * (pktmeta_skb_built(), skb_area.c: cpumap with or without a program,
 * frames redirected or sent by devmap into a veth, virtio-net's XDP_PASS),
 * the hint fields set in that area are given to the skb the way a driver
 * gives a NIC's:
 *  - rx_hash: skb_set_hash(), PKT_HASH_TYPE_L4 when the stored type has
 *    the L4 bit (enum xdp_rss_hash_type, include/net/xdp.h), L3 when it
 *    has an L3 bit, else L2 (then RPS and flow dissection recompute it:
 *    net/core/flow_dissector.c __skb_get_hash() only trusts l4_hash);
 *  - rx_vlan: __vlan_hwaccel_put_tag(), as a driver does for a tag the
 *    NIC stripped; only for ETH_P_8021Q and ETH_P_8021AD;
 *  - rx_timestamp: skb_hwtstamps(skb)->hwtstamp, which SO_TIMESTAMPING's
 *    SOF_TIMESTAMPING_RAW_HARDWARE reports (net/socket.c
 *    __sock_recv_timestamp()).
 * It runs where the skb takes its area: at the entry of the
 * eth_type_trans() that __xdp_build_skb_from_frame() (net/core/xdp.c) and
 * virtio-net's virtnet_receive_done() (drivers/net/virtio_net.c) call once
 * the skb is built. virtio-net has set its own hash report by then, so a
 * value in the area wins over the driver's.
 *
 * The module parameter skb_hints (default on) switches it off at run time.
 */
#include <linux/if_vlan.h>
#include <linux/moduleparam.h>
#include <linux/skbuff.h>
#include "pktmeta.h"
#include "skb_area.h"

static bool skb_hints = true;
module_param(skb_hints, bool, 0644);
MODULE_PARM_DESC(skb_hints,
		 "Give the hint fields set on a packet to the skb built from it: hash, VLAN tag, hardware timestamp (default on)");

/*
 * The bytes of hint field @id in @area when the packet set it, the field
 * is live with @size bytes and lies before @limit; else NULL.
 */
static const void *pktmeta_skb_hint(const struct pktmeta_area *area,
				    const struct pktmeta_layout *layout,
				    u32 id, u32 size, const void *limit)
{
	const struct pktmeta_field *f;

	if (!(area->set & BIT_ULL(id)))
		return NULL;
	f = pktmeta_layout_field(layout, id);
	if (!f || f->size != size || f->born > area->generation ||
	    (const void *)&area->data[f->offset + size] > limit)
		return NULL;
	return &area->data[f->offset];
}

static enum pkt_hash_types pktmeta_hash_type(u32 type)
{
	if (type & PKTMETA_RSS_L4)
		return PKT_HASH_TYPE_L4;
	if (type & (PKTMETA_RSS_L3_IPV4 | PKTMETA_RSS_L3_IPV6))
		return PKT_HASH_TYPE_L3;
	return PKT_HASH_TYPE_L2;
}

/**
 * pktmeta_skb_apply_hints() - give the hints set in @area to @skb
 * @skb: an skb that just took @area (pktmeta_skb_built())
 * @area: its area, at skb->head + PKTMETA_AREA_OFFSET
 *
 * Each hint that the packet set becomes the skb's hash, accelerated VLAN
 * tag or hardware timestamp; hints not set leave the skb's own values.
 */
void pktmeta_skb_apply_hints(struct sk_buff *skb,
			     const struct pktmeta_area *area)
{
	const void *limit = pktmeta_skb_limit(skb);
	const struct pktmeta_layout *layout;
	struct pktmeta_rx_hash hash;
	struct pktmeta_rx_vlan vlan;
	const void *v;
	u64 ns;

	if (!READ_ONCE(skb_hints) ||
	    !(area->set & GENMASK_ULL(PKTMETA_NR_HINTS - 1, 0)))
		return;
	rcu_read_lock();
	layout = &rcu_dereference(pktmeta_current)->layout;

	v = pktmeta_skb_hint(area, layout, PKTMETA_HINT_RX_HASH, sizeof(hash), limit);
	if (v) {
		memcpy(&hash, v, sizeof(hash));
		skb_set_hash(skb, hash.hash, pktmeta_hash_type(hash.type));
	}
	v = pktmeta_skb_hint(area, layout, PKTMETA_HINT_RX_VLAN, sizeof(vlan), limit);
	if (v) {
		memcpy(&vlan, v, sizeof(vlan));
		if (vlan.proto == htons(ETH_P_8021Q) ||
		    vlan.proto == htons(ETH_P_8021AD))
			__vlan_hwaccel_put_tag(skb, vlan.proto, vlan.tci);
	}
	v = pktmeta_skb_hint(area, layout, PKTMETA_HINT_RX_TIMESTAMP, sizeof(ns), limit);
	if (v) {
		memcpy(&ns, v, sizeof(ns));
		skb_hwtstamps(skb)->hwtstamp = ns_to_ktime(ns);
	}
	rcu_read_unlock();
}
