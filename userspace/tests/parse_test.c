// SPDX-License-Identifier: GPL-2.0
/* parse_test.c - unit tests of sizes, numbers, names, human sizes and tables */
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

#include <linux/evn.h>

#include "parse.h"
#include "print.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *word;
	int ret;
	uint64_t bytes;
} size_cases[] = {
	{ "0",				0,	0 },
	{ "00",				0,	0 },
	{ "0K",				0,	0 },
	{ "1",				0,	1 },
	{ "4096",			0,	4096 },
	{ "010",			0,	10 },	/* decimal, not octal */
	{ "1k",				0,	1024 },
	{ "1K",				0,	1024 },
	{ "512m",			0,	512ULL << 20 },
	{ "512M",			0,	512ULL << 20 },
	{ "1g",				0,	1ULL << 30 },
	{ "3G",				0,	3ULL << 30 },
	{ "2t",				0,	2ULL << 40 },
	{ "1P",				0,	1ULL << 50 },
	{ "15E",			0,	15ULL << 60 },
	{ "16777215T",			0,	16777215ULL << 40 },
	{ "18446744073709551615",	0,	UINT64_MAX },
	{ "018446744073709551615",	0,	UINT64_MAX },
	/* the boundaries: 2^64 in every spelling */
	{ "16E",			-ERANGE, 0 },
	{ "16e",			-ERANGE, 0 },
	{ "16384P",			-ERANGE, 0 },
	{ "16777216T",			-ERANGE, 0 },
	{ "17179869184G",		-ERANGE, 0 },
	{ "18014398509481984K",		-ERANGE, 0 },
	{ "18446744073709551616",	-ERANGE, 0 },
	{ "99999999999999999999999",	-ERANGE, 0 },
	{ "99999999999999999999999K",	-ERANGE, 0 },
	/* syntax */
	{ "",				-EINVAL, 0 },
	{ "K",				-EINVAL, 0 },
	{ "-1",				-EINVAL, 0 },
	{ "+1",				-EINVAL, 0 },
	{ " 1",				-EINVAL, 0 },
	{ "1 ",				-EINVAL, 0 },
	{ "1.5G",			-EINVAL, 0 },
	{ "1KB",			-EINVAL, 0 },
	{ "1KiB",			-EINVAL, 0 },
	{ "1B",				-EINVAL, 0 },
	{ "1x",				-EINVAL, 0 },
	{ "0x10",			-EINVAL, 0 },
	{ "1GG",			-EINVAL, 0 },
	{ "G1",				-EINVAL, 0 },
	{ "99999999999999999999999x",	-EINVAL, 0 },
	{ "99999999999999999999999KK",	-EINVAL, 0 },
};

static void test_parse_size(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(size_cases); i++) {
		uint64_t bytes = 0xdeadbeef;
		int ret = evn_parse_size(size_cases[i].word, &bytes);

		print_message("size \"%s\" -> %d\n", size_cases[i].word, ret);
		assert_int_equal(ret, size_cases[i].ret);
		if (!ret)
			assert_true(bytes == size_cases[i].bytes);
		else
			assert_true(bytes == 0xdeadbeef);	/* untouched */
	}
}

