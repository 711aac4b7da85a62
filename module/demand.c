// SPDX-License-Identifier: GPL-2.0
/*
 * When the per-packet hooks are attached.
 *
 * The hooks (hooks.c) run on every packet: eth_type_trans(), the redirect
 * path, each XDP program run, veth and virtio-net's receive. They only
 * matter to a program that calls pktmeta's XDP or TC kfuncs: without one
 * no packet gets an area and no hint is read. A registered field on its own
 * changes nothing on the wire, so it does not count. So the hooks' probes
 * are registered while such a program is loaded, and a host where pktmeta
 * is loaded but unused pays nothing per packet.
 *
 * Loaded: the kernel's verifier asks the kfunc set's filter about every
 * call to one of the set's kfuncs while it checks a program
 * (__btf_kfunc_id_set_contains(), kernel/bpf/btf.c, from
 * fetch_kfunc_meta(), kernel/bpf/verifier.c): pktmeta_demand_filter()
 * registers the probes there, before the program can be attached anywhere.
 * The verifier runs in process context and may sleep, as ftrace
 * registration does.
 *
 * Freed: such a program holds a reference on pktmeta from the start of its
 * verification until it is freed (add_kfunc_call() takes it through
 * btf_try_get_module(), bpf_free_kfunc_btf_tab() drops it; same file). No
 * callback says when it is dropped, so while the hooks are in use a work
 * item looks at the module's reference count every PKTMETA_DEMAND_POLL and
 * unregisters the probes when it is 0. Other holders of a reference (an
 * open debugfs file, a netlink dump) only keep the probes a little longer.
 *
 * Kernels without kfunc filters (6.1: struct btf_kfunc_id_set has no
 * .filter) give a module no word when a program using it is loaded: there
 * the probes stay registered from modprobe to rmmod.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/workqueue.h>
#include "demand.h"
#include "hooks.h"

#ifdef PKTMETA_HAVE_KFUNC_FILTER

#define PKTMETA_DEMAND_POLL	HZ

static void pktmeta_demand_poll(struct work_struct *work);
static DECLARE_DELAYED_WORK(pktmeta_demand_work, pktmeta_demand_poll);

/* No program holds pktmeta (module_refcount(), kernel/module/main.c). */
static bool pktmeta_demand_none(void)
{
	return module_refcount(THIS_MODULE) == 0;
}

static void pktmeta_demand_poll(struct work_struct *work)
{
	if (!pktmeta_hooks_release(pktmeta_demand_none))
		schedule_delayed_work(&pktmeta_demand_work, PKTMETA_DEMAND_POLL);
}

/**
 * pktmeta_demand_filter() - the verifier checks a call to one of pktmeta's
 * XDP or TC kfuncs: put the hooks in use
 * @prog: the program being verified
 * @kfunc_id: the kfunc's BTF id
 *
 * Context: process context, may sleep (the verifier).
 * Return: 0, the call is allowed (a kfunc set's filter refuses with
 * non-zero).
 */
int pktmeta_demand_filter(const struct bpf_prog *prog, u32 kfunc_id)
{
	if (pktmeta_hooks_claim())
		schedule_delayed_work(&pktmeta_demand_work, PKTMETA_DEMAND_POLL);
	return 0;
}

/**
 * pktmeta_demand_exit() - stop watching for the last program (rmmod)
 */
void pktmeta_demand_exit(void)
{
	cancel_delayed_work_sync(&pktmeta_demand_work);
}

#else

void pktmeta_demand_exit(void)
{
}

#endif
