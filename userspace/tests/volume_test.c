// SPDX-License-Identifier: GPL-2.0
/*
 * volume_test.c - unit tests of the volume object: extent specifications,
 * command line of concat and stripe volumes, request building with nested
 * extents and their columns, reply decoding (with and without layouts),
 * JSON, table and detail output; "grow": its command line, the grown map
 * (appending, merging, the checks against the volume), its request and
 * its output
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <json-c/json.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <linux/evn.h>

#include "parse.h"
#include "volume.h"

#define FAKE_FAMILY_ID	0x22
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define G		(1ULL << 30)
#define M		(1ULL << 20)
#define K		(1ULL << 10)

/* ---- extent specifications ---- */

static void test_extent_good(void **state)
{
	static const struct {
		const char *spec;
		const char *target;
		uint64_t offset, length;
	} cases[] = {
		{ "t0:0:1G",		"t0", 0, G },
		{ "t0:1G:512M",		"t0", G, 512 * M },
		{ "t0:4096:4096",	"t0", 4096, 4096 },
		{ "Disk_1.a-b:2t:3g",	"Disk_1.a-b", 2ULL << 40, 3 * G },
		{ "t0:0K:1",		"t0", 0, 1 },
		{ "t0:0:18446744073709551615", "t0", 0, UINT64_MAX },
		{ "t0:18446744073709551614:1", "t0", UINT64_MAX - 1, 1 },
		{ "t0:15E:1023P",	"t0", 15ULL << 60, 1023ULL << 50 },
		{ "1234567890123456789012345678901:0:1", /* 31 characters */
		  "1234567890123456789012345678901", 0, 1 },
	};
	char err[EVN_ERRLEN];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct evn_extent e;

		print_message("extent \"%s\"\n", cases[i].spec);
		assert_int_equal(evn_extent_parse(cases[i].spec, &e, err,
						  sizeof(err)), 0);
		assert_string_equal(e.target, cases[i].target);
		assert_true(e.offset == cases[i].offset);
		assert_true(e.length == cases[i].length);
	}
}

static void test_extent_bad(void **state)
{
	static const struct {
		const char *spec;
		const char *err;
	} cases[] = {
		{ "", "invalid extent \"\": not TARGET:OFFSET:LENGTH" },
		{ "t0", "invalid extent \"t0\": not TARGET:OFFSET:LENGTH" },
		{ "t0:1G", "invalid extent \"t0:1G\": not TARGET:OFFSET:LENGTH" },
		{ "t0:0:1G:", "invalid extent \"t0:0:1G:\": not TARGET:OFFSET:LENGTH" },
		{ "t0:0:1G:x", "invalid extent \"t0:0:1G:x\": not TARGET:OFFSET:LENGTH" },
		{ "::", "invalid extent \"::\": empty target name" },
		{ ":0:1G", "invalid extent \":0:1G\": empty target name" },
		{ "t0::1G", "invalid extent \"t0::1G\": empty offset" },
		{ "t0:0:", "invalid extent \"t0:0:\": empty length" },
		{ "-t0:0:1G",
		  "invalid extent \"-t0:0:1G\": invalid target name \"-t0\": must not start with '-'" },
		{ "t 0:0:1G",
		  "invalid extent \"t 0:0:1G\": invalid target name \"t 0\": character ' ' not allowed (only A-Z a-z 0-9 . _ -)" },
		{ "12345678901234567890123456789012:0:1G",
		  "invalid extent \"12345678901234567890123456789012:0:1G\": invalid target name \"12345678901234567890123456789012\": longer than 31 characters" },
		{ "t0:1x:1G",
		  "invalid extent \"t0:1x:1G\": bad offset \"1x\" (a number of bytes, or with K, M, G, T, P, E)" },
		{ "t0:0:1GB",
		  "invalid extent \"t0:0:1GB\": bad length \"1GB\" (a number of bytes, or with K, M, G, T, P, E)" },
		{ "t0:0:1.5G",
		  "invalid extent \"t0:0:1.5G\": bad length \"1.5G\" (a number of bytes, or with K, M, G, T, P, E)" },
		{ "t0:-1:1G",
		  "invalid extent \"t0:-1:1G\": bad offset \"-1\" (a number of bytes, or with K, M, G, T, P, E)" },
		{ "t0: 0:1G",
		  "invalid extent \"t0: 0:1G\": bad offset \" 0\" (a number of bytes, or with K, M, G, T, P, E)" },
		{ "t0:16E:1G",
		  "invalid extent \"t0:16E:1G\": offset \"16E\" is too large (at most 2^64 - 1 bytes)" },
		{ "t0:0:18446744073709551616",
		  "invalid extent \"t0:0:18446744073709551616\": length \"18446744073709551616\" is too large (at most 2^64 - 1 bytes)" },
		{ "t0:0:0", "invalid extent \"t0:0:0\": length \"0\" is zero" },
		{ "t0:1G:0M", "invalid extent \"t0:1G:0M\": length \"0M\" is zero" },
		{ "t0:15E:1E",
		  "invalid extent \"t0:15E:1E\": offset + length exceeds 2^64 - 1 bytes" },
		{ "t0:18446744073709551615:1",
		  "invalid extent \"t0:18446744073709551615:1\": offset + length exceeds 2^64 - 1 bytes" },
	};
	char err[EVN_ERRLEN];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct evn_extent e;

		err[0] = '\0';
		assert_int_equal(evn_extent_parse(cases[i].spec, &e, err,
						  sizeof(err)), -EINVAL);
		assert_string_equal(err, cases[i].err);
	}
}

/* ---- command line ---- */

static int create_args(struct evn_volume_args *a, char *err, ...)
{
	char *argv[32];
	int argc = 0;
	va_list ap;

	va_start(ap, err);
	while ((argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	err[0] = '\0';
	return evn_volume_create_args(argc, argv, a, err, EVN_ERRLEN);
}

static void test_create_args(void **state)
{
	struct evn_volume_args a;
	char err[EVN_ERRLEN];

	(void)state;
	assert_int_equal(create_args(&a, err, "v0", "extent", "t0:0:1G",
				     NULL), 0);
	assert_string_equal(a.name, "v0");
	assert_int_equal(a.nr_extents, 1);
	assert_string_equal(a.extents[0].target, "t0");
	assert_true(a.extents[0].length == G);
	evn_volume_args_free(&a);
	assert_null(a.extents);

	assert_int_equal(create_args(&a, err, "v1",
				     "extent", "t0:0:1G",
				     "extent", "t1:4096:512m",
				     "extent", "t0:1G:1G", NULL), 0);
	assert_int_equal(a.nr_extents, 3);
	assert_string_equal(a.extents[1].target, "t1");
	assert_true(a.extents[1].offset == 4096);
	assert_true(a.extents[1].length == 512 * M);
	assert_string_equal(a.extents[2].target, "t0");
	assert_true(a.extents[2].offset == G);
	evn_volume_args_free(&a);
}

static void test_create_args_bad(void **state)
{
	static const struct {
		const char *argv[8];
		const char *err;
	} cases[] = {
		{ { NULL }, "missing NAME" },
		{ { "v0" }, "missing \"extent TARGET:OFFSET:LENGTH\"" },
		{ { "extent", "t0:0:1G" }, "missing NAME before \"extent\"" },
		{ { "v 0", "extent", "t0:0:1G" },
		  "invalid volume name \"v 0\": character ' ' not allowed (only A-Z a-z 0-9 . _ -)" },
		{ { "v0", "extent" },
		  "missing TARGET:OFFSET:LENGTH after \"extent\"" },
		{ { "v0", "extent", "t0:0:1G", "extent" },
		  "missing TARGET:OFFSET:LENGTH after \"extent\"" },
		{ { "v0", "extents", "t0:0:1G" }, "unknown keyword \"extents\"" },
		{ { "v0", "t0:0:1G" }, "unknown keyword \"t0:0:1G\"" },
		{ { "v0", "extent", "t0:0:1G", "size", "1G" },
		  "unknown keyword \"size\"" },
		/* the second extent is bad: the message names it */
		{ { "v0", "extent", "t0:0:1G", "extent", "t1:0:0" },
		  "invalid extent \"t1:0:0\": length \"0\" is zero" },
	};
	char err[EVN_ERRLEN];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct evn_volume_args a;
		int argc = 0;

		while (cases[i].argv[argc])
			argc++;
		err[0] = '\0';
		assert_int_equal(evn_volume_create_args(argc,
					(char **)cases[i].argv, &a, err,
					sizeof(err)), -EINVAL);
		assert_string_equal(err, cases[i].err);
		assert_null(a.extents);	/* nothing to free on failure */
	}
}

/* "layout concat" is the default spelled out; "layout" is a valid name. */
static void test_create_args_concat(void **state)
{
	struct evn_volume_args a;
	char err[EVN_ERRLEN];

	(void)state;
	assert_int_equal(create_args(&a, err, "v0", "extent", "t0:0:1G",
				     NULL), 0);
	assert_false(a.layout_given);
	assert_int_equal(a.layout, EVN_VOLUME_LAYOUT_CONCAT);
	assert_int_equal(a.extents[0].column, 0);
	evn_volume_args_free(&a);

	assert_int_equal(create_args(&a, err, "v0", "layout", "concat",
				     "extent", "t0:0:1G", "extent", "t1:0:2G",
				     NULL), 0);
	assert_true(a.layout_given);
	assert_int_equal(a.layout, EVN_VOLUME_LAYOUT_CONCAT);
	assert_int_equal(a.nr_extents, 2);
	assert_int_equal(a.extents[1].column, 0);
	assert_true(a.extents[1].length == 2 * G);
	evn_volume_args_free(&a);

	/* keywords in any order */
	assert_int_equal(create_args(&a, err, "v0", "extent", "t0:0:1G",
				     "layout", "concat", NULL), 0);
	assert_true(a.layout_given);
	assert_int_equal(a.nr_extents, 1);
	evn_volume_args_free(&a);

	/* a keyword is a name when the words after it pair up */
	assert_int_equal(create_args(&a, err, "layout", "extent", "t0:0:1G",
				     NULL), 0);
	assert_string_equal(a.name, "layout");
	evn_volume_args_free(&a);
}

static void test_create_args_stripe(void **state)
{
	static const struct {
		const char *target;
		uint64_t offset, length;
		uint32_t column;
	} want[] = {
		{ "t0", 0, G, 0 },
		{ "t1", 4096, G, 1 },
		{ "t2", 0, 512 * M, 2 },
		{ "t3", 8 * G, 512 * M, 2 },
		{ "t0", 2 * G, G, 3 },
	};
	struct evn_volume_args a;
	char err[EVN_ERRLEN];
	size_t i;

	(void)state;
	assert_int_equal(create_args(&a, err, "s0", "layout", "stripe",
				     "chunk", "128K",
				     "column", "t0:0:1G",
				     "column", "t1:4096:1G",
				     "column", "t2:0:512M,t3:8G:512M",
				     "column", "t0:2G:1G", NULL), 0);
	assert_string_equal(err, "");
	assert_string_equal(a.name, "s0");
	assert_true(a.layout_given);
	assert_int_equal(a.layout, EVN_VOLUME_LAYOUT_STRIPE);
	assert_int_equal(a.chunk, 128 * K);
	assert_int_equal(a.nr_columns, 4);
	assert_int_equal(a.nr_extents, ARRAY_SIZE(want));
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		assert_string_equal(a.extents[i].target, want[i].target);
		assert_true(a.extents[i].offset == want[i].offset);
		assert_true(a.extents[i].length == want[i].length);
		assert_int_equal(a.extents[i].column, want[i].column);
	}
	evn_volume_args_free(&a);

	/* chunk before layout; the smallest and largest chunks; one column */
	assert_int_equal(create_args(&a, err, "s1", "chunk", "4096",
				     "layout", "stripe", "column", "t0:0:1G",
				     NULL), 0);
	assert_int_equal(a.chunk, 4096);
	assert_int_equal(a.nr_columns, 1);
	evn_volume_args_free(&a);
	assert_int_equal(create_args(&a, err, "s1", "layout", "stripe",
				     "chunk", "16m", "column", "t0:0:1G",
				     NULL), 0);
	assert_int_equal(a.chunk, 16 * M);
	evn_volume_args_free(&a);
}

