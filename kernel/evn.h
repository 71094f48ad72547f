/* SPDX-License-Identifier: GPL-2.0 */
/*
 * evn.h - private declarations shared by the files of the evn module
 *
 * Copyright (C) 2026 The evn authors
 */
#ifndef _EVN_H
#define _EVN_H

#include <linux/types.h>
#include <net/netlink.h>
#include <uapi/linux/evn.h>

#include "compat.h"

#define EVN_VERSION		"0.1.0"

/* info.c: the pure parts of info-get, shared with the KUnit suite */
extern const struct nla_policy evn_info_get_policy[EVN_A_INFO_MAX + 1];
u64 evn_features_unsupported(u64 wanted);
int evn_info_check_request(struct nlattr **attrs,
			   struct netlink_ext_ack *extack);
int evn_info_fill(struct sk_buff *skb);

/* netlink.c: the generic netlink family */
int evn_nl_init(void);
void evn_nl_exit(void);

#endif /* _EVN_H */
