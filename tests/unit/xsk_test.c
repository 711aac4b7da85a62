// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the AF_XDP block reader (tools/lib/pktmeta_xsk.c) against
 * the layout of include/uapi/linux/pktmeta.h, built with ASan and UBSan:
 * each buffer is its own allocation holding exactly the bytes the reader
 * is allowed before data, so a read outside them stops the test.
 */
#include <assert.h>
#include <errno.h>
#include <stdint.h>
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

/* A frame: ROOM bytes before data, then 64 bytes of packet. */
struct frame {
	__u8 *buf;
	__u8 *data;
	size_t room;
};

static struct frame frame_new(size_t room)
{
	struct frame fr = { .buf = malloc(room + 64), .room = room };

	assert(fr.buf);
	memset(fr.buf, 0xee, room + 64);
	fr.data = fr.buf + room;
	return fr;
}

struct field {
	__u32 id;
	__u16 size;
	const void *value;
};

/*
 * Write a block the way bpf_xdp_pktmeta_export() does (module/kfuncs_xsk.c),
 * from the documented layout; returns its length.
 */
static unsigned int put_block(struct frame *fr, const struct field *f,
			      unsigned int n)
{
	struct pktmeta_xsk_hdr hdr = {
		.magic = PKTMETA_XSK_MAGIC, .version = PKTMETA_XSK_VERSION,
	};
	unsigned int len = sizeof(hdr), i;
	__u8 *p;

	for (i = 0; i < n; i++)
		len += PKTMETA_REC_LEN(f[i].size);
	assert(len <= fr->room && len <= PKTMETA_XSK_MAX_LEN);
	p = fr->data - len;
	for (i = 0; i < n; i++) {
		struct pktmeta_rec rec = { .id = f[i].id, .size = f[i].size };
		unsigned int vlen = PKTMETA_REC_LEN(f[i].size) - sizeof(rec);

		memcpy(p, &rec, sizeof(rec));
		p += sizeof(rec);
		memset(p, 0, vlen);
		memcpy(p, f[i].value, f[i].size);
		p += vlen;
	}
	hdr.len = len;
	hdr.count = n;
	memcpy(p, &hdr, sizeof(hdr));
	return len;
}

static void test_layout_bytes(void)
{
	/* One u64 field, id 0x41, value 0x1122334455667788 (host order). */
	__u64 v = 0x1122334455667788ULL, got = 0;
	struct field f = { 0x41, 8, &v };
	struct frame fr = frame_new(256);
	struct pktmeta_xsk_hdr hdr;
	struct pktmeta_rec rec;

	CHECK(sizeof(struct pktmeta_xsk_hdr) == 4);
	CHECK(sizeof(struct pktmeta_rec) == 8);
	CHECK(put_block(&fr, &f, 1) == 20);
	memcpy(&hdr, fr.data - 4, 4);
	CHECK(hdr.magic == PKTMETA_XSK_MAGIC && hdr.version == 1 &&
	      hdr.len == 20 && hdr.count == 1);
	memcpy(&rec, fr.data - 20, 8);
	CHECK(rec.id == 0x41 && rec.size == 8 && rec.reserved == 0);
	memcpy(&got, fr.data - 12, 8);
	CHECK(got == v);
	got = 0;
	CHECK(pktmeta_xsk_field(fr.data, fr.room, 0x41, &got, 8) == 0);
	CHECK(got == v);
	free(fr.buf);
}

static void test_fields(void)
{
	__u8 a = 0xa1;
	__u16 b = 0xb2b2;
	__u8 c[3] = { 1, 2, 3 };
	__u32 d = 0xd4d4d4d4;
	__u8 e[5] = { 5, 6, 7, 8, 9 };
	__u64 g = 0x0102030405060708ULL;
	struct field f[] = {
		{ 3, 1, &a }, { 64 + 4, 2, &b }, { 5, 3, c }, { 6, 4, &d },
		{ 7, 5, e }, { 128 + 8, 8, &g },
	};
	struct frame fr = frame_new(256);
	struct pktmeta_xsk_iter it;
	struct pktmeta_xsk_field x;
	unsigned int len, i = 0;
	__u8 buf[8];
	__u64 g2;

	len = put_block(&fr, f, 6);
	CHECK(len == 4 + 12 + 12 + 12 + 12 + 16 + 16);
	CHECK(pktmeta_xsk_begin(fr.data, fr.room, &it) == 6);
	CHECK(it.len == len);
	while (pktmeta_xsk_next(&it, &x)) {
		CHECK(i < 6);
		if (i >= 6)
			break;
		CHECK(x.id == f[i].id && x.size == f[i].size);
		CHECK(!memcmp(x.value, f[i].value, x.size));
		CHECK(((const __u8 *)x.value - fr.data) % 4 == 0);
		i++;
	}
	CHECK(i == 6);
	CHECK(!pktmeta_xsk_next(&it, &x));

	CHECK(pktmeta_xsk_field(fr.data, fr.room, 5, buf, 3) == 0);
	CHECK(!memcmp(buf, c, 3));
	CHECK(pktmeta_xsk_field(fr.data, fr.room, 128 + 8, &g2, 8) == 0);
	CHECK(g2 == g);
	memset(buf, 0x55, sizeof(buf));
	CHECK(pktmeta_xsk_field(fr.data, fr.room, 5, buf, 4) == -EINVAL);
	CHECK(buf[0] == 0 && buf[3] == 0);	/* zeroed on error */
	CHECK(pktmeta_xsk_field(fr.data, fr.room, 99, buf, 1) == -ENOENT);

	/* The block exactly fills the room it is read with. */
	CHECK(pktmeta_xsk_begin(fr.data, len, &it) == 6);
	CHECK(pktmeta_xsk_begin(fr.data, len - 4, &it) == -EBADMSG);
	free(fr.buf);

	fr = frame_new(len);
	put_block(&fr, f, 6);
	CHECK(pktmeta_xsk_field(fr.data, fr.room, 6, buf, 4) == 0);
	CHECK(!memcmp(buf, &d, 4));
	free(fr.buf);
}

