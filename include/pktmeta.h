/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libpktmeta: the userspace API of pktmeta, over the generic netlink family
 * "pktmeta" (include/uapi/linux/pktmeta.h), built on libnl-genl-3.
 *
 *   cc ... -Iinclude prog.c build/tools/libpktmeta.a \
 *      $(pkg-config --libs libnl-genl-3.0) -lbpf
 *
 * (-lbpf only for pktmeta_bpf_object_register/unregister.)
 *
 * Functions return 0 (or a count) on success and a negative errno on
 * failure; pktmeta_errmsg() then tells what the kernel said. A handle is one
 * netlink socket: use one handle per thread. Changes (register, unregister)
 * need CAP_NET_ADMIN; lookups and dumps are open to every user.
 */
#ifndef __PKTMETA_H
#define __PKTMETA_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <linux/types.h>
#include "uapi/linux/pktmeta.h"

#ifdef __cplusplus
extern "C" {
#endif

struct pktmeta;
struct bpf_object;

/* Counters of kfunc calls, indexed by PKTMETA_STATS_A_* (0 unused). */
#define PKTMETA_NR_STATS	(PKTMETA_STATS_A_EOPNOTSUPP + 1)

/**
 * struct pktmeta_field_info - a field as the kernel reports it
 * @id: the field's id
 * @name: its name
 * @size: value size in bytes
 * @offset: offset of the value in the per-packet area's data
 * @refs: references held on the field
 * @owned_refs: how many of them are bound to a netlink socket
 * @born: layout generation in which the field was created
 * @hint: a predefined driver hint field (fixed id, cannot be unregistered)
 * @sockets: offered to sockets (PKTMETA_F_SOCKETS; the hints are)
 * @stats: kfunc calls on this field, indexed by PKTMETA_STATS_A_*
 */
struct pktmeta_field_info {
	__u32 id;
	char name[PKTMETA_NAME_MAX];
	__u32 size;
	__u32 offset;
	__u32 refs;
	__u32 owned_refs;
	__u64 born;
	bool hint;
	bool sockets;
	__u64 stats[PKTMETA_NR_STATS];
};

/**
 * struct pktmeta_registry_info - the registry as a whole
 * @capacity: bytes of field data per packet
 * @used: bytes taken by live fields
 * @fields: live fields
 * @max_fields: most fields the registry can hold
 * @generation: layout generation (grows with every field created)
 * @unknown_stats: kfunc calls with ids naming no live field, indexed by
 *                 PKTMETA_STATS_A_*
 */
struct pktmeta_registry_info {
	__u32 capacity;
	__u32 used;
	__u32 fields;
	__u32 max_fields;
	__u64 generation;
	__u64 unknown_stats[PKTMETA_NR_STATS];
};

/**
 * pktmeta_open() - connect to the pktmeta generic netlink family
 * @pm: set to the new handle
 *
 * Return: 0; -ENOENT when the family does not exist (the module is not
 * loaded: modprobe pktmeta); -ENOMEM or another socket error.
 */
int pktmeta_open(struct pktmeta **pm);

/**
 * pktmeta_close() - close a handle
 * @pm: the handle, or NULL
 *
 * References registered through @pm with PKTMETA_F_OWNED are dropped.
 */
void pktmeta_close(struct pktmeta *pm);

/**
 * pktmeta_errmsg() - what the kernel said about the last failed request
 * @pm: the handle
 *
 * Return: the extended ack message, or "" when there was none.
 */
const char *pktmeta_errmsg(const struct pktmeta *pm);

/**
 * pktmeta_register() - register a field, or take a reference on it
 * @pm: the handle
 * @name: the field's name, 1..31 characters of [a-z0-9_.-]
 * @size: the value's size in bytes
 * @flags: PKTMETA_F_OWNED (the reference is dropped when @pm closes),
 *         PKTMETA_F_SOCKETS (sockets may ask for the field, if this call
 *         creates it), or 0
 * @info: if not NULL, filled with the field
 *
 * Return: the field's id (>= 0), or -EINVAL (bad name, bad size), -EEXIST
 * (the name is registered with another size, or PKTMETA_F_SOCKETS for a
 * field its creator did not offer), -ENOSPC (no slot or no room), -EPERM
 * (no CAP_NET_ADMIN).
 */
long long pktmeta_register(struct pktmeta *pm, const char *name, __u32 size,
			   __u32 flags, struct pktmeta_field_info *info);

/**
 * pktmeta_unregister() - drop one reference on a field
 * @pm: the handle
 * @id: the field's id
 *
 * A reference owned by @pm's socket on the field is dropped first.
 *
 * Return: 0, -ENOENT (no such field), -EPERM (a hint field, or no
 * CAP_NET_ADMIN).
 */
int pktmeta_unregister(struct pktmeta *pm, __u32 id);

/**
 * pktmeta_unregister_name() - drop one reference on the field called @name
 * @pm: the handle
 * @name: the field's name
 *
 * Return: as pktmeta_unregister(), or -EINVAL for a bad name.
 */
int pktmeta_unregister_name(struct pktmeta *pm, const char *name);

/**
 * pktmeta_lookup() - find a field by name
 * @pm: the handle
 * @name: the field's name
 * @info: if not NULL, filled with the field
 *
 * Return: the field's id (>= 0), or -ENOENT, -EINVAL (bad name).
 */
long long pktmeta_lookup(struct pktmeta *pm, const char *name,
			 struct pktmeta_field_info *info);

/**
 * pktmeta_get() - a field by id
 * @pm: the handle
 * @id: the field's id
 * @info: filled with the field
 *
 * Return: 0 or -ENOENT.
 */
int pktmeta_get(struct pktmeta *pm, __u32 id, struct pktmeta_field_info *info);

/**
 * pktmeta_dump() - call @cb for every field, in slot order
 * @pm: the handle
 * @cb: called with each field; a nonzero return stops the walk (the rest
 *      of the dump is still read) and becomes pktmeta_dump()'s result
 * @arg: passed to @cb
 *
 * Return: 0, @cb's nonzero result, or a negative errno.
 */
int pktmeta_dump(struct pktmeta *pm,
		 int (*cb)(const struct pktmeta_field_info *info, void *arg),
		 void *arg);

/**
 * pktmeta_registry() - the registry's capacity, use and unknown-id counters
 * @pm: the handle
 * @info: filled with them
 *
 * Return: 0 or a negative errno.
 */
int pktmeta_registry(struct pktmeta *pm, struct pktmeta_registry_info *info);

/**
 * pktmeta_stats_on() - are sets, gets and clears counted?
 * @pm: the handle
 *
 * Errors are always counted; sets, gets and clears only while counting is
 * on (off by default: the datapath then skips those counters). While off,
 * the stats of pktmeta_get(), pktmeta_dump() and pktmeta_registry() hold 0
 * for them.
 *
 * Return: 1 (counted), 0 (not) or a negative errno.
 */
int pktmeta_stats_on(struct pktmeta *pm);

/**
 * pktmeta_set_stats() - count sets, gets and clears, or stop
 * @pm: the handle
 * @on: count them
 *
 * Needs CAP_NET_ADMIN. The counts kept so far stay.
 *
 * Return: 0 or a negative errno.
 */
int pktmeta_set_stats(struct pktmeta *pm, bool on);

/**
 * pktmeta_stat_name() - the name of counter PKTMETA_STATS_A_@i
 * @i: 1..PKTMETA_NR_STATS-1
 *
 * Return: "sets", "gets", "clears", "enoent", ..., or NULL.
 */
const char *pktmeta_stat_name(int i);

/**
 * pktmeta_bpf_object_register() - register the fields a BPF object declares
 * @pm: the handle
 * @obj: a libbpf object, opened and not loaded yet
 * @flags: 0 or PKTMETA_F_OWNED, for every field
 *
 * For each PKTMETA_FIELD() of the object (include/pktmeta.bpf.h), registers
 * the field (or takes a reference on it) and writes its id into the
 * object's read-only data, where the program reads it as a constant. On
 * failure, the references taken so far are dropped again and pktmeta_errmsg()
 * names the field.
 *
 * Return: the number of declared fields (>= 0), or a negative errno:
 * those of pktmeta_register(), -EINVAL for a malformed declaration, -EBUSY
 * if the object is already loaded.
 */
int pktmeta_bpf_object_register(struct pktmeta *pm, struct bpf_object *obj,
				__u32 flags);

/**
 * pktmeta_bpf_object_unregister() - drop the references that
 * pktmeta_bpf_object_register() took for @obj
 * @pm: the handle
 * @obj: the same object, loaded or not
 *
 * Return: 0, or the first error of pktmeta_unregister() (the other fields
 * are still unregistered).
 */
int pktmeta_bpf_object_unregister(struct pktmeta *pm, struct bpf_object *obj);

/**
 * pktmeta_socket_request() - receive fields with each datagram of a socket
 * @pm: the handle
 * @fd: a UDP (IPv4 or IPv6), raw or AF_PACKET socket of this process
 * @names: the fields' names, each offered to sockets (PKTMETA_F_SOCKETS,
 *         and the hints rx_hash, rx_vlan, rx_timestamp)
 * @n: how many, at most PKTMETA_MAX_FIELDS; 0 cancels the request
 *
 * From then on recvmsg() on @fd returns, with every datagram, one control
 * message of level PKTMETA_CMSG_LEVEL, type PKTMETA_CMSG_FIELDS holding the
 * requested fields that packet carries (read it with pktmeta_cmsg_field()
 * or pktmeta_cmsg_begin()). Leave room for it in msg_control: CMSG_SPACE()
 * of PKTMETA_REC_LEN(size) summed over the fields; a shorter buffer gets
 * MSG_CTRUNC. A new request replaces the socket's earlier one; the request
 * goes when the socket closes. No privilege is needed.
 *
 * The module turns on SO_RXQ_OVFL for @fd (its drop counts stay hidden
 * unless the socket had it on before): do not turn it off afterwards.
 *
 * Return: 0, or -ENOENT (no field of a name), -EPERM (a field not offered
 * to sockets), -EINVAL (a bad or repeated name), -EBADF (@fd not open),
 * -ENOTSOCK, -EPROTOTYPE (not a datagram socket of those kinds);
 * pktmeta_errmsg() names the culprit.
 */
int pktmeta_socket_request(struct pktmeta *pm, int fd,
			   const char *const *names, unsigned int n);

/**
 * pktmeta_socket_request_syn() - keep the fields of each connection's SYN
 * @pm: the handle
 * @fd: a TCP socket of this process, to listen (before or after listen())
 * @names: the fields' names, each offered to sockets
 * @n: how many, at most PKTMETA_MAX_FIELDS; 0 cancels the request
 *
 * From then on the requested fields each SYN to @fd carries are kept for
 * the connection, until pktmeta_socket_syn() reads them on the accepted
 * socket, @fd closes, or 256 newer SYNs of @fd push them out.
 *
 * Return: as pktmeta_socket_request(); -EPROTOTYPE when @fd is no TCP
 * socket.
 */
int pktmeta_socket_request_syn(struct pktmeta *pm, int fd,
			       const char *const *names, unsigned int n);

/**
 * pktmeta_socket_syn() - the fields of the SYN that opened a connection
 * @pm: the handle
 * @fd: a TCP socket accepted from a listener that asked
 *      (pktmeta_socket_request_syn())
 * @buf: where to copy the records (walk them with pktmeta_recs_begin())
 * @size: room at @buf; PKTMETA_MAX_FIELDS * (8 + 4) + PKTMETA_MAX_CAPACITY
 *        is always enough
 *
 * The records are handed out once, as TCP_SAVED_SYN does with headers.
 *
 * Return: the bytes of records (0: the SYN carried none of the fields),
 * or -ENOENT (no SYN of this connection is kept: its listener did not
 * ask, it was read already or pushed out), -EPROTOTYPE (not a TCP
 * socket), -EBADF, -ENOTSOCK, -EMSGSIZE (@size too small).
 */
int pktmeta_socket_syn(struct pktmeta *pm, int fd, void *buf, size_t size);

/*
 * Control messages: reading what a socket that asked for fields
 * (pktmeta_socket_request()) received with a datagram. @msg is the struct
 * msghdr recvmsg() filled in.
 *
 *	struct pktmeta_rec_iter it;
 *	struct pktmeta_rec_field f;
 *
 *	if (pktmeta_cmsg_begin(&msg, &it) >= 0)
 *		while (pktmeta_rec_next(&it, &f))
 *			printf("%u: %u bytes\n", f.id, f.size);
 *
 * The records of a SYN (pktmeta_socket_syn()) are walked the same way,
 * from pktmeta_recs_begin().
 */

/**
 * struct pktmeta_rec_iter - a walk over records of fields
 * @pos: the next record
 * @end: the end of the message's data
 */
struct pktmeta_rec_iter {
	const __u8 *pos;
	const __u8 *end;
};

/**
 * struct pktmeta_rec_field - one field of a control message or a SYN
 * @id: the field's id (as pktmeta_lookup() gives it)
 * @size: bytes at @value
 * @value: the value in the control buffer, 4-byte aligned: copy it out
 *         (memcpy) rather than dereference it as a wider type
 */
struct pktmeta_rec_field {
	__u32 id;
	__u32 size;
	const void *value;
};

/**
 * pktmeta_cmsg_begin() - find pktmeta's control message and start a walk
 * @msg: a message recvmsg() returned
 * @it: set to the walk (to nothing on error)
 *
 * Every record is checked here.
 *
 * Return: the number of fields the packet carried (>= 0), or -ENODATA (no
 * pktmeta message: the socket did not ask), -EMSGSIZE (MSG_CTRUNC: the
 * control buffer was too short for the control messages, pktmeta's may be
 * cut), -EBADMSG (malformed).
 */
int pktmeta_cmsg_begin(const struct msghdr *msg, struct pktmeta_rec_iter *it);

/**
 * pktmeta_recs_begin() - check records and start a walk over them
 * @recs: records (struct pktmeta_rec, value, padding), as
 *        pktmeta_socket_syn() gives them
 * @len: their bytes
 * @it: set to the walk (to nothing on error)
 *
 * Return: the number of fields (>= 0), or -EBADMSG (malformed).
 */
int pktmeta_recs_begin(const void *recs, size_t len, struct pktmeta_rec_iter *it);

/**
 * pktmeta_rec_next() - the next field of a walk
 * @it: a walk pktmeta_cmsg_begin() or pktmeta_recs_begin() started
 * @f: set to the field
 *
 * Return: true with @f set, false at the end.
 */
bool pktmeta_rec_next(struct pktmeta_rec_iter *it,
		       struct pktmeta_rec_field *f);

/**
 * pktmeta_cmsg_field() - copy one field's value out of a received message
 * @msg: a message recvmsg() returned
 * @id: the field's id
 * @buf: where to copy its value; zeroed on error
 * @size: the field's size
 *
 * Return: 0, -ENOENT (the packet did not carry the field), -EINVAL (the
 * field has another size), or an error of pktmeta_cmsg_begin().
 */
int pktmeta_cmsg_field(const struct msghdr *msg, __u32 id, void *buf,
		       size_t size);

/*
 * AF_XDP: the fields a BPF program exported with bpf_xdp_pktmeta_export()
 * before redirecting the packet into an XSKMAP, read from the umem frame
 * (the block of struct pktmeta_xsk_hdr, uapi/linux/pktmeta.h, which ends
 * at the packet's data). These need neither netlink nor the module.
 *
 * @data is the packet's first byte (xsk_umem__get_data(area, desc->addr));
 * @room is how many bytes before it the caller may read: a umem frame has
 * XDP_PACKET_HEADROOM (256) bytes and its umem's frame_headroom before
 * data, so XDP_PACKET_HEADROOM is always safe there. Nothing outside those
 * bytes is read, whatever they hold.
 *
 * A frame keeps its bytes before data from one packet to the next: call
 * pktmeta_xsk_clear() on a frame before giving it back to the fill ring, so
 * that a packet the program did not export reads as -ENODATA rather than as
 * an earlier packet's fields.
 *
 *	struct pktmeta_xsk_iter it;
 *	struct pktmeta_xsk_field f;
 *
 *	if (pktmeta_xsk_begin(pkt, XDP_PACKET_HEADROOM, &it) >= 0)
 *		while (pktmeta_xsk_next(&it, &f))
 *			printf("%u: %u bytes\n", f.id, f.size);
 *	pktmeta_xsk_clear(pkt);
 */

/**
 * struct pktmeta_xsk_iter - a walk over the records of an exported block
 * @pos: the next record
 * @left: records not walked yet
 * @len: bytes of the block, header included; a program's own metadata, if
 *       any, ends at data - @len
 */
struct pktmeta_xsk_iter {
	const __u8 *pos;
	unsigned int left;
	unsigned int len;
};

/**
 * struct pktmeta_xsk_field - one exported field
 * @id: the field's id (as pktmeta_lookup() gives it)
 * @size: bytes at @value
 * @value: the value in the frame, 4-byte aligned relative to data: copy it
 *         out (memcpy) rather than dereference it as a wider type
 */
struct pktmeta_xsk_field {
	__u32 id;
	__u32 size;
	const void *value;
};

/**
 * pktmeta_xsk_begin() - check the block before @data and start a walk
 * @data: the packet's first byte
 * @room: bytes before @data that may be read
 * @it: set to the walk (to nothing on error)
 *
 * The whole block is checked here: header, length and every record.
 *
 * Return: the number of fields (>= 0), or -ENODATA (no block: @room < 4 or
 * no magic), -EPROTONOSUPPORT (another layout version), -EBADMSG (a block
 * whose length and records disagree, or longer than @room).
 */
int pktmeta_xsk_begin(const void *data, size_t room,
		      struct pktmeta_xsk_iter *it);

/**
 * pktmeta_xsk_next() - the next field of a walk
 * @it: a walk pktmeta_xsk_begin() started
 * @f: set to the field
 *
 * Return: true with @f set, false at the end.
 */
bool pktmeta_xsk_next(struct pktmeta_xsk_iter *it, struct pktmeta_xsk_field *f);

/**
 * pktmeta_xsk_field() - copy one exported field's value
 * @data: the packet's first byte
 * @room: bytes before @data that may be read
 * @id: the field's id
 * @buf: where to copy its value; zeroed on error
 * @size: the field's size
 *
 * Return: 0, -ENOENT (the block has no such field: it was not set on the
 * packet), -EINVAL (the field has another size), or an error of
 * pktmeta_xsk_begin().
 */
int pktmeta_xsk_field(const void *data, size_t room, __u32 id, void *buf,
		      size_t size);

/**
 * pktmeta_xsk_clear() - forget the block before @data
 * @data: the packet's first byte, with at least 4 bytes before it
 *
 * Zeroes the header, so that the frame reads as -ENODATA until a packet
 * exported into it arrives.
 */
void pktmeta_xsk_clear(void *data);

#ifdef __cplusplus
}
#endif

#endif /* __PKTMETA_H */
