// SPDX-License-Identifier: GPL-2.0
/*
 * extack.c - decode netlink error/done messages and their extended ACK TLVs
 *
 * libnl-3.7 hands an error callback the struct nlmsgerr but does not decode
 * the TLVs the kernel appends when NETLINK_EXT_ACK is on. This file does, on
 * a plain struct nlmsghdr, with no libnl, so unit tests can feed it buffers.
 *
 * Layout (net/netlink/af_netlink.c, netlink_ack() and netlink_dump_done()):
 *
 *   NLMSG_ERROR: nlmsghdr | int error | nlmsghdr of the request
 *                | request payload (absent when NLM_F_CAPPED)
 *                | TLVs (present when NLM_F_ACK_TLVS)
 *   NLMSG_DONE:  nlmsghdr | int error | TLVs (when NLM_F_ACK_TLVS)
 *
 * Each part is padded to NLMSG_ALIGNTO.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <linux/netlink.h>

#include "extack.h"

static void parse_tlvs(const unsigned char *p, size_t len,
		       struct evn_extack *ext)
{
	while (len >= NLA_HDRLEN) {
		const struct nlattr *nla = (const struct nlattr *)p;
		size_t alen = nla->nla_len;
		size_t plen;
		const char *data;

		if (alen < NLA_HDRLEN || alen > len)
			return;
		data = (const char *)p + NLA_HDRLEN;
		plen = alen - NLA_HDRLEN;
		switch (nla->nla_type & NLA_TYPE_MASK) {
		case NLMSGERR_ATTR_MSG:
			/* a string only if NUL-terminated inside the TLV */
			if (plen && memchr(data, '\0', plen) && data[0])
				ext->msg = data;
			break;
		case NLMSGERR_ATTR_OFFS:
			if (plen >= sizeof(uint32_t)) {
				memcpy(&ext->offs, data, sizeof(uint32_t));
				ext->has_offs = 1;
			}
			break;
		default:
			break;
		}
		if (NLA_ALIGN(alen) >= len)
			return;
		p += NLA_ALIGN(alen);
		len -= NLA_ALIGN(alen);
	}
}

/**
 * evn_extack_parse() - errno and extended ACK of an error or done message
 * @nlh: an NLMSG_ERROR or NLMSG_DONE message; nlh->nlmsg_len bytes must be
 *	readable
 * @ext: filled in; @ext->msg points into @nlh
 *
 * An NLMSG_DONE without a payload (old kernels) reports success. A message
 * whose TLV area is damaged still reports its errno; only the TLVs that are
 * complete are used.
 *
 * Return: 0, or -EINVAL when @nlh is neither message type or too short to
 * hold the errno.
 */
int evn_extack_parse(const struct nlmsghdr *nlh, struct evn_extack *ext)
{
	const unsigned char *base = (const unsigned char *)nlh;
	size_t len = nlh->nlmsg_len;
	size_t off = NLMSG_HDRLEN;
	int error;

	memset(ext, 0, sizeof(*ext));
	if (len < NLMSG_HDRLEN)
		return -EINVAL;

	if (nlh->nlmsg_type == NLMSG_DONE) {
		if (len < off + sizeof(int))
			return 0;
		memcpy(&error, base + off, sizeof(int));
		off += NLMSG_ALIGN(sizeof(int));
	} else if (nlh->nlmsg_type == NLMSG_ERROR) {
		struct nlmsgerr err;
		size_t hlen = sizeof(err);

		if (len < off + sizeof(err))
			return -EINVAL;
		memcpy(&err, base + off, sizeof(err));
		error = err.error;
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
			if (err.msg.nlmsg_len < NLMSG_HDRLEN)
				goto out;	/* cannot find the TLVs */
			hlen += err.msg.nlmsg_len - NLMSG_HDRLEN;
		}
		off += NLMSG_ALIGN(hlen);
	} else {
		return -EINVAL;
	}

	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && off < len)
		parse_tlvs(base + off, len - off, ext);
out:
	ext->error = error;
	return 0;
}