static void test_create_args_layout_bad(void **state)
{
	static const struct {
		const char *argv[12];
		const char *err;
	} cases[] = {
		{ { "layout", "stripe" }, "missing NAME before \"layout\"" },
		{ { "v0", "layout" }, "missing LAYOUT after \"layout\"" },
		{ { "v0", "layout", "raid5", "extent", "t0:0:1G" },
		  "invalid layout \"raid5\" (concat or stripe)" },
		{ { "v0", "layout", "Stripe", "extent", "t0:0:1G" },
		  "invalid layout \"Stripe\" (concat or stripe)" },
		{ { "v0", "layout", "concat", "layout", "stripe" },
		  "\"layout\" given twice (\"stripe\")" },
		{ { "v0", "layout", "concat" },
		  "missing \"extent TARGET:OFFSET:LENGTH\"" },
		{ { "v0", "layout", "concat", "chunk", "64K", "extent", "t0:0:1G" },
		  "\"chunk 64K\" is for \"layout stripe\" only" },
		{ { "v0", "chunk", "64K", "extent", "t0:0:1G" },
		  "\"chunk 64K\" is for \"layout stripe\" only" },
		{ { "v0", "column", "t0:0:1G" },
		  "\"column t0:0:1G\" is for \"layout stripe\" only (give concat extents with \"extent\")" },
		{ { "v0", "layout", "concat", "extent", "t0:0:1G", "column", "t1:0:1G" },
		  "\"column t1:0:1G\" is for \"layout stripe\" only (give concat extents with \"extent\")" },
		{ { "v0", "layout", "stripe", "column", "t0:0:1G" },
		  "missing \"chunk SIZE\"" },
		{ { "v0", "layout", "stripe", "chunk" },
		  "missing SIZE after \"chunk\"" },
		{ { "v0", "layout", "stripe", "chunk", "64K" },
		  "missing \"column TARGET:OFFSET:LENGTH[,...]\"" },
		{ { "v0", "layout", "stripe", "chunk", "64K", "column" },
		  "missing TARGET:OFFSET:LENGTH[,TARGET:OFFSET:LENGTH...] after \"column\"" },
		{ { "v0", "layout", "stripe", "chunk", "64K", "extent", "t0:0:1G" },
		  "\"extent t0:0:1G\" is not for \"layout stripe\" (give each column with \"column\")" },
		{ { "v0", "layout", "stripe", "chunk", "64K", "chunk", "128K",
		    "column", "t0:0:1G" },
		  "\"chunk\" given twice (\"128K\")" },
		{ { "v0", "layout", "stripe", "chunk", "96K", "column", "t0:0:1G" },
		  "invalid chunk \"96K\": not a power of two from 4K to 16M" },
		{ { "v0", "layout", "stripe", "chunk", "2K", "column", "t0:0:1G" },
		  "invalid chunk \"2K\": not a power of two from 4K to 16M" },
		{ { "v0", "layout", "stripe", "chunk", "32M", "column", "t0:0:1G" },
		  "invalid chunk \"32M\": not a power of two from 4K to 16M" },
		{ { "v0", "layout", "stripe", "chunk", "0", "column", "t0:0:1G" },
		  "invalid chunk \"0\": not a power of two from 4K to 16M" },
		{ { "v0", "layout", "stripe", "chunk", "16E", "column", "t0:0:1G" },
		  "invalid chunk \"16E\": not a power of two from 4K to 16M" },
		{ { "v0", "layout", "stripe", "chunk", "64KB", "column", "t0:0:1G" },
		  "invalid chunk \"64KB\": not a size (a number of bytes, or with K, M, G, T, P, E)" },
		{ { "v0", "layout", "stripe", "chunk", "64K", "column", "t0:0:1G",
		    "column", "t1:0:1G", "column", "t0:x:1G" },
		  "invalid extent \"t0:x:1G\" in column 2: bad offset \"x\" (a number of bytes, or with K, M, G, T, P, E)" },
		{ { "v0", "layout", "stripe", "chunk", "64K",
		    "column", "t0:0:1G,t1:0:0" },
		  "invalid extent \"t1:0:0\" in column 0: length \"0\" is zero" },
		{ { "v0", "layout", "stripe", "chunk", "64K",
		    "column", "t0:0:1G", "column", "t1:0:1G,,t2:0:1G" },
		  "invalid column 1 \"t1:0:1G,,t2:0:1G\": empty extent (extents are separated by single commas)" },
		{ { "v0", "layout", "stripe", "chunk", "64K", "column", "t0:0:1G," },
		  "invalid column 0 \"t0:0:1G,\": empty extent (extents are separated by single commas)" },
		{ { "v0", "layout", "stripe", "chunk", "64K", "column", "" },
		  "invalid column 0 \"\": empty extent (extents are separated by single commas)" },
		{ { "v0", "layout", "stripe", "chunk", "64K", "column", "t0:0" },
		  "invalid extent \"t0:0\" in column 0: not TARGET:OFFSET:LENGTH" },
	};
	char err[EVN_ERRLEN];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct evn_volume_args a;
		int argc = 0;

		while (cases[i].argv[argc])
			argc++;
		err[0] = '\0';
		print_message("case %zu\n", i);
		assert_int_equal(evn_volume_create_args(argc,
					(char **)cases[i].argv, &a, err,
					sizeof(err)), -EINVAL);
		assert_string_equal(err, cases[i].err);
		assert_null(a.extents);	/* nothing to free on failure */
		assert_false(a.layout_given);
	}
}

/* ---- request building ---- */

static struct nl_msg *new_msg(uint8_t cmd, size_t size)
{
	struct nl_msg *msg = size ? nlmsg_alloc_size(size) : nlmsg_alloc();

	assert_non_null(msg);
	assert_non_null(genlmsg_put(msg, 1234, 1, FAKE_FAMILY_ID, 0, 0, cmd,
				    EVN_FAMILY_VERSION));
	return msg;
}

/* Walk the request as the kernel would: NAME then nests, in order. */
static void check_request(struct nl_msg *msg, uint8_t cmd,
			  const struct evn_volume_args *a)
{
	const bool stripe = a->layout == EVN_VOLUME_LAYOUT_STRIPE;
	struct genlmsghdr *gnlh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *pos;
	size_t n = 0;
	bool name = false, layout = false, chunk = false;
	int rem;

	assert_int_equal(gnlh->cmd, cmd);
	nla_for_each_attr(pos, genlmsg_attrdata(gnlh, 0),
			  genlmsg_attrlen(gnlh, 0), rem) {
		struct nlattr *tb[EVN_A_EXTENT_MAX + 1];
		const struct evn_extent *e;

		if (pos->nla_type == EVN_A_VOLUME_NAME) {
			assert_false(name);
			assert_int_equal(n, 0);	/* the name comes first */
			assert_int_equal(nla_len(pos), strlen(a->name) + 1);
			assert_string_equal(nla_get_string(pos), a->name);
			name = true;
			continue;
		}
		/* layout and chunk follow the name, before the extents */
		if (pos->nla_type == EVN_A_VOLUME_LAYOUT) {
			assert_true(name);
			assert_false(layout);
			assert_int_equal(n, 0);
			assert_int_equal(nla_len(pos), 4);
			assert_int_equal(nla_get_u32(pos), a->layout);
			layout = true;
			continue;
		}
		if (pos->nla_type == EVN_A_VOLUME_CHUNK) {
			assert_true(layout);
			assert_false(chunk);
			assert_int_equal(n, 0);
			assert_int_equal(nla_len(pos), 4);
			assert_int_equal(nla_get_u32(pos), a->chunk);
			chunk = true;
			continue;
		}
		/* nothing else but extents, each flagged as a nest */
		assert_int_equal(pos->nla_type,
				 EVN_A_VOLUME_EXTENT | NLA_F_NESTED);
		assert_true(nla_is_nested(pos));
		assert_true(n < a->nr_extents);
		e = &a->extents[n++];
		assert_int_equal(nla_parse_nested(tb, EVN_A_EXTENT_MAX, pos,
						  NULL), 0);
		assert_non_null(tb[EVN_A_EXTENT_TARGET]);
		assert_string_equal(nla_get_string(tb[EVN_A_EXTENT_TARGET]),
				    e->target);
		assert_non_null(tb[EVN_A_EXTENT_TARGET_OFFSET]);
		assert_int_equal(nla_len(tb[EVN_A_EXTENT_TARGET_OFFSET]), 8);
		assert_true(nla_get_u64(tb[EVN_A_EXTENT_TARGET_OFFSET]) ==
			    e->offset);
		assert_non_null(tb[EVN_A_EXTENT_LENGTH]);
		assert_int_equal(nla_len(tb[EVN_A_EXTENT_LENGTH]), 8);
		assert_true(nla_get_u64(tb[EVN_A_EXTENT_LENGTH]) == e->length);
		assert_null(tb[EVN_A_EXTENT_COPY]);
		/* a concat sends no column: a module without layouts works */
		if (stripe) {
			assert_non_null(tb[EVN_A_EXTENT_COLUMN]);
			assert_int_equal(nla_len(tb[EVN_A_EXTENT_COLUMN]), 4);
			assert_int_equal(nla_get_u32(tb[EVN_A_EXTENT_COLUMN]),
					 e->column);
		} else {
			assert_null(tb[EVN_A_EXTENT_COLUMN]);
		}
	}
	assert_int_equal(rem, 0);	/* nothing left over, nothing torn */
	assert_true(name);
	assert_int_equal(layout, a->layout_given);
	assert_int_equal(chunk, stripe);
	assert_int_equal(n, a->nr_extents);
}

