// SPDX-License-Identifier: GPL-2.0
/*
 * pmnic: a test-only pair of Ethernet devices whose receive path works the
 * way ice's and i40e's does, for pktmeta's guest tests
 * (tests/guest/native_xdp.bats). Never installed: the tests insmod it.
 *
 * Each pair (module parameter pairs, default 1) is pmnic<2i> and
 * pmnic<2i+1>, joined like a cable: what one transmits (ndo_start_xmit,
 * XDP_TX, ndo_xdp_xmit) is copied into its peer's receive ring and the
 * peer's NAPI is scheduled.
 *
 * The receive ring has ring_size buffers (module parameter, default 5: an
 * odd count, so that traffic setting a field on every other packet puts
 * packets of both parities in each buffer in turn). Each buffer is a whole
 * page: XDP_PACKET_HEADROOM, the packet, and tailroom for the
 * skb_shared_info of an skb built over it. The ring keeps one reference on
 * each page; an skb (XDP_PASS) or an xdp_frame (XDP_REDIRECT) takes another.
 * A slot is refilled with its own page when that reference is the only one
 * left (XDP_DROP and XDP_TX give the buffer back at once, XDP_PASS once the
 * stack has freed the skb), else with a new page: pages are recycled, with
 * whatever an earlier packet left in their headroom.
 *
 * As in ice, the ring has ONE struct xdp_buff. xdp_init_buff() runs once at
 * the start of each NAPI poll and xdp_prepare_buff() for each packet, so
 * xdp_buff->flags set during one packet carry over to the next packet of
 * the same poll. Interrupt coalescing (ethtool -C rx-usecs, rx-frames)
 * makes a poll see several packets: a producer schedules the peer's NAPI
 * once rx-frames packets wait (or the ring is full), else it arms a timer
 * of rx-usecs.
 *
 * XDP: native (ndo_bpf), with XDP_PASS (napi_build_skb() over the same
 * buffer, as ice_build_skb() does), XDP_DROP, XDP_TX (out through this
 * device, into the peer's ring), XDP_REDIRECT (xdp_do_redirect(), flushed
 * at the end of the poll; the queue is registered as MEM_TYPE_PAGE_SHARED)
 * and ndo_xdp_xmit (a redirect target). What happened is counted in
 * ethtool -S.
 */
#include <linux/bpf.h>
#include <linux/bpf_trace.h>
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/filter.h>
#include <linux/hrtimer.h>
#include <linux/if_vlan.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <linux/u64_stats_sync.h>
#include <net/xdp.h>

#define PMNIC_MAX_PAIRS		16
#define PMNIC_MAX_RING		1024

/* The longest frame a buffer holds: a page less headroom and shared info. */
#define PMNIC_MAX_FRAME		(PAGE_SIZE - XDP_PACKET_HEADROOM - \
				 SKB_DATA_ALIGN(sizeof(struct skb_shared_info)))

static unsigned int pairs = 1;
module_param(pairs, uint, 0444);
MODULE_PARM_DESC(pairs, "pairs of devices: pmnic<2i> and pmnic<2i+1> (default 1, at most 16)");

static unsigned int ring_size = 5;
module_param(ring_size, uint, 0444);
MODULE_PARM_DESC(ring_size, "receive buffers per device (default 5, 2 to 1024)");

/* The state of a ring slot; its transitions are in pmnic_poll(). */
enum pmnic_buf_state {
	PMNIC_BUF_EMPTY,	/* no page: to be refilled by NAPI */
	PMNIC_BUF_FREE,		/* a page a producer may fill */
	PMNIC_BUF_FULL,		/* a packet for NAPI */
	PMNIC_BUF_DONE,		/* received: to be refilled by NAPI */
};

struct pmnic_buf {
	struct page *page;
	u32 len;
	u32 state;
};

/*
 * Counters, in three blocks with one writer context each: the receive
 * ring's NAPI poll; producers into the ring (under its lock); this device's
 * transmissions (under the lock of the peer's ring, which they fill).
 */
enum pmnic_block {
	PMNIC_BLOCK_NAPI,
	PMNIC_BLOCK_RING,
	PMNIC_BLOCK_TX,
	PMNIC_NBLOCKS,
};

