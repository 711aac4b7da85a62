// SPDX-License-Identifier: GPL-2.0
/*
 * AF_XDP example, the userspace side: loads bpf/examples/afxdp_export.bpf.c
 * (its fields registered through libpktmeta), opens an AF_XDP socket with
 * libxdp's xsk API on one queue of an interface, attaches the program and
 * reads the fields each packet carries in its umem frame with
 * pktmeta_xsk_begin()/pktmeta_xsk_next(), checking them against the
 * sequence number in the payload.
 *
 * usage: afxdp_reader -i IFNAME [-q QUEUE] [-g] [-z] [-e] [-H] [-v N]
 *                     [-c CMD] [-n COUNT] [-w IDLE_MS] [-T SECONDS]
 *   -i IFNAME   the interface (XDP native mode; -g generic)
 *   -q QUEUE    its rx queue (default 0)
 *   -z          bind the socket in zero-copy mode (default: copy mode)
 *   -e          every other packet (odd sequence numbers) gets no field
 *   -H          export the hint fields too (default: PKTMETA_EXPORT_F_NO_HINTS)
 *   -v N        print the fields of the first N packets
 *   -c CMD      run CMD (sh -c), the traffic, once the socket is ready;
 *               stop IDLE_MS (default 1000) after it exits and the last
 *               packet arrived
 *   -n COUNT    stop after COUNT packets
 *   -T SECONDS  stop after SECONDS in any case (default 600)
 *
 * Prints VAR=value lines: rx (packets read), ok_set (both fields with this
 * packet's values), ok_unset (an empty block where -e set no field),
 * wrong (values of no packet, or a field missing), stale (another packet's
 * values), none (no block before data), bad (a malformed block), other
 * (fields of other ids, such as hints), not_test (not a test packet), then
 * the program's counters. Exits 0 when wrong, stale, none and bad are 0
 * and the program had no error.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/if_xdp.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/xsk.h>
#include "pktmeta.h"
#include "afxdp_export.skel.h"

#define NUM_FRAMES	4096
#define FRAME_SIZE	XSK_UMEM__DEFAULT_FRAME_SIZE
#define BATCH		64
#define AFXDP_MAGIC	0x706d7631
#define AFXDP_CHECK_MUL	0x9e3779b97f4a7c15ULL

static volatile sig_atomic_t stop;

struct counts {
	unsigned long long rx, ok_set, ok_unset, wrong, stale, none, bad,
			   other, not_test;
};

struct reader {
	struct xsk_ring_prod fq;
	struct xsk_ring_cons cq;
	struct xsk_ring_cons rx;
	struct xsk_umem *umem;
	struct xsk_socket *xsk;
	void *area;
	__u32 id_seq, id_check;
	bool every_other;
	unsigned int verbose;
	struct counts c;
};

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The sequence number of a test packet of @len bytes at @pkt, or -1. */
static long long test_seq(const __u8 *pkt, __u32 len)
{
	const struct ethhdr *eth = (const void *)pkt;
	const struct iphdr *ip = (const void *)(eth + 1);
	const struct udphdr *udp = (const void *)(ip + 1);
	__u32 payload[2];

	if (len < sizeof(*eth) + sizeof(*ip) + sizeof(*udp) + sizeof(payload) ||
	    eth->h_proto != htons(ETH_P_IP) || ip->ihl != 5 ||
	    ip->protocol != IPPROTO_UDP)
		return -1;
	memcpy(payload, udp + 1, sizeof(payload));
	if (payload[0] != AFXDP_MAGIC)
		return -1;
	return payload[1];
}

/* Judge the fields before one packet (see the counters at the top). */
static void judge(struct reader *r, const __u8 *pkt, __u32 len)
{
	bool has_seq = false, has_check = false, expect;
	struct pktmeta_xsk_iter it;
	struct pktmeta_xsk_field f;
	__u64 vcheck = 0;
	__u32 vseq = 0;
	long long seq;
	int n;

	r->c.rx++;
	seq = test_seq(pkt, len);
	if (seq < 0) {
		r->c.not_test++;
		return;
	}
	n = pktmeta_xsk_begin(pkt, XDP_PACKET_HEADROOM, &it);
	if (n == -ENODATA) {
		r->c.none++;
		return;
	}
	if (n < 0) {
		r->c.bad++;
		return;
	}
	if (r->verbose && r->c.rx <= r->verbose)
		printf("packet seq %lld: block of %u bytes, %d fields\n", seq, it.len, n);
	while (pktmeta_xsk_next(&it, &f)) {
		if (r->verbose && r->c.rx <= r->verbose)
			printf("  field %u, %u bytes\n", f.id, f.size);
		if (f.id == r->id_seq && f.size == sizeof(vseq)) {
			memcpy(&vseq, f.value, sizeof(vseq));
			has_seq = true;
		} else if (f.id == r->id_check && f.size == sizeof(vcheck)) {
			memcpy(&vcheck, f.value, sizeof(vcheck));
			has_check = true;
		} else {
			r->c.other++;
		}
	}
	expect = !r->every_other || !(seq & 1);
	if (expect && has_seq && has_check && vseq == seq &&
	    vcheck == vseq * AFXDP_CHECK_MUL)
		r->c.ok_set++;
	else if (!expect && !has_seq && !has_check)
		r->c.ok_unset++;
	else if (has_seq && has_check && vcheck == vseq * AFXDP_CHECK_MUL)
		r->c.stale++;	/* a whole, consistent pair: another packet's */
	else
		r->c.wrong++;
}

