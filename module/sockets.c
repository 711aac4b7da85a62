// SPDX-License-Identifier: GPL-2.0
/*
 * Fields delivered to sockets: a process asks, for a UDP, raw or packet
 * socket it holds a descriptor of, for fields by name (the generic netlink
 * command PKTMETA_CMD_SOCK_REQUEST, netlink.c); from then on every
 * datagram recvmsg() returns on that socket comes with one control message
 * holding the requested fields its packet carries (the layout is in
 * include/uapi/linux/pktmeta.h, PKTMETA_CMSG_FIELDS).
 *
 * The request is a table entry keyed by the socket's struct sock, read
 * under RCU by the recvmsg hook and removed when the socket's file is
 * released (the sock_close hook, hook_socket.c), when the process cancels
 * it, and at rmmod.
 *
 * recvmsg() reaches __sock_recv_cmsgs(), where the hook runs, only for a
 * socket with one of FLAGS_RECV_CMSGS (include/net/sock.h) in sk_flags.
 * A request turns on SOCK_RXQ_OVFL, the flag of SO_RXQ_OVFL, the one of
 * them whose own message appears only once the socket has dropped
 * packets (sock_recv_drops()); unless the socket had it on already, the
 * hook hides that message by giving the datagram a drop count of 0 for
 * the call. A process that wants SO_RXQ_OVFL's counts too sets it before
 * its request; one that turns it off after its request gets no more
 * fields. Cancelling the request turns the flag off again if the request
 * turned it on.
 *
 * TCP: a listening socket asks for the fields of its connections' SYNs
 * (PKTMETA_A_SYN). The tcp_conn_request hook (hook_socket.c), where a
 * listener handles each SYN, keeps the requested fields of the SYN's
 * packet in an entry keyed by the connection's addresses and ports; the
 * accepted socket reads them once (PKTMETA_CMD_SOCK_SYN), as
 * TCP_SAVED_SYN reads the SYN's headers. A listener keeps at most
 * PKTMETA_SYN_MAX entries, the oldest going first, and they go when it is
 * closed or cancels its request.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hashtable.h>
#include <linux/ipv6.h>
#include <linux/jhash.h>
#include <linux/mutex.h>
#include <linux/net.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <net/tcp.h>
#include "compat.h"
#include "pktmeta.h"
#include "skb_area.h"
#include "sockets.h"

/**
 * struct pktmeta_sock_req - the fields one socket asked for
 * @node: in pktmeta_sock_reqs, under pktmeta_sock_lock
 * @rcu: for kfree_rcu()
 * @sk: the socket (compared; dereferenced only under pktmeta_sock_lock,
 *      which the sock_close hook takes before the socket can go)
 * @ino: the socket's inode number, for debugfs
 * @rxq_ovfl: SO_RXQ_OVFL was on before the request
 * @syn: a TCP listener's request for the fields of SYNs
 * @syns: its SYNs' entries, oldest first (struct pktmeta_syn)
 * @nsyns: how many
 * @max_len: bytes of the longest control message data the fields make
 * @slots: the requested fields' slots
 * @ids: the requested field in each slot of @slots
 */
struct pktmeta_sock_req {
	struct hlist_node node;
	struct rcu_head rcu;
	const struct sock *sk;
	u64 ino;
	bool rxq_ovfl;
	bool syn;
	struct list_head syns;
	unsigned int nsyns;
	u32 max_len;
	u64 slots;
	u32 ids[PKTMETA_MAX_FIELDS];
};

/**
 * struct pktmeta_syn_key - a TCP connection, as its SYN saw it
 * @net: the listener's namespace (compared only)
 * @saddr: the SYN's source (IPv4 addresses mapped into IPv6)
 * @daddr: its destination
 * @sport: its source port
 * @dport: its destination port
 */
struct pktmeta_syn_key {
	const struct net *net;
	struct in6_addr saddr;
	struct in6_addr daddr;
	__be16 sport;
	__be16 dport;
};

