// SPDX-License-Identifier: GPL-2.0
/*
 * Fields and hints across XDP_REDIRECT, for tests/guest/redirect.bats.
 *
 * Test packets are UDP to port 47000 with payload { magic, seq, ... } (the
 * format of send_udp in helpers.bash), sent from several sockets so that
 * packet seq belongs to flow seq % flows and consecutive packets belong to
 * different flows, with different rx_hash values.
 *
 * set_redirect runs at XDP on the ingress veth. On even seqs it sets
 * value_id to expected(seq) and copies the rx_hash hint it reads into
 * hash_id; odd seqs it does not touch at all (their hints are still pending
 * when they are redirected). Then it redirects every test packet: to
 * redirect_ifindex (bpf_redirect), through devmap entry 0, or to CPU
 * cpu_target through the cpumap.
 *
 * The far end (far_end_check at XDP on the target veth's peer, devmap_check,
 * cpumap_check) reads both and counts:
 *  - the value: even seqs with exactly their own value (val_ok), odd seqs
 *    with none (val_unset_ok), even seqs without it (val_missing), anything
 *    else: another value, a value on an odd seq, another error (val_bad);
 *  - the rx_hash hint: on even seqs it must equal what set_redirect read at
 *    the ingress, carried in hash_id; the hash of the flow is learned there.
 *    On odd seqs it must equal the hash learned for the packet's flow (the
 *    previous packet, of another flow, has another hash); until the flow is
 *    learned it is hint_unverified (at most the first `flows` packets).
 *    hint_missing: an even seq without the hint or its carried copy;
 *    hint_unset: an odd seq without the hint (veth's rx_hash of a packet
 *    the ingress program left alone is computed at the redirect:
 *    hook_redirect.c); hint_bad: another hash or
 *    type. hint_zero counts hashes of 0, which would make the check blind.
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
#include "test_packet.h"

#define ENOENT 2
#define PORT 47000

const volatile __u32 value_id = PKTMETA_ID_NONE;	/* u64 */
const volatile __u32 hash_id = PKTMETA_ID_NONE;		/* struct pktmeta_rx_hash */
const volatile __u32 redirect_ifindex;
const volatile __u32 use_devmap;
const volatile __u32 use_cpumap;
const volatile __u32 cpu_target;

/* set_redirect */
__u64 set_seen, set_marked, set_err, set_no_hash;
/* the far end */
__u64 chk_seen, val_ok, val_unset_ok, val_missing, val_bad;
__u64 hint_ok, hint_missing, hint_unset, hint_bad, hint_unverified, hint_zero, flows_learned;
__u64 first_bad_seq = ~0ULL, first_bad_ret, first_bad_val;
/* the first packet with hint_bad: its seq, the hash it had, the one wanted */
__u64 hint_bad_marked, first_hint_bad_seq = ~0ULL, first_hint_bad_got, first_hint_bad_want;

TEST_DEVMAP(devs, 1);

TEST_CPUMAP(cpus, 4);

/* UDP source port -> the rx_hash hint its marked packets carried. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, struct pktmeta_rx_hash);
} flow_hash SEC(".maps");

static __always_inline __u64 expected(__u32 seq)
{
	return ((__u64)seq * 0x9e3779b97f4a7c15ULL) ^ TEST_MAGIC;
}

/* The UDP header of a test packet, or NULL; *seq gets its sequence number. */
static __always_inline struct udphdr *test_packet(struct xdp_md *ctx, __u32 *seq)
{
	struct udphdr *udp = test_udp((void *)(long)ctx->data,
				      (void *)(long)ctx->data_end, PORT);

	if (udp)
		*seq = test_payload_of(udp)[1];
	return udp;
}

static __always_inline int marked(__u32 seq)
{
	return seq % 2 == 0;
}

