// SPDX-License-Identifier: GPL-2.0
/*
 * The skb kfuncs in netfilter programs, for tests/guest/prog_types.bats;
 * xdp_mark and the counters as in prog_types.bpf.c. nf_walked hands the
 * kfunc a pointer read from the skb (skb->next): the verifier must refuse
 * it (KF_TRUSTED_ARGS, module/kfuncs_skb.c).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "pktmeta.bpf.h"
#include "prog_types.h"

#define NF_ACCEPT 1

/* include/net/netfilter/nf_bpf_link.h (6.4+) */
struct sk_buff;
struct nf_hook_state;
struct bpf_nf_ctx {
	const struct nf_hook_state *state;
	struct sk_buff *skb;
};

extern int bpf_dynptr_from_skb(struct __sk_buff *skb, __u64 flags,
			       struct bpf_dynptr *ptr__uninit) __ksym;

COUNTERS(nf);

/*
 * A netfilter program gets struct bpf_nf_ctx; its skb, a trusted
 * struct sk_buff *, goes to the kfuncs as the struct __sk_buff * they take,
 * as to the kernel's own bpf_dynptr_from_skb(). At LOCAL_IN skb->data is at
 * the IP header.
 */
SEC("netfilter")
int nf_check(struct bpf_nf_ctx *ctx)
{
	struct __sk_buff *skb = (struct __sk_buff *)ctx->skb;
	struct bpf_dynptr ptr;
	__u32 p[2];
	__u64 v = 0;
	int ret;

	if (bpf_dynptr_from_skb(skb, 0, &ptr) ||
	    bpf_dynptr_read(p, sizeof(p), &ptr, 28, 0) || p[0] != MAGIC)
		return NF_ACCEPT;
	__sync_fetch_and_add(&nf_seen, 1);
	ret = bpf_skb_pktmeta_get(skb, field_id, &v, sizeof(v));
	judge(p[1], ret, v, &nf_set, &nf_unset, &nf_lost, &nf_bad);
	return NF_ACCEPT;
}

SEC("netfilter")
int nf_walked(struct bpf_nf_ctx *ctx)
{
	/* skb->next, the first member of struct sk_buff */
	struct __sk_buff *next = *(struct __sk_buff **)ctx->skb;
	__u64 v;

	bpf_skb_pktmeta_get(next, field_id, &v, sizeof(v));
	return NF_ACCEPT;
}

char LICENSE[] SEC("license") = "GPL";