static void test_parse_u32(void **state)
{
	static const struct {
		const char *word;
		int ret;
		uint32_t val;
	} cases[] = {
		{ "0",		0,	0 },
		{ "1",		0,	1 },
		{ "4420",	0,	4420 },
		{ "4294967295",	0,	UINT32_MAX },
		{ "4294967296",	-ERANGE, 0 },
		{ "99999999999",	-ERANGE, 0 },
		{ "99999999999x",	-EINVAL, 0 },
		{ "",		-EINVAL, 0 },
		{ "-1",		-EINVAL, 0 },
		{ "1s",		-EINVAL, 0 },
		{ "0x10",	-EINVAL, 0 },
		{ " 1",		-EINVAL, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		uint32_t v = 7;

		assert_int_equal(evn_parse_u32(cases[i].word, &v),
				 cases[i].ret);
		assert_int_equal(v, cases[i].ret ? 7 : cases[i].val);
	}
}

static void test_check_name(void **state)
{
	static const struct {
		const char *name;
		const char *err;	/* NULL: valid */
	} cases[] = {
		{ "t0", NULL },
		{ "a", NULL },
		{ "Target_1.backup-2", NULL },
		{ "0", NULL },
		{ ".", NULL },
		{ "a-", NULL },
		{ "1234567890123456789012345678901", NULL },	/* 31 */
		{ "", "invalid target name \"\": empty" },
		{ "12345678901234567890123456789012",
		  "invalid target name \"12345678901234567890123456789012\": longer than 31 characters" },
		{ "-t0", "invalid target name \"-t0\": must not start with '-'" },
		{ "t 0", "invalid target name \"t 0\": character ' ' not allowed (only A-Z a-z 0-9 . _ -)" },
		{ "t:0", "invalid target name \"t:0\": character ':' not allowed (only A-Z a-z 0-9 . _ -)" },
		{ "t/0", "invalid target name \"t/0\": character '/' not allowed (only A-Z a-z 0-9 . _ -)" },
		{ "t\t", "invalid target name \"t\t\": character '\\x09' not allowed (only A-Z a-z 0-9 . _ -)" },
		{ "t\xc3\xa9", "invalid target name \"t\xc3\xa9\": character '\\xc3' not allowed (only A-Z a-z 0-9 . _ -)" },
	};
	char err[EVN_ERRLEN];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int ret;

		err[0] = '\0';
		ret = evn_check_name(cases[i].name, "target", err,
				     sizeof(err));
		if (!cases[i].err) {
			assert_int_equal(ret, 0);
			continue;
		}
		assert_int_equal(ret, -EINVAL);
		assert_string_equal(err, cases[i].err);
	}
	/* @what names the kind of object */
	assert_int_equal(evn_check_name("-v", "volume", err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err,
			    "invalid volume name \"-v\": must not start with '-'");
}

static void test_check_nqn(void **state)
{
	char nqn[EVN_NQN_MAX + 2], err[EVN_ERRLEN], expect[EVN_ERRLEN];

	(void)state;
	assert_int_equal(evn_check_nqn("nqn.2014-08.org.nvmexpress:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427",
				       err, sizeof(err)), 0);
	memset(nqn, 'n', EVN_NQN_MAX);
	nqn[EVN_NQN_MAX] = '\0';
	assert_int_equal(evn_check_nqn(nqn, err, sizeof(err)), 0);	/* 223 */
	nqn[EVN_NQN_MAX] = 'n';
	nqn[EVN_NQN_MAX + 1] = '\0';					/* 224 */
	assert_int_equal(evn_check_nqn(nqn, err, sizeof(err)), -EINVAL);
	snprintf(expect, sizeof(expect),
		 "invalid NQN \"%s\": longer than 223 characters", nqn);
	assert_string_equal(err, expect);

	assert_int_equal(evn_check_nqn("", err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "invalid NQN \"\": empty");
	assert_int_equal(evn_check_nqn("nqn.a b", err, sizeof(err)), -EINVAL);
	assert_string_equal(err,
			    "invalid NQN \"nqn.a b\": character ' ' not allowed");
}

static void test_check_traddr(void **state)
{
	static const char *const good[] = {
		"192.168.1.10", "0.0.0.0", "::1", "fe80::1", "fe80::1%eth0",
		"2001:db8::a:b", "::ffff:10.0.0.1",
	};
	static const char *const bad[] = {
		"", "foo", "example.com", "10.0.0.300", "10.0.0", "1.2.3.4:4420",
		"[::1]", "fe80::1%", "::1%eth0%x", "10.0.0.1%eth0", ":::",
		"1234567890123456789012345678901234567890123456789012345678901234",
	};
	char err[EVN_ERRLEN], expect[EVN_ERRLEN];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(good); i++)
		assert_int_equal(evn_check_traddr(good[i], err, sizeof(err)),
				 0);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		print_message("address \"%s\"\n", bad[i]);
		assert_int_equal(evn_check_traddr(bad[i], err, sizeof(err)),
				 -EINVAL);
		snprintf(expect, sizeof(expect), "invalid address \"%s\": ",
			 bad[i]);
		assert_true(!strncmp(err, expect, strlen(expect)));
	}
	assert_int_equal(evn_check_traddr("foo", err, sizeof(err)), -EINVAL);
	assert_string_equal(err,
			    "invalid address \"foo\": not an IPv4 or IPv6 address");
}

