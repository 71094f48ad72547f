// SPDX-License-Identifier: GPL-2.0
/*
 * alloc_test.c - unit tests of the extent allocator: exact placement of
 * concat and stripe volumes on small hand-made pools, distinct targets for
 * stripe columns, balancing, rounding, first fit and largest runs, growth
 * in place and with new extents (always keeping the old map as a prefix),
 * a pool filled until full, deletion, and random sequences of allocate,
 * grow and delete checked against the invariants after every step
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

#include <uuid/uuid.h>

#include <linux/evn.h>

#include "alloc.h"
#include "meta.h"
#include "parse.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define K		((uint64_t)1 << 10)
#define M		((uint64_t)1 << 20)

#define CONCAT		EVN_VOLUME_LAYOUT_CONCAT
#define STRIPE		EVN_VOLUME_LAYOUT_STRIPE

/* An empty pool "pool0" with this unit and metadata area. */
static void pool_init(struct evn_pool_table *t, uint64_t unit, uint64_t meta)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "pool0");
	assert_int_equal(uuid_parse("11111111-1111-4111-8111-111111111111",
				    t->uuid), 0);
	t->unit = unit;
	t->metadata_size = meta;
}

/* Target "tN" (N its index), 10.0.0.N+1, UUID aaaaaaaa-...-0000000000NN. */
static void pool_add_target(struct evn_pool_table *t, uint64_t capacity)
{
	struct evn_pool_target *tg;
	size_t i = t->nr_targets;
	char uuid[EVN_UUID_STRLEN];

	t->targets = realloc(t->targets, (i + 1) * sizeof(*tg));
	assert_non_null(t->targets);
	tg = &t->targets[i];
	memset(tg, 0, sizeof(*tg));
	snprintf(tg->name, sizeof(tg->name), "t%zu", i);
	snprintf(uuid, sizeof(uuid), "aaaaaaaa-0000-4000-8000-0000000000%02zx",
		 i);
	assert_int_equal(uuid_parse(uuid, tg->uuid), 0);
	snprintf(tg->traddr, sizeof(tg->traddr), "10.0.0.%zu", i + 1);
	tg->trsvcid = 4420;
	snprintf(tg->subnqn, sizeof(tg->subnqn), "nqn.2026-01.com.example:t");
	tg->nsid = 1;
	tg->capacity = capacity;
	tg->lba_size = 512;
	t->nr_targets++;
}

/* @n targets of 16 MiB metadata + @room each, unit 1 MiB. */
static void pool_equal(struct evn_pool_table *t, size_t n, uint64_t room)
{
	size_t i;

	pool_init(t, M, 16 * M);
	for (i = 0; i < n; i++)
		pool_add_target(t, 16 * M + room);
}

static const char *target_name(const struct evn_pool_table *t,
			       const struct evn_pool_extent *e)
{
	const struct evn_pool_target *tg = evn_pool_table_target(t, e->target);

	assert_non_null(tg);
	return tg->name;
}

static void assert_extent(const struct evn_pool_table *t,
			  const struct evn_pool_volume *v, size_t i,
			  const char *target, uint64_t offset,
			  uint64_t length, uint32_t column)
{
	const struct evn_pool_extent *e;

	assert_true(i < v->nr_extents);
	e = &v->extents[i];
	print_message("%s extent %zu: %s %" PRIu64 "M+%" PRIu64 "M column %" PRIu32 "\n",
		      v->name, i, target_name(t, e), e->offset / M,
		      e->length / M, e->column);
	assert_string_equal(target_name(t, e), target);
	assert_true(e->offset == offset);
	assert_true(e->length == length);
	assert_int_equal(e->column, column);
	assert_int_equal(e->copy, 0);
}

static int alloc(struct evn_pool_table *t, const char *name, uint32_t layout,
		 uint64_t size, uint32_t columns, uint32_t chunk,
		 uint64_t *rounded, char *err)
{
	struct evn_alloc_request req = {
		.name = name,
		.size = size,
		.layout = layout,
		.columns = columns,
		.chunk = chunk,
	};

	err[0] = '\0';
	return evn_alloc_volume(t, &req, rounded, err, EVN_ERRLEN);
}

/* Allocates and expects success with that rounded size. */
static struct evn_pool_volume *alloc_ok(struct evn_pool_table *t,
					const char *name, uint32_t layout,
					uint64_t size, uint32_t columns,
					uint32_t chunk, uint64_t want)
{
	char err[EVN_ERRLEN];
	uint64_t rounded = 0;
	int ret;

	ret = alloc(t, name, layout, size, columns, chunk, &rounded, err);
	if (ret)
		print_message("%s: %s\n", name, err);
	assert_int_equal(ret, 0);
	assert_true(rounded == want);
	assert_int_equal(evn_alloc_check(t, err, sizeof(err)), 0);
	return evn_pool_table_volume(t, name);
}

/* The JSON of a table, to see that a refused request changed nothing. */
static char *snapshot(const struct evn_pool_table *t)
{
	char err[EVN_ERRLEN];
	size_t len;
	char *p;

	assert_int_equal(evn_pool_table_encode(t, &p, &len, err, sizeof(err)),
			 0);
	return p;
}

static void assert_unchanged(const struct evn_pool_table *t, char *before)
{
	char *after = snapshot(t);

	assert_string_equal(before, after);
	free(after);
	free(before);
}

/*
 * @now keeps @old as its prefix: in each column the same extents in the
 * same order, the last of them maybe longer, then maybe more.
 */
