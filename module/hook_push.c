// SPDX-License-Identifier: GPL-2.0
/*
 * Hook push: a program that pushes headers into the headroom over a
 * packet's area loses the fields it covers.
 *
 * A field is readable while its bytes lie before the packet (data_meta,
 * data or the MAC header): a get during a push that covers it says
 * -ENOSPC. But the push writes there (a moved MAC header, metadata, the
 * zeroes of bpf_skb_change_head(), whatever the program writes), and once
 * the program pops the header again the field would lie before the packet
 * once more, its bytes no longer its value. So the helpers that move the
 * start of a packet down are traced at their entry, and the fields whose
 * bytes the new start would reach are unset before the helper runs; a
 * push that reaches the area's header drops the whole area. A later get
 * says -ENOENT, never a value the push wrote.
 *
 * The helpers (net/core/filter.c, BPF_CALL_*: their arguments are u64
 * registers in the order of the helper's uapi, include/uapi/linux/bpf.h):
 * - bpf_xdp_adjust_head(xdp, offset) and bpf_xdp_adjust_meta(xdp, offset)
 *   move data (with data_meta) or data_meta by @offset;
 * - bpf_skb_adjust_room(skb, len_diff, mode, flags) pushes @len_diff bytes
 *   (bpf_skb_generic_push(): skb_push() then memmove() of the headers
 *   before the room);
 * - bpf_skb_change_head(skb, head_room, flags) and sk_skb_change_head()
 *   push @head_room zeroed bytes.
 * A call the helper then refuses (a bad offset or flag) may have unset
 * fields for nothing: they read -ENOENT, never a wrong value.
 *
 * Registered while a program that uses pktmeta is loaded, as the per-packet
 * hooks are (demand.c; from modprobe to rmmod where the kernel cannot tell,
 * 6.1), and also with hooks=0: only fields need it. Only programs that
 * call these helpers pay for it, one callback per call; with no program
 * using pktmeta, no packet gets an area and a program pushing headers pays
 * nothing. A packet whose fields were set before the last such program
 * went, pushed over while none was loaded and read by a program loaded
 * after, is the one case it misses.
 * Pushes the kernel itself makes (tunnels, link headers) go to the end of
 * the headroom, away from the area, which sits at its start.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ftrace.h>
#include <linux/seq_file.h>
#include <linux/skbuff.h>
#include <net/xdp.h>
#include "compat.h"
#include "pktmeta.h"
#include "area.h"
#include "hook_push.h"
#include "skb_area.h"

static atomic64_t pktmeta_push_dropped = ATOMIC64_INIT(0);

/*
 * The fields of @area (under layout @snap) whose bytes reach @low or
 * beyond: unset them. Return: whether the area's header reaches it (then
 * the caller drops the whole area).
 */
static bool pktmeta_push_cover(struct pktmeta_area *area, const u8 *low)
{
	const struct pktmeta_snapshot *snap = pktmeta_snapshot_dp();
	u64 left = area->set;

	if ((const u8 *)area->data > low)
		return true;
	while (left) {
		unsigned int slot = __ffs64(left);
		const struct pktmeta_field *f = &snap->layout.fields[slot];

		left &= left - 1;
		if (&area->data[f->offset + f->size] > low) {
			area->set &= ~(1ULL << slot);
			atomic64_inc(&pktmeta_push_dropped);
		}
	}
	return false;
}

/* An XDP buffer whose first byte (data_meta or data) moves by @offset. */
static void pktmeta_push_xdp(struct xdp_buff *xdp, int offset)
{
	const u8 *low = (const u8 *)pktmeta_xdp_limit(xdp) + offset;
	struct pktmeta_area *area = pktmeta_xdp_area(xdp);

	if (offset >= 0 || !pktmeta_xdp_area_valid(xdp))
		return;
	if (pktmeta_push_cover(area, low)) {
		xdp->flags &= ~PKTMETA_XDP_FLAG_AREA;
		atomic64_inc(&pktmeta_push_dropped);
	}
}

/* An skb whose first byte moves down by @len. */
static void pktmeta_push_skb(struct sk_buff *skb, s64 len)
{
	struct pktmeta_area *area;

	if (len <= 0)
		return;
	area = pktmeta_skb_area(skb);
	if (!area)
		return;
	if (pktmeta_push_cover(area, (const u8 *)pktmeta_skb_limit(skb) - len)) {
		/* The skb owns no area any more (skb_area.h). */
		skb_shinfo(skb)->tskey = 0;
		atomic64_inc(&pktmeta_push_dropped);
	}
}

static void notrace pktmeta_push_xdp_head(unsigned long ip,
					  unsigned long parent_ip,
					  struct ftrace_ops *op,
					  struct ftrace_regs *fregs)
{
	pktmeta_push_xdp((struct xdp_buff *)pktmeta_ftrace_arg(fregs, 0),
			 (int)pktmeta_ftrace_arg(fregs, 1));
}

