// SPDX-License-Identifier: GPL-2.0
/*
 * pool_test.c - unit tests of the pool object and its metadata I/O layer:
 * the command lines of pool create, add-target and import with their exact
 * messages (also through evnadm_main(), which must refuse them before it
 * asks the kernel anything), -H, the host NQN and where it comes from, the
 * choice of a pool among several, the order of the meta-writes of a slot
 * image (last piece first), whether a pool can be written, and the text,
 * JSON and summary output of a pool
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
#include <unistd.h>
#include <cmocka.h>

#include <json-c/json.h>
#include <uuid/uuid.h>

#include <linux/evn.h>

#include "alloc.h"
#include "meta.h"
#include "parse.h"
#include "pool.h"
#include "run.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define K		((uint64_t)1 << 10)
#define M		((uint64_t)1 << 20)

#define POOL_USAGE	"Usage: evnadm pool create NAME target TARGET"
#define HOST_A	"nqn.2014-08.org.nvmexpress:uuid:aaaaaaaa-0000-0000-0000-00000000000a"
#define HOST_B	"nqn.2014-08.org.nvmexpress:uuid:bbbbbbbb-0000-0000-0000-00000000000b"

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* usage error: reason line + usage on stderr, nothing on stdout, exit 2 */
static void expect_usage(struct run *r, const char *reason, const char *usage)
{
	char line[EVN_ERRLEN + 16];

	snprintf(line, sizeof(line), "evnadm: %s\n", reason);
	print_message("%s", r->err);
	assert_int_equal(r->rc, EVNADM_EXIT_USAGE);
	assert_string_equal(r->out, "");
	assert_true(starts_with(r->err, line));
	assert_true(starts_with(r->err + strlen(line), usage));
	run_free(r);
}

/* Collects NULL-terminated words into argv; returns argc. */
static int words(char **argv, size_t max, va_list ap)
{
	int argc = 0;

	while ((size_t)argc < max - 1 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	argv[argc] = NULL;
	return argc;
}

/* ---- pool create ---- */

static int create_args(struct evn_pool_create_args *a, char *err, ...)
{
	char *argv[32];
	va_list ap;
	int argc;

	va_start(ap, err);
	argc = words(argv, ARRAY_SIZE(argv), ap);
	va_end(ap);
	err[0] = '\0';
	return evn_pool_create_args(argc, argv, a, err, EVN_ERRLEN);
}

static void test_create_args(void **state)
{
	struct evn_pool_create_args a;
	char err[EVN_ERRLEN];

	(void)state;
	assert_int_equal(create_args(&a, err, "p1", "target", "t0", NULL), 0);
	assert_string_equal(a.name, "p1");
	assert_int_equal(a.nr_targets, 1);
	assert_string_equal(a.targets[0], "t0");
	assert_true(a.unit == 64 * M);
	assert_true(a.metadata_size == 16 * M);
	assert_false(a.force);
	evn_pool_create_args_free(&a);
	assert_null(a.targets);

	/* any order, every keyword */
	assert_int_equal(create_args(&a, err, "p1", "--force", "target", "t0",
				     "unit", "1G", "target", "t1",
				     "metadata", "1M", "target", "t2", NULL),
			 0);
	assert_int_equal(a.nr_targets, 3);
	assert_string_equal(a.targets[0], "t0");
	assert_string_equal(a.targets[1], "t1");
	assert_string_equal(a.targets[2], "t2");
	assert_true(a.unit == 1024 * M);
	assert_true(a.metadata_size == M);
	assert_true(a.force);
	evn_pool_create_args_free(&a);

	/* the limits */
	assert_int_equal(create_args(&a, err, "p", "target", "t", "unit",
				     "1M", "metadata", "1G", NULL), 0);
	assert_true(a.unit == M && a.metadata_size == 1024 * M);
	evn_pool_create_args_free(&a);
	assert_int_equal(create_args(&a, err, "p", "target", "t", "unit",
				     "4E", NULL), 0);
	assert_true(a.unit == (1ULL << 62));
	evn_pool_create_args_free(&a);
}

static void test_create_args_bad(void **state)
{
	static const struct {
		const char *argv[12];
		const char *err;
	} cases[] = {
		{ { NULL }, "missing NAME" },
		{ { "target", "t0", NULL }, "missing NAME before \"target\"" },
		{ { "--force", NULL }, "missing NAME before \"--force\"" },
		{ { "p:1", "target", "t0", NULL },
		  "invalid pool name \"p:1\": character ':' not allowed (only A-Z a-z 0-9 . _ -)" },
		{ { "p1", NULL }, "missing \"target TARGET\"" },
		{ { "p1", "--force", NULL }, "missing \"target TARGET\"" },
		{ { "p1", "target", NULL }, "missing TARGET after \"target\"" },
		{ { "p1", "target", "t0", "unit", NULL },
		  "missing SIZE after \"unit\"" },
		{ { "p1", "target", "t0", "metadata", NULL },
		  "missing SIZE after \"metadata\"" },
		{ { "p1", "target", "t0", "target", "t0", NULL },
		  "target \"t0\" given twice" },
		{ { "p1", "target", "-t0", NULL },
		  "invalid target name \"-t0\": must not start with '-'" },
		{ { "p1", "target", "t0", "unit", "64M", "unit", "1G", NULL },
		  "\"unit\" given twice (\"1G\")" },
		{ { "p1", "target", "t0", "metadata", "1M", "metadata", "2M",
		    NULL },
		  "\"metadata\" given twice (\"2M\")" },
		{ { "p1", "target", "t0", "unit", "64MB", NULL },
		  "invalid unit \"64MB\": not a size (a number of bytes, or with K, M, G, T, P, E)" },
		{ { "p1", "target", "t0", "unit", "96M", NULL },
		  "invalid unit \"96M\": not a power of two from 1M to 4E" },
		{ { "p1", "target", "t0", "unit", "512K", NULL },
		  "invalid unit \"512K\": not a power of two from 1M to 4E" },
		{ { "p1", "target", "t0", "unit", "8E", NULL },
		  "invalid unit \"8E\": not a power of two from 1M to 4E" },
		{ { "p1", "target", "t0", "unit", "16E", NULL },
		  "invalid unit \"16E\": not a power of two from 1M to 4E" },
		{ { "p1", "target", "t0", "metadata", "x", NULL },
		  "invalid metadata size \"x\": not a size (a number of bytes, or with K, M, G, T, P, E)" },
		{ { "p1", "target", "t0", "metadata", "1536K", NULL },
		  "invalid metadata size \"1536K\": not a multiple of 1M from 1M to 1G" },
		{ { "p1", "target", "t0", "metadata", "0", NULL },
		  "invalid metadata size \"0\": not a multiple of 1M from 1M to 1G" },
		{ { "p1", "target", "t0", "metadata", "2G", NULL },
		  "invalid metadata size \"2G\": not a multiple of 1M from 1M to 1G" },
		{ { "p1", "target", "t0", "size", "1G", NULL },
		  "unknown keyword \"size\"" },
		{ { "p1", "target", "t0", "--forec", NULL },
		  "unknown option \"--forec\"" },
	};
	struct evn_pool_create_args a;
	char err[EVN_ERRLEN];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int argc = 0;

		while (cases[i].argv[argc])
			argc++;
		print_message("case %zu: %s\n", i, cases[i].err);
		err[0] = '\0';
		assert_int_equal(evn_pool_create_args(argc,
						      (char **)cases[i].argv,
						      &a, err, sizeof(err)),
				 -EINVAL);
		assert_string_equal(err, cases[i].err);
		assert_null(a.targets);	/* nothing to free on failure */
	}
}

