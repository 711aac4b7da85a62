// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the pktmeta registry (module/registry.c) in userspace.
 *
 * One function per behaviour, named after the expectation. A failed check
 * prints one line with its file:line; the last line is "N passed, N failed"
 * over the test functions, and the exit status is non-zero on any failure.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"

#define ALL_HINTS	((1U << PKTMETA_NR_HINTS) - 1)
#define NO_HINTS	0U
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static int test_failed;

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			printf("%s:%d: %s: check failed: %s\n",		\
			       __FILE__, __LINE__, __func__, #cond);	\
			test_failed = 1;				\
		}							\
	} while (0)

#define CHECK_EQ(a, b)							\
	do {								\
		long long _a = (long long)(a), _b = (long long)(b);	\
		if (_a != _b) {						\
			printf("%s:%d: %s: check failed: %s == %s "	\
			       "(%lld != %lld)\n", __FILE__, __LINE__,	\
			       __func__, #a, #b, _a, _b);		\
			test_failed = 1;				\
		}							\
	} while (0)

/* Shared registry: each test starts with its own init. */
static struct pktmeta_registry reg;
static struct pktmeta_registry snap;

static int reg_name(const char *name, u32 size, u32 *id)
{
	return pktmeta_registry_register(&reg, name, strlen(name), size, 0, id);
}

static int lookup(const char *name, u32 *id)
{
	return pktmeta_layout_lookup(&reg.layout, name, strlen(name), id);
}

static const struct pktmeta_field *field(u32 id)
{
	return pktmeta_layout_field(&reg.layout, id);
}

/* Offset or birth of the live field @id, -1 if there is none. */
static long long offset_of(u32 id)
{
	return field(id) ? field(id)->offset : -1;
}

static long long born_of(u32 id)
{
	return field(id) ? (long long)field(id)->born : -1;
}

static void take_snapshot(void)
{
	memcpy(&snap, &reg, sizeof(reg));
}

static int unchanged(void)
{
	return !memcmp(&snap, &reg, sizeof(reg));
}

static u32 natural_align(u32 size)
{
	u32 a = size & -size;

	return a < 8 ? a : 8;
}

/* ---- names ---- */

static void name_valid_accepts_lowercase_digits_and_punctuation(void)
{
	CHECK(pktmeta_name_valid("a", 1));
	CHECK(pktmeta_name_valid("abcdefghijklmnopqrstuvwxyz", 26));
	CHECK(pktmeta_name_valid("0123456789", 10));
	CHECK(pktmeta_name_valid("a_b.c-d", 7));
	CHECK(pktmeta_name_valid("_", 1));
	CHECK(pktmeta_name_valid(".", 1));
	CHECK(pktmeta_name_valid("-", 1));
}

static void name_valid_accepts_lengths_1_to_31_only(void)
{
	char buf[64];

	memset(buf, 'a', sizeof(buf));
	CHECK(!pktmeta_name_valid(buf, 0));
	CHECK(pktmeta_name_valid(buf, 1));
	CHECK(pktmeta_name_valid(buf, PKTMETA_NAME_MAX - 1));
	CHECK(!pktmeta_name_valid(buf, PKTMETA_NAME_MAX));
	CHECK(!pktmeta_name_valid(buf, sizeof(buf)));
}

static void name_valid_rejects_other_characters(void)
{
	static const char bad[] = "AZ /:\\\t\n\x7f\x80\xff@+*";
	char buf[4];
	size_t i;

	for (i = 0; i < sizeof(bad) - 1; i++) {
		buf[0] = 'a';
		buf[1] = bad[i];
		buf[2] = 'b';
		CHECK(!pktmeta_name_valid(buf, 3));
	}
}

static void name_valid_rejects_nul_inside_length(void)
{
	CHECK(!pktmeta_name_valid("a\0b", 3));
	CHECK(!pktmeta_name_valid("ab\0", 3));
	CHECK(pktmeta_name_valid("ab\0", 2));
}

static void name_valid_rejects_null_pointer(void)
{
	CHECK(!pktmeta_name_valid(NULL, 3));
}

/* ---- init ---- */

static void init_rejects_capacity_zero_and_above_max(void)
{
	CHECK_EQ(pktmeta_registry_init(&reg, 0, NO_HINTS), -EINVAL);
	CHECK_EQ(pktmeta_registry_init(&reg, PKTMETA_MAX_CAPACITY + 1, NO_HINTS),
		 -EINVAL);
	CHECK_EQ(pktmeta_registry_init(&reg, 0xffffffffU, NO_HINTS), -EINVAL);
}

static void init_accepts_capacity_one_and_max(void)
{
	CHECK_EQ(pktmeta_registry_init(&reg, 1, NO_HINTS), 0);
	CHECK_EQ(reg.layout.capacity, 1);
	CHECK_EQ(pktmeta_registry_init(&reg, PKTMETA_MAX_CAPACITY, ALL_HINTS), 0);
	CHECK_EQ(reg.layout.capacity, PKTMETA_MAX_CAPACITY);
}

static void init_rejects_capacity_too_small_for_enabled_hints(void)
{
	/* rx_hash 0..8, rx_vlan 8..12, rx_timestamp 16..24 */
	CHECK_EQ(pktmeta_registry_init(&reg, 23, ALL_HINTS), -EINVAL);
	CHECK_EQ(pktmeta_registry_init(&reg, 24, ALL_HINTS), 0);
	CHECK_EQ(pktmeta_registry_init(&reg, 7, 1U << PKTMETA_HINT_RX_HASH),
		 -EINVAL);
	CHECK_EQ(pktmeta_registry_init(&reg, 8, 1U << PKTMETA_HINT_RX_HASH), 0);
	CHECK_EQ(pktmeta_registry_init(&reg, 3, 1U << PKTMETA_HINT_RX_VLAN),
		 -EINVAL);
	CHECK_EQ(pktmeta_registry_init(&reg, 4, 1U << PKTMETA_HINT_RX_VLAN), 0);
	/* vlan 0..4, timestamp aligned to 8: 8..16, so 12 bytes are not enough */
	CHECK_EQ(pktmeta_registry_init(&reg, 12, (1U << PKTMETA_HINT_RX_VLAN) |
				       (1U << PKTMETA_HINT_RX_TIMESTAMP)), -EINVAL);
	CHECK_EQ(pktmeta_registry_init(&reg, 16, (1U << PKTMETA_HINT_RX_VLAN) |
				       (1U << PKTMETA_HINT_RX_TIMESTAMP)), 0);
}

static void init_rejects_unknown_hint_bits(void)
{
	CHECK_EQ(pktmeta_registry_init(&reg, 64, 1U << PKTMETA_NR_HINTS), -EINVAL);
	CHECK_EQ(pktmeta_registry_init(&reg, 64, 0x80000000U), -EINVAL);
}

static void init_failure_leaves_registry_unchanged(void)
{
	u32 id;

	CHECK_EQ(pktmeta_registry_init(&reg, 64, ALL_HINTS), 0);
	CHECK_EQ(reg_name("foo", 4, &id), PKTMETA_LAYOUT_CHANGED);
	take_snapshot();
	CHECK_EQ(pktmeta_registry_init(&reg, 0, NO_HINTS), -EINVAL);
	CHECK_EQ(pktmeta_registry_init(&reg, 10, ALL_HINTS), -EINVAL);
	CHECK_EQ(pktmeta_registry_init(&reg, 64, 8), -EINVAL);
	CHECK(unchanged());
}

static void init_forgets_previous_fields(void)
{
	u32 id;

	CHECK_EQ(pktmeta_registry_init(&reg, 64, NO_HINTS), 0);
	CHECK_EQ(reg_name("foo", 4, &id), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(pktmeta_registry_unregister(&reg, id), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(reg_name("bar", 4, &id), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(pktmeta_registry_init(&reg, 32, NO_HINTS), 0);
	CHECK_EQ(reg.layout.live, 0);
	CHECK_EQ(reg.layout.generation, 0);
	CHECK_EQ(reg.layout.capacity, 32);
	CHECK_EQ(lookup("bar", &id), -ENOENT);
	CHECK(pktmeta_registry_init(&snap, 32, NO_HINTS) == 0 && unchanged());
}

static void init_with_all_hints_creates_them_at_fixed_ids(void)
{
	static const struct {
		const char *name;
		u32 size, offset;
	} want[PKTMETA_NR_HINTS] = {
		[PKTMETA_HINT_RX_HASH] = { PKTMETA_HINT_RX_HASH_NAME, 8, 0 },
		[PKTMETA_HINT_RX_VLAN] = { PKTMETA_HINT_RX_VLAN_NAME, 4, 8 },
		[PKTMETA_HINT_RX_TIMESTAMP] = { PKTMETA_HINT_RX_TIMESTAMP_NAME, 8, 16 },
	};
	const struct pktmeta_field *f;
	u32 h, id;

	CHECK_EQ(pktmeta_registry_init(&reg, 64, ALL_HINTS), 0);
	CHECK_EQ(reg.layout.live, 0x7);
	CHECK_EQ(reg.layout.generation, 0);
	for (h = 0; h < PKTMETA_NR_HINTS; h++) {
		f = field(h);
		CHECK(f == &reg.layout.fields[h]);
		if (!f)
			continue;
		CHECK_EQ(f->id, h);
		CHECK(!strcmp(f->name, want[h].name));
		CHECK_EQ(f->size, want[h].size);
		CHECK_EQ(f->offset, want[h].offset);
		CHECK_EQ(f->born, 0);
		CHECK_EQ(reg.refs[h], 1);
		CHECK_EQ(reg.slot_gen[h], 0);
		CHECK_EQ(lookup(want[h].name, &id), 0);
		CHECK_EQ(id, h);
	}
	CHECK_EQ(sizeof(struct pktmeta_rx_hash), 8);
	CHECK_EQ(sizeof(struct pktmeta_rx_vlan), 4);
}

static void init_without_hints_has_empty_layout(void)
{
	u32 i, id;

	CHECK_EQ(pktmeta_registry_init(&reg, 64, NO_HINTS), 0);
	CHECK_EQ(reg.layout.live, 0);
	CHECK_EQ(reg.layout.generation, 0);
	CHECK_EQ(lookup(PKTMETA_HINT_RX_HASH_NAME, &id), -ENOENT);
	for (i = 0; i < PKTMETA_MAX_FIELDS; i++) {
		/* id i: slot i, generation 0, the hints' ids among them */
		CHECK(!field(i));
		CHECK_EQ(reg.refs[i], 0);
		CHECK_EQ(reg.slot_gen[i], i < PKTMETA_NR_HINTS ? 1 : 0);
	}
}

static void disabled_hint_slot_goes_to_a_user_field_with_another_id(void)
{
	u32 id;

	CHECK_EQ(pktmeta_registry_init(&reg, 64, 1U << PKTMETA_HINT_RX_HASH), 0);
	CHECK_EQ(reg_name("foo", 4, &id), PKTMETA_LAYOUT_CHANGED);
	/* slot 1 (rx_vlan, disabled) is the lowest free slot */
	CHECK_EQ(id & PKTMETA_SLOT_MASK, PKTMETA_HINT_RX_VLAN);
	CHECK(id != PKTMETA_HINT_RX_VLAN);
	CHECK(!field(PKTMETA_HINT_RX_VLAN));
	CHECK(field(id) && field(id)->offset == 8);
}

static void disabled_hint_frees_its_bytes(void)
{
	u32 id;

	/* vlan at 0..4, timestamp at 8..16: the hole 4..8 is free */
	CHECK_EQ(pktmeta_registry_init(&reg, 16, (1U << PKTMETA_HINT_RX_VLAN) |
				       (1U << PKTMETA_HINT_RX_TIMESTAMP)), 0);
	CHECK_EQ(offset_of(PKTMETA_HINT_RX_VLAN), 0);
	CHECK_EQ(offset_of(PKTMETA_HINT_RX_TIMESTAMP), 8);
	CHECK_EQ(reg_name("foo", 4, &id), PKTMETA_LAYOUT_CHANGED);
	CHECK(field(id) && field(id)->offset == 4);

	CHECK_EQ(pktmeta_registry_init(&reg, 8, NO_HINTS), 0);
	CHECK_EQ(reg_name("foo", 8, &id), PKTMETA_LAYOUT_CHANGED);
	CHECK(field(id) && field(id)->offset == 0);
}

static void hint_ids_are_never_given_to_user_fields(void)
{
	u32 i, id;
	char name[8];

	CHECK_EQ(pktmeta_registry_init(&reg, 128, NO_HINTS), 0);
	for (i = 0; i < 10; i++) {
		snprintf(name, sizeof(name), "f%u", i);
		CHECK_EQ(reg_name(name, 1, &id), PKTMETA_LAYOUT_CHANGED);
		CHECK(id >= PKTMETA_NR_HINTS);
		CHECK_EQ(pktmeta_registry_unregister(&reg, id), PKTMETA_LAYOUT_CHANGED);
	}
	for (i = 0; i < PKTMETA_NR_HINTS; i++)
		CHECK_EQ(pktmeta_registry_unregister(&reg, i), -ENOENT);
}

/* ---- register ---- */

static void register_new_field_returns_changed_with_one_ref(void)
{
	const struct pktmeta_field *f;
	u32 id = 0xdeadbeef;

	CHECK_EQ(pktmeta_registry_init(&reg, 64, ALL_HINTS), 0);
	CHECK_EQ(reg_name("foo", 2, &id), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(id, PKTMETA_NR_HINTS);	/* slot 3, generation 0 */
	f = field(id);
	CHECK(f == &reg.layout.fields[3]);
	if (!f)
		return;
	CHECK(!strcmp(f->name, "foo"));
	CHECK_EQ(f->size, 2);
	CHECK_EQ(f->offset, 12);	/* first 2-aligned hole after the hints */
	CHECK_EQ(reg.refs[3], 1);
	CHECK(reg.layout.live & (1ULL << 3));
}

static void new_field_is_born_in_the_next_generation(void)
{
	u32 a, b;

	CHECK_EQ(pktmeta_registry_init(&reg, 64, ALL_HINTS), 0);
	CHECK_EQ(reg_name("a", 1, &a), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(reg.layout.generation, 1);
	CHECK_EQ(born_of(a), 1);
	CHECK_EQ(reg_name("b", 1, &b), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(reg.layout.generation, 2);
	CHECK_EQ(born_of(b), 2);
	CHECK_EQ(born_of(a), 1);
}

static void generation_does_not_change_on_ref_or_unregister(void)
{
	u32 a, b;

	CHECK_EQ(pktmeta_registry_init(&reg, 64, ALL_HINTS), 0);
	CHECK_EQ(reg_name("a", 1, &a), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(reg_name("a", 1, &b), PKTMETA_LAYOUT_SAME);
	CHECK_EQ(reg.layout.generation, 1);
	CHECK_EQ(pktmeta_registry_unregister(&reg, a), PKTMETA_LAYOUT_SAME);
	CHECK_EQ(pktmeta_registry_unregister(&reg, a), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(reg.layout.generation, 1);
	CHECK_EQ(reg_name("b", 1, &b), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(reg.layout.generation, 2);
}

static void same_name_same_size_returns_same_id(void)
{
	struct pktmeta_layout before;
	u32 a, b = 0;

	CHECK_EQ(pktmeta_registry_init(&reg, 64, ALL_HINTS), 0);
	CHECK_EQ(reg_name("foo", 4, &a), PKTMETA_LAYOUT_CHANGED);
	memcpy(&before, &reg.layout, sizeof(before));
	CHECK_EQ(reg_name("foo", 4, &b), PKTMETA_LAYOUT_SAME);
	CHECK_EQ(a, b);
	CHECK_EQ(reg.refs[a & PKTMETA_SLOT_MASK], 2);
	CHECK(!memcmp(&before, &reg.layout, sizeof(before)));
}

static void same_name_other_size_returns_eexist(void)
{
	u32 a, b = 0x1234;

	CHECK_EQ(pktmeta_registry_init(&reg, 64, ALL_HINTS), 0);
	CHECK_EQ(reg_name("foo", 4, &a), PKTMETA_LAYOUT_CHANGED);
	take_snapshot();
	CHECK_EQ(reg_name("foo", 8, &b), -EEXIST);
	CHECK_EQ(reg_name("foo", 2, &b), -EEXIST);
	CHECK_EQ(b, 0x1234);
	CHECK(unchanged());
}

static void register_hint_name_takes_a_ref_on_the_hint(void)
{
	u32 id = 99;

	CHECK_EQ(pktmeta_registry_init(&reg, 64, ALL_HINTS), 0);
	CHECK_EQ(reg_name(PKTMETA_HINT_RX_HASH_NAME, 8, &id), PKTMETA_LAYOUT_SAME);
	CHECK_EQ(id, PKTMETA_HINT_RX_HASH);
	CHECK_EQ(reg.refs[PKTMETA_HINT_RX_HASH], 2);
	CHECK_EQ(reg_name(PKTMETA_HINT_RX_VLAN_NAME, 2, &id), -EEXIST);
}

static void register_name_of_disabled_hint_is_an_ordinary_field(void)
{
	u32 id;

	CHECK_EQ(pktmeta_registry_init(&reg, 64, NO_HINTS), 0);
	CHECK_EQ(reg_name(PKTMETA_HINT_RX_TIMESTAMP_NAME, 2, &id),
		 PKTMETA_LAYOUT_CHANGED);
	CHECK(id != PKTMETA_HINT_RX_TIMESTAMP);
	CHECK_EQ(pktmeta_registry_unregister(&reg, id), PKTMETA_LAYOUT_CHANGED);
}

static void register_rejects_bad_name_or_size_with_einval(void)
{
	u32 id = 7;

	CHECK_EQ(pktmeta_registry_init(&reg, 64, ALL_HINTS), 0);
	take_snapshot();
	CHECK_EQ(reg_name("", 4, &id), -EINVAL);
	CHECK_EQ(reg_name("Foo", 4, &id), -EINVAL);
	CHECK_EQ(reg_name("a b", 4, &id), -EINVAL);
	CHECK_EQ(reg_name("abcdefghijklmnopqrstuvwxyz012345", 4, &id), -EINVAL);
	CHECK_EQ(pktmeta_registry_register(&reg, "a\0b", 3, 4, 0, &id), -EINVAL);
	CHECK_EQ(reg_name("foo", 0, &id), -EINVAL);
	CHECK_EQ(reg_name("foo", 65, &id), -EINVAL);
	CHECK_EQ(reg_name("foo", 0x10001, &id), -EINVAL);
	CHECK_EQ(reg_name("foo", 0xffffffffU, &id), -EINVAL);
	/* a bad size is -EINVAL even for an existing name */
	CHECK_EQ(reg_name(PKTMETA_HINT_RX_HASH_NAME, 0, &id), -EINVAL);
	CHECK_EQ(id, 7);
	CHECK(unchanged());
}

static void register_accepts_31_char_name_and_size_equal_to_capacity(void)
{
	const char *name = "abcdefghijklmnopqrstuvwxyz01234";
	u32 id;

	CHECK_EQ(strlen(name), PKTMETA_NAME_MAX - 1);
	CHECK_EQ(pktmeta_registry_init(&reg, 64, NO_HINTS), 0);
	CHECK_EQ(reg_name(name, 64, &id), PKTMETA_LAYOUT_CHANGED);
	CHECK(field(id) && !strcmp(field(id)->name, name));
	CHECK(field(id) && field(id)->offset == 0 && field(id)->size == 64);
}

static void register_uses_only_len_bytes_of_the_name(void)
{
	u32 a, b;

	CHECK_EQ(pktmeta_registry_init(&reg, 64, NO_HINTS), 0);
	CHECK_EQ(pktmeta_registry_register(&reg, "abcXYZ", 3, 4, 0, &a),
		 PKTMETA_LAYOUT_CHANGED);
	CHECK(field(a) && !strcmp(field(a)->name, "abc"));
	CHECK_EQ(lookup("abc", &b), 0);
	CHECK_EQ(a, b);
}

static void only_the_creator_offers_a_field_to_sockets(void)
{
	u32 a, b, c;

	CHECK_EQ(pktmeta_registry_init(&reg, 64, ALL_HINTS), 0);
	CHECK_EQ(reg.layout.sockets, (u64)ALL_HINTS);
	CHECK_EQ(pktmeta_registry_register(&reg, "kept", 4, 4, 0, &a),
		 PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(pktmeta_registry_register(&reg, "shared", 6, 4,
					   PKTMETA_F_SOCKETS, &b),
		 PKTMETA_LAYOUT_CHANGED);
	CHECK(!(reg.layout.sockets & (1ULL << (a & PKTMETA_SLOT_MASK))));
	CHECK(reg.layout.sockets & (1ULL << (b & PKTMETA_SLOT_MASK)));

	/* A later registration cannot offer what its creator kept. */
	memcpy(&snap, &reg, sizeof(reg));
	CHECK_EQ(pktmeta_registry_register(&reg, "kept", 4, 4,
					   PKTMETA_F_SOCKETS, &c), -EEXIST);
	CHECK(!memcmp(&snap, &reg, sizeof(reg)));
	/* Without the flag it takes a reference, offered or not. */
	CHECK_EQ(pktmeta_registry_register(&reg, "shared", 6, 4, 0, &c),
		 PKTMETA_LAYOUT_SAME);
	CHECK_EQ(c, b);
	CHECK_EQ(pktmeta_registry_register(&reg, "shared", 6, 4,
					   PKTMETA_F_SOCKETS, &c),
		 PKTMETA_LAYOUT_SAME);

	/* The offer goes with the field, not with its slot. */
	CHECK_EQ(pktmeta_registry_unregister(&reg, b), PKTMETA_LAYOUT_SAME);
	CHECK_EQ(pktmeta_registry_unregister(&reg, b), PKTMETA_LAYOUT_SAME);
	CHECK_EQ(pktmeta_registry_unregister(&reg, b), PKTMETA_LAYOUT_CHANGED);
	CHECK(!(reg.layout.sockets & (1ULL << (b & PKTMETA_SLOT_MASK))));
	CHECK_EQ(reg_name("other", 4, &c), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(c & PKTMETA_SLOT_MASK, b & PKTMETA_SLOT_MASK);
	CHECK(!(reg.layout.sockets & (1ULL << (c & PKTMETA_SLOT_MASK))));
}

static void stored_name_is_nul_terminated_and_zero_padded(void)
{
	const struct pktmeta_field *f;
	u32 id, i;

	CHECK_EQ(pktmeta_registry_init(&reg, 64, NO_HINTS), 0);
	/* dirty the slot first: a long name, then free it */
	CHECK_EQ(reg_name("abcdefghijklmnopqrstuvwxyz01234", 1, &id),
		 PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(pktmeta_registry_unregister(&reg, id), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(reg_name("xy", 1, &id), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(id & PKTMETA_SLOT_MASK, 0);
	f = field(id);
	CHECK(f);
	if (!f)
		return;
	CHECK(!memcmp(f->name, "xy", 2));
	for (i = 2; i < PKTMETA_NAME_MAX; i++)
		CHECK_EQ(f->name[i], 0);
}

static void register_takes_the_lowest_free_slot(void)
{
	u32 a, b, c, d;

	CHECK_EQ(pktmeta_registry_init(&reg, 64, ALL_HINTS), 0);
	CHECK_EQ(reg_name("a", 1, &a), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(reg_name("b", 1, &b), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(reg_name("c", 1, &c), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(a & PKTMETA_SLOT_MASK, 3);
	CHECK_EQ(b & PKTMETA_SLOT_MASK, 4);
	CHECK_EQ(c & PKTMETA_SLOT_MASK, 5);
	CHECK_EQ(pktmeta_registry_unregister(&reg, b), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(reg_name("d", 1, &d), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(d & PKTMETA_SLOT_MASK, 4);
	CHECK(d != b);
}

static void fields_are_naturally_aligned_up_to_8(void)
{
	static const u32 sizes[] = { 1, 3, 2, 5, 4, 6, 8, 7, 12, 16, 24, 10 };
	const struct pktmeta_field *f;
	char name[8];
	u32 i, id;

	CHECK_EQ(pktmeta_registry_init(&reg, 128, NO_HINTS), 0);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		snprintf(name, sizeof(name), "f%u", i);
		CHECK_EQ(reg_name(name, sizes[i], &id), PKTMETA_LAYOUT_CHANGED);
		f = field(id);
		CHECK(f);
		if (f)
			CHECK_EQ(f->offset % natural_align(sizes[i]), 0);
	}
}

static void alignment_is_lowest_set_bit_of_size(void)
{
	u32 a, b, c, d;

	CHECK_EQ(pktmeta_registry_init(&reg, 64, NO_HINTS), 0);
	CHECK_EQ(reg_name("a", 1, &a), PKTMETA_LAYOUT_CHANGED);	/* 0..1 */
	CHECK_EQ(reg_name("b", 6, &b), PKTMETA_LAYOUT_CHANGED);	/* 2..8 */
	CHECK_EQ(reg_name("c", 12, &c), PKTMETA_LAYOUT_CHANGED);	/* 8..20 */
	CHECK_EQ(reg_name("d", 16, &d), PKTMETA_LAYOUT_CHANGED);	/* 24..40 */
	CHECK_EQ(offset_of(a), 0);
	CHECK_EQ(offset_of(b), 2);
	CHECK_EQ(offset_of(c), 8);
	CHECK_EQ(offset_of(d), 24);	/* aligned to 8, not 16 */
}

static void freed_hole_is_reused_first_fit(void)
{
	u32 a, b, c, d, e;

	CHECK_EQ(pktmeta_registry_init(&reg, 32, NO_HINTS), 0);
	CHECK_EQ(reg_name("a", 8, &a), PKTMETA_LAYOUT_CHANGED);	/* 0..8 */
	CHECK_EQ(reg_name("b", 8, &b), PKTMETA_LAYOUT_CHANGED);	/* 8..16 */
	CHECK_EQ(reg_name("c", 8, &c), PKTMETA_LAYOUT_CHANGED);	/* 16..24 */
	CHECK_EQ(pktmeta_registry_unregister(&reg, b), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(reg_name("d", 4, &d), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(offset_of(d), 8);
	CHECK_EQ(reg_name("e", 4, &e), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(offset_of(e), 12);
	CHECK_EQ(offset_of(c), 16);
}

static void first_fit_takes_lowest_hole_even_if_larger(void)
{
	u32 a, b, c, d, e, f;

	/* a 0..8, b 8..16, c 16..20, d 20..24; free a (8 bytes) and d (4) */
	CHECK_EQ(pktmeta_registry_init(&reg, 24, NO_HINTS), 0);
	CHECK_EQ(reg_name("a", 8, &a), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(reg_name("b", 8, &b), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(reg_name("c", 4, &c), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(reg_name("d", 4, &d), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(offset_of(d), 20);
	CHECK_EQ(pktmeta_registry_unregister(&reg, a), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(pktmeta_registry_unregister(&reg, d), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(reg_name("e", 4, &e), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(offset_of(e), 0);
	CHECK_EQ(reg_name("f", 4, &f), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(offset_of(f), 4);
}

static void adjacent_holes_merge(void)
{
	u32 a, b, c, d;

	CHECK_EQ(pktmeta_registry_init(&reg, 16, NO_HINTS), 0);
	CHECK_EQ(reg_name("a", 4, &a), PKTMETA_LAYOUT_CHANGED);	/* 0..4 */
	CHECK_EQ(reg_name("b", 4, &b), PKTMETA_LAYOUT_CHANGED);	/* 4..8 */
	CHECK_EQ(reg_name("c", 8, &c), PKTMETA_LAYOUT_CHANGED);	/* 8..16 */
	CHECK_EQ(pktmeta_registry_unregister(&reg, a), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(pktmeta_registry_unregister(&reg, b), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(reg_name("d", 8, &d), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(offset_of(d), 0);
}

static void misaligned_hole_is_skipped(void)
{
	u32 a, b, c;

	/* a 0..2, b 2..3 free after a: the 8-byte field cannot start at 2 */
	CHECK_EQ(pktmeta_registry_init(&reg, 16, NO_HINTS), 0);
	CHECK_EQ(reg_name("a", 2, &a), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(reg_name("b", 1, &b), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(offset_of(b), 2);
	CHECK_EQ(reg_name("c", 8, &c), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(offset_of(c), 8);
	CHECK_EQ(reg_name("d", 4, &c), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(offset_of(c), 4);
}

static void no_room_returns_enospc_and_changes_nothing(void)
{
	u32 a, b, c = 77;

	CHECK_EQ(pktmeta_registry_init(&reg, 16, NO_HINTS), 0);
	CHECK_EQ(reg_name("a", 1, &a), PKTMETA_LAYOUT_CHANGED);	/* 0..1 */
	CHECK_EQ(reg_name("b", 8, &b), PKTMETA_LAYOUT_CHANGED);	/* 8..16 */
	take_snapshot();
	/* 7 free bytes at 1..8, but an 8-byte field needs 8 aligned ones */
	CHECK_EQ(reg_name("c", 8, &c), -ENOSPC);
	CHECK_EQ(reg_name("c", 16, &c), -ENOSPC);
	CHECK(unchanged());
	CHECK_EQ(c, 77);
	CHECK_EQ(reg_name("c", 2, &c), PKTMETA_LAYOUT_CHANGED);	/* 2..4 */
	CHECK_EQ(offset_of(c), 2);
	take_snapshot();
	CHECK_EQ(reg_name("d", 5, &c), -ENOSPC);	/* 4..8 is the largest hole */
	CHECK(unchanged());
	CHECK_EQ(reg_name("d", 4, &c), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(offset_of(c), 4);
	take_snapshot();
	CHECK_EQ(reg_name("e", 2, &c), -ENOSPC);	/* only 1..2 is left */
	CHECK(unchanged());
	CHECK_EQ(reg_name("e", 1, &c), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(offset_of(c), 1);
}

static void no_free_slot_returns_enospc_and_changes_nothing(void)
{
	char name[8];
	u32 i, id, first = 0;

	CHECK_EQ(pktmeta_registry_init(&reg, 128, ALL_HINTS), 0);
	for (i = PKTMETA_NR_HINTS; i < PKTMETA_MAX_FIELDS; i++) {
		snprintf(name, sizeof(name), "f%u", i);
		CHECK_EQ(reg_name(name, 1, &id), PKTMETA_LAYOUT_CHANGED);
		if (i == PKTMETA_NR_HINTS)
			first = id;
	}
	CHECK_EQ(reg.layout.live, ~0ULL);
	take_snapshot();
	CHECK_EQ(reg_name("more", 1, &id), -ENOSPC);
	CHECK(unchanged());
	/* an existing name still gets a reference */
	CHECK_EQ(reg_name("f3", 1, &id), PKTMETA_LAYOUT_SAME);
	CHECK_EQ(id, first);
	CHECK_EQ(pktmeta_registry_unregister(&reg, id), PKTMETA_LAYOUT_SAME);
	CHECK_EQ(pktmeta_registry_unregister(&reg, id), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(reg_name("more", 1, &id), PKTMETA_LAYOUT_CHANGED);
}

static void ref_count_overflow_is_refused(void)
{
	u32 a, b;

	CHECK_EQ(pktmeta_registry_init(&reg, 64, NO_HINTS), 0);
	CHECK_EQ(reg_name("a", 4, &a), PKTMETA_LAYOUT_CHANGED);
	reg.refs[a & PKTMETA_SLOT_MASK] = 0xffffffffU;
	take_snapshot();
	CHECK_EQ(reg_name("a", 4, &b), -EOVERFLOW);
	CHECK(unchanged());
}

/* ---- unregister ---- */

static void unregister_unknown_id_returns_enoent(void)
{
	u32 id;

	CHECK_EQ(pktmeta_registry_init(&reg, 64, ALL_HINTS), 0);
	CHECK_EQ(reg_name("a", 4, &id), PKTMETA_LAYOUT_CHANGED);
	take_snapshot();
	CHECK_EQ(pktmeta_registry_unregister(&reg, 10), -ENOENT);
	CHECK_EQ(pktmeta_registry_unregister(&reg, id + (1 << PKTMETA_ID_SLOT_BITS)),
		 -ENOENT);
	CHECK_EQ(pktmeta_registry_unregister(&reg, 0xffffffffU), -ENOENT);
	CHECK(unchanged());
}

static void unregister_hint_returns_eperm(void)
{
	u32 h, id;

	CHECK_EQ(pktmeta_registry_init(&reg, 64, ALL_HINTS), 0);
	CHECK_EQ(reg_name(PKTMETA_HINT_RX_VLAN_NAME, 4, &id), PKTMETA_LAYOUT_SAME);
	take_snapshot();
	for (h = 0; h < PKTMETA_NR_HINTS; h++)
		CHECK_EQ(pktmeta_registry_unregister(&reg, h), -EPERM);
	CHECK(unchanged());
}

static void unregister_with_refs_left_returns_same(void)
{
	struct pktmeta_layout before;
	u32 a;

	CHECK_EQ(pktmeta_registry_init(&reg, 64, NO_HINTS), 0);
	CHECK_EQ(reg_name("a", 4, &a), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(reg_name("a", 4, &a), PKTMETA_LAYOUT_SAME);
	CHECK_EQ(reg_name("a", 4, &a), PKTMETA_LAYOUT_SAME);
	memcpy(&before, &reg.layout, sizeof(before));
	CHECK_EQ(pktmeta_registry_unregister(&reg, a), PKTMETA_LAYOUT_SAME);
	CHECK_EQ(pktmeta_registry_unregister(&reg, a), PKTMETA_LAYOUT_SAME);
	CHECK(!memcmp(&before, &reg.layout, sizeof(before)));
	CHECK_EQ(reg.refs[a & PKTMETA_SLOT_MASK], 1);
	CHECK_EQ(pktmeta_registry_unregister(&reg, a), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(pktmeta_registry_unregister(&reg, a), -ENOENT);
}

static void unregister_last_ref_frees_the_field_and_gives_it_the_dead_id(void)
{
	struct pktmeta_field dead;
	u32 a, slot;

	CHECK_EQ(pktmeta_registry_init(&reg, 64, NO_HINTS), 0);
	CHECK_EQ(reg_name("abc", 4, &a), PKTMETA_LAYOUT_CHANGED);
	slot = a & PKTMETA_SLOT_MASK;
	CHECK_EQ(pktmeta_registry_unregister(&reg, a), PKTMETA_LAYOUT_CHANGED);
	CHECK(!(reg.layout.live & (1ULL << slot)));
	memset(&dead, 0, sizeof(dead));
	dead.id = PKTMETA_ID_DEAD(slot);
	CHECK(!memcmp(&reg.layout.fields[slot], &dead, sizeof(dead)));
	CHECK(!pktmeta_layout_field(&reg.layout, a));
	CHECK(!pktmeta_layout_field(&reg.layout, slot));
	CHECK_EQ(reg.refs[slot], 0);
	CHECK_EQ(lookup("abc", &a), -ENOENT);
}

static void unregistered_id_is_never_handed_out_again(void)
{
	u32 ids[200], i, j;

	CHECK_EQ(pktmeta_registry_init(&reg, 64, ALL_HINTS), 0);
	for (i = 0; i < 200; i++) {
		CHECK_EQ(reg_name(i & 1 ? "odd" : "even", 1 + i % 8, &ids[i]),
			 PKTMETA_LAYOUT_CHANGED);
		CHECK_EQ(pktmeta_registry_unregister(&reg, ids[i]),
			 PKTMETA_LAYOUT_CHANGED);
		for (j = 0; j < i; j++)
			CHECK(ids[j] != ids[i]);
		if (test_failed)
			return;
	}
}

static void stale_id_finds_no_field(void)
{
	u32 a, b;

	CHECK_EQ(pktmeta_registry_init(&reg, 64, NO_HINTS), 0);
	CHECK_EQ(reg_name("a", 4, &a), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(pktmeta_registry_unregister(&reg, a), PKTMETA_LAYOUT_CHANGED);
	CHECK(!field(a));
	/* the slot is reused by another field: the old id still finds nothing */
	CHECK_EQ(reg_name("b", 4, &b), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(a & PKTMETA_SLOT_MASK, b & PKTMETA_SLOT_MASK);
	CHECK(a != b);
	CHECK(!field(a));
	CHECK(field(b));
	/* and it cannot drop a reference on the new field */
	take_snapshot();
	CHECK_EQ(pktmeta_registry_unregister(&reg, a), -ENOENT);
	CHECK(unchanged());
}

static void same_name_after_unregister_gets_a_new_id(void)
{
	u32 a, b;

	CHECK_EQ(pktmeta_registry_init(&reg, 64, NO_HINTS), 0);
	CHECK_EQ(reg_name("a", 4, &a), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(pktmeta_registry_unregister(&reg, a), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(reg_name("a", 4, &b), PKTMETA_LAYOUT_CHANGED);
	CHECK(a != b);
	CHECK_EQ(born_of(b), 2);
}

static void slot_at_max_generation_is_used_then_retired(void)
{
	u32 a, b, slot = PKTMETA_NR_HINTS;

	CHECK_EQ(pktmeta_registry_init(&reg, 64, ALL_HINTS), 0);
	reg.slot_gen[slot] = PKTMETA_SLOT_GEN_MAX;
	CHECK_EQ(reg_name("a", 4, &a), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(a, (PKTMETA_SLOT_GEN_MAX << PKTMETA_ID_SLOT_BITS) | slot);
	CHECK(field(a));
	CHECK_EQ(pktmeta_registry_unregister(&reg, a), PKTMETA_LAYOUT_CHANGED);
	CHECK(reg.slot_gen[slot] > PKTMETA_SLOT_GEN_MAX);
	CHECK_EQ(reg_name("b", 4, &b), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(b & PKTMETA_SLOT_MASK, slot + 1);
	CHECK(!(reg.layout.live & (1ULL << slot)));
}

static void all_slots_retired_returns_enospc(void)
{
	u32 i, id;

	CHECK_EQ(pktmeta_registry_init(&reg, 64, NO_HINTS), 0);
	for (i = 0; i < PKTMETA_MAX_FIELDS; i++)
		reg.slot_gen[i] = PKTMETA_SLOT_GEN_MAX + 1;
	take_snapshot();
	CHECK_EQ(reg_name("a", 4, &id), -ENOSPC);
	CHECK(unchanged());
}

/* ---- lookup and layout_field ---- */

static void lookup_finds_live_field_without_taking_a_ref(void)
{
	u32 a, b = 0;

	CHECK_EQ(pktmeta_registry_init(&reg, 64, ALL_HINTS), 0);
	CHECK_EQ(reg_name("foo.bar", 4, &a), PKTMETA_LAYOUT_CHANGED);
	take_snapshot();
	CHECK_EQ(lookup("foo.bar", &b), 0);
	CHECK_EQ(a, b);
	CHECK(unchanged());
}

static void lookup_unknown_name_returns_enoent(void)
{
	u32 a, b = 5;

	CHECK_EQ(pktmeta_registry_init(&reg, 64, NO_HINTS), 0);
	CHECK_EQ(reg_name("abc", 4, &a), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(lookup("ab", &b), -ENOENT);
	CHECK_EQ(lookup("abcd", &b), -ENOENT);
	CHECK_EQ(lookup("xyz", &b), -ENOENT);
	CHECK_EQ(b, 5);
	CHECK_EQ(pktmeta_registry_unregister(&reg, a), PKTMETA_LAYOUT_CHANGED);
	CHECK_EQ(lookup("abc", &b), -ENOENT);
}

static void lookup_bad_name_returns_einval(void)
{
	u32 b;

	CHECK_EQ(pktmeta_registry_init(&reg, 64, ALL_HINTS), 0);
	CHECK_EQ(lookup("", &b), -EINVAL);
	CHECK_EQ(lookup("RX_HASH", &b), -EINVAL);
	CHECK_EQ(pktmeta_layout_lookup(&reg.layout, "rx_hash\0", 8, &b), -EINVAL);
	CHECK_EQ(lookup("abcdefghijklmnopqrstuvwxyz012345", &b), -EINVAL);
}

static void layout_field_returns_null_for_ids_never_registered(void)
{
	u32 a, i;

	CHECK_EQ(pktmeta_registry_init(&reg, 64, ALL_HINTS), 0);
	CHECK_EQ(reg_name("a", 4, &a), PKTMETA_LAYOUT_CHANGED);
	CHECK(field(a));
	for (i = 0; i < 1000; i++) {
		u32 id = i * 2654435761U;

		if (id != a && id >= PKTMETA_NR_HINTS)
			CHECK(!field(id));
	}
	CHECK(!field(a | (1U << PKTMETA_ID_SLOT_BITS)));
	CHECK(!field(PKTMETA_NR_HINTS + 1));
}

static void born_never_exceeds_generation(void)
{
	char name[8];
	u32 i, id, s;

	CHECK_EQ(pktmeta_registry_init(&reg, 128, ALL_HINTS), 0);
	for (i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "f%u", i % 20);
		pktmeta_registry_register(&reg, name, strlen(name), 1 + i % 9, 0,
					  &id);
		if (i % 3 == 0)
			pktmeta_registry_unregister(&reg, id);
		for (s = 0; s < PKTMETA_MAX_FIELDS; s++)
			if (reg.layout.live & (1ULL << s))
				CHECK(reg.layout.fields[s].born <=
				      reg.layout.generation);
		if (test_failed)
			return;
	}
}

/* The datapath's keys follow fields in and out of their slots. */
static void keys_follow_registration_and_unregistration(void)
{
	const struct pktmeta_key *k;
	u32 a, b, i, named = 0;

	CHECK_EQ(pktmeta_registry_init(&reg, 128, ALL_HINTS), 0);
	CHECK_EQ(reg.layout.keys[PKTMETA_HINT_RX_HASH].id, PKTMETA_HINT_RX_HASH);
	CHECK(pktmeta_registry_register(&reg, "a", 1, 8, 0, &a) > 0);
	k = pktmeta_layout_key(&reg.layout, a);
	CHECK_EQ(k->id, a);
	CHECK_EQ(k->offset, field(a)->offset);
	CHECK_EQ(k->size, 8);

	/* The slot again, one generation on: the old key names nothing. */
	CHECK(pktmeta_registry_unregister(&reg, a) > 0);
	CHECK_EQ(k->id, ~PKTMETA_KEY_INDEX(a));
	CHECK(pktmeta_registry_register(&reg, "b", 1, 4, 0, &b) > 0);
	CHECK_EQ(b & PKTMETA_SLOT_MASK, a & PKTMETA_SLOT_MASK);
	CHECK(pktmeta_layout_key(&reg.layout, a)->id != a);
	CHECK_EQ(pktmeta_layout_key(&reg.layout, b)->id, b);
	CHECK_EQ(pktmeta_layout_key(&reg.layout, b)->size, 4);

	/* The three hints and b: four keys, all others name nothing. */
	for (i = 0; i < PKTMETA_NR_KEYS; i++)
		if (reg.layout.keys[i].id != ~i)
			named++;
	CHECK_EQ(named, PKTMETA_NR_HINTS + 1);
}

struct test {
	const char *name;
	void (*fn)(void);
};

#define T(fn) { #fn, fn }

static const struct test tests[] = {
	T(name_valid_accepts_lowercase_digits_and_punctuation),
	T(name_valid_accepts_lengths_1_to_31_only),
	T(name_valid_rejects_other_characters),
	T(name_valid_rejects_nul_inside_length),
	T(name_valid_rejects_null_pointer),
	T(init_rejects_capacity_zero_and_above_max),
	T(init_accepts_capacity_one_and_max),
	T(init_rejects_capacity_too_small_for_enabled_hints),
	T(init_rejects_unknown_hint_bits),
	T(init_failure_leaves_registry_unchanged),
	T(init_forgets_previous_fields),
	T(init_with_all_hints_creates_them_at_fixed_ids),
	T(init_without_hints_has_empty_layout),
	T(disabled_hint_slot_goes_to_a_user_field_with_another_id),
	T(disabled_hint_frees_its_bytes),
	T(hint_ids_are_never_given_to_user_fields),
	T(register_new_field_returns_changed_with_one_ref),
	T(new_field_is_born_in_the_next_generation),
	T(generation_does_not_change_on_ref_or_unregister),
	T(same_name_same_size_returns_same_id),
	T(same_name_other_size_returns_eexist),
	T(register_hint_name_takes_a_ref_on_the_hint),
	T(register_name_of_disabled_hint_is_an_ordinary_field),
	T(register_rejects_bad_name_or_size_with_einval),
	T(register_accepts_31_char_name_and_size_equal_to_capacity),
	T(register_uses_only_len_bytes_of_the_name),
	T(only_the_creator_offers_a_field_to_sockets),
	T(stored_name_is_nul_terminated_and_zero_padded),
	T(register_takes_the_lowest_free_slot),
	T(fields_are_naturally_aligned_up_to_8),
	T(alignment_is_lowest_set_bit_of_size),
	T(freed_hole_is_reused_first_fit),
	T(first_fit_takes_lowest_hole_even_if_larger),
	T(adjacent_holes_merge),
	T(misaligned_hole_is_skipped),
	T(no_room_returns_enospc_and_changes_nothing),
	T(no_free_slot_returns_enospc_and_changes_nothing),
	T(ref_count_overflow_is_refused),
	T(unregister_unknown_id_returns_enoent),
	T(unregister_hint_returns_eperm),
	T(unregister_with_refs_left_returns_same),
	T(unregister_last_ref_frees_the_field_and_gives_it_the_dead_id),
	T(unregistered_id_is_never_handed_out_again),
	T(stale_id_finds_no_field),
	T(same_name_after_unregister_gets_a_new_id),
	T(slot_at_max_generation_is_used_then_retired),
	T(all_slots_retired_returns_enospc),
	T(lookup_finds_live_field_without_taking_a_ref),
	T(lookup_unknown_name_returns_enoent),
	T(lookup_bad_name_returns_einval),
	T(layout_field_returns_null_for_ids_never_registered),
	T(born_never_exceeds_generation),
	T(keys_follow_registration_and_unregistration),
};

int main(void)
{
	unsigned int i, n = ARRAY_SIZE(tests), failed = 0;

	for (i = 0; i < n; i++) {
		test_failed = 0;
		memset(&reg, 0xa5, sizeof(reg));	/* init must clear it all */
		tests[i].fn();
		if (test_failed)
			failed++;
	}
	printf("%u passed, %u failed\n", n - failed, failed);
	return failed ? 1 : 0;
}
