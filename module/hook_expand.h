/* SPDX-License-Identifier: GPL-2.0 */
/* Hook expand: an skb's area follows its head (hook_expand.c). */
#ifndef PKTMETA_HOOK_EXPAND_H
#define PKTMETA_HOOK_EXPAND_H

#include <linux/seq_file.h>
#include <linux/types.h>

void pktmeta_expand_attach(void);
void pktmeta_expand_detach(void);
void pktmeta_expand_show(struct seq_file *m, bool idle);

#endif /* PKTMETA_HOOK_EXPAND_H */
