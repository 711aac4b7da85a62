/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API differences between the kernels pktmeta supports (6.1 .. 7.x).
 * Each PKTMETA_HAVE_* macro comes from a probe of the target's headers in
 * Kbuild, not from the version number.
 */
#ifndef PKTMETA_COMPAT_H
#define PKTMETA_COMPAT_H

#include <linux/btf.h>
#include <linux/btf_ids.h>

/* 6.4 added __bpf_kfunc; before it, keep the function and its BTF alive. */
#ifndef PKTMETA_HAVE_BPF_KFUNC
#define __bpf_kfunc __used noinline
#endif

/* 6.6 added the diagnostics guards for kfunc definitions. */
#ifndef PKTMETA_HAVE_KFUNC_START_DEFS
#define __bpf_kfunc_start_defs()					\
	__diag_push();							\
	__diag_ignore_all("-Wmissing-prototypes",			\
			  "Global kfuncs as their definitions will be in BTF")
#define __bpf_kfunc_end_defs() __diag_pop()
#endif

/* 6.9 requires kfunc sets to be flagged as such; 6.1 only has SET8. */
#ifndef PKTMETA_HAVE_BTF_KFUNCS_START
#define BTF_KFUNCS_START(name) BTF_SET8_START(name)
#define BTF_KFUNCS_END(name) BTF_SET8_END(name)
#endif

/*
 * The TC field pointer (kfuncs_skb.c): a kfunc filter to keep it from
 * programs that can move an skb's head (prog_scan.c), and a verifier that
 * keeps freplace from bringing such a move in (Kbuild).
 */
#if defined(PKTMETA_HAVE_KFUNC_FILTER) && \
	defined(PKTMETA_HAVE_PROG_CHANGES_PKT_DATA)
#define PKTMETA_HAVE_SKB_PTR
#endif

/*
 * 7.3's include/linux/btf.h has no KF_TRUSTED_ARGS: trusted pointer
 * arguments are the rule for every kfunc there. Before, a kfunc asks.
 */
#ifndef KF_TRUSTED_ARGS
#define KF_TRUSTED_ARGS 0
#endif

/* 6.6 moved struct netdev_rx_queue out of netdevice.h. */
#ifdef PKTMETA_HAVE_NETDEV_RX_QUEUE_H
#include <net/netdev_rx_queue.h>
#else
#include <linux/netdevice.h>
#endif

/*
 * 6.2 added formatted extended ack messages; 6.1 takes only static strings,
 * so give both: MSG for 6.1, FMT and its arguments for later kernels.
 */
