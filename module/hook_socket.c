// SPDX-License-Identifier: GPL-2.0
/*
 * Hooks on the socket layer for the fields sockets asked for (sockets.c):
 *
 * - recvmsg: UDP, raw and packet sockets hand each datagram's ancillary
 *   data to __sock_recv_cmsgs() (net/socket.c), through the inline
 *   sock_recv_cmsgs() of include/net/sock.h, which calls it only for a
 *   socket with one of FLAGS_RECV_CMSGS in sk_flags. Writing a control
 *   message copies to the caller's buffer (put_cmsg() in net/core/scm.c)
 *   and may fault and sleep, which no probe handler may do. So the hook
 *   redirects the call instead, as livepatch does (klp_ftrace_handler() in
 *   kernel/livepatch/patch.c): an ftrace callback with IPMODIFY makes the
 *   traced function return into pktmeta_recv_cmsgs(), which runs in the
 *   recvmsg() caller's context, calls the original (its calls from this
 *   module are not redirected) and adds pktmeta's message.
 * - sock_close() (net/socket.c), the release of a socket's file, which
 *   every socket a process holds a descriptor of goes through when its
 *   last descriptor closes: forgets the socket's request before its
 *   struct sock can be freed and reused. (sk_free() would miss sockets:
 *   net/core/sock.c inlines it into sk_common_release(), UDP's close.)
 *   sock_close() is static: a kprobe finds it by name, and its prototype
 *   is checked in the kernel's BTF first, as the driver hooks' are.
 * - tcp_conn_request() (net/ipv4/tcp_input.c), where a listener handles
 *   each SYN (IPv4 and IPv6): keeps the fields of a listener's SYNs that
 *   it asked for. Traced by name (6.12 no longer exports it), its
 *   prototype checked in BTF likewise.
 *
 * Both are registered while at least one socket has a request: a host
 * where no socket asked pays nothing (sockets.c attaches and detaches).
 *
 * Unloading: each redirected call holds a reference on this module from
 * the callback until pktmeta_recv_cmsgs() is done, so rmmod waits for
 * none of them (delete_module() refuses while they run, and
 * try_module_get() fails once it has started). The few instructions of
 * pktmeta_recv_cmsgs() after module_put() are covered by RCU tasks, which
 * unregister_ftrace_function() waits for (ftrace_shutdown() in
 * kernel/trace/ftrace.c) and pktmeta_hook_socket_exit() waits for again.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ftrace.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/rcupdate_wait.h>
#include <net/sock.h>
#include "btf_proto.h"
#include "compat.h"
#include "probe_btf.h"
#include "sockets.h"

static void pktmeta_recv_cmsgs(struct msghdr *msg, struct sock *sk,
			       struct sk_buff *skb)
{
	pktmeta_sock_recv_cmsgs(msg, sk, skb);
	module_put(THIS_MODULE);
}

static void notrace pktmeta_recv_cmsgs_redirect(unsigned long ip,
						unsigned long parent_ip,
						struct ftrace_ops *op,
						struct ftrace_regs *fregs)
{
	/* pktmeta_recv_cmsgs() calling the original: let it through. */
	if (within_module(parent_ip, THIS_MODULE) ||
	    !try_module_get(THIS_MODULE))
		return;
	pktmeta_ftrace_set_ip(fregs, (unsigned long)pktmeta_recv_cmsgs);
}

/* sock_close(struct inode *inode, struct file *filp) */
static int pktmeta_sock_close(struct kprobe *kp, struct pt_regs *regs)
{
	struct inode *inode = (struct inode *)regs_get_kernel_argument(regs, 0);
	const struct sock *sk = SOCKET_I(inode)->sk;

	if (sk)
		pktmeta_sock_forget(sk);
	return 0;
}

static const struct pktmeta_btf_arg pktmeta_sock_close_args[] = {
	{ 0, "inode" },
	{ }
};

static struct kprobe pktmeta_sock_close_kp;

/* tcp_conn_request(rsk_ops, af_ops, struct sock *sk, struct sk_buff *skb) */
static void notrace pktmeta_tcp_conn_request(unsigned long ip,
					     unsigned long parent_ip,
					     struct ftrace_ops *op,
					     struct ftrace_regs *fregs)
{
	pktmeta_sock_syn((const struct sock *)pktmeta_ftrace_arg(fregs, 2),
			 (const struct sk_buff *)pktmeta_ftrace_arg(fregs, 3));
}

static const struct pktmeta_btf_arg pktmeta_tcp_conn_request_args[] = {
	{ 2, "sock" },
	{ 3, "sk_buff" },
	{ }
};

static struct ftrace_ops pktmeta_tcp_conn_request_ops;

static struct ftrace_ops pktmeta_recv_cmsgs_ops;

static bool pktmeta_hook_socket_used;

/*
 * ftrace_free_filter() frees the ops' hashes but leaves the pointers to
 * them (as hooks.c says): each attach starts from a fresh ops.
 */
