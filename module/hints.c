// SPDX-License-Identifier: GPL-2.0
/*
 * Writing driver hints into a packet's area (see hints.h).
 */
#include <linux/string.h>
#include "pktmeta.h"
#include "area.h"
#include "hints.h"
#include "hooks.h"

DEFINE_PER_CPU(struct pktmeta_pending, pktmeta_pending);

static void pktmeta_hint_put(struct xdp_buff *xdp, struct pktmeta_area *area,
			     const struct pktmeta_layout *layout, u32 id,
			     const void *val, u32 size)
{
	const struct pktmeta_field *f = pktmeta_layout_field(layout, id);

	if (!f || f->size != size ||
	    (const void *)&area->data[f->offset + size] > pktmeta_xdp_limit(xdp))
		return;
	memcpy(&area->data[f->offset], val, size);
	area->set |= 1ULL << id;
}

/**
 * pktmeta_hints_write() - put a packet's hints into its area
 * @xdp: the packet, with its xdp_buff initialised by the driver
 * @values: the hints found for it
 *
 * Initialises the area when the packet has none yet; hints whose field is
 * disabled, or that do not fit before data_meta/data, are left unset.
 */
void pktmeta_hints_write(struct xdp_buff *xdp,
			 const struct pktmeta_hint_values *values)
{
	struct pktmeta_area *area = pktmeta_xdp_area(xdp);
	const struct pktmeta_snapshot *snap;

	if (!values->present ||
	    (const void *)area->data > pktmeta_xdp_limit(xdp))
		return;
	rcu_read_lock();
	snap = rcu_dereference(pktmeta_current);
	if (!pktmeta_xdp_area_valid(xdp))
		pktmeta_xdp_area_init(xdp, snap->layout.generation);
	if (values->present & BIT(PKTMETA_HINT_RX_HASH))
		pktmeta_hint_put(xdp, area, &snap->layout, PKTMETA_HINT_RX_HASH,
				 &values->hash, sizeof(values->hash));
	if (values->present & BIT(PKTMETA_HINT_RX_VLAN))
		pktmeta_hint_put(xdp, area, &snap->layout, PKTMETA_HINT_RX_VLAN,
				 &values->vlan, sizeof(values->vlan));
	if (values->present & BIT(PKTMETA_HINT_RX_TIMESTAMP))
		pktmeta_hint_put(xdp, area, &snap->layout, PKTMETA_HINT_RX_TIMESTAMP,
				 &values->timestamp, sizeof(values->timestamp));
	rcu_read_unlock();
}

/**
 * pktmeta_hints_take_pending() - write this CPU's pending hints into @xdp
 * when they were found for it
 * @xdp: the buffer an XDP program runs on, or that is being redirected
 *
 * The pending hints belong to @xdp when it arrived on the same device
 * through the driver's own queue (not generic XDP, whose buffer may sit
 * where the hooked function's frame was) and lives in the hooked function's
 * frame: then @xdp is the very buffer the hooked function made, which a
 * resolve callback may rely on (veth's struct veth_xdp_buff). Pending hints
 * are used once.
 */
void pktmeta_hints_take_pending(struct xdp_buff *xdp)
{
	struct pktmeta_pending *p = this_cpu_ptr(&pktmeta_pending);

	if (p->dev != xdp->rxq->dev || pktmeta_rxq_is_generic(xdp->rxq))
		return;
	if (!pktmeta_in_hook_frame(xdp, p->stack, p->hook))
		return;
	p->dev = NULL;
	if (pktmeta_xdp_area_valid(xdp))
		return;
	if (p->resolve)
		p->resolve(p, xdp);
	pktmeta_hints_write(xdp, &p->values);
}
