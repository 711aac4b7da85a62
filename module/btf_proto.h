/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Prototype checks of traced functions against raw BTF, as the kernel
 * exposes it in /sys/kernel/btf/ (vmlinux, and split BTF per module whose
 * type ids and string offsets continue those of vmlinux).
 *
 * The probes read arguments of static driver functions by position; a
 * kernel whose function takes them in another order would have them read
 * garbage. Before a probe attaches, its function's BTF prototype must show
 * a pointer to the expected struct at each position the probe reads.
 *
 * Pure logic with no kernel dependency, so that tests/unit builds it in
 * userspace; probe_btf.c reads the BTF and calls it.
 */
#ifndef PKTMETA_BTF_PROTO_H
#define PKTMETA_BTF_PROTO_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stddef.h>
#include <stdint.h>
typedef uint8_t u8;
typedef uint32_t u32;
typedef uint64_t u64;
#endif

/**
 * struct pktmeta_btf - one parsed BTF blob
 * @types: the type section
 * @types_len: its length in bytes
 * @strs: the string section
 * @strs_len: its length in bytes
 * @first_id: id of the first type of @types (1, or after @base's types)
 * @str_base: string offset of @strs[0] (0, or @base's total string length)
 * @nr_types: types in @types
 * @offsets: for each type, its offset in @types (pktmeta_btf_index())
 * @base: the BTF a split BTF continues, NULL for vmlinux
 */
struct pktmeta_btf {
	const u8 *types;
	u32 types_len;
	const char *strs;
	u32 strs_len;
	u32 first_id;
	u32 str_base;
	u32 nr_types;
	u32 *offsets;
	const struct pktmeta_btf *base;
};

/**
 * struct pktmeta_btf_arg - what a probe reads at one argument position
 * @index: the argument's position, 0 first
 * @strct: the name of the struct it must point to; NULL ends a list
 */
struct pktmeta_btf_arg {
	u8 index;
	const char *strct;
};

#define PKTMETA_BTF_MAX_ARGS	3

int pktmeta_btf_open(struct pktmeta_btf *btf, const void *data, size_t len,
		     const struct pktmeta_btf *base);
int pktmeta_btf_index(struct pktmeta_btf *btf, u32 *offsets);
int pktmeta_btf_check_func(const struct pktmeta_btf *btf, const char *func,
			   const struct pktmeta_btf_arg *args);

#endif /* PKTMETA_BTF_PROTO_H */
