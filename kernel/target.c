// SPDX-License-Identifier: GPL-2.0
/*
 * target.c - evn targets: named NVMe namespaces of NVMe-oF subsystems, and
 * the controller associations they share
 *
 * A target is (address, port, subsystem NQN, namespace id) with a name the
 * user gives. Targets reached through the same address, port, subsystem and
 * host NQN share one controller association (struct evn_assoc), so every
 * volume with an extent on that subsystem uses the same I/O queues.
 *
 * target-add connects synchronously without holding evn_lock: the target is
 * listed first with no association ("being added"), so its name is taken
 * while state notifications and volume restarts of other targets, which
 * need evn_lock, go on during a slow connect. Commands run in parallel
 * (the family has parallel_ops): each takes evn_lock for what it reads or
 * changes, and none holds it across a connect, I/O or add_disk().
 *
 * Copyright (C) 2026 The evn authors
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/idr.h>
#include <linux/inet.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uuid.h>
#include <net/genetlink.h>

#include "evn.h"

static unsigned int reconnect_delay = 10;
module_param(reconnect_delay, uint, 0644);
MODULE_PARM_DESC(reconnect_delay,
		 "default seconds between reconnect attempts (default 10)");

static unsigned int loss_timeout = 600;
module_param(loss_timeout, uint, 0644);
MODULE_PARM_DESC(loss_timeout,
		 "default seconds I/O waits for a lost target before failing (default 600)");

static char *hostnqn;
module_param(hostnqn, charp, 0444);
MODULE_PARM_DESC(hostnqn,
		 "default host NQN (default: nqn.2014-08.org.nvmexpress:uuid:<random uuid>)");

/* Serializes configuration: target, association and volume lists. */
DEFINE_MUTEX(evn_lock);
static LIST_HEAD(evn_targets);		/* under evn_lock, ordered by id */
static LIST_HEAD(evn_assocs);		/* under evn_lock */
static DEFINE_IDA(evn_target_ida);
static uuid_t evn_hostid;
static char evn_default_hostnqn[EVN_NQN_BUF];

/**
 * evn_target_find() - look a target up by name
 * @name: the name
 *
 * Context: evn_lock held.
 * Return: the target or NULL.
 */
struct evn_target *evn_target_find(const char *name)
{
	struct evn_target *t;

	lockdep_assert_held(&evn_lock);
	list_for_each_entry(t, &evn_targets, list)
		if (!strcmp(t->name, name))
			return t;
	return NULL;
}

static struct evn_target *evn_target_find_id(u32 id)
{
	struct evn_target *t;

	list_for_each_entry(t, &evn_targets, list)
		if (t->id == id)
			return t;
	return NULL;
}

/* The target named by EVN_A_TARGET_NAME or EVN_A_TARGET_ID. */
static struct evn_target *evn_target_lookup(struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	struct evn_target *t;

	if (tb[EVN_A_TARGET_NAME]) {
		t = evn_target_find(nla_data(tb[EVN_A_TARGET_NAME]));
		if (!t)
			NL_SET_ERR_MSG_ATTR(info->extack, tb[EVN_A_TARGET_NAME],
					    "no target with this name");
	} else if (tb[EVN_A_TARGET_ID]) {
		t = evn_target_find_id(nla_get_u32(tb[EVN_A_TARGET_ID]));
		if (!t)
			NL_SET_ERR_MSG_ATTR(info->extack, tb[EVN_A_TARGET_ID],
					    "no target with this id");
	} else {
		NL_SET_ERR_MSG(info->extack, "target name or id missing");
		return ERR_PTR(-EINVAL);
	}
	return t ?: ERR_PTR(-ENOENT);
}

static void evn_assoc_notify_work(struct work_struct *work)
{
	struct evn_assoc *assoc = container_of(work, struct evn_assoc,
					       notify_work);
	struct evn_ctrl_info ci;
	struct evn_target *t;

	evn_ctrl_get_info(assoc->ctrl, &ci);
	mutex_lock(&evn_lock);
	if (ci.state != assoc->last_state) {
		assoc->last_state = ci.state;
		list_for_each_entry(t, &evn_targets, list)
			if (t->assoc == assoc)
				evn_nl_notify_target(t);
	}
	mutex_unlock(&evn_lock);
	/* Requests that waited for the controller may go now (or fail). */
	evn_volumes_kick(assoc);
}

