// SPDX-License-Identifier: GPL-2.0
/*
 * pmnlfuzz: send malformed and random messages to the pktmeta generic
 * netlink family and check that each gets an answer (an error or a valid
 * reply), never a hang or a crash.
 *
 * usage: pmnlfuzz [-n COUNT] [-s SEED] [-c] [-k]
 *   -n COUNT  random messages to send (default 5000, at most 1000000)
 *   -s SEED   seed of the generator (default 1); the same seed sends the
 *             same messages
 *   -c        instead, send the fixed cases and check the error each gets
 *             (errno and extended ack), one "case NAME: ..." line each
 *   -k        keep the fields the messages registered (default: unregister
 *             every field named fz* at the end)
 *
 * Messages are written by hand (not with libnl's builders) so that they can
 * be wrong in every way; libnl only resolves the family id. Prints a
 * summary: messages sent, answers by errno, replies, unanswered. Exits 0
 * when the family still answers at the end (and, with -c, every case got
 * the expected error), 1 otherwise.
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include "uapi/linux/pktmeta.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define BUF_SIZE	8192
#define MAX_ERRNO	256

static int fd, family;
static uint32_t seq = 1;
static uint64_t rng_state;

/* Outcomes. */
static unsigned long sent, replies, unanswered, by_errno[MAX_ERRNO], acks;

static uint32_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (rng_state * 2685821657736338717ULL) >> 32;
}

static uint32_t below(uint32_t n)
{
	return n ? rnd() % n : 0;
}

/* A message under construction. */
struct msg {
	union {
		struct nlmsghdr nlh;
		char buf[BUF_SIZE];
	};
	size_t len;
};

static void msg_init(struct msg *m, uint8_t cmd, uint16_t flags)
{
	struct genlmsghdr *g;

	memset(m->buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	m->nlh.nlmsg_type = family;
	m->nlh.nlmsg_flags = NLM_F_REQUEST | flags;
	m->nlh.nlmsg_seq = seq;
	g = (struct genlmsghdr *)(m->buf + NLMSG_HDRLEN);
	g->cmd = cmd;
	g->version = PKTMETA_GENL_VERSION;
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
}

/* Append an attribute of @len payload bytes (nla_len = 4 + @len). */
static void put(struct msg *m, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)(m->buf + m->len);
	size_t total = NLA_ALIGN(NLA_HDRLEN + len);

	if (m->len + total > BUF_SIZE)
		return;
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memset((char *)a + NLA_HDRLEN, 0, total - NLA_HDRLEN);
	if (data)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	m->len += total;
}

static void put_u32(struct msg *m, uint16_t type, uint32_t v)
{
	put(m, type, &v, sizeof(v));
}

static void put_str(struct msg *m, uint16_t type, const char *s)
{
	put(m, type, s, strlen(s) + 1);
}

/* Send @m; its nlmsg_len is the built length unless @keep_len. */
static int send_msg(struct msg *m, bool keep_len)
{
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };

	if (!keep_len)
		m->nlh.nlmsg_len = m->len;
	m->nlh.nlmsg_seq = seq;
	sent++;
	if (sendto(fd, m->buf, m->len, 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		return -errno;
	return 0;
}

/* The extended ack message of an error, if any. */
static void ack_msg(struct nlmsghdr *nlh, char *out, size_t size)
{
	struct nlmsgerr *e = NLMSG_DATA(nlh);
	size_t off = NLMSG_HDRLEN + sizeof(*e);

	out[0] = '\0';
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += NLMSG_ALIGN(e->msg.nlmsg_len) - NLMSG_HDRLEN;
	while (off + NLA_HDRLEN <= nlh->nlmsg_len) {
		struct nlattr *a = (struct nlattr *)((char *)nlh + off);

		if (a->nla_len < NLA_HDRLEN || off + a->nla_len > nlh->nlmsg_len)
			return;
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG)
			snprintf(out, size, "%.*s", (int)(a->nla_len - NLA_HDRLEN),
				 (char *)a + NLA_HDRLEN);
		off += NLA_ALIGN(a->nla_len);
	}
}

/*
 * Read the answers to the message of sequence @seq until its ack, error or
 * end of dump. Return: 0 for success, a negative errno for an error, 1 when
 * nothing came within the timeout (the kernel may drop a message whose
 * nlmsg_len is wrong without a word). *@nreplies counts data messages.
 */
