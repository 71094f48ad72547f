// SPDX-License-Identifier: GPL-2.0
/* dispatch_test.c - unit tests of the command line: objects, commands, options */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "print.h"
#include "run.h"

#define USAGE_HEAD	"Usage: evnadm [ OPTIONS ] OBJECT"
#define INFO_USAGE	"Usage: evnadm info [ require FEATURES ]"
#define TARGET_USAGE	"Usage: evnadm target add NAME addr ADDR"
#define VOLUME_USAGE	"Usage: evnadm volume create NAME [ layout concat ] extent EXTENT"
#define POOL_USAGE	"Usage: evnadm pool create NAME target TARGET"
#define MONITOR_USAGE	"Usage: evnadm monitor\n"

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* usage error: reason line + usage on stderr, nothing on stdout, exit 2 */
static void expect_usage_error(struct run *r, const char *reason,
			       const char *usage)
{
	char line[256];

	snprintf(line, sizeof(line), "evnadm: %s\n", reason);
	assert_int_equal(r->rc, EVNADM_EXIT_USAGE);
	assert_string_equal(r->out, "");
	assert_true(starts_with(r->err, line));
	assert_true(starts_with(r->err + strlen(line), usage));
	run_free(r);
}

/* help: usage on stdout, nothing on stderr, exit 0 */
static void expect_help(struct run *r, const char *usage)
{
	assert_int_equal(r->rc, EVNADM_EXIT_OK);
	assert_string_equal(r->err, "");
	assert_true(starts_with(r->out, usage));
	run_free(r);
}

static void test_no_args(void **state)
{
	struct run r;

	(void)state;
	run_evnadm(&r, NULL);
	assert_int_equal(r.rc, EVNADM_EXIT_USAGE);
	assert_string_equal(r.out, "");
	assert_true(starts_with(r.err, USAGE_HEAD));
	run_free(&r);

	/* options alone are no command either */
	run_evnadm(&r, "-j", NULL);
	assert_int_equal(r.rc, EVNADM_EXIT_USAGE);
	run_free(&r);
}

static void test_help(void **state)
{
	struct run r;

	(void)state;
	run_evnadm(&r, "help", NULL);
	/* the help documents the exit codes */
	assert_non_null(strstr(r.out, "0 success, 1 error"));
	assert_non_null(strstr(r.out, "2 usage error"));
	assert_non_null(strstr(r.out,
		"OBJECT := { info | target | pool | volume | monitor | help }"));
	expect_help(&r, USAGE_HEAD);
	run_evnadm(&r, "-h", NULL);
	expect_help(&r, USAGE_HEAD);
	run_evnadm(&r, "--help", NULL);
	expect_help(&r, USAGE_HEAD);
	run_evnadm(&r, "-j", "help", NULL);
	expect_help(&r, USAGE_HEAD);
	run_evnadm(&r, "help", "info", NULL);
	expect_usage_error(&r, "extra argument \"info\"", USAGE_HEAD);
}

static void test_version(void **state)
{
	struct run r;

	(void)state;
	run_evnadm(&r, "-V", NULL);
	assert_int_equal(r.rc, EVNADM_EXIT_OK);
	assert_string_equal(r.out, "evnadm " EVN_VERSION "\n");
	assert_string_equal(r.err, "");
	run_free(&r);
	run_evnadm(&r, "--version", "foo", NULL);
	assert_int_equal(r.rc, EVNADM_EXIT_OK);
	assert_string_equal(r.out, "evnadm " EVN_VERSION "\n");
	run_free(&r);
}

static void test_unknown_object(void **state)
{
	struct run r;

	(void)state;
	run_evnadm(&r, "foo", NULL);
	expect_usage_error(&r, "unknown object \"foo\"", USAGE_HEAD);
	/* full names only: no prefix matching, no case folding */
	run_evnadm(&r, "inf", NULL);
	expect_usage_error(&r, "unknown object \"inf\"", USAGE_HEAD);
	run_evnadm(&r, "i", NULL);
	expect_usage_error(&r, "unknown object \"i\"", USAGE_HEAD);
	run_evnadm(&r, "INFO", NULL);
	expect_usage_error(&r, "unknown object \"INFO\"", USAGE_HEAD);
	run_evnadm(&r, "infos", NULL);
	expect_usage_error(&r, "unknown object \"infos\"", USAGE_HEAD);
	run_evnadm(&r, "", NULL);
	expect_usage_error(&r, "unknown object \"\"", USAGE_HEAD);
}

