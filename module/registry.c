// SPDX-License-Identifier: GPL-2.0
/*
 * pktmeta registry: field names, ids, sizes and offsets.
 *
 * Pure logic: no allocation, no locking (the caller serialises writers), no
 * kernel dependency beyond a few headers, so that tests/unit and tests/fuzz
 * build this file in userspace.
 *
 * Placement: a field's value is naturally aligned (to the lowest set bit of
 * its size, at most PKTMETA_FIELD_ALIGN_MAX) at the lowest offset where it
 * fits between the live fields and below the capacity (first fit).
 *
 * Ids: (slot generation << PKTMETA_ID_SLOT_BITS) | slot. The generation of a
 * slot grows each time a field in it dies, and a slot whose generation passed
 * PKTMETA_SLOT_GEN_MAX is retired, so an id is never handed out twice.
 */
#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <string.h>
#define U32_MAX		UINT32_MAX
#endif

#include "registry.h"

struct pktmeta_hint_desc {
	const char *name;
	u32 size;
};

static const struct pktmeta_hint_desc pktmeta_hints[PKTMETA_NR_HINTS] = {
	[PKTMETA_HINT_RX_HASH] = {
		.name = PKTMETA_HINT_RX_HASH_NAME,
		.size = sizeof(struct pktmeta_rx_hash),
	},
	[PKTMETA_HINT_RX_VLAN] = {
		.name = PKTMETA_HINT_RX_VLAN_NAME,
		.size = sizeof(struct pktmeta_rx_vlan),
	},
	[PKTMETA_HINT_RX_TIMESTAMP] = {
		.name = PKTMETA_HINT_RX_TIMESTAMP_NAME,
		.size = sizeof(__u64),
	},
};

#define PKTMETA_HINTS_ALL	((1U << PKTMETA_NR_HINTS) - 1)

/**
 * pktmeta_name_valid() - check a field name
 * @name: the name, not necessarily NUL-terminated
 * @len: its length in bytes, without any terminating NUL
 *
 * A valid name has 1..PKTMETA_NAME_MAX-1 characters, each of [a-z0-9_.-]
 * (so no NUL among the first @len bytes).
 *
 * Return: true if the name is valid.
 */
bool pktmeta_name_valid(const char *name, size_t len)
{
	size_t i;

	if (!name || len < 1 || len > PKTMETA_NAME_MAX - 1)
		return false;
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '-'))
			return false;
	}
	return true;
}

/* Natural alignment of a value of @size bytes (@size > 0). */
static u32 pktmeta_align(u32 size)
{
	u32 align = size & -size;

	return align < PKTMETA_FIELD_ALIGN_MAX ? align : PKTMETA_FIELD_ALIGN_MAX;
}

/*
 * Lowest offset aligned for @size at which @size bytes fit below @capacity
 * without overlapping any of the @n extents (@off[i], @len[i]).
 *
 * The lowest such offset is 0 or the end of some extent rounded up to the
 * alignment: if x > 0 fits and x - align does not, the extent that x - align
 * overlaps ends in (x - align, x]. So this is the first fit over the holes of
 * the extents sorted by offset, without having to sort them.
 *
 * Return: the offset, or -ENOSPC.
 */
static int pktmeta_first_fit(const u16 *off, const u16 *len, unsigned int n,
			     u32 capacity, u32 size)
{
	u32 align = pktmeta_align(size);
	u32 best = U32_MAX;
	unsigned int c, i;

	for (c = 0; c <= n; c++) {
		u32 start = 0;

		if (c < n)
			start = ((u32)off[c] + len[c] + align - 1) & ~(align - 1);
		if (start >= best || start + size > capacity)
			continue;
		for (i = 0; i < n; i++) {
			if (start < (u32)off[i] + len[i] && off[i] < start + size)
				break;
		}
		if (i == n)
			best = start;
	}
	return best == U32_MAX ? -ENOSPC : (int)best;
}

static void pktmeta_set_name(struct pktmeta_field *f, const char *name,
			     size_t len)
{
	memset(f->name, 0, sizeof(f->name));
	memcpy(f->name, name, len);
}

/* Point @f's key at it: @f has just come to life. */
static void pktmeta_key_set(struct pktmeta_layout *layout,
			    const struct pktmeta_field *f)
{
	struct pktmeta_key *k = &layout->keys[PKTMETA_KEY_INDEX(f->id)];

	k->id = f->id;
	k->offset = f->offset;
	k->size = f->size;
}

/* Make the key of @id (a field that is dying) name nothing. */
static void pktmeta_key_kill(struct pktmeta_layout *layout, u32 id)
{
	u32 index = PKTMETA_KEY_INDEX(id);

	layout->keys[index] = (struct pktmeta_key){ .id = ~index };
}

