/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * pktmeta: constants shared by the kernel module, BPF programs and userspace.
 */
#ifndef _UAPI_LINUX_PKTMETA_H
#define _UAPI_LINUX_PKTMETA_H

#include <linux/types.h>

/* Registry limits (design section 5). */
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

#endif /* _UAPI_LINUX_PKTMETA_H */