SEC("xdp")
int set_redirect(struct xdp_md *ctx)
{
	struct pktmeta_rx_hash h;
	__u32 seq;
	__u64 v;

	if (!test_packet(ctx, &seq))
		return XDP_PASS;
	__sync_fetch_and_add(&set_seen, 1);
	if (marked(seq)) {
		v = expected(seq);
		if (bpf_xdp_pktmeta_set(ctx, value_id, &v, sizeof(v)))
			__sync_fetch_and_add(&set_err, 1);
		else
			__sync_fetch_and_add(&set_marked, 1);
		/* What the driver said here, for the far end to compare with. */
		if (bpf_xdp_pktmeta_get(ctx, PKTMETA_HINT_RX_HASH, &h, sizeof(h)) ||
		    bpf_xdp_pktmeta_set(ctx, hash_id, &h, sizeof(h)))
			__sync_fetch_and_add(&set_no_hash, 1);
	}
	if (redirect_ifindex)
		return bpf_redirect(redirect_ifindex, 0);
	if (use_devmap)
		return bpf_redirect_map(&devs, 0, 0);
	if (use_cpumap)
		return bpf_redirect_map(&cpus, cpu_target, 0);
	return XDP_DROP;
}

static __always_inline void check_value(struct xdp_md *ctx, __u32 seq)
{
	__u64 v = 0;
	int ret;

	ret = bpf_xdp_pktmeta_get(ctx, value_id, &v, sizeof(v));
	if (marked(seq) && !ret && v == expected(seq)) {
		__sync_fetch_and_add(&val_ok, 1);
		return;
	}
	if (ret == -ENOENT) {
		__sync_fetch_and_add(marked(seq) ? &val_missing : &val_unset_ok, 1);
		return;
	}
	if (first_bad_seq == ~0ULL) {
		first_bad_seq = seq;
		first_bad_ret = ret;
		first_bad_val = v;
	}
	__sync_fetch_and_add(&val_bad, 1);
}

static __always_inline void check_hint(struct xdp_md *ctx, __u32 seq, __u32 sport)
{
	struct pktmeta_rx_hash h, want, *known;

	if (bpf_xdp_pktmeta_get(ctx, PKTMETA_HINT_RX_HASH, &h, sizeof(h))) {
		__sync_fetch_and_add(marked(seq) ? &hint_missing : &hint_unset, 1);
		return;
	}
	if (!h.hash)
		__sync_fetch_and_add(&hint_zero, 1);
	if (marked(seq)) {
		if (bpf_xdp_pktmeta_get(ctx, hash_id, &want, sizeof(want))) {
			__sync_fetch_and_add(&hint_missing, 1);
			return;
		}
		if (!bpf_map_lookup_elem(&flow_hash, &sport) &&
		    !bpf_map_update_elem(&flow_hash, &sport, &want, BPF_NOEXIST))
			__sync_fetch_and_add(&flows_learned, 1);
	} else {
		known = bpf_map_lookup_elem(&flow_hash, &sport);
		if (!known) {
			__sync_fetch_and_add(&hint_unverified, 1);
			return;
		}
		want = *known;
	}
	if (h.hash == want.hash && h.type == want.type) {
		__sync_fetch_and_add(&hint_ok, 1);
		return;
	}
	if (first_hint_bad_seq == ~0ULL) {
		first_hint_bad_seq = seq;
		first_hint_bad_got = ((__u64)h.type << 32) | h.hash;
		first_hint_bad_want = ((__u64)want.type << 32) | want.hash;
	}
	if (marked(seq))
		__sync_fetch_and_add(&hint_bad_marked, 1);
	__sync_fetch_and_add(&hint_bad, 1);
}

static __always_inline int far_end(struct xdp_md *ctx)
{
	struct udphdr *udp;
	__u32 seq, sport;

	udp = test_packet(ctx, &seq);
	if (!udp)
		return XDP_PASS;
	sport = bpf_ntohs(udp->source);
	__sync_fetch_and_add(&chk_seen, 1);
	check_value(ctx, seq);
	check_hint(ctx, seq, sport);
	return XDP_DROP;
}

SEC("xdp")
int far_end_check(struct xdp_md *ctx)
{
	return far_end(ctx);
}

SEC("xdp/devmap")
int devmap_check(struct xdp_md *ctx)
{
	return far_end(ctx);
}

SEC("xdp/cpumap")
int cpumap_check(struct xdp_md *ctx)
{
	return far_end(ctx);
}

char LICENSE[] SEC("license") = "GPL";