/* Called by the transport after every state change, in process context. */
static void evn_assoc_state_changed(void *data)
{
	struct evn_assoc *assoc = data;

	schedule_work(&assoc->notify_work);
}

static bool evn_assoc_match(const struct evn_ctrl_opts *a,
			    const struct evn_ctrl_opts *b)
{
	/* Addresses are zeroed before parsing: compare them whole. */
	return !memcmp(&a->addr, &b->addr, sizeof(a->addr)) &&
	       !strcmp(a->subsysnqn, b->subsysnqn) &&
	       !strcmp(a->hostnqn, b->hostnqn);
}

/*
 * Find the association for @opts or connect a new one. Called without
 * evn_lock (connecting sleeps); returns with a user counted.
 */
static struct evn_assoc *evn_assoc_get(const struct evn_ctrl_opts *opts,
				       struct netlink_ext_ack *extack)
{
	struct evn_assoc *assoc, *other;
	struct evn_ctrl *ctrl;

	mutex_lock(&evn_lock);
	list_for_each_entry(assoc, &evn_assocs, list) {
		if (evn_assoc_match(&assoc->opts, opts)) {
			assoc->users++;
			mutex_unlock(&evn_lock);
			return assoc;
		}
	}
	mutex_unlock(&evn_lock);

	assoc = kzalloc(sizeof(*assoc), GFP_KERNEL);
	if (!assoc)
		return ERR_PTR(-ENOMEM);
	assoc->opts = *opts;
	assoc->users = 1;
	INIT_WORK(&assoc->notify_work, evn_assoc_notify_work);

	ctrl = evn_ctrl_create(opts, extack);
	if (IS_ERR(ctrl)) {
		kfree(assoc);
		return ERR_CAST(ctrl);
	}
	assoc->ctrl = ctrl;
	assoc->last_state = EVN_TARGET_STATE_LIVE;

	mutex_lock(&evn_lock);
	/* Another target-add may have connected the same subsystem. */
	list_for_each_entry(other, &evn_assocs, list) {
		if (evn_assoc_match(&other->opts, opts)) {
			other->users++;
			mutex_unlock(&evn_lock);
			evn_ctrl_delete(ctrl);
			kfree(assoc);
			return other;
		}
	}
	list_add_tail(&assoc->list, &evn_assocs);
	mutex_unlock(&evn_lock);
	evn_ctrl_set_state_notify(ctrl, evn_assoc_state_changed, assoc);
	return assoc;
}

static void evn_assoc_put(struct evn_assoc *assoc)
{
	bool last;

	mutex_lock(&evn_lock);
	last = !--assoc->users;
	if (last)
		list_del(&assoc->list);
	mutex_unlock(&evn_lock);
	if (!last)
		return;
	evn_ctrl_set_state_notify(assoc->ctrl, NULL, NULL);
	cancel_work_sync(&assoc->notify_work);
	evn_ctrl_delete(assoc->ctrl);
	kfree(assoc);
}

/* Fill @opts from a target-add request; the policy checked types. */
static int evn_target_opts(struct evn_target *t, struct evn_ctrl_opts *opts,
			   struct genl_info *info)
{
	struct nlattr *addr = info->attrs[EVN_A_TARGET_TRADDR];
	char port[8];
	int ret;

	memset(opts, 0, sizeof(*opts));
	snprintf(port, sizeof(port), "%u", t->port);
	ret = inet_pton_with_scope(&init_net, AF_UNSPEC, t->traddr, port,
				   &opts->addr);
	if (ret) {
		NL_SET_ERR_MSG_ATTR(info->extack, addr,
				    "address is not an IPv4 or IPv6 address");
		return -EINVAL;
	}
	strscpy(opts->subsysnqn, t->subsysnqn, sizeof(opts->subsysnqn));
	strscpy(opts->hostnqn, t->hostnqn, sizeof(opts->hostnqn));
	uuid_copy(&opts->hostid, &evn_hostid);
	opts->reconnect_delay = t->reconnect_delay;
	opts->loss_timeout = t->loss_timeout;
	opts->nr_io_queues = num_online_cpus();
	return 0;
}

static void evn_target_free(struct evn_target *t)
{
	ida_free(&evn_target_ida, t->id);
	kfree(t);
}

