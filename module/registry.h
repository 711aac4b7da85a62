/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pktmeta registry: which fields exist, their ids, sizes and offsets in the
 * per-packet area. Pure logic with no kernel dependency beyond the few types
 * below, so that tests/unit and tests/fuzz build it in userspace.
 *
 * The kernel glue (registry_glue.c) serialises writers with a mutex, runs an
 * operation on the writer's struct pktmeta_registry and, when the operation
 * reports a layout change, publishes a copy of reg->layout through RCU. The
 * datapath reads only published layouts.
 */
#ifndef PKTMETA_REGISTRY_H
#define PKTMETA_REGISTRY_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
#endif

#include "../include/uapi/linux/pktmeta.h"

#define PKTMETA_SLOT_MASK	(PKTMETA_MAX_FIELDS - 1)
/*
 * Largest slot generation: a slot whose generation is used up is retired.
 * One short of the last, so that no field ever gets PKTMETA_ID_NONE.
 */
#define PKTMETA_SLOT_GEN_MAX	((1U << (32 - PKTMETA_ID_SLOT_BITS)) - 2)
#define PKTMETA_FIELD_ALIGN_MAX	8
/*
 * The id a dead slot's field holds: its slot bits name another slot and its
 * generation bits are all ones, past PKTMETA_SLOT_GEN_MAX, so it equals no
 * id a caller can ask for in @slot, and pktmeta_layout_field() needs no look
 * at the live bitmap.
 */
#define PKTMETA_ID_DEAD(slot)	(~(u32)(slot))
/*
 * The datapath's index of a layout (struct pktmeta_key): an id's slot and
 * the two low bits of its slot generation, so that an XDP kfunc finds the
 * key of its id with one byte load of the id (pktmeta_layout_key()).
 */
#define PKTMETA_KEY_BITS	8
#define PKTMETA_NR_KEYS		(1U << PKTMETA_KEY_BITS)
#define PKTMETA_KEY_INDEX(id)	((id) & (PKTMETA_NR_KEYS - 1))

/**
 * struct pktmeta_field - one field of a layout
 * @name: NUL-terminated name, 1..PKTMETA_NAME_MAX-1 chars of [a-z0-9_.-]
 * @id: the field's id; PKTMETA_ID_DEAD(slot) while its slot is dead
 * @offset: byte offset of the value in the area's data
 * @size: value size in bytes
 * @born: layout generation in which the field was created; a packet area
 *        initialised under an older generation cannot hold this field
 */
struct pktmeta_field {
	char name[PKTMETA_NAME_MAX];
	u32 id;
	u16 offset;
	u16 size;
	u64 born;
};

/**
 * struct pktmeta_key - what the datapath needs of a field, in 8 bytes
 * @id: the field's id, or ~index (an id of another index) for a key that
 *      names no field
 * @offset: as the field's
 * @size: as the field's
 *
 * A layout holds each live field's key at PKTMETA_KEY_INDEX() of its id,
 * where no other live field's can be: two live fields never share a slot.
 */
struct pktmeta_key {
	u32 id;
	u16 offset;
	u16 size;
};

/**
 * struct pktmeta_layout - an immutable snapshot of the registry's fields
 * @generation: grows by one for every field created
 * @live: bitmap of slots holding a field
 * @sockets: bitmap of the live slots whose field is offered to sockets
 *           (PKTMETA_F_SOCKETS; the hints always are)
 * @capacity: bytes of field data per packet area
 * @fields: fields indexed by slot (id & PKTMETA_SLOT_MASK)
 * @keys: the live fields' keys indexed by PKTMETA_KEY_INDEX() of their ids,
 *        for the XDP kfuncs' fast path
 */
struct pktmeta_layout {
	u64 generation;
	u64 live;
	u64 sockets;
	u32 capacity;
	struct pktmeta_field fields[PKTMETA_MAX_FIELDS];
	struct pktmeta_key keys[PKTMETA_NR_KEYS];
};

/**
 * struct pktmeta_registry - writer-side state
 * @layout: the writer's working layout
 * @refs: references held on the field of each live slot
 * @slot_gen: generation that the next field created in a slot gets
 */
struct pktmeta_registry {
	struct pktmeta_layout layout;
	u32 refs[PKTMETA_MAX_FIELDS];
	u32 slot_gen[PKTMETA_MAX_FIELDS];
};

/*
 * Results of the writer operations besides negative errnos: whether the
 * layout changed and must be published.
 */
#define PKTMETA_LAYOUT_SAME	0
#define PKTMETA_LAYOUT_CHANGED	1

bool pktmeta_name_valid(const char *name, size_t len);
int pktmeta_registry_init(struct pktmeta_registry *reg, u32 capacity, u32 hints);
int pktmeta_registry_register(struct pktmeta_registry *reg, const char *name,
			      size_t len, u32 size, u32 flags, u32 *id);
int pktmeta_registry_unregister(struct pktmeta_registry *reg, u32 id);
int pktmeta_layout_lookup(const struct pktmeta_layout *layout,
			  const char *name, size_t len, u32 *id);

/**
 * pktmeta_layout_field() - the live field with id @id, or NULL
 * @layout: a published layout
 * @id: a field id
 *
 * Return: the field, or NULL when no live field has that id (never
 * registered, unregistered, or a stale id whose slot was reused).
 */
static inline const struct pktmeta_field *
pktmeta_layout_field(const struct pktmeta_layout *layout, u32 id)
{
	const struct pktmeta_field *f = &layout->fields[id & PKTMETA_SLOT_MASK];

	/* A dead slot's id matches no id of its slot (PKTMETA_ID_DEAD()). */
	return f->id == id ? f : NULL;
}

/**
 * pktmeta_layout_key() - the key of the live field with id @id, if any
 * @layout: a published layout
 * @id: a field id
 *
 * Return: the key at @id's index, whose id equals @id only if the live
 * field it names has @id; the caller compares.
 */
static inline const struct pktmeta_key *
pktmeta_layout_key(const struct pktmeta_layout *layout, u32 id)
{
	return &layout->keys[PKTMETA_KEY_INDEX(id)];
}

#endif /* PKTMETA_REGISTRY_H */