static void test_unknown_option(void **state)
{
	struct run r;

	(void)state;
	run_evnadm(&r, "-x", "info", NULL);
	expect_usage_error(&r, "unknown option \"-x\"", USAGE_HEAD);
	run_evnadm(&r, "-jx", "info", NULL);
	expect_usage_error(&r, "unknown option \"-x\"", USAGE_HEAD);
	run_evnadm(&r, "--bogus", NULL);
	expect_usage_error(&r, "unknown option \"--bogus\"", USAGE_HEAD);
	run_evnadm(&r, "--json=yes", "info", NULL);
	expect_usage_error(&r, "unknown option \"--json=yes\"", USAGE_HEAD);
	/* options go before the object */
	run_evnadm(&r, "info", "-j", NULL);
	expect_usage_error(&r, "unknown command \"-j\"", INFO_USAGE);
}

static void test_info_commands(void **state)
{
	struct run r;

	(void)state;
	run_evnadm(&r, "info", "help", NULL);
	assert_non_null(strstr(r.out, "FEATURE := { info | targets | volumes | layouts | grow | "));
	assert_non_null(strstr(r.out, " | NUMBER }\n"));
	expect_help(&r, INFO_USAGE);
	run_evnadm(&r, "-j", "-p", "info", "help", NULL);
	expect_help(&r, INFO_USAGE);
	run_evnadm(&r, "info", "help", "me", NULL);
	expect_usage_error(&r, "extra argument \"me\"", INFO_USAGE);
	run_evnadm(&r, "info", "foo", NULL);
	expect_usage_error(&r, "unknown command \"foo\"", INFO_USAGE);
	run_evnadm(&r, "info", "req", "info", NULL);
	expect_usage_error(&r, "unknown command \"req\"", INFO_USAGE);
	run_evnadm(&r, "info", "require", NULL);
	expect_usage_error(&r, "missing FEATURES after \"require\"",
			   INFO_USAGE);
	run_evnadm(&r, "info", "require", "info", "extra", NULL);
	expect_usage_error(&r, "extra argument \"extra\"", INFO_USAGE);
	run_evnadm(&r, "info", "require", "info,bogus", NULL);
	expect_usage_error(&r, "unknown feature \"bogus\"", INFO_USAGE);
	run_evnadm(&r, "info", "require", "0xg", NULL);
	expect_usage_error(&r, "invalid feature number \"0xg\"", INFO_USAGE);
}

static void test_object_help(void **state)
{
	static const struct {
		const char *object, *usage;
	} objects[] = {
		{ "info",	INFO_USAGE },
		{ "target",	TARGET_USAGE },
		{ "pool",	POOL_USAGE },
		{ "volume",	VOLUME_USAGE },
		{ "monitor",	MONITOR_USAGE },
	};
	struct run r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(objects) / sizeof(objects[0]); i++) {
		run_evnadm(&r, objects[i].object, "help", NULL);
		expect_help(&r, objects[i].usage);
		run_evnadm(&r, "-j", objects[i].object, "help", NULL);
		expect_help(&r, objects[i].usage);
		run_evnadm(&r, objects[i].object, "help", "me", NULL);
		expect_usage_error(&r, "extra argument \"me\"",
				   objects[i].usage);
		run_evnadm(&r, objects[i].object, "frob", NULL);
		expect_usage_error(&r, "unknown command \"frob\"",
				   objects[i].usage);
	}
	/* the help texts name every command */
	run_evnadm(&r, "target", "help", NULL);
	assert_non_null(strstr(r.out, "evnadm target del NAME\n"));
	assert_non_null(strstr(r.out, "evnadm target show [ NAME ]\n"));
	assert_non_null(strstr(r.out, "[ loss-timeout SECONDS ]"));
	run_free(&r);
	run_evnadm(&r, "volume", "help", NULL);
	assert_non_null(strstr(r.out, "EXTENT := TARGET:OFFSET:LENGTH\n"));
	assert_non_null(strstr(r.out, "evnadm volume del NAME\n"));
	assert_non_null(strstr(r.out, "evnadm volume show [ NAME ]\n"));
	assert_non_null(strstr(r.out,
		"evnadm volume create NAME layout stripe chunk SIZE column COLUMN [ column COLUMN ... ]\n"));
	assert_non_null(strstr(r.out, "COLUMN := EXTENT[,EXTENT...]\n"));
	assert_non_null(strstr(r.out,
		"evnadm volume grow NAME extent EXTENT [ extent EXTENT ... ]\n"));
	assert_non_null(strstr(r.out,
		"evnadm volume grow NAME column COLUMN [ column COLUMN ... ]\n"));
	assert_non_null(strstr(r.out, "/dev/evn0: 1G -> 3G"));
	run_free(&r);
	/* commands match in full only */
	run_evnadm(&r, "target", "sh", NULL);
	expect_usage_error(&r, "unknown command \"sh\"", TARGET_USAGE);
	run_evnadm(&r, "volume", "new", NULL);
	expect_usage_error(&r, "unknown command \"new\"", VOLUME_USAGE);
}