static void assert_prefix(const struct evn_pool_volume *old,
			  const struct evn_pool_volume *now)
{
	uint32_t c;

	assert_int_equal(old->layout, now->layout);
	assert_int_equal(old->chunk, now->chunk);
	assert_int_equal(old->columns, now->columns);
	assert_true(now->size >= old->size);
	for (c = 0; c < old->columns; c++) {
		size_t i, j = 0, k = 0, n = 0;

		for (i = 0; i < old->nr_extents; i++)
			n += old->extents[i].column == c;
		for (i = 0; i < old->nr_extents; i++) {
			const struct evn_pool_extent *a = &old->extents[i];
			const struct evn_pool_extent *b;

			if (a->column != c)
				continue;
			while (now->extents[j].column != c)
				j++;
			b = &now->extents[j++];
			k++;
			assert_memory_equal(a->target, b->target, 16);
			assert_true(a->offset == b->offset);
			if (k == n)
				assert_true(b->length >= a->length);
			else
				assert_true(b->length == a->length);
		}
	}
}

static uint64_t column_size(const struct evn_pool_volume *v, uint32_t c)
{
	uint64_t size = 0;
	size_t i;

	for (i = 0; i < v->nr_extents; i++)
		if (v->extents[i].column == c)
			size += v->extents[i].length;
	return size;
}

/* ---- sizes ---- */

static void test_granule(void **state)
{
	struct evn_pool_table t;

	(void)state;
	pool_equal(&t, 3, 100 * M);
	assert_true(evn_alloc_granule(&t, CONCAT, 1, 0) == M);
	assert_true(evn_alloc_granule(&t, STRIPE, 3, 128 * K) == 3 * M);
	assert_true(evn_alloc_granule(&t, STRIPE, 3, 16 * M) == 48 * M);
	assert_true(evn_alloc_granule(&t, STRIPE, 1, 4 * K) == M);
	assert_true(evn_alloc_granule(&t, STRIPE, 0, 4 * K) == 0);
	t.unit = 4 * M;
	assert_true(evn_alloc_granule(&t, STRIPE, 2, 128 * K) == 8 * M);
	assert_true(evn_alloc_granule(&t, CONCAT, 1, 0) == 4 * M);
	evn_pool_table_free(&t);
}

static void test_rounding(void **state)
{
	struct evn_pool_table t;
	struct evn_pool_volume *v;

	(void)state;
	pool_equal(&t, 3, 100 * M);
	alloc_ok(&t, "a", CONCAT, 1, 0, 0, M);
	alloc_ok(&t, "b", CONCAT, 10 * M + 1, 0, 0, 11 * M);
	alloc_ok(&t, "c", CONCAT, 5 * M, 0, 0, 5 * M);
	/* 3 columns, chunk 128K: multiples of 3M */
	v = alloc_ok(&t, "d", STRIPE, 1, 0, 0, 3 * M);
	assert_int_equal(v->columns, 3);
	assert_int_equal(v->chunk, EVN_ALLOC_CHUNK_DEFAULT);
	alloc_ok(&t, "e", STRIPE, 10 * M, 3, 0, 12 * M);
	/* chunk larger than the unit: 2 columns of 4M chunks */
	v = alloc_ok(&t, "f", STRIPE, 9 * M, 2, 4 * M, 16 * M);
	assert_int_equal(v->chunk, 4 * M);
	assert_true(column_size(v, 0) == 8 * M && column_size(v, 1) == 8 * M);
	evn_pool_table_free(&t);
}

/* ---- placement ---- */

static void test_concat_placement(void **state)
{
	struct evn_pool_table t;
	struct evn_pool_volume *v;

	(void)state;
	pool_equal(&t, 3, 100 * M);
	/* all equal: by name; then the one with most free */
	v = alloc_ok(&t, "a", CONCAT, 10 * M, 0, 0, 10 * M);
	assert_int_equal(v->nr_extents, 1);
	assert_extent(&t, v, 0, "t0", 16 * M, 10 * M, 0);
	assert_int_equal(v->layout, CONCAT);
	assert_int_equal(v->columns, 1);
	assert_int_equal(v->chunk, 0);
	assert_string_equal(v->holder, "");
	v = alloc_ok(&t, "b", CONCAT, 10 * M, 0, 0, 10 * M);
	assert_extent(&t, v, 0, "t1", 16 * M, 10 * M, 0);
	v = alloc_ok(&t, "c", CONCAT, 10 * M, 0, 0, 10 * M);
	assert_extent(&t, v, 0, "t2", 16 * M, 10 * M, 0);
	/* larger than any target: spans them, most free first */
	v = alloc_ok(&t, "d", CONCAT, 95 * M, 0, 0, 95 * M);
	assert_int_equal(v->nr_extents, 2);
	assert_extent(&t, v, 0, "t0", 26 * M, 90 * M, 0);
	assert_extent(&t, v, 1, "t1", 26 * M, 5 * M, 0);
	v = alloc_ok(&t, "e", CONCAT, M, 0, 0, M);
	assert_extent(&t, v, 0, "t2", 26 * M, M, 0);
	/* no UUID given: a random one */
	assert_false(uuid_is_null(v->uuid));
	assert_int_equal(t.nr_volumes, 5);
	evn_pool_table_free(&t);
}