static const struct {
	uint64_t bytes;
	const char *human;
} human_cases[] = {
	{ 0,			"0" },
	{ 1,			"1" },
	{ 512,			"512" },
	{ 1023,			"1023" },
	{ 1024,			"1K" },
	{ 1536,			"1.5K" },
	{ 4096,			"4K" },
	{ 1025,			"1.0K" },	/* inexact: never "1K" */
	{ 1024 * 1024 - 1,	"1.0M" },	/* 1023.999K rounds up a unit */
	{ 512ULL << 20,		"512M" },
	{ 1536ULL << 20,	"1.5G" },
	{ (1ULL << 30) + 1,	"1.0G" },
	{ (1ULL << 30) * 10 / 4, "2.5G" },
	{ 1ULL << 30,		"1G" },
	{ 1000204886016ULL,	"931.5G" },	/* a "1 TB" disk */
	{ 1ULL << 40,		"1T" },
	{ 3ULL << 50,		"3P" },
	{ 1ULL << 60,		"1E" },
	{ 15ULL << 60,		"15E" },
	{ UINT64_MAX,		"16.0E" },
};

static void test_format_size(void **state)
{
	char buf[EVN_SIZE_STRLEN];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(human_cases); i++) {
		size_t n = evn_format_size(human_cases[i].bytes, buf,
					   sizeof(buf));

		assert_string_equal(buf, human_cases[i].human);
		assert_int_equal(n, strlen(human_cases[i].human));
	}
	/* truncated like snprintf(), length of the full text returned */
	assert_int_equal(evn_format_size(1536ULL << 20, buf, 3), 4);
	assert_string_equal(buf, "1.");
}

/* Every exact human form parses back to the same number of bytes. */
static void test_format_parse_round_trip(void **state)
{
	char buf[EVN_SIZE_STRLEN];
	unsigned int shift;
	uint64_t back, m;

	(void)state;
	for (shift = 0; shift < 64; shift++) {
		for (m = 1; m <= 3; m++) {
			uint64_t bytes = m << shift;

			if (bytes >> shift != m)
				continue;	/* overflowed */
			evn_format_size(bytes, buf, sizeof(buf));
			if (strchr(buf, '.'))
				continue;
			assert_int_equal(evn_parse_size(buf, &back), 0);
			assert_true(back == bytes);
		}
	}
}

static void test_format_size_bytes(void **state)
{
	char buf[EVN_SIZE_STRLEN];

	(void)state;
	evn_format_size_bytes(0, buf, sizeof(buf));
	assert_string_equal(buf, "0");
	evn_format_size_bytes(512, buf, sizeof(buf));
	assert_string_equal(buf, "512");
	evn_format_size_bytes(1536ULL << 20, buf, sizeof(buf));
	assert_string_equal(buf, "1.5G (1610612736)");
	evn_format_size_bytes(UINT64_MAX, buf, sizeof(buf));
	assert_string_equal(buf, "16.0E (18446744073709551615)");
}

static char *table_text(const struct evn_table_col *cols, size_t ncols,
			const char (*cells)[EVN_TABLE_CELL], size_t nrows)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	evn_table_print(f, cols, ncols, cells, nrows);
	fclose(f);
	return text;
}

static void test_table(void **state)
{
	static const struct evn_table_col cols[] = {
		{ "NAME", false }, { "SIZE", true }, { "STATE", false },
	};
	static const char cells[][EVN_TABLE_CELL] = {
		"a",		"1G",	"live",
		"longname",	"512",	"x",
	};
	char *text;

	(void)state;
	text = table_text(cols, 3, cells, 2);
	assert_string_equal(text,
			    "NAME      SIZE  STATE\n"
			    "a           1G  live\n"
			    "longname   512  x\n");
	free(text);

	/* no rows: nothing, not even the header */
	text = table_text(cols, 3, cells, 0);
	assert_string_equal(text, "");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_size),
		cmocka_unit_test(test_parse_u32),
		cmocka_unit_test(test_check_name),
		cmocka_unit_test(test_check_nqn),
		cmocka_unit_test(test_check_traddr),
		cmocka_unit_test(test_format_size),
		cmocka_unit_test(test_format_parse_round_trip),
		cmocka_unit_test(test_format_size_bytes),
		cmocka_unit_test(test_table),
	};

	return cmocka_run_group_tests_name("evn_parse", tests, NULL, NULL);
}