enum pmnic_stat {
	PMNIC_RX_PACKETS,
	PMNIC_RX_BYTES,
	PMNIC_NAPI_POLLS,
	PMNIC_NAPI_POLLS_BATCHED,
	PMNIC_RX_SKBS,
	PMNIC_XDP_PASS,
	PMNIC_XDP_DROP,
	PMNIC_XDP_TX,
	PMNIC_XDP_TX_ERRORS,
	PMNIC_XDP_REDIRECT,
	PMNIC_XDP_REDIRECT_ERRORS,
	PMNIC_XDP_ABORTED,
	PMNIC_RX_PAGE_REUSE,
	PMNIC_RX_PAGE_ALLOC,
	PMNIC_RX_ALLOC_FAILED,
	PMNIC_RX_SKB_FAILED,
	PMNIC_NAPI_NSTATS,
	PMNIC_RX_RING_FULL = PMNIC_NAPI_NSTATS,
	PMNIC_TX_PACKETS,
	PMNIC_TX_BYTES,
	PMNIC_TX_DROPPED,
	PMNIC_XDP_XMIT,
	PMNIC_XDP_XMIT_ERRORS,
	PMNIC_NSTATS,
};

static const struct {
	const char *name;
	enum pmnic_block block;
} pmnic_stat_desc[PMNIC_NSTATS] = {
	[PMNIC_RX_PACKETS]		= { "rx_packets", PMNIC_BLOCK_NAPI },
	[PMNIC_RX_BYTES]		= { "rx_bytes", PMNIC_BLOCK_NAPI },
	[PMNIC_NAPI_POLLS]		= { "napi_polls", PMNIC_BLOCK_NAPI },
	[PMNIC_NAPI_POLLS_BATCHED]	= { "napi_polls_batched", PMNIC_BLOCK_NAPI },
	[PMNIC_RX_SKBS]			= { "rx_skbs", PMNIC_BLOCK_NAPI },
	[PMNIC_XDP_PASS]		= { "xdp_pass", PMNIC_BLOCK_NAPI },
	[PMNIC_XDP_DROP]		= { "xdp_drop", PMNIC_BLOCK_NAPI },
	[PMNIC_XDP_TX]			= { "xdp_tx", PMNIC_BLOCK_NAPI },
	[PMNIC_XDP_TX_ERRORS]		= { "xdp_tx_errors", PMNIC_BLOCK_NAPI },
	[PMNIC_XDP_REDIRECT]		= { "xdp_redirect", PMNIC_BLOCK_NAPI },
	[PMNIC_XDP_REDIRECT_ERRORS]	= { "xdp_redirect_errors", PMNIC_BLOCK_NAPI },
	[PMNIC_XDP_ABORTED]		= { "xdp_aborted", PMNIC_BLOCK_NAPI },
	[PMNIC_RX_PAGE_REUSE]		= { "rx_page_reuse", PMNIC_BLOCK_NAPI },
	[PMNIC_RX_PAGE_ALLOC]		= { "rx_page_alloc", PMNIC_BLOCK_NAPI },
	[PMNIC_RX_ALLOC_FAILED]		= { "rx_alloc_failed", PMNIC_BLOCK_NAPI },
	[PMNIC_RX_SKB_FAILED]		= { "rx_skb_failed", PMNIC_BLOCK_NAPI },
	[PMNIC_RX_RING_FULL]		= { "rx_ring_full", PMNIC_BLOCK_RING },
	[PMNIC_TX_PACKETS]		= { "tx_packets", PMNIC_BLOCK_TX },
	[PMNIC_TX_BYTES]		= { "tx_bytes", PMNIC_BLOCK_TX },
	[PMNIC_TX_DROPPED]		= { "tx_dropped", PMNIC_BLOCK_TX },
	[PMNIC_XDP_XMIT]		= { "xdp_xmit", PMNIC_BLOCK_TX },
	[PMNIC_XDP_XMIT_ERRORS]		= { "xdp_xmit_errors", PMNIC_BLOCK_TX },
};

struct pmnic_stats {
	struct u64_stats_sync syncp;
	u64_stats_t v[PMNIC_NSTATS];
};

