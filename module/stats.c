// SPDX-License-Identifier: GPL-2.0
/*
 * pktmeta counters, kept per CPU so the datapath never shares a cache line.
 */
#include <linux/cpumask.h>
#include <linux/errno.h>
#include "stats.h"

struct pktmeta_cpu_stats __percpu *pktmeta_stats;
DEFINE_STATIC_KEY_FALSE(pktmeta_stats_on);

const char *const pktmeta_stat_names[PKTMETA_STAT_NR] = {
	[PKTMETA_STAT_SET] = "sets",
	[PKTMETA_STAT_GET] = "gets",
	[PKTMETA_STAT_CLEAR] = "clears",
	[PKTMETA_STAT_ENOENT] = "enoent",
	[PKTMETA_STAT_EINVAL] = "einval",
	[PKTMETA_STAT_EFAULT] = "efault",
	[PKTMETA_STAT_ENOSPC] = "enospc",
	[PKTMETA_STAT_EOPNOTSUPP] = "eopnotsupp",
};

/**
 * pktmeta_stats_init() - allocate the counters
 *
 * Return: 0 or -ENOMEM.
 */
int pktmeta_stats_init(void)
{
	pktmeta_stats = alloc_percpu(struct pktmeta_cpu_stats);
	return pktmeta_stats ? 0 : -ENOMEM;
}

/**
 * pktmeta_stats_exit() - free the counters
 */
void pktmeta_stats_exit(void)
{
	free_percpu(pktmeta_stats);
}

/**
 * pktmeta_stats_reset_field() - zero a slot's counters for a new field
 * @id: the new field's id
 *
 * Runs before the field is published, so no datapath counts for it yet;
 * late increments for the slot's previous field may still land.
 */
void pktmeta_stats_reset_field(u32 id)
{
	unsigned int slot = id & PKTMETA_SLOT_MASK;
	int cpu;

	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(pktmeta_stats, cpu)->count[slot], 0,
		       sizeof(pktmeta_stats->count[slot]));
}

/**
 * pktmeta_stats_count_id() - count a success of field @id on this CPU
 * @stat: PKTMETA_STAT_SET or PKTMETA_STAT_GET
 * @id: a live field's id
 *
 * Out of line, for the XDP kfuncs' fast paths (pktmeta_stats_inc_id()).
 */
void pktmeta_stats_count_id(enum pktmeta_stat stat, u32 id)
{
	this_cpu_inc(pktmeta_stats->count[id & PKTMETA_SLOT_MASK][stat]);
}

/**
 * pktmeta_stats_sum() - a counter summed over all CPUs
 * @row: a field slot, or PKTMETA_STATS_UNKNOWN
 * @stat: the event
 *
 * Return: the sum.
 */
u64 pktmeta_stats_sum(unsigned int row, enum pktmeta_stat stat)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu_ptr(pktmeta_stats, cpu)->count[row][stat];
	return sum;
}

/**
 * pktmeta_stats_switch() - count sets, gets and clears, or stop
 * @on: count them
 *
 * Flips a static key (patches the kfuncs' code): may sleep. The counts
 * kept so far stay.
 */
void pktmeta_stats_switch(bool on)
{
	if (on)
		static_branch_enable(&pktmeta_stats_on);
	else
		static_branch_disable(&pktmeta_stats_on);
}
