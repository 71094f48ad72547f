// SPDX-License-Identifier: GPL-2.0
/* extack_test.c - unit tests of the NLMSG_ERROR/NLMSG_DONE decoder */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <linux/netlink.h>

#include "extack.h"

/* A message buffer built the way net/netlink/af_netlink.c builds it. */
struct buf {
	union {
		struct nlmsghdr nlh;
		unsigned char b[512];
	};
	size_t len;
};

static void put(struct buf *m, const void *data, size_t len)
{
	assert_true(m->len + NLMSG_ALIGN(len) <= sizeof(m->b));
	memcpy(m->b + m->len, data, len);
	memset(m->b + m->len + len, 0, NLMSG_ALIGN(len) - len);
	m->len += NLMSG_ALIGN(len);
	m->nlh.nlmsg_len = m->len;
}

static void put_attr(struct buf *m, uint16_t type, const void *data,
		     size_t len)
{
	struct nlattr nla = { .nla_len = NLA_HDRLEN + len, .nla_type = type };
	size_t total = NLA_ALIGN(NLA_HDRLEN + len);

	assert_true(m->len + total <= sizeof(m->b));
	memset(m->b + m->len, 0, total);
	memcpy(m->b + m->len, &nla, sizeof(nla));
	memcpy(m->b + m->len + NLA_HDRLEN, data, len);
	m->len += total;
	m->nlh.nlmsg_len = m->len;
}

static void start(struct buf *m, uint16_t type, uint16_t flags)
{
	memset(m, 0, sizeof(*m));
	m->nlh.nlmsg_type = type;
	m->nlh.nlmsg_flags = flags;
	m->nlh.nlmsg_seq = 42;
	m->len = NLMSG_HDRLEN;
	m->nlh.nlmsg_len = m->len;
}

/*
 * NLMSG_ERROR for a request of @req_payload bytes (genl header and one
 * attribute in real life), echoing it unless @capped.
 */
static void build_error(struct buf *m, int error, size_t req_payload,
			bool capped, bool tlvs)
{
	struct nlmsgerr err = { .error = error };
	unsigned char payload[64];

	start(m, NLMSG_ERROR, (capped ? NLM_F_CAPPED : 0) |
			      (tlvs ? NLM_F_ACK_TLVS : 0));
	err.msg.nlmsg_len = NLMSG_HDRLEN + req_payload;
	err.msg.nlmsg_type = 0x20;
	err.msg.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	err.msg.nlmsg_seq = 42;
	if (capped) {
		put(m, &err, sizeof(err));
		return;
	}
	/* nlmsgerr and the echoed payload form one padded block */
	memset(payload, 0xa5, sizeof(payload));
	assert_true(req_payload <= sizeof(payload));
	memcpy(m->b + m->len, &err, sizeof(err));
	memcpy(m->b + m->len + sizeof(err), payload, req_payload);
	m->len += NLMSG_ALIGN(sizeof(err) + req_payload);
	m->nlh.nlmsg_len = m->len;
}

static const char MSG[] = "unknown feature bits";

static void test_error_msg_uncapped(void **state)
{
	struct evn_extack ext;
	uint32_t offs = 24;
	size_t payload;

	(void)state;
	/* aligned and unaligned echoed requests */
	for (payload = 0; payload <= 13; payload++) {
		struct buf m;

		build_error(&m, -EOPNOTSUPP, payload, false, true);
		put_attr(&m, NLMSGERR_ATTR_MSG, MSG, sizeof(MSG));
		put_attr(&m, NLMSGERR_ATTR_OFFS, &offs, sizeof(offs));
		assert_int_equal(evn_extack_parse(&m.nlh, &ext), 0);
		assert_int_equal(ext.error, -EOPNOTSUPP);
		assert_non_null(ext.msg);
		assert_string_equal(ext.msg, MSG);
		assert_true(ext.has_offs);
		assert_int_equal(ext.offs, 24);
	}
}

