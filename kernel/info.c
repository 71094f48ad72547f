// SPDX-License-Identifier: GPL-2.0
/*
 * info.c - the info-get command: request checks and reply contents
 *
 * Kept apart from the family registration in netlink.c so the KUnit suite
 * in info_test.c can exercise exactly the code the module runs.
 *
 * Copyright (C) 2026 The evn authors
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <net/netlink.h>

#include "evn.h"

/*
 * Requests may carry EVN_A_INFO_FEATURES: the features the caller needs.
 * Unknown bits are not a policy error (a newer evnadm may know features an
 * older module lacks); evn_info_check_request() turns them into EOPNOTSUPP.
 */
const struct nla_policy evn_info_get_policy[EVN_A_INFO_MAX + 1] = {
	[EVN_A_INFO_FEATURES]	= { .type = NLA_U64 },
};

/**
 * evn_features_unsupported() - features a caller wants that evn lacks
 * @wanted: mask of EVN_F_* bits the caller needs
 *
 * Context: any context.
 * Return: the bits of @wanted this module does not implement, 0 if none.
 */
u64 evn_features_unsupported(u64 wanted)
{
	return wanted & ~EVN_FEATURES;
}

/**
 * evn_info_check_request() - validate the attributes of an info-get request
 * @attrs: request attributes, parsed with evn_info_get_policy
 * @extack: extended ack to explain a rejection
 *
 * Context: process context.
 * Return: 0 when the module implements every requested feature, -EOPNOTSUPP
 * (with an extack message pointing at EVN_A_INFO_FEATURES) otherwise.
 */
int evn_info_check_request(struct nlattr **attrs,
			   struct netlink_ext_ack *extack)
{
	struct nlattr *attr = attrs[EVN_A_INFO_FEATURES];

	if (attr && evn_features_unsupported(nla_get_u64(attr))) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "evn module does not implement a requested feature");
		return -EOPNOTSUPP;
	}
	return 0;
}

/**
 * evn_info_fill() - put the info-get reply attributes into a message
 * @skb: message being built, after its genetlink header
 * @hostnqn: the default host NQN of the module
 *
 * Context: any context.
 * Return: 0 on success, -EMSGSIZE when @skb is too small.
 */
int evn_info_fill(struct sk_buff *skb, const char *hostnqn)
{
	if (nla_put_string(skb, EVN_A_INFO_MODULE_VERSION, EVN_VERSION) ||
	    nla_put_u32(skb, EVN_A_INFO_FAMILY_VERSION, EVN_FAMILY_VERSION) ||
	    nla_put_u64_64bit(skb, EVN_A_INFO_FEATURES, EVN_FEATURES,
			      EVN_A_INFO_PAD) ||
	    nla_put_string(skb, EVN_A_INFO_HOSTNQN, hostnqn))
		return -EMSGSIZE;
	return 0;
}