static int wait_answer(char *msg, size_t msgsize, int *nreplies)
{
	static char buf[65536];
	struct pollfd p = { .fd = fd, .events = POLLIN };

	*nreplies = 0;
	if (msg)
		msg[0] = '\0';
	for (;;) {
		struct nlmsghdr *nlh;
		ssize_t n;

		if (poll(&p, 1, 200) <= 0)
			return 1;
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			return 1;
		}
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_seq != seq)
				continue;	/* a late answer to an earlier message */
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(nlh);

				if (msg)
					ack_msg(nlh, msg, msgsize);
				return e->error;
			}
			if (nlh->nlmsg_type == NLMSG_DONE)
				return 0;
			/* A reply: its ack (we always ask for one) follows. */
			(*nreplies)++;
		}
	}
}

/* Send and account for one message. */
static void fire(struct msg *m, bool keep_len)
{
	int r, n;

	if (send_msg(m, keep_len) < 0) {
		by_errno[0]++;	/* refused by sendto itself */
		seq++;
		return;
	}
	r = wait_answer(NULL, 0, &n);
	replies += n;
	if (r == 1) {
		if (!n)
			unanswered++;
	} else if (r == 0) {
		acks++;
	} else if (-r < MAX_ERRNO) {
		by_errno[-r]++;
	}
	seq++;
}

static const char *const good_names[] = {
	"fz0", "fz1", "fz.a", "fz-b", "fz_c", "fz9999999999999999999999999999",
};
static const char *const bad_names[] = {
	"", "Fz", "fz x", "fz/", "fz\n", "\xc3\xa9t\xc3\xa9", "fz*", "FZ_UPPER",
	"fz00000000000000000000000000000x",	/* 32 characters */
};

static void rand_name(struct msg *m)
{
	char s[300];
	size_t n, i;

	switch (below(8)) {
	case 0: case 1: case 2:
		put_str(m, PKTMETA_A_NAME, good_names[below(6)]);
		break;
	case 3:
		put_str(m, PKTMETA_A_NAME, bad_names[below(9)]);
		break;
	case 4:		/* long, NUL-terminated */
		n = 32 + below(250);
		memset(s, 'a', n);
		s[n] = '\0';
		put(m, PKTMETA_A_NAME, s, n + 1);
		break;
	case 5:		/* no NUL at all */
		n = 1 + below(40);
		memset(s, 'b', n);
		put(m, PKTMETA_A_NAME, s, n);
		break;
	case 6:		/* bytes after the NUL */
		strcpy(s, "fz0");
		n = 4 + below(20);
		for (i = 4; i < n; i++)
			s[i] = rnd();
		put(m, PKTMETA_A_NAME, s, n);
		break;
	default:	/* random bytes */
		n = below(64);
		for (i = 0; i < n; i++)
			s[i] = rnd();
		put(m, PKTMETA_A_NAME, s, n);
		break;
	}
}

static void rand_u32_attr(struct msg *m, uint16_t type)
{
	static const uint32_t edge[] = { 0, 1, 2, 4, 8, 16, 63, 64, 65, 127, 128,
					 129, 255, 256, 0x7fffffff, 0x80000000,
					 0xffffffff };
	uint64_t v = below(2) ? edge[below(17)] : rnd();

	switch (below(6)) {
	case 0:		/* wrong length */
		put(m, type, &v, below(9));
		break;
	default:
		put_u32(m, type, v);
		break;
	}
}

/* Random attribute soup. */
static void rand_attrs(struct msg *m)
{
	unsigned int n = below(6), i;
	char data[128];

	for (i = 0; i < n; i++) {
		uint16_t type = below(4) ? below(PKTMETA_A_MAX + 3) : rnd();
		size_t len = below(sizeof(data)), j;

		for (j = 0; j < len; j++)
			data[j] = rnd();
		if (below(8) == 0)
			type |= NLA_F_NESTED;
		put(m, type, data, len);
	}
}