static void test_error_msg_capped(void **state)
{
	struct evn_extack ext;
	struct buf m;

	(void)state;
	/* the request was 100 bytes but NLM_F_CAPPED left it out */
	build_error(&m, -EINVAL, 100, true, true);
	put_attr(&m, NLMSGERR_ATTR_MSG, MSG, sizeof(MSG));
	assert_int_equal(evn_extack_parse(&m.nlh, &ext), 0);
	assert_int_equal(ext.error, -EINVAL);
	assert_non_null(ext.msg);
	assert_string_equal(ext.msg, MSG);
	assert_false(ext.has_offs);
}

/* Attributes after the message, and unknown ones, do not disturb it. */
static void test_error_msg_among_others(void **state)
{
	struct evn_extack ext;
	uint32_t v = 7;
	struct buf m;

	(void)state;
	build_error(&m, -ERANGE, 12, false, true);
	put_attr(&m, NLMSGERR_ATTR_MISS_TYPE, &v, sizeof(v));
	put_attr(&m, 200, "x", 1);
	put_attr(&m, NLMSGERR_ATTR_MSG, MSG, sizeof(MSG));
	put_attr(&m, NLMSGERR_ATTR_COOKIE, "12345678", 8);
	assert_int_equal(evn_extack_parse(&m.nlh, &ext), 0);
	assert_int_equal(ext.error, -ERANGE);
	assert_string_equal(ext.msg, MSG);
}

static void test_error_no_tlvs(void **state)
{
	struct evn_extack ext;
	struct buf m;

	(void)state;
	/* no NLM_F_ACK_TLVS: old kernel or no NETLINK_EXT_ACK */
	build_error(&m, -ENOENT, 12, false, false);
	assert_int_equal(evn_extack_parse(&m.nlh, &ext), 0);
	assert_int_equal(ext.error, -ENOENT);
	assert_null(ext.msg);

	build_error(&m, -ENOENT, 12, true, false);
	assert_int_equal(evn_extack_parse(&m.nlh, &ext), 0);
	assert_int_equal(ext.error, -ENOENT);
	assert_null(ext.msg);

	/* flag set, TLV area empty or without a message */
	build_error(&m, -EBUSY, 12, false, true);
	assert_int_equal(evn_extack_parse(&m.nlh, &ext), 0);
	assert_int_equal(ext.error, -EBUSY);
	assert_null(ext.msg);
}

/* TLVs present but NLM_F_ACK_TLVS clear: ignore them, as the kernel says. */
static void test_error_tlvs_without_flag(void **state)
{
	struct evn_extack ext;
	struct buf m;

	(void)state;
	build_error(&m, -EIO, 12, false, false);
	put_attr(&m, NLMSGERR_ATTR_MSG, MSG, sizeof(MSG));
	assert_int_equal(evn_extack_parse(&m.nlh, &ext), 0);
	assert_int_equal(ext.error, -EIO);
	assert_null(ext.msg);
}

static void test_ack_with_warning(void **state)
{
	struct evn_extack ext;
	struct buf m;

	(void)state;
	build_error(&m, 0, 12, true, true);
	put_attr(&m, NLMSGERR_ATTR_MSG, "feature is deprecated",
		 sizeof("feature is deprecated"));
	assert_int_equal(evn_extack_parse(&m.nlh, &ext), 0);
	assert_int_equal(ext.error, 0);
	assert_string_equal(ext.msg, "feature is deprecated");
}

