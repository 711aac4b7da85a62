// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink family "pktmeta": register, unregister,
 * look up and dump fields from userspace. The constants are in
 * include/uapi/linux/pktmeta.h; Documentation/netlink/specs/pktmeta.yaml
 * describes the family for YNL tools (keep the three in step: make
 * ynl-check compares the spec with the header).
 *
 * Permissions: REGISTER and UNREGISTER need CAP_NET_ADMIN in the initial
 * user namespace (GENL_ADMIN_PERM), since the registry is global to the
 * host. GET (lookup and dump) and INFO are open to every user, like
 * "ip link show": names, sizes, offsets and counters are no secret, and
 * programs that only read the registry need no privilege. SOCK_REQUEST is
 * open to every user too: it names a socket by a descriptor of the
 * sending process (the doit runs in its context, sockets.c), and only
 * fields their creators offered to sockets. The family is reachable from
 * every network namespace (netnsok), with the same rules.
 *
 * Validation: every command has a strict policy (unknown attributes,
 * attributes of the wrong type or length, and values out of range are
 * refused by the netlink core with an extended ack), a name must be exactly
 * a NUL-terminated valid field name, and a message may not carry the same
 * attribute twice.
 *
 * Owned references (PKTMETA_F_OWNED): the reference taken by such a
 * registration is recorded against the sending socket, identified by its
 * network namespace and port id, and dropped when that socket is released
 * (netlink notifier, NETLINK_URELEASE). The per-socket private memory of
 * genl families (sock_priv_*) would do the same, but it appeared in 6.11 and
 * 6.1 has none; the netlink notifier exists on every supported kernel, runs
 * in process context for each released bound socket and is what nl80211 and
 * others use for the same purpose.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include "compat.h"
#include "pktmeta.h"
#include "sockets.h"
#include "stats.h"

/**
 * struct pktmeta_owned - references on a field owned by a netlink socket
 * @node: in pktmeta_owned_list
 * @net: the socket's network namespace (compared, never dereferenced; a
 *       user socket holds its namespace until it is released)
 * @portid: the socket's port id
 * @id: the field's id
 * @count: references this socket owns on the field
 */
struct pktmeta_owned {
	struct list_head node;
	struct net *net;
	u32 portid;
	u32 id;
	u32 count;
};

static struct genl_family pktmeta_genl_family;

/* Owned references; the lock is taken before the registry's writer lock. */
static LIST_HEAD(pktmeta_owned_list);
static DEFINE_MUTEX(pktmeta_owned_lock);

static struct pktmeta_owned *pktmeta_owned_find(struct net *net, u32 portid,
						u32 id)
{
	struct pktmeta_owned *o;

	lockdep_assert_held(&pktmeta_owned_lock);
	list_for_each_entry(o, &pktmeta_owned_list, node) {
		if (o->net == net && o->portid == portid && o->id == id)
			return o;
	}
	return NULL;
}

/* References on @id owned by any socket. */
static u32 pktmeta_owned_refs(u32 id)
{
	struct pktmeta_owned *o;
	u32 refs = 0;

	mutex_lock(&pktmeta_owned_lock);
	list_for_each_entry(o, &pktmeta_owned_list, node) {
		if (o->id == id)
			refs += o->count;
	}
	mutex_unlock(&pktmeta_owned_lock);
	return refs;
}

static const struct nla_policy pktmeta_register_policy[PKTMETA_A_FLAGS + 1] = {
	[PKTMETA_A_NAME] = { .type = NLA_NUL_STRING, .len = PKTMETA_NAME_MAX - 1 },
	[PKTMETA_A_SIZE] = NLA_POLICY_RANGE(NLA_U32, 1, PKTMETA_MAX_CAPACITY),
	[PKTMETA_A_FLAGS] = NLA_POLICY_MASK(NLA_U32, PKTMETA_F_ALL),
};

/*
 * INFO takes no attribute. Its own policy refuses every one: 7.x's
 * genl_op_from_full() (net/netlink/genetlink.c) gives an op without a
 * policy the family's maxattr but the core's one-entry reject-all policy,
 * which validate_nla() (lib/nlattr.c) then reads past for any attribute
 * type from 1 to maxattr: a BUG_ON(pt->type > NLA_TYPE_MAX) reachable by
 * any user.
 */