static void test_stripe_placement(void **state)
{
	struct evn_alloc_request req = {
		.name = "u", .size = M, .layout = STRIPE, .columns = 1,
	};
	struct evn_pool_table t;
	struct evn_pool_volume *v;
	char err[EVN_ERRLEN];
	uint64_t size;

	(void)state;
	pool_equal(&t, 3, 100 * M);
	/* one column per target by default, column 0 on the first */
	v = alloc_ok(&t, "s", STRIPE, 30 * M, 0, 0, 30 * M);
	assert_int_equal(v->columns, 3);
	assert_int_equal(v->nr_extents, 3);
	assert_extent(&t, v, 0, "t0", 16 * M, 10 * M, 0);
	assert_extent(&t, v, 1, "t1", 16 * M, 10 * M, 1);
	assert_extent(&t, v, 2, "t2", 16 * M, 10 * M, 2);
	v = alloc_ok(&t, "s2", STRIPE, 10 * M, 2, 4 * M, 16 * M);
	assert_extent(&t, v, 0, "t0", 26 * M, 8 * M, 0);
	assert_extent(&t, v, 1, "t1", 26 * M, 8 * M, 1);
	/* the two with the most free space: t2 (90M), then t0 (82M) */
	v = alloc_ok(&t, "s3", STRIPE, 2 * M, 2, 0, 2 * M);
	assert_extent(&t, v, 0, "t2", 26 * M, M, 0);
	assert_extent(&t, v, 1, "t0", 34 * M, M, 1);

	/* a UUID given is used */
	assert_int_equal(uuid_parse("dddddddd-0000-4000-8000-000000000000",
				    req.uuid), 0);
	assert_int_equal(evn_alloc_volume(&t, &req, &size, err, sizeof(err)),
			 0);
	v = evn_pool_table_volume(&t, "u");
	assert_memory_equal(v->uuid, req.uuid, 16);
	assert_int_equal(v->columns, 1);
	evn_pool_table_free(&t);
}

static void test_stripe_distinct(void **state)
{
	struct evn_pool_table t;
	char err[EVN_ERRLEN], *before;
	uint64_t size;

	(void)state;
	pool_init(&t, M, 16 * M);
	pool_add_target(&t, 16 * M + 200 * M);
	pool_add_target(&t, 16 * M + 150 * M);
	pool_add_target(&t, 16 * M + 100 * M);
	before = snapshot(&t);
	assert_int_equal(alloc(&t, "s", STRIPE, 330 * M, 3, 0, &size, err),
			 -ENOSPC);
	assert_string_equal(err, "need 330M in 3 columns of 110M on distinct targets; only 2 targets have 110M free");
	assert_int_equal(alloc(&t, "s", STRIPE, 480 * M, 3, 0, &size, err),
			 -ENOSPC);
	assert_string_equal(err, "need 480M in 3 columns of 160M on distinct targets; only 1 target has 160M free");
	assert_int_equal(alloc(&t, "s", STRIPE, 300 * M, 1, 0, &size, err),
			 -ENOSPC);
	assert_string_equal(err, "need 300M in 1 column of 300M on distinct targets; no target has 300M free");
	assert_int_equal(alloc(&t, "s", STRIPE, 40 * M, 4, 0, &size, err),
			 -EINVAL);
	assert_string_equal(err, "4 columns need 4 distinct targets; pool \"pool0\" has 3");
	/* the pool holds 450M, but a column must stay on its target */
	assert_int_equal(alloc(&t, "s", STRIPE, 400 * M, 2, 0, &size, err),
			 -ENOSPC);
	assert_unchanged(&t, before);
	evn_pool_table_free(&t);
}

static void test_balance(void **state)
{
	static const char *const expect[] = { "t0", "t1", "t2" };
	struct evn_pool_table t;
	struct evn_pool_volume *v;
	uint64_t room[3];
	char name[8];
	size_t i;

	(void)state;
	pool_equal(&t, 3, 100 * M);
	for (i = 0; i < 9; i++) {
		snprintf(name, sizeof(name), "v%zu", i);
		v = alloc_ok(&t, name, CONCAT, 10 * M, 0, 0, 10 * M);
		assert_string_equal(target_name(&t, &v->extents[0]),
				    expect[i % 3]);
		assert_true(v->extents[0].offset == 16 * M + i / 3 * 10 * M);
	}
	assert_int_equal(evn_alloc_free_space(&t, room), 0);
	for (i = 0; i < 3; i++)
		assert_true(room[i] == 70 * M);
	/* a stripe of 2 takes the two with most free; the third catches up */
	v = alloc_ok(&t, "s", STRIPE, 20 * M, 2, 0, 20 * M);
	assert_extent(&t, v, 0, "t0", 46 * M, 10 * M, 0);
	assert_extent(&t, v, 1, "t1", 46 * M, 10 * M, 1);
	v = alloc_ok(&t, "x", CONCAT, 10 * M, 0, 0, 10 * M);
	assert_extent(&t, v, 0, "t2", 46 * M, 10 * M, 0);
	assert_int_equal(evn_alloc_free_space(&t, room), 0);
	for (i = 0; i < 3; i++)
		assert_true(room[i] == 60 * M);
	evn_pool_table_free(&t);
}

