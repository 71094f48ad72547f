/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * evn.h - generic netlink interface of evn, the elastic NVMe pool
 *
 * This header is the only interface between the evn kernel module and its
 * userspace tool evnadm. Documentation/netlink/specs/evn.yaml describes the
 * same family in the kernel's YNL spec format.
 *
 * Rules: attributes are numbered from 1 and are never renumbered or reused;
 * new attributes and commands are added at the end of their enum; feature
 * bits are never reused and EVN_F_ALL holds every bit this header defines.
 */
#ifndef _UAPI_LINUX_EVN_H
#define _UAPI_LINUX_EVN_H

#define EVN_FAMILY_NAME		"evn"
#define EVN_FAMILY_VERSION	1

/**
 * DOC: feature bits
 *
 * EVN_A_INFO_FEATURES carries a mask of the features a module implements.
 * A caller may send the same attribute in an info-get request to ask whether
 * the module implements every feature it needs: the request then fails with
 * EOPNOTSUPP when any bit is unknown to the module.
 *
 * @EVN_F_INFO: the info-get command (every version has it).
 */
#define EVN_F_INFO		(1ULL << 0)
#define EVN_F_ALL		(EVN_F_INFO)

/**
 * enum evn_info_attrs - attributes of the info-get command
 *
 * @EVN_A_INFO_MODULE_VERSION: string, version of the evn kernel module
 * @EVN_A_INFO_FAMILY_VERSION: u32, version of this netlink family
 *	(EVN_FAMILY_VERSION of the module's build)
 * @EVN_A_INFO_FEATURES: u64, EVN_F_* mask; in a reply, what the module
 *	implements; in a request, what the caller requires
 * @EVN_A_INFO_PAD: padding for 64-bit attributes, never sent alone
 */
enum evn_info_attrs {
	EVN_A_INFO_UNSPEC,
	EVN_A_INFO_MODULE_VERSION,
	EVN_A_INFO_FAMILY_VERSION,
	EVN_A_INFO_FEATURES,
	EVN_A_INFO_PAD,

	__EVN_A_INFO_MAX,
	EVN_A_INFO_MAX = (__EVN_A_INFO_MAX - 1)
};

/**
 * enum evn_cmds - commands of the evn family
 *
 * @EVN_CMD_INFO_GET: report module version, family version and features;
 *	allowed for unprivileged callers
 */
enum evn_cmds {
	EVN_CMD_UNSPEC,
	EVN_CMD_INFO_GET,

	__EVN_CMD_MAX,
	EVN_CMD_MAX = (__EVN_CMD_MAX - 1)
};

#endif /* _UAPI_LINUX_EVN_H */