static void rand_message(void)
{
	static const uint8_t cmds[] = { PKTMETA_CMD_REGISTER, PKTMETA_CMD_UNREGISTER,
					PKTMETA_CMD_GET, PKTMETA_CMD_INFO };
	struct msg m;
	uint8_t cmd = cmds[below(4)];
	uint16_t flags = NLM_F_ACK;
	bool keep_len = false;
	unsigned int i, n;

	if (cmd == PKTMETA_CMD_GET && below(3) == 0)
		flags |= NLM_F_DUMP;
	msg_init(&m, cmd, flags);

	switch (below(12)) {
	case 0: case 1: case 2:	/* plausible, with random values */
		if (below(4))
			rand_name(&m);
		if (below(4))
			rand_u32_attr(&m, PKTMETA_A_SIZE);
		if (below(3) == 0)
			rand_u32_attr(&m, PKTMETA_A_FLAGS);
		if (below(3) == 0)
			rand_u32_attr(&m, PKTMETA_A_ID);
		break;
	case 3:			/* duplicated attributes */
		n = 2 + below(3);
		for (i = 0; i < n; i++) {
			if (below(2))
				put_str(&m, PKTMETA_A_NAME, good_names[below(6)]);
			else
				put_u32(&m, below(2) ? PKTMETA_A_SIZE : PKTMETA_A_ID,
					1 + below(8));
		}
		break;
	case 4:			/* attributes of other commands, replies */
		put_u32(&m, PKTMETA_A_OFFSET + below(PKTMETA_A_MAX - PKTMETA_A_OFFSET + 1), rnd());
		break;
	case 5:			/* random attributes */
		rand_attrs(&m);
		break;
	case 6:			/* bad generic netlink header */
		((struct genlmsghdr *)(m.buf + NLMSG_HDRLEN))->cmd = rnd();
		((struct genlmsghdr *)(m.buf + NLMSG_HDRLEN))->version = rnd();
		if (below(2))
			((struct genlmsghdr *)(m.buf + NLMSG_HDRLEN))->reserved = rnd();
		rand_name(&m);
		break;
	case 7:			/* random netlink flags */
		m.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (rnd() & 0xfff0);
		rand_name(&m);
		break;
	case 8:			/* truncated attribute or header */
		rand_name(&m);
		m.len -= 1 + below(6);
		break;
	case 9:			/* attribute claims more than the message has */
		put_str(&m, PKTMETA_A_NAME, "fz0");
		((struct nlattr *)(m.buf + NLMSG_HDRLEN + GENL_HDRLEN))->nla_len =
			200 + below(1000);
		break;
	case 10:		/* random bytes after the headers */
		n = below(200);
		for (i = 0; i < n; i++)
			m.buf[m.len + i] = rnd();
		m.len += n;
		break;
	default:		/* genl header missing or short */
		m.len = NLMSG_HDRLEN + below(GENL_HDRLEN);
		break;
	}
	if (below(50) == 0) {	/* nlmsg_len shorter than the message */
		m.nlh.nlmsg_len = NLMSG_HDRLEN + below(m.len - NLMSG_HDRLEN + 1);
		keep_len = true;
	}
	fire(&m, keep_len);
}

/* Fixed cases: what each message must get. */
static int failures;

static void expect(const char *name, struct msg *m, int want, const char *want_msg)
{
	char msg[256];
	int r, n;

	send_msg(m, false);
	r = wait_answer(msg, sizeof(msg), &n);
	seq++;
	if (r == 1)
		r = 1000;	/* no answer */
	if (r != want || (want_msg && !strstr(msg, want_msg))) {
		printf("case %s: FAIL: errno %d (want %d) msg '%s' (want '%s')\n",
		       name, r, want, msg, want_msg ? want_msg : "");
		failures++;
	} else {
		printf("case %s: ok: errno %d msg '%s'\n", name, r, msg);
	}
}

