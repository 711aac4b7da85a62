/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pktmeta counters: per CPU, per field slot, per operation and per error.
 */
#ifndef PKTMETA_STATS_H
#define PKTMETA_STATS_H

#include <linux/jump_label.h>
#include <linux/percpu.h>
#include "registry.h"

enum pktmeta_stat {
	PKTMETA_STAT_SET,
	PKTMETA_STAT_GET,
	PKTMETA_STAT_CLEAR,
	PKTMETA_STAT_ENOENT,
	PKTMETA_STAT_EINVAL,
	PKTMETA_STAT_EFAULT,
	PKTMETA_STAT_ENOSPC,
	PKTMETA_STAT_EOPNOTSUPP,
	PKTMETA_STAT_NR,
};

/* Row of the counters of calls whose id names no live field. */
#define PKTMETA_STATS_UNKNOWN	PKTMETA_MAX_FIELDS

struct pktmeta_cpu_stats {
	u64 count[PKTMETA_MAX_FIELDS + 1][PKTMETA_STAT_NR];
};

extern struct pktmeta_cpu_stats __percpu *pktmeta_stats;
DECLARE_STATIC_KEY_FALSE(pktmeta_stats_on);
extern const char *const pktmeta_stat_names[PKTMETA_STAT_NR];

int pktmeta_stats_init(void);
void pktmeta_stats_exit(void);
void pktmeta_stats_reset_field(u32 id);
u64 pktmeta_stats_sum(unsigned int row, enum pktmeta_stat stat);
void pktmeta_stats_switch(bool on);
void pktmeta_stats_count_id(enum pktmeta_stat stat, u32 id);

/* Are sets, gets and clears counted? */
static inline bool pktmeta_stats_counting(void)
{
	return static_branch_unlikely(&pktmeta_stats_on);
}

/**
 * pktmeta_stats_inc() - count one event on this CPU
 * @row: a field slot, or PKTMETA_STATS_UNKNOWN
 * @stat: the event
 *
 * Successes (set, get, clear) are counted only while counting is on
 * (pktmeta_stats_switch()): off, the fast paths pay a patched-out jump.
 * Errors always are: they take the slow paths anyway.
 */
static __always_inline void pktmeta_stats_inc(unsigned int row,
					      enum pktmeta_stat stat)
{
	if (stat <= PKTMETA_STAT_CLEAR && !pktmeta_stats_counting())
		return;
	this_cpu_inc(pktmeta_stats->count[row][stat]);
}

/*
 * pktmeta_stats_inc() for a fast path that has field @id's id at hand: the
 * row is worked out in a call made only while counting is on, so the
 * path pays the patched-out jump alone.
 */
static __always_inline void pktmeta_stats_inc_id(u32 id,
						 enum pktmeta_stat stat)
{
	if (pktmeta_stats_counting())
		pktmeta_stats_count_id(stat, id);
}

/*
 * Count a kfunc's result for field @row: @ok on success, the error's
 * counter otherwise. Returns @err.
 */
static inline int pktmeta_stats_result(unsigned int row, enum pktmeta_stat ok,
				       int err)
{
	switch (err) {
	case 0:
		pktmeta_stats_inc(row, ok);
		break;
	case -ENOENT:
		pktmeta_stats_inc(row, PKTMETA_STAT_ENOENT);
		break;
	case -EINVAL:
		pktmeta_stats_inc(row, PKTMETA_STAT_EINVAL);
		break;
	case -EFAULT:
		pktmeta_stats_inc(row, PKTMETA_STAT_EFAULT);
		break;
	case -ENOSPC:
		pktmeta_stats_inc(row, PKTMETA_STAT_ENOSPC);
		break;
	case -EOPNOTSUPP:
		pktmeta_stats_inc(row, PKTMETA_STAT_EOPNOTSUPP);
		break;
	}
	return err;
}

#endif /* PKTMETA_STATS_H */