/**
 * struct pmnic_priv - one device and its receive ring
 * @dev: this device
 * @peer: the other end of the cable, for the device's lifetime
 * @xdp_prog: the native XDP program, or NULL
 * @lock: serialises the producers into the ring (the peer's ndo_start_xmit,
 *        XDP_TX and ndo_xdp_xmit) and the coalescing state
 * @running: under @lock: the ring takes packets (the device is up)
 * @ntu: under @lock: the next slot a producer fills
 * @unkicked: under @lock: packets put since NAPI was last scheduled
 * @rx_usecs: under @lock: ethtool rx-usecs, the coalescing delay
 * @rx_max_frames: under @lock: ethtool rx-frames, the coalescing count
 * @timer: schedules NAPI @rx_usecs after the first unkicked packet
 * @napi: the ring's NAPI context
 * @ntc: NAPI only: the next slot to receive
 * @ntr: NAPI only: the next slot to refill
 * @xdp: NAPI only: the ring's one xdp_buff, as ice's rx_ring->xdp
 * @xdp_rxq: the ring's registered rxq
 * @stats: counters, by writer (enum pmnic_block)
 * @size: the number of slots in @bufs
 * @bufs: the ring
 */
struct pmnic_priv {
	struct net_device *dev;
	struct net_device *peer;
	struct bpf_prog __rcu *xdp_prog;

	spinlock_t lock;	/* producers into the ring, see above */
	bool running;
	u32 ntu;
	u32 unkicked;
	u32 rx_usecs;
	u32 rx_max_frames;
	struct hrtimer timer;

	struct napi_struct napi;
	u32 ntc;
	u32 ntr;
	struct xdp_buff xdp;
	struct xdp_rxq_info xdp_rxq;

	struct pmnic_stats stats[PMNIC_NBLOCKS];
	u32 size;
	struct pmnic_buf bufs[];
};

static struct net_device *pmnic_devs[2 * PMNIC_MAX_PAIRS];

static u32 pmnic_next(const struct pmnic_priv *priv, u32 i)
{
	return ++i == priv->size ? 0 : i;
}

/* Add @n to counter @stat of @block; the block's writer context only. */
static void pmnic_count(struct pmnic_priv *priv, enum pmnic_block block,
			enum pmnic_stat stat, u64 n)
{
	struct pmnic_stats *st = &priv->stats[block];

	u64_stats_update_begin(&st->syncp);
	u64_stats_add(&st->v[stat], n);
	u64_stats_update_end(&st->syncp);
}

static u64 pmnic_read(struct pmnic_priv *priv, enum pmnic_stat stat)
{
	const struct pmnic_stats *st = &priv->stats[pmnic_stat_desc[stat].block];
	unsigned int start;
	u64 v;

	do {
		start = u64_stats_fetch_begin(&st->syncp);
		v = u64_stats_read(&st->v[stat]);
	} while (u64_stats_fetch_retry(&st->syncp, start));
	return v;
}

/* ---- producers: what the peer puts into this device's ring ---- */

/*
 * Schedule NAPI for the packets put into @rx's ring so far: now, when
 * rx-frames of them wait or the ring is full, else when the coalescing
 * timer fires. Called with @rx->lock held.
 */
static void pmnic_kick(struct pmnic_priv *rx)
{
	lockdep_assert_held(&rx->lock);
	if (!rx->running || !rx->unkicked)
		return;
	if (rx->unkicked >= rx->rx_max_frames || !rx->rx_usecs ||
	    READ_ONCE(rx->bufs[rx->ntu].state) != PMNIC_BUF_FREE) {
		rx->unkicked = 0;
		hrtimer_try_to_cancel(&rx->timer);
		napi_schedule(&rx->napi);
	} else if (!hrtimer_is_queued(&rx->timer)) {
		hrtimer_start(&rx->timer, ns_to_ktime(rx->rx_usecs * NSEC_PER_USEC),
			      HRTIMER_MODE_REL);
	}
}

static enum hrtimer_restart pmnic_timer(struct hrtimer *timer)
{
	struct pmnic_priv *rx = container_of(timer, struct pmnic_priv, timer);
	unsigned long flags;

	spin_lock_irqsave(&rx->lock, flags);
	if (rx->running) {
		rx->unkicked = 0;
		napi_schedule(&rx->napi);
	}
	spin_unlock_irqrestore(&rx->lock, flags);
	return HRTIMER_NORESTART;
}

/*
 * Where a producer copies a packet of @len bytes into @rx's ring, or NULL
 * (the device is down, the packet too long, or the ring full). Called with
 * @rx->lock held; pmnic_commit() hands the packet to NAPI.
 */
