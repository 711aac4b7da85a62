// SPDX-License-Identifier: GPL-2.0
/*
 * Part j of `make bench` (tests/bench/bench.sh): the fields a receiving
 * socket asks for. recv_set, in native mode on the veth that receives the
 * datagrams of tests/bench/pmudp.c, sets field_a (8 bytes) and field_b (4
 * bytes) on each to sock_a(seq) and sock_b(seq) of bpf/tests/sockets.h,
 * which pmudp -f checks in each datagram's control message.
 *
 * plain_bench.bpf.c has plain_recv, the same program without the pktmeta
 * calls.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "pktmeta.bpf.h"
#include "path_bench.h"
#include "../tests/sockets.h"

const volatile __u32 field_a = PKTMETA_ID_NONE;
const volatile __u32 field_b = PKTMETA_ID_NONE;

__u64 recv_seen, set_ok, set_err;	/* out: datagrams seen, both set, a set failed */

SEC("xdp")
int recv_set(struct xdp_md *ctx)
{
	long seq = path_seq_xdp(ctx, &recv_seen);
	__u64 a = sock_a(seq);
	__u32 b = sock_b(seq);

	if (seq < 0)
		return XDP_PASS;
	if (bpf_xdp_pktmeta_set(ctx, field_a, &a, sizeof(a)) ||
	    bpf_xdp_pktmeta_set(ctx, field_b, &b, sizeof(b)))
		set_err++;
	else
		set_ok++;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
