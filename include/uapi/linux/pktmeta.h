/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * pktmeta: constants shared by the kernel module, BPF programs and userspace.
 */
#ifndef _UAPI_LINUX_PKTMETA_H
#define _UAPI_LINUX_PKTMETA_H

#include <linux/types.h>

/* Registry limits. */
#define PKTMETA_MAX_FIELDS	64
#define PKTMETA_NAME_MAX	32	/* including the terminating NUL */
#define PKTMETA_DEFAULT_CAPACITY 64	/* bytes of field data per packet */
#define PKTMETA_MAX_CAPACITY	128	/* leaves encap room in 256 B headroom */

/*
 * Field ids are opaque: (generation << PKTMETA_ID_SLOT_BITS) | slot. A slot's
 * generation grows each time the slot is reused, so an id is never handed to
 * another field while the module is loaded.
 */
#define PKTMETA_ID_SLOT_BITS	6

/* Predefined driver hint fields: fixed ids from module load. */
#define PKTMETA_HINT_RX_HASH		0	/* struct pktmeta_rx_hash */
#define PKTMETA_HINT_RX_VLAN		1	/* struct pktmeta_rx_vlan */
#define PKTMETA_HINT_RX_TIMESTAMP	2	/* __u64, nanoseconds */
#define PKTMETA_NR_HINTS		3

#define PKTMETA_HINT_RX_HASH_NAME	"rx_hash"
#define PKTMETA_HINT_RX_VLAN_NAME	"rx_vlan"
#define PKTMETA_HINT_RX_TIMESTAMP_NAME	"rx_timestamp"

/*
 * Bits of pktmeta_rx_hash.type: the values of the kernel's
 * enum xdp_rss_hash_type (6.3 and later), defined here for older kernels.
 */
#define PKTMETA_RSS_L3_IPV4	(1U << 0)
#define PKTMETA_RSS_L3_IPV6	(1U << 1)
#define PKTMETA_RSS_L3_DYNHDR	(1U << 2)
#define PKTMETA_RSS_L4		(1U << 3)	/* L4 hash, protocol may be unknown */
#define PKTMETA_RSS_L4_TCP	(1U << 4)
#define PKTMETA_RSS_L4_UDP	(1U << 5)

/**
 * struct pktmeta_rx_hash - value of the rx_hash hint field
 * @hash: the RX hash computed by the device or the stack
 * @type: its type, as enum xdp_rss_hash_type
 */
struct pktmeta_rx_hash {
	__u32 hash;
	__u32 type;
};

/**
 * struct pktmeta_rx_vlan - value of the rx_vlan hint field
 * @proto: VLAN protocol (ETH_P_8021Q or ETH_P_8021AD), network order
 * @tci: tag control information, host order
 */
struct pktmeta_rx_vlan {
	__be16 proto;
	__u16 tci;
};

/*
 * Generic netlink family PKTMETA_GENL_NAME.
 *
 * Commands:
 *   PKTMETA_CMD_REGISTER    NAME, SIZE, optional FLAGS; replies with the
 *                           field. Needs CAP_NET_ADMIN.
 *   PKTMETA_CMD_UNREGISTER  ID or NAME (exactly one): drops one reference.
 *                           Needs CAP_NET_ADMIN.
 *   PKTMETA_CMD_GET         do: the field named by NAME or ID (a lookup);
 *                           dump: every field. Open to every user.
 *   PKTMETA_CMD_INFO        the registry's capacity, use, the counters
 *                           of calls on unknown ids and STATS_ON. Open to
 *                           every user.
 *   PKTMETA_CMD_SET_STATS   STATS_ON: count sets, gets and clears (1) or
 *                           not (0, the default). Needs CAP_NET_ADMIN.
 *   PKTMETA_CMD_SOCK_REQUEST FD and REQUEST, a nest of NAME attributes (one
 *                           per field, at most PKTMETA_MAX_FIELDS): the
 *                           socket that the sender's descriptor FD names
 *                           receives those fields with each datagram, as a
 *                           control message (PKTMETA_CMSG_FIELDS below);
 *                           an empty REQUEST cancels. Each field must be
 *                           offered to sockets (PKTMETA_F_SOCKETS). With
 *                           SYN, FD is a listening TCP socket instead: the
 *                           fields of each connection's SYN are kept for
 *                           SOCK_SYN. Open to every user: the descriptor
 *                           is resolved in the sender's own file table.
 *   PKTMETA_CMD_SOCK_SYN    FD, a TCP socket accepted from a listener that
 *                           asked with SYN: replies with RECORDS, the
 *                           requested fields its SYN carried (records as
 *                           in a control message), once. Open to every
 *                           user.
 * Field replies carry ID, NAME, SIZE, OFFSET, REFS, OWNED_REFS, BORN, HINT
 * (predefined hint fields only), SOCKETS (fields offered to sockets) and
 * STATS.
 */