static void test_new_request(void **state)
{
	struct evn_volume_args a;
	char err[EVN_ERRLEN];
	struct nl_msg *msg;

	(void)state;
	assert_int_equal(create_args(&a, err, "v1",
				     "extent", "t0:0:1G",
				     "extent", "t1:4096:18446744073709547519",
				     NULL), 0);
	msg = new_msg(EVN_CMD_VOLUME_NEW, evn_volume_new_size(&a));
	assert_int_equal(evn_volume_new_put(msg, &a), 0);
	check_request(msg, EVN_CMD_VOLUME_NEW, &a);
	nlmsg_free(msg);
	evn_volume_args_free(&a);
}

/* The stripe request, parsed back as the kernel would. */
static void test_new_request_stripe(void **state)
{
	static const struct {
		const char *target;
		uint64_t offset, length;
		uint32_t column;
	} want[] = {
		{ "t0", 0, G, 0 },
		{ "t1", G, G, 1 },
		{ "t2", 0, 256 * M, 2 },
		{ "t0", 4 * G, 768 * M, 2 },
	};
	struct nlattr *tb[EVN_A_VOLUME_MAX + 1], *pos;
	struct evn_volume_args a;
	struct genlmsghdr *gnlh;
	char err[EVN_ERRLEN];
	struct nl_msg *msg;
	size_t n = 0;
	int rem;

	(void)state;
	assert_int_equal(create_args(&a, err, "s0", "layout", "stripe",
				     "chunk", "64K",
				     "column", "t0:0:1G",
				     "column", "t1:1G:1G",
				     "column", "t2:0:256M,t0:4G:768M", NULL), 0);
	msg = new_msg(EVN_CMD_VOLUME_NEW, evn_volume_new_size(&a));
	assert_int_equal(evn_volume_new_put(msg, &a), 0);
	check_request(msg, EVN_CMD_VOLUME_NEW, &a);

	/* and against the literal expectation, not just against @a */
	assert_int_equal(genlmsg_parse(nlmsg_hdr(msg), 0, tb,
				       EVN_A_VOLUME_MAX, NULL), 0);
	assert_non_null(tb[EVN_A_VOLUME_LAYOUT]);
	assert_int_equal(nla_get_u32(tb[EVN_A_VOLUME_LAYOUT]),
			 EVN_VOLUME_LAYOUT_STRIPE);
	assert_non_null(tb[EVN_A_VOLUME_CHUNK]);
	assert_int_equal(nla_get_u32(tb[EVN_A_VOLUME_CHUNK]), 64 * K);
	assert_null(tb[EVN_A_VOLUME_COLUMNS]);	/* replies only */
	gnlh = nlmsg_data(nlmsg_hdr(msg));
	nla_for_each_attr(pos, genlmsg_attrdata(gnlh, 0),
			  genlmsg_attrlen(gnlh, 0), rem) {
		struct nlattr *etb[EVN_A_EXTENT_MAX + 1];

		if (nla_type(pos) != EVN_A_VOLUME_EXTENT)
			continue;
		assert_true(n < ARRAY_SIZE(want));
		assert_int_equal(nla_parse_nested(etb, EVN_A_EXTENT_MAX, pos,
						  NULL), 0);
		assert_string_equal(nla_get_string(etb[EVN_A_EXTENT_TARGET]),
				    want[n].target);
		assert_true(nla_get_u64(etb[EVN_A_EXTENT_TARGET_OFFSET]) ==
			    want[n].offset);
		assert_true(nla_get_u64(etb[EVN_A_EXTENT_LENGTH]) ==
			    want[n].length);
		assert_non_null(etb[EVN_A_EXTENT_COLUMN]);
		assert_int_equal(nla_get_u32(etb[EVN_A_EXTENT_COLUMN]),
				 want[n].column);
		n++;
	}
	assert_int_equal(n, ARRAY_SIZE(want));
	nlmsg_free(msg);
	evn_volume_args_free(&a);
}

/* "layout concat" is sent when given, without columns or chunk. */
static void test_new_request_concat(void **state)
{
	struct nlattr *tb[EVN_A_VOLUME_MAX + 1];
	struct evn_volume_args a;
	char err[EVN_ERRLEN];
	struct nl_msg *msg;

	(void)state;
	assert_int_equal(create_args(&a, err, "v0", "layout", "concat",
				     "extent", "t0:0:1G", "extent", "t1:0:1G",
				     NULL), 0);
	msg = new_msg(EVN_CMD_VOLUME_NEW, evn_volume_new_size(&a));
	assert_int_equal(evn_volume_new_put(msg, &a), 0);
	check_request(msg, EVN_CMD_VOLUME_NEW, &a);
	assert_int_equal(genlmsg_parse(nlmsg_hdr(msg), 0, tb,
				       EVN_A_VOLUME_MAX, NULL), 0);
	assert_non_null(tb[EVN_A_VOLUME_LAYOUT]);
	assert_int_equal(nla_get_u32(tb[EVN_A_VOLUME_LAYOUT]),
			 EVN_VOLUME_LAYOUT_CONCAT);
	assert_null(tb[EVN_A_VOLUME_CHUNK]);
	nlmsg_free(msg);
	evn_volume_args_free(&a);

	/* without "layout": no LAYOUT either, as before layouts */
	assert_int_equal(create_args(&a, err, "v0", "extent", "t0:0:1G",
				     NULL), 0);
	msg = new_msg(EVN_CMD_VOLUME_NEW, evn_volume_new_size(&a));
	assert_int_equal(evn_volume_new_put(msg, &a), 0);
	check_request(msg, EVN_CMD_VOLUME_NEW, &a);
	assert_int_equal(genlmsg_parse(nlmsg_hdr(msg), 0, tb,
				       EVN_A_VOLUME_MAX, NULL), 0);
	assert_null(tb[EVN_A_VOLUME_LAYOUT]);
	nlmsg_free(msg);
	evn_volume_args_free(&a);
}

/* Many extents fit, given the room evn_volume_new_size() asks for. */
static void test_new_request_many(void **state)
{
	struct evn_volume_args a = { .name = "1234567890123456789012345678901" };
	struct nl_msg *msg;
	size_t i;

	(void)state;
	a.nr_extents = 1000;
	a.extents = calloc(a.nr_extents, sizeof(*a.extents));
	assert_non_null(a.extents);
	for (i = 0; i < a.nr_extents; i++) {
		snprintf(a.extents[i].target, sizeof(a.extents[i].target),
			 "%031zu", i);
		a.extents[i].offset = i * G;
		a.extents[i].length = UINT64_MAX - i;
	}
	msg = new_msg(EVN_CMD_VOLUME_NEW, evn_volume_new_size(&a));
	assert_int_equal(evn_volume_new_put(msg, &a), 0);
	check_request(msg, EVN_CMD_VOLUME_NEW, &a);
	nlmsg_free(msg);

	/* the same as a stripe of 1000 columns */
	a.layout_given = true;
	a.layout = EVN_VOLUME_LAYOUT_STRIPE;
	a.chunk = 16 * M;
	for (i = 0; i < a.nr_extents; i++)
		a.extents[i].column = UINT32_MAX - i;
	msg = new_msg(EVN_CMD_VOLUME_NEW, evn_volume_new_size(&a));
	assert_int_equal(evn_volume_new_put(msg, &a), 0);
	check_request(msg, EVN_CMD_VOLUME_NEW, &a);
	nlmsg_free(msg);

	/* and a message too small fails instead of being cut short */
	msg = new_msg(EVN_CMD_VOLUME_NEW, 4096);
	assert_true(evn_volume_new_put(msg, &a) < 0);
	nlmsg_free(msg);
	free(a.extents);
}

/* ---- replies ---- */

struct fake_extent {
	const char *target;
	uint64_t offset, length;
	bool copy;
	bool has_column;	/* send EVN_A_EXTENT_COLUMN */
	uint32_t column;
};

static struct nl_msg *fake_reply(const char *name, uint32_t id,
				 const char *device, uint64_t size,
				 uint32_t vstate,
				 const struct fake_extent *ext, size_t n)
{
	struct nl_msg *msg = new_msg(EVN_CMD_VOLUME_GET, 0);
	size_t i;

	assert_int_equal(nla_put_u32(msg, EVN_A_VOLUME_ID, id), 0);
	assert_int_equal(nla_put_string(msg, EVN_A_VOLUME_NAME, name), 0);
	if (device)
		assert_int_equal(nla_put_string(msg, EVN_A_VOLUME_DEVICE,
						device), 0);
	/* the padding nla_put_u64_64bit() may add */
	assert_int_equal(nla_put(msg, EVN_A_VOLUME_PAD, 0, NULL), 0);
	assert_int_equal(nla_put_u64(msg, EVN_A_VOLUME_SIZE, size), 0);
	assert_int_equal(nla_put_u32(msg, EVN_A_VOLUME_STATE, vstate), 0);
	for (i = 0; i < n; i++) {
		struct nlattr *nest = nla_nest_start(msg, EVN_A_VOLUME_EXTENT |
							  NLA_F_NESTED);

		assert_non_null(nest);
		assert_int_equal(nla_put_string(msg, EVN_A_EXTENT_TARGET,
						ext[i].target), 0);
		assert_int_equal(nla_put(msg, EVN_A_EXTENT_PAD, 0, NULL), 0);
		assert_int_equal(nla_put_u64(msg, EVN_A_EXTENT_TARGET_OFFSET,
					     ext[i].offset), 0);
		assert_int_equal(nla_put_u64(msg, EVN_A_EXTENT_LENGTH,
					     ext[i].length), 0);
		if (ext[i].copy)
			assert_int_equal(nla_put_u32(msg, EVN_A_EXTENT_COPY,
						     0), 0);
		if (ext[i].has_column)
			assert_int_equal(nla_put_u32(msg, EVN_A_EXTENT_COLUMN,
						     ext[i].column), 0);
		assert_int_equal(nla_nest_end(msg, nest), 0);
	}
	return msg;
}

static const struct fake_extent v1_extents[] = {
	{ "t0", 0, G, true, false, 0 },
	{ "t1", M, 512 * M, false, false, 0 },
	{ "t0", G, 1536 * M, false, false, 0 },
};

/* Parse v1 into @v, zeroed or from an earlier parse. */
static void reparse_v1(struct evn_volume *v)
{
	struct nl_msg *msg = fake_reply("v1", 1, "evn1", 3 * G,
					EVN_VOLUME_STATE_WAITING,
					v1_extents, ARRAY_SIZE(v1_extents));

	assert_int_equal(evn_volume_parse(nlmsg_hdr(msg), v), 0);
	nlmsg_free(msg);
}

static void parse_v1(struct evn_volume *v)
{
	memset(v, 0, sizeof(*v));
	reparse_v1(v);
}

