// SPDX-License-Identifier: GPL-2.0
/*
 * netlink.c - the "evn" generic netlink family: registration and commands
 *
 * The family is evn's only control interface; include/uapi/linux/evn.h and
 * Documentation/netlink/specs/evn.yaml describe it. Read-only commands are
 * open to every user. Commands that change state need CAP_SYS_ADMIN, as for
 * loop, nbd and ublk: they create block devices backed by remote storage.
 * The check is made here rather than with GENL_ADMIN_PERM so that the
 * refusal carries an extack message.
 *
 * Copyright (C) 2026 The evn authors
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/module.h>
#include <net/genetlink.h>

#include "evn.h"

/**
 * evn_nl_require_admin() - refuse a state-changing command without
 *	CAP_SYS_ADMIN
 * @skb: the request
 * @info: its attributes and extack
 *
 * Context: process context.
 * Return: 0 if the sender has CAP_SYS_ADMIN, -EPERM with an extack message
 * otherwise.
 */
int evn_nl_require_admin(struct sk_buff *skb, struct genl_info *info)
{
	if (netlink_capable(skb, CAP_SYS_ADMIN))
		return 0;
	NL_SET_ERR_MSG(info->extack,
		       "this command needs CAP_SYS_ADMIN (run evnadm as root)");
	return -EPERM;
}

static int evn_nl_info_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;
	int ret;

	ret = evn_info_check_request(info->attrs, info->extack);
	if (ret)
		return ret;

	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	hdr = genlmsg_put_reply(msg, info, &evn_nl_family, 0, EVN_CMD_INFO_GET);
	if (!hdr) {
		ret = -EMSGSIZE;
		goto out_free_msg;
	}

	ret = evn_info_fill(msg, evn_target_default_hostnqn());
	if (ret)
		goto out_free_msg;

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

out_free_msg:
	nlmsg_free(msg);
	return ret;
}

static int evn_nl_target_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	return evn_nl_require_admin(skb, info) ?: evn_target_add(info);
}

static int evn_nl_target_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return evn_nl_require_admin(skb, info) ?: evn_target_del(info);
}

static int evn_nl_volume_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	return evn_nl_require_admin(skb, info) ?: evn_volume_new(info);
}

static int evn_nl_volume_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	return evn_nl_require_admin(skb, info) ?: evn_volume_set(info);
}

static int evn_nl_target_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	return evn_nl_require_admin(skb, info) ?: evn_target_set(info);
}

static int evn_nl_meta_read_doit(struct sk_buff *skb, struct genl_info *info)
{
	return evn_nl_require_admin(skb, info) ?: evn_meta_read(info);
}

static int evn_nl_meta_write_doit(struct sk_buff *skb, struct genl_info *info)
{
	return evn_nl_require_admin(skb, info) ?: evn_meta_write(info);
}

static int evn_nl_volume_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return evn_nl_require_admin(skb, info) ?: evn_volume_del(info);
}

static struct netlink_range_validation evn_seconds_range = {
	.min = 1,
	.max = EVN_SECONDS_MAX,
};

static struct netlink_range_validation evn_nsid_range = {
	.min = 1,
	.max = 0xfffffffe,	/* 0xffffffff is the broadcast NSID */
};

static const struct nla_policy evn_target_add_policy[EVN_A_TARGET_MAX + 1] = {
	[EVN_A_TARGET_NAME]		= { .type = NLA_NUL_STRING,
					    .len = EVN_NAME_MAX },
	[EVN_A_TARGET_TRADDR]		= { .type = NLA_NUL_STRING,
					    .len = EVN_TRADDR_MAX },
	[EVN_A_TARGET_PORT]		= NLA_POLICY_MIN(NLA_U16, 1),
	[EVN_A_TARGET_SUBSYSNQN]	= { .type = NLA_NUL_STRING,
					    .len = EVN_NQN_MAX },
	[EVN_A_TARGET_NSID]		= NLA_POLICY_FULL_RANGE(NLA_U32,
							&evn_nsid_range),
	[EVN_A_TARGET_HOSTNQN]		= { .type = NLA_NUL_STRING,
					    .len = EVN_NQN_MAX },
	[EVN_A_TARGET_RECONNECT_DELAY]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							&evn_seconds_range),
	[EVN_A_TARGET_LOSS_TIMEOUT]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							&evn_seconds_range),
	/* Alignment and size are checked against the namespace. */
	[EVN_A_TARGET_META_SIZE]	= { .type = NLA_U64 },
};

/* target-set names the target and what changes. */
static const struct nla_policy evn_target_set_policy[EVN_A_TARGET_MAX + 1] = {
	[EVN_A_TARGET_ID]		= { .type = NLA_U32 },
	[EVN_A_TARGET_NAME]		= { .type = NLA_NUL_STRING,
					    .len = EVN_NAME_MAX },
	[EVN_A_TARGET_META_SIZE]	= { .type = NLA_U64 },
};

/* Lengths and ranges are checked against the target, with messages. */
static const struct nla_policy evn_meta_policy[EVN_A_META_MAX + 1] = {
	[EVN_A_META_TARGET]		= { .type = NLA_NUL_STRING,
					    .len = EVN_NAME_MAX },
	[EVN_A_META_OFFSET]		= { .type = NLA_U64 },
	[EVN_A_META_LENGTH]		= { .type = NLA_U32 },
	[EVN_A_META_DATA]		= { .type = NLA_BINARY },
};

/* target-del and target-get name a target by name or id. */
static const struct nla_policy evn_target_id_policy[EVN_A_TARGET_MAX + 1] = {
	[EVN_A_TARGET_ID]		= { .type = NLA_U32 },
	[EVN_A_TARGET_NAME]		= { .type = NLA_NUL_STRING,
					    .len = EVN_NAME_MAX },
};

