/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-packet area: where it lives in an XDP buffer and when it is valid.
 *
 * It sits in the headroom right after the room struct xdp_frame takes
 * (data_hard_start + PKTMETA_AREA_OFFSET), so it does not move when programs
 * push or pop headers and survives the conversion of an xdp_buff into an
 * xdp_frame. A bit in xdp_buff->flags, which xdp_init_buff() clears for each
 * new buffer and the buff/frame conversions copy, says that this packet
 * initialised the area; without it the bytes there belong to nobody.
 * Once the buffer becomes an skb, the flag is gone: skb_area.h says how
 * the skb tells its own area from an earlier packet's (@nonce, @owner).
 */
#ifndef PKTMETA_AREA_H
#define PKTMETA_AREA_H

#include <linux/device.h>
#include <linux/minmax.h>
#include <linux/netdevice.h>
#include <linux/string.h>
#include <net/rtnetlink.h>
#include <net/xdp.h>
#include "compat.h"
#include "registry.h"

/*
 * Chosen far above the XDP_FLAGS_* bits the kernel uses (enum
 * xdp_buff_flags in include/net/xdp.h: bits 0 and 1 in 6.1 and 6.12).
 * Kbuild reads the highest of them from the target's header; the build
 * fails if a kernel ever reaches this bit, or if flags shrink below 32 bits.
 */
#define PKTMETA_XDP_FLAG_AREA	BIT(30)
static_assert(PKTMETA_XDP_FLAGS_TOP_BIT < 30);
static_assert(sizeof_field(struct xdp_buff, flags) >= sizeof(u32));
static_assert(sizeof_field(struct xdp_frame, flags) >= sizeof(u32));

/**
 * struct pktmeta_area - header of a packet's area, followed by field data
 * @set: bitmap of the slots set on this packet
 * @generation: layout generation when the packet initialised its area
 * @nonce: this area's number, never 0; an skb carrying it in its shared
 *         info owns the area (skb_area.h)
 * @owner: low 32 bits of the address of the buffer (skb->head) the area
 *         was made in or for
 * @data: field values, at the offsets of the layout
 */
struct pktmeta_area {
	u64 set;
	u64 generation;
	u32 nonce;
	u32 owner;
	u8 data[];
};

#define PKTMETA_AREA_OFFSET	ALIGN(sizeof(struct xdp_frame), 8)

static inline struct pktmeta_area *pktmeta_xdp_area(const struct xdp_buff *xdp)
{
	return xdp->data_hard_start + PKTMETA_AREA_OFFSET;
}

/* First byte the area must not reach: data_meta, or data without meta. */
static inline const void *pktmeta_xdp_limit(const struct xdp_buff *xdp)
{
	return min(xdp->data_meta, xdp->data);
}

static inline bool pktmeta_xdp_area_valid(const struct xdp_buff *xdp)
{
	return xdp->flags & PKTMETA_XDP_FLAG_AREA;
}

/*
 * xdp_rxq_info->reg_state of a queue a driver registered with
 * xdp_rxq_info_reg() (REG_STATE_REGISTERED, private to net/core/xdp.c in
 * 6.1 and 6.12); the rxq copies cpumap and devmap make on their stack for
 * their programs are zeroed (REG_STATE_NEW).
 */
#define PKTMETA_RXQ_REGISTERED	1

/**
 * enum pktmeta_xdp_origin - where the buffer an XDP program runs on comes
 * from (area.c)
 * @PKTMETA_XDP_FROM_FRAME: rebuilt from an xdp_frame (cpumap and devmap
 *                          programs): the frame's area is kept
 * @PKTMETA_XDP_SELF_RESET: made by a path that resets its flags for each
 *                          packet (generic XDP, test runs, veth, virtio-net)
 * @PKTMETA_XDP_DRIVER_RING: a native driver's queue: the flags may be an
 *                           earlier packet's
 * @PKTMETA_XDP_LIVE_FRAME: a live-frame test run's: likewise, and its
 *                          xdp_frame's too
 */
enum pktmeta_xdp_origin {
	PKTMETA_XDP_FROM_FRAME,
	PKTMETA_XDP_SELF_RESET,
	PKTMETA_XDP_DRIVER_RING,
	PKTMETA_XDP_LIVE_FRAME,
};

void pktmeta_xdp_live_frame_clear(struct xdp_buff *xdp);
bool pktmeta_xdp_dev_safe(const struct xdp_buff *xdp);
void pktmeta_xdp_area_init(struct xdp_buff *xdp, u64 generation);

/**
 * pktmeta_rxq_is_generic() - is @rxq one of its device's own rx queues?
 * @rxq: the rxq of an xdp_buff
 *
 * Return: true for generic XDP and BPF_PROG_TEST_RUN, false for a driver's
 * native queues and the stack copies of cpumap and devmap.
 */
static inline bool pktmeta_rxq_is_generic(const struct xdp_rxq_info *rxq)
{
	const struct net_device *dev = rxq->dev;
	const void *q = rxq;

	return q >= (const void *)dev->_rx &&
	       q < (const void *)(dev->_rx + dev->num_rx_queues);
}

