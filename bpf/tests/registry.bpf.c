// SPDX-License-Identifier: GPL-2.0
/*
 * Syscall programs that manage the registry through the kfuncs, for tests
 * and benchmarks: run them with pmrun, e.g.
 *   pmrun -s name=flow_class -s size=4 -p ret registry.bpf.o do_register
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "pktmeta.bpf.h"

char name[64];		/* in; longer than a name may be, to test */
__u32 name_len;		/* in: bytes of name to pass (1..63); 0: all 64 */
__u32 size;		/* in: field size for do_register */
__u32 id;		/* in: field id for do_unregister */
__u32 count = 1;	/* in: how many fields do_register_many registers */
__s64 ret;		/* out: what the (last) kfunc returned */

static __u32 name_size(void)
{
	__u32 n = name_len & (sizeof(name) - 1);

	return n ? n : sizeof(name);
}

SEC("syscall")
int do_register(void *ctx)
{
	ret = bpf_pktmeta_register(name, name_size(), size);
	return 0;
}

SEC("syscall")
int do_lookup(void *ctx)
{
	ret = bpf_pktmeta_lookup(name, name_size());
	return 0;
}

SEC("syscall")
int do_unregister(void *ctx)
{
	ret = bpf_pktmeta_unregister(id);
	return 0;
}

/* Register fields NAME.0 .. NAME.(count-1), NAME at most 20 chars. */
SEC("syscall")
int do_register_many(void *ctx)
{
	char n[PKTMETA_NAME_MAX] = {};
	__u32 i, len;

	for (len = 0; len < 20 && name[len]; len++)
		n[len] = name[len];
	n[len] = '.';
	for (i = 0; i < count && i < PKTMETA_MAX_FIELDS; i++) {
		n[len + 1] = '0' + i / 10;
		n[len + 2] = '0' + i % 10;
		ret = bpf_pktmeta_register(n, len + 3, size);
		if (ret < 0)
			break;
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