static const struct nla_policy pktmeta_info_policy[PKTMETA_A_MAX + 1] = {
	[0 ... PKTMETA_A_MAX] = { .type = NLA_REJECT },
};

/* SET_STATS: STATS_ON, 0 or 1. */
static const struct nla_policy pktmeta_set_stats_policy[PKTMETA_A_STATS_ON + 1] = {
	[PKTMETA_A_STATS_ON] = NLA_POLICY_MAX(NLA_U8, 1),
};

/* UNREGISTER and GET: a field by id or by name. */
static const struct nla_policy pktmeta_field_policy[PKTMETA_A_NAME + 1] = {
	[PKTMETA_A_ID] = { .type = NLA_U32 },
	[PKTMETA_A_NAME] = { .type = NLA_NUL_STRING, .len = PKTMETA_NAME_MAX - 1 },
};

/* SOCK_REQUEST: the descriptor, and the fields' names in a nest. */
static const struct nla_policy pktmeta_request_names_policy[PKTMETA_A_NAME + 1] = {
	[PKTMETA_A_NAME] = { .type = NLA_NUL_STRING, .len = PKTMETA_NAME_MAX - 1 },
};

static const struct nla_policy pktmeta_sock_request_policy[PKTMETA_A_SYN + 1] = {
	[PKTMETA_A_FD] = { .type = NLA_U32 },
	[PKTMETA_A_REQUEST] = NLA_POLICY_NESTED(pktmeta_request_names_policy),
	[PKTMETA_A_SYN] = { .type = NLA_FLAG },
};

/* SOCK_SYN: the accepted socket's descriptor. */
static const struct nla_policy pktmeta_sock_syn_policy[PKTMETA_A_FD + 1] = {
	[PKTMETA_A_FD] = { .type = NLA_U32 },
};

/*
 * Formatted extended ack messages (6.2 and later) hold at most
 * NETLINK_MAX_FMTMSG_LEN (80) bytes with the "pktmeta: " prefix: the ones
 * below stay under it for any name and size.
 */

/* Refuse a message that carries an attribute twice (the core keeps the last). */
static int pktmeta_nl_no_dups(struct genl_info *info)
{
	const struct nlattr *a;
	unsigned long seen = 0;
	int rem;

	BUILD_BUG_ON(PKTMETA_A_MAX >= BITS_PER_LONG);
	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
		int type = nla_type(a);

		/* The policy refused any type above PKTMETA_A_MAX. */
		if (type > PKTMETA_A_MAX)
			continue;
		if (__test_and_set_bit(type, &seen)) {
			NL_SET_ERR_MSG_ATTR(info->extack, a,
					    "pktmeta: attribute given twice");
			return -EINVAL;
		}
	}
	return 0;
}

/* The field name in attribute @a: exactly a NUL-terminated valid name. */
static int pktmeta_nl_name_of(const struct nlattr *a,
			      struct netlink_ext_ack *extack,
			      const char **name, size_t *len)
{
	const char *s = nla_data(a);
	size_t n = strnlen(s, nla_len(a));

	if (n + 1 != nla_len(a)) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "pktmeta: bytes after the name's terminating NUL");
		return -EINVAL;
	}
	if (!pktmeta_name_valid(s, n)) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "pktmeta: a field name has 1 to 31 characters of [a-z0-9_.-]");
		return -EINVAL;
	}
	*name = s;
	*len = n;
	return 0;
}

/* The field name in PKTMETA_A_NAME. */
static int pktmeta_nl_name(struct genl_info *info, const char **name,
			   size_t *len)
{
	return pktmeta_nl_name_of(info->attrs[PKTMETA_A_NAME], info->extack,
				  name, len);
}

/*
 * The field named by PKTMETA_A_ID or PKTMETA_A_NAME (exactly one of them):
 * its id. Takes no reference.
 */
static int pktmeta_nl_field_id(struct genl_info *info, u32 *id)
{
	struct nlattr **attrs = info->attrs;
	const char *name;
	size_t len;
	int err;

	if (!!attrs[PKTMETA_A_ID] == !!attrs[PKTMETA_A_NAME]) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "give either the field's id or its name");
		return -EINVAL;
	}
	if (attrs[PKTMETA_A_ID]) {
		*id = nla_get_u32(attrs[PKTMETA_A_ID]);
		return 0;
	}
	err = pktmeta_nl_name(info, &name, &len);
	if (err)
		return err;
	err = pktmeta_lookup(name, len, id);
	if (err == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[PKTMETA_A_NAME],
				    "pktmeta: no field of this name");
	return err;
}

