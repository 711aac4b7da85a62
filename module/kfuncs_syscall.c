// SPDX-License-Identifier: GPL-2.0
/*
 * Syscall-program kfuncs: register, look up and unregister fields from a
 * BPF_PROG_TYPE_SYSCALL program (a loader that runs before its XDP/TC
 * programs).
 */
#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/string.h>
#include "compat.h"
#include "pktmeta.h"

__bpf_kfunc_start_defs();

/**
 * bpf_pktmeta_register() - register a field or take a reference on it
 * @name: the field's name; it ends at the first NUL or at @name__sz
 * @name__sz: size of the @name buffer
 * @size: the value's size in bytes
 *
 * Return: the field's id (>= 0), or -EINVAL (bad name or size), -EEXIST
 * (the name is registered with another size), -ENOSPC (no free slot, or no
 * room in the area), -ENOMEM.
 */
__bpf_kfunc s64 bpf_pktmeta_register(const char *name, u32 name__sz, u32 size)
{
	u32 id;
	int err;

	err = pktmeta_register(name, strnlen(name, name__sz), size, 0, &id);
	return err ? (s64)err : (s64)id;
}

/**
 * bpf_pktmeta_lookup() - the id of a registered field
 * @name: the field's name; it ends at the first NUL or at @name__sz
 * @name__sz: size of the @name buffer
 *
 * Return: the field's id (>= 0), or -EINVAL (bad name), -ENOENT.
 */
__bpf_kfunc s64 bpf_pktmeta_lookup(const char *name, u32 name__sz)
{
	u32 id;
	int err;

	err = pktmeta_lookup(name, strnlen(name, name__sz), &id);
	return err ? (s64)err : (s64)id;
}

/**
 * bpf_pktmeta_unregister() - drop a reference taken by registering
 * @id: the field's id
 *
 * Return: 0, or -ENOENT (no such field), -EPERM (a predefined hint field).
 */
__bpf_kfunc int bpf_pktmeta_unregister(u32 id)
{
	return pktmeta_unregister(id);
}

__bpf_kfunc_end_defs();

BTF_KFUNCS_START(pktmeta_syscall_kfunc_ids)
BTF_ID_FLAGS(func, bpf_pktmeta_register, KF_SLEEPABLE)
BTF_ID_FLAGS(func, bpf_pktmeta_lookup)
BTF_ID_FLAGS(func, bpf_pktmeta_unregister, KF_SLEEPABLE)
BTF_KFUNCS_END(pktmeta_syscall_kfunc_ids)

static const struct btf_kfunc_id_set pktmeta_syscall_kfunc_set = {
	.owner = THIS_MODULE,
	.set = &pktmeta_syscall_kfunc_ids,
};

/**
 * pktmeta_kfuncs_syscall_register() - offer the registry kfuncs to syscall
 * programs
 *
 * Return: 0 or the error of register_btf_kfunc_id_set().
 */
int pktmeta_kfuncs_syscall_register(void)
{
	return register_btf_kfunc_id_set(BPF_PROG_TYPE_SYSCALL,
					 &pktmeta_syscall_kfunc_set);
}