/* Whether @f (a live field) is called @name (a valid name of @len bytes). */
static bool pktmeta_name_eq(const struct pktmeta_field *f, const char *name,
			    size_t len)
{
	return !memcmp(f->name, name, len) && f->name[len] == '\0';
}

/* The slot of the live field called @name, or -1. */
static int pktmeta_find_name(const struct pktmeta_layout *layout,
			     const char *name, size_t len)
{
	unsigned int slot;

	for (slot = 0; slot < PKTMETA_MAX_FIELDS; slot++) {
		if ((layout->live & (1ULL << slot)) &&
		    pktmeta_name_eq(&layout->fields[slot], name, len))
			return slot;
	}
	return -1;
}

/**
 * pktmeta_registry_init() - reset a registry to its state at module load
 * @reg: the registry
 * @capacity: bytes of field data per packet area,
 *            1..PKTMETA_MAX_CAPACITY
 * @hints: bitmask of the predefined hint fields to create, bit
 *         PKTMETA_HINT_RX_HASH etc.
 *
 * Zeroes @reg and creates the enabled hint fields in slots 0..2, in that
 * order, placed first fit like any field, with the fixed ids 0..2 (slot
 * generation 0), born 0 and one permanent reference, offered to sockets
 * (a hint is no secret of one program's). The slot of a disabled
 * hint is free for other fields, but its generation starts at 1 so that the
 * hint's fixed id never names another field. The layout generation starts
 * at 0.
 *
 * Return: 0, or -EINVAL if @capacity is out of range, @hints has an unknown
 * bit or the enabled hints do not fit in @capacity; @reg is then unchanged.
 */
int pktmeta_registry_init(struct pktmeta_registry *reg, u32 capacity, u32 hints)
{
	u16 off[PKTMETA_NR_HINTS], len[PKTMETA_NR_HINTS];
	unsigned int h, slot, n = 0;

	if (capacity < 1 || capacity > PKTMETA_MAX_CAPACITY ||
	    (hints & ~PKTMETA_HINTS_ALL))
		return -EINVAL;

	/* Place the hints first, so that a failure leaves @reg unchanged. */
	for (h = 0; h < PKTMETA_NR_HINTS; h++) {
		int o;

		if (!(hints & (1U << h)))
			continue;
		o = pktmeta_first_fit(off, len, n, capacity,
				      pktmeta_hints[h].size);
		if (o < 0)
			return -EINVAL;
		off[n] = o;
		len[n] = pktmeta_hints[h].size;
		n++;
	}

	memset(reg, 0, sizeof(*reg));
	reg->layout.capacity = capacity;
	for (slot = 0; slot < PKTMETA_MAX_FIELDS; slot++)
		reg->layout.fields[slot].id = PKTMETA_ID_DEAD(slot);
	for (h = 0; h < PKTMETA_NR_KEYS; h++)
		pktmeta_key_kill(&reg->layout, h);
	for (h = 0, n = 0; h < PKTMETA_NR_HINTS; h++) {
		struct pktmeta_field *f = &reg->layout.fields[h];

		if (!(hints & (1U << h))) {
			reg->slot_gen[h] = 1;
			continue;
		}
		pktmeta_set_name(f, pktmeta_hints[h].name,
				 strlen(pktmeta_hints[h].name));
		f->id = h;
		f->offset = off[n];
		f->size = len[n];
		f->born = 0;
		pktmeta_key_set(&reg->layout, f);
		reg->refs[h] = 1;
		reg->layout.live |= 1ULL << h;
		reg->layout.sockets |= 1ULL << h;
		n++;
	}
	return 0;
}

/**
 * pktmeta_registry_register() - create a field or take a reference on it
 * @reg: the registry
 * @name: the field's name, not necessarily NUL-terminated
 * @len: length of @name
 * @size: size of the field's value in bytes, 1..capacity
 * @flags: 0 or PKTMETA_F_SOCKETS (other PKTMETA_F_* bits are the caller's
 *         and ignored here)
 * @id: set to the field's id on success
 *
 * If a live field is already called @name and has @size bytes, takes one more
 * reference on it. Otherwise creates the field in the lowest free slot that
 * is not retired, at the lowest naturally aligned offset where it fits, with
 * born set to the new layout generation and one reference, offered to
 * sockets when @flags has PKTMETA_F_SOCKETS. Only the field's creator
 * chooses that: a later registration may not offer a field its creator
 * kept from sockets (asking for PKTMETA_F_SOCKETS then is -EEXIST), and
 * one without the flag takes a reference on an offered field as on any.
 *
 * Return: PKTMETA_LAYOUT_SAME if the field existed, PKTMETA_LAYOUT_CHANGED if
 * it was created, or a negative errno: -EINVAL bad name or size, -EEXIST a
 * field has this name and another size, or is not offered to sockets and
 * @flags asks for it, -ENOSPC no free slot or no room, -EOVERFLOW too many
 * references. On error @reg is unchanged.
 */
