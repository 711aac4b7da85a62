/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Driver hint hooks: ftrace probes on driver functions, attached while their
 * driver module is loaded.
 */
#ifndef PKTMETA_HOOKS_H
#define PKTMETA_HOOKS_H

#include <linux/ftrace.h>
#include <linux/percpu.h>
#include <net/xdp.h>
#include "area.h"
#include "btf_proto.h"

#define PKTMETA_HOOK_MAX_PROBES	2

/**
 * struct pktmeta_probe - one traced function of a hook
 * @func: the function's name
 * @handler: what runs at its entry
 * @args_only: @handler reads only the arguments (pktmeta_ftrace_arg(),
 *             compat.h), so ftrace need not save full pt_regs
 * @leaf: @handler cannot run again inside itself (it calls nothing that
 *        can reach @func), so the probe's trampoline calls it directly,
 *        without ftrace's recursion guard: ftrace_ops_get_func()
 *        (kernel/trace/ftrace.c) puts ftrace_ops_assist_func() between
 *        them only for FTRACE_OPS_FL_RECURSION or FTRACE_OPS_FL_RCU
 * @args: the arguments @handler reads, by position, and the struct each
 *        must point to in the kernel's BTF for the probe to attach
 * @ops: the ftrace registration
 */
struct pktmeta_probe {
	const char *func;
	ftrace_func_t handler;
	bool args_only;
	bool leaf;
	struct pktmeta_btf_arg args[PKTMETA_BTF_MAX_ARGS];
	struct ftrace_ops ops;
};

enum pktmeta_hook_state {
	PKTMETA_HOOK_OFF,	/* hooks=0 */
	PKTMETA_HOOK_WAITING,	/* the driver module is not loaded */
	PKTMETA_HOOK_ATTACHED,
	PKTMETA_HOOK_IDLE,	/* ready, but no program uses pktmeta (demand.c) */
	PKTMETA_HOOK_DISABLED,	/* a function cannot be probed: see @why */
	/* @unless exists, or a function is missing and @fallback works */
	PKTMETA_HOOK_UNUSED,
};

/**
 * struct pktmeta_hook - the probes that fill hints for one driver
 * @name: the hook's name in debugfs
 * @module: the module the probed functions live in, NULL for the kernel
 * @glob: a function glob that matches only while @module is loaded
 * @probes: the traced functions, all attached or none
 * @unless: a function whose presence makes this hook unneeded (the hook is
 *          a fallback for kernels without it)
 * @fallback: the hook that does this one's work where a probed function
 *            of this one is missing
 * @enable: when set, a module parameter that turns this hook off alone
 * @state: see enum pktmeta_hook_state
 * @why: for a disabled hook, the function that cannot be probed
 * @reason: and why: "missing" (not traceable), "prototype" (its BTF
 *          prototype differs from what the probe reads) or "no_btf"
 *          (the kernel's BTF has no prototype of it to check)
 */
struct pktmeta_hook {
	const char *name;
	const char *module;
	const char *glob;
	struct pktmeta_probe probes[PKTMETA_HOOK_MAX_PROBES];
	const char *unless;
	const struct pktmeta_hook *fallback;
	const bool *enable;
	enum pktmeta_hook_state state;
	const char *why;
	const char *reason;
};

enum pktmeta_hook_id {
	PKTMETA_HOOK_VETH,
	PKTMETA_HOOK_VIRTIO_NET,
	PKTMETA_HOOK_VIRTIO_NET_RX,
	PKTMETA_HOOK_REDIRECT,
	PKTMETA_HOOK_SKB,
	PKTMETA_HOOK_XDP_RUN,
	PKTMETA_NR_HOOKS,
};

/*
 * Per CPU, per hook: packets given hints, packets seen without any, and
 * buffers of the hook's device that lay outside the frame where the hook
 * expected them (PKTMETA_HOOK_FRAME): their hints or mark were dropped.
 */
struct pktmeta_hook_counters {
	u64 hits[PKTMETA_NR_HOOKS];
	u64 misses[PKTMETA_NR_HOOKS];
	u64 frame_misses[PKTMETA_NR_HOOKS];
};

DECLARE_PER_CPU(struct pktmeta_hook_counters, pktmeta_hook_counters);

static inline void pktmeta_hook_hit(enum pktmeta_hook_id hook)
{
	this_cpu_inc(pktmeta_hook_counters.hits[hook]);
}

static inline void pktmeta_hook_miss(enum pktmeta_hook_id hook)
{
	this_cpu_inc(pktmeta_hook_counters.misses[hook]);
}

static inline void pktmeta_hook_frame_miss(enum pktmeta_hook_id hook)
{
	this_cpu_inc(pktmeta_hook_counters.frame_misses[hook]);
}

/*
 * How far below a hooked function's stack pointer at entry the xdp_buff
 * it builds may lie (hints.c, skb_area.c). The buffer is a local of that
 * function (struct veth_xdp_buff in veth_xdp_rcv_skb(), the xdp_buff of
 * receive_buf()'s inlined XDP path on 6.1), so it lies within that
 * function's frame, whose size depends on the compiler and its options
 * (KASAN's frames are larger). A buffer of the hooked device seen further
 * away gets no hints or mark, never wrong ones, and is counted in debugfs
 * `hooks` (frame_misses); tests/guest/hooks.bats checks that it stays 0 on
 * the kernels under test.
 */
#define PKTMETA_HOOK_FRAME	512

/*
 * Does @xdp lie in the frame of the hooked function whose stack pointer at
 * entry was @stack? A buffer outside it on the driver's registered queue
 * is counted against @hook; cpumap and devmap programs' buffers, whose rxq
 * is an unregistered stack copy (reg_state, net/core/xdp.c), are expected
 * there and not counted.
 */
static inline bool pktmeta_in_hook_frame(const struct xdp_buff *xdp,
					 unsigned long stack,
					 enum pktmeta_hook_id hook)
{
	unsigned long at = (unsigned long)xdp;

	if (at < stack && at >= stack - PKTMETA_HOOK_FRAME)
		return true;
	if (xdp->rxq->reg_state == PKTMETA_RXQ_REGISTERED)
		pktmeta_hook_frame_miss(hook);
	return false;
}

extern struct pktmeta_hook pktmeta_hook_veth;
extern struct pktmeta_hook pktmeta_hook_virtio_net;
extern struct pktmeta_hook pktmeta_hook_virtio_net_rx;
extern struct pktmeta_hook pktmeta_hook_redirect;
extern struct pktmeta_hook pktmeta_hook_skb;
extern struct pktmeta_hook pktmeta_hook_xdp_run;

bool pktmeta_xdp_run_attached(void);

int pktmeta_hooks_init(bool enable, u32 hints, bool in_use);
bool pktmeta_hooks_claim(void);
bool pktmeta_hooks_release(bool (*unused)(void));
void pktmeta_hooks_exit(void);
void pktmeta_hooks_show(struct seq_file *m);
void pktmeta_hooks_show_use(struct seq_file *m);

/* The predefined hints the hooks fill (PKTMETA_HINT_* bits). */
extern u32 pktmeta_hooks_hints;

#endif /* PKTMETA_HOOKS_H */
