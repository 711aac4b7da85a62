// SPDX-License-Identifier: GPL-2.0
/*
 * Per-device counts of refused XDP buffers (refused.h). Refusals happen only
 * where the xdp_run hook is not attached (area.c), on the kfuncs' slow
 * path. The first PKTMETA_REFUSED_DEVS devices refused get a row each,
 * keyed by the device (a device that goes away keeps its row, with the
 * name it had); the others share one.
 */
#include <linux/atomic.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <net/rtnetlink.h>
#include "refused.h"

#define PKTMETA_REFUSED_DEVS	32

struct pktmeta_refused {
	const struct net_device *dev;
	int ifindex;
	char name[IFNAMSIZ];
	char driver[32];
	atomic64_t count;
};

static struct pktmeta_refused pktmeta_refused[PKTMETA_REFUSED_DEVS];
static unsigned int pktmeta_refused_rows;	/* rows in use, published */
static atomic64_t pktmeta_refused_other;
static DEFINE_SPINLOCK(pktmeta_refused_lock);

static struct pktmeta_refused *pktmeta_refused_find(const struct net_device *dev)
{
	/* pairs with the release in pktmeta_refused_count(): rows below n are whole */
	unsigned int i, n = smp_load_acquire(&pktmeta_refused_rows);

	for (i = 0; i < n; i++)
		if (pktmeta_refused[i].dev == dev)
			return &pktmeta_refused[i];
	return NULL;
}

/**
 * pktmeta_refused_count() - count one refused buffer of @dev
 * @dev: the device the buffer came in on
 *
 * Callable from any context the XDP kfuncs run in.
 */
void pktmeta_refused_count(const struct net_device *dev)
{
	const struct device *parent = dev->dev.parent;
	struct pktmeta_refused *r = pktmeta_refused_find(dev);
	unsigned long flags;

	if (r) {
		atomic64_inc(&r->count);
		return;
	}
	spin_lock_irqsave(&pktmeta_refused_lock, flags);
	r = pktmeta_refused_find(dev);
	if (!r && pktmeta_refused_rows < PKTMETA_REFUSED_DEVS) {
		r = &pktmeta_refused[pktmeta_refused_rows];
		r->dev = dev;
		r->ifindex = dev->ifindex;
		strscpy(r->name, dev->name, sizeof(r->name));
		strscpy(r->driver, parent && parent->driver ? parent->driver->name :
			dev->rtnl_link_ops ? dev->rtnl_link_ops->kind : "-",
			sizeof(r->driver));
		/* the row is complete before readers may see it */
		smp_store_release(&pktmeta_refused_rows, pktmeta_refused_rows + 1);
	}
	spin_unlock_irqrestore(&pktmeta_refused_lock, flags);
	atomic64_inc(r ? &r->count : &pktmeta_refused_other);
}

/**
 * pktmeta_refused_show() - the debugfs `refused` table
 * @m: the seq_file
 */
void pktmeta_refused_show(struct seq_file *m)
{
	/* pairs with the release in pktmeta_refused_count(): rows below n are whole */
	unsigned int i, n = smp_load_acquire(&pktmeta_refused_rows);

	seq_puts(m, "ifindex name driver refused\n");
	for (i = 0; i < n; i++)
		seq_printf(m, "%d %s %s %lld\n", pktmeta_refused[i].ifindex,
			   pktmeta_refused[i].name, pktmeta_refused[i].driver,
			   atomic64_read(&pktmeta_refused[i].count));
	if (atomic64_read(&pktmeta_refused_other))
		seq_printf(m, "- - - %lld\n", atomic64_read(&pktmeta_refused_other));
}
