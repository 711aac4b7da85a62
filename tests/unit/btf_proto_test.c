// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the probes' prototype checks (module/btf_proto.c) on BTF
 * blobs built here: a probe attaches only where its function takes a
 * pointer to the expected struct at each position it reads, and a blob
 * that is cut or damaged is refused without a read out of bounds (ASan).
 * With BTF_VMLINUX set (a raw .BTF section), the real kernel's functions
 * are checked too.
 */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/btf.h>
#include "btf_proto.h"

/* A BTF blob under construction: types, then strings. */
struct blob {
	u8 types[4096];
	u32 tlen;
	char strs[1024];
	u32 slen;
	u32 str_base;	/* string offset of strs[0]: 0, or the base's length */
	u32 next_id;	/* id of the next type added */
};

static void blob_init(struct blob *b, const struct blob *base)
{
	memset(b, 0, sizeof(*b));
	b->str_base = base ? base->str_base + base->slen : 0;
	b->next_id = base ? base->next_id : 1;
	if (!base)
		b->slen = 1;	/* offset 0 is the empty name */
}

static u32 str(struct blob *b, const char *s)
{
	u32 off = b->str_base + b->slen;

	strcpy(b->strs + b->slen, s);
	b->slen += strlen(s) + 1;
	return off;
}

static u32 type(struct blob *b, const char *name, u32 kind, u32 vlen,
		u32 size_or_type, const void *extra, u32 extra_len)
{
	struct btf_type t = {
		.name_off = name ? str(b, name) : 0,
		.info = kind << 24 | vlen,
		.size = size_or_type,
	};

	memcpy(b->types + b->tlen, &t, sizeof(t));
	b->tlen += sizeof(t);
	if (extra_len)
		memcpy(b->types + b->tlen, extra, extra_len);
	b->tlen += extra_len;
	return b->next_id++;
}

/* A FUNC @name whose parameters have the types @params (@n of them). */
static u32 func(struct blob *b, const char *name, const u32 *params, u32 n)
{
	struct btf_param p[8] = {};
	u32 i, proto;

	for (i = 0; i < n; i++)
		p[i].type = params[i];
	proto = type(b, NULL, BTF_KIND_FUNC_PROTO, n, 0, p, n * sizeof(p[0]));
	return type(b, name, BTF_KIND_FUNC, 0, proto, NULL, 0);
}

static size_t blob_bytes(const struct blob *b, u8 *out)
{
	struct btf_header h = {
		.magic = BTF_MAGIC, .version = BTF_VERSION,
		.hdr_len = sizeof(h), .type_off = 0, .type_len = b->tlen,
		.str_off = b->tlen, .str_len = b->slen,
	};

	memcpy(out, &h, sizeof(h));
	memcpy(out + sizeof(h), b->types, b->tlen);
	memcpy(out + sizeof(h) + b->tlen, b->strs, b->slen);
	return sizeof(h) + b->tlen + b->slen;
}

struct parsed {
	u8 raw[8192];
	u32 offsets[512];
	struct pktmeta_btf btf;
};

static int parse(struct parsed *p, const struct blob *b,
		 const struct pktmeta_btf *base)
{
	size_t len = blob_bytes(b, p->raw);
	int err = pktmeta_btf_open(&p->btf, p->raw, len, base);

	if (!err)
		err = pktmeta_btf_index(&p->btf, p->offsets);
	return err;
}

/* The base ("vmlinux"): structs, pointers to them, eth_type_trans. */
static struct blob vmlinux;
static u32 t_int, p_skb, p_dev, p_xdp, cp_skb, td_skb;

static void build_vmlinux(void)
{
	u32 skb, dev, xdp, c;

	blob_init(&vmlinux, NULL);
	t_int = type(&vmlinux, "int", BTF_KIND_INT, 0, 4, &(u32){ 32 }, 4);
	skb = type(&vmlinux, "sk_buff", BTF_KIND_STRUCT, 0, 232, NULL, 0);
	dev = type(&vmlinux, "net_device", BTF_KIND_STRUCT, 0, 2048, NULL, 0);
	xdp = type(&vmlinux, "xdp_buff", BTF_KIND_FWD, 0, 0, NULL, 0);
	p_skb = type(&vmlinux, NULL, BTF_KIND_PTR, 0, skb, NULL, 0);
	p_dev = type(&vmlinux, NULL, BTF_KIND_PTR, 0, dev, NULL, 0);
	p_xdp = type(&vmlinux, NULL, BTF_KIND_PTR, 0, xdp, NULL, 0);
	c = type(&vmlinux, NULL, BTF_KIND_CONST, 0, skb, NULL, 0);
	cp_skb = type(&vmlinux, NULL, BTF_KIND_PTR, 0, c, NULL, 0);
	td_skb = type(&vmlinux, "skb_ptr_t", BTF_KIND_TYPEDEF, 0, p_skb, NULL, 0);
	func(&vmlinux, "eth_type_trans", (u32[]){ p_skb, p_dev }, 2);
	func(&vmlinux, "takes_const", (u32[]){ t_int, cp_skb }, 2);
	func(&vmlinux, "takes_typedef", (u32[]){ td_skb }, 1);
	func(&vmlinux, "dup", (u32[]){ p_skb }, 1);
	func(&vmlinux, "dup", (u32[]){ p_dev }, 1);
}

