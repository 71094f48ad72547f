// SPDX-License-Identifier: GPL-2.0
/*
 * nl_check_test.c - KUnit tests for the validation of names and extents
 *
 * Copyright (C) 2026 The evn authors
 */
#include <kunit/test.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <net/netlink.h>

#include "evn.h"

/* A NUL-terminated string attribute in KUnit-managed memory. */
static struct nlattr *evn_test_str_attr(struct kunit *test, const char *s)
{
	int len = strlen(s) + 1;
	struct nlattr *nla;

	nla = kunit_kzalloc(test, nla_total_size(len), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, nla);
	nla->nla_type = EVN_A_TARGET_NAME;
	nla->nla_len = nla_attr_size(len);
	memcpy(nla_data(nla), s, len);
	return nla;
}

struct evn_name_case {
	const char *desc;
	const char *name;
	int err;
	const char *msg;	/* part of the extack message, if rejected */
};

static const struct evn_name_case evn_name_cases[] = {
	{ "simple", "t0", 0, NULL },
	{ "all_classes", "Rack-1_nvme.0", 0, NULL },
	{ "one_char", "x", 0, NULL },
	{ "max_len", "abcdefghijklmnopqrstuvwxyz01234", 0, NULL },
	{ "too_long", "abcdefghijklmnopqrstuvwxyz012345", -EINVAL, "1 to 31" },
	{ "empty", "", -EINVAL, "1 to 31" },
	{ "leading_dash", "-t0", -EINVAL, "start with" },
	{ "slash", "a/b", -EINVAL, "letters, digits" },
	{ "space", "a b", -EINVAL, "letters, digits" },
	{ "non_ascii", "caf\xc3\xa9", -EINVAL, "letters, digits" },
};

static void evn_name_case_desc(const struct evn_name_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evn_name, evn_name_cases, evn_name_case_desc);

static void evn_check_name_test(struct kunit *test)
{
	const struct evn_name_case *c = test->param_value;
	struct netlink_ext_ack extack = {};
	struct nlattr *attr = evn_test_str_attr(test, c->name);

	KUNIT_EXPECT_EQ(test, evn_check_name(attr, &extack), c->err);
	if (c->err) {
		KUNIT_ASSERT_NOT_NULL(test, extack._msg);
		KUNIT_EXPECT_NOT_NULL(test, strstr(extack._msg, c->msg));
		KUNIT_EXPECT_PTR_EQ(test, extack.bad_attr,
				    (const struct nlattr *)attr);
	} else {
		KUNIT_EXPECT_NULL(test, extack._msg);
	}
}

struct evn_extent_case {
	const char *desc;
	u64 offset;
	u64 length;
	u64 capacity;
	unsigned int lba_shift;
	int err;
	const char *msg;
};

#define MiB ((u64)SZ_1M)

static const struct evn_extent_case evn_extent_cases[] = {
	{ "whole", 0, 512 * MiB, 512 * MiB, 9, 0, NULL },
	{ "inner", 4096, 4096, 512 * MiB, 9, 0, NULL },
	{ "last_4k", 512 * MiB - 4096, 4096, 512 * MiB, 12, 0, NULL },
	{ "zero_length", 0, 0, 512 * MiB, 9, -EINVAL, "length is zero" },
	{ "offset_512", 512, 4096, 512 * MiB, 9, -EINVAL, "offset is not" },
	{ "length_512", 0, 4096 + 512, 512 * MiB, 9, -EINVAL, "length is not" },
	{ "lba_8k_offset", 4096, 8192, 512 * MiB, 13, -EINVAL, "offset is not" },
	{ "lba_8k_ok", 8192, 8192, 512 * MiB, 13, 0, NULL },
	{ "past_end", 512 * MiB - 4096, 8192, 512 * MiB, 9, -ERANGE, "past the end" },
	{ "at_end", 512 * MiB, 4096, 512 * MiB, 9, -ERANGE, "past the end" },
	{ "wraps", U64_MAX - 4095, 8192, U64_MAX - 4095, 9, -ERANGE, "past the end" },
	{ "huge_length", 4096, U64_MAX & ~4095ULL, 512 * MiB, 9, -ERANGE, "past the end" },
};

static void evn_extent_case_desc(const struct evn_extent_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evn_extent, evn_extent_cases, evn_extent_case_desc);

static void evn_check_extent_test(struct kunit *test)
{
	const struct evn_extent_case *c = test->param_value;
	struct netlink_ext_ack extack = {};
	struct nlattr attr = {};

	KUNIT_EXPECT_EQ(test, evn_check_extent(c->offset, c->length, c->capacity,
					       c->lba_shift, &attr, &extack),
			c->err);
	if (c->err) {
		KUNIT_ASSERT_NOT_NULL(test, extack._msg);
		KUNIT_EXPECT_NOT_NULL(test, strstr(extack._msg, c->msg));
		KUNIT_EXPECT_PTR_EQ(test, extack.bad_attr,
				    (const struct nlattr *)&attr);
	}
}