static void test_first_fit_and_largest(void **state)
{
	struct evn_pool_table t;
	struct evn_pool_volume *v;
	char err[EVN_ERRLEN];
	uint64_t room;

	(void)state;
	pool_equal(&t, 1, 100 * M);
	alloc_ok(&t, "a", CONCAT, 10 * M, 0, 0, 10 * M);	/* 16..26 */
	alloc_ok(&t, "b", CONCAT, 20 * M, 0, 0, 20 * M);	/* 26..46 */
	alloc_ok(&t, "c", CONCAT, 10 * M, 0, 0, 10 * M);	/* 46..56 */
	alloc_ok(&t, "d", CONCAT, 30 * M, 0, 0, 30 * M);	/* 56..86 */
	alloc_ok(&t, "e", CONCAT, 30 * M, 0, 0, 30 * M);	/* 86..116 */
	assert_int_equal(evn_alloc_free_space(&t, &room), 0);
	assert_true(room == 0);
	assert_int_equal(evn_alloc_delete(&t, "b", err, sizeof(err)), 0);
	assert_int_equal(evn_alloc_delete(&t, "d", err, sizeof(err)), 0);
	assert_int_equal(evn_alloc_free_space(&t, &room), 0);
	assert_true(room == 50 * M);
	/* the lowest run that holds it */
	v = alloc_ok(&t, "f", CONCAT, 15 * M, 0, 0, 15 * M);
	assert_int_equal(v->nr_extents, 1);
	assert_extent(&t, v, 0, "t0", 26 * M, 15 * M, 0);
	/* none holds 32M: the largest run whole, then first fit for 2M */
	v = alloc_ok(&t, "g", CONCAT, 32 * M, 0, 0, 32 * M);
	assert_int_equal(v->nr_extents, 2);
	assert_extent(&t, v, 0, "t0", 56 * M, 30 * M, 0);
	assert_extent(&t, v, 1, "t0", 41 * M, 2 * M, 0);
	/* a stripe column over several runs of its target */
	assert_int_equal(evn_alloc_delete(&t, "a", err, sizeof(err)), 0);
	pool_add_target(&t, 16 * M + 13 * M);
	v = alloc_ok(&t, "s", STRIPE, 24 * M, 2, 0, 24 * M);
	assert_int_equal(v->nr_extents, 3);
	assert_extent(&t, v, 0, "t0", 16 * M, 10 * M, 0);
	assert_extent(&t, v, 1, "t0", 43 * M, 2 * M, 0);
	assert_extent(&t, v, 2, "t1", 16 * M, 12 * M, 1);
	evn_pool_table_free(&t);
}

/* ---- growing ---- */

/* Grows @name by @add, expecting @want added and the old map a prefix. */
static struct evn_pool_volume *grow_ok(struct evn_pool_table *t,
				       const char *name, uint64_t add,
				       uint64_t want)
{
	struct evn_pool_table old;
	struct evn_pool_volume *v;
	char err[EVN_ERRLEN];
	uint64_t added = 0;
	int ret;

	assert_int_equal(evn_pool_table_copy(&old, t), 0);
	ret = evn_alloc_grow(t, name, add, &added, err, sizeof(err));
	if (ret)
		print_message("grow %s: %s\n", name, err);
	assert_int_equal(ret, 0);
	assert_true(added == want);
	assert_int_equal(evn_alloc_check(t, err, sizeof(err)), 0);
	v = evn_pool_table_volume(t, name);
	assert_prefix(evn_pool_table_volume(&old, name), v);
	assert_true(v->size == evn_pool_table_volume(&old, name)->size + want);
	evn_pool_table_free(&old);
	return v;
}

static void test_grow_concat(void **state)
{
	struct evn_pool_table t;
	struct evn_pool_volume *v;
	char err[EVN_ERRLEN];

	(void)state;
	pool_equal(&t, 1, 100 * M);
	alloc_ok(&t, "a", CONCAT, 10 * M, 0, 0, 10 * M);
	/* in place */
	v = grow_ok(&t, "a", 5 * M, 5 * M);
	assert_int_equal(v->nr_extents, 1);
	assert_extent(&t, v, 0, "t0", 16 * M, 15 * M, 0);
	v = grow_ok(&t, "a", 1, M);
	assert_extent(&t, v, 0, "t0", 16 * M, 16 * M, 0);
	assert_true(v->size == 16 * M);

	/* blocked by b: a new extent after it */
	alloc_ok(&t, "b", CONCAT, 10 * M, 0, 0, 10 * M);	/* 32..42 */
	v = grow_ok(&t, "a", 5 * M, 5 * M);
	assert_int_equal(v->nr_extents, 2);
	assert_extent(&t, v, 0, "t0", 16 * M, 16 * M, 0);
	assert_extent(&t, v, 1, "t0", 42 * M, 5 * M, 0);

	/* in place as far as it goes, then the rest elsewhere */
	assert_int_equal(evn_alloc_delete(&t, "b", err, sizeof(err)), 0);
	v = grow_ok(&t, "a", 75 * M, 75 * M);
	assert_int_equal(v->nr_extents, 3);
	assert_extent(&t, v, 0, "t0", 16 * M, 16 * M, 0);
	assert_extent(&t, v, 1, "t0", 42 * M, 74 * M, 0);
	assert_extent(&t, v, 2, "t0", 32 * M, 6 * M, 0);
	assert_true(v->size == 96 * M);
	evn_pool_table_free(&t);
}

static void test_grow_concat_other_target(void **state)
{
	struct evn_pool_table t;
	struct evn_pool_volume *v;

	(void)state;
	pool_init(&t, M, 16 * M);
	pool_add_target(&t, 16 * M + 20 * M);
	pool_add_target(&t, 16 * M + 10 * M);
	v = alloc_ok(&t, "a", CONCAT, 20 * M, 0, 0, 20 * M);
	assert_extent(&t, v, 0, "t0", 16 * M, 20 * M, 0);
	v = grow_ok(&t, "a", 4 * M, 4 * M);
	assert_int_equal(v->nr_extents, 2);
	assert_extent(&t, v, 1, "t1", 16 * M, 4 * M, 0);
	/* now the last extent is on t1, and grows there in place */
	v = grow_ok(&t, "a", 6 * M, 6 * M);
	assert_int_equal(v->nr_extents, 2);
	assert_extent(&t, v, 1, "t1", 16 * M, 10 * M, 0);
	evn_pool_table_free(&t);
}

static void test_grow_stripe_in_place(void **state)
{
	struct evn_pool_table t;
	struct evn_pool_volume *v;

	(void)state;
	pool_equal(&t, 2, 100 * M);
	alloc_ok(&t, "s", STRIPE, 20 * M, 0, 0, 20 * M);
	/* 3M in 2 columns rounds to 4M: 2M each, in place */
	v = grow_ok(&t, "s", 3 * M, 4 * M);
	assert_int_equal(v->nr_extents, 2);
	assert_extent(&t, v, 0, "t0", 16 * M, 12 * M, 0);
	assert_extent(&t, v, 1, "t1", 16 * M, 12 * M, 1);
	assert_true(v->size == 24 * M);
	evn_pool_table_free(&t);
}