/**
 * struct pktmeta_syn - the requested fields a SYN carried
 * @node: in pktmeta_syns, by @key
 * @list: in the listener's request's @syns
 * @owner: that request (its entries go before it does)
 * @key: the connection
 * @len: bytes of @recs
 * @recs: the records, as in a control message
 */
struct pktmeta_syn {
	struct hlist_node node;
	struct list_head list;
	struct pktmeta_sock_req *owner;
	struct pktmeta_syn_key key;
	u32 len;
	u8 recs[];
};

/* SYN entries a listener keeps at most. */
#define PKTMETA_SYN_MAX		256

static DEFINE_HASHTABLE(pktmeta_sock_reqs, 8);
/* Under pktmeta_sock_lock, as the requests they belong to. */
static DEFINE_HASHTABLE(pktmeta_syns, 8);
/* Taken, with interrupts off: the sock_close hook runs in a kprobe. */
static DEFINE_SPINLOCK(pktmeta_sock_lock);
static unsigned int pktmeta_sock_count;
/* Serialises requests, attaching and detaching the hooks. */
static DEFINE_MUTEX(pktmeta_sock_mutex);
static bool pktmeta_sock_hooked;

static void pktmeta_sock_detach_work(struct work_struct *work);
static DECLARE_WORK(pktmeta_sock_detach, pktmeta_sock_detach_work);

/* Control message data up to this length are built on the stack. */
#define PKTMETA_SOCK_STACK_BUF	128

static struct pktmeta_sock_req *pktmeta_sock_find(const struct sock *sk)
{
	struct pktmeta_sock_req *req;

	hash_for_each_possible_rcu(pktmeta_sock_reqs, req, node,
				   (unsigned long)sk, lockdep_is_held(&pktmeta_sock_lock))
		if (req->sk == sk)
			return req;
	return NULL;
}

/* Datagram sockets whose recvmsg() calls sock_recv_cmsgs(). */
static bool pktmeta_sock_datagram(const struct sock *sk)
{
	switch (sk->sk_family) {
	case AF_INET:
	case AF_INET6:
		if (sk->sk_type == SOCK_RAW)
			return true;
		return sk->sk_type == SOCK_DGRAM &&
		       (sk->sk_protocol == IPPROTO_UDP ||
			sk->sk_protocol == IPPROTO_UDPLITE);
	case AF_PACKET:
		return true;
	}
	return false;
}

static bool pktmeta_sock_tcp(const struct sock *sk)
{
	return (sk->sk_family == AF_INET || sk->sk_family == AF_INET6) &&
	       sk->sk_type == SOCK_STREAM && sk->sk_protocol == IPPROTO_TCP;
}

static u32 pktmeta_syn_hash(const struct pktmeta_syn_key *key)
{
	return jhash(key, sizeof(*key), 0);
}

static struct pktmeta_syn *pktmeta_syn_find(const struct pktmeta_syn_key *key)
{
	struct pktmeta_syn *syn;

	lockdep_assert_held(&pktmeta_sock_lock);
	hash_for_each_possible(pktmeta_syns, syn, node, pktmeta_syn_hash(key))
		if (!memcmp(&syn->key, key, sizeof(*key)))
			return syn;
	return NULL;
}

static void pktmeta_syn_del(struct pktmeta_sock_req *req,
			    struct pktmeta_syn *syn)
{
	lockdep_assert_held(&pktmeta_sock_lock);
	hash_del(&syn->node);
	list_del(&syn->list);
	req->nsyns--;
}

/* Forget every SYN entry of @req. */
static void pktmeta_syn_del_all(struct pktmeta_sock_req *req)
{
	struct pktmeta_syn *syn, *tmp;

	list_for_each_entry_safe(syn, tmp, &req->syns, list) {
		pktmeta_syn_del(req, syn);
		kfree(syn);
	}
}

