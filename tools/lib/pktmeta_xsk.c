// SPDX-License-Identifier: GPL-2.0
/*
 * libpktmeta: reading the fields bpf_xdp_pktmeta_export() wrote before a
 * packet's data (the block of struct pktmeta_xsk_hdr,
 * include/uapi/linux/pktmeta.h), as an AF_XDP consumer finds it in a umem
 * frame. Nothing here needs netlink or the module: the block describes
 * itself. Every read stays within the @room bytes before data that the
 * caller vouches for, whatever those bytes hold.
 */
#include <errno.h>
#include <string.h>
#include "pktmeta.h"

int pktmeta_xsk_begin(const void *data, size_t room, struct pktmeta_xsk_iter *it)
{
	const __u8 *end = data;
	struct pktmeta_xsk_hdr hdr;
	struct pktmeta_rec rec;
	const __u8 *p;
	unsigned int i;

	memset(it, 0, sizeof(*it));
	if (room < sizeof(hdr))
		return -ENODATA;
	memcpy(&hdr, end - sizeof(hdr), sizeof(hdr));
	if (hdr.magic != PKTMETA_XSK_MAGIC)
		return -ENODATA;
	if (hdr.version != PKTMETA_XSK_VERSION)
		return -EPROTONOSUPPORT;
	if (hdr.len < sizeof(hdr) || hdr.len % 4 || hdr.len > PKTMETA_XSK_MAX_LEN ||
	    hdr.len > room)
		return -EBADMSG;

	/* Walk the records once: they must end exactly at the header. */
	p = end - hdr.len;
	for (i = 0; i < hdr.count; i++) {
		if ((size_t)(end - sizeof(hdr) - p) < sizeof(rec))
			return -EBADMSG;
		memcpy(&rec, p, sizeof(rec));
		if (!rec.size ||
		    (size_t)(end - sizeof(hdr) - p) < PKTMETA_REC_LEN(rec.size))
			return -EBADMSG;
		p += PKTMETA_REC_LEN(rec.size);
	}
	if (p != end - sizeof(hdr))
		return -EBADMSG;

	it->pos = end - hdr.len;
	it->left = hdr.count;
	it->len = hdr.len;
	return hdr.count;
}

bool pktmeta_xsk_next(struct pktmeta_xsk_iter *it, struct pktmeta_xsk_field *f)
{
	struct pktmeta_rec rec;

	if (!it->left)
		return false;
	memcpy(&rec, it->pos, sizeof(rec));
	f->id = rec.id;
	f->size = rec.size;
	f->value = it->pos + sizeof(rec);
	it->pos += PKTMETA_REC_LEN(rec.size);
	it->left--;
	return true;
}

int pktmeta_xsk_field(const void *data, size_t room, __u32 id, void *buf,
		      size_t size)
{
	struct pktmeta_xsk_iter it;
	struct pktmeta_xsk_field f;
	int err;

	memset(buf, 0, size);
	err = pktmeta_xsk_begin(data, room, &it);
	if (err < 0)
		return err;
	while (pktmeta_xsk_next(&it, &f)) {
		if (f.id != id)
			continue;
		if (f.size != size)
			return -EINVAL;
		memcpy(buf, f.value, size);
		return 0;
	}
	return -ENOENT;
}

void pktmeta_xsk_clear(void *data)
{
	memset((__u8 *)data - sizeof(struct pktmeta_xsk_hdr), 0,
	       sizeof(struct pktmeta_xsk_hdr));
}