/*
 * A copy of the live field @id from the published layout, and whether it
 * is offered to sockets.
 */
static int pktmeta_nl_copy_field(u32 id, struct pktmeta_field *copy,
				 bool *sockets)
{
	const struct pktmeta_snapshot *snap;
	const struct pktmeta_field *f = NULL;

	rcu_read_lock();
	snap = rcu_dereference(pktmeta_current);
	if (snap)
		f = pktmeta_layout_field(&snap->layout, id);
	if (f) {
		*copy = *f;
		*sockets = snap->layout.sockets & (1ULL << (id & PKTMETA_SLOT_MASK));
	}
	rcu_read_unlock();
	return f ? 0 : -ENOENT;
}

/* The area's capacity, for error messages. */
static u32 __maybe_unused pktmeta_nl_capacity(void)
{
	const struct pktmeta_snapshot *snap;
	u32 capacity = 0;

	rcu_read_lock();
	snap = rcu_dereference(pktmeta_current);
	if (snap)
		capacity = snap->layout.capacity;
	rcu_read_unlock();
	return capacity;
}

/* The size of the field called @name, 0 if none, for error messages. */
static u32 __maybe_unused pktmeta_nl_size_of(const char *name, size_t len)
{
	struct pktmeta_field f;
	bool sockets;
	u32 id;

	if (pktmeta_lookup(name, len, &id) ||
	    pktmeta_nl_copy_field(id, &f, &sockets))
		return 0;
	return f.size;
}

static const u16 pktmeta_stats_attrs[PKTMETA_STAT_NR] = {
	[PKTMETA_STAT_SET] = PKTMETA_STATS_A_SET,
	[PKTMETA_STAT_GET] = PKTMETA_STATS_A_GET,
	[PKTMETA_STAT_CLEAR] = PKTMETA_STATS_A_CLEAR,
	[PKTMETA_STAT_ENOENT] = PKTMETA_STATS_A_ENOENT,
	[PKTMETA_STAT_EINVAL] = PKTMETA_STATS_A_EINVAL,
	[PKTMETA_STAT_EFAULT] = PKTMETA_STATS_A_EFAULT,
	[PKTMETA_STAT_ENOSPC] = PKTMETA_STATS_A_ENOSPC,
	[PKTMETA_STAT_EOPNOTSUPP] = PKTMETA_STATS_A_EOPNOTSUPP,
};