/* The socket @fd names in the caller's files, or NULL and *@err. */
static struct socket *pktmeta_sock_lookup(unsigned int fd,
					  struct netlink_ext_ack *extack,
					  int *err)
{
	struct socket *sock = sockfd_lookup(fd, err);

	if (sock)
		return sock;
	if (*err == -ENOTSOCK)
		NL_SET_ERR_MSG_MOD(extack, "the descriptor is not a socket");
	else
		NL_SET_ERR_MSG_MOD(extack,
				   "the descriptor is not open in the sending process");
	return NULL;
}

/*
 * The request of @ids (@n of them, checked by the caller: live fields
 * offered to sockets, no two in one slot), or NULL without memory.
 */
static struct pktmeta_sock_req *pktmeta_sock_req_new(const u32 *ids,
						     unsigned int n)
{
	const struct pktmeta_snapshot *snap;
	struct pktmeta_sock_req *req;
	unsigned int i;

	req = kzalloc(sizeof(*req), GFP_KERNEL_ACCOUNT);
	if (!req)
		return NULL;
	INIT_LIST_HEAD(&req->syns);
	rcu_read_lock();
	snap = rcu_dereference(pktmeta_current);
	for (i = 0; i < n; i++) {
		unsigned int slot = ids[i] & PKTMETA_SLOT_MASK;
		const struct pktmeta_field *f = NULL;

		if (snap)
			f = pktmeta_layout_field(&snap->layout, ids[i]);
		/* A field gone since the check: its slot's next one is not it. */
		req->max_len += PKTMETA_REC_LEN(f ? f->size : PKTMETA_MAX_CAPACITY);
		req->slots |= 1ULL << slot;
		req->ids[slot] = ids[i];
	}
	rcu_read_unlock();
	return req;
}

/**
 * pktmeta_sock_request() - ask for fields on a socket's datagrams or SYNs
 * @fd: a descriptor of the calling process
 * @syn: the fields of SYNs to a TCP socket, rather than of datagrams
 * @ids: the fields, live and offered to sockets (netlink.c checks), each
 *       slot at most once
 * @n: how many; 0 cancels the socket's request
 * @extack: for error messages
 *
 * Replaces the socket's earlier request, if any. Runs in the caller's
 * context (a generic netlink doit), so @fd is looked up in its own files:
 * holding the descriptor is the permission.
 *
 * Return: 0, or -EBADF (@fd is not open), -ENOTSOCK, -EPROTOTYPE (not a
 * UDP, raw or packet socket; with @syn, not a TCP socket), -ENOMEM, or the
 * error of attaching the hooks (-EOPNOTSUPP, -EBUSY, -EINVAL).
 */
int pktmeta_sock_request(unsigned int fd, bool syn, const u32 *ids,
			 unsigned int n, struct netlink_ext_ack *extack)
{
	struct pktmeta_sock_req *req = NULL, *old;
	struct socket *sock;
	struct sock *sk;
	int err;

	sock = pktmeta_sock_lookup(fd, extack, &err);
	if (!sock)
		return err;
	sk = sock->sk;
	err = -EPROTOTYPE;
	if (!sk) {
		NL_SET_ERR_MSG_MOD(extack, "the socket is being released");
		goto out;
	}
	if (syn && !pktmeta_sock_tcp(sk)) {
		NL_SET_ERR_MSG_MOD(extack, "the fields of SYNs: ask on a TCP socket");
		goto out;
	}
	if (!syn && !pktmeta_sock_datagram(sk)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "fields come with datagrams: ask on a UDP, raw or packet socket (on TCP, for the SYN's)");
		goto out;
	}
	if (n) {
		req = pktmeta_sock_req_new(ids, n);
		err = -ENOMEM;
		if (!req)
			goto out;
		req->sk = sk;
		req->ino = sock_i_ino(sk);
		req->syn = syn;
	}

	mutex_lock(&pktmeta_sock_mutex);
	if (req && !pktmeta_sock_hooked) {
		err = pktmeta_hook_socket_attach();
		if (err) {
			NL_SET_ERR_MSG_MOD(extack,
					   "cannot hook recvmsg on this kernel (see the kernel log)");
			mutex_unlock(&pktmeta_sock_mutex);
			kfree(req);
			goto out;
		}
		pktmeta_sock_hooked = true;
	}
	lock_sock(sk);
	spin_lock_irq(&pktmeta_sock_lock);
	old = pktmeta_sock_find(sk);
	if (old) {
		hash_del_rcu(&old->node);
		pktmeta_syn_del_all(old);
		pktmeta_sock_count--;
	}
	if (req && !syn) {
		req->rxq_ovfl = old ? old->rxq_ovfl : sock_flag(sk, SOCK_RXQ_OVFL);
		sock_set_flag(sk, SOCK_RXQ_OVFL);
	}
	if (req) {
		hash_add_rcu(pktmeta_sock_reqs, &req->node, (unsigned long)sk);
		pktmeta_sock_count++;
	} else if (old && !old->syn && !old->rxq_ovfl) {
		sock_reset_flag(sk, SOCK_RXQ_OVFL);
	}
	spin_unlock_irq(&pktmeta_sock_lock);
	release_sock(sk);
	mutex_unlock(&pktmeta_sock_mutex);
	if (old)
		kfree_rcu(old, rcu);
	if (!req)
		schedule_work(&pktmeta_sock_detach);
	err = 0;