/*
 * Bad command lines of target and volume fail before the kernel is asked,
 * so these run the same with or without evn.ko: exit 2, the reason naming
 * the bad word, the object's usage, nothing on stdout.
 */
static void test_target_usage_errors(void **state)
{
	struct run r;

	(void)state;
	run_evnadm(&r, "target", "add", NULL);
	expect_usage_error(&r, "missing NAME", TARGET_USAGE);
	run_evnadm(&r, "target", "add", "t0", "addr", "1.2.3.4", NULL);
	expect_usage_error(&r, "missing \"nqn NQN\"", TARGET_USAGE);
	run_evnadm(&r, "target", "add", "t0", "addr", "1.2.3.4", "nqn", "n",
		   "port", "99999", NULL);
	expect_usage_error(&r,
			   "invalid port \"99999\": not a number from 1 to 65535",
			   TARGET_USAGE);
	run_evnadm(&r, "target", "add", "t0", "nqn", "n", "addr", "1.2.3.4",
		   "nqn", "m", NULL);
	expect_usage_error(&r, "duplicate keyword \"nqn\"", TARGET_USAGE);
	run_evnadm(&r, "target", "add", "t0", "addr", "1.2.3.4", "nqn", "n",
		   "trtype", "rdma", NULL);
	expect_usage_error(&r, "unknown keyword \"trtype\"", TARGET_USAGE);
	run_evnadm(&r, "target", "add", "t.0/x", NULL);
	expect_usage_error(&r,
			   "invalid target name \"t.0/x\": character '/' not allowed (only A-Z a-z 0-9 . _ -)",
			   TARGET_USAGE);
	run_evnadm(&r, "target", "del", NULL);
	expect_usage_error(&r, "missing NAME", TARGET_USAGE);
	run_evnadm(&r, "target", "del", "t0", "t1", NULL);
	expect_usage_error(&r, "extra argument \"t1\"", TARGET_USAGE);
	run_evnadm(&r, "target", "del", "-t0", NULL);
	expect_usage_error(&r,
			   "invalid target name \"-t0\": must not start with '-'",
			   TARGET_USAGE);
	run_evnadm(&r, "target", "show", "t0", "extra", NULL);
	expect_usage_error(&r, "extra argument \"extra\"", TARGET_USAGE);
	run_evnadm(&r, "target", "show", "", NULL);
	expect_usage_error(&r, "invalid target name \"\": empty",
			   TARGET_USAGE);
}

static void test_volume_usage_errors(void **state)
{
	struct run r;

	(void)state;
	run_evnadm(&r, "volume", "create", NULL);
	expect_usage_error(&r, "missing NAME", VOLUME_USAGE);
	run_evnadm(&r, "volume", "create", "v0", NULL);
	expect_usage_error(&r, "missing \"extent TARGET:OFFSET:LENGTH\"",
			   VOLUME_USAGE);
	run_evnadm(&r, "volume", "create", "v0", "extent", "t0:16E:1G", NULL);
	expect_usage_error(&r,
			   "invalid extent \"t0:16E:1G\": offset \"16E\" is too large (at most 2^64 - 1 bytes)",
			   VOLUME_USAGE);
	run_evnadm(&r, "volume", "create", "v0", "extent", "t0:0:1G",
		   "extent", "t0:1G:1Gx", NULL);
	expect_usage_error(&r,
			   "invalid extent \"t0:1G:1Gx\": bad length \"1Gx\" (a number of bytes, or with K, M, G, T, P, E)",
			   VOLUME_USAGE);
	run_evnadm(&r, "volume", "create", "v0", "extent", "t0:0:0", NULL);
	expect_usage_error(&r, "invalid extent \"t0:0:0\": length \"0\" is zero",
			   VOLUME_USAGE);
	run_evnadm(&r, "volume", "create", "v0", "layout", "stripe",
		   "column", "t0:0:1G", NULL);
	expect_usage_error(&r, "missing \"chunk SIZE\"", VOLUME_USAGE);
	run_evnadm(&r, "volume", "create", "v0", "layout", "stripe",
		   "chunk", "64K", "column", "t0:0:1G", "column", "t1:0:1G",
		   "column", "t2:0:1G,t0:x:1G", NULL);
	expect_usage_error(&r,
			   "invalid extent \"t0:x:1G\" in column 2: bad offset \"x\" (a number of bytes, or with K, M, G, T, P, E)",
			   VOLUME_USAGE);
	run_evnadm(&r, "volume", "create", "v0", "chunk", "64K", "extent",
		   "t0:0:1G", NULL);
	expect_usage_error(&r, "\"chunk 64K\" is for \"layout stripe\" only",
			   VOLUME_USAGE);
	run_evnadm(&r, "volume", "del", NULL);
	expect_usage_error(&r, "missing NAME", VOLUME_USAGE);
	run_evnadm(&r, "volume", "show", "v0", "v1", NULL);
	expect_usage_error(&r, "extra argument \"v1\"", VOLUME_USAGE);
	run_evnadm(&r, "volume", "del", "v:0", NULL);
	expect_usage_error(&r,
			   "invalid volume name \"v:0\": character ':' not allowed (only A-Z a-z 0-9 . _ -)",
			   VOLUME_USAGE);
}

