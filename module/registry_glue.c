// SPDX-License-Identifier: GPL-2.0
/*
 * pktmeta registry, kernel side: writers are serialised by a mutex and work
 * on the writer state of registry.c; every change is published as a new
 * immutable snapshot through RCU, so the datapath reads without a lock.
 */
#include <linux/mutex.h>
#include <linux/slab.h>
#include "pktmeta.h"
#include "stats.h"

struct pktmeta_snapshot __rcu *pktmeta_current;

static DEFINE_MUTEX(pktmeta_writer);
static struct pktmeta_registry pktmeta_reg;

/* Publish the writer's layout in @snap, allocated before the change. */
static void pktmeta_publish(struct pktmeta_snapshot *snap)
{
	struct pktmeta_snapshot *old;

	snap->layout = pktmeta_reg.layout;
	old = rcu_replace_pointer(pktmeta_current, snap,
				  lockdep_is_held(&pktmeta_writer));
	if (old)
		kfree_rcu(old, rcu);
}

/**
 * pktmeta_registry_setup() - create the registry and its hint fields
 * @capacity: bytes of field data in each packet's area
 * @hints: bitmap of the predefined hint fields to create
 *
 * Return: 0, -EINVAL for a bad capacity, or -ENOMEM.
 */
int pktmeta_registry_setup(u32 capacity, u32 hints)
{
	struct pktmeta_snapshot *snap = kmalloc(sizeof(*snap), GFP_KERNEL);
	int err;

	if (!snap)
		return -ENOMEM;
	mutex_lock(&pktmeta_writer);
	err = pktmeta_registry_init(&pktmeta_reg, capacity, hints);
	if (!err) {
		pktmeta_publish(snap);
		snap = NULL;
	}
	mutex_unlock(&pktmeta_writer);
	kfree(snap);
	return err;
}

/**
 * pktmeta_registry_teardown() - free the published layout at module exit
 */
void pktmeta_registry_teardown(void)
{
	struct pktmeta_snapshot *old;

	mutex_lock(&pktmeta_writer);
	old = rcu_replace_pointer(pktmeta_current, NULL,
				  lockdep_is_held(&pktmeta_writer));
	mutex_unlock(&pktmeta_writer);
	synchronize_rcu();
	kfree(old);
}

/**
 * pktmeta_register() - register a field, or take a reference on it
 * @name: field name, not necessarily NUL-terminated
 * @len: length of @name
 * @size: value size in bytes
 * @flags: 0 or PKTMETA_F_SOCKETS (offer a field this call creates to
 *         sockets)
 * @id: the field's id on success
 *
 * Return: 0, or -EINVAL (bad name or size), -EEXIST (same name, other
 * size; or @flags offers to sockets a field its creator did not), -ENOSPC
 * (no slot or no room), -ENOMEM.
 */
int pktmeta_register(const char *name, size_t len, u32 size, u32 flags,
		     u32 *id)
{
	struct pktmeta_snapshot *snap = kmalloc(sizeof(*snap), GFP_KERNEL);
	int ret;

	if (!snap)
		return -ENOMEM;
	mutex_lock(&pktmeta_writer);
	ret = pktmeta_registry_register(&pktmeta_reg, name, len, size,
					flags, id);
	if (ret == PKTMETA_LAYOUT_CHANGED) {
		pktmeta_stats_reset_field(*id);
		pktmeta_publish(snap);
		snap = NULL;
	}
	mutex_unlock(&pktmeta_writer);
	kfree(snap);
	return ret < 0 ? ret : 0;
}

/**
 * pktmeta_unregister() - drop a reference on a field
 * @id: the field's id
 *
 * At the last reference the field's slot and bytes become free; its id is
 * never given to another field.
 *
 * Return: 0, -ENOENT (no such field), -EPERM (a predefined hint), -ENOMEM.
 */
int pktmeta_unregister(u32 id)
{
	struct pktmeta_snapshot *snap = kmalloc(sizeof(*snap), GFP_KERNEL);
	int ret;

	if (!snap)
		return -ENOMEM;
	mutex_lock(&pktmeta_writer);
	ret = pktmeta_registry_unregister(&pktmeta_reg, id);
	if (ret == PKTMETA_LAYOUT_CHANGED) {
		pktmeta_publish(snap);
		snap = NULL;
	}
	mutex_unlock(&pktmeta_writer);
	kfree(snap);
	return ret < 0 ? ret : 0;
}

/**
 * pktmeta_lookup() - find a field's id by name
 * @name: field name, not necessarily NUL-terminated
 * @len: length of @name
 * @id: the field's id on success
 *
 * Return: 0, -EINVAL (bad name) or -ENOENT.
 */
int pktmeta_lookup(const char *name, size_t len, u32 *id)
{
	const struct pktmeta_snapshot *snap;
	int ret = -ENOENT;

	rcu_read_lock();
	snap = rcu_dereference(pktmeta_current);
	if (snap)
		ret = pktmeta_layout_lookup(&snap->layout, name, len, id);
	rcu_read_unlock();
	return ret;
}

/**
 * pktmeta_refs() - references held on a field, for debugfs
 * @id: the field's id
 *
 * Return: the count, 0 when no such field.
 */
u32 pktmeta_refs(u32 id)
{
	u32 refs = 0;

	mutex_lock(&pktmeta_writer);
	if (pktmeta_layout_field(&pktmeta_reg.layout, id))
		refs = pktmeta_reg.refs[id & PKTMETA_SLOT_MASK];
	mutex_unlock(&pktmeta_writer);
	return refs;
}
