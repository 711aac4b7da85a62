// SPDX-License-Identifier: GPL-2.0
/*
 * libpktmeta: requests to the pktmeta generic netlink family through
 * libnl-genl-3. See include/pktmeta.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "pktmeta.h"
#include "pktmeta_int.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct pktmeta {
	struct nl_sock *sk;
	int family;
	char errmsg[256];
};

/* State of one request while its replies are read. */
struct pktmeta_req {
	struct pktmeta *pm;
	int err;		/* errno of an NLMSG_ERROR, negative */
	bool done;
	/* Field replies: the first into *info, or each through cb. */
	struct pktmeta_field_info *info;
	int (*cb)(const struct pktmeta_field_info *info, void *arg);
	void *arg;
	int cb_ret;
	int replies;
	struct pktmeta_registry_info *reg;
	int stats_on;		/* INFO: STATS_ON, -1 when absent */
	/* SOCK_SYN: RECORDS copied into recs (recs_room bytes). */
	void *recs;
	size_t recs_room;
	int recs_len;		/* bytes copied, or -EMSGSIZE */
};

static const char *const pktmeta_stat_names[PKTMETA_NR_STATS] = {
	[PKTMETA_STATS_A_SET] = "sets",
	[PKTMETA_STATS_A_GET] = "gets",
	[PKTMETA_STATS_A_CLEAR] = "clears",
	[PKTMETA_STATS_A_ENOENT] = "enoent",
	[PKTMETA_STATS_A_EINVAL] = "einval",
	[PKTMETA_STATS_A_EFAULT] = "efault",
	[PKTMETA_STATS_A_ENOSPC] = "enospc",
	[PKTMETA_STATS_A_EOPNOTSUPP] = "eopnotsupp",
};

const char *pktmeta_stat_name(int i)
{
	return i > 0 && i < PKTMETA_NR_STATS ? pktmeta_stat_names[i] : NULL;
}

void pktmeta_set_errmsg(struct pktmeta *pm, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(pm->errmsg, sizeof(pm->errmsg), fmt, ap);
	va_end(ap);
}

const char *pktmeta_errmsg(const struct pktmeta *pm)
{
	return pm ? pm->errmsg : "";
}

int pktmeta_open(struct pktmeta **pmp)
{
	struct pktmeta *pm = calloc(1, sizeof(*pm));
	int one = 1, err;

	if (!pm)
		return -ENOMEM;
	pm->sk = nl_socket_alloc();
	if (!pm->sk) {
		free(pm);
		return -ENOMEM;
	}
	err = genl_connect(pm->sk);
	if (err) {
		err = errno ? -errno : -EIO;
		goto fail;
	}
	/* Error messages and the missing attribute, without the request. */
	setsockopt(nl_socket_get_fd(pm->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(pm->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	pm->family = genl_ctrl_resolve(pm->sk, PKTMETA_GENL_NAME);
	if (pm->family < 0) {
		err = pm->family == -NLE_OBJ_NOTFOUND ? -ENOENT : -EIO;
		goto fail;
	}
	*pmp = pm;
	return 0;
fail:
	nl_socket_free(pm->sk);
	free(pm);
	return err;
}

void pktmeta_close(struct pktmeta *pm)
{
	if (!pm)
		return;
	nl_socket_free(pm->sk);
	free(pm);
}

static int pktmeta_on_error(struct sockaddr_nl *nla, struct nlmsgerr *e,
			    void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	struct pktmeta_req *req = arg;
	size_t off;

	(void)nla;
	req->err = e->error;
	req->done = true;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NL_STOP;
	off = NLMSG_HDRLEN + sizeof(*e);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += NLMSG_ALIGN(e->msg.nlmsg_len) - NLMSG_HDRLEN;
	if (off > nlh->nlmsg_len ||
	    nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)nlh + off),
		      nlh->nlmsg_len - off, NULL))
		return NL_STOP;
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(req->pm->errmsg, sizeof(req->pm->errmsg), "%.*s",
			 nla_len(tb[NLMSGERR_ATTR_MSG]),
			 (char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
	else if (tb[NLMSGERR_ATTR_MISS_TYPE])
		snprintf(req->pm->errmsg, sizeof(req->pm->errmsg),
			 "missing attribute %u",
			 nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]));
	return NL_STOP;
}

