// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - evn module entry points: the elastic NVMe pool client
 *
 * evn exposes volumes whose blocks live on NVMe namespaces of several
 * NVMe-oF/RDMA targets. This file brings the parts up and down in order:
 * the RDMA transport (rdma.c), targets (target.c), volumes (volume.c) and
 * last the control interface (netlink.c), which goes first at unload so no
 * command runs while the rest is torn down.
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

	ret = evn_target_init();
	if (ret)
		return ret;
	ret = evn_transport_init();
	if (ret) {
		pr_err("cannot register with the RDMA core: %d\n", ret);
		return ret;
	}
	ret = evn_volume_init();
	if (ret) {
		pr_err("cannot register a block major: %d\n", ret);
		goto out_transport_exit;
	}
	ret = evn_nl_init();
	if (ret) {
		pr_err("cannot register generic netlink family: %d\n", ret);
		goto out_volume_exit;
	}
	pr_info("version %s loaded\n", EVN_VERSION);
	return 0;

out_volume_exit:
	evn_volume_exit();
out_transport_exit:
	evn_transport_exit();
	return ret;
}

static void __exit evn_exit(void)
{
	evn_nl_exit();
	evn_volumes_delete_all();
	evn_targets_delete_all();
	evn_volume_exit();
	evn_transport_exit();
	pr_info("unloaded\n");
}

module_init(evn_init);
module_exit(evn_exit);

MODULE_DESCRIPTION("evn: elastic NVMe pool over NVMe-oF/RDMA");
MODULE_LICENSE("GPL");
MODULE_VERSION(EVN_VERSION);
MODULE_ALIAS_GENL_FAMILY(EVN_FAMILY_NAME);
