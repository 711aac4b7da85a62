/* SPDX-License-Identifier: GPL-2.0 */
/*
 * When the per-packet hooks are attached: while a program that calls
 * pktmeta's XDP or TC kfuncs is loaded, where the kernel tells (demand.c).
 */
#ifndef PKTMETA_DEMAND_H
#define PKTMETA_DEMAND_H

#include <linux/bpf.h>
#include <linux/types.h>

#ifdef PKTMETA_HAVE_KFUNC_FILTER
int pktmeta_demand_filter(const struct bpf_prog *prog, u32 kfunc_id);
/* In a struct btf_kfunc_id_set: the sets whose programs need the hooks. */
#define PKTMETA_DEMAND_FILTER .filter = pktmeta_demand_filter,
#define PKTMETA_DEMAND_TRACKED true
#else
#define PKTMETA_DEMAND_FILTER
#define PKTMETA_DEMAND_TRACKED false
#endif

void pktmeta_demand_exit(void);

#endif /* PKTMETA_DEMAND_H */