static int pktmeta_on_done(struct nl_msg *msg, void *arg)
{
	struct pktmeta_req *req = arg;

	(void)msg;
	req->done = true;
	return NL_STOP;
}

static void pktmeta_parse_stats(struct nlattr *nest, __u64 *stats)
{
	struct nlattr *a;
	int rem;

	nla_for_each_nested(a, nest, rem) {
		int t = nla_type(a);

		if (t > 0 && t < PKTMETA_NR_STATS && nla_len(a) == 8)
			stats[t] = nla_get_u64(a);
	}
}

static __u32 pktmeta_u32(struct nlattr *a)
{
	return a && nla_len(a) >= 4 ? nla_get_u32(a) : 0;
}

static __u64 pktmeta_u64(struct nlattr *a)
{
	return a && nla_len(a) >= 8 ? nla_get_u64(a) : 0;
}

static int pktmeta_on_reply(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[PKTMETA_A_MAX + 1];
	struct pktmeta_req *req = arg;
	struct pktmeta_field_info fi;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, PKTMETA_A_MAX, NULL))
		return NL_SKIP;

	if (req->recs) {
		struct nlattr *a = tb[PKTMETA_A_RECORDS];

		if (!a)
			return NL_SKIP;
		if ((size_t)nla_len(a) > req->recs_room) {
			req->recs_len = -EMSGSIZE;
		} else {
			memcpy(req->recs, nla_data(a), nla_len(a));
			req->recs_len = nla_len(a);
		}
		req->replies++;
		return NL_OK;
	}

	if (req->reg) {
		struct pktmeta_registry_info *r = req->reg;

		memset(r, 0, sizeof(*r));
		r->capacity = pktmeta_u32(tb[PKTMETA_A_CAPACITY]);
		r->used = pktmeta_u32(tb[PKTMETA_A_USED]);
		r->fields = pktmeta_u32(tb[PKTMETA_A_FIELDS]);
		r->max_fields = pktmeta_u32(tb[PKTMETA_A_MAX_FIELDS]);
		r->generation = pktmeta_u64(tb[PKTMETA_A_GENERATION]);
		if (tb[PKTMETA_A_STATS])
			pktmeta_parse_stats(tb[PKTMETA_A_STATS], r->unknown_stats);
		if (tb[PKTMETA_A_STATS_ON] && nla_len(tb[PKTMETA_A_STATS_ON]) >= 1)
			req->stats_on = nla_get_u8(tb[PKTMETA_A_STATS_ON]);
		req->replies++;
		return NL_OK;
	}

	if (!tb[PKTMETA_A_ID] || !tb[PKTMETA_A_NAME])
		return NL_SKIP;
	memset(&fi, 0, sizeof(fi));
	fi.id = pktmeta_u32(tb[PKTMETA_A_ID]);
	snprintf(fi.name, sizeof(fi.name), "%.*s",
		 nla_len(tb[PKTMETA_A_NAME]), (char *)nla_data(tb[PKTMETA_A_NAME]));
	fi.size = pktmeta_u32(tb[PKTMETA_A_SIZE]);
	fi.offset = pktmeta_u32(tb[PKTMETA_A_OFFSET]);
	fi.refs = pktmeta_u32(tb[PKTMETA_A_REFS]);
	fi.owned_refs = pktmeta_u32(tb[PKTMETA_A_OWNED_REFS]);
	fi.born = pktmeta_u64(tb[PKTMETA_A_BORN]);
	fi.hint = !!tb[PKTMETA_A_HINT];
	fi.sockets = !!tb[PKTMETA_A_SOCKETS];
	if (tb[PKTMETA_A_STATS])
		pktmeta_parse_stats(tb[PKTMETA_A_STATS], fi.stats);

	if (req->info && !req->replies)
		*req->info = fi;
	if (req->cb && !req->cb_ret)
		req->cb_ret = req->cb(&fi, req->arg);
	req->replies++;
	return NL_OK;
}

