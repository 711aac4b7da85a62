// SPDX-License-Identifier: GPL-2.0
/*
 * pktmeta_bench: an XDP kfunc that does nothing, with the signature of
 * bpf_xdp_pktmeta_get(), so that `make bench` can compare the pktmeta kfuncs
 * with the bare cost of a kfunc call. Bench only: never installed.
 */
#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/module.h>
#include "compat.h"

__bpf_kfunc_start_defs();

/**
 * bpf_pktmeta_bench_nop() - an empty kfunc
 * @ctx: the XDP program's context
 * @id: ignored
 * @val: ignored
 * @val__sz: ignored
 *
 * Return: 0.
 */
__bpf_kfunc int bpf_pktmeta_bench_nop(struct xdp_md *ctx, u32 id, void *val,
				      u32 val__sz)
{
	return 0;
}

__bpf_kfunc_end_defs();

BTF_KFUNCS_START(pktmeta_bench_kfunc_ids)
BTF_ID_FLAGS(func, bpf_pktmeta_bench_nop)
BTF_KFUNCS_END(pktmeta_bench_kfunc_ids)

static const struct btf_kfunc_id_set pktmeta_bench_kfunc_set = {
	.owner = THIS_MODULE,
	.set = &pktmeta_bench_kfunc_ids,
};

static int __init pktmeta_bench_init(void)
{
	return register_btf_kfunc_id_set(BPF_PROG_TYPE_XDP,
					 &pktmeta_bench_kfunc_set);
}

static void __exit pktmeta_bench_exit(void)
{
}

module_init(pktmeta_bench_init);
module_exit(pktmeta_bench_exit);
MODULE_DESCRIPTION("pktmeta benchmark: an empty XDP kfunc");
MODULE_LICENSE("GPL");
