// SPDX-License-Identifier: GPL-2.0
/*
 * Driver hint hooks: attach each hook's ftrace probes while its driver
 * module is loaded (module notifier), detach them before it goes. A probed
 * function that is missing disables its hook with one kernel log line and a
 * status in debugfs `hooks`; the module still loads.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kallsyms.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include "compat.h"
#include "hook_expand.h"
#include "hook_push.h"
#include "hooks.h"
#include "probe_btf.h"

DEFINE_PER_CPU(struct pktmeta_hook_counters, pktmeta_hook_counters);
u32 pktmeta_hooks_hints;

static struct pktmeta_hook *const pktmeta_hooks[PKTMETA_NR_HOOKS] = {
	[PKTMETA_HOOK_VETH] = &pktmeta_hook_veth,
	[PKTMETA_HOOK_VIRTIO_NET] = &pktmeta_hook_virtio_net,
	[PKTMETA_HOOK_VIRTIO_NET_RX] = &pktmeta_hook_virtio_net_rx,
	[PKTMETA_HOOK_REDIRECT] = &pktmeta_hook_redirect,
	[PKTMETA_HOOK_SKB] = &pktmeta_hook_skb,
	[PKTMETA_HOOK_XDP_RUN] = &pktmeta_hook_xdp_run,
};

static DEFINE_MUTEX(pktmeta_hooks_lock);
static bool pktmeta_hooks_enabled;
/*
 * Whether the probes of ready hooks are registered: while a program that
 * uses pktmeta is loaded (demand.c). Written under pktmeta_hooks_lock.
 */
static bool pktmeta_hooks_in_use;
/* In use from init to exit: the kernel cannot tell when they are not. */
static bool pktmeta_hooks_always;

static const char *const pktmeta_hook_states[] = {
	[PKTMETA_HOOK_OFF] = "off",
	[PKTMETA_HOOK_WAITING] = "waiting",
	[PKTMETA_HOOK_ATTACHED] = "attached",
	[PKTMETA_HOOK_IDLE] = "idle",
	[PKTMETA_HOOK_DISABLED] = "disabled",
	[PKTMETA_HOOK_UNUSED] = "unused",
};

/*
 * ftrace_free_filter() frees the ops' hashes but leaves the pointers to
 * them: start the next attach from a fresh ops.
 */
static void pktmeta_probe_reset(struct pktmeta_probe *probe)
{
	ftrace_free_filter(&probe->ops);
	memset(&probe->ops, 0, sizeof(probe->ops));
}

/*
 * ftrace_set_filter() edits the pattern it parses: give it a writable copy.
 */
static int pktmeta_set_filter(struct ftrace_ops *ops, const char *pattern)
{
	char buf[KSYM_NAME_LEN];

	strscpy(buf, pattern, sizeof(buf));
	return ftrace_set_filter(ops, (unsigned char *)buf, strlen(buf), 1);
}

/* Does ftrace know a function matching @glob (in the kernel or a live module)? */
static bool pktmeta_traceable(const char *glob)
{
	struct ftrace_ops probe = {};
	bool found;

	found = !pktmeta_set_filter(&probe, glob);
	ftrace_free_filter(&probe);
	return found;
}

static void pktmeta_hook_detach_probes(struct pktmeta_hook *hook, int n)
{
	while (n-- > 0) {
		unregister_ftrace_function(&hook->probes[n].ops);
		pktmeta_probe_reset(&hook->probes[n]);
	}
}

static void pktmeta_hook_disable(struct pktmeta_hook *hook,
				 const struct pktmeta_probe *probe,
				 const char *reason)
{
	hook->state = PKTMETA_HOOK_DISABLED;
	hook->why = probe->func;
	hook->reason = reason;
}

/*
 * The probes read their functions' arguments by position: check each
 * function's prototype in the kernel's BTF (its module's for a driver)
 * first, and disable the hook, with one log line, when one differs or
 * cannot be checked.
 */