/* grow checks its words before asking the kernel anything, as create does */
static void test_volume_grow_usage_errors(void **state)
{
	struct run r;

	(void)state;
	run_evnadm(&r, "volume", "grow", NULL);
	expect_usage_error(&r, "missing NAME", VOLUME_USAGE);
	run_evnadm(&r, "volume", "grow", "v0", NULL);
	expect_usage_error(&r,
			   "missing \"extent TARGET:OFFSET:LENGTH\" or \"column TARGET:OFFSET:LENGTH[,...]\"",
			   VOLUME_USAGE);
	run_evnadm(&r, "volume", "grow", "extent", "t0:0:1G", NULL);
	expect_usage_error(&r, "missing NAME before \"extent\"", VOLUME_USAGE);
	run_evnadm(&r, "volume", "grow", "column", "t0:0:1G", NULL);
	expect_usage_error(&r, "missing NAME before \"column\"", VOLUME_USAGE);
	run_evnadm(&r, "volume", "grow", "v0", "layout", "stripe", NULL);
	expect_usage_error(&r, "unknown keyword \"layout\"", VOLUME_USAGE);
	run_evnadm(&r, "volume", "grow", "v0", "extent", NULL);
	expect_usage_error(&r, "missing TARGET:OFFSET:LENGTH after \"extent\"",
			   VOLUME_USAGE);
	run_evnadm(&r, "volume", "grow", "v0", "extent", "t0:1G:1G",
		   "column", "t1:0:1G", NULL);
	expect_usage_error(&r,
			   "\"column t1:0:1G\" after \"extent\": grow a concat volume with \"extent\", a stripe with one \"column\" per column, not both",
			   VOLUME_USAGE);
	run_evnadm(&r, "volume", "grow", "v0", "extent", "t0:1G:0", NULL);
	expect_usage_error(&r, "invalid extent \"t0:1G:0\": length \"0\" is zero",
			   VOLUME_USAGE);
	run_evnadm(&r, "volume", "grow", "v0", "column", "t0:1G:1G",
		   "column", "t1:1G:1G,t1:x:1G", NULL);
	expect_usage_error(&r,
			   "invalid extent \"t1:x:1G\" in column 1: bad offset \"x\" (a number of bytes, or with K, M, G, T, P, E)",
			   VOLUME_USAGE);
}

/* evnadm_main() can run again and again in one process (getopt reset). */
static void test_reentrant(void **state)
{
	struct run r;
	int i;

	(void)state;
	for (i = 0; i < 3; i++) {
		run_evnadm(&r, "-j", "-x", NULL);
		expect_usage_error(&r, "unknown option \"-x\"", USAGE_HEAD);
		run_evnadm(&r, "-j", "help", NULL);
		expect_help(&r, USAGE_HEAD);
	}
}

static char *capture_error(bool warning, const char *msg)
{
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	if (warning)
		evn_pr_warning(f, "%s", msg);
	else
		evn_pr_error(f, "%s", msg);
	fclose(f);
	return text;
}

static void test_error_format(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "No such device",		"Error: No such device.\n" },
		{ "chunk size too big.",	"Error: chunk size too big.\n" },
		{ "ends with newline\n",	"Error: ends with newline.\n" },
		{ "",				"Error: .\n" },
	};
	size_t i;
	char *text;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		text = capture_error(false, cases[i].in);
		assert_string_equal(text, cases[i].out);
		free(text);
	}
	text = capture_error(true, "family version differs");
	assert_string_equal(text, "Warning: family version differs.\n");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_args),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_unknown_object),
		cmocka_unit_test(test_unknown_option),
		cmocka_unit_test(test_info_commands),
		cmocka_unit_test(test_object_help),
		cmocka_unit_test(test_target_usage_errors),
		cmocka_unit_test(test_volume_usage_errors),
		cmocka_unit_test(test_volume_grow_usage_errors),
		cmocka_unit_test(test_reentrant),
		cmocka_unit_test(test_error_format),
	};

	return cmocka_run_group_tests_name("evnadm_dispatch", tests, NULL, NULL);
}
