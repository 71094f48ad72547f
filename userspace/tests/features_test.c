// SPDX-License-Identifier: GPL-2.0
/* features_test.c - unit tests of feature name parsing and formatting */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <json-c/json.h>
#include <linux/evn.h>

#include "features.h"

/* a feature bit no module has yet: evnadm prints it as a number */
#define UNKNOWN_BIT	(1ULL << 40)
/* the features up to online grow, as an explicit mask */
#define UP_TO_GROW	(EVN_F_INFO | EVN_F_TARGETS | EVN_F_VOLUMES | \
			 EVN_F_LAYOUTS | EVN_F_GROW)

struct parse_case {
	const char *in;
	uint64_t mask;
};

static void test_parse_good(void **state)
{
	static const struct parse_case cases[] = {
		{ "info",		EVN_F_INFO },
		{ "1",			1 },
		{ "0",			0 },
		{ "16",			0x10 },
		{ "0x10",		0x10 },
		{ "0X10",		0x10 },
		{ "info,0x10",		EVN_F_INFO | 0x10 },
		{ "0x10,info",		EVN_F_INFO | 0x10 },
		{ "info,info",		EVN_F_INFO },
		{ "targets",		EVN_F_TARGETS },
		{ "volumes,targets",	EVN_F_TARGETS | EVN_F_VOLUMES },
		{ "info,targets,volumes,layouts,grow", UP_TO_GROW },
		{ "layouts",		EVN_F_LAYOUTS },
		{ "8",			EVN_F_LAYOUTS },
		{ "grow",		EVN_F_GROW },
		{ "grow,layouts",	EVN_F_GROW | EVN_F_LAYOUTS },
		{ "0x10000000000",	UNKNOWN_BIT },
		{ "0x8000000000000000",	1ULL << 63 },
		{ "0xffffffffffffffff",	~0ULL },
		{ "18446744073709551615", ~0ULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[EVN_FEATURES_ERRLEN] = "";
		uint64_t mask = 0xdead;

		print_message("parse \"%s\"\n", cases[i].in);
		assert_int_equal(evn_features_parse(cases[i].in, &mask, err,
						    sizeof(err)), 0);
		assert_int_equal(mask, cases[i].mask);
		assert_string_equal(err, "");
	}
}

struct bad_case {
	const char *in;
	const char *word;	/* the message must name this */
};

static void test_parse_bad(void **state)
{
	static const struct bad_case cases[] = {
		{ "foo",		"\"foo\"" },
		{ "info,foo",		"\"foo\"" },
		{ "foo,info",		"\"foo\"" },
		{ "INFO",		"\"INFO\"" },
		{ "inf",		"\"inf\"" },
		{ "infox",		"\"infox\"" },
		{ "-1",			"\"-1\"" },
		{ "info ",		"\"info \"" },
		{ "0x",			"\"0x\"" },
		{ "0xzz",		"\"0xzz\"" },
		{ "0x-1",		"\"0x-1\"" },
		{ "12abc",		"\"12abc\"" },
		{ "010x",		"\"010x\"" },
		{ "18446744073709551616", "\"18446744073709551616\"" },
		{ "0x10000000000000000", "\"0x10000000000000000\"" },
		{ "",			"empty" },
		{ "info,",		"empty" },
		{ ",info",		"empty" },
		{ "info,,info",		"empty" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[EVN_FEATURES_ERRLEN] = "";
		uint64_t mask = 0xdead;

		print_message("parse \"%s\"\n", cases[i].in);
		assert_int_equal(evn_features_parse(cases[i].in, &mask, err,
						    sizeof(err)), -EINVAL);
		assert_int_equal(mask, 0xdead);	/* untouched */
		print_message("  -> %s\n", err);
		assert_non_null(strstr(err, cases[i].word));
	}
}

/* The message names the bad word, not its good neighbours. */
static void test_parse_names_only_bad_word(void **state)
{
	char err[EVN_FEATURES_ERRLEN];
	uint64_t mask;

	(void)state;
	assert_int_equal(evn_features_parse("info,bogus,0x4", &mask, err,
					    sizeof(err)), -EINVAL);
	assert_string_equal(err, "unknown feature \"bogus\"");
	assert_int_equal(evn_features_parse("info,0x4q", &mask, err,
					    sizeof(err)), -EINVAL);
	assert_string_equal(err, "invalid feature number \"0x4q\"");
}

struct format_case {
	uint64_t mask;
	const char *out;
};

static void test_format(void **state)
{
	static const struct format_case cases[] = {
		{ 0,			"" },
		{ EVN_F_INFO,		"info" },
		{ EVN_F_INFO | UNKNOWN_BIT, "info,0x10000000000" },
		{ UP_TO_GROW,		"info,targets,volumes,layouts,grow" },
		{ EVN_F_VOLUMES | 0x8,	"volumes,layouts" },
		{ EVN_F_VOLUMES | 0x10,	"volumes,grow" },
		{ EVN_F_VOLUMES | UNKNOWN_BIT, "volumes,0x10000000000" },
		{ 0x18,			"layouts,grow" },
		{ 3 * UNKNOWN_BIT,	"0x10000000000,0x20000000000" },
		{ 1ULL << 63,		"0x8000000000000000" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[EVN_FEATURES_STRLEN];

		assert_int_equal(evn_features_format(cases[i].mask, buf,
						     sizeof(buf)),
				 strlen(cases[i].out));
		assert_string_equal(buf, cases[i].out);
	}
}

/* Every mask fits EVN_FEATURES_STRLEN; small buffers truncate safely. */
static void test_format_sizes(void **state)
{
	char buf[EVN_FEATURES_STRLEN], small[8];
	size_t len;

	(void)state;
	len = evn_features_format(~0ULL, buf, sizeof(buf));
	assert_true(len < sizeof(buf));
	assert_int_equal(strlen(buf), len);
	assert_memory_equal(buf, "info,targets,volumes,layouts,grow,", 34);

	memset(small, 'X', sizeof(small));
	assert_int_equal(evn_features_format(EVN_F_INFO | UNKNOWN_BIT, small,
					     sizeof(small)),
			 strlen("info,0x10000000000"));
	assert_string_equal(small, "info,0x");
}

/* Text output parses back to the same mask. */
static void test_round_trip(void **state)
{
	static const uint64_t masks[] = {
		EVN_F_INFO, EVN_F_INFO | UNKNOWN_BIT, 0x30, 3 * UNKNOWN_BIT,
		~0ULL, 1ULL << 63,
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
		char buf[EVN_FEATURES_STRLEN], err[EVN_FEATURES_ERRLEN];
		uint64_t back = 0;

		evn_features_format(masks[i], buf, sizeof(buf));
		assert_int_equal(evn_features_parse(buf, &back, err,
						    sizeof(err)), 0);
		assert_int_equal(back, masks[i]);
	}
}

/* Each EVN_F_* bit of the UAPI header has exactly one name. */
static void test_table_covers_uapi(void **state)
{
	uint64_t all = 0;
	size_t i, j;

	(void)state;
	for (i = 0; i < evn_features_count; i++) {
		const struct evn_feature *f = &evn_features[i];

		assert_int_equal(f->bit & (f->bit - 1), 0);	/* one bit */
		assert_int_equal(all & f->bit, 0);		/* no dup */
		for (j = 0; j < i; j++)
			assert_string_not_equal(f->name, evn_features[j].name);
		all |= f->bit;
		assert_string_equal(evn_feature_name(f->bit), f->name);
	}
	assert_int_equal(all, EVN_F_ALL);
	assert_null(evn_feature_name(UNKNOWN_BIT));
	assert_string_equal(evn_feature_name(EVN_F_INFO), "info");
	assert_string_equal(evn_feature_name(EVN_F_LAYOUTS), "layouts");
	assert_string_equal(evn_feature_name(EVN_F_GROW), "grow");
}

static void test_json(void **state)
{
	struct json_object *arr;

	(void)state;
	arr = evn_features_json(EVN_F_INFO | UNKNOWN_BIT);
	assert_non_null(arr);
	assert_true(json_object_is_type(arr, json_type_array));
	assert_int_equal(json_object_array_length(arr), 2);
	assert_string_equal(json_object_get_string(
		json_object_array_get_idx(arr, 0)), "info");
	assert_string_equal(json_object_get_string(
		json_object_array_get_idx(arr, 1)), "0x10000000000");
	json_object_put(arr);

	arr = evn_features_json(0);
	assert_non_null(arr);
	assert_int_equal(json_object_array_length(arr), 0);
	json_object_put(arr);
}

/* A module without a feature a command needs: the reason names it. */
static void test_check(void **state)
{
	char err[EVN_FEATURES_ERRLEN + EVN_FEATURES_STRLEN];

	(void)state;
	err[0] = '\0';
	assert_int_equal(evn_features_check(EVN_F_ALL, EVN_F_GROW,
					    "grow volumes", err, sizeof(err)),
			 0);
	assert_int_equal(evn_features_check(EVN_F_GROW, EVN_F_GROW,
					    "grow volumes", err, sizeof(err)),
			 0);
	assert_int_equal(evn_features_check(0, 0, "x", err, sizeof(err)), 0);
	assert_string_equal(err, "");	/* untouched on success */

	/* a module of before online grow */
	assert_int_equal(evn_features_check(EVN_F_INFO | EVN_F_TARGETS |
					    EVN_F_VOLUMES | EVN_F_LAYOUTS,
					    EVN_F_GROW, "grow volumes", err,
					    sizeof(err)), -EOPNOTSUPP);
	assert_string_equal(err,
		"the loaded evn module cannot grow volumes: it lacks the feature \"grow\" (evnadm info lists what it has)");
	/* several missing, one with no name */
	assert_int_equal(evn_features_check(EVN_F_INFO, EVN_F_LAYOUTS |
					    EVN_F_GROW | UNKNOWN_BIT | EVN_F_INFO,
					    "do it", err, sizeof(err)),
			 -EOPNOTSUPP);
	assert_string_equal(err,
		"the loaded evn module cannot do it: it lacks the features \"layouts,grow,0x10000000000\" (evnadm info lists what it has)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_parse_names_only_bad_word),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_sizes),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_table_covers_uapi),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_check),
	};

	return cmocka_run_group_tests_name("evn_features", tests, NULL, NULL);
}