/* Read what the rx ring holds; give the frames back to the fill ring. */
static unsigned int consume(struct reader *r)
{
	__u32 idx_rx = 0, idx_fq = 0, n, i;

	n = xsk_ring_cons__peek(&r->rx, BATCH, &idx_rx);
	if (!n)
		return 0;
	while (xsk_ring_prod__reserve(&r->fq, n, &idx_fq) != n)
		;	/* the frames we hold make room */
	for (i = 0; i < n; i++) {
		const struct xdp_desc *d = xsk_ring_cons__rx_desc(&r->rx, idx_rx + i);
		__u8 *pkt = xsk_umem__get_data(r->area, d->addr);

		judge(r, pkt, d->len);
		/* The next packet in this frame must not read this one's block. */
		pktmeta_xsk_clear(pkt);
		*xsk_ring_prod__fill_addr(&r->fq, idx_fq + i) =
			xsk_umem__extract_addr(d->addr) & ~(__u64)(FRAME_SIZE - 1);
	}
	xsk_ring_prod__submit(&r->fq, n);
	xsk_ring_cons__release(&r->rx, n);
	return n;
}

static int setup_xsk(struct reader *r, const char *ifname, __u32 queue,
		     bool zerocopy)
{
	struct xsk_socket_config cfg = {
		.rx_size = XSK_RING_CONS__DEFAULT_NUM_DESCS,
		.tx_size = XSK_RING_PROD__DEFAULT_NUM_DESCS,
		.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
		.bind_flags = zerocopy ? XDP_ZEROCOPY : XDP_COPY,
	};
	__u32 idx = 0, i;
	int err;

	r->area = mmap(NULL, (size_t)NUM_FRAMES * FRAME_SIZE,
		       PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r->area == MAP_FAILED)
		return -errno;
	err = xsk_umem__create(&r->umem, r->area, (__u64)NUM_FRAMES * FRAME_SIZE,
			       &r->fq, &r->cq, NULL);
	if (err)
		return err;
	err = xsk_socket__create(&r->xsk, ifname, queue, r->umem, &r->rx, NULL,
				 &cfg);
	if (err)
		return err;
	if (xsk_ring_prod__reserve(&r->fq, XSK_RING_PROD__DEFAULT_NUM_DESCS, &idx) !=
	    XSK_RING_PROD__DEFAULT_NUM_DESCS)
		return -ENOSPC;
	for (i = 0; i < XSK_RING_PROD__DEFAULT_NUM_DESCS; i++)
		*xsk_ring_prod__fill_addr(&r->fq, idx + i) = (__u64)i * FRAME_SIZE;
	xsk_ring_prod__submit(&r->fq, XSK_RING_PROD__DEFAULT_NUM_DESCS);
	return 0;
}

