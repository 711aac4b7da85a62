// SPDX-License-Identifier: GPL-2.0
/*
 * Registry churn against traffic on all CPUs, for
 * tests/guest/concurrency.bats. The syscall program churn registers and
 * unregisters the fields churn.0 .. churn.3 (16 bytes each) at random and
 * publishes their ids (stale ones included: an unregistered field's id
 * stays in pm_churn_ids until its name is registered again) through pinned
 * maps; the XDP program traffic sets and gets those fields and a stable one
 * on every packet, with values that carry a checksum.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include "pktmeta.bpf.h"
#include "test_maps.h"

#define NCHURN 4
#define ENOENT 2
#define EFAULT 14
#define ENOSPC 28

PINNED_U32_ARRAY(pm_churn_ids, NCHURN);

PINNED_U32_ARRAY(pm_churn_live, NCHURN);

struct val {
	__u64 v;
	__u64 sum;
};

static __always_inline __u64 csum(__u64 v)
{
	return v * 0x9e3779b97f4a7c15ULL + 0x7f4a7c15ULL;
}

/* ---- syscall side ---- */

__u32 ops = 8;			/* in: changes per run */
__u64 registered, unregistered, reg_errors;	/* out: this run */

SEC("syscall")
int churn(void *ctx)
{
	char name[8] = "churn.0";
	__u32 i, k, *id, *live;
	__s64 r;

	for (i = 0; i < 64 && i < ops; i++) {
		k = bpf_get_prandom_u32() % NCHURN;
		id = bpf_map_lookup_elem(&pm_churn_ids, &k);
		live = bpf_map_lookup_elem(&pm_churn_live, &k);
		if (!id || !live)
			return 1;
		if (*live) {
			if (bpf_pktmeta_unregister(*id))
				reg_errors++;
			*live = 0;
			unregistered++;
		} else {
			name[6] = '0' + k;
			r = bpf_pktmeta_register(name, sizeof(name), sizeof(struct val));
			if (r < 0) {
				reg_errors++;
				continue;
			}
			*id = r;
			*live = 1;
			registered++;
		}
	}
	return 0;
}

/* Unregister every live churn field. */
SEC("syscall")
int churn_cleanup(void *ctx)
{
	__u32 k, *id, *live;

#pragma unroll
	for (k = 0; k < NCHURN; k++) {
		__u32 key = k;

		id = bpf_map_lookup_elem(&pm_churn_ids, &key);
		live = bpf_map_lookup_elem(&pm_churn_live, &key);
		if (!id || !live)
			return 1;
		if (*live && bpf_pktmeta_unregister(*id))
			reg_errors++;
		*live = 0;
	}
	return 0;
}

/* ---- XDP side ---- */

__u32 stable_id;	/* in: a 16-byte field registered before traffic */
__u16 port = 47000;
__u32 magic = 0x706d7631;
/* out */
__u64 pkts, bad_stable, bad_sum, bad_value, leaked, bad_ret;
__u64 churn_set_ok, churn_get_ok, churn_enoent, churn_efault, churn_enospc;
__u64 cpu0_pkts, cpu1_pkts;	/* packets seen on CPU 0 and CPU 1 */

struct payload {
	__u32 magic;
	__u32 seq;
	__u32 flags;
	__u32 tag;
};

SEC("xdp")
int traffic(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip + 1);
	struct payload *p = (void *)(udp + 1);
	__u32 ids[NCHURN], setmask = 0, k, cpu;
	struct val in, out;
	__u64 v;
	int r;

	if ((void *)(p + 1) > end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl != 5 ||
	    ip->protocol != IPPROTO_UDP || udp->dest != bpf_htons(port) ||
	    p->magic != magic)
		return XDP_PASS;
	cpu = bpf_get_smp_processor_id();
	v = ((__u64)p->tag << 56) ^ ((__u64)cpu << 48) ^ p->seq;
	__sync_fetch_and_add(&pkts, 1);
	if (cpu == 0)
		__sync_fetch_and_add(&cpu0_pkts, 1);
	else if (cpu == 1)
		__sync_fetch_and_add(&cpu1_pkts, 1);

	/* The stable field: unset on a new packet, then set and read back. */
	r = bpf_xdp_pktmeta_get(ctx, stable_id, &out, sizeof(out));
	in.v = v;
	in.sum = csum(v);
	if (r != -ENOENT || bpf_xdp_pktmeta_set(ctx, stable_id, &in, sizeof(in)))
		__sync_fetch_and_add(&bad_stable, 1);

#pragma unroll
	for (k = 0; k < NCHURN; k++) {
		__u32 key = k, *idp = bpf_map_lookup_elem(&pm_churn_ids, &key);

		ids[k] = idp ? *idp : 0;
		if (!ids[k])
			continue;
		in.v = v + k + 1;
		in.sum = csum(in.v);
		r = bpf_xdp_pktmeta_set(ctx, ids[k], &in, sizeof(in));
		if (r == 0) {
			setmask |= 1U << k;
			__sync_fetch_and_add(&churn_set_ok, 1);
		} else if (r == -ENOENT) {
			__sync_fetch_and_add(&churn_enoent, 1);
		} else if (r == -EFAULT) {
			__sync_fetch_and_add(&churn_efault, 1);
		} else if (r == -ENOSPC) {
			__sync_fetch_and_add(&churn_enospc, 1);
		} else {
			__sync_fetch_and_add(&bad_ret, 1);
		}
	}

#pragma unroll
	for (k = 0; k < NCHURN; k++) {
		if (!ids[k])
			continue;
		out.v = out.sum = 0;
		r = bpf_xdp_pktmeta_get(ctx, ids[k], &out, sizeof(out));
		if (r)
			continue;
		__sync_fetch_and_add(&churn_get_ok, 1);
		if (out.sum != csum(out.v))
			__sync_fetch_and_add(&bad_sum, 1);
		if (!(setmask & (1U << k)))
			__sync_fetch_and_add(&leaked, 1);
		else if (out.v != v + k + 1)
			__sync_fetch_and_add(&bad_value, 1);
	}

	out.v = out.sum = 0;
	r = bpf_xdp_pktmeta_get(ctx, stable_id, &out, sizeof(out));
	if (r || out.sum != csum(out.v) || out.v != v)
		__sync_fetch_and_add(&bad_stable, 1);
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