static int pktmeta_hook_check_btf(struct pktmeta_hook *hook)
{
	struct pktmeta_kbtf k;
	int i, err;

	err = pktmeta_kbtf_load(&k, hook->module);
	if (err) {
		pktmeta_hook_disable(hook, &hook->probes[0], "no_btf");
		pr_warn("hook %s disabled: cannot read the kernel's BTF of %s (%d); its hints stay unset\n",
			hook->name, hook->module ?: "vmlinux", err);
		goto out;
	}
	for (i = 0; i < PKTMETA_HOOK_MAX_PROBES && hook->probes[i].func; i++) {
		struct pktmeta_probe *probe = &hook->probes[i];

		err = pktmeta_btf_check_func(hook->module ? &k.module : &k.vmlinux,
					     probe->func, probe->args);
		if (err == -EINVAL) {
			pktmeta_hook_disable(hook, probe, "prototype");
			pr_warn("hook %s disabled: %s takes other arguments than the probe reads (kernel BTF); its hints stay unset\n",
				hook->name, probe->func);
			break;
		}
		if (err) {
			pktmeta_hook_disable(hook, probe, "no_btf");
			pr_warn("hook %s disabled: no BTF prototype of %s to check (%d); its hints stay unset\n",
				hook->name, probe->func, err);
			break;
		}
	}
out:
	pktmeta_kbtf_free(&k);
	return err;
}

/*
 * Register the probes of a hook whose checks passed (an idle hook, or one
 * pktmeta_hook_attach() just checked): all of them, or none.
 */
static void pktmeta_hook_register(struct pktmeta_hook *hook)
{
	int i, err;

	for (i = 0; i < PKTMETA_HOOK_MAX_PROBES && hook->probes[i].func; i++) {
		struct pktmeta_probe *probe = &hook->probes[i];

		probe->ops.func = probe->handler;
		probe->ops.flags =
			(probe->leaf ? 0 : FTRACE_OPS_FL_RECURSION) |
			(probe->args_only ? PKTMETA_FTRACE_ARGS_FLAGS :
					    FTRACE_OPS_FL_SAVE_REGS);
		err = pktmeta_set_filter(&probe->ops, probe->func);
		if (!err)
			err = register_ftrace_function(&probe->ops);
		if (err) {
			pktmeta_probe_reset(probe);
			pktmeta_hook_detach_probes(hook, i);
			pktmeta_hook_disable(hook, probe, "missing");
			pr_warn("hook %s disabled: cannot trace %s (%d); its hints stay unset\n",
				hook->name, probe->func, err);
			return;
		}
	}
	hook->state = PKTMETA_HOOK_ATTACHED;
	hook->why = NULL;
	hook->reason = NULL;
}

/*
 * Check that every probe of @hook can attach, then attach them all (or
 * none), or leave the hook idle while no program uses pktmeta. Called with
 * pktmeta_hooks_lock held, when the hook's module is loaded (or for kernel
 * hooks, at init).
 */
static void pktmeta_hook_attach(struct pktmeta_hook *hook)
{
	int i;

	/*
	 * The module notifier and pktmeta_hooks_init() may both see a driver
	 * module that comes up while pktmeta loads: attach once. A second
	 * register_ftrace_function() of a live ops would fail, and the reset
	 * below would free the filter of an ops ftrace still uses.
	 */
	lockdep_assert_held(&pktmeta_hooks_lock);
	if (hook->state == PKTMETA_HOOK_ATTACHED ||
	    hook->state == PKTMETA_HOOK_IDLE)
		return;
	if (hook->enable && !*hook->enable) {
		hook->state = PKTMETA_HOOK_OFF;
		return;
	}
	if (hook->unless && pktmeta_traceable(hook->unless)) {
		hook->state = PKTMETA_HOOK_UNUSED;
		hook->why = NULL;
		hook->reason = NULL;
		return;
	}
	for (i = 0; i < PKTMETA_HOOK_MAX_PROBES && hook->probes[i].func; i++) {
		if (!pktmeta_traceable(hook->probes[i].func)) {
			pktmeta_hook_disable(hook, &hook->probes[i], "missing");
			if (hook->fallback) {
				hook->state = PKTMETA_HOOK_UNUSED;
				pr_info("hook %s unused: no %s on this kernel; hook %s fills its hints\n",
					hook->name, hook->probes[i].func,
					hook->fallback->name);
				return;
			}
			pr_warn("hook %s disabled: cannot trace %s; its hints stay unset\n",
				hook->name, hook->probes[i].func);
			return;
		}
	}
	if (pktmeta_hook_check_btf(hook))
		return;
	if (!pktmeta_hooks_in_use) {
		hook->state = PKTMETA_HOOK_IDLE;
		return;
	}
	pktmeta_hook_register(hook);
}

/* Unregister the probes of an attached hook: it is idle (still checked). */
static void pktmeta_hook_unregister(struct pktmeta_hook *hook)
{
	int n = 0;

	while (n < PKTMETA_HOOK_MAX_PROBES && hook->probes[n].func)
		n++;
	pktmeta_hook_detach_probes(hook, n);
	hook->state = PKTMETA_HOOK_IDLE;
}

