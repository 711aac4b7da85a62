/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pktmeta: declarations shared by the files of the module.
 */
#ifndef PKTMETA_H
#define PKTMETA_H

#include <linux/rcupdate.h>
#include "registry.h"

/**
 * struct pktmeta_snapshot - a published layout and what frees it
 * @rcu: frees the snapshot after readers are done with it
 * @layout: the layout, immutable once published
 */
struct pktmeta_snapshot {
	struct rcu_head rcu;
	struct pktmeta_layout layout;
};

/* registry_glue.c: the registry behind a writer lock, published with RCU. */
extern struct pktmeta_snapshot __rcu *pktmeta_current;
int pktmeta_registry_setup(u32 capacity, u32 hints);
void pktmeta_registry_teardown(void);
int pktmeta_register(const char *name, size_t len, u32 size, u32 flags,
		     u32 *id);
int pktmeta_unregister(u32 id);
int pktmeta_lookup(const char *name, size_t len, u32 *id);
u32 pktmeta_refs(u32 id);

/**
 * pktmeta_snapshot_dp() - the published layout, for the datapath
 *
 * XDP programs in drivers run under rcu_read_lock(); devmap programs and
 * TC egress may run with bottom halves disabled only (__dev_flush() and
 * __dev_queue_xmit()'s rcu_read_lock_bh() in net/core/dev.c), which is an
 * RCU read-side critical section as well since the RCU flavours were
 * consolidated (4.20): kfree_rcu() of a snapshot waits for them too.
 *
 * Return: the snapshot; valid until the caller's read section ends.
 */
static inline const struct pktmeta_snapshot *pktmeta_snapshot_dp(void)
{
	return rcu_dereference_check(pktmeta_current,
				     rcu_read_lock_bh_held() ||
				     rcu_read_lock_sched_held());
}

/* kfuncs_*.c */
int pktmeta_kfuncs_xdp_register(void);
int pktmeta_kfuncs_syscall_register(void);
int pktmeta_kfuncs_skb_register(void);

/* netlink.c: the generic netlink family */
int pktmeta_netlink_init(void);
void pktmeta_netlink_exit(void);

/* debugfs.c */
int pktmeta_debugfs_init(void);
void pktmeta_debugfs_exit(void);

#endif /* PKTMETA_H */
