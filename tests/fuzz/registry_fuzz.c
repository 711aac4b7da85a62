// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the pktmeta registry (module/registry.c).
 *
 * The input is a sequence of operations (register, unregister of live, stale
 * and random ids, lookup, re-init, ageing of a free slot) run against one
 * registry. A model kept here predicts each result and, after every
 * operation, the invariants are checked; any violation calls abort().
 *
 * Built and run by tests/unit/Makefile, target fuzz:
 * clang -fsanitize=fuzzer,address,undefined -I module this file and
 * module/registry.c.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"

#define MAX_OPS		1024
/*
 * Every creation adds a record; an op creates fewer than PKTMETA_MAX_FIELDS
 * and the run stops before the table can overflow.
 */
#define MAX_RECS	2048
#define ALL_HINTS	((1U << PKTMETA_NR_HINTS) - 1)
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Every id handed out since the last successful init. */
struct rec {
	u32 id;
	char name[PKTMETA_NAME_MAX];
	size_t len;
	u32 size;
	u32 refs;
	bool live;
	bool hint;
	bool sockets;
};

static struct pktmeta_registry reg;
static struct pktmeta_registry snap;
static struct rec recs[MAX_RECS];
static unsigned int nrecs, nlive_model;
/* Open-addressing index of recs by id: 1 + index into recs, 0 empty. */
#define HASH_SIZE	(2 * MAX_RECS)
static u16 by_id[HASH_SIZE];
static u32 m_capacity;
static u64 m_generation;

static const u8 *in;
static size_t in_left;
static unsigned int op_no;

#define FAIL(...)							\
	do {								\
		fprintf(stderr, "registry_fuzz: op %u: ", op_no);	\
		fprintf(stderr, __VA_ARGS__);				\
		fprintf(stderr, " (%s:%d)\n", __FILE__, __LINE__);	\
		abort();						\
	} while (0)