int main(int argc, char **argv)
{
	const char *ifname = NULL, *cmd = NULL;
	unsigned long long max_count = 0;
	__u32 queue = 0, xdp_flags = XDP_FLAGS_DRV_MODE;
	bool zerocopy = false, hints = false, attached = false;
	unsigned int idle_ms = 1000, max_secs = 600;
	struct afxdp_export_bpf *skel = NULL;
	struct reader r = { 0 };
	struct pktmeta *pm = NULL;
	double start, last = 0;
	pid_t child = 0;
	int opt, err, ifindex, key, fd, status = 0, ret = 1;

	while ((opt = getopt(argc, argv, "i:q:gzeHv:c:n:w:T:")) != -1) {
		switch (opt) {
		case 'i': ifname = optarg; break;
		case 'q': queue = atoi(optarg); break;
		case 'g': xdp_flags = XDP_FLAGS_SKB_MODE; break;
		case 'z': zerocopy = true; break;
		case 'e': r.every_other = true; break;
		case 'H': hints = true; break;
		case 'v': r.verbose = atoi(optarg); break;
		case 'c': cmd = optarg; break;
		case 'n': max_count = strtoull(optarg, NULL, 0); break;
		case 'w': idle_ms = atoi(optarg); break;
		case 'T': max_secs = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: %s -i IFNAME [-q QUEUE] [-g] [-z] [-e] [-H] [-v N] [-c CMD] [-n COUNT] [-w IDLE_MS] [-T SECONDS]\n",
				argv[0]);
			return 2;
		}
	}
	ifindex = ifname ? if_nametoindex(ifname) : 0;
	if (!ifindex) {
		fprintf(stderr, "no interface %s\n", ifname ? ifname : "(-i)");
		return 2;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	err = pktmeta_open(&pm);
	if (err) {
		fprintf(stderr, "pktmeta: %s%s\n", strerror(-err),
			err == -ENOENT ? " (is the module loaded? modprobe pktmeta)" : "");
		return 1;
	}
	skel = afxdp_export_bpf__open();
	if (!skel) {
		fprintf(stderr, "open: %s\n", strerror(errno));
		goto out;
	}
	skel->rodata->every_other = r.every_other;
	skel->rodata->export_flags = hints ? 0 : PKTMETA_EXPORT_F_NO_HINTS;
	err = pktmeta_bpf_object_register(pm, skel->obj, PKTMETA_F_OWNED);
	if (err < 0) {
		fprintf(stderr, "register: %s: %s\n", strerror(-err), pktmeta_errmsg(pm));
		goto out;
	}
	r.id_seq = skel->rodata->pktmeta_id_afxdp_seq;
	r.id_check = skel->rodata->pktmeta_id_afxdp_check;
	printf("id.afxdp.seq=%u\nid.afxdp.check=%u\n", r.id_seq, r.id_check);
	err = afxdp_export_bpf__load(skel);
	if (err) {
		fprintf(stderr, "load: %s\n", strerror(-err));
		goto out;
	}

	err = setup_xsk(&r, ifname, queue, zerocopy);
	if (err) {
		fprintf(stderr, "AF_XDP socket on %s queue %u: %s\n", ifname, queue,
			strerror(-err));
		goto out;
	}
	key = queue;
	fd = xsk_socket__fd(r.xsk);
	err = bpf_map_update_elem(bpf_map__fd(skel->maps.xsks), &key, &fd, 0);
	if (err) {
		fprintf(stderr, "xskmap: %s\n", strerror(errno));
		goto out;
	}
	err = bpf_xdp_attach(ifindex, bpf_program__fd(skel->progs.afxdp_export),
			     xdp_flags, NULL);
	if (err) {
		fprintf(stderr, "attach to %s: %s\n", ifname, strerror(-err));
		goto out;
	}
	attached = true;

	fflush(stdout);
	if (cmd) {
		child = fork();
		if (child == 0) {
			execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
			_exit(127);
		}
	}
	start = now();
	while (!stop) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		double t;

		if (consume(&r))
			last = now();
		else
			poll(&pfd, 1, 20);
		t = now();
		if (max_count && r.c.rx >= max_count)
			break;
		if (t - start > max_secs)
			break;
		if (child > 0 && waitpid(child, &status, WNOHANG) == child) {
			child = -1;
			if (!last || last < t)
				last = t;
		}
		if (child < 0 && t - last > idle_ms / 1000.0)
			break;
	}
	if (child > 0) {
		kill(child, SIGTERM);
		waitpid(child, &status, 0);
	}

	printf("rx=%llu\nok_set=%llu\nok_unset=%llu\nwrong=%llu\nstale=%llu\n"
	       "none=%llu\nbad=%llu\nother=%llu\nnot_test=%llu\n",
	       r.c.rx, r.c.ok_set, r.c.ok_unset, r.c.wrong, r.c.stale, r.c.none,
	       r.c.bad, r.c.other, r.c.not_test);
	printf("exported=%llu\nexport_err=%llu\nset_err=%llu\nlast_err=%d\nlast_len=%u\n",
	       (unsigned long long)skel->bss->exported,
	       (unsigned long long)skel->bss->export_err,
	       (unsigned long long)skel->bss->set_err, skel->bss->last_err,
	       skel->bss->last_len);
	if (cmd)
		printf("cmd_status=%d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	ret = r.c.wrong || r.c.stale || r.c.none || r.c.bad ||
	      skel->bss->export_err || skel->bss->set_err;
out:
	if (attached)
		bpf_xdp_detach(ifindex, xdp_flags, NULL);
	if (r.xsk)
		xsk_socket__delete(r.xsk);
	if (r.umem)
		xsk_umem__delete(r.umem);
	if (skel) {
		pktmeta_bpf_object_unregister(pm, skel->obj);
		afxdp_export_bpf__destroy(skel);
	}
	pktmeta_close(pm);
	return ret;
}
