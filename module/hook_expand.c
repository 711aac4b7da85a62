// SPDX-License-Identifier: GPL-2.0
/*
 * Hook expand: an skb's area follows its head when pskb_expand_head()
 * reallocates it.
 *
 * pskb_expand_head() (net/core/skbuff.c) gives an skb a new head with
 * @nhead more bytes of headroom: it copies the old buffer from its head on
 * to the new one's head + @nhead, and the shared info (tskey, which marks
 * the area, skb_area.h) to the new end. So the area's bytes land @nhead
 * bytes further than where the skb looks for it, and its owner is the old
 * head: without this hook every reallocation (bpf_skb_change_head(),
 * bpf_skb_change_tail() past the tailroom, bpf_skb_adjust_room(),
 * skb_cow_head() of a clone, a tunnel's headroom) drops the fields. A
 * return probe on pskb_expand_head() moves the area back to head +
 * PKTMETA_AREA_OFFSET of the new head and makes that head its owner.
 *
 * The entry handler keeps only skbs that own an area (the common case
 * returns at the first test, skb_area.h), so the return probe runs for
 * those alone. The bytes moved are the area's header and capacity, or
 * fewer when the packet (data_meta, the MAC header or data) began sooner:
 * they never reach past where the old packet began, which the new head
 * keeps @nhead bytes further.
 *
 * Registered while the other hooks are in use (hooks.c, demand.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/ptrace.h>
#include <linux/seq_file.h>
#include <linux/skbuff.h>
#include "pktmeta.h"
#include "hook_expand.h"
#include "skb_area.h"

/* What the entry handler leaves for the return handler. */
struct pktmeta_expand {
	struct sk_buff *skb;
	unsigned char *old_head;
	unsigned int nhead;
	unsigned int len;	/* bytes of the area to move */
};

static atomic64_t pktmeta_expand_moved = ATOMIC64_INIT(0);
static bool pktmeta_expand_registered;

static int pktmeta_expand_entry(struct kretprobe_instance *ri,
				struct pt_regs *regs)
{
	struct pktmeta_expand *e = (struct pktmeta_expand *)ri->data;
	struct sk_buff *skb = (struct sk_buff *)regs_get_kernel_argument(regs, 0);
	const struct pktmeta_snapshot *snap;
	struct pktmeta_area *area = pktmeta_skb_area(skb);
	unsigned long room;

	if (!area)
		return 1;	/* no return probe */
	snap = pktmeta_snapshot_dp();
	room = (unsigned long)pktmeta_skb_limit(skb) - (unsigned long)area;
	e->skb = skb;
	e->old_head = skb->head;
	e->nhead = regs_get_kernel_argument(regs, 1);
	e->len = min_t(unsigned long, room,
		       sizeof(*area) + snap->layout.capacity);
	return 0;
}

static int pktmeta_expand_return(struct kretprobe_instance *ri,
				 struct pt_regs *regs)
{
	struct pktmeta_expand *e = (struct pktmeta_expand *)ri->data;
	struct sk_buff *skb = e->skb;
	struct pktmeta_area *area;

	if (regs_return_value(regs) || skb->head == e->old_head)
		return 0;	/* failed: the skb and its area are as they were */
	area = (void *)skb->head + PKTMETA_AREA_OFFSET;
	memmove(area, (u8 *)area + e->nhead, e->len);
	area->owner = (u32)(unsigned long)skb->head;
	atomic64_inc(&pktmeta_expand_moved);
	return 0;
}

static const struct kretprobe pktmeta_expand_template = {
	.kp.symbol_name = "pskb_expand_head",
	.entry_handler = pktmeta_expand_entry,
	.handler = pktmeta_expand_return,
	.data_size = sizeof(struct pktmeta_expand),
};

/* register_kretprobe() fills it in: each registration starts afresh. */
static struct kretprobe pktmeta_expand_probe;

/**
 * pktmeta_expand_attach() - register the return probe on pskb_expand_head()
 *
 * Context: process context, may sleep; called under hooks.c's lock.
 */
void pktmeta_expand_attach(void)
{
	int err;

	if (pktmeta_expand_registered)
		return;
	pktmeta_expand_probe = pktmeta_expand_template;
	err = register_kretprobe(&pktmeta_expand_probe);
	if (err) {
		pr_warn("hook expand disabled: cannot probe pskb_expand_head (%d); a reallocated head drops its fields\n",
			err);
		return;
	}
	pktmeta_expand_registered = true;
}

/**
 * pktmeta_expand_detach() - unregister it
 *
 * Context: process context, may sleep; called under hooks.c's lock.
 */
void pktmeta_expand_detach(void)
{
	if (!pktmeta_expand_registered)
		return;
	unregister_kretprobe(&pktmeta_expand_probe);
	pktmeta_expand_registered = false;
}

/**
 * pktmeta_expand_show() - its row of the debugfs `hooks` table: hits are
 * areas moved to a new head
 * @m: the seq_file
 * @idle: the hooks are not in use (else, unregistered means off or failed)
 */
void pktmeta_expand_show(struct seq_file *m, bool idle)
{
	seq_printf(m, "expand %s %lld 0 0 pskb_expand_head\n",
		   pktmeta_expand_registered ? "attached" : idle ? "idle" : "off",
		   (long long)atomic64_read(&pktmeta_expand_moved));
}