static void fixed_cases(void)
{
	char s[64], name[32];
	struct msg m;
	int t;

	msg_init(&m, PKTMETA_CMD_REGISTER, NLM_F_ACK);
	put_u32(&m, PKTMETA_A_SIZE, 4);
	expect("register-missing-name", &m, -EINVAL, NULL);

	msg_init(&m, PKTMETA_CMD_REGISTER, NLM_F_ACK);
	put_str(&m, PKTMETA_A_NAME, "fz0");
	expect("register-missing-size", &m, -EINVAL, NULL);

	msg_init(&m, PKTMETA_CMD_REGISTER, NLM_F_ACK);
	put_str(&m, PKTMETA_A_NAME, "fz0");
	put_str(&m, PKTMETA_A_NAME, "fz1");
	put_u32(&m, PKTMETA_A_SIZE, 4);
	expect("register-duplicated-name", &m, -EINVAL, "twice");

	msg_init(&m, PKTMETA_CMD_REGISTER, NLM_F_ACK);
	put_str(&m, PKTMETA_A_NAME, "fz0");
	put_u32(&m, PKTMETA_A_SIZE, 4);
	put_u32(&m, PKTMETA_A_SIZE, 4);
	expect("register-duplicated-size", &m, -EINVAL, "twice");

	msg_init(&m, PKTMETA_CMD_REGISTER, NLM_F_ACK);
	memset(s, 'a', 40);
	s[40] = '\0';
	put_str(&m, PKTMETA_A_NAME, s);
	put_u32(&m, PKTMETA_A_SIZE, 4);
	expect("register-name-too-long", &m, -EINVAL, NULL);

	msg_init(&m, PKTMETA_CMD_REGISTER, NLM_F_ACK);
	put(&m, PKTMETA_A_NAME, "fz0", 3);
	put_u32(&m, PKTMETA_A_SIZE, 4);
	expect("register-name-without-nul", &m, -EINVAL, NULL);

	msg_init(&m, PKTMETA_CMD_REGISTER, NLM_F_ACK);
	put(&m, PKTMETA_A_NAME, "fz0\0junk", 8);
	put_u32(&m, PKTMETA_A_SIZE, 4);
	expect("register-name-trailing-bytes", &m, -EINVAL, "after the name");

	msg_init(&m, PKTMETA_CMD_REGISTER, NLM_F_ACK);
	put_str(&m, PKTMETA_A_NAME, "Fz0");
	put_u32(&m, PKTMETA_A_SIZE, 4);
	expect("register-bad-name", &m, -EINVAL, "a-z0-9");

	msg_init(&m, PKTMETA_CMD_REGISTER, NLM_F_ACK);
	put_str(&m, PKTMETA_A_NAME, "");
	put_u32(&m, PKTMETA_A_SIZE, 4);
	expect("register-empty-name", &m, -EINVAL, "a-z0-9");

	msg_init(&m, PKTMETA_CMD_REGISTER, NLM_F_ACK);
	put_str(&m, PKTMETA_A_NAME, "fz0");
	put_u32(&m, PKTMETA_A_SIZE, 0);
	expect("register-size-0", &m, -ERANGE, "range");

	msg_init(&m, PKTMETA_CMD_REGISTER, NLM_F_ACK);
	put_str(&m, PKTMETA_A_NAME, "fz0");
	put_u32(&m, PKTMETA_A_SIZE, PKTMETA_MAX_CAPACITY + 1);
	expect("register-size-too-big", &m, -ERANGE, "range");

	msg_init(&m, PKTMETA_CMD_REGISTER, NLM_F_ACK);
	put_str(&m, PKTMETA_A_NAME, "fz0");
	put(&m, PKTMETA_A_SIZE, "\4\0\0\0\0\0\0\0", 8);
	expect("register-size-8-bytes", &m, -EINVAL, "length");

	msg_init(&m, PKTMETA_CMD_REGISTER, NLM_F_ACK);
	put_str(&m, PKTMETA_A_NAME, "fz0");
	put_u32(&m, PKTMETA_A_SIZE, 4);
	put_u32(&m, PKTMETA_A_FLAGS, 0x80);
	expect("register-unknown-flag", &m, -EINVAL, NULL);

	msg_init(&m, PKTMETA_CMD_REGISTER, NLM_F_ACK);
	put_str(&m, PKTMETA_A_NAME, "fz0");
	put_u32(&m, PKTMETA_A_SIZE, 4);
	put_u32(&m, PKTMETA_A_ID, 7);
	expect("register-with-id", &m, -EINVAL, NULL);

	msg_init(&m, PKTMETA_CMD_REGISTER, NLM_F_ACK);
	put_str(&m, PKTMETA_A_NAME, "fz0");
	put_u32(&m, PKTMETA_A_SIZE, 4);
	put_u32(&m, PKTMETA_A_MAX + 5, 4);
	expect("register-unknown-attr", &m, -EINVAL, NULL);

	msg_init(&m, PKTMETA_CMD_UNREGISTER, NLM_F_ACK);
	expect("unregister-nothing", &m, -EINVAL, "id or its name");

	msg_init(&m, PKTMETA_CMD_UNREGISTER, NLM_F_ACK);
	put_u32(&m, PKTMETA_A_ID, 5);
	put_str(&m, PKTMETA_A_NAME, "fz0");
	expect("unregister-id-and-name", &m, -EINVAL, "id or its name");

	msg_init(&m, PKTMETA_CMD_UNREGISTER, NLM_F_ACK);
	put_u32(&m, PKTMETA_A_ID, 0xfffffffe);
	expect("unregister-unknown-id", &m, -ENOENT, "no field");

	msg_init(&m, PKTMETA_CMD_UNREGISTER, NLM_F_ACK);
	put_str(&m, PKTMETA_A_NAME, "fz-never-registered");
	expect("unregister-unknown-name", &m, -ENOENT, "no field");

	msg_init(&m, PKTMETA_CMD_GET, NLM_F_ACK);
	put_u32(&m, PKTMETA_A_ID, 0xfffffffe);
	expect("get-unknown-id", &m, -ENOENT, "no field");

	/* Every attribute type, not one: see pktmeta_info_policy (netlink.c). */
	for (t = 1; t <= PKTMETA_A_MAX + 1; t++) {
		msg_init(&m, PKTMETA_CMD_INFO, NLM_F_ACK);
		put_u32(&m, t, 1);
		snprintf(name, sizeof(name), "info-with-attr-%d", t);
		expect(name, &m, -EINVAL, NULL);
	}

	msg_init(&m, PKTMETA_CMD_INFO, NLM_F_ACK);
	((struct genlmsghdr *)(m.buf + NLMSG_HDRLEN))->reserved = 1;
	expect("reserved-header-field", &m, -EINVAL, "reserved");

	msg_init(&m, PKTMETA_CMD_MAX + 1, NLM_F_ACK);
	expect("unknown-command", &m, -EOPNOTSUPP, NULL);

	msg_init(&m, PKTMETA_CMD_INFO, NLM_F_ACK);
	expect("info", &m, 0, NULL);
}