static int evn_target_fill(struct sk_buff *skb, struct evn_target *t,
			   u32 portid, u32 seq, int flags, u8 cmd)
{
	struct evn_ctrl_info ci = { .state = EVN_TARGET_STATE_CONNECTING };
	const char *failed = NULL;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &evn_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (t->assoc) {
		evn_ctrl_get_info(t->assoc->ctrl, &ci);
		failed = evn_ctrl_ns_failed(t->assoc->ctrl, t->nsid);
		if (failed)
			ci.state = EVN_TARGET_STATE_FAILED;
	}
	if (nla_put_u32(skb, EVN_A_TARGET_ID, t->id) ||
	    nla_put_string(skb, EVN_A_TARGET_NAME, t->name) ||
	    nla_put_string(skb, EVN_A_TARGET_TRADDR, t->traddr) ||
	    nla_put_u16(skb, EVN_A_TARGET_PORT, t->port) ||
	    nla_put_string(skb, EVN_A_TARGET_SUBSYSNQN, t->subsysnqn) ||
	    nla_put_u32(skb, EVN_A_TARGET_NSID, t->nsid) ||
	    nla_put_string(skb, EVN_A_TARGET_HOSTNQN, t->hostnqn) ||
	    nla_put_u32(skb, EVN_A_TARGET_RECONNECT_DELAY, t->reconnect_delay) ||
	    nla_put_u32(skb, EVN_A_TARGET_LOSS_TIMEOUT, t->loss_timeout) ||
	    nla_put_u32(skb, EVN_A_TARGET_STATE, ci.state) ||
	    nla_put_u64_64bit(skb, EVN_A_TARGET_META_SIZE, t->meta_size,
			      EVN_A_TARGET_PAD))
		goto out_cancel;
	if (t->assoc &&
	    (nla_put_u64_64bit(skb, EVN_A_TARGET_CAPACITY, t->capacity,
			       EVN_A_TARGET_PAD) ||
	     nla_put_u32(skb, EVN_A_TARGET_LBA_SIZE, 1U << t->lba_shift) ||
	     nla_put_u32(skb, EVN_A_TARGET_IO_QUEUES, ci.nr_io_queues) ||
	     nla_put_u32(skb, EVN_A_TARGET_QUEUE_DEPTH, ci.queue_size) ||
	     nla_put_u32(skb, EVN_A_TARGET_MAX_TRANSFER,
			 ci.max_hw_sectors << SECTOR_SHIFT) ||
	     nla_put_u32(skb, EVN_A_TARGET_ONCS, ci.oncs) ||
	     nla_put_u8(skb, EVN_A_TARGET_VWC, ci.vwc) ||
	     nla_put_u32(skb, EVN_A_TARGET_RECONNECTS, ci.reconnects) ||
	     nla_put_u32(skb, EVN_A_TARGET_CNTLID, ci.cntlid) ||
	     nla_put_u32(skb, EVN_A_TARGET_TIMEOUTS, ci.timeouts)))
		goto out_cancel;
	if (failed && nla_put_string(skb, EVN_A_TARGET_ERROR, failed))
		goto out_cancel;
	genlmsg_end(skb, hdr);
	return 0;

out_cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/**
 * evn_nl_notify_target() - multicast a target's state to the monitor group
 * @target: the target
 *
 * Context: process context, evn_lock held.
 */
void evn_nl_notify_target(struct evn_target *target)
{
	struct sk_buff *msg;

	lockdep_assert_held(&evn_lock);
	if (!genl_has_listeners(&evn_nl_family, &init_net, 0))
		return;
	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return;
	if (evn_target_fill(msg, target, 0, 0, 0, EVN_CMD_TARGET_NTF)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast(&evn_nl_family, msg, 0, 0, GFP_KERNEL);
}

/**
 * evn_target_default_hostnqn() - the host NQN targets connect as by default
 *
 * Context: any context, after evn_target_init().
 * Return: the module parameter hostnqn, or the NQN made at load.
 */
const char *evn_target_default_hostnqn(void)
{
	return evn_default_hostnqn;
}

/*
 * Insert @t keeping evn_targets ordered by id: dumps resume from the id
 * after the last one sent, and ids are reused lowest first.
 */
static void evn_target_list_add(struct evn_target *t)
{
	struct evn_target *pos;

	list_for_each_entry(pos, &evn_targets, list)
		if (pos->id > t->id)
			break;
	list_add_tail(&t->list, &pos->list);
}

/**
 * evn_target_add() - target-add: connect to a namespace and name it
 * @info: the request, attributes checked by the policy
 *
 * Context: process context, caller has CAP_SYS_ADMIN.
 * Return: 0 or a negative errno, with an extack message.
 */
int evn_target_add(struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	struct netlink_ext_ack *extack = info->extack;
	struct evn_ctrl_opts *opts;
	struct evn_ns_info ns;
	struct evn_assoc *assoc;
	struct evn_target *t;
	struct sk_buff *msg;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, EVN_A_TARGET_NAME) ||
	    GENL_REQ_ATTR_CHECK(info, EVN_A_TARGET_TRADDR) ||
	    GENL_REQ_ATTR_CHECK(info, EVN_A_TARGET_SUBSYSNQN)) {
		NL_SET_ERR_MSG(extack,
			       "target needs a name, an address and a subsystem NQN");
		return -EINVAL;
	}
	ret = evn_check_name(tb[EVN_A_TARGET_NAME], extack);
	if (ret)
		return ret;

	/* Allocated first: once the target exists, replying must not fail. */
	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	opts = kmalloc(sizeof(*opts), GFP_KERNEL);
	if (!msg || !t || !opts) {
		ret = -ENOMEM;
		goto out_free;
	}
	ret = ida_alloc_min(&evn_target_ida, 1, GFP_KERNEL);
	if (ret < 0)
		goto out_free;
	t->id = ret;
	nla_strscpy(t->name, tb[EVN_A_TARGET_NAME], sizeof(t->name));
	nla_strscpy(t->traddr, tb[EVN_A_TARGET_TRADDR], sizeof(t->traddr));
	nla_strscpy(t->subsysnqn, tb[EVN_A_TARGET_SUBSYSNQN],
		    sizeof(t->subsysnqn));
	if (tb[EVN_A_TARGET_HOSTNQN])
		nla_strscpy(t->hostnqn, tb[EVN_A_TARGET_HOSTNQN],
			    sizeof(t->hostnqn));
	else
		strscpy(t->hostnqn, evn_default_hostnqn, sizeof(t->hostnqn));
	t->port = tb[EVN_A_TARGET_PORT] ?
		  nla_get_u16(tb[EVN_A_TARGET_PORT]) : EVN_DEFAULT_PORT;
	t->nsid = evn_nla_u32(tb[EVN_A_TARGET_NSID], 1);
	t->reconnect_delay = evn_nla_u32(tb[EVN_A_TARGET_RECONNECT_DELAY],
					 reconnect_delay);
	t->loss_timeout = evn_nla_u32(tb[EVN_A_TARGET_LOSS_TIMEOUT],
				      loss_timeout);

	ret = evn_target_opts(t, opts, info);
	if (ret)
		goto out_free_id;

	/* Take the name before the slow connect. */
	mutex_lock(&evn_lock);
	if (evn_target_find(t->name)) {
		mutex_unlock(&evn_lock);
		NL_SET_ERR_MSG_ATTR(extack, tb[EVN_A_TARGET_NAME],
				    "a target with this name exists");
		ret = -EEXIST;
		goto out_free_id;
	}
	evn_target_list_add(t);
	mutex_unlock(&evn_lock);

	assoc = evn_assoc_get(opts, extack);
	if (IS_ERR(assoc)) {
		ret = PTR_ERR(assoc);
		goto out_unlist;
	}
	ret = evn_ctrl_identify_ns(assoc->ctrl, t->nsid, &ns);
	if (ret || !ns.nsze) {
		NL_SET_ERR_MSG_ATTR(extack, tb[EVN_A_TARGET_NSID],
				    "namespace not found on the subsystem");
		ret = -ENOENT;
		goto out_put_assoc;
	}
	if (ns.lba_shift < SECTOR_SHIFT || ns.lba_shift > PAGE_SHIFT) {
		NL_SET_ERR_MSG_ATTR(extack, tb[EVN_A_TARGET_NSID],
				    "namespace LBA size is not between 512 bytes and the page size");
		ret = -EOPNOTSUPP;
		goto out_put_assoc;
	}
	if (tb[EVN_A_TARGET_META_SIZE]) {
		t->meta_size = nla_get_u64(tb[EVN_A_TARGET_META_SIZE]);
		ret = evn_check_meta_size(t->meta_size, ns.nsze << ns.lba_shift,
					  ns.lba_shift,
					  tb[EVN_A_TARGET_META_SIZE], extack);
		if (ret)
			goto out_put_assoc;
	}
	/* Each reconnect checks that it is still this namespace. */
	ret = evn_ctrl_watch_ns(assoc->ctrl, t->nsid, &ns);
	if (ret)
		goto out_put_assoc;

	/* Publish the target and describe it in one critical section. */
	mutex_lock(&evn_lock);
	t->capacity = ns.nsze << ns.lba_shift;
	t->lba_shift = ns.lba_shift;
	t->assoc = assoc;
	pr_info("target %s: %s port %u nqn %s nsid %u, %llu bytes, LBA %u\n",
		t->name, t->traddr, t->port, t->subsysnqn, t->nsid,
		t->capacity, 1U << t->lba_shift);
	ret = evn_target_fill(msg, t, info->snd_portid, info->snd_seq, 0,
			      EVN_CMD_TARGET_ADD);
	mutex_unlock(&evn_lock);
	kfree(opts);
	if (ret) {
		/* The target exists; only the reply is lost. */
		nlmsg_free(msg);
		return 0;
	}
	return genlmsg_reply(msg, info);

out_put_assoc:
	evn_assoc_put(assoc);
out_unlist:
	mutex_lock(&evn_lock);
	list_del(&t->list);
	mutex_unlock(&evn_lock);
out_free_id:
	ida_free(&evn_target_ida, t->id);
out_free:
	kfree(opts);
	kfree(t);
	nlmsg_free(msg);
	return ret;
}

