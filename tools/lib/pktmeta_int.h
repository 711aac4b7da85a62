/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libpktmeta: what its files share, not part of the API.
 */
#ifndef __PKTMETA_INT_H
#define __PKTMETA_INT_H

struct pktmeta;

/* Set the message pktmeta_errmsg() returns. */
void pktmeta_set_errmsg(struct pktmeta *pm, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* __PKTMETA_INT_H */
