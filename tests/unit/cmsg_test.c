// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the control message reader (tools/lib/pktmeta_cmsg.c)
 * against the layout of include/uapi/linux/pktmeta.h, built with ASan and
 * UBSan: each control buffer is its own allocation of exactly the bytes
 * recvmsg() would have filled, so a read outside them stops the test.
 */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pktmeta.h"

static int failures;

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #cond);\
		failures++;						\
	}								\
} while (0)

/*
 * A msghdr whose control buffer holds one message of @level/@type with
 * @len bytes of @data, allocated to fit exactly; @flags as recvmsg() set.
 */
static struct msghdr msg_with(int level, int type, const void *data,
			      size_t len, int flags)
{
	struct msghdr msg = { .msg_flags = flags };
	struct cmsghdr *c;

	msg.msg_controllen = CMSG_SPACE(len);
	msg.msg_control = malloc(msg.msg_controllen);
	assert(msg.msg_control);
	memset(msg.msg_control, 0, msg.msg_controllen);
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = level;
	c->cmsg_type = type;
	c->cmsg_len = CMSG_LEN(len);
	memcpy(CMSG_DATA(c), data, len);
	return msg;
}

/* Records as module/sockets.c writes them: rec, value, zero padding. */
static size_t put_rec(__u8 *p, __u32 id, const void *value, __u16 size)
{
	struct pktmeta_rec rec = { .id = id, .size = size };

	memcpy(p, &rec, sizeof(rec));
	memcpy(p + sizeof(rec), value, size);
	memset(p + sizeof(rec) + size, 0, PKTMETA_REC_LEN(size) - sizeof(rec) - size);
	return PKTMETA_REC_LEN(size);
}

static void reads_every_record_in_order(void)
{
	__u64 a = 0x1122334455667788ULL, got64;
	__u8 recs[64], c3[3] = { 1, 2, 3 }, got3[3];
	struct pktmeta_rec_iter it;
	struct pktmeta_rec_field f;
	struct msghdr msg;
	size_t len = 0;
	__u32 got32;

	len += put_rec(recs + len, 7, &a, sizeof(a));
	len += put_rec(recs + len, 9, c3, sizeof(c3));
	msg = msg_with(PKTMETA_CMSG_LEVEL, PKTMETA_CMSG_FIELDS, recs, len, 0);
	CHECK(pktmeta_cmsg_begin(&msg, &it) == 2);
	CHECK(pktmeta_rec_next(&it, &f) && f.id == 7 && f.size == 8);
	CHECK(pktmeta_rec_next(&it, &f) && f.id == 9 && f.size == 3);
	CHECK(!pktmeta_rec_next(&it, &f));
	CHECK(pktmeta_cmsg_field(&msg, 7, &got64, sizeof(got64)) == 0 && got64 == a);
	CHECK(pktmeta_cmsg_field(&msg, 9, got3, sizeof(got3)) == 0 &&
	      !memcmp(got3, c3, 3));
	CHECK(pktmeta_cmsg_field(&msg, 8, &got64, sizeof(got64)) == -ENOENT && !got64);
	CHECK(pktmeta_cmsg_field(&msg, 7, &got32, sizeof(got32)) == -EINVAL && !got32);
	free(msg.msg_control);
}

static void an_empty_message_has_no_field(void)
{
	struct pktmeta_rec_iter it;
	struct msghdr msg = msg_with(PKTMETA_CMSG_LEVEL, PKTMETA_CMSG_FIELDS,
				     "", 0, 0);
	__u32 v;

	CHECK(pktmeta_cmsg_begin(&msg, &it) == 0);
	CHECK(pktmeta_cmsg_field(&msg, 3, &v, sizeof(v)) == -ENOENT);
	free(msg.msg_control);
}

static void other_messages_are_not_pktmeta_s(void)
{
	struct pktmeta_rec_iter it;
	int one = 1;
	struct msghdr msg = msg_with(SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof(one), 0);

	CHECK(pktmeta_cmsg_begin(&msg, &it) == -ENODATA);
	free(msg.msg_control);
	msg = (struct msghdr){ 0 };
	CHECK(pktmeta_cmsg_begin(&msg, &it) == -ENODATA);
}

static void a_cut_buffer_is_emsgsize_never_a_record(void)
{
	__u8 recs[16];
	__u64 a = 5;
	struct pktmeta_rec_iter it;
	size_t len = put_rec(recs, 4, &a, sizeof(a));
	struct msghdr msg = msg_with(PKTMETA_CMSG_LEVEL, PKTMETA_CMSG_FIELDS,
				     recs, len - 4, MSG_CTRUNC);

	CHECK(pktmeta_cmsg_begin(&msg, &it) == -EMSGSIZE);
	CHECK(pktmeta_cmsg_field(&msg, 4, &a, sizeof(a)) == -EMSGSIZE && !a);
	free(msg.msg_control);
}

static void malformed_records_are_ebadmsg(void)
{
	struct pktmeta_rec rec = { .id = 1, .size = 200 };
	struct pktmeta_rec zero = { .id = 1, .size = 0 };
	struct pktmeta_rec_iter it;
	__u8 buf[12] = { 0 };
	struct msghdr msg;

	/* A record longer than the message. */
	memcpy(buf, &rec, sizeof(rec));
	msg = msg_with(PKTMETA_CMSG_LEVEL, PKTMETA_CMSG_FIELDS, buf, sizeof(buf), 0);
	CHECK(pktmeta_cmsg_begin(&msg, &it) == -EBADMSG);
	free(msg.msg_control);
	/* A record of size 0, and bytes short of a record header. */
	memcpy(buf, &zero, sizeof(zero));
	msg = msg_with(PKTMETA_CMSG_LEVEL, PKTMETA_CMSG_FIELDS, buf, sizeof(buf), 0);
	CHECK(pktmeta_cmsg_begin(&msg, &it) == -EBADMSG);
	free(msg.msg_control);
	msg = msg_with(PKTMETA_CMSG_LEVEL, PKTMETA_CMSG_FIELDS, buf, 5, 0);
	CHECK(pktmeta_cmsg_begin(&msg, &it) == -EBADMSG);
	free(msg.msg_control);
	CHECK(pktmeta_recs_begin(buf, 5, &it) == -EBADMSG);
}

/* Random records: the reader never reads outside them (ASan) nor hangs. */
static void random_records_stay_within_the_message(void)
{
	struct pktmeta_rec_iter it;
	struct pktmeta_rec_field f;
	unsigned int i, j;

	srand(1);
	for (i = 0; i < 100000; i++) {
		size_t len = rand() % 48;
		__u8 *recs = malloc(len ? len : 1);
		int n;

		for (j = 0; j < len; j++)
			recs[j] = j % 8 == 4 ? rand() % 24 : rand();
		n = pktmeta_recs_begin(recs, len, &it);
		if (n >= 0) {
			int seen = 0;

			while (pktmeta_rec_next(&it, &f)) {
				volatile __u8 last = ((const __u8 *)f.value)[f.size - 1];

				(void)last;
				seen++;
			}
			CHECK(seen == n);
		} else {
			CHECK(n == -EBADMSG);
		}
		free(recs);
	}
}

int main(void)
{
	reads_every_record_in_order();
	an_empty_message_has_no_field();
	other_messages_are_not_pktmeta_s();
	a_cut_buffer_is_emsgsize_never_a_record();
	malformed_records_are_ebadmsg();
	random_records_stay_within_the_message();
	if (failures) {
		fprintf(stderr, "cmsg_test: %d failures\n", failures);
		return 1;
	}
	printf("cmsg_test: ok\n");
	return 0;
}
