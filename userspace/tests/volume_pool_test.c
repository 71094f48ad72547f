// SPDX-License-Identifier: GPL-2.0
/*
 * volume_pool_test.c - unit tests of the pool-mode volume commands: the
 * command lines of create by size, map, unmap, del and grow by size with
 * their exact messages (also through evnadm_main(), refused before any
 * request), the choice between the pool and the explicit forms, the
 * read-write holder decisions and their messages, the volume-new request
 * built from a pool volume (kernel target names, columns, read-only), and
 * the grow output
 */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <uuid/uuid.h>

#include <linux/evn.h>

#include "alloc.h"
#include "meta.h"
#include "parse.h"
#include "pool.h"
#include "run.h"
#include "volume.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define K		((uint64_t)1 << 10)
#define M		((uint64_t)1 << 20)
#define G		((uint64_t)1 << 30)
#define FAKE_FAMILY_ID	0x22

#define VOLUME_USAGE	"Usage: evnadm volume create NAME [ layout concat ] extent EXTENT"
#define HOST_A	"nqn.2014-08.org.nvmexpress:uuid:aaaaaaaa-0000-0000-0000-00000000000a"
#define HOST_B	"nqn.2014-08.org.nvmexpress:uuid:bbbbbbbb-0000-0000-0000-00000000000b"

typedef int (*parse_fn)(int argc, char **argv, struct evn_volume_pool_args *a,
			char *errbuf, size_t errlen);