static const struct pktmeta_btf_arg eth_args[PKTMETA_BTF_MAX_ARGS] = {
	{ 0, "sk_buff" }, { 1, "net_device" },
};

static int failures;

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
		failures++;						\
	}								\
} while (0)

static void test_matching_prototype_passes(void)
{
	static struct parsed v;
	const struct pktmeta_btf_arg c[PKTMETA_BTF_MAX_ARGS] = { { 1, "sk_buff" } };
	const struct pktmeta_btf_arg t[PKTMETA_BTF_MAX_ARGS] = { { 0, "sk_buff" } };
	const struct pktmeta_btf_arg none[PKTMETA_BTF_MAX_ARGS] = {};

	CHECK(parse(&v, &vmlinux, NULL) == 0);
	CHECK(pktmeta_btf_check_func(&v.btf, "eth_type_trans", eth_args) == 0);
	CHECK(pktmeta_btf_check_func(&v.btf, "eth_type_trans", none) == 0);
	CHECK(pktmeta_btf_check_func(&v.btf, "takes_const", c) == 0);
	CHECK(pktmeta_btf_check_func(&v.btf, "takes_typedef", t) == 0);
}

static void test_differing_prototype_is_refused(void)
{
	static struct parsed v;
	const struct pktmeta_btf_arg swapped[PKTMETA_BTF_MAX_ARGS] = {
		{ 0, "net_device" }, { 1, "sk_buff" },
	};
	const struct pktmeta_btf_arg beyond[PKTMETA_BTF_MAX_ARGS] = { { 2, "sk_buff" } };
	const struct pktmeta_btf_arg not_ptr[PKTMETA_BTF_MAX_ARGS] = { { 0, "sk_buff" } };
	const struct pktmeta_btf_arg dup[PKTMETA_BTF_MAX_ARGS] = { { 0, "sk_buff" } };

	CHECK(parse(&v, &vmlinux, NULL) == 0);
	CHECK(pktmeta_btf_check_func(&v.btf, "eth_type_trans", swapped) == -EINVAL);
	CHECK(pktmeta_btf_check_func(&v.btf, "eth_type_trans", beyond) == -EINVAL);
	CHECK(pktmeta_btf_check_func(&v.btf, "takes_const", not_ptr) == -EINVAL);
	/* ftrace traces every function of the name: all must match. */
	CHECK(pktmeta_btf_check_func(&v.btf, "dup", dup) == -EINVAL);
}

static void test_missing_function_is_enoent(void)
{
	static struct parsed v;

	CHECK(parse(&v, &vmlinux, NULL) == 0);
	CHECK(pktmeta_btf_check_func(&v.btf, "eth_type", eth_args) == -ENOENT);
	CHECK(pktmeta_btf_check_func(&v.btf, "sk_buff", eth_args) == -ENOENT);
}

/* A module's split BTF: its function, its own struct, vmlinux's types. */
static void test_split_btf_resolves_base_types(void)
{
	static struct parsed v, m;
	const struct pktmeta_btf_arg rcv[PKTMETA_BTF_MAX_ARGS] = {
		{ 0, "veth_rq" }, { 1, "sk_buff" },
	};
	const struct pktmeta_btf_arg handler[PKTMETA_BTF_MAX_ARGS] = {
		{ 1, "xdp_buff" }, { 2, "net_device" },
	};
	struct blob mod;
	u32 rq, p_rq;

	CHECK(parse(&v, &vmlinux, NULL) == 0);
	blob_init(&mod, &vmlinux);
	rq = type(&mod, "veth_rq", BTF_KIND_STRUCT, 0, 64, NULL, 0);
	p_rq = type(&mod, NULL, BTF_KIND_PTR, 0, rq, NULL, 0);
	func(&mod, "veth_xdp_rcv_skb", (u32[]){ p_rq, p_skb, t_int, t_int }, 4);
	func(&mod, "virtnet_xdp_handler", (u32[]){ t_int, p_xdp, p_dev }, 3);
	CHECK(parse(&m, &mod, &v.btf) == 0);
	CHECK(m.btf.first_id == v.btf.first_id + v.btf.nr_types);
	CHECK(pktmeta_btf_check_func(&m.btf, "veth_xdp_rcv_skb", rcv) == 0);
	CHECK(pktmeta_btf_check_func(&m.btf, "virtnet_xdp_handler", handler) == 0);
	CHECK(pktmeta_btf_check_func(&m.btf, "virtnet_xdp_handler", rcv) == -EINVAL);
	/* vmlinux's own functions are not the module's */
	CHECK(pktmeta_btf_check_func(&m.btf, "eth_type_trans", eth_args) == -ENOENT);
}

