// SPDX-License-Identifier: GPL-2.0
/*
 * pmrecv: a socket that asks pktmeta for fields (pktmeta_socket_request())
 * and judges what recvmsg() returns with each test datagram (UDP to port
 * 47000, payload { magic, seq, ... }, tests/guest/helpers.bash send_udp):
 * the fields of bpf/tests/sockets.h against the datagram's own seq. The
 * socket tests (tests/guest/sockets.bats) state their expectations on the
 * counters it prints.
 *
 * usage: pmrecv [options]
 *   -t KIND    udp4 (default), udp6, raw4, raw6, packet (AF_PACKET,
 *              SOCK_DGRAM, on -i IFNAME); tcp4 and tcp6: a listener on
 *              port 47001 that asks for its SYNs' fields and judges those
 *              of each connection it accepts (its peer's port for seq);
 *              for -R also tcp (a TCP socket asking for datagrams' fields),
 *              file (/dev/null) and closed (a descriptor closed before the
 *              request)
 *   -S         with -R: ask for the fields of SYNs (on any socket -t gives)
 *   -i IFNAME  the interface of a packet socket
 *   -f NAME    ask for field NAME (repeatable, up to 8)
 *   -N         ask for nothing (a socket that did not ask)
 *   -R         only make the request: print request=0 or request=-ERRNO
 *              and errmsg=..., exit 0 if it was accepted, 1 if not
 *   -H         after the request, print ready and wait for SIGTERM
 *   -n COUNT   stop after COUNT test datagrams (or connections)
 *   -T SECS    stop once no datagram came for SECS (default 3; 60 before
 *              the first)
 *   -c LEN     control buffer bytes (default 256)
 *   -r FILE    create FILE once the socket is bound and the request made
 *   -B BYTES   receive buffer size (SO_RCVBUFFORCE, default 4 MiB)
 *   -D SECS    sleep SECS before the first read (lets the queue overflow)
 *   -p         print each datagram's seq and fields
 *
 * Counters printed at the end (VAR=N):
 *   received   test datagrams read
 *   a_ok b_ok  values equal to the datagram's own (sockets.h)
 *   wrong      a field with another value, or another size
 *   stale      a field on a datagram whose packet was not given it
 *   lost       a field requested and given to the packet, but absent
 *   other      records of fields other than sock.a and sock.b
 *   no_cmsg    datagrams without pktmeta's control message
 *   ctrunc     datagrams whose control messages were cut (MSG_CTRUNC)
 *   bad        malformed pktmeta control messages
 *   foreign    control messages of other levels and types
 *   drops      datagrams the socket dropped (SO_MEMINFO)
 *   syn_none   tcp: connections whose SYN was not kept
 *   syn_again  tcp: a SYN's fields read a second time (handed out once)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/sock_diag.h>
#include <linux/udp.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "pktmeta.h"
#include "sockets.h"

#define PORT		47000
#define TEST_MAGIC	0x706d7631
#define MAX_NAMES	8

static struct {
	unsigned long received, a_ok, b_ok, wrong, stale, lost, other;
	unsigned long no_cmsg, ctrunc, bad, foreign, syn_none, syn_again;
} c;

static const char *kind = "udp4", *ifname, *ready_file;
static const char *names[MAX_NAMES];
static unsigned int nnames;
static bool no_request, request_only, hold, print, syn;
static long count = -1, idle_secs = 3, ctl_len = 256, rcvbuf = 4 << 20,
	    delay_secs;

static void usage(void)
{
	fprintf(stderr,
		"usage: pmrecv [-t udp4|udp6|raw4|raw6|packet|tcp4|tcp6|tcp|file|closed]\n"
		"              [-i IFNAME] [-f NAME]... [-N] [-R] [-S] [-H] [-n COUNT] [-T SECS] [-c LEN]\n"
		"              [-r FILE] [-B BYTES] [-D SECS] [-p]\n");
	exit(2);
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* The socket of kind @kind, bound to the test port (or interface). */
static int open_socket(void)
{
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6,
				   .sin6_port = htons(PORT) };
	struct sockaddr_in a4 = { .sin_family = AF_INET,
				  .sin_port = htons(PORT) };
	struct sockaddr_ll ll = { .sll_family = AF_PACKET,
				  .sll_protocol = htons(ETH_P_ALL) };
	int fd;

	if (!strcmp(kind, "udp4")) {
		fd = socket(AF_INET, SOCK_DGRAM, 0);
		if (fd < 0 || bind(fd, (void *)&a4, sizeof(a4)))
			die("udp4");
	} else if (!strcmp(kind, "udp6")) {
		fd = socket(AF_INET6, SOCK_DGRAM, 0);
		if (fd < 0 || bind(fd, (void *)&a6, sizeof(a6)))
			die("udp6");
	} else if (!strcmp(kind, "raw4")) {
		fd = socket(AF_INET, SOCK_RAW, IPPROTO_UDP);
	} else if (!strcmp(kind, "raw6")) {
		fd = socket(AF_INET6, SOCK_RAW, IPPROTO_UDP);
	} else if (!strcmp(kind, "packet")) {
		if (!ifname)
			usage();
		fd = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ALL));
		ll.sll_ifindex = if_nametoindex(ifname);
		if (fd < 0 || !ll.sll_ifindex ||
		    bind(fd, (void *)&ll, sizeof(ll)))
			die("packet");
	} else if (!strcmp(kind, "tcp4") || !strcmp(kind, "tcp6")) {
		int one = 1;

		fd = socket(kind[3] == '4' ? AF_INET : AF_INET6, SOCK_STREAM, 0);
		a4.sin_port = a6.sin6_port = htons(PORT + 1);
		if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
		    (kind[3] == '4' ? bind(fd, (void *)&a4, sizeof(a4)) :
				      bind(fd, (void *)&a6, sizeof(a6))) ||
		    listen(fd, 128))
			die(kind);
		syn = true;
	} else if (!strcmp(kind, "tcp")) {
		fd = socket(AF_INET, SOCK_STREAM, 0);
	} else if (!strcmp(kind, "file")) {
		fd = open("/dev/null", O_RDONLY);
	} else if (!strcmp(kind, "closed")) {
		/* A number no later open (pktmeta_open()'s) can take. */
		fd = socket(AF_INET, SOCK_DGRAM, 0);
		if (fd < 0 || dup2(fd, 900) != 900)
			die("closed");
		close(fd);
		close(900);
		return 900;
	} else {
		usage();
	}
	if (fd < 0)
		die(kind);
	return fd;
}