/* ---- pool add-target ---- */

static int add_args(struct evn_pool_add_args *a, char *err, ...)
{
	char *argv[32];
	va_list ap;
	int argc;

	va_start(ap, err);
	argc = words(argv, ARRAY_SIZE(argv), ap);
	va_end(ap);
	err[0] = '\0';
	return evn_pool_add_args(argc, argv, a, err, EVN_ERRLEN);
}

static void test_add_args(void **state)
{
	struct evn_pool_add_args a;
	char err[EVN_ERRLEN];

	(void)state;
	assert_int_equal(add_args(&a, err, "t3", NULL), 0);
	assert_string_equal(a.target, "t3");
	assert_null(a.pool);
	assert_false(a.force);
	assert_int_equal(add_args(&a, err, "pool", "p1", "t3", "--force",
				  NULL), 0);
	assert_string_equal(a.target, "t3");
	assert_string_equal(a.pool, "p1");
	assert_true(a.force);
	assert_int_equal(add_args(&a, err, "--force", "t3", "pool", "p1",
				  NULL), 0);
	assert_string_equal(a.target, "t3");
	assert_string_equal(a.pool, "p1");

	assert_int_equal(add_args(&a, err, NULL), -EINVAL);
	assert_string_equal(err, "missing TARGET");
	assert_int_equal(add_args(&a, err, "pool", "p1", NULL), -EINVAL);
	assert_string_equal(err, "missing TARGET");
	assert_int_equal(add_args(&a, err, "t3", "pool", NULL), -EINVAL);
	assert_string_equal(err, "missing NAME after \"pool\"");
	assert_int_equal(add_args(&a, err, "t3", "t4", NULL), -EINVAL);
	assert_string_equal(err, "extra argument \"t4\"");
	assert_int_equal(add_args(&a, err, "t3", "pool", "p1", "pool", "p2",
				  NULL), -EINVAL);
	assert_string_equal(err, "\"pool\" given twice (\"p2\")");
	assert_int_equal(add_args(&a, err, "t3", "-f", NULL), -EINVAL);
	assert_string_equal(err, "unknown option \"-f\"");
	assert_int_equal(add_args(&a, err, "t/3", NULL), -EINVAL);
	assert_string_equal(err,
		"invalid target name \"t/3\": character '/' not allowed (only A-Z a-z 0-9 . _ -)");
	assert_int_equal(add_args(&a, err, "pool", "p 1", "t3", NULL),
			 -EINVAL);
	assert_string_equal(err,
		"invalid pool name \"p 1\": character ' ' not allowed (only A-Z a-z 0-9 . _ -)");
}