#define PKTMETA_GENL_NAME	"pktmeta"
#define PKTMETA_GENL_VERSION	1

enum pktmeta_cmd {
	PKTMETA_CMD_UNSPEC,
	PKTMETA_CMD_REGISTER,
	PKTMETA_CMD_UNREGISTER,
	PKTMETA_CMD_GET,
	PKTMETA_CMD_INFO,
	PKTMETA_CMD_SET_STATS,
	PKTMETA_CMD_SOCK_REQUEST,
	PKTMETA_CMD_SOCK_SYN,
	__PKTMETA_CMD_MAX,
};
#define PKTMETA_CMD_MAX		(__PKTMETA_CMD_MAX - 1)

enum pktmeta_attr {
	PKTMETA_A_UNSPEC,
	PKTMETA_A_ID,		/* u32: field id */
	PKTMETA_A_NAME,		/* NUL-terminated string, 1..PKTMETA_NAME_MAX-1 chars */
	PKTMETA_A_SIZE,		/* u32: value size in bytes */
	PKTMETA_A_FLAGS,	/* u32: PKTMETA_F_* (register only) */
	PKTMETA_A_OFFSET,	/* u32: offset in the area's data (reply) */
	PKTMETA_A_REFS,		/* u32: references held (reply) */
	PKTMETA_A_OWNED_REFS,	/* u32: of which bound to a socket (reply) */
	PKTMETA_A_BORN,		/* u64: layout generation of creation (reply) */
	PKTMETA_A_HINT,		/* flag: a predefined hint field (reply) */
	PKTMETA_A_STATS,	/* nest of PKTMETA_STATS_A_* (reply) */
	PKTMETA_A_CAPACITY,	/* u32: bytes of field data per packet (info) */
	PKTMETA_A_USED,		/* u32: bytes taken by live fields (info) */
	PKTMETA_A_FIELDS,	/* u32: live fields (info) */
	PKTMETA_A_MAX_FIELDS,	/* u32: PKTMETA_MAX_FIELDS (info) */
	PKTMETA_A_GENERATION,	/* u64: layout generation (info) */
	PKTMETA_A_PAD,
	PKTMETA_A_STATS_ON,	/* u8: sets, gets, clears counted (info, set_stats) */
	PKTMETA_A_SOCKETS,	/* flag: the field is offered to sockets (reply) */
	PKTMETA_A_FD,		/* u32: a file descriptor of the sender (sock_request) */
	PKTMETA_A_REQUEST,	/* nest of NAME: the fields asked for (sock_request) */
	PKTMETA_A_SYN,		/* flag: the fields of SYNs (sock_request) */
	PKTMETA_A_RECORDS,	/* binary: struct pktmeta_rec and values (sock_syn) */
	__PKTMETA_A_MAX,
};
#define PKTMETA_A_MAX		(__PKTMETA_A_MAX - 1)

/*
 * Counters of kfunc calls, each a u64 summed over CPUs: per field in field
 * replies, for ids that name no live field in the INFO reply. Errors are
 * always counted; SET, GET and CLEAR only while counting is on (STATS_ON),
 * and are absent from the nest while it is off.
 */
enum pktmeta_stats_attr {
	PKTMETA_STATS_A_UNSPEC,
	PKTMETA_STATS_A_SET,
	PKTMETA_STATS_A_GET,
	PKTMETA_STATS_A_CLEAR,
	PKTMETA_STATS_A_ENOENT,
	PKTMETA_STATS_A_EINVAL,
	PKTMETA_STATS_A_EFAULT,
	PKTMETA_STATS_A_ENOSPC,
	PKTMETA_STATS_A_EOPNOTSUPP,
	PKTMETA_STATS_A_PAD,
	__PKTMETA_STATS_A_MAX,
};
#define PKTMETA_STATS_A_MAX	(__PKTMETA_STATS_A_MAX - 1)

/*
 * PKTMETA_F_OWNED: the reference taken by this registration belongs to the
 * netlink socket that sent it and is dropped when that socket closes (for
 * example when its process exits or crashes). Without it the reference
 * stays until an explicit unregister.
 */
#define PKTMETA_F_OWNED		(1U << 0)
/*
 * PKTMETA_F_SOCKETS: the field may be delivered to sockets that ask for it
 * (PKTMETA_CMD_SOCK_REQUEST). Only the registration that creates the field
 * chooses; the predefined hint fields are offered.
 */
#define PKTMETA_F_SOCKETS	(1U << 1)
#define PKTMETA_F_ALL		(PKTMETA_F_OWNED | PKTMETA_F_SOCKETS)

