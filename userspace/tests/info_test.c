// SPDX-License-Identifier: GPL-2.0
/* info_test.c - unit tests of info reply decoding, JSON and text output */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <json-c/json.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <linux/evn.h>

#include "info.h"

#define FAKE_FAMILY_ID	0x22
/* a feature bit no module has yet: evnadm prints it as a number */
#define UNKNOWN_BIT	(1ULL << 40)

/* An EVN_CMD_INFO_GET reply as evn.ko builds it; NULL version: left out. */
static struct nl_msg *build_reply(const char *version, const uint32_t *fv,
				  const uint64_t *features)
{
	struct nl_msg *msg = nlmsg_alloc();

	assert_non_null(msg);
	assert_non_null(genlmsg_put(msg, 1234, 1, FAKE_FAMILY_ID, 0, 0,
				    EVN_CMD_INFO_GET, EVN_FAMILY_VERSION));
	if (version)
		assert_int_equal(nla_put_string(msg, EVN_A_INFO_MODULE_VERSION,
						version), 0);
	if (fv)
		assert_int_equal(nla_put_u32(msg, EVN_A_INFO_FAMILY_VERSION,
					     *fv), 0);
	if (features)
		assert_int_equal(nla_put_u64(msg, EVN_A_INFO_FEATURES,
					     *features), 0);
	return msg;
}

static void parse_reply(struct evn_info *info, uint64_t features)
{
	uint32_t fv = EVN_FAMILY_VERSION;
	struct nl_msg *msg = build_reply("0.1.0", &fv, &features);

	memset(info, 0, sizeof(*info));
	assert_int_equal(evn_info_parse(nlmsg_hdr(msg), info), 0);
	nlmsg_free(msg);
}

static void test_parse(void **state)
{
	struct evn_info info;

	(void)state;
	parse_reply(&info, EVN_F_INFO | UNKNOWN_BIT);
	assert_int_equal(info.have, EVN_INFO_HAVE_ALL);
	assert_string_equal(info.module_version, "0.1.0");
	assert_int_equal(info.family_version, EVN_FAMILY_VERSION);
	assert_int_equal(info.features, EVN_F_INFO | UNKNOWN_BIT);
}

static void test_parse_partial(void **state)
{
	uint64_t features = EVN_F_INFO;
	struct evn_info info = { 0 };
	struct nl_msg *msg;

	(void)state;
	msg = build_reply(NULL, NULL, &features);
	assert_int_equal(evn_info_parse(nlmsg_hdr(msg), &info), 0);
	assert_int_equal(info.have, EVN_INFO_HAVE_FEATURES);
	nlmsg_free(msg);
}

/* A newer module may send attributes this evnadm does not know. */
static void test_parse_unknown_attr(void **state)
{
	uint64_t features = EVN_F_INFO;
	uint32_t fv = 7;
	struct evn_info info = { 0 };
	struct nl_msg *msg;

	(void)state;
	msg = build_reply("9.9.9", &fv, &features);
	assert_int_equal(nla_put_u32(msg, EVN_A_INFO_MAX + 5, 1), 0);
	assert_int_equal(evn_info_parse(nlmsg_hdr(msg), &info), 0);
	assert_int_equal(info.have, EVN_INFO_HAVE_ALL);
	assert_string_equal(info.module_version, "9.9.9");
	assert_int_equal(info.family_version, 7);
	nlmsg_free(msg);
}