static void test_parse(void **state)
{
	struct evn_volume v;
	size_t i;

	(void)state;
	parse_v1(&v);
	assert_int_equal(v.id, 1);
	assert_string_equal(v.name, "v1");
	assert_string_equal(v.device, "evn1");
	assert_true(v.size == 3 * G);
	assert_int_equal(v.state, EVN_VOLUME_STATE_WAITING);
	assert_false(v.have & EVN_HAVE(EVN_A_VOLUME_PAD));
	/* every nest, in order, not just the last one */
	assert_int_equal(v.nr_extents, 3);
	for (i = 0; i < 3; i++) {
		assert_string_equal(v.extents[i].target, v1_extents[i].target);
		assert_true(v.extents[i].offset == v1_extents[i].offset);
		assert_true(v.extents[i].length == v1_extents[i].length);
		assert_int_equal(!!(v.extents[i].have &
				    EVN_HAVE(EVN_A_EXTENT_COPY)),
				 v1_extents[i].copy);
		assert_false(v.extents[i].have & EVN_HAVE(EVN_A_EXTENT_PAD));
	}
	/* parsing again replaces, without leaking the old extents */
	reparse_v1(&v);
	assert_int_equal(v.nr_extents, 3);
	evn_volume_free(&v);
	assert_null(v.extents);
	assert_int_equal(v.nr_extents, 0);
}

/* s3: a stripe of 3 columns of 128K chunks, column 1 of two extents */
static const struct fake_extent s3_extents[] = {
	{ "t0", 0, 2 * G, false, true, 0 },
	{ "t1", 0, G, false, true, 1 },
	{ "t3", 4 * G, G, false, true, 1 },
	{ "t2", G, 2 * G, false, true, 2 },
};

/* A stripe reply; @columns 0 leaves EVN_A_VOLUME_COLUMNS out. */
static struct nl_msg *stripe_reply(uint32_t layout, uint32_t columns)
{
	struct nl_msg *msg = fake_reply("s3", 3, "evn3", 6 * G,
					EVN_VOLUME_STATE_LIVE, s3_extents,
					ARRAY_SIZE(s3_extents));

	assert_int_equal(nla_put_u32(msg, EVN_A_VOLUME_LAYOUT, layout), 0);
	assert_int_equal(nla_put_u32(msg, EVN_A_VOLUME_CHUNK, 128 * K), 0);
	if (columns)
		assert_int_equal(nla_put_u32(msg, EVN_A_VOLUME_COLUMNS,
					     columns), 0);
	return msg;
}

static void parse_s3(struct evn_volume *v)
{
	struct nl_msg *msg = stripe_reply(EVN_VOLUME_LAYOUT_STRIPE, 3);

	memset(v, 0, sizeof(*v));
	assert_int_equal(evn_volume_parse(nlmsg_hdr(msg), v), 0);
	nlmsg_free(msg);
}

static void test_parse_stripe(void **state)
{
	struct evn_volume v;
	struct nl_msg *msg;
	size_t i;

	(void)state;
	parse_s3(&v);
	assert_int_equal(v.layout, EVN_VOLUME_LAYOUT_STRIPE);
	assert_int_equal(v.chunk, 128 * K);
	assert_int_equal(v.columns, 3);
	assert_true(v.have & EVN_HAVE(EVN_A_VOLUME_LAYOUT));
	assert_true(v.have & EVN_HAVE(EVN_A_VOLUME_CHUNK));
	assert_true(v.have & EVN_HAVE(EVN_A_VOLUME_COLUMNS));
	assert_int_equal(v.nr_extents, ARRAY_SIZE(s3_extents));
	for (i = 0; i < v.nr_extents; i++) {
		assert_string_equal(v.extents[i].target, s3_extents[i].target);
		assert_true(v.extents[i].offset == s3_extents[i].offset);
		assert_int_equal(v.extents[i].column, s3_extents[i].column);
		assert_true(v.extents[i].have & EVN_HAVE(EVN_A_EXTENT_COLUMN));
	}
	evn_volume_free(&v);

	/* COLUMNS left out: counted from the extents */
	msg = stripe_reply(EVN_VOLUME_LAYOUT_STRIPE, 0);
	assert_int_equal(evn_volume_parse(nlmsg_hdr(msg), &v), 0);
	nlmsg_free(msg);
	assert_false(v.have & EVN_HAVE(EVN_A_VOLUME_COLUMNS));
	assert_int_equal(v.columns, 3);
	evn_volume_free(&v);

	/* a module without layouts: concat of one column */
	parse_v1(&v);
	assert_false(v.have & EVN_HAVE(EVN_A_VOLUME_LAYOUT));
	assert_int_equal(v.layout, EVN_VOLUME_LAYOUT_CONCAT);
	assert_int_equal(v.columns, 1);
	for (i = 0; i < v.nr_extents; i++) {
		assert_int_equal(v.extents[i].column, 0);
		assert_false(v.extents[i].have &
			     EVN_HAVE(EVN_A_EXTENT_COLUMN));
	}
	evn_volume_free(&v);

	/* a layout field 4 bytes short */
	msg = fake_reply("v1", 1, "evn1", G, 0, NULL, 0);
	assert_int_equal(nla_put(msg, EVN_A_VOLUME_LAYOUT, 0, NULL), 0);
	assert_int_equal(evn_volume_parse(nlmsg_hdr(msg), &v), -EPROTO);
	nlmsg_free(msg);
	evn_volume_free(&v);
}