/* ---- pool import ---- */

static int import_args(struct evn_pool_import_args *a, char *err, ...)
{
	char *argv[32];
	va_list ap;
	int argc;

	va_start(ap, err);
	argc = words(argv, ARRAY_SIZE(argv), ap);
	va_end(ap);
	err[0] = '\0';
	return evn_pool_import_args(argc, argv, a, err, EVN_ERRLEN);
}

static void test_import_args(void **state)
{
	struct evn_pool_import_args a;
	char err[EVN_ERRLEN];

	(void)state;
	assert_int_equal(import_args(&a, err, "192.0.2.1", "nqn", "nqn.x:y",
				     NULL), 0);
	assert_string_equal(a.traddr, "192.0.2.1");
	assert_string_equal(a.subsysnqn, "nqn.x:y");
	assert_int_equal(a.port, 4420);
	assert_int_equal(a.nsid, 1);
	assert_int_equal(import_args(&a, err, "fe80::1%eth0", "nsid", "7",
				     "port", "4421", "nqn", "nqn.x:y", NULL),
			 0);
	assert_string_equal(a.traddr, "fe80::1%eth0");
	assert_int_equal(a.port, 4421);
	assert_int_equal(a.nsid, 7);
}

static void test_import_args_bad(void **state)
{
	static const struct {
		const char *argv[10];
		const char *err;
	} cases[] = {
		{ { NULL }, "missing ADDR" },
		{ { "nqn", "nqn.x:y", NULL }, "missing ADDR before \"nqn\"" },
		{ { "192.0.2.1", NULL }, "missing \"nqn NQN\"" },
		{ { "192.0.2.1", "port", "4420", NULL }, "missing \"nqn NQN\"" },
		{ { "192.0.2.1", "nqn", NULL }, "missing value after \"nqn\"" },
		{ { "192.0.2.1", "nqn", "a", "nqn", "b", NULL },
		  "duplicate keyword \"nqn\"" },
		{ { "192.0.2.1", "nqn", "a", "port", "0", NULL },
		  "invalid port \"0\": not a number from 1 to 65535" },
		{ { "192.0.2.1", "nqn", "a", "port", "65536", NULL },
		  "invalid port \"65536\": not a number from 1 to 65535" },
		{ { "192.0.2.1", "nqn", "a", "nsid", "0", NULL },
		  "invalid nsid \"0\": not a number from 1 to 4294967294" },
		{ { "192.0.2.1", "nqn", "a b", NULL },
		  "invalid NQN \"a b\": character ' ' not allowed" },
		{ { "192.0.2.1", "nqn", "a", "name", "p1", NULL },
		  "unknown keyword \"name\"" },
		{ { "host.example", "nqn", "a", NULL },
		  "invalid address \"host.example\": not an IPv4 or IPv6 address" },
	};
	struct evn_pool_import_args a;
	char err[EVN_ERRLEN];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int argc = 0;

		while (cases[i].argv[argc])
			argc++;
		print_message("case %zu: %s\n", i, cases[i].err);
		err[0] = '\0';
		assert_int_equal(evn_pool_import_args(argc,
						      (char **)cases[i].argv,
						      &a, err, sizeof(err)),
				 -EINVAL);
		assert_string_equal(err, cases[i].err);
	}
}

/* The command lines, as evnadm runs them: refused before any request. */
static void test_cli_usage(void **state)
{
	struct run r;

	(void)state;
	run_evnadm(&r, "pool", "create", NULL);
	expect_usage(&r, "missing NAME", POOL_USAGE);
	run_evnadm(&r, "pool", "create", "p1", "target", "t0", "unit", "3M",
		   NULL);
	expect_usage(&r, "invalid unit \"3M\": not a power of two from 1M to 4E",
		     POOL_USAGE);
	run_evnadm(&r, "pool", "add-target", NULL);
	expect_usage(&r, "missing TARGET", POOL_USAGE);
	run_evnadm(&r, "pool", "import", "192.0.2.1", NULL);
	expect_usage(&r, "missing \"nqn NQN\"", POOL_USAGE);
	run_evnadm(&r, "pool", "show", "p1", "p2", NULL);
	expect_usage(&r, "extra argument \"p2\"", POOL_USAGE);
	run_evnadm(&r, "pool", "show", "p:1", NULL);
	expect_usage(&r,
		     "invalid pool name \"p:1\": character ':' not allowed (only A-Z a-z 0-9 . _ -)",
		     POOL_USAGE);
	run_evnadm(&r, "pool", "frob", NULL);
	expect_usage(&r, "unknown command \"frob\"", POOL_USAGE);

	/* -H takes an NQN, checked at once */
	run_evnadm(&r, "-H", "bad nqn", "pool", "show", NULL);
	expect_usage(&r, "-H: invalid NQN \"bad nqn\": character ' ' not allowed",
		     "Usage: evnadm [ OPTIONS ]");
	run_evnadm(&r, "--hostnqn", NULL);
	expect_usage(&r, "missing NQN after \"--hostnqn\"",
		     "Usage: evnadm [ OPTIONS ]");
	run_evnadm(&r, "-H", NULL);
	expect_usage(&r, "missing NQN after \"-H\"",
		     "Usage: evnadm [ OPTIONS ]");
	/* a good -H is taken, the usage error comes from the command */
	run_evnadm(&r, "-H", HOST_A, "pool", "create", NULL);
	expect_usage(&r, "missing NAME", POOL_USAGE);
	run_evnadm(&r, "--hostnqn=" HOST_A, "pool", "add-target", NULL);
	expect_usage(&r, "missing TARGET", POOL_USAGE);
}