static void test_parse_malformed(void **state)
{
	struct evn_info info = { 0 };
	struct nl_msg *msg;
	struct nlmsghdr *nlh;
	char big[200];

	(void)state;
	/* a u32 attribute of 2 bytes */
	msg = build_reply(NULL, NULL, NULL);
	assert_int_equal(nla_put(msg, EVN_A_INFO_FAMILY_VERSION, 2, "ab"), 0);
	assert_int_equal(evn_info_parse(nlmsg_hdr(msg), &info), -EPROTO);
	nlmsg_free(msg);

	/* a string without its NUL */
	msg = build_reply(NULL, NULL, NULL);
	assert_int_equal(nla_put(msg, EVN_A_INFO_MODULE_VERSION, 3, "abc"), 0);
	assert_int_equal(evn_info_parse(nlmsg_hdr(msg), &info), -EPROTO);
	nlmsg_free(msg);

	/* shorter than a genl header */
	msg = build_reply(NULL, NULL, NULL);
	nlh = nlmsg_hdr(msg);
	nlh->nlmsg_len = NLMSG_HDRLEN + 2;
	assert_int_equal(evn_info_parse(nlh, &info), -EPROTO);
	nlmsg_free(msg);

	/* an over-long version string is truncated, still terminated */
	memset(big, 'v', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	msg = build_reply(big, NULL, NULL);
	assert_int_equal(evn_info_parse(nlmsg_hdr(msg), &info), 0);
	assert_int_equal(strlen(info.module_version),
			 sizeof(info.module_version) - 1);
	nlmsg_free(msg);
}

/* Serialize, parse back with json-c, look at every field. */
static struct json_object *json_round_trip(const struct evn_info *info,
					   int flags)
{
	struct json_object *obj = evn_info_json(info), *back;

	assert_non_null(obj);
	back = json_tokener_parse(json_object_to_json_string_ext(obj, flags));
	json_object_put(obj);
	assert_non_null(back);
	return back;
}

static struct json_object *get(struct json_object *obj, const char *key,
			       json_type type)
{
	struct json_object *val;

	assert_true(json_object_object_get_ex(obj, key, &val));
	assert_true(json_object_is_type(val, type));
	return val;
}

static void test_json(void **state)
{
	struct json_object *root, *tool, *mod, *arr;
	struct evn_info info;

	(void)state;
	parse_reply(&info, EVN_F_INFO | UNKNOWN_BIT);
	root = json_round_trip(&info, JSON_C_TO_STRING_PLAIN);
	assert_int_equal(json_object_object_length(root), 2);

	tool = get(root, "evnadm", json_type_object);
	assert_string_equal(json_object_get_string(
		get(tool, "version", json_type_string)), EVN_VERSION);
	assert_int_equal(json_object_get_int64(
		get(tool, "family_version", json_type_int)),
		EVN_FAMILY_VERSION);

	mod = get(root, "module", json_type_object);
	assert_string_equal(json_object_get_string(
		get(mod, "version", json_type_string)), "0.1.0");
	assert_int_equal(json_object_get_int64(
		get(mod, "family_version", json_type_int)),
		EVN_FAMILY_VERSION);
	arr = get(mod, "features", json_type_array);
	assert_int_equal(json_object_array_length(arr), 2);
	assert_string_equal(json_object_get_string(
		json_object_array_get_idx(arr, 0)), "info");
	assert_string_equal(json_object_get_string(
		json_object_array_get_idx(arr, 1)), "0x10000000000");
	assert_int_equal(json_object_get_uint64(
		get(mod, "features_mask", json_type_int)),
			 EVN_F_INFO | UNKNOWN_BIT);
	json_object_put(root);
}

/* The exact compact form documented for "evnadm -j info". */
static void test_json_text(void **state)
{
	struct json_object *obj;
	struct evn_info info;
	char expect[256];

	(void)state;
	parse_reply(&info, EVN_F_INFO);
	obj = evn_info_json(&info);
	assert_non_null(obj);
	snprintf(expect, sizeof(expect),
		 "{\"evnadm\":{\"version\":\"%s\",\"family_version\":%d},"
		 "\"module\":{\"version\":\"0.1.0\",\"family_version\":%d,"
		 "\"features\":[\"info\"],\"features_mask\":1}}",
		 EVN_VERSION, EVN_FAMILY_VERSION, EVN_FAMILY_VERSION);
	assert_string_equal(json_object_to_json_string_ext(obj,
				JSON_C_TO_STRING_PLAIN |
				JSON_C_TO_STRING_NOSLASHESCAPE), expect);
	json_object_put(obj);
}

/* The top bit survives as an unsigned number. */
static void test_json_high_bit(void **state)
{
	struct json_object *root, *mod, *arr;
	struct evn_info info;

	(void)state;
	parse_reply(&info, EVN_F_INFO | (1ULL << 63));
	root = json_round_trip(&info, JSON_C_TO_STRING_PRETTY);
	mod = get(root, "module", json_type_object);
	assert_true(json_object_get_uint64(get(mod, "features_mask",
					       json_type_int)) ==
		    (EVN_F_INFO | (1ULL << 63)));
	arr = get(mod, "features", json_type_array);
	assert_string_equal(json_object_get_string(
		json_object_array_get_idx(arr, 1)), "0x8000000000000000");
	json_object_put(root);
}

static char *print_text(const struct evn_info *info)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	evn_info_print(f, info);
	fclose(f);
	return text;
}

static void test_text(void **state)
{
	struct evn_info info;
	char expect[512], *text;

	(void)state;
	parse_reply(&info, EVN_F_INFO | UNKNOWN_BIT);
	text = print_text(&info);
	snprintf(expect, sizeof(expect),
		 "evnadm version:  %s\n"
		 "module version:  0.1.0\n"
		 "family version:  %d\n"
		 "features:        info,0x10000000000\n",
		 EVN_VERSION, EVN_FAMILY_VERSION);
	assert_string_equal(text, expect);
	free(text);

	info.features = 0;
	text = print_text(&info);
	assert_non_null(strstr(text, "features:        none\n"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_partial),
		cmocka_unit_test(test_parse_unknown_attr),
		cmocka_unit_test(test_parse_malformed),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_text),
		cmocka_unit_test(test_json_high_bit),
		cmocka_unit_test(test_text),
	};

	return cmocka_run_group_tests_name("evn_info", tests, NULL, NULL);
}