/* The counters of @row; sets, gets and clears only while counted. */
static int pktmeta_nl_put_stats(struct sk_buff *skb, unsigned int row)
{
	struct nlattr *nest = nla_nest_start(skb, PKTMETA_A_STATS);
	bool counting = pktmeta_stats_counting();
	int stat;

	if (!nest)
		return -EMSGSIZE;
	for (stat = 0; stat < PKTMETA_STAT_NR; stat++) {
		if (stat <= PKTMETA_STAT_CLEAR && !counting)
			continue;
		if (nla_put_u64_64bit(skb, pktmeta_stats_attrs[stat],
				      pktmeta_stats_sum(row, stat),
				      PKTMETA_STATS_A_PAD)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* One message describing field @f, offered to sockets or not. */
static int pktmeta_nl_fill_field(struct sk_buff *skb, u32 portid, u32 seq,
				 int flags, u8 cmd,
				 const struct pktmeta_field *f, bool sockets)
{
	void *hdr = genlmsg_put(skb, portid, seq, &pktmeta_genl_family, flags,
				cmd);

	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, PKTMETA_A_ID, f->id) ||
	    nla_put_string(skb, PKTMETA_A_NAME, f->name) ||
	    nla_put_u32(skb, PKTMETA_A_SIZE, f->size) ||
	    nla_put_u32(skb, PKTMETA_A_OFFSET, f->offset) ||
	    nla_put_u32(skb, PKTMETA_A_REFS, pktmeta_refs(f->id)) ||
	    nla_put_u32(skb, PKTMETA_A_OWNED_REFS, pktmeta_owned_refs(f->id)) ||
	    nla_put_u64_64bit(skb, PKTMETA_A_BORN, f->born, PKTMETA_A_PAD) ||
	    (f->id < PKTMETA_NR_HINTS && nla_put_flag(skb, PKTMETA_A_HINT)) ||
	    (sockets && nla_put_flag(skb, PKTMETA_A_SOCKETS)) ||
	    pktmeta_nl_put_stats(skb, f->id & PKTMETA_SLOT_MASK)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* Reply to @info with field @id; -ENOENT if it died meanwhile. */
static int pktmeta_nl_reply_field(struct genl_info *info, u32 id)
{
	struct pktmeta_field f;
	struct sk_buff *msg;
	bool sockets;
	int err;

	err = pktmeta_nl_copy_field(id, &f, &sockets);
	if (err) {
		NL_SET_ERR_MSG_MOD(info->extack, "no field with this id");
		return err;
	}
	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	err = pktmeta_nl_fill_field(msg, info->snd_portid, info->snd_seq, 0,
				    info->genlhdr->cmd, &f, sockets);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/*
 * A registration whose reply could not be sent: the caller learns only the
 * error, so give back the reference it took (and its ownership record).
 */
static void pktmeta_nl_undo_register(struct net *net, u32 portid, u32 id,
				     bool owned)
{
	struct pktmeta_owned *o;

	mutex_lock(&pktmeta_owned_lock);
	if (owned) {
		o = pktmeta_owned_find(net, portid, id);
		if (o && !--o->count) {
			list_del(&o->node);
			kfree(o);
		}
	}
	pktmeta_unregister(id);
	mutex_unlock(&pktmeta_owned_lock);
}

static int pktmeta_nl_register(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct pktmeta_owned *o, *fresh = NULL;
	u32 size, flags = 0, id;
	const char *name;
	size_t len;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, PKTMETA_A_NAME) ||
	    GENL_REQ_ATTR_CHECK(info, PKTMETA_A_SIZE))
		return -EINVAL;
	err = pktmeta_nl_no_dups(info);
	if (!err)
		err = pktmeta_nl_name(info, &name, &len);
	if (err)
		return err;
	size = nla_get_u32(info->attrs[PKTMETA_A_SIZE]);
	if (info->attrs[PKTMETA_A_FLAGS])
		flags = nla_get_u32(info->attrs[PKTMETA_A_FLAGS]);

	if (flags & PKTMETA_F_OWNED) {
		fresh = kzalloc(sizeof(*fresh), GFP_KERNEL);
		if (!fresh)
			return -ENOMEM;
	}

	mutex_lock(&pktmeta_owned_lock);
	err = pktmeta_register(name, len, size, flags, &id);
	if (!err && fresh) {
		o = pktmeta_owned_find(net, info->snd_portid, id);
		if (o) {
			o->count++;
		} else {
			fresh->net = net;
			fresh->portid = info->snd_portid;
			fresh->id = id;
			fresh->count = 1;
			list_add(&fresh->node, &pktmeta_owned_list);
			fresh = NULL;
		}
	}
	mutex_unlock(&pktmeta_owned_lock);
	kfree(fresh);

	switch (err) {
	case 0:
		break;
	case -EINVAL:
		PKTMETA_NL_ERR_FMT(info->extack,
				   "the size exceeds the area's capacity (module parameter capacity)",
				   "size %u exceeds the area's capacity of %u bytes",
				   size, pktmeta_nl_capacity());
		return err;
	case -EEXIST:
		if (pktmeta_nl_size_of(name, len) == size)
			PKTMETA_NL_ERR_FMT(info->extack,
					   "the field exists and its creator did not offer it to sockets",
					   "field '%s' exists, not offered to sockets",
					   name);
		else
			PKTMETA_NL_ERR_FMT(info->extack,
					   "a field of this name exists with another size",
					   "field '%s' exists with size %u",
					   name, pktmeta_nl_size_of(name, len));
		return err;
	case -ENOSPC:
		NL_SET_ERR_MSG_MOD(info->extack,
				   "no free field slot or no room left in the area");
		return err;
	case -EOVERFLOW:
		NL_SET_ERR_MSG_MOD(info->extack, "too many references on the field");
		return err;
	default:
		return err;
	}
	err = pktmeta_nl_reply_field(info, id);
	if (err)
		pktmeta_nl_undo_register(net, info->snd_portid, id,
					 flags & PKTMETA_F_OWNED);
	return err;
}

static int pktmeta_nl_unregister(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct pktmeta_owned *o;
	u32 id;
	int err;

	err = pktmeta_nl_no_dups(info);
	if (!err)
		err = pktmeta_nl_field_id(info, &id);
	if (err)
		return err;

	/* A socket that owns references on the field drops one of them. */
	mutex_lock(&pktmeta_owned_lock);
	err = pktmeta_unregister(id);
	o = pktmeta_owned_find(net, info->snd_portid, id);
	if (!err && o && !--o->count) {
		list_del(&o->node);
		kfree(o);
	}
	mutex_unlock(&pktmeta_owned_lock);

	if (err == -ENOENT)
		NL_SET_ERR_MSG_MOD(info->extack, "no field with this id");
	else if (err == -EPERM)
		NL_SET_ERR_MSG_MOD(info->extack,
				   "predefined hint fields cannot be unregistered (module parameters hint_*)");
	return err;
}

static int pktmeta_nl_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	u32 id;
	int err;

	err = pktmeta_nl_no_dups(info);
	if (!err)
		err = pktmeta_nl_field_id(info, &id);
	if (err)
		return err;
	return pktmeta_nl_reply_field(info, id);
}

/* cb->args[0]: the slot to continue from. */
static int pktmeta_nl_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	const struct pktmeta_snapshot *snap;
	struct pktmeta_layout *l;
	unsigned int slot;
	int err = 0;

	l = kmalloc(sizeof(*l), GFP_KERNEL);
	if (!l)
		return -ENOMEM;
	rcu_read_lock();
	snap = rcu_dereference(pktmeta_current);
	if (snap)
		*l = snap->layout;
	rcu_read_unlock();
	if (!snap) {
		kfree(l);
		return -ENODEV;
	}

	for (slot = cb->args[0]; slot < PKTMETA_MAX_FIELDS; slot++) {
		if (!(l->live & (1ULL << slot)))
			continue;
		err = pktmeta_nl_fill_field(skb, NETLINK_CB(cb->skb).portid,
					    cb->nlh->nlmsg_seq, NLM_F_MULTI,
					    PKTMETA_CMD_GET, &l->fields[slot],
					    l->sockets & (1ULL << slot));
		if (err)
			break;
	}
	kfree(l);
	/* A field too big for an empty message would loop forever. */
	if (err && !skb->len)
		return err;
	cb->args[0] = slot;
	return skb->len;
}

