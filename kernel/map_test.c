// SPDX-License-Identifier: GPL-2.0
/*
 * map_test.c - KUnit tests for the request-to-LBA translation and for
 * evn_send_now()
 *
 * Copyright (C) 2026 The evn authors
 */
#include <kunit/test.h>
#include <linux/sizes.h>

#include "evn.h"

struct evn_map_case {
	const char *desc;
	u64 target_offset;
	u64 extent_len;
	u64 pos;
	u64 bytes;
	unsigned int lba_shift;
	int err;
	u64 slba;
	u32 nlb;
};

#define MiB ((u64)SZ_1M)
#define GiB ((u64)SZ_1G)

static const struct evn_map_case evn_map_cases[] = {
	{ "first_sector", 0, MiB, 0, 512, 9, 0, 0, 1 },
	{ "offset_extent", 64 * MiB, MiB, 4096, 8192, 9, 0, (64 * MiB + 4096) >> 9, 16 },
	{ "lba_4k", 64 * MiB, MiB, 4096, 8192, 12, 0, (64 * MiB + 4096) >> 12, 2 },
	{ "last_block", 0, MiB, MiB - 512, 512, 9, 0, (MiB - 512) >> 9, 1 },
	{ "whole_extent", 4 * GiB, 2 * GiB, 0, 2 * GiB, 9, 0, 8 * 1024 * 1024, 4 * 1024 * 1024 },
	{ "flush_no_data", 4096, MiB, 0, 0, 9, 0, 8, 0 },
	{ "past_extent", 0, MiB, MiB - 512, 1024, 9, -EINVAL, 0, 0 },
	{ "pos_past_extent", 0, MiB, MiB + 512, 512, 9, -EINVAL, 0, 0 },
	{ "unaligned_pos_4k", 0, MiB, 512, 4096, 12, -EINVAL, 0, 0 },
	{ "unaligned_len_4k", 0, MiB, 0, 512, 12, -EINVAL, 0, 0 },
	{ "nlb_overflow", 0, 4096 * GiB, 0, 4096 * GiB, 9, -EINVAL, 0, 0 },
	{ "nlb_max", 0, 4096 * GiB, 0, 4096 * GiB - 4096, 12, 0, 0, 1024 * 1024 * 1024 - 1 },
};

static void evn_map_case_desc(const struct evn_map_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evn_map, evn_map_cases, evn_map_case_desc);

static void evn_map_lba_test(struct kunit *test)
{
	const struct evn_map_case *c = test->param_value;
	u64 slba = ~0ULL;
	u32 nlb = ~0U;
	int ret;

	ret = evn_map_lba(c->target_offset, c->extent_len, c->pos, c->bytes,
			  c->lba_shift, &slba, &nlb);
	KUNIT_ASSERT_EQ(test, ret, c->err);
	if (!ret) {
		KUNIT_EXPECT_EQ(test, slba, c->slba);
		KUNIT_EXPECT_EQ(test, nlb, c->nlb);
	} else {
		/* Nothing is written on failure. */
		KUNIT_EXPECT_EQ(test, slba, ~0ULL);
		KUNIT_EXPECT_EQ(test, nlb, ~0U);
	}
}

/* Feed evn_send_now() a pattern of alone (1) and not alone (0) requests. */
static void evn_send_now_run(struct kunit *test, unsigned int *streak,
			     const char *alone, const char *want)
{
	unsigned int i;

	for (i = 0; alone[i]; i++)
		KUNIT_EXPECT_EQ_MSG(test, evn_send_now(streak, alone[i] == '1'),
				    want[i] == '1', "request %u of %s", i,
				    alone);
}

static void evn_send_now_test(struct kunit *test)
{
	unsigned int streak = 0;

	KUNIT_ASSERT_EQ(test, EVN_ALONE_STREAK, 4);
	/* Queue depth 1: from the fifth request on, every one goes at once. */
	evn_send_now_run(test, &streak, "11111111", "00001111");
	KUNIT_EXPECT_EQ(test, streak, EVN_ALONE_STREAK);
	/* One request with company starts the count again. */
	evn_send_now_run(test, &streak, "0111111", "0000011");
	/* A deep queue that drains now and then never sends at once. */
	streak = 0;
	evn_send_now_run(test, &streak, "0000100110111000", "0000000000000000");
	KUNIT_EXPECT_EQ(test, streak, 0U);
	/* Never alone: the streak stays 0. */
	evn_send_now_run(test, &streak, "000000", "000000");
	KUNIT_EXPECT_EQ(test, streak, 0U);
}

static struct kunit_case evn_map_test_cases[] = {
	KUNIT_CASE_PARAM(evn_map_lba_test, evn_map_gen_params),
	KUNIT_CASE(evn_send_now_test),
	{}
};

static struct kunit_suite evn_map_test_suite = {
	.name = "evn_map",
	.test_cases = evn_map_test_cases,
};

kunit_test_suite(evn_map_test_suite);
