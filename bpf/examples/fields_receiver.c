// SPDX-License-Identifier: GPL-2.0
/*
 * fields_receiver: an application that reads pktmeta fields with its
 * datagrams, no BPF of its own. It binds a UDP socket to each port given,
 * asks pktmeta for the fields named (pktmeta_socket_request()), and prints
 * every datagram with the fields its packet carried, read from the
 * control message recvmsg() returns (pktmeta_cmsg_begin()/_next()).
 *
 * usage: fields_receiver [-n COUNT] [-q] -f NAME [-f NAME]... PORT...
 *   -f NAME   a field to ask for (offered to sockets: registered with
 *             PKTMETA_F_SOCKETS, "pktmetactl register NAME SIZE sockets",
 *             or a hint such as rx_hash)
 *   -n COUNT  stop after COUNT datagrams (default: run until killed), or
 *             once none came for 3 seconds
 *   -q        print the first 5 datagrams only, then a summary
 *
 *   cc -Iinclude fields_receiver.c build/tools/libpktmeta.a \
 *      $(pkg-config --libs libnl-genl-3.0)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "pktmeta.h"

#define MAX_PORTS	16
#define MAX_FIELDS	8

static struct {
	__u32 id;
	char name[PKTMETA_NAME_MAX];
	unsigned long seen;
} fields[MAX_FIELDS];
static unsigned int nfields;

static void usage(void)
{
	fprintf(stderr, "usage: fields_receiver [-n COUNT] [-q] -f NAME [-f NAME]... PORT...\n");
	exit(2);
}

/* Count one field, and print it: integers (8 bytes in hex), else bytes in hex. */
static void take_value(const struct pktmeta_rec_field *f, bool show)
{
	unsigned int i, k;
	__u64 v = 0;

	for (k = 0; k < nfields && fields[k].id != f->id; k++)
		;
	if (k < nfields)
		fields[k].seen++;
	if (!show)
		return;
	if (k < nfields)
		printf(" %s=", fields[k].name);
	else
		printf(" id%u=", f->id);
	if (f->id == PKTMETA_HINT_RX_HASH && f->size == sizeof(struct pktmeta_rx_hash)) {
		struct pktmeta_rx_hash h;

		memcpy(&h, f->value, sizeof(h));
		printf("%#010x/type%#x", h.hash, h.type);
		return;
	}
	switch (f->size) {
	case 1: case 2: case 4:
		memcpy(&v, f->value, f->size);	/* little endian */
		printf("%llu", (unsigned long long)v);
		return;
	case 8:
		memcpy(&v, f->value, f->size);
		printf("%#llx", (unsigned long long)v);
		return;
	}
	for (i = 0; i < f->size; i++)
		printf("%02x", ((const __u8 *)f->value)[i]);
}

int main(int argc, char **argv)
{
	const char *names[MAX_FIELDS];
	struct pollfd pfd[MAX_PORTS];
	__be16 ports[MAX_PORTS];
	unsigned long count = 0, got = 0, without = 0;
	unsigned int nports = 0, i;
	struct pktmeta *pm;
	bool quiet = false;
	int opt, err;

	while ((opt = getopt(argc, argv, "f:n:q")) != -1) {
		switch (opt) {
		case 'f':
			if (nfields == MAX_FIELDS)
				usage();
			names[nfields++] = optarg;
			break;
		case 'n': count = strtoul(optarg, NULL, 0); break;
		case 'q': quiet = true; break;
		default: usage();
		}
	}
	if (!nfields || optind == argc || argc - optind > MAX_PORTS)
		usage();

	err = pktmeta_open(&pm);
	if (err) {
		fprintf(stderr, "fields_receiver: %s (is the pktmeta module loaded?)\n",
			strerror(-err));
		return 1;
	}
	for (i = 0; i < nfields; i++) {
		struct pktmeta_field_info fi;
		long long id = pktmeta_lookup(pm, names[i], &fi);

		if (id < 0) {
			fprintf(stderr, "fields_receiver: no field %s\n", names[i]);
			return 1;
		}
		fields[i].id = id;
		snprintf(fields[i].name, sizeof(fields[i].name), "%s", names[i]);
	}
	for (; optind < argc; optind++) {
		struct sockaddr_in a = { .sin_family = AF_INET,
					 .sin_port = htons(atoi(argv[optind])) };
		int fd = socket(AF_INET, SOCK_DGRAM, 0);

		if (fd < 0 || bind(fd, (void *)&a, sizeof(a))) {
			perror(argv[optind]);
			return 1;
		}
		err = pktmeta_socket_request(pm, fd, names, nfields);
		if (err) {
			fprintf(stderr, "fields_receiver: port %s: %s: %s\n",
				argv[optind], strerror(-err), pktmeta_errmsg(pm));
			return 1;
		}
		ports[nports] = a.sin_port;
		pfd[nports].fd = fd;
		pfd[nports++].events = POLLIN;
	}
	printf("listening on %u UDP ports for %u fields\n", nports, nfields);
	fflush(stdout);

	while (!count || got < count) {
		if (poll(pfd, nports, got ? 3000 : 60000) <= 0)
			break;
		for (i = 0; i < nports; i++) {
			char data[2048], ctl[512];
			struct iovec iov = { data, sizeof(data) };
			struct msghdr msg = {
				.msg_iov = &iov, .msg_iovlen = 1,
				.msg_control = ctl, .msg_controllen = sizeof(ctl),
			};
			struct pktmeta_rec_iter it;
			struct pktmeta_rec_field f;
			bool show;
			int n;

			if (!(pfd[i].revents & POLLIN) ||
			    recvmsg(pfd[i].fd, &msg, MSG_DONTWAIT) < 0)
				continue;
			got++;
			show = !quiet || got <= 5;
			n = pktmeta_cmsg_begin(&msg, &it);
			if (n <= 0)
				without++;
			if (n < 0) {
				if (show)
					printf("datagram %lu: no fields (%s)\n", got,
					       strerror(-n));
				continue;
			}
			if (show)
				printf("datagram %lu to port %u:", got,
				       ntohs(ports[i]));
			while (pktmeta_rec_next(&it, &f))
				take_value(&f, show);
			if (show)
				putchar('\n');
		}
	}
	printf("%lu datagrams, %lu without fields;", got, without);
	for (i = 0; i < nfields; i++)
		printf(" %s on %lu", fields[i].name, fields[i].seen);
	putchar('\n');
	pktmeta_close(pm);
	return 0;
}
