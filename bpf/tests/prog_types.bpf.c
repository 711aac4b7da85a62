// SPDX-License-Identifier: GPL-2.0
/*
 * The skb kfuncs in every skb program type, for tests/guest/prog_types.bats.
 *
 * Test packets are UDP to port 47000 with payload { magic, seq, ... }
 * (send_udp in helpers.bash). xdp_mark sets field_id to expected(seq) on
 * each one whose seq is even and passes it up. Each reader below finds the
 * payload where its program type sees the packet (skb->data at the Ethernet,
 * IP or UDP header, or the payload), reads the field and counts, in
 * its own counters (PREFIX_*): the packets that carry exactly their own
 * value (_set), the unmarked ones that get -ENOENT (_unset), marked ones
 * that get -ENOENT (_lost: the area was dropped on the way) and anything
 * else (_bad: another value, another error; bad_ret keeps the first such
 * return).
 *
 * cg_egress runs on the sender's own skbs, which no XDP program saw: a get
 * must say -ENOENT, and a set either makes an area (read back) or says
 * -ENOSPC when the headroom is too small.
 *
 * The netfilter readers are in prog_types_nf.bpf.c (prog_types.h says why).
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include "pktmeta.bpf.h"
#include "prog_types.h"

COUNTERS(act);
COUNTERS(cg_in);
COUNTERS(sock);
COUNTERS(skskb);
COUNTERS(lwt_in);
COUNTERS(lwt_out);
COUNTERS(lwt_xmit);
__u64 eg_seen, eg_enoent, eg_other, eg_set_ok, eg_set_enospc, eg_set_other, eg_read_back;


/*
 * The seq of a test packet, whose payload starts at skb->data + 42 (at the
 * Ethernet header), + 28 (IP header), + 8 (UDP header) or + 0; -1 for
 * another packet.
 */
static __always_inline long test_seq(struct __sk_buff *skb)
{
	__u32 off[4] = { 42, 28, 8, 0 }, p[2];
	int i;

	for (i = 0; i < 4; i++)
		if (!bpf_skb_load_bytes(skb, off[i], p, sizeof(p)) && p[0] == MAGIC)
			return p[1];
	return -1;
}

#define CHECK(prefix, skb)							\
	do {									\
		long seq = test_seq(skb);					\
		__u64 v = 0;							\
		int ret;							\
										\
		if (seq < 0)							\
			break;							\
		__sync_fetch_and_add(&prefix##_seen, 1);			\
		ret = bpf_skb_pktmeta_get(skb, field_id, &v, sizeof(v));	\
		judge(seq, ret, v, &prefix##_set, &prefix##_unset,		\
		      &prefix##_lost, &prefix##_bad);				\
	} while (0)

SEC("action")
int act_check(struct __sk_buff *skb)
{
	CHECK(act, skb);
	return TC_ACT_PIPE;
}

SEC("cgroup_skb/ingress")
int cg_ingress(struct __sk_buff *skb)
{
	CHECK(cg_in, skb);
	return 1;
}

SEC("cgroup_skb/egress")
int cg_egress(struct __sk_buff *skb)
{
	__u64 v = 0, got = 0;
	long seq = test_seq(skb);
	int ret;

	if (seq < 0)
		return 1;
	__sync_fetch_and_add(&eg_seen, 1);
	ret = bpf_skb_pktmeta_get(skb, field_id, &v, sizeof(v));
	__sync_fetch_and_add(ret == -ENOENT ? &eg_enoent : &eg_other, 1);
	v = expected(seq);
	ret = bpf_skb_pktmeta_set(skb, field_id, &v, sizeof(v));
	if (!ret) {
		__sync_fetch_and_add(&eg_set_ok, 1);
		if (!bpf_skb_pktmeta_get(skb, field_id, &got, sizeof(got)) && got == v)
			__sync_fetch_and_add(&eg_read_back, 1);
	} else if (ret == -ENOSPC) {
		__sync_fetch_and_add(&eg_set_enospc, 1);
	} else {
		__sync_fetch_and_add(&eg_set_other, 1);
	}
	return 1;
}

SEC("socket")
int sock_check(struct __sk_buff *skb)
{
	CHECK(sock, skb);
	return skb->len;
}

struct {
	__uint(type, BPF_MAP_TYPE_SOCKMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} socks SEC(".maps");

SEC("sk_skb")
int skskb_check(struct __sk_buff *skb)
{
	CHECK(skskb, skb);
	return SK_DROP;	/* nobody reads the socket */
}

SEC("lwt_in")
int lwt_in_check(struct __sk_buff *skb)
{
	CHECK(lwt_in, skb);
	return BPF_OK;
}

SEC("lwt_out")
int lwt_out_check(struct __sk_buff *skb)
{
	CHECK(lwt_out, skb);
	return BPF_OK;
}

SEC("lwt_xmit")
int lwt_xmit_check(struct __sk_buff *skb)
{
	CHECK(lwt_xmit, skb);
	return BPF_OK;
}

char LICENSE[] SEC("license") = "GPL";