/*
 * The test payload in a datagram as the socket returns it (from the UDP
 * payload on, from the UDP header for raw6, from the IP header for raw4
 * and packet), or NULL for another packet.
 */
static const __u32 *test_payload(const unsigned char *p, ssize_t len)
{
	const unsigned char *end = p + len;
	const struct udphdr *udp = NULL;
	const __u32 *pl;

	if (!strncmp(kind, "udp", 3)) {
		pl = (const void *)p;
	} else {
		if (!strcmp(kind, "raw6")) {
			udp = (const void *)p;
		} else if (len >= 1 && p[0] >> 4 == 4) {
			const struct iphdr *ip = (const void *)p;

			if (len < (ssize_t)sizeof(*ip) || ip->protocol != IPPROTO_UDP)
				return NULL;
			udp = (const void *)(p + ip->ihl * 4);
		} else if (len >= 1 && p[0] >> 4 == 6) {
			const struct ipv6hdr *ip6 = (const void *)p;

			if (len < (ssize_t)sizeof(*ip6) || ip6->nexthdr != IPPROTO_UDP)
				return NULL;
			udp = (const void *)(ip6 + 1);
		} else {
			return NULL;
		}
		if ((const unsigned char *)(udp + 1) > end ||
		    udp->dest != htons(PORT))
			return NULL;
		pl = (const void *)(udp + 1);
	}
	if ((const unsigned char *)(pl + 2) > end || pl[0] != TEST_MAGIC)
		return NULL;
	return pl;
}