static void pktmeta_hook_detach(struct pktmeta_hook *hook)
{
	lockdep_assert_held(&pktmeta_hooks_lock);
	if (hook->state == PKTMETA_HOOK_ATTACHED)
		pktmeta_hook_unregister(hook);
	if (hook->state == PKTMETA_HOOK_IDLE)
		hook->state = PKTMETA_HOOK_WAITING;
}

/*
 * Is the hook's module loaded? ftrace knows the functions of every live
 * module: look for any function matching the hook's glob.
 */
static bool pktmeta_hook_module_loaded(const struct pktmeta_hook *hook)
{
	return pktmeta_traceable(hook->glob);
}

static int pktmeta_hooks_module_event(struct notifier_block *nb,
				      unsigned long event, void *data)
{
	struct module *mod = data;
	int i;

	if (event != MODULE_STATE_LIVE && event != MODULE_STATE_GOING)
		return NOTIFY_DONE;
	mutex_lock(&pktmeta_hooks_lock);
	for (i = 0; i < PKTMETA_NR_HOOKS; i++) {
		struct pktmeta_hook *hook = pktmeta_hooks[i];

		if (!pktmeta_hooks_enabled || !hook->module ||
		    strcmp(hook->module, mod->name))
			continue;
		if (event == MODULE_STATE_LIVE)
			pktmeta_hook_attach(hook);
		else if (hook->state == PKTMETA_HOOK_ATTACHED ||
			 hook->state == PKTMETA_HOOK_IDLE)
			pktmeta_hook_detach(hook);
		else
			hook->state = PKTMETA_HOOK_WAITING;
	}
	mutex_unlock(&pktmeta_hooks_lock);
	return NOTIFY_DONE;
}

static struct notifier_block pktmeta_hooks_nb = {
	.notifier_call = pktmeta_hooks_module_event,
};

/*
 * A program uses pktmeta: register the probes of every idle hook and the
 * expand probe (not with hooks=0), and the push probes (always: fields
 * need them, hook_push.c). Called under pktmeta_hooks_lock.
 */
static void pktmeta_hooks_use(void)
{
	int i;

	if (pktmeta_hooks_enabled) {
		for (i = 0; i < PKTMETA_NR_HOOKS; i++)
			if (pktmeta_hooks[i]->state == PKTMETA_HOOK_IDLE)
				pktmeta_hook_register(pktmeta_hooks[i]);
		pktmeta_expand_attach();
	}
	pktmeta_push_attach();
}

/**
 * pktmeta_hooks_init() - attach the hooks of the drivers already loaded and
 * watch for the others
 * @enable: false when the hooks module parameter turned them off
 * @hints: PKTMETA_HINT_* bits of the hint fields that exist
 * @in_use: register the probes now, not at the first pktmeta_hooks_claim()
 *
 * Return: 0 or the error of register_module_notifier().
 */
int pktmeta_hooks_init(bool enable, u32 hints, bool in_use)
{
	int i, err;

	pktmeta_hooks_hints = hints;
	pktmeta_hooks_enabled = enable;
	pktmeta_hooks_always = in_use;
	/*
	 * The notifier first, so that no driver module is missed; it waits
	 * for pktmeta_hooks_lock (taking the lock first would deadlock with
	 * a notifier call holding the notifier chain's lock), and attaching
	 * is idempotent.
	 */
	if (pktmeta_hooks_enabled) {
		err = register_module_notifier(&pktmeta_hooks_nb);
		if (err)
			return err;
	}
	mutex_lock(&pktmeta_hooks_lock);
	pktmeta_hooks_in_use = in_use;
	for (i = 0; i < PKTMETA_NR_HOOKS; i++) {
		struct pktmeta_hook *hook = pktmeta_hooks[i];

		if (!pktmeta_hooks_enabled)
			hook->state = PKTMETA_HOOK_OFF;
		else if (!hook->module || pktmeta_hook_module_loaded(hook))
			pktmeta_hook_attach(hook);
		else
			hook->state = PKTMETA_HOOK_WAITING;
	}
	if (pktmeta_hooks_in_use)
		pktmeta_hooks_use();
	mutex_unlock(&pktmeta_hooks_lock);
	return 0;
}

/**
 * pktmeta_hooks_claim() - register the probes of every idle hook: a program
 * that uses pktmeta is being loaded
 *
 * Sleeps (ftrace registration). Quick once the hooks are in use.
 *
 * Return: true when this call put the hooks in use.
 */