out:
	sockfd_put(sock);
	return err;
}

/*
 * Write into @buf (@room bytes) the records of @req's fields that @skb's
 * packet carries. Under rcu_read_lock().
 *
 * Return: the bytes written; *@short_room when a record did not fit.
 */
static u32 pktmeta_sock_fill(const struct pktmeta_sock_req *req,
			     const struct sk_buff *skb, u8 *buf, u32 room,
			     bool *short_room)
{
	const struct pktmeta_area *area = pktmeta_skb_area(skb);
	const struct pktmeta_snapshot *snap;
	u32 len = 0;
	u64 left;

	if (!area)
		return 0;
	snap = rcu_dereference(pktmeta_current);
	if (!snap)
		return 0;
	left = area->set & req->slots & snap->layout.live & snap->layout.sockets;
	while (left) {
		unsigned int slot = __ffs64(left);
		const struct pktmeta_field *f = &snap->layout.fields[slot];
		struct pktmeta_rec rec = { .id = f->id, .size = f->size };
		u32 rlen = PKTMETA_REC_LEN(f->size);

		left &= left - 1;
		/* Another field in the slot now, or one newer than the area. */
		if (f->id != req->ids[slot] || f->born > area->generation ||
		    !pktmeta_skb_fits(skb, area, f))
			continue;
		if (rlen > room - len) {
			*short_room = true;
			break;
		}
		memcpy(buf + len, &rec, sizeof(rec));
		memcpy(buf + len + sizeof(rec), &area->data[f->offset], f->size);
		memset(buf + len + sizeof(rec) + f->size, 0,
		       rlen - sizeof(rec) - f->size);
		len += rlen;
	}
	return len;
}

/**
 * pktmeta_sock_recv_cmsgs() - __sock_recv_cmsgs(), then pktmeta's message
 * @msg: the message recvmsg() fills
 * @sk: the receiving socket
 * @skb: the datagram
 *
 * Called instead of __sock_recv_cmsgs() (hook_socket.c), in the context of
 * the recvmsg() caller. For a socket with a request, appends one control
 * message with the requested fields @skb's packet carries (none when it
 * carries none); put_cmsg() sets MSG_CTRUNC when the caller's buffer is
 * too short, and so does a message that cannot be built for want of
 * memory.
 */
void pktmeta_sock_recv_cmsgs(struct msghdr *msg, struct sock *sk,
			     struct sk_buff *skb)
{
	u8 stack_buf[PKTMETA_SOCK_STACK_BUF] __aligned(8);
	struct pktmeta_sock_req *req;
	u32 room = 0, len, drops = 0;
	bool hide = false, short_room = false;
	u8 *buf = stack_buf;

