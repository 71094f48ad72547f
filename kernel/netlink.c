// SPDX-License-Identifier: GPL-2.0
/*
 * netlink.c - the "evn" generic netlink family: registration and commands
 *
 * The family is evn's only control interface; include/uapi/linux/evn.h and
 * Documentation/netlink/specs/evn.yaml describe it. Read-only commands are
 * open to every user; commands that change state will carry GENL_ADMIN_PERM.
 *
 * Copyright (C) 2026 The evn authors
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <net/genetlink.h>

#include "evn.h"

static struct genl_family evn_nl_family;

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

	ret = evn_info_fill(msg);
	if (ret)
		goto out_free_msg;

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

out_free_msg:
	nlmsg_free(msg);
	return ret;
}

static const struct genl_ops evn_nl_ops[] = {
	{
		.cmd		= EVN_CMD_INFO_GET,
		.doit		= evn_nl_info_get_doit,
		.policy		= evn_info_get_policy,
		.maxattr	= EVN_A_INFO_MAX,
	},
};

static struct genl_family evn_nl_family __ro_after_init = {
	.name		= EVN_FAMILY_NAME,
	.version	= EVN_FAMILY_VERSION,
	.module		= THIS_MODULE,
	.ops		= evn_nl_ops,
	.n_ops		= ARRAY_SIZE(evn_nl_ops),
	.resv_start_op	= EVN_CMD_INFO_GET + 1,
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