/*
 * Is @dev's link kind @kind, a string literal? Compared inline, a byte at a
 * time (its terminating NUL included) while they match: the probe at every
 * XDP program run asks it of every veth packet (hook_xdp_run.c), where a
 * call to strcmp() was a third of the probe's cost. The classification
 * below is inline for the same reason: that probe runs it per packet.
 */
#define pktmeta_link_kind_is(dev, kind) \
	__pktmeta_link_kind_is(dev, kind, sizeof(kind))

static __always_inline bool __pktmeta_link_kind_is(const struct net_device *dev,
						   const char *kind, size_t n)
{
	const char *k;
	size_t i;

	if (!dev->rtnl_link_ops)
		return false;
	k = dev->rtnl_link_ops->kind;
#pragma GCC unroll 8
	for (i = 0; i < n; i++)
		if (k[i] != kind[i])
			return false;
	return true;
}

static inline bool pktmeta_dev_is_veth(const struct net_device *dev)
{
	return pktmeta_link_kind_is(dev, "veth");
}

/**
 * pktmeta_dev_is_virtio_net() - is @dev a virtio-net device?
 * @dev: a device
 *
 * Return: true when virtio_net drives @dev.
 */
static inline bool pktmeta_dev_is_virtio_net(const struct net_device *dev)
{
	const struct device *parent = dev->dev.parent;

	return parent && parent->driver &&
	       !strcmp(parent->driver->name, "virtio_net");
}

/*
 * The xdp_frame of a live-frame test run's buffer, or NULL for any other
 * buffer. net/bpf/test_run.c keeps struct xdp_page_head at the start of
 * the packet's page: orig_ctx, ctx (the buffer the program runs on), then
 * the frame it passes and redirects, frm, right after ctx: at
 * data_hard_start (6.12, where the frame overlays the headroom) or right
 * before it (6.1). No driver keeps its xdp_buff inside the packet's own
 * page (they use the stack or the ring).
 */
static inline struct xdp_frame *pktmeta_live_frame(const struct xdp_buff *xdp)
{
	unsigned long head = (unsigned long)xdp & PAGE_MASK;
	void *frm = (void *)(xdp + 1);

	if ((unsigned long)xdp != head + sizeof(*xdp))
		return NULL;
	if (xdp->data_hard_start != frm &&
	    xdp->data_hard_start != frm + sizeof(struct xdp_frame))
		return NULL;
	return frm;
}

/**
 * pktmeta_xdp_buff_origin() - where the buffer an XDP program runs on comes
 * from (see the top of area.c)
 * @xdp: the buffer
 *
 * Return: its enum pktmeta_xdp_origin.
 */
static __always_inline enum pktmeta_xdp_origin
pktmeta_xdp_buff_origin(const struct xdp_buff *xdp)
{
	const struct xdp_rxq_info *rxq = xdp->rxq;
	const struct net_device *dev = rxq->dev;

	if (rxq->reg_state != PKTMETA_RXQ_REGISTERED || !dev)
		return PKTMETA_XDP_FROM_FRAME;
	if (pktmeta_live_frame(xdp))
		return PKTMETA_XDP_LIVE_FRAME;
	if (pktmeta_rxq_is_generic(rxq) || pktmeta_dev_is_veth(dev) ||
	    pktmeta_dev_is_virtio_net(dev))
		return PKTMETA_XDP_SELF_RESET;
	return PKTMETA_XDP_DRIVER_RING;
}

/*
 * Copy a value of 1, 2, 4 or 8 bytes (fields are naturally aligned in the
 * area) inline; any other size is left to the caller's slow path.
 */
static __always_inline bool pktmeta_copy_small(void *dst, const void *src,
					       u32 size)
{
	/* u64 first: the hash, the timestamp and most users' fields */
	if (likely(size == 8)) {
		memcpy(dst, src, 8);
		return true;
	}
	switch (size) {
	case 1:
		memcpy(dst, src, 1);
		return true;
	case 2:
		memcpy(dst, src, 2);
		return true;
	case 4:
		memcpy(dst, src, 4);
		return true;
	}
	return false;
}

/*
 * Field @row's @size bytes in @area, at @bytes, handed out to be written in
 * place (bpf_xdp_pktmeta_ptr(), bpf_skb_pktmeta_ptr()): zeros unless the
 * field is set already, and set from now on.
 */
static inline void pktmeta_area_take(struct pktmeta_area *area,
				     unsigned int row, u8 *bytes, u32 size)
{
	if (!(area->set & (1ULL << row)))
		memset(bytes, 0, size);
	area->set |= 1ULL << row;
}

/* Zero a value of 1, 2, 4 or 8 bytes inline; false for other sizes. */
static __always_inline bool pktmeta_zero_small(void *dst, u32 size)
{
	static const u64 zero;

	return pktmeta_copy_small(dst, &zero, size);
}

#endif /* PKTMETA_AREA_H */