/* A parse of NULL-terminated words with @fn. */
static int parse(parse_fn fn, struct evn_volume_pool_args *a, char *err, ...)
{
	char *argv[32];
	int argc = 0;
	va_list ap;

	va_start(ap, err);
	while ((argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	err[0] = '\0';
	return fn(argc, argv, a, err, EVN_ERRLEN);
}

struct bad_case {
	const char *argv[12];
	const char *err;
};

static void check_bad(parse_fn fn, const struct bad_case *cases, size_t n)
{
	struct evn_volume_pool_args a;
	char err[EVN_ERRLEN];
	size_t i;

	for (i = 0; i < n; i++) {
		int argc = 0;

		while (cases[i].argv[argc])
			argc++;
		print_message("case %zu: %s\n", i, cases[i].err);
		err[0] = '\0';
		assert_int_equal(fn(argc, (char **)cases[i].argv, &a, err,
				    sizeof(err)), -EINVAL);
		assert_string_equal(err, cases[i].err);
	}
}

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static void expect_usage(struct run *r, const char *reason)
{
	char line[EVN_ERRLEN + 16];

	snprintf(line, sizeof(line), "evnadm: %s\n", reason);
	print_message("%s", r->err);
	assert_int_equal(r->rc, EVNADM_EXIT_USAGE);
	assert_string_equal(r->out, "");
	assert_true(starts_with(r->err, line));
	assert_true(starts_with(r->err + strlen(line), VOLUME_USAGE));
	run_free(r);
}

/* ---- which form ---- */

static void test_pool_mode(void **state)
{
	static const struct {
		const char *argv[8];
		bool pool;
	} cases[] = {
		{ { "v0", "size", "1G", NULL }, true },
		{ { "v0", "layout", "stripe", "size", "1G", NULL }, true },
		{ { "v0", "extent", "t0:0:1G", NULL }, false },
		{ { "size", "extent", "t0:0:1G", NULL }, false },
		{ { "size", "1G", NULL }, true },
		{ { "size", "1G", "layout", "stripe", NULL }, true },
		{ { "size", "size", "1G", NULL }, true },
		{ { "v0", "size", NULL }, true },
		{ { "v0", NULL }, false },
		{ { NULL }, false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int argc = 0;

		while (cases[i].argv[argc])
			argc++;
		assert_int_equal(evn_volume_pool_mode(argc,
						      (char **)cases[i].argv),
				 cases[i].pool);
	}
}

/* ---- create NAME size SIZE ---- */

static void test_size_args(void **state)
{
	struct evn_volume_pool_args a;
	char err[EVN_ERRLEN];

	(void)state;
	assert_int_equal(parse(evn_volume_size_args, &a, err, "v0", "size",
			       "1G", NULL), 0);
	assert_string_equal(a.name, "v0");
	assert_true(a.size == G);
	assert_int_equal(a.layout, EVN_VOLUME_LAYOUT_CONCAT);
	assert_int_equal(a.columns, 0);
	assert_int_equal(a.chunk, 0);
	assert_null(a.pool);
	assert_false(a.grow_by);

	assert_int_equal(parse(evn_volume_size_args, &a, err, "v0", "pool",
			       "p2", "chunk", "64K", "layout", "stripe",
			       "columns", "3", "size", "3G", NULL), 0);
	assert_true(a.size == 3 * G);
	assert_int_equal(a.layout, EVN_VOLUME_LAYOUT_STRIPE);
	assert_int_equal(a.columns, 3);
	assert_int_equal(a.chunk, 64 * K);
	assert_string_equal(a.pool, "p2");

	assert_int_equal(parse(evn_volume_size_args, &a, err, "v0", "size",
			       "512M", "layout", "concat", NULL), 0);
	assert_int_equal(a.layout, EVN_VOLUME_LAYOUT_CONCAT);
	/* a volume may be called "size" */
	assert_int_equal(parse(evn_volume_size_args, &a, err, "size", "size",
			       "1G", NULL), 0);
	assert_string_equal(a.name, "size");
}

static void test_size_args_bad(void **state)
{
	static const struct bad_case cases[] = {
		{ { NULL }, "missing NAME" },
		{ { "size", "1G", NULL }, "missing NAME before \"size\"" },
		{ { "v:0", "size", "1G", NULL },
		  "invalid volume name \"v:0\": character ':' not allowed (only A-Z a-z 0-9 . _ -)" },
		{ { "v0", "layout", "stripe", NULL }, "missing \"size SIZE\"" },
		{ { "v0", "size", NULL }, "missing SIZE after \"size\"" },
		{ { "v0", "size", "1G", "layout", NULL },
		  "missing LAYOUT after \"layout\"" },
		{ { "v0", "size", "1G", "columns", NULL },
		  "missing N after \"columns\"" },
		{ { "v0", "size", "1G", "pool", NULL },
		  "missing POOL after \"pool\"" },
		{ { "v0", "size", "1G", "size", "2G", NULL },
		  "\"size\" given twice (\"2G\")" },
		{ { "v0", "size", "1GB", NULL },
		  "invalid size \"1GB\": not a size (a number of bytes, or with K, M, G, T, P, E)" },
		{ { "v0", "size", "+1G", NULL },
		  "invalid size \"+1G\": not a size (a number of bytes, or with K, M, G, T, P, E)" },
		{ { "v0", "size", "0", NULL }, "invalid size \"0\": zero" },
		{ { "v0", "size", "8E", NULL },
		  "invalid size \"8E\": larger than 2^63 - 1 bytes" },
		{ { "v0", "size", "16E", NULL },
		  "invalid size \"16E\": larger than 2^63 - 1 bytes" },
		{ { "v0", "size", "1G", "layout", "mirror", NULL },
		  "invalid layout \"mirror\" (concat or stripe)" },
		{ { "v0", "size", "1G", "layout", "stripe", "columns", "0",
		    NULL },
		  "invalid columns \"0\": not a number from 1 to 4294967295" },
		{ { "v0", "size", "1G", "layout", "stripe", "columns", "x",
		    NULL },
		  "invalid columns \"x\": not a number from 1 to 4294967295" },
		{ { "v0", "size", "1G", "layout", "stripe", "chunk", "96K",
		    NULL },
		  "invalid chunk \"96K\": not a power of two from 4K to 16M" },
		{ { "v0", "size", "1G", "layout", "stripe", "chunk", "x",
		    NULL },
		  "invalid chunk \"x\": not a size (a number of bytes, or with K, M, G, T, P, E)" },
		{ { "v0", "size", "1G", "columns", "2", NULL },
		  "\"columns 2\" is for \"layout stripe\" only" },
		{ { "v0", "size", "1G", "chunk", "64K", NULL },
		  "\"chunk 64K\" is for \"layout stripe\" only" },
		{ { "v0", "size", "1G", "extent", "t0:0:1G", NULL },
		  "\"extent\" gives an explicit map and \"size\" a pool volume: use one or the other" },
		{ { "v0", "column", "t0:0:1G", "size", "1G", NULL },
		  "\"column\" gives an explicit map and \"size\" a pool volume: use one or the other" },
		{ { "v0", "size", "1G", "ro", NULL },
		  "unknown keyword \"ro\"" },
		{ { "v0", "size", "1G", "--force", NULL },
		  "unknown option \"--force\"" },
		{ { "v0", "size", "1G", "pool", "p/1", NULL },
		  "invalid pool name \"p/1\": character '/' not allowed (only A-Z a-z 0-9 . _ -)" },
	};

	(void)state;
	check_bad(evn_volume_size_args, cases, ARRAY_SIZE(cases));
}

/* ---- map, unmap, del ---- */

static void test_map_args(void **state)
{
	static const struct bad_case cases[] = {
		{ { NULL }, "missing NAME" },
		{ { "v0", "ro", "rw", NULL },
		  "\"rw\" after \"ro\": give ro or rw once" },
		{ { "v0", "rw", "rw", NULL },
		  "\"rw\" after \"rw\": give ro or rw once" },
		{ { "v0", "ro", "--force", NULL },
		  "\"--force\" takes over a read-write map: it does not go with \"ro\"" },
		{ { "v0", "rx", NULL }, "extra argument \"rx\"" },
		{ { "v0", "-f", NULL }, "unknown option \"-f\"" },
		{ { "v0", "pool", NULL }, "missing POOL after \"pool\"" },
		{ { "v0", "pool", "p1", "pool", "p2", NULL },
		  "\"pool\" given twice (\"p2\")" },
		{ { "v0", "size", "1G", NULL }, "extra argument \"size\"" },
		{ { "-v0", NULL },
		  "invalid volume name \"-v0\": must not start with '-'" },
	};
	struct evn_volume_pool_args a;
	char err[EVN_ERRLEN];

	(void)state;
	assert_int_equal(parse(evn_volume_map_args, &a, err, "v0", NULL), 0);
	assert_string_equal(a.name, "v0");
	assert_false(a.read_only);
	assert_false(a.force);
	assert_null(a.pool);
	assert_int_equal(parse(evn_volume_map_args, &a, err, "v0", "ro",
			       NULL), 0);
	assert_true(a.read_only);
	assert_int_equal(parse(evn_volume_map_args, &a, err, "v0", "--force",
			       "rw", "pool", "p1", NULL), 0);
	assert_false(a.read_only);
	assert_true(a.force);
	assert_string_equal(a.pool, "p1");
	check_bad(evn_volume_map_args, cases, ARRAY_SIZE(cases));
}

static void test_unmap_del_args(void **state)
{
	static const struct bad_case unmap[] = {
		{ { NULL }, "missing NAME" },
		{ { "v0", "v1", NULL }, "extra argument \"v1\"" },
		{ { "v0", "--force", NULL }, "unknown option \"--force\"" },
		{ { "v0", "ro", NULL }, "extra argument \"ro\"" },
	};
	static const struct bad_case del[] = {
		{ { NULL }, "missing NAME" },
		{ { "v0", "v1", NULL }, "extra argument \"v1\"" },
		{ { "v0", "--forc", NULL }, "unknown option \"--forc\"" },
		{ { "v0", "pool", NULL }, "missing POOL after \"pool\"" },
	};
	struct evn_volume_pool_args a;
	char err[EVN_ERRLEN];

	(void)state;
	assert_int_equal(parse(evn_volume_unmap_args, &a, err, "v0", NULL), 0);
	assert_string_equal(a.name, "v0");
	assert_int_equal(parse(evn_volume_unmap_args, &a, err, "v0", "pool",
			       "p1", NULL), 0);
	assert_string_equal(a.pool, "p1");
	check_bad(evn_volume_unmap_args, unmap, ARRAY_SIZE(unmap));

	assert_int_equal(parse(evn_volume_del_args, &a, err, "v0", NULL), 0);
	assert_false(a.force);
	assert_int_equal(parse(evn_volume_del_args, &a, err, "v0", "pool", "p1",
			       "--force", NULL), 0);
	assert_true(a.force);
	assert_string_equal(a.pool, "p1");
	check_bad(evn_volume_del_args, del, ARRAY_SIZE(del));
}

/* ---- grow NAME size +SIZE ---- */

static void test_grow_args(void **state)
{
	static const struct bad_case cases[] = {
		{ { NULL }, "missing NAME" },
		{ { "v0", NULL }, "missing \"size +SIZE\"" },
		{ { "v0", "pool", "p1", NULL }, "missing \"size +SIZE\"" },
		{ { "v0", "size", NULL }, "missing SIZE after \"size\"" },
		{ { "v0", "size", "+", NULL },
		  "invalid size \"+\": not a size (a number of bytes, or with K, M, G, T, P, E)" },
		{ { "v0", "size", "+0", NULL }, "invalid size \"+0\": zero" },
		{ { "v0", "size", "++1G", NULL },
		  "invalid size \"++1G\": not a size (a number of bytes, or with K, M, G, T, P, E)" },
		{ { "v0", "size", "-1G", NULL },
		  "invalid size \"-1G\": not a size (a number of bytes, or with K, M, G, T, P, E)" },
		{ { "v0", "size", "+1G", "layout", "stripe", NULL },
		  "unknown keyword \"layout\"" },
		{ { "v0", "size", "+1G", "extent", "t0:0:1G", NULL },
		  "\"extent\" gives an explicit map and \"size\" a pool volume: use one or the other" },
	};
	struct evn_volume_pool_args a;
	char err[EVN_ERRLEN];

	(void)state;
	assert_int_equal(parse(evn_volume_grow_size_args, &a, err, "v0",
			       "size", "+512M", NULL), 0);
	assert_string_equal(a.name, "v0");
	assert_true(a.grow_by);
	assert_true(a.size == 512 * M);
	assert_int_equal(parse(evn_volume_grow_size_args, &a, err, "v0",
			       "pool", "p1", "size", "3G", NULL), 0);
	assert_false(a.grow_by);
	assert_true(a.size == 3 * G);
	assert_string_equal(a.pool, "p1");
	check_bad(evn_volume_grow_size_args, cases, ARRAY_SIZE(cases));
}

/* The command lines, as evnadm runs them: refused before any request. */
static void test_cli_usage(void **state)
{
	struct run r;

	(void)state;
	run_evnadm(&r, "volume", "create", "size", "1G", NULL);
	expect_usage(&r, "missing NAME before \"size\"");
	run_evnadm(&r, "volume", "create", "v0", "size", "0", NULL);
	expect_usage(&r, "invalid size \"0\": zero");
	run_evnadm(&r, "volume", "create", "v0", "size", "1G", "columns", "2",
		   NULL);
	expect_usage(&r, "\"columns 2\" is for \"layout stripe\" only");
	run_evnadm(&r, "volume", "create", "v0", "extent", "t0:0:1G", "size",
		   "1G", NULL);
	expect_usage(&r,
		     "\"extent\" gives an explicit map and \"size\" a pool volume: use one or the other");
	run_evnadm(&r, "volume", "map", NULL);
	expect_usage(&r, "missing NAME");
	run_evnadm(&r, "volume", "map", "v0", "ro", "--force", NULL);
	expect_usage(&r,
		     "\"--force\" takes over a read-write map: it does not go with \"ro\"");
	run_evnadm(&r, "volume", "unmap", NULL);
	expect_usage(&r, "missing NAME");
	run_evnadm(&r, "volume", "unmap", "v0", "v1", NULL);
	expect_usage(&r, "extra argument \"v1\"");
	run_evnadm(&r, "volume", "grow", "v0", "size", "+0", NULL);
	expect_usage(&r, "invalid size \"+0\": zero");
	run_evnadm(&r, "volume", "del", "v0", "--now", NULL);
	expect_usage(&r, "unknown option \"--now\"");
	run_evnadm(&r, "volume", "del", "v0", "v1", NULL);
	expect_usage(&r, "extra argument \"v1\"");
}

static void test_help(void **state)
{
	struct run r;

	(void)state;
	run_evnadm(&r, "volume", "help", NULL);
	assert_int_equal(r.rc, EVNADM_EXIT_OK);
	assert_non_null(strstr(r.out,
		"evnadm volume create NAME size SIZE [ layout { concat | stripe } ]\n"
		"                            [ columns N ] [ chunk SIZE ] [ pool POOL ]\n"));
	assert_non_null(strstr(r.out,
		"evnadm volume map NAME [ ro | rw ] [ --force ] [ pool POOL ]\n"));
	assert_non_null(strstr(r.out, "evnadm volume unmap NAME [ pool POOL ]\n"));
	assert_non_null(strstr(r.out,
		"evnadm volume grow NAME size +SIZE [ pool POOL ]\n"));
	assert_non_null(strstr(r.out,
		"evnadm volume del NAME [ --force ] [ pool POOL ]\n"));
	run_free(&r);
}

/* ---- the read-write holder ---- */

static void test_holder_decide(void **state)
{
	static const struct {
		const char *holder;
		enum evn_holder_op op;
		bool force;
		enum evn_holder_action act;
	} cases[] = {
		/* read-write map */
		{ "", EVN_HOLDER_MAP_RW, false, EVN_HOLDER_TAKE },
		{ NULL, EVN_HOLDER_MAP_RW, false, EVN_HOLDER_TAKE },
		{ "", EVN_HOLDER_MAP_RW, true, EVN_HOLDER_TAKE },
		{ HOST_A, EVN_HOLDER_MAP_RW, false, EVN_HOLDER_KEEP },
		{ HOST_A, EVN_HOLDER_MAP_RW, true, EVN_HOLDER_KEEP },
		{ HOST_B, EVN_HOLDER_MAP_RW, false, EVN_HOLDER_REFUSE },
		{ HOST_B, EVN_HOLDER_MAP_RW, true, EVN_HOLDER_TAKE_OVER },
		/* read-only map: anywhere, holder untouched */
		{ "", EVN_HOLDER_MAP_RO, false, EVN_HOLDER_KEEP },
		{ HOST_A, EVN_HOLDER_MAP_RO, false, EVN_HOLDER_KEEP },
		{ HOST_B, EVN_HOLDER_MAP_RO, false, EVN_HOLDER_KEEP },
		/* unmap: clears this host only */
		{ "", EVN_HOLDER_UNMAP, false, EVN_HOLDER_KEEP },
		{ HOST_A, EVN_HOLDER_UNMAP, false, EVN_HOLDER_CLEAR },
		{ HOST_B, EVN_HOLDER_UNMAP, false, EVN_HOLDER_KEEP },
		/* delete: refused while another host holds it */
		{ "", EVN_HOLDER_DELETE, false, EVN_HOLDER_KEEP },
		{ HOST_A, EVN_HOLDER_DELETE, false, EVN_HOLDER_KEEP },
		{ HOST_B, EVN_HOLDER_DELETE, false, EVN_HOLDER_REFUSE },
		{ HOST_B, EVN_HOLDER_DELETE, true, EVN_HOLDER_TAKE_OVER },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		print_message("case %zu\n", i);
		assert_int_equal(evn_pool_holder_decide(cases[i].holder,
							HOST_A, cases[i].op,
							cases[i].force),
				 cases[i].act);
	}
	/* an NQN is compared whole */
	assert_int_equal(evn_pool_holder_decide(HOST_A "x", HOST_A,
						EVN_HOLDER_MAP_RW, false),
			 EVN_HOLDER_REFUSE);
}

static void test_holder_refusal(void **state)
{
	char buf[EVN_ERRLEN];

	(void)state;
	evn_pool_holder_refusal("v0", HOST_B, EVN_HOLDER_MAP_RW, buf,
				sizeof(buf));
	assert_string_equal(buf, "volume v0 is mapped read-write by " HOST_B
			    "; use --force to take it over");
	evn_pool_holder_refusal("v0", HOST_B, EVN_HOLDER_DELETE, buf,
				sizeof(buf));
	assert_string_equal(buf, "volume v0 is mapped read-write by " HOST_B
			    "; use --force to delete it anyway");
}

/* ---- the volume-new request of a pool volume ---- */

static struct evn_target ktargets[3];

/*
 * Pool "p1" of targets t0..t2 (1G, unit 64M, metadata 16M); the kernel
 * knows t1 as "srv1". Volume "data": a stripe of 3 x 192M, chunk 64K.
 */
static void make_pool(struct evn_pool *p)
{
	struct evn_alloc_request req = { 0 };
	char err[EVN_ERRLEN];
	uint64_t size;
	size_t i;

	memset(p, 0, sizeof(*p));
	snprintf(p->table.name, sizeof(p->table.name), "p1");
	uuid_generate(p->table.uuid);
	p->table.unit = 64 * M;
	p->table.metadata_size = 16 * M;
	p->table.targets = calloc(3, sizeof(*p->table.targets));
	p->members = calloc(3, sizeof(*p->members));
	assert_non_null(p->table.targets);
	assert_non_null(p->members);
	for (i = 0; i < 3; i++) {
		struct evn_pool_target *t = &p->table.targets[i];

		snprintf(t->name, sizeof(t->name), "t%zu", i);
		uuid_generate(t->uuid);
		snprintf(t->traddr, sizeof(t->traddr), "192.0.2.%zu", i + 1);
		t->trsvcid = 4420;
		snprintf(t->subnqn, sizeof(t->subnqn), "nqn.x:t%zu", i);
		t->nsid = 1;
		t->capacity = G;
		t->lba_size = 4096;
		memset(&ktargets[i], 0, sizeof(ktargets[i]));
		snprintf(ktargets[i].name, sizeof(ktargets[i].name), "%s",
			 i == 1 ? "srv1" : t->name);
		ktargets[i].state = EVN_TARGET_STATE_LIVE;
		p->members[i].kt = &ktargets[i];
		p->members[i].labeled = true;
	}
	p->table.nr_targets = 3;
	req.name = "data";
	req.size = 576 * M;
	req.layout = EVN_VOLUME_LAYOUT_STRIPE;
	req.chunk = 64 * K;
	assert_int_equal(evn_alloc_volume(&p->table, &req, &size, err,
					  sizeof(err)), 0);
	memset(&req, 0, sizeof(req));
	req.name = "logs";
	req.size = 100 * M;
	assert_int_equal(evn_alloc_volume(&p->table, &req, &size, err,
					  sizeof(err)), 0);
}

/* Builds the request of @a and checks it as the kernel would read it. */
static void check_request(const struct evn_pool *p,
			  const struct evn_pool_volume *v,
			  const struct evn_volume_args *a, bool read_only)
{
	struct nlattr *pos;
	struct genlmsghdr *gnlh;
	struct nl_msg *msg;
	bool name = false, layout = false, chunk = false, ro = false;
	size_t n = 0;
	int rem;

	msg = nlmsg_alloc_size(evn_volume_new_size(a));
	assert_non_null(msg);
	assert_non_null(genlmsg_put(msg, 1234, 1, FAKE_FAMILY_ID, 0, 0,
				    EVN_CMD_VOLUME_NEW, EVN_FAMILY_VERSION));
	assert_int_equal(evn_volume_new_put(msg, a), 0);
	gnlh = nlmsg_data(nlmsg_hdr(msg));
	nla_for_each_attr(pos, genlmsg_attrdata(gnlh, 0),
			  genlmsg_attrlen(gnlh, 0), rem) {
		struct nlattr *tb[EVN_A_EXTENT_MAX + 1];
		const struct evn_pool_extent *pe;
		int m;

		switch (pos->nla_type) {
		case EVN_A_VOLUME_NAME:
			assert_string_equal(nla_get_string(pos), v->name);
			name = true;
			continue;
		case EVN_A_VOLUME_LAYOUT:
			assert_int_equal(nla_get_u32(pos), v->layout);
			layout = true;
			continue;
		case EVN_A_VOLUME_CHUNK:
			assert_int_equal(nla_get_u32(pos), v->chunk);
			chunk = true;
			continue;
		case EVN_A_VOLUME_READ_ONLY:
			assert_int_equal(nla_len(pos), 1);
			assert_int_equal(nla_get_u8(pos), 1);
			ro = true;
			continue;
		default:
			break;
		}
		assert_int_equal(pos->nla_type,
				 EVN_A_VOLUME_EXTENT | NLA_F_NESTED);
		assert_true(n < v->nr_extents);
		pe = &v->extents[n++];
		m = evn_pool_member_index(p, pe->target);
		assert_true(m >= 0);
		assert_int_equal(nla_parse_nested(tb, EVN_A_EXTENT_MAX, pos,
						  NULL), 0);
		/* the kernel's name for the target */
		assert_string_equal(nla_get_string(tb[EVN_A_EXTENT_TARGET]),
				    p->members[m].kt->name);
		assert_true(nla_get_u64(tb[EVN_A_EXTENT_TARGET_OFFSET]) ==
			    pe->offset);
		assert_true(nla_get_u64(tb[EVN_A_EXTENT_LENGTH]) ==
			    pe->length);
		if (v->layout == EVN_VOLUME_LAYOUT_STRIPE)
			assert_int_equal(nla_get_u32(tb[EVN_A_EXTENT_COLUMN]),
					 pe->column);
		else
			assert_null(tb[EVN_A_EXTENT_COLUMN]);
		assert_null(tb[EVN_A_EXTENT_COPY]);
	}
	assert_int_equal(rem, 0);
	assert_true(name && layout);
	assert_int_equal(chunk, v->layout == EVN_VOLUME_LAYOUT_STRIPE);
	assert_int_equal(ro, read_only);
	assert_int_equal(n, v->nr_extents);
	nlmsg_free(msg);
}

static void test_volume_map(void **state)
{
	struct evn_volume_args a;
	struct evn_pool_volume *v;
	char err[EVN_ERRLEN];
	struct evn_pool p;
	size_t i;

	(void)state;
	make_pool(&p);
	v = evn_pool_table_volume(&p.table, "data");
	assert_int_equal(evn_pool_volume_map(&p, v, false, &a, err,
					     sizeof(err)), 0);
	assert_string_equal(a.name, "data");
	assert_true(a.layout_given);
	assert_int_equal(a.layout, EVN_VOLUME_LAYOUT_STRIPE);
	assert_int_equal(a.chunk, 64 * K);
	assert_int_equal(a.nr_columns, 3);
	assert_false(a.read_only);
	assert_int_equal(a.nr_extents, v->nr_extents);
	for (i = 0; i < a.nr_extents; i++)
		print_message("extent %zu: %s %" PRIu64 "+%" PRIu64 " column %u\n",
			      i, a.extents[i].target, a.extents[i].offset,
			      a.extents[i].length, a.extents[i].column);
	/* column 1 is on t1, which the kernel calls srv1 */
	assert_string_equal(a.extents[1].target, "srv1");
	assert_int_equal(a.extents[1].column, 1);
	check_request(&p, v, &a, false);
	evn_volume_args_free(&a);

	assert_int_equal(evn_pool_volume_map(&p, v, true, &a, err,
					     sizeof(err)), 0);
	assert_true(a.read_only);
	check_request(&p, v, &a, true);
	evn_volume_args_free(&a);

	v = evn_pool_table_volume(&p.table, "logs");
	assert_int_equal(evn_pool_volume_map(&p, v, true, &a, err,
					     sizeof(err)), 0);
	assert_int_equal(a.layout, EVN_VOLUME_LAYOUT_CONCAT);
	assert_int_equal(a.chunk, 0);
	check_request(&p, v, &a, true);
	evn_volume_args_free(&a);

	/* an extent's target not in the kernel */
	v = evn_pool_table_volume(&p.table, "data");
	p.members[2].kt = NULL;
	assert_int_equal(evn_pool_volume_map(&p, v, false, &a, err,
					     sizeof(err)), -ENOTCONN);
	assert_string_equal(err,
		"volume data has an extent on target t2, which is not connected here (evnadm pool import connects it)");
	assert_null(a.extents);
	/* an extent of a target the table does not have */
	p.members[2].kt = &ktargets[2];
	v->extents[0].target[0] ^= 0xff;
	assert_int_equal(evn_pool_volume_map(&p, v, false, &a, err,
					     sizeof(err)), -EPROTO);
	assert_string_equal(err,
		"volume data: extent 0 is on a target pool \"p1\" does not have");
	assert_null(a.extents);
	evn_pool_free(&p);
}

/* volume-get replies say whether a volume is read-only */
static void test_parse_read_only(void **state)
{
	struct evn_volume v = { 0 };
	struct nl_msg *msg;
	unsigned int ro;

	(void)state;
	for (ro = 0; ro < 2; ro++) {
		msg = nlmsg_alloc();
		assert_non_null(msg);
		assert_non_null(genlmsg_put(msg, 0, 1, FAKE_FAMILY_ID, 0, 0,
					    EVN_CMD_VOLUME_GET,
					    EVN_FAMILY_VERSION));
		assert_int_equal(nla_put_string(msg, EVN_A_VOLUME_NAME, "v0"),
				 0);
		assert_int_equal(nla_put_u8(msg, EVN_A_VOLUME_READ_ONLY, ro),
				 0);
		assert_int_equal(evn_volume_parse(nlmsg_hdr(msg), &v), 0);
		assert_int_equal(v.read_only, ro);
		assert_true(v.have & EVN_HAVE(EVN_A_VOLUME_READ_ONLY));
		evn_volume_free(&v);
		nlmsg_free(msg);
	}
}

static void test_grow_format(void **state)
{
	char buf[128];

	(void)state;
	evn_pool_grow_format("/dev/evn0", G, 3 * G, buf, sizeof(buf));
	assert_string_equal(buf, "/dev/evn0: 1G -> 3G");
	evn_pool_grow_format("v0", 384 * M, 576 * M, buf, sizeof(buf));
	assert_string_equal(buf, "v0: 384M -> 576M");
	/* sizes that would look alike get their byte counts */
	evn_pool_grow_format("v0", 1536 * M, 1536 * M + 64 * K, buf,
			     sizeof(buf));
	assert_string_equal(buf,
		"v0: 1.5G (1610612736) -> 1.5G (1610678272)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pool_mode),
		cmocka_unit_test(test_size_args),
		cmocka_unit_test(test_size_args_bad),
		cmocka_unit_test(test_map_args),
		cmocka_unit_test(test_unmap_del_args),
		cmocka_unit_test(test_grow_args),
		cmocka_unit_test(test_cli_usage),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_holder_decide),
		cmocka_unit_test(test_holder_refusal),
		cmocka_unit_test(test_volume_map),
		cmocka_unit_test(test_parse_read_only),
		cmocka_unit_test(test_grow_format),
	};

	return cmocka_run_group_tests_name("evn_volume_pool", tests, NULL,
					   NULL);
}