static void test_empty_and_clear(void)
{
	struct frame fr = frame_new(256);
	struct pktmeta_xsk_iter it;
	struct pktmeta_xsk_field x;
	__u32 v;

	CHECK(pktmeta_xsk_begin(fr.data, fr.room, &it) == -ENODATA);
	CHECK(put_block(&fr, NULL, 0) == 4);
	CHECK(pktmeta_xsk_begin(fr.data, fr.room, &it) == 0);
	CHECK(it.len == 4);
	CHECK(!pktmeta_xsk_next(&it, &x));
	CHECK(pktmeta_xsk_field(fr.data, fr.room, 1, &v, 4) == -ENOENT);
	pktmeta_xsk_clear(fr.data);
	CHECK(pktmeta_xsk_begin(fr.data, fr.room, &it) == -ENODATA);
	CHECK(pktmeta_xsk_field(fr.data, fr.room, 1, &v, 4) == -ENODATA);
	/* No room for even a header: nothing is read. */
	CHECK(pktmeta_xsk_begin(fr.data, 3, &it) == -ENODATA);
	free(fr.buf);

	fr = frame_new(0);
	CHECK(pktmeta_xsk_begin(fr.data, 0, &it) == -ENODATA);
	free(fr.buf);
}

/* Headers and records that lie. */
static void test_malformed(void)
{
	__u32 v = 7;
	struct field f[] = { { 10, 4, &v }, { 11, 4, &v } };
	struct frame fr = frame_new(256);
	struct pktmeta_xsk_iter it;
	struct pktmeta_xsk_hdr *hdr = (void *)(fr.data - 4);
	unsigned int len = put_block(&fr, f, 2);
	struct pktmeta_rec rec;

	hdr->version = 2;
	CHECK(pktmeta_xsk_begin(fr.data, fr.room, &it) == -EPROTONOSUPPORT);
	hdr->version = PKTMETA_XSK_VERSION;
	hdr->count = 3;
	CHECK(pktmeta_xsk_begin(fr.data, fr.room, &it) == -EBADMSG);
	hdr->count = 1;
	CHECK(pktmeta_xsk_begin(fr.data, fr.room, &it) == -EBADMSG);
	hdr->count = 2;
	hdr->len = len + 2;
	CHECK(pktmeta_xsk_begin(fr.data, fr.room, &it) == -EBADMSG);
	hdr->len = len + 4;
	CHECK(pktmeta_xsk_begin(fr.data, fr.room, &it) == -EBADMSG);
	hdr->len = 0;
	CHECK(pktmeta_xsk_begin(fr.data, fr.room, &it) == -EBADMSG);
	hdr->len = 0xff;
	CHECK(pktmeta_xsk_begin(fr.data, fr.room, &it) == -EBADMSG);
	hdr->len = len;
	CHECK(pktmeta_xsk_begin(fr.data, fr.room, &it) == 2);

	/* A record's size running past the header, or zero. */
	memcpy(&rec, fr.data - len, sizeof(rec));
	rec.size = 200;
	memcpy(fr.data - len, &rec, sizeof(rec));
	CHECK(pktmeta_xsk_begin(fr.data, fr.room, &it) == -EBADMSG);
	rec.size = 0;
	memcpy(fr.data - len, &rec, sizeof(rec));
	CHECK(pktmeta_xsk_begin(fr.data, fr.room, &it) == -EBADMSG);
	free(fr.buf);
}

/*
 * Random bytes before data, with random room: the reader returns an error
 * or a walk whose records end at the header, and never reads outside the
 * room (ASan).
 */
static void test_random(void)
{
	unsigned int round;

	srand(17);
	for (round = 0; round < 200000; round++) {
		size_t room = rand() % 300, i;
		struct frame fr = frame_new(room);
		struct pktmeta_xsk_iter it;
		struct pktmeta_xsk_field x;
		int n, seen = 0;
		size_t sum = 4;

		for (i = 0; i < room; i++)
			fr.buf[i] = rand();
		/* Often a plausible header, so that the walk is exercised. */
		if (room >= 4 && rand() % 2) {
			fr.data[-4] = PKTMETA_XSK_MAGIC;
			fr.data[-3] = PKTMETA_XSK_VERSION;
			fr.data[-2] = (rand() % 64) * 4;
			fr.data[-1] = rand() % 8;
		}
		n = pktmeta_xsk_begin(fr.data, room, &it);
		if (n >= 0) {
			while (pktmeta_xsk_next(&it, &x)) {
				sum += PKTMETA_REC_LEN(x.size);
				seen++;
			}
			CHECK(seen == n && sum == it.len && it.len <= room);
		} else {
			CHECK(n == -ENODATA || n == -EPROTONOSUPPORT || n == -EBADMSG);
		}
		free(fr.buf);
	}
}

int main(void)
{
	test_layout_bytes();
	test_fields();
	test_empty_and_clear();
	test_malformed();
	test_random();
	if (failures) {
		fprintf(stderr, "xsk_test: %d failures\n", failures);
		return 1;
	}
	printf("xsk_test: ok\n");
	return 0;
}