/* A header longer than 24 bytes (a newer format) parses by its hdr_len. */
static void test_longer_header_parses(void)
{
	static struct parsed v;
	static u8 longer[8192 + 8];
	size_t len = blob_bytes(&vmlinux, v.raw);
	struct btf_header *h = (void *)longer;
	struct pktmeta_btf btf;
	u32 offsets[512];

	memcpy(longer, v.raw, 24);
	memset(longer + 24, 0, 8);	/* e.g. layout_off, layout_len */
	memcpy(longer + 32, v.raw + 24, len - 24);
	h->hdr_len = 32;
	CHECK(pktmeta_btf_open(&btf, longer, len + 8, NULL) == 0);
	pktmeta_btf_index(&btf, offsets);
	CHECK(pktmeta_btf_check_func(&btf, "eth_type_trans", eth_args) == 0);
}

/* Every cut and every damaged byte parses or is refused, never overreads. */
static void test_damaged_blobs_are_refused_safely(void)
{
	static struct parsed v;
	size_t len = blob_bytes(&vmlinux, v.raw), cut, i;
	struct pktmeta_btf btf;
	u8 *copy;

	for (cut = 0; cut < len; cut++) {
		copy = malloc(cut ? cut : 1);	/* exact size: ASan sees overreads */
		memcpy(copy, v.raw, cut);
		CHECK(pktmeta_btf_open(&btf, copy, cut, NULL) == -EINVAL);
		free(copy);
	}
	srand(1);
	for (i = 0; i < 20000; i++) {
		static u32 offsets[512];

		copy = malloc(len);
		memcpy(copy, v.raw, len);
		copy[rand() % len] ^= 1 << (rand() % 8);
		copy[rand() % len] = rand();
		if (!pktmeta_btf_open(&btf, copy, len, NULL) && btf.nr_types <= 512) {
			pktmeta_btf_index(&btf, offsets);
			pktmeta_btf_check_func(&btf, "eth_type_trans", eth_args);
		}
		free(copy);
	}
}

/* The running target's own BTF, when the build gives it (see Makefile). */
static void test_real_vmlinux(void)
{
	const char *path = getenv("BTF_VMLINUX");
	static struct parsed unused;
	struct pktmeta_btf btf;
	const struct pktmeta_btf_arg frame[PKTMETA_BTF_MAX_ARGS] = {
		{ 0, "xdp_frame" }, { 1, "sk_buff" },
	};
	const struct pktmeta_btf_arg redirect[PKTMETA_BTF_MAX_ARGS] = { { 1, "xdp_buff" } };
	const struct pktmeta_btf_arg wrong[PKTMETA_BTF_MAX_ARGS] = { { 0, "xdp_buff" } };
	long len;
	u32 *offsets;
	u8 *raw;
	FILE *f;

	(void)unused;
	if (!path || !*path)
		return;
	f = fopen(path, "rb");
	CHECK(f != NULL);
	if (!f)
		return;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	raw = malloc(len);
	CHECK(fread(raw, 1, len, f) == (size_t)len);
	fclose(f);
	CHECK(pktmeta_btf_open(&btf, raw, len, NULL) == 0);
	offsets = malloc(sizeof(u32) * (btf.nr_types + 1));
	pktmeta_btf_index(&btf, offsets);
	CHECK(pktmeta_btf_check_func(&btf, "eth_type_trans", eth_args) == 0);
	CHECK(pktmeta_btf_check_func(&btf, "__xdp_build_skb_from_frame", frame) == 0);
	CHECK(pktmeta_btf_check_func(&btf, "xdp_do_redirect", redirect) == 0);
	CHECK(pktmeta_btf_check_func(&btf, "xdp_do_redirect", wrong) == -EINVAL);
	printf("# real vmlinux BTF %s: %u types checked\n", path, btf.nr_types);
	free(offsets);
	free(raw);
}

int main(void)
{
	build_vmlinux();
	test_matching_prototype_passes();
	test_differing_prototype_is_refused();
	test_missing_function_is_enoent();
	test_split_btf_resolves_base_types();
	test_longer_header_parses();
	test_damaged_blobs_are_refused_safely();
	test_real_vmlinux();
	printf("btf_proto: %s\n", failures ? "FAILED" : "all checks passed");
	return failures ? 1 : 0;
}