static const struct nla_policy evn_volume_new_policy[EVN_A_VOLUME_MAX + 1] = {
	[EVN_A_VOLUME_NAME]		= { .type = NLA_NUL_STRING,
					    .len = EVN_NAME_MAX },
	[EVN_A_VOLUME_EXTENT]		= { .type = NLA_NESTED },
	[EVN_A_VOLUME_LAYOUT]		= NLA_POLICY_MAX(NLA_U32,
						EVN_VOLUME_LAYOUT_STRIPE),
	/* Range and power of two are checked with the map, with messages. */
	[EVN_A_VOLUME_CHUNK]		= { .type = NLA_U32 },
	[EVN_A_VOLUME_READ_ONLY]	= NLA_POLICY_MAX(NLA_U8, 1),
};

/* volume-set names the volume by name or id and gives its whole map. */
static const struct nla_policy evn_volume_set_policy[EVN_A_VOLUME_MAX + 1] = {
	[EVN_A_VOLUME_ID]		= { .type = NLA_U32 },
	[EVN_A_VOLUME_NAME]		= { .type = NLA_NUL_STRING,
					    .len = EVN_NAME_MAX },
	[EVN_A_VOLUME_EXTENT]		= { .type = NLA_NESTED },
	[EVN_A_VOLUME_LAYOUT]		= NLA_POLICY_MAX(NLA_U32,
						EVN_VOLUME_LAYOUT_STRIPE),
	[EVN_A_VOLUME_CHUNK]		= { .type = NLA_U32 },
};

static const struct nla_policy evn_volume_id_policy[EVN_A_VOLUME_MAX + 1] = {
	[EVN_A_VOLUME_ID]		= { .type = NLA_U32 },
	[EVN_A_VOLUME_NAME]		= { .type = NLA_NUL_STRING,
					    .len = EVN_NAME_MAX },
};

static const struct genl_ops evn_nl_ops[] = {
	{
		.cmd		= EVN_CMD_INFO_GET,
		.doit		= evn_nl_info_get_doit,
		.policy		= evn_info_get_policy,
		.maxattr	= EVN_A_INFO_MAX,
	},
	{
		.cmd		= EVN_CMD_TARGET_ADD,
		.doit		= evn_nl_target_add_doit,
		.policy		= evn_target_add_policy,
		.maxattr	= EVN_A_TARGET_MAX,
	},
	{
		.cmd		= EVN_CMD_TARGET_DEL,
		.doit		= evn_nl_target_del_doit,
		.policy		= evn_target_id_policy,
		.maxattr	= EVN_A_TARGET_MAX,
	},
	{
		.cmd		= EVN_CMD_TARGET_GET,
		.doit		= evn_target_get_doit,
		.dumpit		= evn_target_get_dumpit,
		.policy		= evn_target_id_policy,
		.maxattr	= EVN_A_TARGET_MAX,
	},
	{
		.cmd		= EVN_CMD_VOLUME_NEW,
		.doit		= evn_nl_volume_new_doit,
		.policy		= evn_volume_new_policy,
		.maxattr	= EVN_A_VOLUME_MAX,
	},
	{
		.cmd		= EVN_CMD_VOLUME_DEL,
		.doit		= evn_nl_volume_del_doit,
		.policy		= evn_volume_id_policy,
		.maxattr	= EVN_A_VOLUME_MAX,
	},
	{
		.cmd		= EVN_CMD_VOLUME_GET,
		.doit		= evn_volume_get_doit,
		.dumpit		= evn_volume_get_dumpit,
		.policy		= evn_volume_id_policy,
		.maxattr	= EVN_A_VOLUME_MAX,
	},
	{
		.cmd		= EVN_CMD_VOLUME_SET,
		.doit		= evn_nl_volume_set_doit,
		.policy		= evn_volume_set_policy,
		.maxattr	= EVN_A_VOLUME_MAX,
	},
	{
		.cmd		= EVN_CMD_TARGET_SET,
		.doit		= evn_nl_target_set_doit,
		.policy		= evn_target_set_policy,
		.maxattr	= EVN_A_TARGET_MAX,
	},
	{
		.cmd		= EVN_CMD_META_READ,
		.doit		= evn_nl_meta_read_doit,
		.policy		= evn_meta_policy,
		.maxattr	= EVN_A_META_MAX,
	},
	{
		.cmd		= EVN_CMD_META_WRITE,
		.doit		= evn_nl_meta_write_doit,
		.policy		= evn_meta_policy,
		.maxattr	= EVN_A_META_MAX,
	},
};

static const struct genl_multicast_group evn_nl_mcgrps[] = {
	{ .name = EVN_MCGRP_MONITOR, },
};

struct genl_family evn_nl_family __ro_after_init = {
	.name		= EVN_FAMILY_NAME,
	.version	= EVN_FAMILY_VERSION,
	.module		= THIS_MODULE,
	.ops		= evn_nl_ops,
	.n_ops		= ARRAY_SIZE(evn_nl_ops),
	.mcgrps		= evn_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(evn_nl_mcgrps),
	.resv_start_op	= 0,
	/* Commands lock what they touch (evn_lock); slow ones drop it. */
	.parallel_ops	= true,
};

/**
 * evn_nl_init() - register the evn generic netlink family
 *
 * Context: process context, module init.
 * Return: 0 on success or a negative errno from genl_register_family().
 */
int evn_nl_init(void)
{
	return genl_register_family(&evn_nl_family);
}

/**
 * evn_nl_exit() - unregister the evn generic netlink family
 *
 * Waits for running commands and dumps to finish.
 *
 * Context: process context, module exit.
 */
void evn_nl_exit(void)
{
	genl_unregister_family(&evn_nl_family);
}