static void *pmnic_claim(struct pmnic_priv *rx, u32 len)
{
	struct pmnic_buf *buf = &rx->bufs[rx->ntu];

	lockdep_assert_held(&rx->lock);
	if (!rx->running || len > PMNIC_MAX_FRAME)
		return NULL;
	/* Pairs with the release in pmnic_refill(): the page is ours. */
	if (smp_load_acquire(&buf->state) != PMNIC_BUF_FREE) {
		pmnic_count(rx, PMNIC_BLOCK_RING, PMNIC_RX_RING_FULL, 1);
		/* NAPI refills the slots it received. */
		rx->unkicked = 0;
		napi_schedule(&rx->napi);
		return NULL;
	}
	return page_address(buf->page) + XDP_PACKET_HEADROOM;
}

static void pmnic_commit(struct pmnic_priv *rx, u32 len)
{
	struct pmnic_buf *buf = &rx->bufs[rx->ntu];

	buf->len = len;
	/* Pairs with the acquire in pmnic_poll(): the packet is written. */
	smp_store_release(&buf->state, PMNIC_BUF_FULL);
	rx->ntu = pmnic_next(rx, rx->ntu);
	rx->unkicked++;
}

static netdev_tx_t pmnic_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct pmnic_priv *priv = netdev_priv(dev);
	struct pmnic_priv *rx = netdev_priv(priv->peer);
	unsigned long flags;
	bool sent = false;
	void *to;

	spin_lock_irqsave(&rx->lock, flags);
	to = pmnic_claim(rx, skb->len);
	if (to && !skb_copy_bits(skb, 0, to, skb->len)) {
		pmnic_commit(rx, skb->len);
		pmnic_kick(rx);
		sent = true;
		pmnic_count(priv, PMNIC_BLOCK_TX, PMNIC_TX_PACKETS, 1);
		pmnic_count(priv, PMNIC_BLOCK_TX, PMNIC_TX_BYTES, skb->len);
	} else {
		pmnic_count(priv, PMNIC_BLOCK_TX, PMNIC_TX_DROPPED, 1);
	}
	spin_unlock_irqrestore(&rx->lock, flags);
	if (sent)
		dev_consume_skb_any(skb);
	else
		dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

/* ndo_xdp_xmit: frames redirected to this device leave through it. */
static int pmnic_xdp_xmit(struct net_device *dev, int n,
			  struct xdp_frame **frames, u32 flags)
{
	struct pmnic_priv *priv = netdev_priv(dev);
	struct pmnic_priv *rx = netdev_priv(priv->peer);
	unsigned long irqflags;
	int i, sent;
	void *to;

	if (unlikely(flags & ~XDP_XMIT_FLAGS_MASK))
		return -EINVAL;
	spin_lock_irqsave(&rx->lock, irqflags);
	for (sent = 0; sent < n; sent++) {
		to = pmnic_claim(rx, frames[sent]->len);
		if (!to)
			break;
		memcpy(to, frames[sent]->data, frames[sent]->len);
		pmnic_commit(rx, frames[sent]->len);
	}
	pmnic_kick(rx);
	pmnic_count(priv, PMNIC_BLOCK_TX, PMNIC_XDP_XMIT, sent);
	pmnic_count(priv, PMNIC_BLOCK_TX, PMNIC_XDP_XMIT_ERRORS, n - sent);
	spin_unlock_irqrestore(&rx->lock, irqflags);
	/* Copied: the frames are done with. The caller frees the others. */
	for (i = 0; i < sent; i++)
		xdp_return_frame(frames[i]);
	return sent;
}

/* ---- the receive ring's NAPI poll ---- */

/*
 * Give the producers back the slots NAPI received, in ring order: each
 * with its own page when the ring holds the only reference left, else
 * with a new page.
 */
static void pmnic_refill(struct pmnic_priv *priv, u64 *cnt)
{
	for (;;) {
		struct pmnic_buf *buf = &priv->bufs[priv->ntr];
		u32 state = READ_ONCE(buf->state);

		if (state != PMNIC_BUF_DONE && state != PMNIC_BUF_EMPTY)
			return;
		if (buf->page && page_ref_count(buf->page) == 1) {
			cnt[PMNIC_RX_PAGE_REUSE]++;
		} else {
			if (buf->page)
				put_page(buf->page);
			buf->page = dev_alloc_page();
			if (!buf->page) {
				cnt[PMNIC_RX_ALLOC_FAILED]++;
				WRITE_ONCE(buf->state, PMNIC_BUF_EMPTY);
				return;
			}
			cnt[PMNIC_RX_PAGE_ALLOC]++;
		}
		/* Pairs with the acquire in pmnic_claim(). */
		smp_store_release(&buf->state, PMNIC_BUF_FREE);
		priv->ntr = pmnic_next(priv, priv->ntr);
	}
}