/* Drop every reference on the fields called fz*. */
static void cleanup(void)
{
	unsigned int i, j;

	for (i = 0; i < sizeof(good_names) / sizeof(good_names[0]); i++) {
		for (j = 0; j < 100000; j++) {
			struct msg m;
			int r, n;

			msg_init(&m, PKTMETA_CMD_UNREGISTER, NLM_F_ACK);
			put_str(&m, PKTMETA_A_NAME, good_names[i]);
			send_msg(&m, false);
			r = wait_answer(NULL, 0, &n);
			seq++;
			if (r)
				break;
		}
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_nl local = { .nl_family = AF_NETLINK };
	unsigned long count = 5000, i, seed = 1;
	bool fixed = false, keep = false;
	struct nl_sock *sk;
	int opt, one = 1, r, n, e;

	while ((opt = getopt(argc, argv, "n:s:ck")) != -1) {
		switch (opt) {
		case 'n':
			count = strtoul(optarg, NULL, 0);
			if (count > 1000000)
				count = 1000000;
			break;
		case 's':
			seed = strtoul(optarg, NULL, 0);
			break;
		case 'c':
			fixed = true;
			break;
		case 'k':
			keep = true;
			break;
		default:
			fprintf(stderr, "usage: %s [-n COUNT] [-s SEED] [-c] [-k]\n", argv[0]);
			return 2;
		}
	}
	rng_state = seed * 0x9e3779b97f4a7c15ULL + 1;

	sk = nl_socket_alloc();
	if (!sk || genl_connect(sk)) {
		fprintf(stderr, "pmnlfuzz: cannot open a generic netlink socket\n");
		return 1;
	}
	family = genl_ctrl_resolve(sk, PKTMETA_GENL_NAME);
	nl_socket_free(sk);
	if (family < 0) {
		fprintf(stderr, "pmnlfuzz: no family %s: modprobe pktmeta\n", PKTMETA_GENL_NAME);
		return 1;
	}

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0 || bind(fd, (struct sockaddr *)&local, sizeof(local))) {
		perror("pmnlfuzz: socket");
		return 1;
	}
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));

	if (fixed) {
		fixed_cases();
	} else {
		for (i = 0; i < count; i++)
			rand_message();
		printf("sent=%lu acks=%lu replies=%lu unanswered=%lu sendto_failed=%lu\n",
		       sent, acks, replies, unanswered, by_errno[0]);
		for (e = 1; e < MAX_ERRNO; e++) {
			if (by_errno[e])
				printf("errno.%d=%lu (%s)\n", e, by_errno[e], strerror(e));
		}
	}
	if (!keep)
		cleanup();

	/* The family still answers. */
	{
		struct msg m;

		msg_init(&m, PKTMETA_CMD_INFO, NLM_F_ACK);
		send_msg(&m, false);
		r = wait_answer(NULL, 0, &n);
		printf("alive=%s\n", r == 0 && n == 1 ? "yes" : "no");
		if (r || n != 1)
			return 1;
	}
	return failures ? 1 : 0;
}