static void pktmeta_ops_reset(struct ftrace_ops *ops)
{
	ftrace_free_filter(ops);
	memset(ops, 0, sizeof(*ops));
}

static int pktmeta_recv_cmsgs_register(void)
{
	struct ftrace_ops *ops = &pktmeta_recv_cmsgs_ops;
	int err;

	ops->func = pktmeta_recv_cmsgs_redirect;
	ops->flags = FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_IPMODIFY;
	err = ftrace_set_filter_ip(ops, (unsigned long)__sock_recv_cmsgs, 0, 0);
	if (!err)
		err = register_ftrace_function(ops);
	if (err)
		pktmeta_ops_reset(ops);
	return err;
}

static int pktmeta_tcp_conn_request_register(void)
{
	struct ftrace_ops *ops = &pktmeta_tcp_conn_request_ops;
	/* ftrace_set_filter() edits the pattern it parses. */
	char name[] = "tcp_conn_request";
	int err;

	ops->func = pktmeta_tcp_conn_request;
	ops->flags = FTRACE_OPS_FL_RECURSION | PKTMETA_FTRACE_ARGS_FLAGS;
	err = ftrace_set_filter(ops, name, strlen(name), 1);
	if (!err)
		err = register_ftrace_function(ops);
	if (err)
		pktmeta_ops_reset(ops);
	return err;
}

/*
 * The prototypes of the functions traced by name, in the kernel's BTF:
 * sock_close() takes an inode first, tcp_conn_request() a socket and an
 * skb third and fourth.
 */
static int pktmeta_hook_socket_check(void)
{
	struct pktmeta_kbtf k;
	int err;

	err = pktmeta_kbtf_load(&k, NULL);
	if (!err)
		err = pktmeta_btf_check_func(&k.vmlinux, "sock_close",
					     pktmeta_sock_close_args);
	if (!err)
		err = pktmeta_btf_check_func(&k.vmlinux, "tcp_conn_request",
					     pktmeta_tcp_conn_request_args);
	pktmeta_kbtf_free(&k);
	return err;
}

static int pktmeta_sock_close_register(void)
{
	/* A kprobe registered before must be given its symbol afresh. */
	memset(&pktmeta_sock_close_kp, 0, sizeof(pktmeta_sock_close_kp));
	pktmeta_sock_close_kp.symbol_name = "sock_close";
	pktmeta_sock_close_kp.pre_handler = pktmeta_sock_close;
	return register_kprobe(&pktmeta_sock_close_kp);
}

/**
 * pktmeta_hook_socket_attach() - register the socket hooks
 *
 * Called by sockets.c, serialised with pktmeta_hook_socket_detach(), when
 * the first request comes.
 *
 * Return: 0, -EOPNOTSUPP when the architecture's ftrace cannot redirect a
 * call, -EINVAL when sock_close() takes other arguments (kernel BTF), or
 * the error of kprobes or ftrace (-EBUSY: another IPMODIFY user, such as a
 * live patch, owns __sock_recv_cmsgs()).
 */
int pktmeta_hook_socket_attach(void)
{
	int err = -EOPNOTSUPP;

	if (!PKTMETA_HAVE_FTRACE_SET_IP)
		goto fail;
	err = pktmeta_hook_socket_check();
	if (!err)
		err = pktmeta_sock_close_register();
	if (err)
		goto fail;
	err = pktmeta_recv_cmsgs_register();
	if (err)
		goto fail_close;
	err = pktmeta_tcp_conn_request_register();
	if (err) {
		unregister_ftrace_function(&pktmeta_recv_cmsgs_ops);
		pktmeta_ops_reset(&pktmeta_recv_cmsgs_ops);
		goto fail_close;
	}
	pktmeta_hook_socket_used = true;
	return 0;
fail_close:
	unregister_kprobe(&pktmeta_sock_close_kp);
fail:
	pr_warn("cannot hook recvmsg's control messages, sock_close and tcp_conn_request: %d\n",
		err);
	return err;
}

/**
 * pktmeta_hook_socket_detach() - unregister the socket hooks
 *
 * Called by sockets.c once no socket has a request: recvmsg() is then
 * not redirected, and sock_close() forgets no socket. A call redirected
 * before may still be running: it holds its module reference.
 */
void pktmeta_hook_socket_detach(void)
{
	unregister_ftrace_function(&pktmeta_tcp_conn_request_ops);
	pktmeta_ops_reset(&pktmeta_tcp_conn_request_ops);
	unregister_ftrace_function(&pktmeta_recv_cmsgs_ops);
	pktmeta_ops_reset(&pktmeta_recv_cmsgs_ops);
	unregister_kprobe(&pktmeta_sock_close_kp);
}

/**
 * pktmeta_hook_socket_exit() - wait for the last redirected calls' return
 *
 * After the hooks are detached, before the module's text goes: a call that
 * dropped its reference may still be returning from pktmeta_recv_cmsgs().
 */
void pktmeta_hook_socket_exit(void)
{
	if (pktmeta_hook_socket_used)
		synchronize_rcu_tasks();
}