int pktmeta_registry_register(struct pktmeta_registry *reg, const char *name,
			      size_t len, u32 size, u32 flags, u32 *id)
{
	struct pktmeta_layout *layout = &reg->layout;
	u16 off[PKTMETA_MAX_FIELDS], lens[PKTMETA_MAX_FIELDS];
	unsigned int slot, i, n = 0;
	struct pktmeta_field *f;
	int found, offset;

	if (!pktmeta_name_valid(name, len) || size < 1 ||
	    size > layout->capacity)
		return -EINVAL;

	found = pktmeta_find_name(layout, name, len);
	if (found >= 0) {
		f = &layout->fields[found];
		if (f->size != size ||
		    ((flags & PKTMETA_F_SOCKETS) &&
		     !(layout->sockets & (1ULL << found))))
			return -EEXIST;
		if (reg->refs[found] == U32_MAX)
			return -EOVERFLOW;
		reg->refs[found]++;
		*id = f->id;
		return PKTMETA_LAYOUT_SAME;
	}

	for (slot = 0; slot < PKTMETA_MAX_FIELDS; slot++) {
		if (!(layout->live & (1ULL << slot)) &&
		    reg->slot_gen[slot] <= PKTMETA_SLOT_GEN_MAX)
			break;
	}
	if (slot == PKTMETA_MAX_FIELDS)
		return -ENOSPC;

	for (i = 0; i < PKTMETA_MAX_FIELDS; i++) {
		if (layout->live & (1ULL << i)) {
			off[n] = layout->fields[i].offset;
			lens[n] = layout->fields[i].size;
			n++;
		}
	}
	offset = pktmeta_first_fit(off, lens, n, layout->capacity, size);
	if (offset < 0)
		return offset;

	/* Nothing has changed so far: from here on, nothing fails. */
	layout->generation++;
	f = &layout->fields[slot];
	pktmeta_set_name(f, name, len);
	f->id = (reg->slot_gen[slot] << PKTMETA_ID_SLOT_BITS) | slot;
	f->offset = offset;
	f->size = size;
	f->born = layout->generation;
	pktmeta_key_set(layout, f);
	reg->refs[slot] = 1;
	layout->live |= 1ULL << slot;
	if (flags & PKTMETA_F_SOCKETS)
		layout->sockets |= 1ULL << slot;
	*id = f->id;
	return PKTMETA_LAYOUT_CHANGED;
}

/**
 * pktmeta_registry_unregister() - drop a reference on a field
 * @reg: the registry
 * @id: the field's id
 *
 * When the last reference goes, the field dies: its slot and bytes are free
 * for later fields, and the slot's generation grows so that @id is never
 * handed out again (a slot whose generation passes PKTMETA_SLOT_GEN_MAX is
 * retired for good).
 *
 * Return: PKTMETA_LAYOUT_SAME if the field still has references,
 * PKTMETA_LAYOUT_CHANGED if it died, -ENOENT if no live field has @id, or
 * -EPERM for a predefined hint field. On error @reg is unchanged.
 */
int pktmeta_registry_unregister(struct pktmeta_registry *reg, u32 id)
{
	struct pktmeta_layout *layout = &reg->layout;
	unsigned int slot = id & PKTMETA_SLOT_MASK;

	if (!pktmeta_layout_field(layout, id))
		return -ENOENT;
	/* Only an enabled hint is live with generation 0 in slots 0..2. */
	if (id < PKTMETA_NR_HINTS)
		return -EPERM;

	if (--reg->refs[slot])
		return PKTMETA_LAYOUT_SAME;

	layout->live &= ~(1ULL << slot);
	layout->sockets &= ~(1ULL << slot);
	memset(&layout->fields[slot], 0, sizeof(layout->fields[slot]));
	layout->fields[slot].id = PKTMETA_ID_DEAD(slot);
	pktmeta_key_kill(layout, id);
	reg->slot_gen[slot]++;
	return PKTMETA_LAYOUT_CHANGED;
}

/**
 * pktmeta_layout_lookup() - find a field by name
 * @layout: a layout
 * @name: the field's name, not necessarily NUL-terminated
 * @len: length of @name
 * @id: set to the field's id on success
 *
 * Takes no reference.
 *
 * Return: 0, -EINVAL for a bad name, or -ENOENT if no live field has that
 * name.
 */
int pktmeta_layout_lookup(const struct pktmeta_layout *layout,
			  const char *name, size_t len, u32 *id)
{
	int slot;

	if (!pktmeta_name_valid(name, len))
		return -EINVAL;
	slot = pktmeta_find_name(layout, name, len);
	if (slot < 0)
		return -ENOENT;
	*id = layout->fields[slot].id;
	return 0;
}
