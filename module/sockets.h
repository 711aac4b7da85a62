/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fields delivered to sockets: the requests sockets made (sockets.c) and
 * the hooks on the socket layer that serve them (hook_socket.c).
 */
#ifndef PKTMETA_SOCKETS_H
#define PKTMETA_SOCKETS_H

#include <linux/netlink.h>
#include <linux/seq_file.h>
#include <linux/socket.h>
#include <linux/types.h>
#include <net/sock.h>

int pktmeta_sock_request(unsigned int fd, bool syn, const u32 *ids,
			 unsigned int n, struct netlink_ext_ack *extack);
void pktmeta_sock_syn(const struct sock *listener, const struct sk_buff *skb);
int pktmeta_sock_syn_take(unsigned int fd, void *buf, size_t size,
			  struct netlink_ext_ack *extack);
void pktmeta_sock_recv_cmsgs(struct msghdr *msg, struct sock *sk,
			     struct sk_buff *skb);
void pktmeta_sock_forget(const struct sock *sk);
int pktmeta_sockets_show(struct seq_file *m, void *v);
void pktmeta_sockets_exit(void);

/* hook_socket.c */
int pktmeta_hook_socket_attach(void);
void pktmeta_hook_socket_detach(void);
void pktmeta_hook_socket_exit(void);

#endif /* PKTMETA_SOCKETS_H */
