// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/pktmeta/: the registry, the area layout and the
 * counters, as whitespace-separated tables with a header line (root only).
 */
#include <linux/bitops.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include "pktmeta.h"
#include "area.h"
#include "hooks.h"
#include "refused.h"
#include "sockets.h"
#include "stats.h"

static struct dentry *pktmeta_debugfs_dir;

/*
 * A copy of the current layout, so that no RCU read section spans the
 * seq_file output (which may sleep).
 */
static int pktmeta_debugfs_snapshot(struct pktmeta_layout *copy)
{
	const struct pktmeta_snapshot *snap;

	rcu_read_lock();
	snap = rcu_dereference(pktmeta_current);
	if (snap)
		*copy = snap->layout;
	rcu_read_unlock();
	return snap ? 0 : -ENODEV;
}

/* The first live slot of @l from @slot on, PKTMETA_MAX_FIELDS if none. */
static unsigned int pktmeta_next_live(const struct pktmeta_layout *l,
				      unsigned int slot)
{
	u64 rest = slot < PKTMETA_MAX_FIELDS ? l->live >> slot << slot : 0;

	return rest ? __ffs64(rest) : PKTMETA_MAX_FIELDS;
}

#define for_each_live_slot(layout, slot)				\
	for ((slot) = pktmeta_next_live(layout, 0);			\
	     (slot) < PKTMETA_MAX_FIELDS;				\
	     (slot) = pktmeta_next_live(layout, (slot) + 1))

static int fields_show(struct seq_file *m, void *v)
{
	struct pktmeta_layout *l = kmalloc(sizeof(*l), GFP_KERNEL);
	unsigned int slot;

	if (!l || pktmeta_debugfs_snapshot(l)) {
		kfree(l);
		return -ENOMEM;
	}
	seq_puts(m, "id name size offset refs born\n");
	for_each_live_slot(l, slot) {
		const struct pktmeta_field *f = &l->fields[slot];

		seq_printf(m, "%u %s %u %u %u %llu\n", f->id, f->name, f->size,
			   f->offset, pktmeta_refs(f->id), f->born);
	}
	kfree(l);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(fields);

static int layout_show(struct seq_file *m, void *v)
{
	struct pktmeta_layout *l = kmalloc(sizeof(*l), GFP_KERNEL);
	unsigned int slot, used = 0, count = 0;

	if (!l || pktmeta_debugfs_snapshot(l)) {
		kfree(l);
		return -ENOMEM;
	}
	for_each_live_slot(l, slot) {
		used += l->fields[slot].size;
		count++;
	}
	seq_printf(m, "area_offset %zu\n", PKTMETA_AREA_OFFSET);
	seq_printf(m, "header_size %zu\n", sizeof(struct pktmeta_area));
	seq_printf(m, "capacity %u\n", l->capacity);
	seq_printf(m, "used %u\n", used);
	seq_printf(m, "fields %u\n", count);
	seq_printf(m, "generation %llu\n", l->generation);
	kfree(l);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(layout);

/* A row of counters: "-" for sets, gets and clears while not counted. */
static void stats_row(struct seq_file *m, unsigned int row, const char *id,
		      const char *name)
{
	bool counting = pktmeta_stats_counting();
	int stat;

	seq_printf(m, "%s %s", id, name);
	for (stat = 0; stat < PKTMETA_STAT_NR; stat++) {
		if (stat <= PKTMETA_STAT_CLEAR && !counting)
			seq_puts(m, " -");
		else
			seq_printf(m, " %llu", pktmeta_stats_sum(row, stat));
	}
	seq_putc(m, '\n');
}

static int stats_show(struct seq_file *m, void *v)
{
	struct pktmeta_layout *l = kmalloc(sizeof(*l), GFP_KERNEL);
	unsigned int slot;
	char id[12];
	int stat;

	if (!l || pktmeta_debugfs_snapshot(l)) {
		kfree(l);
		return -ENOMEM;
	}
	seq_puts(m, "id name");
	for (stat = 0; stat < PKTMETA_STAT_NR; stat++)
		seq_printf(m, " %s", pktmeta_stat_names[stat]);
	seq_putc(m, '\n');
	for_each_live_slot(l, slot) {
		snprintf(id, sizeof(id), "%u", l->fields[slot].id);
		stats_row(m, slot, id, l->fields[slot].name);
	}
	stats_row(m, PKTMETA_STATS_UNKNOWN, "-", "-");
	kfree(l);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

/* stats_on: 1 while sets, gets and clears are counted; write 0 or 1. */
static int stats_on_get(void *data, u64 *val)
{
	*val = pktmeta_stats_counting();
	return 0;
}

static int stats_on_set(void *data, u64 val)
{
	if (val > 1)
		return -EINVAL;
	pktmeta_stats_switch(val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(stats_on_fops, stats_on_get, stats_on_set, "%llu\n");

static int hooks_show(struct seq_file *m, void *v)
{
	pktmeta_hooks_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hooks);

static int hooks_in_use_show(struct seq_file *m, void *v)
{
	pktmeta_hooks_show_use(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hooks_in_use);

static int refused_show(struct seq_file *m, void *v)
{
	pktmeta_refused_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(refused);
DEFINE_SHOW_ATTRIBUTE(pktmeta_sockets);

/**
 * pktmeta_debugfs_init() - create /sys/kernel/debug/pktmeta/
 *
 * Return: 0; debugfs being absent or failing is not an error.
 */
int pktmeta_debugfs_init(void)
{
	pktmeta_debugfs_dir = debugfs_create_dir("pktmeta", NULL);
	debugfs_create_file("fields", 0400, pktmeta_debugfs_dir, NULL, &fields_fops);
	debugfs_create_file("layout", 0400, pktmeta_debugfs_dir, NULL, &layout_fops);
	debugfs_create_file("stats", 0400, pktmeta_debugfs_dir, NULL, &stats_fops);
	debugfs_create_file_unsafe("stats_on", 0600, pktmeta_debugfs_dir, NULL,
				   &stats_on_fops);
	debugfs_create_file("hooks", 0400, pktmeta_debugfs_dir, NULL, &hooks_fops);
	debugfs_create_file("hooks_in_use", 0400, pktmeta_debugfs_dir, NULL,
			    &hooks_in_use_fops);
	debugfs_create_file("refused", 0400, pktmeta_debugfs_dir, NULL, &refused_fops);
	debugfs_create_file("sockets", 0400, pktmeta_debugfs_dir, NULL,
			    &pktmeta_sockets_fops);
	return 0;
}

/**
 * pktmeta_debugfs_exit() - remove /sys/kernel/debug/pktmeta/
 */
void pktmeta_debugfs_exit(void)
{
	debugfs_remove_recursive(pktmeta_debugfs_dir);
}