/*
 * Send @msg (consumed) and read the replies until the ack, the end of the
 * dump or an error. Return: 0 or a negative errno.
 */
static int pktmeta_request(struct pktmeta *pm, struct nl_msg *msg,
			   struct pktmeta_req *req)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int err;

	req->pm = pm;
	pm->errmsg[0] = '\0';
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, pktmeta_on_reply, req);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, pktmeta_on_done, req);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, pktmeta_on_done, req);
	nl_cb_err(cb, NL_CB_CUSTOM, pktmeta_on_error, req);

	err = nl_send_auto(pm->sk, msg);
	nlmsg_free(msg);
	if (err < 0) {
		nl_cb_put(cb);
		return -EIO;
	}
	while (!req->done) {
		err = nl_recvmsgs(pm->sk, cb);
		if (err < 0 && !req->done) {
			nl_cb_put(cb);
			return err == -NLE_NOMEM ? -ENOMEM : -EIO;
		}
	}
	nl_cb_put(cb);
	return req->err;
}

static struct nl_msg *pktmeta_msg(struct pktmeta *pm, __u8 cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, pm->family, 0,
				NLM_F_ACK | flags, cmd, PKTMETA_GENL_VERSION)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

long long pktmeta_register(struct pktmeta *pm, const char *name, __u32 size,
			   __u32 flags, struct pktmeta_field_info *info)
{
	struct pktmeta_field_info fi;
	struct pktmeta_req req = { .info = &fi };
	struct nl_msg *msg = pktmeta_msg(pm, PKTMETA_CMD_REGISTER, 0);
	int err;

	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, PKTMETA_A_NAME, name) ||
	    nla_put_u32(msg, PKTMETA_A_SIZE, size) ||
	    (flags && nla_put_u32(msg, PKTMETA_A_FLAGS, flags))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	err = pktmeta_request(pm, msg, &req);
	if (err)
		return err;
	if (!req.replies)
		return -EIO;
	if (info)
		*info = fi;
	return fi.id;
}

static int pktmeta_sock_request(struct pktmeta *pm, int fd, bool syn,
				const char *const *names, unsigned int n)
{
	struct pktmeta_req req = { 0 };
	struct nl_msg *msg = pktmeta_msg(pm, PKTMETA_CMD_SOCK_REQUEST, 0);
	struct nlattr *nest;
	unsigned int i;

	if (!msg)
		return -ENOMEM;
	if (fd < 0 || n > PKTMETA_MAX_FIELDS) {
		nlmsg_free(msg);
		pktmeta_set_errmsg(pm, fd < 0 ? "a negative descriptor" :
				   "more names than PKTMETA_MAX_FIELDS");
		return fd < 0 ? -EBADF : -EINVAL;
	}
	if (nla_put_u32(msg, PKTMETA_A_FD, fd) ||
	    (syn && nla_put_flag(msg, PKTMETA_A_SYN)))
		goto too_big;
	nest = nla_nest_start(msg, PKTMETA_A_REQUEST);
	if (!nest)
		goto too_big;
	for (i = 0; i < n; i++)
		if (nla_put_string(msg, PKTMETA_A_NAME, names[i]))
			goto too_big;
	nla_nest_end(msg, nest);
	return pktmeta_request(pm, msg, &req);

too_big:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

int pktmeta_socket_request(struct pktmeta *pm, int fd,
			   const char *const *names, unsigned int n)
{
	return pktmeta_sock_request(pm, fd, false, names, n);
}

int pktmeta_socket_request_syn(struct pktmeta *pm, int fd,
			       const char *const *names, unsigned int n)
{
	return pktmeta_sock_request(pm, fd, true, names, n);
}

int pktmeta_socket_syn(struct pktmeta *pm, int fd, void *buf, size_t size)
{
	struct pktmeta_req req = { .recs = buf, .recs_room = size };
	struct nl_msg *msg = pktmeta_msg(pm, PKTMETA_CMD_SOCK_SYN, 0);
	int err;

	if (!msg)
		return -ENOMEM;
	if (fd < 0) {
		nlmsg_free(msg);
		pktmeta_set_errmsg(pm, "a negative descriptor");
		return -EBADF;
	}
	if (nla_put_u32(msg, PKTMETA_A_FD, fd)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	err = pktmeta_request(pm, msg, &req);
	if (err)
		return err;
	return req.replies ? req.recs_len : -EIO;
}

int pktmeta_unregister(struct pktmeta *pm, __u32 id)
{
	struct pktmeta_req req = { 0 };
	struct nl_msg *msg = pktmeta_msg(pm, PKTMETA_CMD_UNREGISTER, 0);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, PKTMETA_A_ID, id)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return pktmeta_request(pm, msg, &req);
}

int pktmeta_unregister_name(struct pktmeta *pm, const char *name)
{
	struct pktmeta_req req = { 0 };
	struct nl_msg *msg = pktmeta_msg(pm, PKTMETA_CMD_UNREGISTER, 0);

	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, PKTMETA_A_NAME, name)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return pktmeta_request(pm, msg, &req);
}