	rcu_read_lock();
	req = skb ? pktmeta_sock_find(sk) : NULL;
	if (req && req->syn)
		req = NULL;
	if (req) {
		room = req->max_len;
		hide = !req->rxq_ovfl;
	}
	rcu_read_unlock();
	if (!req) {
		__sock_recv_cmsgs(msg, sk, skb);
		return;
	}

	/* The drop count pktmeta's flag made the socket record: not asked. */
	if (hide) {
		drops = SOCK_SKB_CB(skb)->dropcount;
		SOCK_SKB_CB(skb)->dropcount = 0;
	}
	__sock_recv_cmsgs(msg, sk, skb);
	if (hide)
		SOCK_SKB_CB(skb)->dropcount = drops;

	if (room > sizeof(stack_buf)) {
		buf = kmalloc(room, GFP_KERNEL);
		if (!buf) {
			msg->msg_flags |= MSG_CTRUNC;
			return;
		}
	} else {
		room = sizeof(stack_buf);
	}
	rcu_read_lock();
	/* The request may have been replaced or cancelled meanwhile. */
	req = pktmeta_sock_find(sk);
	if (req && req->syn)
		req = NULL;
	len = req ? pktmeta_sock_fill(req, skb, buf, room, &short_room) : 0;
	rcu_read_unlock();
	if (req)
		put_cmsg(msg, PKTMETA_CMSG_LEVEL, PKTMETA_CMSG_FIELDS, len, buf);
	if (short_room)
		msg->msg_flags |= MSG_CTRUNC;
	if (buf != stack_buf)
		kfree(buf);
}

/* The connection a SYN opens, from the SYN. */
static bool pktmeta_syn_key_of_skb(const struct sock *listener,
				   const struct sk_buff *skb,
				   struct pktmeta_syn_key *key)
{
	const struct tcphdr *th = tcp_hdr(skb);

	memset(key, 0, sizeof(*key));
	key->net = sock_net(listener);
	if (skb->protocol == htons(ETH_P_IP)) {
		ipv6_addr_set_v4mapped(ip_hdr(skb)->saddr, &key->saddr);
		ipv6_addr_set_v4mapped(ip_hdr(skb)->daddr, &key->daddr);
	} else if (skb->protocol == htons(ETH_P_IPV6)) {
		key->saddr = ipv6_hdr(skb)->saddr;
		key->daddr = ipv6_hdr(skb)->daddr;
	} else {
		return false;
	}
	key->sport = th->source;
	key->dport = th->dest;
	return true;
}

/* An IPv6 socket's addresses (IPv4-mapped for IPv4 peers), or false. */
static bool pktmeta_syn_v6_addrs(const struct sock *sk,
				 struct pktmeta_syn_key *key)
{
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6) {
		key->saddr = sk->sk_v6_daddr;
		key->daddr = sk->sk_v6_rcv_saddr;
		return true;
	}
#endif
	return false;
}

/* The connection @sk, accepted, was opened by: its peer sent the SYN. */
static void pktmeta_syn_key_of_sock(const struct sock *sk,
				    struct pktmeta_syn_key *key)
{
	const struct inet_sock *inet = inet_sk(sk);

	memset(key, 0, sizeof(*key));
	key->net = sock_net(sk);
	if (!pktmeta_syn_v6_addrs(sk, key)) {
		ipv6_addr_set_v4mapped(inet->inet_daddr, &key->saddr);
		ipv6_addr_set_v4mapped(inet->inet_rcv_saddr, &key->daddr);
	}
	key->sport = inet->inet_dport;
	key->dport = inet->inet_sport;
}

/**
 * pktmeta_sock_syn() - keep the requested fields of a SYN
 * @listener: the listening socket, from tcp_conn_request()
 * @skb: the SYN
 *
 * Runs in the tcp_conn_request hook, in softirq context: allocates
 * atomically, and a SYN that finds no memory is not kept.
 */