/* XDP_PASS, or no program: an skb over the same buffer, as ice_build_skb(). */
static void pmnic_receive_skb(struct pmnic_priv *priv, struct page *page,
			      u64 *cnt)
{
	struct xdp_buff *xdp = &priv->xdp;
	unsigned int metasize = xdp->data - xdp->data_meta;
	struct sk_buff *skb;

	get_page(page);		/* the skb's */
	skb = napi_build_skb(xdp->data_hard_start, xdp->frame_sz);
	if (unlikely(!skb)) {
		put_page(page);
		cnt[PMNIC_RX_SKB_FAILED]++;
		return;
	}
	skb_reserve(skb, xdp->data - xdp->data_hard_start);
	__skb_put(skb, xdp->data_end - xdp->data);
	if (metasize)
		skb_metadata_set(skb, metasize);
	skb->protocol = eth_type_trans(skb, priv->dev);
	skb_record_rx_queue(skb, 0);
	cnt[PMNIC_RX_SKBS]++;
	/*
	 * Not napi_gro_receive(): the stack is done with the skb on return,
	 * so pmnic_refill() finds the page free again.
	 */
	netif_receive_skb(skb);
}

/* XDP_TX: out through this device, a copy into the peer's ring. */
static bool pmnic_xdp_tx(struct pmnic_priv *priv)
{
	struct pmnic_priv *rx = netdev_priv(priv->peer);
	struct xdp_buff *xdp = &priv->xdp;
	u32 len = xdp->data_end - xdp->data;
	unsigned long flags;
	void *to;

	spin_lock_irqsave(&rx->lock, flags);
	to = pmnic_claim(rx, len);
	if (to) {
		memcpy(to, xdp->data, len);
		pmnic_commit(rx, len);
	}
	spin_unlock_irqrestore(&rx->lock, flags);
	return to;
}

#define PMNIC_FLUSH_TX		BIT(0)
#define PMNIC_FLUSH_REDIRECT	BIT(1)

/* Run @prog on the packet in @priv->xdp (the page @page) and act on it. */
static void pmnic_run_xdp(struct pmnic_priv *priv, struct bpf_prog *prog,
			  struct page *page, u64 *cnt, u32 *flush)
{
	u32 act = bpf_prog_run_xdp(prog, &priv->xdp);

	switch (act) {
	case XDP_PASS:
		cnt[PMNIC_XDP_PASS]++;
		pmnic_receive_skb(priv, page, cnt);
		return;
	case XDP_DROP:
		cnt[PMNIC_XDP_DROP]++;
		return;
	case XDP_TX:
		if (pmnic_xdp_tx(priv)) {
			cnt[PMNIC_XDP_TX]++;
			*flush |= PMNIC_FLUSH_TX;
			return;
		}
		cnt[PMNIC_XDP_TX_ERRORS]++;
		break;
	case XDP_REDIRECT:
		get_page(page);		/* the frame's */
		if (!xdp_do_redirect(priv->dev, &priv->xdp, prog)) {
			cnt[PMNIC_XDP_REDIRECT]++;
			*flush |= PMNIC_FLUSH_REDIRECT;
			return;
		}
		put_page(page);
		cnt[PMNIC_XDP_REDIRECT_ERRORS]++;
		break;
	default:
		bpf_warn_invalid_xdp_action(priv->dev, prog, act);
		fallthrough;
	case XDP_ABORTED:
		cnt[PMNIC_XDP_ABORTED]++;
		break;
	}
	trace_xdp_exception(priv->dev, prog, act);
}

