// SPDX-License-Identifier: GPL-2.0
/*
 * Prototype checks of traced functions against raw BTF (btf_proto.h).
 *
 * The format is the kernel's (include/uapi/linux/btf.h, and
 * Documentation/bpf/btf.rst for the bytes that follow each struct btf_type).
 * Every read is bounds-checked: a blob that does not parse is refused, and
 * so are the probes that would have relied on it.
 */
#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <uapi/linux/btf.h>
#else
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <linux/btf.h>
#endif
#include "btf_proto.h"

/*
 * The header up to the string section: all a blob must have. Newer uapi
 * headers grow struct btf_header (7.x adds a layout section after str_len)
 * while the kernel's own BTF may still carry the 24-byte one: hdr_len says
 * which, and nothing past str_len is read.
 */
#define PKTMETA_BTF_HDR_MIN	(offsetof(struct btf_header, str_len) + sizeof(u32))

/* Modifiers and typedefs followed to reach a pointer or a struct. */
#define PKTMETA_BTF_MAX_CHAIN	16

static u32 btf_kind(const struct btf_type *t)
{
	return (t->info >> 24) & 0x1f;
}

static u32 btf_vlen(const struct btf_type *t)
{
	return t->info & 0xffff;
}

/* Bytes after struct btf_type for @t, or -EINVAL for an unknown kind. */
static long btf_extra(const struct btf_type *t)
{
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
		return 4;
	case BTF_KIND_PTR:
	case BTF_KIND_FWD:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC:
	case BTF_KIND_FLOAT:
	case BTF_KIND_TYPE_TAG:
		return 0;
	case BTF_KIND_ARRAY:
		return sizeof(struct btf_array);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_DATASEC:
	case BTF_KIND_ENUM64:
		return (long)btf_vlen(t) * 12;
	case BTF_KIND_ENUM:
	case BTF_KIND_FUNC_PROTO:
		return (long)btf_vlen(t) * 8;
	}
	return -EINVAL;
}

/**
 * pktmeta_btf_open() - find the sections of a BTF blob
 * @btf: filled in; its types are counted but not indexed yet
 * @data: the blob (as in /sys/kernel/btf/NAME)
 * @len: its length
 * @base: for a module's split BTF, the parsed and indexed vmlinux BTF
 *
 * Return: 0, or -EINVAL when @data is not BTF this code understands.
 */
int pktmeta_btf_open(struct pktmeta_btf *btf, const void *data, size_t len,
		     const struct pktmeta_btf *base)
{
	const struct btf_header *hdr = data;
	const u8 *p = data;
	u32 off = 0;

	memset(btf, 0, sizeof(*btf));
	if (len < PKTMETA_BTF_HDR_MIN || hdr->magic != BTF_MAGIC ||
	    hdr->version != BTF_VERSION || hdr->hdr_len < PKTMETA_BTF_HDR_MIN ||
	    hdr->hdr_len > len ||
	    (u64)hdr->type_off + hdr->type_len > len - hdr->hdr_len ||
	    (u64)hdr->str_off + hdr->str_len > len - hdr->hdr_len)
		return -EINVAL;
	btf->types = p + hdr->hdr_len + hdr->type_off;
	if ((unsigned long)btf->types % 4)	/* every btf_type is 4-aligned */
		return -EINVAL;
	btf->types_len = hdr->type_len;
	btf->strs = (const char *)p + hdr->hdr_len + hdr->str_off;
	btf->strs_len = hdr->str_len;
	btf->base = base;
	btf->first_id = base ? base->first_id + base->nr_types : 1;
	btf->str_base = base ? base->str_base + base->strs_len : 0;

	while (off < btf->types_len) {
		const struct btf_type *t = (const void *)(btf->types + off);
		long extra;

		if (btf->types_len - off < sizeof(*t))
			return -EINVAL;
		extra = btf_extra(t);
		if (extra < 0 || btf->types_len - off - sizeof(*t) < (u64)extra)
			return -EINVAL;
		off += sizeof(*t) + extra;
		btf->nr_types++;
	}
	return 0;
}

/**
 * pktmeta_btf_index() - note where each type of @btf starts
 * @btf: opened by pktmeta_btf_open()
 * @offsets: room for @btf->nr_types offsets, kept by @btf
 *
 * Return: 0.
 */
