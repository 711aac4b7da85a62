/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a program calls, read from its instructions while the verifier
 * checks it (prog_scan.c).
 */
#ifndef PKTMETA_PROG_SCAN_H
#define PKTMETA_PROG_SCAN_H

#include <linux/bpf.h>

const char *pktmeta_prog_head_mover(const struct bpf_prog *prog);

#endif /* PKTMETA_PROG_SCAN_H */