#define ASSERT(cond)							\
	do {								\
		if (!(cond))						\
			FAIL("assertion failed: %s", #cond);		\
	} while (0)

#define ASSERT_RET(got, want)						\
	do {								\
		int _g = (got), _w = (want);				\
		if (_g != _w)						\
			FAIL("%s returned %d, expected %d", #got, _g, _w); \
	} while (0)

static u8 byte(void)
{
	if (!in_left)
		return 0;
	in_left--;
	return *in++;
}

static u32 word(void)
{
	u32 w = byte();

	w |= (u32)byte() << 8;
	w |= (u32)byte() << 16;
	return w | (u32)byte() << 24;
}

/* ---- model ---- */

/* Independent of pktmeta_name_valid(). */
static bool model_name_valid(const char *name, size_t len)
{
	static const char ok[] = "abcdefghijklmnopqrstuvwxyz0123456789_.-";
	size_t i;

	if (len == 0 || len >= PKTMETA_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!name[i] || !strchr(ok, name[i]))
			return false;
	return true;
}

static u32 model_align(u32 size)
{
	u32 a = 1;

	while (a < 8 && !(size % (a * 2)))
		a *= 2;
	return a;
}

static unsigned int hash_id(u32 id)
{
	return (id * 2654435761U) >> 20 & (HASH_SIZE - 1);
}

static struct rec *rec_by_id(u32 id)
{
	unsigned int h;

	for (h = hash_id(id); by_id[h]; h = (h + 1) & (HASH_SIZE - 1))
		if (recs[by_id[h] - 1].id == id)
			return &recs[by_id[h] - 1];
	return NULL;
}

static struct rec *live_by_name(const char *name, size_t len)
{
	unsigned int i;

	for (i = 0; i < nrecs; i++)
		if (recs[i].live && recs[i].len == len &&
		    !memcmp(recs[i].name, name, len))
			return &recs[i];
	return NULL;
}

static unsigned int model_nlive(void)
{
	return nlive_model;
}

static struct rec *add_rec(u32 id, const char *name, size_t len, u32 size,
			   bool hint)
{
	unsigned int h;
	struct rec *r;

	if (nrecs >= MAX_RECS)
		FAIL("model overflow");
	for (h = hash_id(id); by_id[h]; h = (h + 1) & (HASH_SIZE - 1))
		;
	by_id[h] = nrecs + 1;
	nlive_model++;
	r = &recs[nrecs++];
	memset(r, 0, sizeof(*r));
	r->id = id;
	memcpy(r->name, name, len);
	r->len = len;
	r->size = size;
	r->refs = 1;
	r->live = true;
	r->hint = hint;
	r->sockets = hint;
	return r;
}

/*
 * Brute-force first fit over a byte map: the lowest offset aligned for @size
 * whose @size bytes are free and below @cap, or -1.
 */
static int brute_first_fit(const bool *used, u32 cap, u32 size)
{
	u32 a = model_align(size), o, i;

	for (o = 0; o + size <= cap; o += a) {
		for (i = 0; i < size && !used[o + i]; i++)
			;
		if (i == size)
			return o;
	}
	return -1;
}

static void used_map(bool *used)
{
	unsigned int s, i;

	memset(used, 0, PKTMETA_MAX_CAPACITY * sizeof(*used));
	for (s = 0; s < PKTMETA_MAX_FIELDS; s++) {
		const struct pktmeta_field *f = &reg.layout.fields[s];

		if (!(reg.layout.live & (1ULL << s)))
			continue;
		for (i = 0; i < f->size && f->offset + i < PKTMETA_MAX_CAPACITY; i++)
			used[f->offset + i] = true;
	}
}

/* ---- invariants, after every operation ---- */

static void check_invariants(void)
{
	const struct pktmeta_layout *l = &reg.layout;
	struct pktmeta_field dead;
	unsigned int s, t, i, nlive = 0;
	u32 id;

	ASSERT(l->capacity == m_capacity);
	ASSERT(l->generation == m_generation);

	for (s = 0; s < PKTMETA_MAX_FIELDS; s++) {
		const struct pktmeta_field *f = &l->fields[s];
		struct rec *r;

		if (!(l->live & (1ULL << s))) {
			memset(&dead, 0, sizeof(dead));
			dead.id = PKTMETA_ID_DEAD(s);
			if (memcmp(f, &dead, sizeof(dead)))
				FAIL("free slot %u not zeroed with the dead id", s);
			/* No id of the slot finds it: its generation 0's here. */
			if (pktmeta_layout_field(l, s))
				FAIL("free slot %u found by id %#x", s, s);
			if (reg.refs[s])
				FAIL("free slot %u has refs %u", s, reg.refs[s]);
			if (l->sockets & (1ULL << s))
				FAIL("free slot %u offered to sockets", s);
			continue;
		}
		nlive++;
		if ((f->id & PKTMETA_SLOT_MASK) != s)
			FAIL("field id %#x in slot %u", f->id, s);
		if (pktmeta_layout_field(l, f->id) != f)
			FAIL("layout_field(%#x) misses live slot %u", f->id, s);
		r = rec_by_id(f->id);
		if (!r || !r->live)
			FAIL("live id %#x unknown to the model", f->id);
		if (!(l->sockets & (1ULL << s)) != !r->sockets)
			FAIL("id %#x offered to sockets: %d, model %d", f->id,
			     !!(l->sockets & (1ULL << s)), r->sockets);
		if (f->size != r->size || r->len >= PKTMETA_NAME_MAX ||
		    memcmp(f->name, r->name, r->len))
			FAIL("id %#x now names another field", f->id);
		for (i = r->len; i < PKTMETA_NAME_MAX; i++)
			if (f->name[i])
				FAIL("name of %#x not NUL-padded", f->id);
		if (!model_name_valid(f->name, strlen(f->name)))
			FAIL("bad stored name in slot %u", s);
		if (reg.refs[s] != r->refs)
			FAIL("refs of %#x: %u, model %u", f->id, reg.refs[s],
			     r->refs);
		if (f->size < 1 || (u32)f->offset + f->size > l->capacity)
			FAIL("field %#x [%u,+%u) outside capacity %u", f->id,
			     f->offset, f->size, l->capacity);
		if (f->offset % model_align(f->size))
			FAIL("field %#x at %u misaligned for size %u", f->id,
			     f->offset, f->size);
		if (f->born > l->generation)
			FAIL("field %#x born %llu > generation %llu", f->id,
			     (unsigned long long)f->born,
			     (unsigned long long)l->generation);
		if (r->hint && (f->born || f->id >= PKTMETA_NR_HINTS))
			FAIL("hint %#x not permanent", f->id);
		if (pktmeta_layout_lookup(l, f->name, r->len, &id) || id != f->id)
			FAIL("lookup of %s does not find %#x", f->name, f->id);
		for (t = 0; t < s; t++) {
			const struct pktmeta_field *g = &l->fields[t];

			if (!(l->live & (1ULL << t)))
				continue;
			if (f->offset < g->offset + g->size &&
			    g->offset < f->offset + f->size)
				FAIL("fields %#x and %#x overlap", f->id, g->id);
			if (!strcmp(f->name, g->name))
				FAIL("two live fields named %s", f->name);
		}
	}
	if (nlive != model_nlive())
		FAIL("%u live fields, model %u", nlive, model_nlive());

	if (pktmeta_layout_field(l, PKTMETA_ID_NONE))
		FAIL("PKTMETA_ID_NONE names a field");

	/* The keys: a live field's at its id's index, nothing elsewhere. */
	for (i = 0; i < PKTMETA_NR_KEYS; i++) {
		const struct pktmeta_key *k = &l->keys[i];
		const struct pktmeta_field *f = pktmeta_layout_field(l, k->id);

		if (k->id == ~i)
			continue;
		if (!f || PKTMETA_KEY_INDEX(k->id) != i ||
		    k->offset != f->offset || k->size != f->size)
			FAIL("key %u (id %#x) names no live field as it is", i,
			     k->id);
	}
	for (s = 0; s < PKTMETA_MAX_FIELDS; s++) {
		const struct pktmeta_field *f = &l->fields[s];

		if ((l->live & (1ULL << s)) &&
		    pktmeta_layout_key(l, f->id)->id != f->id)
			FAIL("live field %#x has no key", f->id);
	}
	if (pktmeta_layout_key(l, PKTMETA_ID_NONE)->id == PKTMETA_ID_NONE)
		FAIL("PKTMETA_ID_NONE has a key");

	/* Every id ever handed out: live ones found, dead ones never. */
	for (i = 0; i < nrecs; i++) {
		const struct pktmeta_field *f = pktmeta_layout_field(l, recs[i].id);

		if (recs[i].live && !f)
			FAIL("live id %#x not found", recs[i].id);
		if (!recs[i].live && f)
			FAIL("freed id %#x came back", recs[i].id);
	}
}

/* ---- operations ---- */

static void do_init(u32 capacity, u32 hints)
{
	static const u32 hint_size[PKTMETA_NR_HINTS] = { 8, 4, 8 };
	static const char *const hint_name[PKTMETA_NR_HINTS] = {
		PKTMETA_HINT_RX_HASH_NAME, PKTMETA_HINT_RX_VLAN_NAME,
		PKTMETA_HINT_RX_TIMESTAMP_NAME,
	};
	bool used[PKTMETA_MAX_CAPACITY] = { 0 };
	int off[PKTMETA_NR_HINTS];
	bool ok = capacity >= 1 && capacity <= PKTMETA_MAX_CAPACITY &&
		  !(hints & ~ALL_HINTS);
	unsigned int h, i;
	int ret;

	for (h = 0; ok && h < PKTMETA_NR_HINTS; h++) {
		if (!(hints & (1U << h)))
			continue;
		off[h] = brute_first_fit(used, capacity, hint_size[h]);
		if (off[h] < 0)
			ok = false;
		else
			for (i = 0; i < hint_size[h]; i++)
				used[off[h] + i] = true;
	}

	memcpy(&snap, &reg, sizeof(reg));
	ret = pktmeta_registry_init(&reg, capacity, hints);
	if (!ok) {
		ASSERT_RET(ret, -EINVAL);
		if (memcmp(&snap, &reg, sizeof(reg)))
			FAIL("failed init changed the registry");
		return;
	}
	ASSERT_RET(ret, 0);

	nrecs = 0;
	nlive_model = 0;
	memset(by_id, 0, sizeof(by_id));
	m_capacity = capacity;
	m_generation = 0;
	for (h = 0; h < PKTMETA_NR_HINTS; h++) {
		const struct pktmeta_field *f;

		if (!(hints & (1U << h)))
			continue;
		add_rec(h, hint_name[h], strlen(hint_name[h]), hint_size[h], true);
		f = pktmeta_layout_field(&reg.layout, h);
		if (!f || f->offset != off[h])
			FAIL("hint %u not at offset %d", h, off[h]);
	}
}

static const char *const pool[] = {
	"a", "b", "ab", "abc", "x.y", "x-y", "a_b", "0",
	PKTMETA_HINT_RX_HASH_NAME, PKTMETA_HINT_RX_VLAN_NAME,
	PKTMETA_HINT_RX_TIMESTAMP_NAME,
	"abcdefghijklmnopqrstuvwxyz01234",	/* 31: longest valid */
	"abcdefghijklmnopqrstuvwxyz012345",	/* 32: too long */
	"", "A", "a b", "a/b",
};

#define POOL_SIZE	ARRAY_SIZE(pool)

/* A name from the pool, a generated "nK", or raw bytes. */
static size_t pick_name(char *buf)
{
	u8 b = byte();
	size_t len;

	if (b < 128) {
		len = strlen(pool[b % POOL_SIZE]);
		memcpy(buf, pool[b % POOL_SIZE], len);
	} else if (b < 240) {
		len = snprintf(buf, 8, "n%u", b % 80);
	} else {
		size_t i;

		len = byte() % (PKTMETA_NAME_MAX + 2);
		for (i = 0; i < len; i++)
			buf[i] = byte() % 2 ? 'a' + byte() % 26 : (char)byte();
	}
	return len;
}

static u32 pick_size(void)
{
	static const u32 common[] = { 1, 2, 4, 8, 3, 5, 6, 7, 12, 16, 24, 32 };
	u8 b = byte();

	switch (b >> 6) {
	case 0:
	case 1:
		return common[b % ARRAY_SIZE(common)];
	case 2:
		return b & 63;
	default:
		switch (b & 7) {
		case 0:
			return 0;
		case 1:
			return m_capacity;
		case 2:
			return m_capacity + 1;
		case 3:
			return 0x10000 + (b >> 3 & 7);	/* truncates to u16 */
		case 4:
			return word();
		default:
			return m_capacity - (b >> 3 & 7);
		}
	}
}

static void register_one(const char *name, size_t len, u32 size, u32 flags)
{
	u32 id = 0xfeedface;
	bool used[PKTMETA_MAX_CAPACITY];
	const struct pktmeta_field *f;
	unsigned int slot;
	struct rec *r;
	int ret, off;

	/* Predict from the state before the call. */
	r = live_by_name(name, len);
	for (slot = 0; slot < PKTMETA_MAX_FIELDS; slot++)
		if (!(reg.layout.live & (1ULL << slot)) &&
		    reg.slot_gen[slot] <= PKTMETA_SLOT_GEN_MAX)
			break;
	used_map(used);
	off = size <= m_capacity ? brute_first_fit(used, m_capacity, size) : -1;

	memcpy(&snap, &reg, sizeof(reg));
	ret = pktmeta_registry_register(&reg, name, len, size, flags, &id);

	if (!model_name_valid(name, len) || size < 1 || size > m_capacity) {
		ASSERT_RET(ret, -EINVAL);
		goto unchanged;
	}
	/* Only the creator offers a field to sockets. */
	if (r && (r->size != size ||
		  ((flags & PKTMETA_F_SOCKETS) && !r->sockets))) {
		ASSERT_RET(ret, -EEXIST);
		goto unchanged;
	}
	if (r) {
		if (ret == -EOVERFLOW && r->refs == UINT32_MAX)
			goto unchanged;
		ASSERT_RET(ret, PKTMETA_LAYOUT_SAME);
		if (id != r->id)
			FAIL("same name and size gave %#x, had %#x", id, r->id);
		if (memcmp(&snap.layout, &reg.layout, sizeof(reg.layout)))
			FAIL("LAYOUT_SAME but the layout changed");
		r->refs++;
		return;
	}

	/* A new field: the lowest free, unretired slot, the lowest fit. */
	if (slot == PKTMETA_MAX_FIELDS || off < 0) {
		ASSERT_RET(ret, -ENOSPC);
		goto unchanged;
	}
	ASSERT_RET(ret, PKTMETA_LAYOUT_CHANGED);
	if ((id & PKTMETA_SLOT_MASK) != slot)
		FAIL("new field in slot %u, lowest free is %u",
		     id & PKTMETA_SLOT_MASK, slot);
	if (rec_by_id(id))
		FAIL("id %#x handed out again", id);
	m_generation++;
	add_rec(id, name, len, size, false)->sockets =
		!!(flags & PKTMETA_F_SOCKETS);
	f = pktmeta_layout_field(&reg.layout, id);
	if (!f || f->offset != off)
		FAIL("new field %#x not at first fit %d", id, off);
	if (f->born != m_generation)
		FAIL("new field born %llu, generation %llu",
		     (unsigned long long)f->born,
		     (unsigned long long)m_generation);
	return;

unchanged:
	if (memcmp(&snap, &reg, sizeof(reg)))
		FAIL("register failed with %d but changed the registry", ret);
	if (id != 0xfeedface)
		FAIL("register failed with %d but wrote the id", ret);
}

static void do_register(void)
{
	char name[64];
	size_t len = pick_name(name);

	register_one(name, len, pick_size(), byte() & PKTMETA_F_SOCKETS);
}

/* Many fields at once, so that all slots or all bytes get used up. */
static void do_register_many(void)
{
	unsigned int n = byte() % PKTMETA_MAX_FIELDS, base = byte(), i;
	u32 size = pick_size();
	char name[16];

	for (i = 0; i < n; i++) {
		size_t len = snprintf(name, sizeof(name), "m%u", base + i);

		register_one(name, len, size, PKTMETA_F_SOCKETS);
		check_invariants();
	}
}

static void expect_unregister(u32 id)
{
	struct rec *r = rec_by_id(id);
	int ret;

	memcpy(&snap, &reg, sizeof(reg));
	ret = pktmeta_registry_unregister(&reg, id);
	if (!r || !r->live || r->hint) {
		ASSERT_RET(ret, r && r->live ? -EPERM : -ENOENT);
		if (memcmp(&snap, &reg, sizeof(reg)))
			FAIL("unregister failed with %d but changed the registry",
			     ret);
		return;
	}
	if (r->refs > 1) {
		ASSERT_RET(ret, PKTMETA_LAYOUT_SAME);
		if (memcmp(&snap.layout, &reg.layout, sizeof(reg.layout)))
			FAIL("LAYOUT_SAME but the layout changed");
		r->refs--;
		return;
	}
	ASSERT_RET(ret, PKTMETA_LAYOUT_CHANGED);
	r->refs = 0;
	r->live = false;
	nlive_model--;
}

static void do_unregister_live(void)
{
	unsigned int n = model_nlive(), k, i;

	if (!n)
		return;
	k = byte() % n;
	for (i = 0; i < nrecs; i++)
		if (recs[i].live && !k--)
			break;
	expect_unregister(recs[i].id);
}

static void do_unregister_stale(void)
{
	unsigned int n = nrecs - model_nlive(), k, i;

	if (!n)
		return;
	k = byte() % n;
	for (i = 0; i < nrecs; i++)
		if (!recs[i].live && !k--)
			break;
	expect_unregister(recs[i].id);
}

static void do_unregister_random(void)
{
	u8 b = byte();
	u32 id;

	/* small ids hit the hints and low generations; words hit anything */
	id = b & 0x80 ? word() : (u32)(b & 0x7f) << (b & 1 ? PKTMETA_ID_SLOT_BITS : 0);
	expect_unregister(id);
}

static void do_lookup(void)
{
	char name[64];
	size_t len = pick_name(name);
	u32 id = 0xfeedface;
	struct rec *r;
	int ret;

	memcpy(&snap, &reg, sizeof(reg));
	ret = pktmeta_layout_lookup(&reg.layout, name, len, &id);
	if (memcmp(&snap, &reg, sizeof(reg)))
		FAIL("lookup changed the registry");
	if (!model_name_valid(name, len)) {
		ASSERT_RET(ret, -EINVAL);
		return;
	}
	r = live_by_name(name, len);
	if (!r) {
		ASSERT_RET(ret, -ENOENT);
		return;
	}
	ASSERT_RET(ret, 0);
	if (id != r->id)
		FAIL("lookup gave %#x, expected %#x", id, r->id);
}

static void do_reinit(void)
{
	u8 c = byte(), h = byte();
	u32 capacity;

	switch (c >> 6) {
	case 0:
		capacity = PKTMETA_DEFAULT_CAPACITY;
		break;
	case 1:
		capacity = c & 31;	/* tiny: hints may not fit */
		break;
	default:
		capacity = c & 0x7f ? c : PKTMETA_MAX_CAPACITY + (h >> 4);
		break;
	}
	do_init(capacity, h & 0x0f);	/* bit 3 is not a hint */
}

/*
 * Push a free slot's generation to the end or past it (retired), as if it had
 * been reused that often, so that retirement gets exercised.
 */
static void do_age_slot(void)
{
	unsigned int slot = byte() % PKTMETA_MAX_FIELDS;
	u32 gen = PKTMETA_SLOT_GEN_MAX + 1 - byte() % 4;	/* may retire it */

	if ((reg.layout.live & (1ULL << slot)) || reg.slot_gen[slot] >= gen)
		return;
	reg.slot_gen[slot] = gen;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	in = data;
	in_left = size;
	op_no = 0;

	/* The first bytes choose the first configuration, default if bad. */
	memset(&reg, 0xa5, sizeof(reg));
	do_init(PKTMETA_DEFAULT_CAPACITY, ALL_HINTS);
	check_invariants();
	do_reinit();
	check_invariants();

	while (in_left && op_no < MAX_OPS &&
	       nrecs + PKTMETA_MAX_FIELDS < MAX_RECS) {
		u8 op = byte();

		op_no++;
		switch (op % 16) {
		case 0 ... 5:
			do_register();
			break;
		case 6:
			if (op & 0x80)
				do_register_many();
			else
				do_register();
			break;
		case 7:
		case 8:
		case 9:
			do_unregister_live();
			break;
		case 10:
			do_unregister_stale();
			break;
		case 11:
			do_unregister_random();
			break;
		case 12:
		case 13:
			do_lookup();
			break;
		case 14:
			do_reinit();
			break;
		default:
			if (op & 0x80)
				do_age_slot();
			else
				do_reinit();
			break;
		}
		check_invariants();
	}
	return 0;
}
