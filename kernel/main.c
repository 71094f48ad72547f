// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - evn module entry points: the elastic NVMe pool client
 *
 * evn exposes volumes whose blocks live on NVMe namespaces of several
 * NVMe-oF/RDMA targets. This file only loads and unloads the module; the
 * control interface is in netlink.c.
 *
 * Copyright (C) 2026 The evn authors
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <net/genetlink.h>

#include "evn.h"

static int __init evn_init(void)
{
	int ret;

	ret = evn_nl_init();
	if (ret) {
		pr_err("cannot register generic netlink family: %d\n", ret);
		return ret;
	}
	pr_info("version %s loaded\n", EVN_VERSION);
	return 0;
}

static void __exit evn_exit(void)
{
	evn_nl_exit();
	pr_info("unloaded\n");
}

module_init(evn_init);
module_exit(evn_exit);

MODULE_DESCRIPTION("evn: elastic NVMe pool over NVMe-oF/RDMA");
MODULE_LICENSE("GPL");
MODULE_VERSION(EVN_VERSION);
MODULE_ALIAS_GENL_FAMILY(EVN_FAMILY_NAME);