static void test_help(void **state)
{
	struct run r;

	(void)state;
	run_evnadm(&r, "pool", "help", NULL);
	assert_int_equal(r.rc, EVNADM_EXIT_OK);
	assert_string_equal(r.err, "");
	assert_true(starts_with(r.out, POOL_USAGE));
	assert_non_null(strstr(r.out,
		"evnadm pool add-target [ pool NAME ] TARGET [ --force ]\n"));
	assert_non_null(strstr(r.out,
		"evnadm pool import ADDR [ port PORT ] nqn NQN [ nsid NSID ]\n"));
	assert_non_null(strstr(r.out, "evnadm pool show [ NAME ]\n"));
	run_free(&r);
	run_evnadm(&r, "help", NULL);
	assert_non_null(strstr(r.out, "-H, --hostnqn NQN"));
	assert_non_null(strstr(r.out, "$EVNADM_HOSTNQN"));
	assert_non_null(strstr(r.out, "/etc/nvme/hostnqn"));
	run_free(&r);
}

/* ---- the host NQN ---- */

static void test_hostnqn(void **state)
{
	char path[] = "/tmp/evnadm-hostnqn-XXXXXX";
	char buf[EVN_NQN_MAX + 1], err[EVN_ERRLEN];
	FILE *f;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fprintf(f, "%s  \n", HOST_B);
	fclose(f);

	/* -H first, then the environment, then the file, then the module */
	assert_int_equal(evn_pool_hostnqn(HOST_A, "nqn.env", path, "nqn.mod",
					  buf, sizeof(buf), err, sizeof(err)),
			 0);
	assert_string_equal(buf, HOST_A);
	assert_int_equal(evn_pool_hostnqn(NULL, "nqn.env", path, "nqn.mod",
					  buf, sizeof(buf), err, sizeof(err)),
			 0);
	assert_string_equal(buf, "nqn.env");
	assert_int_equal(evn_pool_hostnqn(NULL, "", path, "nqn.mod", buf,
					  sizeof(buf), err, sizeof(err)), 0);
	assert_string_equal(buf, HOST_B);	/* trimmed */
	assert_int_equal(evn_pool_hostnqn(NULL, NULL, "/nonexistent/hostnqn",
					  "nqn.mod", buf, sizeof(buf), err,
					  sizeof(err)), 0);
	assert_string_equal(buf, "nqn.mod");
	assert_int_equal(evn_pool_hostnqn(NULL, NULL, NULL, "nqn.mod", buf,
					  sizeof(buf), err, sizeof(err)), 0);
	assert_string_equal(buf, "nqn.mod");

	/* errors */
	assert_int_equal(evn_pool_hostnqn(NULL, NULL, "/nonexistent/hostnqn",
					  "", buf, sizeof(buf), err,
					  sizeof(err)), -EINVAL);
	assert_string_equal(err,
		"this host has no NQN: give one with -H NQN (or EVNADM_HOSTNQN)");
	assert_int_equal(evn_pool_hostnqn(NULL, "bad nqn", path, "nqn.mod",
					  buf, sizeof(buf), err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err,
		"EVNADM_HOSTNQN: invalid NQN \"bad nqn\": character ' ' not allowed");
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(evn_pool_hostnqn(NULL, NULL, path, "nqn.mod", buf,
					  sizeof(buf), err, sizeof(err)),
			 -EINVAL);
	snprintf(buf, sizeof(buf), "%s is empty", path);
	assert_string_equal(err, buf);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "nqn\tx\n");
	fclose(f);
	assert_int_equal(evn_pool_hostnqn(NULL, NULL, path, "nqn.mod", buf,
					  sizeof(buf), err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, ": invalid NQN \"nqn\tx\": character"));
	unlink(path);
}

/* ---- choosing a pool ---- */

static void pool_id(struct evn_pool_id *id, const char *name,
		    const char *uuid)
{
	snprintf(id->name, sizeof(id->name), "%s", name);
	assert_int_equal(uuid_parse(uuid, id->uuid), 0);
}

