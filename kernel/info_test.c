// SPDX-License-Identifier: GPL-2.0
/*
 * info_test.c - KUnit tests for the info-get request checks and reply
 *
 * Copyright (C) 2026 The evn authors
 */
#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/skbuff.h>
#include <net/netlink.h>

#include "evn.h"

struct evn_features_case {
	const char *name;
	u64 wanted;
	u64 unsupported;
};

static const struct evn_features_case evn_features_cases[] = {
	{ "none", 0, 0 },
	{ "info", EVN_F_INFO, 0 },
	{ "implemented", EVN_FEATURES, 0 },
	{ "lowest_unknown", EVN_F_ALL + 1, EVN_F_ALL + 1 },
	{ "info_and_unknown", EVN_F_INFO | (EVN_F_ALL + 1), EVN_F_ALL + 1 },
	{ "top_bit", 1ULL << 63, 1ULL << 63 },
	{ "all_and_unknown", ~0ULL, ~EVN_FEATURES },
};

static void evn_features_case_desc(const struct evn_features_case *c,
				   char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evn_features, evn_features_cases, evn_features_case_desc);

static void evn_features_unsupported_test(struct kunit *test)
{
	const struct evn_features_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, evn_features_unsupported(c->wanted),
			c->unsupported);
}

/*
 * Every defined bit is in EVN_F_ALL, the mask has no holes, and the module
 * implements only features the header defines.
 */
static void evn_features_all_mask_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, EVN_F_ALL & EVN_F_INFO, EVN_F_INFO);
	KUNIT_EXPECT_EQ(test, EVN_F_ALL & EVN_F_TARGETS, EVN_F_TARGETS);
	KUNIT_EXPECT_EQ(test, EVN_F_ALL & EVN_F_VOLUMES, EVN_F_VOLUMES);
	KUNIT_EXPECT_EQ(test, EVN_F_ALL & (EVN_F_ALL + 1), 0ULL);
	KUNIT_EXPECT_EQ(test, EVN_FEATURES & ~EVN_F_ALL, 0ULL);
}

/*
 * Messages are KUnit resources, so a failed assertion that ends a test early
 * still frees them (kunit_add_action() is not in 6.1).
 */
static int evn_test_skb_init(struct kunit_resource *res, void *context)
{
	res->data = alloc_skb((size_t)context, GFP_KERNEL);
	return res->data ? 0 : -ENOMEM;
}

static void evn_test_skb_free(struct kunit_resource *res)
{
	kfree_skb(res->data);
}

static struct sk_buff *evn_test_skb(struct kunit *test, size_t size)
{
	return kunit_alloc_resource(test, evn_test_skb_init, evn_test_skb_free,
				    GFP_KERNEL, (void *)size);
}

/*
 * Build a request message holding @attr_len bytes of EVN_A_INFO_FEATURES
 * (or no attribute when @attr_len is 0), then parse it as genetlink would.
 */
static int evn_info_parse_request(struct kunit *test, const void *payload,
				  int attr_len, struct nlattr **tb,
				  struct netlink_ext_ack *extack)
{
	struct sk_buff *skb;
	struct nlmsghdr *nlh;

	skb = evn_test_skb(test, NLMSG_GOODSIZE);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	nlh = nlmsg_put(skb, 0, 0, NLMSG_MIN_TYPE, 0, 0);
	KUNIT_ASSERT_NOT_NULL(test, nlh);
	if (attr_len)
		KUNIT_ASSERT_EQ(test, nla_put(skb, EVN_A_INFO_FEATURES,
					      attr_len, payload), 0);
	nlmsg_end(skb, nlh);

	/* @tb points into the skb, which lives until the test ends. */
	return nlmsg_parse(nlh, 0, tb, EVN_A_INFO_MAX, evn_info_get_policy,
			   extack);
}

static void evn_info_request_ok_test(struct kunit *test)
{
	struct nlattr *tb[EVN_A_INFO_MAX + 1];
	struct netlink_ext_ack extack = {};
	u64 want = EVN_F_INFO;

	KUNIT_ASSERT_EQ(test, evn_info_parse_request(test, &want, sizeof(want),
						     tb, &extack), 0);
	KUNIT_ASSERT_NOT_NULL(test, tb[EVN_A_INFO_FEATURES]);
	KUNIT_EXPECT_EQ(test, evn_info_check_request(tb, &extack), 0);
	KUNIT_EXPECT_NULL(test, extack._msg);
}

static void evn_info_request_empty_test(struct kunit *test)
{
	struct nlattr *tb[EVN_A_INFO_MAX + 1];
	struct netlink_ext_ack extack = {};

	KUNIT_ASSERT_EQ(test, evn_info_parse_request(test, NULL, 0, tb,
						     &extack), 0);
	KUNIT_EXPECT_NULL(test, tb[EVN_A_INFO_FEATURES]);
	KUNIT_EXPECT_EQ(test, evn_info_check_request(tb, &extack), 0);
}

