// SPDX-License-Identifier: GPL-2.0
/*
 * libpktmeta: reading the control message of the fields a socket asked for
 * (pktmeta_socket_request()), as recvmsg() returned it, and the records of
 * a connection's SYN (pktmeta_socket_syn()): level
 * PKTMETA_CMSG_LEVEL, type PKTMETA_CMSG_FIELDS, data a sequence of
 * struct pktmeta_rec and values (include/uapi/linux/pktmeta.h). Reads stay
 * within the message's cmsg_len, whatever the records say.
 */
#include <errno.h>
#include <string.h>
#include "pktmeta.h"

int pktmeta_recs_begin(const void *recs, size_t len, struct pktmeta_rec_iter *it)
{
	const __u8 *p = recs, *end = p + len;
	struct pktmeta_rec rec;
	int n = 0;

	memset(it, 0, sizeof(*it));
	/* Every record must lie whole within the data. */
	while (p != end) {
		if ((size_t)(end - p) < sizeof(rec))
			return -EBADMSG;
		memcpy(&rec, p, sizeof(rec));
		if (!rec.size || (size_t)(end - p) < PKTMETA_REC_LEN(rec.size))
			return -EBADMSG;
		p += PKTMETA_REC_LEN(rec.size);
		n++;
	}
	it->pos = recs;
	it->end = end;
	return n;
}

int pktmeta_cmsg_begin(const struct msghdr *msg, struct pktmeta_rec_iter *it)
{
	const struct cmsghdr *c;

	memset(it, 0, sizeof(*it));
	for (c = CMSG_FIRSTHDR((struct msghdr *)msg); c;
	     c = CMSG_NXTHDR((struct msghdr *)msg, (struct cmsghdr *)c)) {
		if (c->cmsg_level == PKTMETA_CMSG_LEVEL &&
		    c->cmsg_type == PKTMETA_CMSG_FIELDS)
			break;
	}
	/* Any message may have been cut, pktmeta's among them. */
	if (msg->msg_flags & MSG_CTRUNC)
		return -EMSGSIZE;
	if (!c)
		return -ENODATA;
	if (c->cmsg_len < CMSG_LEN(0))
		return -EBADMSG;
	return pktmeta_recs_begin(CMSG_DATA(c), c->cmsg_len - CMSG_LEN(0), it);
}

bool pktmeta_rec_next(struct pktmeta_rec_iter *it,
		       struct pktmeta_rec_field *f)
{
	struct pktmeta_rec rec;

	if (it->pos == it->end)
		return false;
	memcpy(&rec, it->pos, sizeof(rec));
	f->id = rec.id;
	f->size = rec.size;
	f->value = it->pos + sizeof(rec);
	it->pos += PKTMETA_REC_LEN(rec.size);
	return true;
}

int pktmeta_cmsg_field(const struct msghdr *msg, __u32 id, void *buf,
		       size_t size)
{
	struct pktmeta_rec_iter it;
	struct pktmeta_rec_field f;
	int err;

	memset(buf, 0, size);
	err = pktmeta_cmsg_begin(msg, &it);
	if (err < 0)
		return err;
	while (pktmeta_rec_next(&it, &f)) {
		if (f.id != id)
			continue;
		if (f.size != size)
			return -EINVAL;
		memcpy(buf, f.value, size);
		return 0;
	}
	return -ENOENT;
}