static void test_grow_stripe_same_target(void **state)
{
	struct evn_pool_table t;
	struct evn_pool_volume *v;

	(void)state;
	pool_equal(&t, 2, 100 * M);
	alloc_ok(&t, "s", STRIPE, 20 * M, 0, 0, 20 * M);
	/* x lands right after column 0 of s */
	v = alloc_ok(&t, "x", CONCAT, 10 * M, 0, 0, 10 * M);
	assert_extent(&t, v, 0, "t0", 26 * M, 10 * M, 0);
	v = grow_ok(&t, "s", 10 * M, 10 * M);
	assert_int_equal(v->nr_extents, 3);
	assert_extent(&t, v, 0, "t0", 16 * M, 10 * M, 0);
	assert_extent(&t, v, 1, "t0", 36 * M, 5 * M, 0);
	assert_extent(&t, v, 2, "t1", 16 * M, 15 * M, 1);
	/* and the new last extent of column 0 grows in place next time */
	v = grow_ok(&t, "s", 2 * M, 2 * M);
	assert_int_equal(v->nr_extents, 3);
	assert_extent(&t, v, 1, "t0", 36 * M, 6 * M, 0);
	assert_extent(&t, v, 2, "t1", 16 * M, 16 * M, 1);
	evn_pool_table_free(&t);
}

static void test_grow_stripe_other_target(void **state)
{
	struct evn_pool_table t;
	struct evn_pool_volume *v;
	char err[EVN_ERRLEN], *before;
	uint64_t added;

	(void)state;
	pool_init(&t, M, 16 * M);
	pool_add_target(&t, 16 * M + 20 * M);
	pool_add_target(&t, 16 * M + 20 * M);
	pool_add_target(&t, 16 * M + 100 * M);
	v = alloc_ok(&t, "s", STRIPE, 40 * M, 2, 0, 40 * M);
	assert_extent(&t, v, 0, "t2", 16 * M, 20 * M, 0);
	assert_extent(&t, v, 1, "t0", 16 * M, 20 * M, 1);
	/* t0 is full: column 1 goes on to t1, not to t2 (column 0's) */
	v = grow_ok(&t, "s", 20 * M, 20 * M);
	assert_int_equal(v->nr_extents, 3);
	assert_extent(&t, v, 0, "t2", 16 * M, 30 * M, 0);
	assert_extent(&t, v, 1, "t0", 16 * M, 20 * M, 1);
	assert_extent(&t, v, 2, "t1", 16 * M, 10 * M, 1);
	v = grow_ok(&t, "s", 20 * M, 20 * M);
	assert_int_equal(v->nr_extents, 3);
	assert_extent(&t, v, 0, "t2", 16 * M, 40 * M, 0);
	assert_extent(&t, v, 2, "t1", 16 * M, 20 * M, 1);
	/* column 1 has nowhere to go, though t2 has room */
	before = snapshot(&t);
	assert_int_equal(evn_alloc_grow(&t, "s", 10 * M, &added, err,
					sizeof(err)), -ENOSPC);
	assert_string_equal(err, "need 10M more in 2 columns of 5M: column 1 (on target \"t1\") can get only 0 on targets holding no other column of volume \"s\"");
	assert_unchanged(&t, before);
	evn_pool_table_free(&t);
}

static void test_grow_stripe_partial(void **state)
{
	struct evn_pool_table t;
	struct evn_pool_volume *v;

	(void)state;
	pool_init(&t, M, 16 * M);
	pool_add_target(&t, 16 * M + 50 * M);
	pool_add_target(&t, 16 * M + 13 * M);
	pool_add_target(&t, 16 * M + 40 * M);
	pool_add_target(&t, 16 * M + 20 * M);
	v = alloc_ok(&t, "s", STRIPE, 20 * M, 2, 0, 20 * M);
	assert_extent(&t, v, 0, "t0", 16 * M, 10 * M, 0);
	assert_extent(&t, v, 1, "t2", 16 * M, 10 * M, 1);
	alloc_ok(&t, "x", CONCAT, 35 * M, 0, 0, 35 * M);	/* t0 26..61 */
	alloc_ok(&t, "y", CONCAT, 27 * M, 0, 0, 27 * M);	/* t2 26..53 */
	/*
	 * 8M per column. Column 0: t0 has 5M after x, the rest from t3
	 * (most free). Column 1: t2 has 3M after y, the rest from t1: t3
	 * has more free but now holds column 0.
	 */
	v = grow_ok(&t, "s", 16 * M, 16 * M);
	assert_int_equal(v->nr_extents, 6);
	assert_extent(&t, v, 0, "t0", 16 * M, 10 * M, 0);
	assert_extent(&t, v, 1, "t0", 61 * M, 5 * M, 0);
	assert_extent(&t, v, 2, "t3", 16 * M, 3 * M, 0);
	assert_extent(&t, v, 3, "t2", 16 * M, 10 * M, 1);
	assert_extent(&t, v, 4, "t2", 53 * M, 3 * M, 1);
	assert_extent(&t, v, 5, "t1", 16 * M, 5 * M, 1);
	evn_pool_table_free(&t);
}

/* ---- full pools, errors, deletion ---- */

