/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pktmeta for BPF programs: the one header an XDP, TC or syscall program
 * includes to set and get per-packet metadata fields by id.
 *
 * Include it after <linux/bpf.h> (or vmlinux.h) and <bpf/bpf_helpers.h>.
 * The kfuncs come from the pktmeta module's BTF; libbpf resolves them when
 * the program is loaded, so `modprobe pktmeta` must have run first.
 */
#ifndef __PKTMETA_BPF_H
#define __PKTMETA_BPF_H

#include <linux/types.h>
#include "uapi/linux/pktmeta.h"

/*
 * Errors, as the kfuncs return them (negative):
 *   -ENOENT      unknown id, or the field is not set on this packet
 *   -EINVAL      the size differs from the field's
 *   -EFAULT      the field is newer than the packet's area
 *   -ENOSPC      no room: the headroom before data_meta/data is too small
 *   -EOPNOTSUPP  a device on which pktmeta cannot guarantee validity
 */

/* XDP programs. */
extern int bpf_xdp_pktmeta_set(struct xdp_md *ctx, __u32 id, const void *val,
			       __u32 val__sz) __ksym;
extern int bpf_xdp_pktmeta_get(struct xdp_md *ctx, __u32 id, void *val,
			       __u32 val__sz) __ksym;
extern int bpf_xdp_pktmeta_clear(struct xdp_md *ctx, __u32 id) __ksym;

/* Syscall programs (BPF_PROG_TYPE_SYSCALL): manage the registry. */
extern __s64 bpf_pktmeta_register(const char *name, __u32 name__sz,
				  __u32 size) __ksym;
extern __s64 bpf_pktmeta_lookup(const char *name, __u32 name__sz) __ksym;
extern int bpf_pktmeta_unregister(__u32 id) __ksym;

/*
 * The names of the original proposal: pick the kfunc from the type of the
 * program's context.
 */
#define bpf_set_packet_metadata_field(ctx, id, val, size)			\
	_Generic((ctx), struct xdp_md *: bpf_xdp_pktmeta_set)(ctx, id, val, size)
#define bpf_get_packet_metadata_field(ctx, id, val, size)			\
	_Generic((ctx), struct xdp_md *: bpf_xdp_pktmeta_get)(ctx, id, val, size)

#endif /* __PKTMETA_BPF_H */