static void test_layout_names(void **state)
{
	struct evn_volume v = { 0 };
	char buf[EVN_LAYOUT_STRLEN];
	struct nl_msg *msg;

	(void)state;
	assert_string_equal(evn_volume_layout_name(EVN_VOLUME_LAYOUT_CONCAT),
			    "concat");
	assert_string_equal(evn_volume_layout_name(EVN_VOLUME_LAYOUT_STRIPE),
			    "stripe");
	assert_null(evn_volume_layout_name(EVN_VOLUME_LAYOUT_STRIPE + 1));

	/* a volume-new reply says nothing of its layout */
	assert_int_equal(evn_volume_layout_format(&v, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "-");
	parse_v1(&v);
	evn_volume_layout_format(&v, buf, sizeof(buf));
	assert_string_equal(buf, "concat");
	evn_volume_free(&v);
	parse_s3(&v);
	assert_int_equal(evn_volume_layout_format(&v, buf, sizeof(buf)),
			 strlen("stripe 3x128K"));
	assert_string_equal(buf, "stripe 3x128K");
	/* the longest text fits */
	v.columns = UINT32_MAX;
	v.chunk = 1023 * K + 1;
	assert_true(evn_volume_layout_format(&v, buf, sizeof(buf)) <
		    sizeof(buf));
	evn_volume_free(&v);
	/* a layout of a newer module */
	msg = stripe_reply(7, 3);
	assert_int_equal(evn_volume_parse(nlmsg_hdr(msg), &v), 0);
	nlmsg_free(msg);
	evn_volume_layout_format(&v, buf, sizeof(buf));
	assert_string_equal(buf, "unknown(7)");
	evn_volume_free(&v);
}

/* A volume-new reply: id, name, device; no extents. */
static void test_parse_new_reply(void **state)
{
	struct evn_volume v = { 0 };
	struct nl_msg *msg;
	char path[EVN_DEVPATH_MAX];

	(void)state;
	msg = new_msg(EVN_CMD_VOLUME_NEW, 0);
	assert_int_equal(nla_put_u32(msg, EVN_A_VOLUME_ID, 0), 0);
	assert_int_equal(nla_put_string(msg, EVN_A_VOLUME_NAME, "v0"), 0);
	assert_int_equal(nla_put_string(msg, EVN_A_VOLUME_DEVICE, "evn0"), 0);
	assert_int_equal(evn_volume_parse(nlmsg_hdr(msg), &v), 0);
	nlmsg_free(msg);
	assert_int_equal(v.nr_extents, 0);
	assert_null(v.extents);
	assert_int_equal(evn_volume_device_path(&v, path, sizeof(path)), 0);
	assert_string_equal(path, "/dev/evn0");

	/* without a device name: /dev/evnN from the id */
	v.have &= ~EVN_HAVE(EVN_A_VOLUME_DEVICE);
	v.id = 12;
	assert_int_equal(evn_volume_device_path(&v, path, sizeof(path)), 0);
	assert_string_equal(path, "/dev/evn12");
	/* with neither, there is nothing to print */
	v.have = EVN_HAVE(EVN_A_VOLUME_NAME);
	assert_int_equal(evn_volume_device_path(&v, path, sizeof(path)),
			 -ENOENT);
	assert_string_equal(path, "-");
	evn_volume_free(&v);
}

static void test_parse_malformed(void **state)
{
	struct evn_volume v = { 0 };
	struct nlattr *nest;
	struct nl_msg *msg;

	(void)state;
	/* an extent whose length is 4 bytes */
	msg = fake_reply("v1", 1, "evn1", G, 0, v1_extents, 1);
	nest = nla_nest_start(msg, EVN_A_VOLUME_EXTENT | NLA_F_NESTED);
	assert_int_equal(nla_put_u32(msg, EVN_A_EXTENT_LENGTH, 1), 0);
	nla_nest_end(msg, nest);
	assert_int_equal(evn_volume_parse(nlmsg_hdr(msg), &v), -EPROTO);
	assert_null(v.extents);
	assert_int_equal(v.nr_extents, 0);
	nlmsg_free(msg);

	/* a size of 4 bytes */
	msg = new_msg(EVN_CMD_VOLUME_GET, 0);
	assert_int_equal(nla_put_u32(msg, EVN_A_VOLUME_SIZE, 1), 0);
	assert_int_equal(evn_volume_parse(nlmsg_hdr(msg), &v), -EPROTO);
	nlmsg_free(msg);

	/* unknown attributes, also inside extents, are ignored */
	msg = fake_reply("v1", 1, "evn1", G, 0, NULL, 0);
	nest = nla_nest_start(msg, EVN_A_VOLUME_EXTENT | NLA_F_NESTED);
	assert_int_equal(nla_put_string(msg, EVN_A_EXTENT_TARGET, "t0"), 0);
	assert_int_equal(nla_put_u32(msg, EVN_A_EXTENT_MAX + 4, 1), 0);
	nla_nest_end(msg, nest);
	assert_int_equal(nla_put_u32(msg, EVN_A_VOLUME_MAX + 4, 1), 0);
	assert_int_equal(evn_volume_parse(nlmsg_hdr(msg), &v), 0);
	assert_int_equal(v.nr_extents, 1);
	assert_string_equal(v.extents[0].target, "t0");
	nlmsg_free(msg);
	evn_volume_free(&v);
}

static void test_state_names(void **state)
{
	char buf[EVN_STATE_STRLEN];

	(void)state;
	assert_string_equal(evn_volume_state_name(EVN_VOLUME_STATE_LIVE),
			    "live");
	assert_string_equal(evn_volume_state_name(EVN_VOLUME_STATE_WAITING),
			    "waiting");
	assert_string_equal(evn_volume_state_name(EVN_VOLUME_STATE_FAILED),
			    "failed");
	assert_null(evn_volume_state_name(EVN_VOLUME_STATE_FAILED + 1));
	evn_volume_state_format(3, buf, sizeof(buf));
	assert_string_equal(buf, "unknown(3)");
}

/* ---- output ---- */

static const char *json_text(struct json_object *obj)
{
	assert_non_null(obj);
	return json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
}

/* a reply of a module without layouts: concat, one column */
#define V1_JSON								\
	"{\"name\":\"v1\",\"id\":1,\"device\":\"/dev/evn1\","		\
	"\"size\":3221225472,\"state\":\"waiting\","			\
	"\"layout\":\"concat\",\"columns\":1,\"extents\":["		\
	"{\"target\":\"t0\",\"offset\":0,\"length\":1073741824,\"copy\":0,"\
	"\"column\":0},"							\
	"{\"target\":\"t1\",\"offset\":1048576,\"length\":536870912,"	\
	"\"column\":0},"							\
	"{\"target\":\"t0\",\"offset\":1073741824,\"length\":1610612736,"\
	"\"column\":0}]}"

#define S3_JSON								\
	"{\"name\":\"s3\",\"id\":3,\"device\":\"/dev/evn3\","		\
	"\"size\":6442450944,\"state\":\"live\","			\
	"\"layout\":\"stripe\",\"chunk\":131072,\"columns\":3,\"extents\":["\
	"{\"target\":\"t0\",\"offset\":0,\"length\":2147483648,\"column\":0},"\
	"{\"target\":\"t1\",\"offset\":0,\"length\":1073741824,\"column\":1},"\
	"{\"target\":\"t3\",\"offset\":4294967296,\"length\":1073741824,"\
	"\"column\":1},"							\
	"{\"target\":\"t2\",\"offset\":1073741824,\"length\":2147483648,"\
	"\"column\":2}]}"

static void test_json(void **state)
{
	struct json_object *obj;
	struct evn_volume v;

	(void)state;
	parse_v1(&v);
	obj = evn_volume_json(&v);
	assert_string_equal(json_text(obj), V1_JSON);
	json_object_put(obj);
	evn_volume_free(&v);

	parse_s3(&v);
	obj = evn_volume_json(&v);
	assert_string_equal(json_text(obj), S3_JSON);
	json_object_put(obj);
	evn_volume_free(&v);
}

/* The memory a volume holds: parsed, in -j after columns, in detail. */
static void test_memory(void **state)
{
	struct nl_msg *msg = stripe_reply(EVN_VOLUME_LAYOUT_STRIPE, 3);
	struct json_object *obj, *val;
	struct evn_volume v;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_int_equal(nla_put_u64(msg, EVN_A_VOLUME_MEMORY, 265216), 0);
	memset(&v, 0, sizeof(v));
	assert_int_equal(evn_volume_parse(nlmsg_hdr(msg), &v), 0);
	nlmsg_free(msg);
	assert_true(v.have & EVN_HAVE(EVN_A_VOLUME_MEMORY));
	assert_true(v.memory == 265216);

	obj = evn_volume_json(&v);
	assert_non_null(strstr(json_text(obj),
			       "\"columns\":3,\"memory\":265216,\"extents\""));
	assert_true(json_object_object_get_ex(obj, "memory", &val));
	assert_true(json_object_get_uint64(val) == 265216);
	json_object_put(obj);

	f = open_memstream(&text, &len);
	assert_non_null(f);
	evn_volume_print(f, &v);
	fclose(f);
	assert_non_null(strstr(text, "columns:         3\n"
				     "memory:          259K (265216)\n"
				     "extents:         4\n"));
	free(text);
	evn_volume_free(&v);

	/* A module that does not report it: no member, no line. */
	parse_s3(&v);
	obj = evn_volume_json(&v);
	assert_false(json_object_object_get_ex(obj, "memory", &val));
	json_object_put(obj);
	evn_volume_free(&v);
}

static void fill_list(struct evn_volume_list *l)
{
	static const struct fake_extent one[] = { { "t0", 0, G, false, false, 0 } };
	struct nl_msg *msg;

	memset(l, 0, sizeof(*l));
	msg = fake_reply("v0", 0, "evn0", G, EVN_VOLUME_STATE_LIVE, one, 1);
	assert_int_equal(evn_volume_list_parse(nlmsg_hdr(msg), l), 0);
	nlmsg_free(msg);
	msg = fake_reply("v1", 1, "evn1", 3 * G, EVN_VOLUME_STATE_WAITING,
			 v1_extents, ARRAY_SIZE(v1_extents));
	assert_int_equal(evn_volume_list_parse(nlmsg_hdr(msg), l), 0);
	nlmsg_free(msg);
	msg = fake_reply("scratch-volume", 12, "evn12", 1000 * M,
			 EVN_VOLUME_STATE_FAILED, one, 1);
	assert_int_equal(evn_volume_list_parse(nlmsg_hdr(msg), l), 0);
	nlmsg_free(msg);
	msg = stripe_reply(EVN_VOLUME_LAYOUT_STRIPE, 3);
	assert_int_equal(evn_volume_list_parse(nlmsg_hdr(msg), l), 0);
	nlmsg_free(msg);
}

static void test_json_list(void **state)
{
	struct evn_volume_list l;
	struct json_object *arr;

	(void)state;
	fill_list(&l);
	arr = evn_volume_list_json(&l);
	assert_non_null(arr);
	assert_int_equal(json_object_array_length(arr), 4);
	assert_non_null(strstr(json_text(arr), "," V1_JSON ","));
	assert_non_null(strstr(json_text(arr), "," S3_JSON "]"));
	json_object_put(arr);
	evn_volume_list_free(&l);
	assert_null(l.v);

	arr = evn_volume_list_json(&l);
	assert_string_equal(json_text(arr), "[]");
	json_object_put(arr);
}

static void test_table(void **state)
{
	struct evn_volume_list l;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	fill_list(&l);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	assert_int_equal(evn_volume_table(f, &l), 0);
	fclose(f);
	print_message("%s", text);
	assert_string_equal(text,
		"NAME            ID  DEVICE       SIZE  STATE    LAYOUT         EXTENTS\n"
		"v0               0  /dev/evn0      1G  live     concat               1\n"
		"v1               1  /dev/evn1      3G  waiting  concat               3\n"
		"scratch-volume  12  /dev/evn12  1000M  failed   concat               1\n"
		"s3               3  /dev/evn3      6G  live     stripe 3x128K        4\n");
	free(text);
	evn_volume_list_free(&l);
}

static void test_detail(void **state)
{
	struct evn_volume v;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	parse_v1(&v);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	evn_volume_print(f, &v);
	fclose(f);
	print_message("%s", text);
	assert_string_equal(text,
		"name:            v1\n"
		"id:              1\n"
		"device:          /dev/evn1\n"
		"size:            3G (3221225472)\n"
		"state:           waiting\n"
		"layout:          concat\n"
		"extents:         3\n"
		"extent 0:        t0 offset 0 length 1G (1073741824)\n"
		"extent 1:        t1 offset 1M (1048576) length 512M (536870912)\n"
		"extent 2:        t0 offset 1G (1073741824) length 1.5G (1610612736)\n");
	free(text);
	evn_volume_free(&v);
}

static void test_detail_stripe(void **state)
{
	struct evn_volume v;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	parse_s3(&v);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	evn_volume_print(f, &v);
	fclose(f);
	print_message("%s", text);
	assert_string_equal(text,
		"name:            s3\n"
		"id:              3\n"
		"device:          /dev/evn3\n"
		"size:            6G (6442450944)\n"
		"state:           live\n"
		"layout:          stripe\n"
		"chunk:           128K (131072)\n"
		"columns:         3\n"
		"extents:         4\n"
		"extent 0:        column 0 t0 offset 0 length 2G (2147483648)\n"
		"extent 1:        column 1 t1 offset 0 length 1G (1073741824)\n"
		"extent 2:        column 1 t3 offset 4G (4294967296) length 1G (1073741824)\n"
		"extent 3:        column 2 t2 offset 1G (1073741824) length 2G (2147483648)\n");
	free(text);
	evn_volume_free(&v);
}

/* ---- grow ---- */

static int grow_args(struct evn_volume_args *a, char *err, ...)
{
	char *argv[32];
	int argc = 0;
	va_list ap;

	va_start(ap, err);
	while ((argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	err[0] = '\0';
	return evn_volume_grow_args(argc, argv, a, err, EVN_ERRLEN);
}

struct want_extent {
	const char *target;
	uint64_t offset, length;
	uint32_t column;
};

static void check_extents(const struct evn_extent *e, size_t n,
			  const struct want_extent *want, size_t nwant)
{
	size_t i;

	assert_int_equal(n, nwant);
	for (i = 0; i < n; i++) {
		print_message("extent %zu: %s:%llu:%llu column %u\n", i,
			      e[i].target, (unsigned long long)e[i].offset,
			      (unsigned long long)e[i].length, e[i].column);
		assert_string_equal(e[i].target, want[i].target);
		assert_true(e[i].offset == want[i].offset);
		assert_true(e[i].length == want[i].length);
		assert_int_equal(e[i].column, want[i].column);
	}
}

static void test_grow_args(void **state)
{
	static const struct want_extent concat[] = {
		{ "t2", 0, G, 0 },
		{ "t0", 2560 * M, 512 * M, 0 },
	};
	static const struct want_extent stripe[] = {
		{ "t4", 0, G, 0 },
		{ "t1", G, 512 * M, 1 },
		{ "t5", 0, 512 * M, 1 },
		{ "t2", 3 * G, G, 2 },
	};
	struct evn_volume_args a;
	char err[EVN_ERRLEN];

	(void)state;
	assert_int_equal(grow_args(&a, err, "v1", "extent", "t2:0:1G",
				   "extent", "t0:2560M:512M", NULL), 0);
	assert_string_equal(err, "");
	assert_string_equal(a.name, "v1");
	assert_int_equal(a.layout, EVN_VOLUME_LAYOUT_CONCAT);
	assert_false(a.layout_given);
	assert_int_equal(a.nr_columns, 0);
	assert_int_equal(a.chunk, 0);
	check_extents(a.extents, a.nr_extents, concat, ARRAY_SIZE(concat));
	evn_volume_args_free(&a);
	assert_null(a.extents);

	assert_int_equal(grow_args(&a, err, "s3", "column", "t4:0:1G",
				   "column", "t1:1G:512M,t5:0:512M",
				   "column", "t2:3G:1G", NULL), 0);
	assert_string_equal(a.name, "s3");
	assert_int_equal(a.layout, EVN_VOLUME_LAYOUT_STRIPE);
	assert_false(a.layout_given);
	assert_int_equal(a.nr_columns, 3);
	check_extents(a.extents, a.nr_extents, stripe, ARRAY_SIZE(stripe));
	evn_volume_args_free(&a);

	/* "column" is a name when the words after it pair up */
	assert_int_equal(grow_args(&a, err, "column", "column", "t0:0:1G",
				   NULL), 0);
	assert_string_equal(a.name, "column");
	assert_int_equal(a.nr_columns, 1);
	evn_volume_args_free(&a);
	/* so are the keywords of create only */
	assert_int_equal(grow_args(&a, err, "layout", "extent", "t0:0:1G",
				   NULL), 0);
	assert_string_equal(a.name, "layout");
	assert_int_equal(a.nr_extents, 1);
	evn_volume_args_free(&a);
}

static void test_grow_args_bad(void **state)
{
	static const struct {
		const char *argv[8];
		const char *err;
	} cases[] = {
		{ { NULL }, "missing NAME" },
		{ { "v0" },
		  "missing \"extent TARGET:OFFSET:LENGTH\" or \"column TARGET:OFFSET:LENGTH[,...]\"" },
		{ { "extent", "t0:0:1G" }, "missing NAME before \"extent\"" },
		{ { "extent", "column", "t0:0:1G" },
		  "missing NAME before \"extent\"" },
		{ { "column", "t0:0:1G" }, "missing NAME before \"column\"" },
		{ { "column", "t0:0:1G", "column", "t1:0:1G" },
		  "missing NAME before \"column\"" },
		{ { "v 0", "extent", "t0:0:1G" },
		  "invalid volume name \"v 0\": character ' ' not allowed (only A-Z a-z 0-9 . _ -)" },
		{ { "v0", "extent" },
		  "missing TARGET:OFFSET:LENGTH after \"extent\"" },
		{ { "v0", "extent", "t0:0:1G", "extent" },
		  "missing TARGET:OFFSET:LENGTH after \"extent\"" },
		{ { "v0", "column" },
		  "missing TARGET:OFFSET:LENGTH[,TARGET:OFFSET:LENGTH...] after \"column\"" },
		{ { "v0", "layout", "concat", "extent", "t0:0:1G" },
		  "unknown keyword \"layout\"" },
		{ { "v0", "chunk", "64K", "column", "t0:0:1G" },
		  "unknown keyword \"chunk\"" },
		{ { "v0", "extents", "t0:0:1G" }, "unknown keyword \"extents\"" },
		{ { "v0", "t0:0:1G" }, "unknown keyword \"t0:0:1G\"" },
		{ { "v0", "extent", "t0:0:1G", "size", "1G" },
		  "unknown keyword \"size\"" },
		{ { "v0", "extent", "t0:0:1G", "column", "t1:0:1G" },
		  "\"column t1:0:1G\" after \"extent\": grow a concat volume with \"extent\", a stripe with one \"column\" per column, not both" },
		{ { "v0", "column", "t0:0:1G", "column", "t1:0:1G",
		    "extent", "t2:0:1G" },
		  "\"extent t2:0:1G\" after \"column\": grow a concat volume with \"extent\", a stripe with one \"column\" per column, not both" },
		/* every word is checked before any extent is */
		{ { "v0", "extent", "t0", "column", "t1:0:1G" },
		  "\"column t1:0:1G\" after \"extent\": grow a concat volume with \"extent\", a stripe with one \"column\" per column, not both" },
		{ { "v0", "extent", "t0" },
		  "invalid extent \"t0\": not TARGET:OFFSET:LENGTH" },
		{ { "v0", "extent", "t0:1G:1G", "extent", "t1:0:0" },
		  "invalid extent \"t1:0:0\": length \"0\" is zero" },
		{ { "v0", "extent", "-t0:0:1G" },
		  "invalid extent \"-t0:0:1G\": invalid target name \"-t0\": must not start with '-'" },
		{ { "v0", "extent", "t0:16E:1G" },
		  "invalid extent \"t0:16E:1G\": offset \"16E\" is too large (at most 2^64 - 1 bytes)" },
		{ { "v0", "column", "t0:x:1G" },
		  "invalid extent \"t0:x:1G\" in column 0: bad offset \"x\" (a number of bytes, or with K, M, G, T, P, E)" },
		{ { "v0", "column", "t0:0:1G", "column", "t1:0:1G,,t2:0:1G" },
		  "invalid column 1 \"t1:0:1G,,t2:0:1G\": empty extent (extents are separated by single commas)" },
		{ { "v0", "column", "t0:0:1G", "column", "t1:0:1G,t2:0:1G:3" },
		  "invalid extent \"t2:0:1G:3\" in column 1: not TARGET:OFFSET:LENGTH" },
	};
	char err[EVN_ERRLEN];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct evn_volume_args a;
		int argc = 0;

		while (cases[i].argv[argc])
			argc++;
		err[0] = '\0';
		print_message("case %zu\n", i);
		assert_int_equal(evn_volume_grow_args(argc,
					(char **)cases[i].argv, &a, err,
					sizeof(err)), -EINVAL);
		assert_string_equal(err, cases[i].err);
		assert_null(a.extents);	/* nothing to free on failure */
		assert_int_equal(a.nr_extents, 0);
	}
}

static void test_extent_merge(void **state)
{
	struct evn_extent last = { .target = "t0", .offset = G,
				   .length = G, .column = 2 };
	struct evn_extent next = { .target = "t0", .offset = 2 * G,
				   .length = 512 * M, .column = 2 };

	(void)state;
	/* continues: same target, starts where @last ends */
	assert_true(evn_extent_merge(&last, &next));
	assert_string_equal(last.target, "t0");
	assert_true(last.offset == G);
	assert_true(last.length == 1536 * M);
	assert_int_equal(last.column, 2);
	/* and again, from the new end */
	next.offset = 2560 * M;
	next.length = 4096;
	assert_true(evn_extent_merge(&last, &next));
	assert_true(last.length == 1536 * M + 4096);

	/* a gap, an overlap, a start before: not merged, @last unchanged */
	last.length = G;
	next.offset = 2 * G + 4096;
	assert_false(evn_extent_merge(&last, &next));
	next.offset = 2 * G - 4096;
	assert_false(evn_extent_merge(&last, &next));
	next.offset = 0;
	assert_false(evn_extent_merge(&last, &next));
	next.offset = G;
	assert_false(evn_extent_merge(&last, &next));
	/* the same bytes of another target */
	next.offset = 2 * G;
	snprintf(next.target, sizeof(next.target), "t1");
	assert_false(evn_extent_merge(&last, &next));
	/* a target whose name starts alike */
	snprintf(next.target, sizeof(next.target), "t00");
	assert_false(evn_extent_merge(&last, &next));
	assert_true(last.offset == G);
	assert_true(last.length == G);

	/* up to the last byte a 64-bit offset reaches */
	snprintf(next.target, sizeof(next.target), "t0");
	last.offset = 1ULL << 63;
	last.length = 1ULL << 62;
	next.offset = (1ULL << 63) + (1ULL << 62);
	next.length = (1ULL << 62) - 1;
	assert_true(evn_extent_merge(&last, &next));
	assert_true(last.length == (1ULL << 63) - 1);
}

/* A concat reply of a module with layouts: v1's extents, with columns. */
static void parse_concat_v1(struct evn_volume *v)
{
	struct fake_extent ext[ARRAY_SIZE(v1_extents)];
	struct nl_msg *msg;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ext); i++) {
		ext[i] = v1_extents[i];
		ext[i].has_column = true;
	}
	msg = fake_reply("v1", 1, "evn1", 3 * G, EVN_VOLUME_STATE_LIVE, ext,
			 ARRAY_SIZE(ext));
	assert_int_equal(nla_put_u32(msg, EVN_A_VOLUME_LAYOUT,
				     EVN_VOLUME_LAYOUT_CONCAT), 0);
	assert_int_equal(nla_put_u32(msg, EVN_A_VOLUME_COLUMNS, 1), 0);
	memset(v, 0, sizeof(*v));
	assert_int_equal(evn_volume_parse(nlmsg_hdr(msg), v), 0);
	nlmsg_free(msg);
}