static void test_fill_until_full(void **state)
{
	struct evn_pool_table t;
	struct evn_pool_volume *v;
	char err[EVN_ERRLEN], name[8], *before;
	uint64_t size, room[3];
	size_t i;

	(void)state;
	pool_equal(&t, 3, 100 * M);
	for (i = 0; i < 10; i++) {
		snprintf(name, sizeof(name), "f%zu", i);
		alloc_ok(&t, name, STRIPE, 30 * M, 0, 0, 30 * M);
	}
	assert_int_equal(evn_alloc_free_space(&t, room), 0);
	assert_true(room[0] == 0 && room[1] == 0 && room[2] == 0);

	before = snapshot(&t);
	assert_int_equal(alloc(&t, "f10", STRIPE, 30 * M, 0, 0, &size, err),
			 -ENOSPC);
	assert_string_equal(err, "need 30M in 3 columns of 10M on distinct targets; no target has 10M free");
	assert_int_equal(alloc(&t, "c", CONCAT, 1, 0, 0, &size, err),
			 -ENOSPC);
	assert_string_equal(err, "need 1M; pool \"pool0\" has only 0 free");
	assert_int_equal(evn_alloc_grow(&t, "f0", 1, &size, err, sizeof(err)),
			 -ENOSPC);
	assert_string_equal(err, "need 3M more in 3 columns of 1M: column 0 (on target \"t0\") can get only 0 on targets holding no other column of volume \"f0\"");
	assert_unchanged(&t, before);

	/* delete one: its space comes back, exactly where it was */
	assert_int_equal(evn_alloc_delete(&t, "f3", err, sizeof(err)), 0);
	assert_int_equal(t.nr_volumes, 9);
	assert_string_equal(t.volumes[3].name, "f4");
	assert_int_equal(evn_alloc_free_space(&t, room), 0);
	assert_true(room[0] == 10 * M && room[1] == 10 * M &&
		    room[2] == 10 * M);
	v = alloc_ok(&t, "g", STRIPE, 30 * M, 0, 0, 30 * M);
	assert_extent(&t, v, 0, "t0", 46 * M, 10 * M, 0);
	assert_extent(&t, v, 1, "t1", 46 * M, 10 * M, 1);
	assert_extent(&t, v, 2, "t2", 46 * M, 10 * M, 2);

	/* concat growth refused when full */
	assert_int_equal(evn_alloc_delete(&t, "g", err, sizeof(err)), 0);
	alloc_ok(&t, "c", CONCAT, 30 * M, 0, 0, 30 * M);
	before = snapshot(&t);
	assert_int_equal(evn_alloc_grow(&t, "c", M, &size, err, sizeof(err)),
			 -ENOSPC);
	assert_string_equal(err, "need 1M more for volume \"c\"; pool \"pool0\" has only 0 free");
	assert_unchanged(&t, before);

	/* everything deleted: all free again */
	while (t.nr_volumes)
		assert_int_equal(evn_alloc_delete(&t, t.volumes[0].name, err,
						  sizeof(err)), 0);
	assert_null(t.volumes);
	assert_int_equal(evn_alloc_free_space(&t, room), 0);
	assert_true(room[0] == 100 * M && room[1] == 100 * M &&
		    room[2] == 100 * M);
	evn_pool_table_free(&t);
}

static void test_errors(void **state)
{
	static const struct {
		const char *name;
		uint32_t layout;
		uint64_t size;
		uint32_t columns;
		uint32_t chunk;
		int ret;
		const char *err;
	} cases[] = {
		{ "", CONCAT, M, 0, 0, -EINVAL, "invalid volume name \"\": empty" },
		{ "a/b", CONCAT, M, 0, 0, -EINVAL,
		  "invalid volume name \"a/b\": character '/' not allowed (only A-Z a-z 0-9 . _ -)" },
		{ "v", CONCAT, M, 0, 0, -EEXIST, "volume \"v\" already exists in pool \"pool0\"" },
		{ "w", CONCAT, 0, 0, 0, -EINVAL, "size must not be 0" },
		{ "w", CONCAT, M, 2, 0, -EINVAL, "a concat volume has no columns and no chunk" },
		{ "w", CONCAT, M, 0, 4096, -EINVAL, "a concat volume has no columns and no chunk" },
		{ "w", 9, M, 0, 0, -EINVAL, "unknown layout 9" },
		{ "w", STRIPE, M, 0, 3000, -EINVAL, "chunk 3000 is not a power of two from 4K to 16M" },
		{ "w", STRIPE, M, 0, 2048, -EINVAL, "chunk 2048 is not a power of two from 4K to 16M" },
		{ "w", STRIPE, M, 0, 32 << 20, -EINVAL, "chunk 33554432 is not a power of two from 4K to 16M" },
		{ "w", CONCAT, INT64_MAX, 0, 0, -EFBIG, "size 8.0E is too large" },
		{ "w", STRIPE, 1ULL << 62, 2, 0, -ENOSPC,
		  "need 4E in 2 columns of 2E on distinct targets; no target has 2E free" },
	};
	struct evn_alloc_request req = { .name = "w", .size = M };
	struct evn_pool_table t, empty;
	char err[EVN_ERRLEN], *before;
	uint64_t size;
	size_t i;

	(void)state;
	pool_equal(&t, 2, 100 * M);
	alloc_ok(&t, "v", CONCAT, M, 0, 0, M);
	before = snapshot(&t);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		print_message("case %zu\n", i);
		assert_int_equal(alloc(&t, cases[i].name, cases[i].layout,
				       cases[i].size, cases[i].columns,
				       cases[i].chunk, &size, err),
				 cases[i].ret);
		assert_string_equal(err, cases[i].err);
	}
	/* UUID in use */
	memcpy(req.uuid, t.volumes[0].uuid, 16);
	assert_int_equal(evn_alloc_volume(&t, &req, &size, err, sizeof(err)),
			 -EEXIST);
	assert_string_equal(err, "volume \"v\" already has that UUID");
	/* grow and delete */
	assert_int_equal(evn_alloc_grow(&t, "nope", M, &size, err,
					sizeof(err)), -ENOENT);
	assert_string_equal(err, "no volume \"nope\" in pool \"pool0\"");
	assert_int_equal(evn_alloc_grow(&t, "v", 0, &size, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "growth must not be 0");
	assert_int_equal(evn_alloc_grow(&t, "v", INT64_MAX - 10, &size, err,
					sizeof(err)), -EFBIG);
	assert_string_equal(err, "growth 8.0E is too large");
	assert_int_equal(evn_alloc_grow(&t, "v", INT64_MAX - M + 1, &size,
					err, sizeof(err)), -EFBIG);
	assert_string_equal(err, "volume \"v\" would be larger than 2^63 - 1 bytes");
	assert_int_equal(evn_alloc_delete(&t, "nope", err, sizeof(err)),
			 -ENOENT);
	assert_string_equal(err, "no volume \"nope\" in pool \"pool0\"");
	assert_unchanged(&t, before);

	/* a broken table is not trusted */
	t.volumes[0].extents[0].offset = 0;
	assert_int_equal(alloc(&t, "w", CONCAT, M, 0, 0, &size, err), -EINVAL);
	assert_string_equal(err, "pool table is not valid: volume \"v\" extent 0: offset 0 is inside the metadata area of target \"t0\" (16777216 bytes)");
	assert_int_equal(evn_alloc_grow(&t, "v", M, &size, err, sizeof(err)),
			 -EINVAL);
	evn_pool_table_free(&t);

	/* a pool without targets */
	pool_init(&empty, M, 16 * M);
	assert_int_equal(alloc(&empty, "w", CONCAT, M, 0, 0, &size, err),
			 -ENOSPC);
	assert_string_equal(err, "pool \"pool0\" has no targets");
	evn_pool_table_free(&empty);
}