/**
 * evn_target_set() - target-set: change the metadata area of a target
 * @info: the request: the target (name or id) and EVN_A_TARGET_META_SIZE
 *
 * A volume extent may not lie in the new area; shrinking the area is
 * always allowed.
 *
 * Context: process context, caller has CAP_SYS_ADMIN.
 * Return: 0 or a negative errno, with an extack message.
 */
int evn_target_set(struct genl_info *info)
{
	struct nlattr *attr = info->attrs[EVN_A_TARGET_META_SIZE];
	struct netlink_ext_ack *extack = info->extack;
	struct evn_target *t;
	struct sk_buff *msg;
	u64 size;
	int ret;

	if (!attr) {
		NL_SET_ERR_MSG(extack, "nothing to change: give a metadata size");
		return -EINVAL;
	}
	size = nla_get_u64(attr);
	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&evn_lock);
	t = evn_target_lookup(info);
	if (IS_ERR(t)) {
		ret = PTR_ERR(t);
		goto out_unlock;
	}
	if (!t->assoc) {
		NL_SET_ERR_MSG(extack, "target is still being added");
		ret = -EBUSY;
		goto out_unlock;
	}
	if (t->meta_busy) {
		NL_SET_ERR_MSG(extack,
			       "a metadata command is using the target; retry");
		ret = -EBUSY;
		goto out_unlock;
	}
	ret = evn_check_meta_size(size, t->capacity, t->lba_shift, attr,
				  extack);
	if (ret)
		goto out_unlock;
	if (evn_volumes_use(t, 0, size)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "a volume extent lies in that metadata area");
		ret = -EBUSY;
		goto out_unlock;
	}
	if (t->meta_size != size)
		pr_info("target %s: metadata area of %llu bytes\n", t->name,
			size);
	t->meta_size = size;
	ret = evn_target_fill(msg, t, info->snd_portid, info->snd_seq, 0,
			      EVN_CMD_TARGET_SET);
	mutex_unlock(&evn_lock);
	if (ret) {
		nlmsg_free(msg);
		return 0;
	}
	return genlmsg_reply(msg, info);