/* grow_args() then evn_volume_grow_map() on @cur; returns the latter's. */
static int grow_map(const struct evn_volume *cur,
		    struct evn_volume_args *map, char *err, ...)
{
	struct evn_volume_args add;
	char *argv[32];
	int argc = 0, ret;
	va_list ap;

	va_start(ap, err);
	while ((argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	assert_int_equal(evn_volume_grow_args(argc, argv, &add, err,
					      EVN_ERRLEN), 0);
	err[0] = '\0';
	memset(map, 0xa5, sizeof(*map));
	ret = evn_volume_grow_map(cur, &add, map, err, EVN_ERRLEN);
	evn_volume_args_free(&add);
	return ret;
}

static void test_grow_map_concat(void **state)
{
	static const struct want_extent want[] = {
		{ "t0", 0, G, 0 },
		{ "t1", M, 512 * M, 0 },
		{ "t0", G, 1536 * M, 0 },
		{ "t2", 0, G, 0 },
		{ "t3", 4096, 2 * G, 0 },
	};
	struct evn_volume_args map;
	char err[EVN_ERRLEN];
	struct evn_volume v;

	(void)state;
	parse_concat_v1(&v);
	assert_int_equal(grow_map(&v, &map, err, "v1", "extent", "t2:0:1G",
				  "extent", "t3:4K:2G", NULL), 0);
	assert_string_equal(err, "");
	assert_string_equal(map.name, "v1");
	assert_true(map.layout_given);
	assert_int_equal(map.layout, EVN_VOLUME_LAYOUT_CONCAT);
	assert_int_equal(map.chunk, 0);
	assert_int_equal(map.nr_columns, 0);
	check_extents(map.extents, map.nr_extents, want, ARRAY_SIZE(want));
	assert_int_equal(map.extents[0].have, 0);
	assert_int_equal(map.extents[0].copy, 0);
	evn_volume_args_free(&map);
	assert_null(map.extents);
	evn_volume_free(&v);

	/* the same from a reply without layout attributes */
	parse_v1(&v);
	assert_int_equal(grow_map(&v, &map, err, "v1", "extent", "t2:0:1G",
				  "extent", "t3:4K:2G", NULL), 0);
	check_extents(map.extents, map.nr_extents, want, ARRAY_SIZE(want));
	evn_volume_args_free(&map);
	evn_volume_free(&v);
}

static void test_grow_map_concat_merge(void **state)
{
	static const struct want_extent merged[] = {
		{ "t0", 0, G, 0 },
		{ "t1", M, 512 * M, 0 },
		{ "t0", G, 3 * G, 0 },		/* 1.5G + 512M + 1G */
		{ "t1", 513 * M, M, 0 },	/* continues extent 1, not last */
		{ "t0", 8 * G, G, 0 },
		{ "t0", 9 * G + 4096, G, 0 },	/* a gap after the one before */
	};
	static const struct want_extent gap[] = {
		{ "t0", 0, G, 0 },
		{ "t1", M, 512 * M, 0 },
		{ "t0", G, 1536 * M, 0 },
		{ "t0", 3 * G, G, 0 },
	};
	static const struct want_extent overlap[] = {
		{ "t0", 0, G, 0 },
		{ "t1", M, 512 * M, 0 },
		{ "t0", G, 1536 * M, 0 },
		{ "t0", G, G, 0 },
	};
	static const struct want_extent one[] = {
		{ "t0", 0, G, 0 },
		{ "t1", M, 512 * M, 0 },
		{ "t0", G, 2 * G, 0 },
	};
	struct evn_volume_args map;
	char err[EVN_ERRLEN];
	struct evn_volume v;

	(void)state;
	parse_concat_v1(&v);
	/* the last extent, t0:1G:1.5G, ends at 2.5G */
	assert_int_equal(grow_map(&v, &map, err, "v1",
				  "extent", "t0:2560M:512M",
				  "extent", "t0:3G:1G",
				  "extent", "t1:513M:1M",
				  "extent", "t0:8G:1G",
				  "extent", "t0:9437188K:1G", NULL), 0);
	check_extents(map.extents, map.nr_extents, merged,
		      ARRAY_SIZE(merged));
	evn_volume_args_free(&map);

	/* one merge: the map keeps its length, the last extent grows */
	assert_int_equal(grow_map(&v, &map, err, "v1",
				  "extent", "t0:2560M:512M", NULL), 0);
	check_extents(map.extents, map.nr_extents, one, ARRAY_SIZE(one));
	evn_volume_args_free(&map);

	/* the same target, not continuing: added as it is */
	assert_int_equal(grow_map(&v, &map, err, "v1", "extent", "t0:3G:1G",
				  NULL), 0);
	check_extents(map.extents, map.nr_extents, gap, ARRAY_SIZE(gap));
	evn_volume_args_free(&map);
	assert_int_equal(grow_map(&v, &map, err, "v1", "extent", "t0:1G:1G",
				  NULL), 0);
	check_extents(map.extents, map.nr_extents, overlap,
		      ARRAY_SIZE(overlap));
	evn_volume_args_free(&map);
	evn_volume_free(&v);
}

static void test_grow_map_stripe(void **state)
{
	static const struct want_extent want[] = {
		{ "t0", 0, 2 * G, 0 },
		{ "t4", 0, G, 0 },
		{ "t1", 0, G, 1 },
		{ "t3", 4 * G, G, 1 },
		{ "t1", G, G, 1 },		/* continues t1, not the last */
		{ "t2", G, 3 * G, 2 },		/* merged: 2G + 1G */
	};
	static const struct want_extent many[] = {
		{ "t0", 0, 3 * G, 0 },		/* two merges */
		{ "t1", 0, G, 1 },
		{ "t3", 4 * G, 2 * G, 1 },	/* merged */
		{ "t2", G, 2 * G, 2 },
		{ "t5", 0, 256 * M, 2 },
		{ "t6", 0, 768 * M, 2 },
	};
	struct evn_volume_args map;
	char err[EVN_ERRLEN];
	struct evn_volume v;

	(void)state;
	parse_s3(&v);
	/* s3: t0:0:2G | t1:0:1G, t3:4G:1G | t2:1G:2G */
	assert_int_equal(grow_map(&v, &map, err, "s3",
				  "column", "t4:0:1G",
				  "column", "t1:1G:1G",
				  "column", "t2:3G:1G", NULL), 0);
	assert_string_equal(err, "");
	assert_string_equal(map.name, "s3");
	assert_true(map.layout_given);
	assert_int_equal(map.layout, EVN_VOLUME_LAYOUT_STRIPE);
	assert_int_equal(map.chunk, 128 * K);
	assert_int_equal(map.nr_columns, 3);
	check_extents(map.extents, map.nr_extents, want, ARRAY_SIZE(want));
	evn_volume_args_free(&map);

	assert_int_equal(grow_map(&v, &map, err, "s3",
				  "column", "t0:2G:512M,t0:2560M:512M",
				  "column", "t3:5G:1G",
				  "column", "t5:0:256M,t6:0:768M", NULL), 0);
	check_extents(map.extents, map.nr_extents, many, ARRAY_SIZE(many));
	evn_volume_args_free(&map);
	evn_volume_free(&v);
}

/* A reply listing the columns interleaved still gives a map by column. */
static void test_grow_map_stripe_order(void **state)
{
	static const struct fake_extent mixed[] = {
		{ "t1", 0, G, false, true, 1 },
		{ "t0", 0, 2 * G, false, true, 0 },
		{ "t2", G, 2 * G, false, true, 2 },
		{ "t3", 4 * G, G, false, true, 1 },
	};
	static const struct want_extent want[] = {
		{ "t0", 0, 2 * G, 0 },
		{ "t4", 0, G, 0 },
		{ "t1", 0, G, 1 },
		{ "t3", 4 * G, 2 * G, 1 },	/* the last of column 1 */
		{ "t2", G, 2 * G, 2 },
		{ "t5", 0, G, 2 },
	};
	struct evn_volume_args map;
	char err[EVN_ERRLEN];
	struct evn_volume v = { 0 };
	struct nl_msg *msg;

	(void)state;
	msg = fake_reply("s3", 3, "evn3", 6 * G, EVN_VOLUME_STATE_LIVE, mixed,
			 ARRAY_SIZE(mixed));
	assert_int_equal(nla_put_u32(msg, EVN_A_VOLUME_LAYOUT,
				     EVN_VOLUME_LAYOUT_STRIPE), 0);
	assert_int_equal(nla_put_u32(msg, EVN_A_VOLUME_CHUNK, 64 * K), 0);
	assert_int_equal(nla_put_u32(msg, EVN_A_VOLUME_COLUMNS, 3), 0);
	assert_int_equal(evn_volume_parse(nlmsg_hdr(msg), &v), 0);
	nlmsg_free(msg);
	assert_int_equal(grow_map(&v, &map, err, "s3",
				  "column", "t4:0:1G",
				  "column", "t3:5G:1G",
				  "column", "t5:0:1G", NULL), 0);
	assert_int_equal(map.chunk, 64 * K);
	check_extents(map.extents, map.nr_extents, want, ARRAY_SIZE(want));
	evn_volume_args_free(&map);
	evn_volume_free(&v);
}

/* The command line does not fit the volume: -EINVAL, the reason. */
static void test_grow_map_bad(void **state)
{
	static const struct {
		bool stripe;		/* s3, else v1 */
		const char *argv[10];
		const char *err;
	} cases[] = {
		{ true, { "s3", "extent", "t4:0:1G" },
		  "\"extent\" is for concat volumes; volume \"s3\" is a stripe of 3 columns: give one \"column\" per column (3 in all)" },
		{ false, { "v1", "column", "t4:0:1G" },
		  "\"column\" is for stripe volumes; volume \"v1\" is a concat: give its new extents with \"extent\"" },
		{ true, { "s3", "column", "t4:0:1G", "column", "t5:0:1G" },
		  "volume \"s3\" has 3 columns but 2 \"column\" words were given: give one per column, in column order" },
		{ true, { "s3", "column", "t4:0:1G" },
		  "volume \"s3\" has 3 columns but 1 \"column\" word was given: give one per column, in column order" },
		{ true, { "s3", "column", "t4:0:1G", "column", "t5:0:1G",
			  "column", "t6:0:1G", "column", "t7:0:1G" },
		  "volume \"s3\" has 3 columns but 4 \"column\" words were given: give one per column, in column order" },
		{ true, { "s3", "column", "t4:0:1G", "column", "t1:1G:1G",
			  "column", "t2:3G:512M" },
		  "column 2 grows by 512M, column 0 by 1G: every column must grow by the same size" },
		{ true, { "s3", "column", "t4:0:1G", "column", "t1:1G:1G,t5:0:1G",
			  "column", "t2:3G:1G" },
		  "column 1 grows by 2G, column 0 by 1G: every column must grow by the same size" },
		/* sizes that look alike get their byte counts */
		{ true, { "s3", "column", "t4:0:1536M", "column", "t5:0:1572868K",
			  "column", "t6:0:1536M" },
		  "column 1 grows by 1.5G (1610616832), column 0 by 1.5G (1610612736): every column must grow by the same size" },
		{ true, { "s3", "column", "t4:0:8E,t5:0:8E", "column", "t6:0:1G",
			  "column", "t7:0:1G" },
		  "column 0 grows by 2^64 bytes or more" },
		{ false, { "v1", "extent", "t4:0:8E", "extent", "t5:0:8E" },
		  "the new extents add up to 2^64 bytes or more" },
	};
	char err[EVN_ERRLEN];
	struct evn_volume s3, v1;
	size_t i;

	(void)state;
	parse_s3(&s3);
	parse_concat_v1(&v1);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct evn_volume *cur;
		struct evn_volume_args add, map;
		int argc = 0;

		while (cases[i].argv[argc])
			argc++;
		print_message("case %zu\n", i);
		cur = &v1;
		if (cases[i].stripe)
			cur = &s3;
		assert_int_equal(evn_volume_grow_args(argc,
					(char **)cases[i].argv, &add, err,
					sizeof(err)), 0);
		err[0] = '\0';
		memset(&map, 0xa5, sizeof(map));
		assert_int_equal(evn_volume_grow_map(cur, &add, &map, err,
						     sizeof(err)), -EINVAL);
		assert_string_equal(err, cases[i].err);
		assert_null(map.extents);	/* nothing to free */
		assert_int_equal(map.nr_extents, 0);
		evn_volume_args_free(&add);
	}
	evn_volume_free(&s3);
	evn_volume_free(&v1);
}

/* A reply evnadm cannot build on: an error of the kernel's or a newer one. */
static void test_grow_map_bad_volume(void **state)
{
	struct evn_volume_args add, map;
	char err[EVN_ERRLEN];
	static const char * const argv[] = { "s3", "column", "t4:0:1G",
					     "column", "t5:0:1G",
					     "column", "t6:0:1G" };
	struct evn_volume v = { 0 };
	struct nl_msg *msg;

	(void)state;
	assert_int_equal(evn_volume_grow_args(ARRAY_SIZE(argv), (char **)argv,
					      &add, err, sizeof(err)), 0);

	/* a layout of a newer module */
	msg = stripe_reply(7, 3);
	assert_int_equal(evn_volume_parse(nlmsg_hdr(msg), &v), 0);
	nlmsg_free(msg);
	assert_int_equal(evn_volume_grow_map(&v, &add, &map, err,
					     sizeof(err)), -EOPNOTSUPP);
	assert_string_equal(err,
		"volume \"s3\" has layout unknown(7), which this evnadm cannot grow");
	assert_null(map.extents);

	/* an extent in a column the volume does not have */
	msg = stripe_reply(EVN_VOLUME_LAYOUT_STRIPE, 2);
	assert_int_equal(evn_volume_parse(nlmsg_hdr(msg), &v), 0);
	nlmsg_free(msg);
	assert_int_equal(evn_volume_grow_map(&v, &add, &map, err,
					     sizeof(err)), -EPROTO);
	assert_string_equal(err,
		"evn module described volume \"s3\" with an extent in column 2 of 2");

	/* more columns than extents */
	msg = stripe_reply(EVN_VOLUME_LAYOUT_STRIPE, 5);
	assert_int_equal(evn_volume_parse(nlmsg_hdr(msg), &v), 0);
	nlmsg_free(msg);
	assert_int_equal(evn_volume_grow_map(&v, &add, &map, err,
					     sizeof(err)), -EPROTO);
	assert_string_equal(err,
		"evn module described volume \"s3\" with 5 columns and 4 extents");

	/* no chunk */
	msg = fake_reply("s3", 3, "evn3", 6 * G, EVN_VOLUME_STATE_LIVE,
			 s3_extents, ARRAY_SIZE(s3_extents));
	assert_int_equal(nla_put_u32(msg, EVN_A_VOLUME_LAYOUT,
				     EVN_VOLUME_LAYOUT_STRIPE), 0);
	assert_int_equal(evn_volume_parse(nlmsg_hdr(msg), &v), 0);
	nlmsg_free(msg);
	assert_int_equal(evn_volume_grow_map(&v, &add, &map, err,
					     sizeof(err)), -EPROTO);
	assert_string_equal(err,
		"evn module described stripe volume \"s3\" without its chunk size");

	/* no extents */
	msg = fake_reply("s3", 3, "evn3", 6 * G, EVN_VOLUME_STATE_LIVE,
			 NULL, 0);
	assert_int_equal(evn_volume_parse(nlmsg_hdr(msg), &v), 0);
	nlmsg_free(msg);
	assert_int_equal(evn_volume_grow_map(&v, &add, &map, err,
					     sizeof(err)), -EPROTO);
	assert_string_equal(err,
		"evn module described volume \"s3\" without its extents");
	assert_null(map.extents);
	evn_volume_free(&v);
	evn_volume_args_free(&add);
}

/* The volume-set request of a grown map, parsed back as the kernel would. */
static void test_grow_request(void **state)
{
	static const struct want_extent stripe[] = {
		{ "t0", 0, 2 * G, 0 },
		{ "t4", 0, G, 0 },
		{ "t1", 0, G, 1 },
		{ "t3", 4 * G, 2 * G, 1 },
		{ "t2", G, 2 * G, 2 },
		{ "t5", 0, 512 * M, 2 },
		{ "t6", 0, 512 * M, 2 },
	};
	static const struct want_extent concat[] = {
		{ "t0", 0, G, 0 },
		{ "t1", M, 512 * M, 0 },
		{ "t0", G, 2 * G, 0 },
		{ "t2", 0, G, 0 },
	};
	struct nlattr *tb[EVN_A_VOLUME_MAX + 1], *pos;
	struct evn_volume_args map;
	struct genlmsghdr *gnlh;
	char err[EVN_ERRLEN];
	struct evn_volume v;
	struct nl_msg *msg;
	size_t n = 0;
	int rem;

	(void)state;
	parse_s3(&v);
	assert_int_equal(grow_map(&v, &map, err, "s3",
				  "column", "t4:0:1G",
				  "column", "t3:5G:1G",
				  "column", "t5:0:512M,t6:0:512M", NULL), 0);
	msg = new_msg(EVN_CMD_VOLUME_SET, evn_volume_new_size(&map));
	assert_int_equal(evn_volume_new_put(msg, &map), 0);
	check_request(msg, EVN_CMD_VOLUME_SET, &map);

	/* and against the literal expectation */
	assert_int_equal(genlmsg_parse(nlmsg_hdr(msg), 0, tb,
				       EVN_A_VOLUME_MAX, NULL), 0);
	assert_string_equal(nla_get_string(tb[EVN_A_VOLUME_NAME]), "s3");
	assert_non_null(tb[EVN_A_VOLUME_LAYOUT]);
	assert_int_equal(nla_get_u32(tb[EVN_A_VOLUME_LAYOUT]),
			 EVN_VOLUME_LAYOUT_STRIPE);
	assert_non_null(tb[EVN_A_VOLUME_CHUNK]);
	assert_int_equal(nla_get_u32(tb[EVN_A_VOLUME_CHUNK]), 128 * K);
	assert_null(tb[EVN_A_VOLUME_COLUMNS]);	/* replies only */
	assert_null(tb[EVN_A_VOLUME_ID]);
	assert_null(tb[EVN_A_VOLUME_SIZE]);
	gnlh = nlmsg_data(nlmsg_hdr(msg));
	nla_for_each_attr(pos, genlmsg_attrdata(gnlh, 0),
			  genlmsg_attrlen(gnlh, 0), rem) {
		struct nlattr *etb[EVN_A_EXTENT_MAX + 1];

		if (nla_type(pos) != EVN_A_VOLUME_EXTENT)
			continue;
		assert_true(n < ARRAY_SIZE(stripe));
		assert_int_equal(nla_parse_nested(etb, EVN_A_EXTENT_MAX, pos,
						  NULL), 0);
		assert_string_equal(nla_get_string(etb[EVN_A_EXTENT_TARGET]),
				    stripe[n].target);
		assert_true(nla_get_u64(etb[EVN_A_EXTENT_TARGET_OFFSET]) ==
			    stripe[n].offset);
		assert_true(nla_get_u64(etb[EVN_A_EXTENT_LENGTH]) ==
			    stripe[n].length);
		assert_non_null(etb[EVN_A_EXTENT_COLUMN]);
		assert_int_equal(nla_get_u32(etb[EVN_A_EXTENT_COLUMN]),
				 stripe[n].column);
		assert_null(etb[EVN_A_EXTENT_COPY]);
		n++;
	}
	assert_int_equal(n, ARRAY_SIZE(stripe));
	nlmsg_free(msg);
	evn_volume_args_free(&map);
	evn_volume_free(&v);

	/* a concat: LAYOUT concat, no CHUNK, no extent COLUMN */
	parse_concat_v1(&v);
	assert_int_equal(grow_map(&v, &map, err, "v1",
				  "extent", "t0:2560M:512M",
				  "extent", "t2:0:1G", NULL), 0);
	msg = new_msg(EVN_CMD_VOLUME_SET, evn_volume_new_size(&map));
	assert_int_equal(evn_volume_new_put(msg, &map), 0);
	check_request(msg, EVN_CMD_VOLUME_SET, &map);
	assert_int_equal(genlmsg_parse(nlmsg_hdr(msg), 0, tb,
				       EVN_A_VOLUME_MAX, NULL), 0);
	assert_non_null(tb[EVN_A_VOLUME_LAYOUT]);
	assert_int_equal(nla_get_u32(tb[EVN_A_VOLUME_LAYOUT]),
			 EVN_VOLUME_LAYOUT_CONCAT);
	assert_null(tb[EVN_A_VOLUME_CHUNK]);
	n = 0;
	gnlh = nlmsg_data(nlmsg_hdr(msg));
	nla_for_each_attr(pos, genlmsg_attrdata(gnlh, 0),
			  genlmsg_attrlen(gnlh, 0), rem) {
		struct nlattr *etb[EVN_A_EXTENT_MAX + 1];

		if (nla_type(pos) != EVN_A_VOLUME_EXTENT)
			continue;
		assert_true(n < ARRAY_SIZE(concat));
		assert_int_equal(nla_parse_nested(etb, EVN_A_EXTENT_MAX, pos,
						  NULL), 0);
		assert_string_equal(nla_get_string(etb[EVN_A_EXTENT_TARGET]),
				    concat[n].target);
		assert_true(nla_get_u64(etb[EVN_A_EXTENT_TARGET_OFFSET]) ==
			    concat[n].offset);
		assert_true(nla_get_u64(etb[EVN_A_EXTENT_LENGTH]) ==
			    concat[n].length);
		assert_null(etb[EVN_A_EXTENT_COLUMN]);
		n++;
	}
	assert_int_equal(n, ARRAY_SIZE(concat));
	nlmsg_free(msg);
	evn_volume_args_free(&map);
	evn_volume_free(&v);
}

static void test_grow_format(void **state)
{
	struct evn_volume before = { 0 }, after = { 0 };
	char buf[EVN_GROW_STRLEN];

	(void)state;
	before.have = EVN_HAVE(EVN_A_VOLUME_NAME) |
		      EVN_HAVE(EVN_A_VOLUME_DEVICE) |
		      EVN_HAVE(EVN_A_VOLUME_SIZE);
	snprintf(before.device, sizeof(before.device), "evn0");
	before.size = G;
	after = before;
	after.size = 3 * G;
	assert_int_equal(evn_volume_grow_format(&before, &after, buf,
						sizeof(buf)),
			 strlen("/dev/evn0: 1G -> 3G"));
	assert_string_equal(buf, "/dev/evn0: 1G -> 3G");

	after.size = G;
	evn_volume_grow_format(&before, &after, buf, sizeof(buf));
	assert_string_equal(buf, "/dev/evn0: 1G, unchanged");

	/* a growth the short forms would hide */
	before.size = 1536 * M;
	after.size = 1536 * M + 4096;
	evn_volume_grow_format(&before, &after, buf, sizeof(buf));
	assert_string_equal(buf,
		"/dev/evn0: 1.5G (1610612736) -> 1.5G (1610616832)");

	/* the device from the id; a size the kernel did not send */
	after.have = EVN_HAVE(EVN_A_VOLUME_ID);
	after.id = 12;
	evn_volume_grow_format(&before, &after, buf, sizeof(buf));
	assert_string_equal(buf, "/dev/evn12: 1.5G -> -");

	/* the longest text fits */
	snprintf(after.device, sizeof(after.device), "%s",
		 "evn0123456789012345678901234567");
	after.have = before.have;
	before.size = UINT64_MAX - 1;
	after.size = UINT64_MAX;
	assert_true(evn_volume_grow_format(&before, &after, buf, sizeof(buf)) <
		    sizeof(buf));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_extent_good),
		cmocka_unit_test(test_extent_bad),
		cmocka_unit_test(test_create_args),
		cmocka_unit_test(test_create_args_bad),
		cmocka_unit_test(test_create_args_concat),
		cmocka_unit_test(test_create_args_stripe),
		cmocka_unit_test(test_create_args_layout_bad),
		cmocka_unit_test(test_new_request),
		cmocka_unit_test(test_new_request_stripe),
		cmocka_unit_test(test_new_request_concat),
		cmocka_unit_test(test_new_request_many),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_stripe),
		cmocka_unit_test(test_memory),
		cmocka_unit_test(test_layout_names),
		cmocka_unit_test(test_parse_new_reply),
		cmocka_unit_test(test_parse_malformed),
		cmocka_unit_test(test_state_names),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_list),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_detail),
		cmocka_unit_test(test_detail_stripe),
		cmocka_unit_test(test_grow_args),
		cmocka_unit_test(test_grow_args_bad),
		cmocka_unit_test(test_extent_merge),
		cmocka_unit_test(test_grow_map_concat),
		cmocka_unit_test(test_grow_map_concat_merge),
		cmocka_unit_test(test_grow_map_stripe),
		cmocka_unit_test(test_grow_map_stripe_order),
		cmocka_unit_test(test_grow_map_bad),
		cmocka_unit_test(test_grow_map_bad_volume),
		cmocka_unit_test(test_grow_request),
		cmocka_unit_test(test_grow_format),
	};

	return cmocka_run_group_tests_name("evn_volume", tests, NULL, NULL);
}
