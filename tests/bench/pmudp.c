// SPDX-License-Identifier: GPL-2.0
/*
 * pmudp: the traffic of parts i and j of `make bench` (tests/bench/bench.sh). A
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
 * With an XDP program on the peer (part j) veth_xmit() queues the skb for
 * the peer's NAPI instead (veth_xdp_rx()) and schedules it; leaving the
 * same section runs veth_poll(), the program and the rest of the path.
 *
 * usage: pmudp [-m | -f] RECV-NS SEND-NS ADDR COUNT RUNS
 *   -m                receive with recvmsg() and a control buffer with room
 *                     for pktmeta's message of sock.a and sock.b
 *                     (bpf/tests/sockets.h), without asking for them: no
 *                     datagram may come with that message
 *   -f                the same, with the receiving socket asking for
 *                     sock.a and sock.b (pktmeta_socket_request()): each
 *                     datagram must come with both, holding sock_a(seq)
 *                     and sock_b(seq)
 *                     (without -m or -f, recv() without a control buffer)
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
 * (received with another seq; with -m or -f, or with a control message
 * other than the one expected), and with -f fields=N (datagrams that
 * carried both fields with their own values), for the bench to judge.
 * Exits 0 unless a system call or the request failed.
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
#include "pktmeta.h"
#include "sockets.h"

#define PMUDP_PORT	47000
#define PMUDP_MAGIC	0x706d7631	/* TEST_MAGIC of bpf/tests/test_packet.h */
/* Room for one control message with sock.a (8 bytes) and sock.b (4). */
#define PMUDP_CTL_LEN	CMSG_SPACE(PKTMETA_REC_LEN(8) + PKTMETA_REC_LEN(4))

static unsigned long sent, late, lost, wrong, fields;
/* recvmsg() with a control buffer; the ids of sock.a and sock.b, if asked */
static bool use_msg;
static long long id_a = -1, id_b = -1;

static void usage(void)
{
	fprintf(stderr, "usage: pmudp [-m | -f] RECV-NS SEND-NS ADDR COUNT RUNS\n");
	exit(2);
}

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

/*
 * Whether the control messages of @msg, the datagram of @seq, are those
 * expected: pktmeta's with sock.a and sock.b holding their values for @seq
 * when the socket asked, none when it did not.
 */
static bool fields_right(const struct msghdr *msg, uint32_t seq)
{
	struct pktmeta_rec_iter it;
	struct pktmeta_rec_field f;
	bool got_a = false, got_b = false;
	__u64 a;
	__u32 b;

	if (id_a < 0)
		return pktmeta_cmsg_begin(msg, &it) == -ENODATA;
	if (pktmeta_cmsg_begin(msg, &it) != 2)
		return false;
	while (pktmeta_rec_next(&it, &f)) {
		if (f.id == id_a && f.size == sizeof(a)) {
			memcpy(&a, f.value, sizeof(a));
			got_a = a == sock_a(seq);
		} else if (f.id == id_b && f.size == sizeof(b)) {
			memcpy(&b, f.value, sizeof(b));
			got_b = b == sock_b(seq);
		}
	}
	return got_a && got_b;
}

/* Receive a datagram on @rx into @msg's buffer, with control messages if use_msg. */
static ssize_t receive(int rx, struct msghdr *msg)
{
	if (!use_msg)
		return recv(rx, msg->msg_iov->iov_base, msg->msg_iov->iov_len, MSG_DONTWAIT);
	msg->msg_controllen = PMUDP_CTL_LEN;
	return recvmsg(rx, msg, MSG_DONTWAIT);
}

/* Send datagram seq @sent on @tx and receive it on @rx. */
static void one(int tx, int rx)
{
	uint32_t out[4] = { htole32(PMUDP_MAGIC), htole32(sent), htole32(sent & 1), 0 };
	uint32_t in[4];
	union {
		char buf[PMUDP_CTL_LEN];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = in, .iov_len = sizeof(in) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf };
	struct pollfd p = { .fd = rx, .events = POLLIN };
	ssize_t n;

	if (send(tx, out, sizeof(out), 0) != sizeof(out))
		die("send");
	sent++;
	n = receive(rx, &msg);
	if (n < 0 && errno == EAGAIN) {
		late++;
		if (poll(&p, 1, 1000) != 1) {
			lost++;
			return;
		}
		n = receive(rx, &msg);
	}
	if (n < 0)
		die("recv");
	if (n != sizeof(in) || memcmp(in, out, sizeof(in)) ||
	    (use_msg && !fields_right(&msg, sent - 1)))
		wrong++;
	else if (id_a >= 0)
		fields++;
}

/* Ask for sock.a and sock.b on @fd and set id_a and id_b. */
static void request(int fd)
{
	static const char *const names[] = { SOCK_FIELD_A, SOCK_FIELD_B };
	struct pktmeta *pm = NULL;
	int err;

	err = pktmeta_open(&pm);
	if (!err)
		err = pktmeta_socket_request(pm, fd, names, 2);
	if (err) {
		fprintf(stderr, "pmudp: request: %s: %s\n", strerror(-err),
			pm ? pktmeta_errmsg(pm) : "");
		exit(2);
	}
	id_a = pktmeta_lookup(pm, SOCK_FIELD_A, NULL);
	id_b = pktmeta_lookup(pm, SOCK_FIELD_B, NULL);
	if (id_a < 0 || id_b < 0) {
		fprintf(stderr, "pmudp: lookup: %s\n", pktmeta_errmsg(pm));
		exit(2);
	}
	pktmeta_close(pm);
}

int main(int argc, char **argv)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(PMUDP_PORT) };
	unsigned long count, runs, i, r;
	struct timespec t0, t1;
	bool ask = false;
	int rx, tx, opt;

	while ((opt = getopt(argc, argv, "mf")) != -1) {
		if (opt != 'm' && opt != 'f')
			usage();
		ask |= opt == 'f';
		use_msg = true;
	}
	argv += optind;
	if (argc - optind != 5 || inet_pton(AF_INET, argv[2], &addr.sin_addr) != 1)
		usage();
	count = strtoul(argv[3], NULL, 10);
	runs = strtoul(argv[4], NULL, 10);
	rx = socket_in(argv[0]);
	if (bind(rx, (struct sockaddr *)&addr, sizeof(addr)))
		die("bind");
	tx = socket_in(argv[1]);
	if (connect(tx, (struct sockaddr *)&addr, sizeof(addr)))
		die("connect");
	if (ask)
		request(rx);

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
	if (ask)
		printf("fields=%lu\n", fields);
	return 0;
}
