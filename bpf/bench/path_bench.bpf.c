// SPDX-License-Identifier: GPL-2.0
/*
 * Programs of part i of `make bench` (tests/bench/bench.sh): a u64 field
 * carried on local UDP traffic from TC egress of the sending veth to TC
 * ingress of its peer in another namespace (tests/bench/pmudp.c sends).
 *
 *   path_set  TC egress: sets field_id to path_value(seq) on each datagram
 *             with pktmeta_skb_set_room(), as a program must on locally
 *             sent skbs (their headroom is too small for an area)
 *   path_get  TC ingress: reads the field and counts whether it holds the
 *             datagram's own value
 *
 * plain_bench.bpf.c has the same two programs without the pktmeta calls.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "pktmeta.bpf.h"
#include "path_bench.h"

#define ENOENT 2
#define ENOMEM 12

const volatile __u32 field_id = PKTMETA_ID_NONE;

__u64 egress_seen, set_ok, set_err;			/* out: path_set */
__u64 ingress_seen, got_right, got_wrong, got_none, get_err;	/* out: path_get */

static __always_inline __u64 path_value(__u32 seq)
{
	return ((__u64)seq << 32) | 0xbe4c;
}

SEC("tc")
int path_set(struct __sk_buff *skb)
{
	long seq = path_seq(skb, &egress_seen);
	__u64 v = path_value(seq);
	int err;

	if (seq < 0)
		return TC_ACT_OK;
	err = pktmeta_skb_set_room(skb, field_id, &v, sizeof(v));
	if (err) {
		set_err++;
		return err == -ENOMEM ? TC_ACT_SHOT : TC_ACT_OK;
	}
	set_ok++;
	return TC_ACT_OK;
}

SEC("tc")
int path_get(struct __sk_buff *skb)
{
	long seq = path_seq(skb, &ingress_seen);
	__u64 v;
	int err;

	if (seq < 0)
		return TC_ACT_OK;
	err = bpf_skb_pktmeta_get(skb, field_id, &v, sizeof(v));
	if (!err && v == path_value(seq))
		got_right++;
	else if (!err)
		got_wrong++;
	else if (err == -ENOENT)
		got_none++;
	else
		get_err++;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