out_unlock:
	mutex_unlock(&evn_lock);
	nlmsg_free(msg);
	return ret;
}

/**
 * evn_target_del() - target-del: disconnect a target no volume uses
 * @info: the request
 *
 * Context: process context, caller has CAP_SYS_ADMIN.
 * Return: 0 or a negative errno, with an extack message.
 */
int evn_target_del(struct genl_info *info)
{
	struct evn_target *t;
	struct evn_assoc *assoc;

	mutex_lock(&evn_lock);
	t = evn_target_lookup(info);
	if (IS_ERR(t)) {
		mutex_unlock(&evn_lock);
		return PTR_ERR(t);
	}
	if (!t->assoc) {
		mutex_unlock(&evn_lock);
		NL_SET_ERR_MSG(info->extack, "target is still being added");
		return -EBUSY;
	}
	if (t->users) {
		mutex_unlock(&evn_lock);
		NL_SET_ERR_MSG(info->extack,
			       "target holds extents of a volume; delete the volume first");
		return -EBUSY;
	}
	if (t->meta_busy) {
		mutex_unlock(&evn_lock);
		NL_SET_ERR_MSG(info->extack,
			       "a metadata command is using the target; retry");
		return -EBUSY;
	}
	list_del(&t->list);
	assoc = t->assoc;
	mutex_unlock(&evn_lock);

	pr_info("target %s: deleted\n", t->name);
	evn_ctrl_unwatch_ns(assoc->ctrl, t->nsid);
	evn_assoc_put(assoc);
	evn_target_free(t);
	return 0;
}