static void notrace pktmeta_push_xdp_meta(unsigned long ip,
					  unsigned long parent_ip,
					  struct ftrace_ops *op,
					  struct ftrace_regs *fregs)
{
	struct xdp_buff *xdp = (struct xdp_buff *)pktmeta_ftrace_arg(fregs, 0);

	/* The helper refuses: data_meta stays where it is. */
	if (!xdp_data_meta_unsupported(xdp))
		pktmeta_push_xdp(xdp, (int)pktmeta_ftrace_arg(fregs, 1));
}

static void notrace pktmeta_push_skb_room(unsigned long ip,
					  unsigned long parent_ip,
					  struct ftrace_ops *op,
					  struct ftrace_regs *fregs)
{
	pktmeta_push_skb((struct sk_buff *)pktmeta_ftrace_arg(fregs, 0),
			 (s32)pktmeta_ftrace_arg(fregs, 1));
}

static void notrace pktmeta_push_skb_head(unsigned long ip,
					  unsigned long parent_ip,
					  struct ftrace_ops *op,
					  struct ftrace_regs *fregs)
{
	pktmeta_push_skb((struct sk_buff *)pktmeta_ftrace_arg(fregs, 0),
			 (u32)pktmeta_ftrace_arg(fregs, 1));
}

static struct {
	const char *func;
	ftrace_func_t handler;
	struct ftrace_ops ops;
	bool registered;
} pktmeta_push_probes[] = {
	{ "bpf_xdp_adjust_head", pktmeta_push_xdp_head },
	{ "bpf_xdp_adjust_meta", pktmeta_push_xdp_meta },
	{ "bpf_skb_adjust_room", pktmeta_push_skb_room },
	{ "bpf_skb_change_head", pktmeta_push_skb_head },
	{ "sk_skb_change_head", pktmeta_push_skb_head },
};

/**
 * pktmeta_push_attach() - trace the helpers that push into the headroom
 *
 * A helper that cannot be traced is left out with a log line: a push it
 * makes over a field then leaves bytes a later get may read.
 *
 * Context: process context, may sleep; called under hooks.c's lock.
 */
void pktmeta_push_attach(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pktmeta_push_probes); i++) {
		struct ftrace_ops *ops = &pktmeta_push_probes[i].ops;
		char name[KSYM_NAME_LEN];
		int err;

		if (pktmeta_push_probes[i].registered)
			continue;
		/*
		 * A fresh ops each time: ftrace_free_filter() frees the hashes
		 * of the last detach but leaves the pointers to them.
		 */
		memset(ops, 0, sizeof(*ops));
		ops->func = pktmeta_push_probes[i].handler;
		/*
		 * No FTRACE_OPS_FL_RECURSION: the handlers call nothing that
		 * can reach a BPF helper, so they are leaves as hooks.h says,
		 * called straight from the trampoline.
		 */
		ops->flags = PKTMETA_FTRACE_ARGS_FLAGS;
		/* ftrace_set_filter() edits the pattern it parses. */
		strscpy(name, pktmeta_push_probes[i].func, sizeof(name));
		err = ftrace_set_filter(ops, name, strlen(name), 1);
		if (!err)
			err = register_ftrace_function(ops);
		if (err) {
			ftrace_free_filter(ops);
			pr_warn("cannot trace %s (%d): a push over a field it makes is not seen\n",
				pktmeta_push_probes[i].func, err);
			continue;
		}
		pktmeta_push_probes[i].registered = true;
	}
}

/**
 * pktmeta_push_detach() - stop tracing them
 *
 * Context: process context, may sleep; called under hooks.c's lock.
 */
void pktmeta_push_detach(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pktmeta_push_probes); i++) {
		if (!pktmeta_push_probes[i].registered)
			continue;
		unregister_ftrace_function(&pktmeta_push_probes[i].ops);
		ftrace_free_filter(&pktmeta_push_probes[i].ops);
		pktmeta_push_probes[i].registered = false;
	}
}

/**
 * pktmeta_push_show() - its row of the debugfs `hooks` table: hits are
 * fields (and areas) dropped under a push
 * @m: the seq_file
 * @idle: no program uses pktmeta (else, unregistered means failed)
 */
void pktmeta_push_show(struct seq_file *m, bool idle)
{
	unsigned int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(pktmeta_push_probes); i++)
		n += pktmeta_push_probes[i].registered;
	seq_printf(m, "push %s %lld 0 0 ",
		   n == ARRAY_SIZE(pktmeta_push_probes) ? "attached" :
		   n ? "partial" : idle ? "idle" : "off",
		   (long long)atomic64_read(&pktmeta_push_dropped));
	for (i = 0; i < ARRAY_SIZE(pktmeta_push_probes); i++)
		seq_printf(m, "%s%s", i ? "," : "", pktmeta_push_probes[i].func);
	seq_putc(m, '\n');
}