static int pktmeta_nl_info(struct sk_buff *skb, struct genl_info *info)
{
	const struct pktmeta_snapshot *snap;
	u32 capacity = 0, used = 0, fields = 0;
	u64 generation = 0;
	unsigned int slot;
	struct sk_buff *msg;
	void *hdr;

	rcu_read_lock();
	snap = rcu_dereference(pktmeta_current);
	if (snap) {
		const struct pktmeta_layout *l = &snap->layout;

		capacity = l->capacity;
		generation = l->generation;
		for (slot = 0; slot < PKTMETA_MAX_FIELDS; slot++) {
			if (l->live & (1ULL << slot)) {
				used += l->fields[slot].size;
				fields++;
			}
		}
	}
	rcu_read_unlock();
	if (!snap)
		return -ENODEV;

	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &pktmeta_genl_family, 0,
				PKTMETA_CMD_INFO);
	if (!hdr ||
	    nla_put_u32(msg, PKTMETA_A_CAPACITY, capacity) ||
	    nla_put_u32(msg, PKTMETA_A_USED, used) ||
	    nla_put_u32(msg, PKTMETA_A_FIELDS, fields) ||
	    nla_put_u32(msg, PKTMETA_A_MAX_FIELDS, PKTMETA_MAX_FIELDS) ||
	    nla_put_u64_64bit(msg, PKTMETA_A_GENERATION, generation,
			      PKTMETA_A_PAD) ||
	    nla_put_u8(msg, PKTMETA_A_STATS_ON, pktmeta_stats_counting()) ||
	    pktmeta_nl_put_stats(msg, PKTMETA_STATS_UNKNOWN)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int pktmeta_nl_set_stats(struct sk_buff *skb, struct genl_info *info)
{
	if (!info->attrs[PKTMETA_A_STATS_ON]) {
		NL_SET_ERR_MSG(info->extack, "STATS_ON (0 or 1) is required");
		return -EINVAL;
	}
	pktmeta_stats_switch(nla_get_u8(info->attrs[PKTMETA_A_STATS_ON]));
	return 0;
}

/*
 * The ids of the fields named in REQUEST, each live, offered to sockets and
 * named once; *@n of them.
 */
static int pktmeta_nl_request_ids(struct genl_info *info, u32 *ids,
				  unsigned int *n)
{
	const struct nlattr *a;
	u64 slots = 0;
	int rem;

	*n = 0;
	nla_for_each_nested(a, info->attrs[PKTMETA_A_REQUEST], rem) {
		struct pktmeta_field f;
		const char *name;
		bool sockets;
		size_t len;
		u32 id;
		int err;

		if (nla_type(a) != PKTMETA_A_NAME) {
			NL_SET_ERR_MSG_ATTR(info->extack, a,
					    "pktmeta: REQUEST holds NAME attributes only");
			return -EINVAL;
		}
		err = pktmeta_nl_name_of(a, info->extack, &name, &len);
		if (err)
			return err;
		if (pktmeta_lookup(name, len, &id) ||
		    pktmeta_nl_copy_field(id, &f, &sockets)) {
			PKTMETA_NL_ERR_FMT(info->extack, "no field of this name",
					   "no field '%s'", name);
			return -ENOENT;
		}
		if (!sockets) {
			PKTMETA_NL_ERR_FMT(info->extack,
					   "a field its creator did not offer to sockets (PKTMETA_F_SOCKETS)",
					   "field '%s' is not offered to sockets", name);
			return -EPERM;
		}
		if (slots & (1ULL << (id & PKTMETA_SLOT_MASK))) {
			PKTMETA_NL_ERR_FMT(info->extack, "a field named twice",
					   "field '%s' named twice", name);
			return -EINVAL;
		}
		slots |= 1ULL << (id & PKTMETA_SLOT_MASK);
		ids[(*n)++] = id;
	}
	return 0;
}

static int pktmeta_nl_sock_request(struct sk_buff *skb, struct genl_info *info)
{
	u32 ids[PKTMETA_MAX_FIELDS];
	unsigned int n;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, PKTMETA_A_FD) ||
	    GENL_REQ_ATTR_CHECK(info, PKTMETA_A_REQUEST))
		return -EINVAL;
	err = pktmeta_nl_no_dups(info);
	if (!err)
		err = pktmeta_nl_request_ids(info, ids, &n);
	if (err)
		return err;
	return pktmeta_sock_request(nla_get_u32(info->attrs[PKTMETA_A_FD]),
				    nla_get_flag(info->attrs[PKTMETA_A_SYN]),
				    ids, n, info->extack);
}