/* Damaged TLVs never yield a message that is not NUL-terminated. */
static void test_error_damaged(void **state)
{
	struct evn_extack ext;
	struct buf m;

	(void)state;
	/* string without its NUL */
	build_error(&m, -EINVAL, 12, false, true);
	put_attr(&m, NLMSGERR_ATTR_MSG, "abc", 3);
	assert_int_equal(evn_extack_parse(&m.nlh, &ext), 0);
	assert_int_equal(ext.error, -EINVAL);
	assert_null(ext.msg);

	/* TLV longer than the message */
	build_error(&m, -EINVAL, 12, false, true);
	put_attr(&m, NLMSGERR_ATTR_MSG, MSG, sizeof(MSG));
	m.nlh.nlmsg_len -= 8;
	assert_int_equal(evn_extack_parse(&m.nlh, &ext), 0);
	assert_int_equal(ext.error, -EINVAL);
	assert_null(ext.msg);

	/* TLV with nla_len below the header size */
	build_error(&m, -EINVAL, 12, false, true);
	put_attr(&m, NLMSGERR_ATTR_MSG, MSG, sizeof(MSG));
	((struct nlattr *)(m.b + m.len - NLA_ALIGN(NLA_HDRLEN + sizeof(MSG))))->nla_len = 2;
	assert_int_equal(evn_extack_parse(&m.nlh, &ext), 0);
	assert_null(ext.msg);

	/* echoed request claims to be longer than the whole message */
	build_error(&m, -EINVAL, 12, false, true);
	put_attr(&m, NLMSGERR_ATTR_MSG, MSG, sizeof(MSG));
	((struct nlmsgerr *)(m.b + NLMSG_HDRLEN))->msg.nlmsg_len = 4000;
	assert_int_equal(evn_extack_parse(&m.nlh, &ext), 0);
	assert_int_equal(ext.error, -EINVAL);
	assert_null(ext.msg);

	/* echoed request length below a header */
	((struct nlmsgerr *)(m.b + NLMSG_HDRLEN))->msg.nlmsg_len = 3;
	assert_int_equal(evn_extack_parse(&m.nlh, &ext), 0);
	assert_int_equal(ext.error, -EINVAL);
	assert_null(ext.msg);
}

static void test_error_truncated(void **state)
{
	struct evn_extack ext;
	struct buf m;

	(void)state;
	build_error(&m, -EINVAL, 0, true, false);
	m.nlh.nlmsg_len = NLMSG_HDRLEN + sizeof(int);	/* no inner header */
	ext.error = 1;
	assert_int_equal(evn_extack_parse(&m.nlh, &ext), -EINVAL);
	m.nlh.nlmsg_len = 8;
	assert_int_equal(evn_extack_parse(&m.nlh, &ext), -EINVAL);
}

static void test_done(void **state)
{
	struct evn_extack ext;
	int error;
	struct buf m;

	(void)state;
	/* dump failed half way, with a message */
	start(&m, NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS);
	error = -EIO;
	put(&m, &error, sizeof(error));
	put_attr(&m, NLMSGERR_ATTR_MSG, MSG, sizeof(MSG));
	assert_int_equal(evn_extack_parse(&m.nlh, &ext), 0);
	assert_int_equal(ext.error, -EIO);
	assert_string_equal(ext.msg, MSG);

	/* normal end of a dump */
	start(&m, NLMSG_DONE, NLM_F_MULTI);
	error = 0;
	put(&m, &error, sizeof(error));
	assert_int_equal(evn_extack_parse(&m.nlh, &ext), 0);
	assert_int_equal(ext.error, 0);
	assert_null(ext.msg);

	/* old kernels: no payload at all */
	start(&m, NLMSG_DONE, NLM_F_MULTI);
	assert_int_equal(evn_extack_parse(&m.nlh, &ext), 0);
	assert_int_equal(ext.error, 0);
	assert_null(ext.msg);
}

static void test_other_types(void **state)
{
	struct evn_extack ext;
	struct buf m;

	(void)state;
	start(&m, 0x20, 0);
	put(&m, "\1\2\0\0", 4);
	assert_int_equal(evn_extack_parse(&m.nlh, &ext), -EINVAL);
	start(&m, NLMSG_NOOP, 0);
	assert_int_equal(evn_extack_parse(&m.nlh, &ext), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_error_msg_uncapped),
		cmocka_unit_test(test_error_msg_capped),
		cmocka_unit_test(test_error_msg_among_others),
		cmocka_unit_test(test_error_no_tlvs),
		cmocka_unit_test(test_error_tlvs_without_flag),
		cmocka_unit_test(test_ack_with_warning),
		cmocka_unit_test(test_error_damaged),
		cmocka_unit_test(test_error_truncated),
		cmocka_unit_test(test_done),
		cmocka_unit_test(test_other_types),
	};

	return cmocka_run_group_tests_name("evn_extack", tests, NULL, NULL);
}