/* Judge the fields of a walk against their packet's @seq. */
static void judge_fields(struct pktmeta_rec_iter *it, __u32 seq, long id_a,
			 long id_b)
{
	bool got_a = false, got_b = false;
	struct pktmeta_rec_field f;

	if (print)
		printf("seq %u:", seq);
	while (pktmeta_rec_next(it, &f)) {
		__u64 a;
		__u32 b;

		if (print)
			printf(" id %u size %u", f.id, f.size);
		if (f.id == id_a) {
			got_a = true;
			memcpy(&a, f.value, f.size == sizeof(a) ? sizeof(a) : 0);
			if (!sock_has_a(seq))
				c.stale++;
			else if (f.size != sizeof(a) || a != sock_a(seq))
				c.wrong++;
			else
				c.a_ok++;
		} else if (f.id == id_b) {
			got_b = true;
			memcpy(&b, f.value, f.size == sizeof(b) ? sizeof(b) : 0);
			if (!sock_has_b(seq))
				c.stale++;
			else if (f.size != sizeof(b) || b != sock_b(seq))
				c.wrong++;
			else
				c.b_ok++;
		} else {
			c.other++;
		}
	}
	if (print)
		putchar('\n');
	c.lost += (id_a >= 0 && sock_has_a(seq) && !got_a) +
		  (id_b >= 0 && sock_has_b(seq) && !got_b);
}

/* Judge one datagram's control messages against its @seq. */
static void judge(struct msghdr *msg, __u32 seq, long id_a, long id_b)
{
	struct pktmeta_rec_iter it;
	struct cmsghdr *cm;
	int n;

	for (cm = CMSG_FIRSTHDR(msg); cm; cm = CMSG_NXTHDR(msg, cm))
		if (cm->cmsg_level != PKTMETA_CMSG_LEVEL ||
		    cm->cmsg_type != PKTMETA_CMSG_FIELDS)
			c.foreign++;

	n = pktmeta_cmsg_begin(msg, &it);
	if (n == -ENODATA) {
		c.no_cmsg++;
		return;
	}
	if (n == -EMSGSIZE) {
		c.ctrunc++;
		return;
	}
	if (n < 0) {
		c.bad++;
		return;
	}
	judge_fields(&it, seq, id_a, id_b);
}

/* Accept a connection and judge its SYN's fields against its peer's port. */
static void judge_connection(struct pktmeta *pm, int lfd, long id_a, long id_b)
{
	struct sockaddr_storage peer;
	socklen_t len = sizeof(peer);
	struct pktmeta_rec_iter it;
	unsigned char recs[1024];
	int cfd, n;
	__u16 port;

	cfd = accept(lfd, (void *)&peer, &len);
	if (cfd < 0)
		die("accept");
	port = ntohs(peer.ss_family == AF_INET ?
		     ((struct sockaddr_in *)&peer)->sin_port :
		     ((struct sockaddr_in6 *)&peer)->sin6_port);
	c.received++;
	n = pktmeta_socket_syn(pm, cfd, recs, sizeof(recs));
	if (n == -ENOENT) {
		c.syn_none++;
	} else if (n < 0 || pktmeta_recs_begin(recs, n, &it) < 0) {
		c.bad++;
	} else {
		judge_fields(&it, port, id_a, id_b);
		if (pktmeta_socket_syn(pm, cfd, recs, sizeof(recs)) != -ENOENT)
			c.syn_again++;
	}
	close(cfd);
}

static void on_term(int sig)
{
	(void)sig;
	_exit(0);
}