/* The most bytes of records a SYN can keep: every field, padded. */
#define PKTMETA_NL_RECS_MAX \
	(PKTMETA_MAX_FIELDS * (sizeof(struct pktmeta_rec) + 3) + PKTMETA_MAX_CAPACITY)

static int pktmeta_nl_sock_syn(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr, *recs;
	int len;

	if (GENL_REQ_ATTR_CHECK(info, PKTMETA_A_FD))
		return -EINVAL;
	recs = kmalloc(PKTMETA_NL_RECS_MAX, GFP_KERNEL);
	msg = nlmsg_new(nla_total_size(PKTMETA_NL_RECS_MAX), GFP_KERNEL);
	len = recs && msg ? 0 : -ENOMEM;
	if (!len)
		len = pktmeta_sock_syn_take(nla_get_u32(info->attrs[PKTMETA_A_FD]),
					    recs, PKTMETA_NL_RECS_MAX,
					    info->extack);
	if (len < 0)
		goto fail;
	hdr = genlmsg_put_reply(msg, info, &pktmeta_genl_family, 0,
				PKTMETA_CMD_SOCK_SYN);
	if (!hdr || nla_put(msg, PKTMETA_A_RECORDS, len, recs)) {
		len = -EMSGSIZE;
		goto fail;
	}
	genlmsg_end(msg, hdr);
	kfree(recs);
	return genlmsg_reply(msg, info);
fail:
	nlmsg_free(msg);
	kfree(recs);
	return len;
}

