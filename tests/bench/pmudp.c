// SPDX-License-Identifier: GPL-2.0
/*
 * pmudp: the traffic of part i of `make bench` (tests/bench/bench.sh). A
 * UDP socket in one network namespace sends datagrams to a socket in
 * another, and each is received before the next is sent, so that one
 * thread on one CPU carries every datagram through the whole local path:
 * the sending syscall goes through the IP output path and
 * __dev_queue_xmit(), whose BH-disabled section (rcu_read_lock_bh()) runs
 * TC egress and veth_xmit(); veth_forward_skb() hands the skb to
 * netif_rx() on the peer (no XDP or GRO there, drivers/net/veth.c), and
 * leaving that section runs the receive softirq right there:
 * process_backlog(), TC ingress, IP, UDP, the receiving socket's queue
 * (net/core/dev.c). The receiving syscall then finds the datagram queued.
 *
 * usage: pmudp RECV-NS SEND-NS ADDR COUNT RUNS
 *   RECV-NS, SEND-NS  network namespaces as files (/run/netns/NAME,
 *                     /proc/PID/ns/net): the receiving socket is bound to
 *                     ADDR port 47000 in RECV-NS, the sending one is
 *                     connected to it from SEND-NS
 *   COUNT             datagrams per timed run
 *   RUNS              timed runs, after COUNT / 10 untimed ones
 *
 * Each datagram carries the payload of bpf/tests/test_packet.h: { magic,
 * seq, flags, tag } as little-endian u32, seq counting from 0 over all
 * datagrams. Prints ns=N for each timed run (CLOCK_MONOTONIC: a count of
 * instructions in an -icount guest), then sent=N (all datagrams, untimed
 * ones included), late=N (not yet queued when the send returned: received
 * after a wait), lost=N (not received within a second) and wrong=N
 * (received with another seq), for the bench to judge. Exits 0 unless a
 * system call failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <endian.h>
#include <netinet/in.h>
#include <sys/socket.h>

#define PMUDP_PORT	47000
#define PMUDP_MAGIC	0x706d7631	/* TEST_MAGIC of bpf/tests/test_packet.h */

static unsigned long sent, late, lost, wrong;

static void die(const char *what)
{
	perror(what);
	exit(2);
}

/* A UDP socket made in the network namespace at @path. */
static int socket_in(const char *path)
{
	int ns = open(path, O_RDONLY | O_CLOEXEC), fd;

	if (ns < 0)
		die(path);
	if (setns(ns, CLONE_NEWNET))
		die("setns");
	close(ns);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("socket");
	return fd;
}

/* Send datagram seq @sent on @tx and receive it on @rx. */
static void one(int tx, int rx)
{
	uint32_t out[4] = { htole32(PMUDP_MAGIC), htole32(sent), htole32(sent & 1), 0 };
	uint32_t in[4];
	struct pollfd p = { .fd = rx, .events = POLLIN };
	ssize_t n;

	if (send(tx, out, sizeof(out), 0) != sizeof(out))
		die("send");
	sent++;
	n = recv(rx, in, sizeof(in), MSG_DONTWAIT);
	if (n < 0 && errno == EAGAIN) {
		late++;
		if (poll(&p, 1, 1000) != 1) {
			lost++;
			return;
		}
		n = recv(rx, in, sizeof(in), MSG_DONTWAIT);
	}
	if (n < 0)
		die("recv");
	if (n != sizeof(in) || memcmp(in, out, sizeof(in)))
		wrong++;
}

int main(int argc, char **argv)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(PMUDP_PORT) };
	unsigned long count, runs, i, r;
	struct timespec t0, t1;
	int rx, tx;

	if (argc != 6 || inet_pton(AF_INET, argv[3], &addr.sin_addr) != 1) {
		fprintf(stderr, "usage: pmudp RECV-NS SEND-NS ADDR COUNT RUNS\n");
		return 2;
	}
	count = strtoul(argv[4], NULL, 10);
	runs = strtoul(argv[5], NULL, 10);
	rx = socket_in(argv[1]);
	if (bind(rx, (struct sockaddr *)&addr, sizeof(addr)))
		die("bind");
	tx = socket_in(argv[2]);
	if (connect(tx, (struct sockaddr *)&addr, sizeof(addr)))
		die("connect");

	for (i = 0; i < count / 10; i++)
		one(tx, rx);
	for (r = 0; r < runs; r++) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (i = 0; i < count; i++)
			one(tx, rx);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		printf("ns=%lld\n", (t1.tv_sec - t0.tv_sec) * 1000000000LL + t1.tv_nsec - t0.tv_nsec);
	}
	printf("sent=%lu\nlate=%lu\nlost=%lu\nwrong=%lu\n", sent, late, lost, wrong);
	return 0;
}