int main(int argc, char **argv)
{
	long id_a = -1, id_b = -1;
	struct pktmeta *pm = NULL;
	unsigned char buf[2048];
	char *ctl;
	int opt, fd, err;

	while ((opt = getopt(argc, argv, "t:i:f:NRSHn:T:c:r:B:D:p")) != -1) {
		switch (opt) {
		case 't': kind = optarg; break;
		case 'i': ifname = optarg; break;
		case 'f':
			if (nnames == MAX_NAMES)
				usage();
			names[nnames++] = optarg;
			break;
		case 'N': no_request = true; break;
		case 'R': request_only = true; break;
		case 'S': syn = true; break;
		case 'H': hold = true; break;
		case 'n': count = atol(optarg); break;
		case 'T': idle_secs = atol(optarg); break;
		case 'c': ctl_len = atol(optarg); break;
		case 'r': ready_file = optarg; break;
		case 'B': rcvbuf = atol(optarg); break;
		case 'D': delay_secs = atol(optarg); break;
		case 'p': print = true; break;
		default: usage();
		}
	}
	if (optind != argc)
		usage();

	fd = open_socket();
	if (!no_request) {
		err = pktmeta_open(&pm);
		if (err) {
			fprintf(stderr, "pmrecv: pktmeta_open: %s\n", strerror(-err));
			return 1;
		}
		err = (syn ? pktmeta_socket_request_syn :
			     pktmeta_socket_request)(pm, fd, names, nnames);
		if (request_only) {
			printf("request=%d\nerrmsg=%s\n", err, pktmeta_errmsg(pm));
			return err ? 1 : 0;
		}
		if (err) {
			fprintf(stderr, "pmrecv: request: %s: %s\n",
				strerror(-err), pktmeta_errmsg(pm));
			return 1;
		}
		for (unsigned int i = 0; i < nnames; i++) {
			struct pktmeta_field_info fi;
			long long id = pktmeta_lookup(pm, names[i], &fi);

			if (!strcmp(names[i], SOCK_FIELD_A))
				id_a = id;
			else if (!strcmp(names[i], SOCK_FIELD_B))
				id_b = id;
		}
	}
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(int)))
		die("SO_RCVBUFFORCE");
	if (ready_file && close(open(ready_file, O_CREAT | O_WRONLY, 0644)))
		die(ready_file);
	if (hold) {
		signal(SIGTERM, on_term);
		printf("ready\n");
		fflush(stdout);
		for (;;)
			pause();
	}
	if (delay_secs)
		sleep(delay_secs);

	ctl = malloc(ctl_len ? ctl_len : 1);
	if (!ctl)
		die("malloc");
	while (count < 0 || (long)c.received < count) {
		struct iovec iov = { buf, sizeof(buf) };
		struct msghdr msg = {
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = ctl_len ? ctl : NULL,
			.msg_controllen = ctl_len,
		};
		struct pollfd p = { .fd = fd, .events = POLLIN };
		const __u32 *pl;
		ssize_t len;

		if (poll(&p, 1, (c.received ? idle_secs : 60) * 1000) <= 0)
			break;
		if (!strncmp(kind, "tcp", 3)) {
			judge_connection(pm, fd, id_a, id_b);
			continue;
		}
		len = recvmsg(fd, &msg, 0);
		if (len < 0)
			die("recvmsg");
		pl = test_payload(buf, len);
		if (!pl)
			continue;
		c.received++;
		judge(&msg, pl[1], id_a, id_b);
	}

	printf("syn_none=%lu\nsyn_again=%lu\n", c.syn_none, c.syn_again);
	{
		__u32 mem[SK_MEMINFO_VARS];
		socklen_t l = sizeof(mem);

		if (getsockopt(fd, SOL_SOCKET, SO_MEMINFO, mem, &l))
			die("SO_MEMINFO");
		printf("drops=%u\n", mem[SK_MEMINFO_DROPS]);
	}
	printf("received=%lu\na_ok=%lu\nb_ok=%lu\nwrong=%lu\nstale=%lu\nlost=%lu\n"
	       "other=%lu\nno_cmsg=%lu\nctrunc=%lu\nbad=%lu\nforeign=%lu\n",
	       c.received, c.a_ok, c.b_ok, c.wrong, c.stale, c.lost, c.other,
	       c.no_cmsg, c.ctrunc, c.bad, c.foreign);
	pktmeta_close(pm);
	return 0;
}