static const struct genl_ops pktmeta_nl_ops[] = {
	{
		.cmd = PKTMETA_CMD_REGISTER,
		.doit = pktmeta_nl_register,
		.policy = pktmeta_register_policy,
		.maxattr = ARRAY_SIZE(pktmeta_register_policy) - 1,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = PKTMETA_CMD_UNREGISTER,
		.doit = pktmeta_nl_unregister,
		.policy = pktmeta_field_policy,
		.maxattr = ARRAY_SIZE(pktmeta_field_policy) - 1,
		.flags = GENL_ADMIN_PERM,
	},
	{
		/* Dumps take no attributes: they are accepted and ignored. */
		.cmd = PKTMETA_CMD_GET,
		.doit = pktmeta_nl_get_doit,
		.dumpit = pktmeta_nl_get_dumpit,
		.policy = pktmeta_field_policy,
		.maxattr = ARRAY_SIZE(pktmeta_field_policy) - 1,
	},
	{
		.cmd = PKTMETA_CMD_INFO,
		.doit = pktmeta_nl_info,
		.policy = pktmeta_info_policy,
		.maxattr = ARRAY_SIZE(pktmeta_info_policy) - 1,
	},
	{
		.cmd = PKTMETA_CMD_SET_STATS,
		.doit = pktmeta_nl_set_stats,
		.policy = pktmeta_set_stats_policy,
		.maxattr = ARRAY_SIZE(pktmeta_set_stats_policy) - 1,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = PKTMETA_CMD_SOCK_REQUEST,
		.doit = pktmeta_nl_sock_request,
		.policy = pktmeta_sock_request_policy,
		.maxattr = ARRAY_SIZE(pktmeta_sock_request_policy) - 1,
	},
	{
		.cmd = PKTMETA_CMD_SOCK_SYN,
		.doit = pktmeta_nl_sock_syn,
		.policy = pktmeta_sock_syn_policy,
		.maxattr = ARRAY_SIZE(pktmeta_sock_syn_policy) - 1,
	},
};

static struct genl_family pktmeta_genl_family __ro_after_init = {
	.name = PKTMETA_GENL_NAME,
	.version = PKTMETA_GENL_VERSION,
	.maxattr = PKTMETA_A_MAX,
	.netnsok = true,
	.module = THIS_MODULE,
	.ops = pktmeta_nl_ops,
	.n_ops = ARRAY_SIZE(pktmeta_nl_ops),
	/* Every command is strict: reserved header bits and flags checked. */
	.resv_start_op = PKTMETA_CMD_REGISTER,
};

/* Drop the references owned by a released generic netlink socket. */
static int pktmeta_nl_release(struct notifier_block *nb, unsigned long event,
			      void *ptr)
{
	struct netlink_notify *n = ptr;
	struct pktmeta_owned *o, *tmp;
	int err;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC)
		return NOTIFY_DONE;

	mutex_lock(&pktmeta_owned_lock);
	list_for_each_entry_safe(o, tmp, &pktmeta_owned_list, node) {
		if (o->net != n->net || o->portid != n->portid)
			continue;
		for (; o->count; o->count--) {
			err = pktmeta_unregister(o->id);
			/* -ENOENT: someone else unregistered it already. */
			if (err && err != -ENOENT)
				pr_warn("cannot drop a reference on field %u owned by port %u: %d\n",
					o->id, o->portid, err);
		}
		list_del(&o->node);
		kfree(o);
	}
	mutex_unlock(&pktmeta_owned_lock);
	return NOTIFY_DONE;
}

static struct notifier_block pktmeta_nl_notifier = {
	.notifier_call = pktmeta_nl_release,
};

/**
 * pktmeta_netlink_init() - register the generic netlink family "pktmeta"
 *
 * Call after the registry is set up.
 *
 * Return: 0, or the error of netlink_register_notifier() or
 * genl_register_family() (-EEXIST if another module owns the name).
 */
int pktmeta_netlink_init(void)
{
	int err;

	err = netlink_register_notifier(&pktmeta_nl_notifier);
	if (err)
		return err;
	err = genl_register_family(&pktmeta_genl_family);
	if (err)
		netlink_unregister_notifier(&pktmeta_nl_notifier);
	return err;
}

/**
 * pktmeta_netlink_exit() - unregister the family and forget owned references
 *
 * Call before the registry is torn down. The references still owned by open
 * sockets go with the registry.
 */
void pktmeta_netlink_exit(void)
{
	struct pktmeta_owned *o, *tmp;

	genl_unregister_family(&pktmeta_genl_family);
	netlink_unregister_notifier(&pktmeta_nl_notifier);
	mutex_lock(&pktmeta_owned_lock);
	list_for_each_entry_safe(o, tmp, &pktmeta_owned_list, node) {
		list_del(&o->node);
		kfree(o);
	}
	mutex_unlock(&pktmeta_owned_lock);
}