static int pmnic_poll(struct napi_struct *napi, int budget)
{
	struct pmnic_priv *priv = container_of(napi, struct pmnic_priv, napi);
	struct pmnic_stats *st = &priv->stats[PMNIC_BLOCK_NAPI];
	u64 cnt[PMNIC_NAPI_NSTATS] = {};
	struct bpf_prog *prog;
	u32 flush = 0;
	int done = 0;
	int i;

	pmnic_refill(priv, cnt);	/* what the stack freed since */
	rcu_read_lock();
	prog = rcu_dereference(priv->xdp_prog);
	/*
	 * Once per poll, as ice's one rx_ring->xdp: flags one packet leaves
	 * in priv->xdp stay for the next packet of this poll.
	 */
	xdp_init_buff(&priv->xdp, PAGE_SIZE, &priv->xdp_rxq);
	while (done < budget) {
		struct pmnic_buf *buf = &priv->bufs[priv->ntc];

		/* Pairs with the release in pmnic_commit(). */
		if (smp_load_acquire(&buf->state) != PMNIC_BUF_FULL)
			break;
		xdp_prepare_buff(&priv->xdp, page_address(buf->page),
				 XDP_PACKET_HEADROOM, buf->len, true);
		cnt[PMNIC_RX_PACKETS]++;
		cnt[PMNIC_RX_BYTES] += buf->len;
		if (prog)
			pmnic_run_xdp(priv, prog, buf->page, cnt, &flush);
		else
			pmnic_receive_skb(priv, buf->page, cnt);
		WRITE_ONCE(buf->state, PMNIC_BUF_DONE);
		priv->ntc = pmnic_next(priv, priv->ntc);
		done++;
	}
	if (flush & PMNIC_FLUSH_REDIRECT)
		xdp_do_flush();
	rcu_read_unlock();
	if (flush & PMNIC_FLUSH_TX) {
		struct pmnic_priv *rx = netdev_priv(priv->peer);
		unsigned long flags;

		spin_lock_irqsave(&rx->lock, flags);
		pmnic_kick(rx);
		spin_unlock_irqrestore(&rx->lock, flags);
	}
	pmnic_refill(priv, cnt);

	cnt[PMNIC_NAPI_POLLS] = 1;
	cnt[PMNIC_NAPI_POLLS_BATCHED] = done > 1;
	u64_stats_update_begin(&st->syncp);
	for (i = 0; i < PMNIC_NAPI_NSTATS; i++)
		u64_stats_add(&st->v[i], cnt[i]);
	u64_stats_update_end(&st->syncp);

	if (done < budget)
		napi_complete_done(napi, done);
	return done;
}

/* ---- device operations ---- */

static void pmnic_free_bufs(struct pmnic_priv *priv)
{
	u32 i;

	for (i = 0; i < priv->size; i++) {
		if (priv->bufs[i].page)
			put_page(priv->bufs[i].page);
		priv->bufs[i].page = NULL;
		priv->bufs[i].state = PMNIC_BUF_EMPTY;
	}
	priv->ntu = 0;
	priv->ntc = 0;
	priv->ntr = 0;
}

static int pmnic_open(struct net_device *dev)
{
	struct pmnic_priv *priv = netdev_priv(dev);
	u64 cnt[PMNIC_NAPI_NSTATS] = {};
	int err;

	napi_enable(&priv->napi);
	err = xdp_rxq_info_reg(&priv->xdp_rxq, dev, 0, priv->napi.napi_id);
	if (err)
		goto err_napi;
	err = xdp_rxq_info_reg_mem_model(&priv->xdp_rxq, MEM_TYPE_PAGE_SHARED,
					 NULL);
	if (err)
		goto err_rxq;
	/* NAPI retries what fails here (pmnic_claim() schedules it). */
	pmnic_refill(priv, cnt);
	pmnic_count(priv, PMNIC_BLOCK_NAPI, PMNIC_RX_PAGE_ALLOC,
		    cnt[PMNIC_RX_PAGE_ALLOC]);
	pmnic_count(priv, PMNIC_BLOCK_NAPI, PMNIC_RX_ALLOC_FAILED,
		    cnt[PMNIC_RX_ALLOC_FAILED]);

	spin_lock_irq(&priv->lock);
	priv->running = true;
	spin_unlock_irq(&priv->lock);
	if (priv->peer->flags & IFF_UP) {
		netif_carrier_on(dev);
		netif_carrier_on(priv->peer);
	}
	return 0;

err_rxq:
	xdp_rxq_info_unreg(&priv->xdp_rxq);
err_napi:
	napi_disable(&priv->napi);
	return err;
}

static int pmnic_stop(struct net_device *dev)
{
	struct pmnic_priv *priv = netdev_priv(dev);

	netif_carrier_off(dev);
	netif_carrier_off(priv->peer);
	/* No producer touches the ring once this is seen under the lock. */
	spin_lock_irq(&priv->lock);
	priv->running = false;
	priv->unkicked = 0;
	spin_unlock_irq(&priv->lock);
	hrtimer_cancel(&priv->timer);
	napi_disable(&priv->napi);
	pmnic_free_bufs(priv);
	xdp_rxq_info_unreg(&priv->xdp_rxq);
	return 0;
}

