/* SPDX-License-Identifier: GPL-2.0 */
/* extack.h - decode netlink error/done messages and their extended ACK TLVs */
#ifndef EVNADM_EXTACK_H
#define EVNADM_EXTACK_H

#include <stdint.h>

struct nlmsghdr;

/**
 * struct evn_extack - what an NLMSG_ERROR or NLMSG_DONE message reports
 * @error: 0 or a negative errno
 * @msg: NLMSGERR_ATTR_MSG, NUL-terminated and pointing into the message,
 *	or NULL when absent
 * @offs: NLMSGERR_ATTR_OFFS, offset of the bad attribute in the request,
 *	valid when @has_offs
 * @has_offs: the kernel named a bad attribute
 */
struct evn_extack {
	int error;
	const char *msg;
	uint32_t offs;
	int has_offs;
};

int evn_extack_parse(const struct nlmsghdr *nlh, struct evn_extack *ext);

#endif /* EVNADM_EXTACK_H */