static void test_select(void **state)
{
	struct evn_pool_id pools[4];
	char err[EVN_ERRLEN];
	size_t idx = 99;

	(void)state;
	pool_id(&pools[0], "p1", "11111111-1111-4111-8111-111111111111");
	pool_id(&pools[1], "p2", "22222222-2222-4222-8222-222222222222");
	pool_id(&pools[2], "p3", "33333333-3333-4333-8333-333333333333");
	pool_id(&pools[3], "p1", "44444444-4444-4444-8444-444444444444");

	assert_int_equal(evn_pool_select(pools, 0, NULL, &idx, err,
					 sizeof(err)), -ENOENT);
	assert_string_equal(err,
		"no pool found: no connected target carries an evn pool label (evnadm pool create makes one, evnadm pool import finds one)");
	assert_int_equal(evn_pool_select(pools, 0, "p1", &idx, err,
					 sizeof(err)), -ENOENT);

	/* one pool: the default */
	assert_int_equal(evn_pool_select(pools + 1, 1, NULL, &idx, err,
					 sizeof(err)), 0);
	assert_int_equal(idx, 0);
	assert_int_equal(evn_pool_select(pools + 1, 1, "p1", &idx, err,
					 sizeof(err)), -ENOENT);
	assert_string_equal(err, "no pool \"p1\" (loaded: p2)");

	/* several: a name is needed */
	assert_int_equal(evn_pool_select(pools, 3, NULL, &idx, err,
					 sizeof(err)), -EINVAL);
	assert_string_equal(err,
		"3 pools are loaded (p1, p2, p3): choose one with \"pool NAME\"");
	assert_int_equal(evn_pool_select(pools, 3, "p3", &idx, err,
					 sizeof(err)), 0);
	assert_int_equal(idx, 2);
	assert_int_equal(evn_pool_select(pools, 3, "p2", &idx, err,
					 sizeof(err)), 0);
	assert_int_equal(idx, 1);
	assert_int_equal(evn_pool_select(pools, 3, "p4", &idx, err,
					 sizeof(err)), -ENOENT);
	assert_string_equal(err, "no pool \"p4\" (loaded: p1, p2, p3)");

	/* two pools of one name: by UUID, in any case */
	assert_int_equal(evn_pool_select(pools, 4, "p1", &idx, err,
					 sizeof(err)), -EINVAL);
	assert_string_equal(err,
		"2 pools are named \"p1\" (11111111-1111-4111-8111-111111111111, 44444444-4444-4444-8444-444444444444): choose one by its UUID");
	assert_int_equal(evn_pool_select(pools, 4,
					 "44444444-4444-4444-8444-444444444444",
					 &idx, err, sizeof(err)), 0);
	assert_int_equal(idx, 3);
	assert_int_equal(evn_pool_select(pools, 4,
					 "22222222-2222-4222-8222-222222222222",
					 &idx, err, sizeof(err)), 0);
	assert_int_equal(idx, 1);
}

/* ---- the order of meta-writes ---- */

static void test_pieces(void **state)
{
	static const struct {
		size_t len;
		size_t n;
		size_t at[4];
		size_t plen[4];
	} cases[] = {
		{ 4 * K, 1, { 0 }, { 4 * K } },
		{ 32 * K, 1, { 0 }, { 32 * K } },
		{ 36 * K, 2, { 32 * K, 0 }, { 4 * K, 32 * K } },
		{ 64 * K, 2, { 32 * K, 0 }, { 32 * K, 32 * K } },
		{ 72 * K, 3, { 64 * K, 32 * K, 0 },
		  { 8 * K, 32 * K, 32 * K } },
		{ 128 * K, 4, { 96 * K, 64 * K, 32 * K, 0 },
		  { 32 * K, 32 * K, 32 * K, 32 * K } },
	};
	struct evn_pool_piece p[8];
	size_t i, j;

	(void)state;
	assert_int_equal(EVN_META_IO_MAX, 32 * K);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const uint64_t base = 4096 + 8384512;	/* slot 1, 16M area */
		size_t covered = 0;

		print_message("image of %zu bytes\n", cases[i].len);
		assert_int_equal(evn_pool_pieces(base, cases[i].len, NULL, 0),
				 cases[i].n);
		assert_int_equal(evn_pool_pieces(base, cases[i].len, p,
						 ARRAY_SIZE(p)), cases[i].n);
		for (j = 0; j < cases[i].n; j++) {
			assert_int_equal(p[j].at, cases[i].at[j]);
			assert_int_equal(p[j].len, cases[i].plen[j]);
			assert_true(p[j].offset == base + p[j].at);
			assert_true(p[j].len <= EVN_META_IO_MAX);
			assert_int_equal(p[j].len % 4096, 0);
			covered += p[j].len;
		}
		/* the header, in the first 4 KiB, goes last */
		assert_int_equal(p[cases[i].n - 1].at, 0);
		assert_int_equal(covered, cases[i].len);
	}
	/* only @max are filled */
	memset(p, 0xff, sizeof(p));
	assert_int_equal(evn_pool_pieces(0, 128 * K, p, 1), 4);
	assert_int_equal(p[0].at, 96 * K);
	assert_int_equal(p[1].at, (size_t)-1);
}

/* ---- a pool to look at ---- */

/* Kernel targets for the test pool; state and names set per test. */
static struct evn_target ktargets[3];

static void kernel_target(struct evn_target *kt, const char *name,
			  uint32_t state)
{
	memset(kt, 0, sizeof(*kt));
	snprintf(kt->name, sizeof(kt->name), "%s", name);
	kt->state = state;
	kt->have = EVN_HAVE(EVN_A_TARGET_NAME) | EVN_HAVE(EVN_A_TARGET_STATE);
}