#include <linux/netlink.h>
#ifdef PKTMETA_HAVE_NL_SET_ERR_MSG_FMT
#define PKTMETA_NL_ERR_FMT(extack, msg, fmt, args...)			\
	NL_SET_ERR_MSG_FMT_MOD(extack, fmt, ##args)
#else
#define PKTMETA_NL_ERR_FMT(extack, msg, fmt, args...)			\
	do {								\
		NL_SET_ERR_MSG_MOD(extack, msg);			\
		if (0)							\
			no_printk(fmt, ##args);				\
	} while (0)
#endif

/*
 * Arguments of a traced function in an ftrace callback registered without
 * FTRACE_OPS_FL_SAVE_REGS, which skips saving full pt_regs on every call.
 * Kernels with HAVE_DYNAMIC_FTRACE_WITH_ARGS (x86_64 on 6.1 and 6.12) save
 * the argument registers anyway: 6.12 reads them with
 * ftrace_regs_get_argument(); 6.1's x86 struct ftrace_regs is a pt_regs.
 * Without it, probes that want only arguments save full regs as the others.
 */
#include <linux/ftrace.h>
#ifdef CONFIG_HAVE_DYNAMIC_FTRACE_WITH_ARGS
#define PKTMETA_FTRACE_ARGS_FLAGS	0
#ifdef PKTMETA_HAVE_FTRACE_REGS_GET_ARGUMENT
#include <linux/ftrace_regs.h>
#define pktmeta_ftrace_arg(fregs, n)	ftrace_regs_get_argument(fregs, n)
#else
#define pktmeta_ftrace_arg(fregs, n)	regs_get_kernel_argument(&(fregs)->regs, n)
#endif
#else
#define PKTMETA_FTRACE_ARGS_FLAGS	FTRACE_OPS_FL_SAVE_REGS
#define pktmeta_ftrace_arg(fregs, n)	regs_get_kernel_argument(ftrace_get_regs(fregs), n)
#endif

/*
 * Redirect a traced function from an ftrace callback registered with
 * FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_IPMODIFY (hook_socket.c), as
 * livepatch does: the architecture's macro, named
 * ftrace_instruction_pointer_set() in 6.1's arch/x86/include/asm/ftrace.h
 * and ftrace_regs_set_instruction_pointer() from 6.7 on. The generic
 * fallbacks in include/linux/ftrace.h do nothing, so the probe looks for
 * the architecture's definition only.
 */
#if defined(PKTMETA_HAVE_FTRACE_REGS_SET_IP)
#define PKTMETA_HAVE_FTRACE_SET_IP	1
#define pktmeta_ftrace_set_ip(fregs, ip) \
	ftrace_regs_set_instruction_pointer(fregs, ip)
#elif defined(PKTMETA_HAVE_FTRACE_INSTRUCTION_POINTER_SET)
#define PKTMETA_HAVE_FTRACE_SET_IP	1
#define pktmeta_ftrace_set_ip(fregs, ip) \
	ftrace_instruction_pointer_set(fregs, ip)
#else
#define PKTMETA_HAVE_FTRACE_SET_IP	0
#define pktmeta_ftrace_set_ip(fregs, ip) do { (void)(fregs); (void)(ip); } while (0)
#endif

/*
 * The device whose private area netdev_priv() returned
 * (include/linux/netdevice.h): 6.12 keeps the area in the flexible array
 * net_device::priv, 6.1 at ALIGN(sizeof(struct net_device), NETDEV_ALIGN)
 * from the device.
 */
#ifdef PKTMETA_HAVE_NETDEV_PRIV_MEMBER
#define pktmeta_netdev_of_priv(p)					\
	container_of((u8 *)(p), struct net_device, priv[0])
#else
#define pktmeta_netdev_of_priv(p)					\
	((struct net_device *)((u8 *)(p) -				\
			       ALIGN(sizeof(struct net_device), NETDEV_ALIGN)))
#endif

/*
 * The 32-bit hash of a virtio-net hash report (struct
 * virtio_net_hdr_v1_hash, include/uapi/linux/virtio_net.h): 7.x splits it
 * into two little-endian halves, hash_value_lo and hash_value_hi, keeping
 * the struct 2-byte aligned; earlier kernels have one __le32 hash_value.
 */
#ifdef PKTMETA_HAVE_VIRTIO_NET_HASH_LO_HI
#define pktmeta_virtio_hash_value(hdr)					\
	(le16_to_cpu((hdr)->hash_value_lo) |				\
	 (u32)le16_to_cpu((hdr)->hash_value_hi) << 16)
#else
#define pktmeta_virtio_hash_value(hdr)	le32_to_cpu((hdr)->hash_value)
#endif

/*
 * The size of the virtio-net header in front of a received packet when the
 * device reports hashes (vi->hdr_len, set in virtnet_probe(),
 * drivers/net/virtio_net.c): with UDP tunnel GSO negotiated (6.17+) it is
 * struct virtio_net_hdr_v1_hash_tunnel, which starts with the hash header.
 */
#ifdef PKTMETA_HAVE_VIRTIO_NET_HASH_TUNNEL
#define pktmeta_virtio_hash_hdr_len(vdev)					\
	(virtio_has_feature(vdev, VIRTIO_NET_F_GUEST_UDP_TUNNEL_GSO) ||		\
	 virtio_has_feature(vdev, VIRTIO_NET_F_HOST_UDP_TUNNEL_GSO) ?		\
	 sizeof(struct virtio_net_hdr_v1_hash_tunnel) :				\
	 sizeof(struct virtio_net_hdr_v1_hash))
#else
#define pktmeta_virtio_hash_hdr_len(vdev)	sizeof(struct virtio_net_hdr_v1_hash)
#endif

#endif /* PKTMETA_COMPAT_H */