void pktmeta_sock_syn(const struct sock *listener, const struct sk_buff *skb)
{
	struct pktmeta_sock_req *req;
	struct pktmeta_syn *syn, *old;
	struct pktmeta_syn_key key;
	bool short_room = false;
	unsigned long flags;
	u32 room;

	if (!READ_ONCE(pktmeta_sock_count) ||
	    !pktmeta_syn_key_of_skb(listener, skb, &key))
		return;
	rcu_read_lock();
	req = pktmeta_sock_find(listener);
	room = req && req->syn ? req->max_len : 0;
	syn = req && req->syn ?
	      kmalloc(struct_size(syn, recs, room), GFP_ATOMIC | __GFP_NOWARN) :
	      NULL;
	if (syn) {
		syn->key = key;
		syn->len = pktmeta_sock_fill(req, skb, syn->recs, room,
					     &short_room);
	}
	rcu_read_unlock();
	if (!syn)
		return;

	spin_lock_irqsave(&pktmeta_sock_lock, flags);
	/* The request may have gone or changed meanwhile. */
	req = pktmeta_sock_find(listener);
	if (!req || !req->syn || room > req->max_len) {
		spin_unlock_irqrestore(&pktmeta_sock_lock, flags);
		kfree(syn);
		return;
	}
	/* A retransmitted SYN replaces the first. */
	old = pktmeta_syn_find(&key);
	if (old) {
		pktmeta_syn_del(old->owner, old);
	} else if (req->nsyns == PKTMETA_SYN_MAX) {
		old = list_first_entry(&req->syns, struct pktmeta_syn, list);
		pktmeta_syn_del(req, old);
	}
	syn->owner = req;
	hash_add(pktmeta_syns, &syn->node, pktmeta_syn_hash(&key));
	list_add_tail(&syn->list, &req->syns);
	req->nsyns++;
	spin_unlock_irqrestore(&pktmeta_sock_lock, flags);
	kfree(old);
}

/**
 * pktmeta_sock_syn_take() - the fields of the SYN that opened a connection
 * @fd: a descriptor of the calling process: a TCP socket
 * @buf: where to copy the records
 * @size: room at @buf
 * @extack: for error messages
 *
 * Hands the entry out once, and forgets it.
 *
 * Return: the bytes of records, or -EBADF, -ENOTSOCK, -EPROTOTYPE (not a
 * TCP socket), -ENOENT (no SYN kept for this connection), -EMSGSIZE.
 */
int pktmeta_sock_syn_take(unsigned int fd, void *buf, size_t size,
			  struct netlink_ext_ack *extack)
{
	struct pktmeta_syn_key key;
	struct pktmeta_syn *syn;
	struct socket *sock;
	int err;

	sock = pktmeta_sock_lookup(fd, extack, &err);
	if (!sock)
		return err;
	err = -EPROTOTYPE;
	if (!sock->sk || !pktmeta_sock_tcp(sock->sk)) {
		NL_SET_ERR_MSG_MOD(extack, "a SYN's fields are a TCP connection's");
		goto out;
	}
	pktmeta_syn_key_of_sock(sock->sk, &key);
	spin_lock_irq(&pktmeta_sock_lock);
	syn = pktmeta_syn_find(&key);
	if (syn && syn->len <= size)
		pktmeta_syn_del(syn->owner, syn);
	spin_unlock_irq(&pktmeta_sock_lock);
	err = -ENOENT;
	if (!syn) {
		NL_SET_ERR_MSG_MOD(extack,
				   "no SYN kept for this connection: its listener did not ask, or it was read or pushed out");
		goto out;
	}
	err = -EMSGSIZE;
	if (syn->len > size)
		goto out;
	memcpy(buf, syn->recs, syn->len);
	err = syn->len;
	kfree(syn);
out:
	sockfd_put(sock);
	return err;
}

/**
 * pktmeta_sock_forget() - drop the request of a socket being closed
 * @sk: the socket, from sock_close()
 *
 * Runs in the sock_close hook: a kprobe handler, preemption off.
 */
