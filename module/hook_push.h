/* SPDX-License-Identifier: GPL-2.0 */
/* Hook push: a push over a packet's area unsets what it covers (hook_push.c). */
#ifndef PKTMETA_HOOK_PUSH_H
#define PKTMETA_HOOK_PUSH_H

#include <linux/seq_file.h>

void pktmeta_push_attach(void);
void pktmeta_push_detach(void);
void pktmeta_push_show(struct seq_file *m, bool idle);

#endif /* PKTMETA_HOOK_PUSH_H */