static int pktmeta_get_one(struct pktmeta *pm, int attr, const char *name,
			   __u32 id, struct pktmeta_field_info *info)
{
	struct pktmeta_req req = { .info = info };
	struct nl_msg *msg = pktmeta_msg(pm, PKTMETA_CMD_GET, 0);
	int err;

	if (!msg)
		return -ENOMEM;
	if (attr == PKTMETA_A_NAME ? nla_put_string(msg, attr, name) :
				     nla_put_u32(msg, attr, id)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	err = pktmeta_request(pm, msg, &req);
	if (!err && !req.replies)
		err = -EIO;
	return err;
}

long long pktmeta_lookup(struct pktmeta *pm, const char *name,
			 struct pktmeta_field_info *info)
{
	struct pktmeta_field_info fi;
	int err = pktmeta_get_one(pm, PKTMETA_A_NAME, name, 0, &fi);

	if (err)
		return err;
	if (info)
		*info = fi;
	return fi.id;
}

int pktmeta_get(struct pktmeta *pm, __u32 id, struct pktmeta_field_info *info)
{
	return pktmeta_get_one(pm, PKTMETA_A_ID, NULL, id, info);
}

int pktmeta_dump(struct pktmeta *pm,
		 int (*cb)(const struct pktmeta_field_info *info, void *arg),
		 void *arg)
{
	struct pktmeta_req req = { .cb = cb, .arg = arg };
	struct nl_msg *msg = pktmeta_msg(pm, PKTMETA_CMD_GET, NLM_F_DUMP);
	int err;

	if (!msg)
		return -ENOMEM;
	err = pktmeta_request(pm, msg, &req);
	return err ? err : req.cb_ret;
}

int pktmeta_registry(struct pktmeta *pm, struct pktmeta_registry_info *info)
{
	struct pktmeta_req req = { .reg = info };
	struct nl_msg *msg = pktmeta_msg(pm, PKTMETA_CMD_INFO, 0);
	int err;

	if (!msg)
		return -ENOMEM;
	err = pktmeta_request(pm, msg, &req);
	if (!err && !req.replies)
		err = -EIO;
	return err;
}

int pktmeta_stats_on(struct pktmeta *pm)
{
	struct pktmeta_registry_info info;
	struct pktmeta_req req = { .reg = &info, .stats_on = -1 };
	struct nl_msg *msg = pktmeta_msg(pm, PKTMETA_CMD_INFO, 0);
	int err;

	if (!msg)
		return -ENOMEM;
	err = pktmeta_request(pm, msg, &req);
	if (!err && req.stats_on < 0)
		err = -EOPNOTSUPP;	/* a module older than the counting switch */
	return err ? err : req.stats_on;
}

int pktmeta_set_stats(struct pktmeta *pm, bool on)
{
	struct pktmeta_req req = { 0 };
	struct nl_msg *msg = pktmeta_msg(pm, PKTMETA_CMD_SET_STATS, 0);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u8(msg, PKTMETA_A_STATS_ON, on)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return pktmeta_request(pm, msg, &req);
}