static void evn_info_request_unknown_feature_test(struct kunit *test)
{
	struct nlattr *tb[EVN_A_INFO_MAX + 1];
	struct netlink_ext_ack extack = {};
	u64 want = EVN_F_INFO | (1ULL << 63);

	KUNIT_ASSERT_EQ(test, evn_info_parse_request(test, &want, sizeof(want),
						     tb, &extack), 0);
	KUNIT_EXPECT_EQ(test, evn_info_check_request(tb, &extack),
			-EOPNOTSUPP);
	KUNIT_ASSERT_NOT_NULL(test, extack._msg);
	KUNIT_EXPECT_NOT_NULL(test, strstr(extack._msg, "feature"));
	KUNIT_EXPECT_PTR_EQ(test, extack.bad_attr,
			    (const struct nlattr *)tb[EVN_A_INFO_FEATURES]);
}

/* A features attribute of the wrong size is refused by the policy. */
static void evn_info_request_short_attr_test(struct kunit *test)
{
	struct nlattr *tb[EVN_A_INFO_MAX + 1];
	struct netlink_ext_ack extack = {};
	u32 want = EVN_F_INFO;

	KUNIT_EXPECT_EQ(test, evn_info_parse_request(test, &want, sizeof(want),
						     tb, &extack), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, extack._msg);
}

/* The reply carries the module version, family version and feature mask. */
static void evn_info_fill_test(struct kunit *test)
{
	static const struct nla_policy reply_policy[EVN_A_INFO_MAX + 1] = {
		[EVN_A_INFO_MODULE_VERSION]	= { .type = NLA_NUL_STRING },
		[EVN_A_INFO_FAMILY_VERSION]	= { .type = NLA_U32 },
		[EVN_A_INFO_FEATURES]		= { .type = NLA_U64 },
		[EVN_A_INFO_PAD]		= { .type = NLA_UNSPEC },
		[EVN_A_INFO_HOSTNQN]		= { .type = NLA_NUL_STRING },
	};
	struct nlattr *tb[EVN_A_INFO_MAX + 1];
	struct sk_buff *skb;
	struct nlmsghdr *nlh;

	skb = evn_test_skb(test, NLMSG_GOODSIZE);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	nlh = nlmsg_put(skb, 0, 0, NLMSG_MIN_TYPE, 0, 0);
	KUNIT_ASSERT_NOT_NULL(test, nlh);
	KUNIT_ASSERT_EQ(test, evn_info_fill(skb, "nqn.2026-11.io.evn:host"), 0);
	nlmsg_end(skb, nlh);

	KUNIT_ASSERT_EQ(test, nlmsg_parse(nlh, 0, tb, EVN_A_INFO_MAX,
					  reply_policy, NULL), 0);
	KUNIT_ASSERT_NOT_NULL(test, tb[EVN_A_INFO_MODULE_VERSION]);
	KUNIT_EXPECT_STREQ(test, (char *)nla_data(tb[EVN_A_INFO_MODULE_VERSION]),
			   EVN_VERSION);
	KUNIT_ASSERT_NOT_NULL(test, tb[EVN_A_INFO_FAMILY_VERSION]);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[EVN_A_INFO_FAMILY_VERSION]),
			(u32)EVN_FAMILY_VERSION);
	KUNIT_ASSERT_NOT_NULL(test, tb[EVN_A_INFO_FEATURES]);
	KUNIT_EXPECT_EQ(test, nla_get_u64(tb[EVN_A_INFO_FEATURES]),
			EVN_FEATURES);
	KUNIT_ASSERT_NOT_NULL(test, tb[EVN_A_INFO_HOSTNQN]);
	KUNIT_EXPECT_STREQ(test, (char *)nla_data(tb[EVN_A_INFO_HOSTNQN]),
			   "nqn.2026-11.io.evn:host");
	/* The u64 payload must be 8-byte aligned for userspace readers. */
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED((unsigned long)
			  nla_data(tb[EVN_A_INFO_FEATURES]), 8));
}

/* A reply that does not fit is reported, not truncated silently. */
static void evn_info_fill_too_small_test(struct kunit *test)
{
	struct sk_buff *skb;

	skb = evn_test_skb(test, NLMSG_GOODSIZE);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	/* Leave less room than the reply needs (allocations round up). */
	skb_put(skb, skb_tailroom(skb) - 16);
	KUNIT_EXPECT_EQ(test, evn_info_fill(skb, "nqn.x"), -EMSGSIZE);
}

static struct kunit_case evn_info_test_cases[] = {
	KUNIT_CASE_PARAM(evn_features_unsupported_test, evn_features_gen_params),
	KUNIT_CASE(evn_features_all_mask_test),
	KUNIT_CASE(evn_info_request_ok_test),
	KUNIT_CASE(evn_info_request_empty_test),
	KUNIT_CASE(evn_info_request_unknown_feature_test),
	KUNIT_CASE(evn_info_request_short_attr_test),
	KUNIT_CASE(evn_info_fill_test),
	KUNIT_CASE(evn_info_fill_too_small_test),
	{}
};

static struct kunit_suite evn_info_test_suite = {
	.name = "evn_info",
	.test_cases = evn_info_test_cases,
};

kunit_test_suite(evn_info_test_suite);

MODULE_LICENSE("GPL");