static void test_check(void **state)
{
	struct evn_pool_table t;
	struct evn_pool_volume *v;
	char err[EVN_ERRLEN];

	(void)state;
	pool_equal(&t, 2, 100 * M);
	v = alloc_ok(&t, "s", STRIPE, 20 * M, 2, 0, 20 * M);
	/* column 1 moved to column 0's target: valid, but not ours */
	memcpy(v->extents[1].target, v->extents[0].target, 16);
	v->extents[1].offset = 36 * M;
	assert_int_equal(evn_pool_table_check(&t, err, sizeof(err)), 0);
	assert_int_equal(evn_alloc_check(&t, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "volume \"s\": columns 0 and 1 share target \"t0\"");
	/* overlap */
	v->extents[1].offset = 20 * M;
	assert_int_equal(evn_alloc_check(&t, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "target \"t0\": volume \"s\" extent 1 (20971520+10485760) overlaps volume \"s\" extent 0 (16777216+10485760)");
	/* outside the target */
	v->extents[1].offset = 110 * M;
	assert_int_equal(evn_alloc_check(&t, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "volume \"s\" extent 1: 115343360+10485760 goes past the end of target \"t0\" (121634816 bytes)");
	/* not whole units */
	v->extents[1].offset = 40 * M + 4096;
	assert_int_equal(evn_alloc_check(&t, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "volume \"s\" extent 1: offset 41947136 is not a multiple of the unit (1048576)");
	evn_pool_table_free(&t);
}

static void test_unit_and_area(void **state)
{
	struct evn_pool_table t;
	struct evn_pool_volume *v;
	uint64_t room[2];

	(void)state;
	/*
	 * unit 4M, area 1M: the first unit past the area is at 4M; the
	 * end is rounded down to a unit
	 */
	pool_init(&t, 4 * M, M);
	pool_add_target(&t, 4 * M + 40 * M + 512);
	pool_add_target(&t, M + 40 * M);
	assert_int_equal(evn_alloc_free_space(&t, room), 0);
	assert_true(room[0] == 40 * M);
	assert_true(room[1] == 36 * M);
	v = alloc_ok(&t, "a", CONCAT, M, 0, 0, 4 * M);
	assert_extent(&t, v, 0, "t0", 4 * M, 4 * M, 0);
	v = alloc_ok(&t, "b", STRIPE, 10 * M, 0, 0, 16 * M);
	assert_extent(&t, v, 0, "t0", 8 * M, 8 * M, 0);
	assert_extent(&t, v, 1, "t1", 4 * M, 8 * M, 1);
	evn_pool_table_free(&t);
}

/* ---- random sequences ---- */

static uint64_t rnd_state = 0x9e3779b97f4a7c15ULL;

/* xorshift64*: the same sequence on every libc */
static uint64_t rnd(void)
{
	rnd_state ^= rnd_state >> 12;
	rnd_state ^= rnd_state << 25;
	rnd_state ^= rnd_state >> 27;
	return rnd_state * 0x2545f4914f6cdd1dULL;
}

static uint64_t rnd_below(uint64_t n)
{
	return rnd() % n;
}

/* Free and used bytes add up to what each target can hold. */
static void assert_accounting(const struct evn_pool_table *t)
{
	uint64_t room[8], used[8] = { 0 };
	size_t i, j;

	assert_true(t->nr_targets <= 8);
	assert_int_equal(evn_alloc_free_space(t, room), 0);
	for (i = 0; i < t->nr_volumes; i++) {
		const struct evn_pool_volume *v = &t->volumes[i];
		uint64_t sum = 0;

		for (j = 0; j < v->nr_extents; j++) {
			const struct evn_pool_target *tg =
				evn_pool_table_target(t, v->extents[j].target);

			used[tg - t->targets] += v->extents[j].length;
			sum += v->extents[j].length;
		}
		assert_true(sum == v->size);
		assert_true(v->size % evn_alloc_granule(t, v->layout,
							v->columns,
							v->chunk) == 0);
	}
	for (i = 0; i < t->nr_targets; i++) {
		uint64_t lo = (t->metadata_size + t->unit - 1) / t->unit *
			      t->unit;
		uint64_t hi = t->targets[i].capacity / t->unit * t->unit;

		assert_true(room[i] + used[i] == (hi > lo ? hi - lo : 0));
	}
}

/* What the random runs went through, to see they cover the cases. */
static size_t grew_in_place, grew_new_extents, multi_extent_columns;

static void random_run(unsigned int round)
{
	static const uint64_t units[] = { M, 2 * M, 4 * M };
	static const uint64_t areas[] = { M, 3 * M, 16 * M };
	struct evn_pool_table t, old;
	char err[EVN_ERRLEN], name[EVN_NAME_MAX + 1], *before;
	size_t nr_targets, i, op, ok = 0, refused = 0;
	uint64_t unit, size;
	int ret;

	unit = units[rnd_below(ARRAY_SIZE(units))];
	pool_init(&t, unit, areas[rnd_below(ARRAY_SIZE(areas))]);
	nr_targets = 1 + rnd_below(6);
	for (i = 0; i < nr_targets; i++)
		pool_add_target(&t, t.metadata_size +
				(20 + rnd_below(300)) * M + rnd_below(8) * 512);

	for (op = 0; op < 400; op++) {
		uint64_t r = rnd_below(10);

		before = snapshot(&t);
		if (r < 5 || !t.nr_volumes) {
			uint32_t layout = rnd_below(2) ? STRIPE : CONCAT;
			uint32_t columns = 0, chunk = 0;

			if (layout == STRIPE) {
				columns = rnd_below(nr_targets + 1);
				chunk = rnd_below(3) ?
					4096U << rnd_below(13) : 0;
			}
			snprintf(name, sizeof(name), "r%zu", op);
			ret = alloc(&t, name, layout,
				    1 + rnd_below(rnd_below(4) ? 40 * M : 400 * M),
				    columns, chunk, &size, err);
		} else if (r < 8) {
			const char *vname =
				t.volumes[rnd_below(t.nr_volumes)].name;

			assert_int_equal(evn_pool_table_copy(&old, &t), 0);
			ret = evn_alloc_grow(&t, vname,
					     1 + rnd_below(30 * M), &size, err,
					     sizeof(err));
			if (!ret) {
				const struct evn_pool_volume *a, *b;

				a = evn_pool_table_volume(&old, vname);
				b = evn_pool_table_volume(&t, vname);
				assert_prefix(a, b);
				if (b->nr_extents == a->nr_extents)
					grew_in_place++;
				else
					grew_new_extents++;
				if (b->nr_extents > b->columns)
					multi_extent_columns++;
			}
			evn_pool_table_free(&old);
		} else {
			snprintf(name, sizeof(name), "%s",
				 t.volumes[rnd_below(t.nr_volumes)].name);
			ret = evn_alloc_delete(&t, name, err, sizeof(err));
			assert_int_equal(ret, 0);
			assert_null(evn_pool_table_volume(&t, name));
		}
		if (ret) {
			/* only for want of space; and nothing changed */
			if (ret != -ENOSPC)
				print_message("round %u op %zu: %s\n", round, op,
					      err);
			assert_int_equal(ret, -ENOSPC);
			assert_unchanged(&t, before);
			refused++;
		} else {
			free(before);
			ok++;
		}
		ret = evn_alloc_check(&t, err, sizeof(err));
		if (ret)
			print_message("round %u op %zu: %s\n", round, op, err);
		assert_int_equal(ret, 0);
		assert_accounting(&t);
	}

	/* the table survives its own format */
	{
		struct evn_pool_table d;
		char *p = snapshot(&t), *q;

		assert_int_equal(evn_pool_table_decode(p, strlen(p), &d, err,
						       sizeof(err)), 0);
		q = snapshot(&d);
		assert_string_equal(p, q);
		free(p);
		free(q);
		evn_pool_table_free(&d);
	}
	print_message("round %u: %zu target(s), unit %" PRIu64 "M: %zu done, %zu refused, %zu volumes\n",
		      round, nr_targets, unit / M, ok, refused, t.nr_volumes);
	assert_true(ok > 0);
	evn_pool_table_free(&t);
}

static void test_random(void **state)
{
	unsigned int round;

	(void)state;
	for (round = 0; round < 25; round++)
		random_run(round);
	print_message("grown in place %zu, with new extents %zu; %zu times columns of several extents\n",
		      grew_in_place, grew_new_extents, multi_extent_columns);
	assert_true(grew_in_place > 100);
	assert_true(grew_new_extents > 100);
	assert_true(multi_extent_columns > 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_granule),
		cmocka_unit_test(test_rounding),
		cmocka_unit_test(test_concat_placement),
		cmocka_unit_test(test_stripe_placement),
		cmocka_unit_test(test_stripe_distinct),
		cmocka_unit_test(test_balance),
		cmocka_unit_test(test_first_fit_and_largest),
		cmocka_unit_test(test_grow_concat),
		cmocka_unit_test(test_grow_concat_other_target),
		cmocka_unit_test(test_grow_stripe_in_place),
		cmocka_unit_test(test_grow_stripe_same_target),
		cmocka_unit_test(test_grow_stripe_other_target),
		cmocka_unit_test(test_grow_stripe_partial),
		cmocka_unit_test(test_fill_until_full),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_unit_and_area),
		cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests_name("evn_alloc", tests, NULL, NULL);
}
