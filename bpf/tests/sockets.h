/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fields of the socket tests (tests/guest/sockets.bats), shared by the
 * XDP program that sets them (sockets.bpf.c) and the receiver that checks
 * what recvmsg() returned (tests/tools/pmrecv.c): which test packets carry
 * which field, and its value, both from the packet's seq.
 */
#ifndef PKTMETA_TEST_SOCKETS_H
#define PKTMETA_TEST_SOCKETS_H

#define SOCK_FIELD_A	"sock.a"	/* 8 bytes, on even seq */
#define SOCK_FIELD_B	"sock.b"	/* 4 bytes, on seq divisible by 3 */

static inline int sock_has_a(__u32 seq)
{
	return seq % 2 == 0;
}

static inline int sock_has_b(__u32 seq)
{
	return seq % 3 == 0;
}

static inline __u64 sock_a(__u32 seq)
{
	return ((__u64)seq * 0x9e3779b97f4a7c15ULL) ^ 0x736f636b;
}

static inline __u32 sock_b(__u32 seq)
{
	return ~seq ^ 0x5a5a5a5a;
}

#endif