/*
 * Pool "p1", unit 64M, metadata 16M, targets t0..t2 of 1G (t2 on IPv6),
 * all live and labeled; volumes "data", a stripe of 3 x 192M, held by
 * HOST_A, and "logs", a concat of 64M, held by nobody.
 */
static void make_pool(struct evn_pool *p)
{
	static const char *const uuids[] = {
		"aaaaaaaa-0000-4000-8000-000000000000",
		"aaaaaaaa-0000-4000-8000-000000000001",
		"aaaaaaaa-0000-4000-8000-000000000002",
	};
	struct evn_alloc_request req = { 0 };
	char err[EVN_ERRLEN];
	uint64_t size;
	size_t i;

	memset(p, 0, sizeof(*p));
	snprintf(p->table.name, sizeof(p->table.name), "p1");
	assert_int_equal(uuid_parse("11111111-1111-4111-8111-111111111111",
				    p->table.uuid), 0);
	p->table.unit = 64 * M;
	p->table.metadata_size = 16 * M;
	p->table.targets = calloc(3, sizeof(*p->table.targets));
	p->members = calloc(3, sizeof(*p->members));
	assert_non_null(p->table.targets);
	assert_non_null(p->members);
	for (i = 0; i < 3; i++) {
		struct evn_pool_target *t = &p->table.targets[i];

		snprintf(t->name, sizeof(t->name), "t%zu", i);
		assert_int_equal(uuid_parse(uuids[i], t->uuid), 0);
		if (i == 2)
			snprintf(t->traddr, sizeof(t->traddr), "fd00::3");
		else
			snprintf(t->traddr, sizeof(t->traddr), "192.0.2.%zu",
				 i + 1);
		t->trsvcid = 4420;
		snprintf(t->subnqn, sizeof(t->subnqn), "nqn.2026-11.io.evn:t%zu",
			 i);
		t->nsid = 1;
		t->capacity = 1024 * M;
		t->lba_size = 512;
		kernel_target(&ktargets[i], t->name, EVN_TARGET_STATE_LIVE);
		p->members[i].kt = &ktargets[i];
		p->members[i].labeled = true;
	}
	p->table.nr_targets = 3;
	p->generation = 7;

	req.name = "data";
	req.size = 576 * M;
	req.layout = EVN_VOLUME_LAYOUT_STRIPE;
	req.chunk = 128 * K;
	assert_int_equal(uuid_parse("bbbbbbbb-0000-4000-8000-000000000001",
				    req.uuid), 0);
	assert_int_equal(evn_alloc_volume(&p->table, &req, &size, err,
					  sizeof(err)), 0);
	snprintf(p->table.volumes[0].holder,
		 sizeof(p->table.volumes[0].holder), "%s", HOST_A);
	memset(&req, 0, sizeof(req));
	req.name = "logs";
	req.size = 64 * M;
	assert_int_equal(uuid_parse("bbbbbbbb-0000-4000-8000-000000000002",
				    req.uuid), 0);
	assert_int_equal(evn_alloc_volume(&p->table, &req, &size, err,
					  sizeof(err)), 0);
}

/* The kernel maps "data" read-only here as evn3. */
static void make_kvols(struct evn_volume_list *l, struct evn_volume *v)
{
	memset(v, 0, sizeof(*v));
	snprintf(v->name, sizeof(v->name), "data");
	snprintf(v->device, sizeof(v->device), "evn3");
	v->id = 3;
	v->read_only = 1;
	v->have = EVN_HAVE(EVN_A_VOLUME_NAME) | EVN_HAVE(EVN_A_VOLUME_DEVICE) |
		  EVN_HAVE(EVN_A_VOLUME_ID) | EVN_HAVE(EVN_A_VOLUME_READ_ONLY);
	l->v = v;
	l->n = 1;
	l->cap = 1;
}

static void test_writable(void **state)
{
	char err[EVN_ERRLEN];
	struct evn_pool p;

	(void)state;
	make_pool(&p);
	assert_int_equal(evn_pool_writable(&p, err, sizeof(err)), 0);

	ktargets[1].state = EVN_TARGET_STATE_CONNECTING;
	assert_int_equal(evn_pool_writable(&p, err, sizeof(err)), -ENOTCONN);
	assert_string_equal(err,
		"target t1 is not connected: the pool's metadata cannot be updated on every target");
	ktargets[1].state = EVN_TARGET_STATE_LIVE;

	p.members[2].kt = NULL;
	assert_int_equal(evn_pool_writable(&p, err, sizeof(err)), -ENOTCONN);
	assert_string_equal(err,
		"target t2 is not connected: the pool's metadata cannot be updated on every target");
	p.members[2].kt = &ktargets[2];

	snprintf(ktargets[0].name, sizeof(ktargets[0].name), "srv0");
	p.members[0].labeled = false;
	assert_int_equal(evn_pool_writable(&p, err, sizeof(err)), -ENOTCONN);
	assert_string_equal(err,
		"target t0 is connected as \"srv0\" without the pool's metadata area: the pool's metadata cannot be updated on every target (evnadm pool import sets it up)");
	evn_pool_free(&p);
	assert_null(p.members);
}