/* Metadata ranges: the "capacity" of a case is the metadata area size. */
static const struct evn_extent_case evn_meta_range_cases[] = {
	{ "first_block", 0, 4096, 16 * MiB, 9, 0, NULL },
	{ "largest", 16 * MiB - SZ_32K, SZ_32K, 16 * MiB, 9, 0, NULL },
	{ "lba_4k", 8192, 4096, 16 * MiB, 12, 0, NULL },
	{ "zero_length", 0, 0, 16 * MiB, 9, -EINVAL, "length is zero" },
	{ "too_long", 0, SZ_32K + 4096, 16 * MiB, 9, -E2BIG, "larger than 32 KiB" },
	{ "offset_512", 512, 4096, 16 * MiB, 9, -EINVAL, "not a multiple of 4 KiB" },
	{ "length_512", 0, 4096 + 512, 16 * MiB, 9, -EINVAL, "not a multiple of 4 KiB" },
	{ "lba_8k_offset", 4096, 8192, 16 * MiB, 13, -EINVAL, "LBA size" },
	{ "no_area", 0, 4096, 0, 9, -ERANGE, "no metadata area" },
	{ "past_area", 16 * MiB - 4096, 8192, 16 * MiB, 9, -ERANGE, "outside" },
	{ "after_area", 16 * MiB, 4096, 16 * MiB, 9, -ERANGE, "outside" },
	{ "wraps", U64_MAX - 4095, 8192, 16 * MiB, 9, -ERANGE, "outside" },
};

KUNIT_ARRAY_PARAM(evn_meta_range, evn_meta_range_cases, evn_extent_case_desc);

static void evn_check_meta_range_test(struct kunit *test)
{
	const struct evn_extent_case *c = test->param_value;
	struct netlink_ext_ack extack = {};
	struct nlattr attr = {};

	KUNIT_EXPECT_EQ(test, evn_check_meta_range(c->offset, c->length,
						   c->capacity, c->lba_shift,
						   &attr, &extack),
			c->err);
	if (c->err) {
		KUNIT_ASSERT_NOT_NULL(test, extack._msg);
		KUNIT_EXPECT_NOT_NULL(test, strstr(extack._msg, c->msg));
		KUNIT_EXPECT_PTR_EQ(test, extack.bad_attr,
				    (const struct nlattr *)&attr);
	} else {
		KUNIT_EXPECT_NULL(test, extack._msg);
	}
}

/* Metadata area sizes: offset 0, length = the size asked for. */
static const struct evn_extent_case evn_meta_size_cases[] = {
	{ "none", 0, 0, 512 * MiB, 9, 0, NULL },
	{ "16m", 0, 16 * MiB, 512 * MiB, 9, 0, NULL },
	{ "whole", 0, 512 * MiB, 512 * MiB, 12, 0, NULL },
	{ "unaligned", 0, 16 * MiB + 512, 512 * MiB, 9, -EINVAL, "not a multiple" },
	{ "lba_8k", 0, 12 * 1024, 512 * MiB, 13, -EINVAL, "LBA size" },
	{ "too_large", 0, 512 * MiB + 4096, 512 * MiB, 9, -ERANGE, "larger than the target" },
};

KUNIT_ARRAY_PARAM(evn_meta_size, evn_meta_size_cases, evn_extent_case_desc);

static void evn_check_meta_size_test(struct kunit *test)
{
	const struct evn_extent_case *c = test->param_value;
	struct netlink_ext_ack extack = {};
	struct nlattr attr = {};

	KUNIT_EXPECT_EQ(test, evn_check_meta_size(c->length, c->capacity,
						  c->lba_shift, &attr, &extack),
			c->err);
	if (c->err) {
		KUNIT_ASSERT_NOT_NULL(test, extack._msg);
		KUNIT_EXPECT_NOT_NULL(test, strstr(extack._msg, c->msg));
	} else {
		KUNIT_EXPECT_NULL(test, extack._msg);
	}
}

static struct kunit_case evn_nl_check_test_cases[] = {
	KUNIT_CASE_PARAM(evn_check_name_test, evn_name_gen_params),
	KUNIT_CASE_PARAM(evn_check_extent_test, evn_extent_gen_params),
	KUNIT_CASE_PARAM(evn_check_meta_range_test, evn_meta_range_gen_params),
	KUNIT_CASE_PARAM(evn_check_meta_size_test, evn_meta_size_gen_params),
	{}
};

static struct kunit_suite evn_nl_check_test_suite = {
	.name = "evn_nl_check",
	.test_cases = evn_nl_check_test_cases,
};

kunit_test_suite(evn_nl_check_test_suite);