/**
 * evn_target_get_doit() - target-get for one target
 * @skb: the request
 * @info: its attributes
 *
 * Context: process context.
 * Return: 0 or a negative errno, with an extack message.
 */
int evn_target_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct evn_target *t;
	struct sk_buff *msg;
	int ret;

	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&evn_lock);
	t = evn_target_lookup(info);
	if (IS_ERR(t)) {
		ret = PTR_ERR(t);
		goto out_unlock;
	}
	ret = evn_target_fill(msg, t, info->snd_portid, info->snd_seq, 0,
			      EVN_CMD_TARGET_GET);
	if (ret)
		goto out_unlock;
	mutex_unlock(&evn_lock);
	return genlmsg_reply(msg, info);

out_unlock:
	mutex_unlock(&evn_lock);
	nlmsg_free(msg);
	return ret;
}

/**
 * evn_target_get_dumpit() - target-get for every target, in id order of
 *	creation
 * @skb: the reply being filled
 * @cb: dump state; cb->args[0] is the id of the next target to send
 *
 * Context: process context.
 * Return: skb->len, 0 when done, or a negative errno.
 */
int evn_target_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct evn_target *t;
	int ret = 0;

	mutex_lock(&evn_lock);
	list_for_each_entry(t, &evn_targets, list) {
		if (t->id < cb->args[0])
			continue;
		ret = evn_target_fill(skb, t, NETLINK_CB(cb->skb).portid,
				      cb->nlh->nlmsg_seq, NLM_F_MULTI,
				      EVN_CMD_TARGET_GET);
		if (ret)
			break;
		cb->args[0] = t->id + 1;
	}
	mutex_unlock(&evn_lock);
	return ret == -EMSGSIZE && skb->len ? skb->len : ret ?: skb->len;
}

/**
 * evn_targets_delete_all() - delete every target, at module unload
 *
 * Volumes must be gone already.
 *
 * Context: process context.
 */
void evn_targets_delete_all(void)
{
	struct evn_target *t;

	for (;;) {
		mutex_lock(&evn_lock);
		t = list_first_entry_or_null(&evn_targets, struct evn_target,
					     list);
		if (t)
			list_del(&t->list);
		mutex_unlock(&evn_lock);
		if (!t)
			break;
		WARN_ON_ONCE(t->users);
		if (t->assoc) {
			evn_ctrl_unwatch_ns(t->assoc->ctrl, t->nsid);
			evn_assoc_put(t->assoc);
		}
		evn_target_free(t);
	}
}

/**
 * evn_target_init() - set up the default host identity
 *
 * Context: process context, module init.
 * Return: 0, or -EINVAL for a host NQN parameter that is too long.
 */
int evn_target_init(void)
{
	/* The netlink policy's limit fits the buffers, NUL included. */
	BUILD_BUG_ON(EVN_NQN_MAX != NVMF_NQN_SIZE);
	BUILD_BUG_ON(sizeof_field(struct evn_target, subsysnqn) !=
		     EVN_NQN_MAX + 1);
	BUILD_BUG_ON(sizeof(evn_default_hostnqn) != EVN_NQN_MAX + 1);

	uuid_gen(&evn_hostid);
	if (hostnqn) {
		if (strlen(hostnqn) > EVN_NQN_MAX) {
			pr_err("hostnqn parameter longer than %d characters\n",
			       EVN_NQN_MAX);
			return -EINVAL;
		}
		strscpy(evn_default_hostnqn, hostnqn,
			sizeof(evn_default_hostnqn));
	} else {
		snprintf(evn_default_hostnqn, sizeof(evn_default_hostnqn),
			 "nqn.2014-08.org.nvmexpress:uuid:%pUb", &evn_hostid);
	}
	return 0;
}