int pktmeta_btf_index(struct pktmeta_btf *btf, u32 *offsets)
{
	u32 off = 0, i;

	for (i = 0; i < btf->nr_types; i++) {
		const struct btf_type *t = (const void *)(btf->types + off);

		offsets[i] = off;
		off += sizeof(*t) + btf_extra(t);
	}
	btf->offsets = offsets;
	return 0;
}

/* The type of id @id, in @btf or the BTF it continues; NULL for void or none. */
static const struct btf_type *btf_type(const struct pktmeta_btf *btf, u32 id)
{
	while (btf && id < btf->first_id)
		btf = btf->base;
	if (!btf || id - btf->first_id >= btf->nr_types || !btf->offsets)
		return NULL;
	return (const void *)(btf->types + btf->offsets[id - btf->first_id]);
}

/* The string at offset @off, or "" when it lies outside every blob. */
static const char *btf_str(const struct pktmeta_btf *btf, u32 off)
{
	while (btf && off < btf->str_base)
		btf = btf->base;
	if (!btf || off - btf->str_base >= btf->strs_len)
		return "";
	off -= btf->str_base;
	if (!memchr(btf->strs + off, '\0', btf->strs_len - off))
		return "";
	return btf->strs + off;
}

/* @id with modifiers and typedefs stripped: NULL for void or a loop. */
static const struct btf_type *btf_skip_mods(const struct pktmeta_btf *btf,
					    u32 id)
{
	int n;

	for (n = 0; n < PKTMETA_BTF_MAX_CHAIN; n++) {
		const struct btf_type *t = btf_type(btf, id);

		if (!t)
			return NULL;
		switch (btf_kind(t)) {
		case BTF_KIND_TYPEDEF:
		case BTF_KIND_VOLATILE:
		case BTF_KIND_CONST:
		case BTF_KIND_RESTRICT:
		case BTF_KIND_TYPE_TAG:
			id = t->type;
			continue;
		}
		return t;
	}
	return NULL;
}

/* Is type @id a pointer to struct @name? */
static int btf_is_ptr_to(const struct pktmeta_btf *btf, u32 id,
			 const char *name)
{
	const struct btf_type *t = btf_skip_mods(btf, id);

	if (!t || btf_kind(t) != BTF_KIND_PTR)
		return 0;
	t = btf_skip_mods(btf, t->type);
	return t && (btf_kind(t) == BTF_KIND_STRUCT ||
		     (btf_kind(t) == BTF_KIND_FWD && !(t->info >> 31))) &&
	       !strcmp(btf_str(btf, t->name_off), name);
}

/* Does FUNC @fn take what @args say at their positions? */
static int btf_func_matches(const struct pktmeta_btf *btf,
			    const struct btf_type *fn,
			    const struct pktmeta_btf_arg *args)
{
	const struct btf_type *proto = btf_type(btf, fn->type);
	const struct btf_param *params;
	int i;

	if (!proto || btf_kind(proto) != BTF_KIND_FUNC_PROTO)
		return 0;
	params = (const void *)(proto + 1);
	for (i = 0; i < PKTMETA_BTF_MAX_ARGS && args[i].strct; i++) {
		if (args[i].index >= btf_vlen(proto) ||
		    !btf_is_ptr_to(btf, params[args[i].index].type, args[i].strct))
			return 0;
	}
	return 1;
}

/**
 * pktmeta_btf_check_func() - does @func take the arguments a probe reads?
 * @btf: indexed BTF holding the function: vmlinux's, or its module's
 * @func: the function's name
 * @args: the positions the probe reads and the struct each must point to,
 *        ended by an entry whose @strct is NULL (at most
 *        PKTMETA_BTF_MAX_ARGS entries)
 *
 * Every FUNC of that name in @btf must match: ftrace traces all functions
 * of the name.
 *
 * Return: 0 when they match, -ENOENT when @btf has no such function,
 * -EINVAL when one of them takes something else.
 */
int pktmeta_btf_check_func(const struct pktmeta_btf *btf, const char *func,
			   const struct pktmeta_btf_arg *args)
{
	int found = 0;
	u32 i;

	for (i = 0; i < btf->nr_types; i++) {
		const struct btf_type *t = (const void *)(btf->types + btf->offsets[i]);

		if (btf_kind(t) != BTF_KIND_FUNC ||
		    strcmp(btf_str(btf, t->name_off), func))
			continue;
		if (!btf_func_matches(btf, t, args))
			return -EINVAL;
		found = 1;
	}
	return found ? 0 : -ENOENT;
}
