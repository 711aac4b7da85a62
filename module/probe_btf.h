/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The running kernel's BTF, read from /sys/kernel/btf/, for the prototype
 * checks of btf_proto.h.
 */
#ifndef PKTMETA_PROBE_BTF_H
#define PKTMETA_PROBE_BTF_H

#include "btf_proto.h"

/**
 * struct pktmeta_kbtf - vmlinux's BTF and, for a driver's hook, its module's
 * @vmlinux: parsed /sys/kernel/btf/vmlinux
 * @module: parsed /sys/kernel/btf/MODULE, split on @vmlinux
 * @data: the raw blobs (vmalloc'ed), vmlinux first
 * @offsets: their type indexes
 */
struct pktmeta_kbtf {
	struct pktmeta_btf vmlinux;
	struct pktmeta_btf module;
	void *data[2];
	u32 *offsets[2];
};

int pktmeta_kbtf_load(struct pktmeta_kbtf *k, const char *module);
void pktmeta_kbtf_free(struct pktmeta_kbtf *k);

#endif /* PKTMETA_PROBE_BTF_H */
