// SPDX-License-Identifier: GPL-2.0
/*
 * libpktmeta: fields declared in BPF objects (PKTMETA_FIELD() in
 * include/pktmeta.bpf.h).
 *
 * A declaration puts two variables in the object's .rodata:
 * pktmeta_decl_<ident> (struct pktmeta_field_decl: name and size) and
 * pktmeta_id_<ident> (__u32). The object's BTF gives their offsets in the
 * .rodata section; before load, the section's initial image is read, the
 * ids are written in and the image is given back to libbpf.
 *
 * Kept in its own file so that users of the netlink API alone do not link
 * libbpf.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "pktmeta.h"
#include "pktmeta_int.h"

#define DECL_PREFIX	"pktmeta_decl_"
#define ID_PREFIX	"pktmeta_id_"

/* A copy of @obj's .rodata image and where its variables are. */
struct pktmeta_rodata {
	struct bpf_map *map;
	const struct btf *btf;
	const struct btf_type *sec;
	void *data;
	size_t size;
};

static int pktmeta_rodata_get(struct pktmeta *pm, struct bpf_object *obj,
			      struct pktmeta_rodata *ro)
{
	const void *init;
	__s32 sec_id;

	memset(ro, 0, sizeof(*ro));
	ro->btf = bpf_object__btf(obj);
	ro->map = bpf_object__find_map_by_name(obj, ".rodata");
	if (!ro->btf || !ro->map)
		return 0;	/* no .rodata, or no BTF: no declarations */
	sec_id = btf__find_by_name_kind(ro->btf, ".rodata", BTF_KIND_DATASEC);
	if (sec_id < 0)
		return 0;
	ro->sec = btf__type_by_id(ro->btf, sec_id);
	init = bpf_map__initial_value(ro->map, &ro->size);
	if (!init) {
		pktmeta_set_errmsg(pm, "cannot read the object's .rodata");
		return -EINVAL;
	}
	ro->data = malloc(ro->size);
	if (!ro->data)
		return -ENOMEM;
	memcpy(ro->data, init, ro->size);
	return 0;
}

/* The variable called @prefix@ident in .rodata: its secinfo, or NULL. */
static const struct btf_var_secinfo *
pktmeta_rodata_var(const struct pktmeta_rodata *ro, const char *prefix,
		   const char *ident)
{
	const struct btf_var_secinfo *v = btf_var_secinfos(ro->sec);
	size_t plen = strlen(prefix);
	int i;

	for (i = 0; i < btf_vlen(ro->sec); i++, v++) {
		const struct btf_type *t = btf__type_by_id(ro->btf, v->type);
		const char *name = btf__name_by_offset(ro->btf, t->name_off);

		if (name && !strncmp(name, prefix, plen) &&
		    !strcmp(name + plen, ident))
			return v;
	}
	return NULL;
}

/*
 * Call @fn for each declaration of @ro, with its record and the id
 * variable; stops at the first error.
 */
static int pktmeta_for_each_decl(struct pktmeta *pm, struct pktmeta_rodata *ro,
				 int (*fn)(struct pktmeta *pm,
					   const struct pktmeta_field_decl *d,
					   __u32 *id, void *arg),
				 void *arg)
{
	const struct btf_var_secinfo *v;
	int i, n = 0, err;

	if (!ro->sec)
		return 0;
	v = btf_var_secinfos(ro->sec);
	for (i = 0; i < btf_vlen(ro->sec); i++, v++) {
		const struct btf_type *t = btf__type_by_id(ro->btf, v->type);
		const char *name = btf__name_by_offset(ro->btf, t->name_off);
		const struct btf_var_secinfo *idv;
		struct pktmeta_field_decl d;

		if (!name || strncmp(name, DECL_PREFIX, strlen(DECL_PREFIX)))
			continue;
		idv = pktmeta_rodata_var(ro, ID_PREFIX, name + strlen(DECL_PREFIX));
		if (v->size != sizeof(d) || v->offset + sizeof(d) > ro->size ||
		    !idv || idv->size != sizeof(__u32) ||
		    idv->offset + sizeof(__u32) > ro->size) {
			pktmeta_set_errmsg(pm, "malformed field declaration %s", name);
			return -EINVAL;
		}
		memcpy(&d, (char *)ro->data + v->offset, sizeof(d));
		if (!memchr(d.name, '\0', sizeof(d.name))) {
			pktmeta_set_errmsg(pm, "malformed field declaration %s", name);
			return -EINVAL;
		}
		err = fn(pm, &d, (__u32 *)((char *)ro->data + idv->offset), arg);
		if (err)
			return err;
		n++;
	}
	return n;
}

static int pktmeta_decl_register(struct pktmeta *pm,
				 const struct pktmeta_field_decl *d, __u32 *id,
				 void *arg)
{
	__u32 flags = *(__u32 *)arg;
	long long ret = pktmeta_register(pm, d->name, d->size, flags, NULL);

	if (ret < 0) {
		char msg[sizeof(((struct pktmeta_field_decl *)0)->name) + 256];

		snprintf(msg, sizeof(msg), "field %s (%u bytes): %s", d->name,
			 d->size, pktmeta_errmsg(pm));
		pktmeta_set_errmsg(pm, "%s", msg);
		return ret;
	}
	*id = ret;
	return 0;
}

static int pktmeta_decl_unregister(struct pktmeta *pm,
				   const struct pktmeta_field_decl *d,
				   __u32 *id, void *arg)
{
	int *first = arg, err;

	(void)d;
	if (*id == PKTMETA_ID_NONE)
		return 0;
	err = pktmeta_unregister(pm, *id);
	if (err && !*first)
		*first = err;
	*id = PKTMETA_ID_NONE;
	return 0;
}

int pktmeta_bpf_object_register(struct pktmeta *pm, struct bpf_object *obj,
				__u32 flags)
{
	struct pktmeta_rodata ro;
	int n, err, ignored = 0;

	err = pktmeta_rodata_get(pm, obj, &ro);
	if (err)
		return err;
	n = pktmeta_for_each_decl(pm, &ro, pktmeta_decl_register, &flags);
	if (n < 0) {
		/* Undo: ids written so far are exactly those registered. */
		char msg[256];

		snprintf(msg, sizeof(msg), "%s", pktmeta_errmsg(pm));
		pktmeta_for_each_decl(pm, &ro, pktmeta_decl_unregister, &ignored);
		pktmeta_set_errmsg(pm, "%s", msg);
		free(ro.data);
		return n;
	}
	if (n > 0) {
		err = bpf_map__set_initial_value(ro.map, ro.data, ro.size);
		if (err) {
			pktmeta_for_each_decl(pm, &ro, pktmeta_decl_unregister,
					      &ignored);
			pktmeta_set_errmsg(pm, "the object is already loaded");
			n = -EBUSY;
		}
	}
	free(ro.data);
	return n;
}

int pktmeta_bpf_object_unregister(struct pktmeta *pm, struct bpf_object *obj)
{
	struct pktmeta_rodata ro;
	int first = 0, n;

	n = pktmeta_rodata_get(pm, obj, &ro);
	if (n)
		return n;
	n = pktmeta_for_each_decl(pm, &ro, pktmeta_decl_unregister, &first);
	free(ro.data);
	return n < 0 ? n : first;
}