static void test_member_index(void **state)
{
	unsigned char uuid[EVN_UUID_LEN];
	struct evn_pool p;

	(void)state;
	make_pool(&p);
	assert_int_equal(uuid_parse("aaaaaaaa-0000-4000-8000-000000000002",
				    uuid), 0);
	assert_int_equal(evn_pool_member_index(&p, uuid), 2);
	uuid[15] = 9;
	assert_int_equal(evn_pool_member_index(&p, uuid), -1);
	evn_pool_free(&p);
}

/* ---- output ---- */

static const char show_text[] =
	"pool:            p1\n"
	"uuid:            11111111-1111-4111-8111-111111111111\n"
	"unit:            64M (67108864)\n"
	"metadata size:   16M (16777216)\n"
	"generation:      7\n"
	"free:            2.2G of 3G\n"
	"this host:       " HOST_A "\n"
	"targets:         3\n"
	"volumes:         2\n"
	"\n"
	"TARGET          ADDRESS         STATE       CAPACITY  USED  FREE\n"
	"t0              192.0.2.1:4420  live              1G  256M  704M\n"
	"t1 (here srv1)  192.0.2.2:4420  connecting        1G  192M  768M\n"
	"t2              [fd00::3]:4420  absent            1G  192M  768M\n"
	"\n"
	"VOLUME  SIZE  LAYOUT         MAPPED          HOLDER\n"
	"data    576M  stripe 3x128K  /dev/evn3 (ro)  " HOST_A " (this host)\n"
	"logs     64M  concat         -               -\n";

static void test_print(void **state)
{
	struct evn_volume_list kvols;
	struct evn_volume kv;
	struct evn_pool p;
	char *text = NULL;
	size_t len;
	FILE *f;

	(void)state;
	make_pool(&p);
	make_kvols(&kvols, &kv);
	snprintf(ktargets[1].name, sizeof(ktargets[1].name), "srv1");
	ktargets[1].state = EVN_TARGET_STATE_CONNECTING;
	p.members[1].labeled = false;
	p.members[2].kt = NULL;
	p.members[2].labeled = false;

	f = open_memstream(&text, &len);
	assert_non_null(f);
	assert_int_equal(evn_pool_print(f, &p, &kvols, HOST_A), 0);
	fclose(f);
	print_message("%s", text);
	assert_string_equal(text, show_text);
	free(text);

	/* another host: no marker; no volumes: no volume table */
	f = open_memstream(&text, &len);
	assert_non_null(f);
	assert_int_equal(evn_pool_print(f, &p, NULL, HOST_B), 0);
	fclose(f);
	assert_non_null(strstr(text, "data    576M  stripe 3x128K  -       " HOST_A "\n"));
	assert_null(strstr(text, "(this host)"));
	free(text);
	evn_pool_free(&p);
}

static void test_summary(void **state)
{
	struct evn_pool p;
	char *text = NULL;
	size_t len;
	FILE *f;

	(void)state;
	make_pool(&p);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	evn_pool_summary(f, &p);
	fclose(f);
	assert_string_equal(text,
		"pool:            p1 (11111111-1111-4111-8111-111111111111)\n"
		"generation:      7\n"
		"targets:         t0 t1 t2\n"
		"volumes:         data logs\n");
	free(text);

	ktargets[0].state = EVN_TARGET_STATE_CONNECTING;
	p.members[2].kt = NULL;
	evn_alloc_delete(&p.table, "data", NULL, 0);
	evn_alloc_delete(&p.table, "logs", NULL, 0);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	evn_pool_summary(f, &p);
	fclose(f);
	assert_string_equal(text,
		"pool:            p1 (11111111-1111-4111-8111-111111111111)\n"
		"generation:      7\n"
		"targets:         t0 t1 t2\n"
		"not connected:   t0 t2\n"
		"volumes:         none\n");
	free(text);
	evn_pool_free(&p);
}

static struct json_object *member(struct json_object *obj, const char *key)
{
	struct json_object *val = NULL;

	assert_true(json_object_object_get_ex(obj, key, &val));
	return val;
}

static uint64_t member_u64(struct json_object *obj, const char *key)
{
	return json_object_get_uint64(member(obj, key));
}

static const char *member_str(struct json_object *obj, const char *key)
{
	return json_object_get_string(member(obj, key));
}