/*
 * Control messages: a socket that asked for fields (PKTMETA_CMD_SOCK_REQUEST)
 * gets, with every datagram recvmsg() returns, one control message of
 * level PKTMETA_CMSG_LEVEL and type PKTMETA_CMSG_FIELDS whose data are the
 * requested fields set on that packet, each a struct pktmeta_rec and the
 * value, zero-padded to a multiple of 4 (PKTMETA_REC_LEN), in slot order;
 * no record for a field the packet does not carry, and no record at all
 * (cmsg_len = CMSG_LEN(0)) when it carries none. A control buffer too short
 * for it gets MSG_CTRUNC, as for any control message (put_cmsg()).
 * The level is pktmeta's own, far from the kernel's SOL_* values.
 */
#define PKTMETA_CMSG_LEVEL	0x706d
#define PKTMETA_CMSG_FIELDS	1

/*
 * Fields declared in BPF objects (PKTMETA_FIELD in pktmeta.bpf.h): each
 * declaration is a record in the object's .rodata, named
 * pktmeta_decl_<ident>, next to the id variable pktmeta_id_<ident> that
 * pktmeta_bpf_object_register() fills before the object is loaded.
 */
#define PKTMETA_ID_NONE		0xffffffffU	/* id variable not filled in */

/**
 * struct pktmeta_field_decl - a field declared in a BPF object
 * @name: NUL-terminated field name
 * @size: the value's size in bytes
 */
struct pktmeta_field_decl {
	char name[PKTMETA_NAME_MAX];
	__u32 size;
};

/*
 * AF_XDP export (bpf_xdp_pktmeta_export()): the fields set on a packet,
 * written into its data_meta. AF_XDP copies data_meta into the umem frame
 * right before the packet's data (net/xdp/xsk.c, __xsk_rcv()), where the
 * consumer finds it from the packet's address alone: the descriptor does not
 * carry the metadata's length, so the block ends exactly at data and is read
 * backwards from there. A umem frame always has at least XDP_PACKET_HEADROOM
 * (256) bytes before data (net/xdp/xsk_buff_pool.c, xp_alloc()), more than
 * the largest block.
 *
 *   data - len                                                data - 4   data
 *   | rec 0 | value 0 | pad | rec 1 | value 1 | pad | ... | rec n-1 ... | hdr | packet
 *
 * struct pktmeta_xsk_hdr sits at data - 4; the block starts hdr.len bytes
 * before data; hdr.count records follow one another from there, each a
 * struct pktmeta_rec then rec.size bytes of the field's value (as the
 * BPF program set it), zero-padded to a multiple of 4, the last one ending
 * at the header. Records come in slot order. Everything is in host byte
 * order and 4-byte aligned relative to data (data_meta lengths are
 * multiples of 4); readers copy values out (memcpy), data itself need not
 * be 8-byte aligned. Bytes before data - len (a program's own metadata,
 * added after the export with bpf_xdp_adjust_meta()) are not pktmeta's.
 *
 * A block is at most as long as the kernel lets data_meta be
 * (xdp_metalen_invalid(), include/net/xdp.h): 32 bytes on 6.1; 252 on 6.12
 * and 7.3 (a multiple of 4 up to the u8 skb_shared_info.meta_len). On 6.1
 * that is the header and, for example, one 8-byte and one 4-byte field.
 * The block must also stay clear of the bytes of the per-packet area it is
 * copied from, low in the same headroom (bpf_xdp_pktmeta_export()).
 *
 * A frame whose packet was not exported keeps whatever the umem held before
 * data: the consumer clears the header (pktmeta_xsk_clear()) before it gives
 * a frame back to the fill ring, and the program exports every packet it
 * redirects (an empty block, count 0, when no field is set).
 */
#define PKTMETA_XSK_MAGIC	0xa7
#define PKTMETA_XSK_VERSION	1
#define PKTMETA_XSK_MAX_LEN	252	/* 255 rounded down to 4: meta_len is a u8 */

/**
 * struct pktmeta_xsk_hdr - the header of an exported block, at data - 4
 * @magic: PKTMETA_XSK_MAGIC
 * @version: PKTMETA_XSK_VERSION
 * @len: bytes of the block, this header included: 4..PKTMETA_XSK_MAX_LEN,
 *       a multiple of 4
 * @count: records in the block
 */
struct pktmeta_xsk_hdr {
	__u8 magic;
	__u8 version;
	__u8 len;
	__u8 count;
};

/**
 * struct pktmeta_rec - one field in an exported block or a control message
 * @id: the field's id
 * @size: bytes of the value that follows
 * @reserved: 0
 */
struct pktmeta_rec {
	__u32 id;
	__u16 size;
	__u16 reserved;
};

/* Bytes a field of @size bytes takes: record, value, padding to 4. */
#define PKTMETA_REC_LEN(size) \
	(sizeof(struct pktmeta_rec) + (((size) + 3U) & ~3U))

/* Flags of bpf_xdp_pktmeta_export(). */
#define PKTMETA_EXPORT_F_NO_HINTS	(1ULL << 0)	/* leave the hint fields out */
#define PKTMETA_EXPORT_F_ALL		PKTMETA_EXPORT_F_NO_HINTS

#endif /* _UAPI_LINUX_PKTMETA_H */
