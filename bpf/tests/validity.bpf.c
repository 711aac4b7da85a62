// SPDX-License-Identifier: GPL-2.0
/*
 * An area is valid only for the packet that initialised it: XDP programs
 * for tests/guest/validity.bats.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include "pktmeta.bpf.h"

#define ENOENT 2
#define EOPNOTSUPP 95

__u32 id;		/* in: an 8-byte field */
__u64 value;		/* in: what set_maybe sets */
__u32 do_set;		/* in: set_maybe sets the field when nonzero */
int get_ret = 1, set_ret = 1;	/* out */
__u64 got;		/* out */

/* BPF_PROG_TEST_RUN: get before an optional set, then get again. */
SEC("xdp")
int set_maybe(struct xdp_md *ctx)
{
	__u64 out = ~0ULL;

	get_ret = bpf_xdp_pktmeta_get(ctx, id, &out, sizeof(out));
	got = out;
	if (do_set) {
		set_ret = bpf_xdp_pktmeta_set(ctx, id, &value, sizeof(value));
		out = 0;
		if (bpf_xdp_pktmeta_get(ctx, id, &out, sizeof(out)) || out != value)
			set_ret = 1000;
	}
	return XDP_PASS;
}

/*
 * Live-frame test runs (BPF_F_TEST_XDP_LIVE_FRAMES) reuse page_pool pages
 * and their xdp_buff: every run is a new packet, so a get before the set
 * must never succeed. Counts what the get returned; sets runs' number.
 */
__u64 runs, leaks, enoent, eopnotsupp, other;

SEC("xdp")
int live_get_set(struct xdp_md *ctx)
{
	__u64 out = 0, n = __sync_fetch_and_add(&runs, 1) + 1;
	int r = bpf_xdp_pktmeta_get(ctx, id, &out, sizeof(out));

	if (r == 0)
		__sync_fetch_and_add(&leaks, 1);
	else if (r == -ENOENT)
		__sync_fetch_and_add(&enoent, 1);
	else if (r == -EOPNOTSUPP)
		__sync_fetch_and_add(&eopnotsupp, 1);
	else
		__sync_fetch_and_add(&other, 1);
	bpf_xdp_pktmeta_set(ctx, id, &n, sizeof(n));
	return XDP_DROP;
}

/*
 * Live traffic: UDP packets to port carrying { magic, seq, flags } (little
 * endian). The program gets the field first (it must be unset on every new
 * packet), then sets it to a value derived from the payload on packets
 * with flags bit 0 and reads it back. Packets it recognises are dropped.
 */
__u16 port = 47000;	/* in: UDP destination port */
__u32 magic = 0x706d7631;
__u64 pkts, odd, set_ok, before_enoent, before_other, mismatches;

struct payload {
	__u32 magic;
	__u32 seq;
	__u32 flags;
	__u32 tag;
};

static __always_inline __u64 derive(const struct payload *p)
{
	return ((__u64)p->seq * 0x9e3779b97f4a7c15ULL) ^ ((__u64)p->tag << 32) ^ p->magic;
}

/* The UDP payload of a packet for us, or NULL. */
static __always_inline struct payload *our_payload(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip + 1);
	struct payload *p = (void *)(udp + 1);

	if ((void *)(p + 1) > end)
		return NULL;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl != 5 ||
	    ip->protocol != IPPROTO_UDP || udp->dest != bpf_htons(port) ||
	    p->magic != magic)
		return NULL;
	return p;
}

SEC("xdp")
int traffic(struct xdp_md *ctx)
{
	struct payload *p = our_payload(ctx);
	__u64 out = ~0ULL, v;
	int r;

	if (!p)
		return XDP_PASS;
	__sync_fetch_and_add(&pkts, 1);
	r = bpf_xdp_pktmeta_get(ctx, id, &out, sizeof(out));
	if (r == -ENOENT && out == 0)
		__sync_fetch_and_add(&before_enoent, 1);
	else
		__sync_fetch_and_add(&before_other, 1);
	if (!(p->flags & 1))
		return XDP_DROP;
	__sync_fetch_and_add(&odd, 1);
	v = derive(p);
	if (bpf_xdp_pktmeta_set(ctx, id, &v, sizeof(v)))
		return XDP_DROP;
	__sync_fetch_and_add(&set_ok, 1);
	out = 0;
	/* p was checked against the packet before; re-derive from it. */
	p = our_payload(ctx);
	if (!p || bpf_xdp_pktmeta_get(ctx, id, &out, sizeof(out)) ||
	    out != derive(p))
		__sync_fetch_and_add(&mismatches, 1);
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
