/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Devices whose XDP buffers pktmeta refused (-EOPNOTSUPP), counted per
 * device for debugfs `refused`.
 */
#ifndef PKTMETA_REFUSED_H
#define PKTMETA_REFUSED_H

#include <linux/netdevice.h>
#include <linux/seq_file.h>

void pktmeta_refused_count(const struct net_device *dev);
void pktmeta_refused_show(struct seq_file *m);

#endif /* PKTMETA_REFUSED_H */
