// SPDX-License-Identifier: GPL-2.0
/*
 * The running kernel's BTF for the probes' prototype checks: vmlinux's and
 * a driver module's, as the kernel exposes them in /sys/kernel/btf/
 * (kernel/bpf/sysfs_btf.c and btf_module_notify() in kernel/bpf/btf.c).
 * The BTF lookup functions of kernel/bpf/btf.c are not exported to modules
 * (btf_find_by_name_kind() on 6.1 and 6.12), so the blobs are read as files
 * and parsed by btf_proto.c. Read from the initial mount namespace, as the
 * firmware loader does, so the caller's namespace does not matter.
 */
#include <linux/kernel_read_file.h>
#include <linux/limits.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "probe_btf.h"

static int pktmeta_kbtf_read(struct pktmeta_kbtf *k, int i, const char *name,
			     struct pktmeta_btf *btf,
			     const struct pktmeta_btf *base)
{
	char path[64];
	size_t size;
	ssize_t n;
	int err;

	snprintf(path, sizeof(path), "/sys/kernel/btf/%s", name);
	n = kernel_read_file_from_path_initns(path, 0, &k->data[i], INT_MAX,
					      &size, READING_UNKNOWN);
	if (n < 0)
		return n;
	err = pktmeta_btf_open(btf, k->data[i], n, base);
	if (err)
		return err;
	k->offsets[i] = kvmalloc_array(max(btf->nr_types, 1U), sizeof(u32),
				       GFP_KERNEL);
	if (!k->offsets[i])
		return -ENOMEM;
	return pktmeta_btf_index(btf, k->offsets[i]);
}

/**
 * pktmeta_kbtf_load() - read and index the BTF a hook's probes are checked on
 * @k: filled in; free with pktmeta_kbtf_free() whatever the result
 * @module: the driver module whose functions are probed, or NULL
 *
 * Return: 0, or the error of reading or parsing either blob.
 */
int pktmeta_kbtf_load(struct pktmeta_kbtf *k, const char *module)
{
	int err;

	memset(k, 0, sizeof(*k));
	err = pktmeta_kbtf_read(k, 0, "vmlinux", &k->vmlinux, NULL);
	if (!err && module)
		err = pktmeta_kbtf_read(k, 1, module, &k->module, &k->vmlinux);
	return err;
}

/**
 * pktmeta_kbtf_free() - free what pktmeta_kbtf_load() read
 * @k: the BTF
 */
void pktmeta_kbtf_free(struct pktmeta_kbtf *k)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(k->data); i++) {
		vfree(k->data[i]);
		kvfree(k->offsets[i]);
	}
}