static int pmnic_bpf(struct net_device *dev, struct netdev_bpf *bpf)
{
	struct pmnic_priv *priv = netdev_priv(dev);
	struct bpf_prog *old;

	switch (bpf->command) {
	case XDP_SETUP_PROG:
		/* The core moved a reference into bpf->prog for us. */
		old = rcu_replace_pointer(priv->xdp_prog, bpf->prog,
					  lockdep_rtnl_is_held());
		if (old)
			bpf_prog_put(old);
		return 0;
	default:
		return -EINVAL;
	}
}

static void pmnic_get_stats64(struct net_device *dev,
			      struct rtnl_link_stats64 *stats)
{
	struct pmnic_priv *priv = netdev_priv(dev);

	stats->rx_packets = pmnic_read(priv, PMNIC_RX_PACKETS);
	stats->rx_bytes = pmnic_read(priv, PMNIC_RX_BYTES);
	stats->rx_dropped = pmnic_read(priv, PMNIC_RX_RING_FULL) +
			    pmnic_read(priv, PMNIC_RX_SKB_FAILED);
	stats->tx_packets = pmnic_read(priv, PMNIC_TX_PACKETS);
	stats->tx_bytes = pmnic_read(priv, PMNIC_TX_BYTES);
	stats->tx_dropped = pmnic_read(priv, PMNIC_TX_DROPPED);
}

static const struct net_device_ops pmnic_netdev_ops = {
	.ndo_open		= pmnic_open,
	.ndo_stop		= pmnic_stop,
	.ndo_start_xmit		= pmnic_xmit,
	.ndo_get_stats64	= pmnic_get_stats64,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_bpf		= pmnic_bpf,
	.ndo_xdp_xmit		= pmnic_xdp_xmit,
};

/* ---- ethtool ---- */

static void pmnic_get_drvinfo(struct net_device *dev,
			      struct ethtool_drvinfo *info)
{
	strscpy(info->driver, KBUILD_MODNAME, sizeof(info->driver));
}

static int pmnic_get_sset_count(struct net_device *dev, int sset)
{
	return sset == ETH_SS_STATS ? PMNIC_NSTATS : -EOPNOTSUPP;
}

static void pmnic_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	int i;

	if (sset != ETH_SS_STATS)
		return;
	for (i = 0; i < PMNIC_NSTATS; i++)
		strscpy((char *)data + i * ETH_GSTRING_LEN, pmnic_stat_desc[i].name,
			ETH_GSTRING_LEN);
}

static void pmnic_get_ethtool_stats(struct net_device *dev,
				    struct ethtool_stats *stats, u64 *data)
{
	struct pmnic_priv *priv = netdev_priv(dev);
	int i;

	for (i = 0; i < PMNIC_NSTATS; i++)
		data[i] = pmnic_read(priv, i);
}

static int pmnic_get_coalesce(struct net_device *dev,
			      struct ethtool_coalesce *ec,
			      struct kernel_ethtool_coalesce *kec,
			      struct netlink_ext_ack *extack)
{
	struct pmnic_priv *priv = netdev_priv(dev);

	spin_lock_irq(&priv->lock);
	ec->rx_coalesce_usecs = priv->rx_usecs;
	ec->rx_max_coalesced_frames = priv->rx_max_frames;
	spin_unlock_irq(&priv->lock);
	return 0;
}

static int pmnic_set_coalesce(struct net_device *dev,
			      struct ethtool_coalesce *ec,
			      struct kernel_ethtool_coalesce *kec,
			      struct netlink_ext_ack *extack)
{
	struct pmnic_priv *priv = netdev_priv(dev);

	if (!ec->rx_max_coalesced_frames) {
		NL_SET_ERR_MSG(extack, "rx-frames must be at least 1");
		return -EINVAL;
	}
	if (ec->rx_coalesce_usecs > USEC_PER_SEC) {
		NL_SET_ERR_MSG(extack, "rx-usecs must be at most 1000000");
		return -EINVAL;
	}
	spin_lock_irq(&priv->lock);
	priv->rx_usecs = ec->rx_coalesce_usecs;
	priv->rx_max_frames = ec->rx_max_coalesced_frames;
	spin_unlock_irq(&priv->lock);
	return 0;
}

