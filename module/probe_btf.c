// SPDX-License-Identifier: GPL-2.0
/*
 * The running kernel's BTF for the probes' prototype checks: vmlinux's and
 * a driver module's, as the kernel exposes them in /sys/kernel/btf/
 * (kernel/bpf/sysfs_btf.c and btf_module_notify() in kernel/bpf/btf.c).
 * The BTF lookup functions of kernel/bpf/btf.c are not exported to modules
 * (btf_find_by_name_kind() on 6.1 and 6.12), so the blobs are read as files
 * and parsed by btf_proto.c: from the loading task's root, falling back to
 * init_task's as kernel_read_file_from_path_initns() does; not through
 * kernel_read_file() itself, whose LSM hook
 * wants a purpose among enum kernel_read_file_id (7.x's IPE warns on
 * READING_UNKNOWN and refuses it).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/limits.h>
#include <linux/mm.h>
#include <linux/namei.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "probe_btf.h"

/*
 * Open @path (relative to a root): in the namespace of the task loading a
 * module (modprobe), else from init_task's root. The latter alone is not
 * enough: on Debian's 7.3 it did not see /sys (-ENOENT in a guest whose
 * init mounted sysfs).
 */
static struct file *pktmeta_kbtf_open(const char *path)
{
	struct file *file;
	struct path root;

	get_fs_root(current->fs, &root);
	file = file_open_root(&root, path, O_RDONLY, 0);
	path_put(&root);
	if (!IS_ERR(file))
		return file;
	task_lock(&init_task);
	get_fs_root(init_task.fs, &root);
	task_unlock(&init_task);
	file = file_open_root(&root, path, O_RDONLY, 0);
	path_put(&root);
	return file;
}

/* Read all of @path into vmalloc memory. */
static ssize_t pktmeta_kbtf_slurp(const char *path, void **data)
{
	struct file *file;
	loff_t size, pos = 0;
	ssize_t n = 0;

	file = pktmeta_kbtf_open(path);
	if (IS_ERR(file))
		return PTR_ERR(file);
	size = i_size_read(file_inode(file));
	if (size <= 0 || size > INT_MAX) {
		n = -EFBIG;
		goto out;
	}
	*data = vmalloc(size);
	if (!*data) {
		n = -ENOMEM;
		goto out;
	}
	/* sysfs hands out at most a page per read (kernfs_file_read_iter()) */
	while (pos < size) {
		n = kernel_read(file, *data + pos, size - pos, &pos);
		if (n <= 0)
			break;
	}
	if (n >= 0 && pos < size)
		n = -EIO;	/* the file ended before its size */
	else if (n >= 0)
		n = pos;
out:
	fput(file);
	return n;
}

static int pktmeta_kbtf_read(struct pktmeta_kbtf *k, int i, const char *name,
			     struct pktmeta_btf *btf,
			     const struct pktmeta_btf *base)
{
	char path[64];
	ssize_t n;
	int err;

	snprintf(path, sizeof(path), "sys/kernel/btf/%s", name);
	n = pktmeta_kbtf_slurp(path, &k->data[i]);
	if (n < 0)
		return n;
	err = pktmeta_btf_open(btf, k->data[i], n, base);
	if (err) {
		pr_warn("%s: %zd bytes that do not parse as BTF\n", path, n);
		return err;
	}
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