void pktmeta_sock_forget(const struct sock *sk)
{
	struct pktmeta_sock_req *req;
	unsigned long flags;
	bool last = false;

	if (!READ_ONCE(pktmeta_sock_count))
		return;
	/* No request can come for a socket being closed: look first. */
	rcu_read_lock();
	req = pktmeta_sock_find(sk);
	rcu_read_unlock();
	if (!req)
		return;
	spin_lock_irqsave(&pktmeta_sock_lock, flags);
	req = pktmeta_sock_find(sk);
	if (req) {
		hash_del_rcu(&req->node);
		pktmeta_syn_del_all(req);
		last = !--pktmeta_sock_count;
	}
	spin_unlock_irqrestore(&pktmeta_sock_lock, flags);
	if (req)
		kfree_rcu(req, rcu);
	if (last)
		schedule_work(&pktmeta_sock_detach);
}

/* Detach the hooks once no socket has a request. */
static void pktmeta_sock_detach_work(struct work_struct *work)
{
	mutex_lock(&pktmeta_sock_mutex);
	/* Requests are added under the mutex: none can come meanwhile. */
	if (pktmeta_sock_hooked && !READ_ONCE(pktmeta_sock_count)) {
		pktmeta_hook_socket_detach();
		pktmeta_sock_hooked = false;
	}
	mutex_unlock(&pktmeta_sock_mutex);
}

/**
 * pktmeta_sockets_show() - the requests, for debugfs
 * @m: the seq_file
 * @v: unused
 *
 * Return: 0.
 */
int pktmeta_sockets_show(struct seq_file *m, void *v)
{
	struct pktmeta_sock_req *req;
	unsigned int bkt;

	mutex_lock(&pktmeta_sock_mutex);
	seq_printf(m, "hooked %s\n", pktmeta_sock_hooked ? "yes" : "no");
	seq_puts(m, "inode ids kind\n");
	spin_lock_irq(&pktmeta_sock_lock);
	hash_for_each(pktmeta_sock_reqs, bkt, req, node) {
		u64 left = req->slots;

		seq_printf(m, "%llu", req->ino);
		while (left) {
			seq_printf(m, "%c%u", left == req->slots ? ' ' : ',',
				   req->ids[__ffs64(left)]);
			left &= left - 1;
		}
		if (req->syn)
			seq_printf(m, " syn %u\n", req->nsyns);
		else
			seq_puts(m, " datagrams\n");
	}
	spin_unlock_irq(&pktmeta_sock_lock);
	mutex_unlock(&pktmeta_sock_mutex);
	return 0;
}

/**
 * pktmeta_sockets_exit() - forget every request and detach the hooks
 *
 * At rmmod, after the netlink family is gone (no new request can come).
 * The sockets stay; those whose request turned SO_RXQ_OVFL on get it
 * turned off (atomically: their owner may be changing other flags).
 */
void pktmeta_sockets_exit(void)
{
	struct pktmeta_sock_req *req;
	struct hlist_node *tmp;
	unsigned int bkt;

	mutex_lock(&pktmeta_sock_mutex);
	/* The sock_close hook is still on: a socket with an entry is alive. */
	spin_lock_irq(&pktmeta_sock_lock);
	hash_for_each_safe(pktmeta_sock_reqs, bkt, tmp, req, node) {
		pktmeta_syn_del_all(req);
		if (!req->syn && !req->rxq_ovfl)
			clear_bit(SOCK_RXQ_OVFL,
				  &((struct sock *)req->sk)->sk_flags);
		hash_del_rcu(&req->node);
		kfree_rcu(req, rcu);
	}
	pktmeta_sock_count = 0;
	spin_unlock_irq(&pktmeta_sock_lock);
	if (pktmeta_sock_hooked)
		pktmeta_hook_socket_detach();
	pktmeta_sock_hooked = false;
	mutex_unlock(&pktmeta_sock_mutex);
	/* The sock_close hook may have queued it until it was detached. */
	cancel_work_sync(&pktmeta_sock_detach);
	pktmeta_hook_socket_exit();
}