static const struct ethtool_ops pmnic_ethtool_ops = {
	.supported_coalesce_params = ETHTOOL_COALESCE_RX_USECS |
				     ETHTOOL_COALESCE_RX_MAX_FRAMES,
	.get_drvinfo		= pmnic_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_sset_count		= pmnic_get_sset_count,
	.get_strings		= pmnic_get_strings,
	.get_ethtool_stats	= pmnic_get_ethtool_stats,
	.get_coalesce		= pmnic_get_coalesce,
	.set_coalesce		= pmnic_set_coalesce,
};

/* ---- the pairs ---- */

static void pmnic_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &pmnic_netdev_ops;
	dev->ethtool_ops = &pmnic_ethtool_ops;
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->needs_free_netdev = true;
	dev->max_mtu = PMNIC_MAX_FRAME - VLAN_ETH_HLEN;
#ifdef PMNIC_HAVE_XDP_FEATURES
	dev->xdp_features = NETDEV_XDP_ACT_BASIC | NETDEV_XDP_ACT_REDIRECT |
			    NETDEV_XDP_ACT_NDO_XMIT;
#endif
	eth_hw_addr_random(dev);
}

static struct net_device *pmnic_alloc(unsigned int index)
{
	struct pmnic_priv *priv;
	struct net_device *dev;
	char name[IFNAMSIZ];
	int i;

	snprintf(name, sizeof(name), "pmnic%u", index);
	dev = alloc_netdev(struct_size(priv, bufs, ring_size), name,
			   NET_NAME_ENUM, pmnic_setup);
	if (!dev)
		return NULL;
	priv = netdev_priv(dev);
	priv->dev = dev;
	priv->size = ring_size;
	spin_lock_init(&priv->lock);
	priv->rx_usecs = 50;
	priv->rx_max_frames = 4;
#ifdef PMNIC_HAVE_HRTIMER_SETUP
	hrtimer_setup(&priv->timer, pmnic_timer, CLOCK_MONOTONIC,
		      HRTIMER_MODE_REL);
#else
	hrtimer_init(&priv->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	priv->timer.function = pmnic_timer;
#endif
	for (i = 0; i < PMNIC_NBLOCKS; i++)
		u64_stats_init(&priv->stats[i].syncp);
	netif_napi_add(dev, &priv->napi, pmnic_poll);
	return dev;
}

/* Under RTNL: register pmnic<2i> and pmnic<2i+1> as peers. */
static int pmnic_create_pair(unsigned int i)
{
	struct net_device *a, *b;
	int err = -ENOMEM;

	a = pmnic_alloc(2 * i);
	b = pmnic_alloc(2 * i + 1);
	if (!a || !b)
		goto err_free;
	((struct pmnic_priv *)netdev_priv(a))->peer = b;
	((struct pmnic_priv *)netdev_priv(b))->peer = a;
	err = register_netdevice(a);
	if (err)
		goto err_free;
	err = register_netdevice(b);
	if (err) {
		unregister_netdevice(a);	/* frees it (needs_free_netdev) */
		free_netdev(b);
		return err;
	}
	pmnic_devs[2 * i] = a;
	pmnic_devs[2 * i + 1] = b;
	return 0;

err_free:
	if (a)
		free_netdev(a);
	if (b)
		free_netdev(b);
	return err;
}

static void pmnic_destroy_all(void)
{
	LIST_HEAD(list);
	int i;

	rtnl_lock();
	for (i = 0; i < ARRAY_SIZE(pmnic_devs); i++) {
		if (pmnic_devs[i])
			unregister_netdevice_queue(pmnic_devs[i], &list);
		pmnic_devs[i] = NULL;
	}
	unregister_netdevice_many(&list);
	rtnl_unlock();
}

static int __init pmnic_init(void)
{
	unsigned int i;
	int err = 0;

	if (!pairs || pairs > PMNIC_MAX_PAIRS) {
		pr_err("pairs=%u: from 1 to %u\n", pairs, PMNIC_MAX_PAIRS);
		return -EINVAL;
	}
	if (ring_size < 2 || ring_size > PMNIC_MAX_RING) {
		pr_err("ring_size=%u: from 2 to %u\n", ring_size, PMNIC_MAX_RING);
		return -EINVAL;
	}
	rtnl_lock();
	for (i = 0; i < pairs && !err; i++)
		err = pmnic_create_pair(i);
	rtnl_unlock();
	if (err)
		pmnic_destroy_all();
	return err;
}

static void __exit pmnic_exit(void)
{
	pmnic_destroy_all();
}

module_init(pmnic_init);
module_exit(pmnic_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("pktmeta test NIC: device pairs with an ice-like XDP receive ring");