static void test_json(void **state)
{
	struct json_object *obj, *arr, *t, *v, *e;
	struct evn_volume_list kvols;
	struct evn_volume kv;
	struct evn_pool p;
	uint64_t used = 0;
	size_t i;

	(void)state;
	make_pool(&p);
	make_kvols(&kvols, &kv);
	p.members[2].kt = NULL;
	p.members[2].labeled = false;
	obj = evn_pool_json(&p, &kvols, HOST_A);
	assert_non_null(obj);
	print_message("%s\n", json_object_to_json_string(obj));

	assert_string_equal(member_str(obj, "name"), "p1");
	assert_string_equal(member_str(obj, "uuid"),
			    "11111111-1111-4111-8111-111111111111");
	assert_true(member_u64(obj, "unit") == 64 * M);
	assert_true(member_u64(obj, "metadata_size") == 16 * M);
	assert_true(member_u64(obj, "generation") == 7);
	assert_string_equal(member_str(obj, "hostnqn"), HOST_A);
	assert_true(member_u64(obj, "capacity") == 3072 * M);
	assert_true(member_u64(obj, "free") == 2240 * M);

	arr = member(obj, "targets");
	assert_int_equal(json_object_array_length(arr), 3);
	t = json_object_array_get_idx(arr, 0);
	assert_string_equal(member_str(t, "name"), "t0");
	assert_string_equal(member_str(t, "uuid"),
			    "aaaaaaaa-0000-4000-8000-000000000000");
	assert_string_equal(member_str(t, "addr"), "192.0.2.1");
	assert_int_equal(member_u64(t, "port"), 4420);
	assert_string_equal(member_str(t, "subsysnqn"), "nqn.2026-11.io.evn:t0");
	assert_int_equal(member_u64(t, "nsid"), 1);
	assert_int_equal(member_u64(t, "lba_size"), 512);
	assert_true(member_u64(t, "capacity") == 1024 * M);
	assert_true(member_u64(t, "used") == 256 * M);
	assert_true(member_u64(t, "free") == 704 * M);
	assert_string_equal(member_str(t, "state"), "live");
	assert_string_equal(member_str(t, "kernel_name"), "t0");
	assert_true(json_object_get_boolean(member(t, "metadata")));
	t = json_object_array_get_idx(arr, 2);
	assert_string_equal(member_str(t, "state"), "absent");
	assert_null(member(t, "kernel_name"));
	assert_false(json_object_get_boolean(member(t, "metadata")));

	arr = member(obj, "volumes");
	assert_int_equal(json_object_array_length(arr), 2);
	v = json_object_array_get_idx(arr, 0);
	assert_string_equal(member_str(v, "name"), "data");
	assert_string_equal(member_str(v, "uuid"),
			    "bbbbbbbb-0000-4000-8000-000000000001");
	assert_true(member_u64(v, "size") == 576 * M);
	assert_string_equal(member_str(v, "layout"), "stripe");
	assert_int_equal(member_u64(v, "columns"), 3);
	assert_int_equal(member_u64(v, "chunk"), 128 * K);
	assert_string_equal(member_str(v, "holder"), HOST_A);
	assert_true(json_object_get_boolean(member(v, "mapped")));
	assert_string_equal(member_str(v, "device"), "/dev/evn3");
	assert_true(json_object_get_boolean(member(v, "read_only")));
	arr = member(v, "extents");
	assert_int_equal(json_object_array_length(arr),
			 p.table.volumes[0].nr_extents);
	for (i = 0; i < json_object_array_length(arr); i++) {
		const struct evn_pool_extent *pe =
			&p.table.volumes[0].extents[i];

		e = json_object_array_get_idx(arr, i);
		assert_string_equal(member_str(e, "target"),
			evn_pool_table_target(&p.table, pe->target)->name);
		assert_true(member_u64(e, "offset") == pe->offset);
		assert_true(member_u64(e, "length") == pe->length);
		assert_int_equal(member_u64(e, "column"), pe->column);
		used += pe->length;
	}
	assert_true(used == 576 * M);

	v = json_object_array_get_idx(member(obj, "volumes"), 1);
	assert_string_equal(member_str(v, "name"), "logs");
	assert_string_equal(member_str(v, "layout"), "concat");
	assert_int_equal(member_u64(v, "columns"), 1);
	assert_false(json_object_object_get_ex(v, "chunk", NULL));
	assert_null(member(v, "holder"));
	assert_false(json_object_get_boolean(member(v, "mapped")));
	assert_null(member(v, "device"));
	assert_null(member(v, "read_only"));
	json_object_put(obj);

	/* no host NQN: null */
	obj = evn_pool_json(&p, NULL, NULL);
	assert_non_null(obj);
	assert_null(member(obj, "hostnqn"));
	json_object_put(obj);
	evn_pool_free(&p);
}

static void test_free_format(void **state)
{
	char buf[EVN_SIZE_STRLEN];
	struct evn_pool p;

	(void)state;
	make_pool(&p);
	evn_pool_free_format(&p, buf, sizeof(buf));
	assert_string_equal(buf, "2.2G");
	evn_pool_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_args),
		cmocka_unit_test(test_create_args_bad),
		cmocka_unit_test(test_add_args),
		cmocka_unit_test(test_import_args),
		cmocka_unit_test(test_import_args_bad),
		cmocka_unit_test(test_cli_usage),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_hostnqn),
		cmocka_unit_test(test_select),
		cmocka_unit_test(test_pieces),
		cmocka_unit_test(test_writable),
		cmocka_unit_test(test_member_index),
		cmocka_unit_test(test_print),
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_free_format),
	};

	return cmocka_run_group_tests_name("evn_pool", tests, NULL, NULL);
}