bool pktmeta_hooks_claim(void)
{
	bool claimed = false;

	/*
	 * Pairs with the smp_mb() of pktmeta_hooks_release(): the caller took
	 * its module reference (a fully ordered atomic) before this read.
	 */
	if (READ_ONCE(pktmeta_hooks_in_use))
		return false;
	mutex_lock(&pktmeta_hooks_lock);
	if (!pktmeta_hooks_in_use) {
		WRITE_ONCE(pktmeta_hooks_in_use, true);
		pktmeta_hooks_use();
		claimed = true;
	}
	mutex_unlock(&pktmeta_hooks_lock);
	return claimed;
}

/**
 * pktmeta_hooks_release() - unregister every hook's probes if nothing uses
 * pktmeta any more
 * @unused: tells whether no program uses pktmeta; asked after the hooks are
 *          marked unused, so that a program being loaded either is seen by
 *          it or finds them unused and claims them again
 *
 * Return: true when the hooks are now idle, false when @unused said no.
 */
bool pktmeta_hooks_release(bool (*unused)(void))
{
	int i;

	mutex_lock(&pktmeta_hooks_lock);
	WRITE_ONCE(pktmeta_hooks_in_use, false);
	smp_mb();	/* the store above before the reads of @unused */
	if (!unused()) {
		WRITE_ONCE(pktmeta_hooks_in_use, true);
		mutex_unlock(&pktmeta_hooks_lock);
		return false;
	}
	for (i = 0; i < PKTMETA_NR_HOOKS; i++) {
		struct pktmeta_hook *hook = pktmeta_hooks[i];

		if (hook->state == PKTMETA_HOOK_ATTACHED)
			pktmeta_hook_unregister(hook);
	}
	pktmeta_expand_detach();
	pktmeta_push_detach();
	mutex_unlock(&pktmeta_hooks_lock);
	return true;
}

/**
 * pktmeta_hooks_exit() - detach every hook
 */
void pktmeta_hooks_exit(void)
{
	int i;

	if (pktmeta_hooks_enabled)
		unregister_module_notifier(&pktmeta_hooks_nb);
	mutex_lock(&pktmeta_hooks_lock);
	for (i = 0; i < PKTMETA_NR_HOOKS; i++)
		pktmeta_hook_detach(pktmeta_hooks[i]);
	pktmeta_expand_detach();
	pktmeta_push_detach();
	mutex_unlock(&pktmeta_hooks_lock);
}

/**
 * pktmeta_hooks_show_use() - the debugfs `hooks_in_use` file: "yes" while
 * a program that uses pktmeta is loaded, "no" (probes unregistered, hooks
 * idle), "always" where the kernel cannot tell, "off" for hooks=0
 * @m: the seq_file
 */
void pktmeta_hooks_show_use(struct seq_file *m)
{
	mutex_lock(&pktmeta_hooks_lock);
	if (!pktmeta_hooks_enabled)
		seq_puts(m, "off\n");
	else if (pktmeta_hooks_always)
		seq_puts(m, "always\n");
	else
		seq_printf(m, "%s\n", pktmeta_hooks_in_use ? "yes" : "no");
	mutex_unlock(&pktmeta_hooks_lock);
}

/**
 * pktmeta_hooks_show() - the debugfs `hooks` table
 * @m: the seq_file
 */
void pktmeta_hooks_show(struct seq_file *m)
{
	int i, cpu;

	seq_puts(m, "hook state hits misses frame_misses functions\n");
	mutex_lock(&pktmeta_hooks_lock);
	for (i = 0; i < PKTMETA_NR_HOOKS; i++) {
		const struct pktmeta_hook *hook = pktmeta_hooks[i];
		u64 hits = 0, misses = 0, frame_misses = 0;
		int p;

		for_each_possible_cpu(cpu) {
			const struct pktmeta_hook_counters *c =
				per_cpu_ptr(&pktmeta_hook_counters, cpu);

			hits += c->hits[i];
			misses += c->misses[i];
			frame_misses += c->frame_misses[i];
		}
		seq_printf(m, "%s %s %llu %llu %llu ", hook->name,
			   pktmeta_hook_states[hook->state], hits, misses,
			   frame_misses);
		for (p = 0; p < PKTMETA_HOOK_MAX_PROBES && hook->probes[p].func; p++) {
			seq_printf(m, "%s%s", p ? "," : "", hook->probes[p].func);
			if (hook->why == hook->probes[p].func)
				seq_printf(m, "(%s)", hook->reason);
		}
		seq_putc(m, '\n');
	}
	pktmeta_expand_show(m, pktmeta_hooks_enabled && !pktmeta_hooks_in_use);
	pktmeta_push_show(m, !pktmeta_hooks_in_use);
	mutex_unlock(&pktmeta_hooks_lock);
}
