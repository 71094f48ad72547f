// SPDX-License-Identifier: GPL-2.0
/*
 * layout_test.c - KUnit tests for volume maps and the splitting of requests
 *
 * Copyright (C) 2026 The evn authors
 */
#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "evn.h"
#include "layout.h"

#define KiB ((u64)SZ_1K)
#define MiB ((u64)SZ_1M)
#define GiB ((u64)SZ_1G)

/* ---- test targets, maps and helpers ---- */

/*
 * Targets are opaque to the layout code: the test's are the addresses of
 * the bytes of evn_lt_target_obj, with these properties by index.
 */
struct evn_lt_target {
	u64 capacity;
	unsigned int lba_shift;
};

static const struct evn_lt_target evn_lt_targets[] = {
	{ GiB, 9 },		/* T0..T3: plain */
	{ GiB, 9 },
	{ GiB, 9 },
	{ GiB, 9 },
	{ GiB, 12 },		/* T4: 4 KiB blocks */
	{ MiB, 9 },		/* T5: small */
	{ GiB, 13 },		/* T6: 8 KiB blocks */
	{ GiB, 8 },		/* T7: 256-byte blocks, not supported */
	{ U64_MAX, 9 },		/* T8: huge */
};

static char evn_lt_target_obj[ARRAY_SIZE(evn_lt_targets)];

static void *evn_lt_target(unsigned int i)
{
	return &evn_lt_target_obj[i];
}

#define EVN_LT_COLS	4
#define EVN_LT_EXTS	6

struct evn_lt_ext {
	u8 target;
	u64 offset;
	u64 length;
};

/* A small map, written out in a table. */
struct evn_lt_map {
	enum evn_layout_type type;
	u32 chunk;
	u32 nr_columns;
	u32 nr_extents[EVN_LT_COLS];
	struct evn_lt_ext ext[EVN_LT_COLS][EVN_LT_EXTS];
};

#define LT_EXT(t, o, l) { .target = (t), .offset = (o), .length = (l) }

/* One extent of 8 MiB at 1 MiB on T0. */
static const struct evn_lt_map evn_lt_concat1 = {
	.type = EVN_LAYOUT_CONCAT,
	.nr_columns = 1,
	.nr_extents = { 1 },
	.ext = { { LT_EXT(0, MiB, 8 * MiB) } },
};

/* Six extents of different sizes on three targets: 5 MiB. */
#define LT_CONCAT6_EXTENTS {						\
	LT_EXT(0, 0, MiB),			/* [0, 1M) */		\
	LT_EXT(1, 64 * KiB, 12 * KiB),		/* [1M, 1M+12K) */	\
	LT_EXT(2, 2 * MiB, 2 * MiB),		/* [1M+12K, 3M+12K) */	\
	LT_EXT(0, MiB, 4 * KiB),		/* [3M+12K, 3M+16K) */	\
	LT_EXT(1, MiB, MiB - 16 * KiB),		/* [3M+16K, 4M) */	\
	LT_EXT(2, 0, MiB),			/* [4M, 5M) */		\
}

static const struct evn_lt_map evn_lt_concat6 = {
	.type = EVN_LAYOUT_CONCAT,
	.nr_columns = 1,
	.nr_extents = { 6 },
	.ext = { LT_CONCAT6_EXTENTS },
};

/* The same extents as a one-column stripe with 4 KiB chunks. */
static const struct evn_lt_map evn_lt_stripe1 = {
	.type = EVN_LAYOUT_STRIPE,
	.chunk = SZ_4K,
	.nr_columns = 1,
	.nr_extents = { 6 },
	.ext = { LT_CONCAT6_EXTENTS },
};

/* Two columns of one 1 MiB extent, 64 KiB chunks: 2 MiB. */
static const struct evn_lt_map evn_lt_stripe2 = {
	.type = EVN_LAYOUT_STRIPE,
	.chunk = SZ_64K,
	.nr_columns = 2,
	.nr_extents = { 1, 1 },
	.ext = {
		{ LT_EXT(0, 0, MiB) },
		{ LT_EXT(1, 0, MiB) },
	},
};

/*
 * Three columns of 192 KiB, 16 KiB chunks: 576 KiB, 36 chunks. Extent
 * boundaries at column offsets 40K (column 0), 4K and 104K (column 2) fall
 * inside chunks.
 */
static const struct evn_lt_map evn_lt_stripe3 = {
	.type = EVN_LAYOUT_STRIPE,
	.chunk = SZ_16K,
	.nr_columns = 3,
	.nr_extents = { 2, 1, 3 },
	.ext = {
		{ LT_EXT(0, 0, 40 * KiB), LT_EXT(1, MiB, 152 * KiB) },
		{ LT_EXT(2, 0, 192 * KiB) },
		{ LT_EXT(3, 4 * KiB, 4 * KiB), LT_EXT(0, MiB, 100 * KiB),
		  LT_EXT(1, 0, 88 * KiB) },
	},
};

/* Four columns of two 8 KiB extents, 4 KiB chunks: 64 KiB. */
static const struct evn_lt_map evn_lt_tiny = {
	.type = EVN_LAYOUT_STRIPE,
	.chunk = SZ_4K,
	.nr_columns = 4,
	.nr_extents = { 2, 2, 2, 2 },
	.ext = {
		{ LT_EXT(0, 0, 8 * KiB), LT_EXT(0, 64 * KiB, 8 * KiB) },
		{ LT_EXT(1, 0, 8 * KiB), LT_EXT(1, 64 * KiB, 8 * KiB) },
		{ LT_EXT(2, 0, 8 * KiB), LT_EXT(2, 64 * KiB, 8 * KiB) },
		{ LT_EXT(3, 0, 8 * KiB), LT_EXT(3, 64 * KiB, 8 * KiB) },
	},
};

/* Two columns of 32 MiB, 16 MiB chunks: 64 MiB. */
static const struct evn_lt_map evn_lt_huge = {
	.type = EVN_LAYOUT_STRIPE,
	.chunk = SZ_16M,
	.nr_columns = 2,
	.nr_extents = { 2, 1 },
	.ext = {
		{ LT_EXT(0, 0, 16 * MiB), LT_EXT(1, 0, 16 * MiB) },
		{ LT_EXT(2, 0, 32 * MiB) },
	},
};

/* The description of a table map, in test-managed memory. */
static struct evn_layout_desc *evn_lt_desc(struct kunit *test,
					   const struct evn_lt_map *m)
{
	struct evn_layout_column_desc *cols;
	struct evn_layout_desc *desc;
	u32 c, i;

	desc = kunit_kzalloc(test, sizeof(*desc), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, desc);
	cols = kunit_kcalloc(test, EVN_LT_COLS, sizeof(*cols), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, cols);
	for (c = 0; c < EVN_LT_COLS; c++) {
		struct evn_layout_extent_desc *ext;

		ext = kunit_kcalloc(test, EVN_LT_EXTS, sizeof(*ext),
				    GFP_KERNEL);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ext);
		for (i = 0; i < m->nr_extents[c] && i < EVN_LT_EXTS; i++) {
			const struct evn_lt_ext *e = &m->ext[c][i];

			ext[i].target = evn_lt_target(e->target);
			ext[i].target_offset = e->offset;
			ext[i].length = e->length;
			ext[i].capacity = evn_lt_targets[e->target].capacity;
			ext[i].lba_shift = evn_lt_targets[e->target].lba_shift;
		}
		cols[c].extents = ext;
		cols[c].nr_extents = m->nr_extents[c];
	}
	desc->type = m->type;
	desc->chunk = m->chunk;
	desc->nr_columns = m->nr_columns;
	desc->columns = cols;
	return desc;
}

/*
 * A built map is a KUnit resource, so a failed assertion still frees it
 * (kunit_add_action() is not in 6.1). It starts empty; evn_lt_build()
 * frees and rebuilds it.
 */
static int evn_lt_layout_init(struct kunit_resource *res, void *context)
{
	struct evn_layout *layout = kzalloc(sizeof(*layout), GFP_KERNEL);

	res->data = layout;
	return layout ? 0 : -ENOMEM;
}

static void evn_lt_layout_free(struct kunit_resource *res)
{
	evn_layout_free(res->data);
	kfree(res->data);
}

static struct evn_layout *evn_lt_layout(struct kunit *test)
{
	struct evn_layout *layout;

	layout = kunit_alloc_resource(test, evn_lt_layout_init,
				      evn_lt_layout_free, GFP_KERNEL, NULL);
	KUNIT_ASSERT_NOT_NULL(test, layout);
	return layout;
}

static void evn_lt_build(struct kunit *test, struct evn_layout *layout,
			 const struct evn_layout_desc *desc)
{
	struct evn_layout_error error;

	KUNIT_ASSERT_EQ_MSG(test, evn_layout_validate(desc, &error), 0,
			    "%s (column %d, extent %d)", error.msg,
			    error.column, error.extent);
	evn_layout_free(layout);
	KUNIT_ASSERT_EQ(test, evn_layout_build(layout, desc), 0);
}

static struct evn_layout *evn_lt_build_map(struct kunit *test,
					   const struct evn_lt_map *m)
{
	struct evn_layout *layout = evn_lt_layout(test);

	evn_lt_build(test, layout, evn_lt_desc(test, m));
	return layout;
}

/* Large arrays (kvmalloc), freed when the test ends. */
static int evn_lt_kvmalloc_init(struct kunit_resource *res, void *context)
{
	res->data = kvzalloc((size_t)context, GFP_KERNEL);
	return res->data ? 0 : -ENOMEM;
}

static void evn_lt_kvmalloc_free(struct kunit_resource *res)
{
	kvfree(res->data);
}

static void *evn_lt_kvzalloc(struct kunit *test, size_t n, size_t size)
{
	void *p;

	KUNIT_ASSERT_FALSE(test, size && n > SIZE_MAX / size);
	p = kunit_alloc_resource(test, evn_lt_kvmalloc_init,
				 evn_lt_kvmalloc_free, GFP_KERNEL,
				 (void *)(n * size));
	KUNIT_ASSERT_NOT_NULL(test, p);
	return p;
}

/*
 * The reference: where each 512-byte sector of a request lives, by the
 * placement rule applied to the description with divisions and a linear
 * walk of the column's extents; sectors join the previous piece when they
 * follow it on the same extent and, for stripes of several columns, do not
 * start a chunk.
 */
static void evn_lt_ref_locate(const struct evn_layout_desc *desc, u64 pos,
			      struct evn_layout_piece *p)
{
	const struct evn_layout_column_desc *col;
	u64 off = pos;
	u32 column = 0;
	u32 i;

	if (desc->nr_columns > 1) {
		u64 k = div64_u64(pos, desc->chunk);
		u64 row = div64_u64(k, desc->nr_columns);

		column = k - row * desc->nr_columns;
		off = row * desc->chunk + (pos - k * desc->chunk);
	}
	col = &desc->columns[column];
	for (i = 0; off >= col->extents[i].length; i++)
		off -= col->extents[i].length;
	p->column = column;
	p->extent = i;
	p->target = col->extents[i].target;
	p->target_offset = col->extents[i].target_offset + off;
}

static int evn_lt_ref_map(const struct evn_layout_desc *desc, u64 pos,
			  u64 len, struct evn_layout_piece *pieces,
			  unsigned int max)
{
	unsigned int n = 0;
	u64 done;

	for (done = 0; done < len; done += SECTOR_SIZE) {
		struct evn_layout_piece *last = n ? &pieces[n - 1] : NULL;
		struct evn_layout_piece s;
		bool chunk_start = false;
		u64 rem;

		evn_lt_ref_locate(desc, pos + done, &s);
		if (desc->nr_columns > 1) {
			div64_u64_rem(pos + done, desc->chunk, &rem);
			chunk_start = !rem;
		}
		if (last && !chunk_start && s.column == last->column &&
		    s.extent == last->extent &&
		    s.target_offset == last->target_offset + last->length) {
			last->length += SECTOR_SIZE;
			continue;
		}
		if (n == max)
			return -E2BIG;
		s.length = SECTOR_SIZE;
		s.req_offset = done;
		pieces[n++] = s;
	}
	return n;
}

static void evn_lt_expect_same(struct kunit *test,
			       const struct evn_layout_piece *got,
			       const struct evn_layout_piece *want,
			       unsigned int n, const char *what)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ_MSG(test, got[i].column, want[i].column,
				    "%s, piece %u", what, i);
		KUNIT_EXPECT_EQ_MSG(test, got[i].extent, want[i].extent,
				    "%s, piece %u", what, i);
		KUNIT_EXPECT_PTR_EQ_MSG(test, got[i].target, want[i].target,
					"%s, piece %u", what, i);
		KUNIT_EXPECT_EQ_MSG(test, got[i].target_offset,
				    want[i].target_offset, "%s, piece %u",
				    what, i);
		KUNIT_EXPECT_EQ_MSG(test, got[i].length, want[i].length,
				    "%s, piece %u", what, i);
		KUNIT_EXPECT_EQ_MSG(test, got[i].req_offset, want[i].req_offset,
				    "%s, piece %u", what, i);
	}
}

/* Pieces run from 0 to @len, without gaps, each non-empty. */
static void evn_lt_expect_cover(struct kunit *test,
				const struct evn_layout_piece *p,
				unsigned int n, u64 len)
{
	u64 total = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ_MSG(test, p[i].req_offset, total, "piece %u", i);
		KUNIT_EXPECT_NE_MSG(test, p[i].length, 0ULL, "piece %u", i);
		total += p[i].length;
	}
	KUNIT_EXPECT_EQ(test, total, len);
}

/* ---- evn_layout_map: table of requests ---- */

#define EVN_LT_PIECES	8

struct evn_lt_piece {
	u32 column;
	u32 extent;
	u8 target;
	u64 target_offset;
	u64 length;
	u64 req_offset;
};

#define LT_P(c, e, t, o, l, r)						\
	{ .column = (c), .extent = (e), .target = (t),			\
	  .target_offset = (o), .length = (l), .req_offset = (r) }

struct evn_lt_map_case {
	const char *name;
	const struct evn_lt_map *map;
	u64 pos;
	u64 len;
	int ret;	/* pieces, or -errno */
	/* all of them when ret <= EVN_LT_PIECES */
	struct evn_lt_piece pieces[EVN_LT_PIECES];
};

static const struct evn_lt_map_case evn_lt_map_cases[] = {
	/* concat, one extent */
	{ "concat_first_sector", &evn_lt_concat1, 0, 512, 1,
	  { LT_P(0, 0, 0, MiB, 512, 0) } },
	{ "concat_last_sector", &evn_lt_concat1, 8 * MiB - 512, 512, 1,
	  { LT_P(0, 0, 0, 9 * MiB - 512, 512, 0) } },
	{ "concat_whole", &evn_lt_concat1, 0, 8 * MiB, 1,
	  { LT_P(0, 0, 0, MiB, 8 * MiB, 0) } },
	{ "concat_empty_at_end", &evn_lt_concat1, 8 * MiB, 0, 0 },
	{ "concat_past_end", &evn_lt_concat1, 8 * MiB - 512, 1024, -EINVAL },
	{ "concat_pos_past_end", &evn_lt_concat1, 8 * MiB, 512, -EINVAL },
	{ "concat_huge_len", &evn_lt_concat1, 512, U64_MAX - 511, -EINVAL },
	{ "concat_unaligned_pos", &evn_lt_concat1, 256, 512, -EINVAL },
	{ "concat_unaligned_len", &evn_lt_concat1, 0, 4000, -EINVAL },
	/* concat, many extents */
	{ "concat_ends_at_extent_end", &evn_lt_concat6, MiB - 4 * KiB,
	  4 * KiB, 1, { LT_P(0, 0, 0, MiB - 4 * KiB, 4 * KiB, 0) } },
	{ "concat_starts_at_extent_start", &evn_lt_concat6, MiB, 4 * KiB, 1,
	  { LT_P(0, 1, 1, 64 * KiB, 4 * KiB, 0) } },
	{ "concat_across_boundary", &evn_lt_concat6, MiB - 512, 1024, 2,
	  { LT_P(0, 0, 0, MiB - 512, 512, 0),
	    LT_P(0, 1, 1, 64 * KiB, 512, 512) } },
	{ "concat_small_extents", &evn_lt_concat6, MiB + 8 * KiB,
	  2 * MiB + 16 * KiB, 4,
	  { LT_P(0, 1, 1, 72 * KiB, 4 * KiB, 0),
	    LT_P(0, 2, 2, 2 * MiB, 2 * MiB, 4 * KiB),
	    LT_P(0, 3, 0, MiB, 4 * KiB, 2 * MiB + 4 * KiB),
	    LT_P(0, 4, 1, MiB, 8 * KiB, 2 * MiB + 8 * KiB) } },
	{ "concat_all_extents", &evn_lt_concat6, 0, 5 * MiB, 6,
	  { LT_P(0, 0, 0, 0, MiB, 0),
	    LT_P(0, 1, 1, 64 * KiB, 12 * KiB, MiB),
	    LT_P(0, 2, 2, 2 * MiB, 2 * MiB, MiB + 12 * KiB),
	    LT_P(0, 3, 0, MiB, 4 * KiB, 3 * MiB + 12 * KiB),
	    LT_P(0, 4, 1, MiB, MiB - 16 * KiB, 3 * MiB + 16 * KiB),
	    LT_P(0, 5, 2, 0, MiB, 4 * MiB) } },
	{ "concat_last_extent_last_sector", &evn_lt_concat6, 5 * MiB - 512,
	  512, 1, { LT_P(0, 5, 2, MiB - 512, 512, 0) } },
	/* one-column stripe: concat placement, no split at chunks */
	{ "stripe1_small_extents", &evn_lt_stripe1, MiB + 8 * KiB,
	  2 * MiB + 16 * KiB, 4,
	  { LT_P(0, 1, 1, 72 * KiB, 4 * KiB, 0),
	    LT_P(0, 2, 2, 2 * MiB, 2 * MiB, 4 * KiB),
	    LT_P(0, 3, 0, MiB, 4 * KiB, 2 * MiB + 4 * KiB),
	    LT_P(0, 4, 1, MiB, 8 * KiB, 2 * MiB + 8 * KiB) } },
	{ "stripe1_many_chunks_one_extent", &evn_lt_stripe1, 4 * KiB + 512,
	  MiB - 8 * KiB, 1, { LT_P(0, 0, 0, 4 * KiB + 512, MiB - 8 * KiB, 0) } },
	/* two columns, 64 KiB chunks */
	{ "stripe2_first_chunk", &evn_lt_stripe2, 0, 64 * KiB, 1,
	  { LT_P(0, 0, 0, 0, 64 * KiB, 0) } },
	{ "stripe2_second_chunk", &evn_lt_stripe2, 64 * KiB, 64 * KiB, 1,
	  { LT_P(1, 0, 1, 0, 64 * KiB, 0) } },
	{ "stripe2_ends_at_chunk_end", &evn_lt_stripe2, 64 * KiB - 512, 512, 1,
	  { LT_P(0, 0, 0, 64 * KiB - 512, 512, 0) } },
	{ "stripe2_across_chunks", &evn_lt_stripe2, 64 * KiB - 512, 1024, 2,
	  { LT_P(0, 0, 0, 64 * KiB - 512, 512, 0),
	    LT_P(1, 0, 1, 0, 512, 512) } },
	{ "stripe2_no_merge_in_column", &evn_lt_stripe2, 0, 256 * KiB, 4,
	  { LT_P(0, 0, 0, 0, 64 * KiB, 0),
	    LT_P(1, 0, 1, 0, 64 * KiB, 64 * KiB),
	    LT_P(0, 0, 0, 64 * KiB, 64 * KiB, 128 * KiB),
	    LT_P(1, 0, 1, 64 * KiB, 64 * KiB, 192 * KiB) } },
	{ "stripe2_second_row", &evn_lt_stripe2, 128 * KiB, 4 * KiB, 1,
	  { LT_P(0, 0, 0, 64 * KiB, 4 * KiB, 0) } },
	{ "stripe2_last_sector", &evn_lt_stripe2, 2 * MiB - 512, 512, 1,
	  { LT_P(1, 0, 1, MiB - 512, 512, 0) } },
	{ "stripe2_past_end", &evn_lt_stripe2, 2 * MiB - 512, 1024, -EINVAL },
	{ "stripe2_whole", &evn_lt_stripe2, 0, 2 * MiB, 32 },
	/* three columns of several extents, 16 KiB chunks */
	{ "stripe3_extent_ends_inside_chunk", &evn_lt_stripe3, 96 * KiB,
	  16 * KiB, 2,
	  { LT_P(0, 0, 0, 32 * KiB, 8 * KiB, 0),
	    LT_P(0, 1, 1, MiB, 8 * KiB, 8 * KiB) } },
	{ "stripe3_column2_first_chunk", &evn_lt_stripe3, 32 * KiB, 16 * KiB, 2,
	  { LT_P(2, 0, 3, 4 * KiB, 4 * KiB, 0),
	    LT_P(2, 1, 0, MiB, 12 * KiB, 4 * KiB) } },
	{ "stripe3_chunks_and_extents", &evn_lt_stripe3, 92 * KiB, 40 * KiB, 5,
	  { LT_P(2, 1, 0, MiB + 24 * KiB, 4 * KiB, 0),
	    LT_P(0, 0, 0, 32 * KiB, 8 * KiB, 4 * KiB),
	    LT_P(0, 1, 1, MiB, 8 * KiB, 12 * KiB),
	    LT_P(1, 0, 2, 32 * KiB, 16 * KiB, 20 * KiB),
	    LT_P(2, 1, 0, MiB + 28 * KiB, 4 * KiB, 36 * KiB) } },
	{ "stripe3_last_sector", &evn_lt_stripe3, 576 * KiB - 512, 512, 1,
	  { LT_P(2, 2, 1, 88 * KiB - 512, 512, 0) } },
	/* 36 chunks + 3 extent boundaries inside chunks */
	{ "stripe3_whole", &evn_lt_stripe3, 0, 576 * KiB, 39 },
	/* 4 KiB chunks */
	{ "tiny_single_sector", &evn_lt_tiny, 4 * KiB + 512, 512, 1,
	  { LT_P(1, 0, 1, 512, 512, 0) } },
	{ "tiny_one_row", &evn_lt_tiny, 0, 16 * KiB, 4,
	  { LT_P(0, 0, 0, 0, 4 * KiB, 0),
	    LT_P(1, 0, 1, 0, 4 * KiB, 4 * KiB),
	    LT_P(2, 0, 2, 0, 4 * KiB, 8 * KiB),
	    LT_P(3, 0, 3, 0, 4 * KiB, 12 * KiB) } },
	{ "tiny_next_extent", &evn_lt_tiny, 28 * KiB, 8 * KiB, 2,
	  { LT_P(3, 0, 3, 4 * KiB, 4 * KiB, 0),
	    LT_P(0, 1, 0, 64 * KiB, 4 * KiB, 4 * KiB) } },
	{ "tiny_last_sector", &evn_lt_tiny, 64 * KiB - 512, 512, 1,
	  { LT_P(3, 1, 3, 72 * KiB - 512, 512, 0) } },
	{ "tiny_whole", &evn_lt_tiny, 0, 64 * KiB, 16 },
	/* 16 MiB chunks */
	{ "huge_across_first_chunk", &evn_lt_huge, 16 * MiB - 4 * KiB,
	  8 * KiB, 2,
	  { LT_P(0, 0, 0, 16 * MiB - 4 * KiB, 4 * KiB, 0),
	    LT_P(1, 0, 2, 0, 4 * KiB, 4 * KiB) } },
	{ "huge_chunk_then_extent", &evn_lt_huge, 32 * MiB - 512, 1024, 2,
	  { LT_P(1, 0, 2, 16 * MiB - 512, 512, 0),
	    LT_P(0, 1, 1, 0, 512, 512) } },
	{ "huge_inside_chunk", &evn_lt_huge, 4 * KiB, 16 * MiB - 8 * KiB, 1,
	  { LT_P(0, 0, 0, 4 * KiB, 16 * MiB - 8 * KiB, 0) } },
	{ "huge_last_sector", &evn_lt_huge, 64 * MiB - 512, 512, 1,
	  { LT_P(1, 0, 2, 32 * MiB - 512, 512, 0) } },
};

static void evn_lt_map_case_desc(const struct evn_lt_map_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evn_lt_map, evn_lt_map_cases, evn_lt_map_case_desc);

#define EVN_LT_MAX_PIECES	64

static void evn_layout_map_test(struct kunit *test)
{
	const struct evn_lt_map_case *c = test->param_value;
	struct evn_layout_piece want[EVN_LT_PIECES];
	struct evn_layout_desc *desc = evn_lt_desc(test, c->map);
	struct evn_layout *layout = evn_lt_layout(test);
	struct evn_layout_piece *got, *ref;
	int i, n;

	evn_lt_build(test, layout, desc);
	got = kunit_kcalloc(test, EVN_LT_MAX_PIECES, sizeof(*got), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, got);
	ref = kunit_kcalloc(test, EVN_LT_MAX_PIECES, sizeof(*ref), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ref);

	n = evn_layout_map(layout, c->pos, c->len, got, EVN_LT_MAX_PIECES);
	KUNIT_ASSERT_EQ(test, n, c->ret);
	if (n <= 0)
		return;

	evn_lt_expect_cover(test, got, n, c->len);
	KUNIT_EXPECT_LE(test, n, evn_layout_max_pieces(layout, c->len));
	if (n <= EVN_LT_PIECES) {
		for (i = 0; i < n; i++) {
			const struct evn_lt_piece *p = &c->pieces[i];

			want[i].column = p->column;
			want[i].extent = p->extent;
			want[i].target = evn_lt_target(p->target);
			want[i].target_offset = p->target_offset;
			want[i].length = p->length;
			want[i].req_offset = p->req_offset;
		}
		evn_lt_expect_same(test, got, want, n, "table");
	}
	/* And the reference agrees with the table. */
	KUNIT_ASSERT_EQ(test, evn_lt_ref_map(desc, c->pos, c->len, ref,
					     EVN_LT_MAX_PIECES), n);
	evn_lt_expect_same(test, got, ref, n, "reference");
}

/* Too small a piece array: -E2BIG, after the pieces that fit. */
static void evn_layout_map_e2big_test(struct kunit *test)
{
	struct evn_layout *layout = evn_lt_build_map(test, &evn_lt_stripe2);
	struct evn_layout_piece p[4];

	KUNIT_EXPECT_EQ(test, evn_layout_map(layout, 0, 256 * KiB, p, 3),
			-E2BIG);
	KUNIT_EXPECT_EQ(test, p[2].column, 0U);
	KUNIT_EXPECT_EQ(test, p[2].req_offset, 128 * KiB);
	KUNIT_EXPECT_EQ(test, evn_layout_map(layout, 0, 256 * KiB, p, 4), 4);
	KUNIT_EXPECT_EQ(test, evn_layout_map(layout, 0, 512, p, 0), -E2BIG);
	KUNIT_EXPECT_EQ(test, evn_layout_map(layout, 0, 0, p, 0), 0);
}

/* A one-column stripe places every byte as concat does. */
static void evn_layout_map_stripe1_is_concat_test(struct kunit *test)
{
	struct evn_layout *concat = evn_lt_build_map(test, &evn_lt_concat6);
	struct evn_layout *stripe = evn_lt_build_map(test, &evn_lt_stripe1);
	struct evn_layout_piece a[8], b[8];
	u64 pos, len, ca, cb;
	u32 i = 0;
	int n;

	KUNIT_ASSERT_EQ(test, concat->size, stripe->size);
	for (pos = 0; pos < concat->size; pos += 3 * SECTOR_SIZE, i++) {
		len = min_t(u64, (1 + i % 61) * 7 * SECTOR_SIZE,
			    concat->size - pos);
		n = evn_layout_map(concat, pos, len, a, ARRAY_SIZE(a));
		KUNIT_ASSERT_GT(test, n, 0);
		KUNIT_ASSERT_EQ(test, evn_layout_map(stripe, pos, len, b,
						     ARRAY_SIZE(b)), n);
		evn_lt_expect_same(test, b, a, n, "stripe1 vs concat");
		KUNIT_ASSERT_EQ(test, evn_layout_column_of(stripe, pos, &cb),
				evn_layout_column_of(concat, pos, &ca));
		KUNIT_ASSERT_EQ(test, cb, ca);
	}
}

/* The placement formula, byte by byte. */
static void evn_layout_column_of_test(struct kunit *test)
{
	struct evn_layout *s3 = evn_lt_build_map(test, &evn_lt_stripe3);
	struct evn_layout *c6 = evn_lt_build_map(test, &evn_lt_concat6);
	u64 off;

	KUNIT_EXPECT_EQ(test, evn_layout_column_of(s3, 0, &off), 0U);
	KUNIT_EXPECT_EQ(test, off, 0ULL);
	KUNIT_EXPECT_EQ(test, evn_layout_column_of(s3, 16 * KiB, &off), 1U);
	KUNIT_EXPECT_EQ(test, off, 0ULL);
	KUNIT_EXPECT_EQ(test, evn_layout_column_of(s3, 32 * KiB + 5, &off), 2U);
	KUNIT_EXPECT_EQ(test, off, 5ULL);
	KUNIT_EXPECT_EQ(test, evn_layout_column_of(s3, 48 * KiB, &off), 0U);
	KUNIT_EXPECT_EQ(test, off, 16 * KiB);
	KUNIT_EXPECT_EQ(test, evn_layout_column_of(s3, 575 * KiB, &off), 2U);
	KUNIT_EXPECT_EQ(test, off, 191 * KiB);
	KUNIT_EXPECT_EQ(test, evn_layout_column_of(c6, 4 * MiB + 512, &off),
			0U);
	KUNIT_EXPECT_EQ(test, off, 4 * MiB + 512);
}

/* What build computes, and that free empties the map. */
static void evn_layout_build_test(struct kunit *test)
{
	struct evn_layout *l = evn_lt_build_map(test, &evn_lt_stripe3);
	const struct evn_layout_column *col;
	u32 i;

	KUNIT_EXPECT_EQ(test, l->type, EVN_LAYOUT_STRIPE);
	KUNIT_EXPECT_EQ(test, l->nr_copies, 1U);
	KUNIT_EXPECT_EQ(test, l->nr_columns, 3U);
	KUNIT_EXPECT_EQ(test, l->chunk, (u32)SZ_16K);
	KUNIT_EXPECT_EQ(test, l->chunk_shift, 14U);
	KUNIT_EXPECT_EQ(test, l->column_size, 192 * KiB);
	KUNIT_EXPECT_EQ(test, l->size, 576 * KiB);
	KUNIT_EXPECT_EQ(test, l->nr_extents, 6U);
	col = &l->columns[2];
	KUNIT_ASSERT_EQ(test, col->nr_extents, 3U);
	KUNIT_EXPECT_EQ(test, col->start[0], 0ULL);
	KUNIT_EXPECT_EQ(test, col->start[1], 4 * KiB);
	KUNIT_EXPECT_EQ(test, col->start[2], 104 * KiB);
	KUNIT_EXPECT_PTR_EQ(test, col->extents[1].target, evn_lt_target(0));
	KUNIT_EXPECT_EQ(test, col->extents[1].target_offset, MiB);
	KUNIT_EXPECT_EQ(test, col->extents[1].length, 100 * KiB);
	for (i = 1; i < l->nr_extents; i++) {
		const struct evn_layout_extent *a, *b;

		a = &l->extents[l->by_target[i - 1]];
		b = &l->extents[l->by_target[i]];
		KUNIT_EXPECT_TRUE(test, a->target < b->target ||
				  (a->target == b->target &&
				   a->target_offset < b->target_offset));
	}

	l = evn_lt_build_map(test, &evn_lt_concat6);
	KUNIT_EXPECT_EQ(test, l->type, EVN_LAYOUT_CONCAT);
	KUNIT_EXPECT_EQ(test, l->chunk, 0U);
	KUNIT_EXPECT_EQ(test, l->size, 5 * MiB);
	evn_layout_free(l);
	KUNIT_EXPECT_NULL(test, l->extents);
	KUNIT_EXPECT_EQ(test, l->size, 0ULL);
	evn_layout_free(l);
}

static struct kunit_case evn_layout_map_test_cases[] = {
	KUNIT_CASE_PARAM(evn_layout_map_test, evn_lt_map_gen_params),
	KUNIT_CASE(evn_layout_map_e2big_test),
	KUNIT_CASE(evn_layout_map_stripe1_is_concat_test),
	KUNIT_CASE(evn_layout_column_of_test),
	KUNIT_CASE(evn_layout_build_test),
	{}
};

static struct kunit_suite evn_layout_map_test_suite = {
	.name = "evn_layout_map",
	.test_cases = evn_layout_map_test_cases,
};

/* ---- evn_layout_max_pieces ---- */

struct evn_lt_bound_case {
	const char *name;
	const struct evn_lt_map *map;
	u64 max_bytes;
	unsigned int bound;
	bool exact;	/* some request of at most max_bytes needs bound */
};

static const struct evn_lt_bound_case evn_lt_bound_cases[] = {
	{ "concat1_1m", &evn_lt_concat1, MiB, 1, true },
	{ "concat6_zero", &evn_lt_concat6, 0, 0, true },
	{ "concat6_below_sector", &evn_lt_concat6, 511, 0, true },
	{ "concat6_sector", &evn_lt_concat6, 512, 1, true },
	{ "concat6_4k", &evn_lt_concat6, 4 * KiB, 2, true },
	/* boundaries 3M+12K, 3M+16K: both inside a request of 5K, not 4.5K */
	{ "concat6_4k5", &evn_lt_concat6, 4 * KiB + 512, 2, true },
	{ "concat6_5k", &evn_lt_concat6, 5 * KiB, 3, true },
	{ "concat6_16k", &evn_lt_concat6, 16 * KiB, 3, true },
	{ "concat6_whole", &evn_lt_concat6, 5 * MiB, 6, true },
	{ "concat6_past_size", &evn_lt_concat6, 100 * MiB, 6, true },
	{ "stripe1_16k", &evn_lt_stripe1, 16 * KiB, 3, true },
	{ "stripe2_sector", &evn_lt_stripe2, 512, 1, true },
	{ "stripe2_1k", &evn_lt_stripe2, 1024, 2, true },
	{ "stripe2_chunk", &evn_lt_stripe2, 64 * KiB, 2, true },
	{ "stripe2_whole", &evn_lt_stripe2, 2 * MiB, 32, true },
	{ "stripe3_chunk", &evn_lt_stripe3, 16 * KiB, 4, false },
	{ "stripe3_whole", &evn_lt_stripe3, 576 * KiB, 39, true },
	{ "tiny_16k", &evn_lt_tiny, 16 * KiB, 5, true },
	{ "huge_32m", &evn_lt_huge, 32 * MiB, 3, true },
};

static void evn_lt_bound_case_desc(const struct evn_lt_bound_case *c,
				   char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evn_lt_bound, evn_lt_bound_cases, evn_lt_bound_case_desc);

/*
 * The worst case over every request of at most @max bytes: at each sector,
 * the longest request that fits, since extending a request never needs
 * fewer pieces.
 */
static int evn_lt_worst(struct kunit *test, const struct evn_layout *layout,
			u64 max, struct evn_layout_piece *p, unsigned int np)
{
	u64 len = max & ~(u64)(SECTOR_SIZE - 1);
	int n, worst = 0;
	u64 pos;

	if (!len)
		return 0;
	for (pos = 0; pos < layout->size; pos += SECTOR_SIZE) {
		n = evn_layout_map(layout, pos, min(len, layout->size - pos),
				   p, np);
		KUNIT_ASSERT_GT_MSG(test, n, 0, "pos %llu", pos);
		worst = max(worst, n);
	}
	return worst;
}

static void evn_layout_max_pieces_test(struct kunit *test)
{
	const struct evn_lt_bound_case *c = test->param_value;
	struct evn_layout *layout = evn_lt_build_map(test, c->map);
	unsigned int bound = evn_layout_max_pieces(layout, c->max_bytes);
	struct evn_layout_piece *p;
	int worst;

	p = kunit_kcalloc(test, EVN_LT_MAX_PIECES, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p);
	KUNIT_EXPECT_EQ(test, bound, c->bound);
	worst = evn_lt_worst(test, layout, c->max_bytes, p, EVN_LT_MAX_PIECES);
	KUNIT_EXPECT_LE(test, worst, bound);
	if (c->exact)
		KUNIT_EXPECT_EQ(test, worst, bound);
}

static struct kunit_case evn_layout_bound_test_cases[] = {
	KUNIT_CASE_PARAM(evn_layout_max_pieces_test, evn_lt_bound_gen_params),
	{}
};

static struct kunit_suite evn_layout_bound_test_suite = {
	.name = "evn_layout_max_pieces",
	.test_cases = evn_layout_bound_test_cases,
};

/* ---- evn_layout_validate: one case per rule ---- */

struct evn_lt_validate_case {
	const char *name;
	struct evn_lt_map map;
	int err;
	int column;
	int extent;
	const char *msg;
};

#define LT_OFFSET_MSG \
	"extent offset is not a multiple of 4 KiB and of the target's LBA size"
#define LT_LENGTH_MSG \
	"extent length is not a multiple of 4 KiB and of the target's LBA size"
#define LT_CHUNK_RANGE_MSG "chunk size is not between 4 KiB and 16 MiB"
#define LT_OVERLAP_MSG "extent overlaps another extent of the volume"
#define LT_SIZE_MSG "volume is larger than 8 EiB"
#define LT_BIG BIT_ULL(62)

/* Stripe, 64 KiB chunks, two columns of 192 KiB. */
#define LT_STRIPE_OK(col0_ext1) {					\
	.type = EVN_LAYOUT_STRIPE, .chunk = SZ_64K, .nr_columns = 2,	\
	.nr_extents = { 2, 1 },						\
	.ext = {							\
		{ LT_EXT(0, 0, 128 * KiB), col0_ext1 },			\
		{ LT_EXT(2, 0, 192 * KiB) },				\
	},								\
}

#define LT_CONCAT(n, ...) {						\
	.type = EVN_LAYOUT_CONCAT, .nr_columns = 1,			\
	.nr_extents = { n }, .ext = { { __VA_ARGS__ } },		\
}

static const struct evn_lt_validate_case evn_lt_validate_cases[] = {
	{ "valid_concat",
	  LT_CONCAT(2, LT_EXT(0, 0, MiB), LT_EXT(0, MiB, 4 * KiB)),
	  0, -1, -1, NULL },
	{ "valid_stripe", LT_STRIPE_OK(LT_EXT(1, 0, 64 * KiB)),
	  0, -1, -1, NULL },
	{ "valid_adjacent_extents",
	  { .type = EVN_LAYOUT_STRIPE, .chunk = SZ_64K, .nr_columns = 2,
	    .nr_extents = { 1, 1 },
	    .ext = { { LT_EXT(0, 0, 64 * KiB) },
		     { LT_EXT(0, 64 * KiB, 64 * KiB) } } },
	  0, -1, -1, NULL },
	{ "valid_lba_4k", LT_CONCAT(1, LT_EXT(4, 4 * KiB, 8 * KiB)),
	  0, -1, -1, NULL },
	{ "valid_lba_8k",
	  { .type = EVN_LAYOUT_STRIPE, .chunk = SZ_16K, .nr_columns = 1,
	    .nr_extents = { 1 }, .ext = { { LT_EXT(6, 16 * KiB, 32 * KiB) } } },
	  0, -1, -1, NULL },
	{ "valid_stripe_max_chunk",
	  { .type = EVN_LAYOUT_STRIPE, .chunk = SZ_16M, .nr_columns = 1,
	    .nr_extents = { 1 }, .ext = { { LT_EXT(0, 0, 16 * MiB) } } },
	  0, -1, -1, NULL },
	{ "unknown_type", { .type = 2, .nr_columns = 1, .nr_extents = { 1 },
			    .ext = { { LT_EXT(0, 0, 4 * KiB) } } },
	  -EINVAL, -1, -1, "unknown layout" },
	{ "concat_with_chunk",
	  { .type = EVN_LAYOUT_CONCAT, .chunk = SZ_64K, .nr_columns = 1,
	    .nr_extents = { 1 }, .ext = { { LT_EXT(0, 0, 64 * KiB) } } },
	  -EINVAL, -1, -1, "a concat volume has no chunk size" },
	{ "concat_two_columns",
	  { .type = EVN_LAYOUT_CONCAT, .nr_columns = 2, .nr_extents = { 1, 1 },
	    .ext = { { LT_EXT(0, 0, 64 * KiB) }, { LT_EXT(1, 0, 64 * KiB) } } },
	  -EINVAL, -1, -1, "a concat volume has exactly one column" },
	{ "chunk_not_power_of_two",
	  { .type = EVN_LAYOUT_STRIPE, .chunk = 48 * SZ_1K, .nr_columns = 1,
	    .nr_extents = { 1 }, .ext = { { LT_EXT(0, 0, 96 * KiB) } } },
	  -EINVAL, -1, -1, "chunk size is not a power of two" },
	{ "chunk_zero",
	  { .type = EVN_LAYOUT_STRIPE, .nr_columns = 1, .nr_extents = { 1 },
	    .ext = { { LT_EXT(0, 0, 96 * KiB) } } },
	  -EINVAL, -1, -1, "chunk size is not a power of two" },
	{ "chunk_too_small",
	  { .type = EVN_LAYOUT_STRIPE, .chunk = SZ_2K, .nr_columns = 1,
	    .nr_extents = { 1 }, .ext = { { LT_EXT(0, 0, 96 * KiB) } } },
	  -EINVAL, -1, -1, LT_CHUNK_RANGE_MSG },
	{ "chunk_too_large",
	  { .type = EVN_LAYOUT_STRIPE, .chunk = SZ_32M, .nr_columns = 1,
	    .nr_extents = { 1 }, .ext = { { LT_EXT(0, 0, 32 * MiB) } } },
	  -EINVAL, -1, -1, LT_CHUNK_RANGE_MSG },
	{ "no_columns",
	  { .type = EVN_LAYOUT_STRIPE, .chunk = SZ_64K, .nr_columns = 0 },
	  -EINVAL, -1, -1, "a stripe needs at least one column" },
	{ "empty_column",
	  { .type = EVN_LAYOUT_STRIPE, .chunk = SZ_64K, .nr_columns = 3,
	    .nr_extents = { 1, 0, 1 },
	    .ext = { { LT_EXT(0, 0, 64 * KiB) }, { },
		     { LT_EXT(1, 0, 64 * KiB) } } },
	  -EINVAL, 1, -1, "column has no extents" },
	{ "zero_length", LT_STRIPE_OK(LT_EXT(1, 0, 0)),
	  -EINVAL, 0, 1, "extent length is zero" },
	{ "lba_size_unsupported", LT_STRIPE_OK(LT_EXT(7, 0, 64 * KiB)),
	  -EINVAL, 0, 1, "target logical block size is not supported" },
	{ "offset_unaligned", LT_STRIPE_OK(LT_EXT(1, 2 * KiB, 64 * KiB)),
	  -EINVAL, 0, 1, LT_OFFSET_MSG },
	{ "offset_unaligned_to_lba",
	  LT_CONCAT(2, LT_EXT(0, 0, 8 * KiB), LT_EXT(6, 4 * KiB, 8 * KiB)),
	  -EINVAL, 0, 1, LT_OFFSET_MSG },
	{ "length_unaligned", LT_CONCAT(1, LT_EXT(0, 0, 6 * KiB)),
	  -EINVAL, 0, 0, LT_LENGTH_MSG },
	{ "length_unaligned_to_lba", LT_CONCAT(1, LT_EXT(6, 0, 12 * KiB)),
	  -EINVAL, 0, 0, LT_LENGTH_MSG },
	{ "chunk_below_lba_size",
	  { .type = EVN_LAYOUT_STRIPE, .chunk = SZ_4K, .nr_columns = 1,
	    .nr_extents = { 1 }, .ext = { { LT_EXT(6, 0, 8 * KiB) } } },
	  -EINVAL, 0, 0, "chunk size is smaller than the target's LBA size" },
	{ "past_target_end",
	  LT_CONCAT(2, LT_EXT(0, 0, 4 * KiB), LT_EXT(5, MiB - 4 * KiB, 8 * KiB)),
	  -ERANGE, 0, 1, "extent goes past the end of the target" },
	{ "offset_past_target_end", LT_CONCAT(1, LT_EXT(5, MiB, 4 * KiB)),
	  -ERANGE, 0, 0, "extent goes past the end of the target" },
	{ "column_sizes_differ",
	  { .type = EVN_LAYOUT_STRIPE, .chunk = SZ_64K, .nr_columns = 3,
	    .nr_extents = { 1, 1, 1 },
	    .ext = { { LT_EXT(0, 0, 128 * KiB) }, { LT_EXT(1, 0, 128 * KiB) },
		     { LT_EXT(2, 0, 64 * KiB) } } },
	  -EINVAL, 2, -1, "column size differs from column 0" },
	{ "column_not_chunk_multiple",
	  { .type = EVN_LAYOUT_STRIPE, .chunk = SZ_64K, .nr_columns = 2,
	    .nr_extents = { 1, 1 },
	    .ext = { { LT_EXT(0, 0, 96 * KiB) }, { LT_EXT(1, 0, 96 * KiB) } } },
	  -EINVAL, 0, -1, "column size is not a multiple of the chunk size" },
	{ "column_too_large",
	  LT_CONCAT(2, LT_EXT(8, 0, LT_BIG), LT_EXT(8, LT_BIG, LT_BIG)),
	  -EFBIG, 0, 1, LT_SIZE_MSG },
	{ "volume_too_large",
	  { .type = EVN_LAYOUT_STRIPE, .chunk = SZ_16M, .nr_columns = 2,
	    .nr_extents = { 1, 1 },
	    .ext = { { LT_EXT(8, 0, LT_BIG) }, { LT_EXT(8, LT_BIG, LT_BIG) } } },
	  -EFBIG, -1, -1, LT_SIZE_MSG },
	{ "overlap_in_column",
	  LT_CONCAT(2, LT_EXT(0, 0, 64 * KiB), LT_EXT(0, 32 * KiB, 64 * KiB)),
	  -EEXIST, 0, 1, LT_OVERLAP_MSG },
	{ "overlap_across_columns",
	  { .type = EVN_LAYOUT_STRIPE, .chunk = SZ_64K, .nr_columns = 2,
	    .nr_extents = { 1, 1 },
	    .ext = { { LT_EXT(1, 0, 64 * KiB) },
		     { LT_EXT(1, 60 * KiB, 64 * KiB) } } },
	  -EEXIST, 1, 0, LT_OVERLAP_MSG },
	{ "overlap_contained",
	  LT_CONCAT(3, LT_EXT(2, 0, MiB), LT_EXT(3, 0, 4 * KiB),
		    LT_EXT(2, 512 * KiB, 4 * KiB)),
	  -EEXIST, 0, 2, LT_OVERLAP_MSG },
	{ "overlap_same_offset",
	  { .type = EVN_LAYOUT_STRIPE, .chunk = SZ_64K, .nr_columns = 2,
	    .nr_extents = { 2, 1 },
	    .ext = { { LT_EXT(0, 0, 64 * KiB), LT_EXT(3, 0, 64 * KiB) },
		     { LT_EXT(3, 0, 128 * KiB) } } },
	  -EEXIST, 1, 0, LT_OVERLAP_MSG },
	{ "overlap_first_in_map_order",
	  LT_CONCAT(4, LT_EXT(1, 0, 64 * KiB), LT_EXT(0, 0, 64 * KiB),
		    LT_EXT(0, 60 * KiB, 4 * KiB), LT_EXT(1, 32 * KiB, 4 * KiB)),
	  -EEXIST, 0, 2, LT_OVERLAP_MSG },
};

static void evn_lt_validate_case_desc(const struct evn_lt_validate_case *c,
				      char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evn_lt_validate, evn_lt_validate_cases,
		  evn_lt_validate_case_desc);

static void evn_layout_validate_test(struct kunit *test)
{
	const struct evn_lt_validate_case *c = test->param_value;
	struct evn_layout_desc *desc = evn_lt_desc(test, &c->map);
	struct evn_layout_error error = { 1, 99, 99, "stale" };

	KUNIT_EXPECT_EQ(test, evn_layout_validate(desc, &error), c->err);
	KUNIT_EXPECT_EQ(test, error.err, c->err);
	KUNIT_EXPECT_EQ(test, error.column, c->column);
	KUNIT_EXPECT_EQ(test, error.extent, c->extent);
	if (c->msg) {
		KUNIT_ASSERT_NOT_NULL(test, error.msg);
		KUNIT_EXPECT_STREQ(test, error.msg, c->msg);
	} else {
		KUNIT_EXPECT_NULL(test, error.msg);
	}
}

/* The extent count is checked before any extent is read. */
static void evn_layout_validate_too_many_test(struct kunit *test)
{
	struct evn_layout_column_desc col = {
		.extents = NULL,
		.nr_extents = EVN_LAYOUT_MAX_EXTENTS + 1,
	};
	struct evn_layout_desc desc = {
		.type = EVN_LAYOUT_CONCAT,
		.nr_columns = 1,
		.columns = &col,
	};
	struct evn_layout_error error;

	KUNIT_EXPECT_EQ(test, evn_layout_validate(&desc, &error), -E2BIG);
	KUNIT_EXPECT_EQ(test, error.column, 0);
	KUNIT_EXPECT_EQ(test, error.extent, -1);
	KUNIT_EXPECT_STREQ(test, error.msg, "too many extents");
}

struct evn_lt_overlap_case {
	const char *name;
	u8 target;
	u64 offset;
	u64 length;
	bool overlaps;
};

/* Against T0 [0, 64K) and [1M, 1M+128K), T1 [128K, 192K). */
static const struct evn_lt_map evn_lt_overlap_map = {
	.type = EVN_LAYOUT_STRIPE,
	.chunk = SZ_64K,
	.nr_columns = 2,
	.nr_extents = { 2, 1 },
	.ext = {
		{ LT_EXT(0, 0, 64 * KiB), LT_EXT(1, 128 * KiB, 64 * KiB) },
		{ LT_EXT(0, MiB, 128 * KiB) },
	},
};

static const struct evn_lt_overlap_case evn_lt_overlap_cases[] = {
	{ "first_sector", 0, 0, 4 * KiB, true },
	{ "straddles_end", 0, 60 * KiB, 8 * KiB, true },
	{ "fills_gap", 0, 64 * KiB, MiB - 64 * KiB, false },
	{ "gap_and_one_byte", 0, 64 * KiB, MiB - 64 * KiB + 1, true },
	{ "right_after", 0, MiB + 128 * KiB, 4 * KiB, false },
	{ "one_byte_inside", 0, MiB + 64 * KiB, 1, true },
	{ "to_the_end", 0, MiB + 100 * KiB, U64_MAX - MiB - 100 * KiB, true },
	{ "before_t1", 1, 0, 128 * KiB, false },
	{ "into_t1", 1, 0, 128 * KiB + 512, true },
	{ "contains_t1", 1, 100 * KiB, GiB, true },
	{ "after_t1", 1, 192 * KiB, GiB, false },
	{ "other_target", 2, 0, GiB, false },
	{ "empty", 0, 0, 0, false },
};

static void evn_lt_overlap_case_desc(const struct evn_lt_overlap_case *c,
				     char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evn_lt_overlap, evn_lt_overlap_cases,
		  evn_lt_overlap_case_desc);

static void evn_layout_overlaps_test(struct kunit *test)
{
	const struct evn_lt_overlap_case *c = test->param_value;
	struct evn_layout *layout = evn_lt_build_map(test, &evn_lt_overlap_map);

	KUNIT_EXPECT_EQ(test, evn_layout_overlaps(layout, evn_lt_target(c->target),
						  c->offset, c->length),
			c->overlaps);
}

/* ---- growing a map ---- */

struct evn_lt_grow_case {
	const char *name;
	struct evn_lt_map old;
	struct evn_lt_map new;
	int column;
	int extent;
	const char *msg;	/* NULL: the new map grows the old one */
};

#define LT_GROW_MSG \
	"extent differs from the volume's map: a grown map keeps every extent and adds after them"
#define LT_SHRINK_MSG \
	"a volume cannot shrink: the map is smaller than the volume"

#define LT_STRIPE(chunk_, n, ...) {					\
	.type = EVN_LAYOUT_STRIPE, .chunk = (chunk_), .nr_columns = (n),	\
	__VA_ARGS__							\
}

/* evn_lt_stripe2 and evn_lt_concat6, as initializers. */
#define LT_STRIPE2 LT_STRIPE(SZ_64K, 2, .nr_extents = { 1, 1 },		\
			     .ext = { { LT_EXT(0, 0, MiB) },		\
				      { LT_EXT(1, 0, MiB) } })
#define LT_CONCAT6 {							\
	.type = EVN_LAYOUT_CONCAT, .nr_columns = 1,			\
	.nr_extents = { 6 }, .ext = { LT_CONCAT6_EXTENTS },		\
}

static const struct evn_lt_grow_case evn_lt_grow_cases[] = {
	{ "same_map", LT_CONCAT6, LT_CONCAT6, -1, -1, NULL },
	{ "same_stripe", LT_STRIPE2, LT_STRIPE2, -1, -1, NULL },
	{ "concat_append",
	  LT_CONCAT(1, LT_EXT(0, 0, MiB)),
	  LT_CONCAT(2, LT_EXT(0, 0, MiB), LT_EXT(1, 0, MiB)), -1, -1, NULL },
	{ "concat_last_longer",
	  LT_CONCAT(1, LT_EXT(0, 0, MiB)),
	  LT_CONCAT(1, LT_EXT(0, 0, 2 * MiB)), -1, -1, NULL },
	{ "concat_longer_and_append",
	  LT_CONCAT(2, LT_EXT(0, 0, MiB), LT_EXT(1, 0, 64 * KiB)),
	  LT_CONCAT(3, LT_EXT(0, 0, MiB), LT_EXT(1, 0, 128 * KiB),
		    LT_EXT(2, 0, MiB)), -1, -1, NULL },
	{ "stripe_append_per_column", LT_STRIPE2,
	  LT_STRIPE(SZ_64K, 2, .nr_extents = { 2, 2 },
		    .ext = { { LT_EXT(0, 0, MiB), LT_EXT(2, 0, 512 * KiB) },
			     { LT_EXT(1, 0, MiB), LT_EXT(3, 0, 512 * KiB) } }),
	  -1, -1, NULL },
	{ "stripe_longer_columns", LT_STRIPE2,
	  LT_STRIPE(SZ_64K, 2, .nr_extents = { 1, 2 },
		    .ext = { { LT_EXT(0, 0, 2 * MiB) },
			     { LT_EXT(1, 0, MiB), LT_EXT(2, 0, MiB) } }),
	  -1, -1, NULL },
	{ "shrink_fewer_extents",
	  LT_CONCAT(2, LT_EXT(0, 0, MiB), LT_EXT(1, 0, MiB)),
	  LT_CONCAT(1, LT_EXT(0, 0, MiB)), -1, -1, LT_SHRINK_MSG },
	{ "shrink_shorter_last",
	  LT_CONCAT(1, LT_EXT(0, 0, 2 * MiB)),
	  LT_CONCAT(1, LT_EXT(0, 0, MiB)), -1, -1, LT_SHRINK_MSG },
	{ "shrink_stripe", LT_STRIPE2,
	  LT_STRIPE(SZ_64K, 2, .nr_extents = { 1, 1 },
		    .ext = { { LT_EXT(0, 0, 512 * KiB) },
			     { LT_EXT(1, 0, 512 * KiB) } }),
	  -1, -1, LT_SHRINK_MSG },
	{ "middle_moved",
	  LT_CONCAT(3, LT_EXT(0, 0, MiB), LT_EXT(1, 0, MiB), LT_EXT(2, 0, MiB)),
	  LT_CONCAT(4, LT_EXT(0, 0, MiB), LT_EXT(1, MiB, MiB),
		    LT_EXT(2, 0, MiB), LT_EXT(3, 0, MiB)), 0, 1, LT_GROW_MSG },
	{ "middle_longer",
	  LT_CONCAT(2, LT_EXT(0, 0, MiB), LT_EXT(1, 0, MiB)),
	  LT_CONCAT(2, LT_EXT(0, 0, 2 * MiB), LT_EXT(1, 0, MiB)),
	  0, 0, LT_GROW_MSG },
	{ "last_moved",
	  LT_CONCAT(1, LT_EXT(0, 0, MiB)),
	  LT_CONCAT(1, LT_EXT(0, MiB, 2 * MiB)), 0, 0, LT_GROW_MSG },
	{ "last_on_other_target",
	  LT_CONCAT(1, LT_EXT(0, 0, MiB)),
	  LT_CONCAT(1, LT_EXT(1, 0, 2 * MiB)), 0, 0, LT_GROW_MSG },
	{ "extents_merged",
	  LT_CONCAT(2, LT_EXT(0, 0, MiB), LT_EXT(0, MiB, MiB)),
	  LT_CONCAT(1, LT_EXT(0, 0, 4 * MiB)), 0, 0, LT_GROW_MSG },
	{ "second_column_changed", LT_STRIPE2,
	  LT_STRIPE(SZ_64K, 2, .nr_extents = { 2, 1 },
		    .ext = { { LT_EXT(0, 0, MiB), LT_EXT(2, 0, MiB) },
			     { LT_EXT(3, 0, 2 * MiB) } }),
	  1, 0, LT_GROW_MSG },
	{ "layout_changed",
	  LT_CONCAT(1, LT_EXT(0, 0, MiB)),
	  LT_STRIPE(SZ_64K, 1, .nr_extents = { 1 },
		    .ext = { { LT_EXT(0, 0, 2 * MiB) } }),
	  -1, -1, "the layout of a volume cannot change" },
	{ "chunk_changed", LT_STRIPE2,
	  LT_STRIPE(SZ_128K, 2, .nr_extents = { 1, 1 },
		    .ext = { { LT_EXT(0, 0, MiB) }, { LT_EXT(1, 0, MiB) } }),
	  -1, -1, "the chunk size of a volume cannot change" },
	{ "column_added", LT_STRIPE2,
	  LT_STRIPE(SZ_64K, 3, .nr_extents = { 1, 1, 1 },
		    .ext = { { LT_EXT(0, 0, MiB) }, { LT_EXT(1, 0, MiB) },
			     { LT_EXT(2, 0, MiB) } }),
	  -1, -1, "the number of columns of a volume cannot change" },
};

static void evn_lt_grow_case_desc(const struct evn_lt_grow_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evn_lt_grow, evn_lt_grow_cases, evn_lt_grow_case_desc);

static void evn_layout_check_grow_test(struct kunit *test)
{
	const struct evn_lt_grow_case *c = test->param_value;
	struct evn_layout *layout = evn_lt_build_map(test, &c->old);
	struct evn_layout_desc *desc = evn_lt_desc(test, &c->new);
	struct evn_layout_error error = { 1, 99, 99, "stale" };
	int want = c->msg ? -EINVAL : 0;

	/* Every new map is valid on its own: only growing can refuse it. */
	KUNIT_ASSERT_EQ(test, evn_layout_validate(desc, &error), 0);
	KUNIT_EXPECT_EQ(test, evn_layout_check_grow(layout, desc, &error), want);
	KUNIT_EXPECT_EQ(test, error.err, want);
	KUNIT_EXPECT_EQ(test, error.column, c->column);
	KUNIT_EXPECT_EQ(test, error.extent, c->extent);
	if (c->msg) {
		KUNIT_ASSERT_NOT_NULL(test, error.msg);
		KUNIT_EXPECT_STREQ(test, error.msg, c->msg);
	} else {
		KUNIT_EXPECT_NULL(test, error.msg);
	}
}

/*
 * A grown map places every byte of the old volume where the old map did:
 * compare the pieces of the old range, request by request.
 */
static void evn_layout_grow_keeps_bytes_test(struct kunit *test)
{
	const struct evn_lt_grow_case *c;
	struct evn_layout_piece a[16], b[16];
	struct evn_layout_error error;
	int i;

	for (c = evn_lt_grow_cases; c < evn_lt_grow_cases +
	     ARRAY_SIZE(evn_lt_grow_cases); c++) {
		struct evn_layout *old, *new;
		u64 pos, len = 16 * KiB;

		if (c->msg)
			continue;
		old = evn_lt_build_map(test, &c->old);
		new = evn_lt_build_map(test, &c->new);
		KUNIT_ASSERT_EQ(test, evn_layout_check_grow(old, evn_lt_desc(test, &c->new),
							    &error), 0);
		KUNIT_EXPECT_GE_MSG(test, new->size, old->size, "%s", c->name);
		for (pos = 0; pos + len <= old->size; pos += len) {
			int na = evn_layout_map(old, pos, len, a, ARRAY_SIZE(a));
			int nb = evn_layout_map(new, pos, len, b, ARRAY_SIZE(b));

			KUNIT_ASSERT_GT_MSG(test, na, 0, "%s at %llu", c->name, pos);
			KUNIT_ASSERT_EQ_MSG(test, na, nb, "%s at %llu", c->name, pos);
			for (i = 0; i < na; i++) {
				KUNIT_EXPECT_PTR_EQ(test, a[i].target, b[i].target);
				KUNIT_EXPECT_EQ(test, a[i].target_offset,
						b[i].target_offset);
				KUNIT_EXPECT_EQ(test, a[i].length, b[i].length);
			}
		}
	}
}

static struct kunit_case evn_layout_validate_test_cases[] = {
	KUNIT_CASE_PARAM(evn_layout_validate_test, evn_lt_validate_gen_params),
	KUNIT_CASE(evn_layout_validate_too_many_test),
	KUNIT_CASE_PARAM(evn_layout_overlaps_test, evn_lt_overlap_gen_params),
	KUNIT_CASE_PARAM(evn_layout_check_grow_test, evn_lt_grow_gen_params),
	KUNIT_CASE(evn_layout_grow_keeps_bytes_test),
	{}
};

static struct kunit_suite evn_layout_validate_test_suite = {
	.name = "evn_layout_validate",
	.test_cases = evn_layout_validate_test_cases,
};

/* ---- randomized comparison with the reference ---- */

/* xorshift64*: deterministic, seeded per test, so failures reproduce. */
static u64 evn_lt_next(u64 *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

/* A value in [0, n), n > 0. */
static u32 evn_lt_below(u64 *s, u32 n)
{
	return ((evn_lt_next(s) >> 32) * n) >> 32;
}

#define EVN_LT_RAND_COLS	8
#define EVN_LT_RAND_EXTS	64
#define EVN_LT_RAND_TARGETS	4
#define EVN_LT_RAND_MAPS	5000
#define EVN_LT_RAND_REQS	8
#define EVN_LT_RAND_MAX_LEN	(4 * MiB)

struct evn_lt_random {
	struct evn_layout_desc desc;
	struct evn_layout_column_desc cols[EVN_LT_RAND_COLS];
	struct evn_layout_extent_desc ext[EVN_LT_RAND_COLS][EVN_LT_RAND_EXTS];
	u32 cuts[EVN_LT_RAND_EXTS];
	u64 next_free[EVN_LT_RAND_TARGETS];
};

/*
 * Splits a column of @units 4 KiB units into random extents on random
 * targets, a quarter of the cuts on chunk boundaries (@chunk_units).
 */
static void evn_lt_random_column(struct evn_lt_random *r, u64 *s, u32 c,
				 u32 units, u32 chunk_units)
{
	u32 max = evn_lt_below(s, 2) ? 4 : EVN_LT_RAND_EXTS;
	u32 nr = 1 + evn_lt_below(s, min(max, units));
	u32 n = 0, i, j;

	while (n < nr - 1) {
		u32 cut = 1 + evn_lt_below(s, units - 1);

		if (chunk_units > 1 && !evn_lt_below(s, 4) &&
		    cut >= chunk_units)
			cut -= cut % chunk_units;
		for (i = 0; i < n && r->cuts[i] != cut; i++)
			;
		if (i < n)
			continue;
		/* insertion sort */
		for (j = n; j > 0 && r->cuts[j - 1] > cut; j--)
			r->cuts[j] = r->cuts[j - 1];
		r->cuts[j] = cut;
		n++;
	}
	r->cuts[n] = units;
	for (i = 0; i < nr; i++) {
		struct evn_layout_extent_desc *e = &r->ext[c][i];
		u32 t = evn_lt_below(s, EVN_LT_RAND_TARGETS);
		u64 len = (u64)(r->cuts[i] - (i ? r->cuts[i - 1] : 0)) * SZ_4K;

		e->target = evn_lt_target(t);
		e->target_offset = r->next_free[t] + evn_lt_below(s, 4) * SZ_4K;
		e->length = len;
		e->capacity = evn_lt_targets[t].capacity;
		e->lba_shift = evn_lt_targets[t].lba_shift;
		r->next_free[t] = e->target_offset + len;
	}
	r->cols[c].extents = r->ext[c];
	r->cols[c].nr_extents = nr;
}

/* Random map: 1..8 columns, 4 KiB..1 MiB chunks, or concat. */
static void evn_lt_random_map(struct evn_lt_random *r, u64 *s)
{
	u32 c, chunk_units, rows;

	memset(r->next_free, 0, sizeof(r->next_free));
	r->desc.columns = r->cols;
	r->desc.nr_columns = 1 + evn_lt_below(s, EVN_LT_RAND_COLS);
	if (r->desc.nr_columns == 1 && evn_lt_below(s, 2)) {
		r->desc.type = EVN_LAYOUT_CONCAT;
		r->desc.chunk = 0;
		evn_lt_random_column(r, s, 0, 1 + evn_lt_below(s, 4096), 0);
		return;
	}
	r->desc.type = EVN_LAYOUT_STRIPE;
	r->desc.chunk = SZ_4K << evn_lt_below(s, 9);
	chunk_units = r->desc.chunk / SZ_4K;
	/* every column has the same number of chunks */
	rows = 1 + evn_lt_below(s, 16);
	for (c = 0; c < r->desc.nr_columns; c++)
		evn_lt_random_column(r, s, c, rows * chunk_units, chunk_units);
}

static void evn_layout_random_test(struct kunit *test)
{
	struct evn_layout *layout = evn_lt_layout(test);
	struct evn_layout_piece *got, *ref;
	unsigned int np = EVN_LT_RAND_MAX_LEN / SECTOR_SIZE;
	u64 seed = 0x65766e6c61796f75ULL;	/* "evnlayou" */
	u64 pieces = 0, requests = 0, t0 = ktime_get_ns();
	struct evn_lt_random *r;
	u32 exhaustive = 0;
	u32 m, q;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, r);
	got = evn_lt_kvzalloc(test, np, sizeof(*got));
	ref = evn_lt_kvzalloc(test, np, sizeof(*ref));

	for (m = 0; m < EVN_LT_RAND_MAPS; m++) {
		u64 s = seed + m;
		u32 sectors;

		evn_lt_next(&s);
		evn_lt_random_map(r, &s);
		evn_lt_build(test, layout, &r->desc);
		sectors = layout->size >> SECTOR_SHIFT;

		for (q = 0; q < EVN_LT_RAND_REQS; q++) {
			u32 kind = evn_lt_below(&s, 8);
			u32 pos_s = evn_lt_below(&s, sectors);
			u32 max_len, len_s;
			u64 pos, len;
			int n, nref;

			if (!evn_lt_below(&s, 4) && layout->chunk) {
				/* start at, or just before, a chunk boundary */
				pos_s -= pos_s % (layout->chunk >> SECTOR_SHIFT);
				if (pos_s && evn_lt_below(&s, 2))
					pos_s--;
			}
			if (!kind)
				max_len = EVN_LT_RAND_MAX_LEN >> SECTOR_SHIFT;
			else if (kind < 4)
				max_len = SZ_256K >> SECTOR_SHIFT;
			else
				max_len = 16;
			len_s = 1 + evn_lt_below(&s, max_len);
			len_s = min(len_s, sectors - pos_s);
			pos = (u64)pos_s << SECTOR_SHIFT;
			len = (u64)len_s << SECTOR_SHIFT;

			n = evn_layout_map(layout, pos, len, got, np);
			nref = evn_lt_ref_map(&r->desc, pos, len, ref, np);
			KUNIT_ASSERT_GT_MSG(test, n, 0, "map %u req %u", m, q);
			KUNIT_ASSERT_EQ_MSG(test, n, nref,
					    "map %u req %u pos %llu len %llu",
					    m, q, pos, len);
			evn_lt_expect_same(test, got, ref, n, "random");
			evn_lt_expect_cover(test, got, n, len);
			KUNIT_ASSERT_LE_MSG(test, n,
					    evn_layout_max_pieces(layout, len),
					    "map %u req %u", m, q);
			KUNIT_ASSERT_LE_MSG(test, n,
					    evn_layout_max_pieces(layout,
								  EVN_LT_RAND_MAX_LEN),
					    "map %u req %u", m, q);
			if (test->status == KUNIT_FAILURE)
				return;
			pieces += n;
			requests++;
		}

		/* Every request of a small map, against the bound. */
		if (sectors <= 2048 && !(m % 4)) {
			u64 max = (1 + evn_lt_below(&s, min(sectors, 512U))) *
				  SECTOR_SIZE;
			int worst = evn_lt_worst(test, layout, max, got, np);

			KUNIT_ASSERT_LE_MSG(test, worst,
					    evn_layout_max_pieces(layout, max),
					    "map %u max %llu", m, max);
			exhaustive++;
		}
	}
	kunit_info(test, "%u maps, %llu requests, %llu pieces, %u maps checked exhaustively, %llu ms\n",
		   EVN_LT_RAND_MAPS, requests, pieces, exhaustive,
		   div_u64(ktime_get_ns() - t0, NSEC_PER_MSEC));
}

/* Sort key of a piece: target, then offset on it. */
static int evn_lt_piece_cmp(const void *a, const void *b)
{
	const struct evn_layout_piece *x = a, *y = b;

	if (x->target != y->target)
		return (unsigned long)x->target < (unsigned long)y->target ?
		       -1 : 1;
	if (x->target_offset != y->target_offset)
		return x->target_offset < y->target_offset ? -1 : 1;
	return 0;
}

/* Sort @p by target and offset and merge touching ranges; the new count. */
static int evn_lt_merge(struct evn_layout_piece *p, int n)
{
	int i, m = 0;

	sort(p, n, sizeof(*p), evn_lt_piece_cmp, NULL);
	for (i = 0; i < n; i++) {
		if (m && p[m - 1].target == p[i].target &&
		    p[m - 1].target_offset + p[m - 1].length ==
		    p[i].target_offset) {
			p[m - 1].length += p[i].length;
			continue;
		}
		p[m++] = p[i];
	}
	return m;
}

/*
 * evn_layout_map_range() against evn_layout_map() on random maps: the same
 * target bytes, each column's range in column order, within the bound.
 */
static void evn_layout_range_random_test(struct kunit *test)
{
	struct evn_layout *layout = evn_lt_layout(test);
	unsigned int np = EVN_LT_RAND_MAX_LEN / SECTOR_SIZE;
	u64 seed = 0x72616e67656d6170ULL, ranges = 0, pieces = 0;
	struct evn_layout_piece *got, *ref;
	struct evn_lt_random *r;
	u32 m, q;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, r);
	got = evn_lt_kvzalloc(test, np, sizeof(*got));
	ref = evn_lt_kvzalloc(test, np, sizeof(*ref));

	for (m = 0; m < EVN_LT_RAND_MAPS / 5; m++) {
		u64 s = seed + m;
		u32 sectors;

		evn_lt_next(&s);
		evn_lt_random_map(r, &s);
		evn_lt_build(test, layout, &r->desc);
		sectors = layout->size >> SECTOR_SHIFT;

		for (q = 0; q < EVN_LT_RAND_REQS; q++) {
			u32 pos_s = evn_lt_below(&s, sectors);
			u32 len_s = 1 + evn_lt_below(&s, evn_lt_below(&s, 2) ?
						     16 : np);
			u64 pos, len;
			int n, nref, i;

			len_s = min(len_s, sectors - pos_s);
			pos = (u64)pos_s << SECTOR_SHIFT;
			len = (u64)len_s << SECTOR_SHIFT;

			n = evn_layout_map_range(layout, pos, len, got, np);
			nref = evn_layout_map(layout, pos, len, ref, np);
			KUNIT_ASSERT_GT_MSG(test, n, 0, "map %u req %u", m, q);
			KUNIT_ASSERT_GT(test, nref, 0);
			KUNIT_ASSERT_LE_MSG(test, n, layout->nr_columns +
					    (int)layout->nr_extents,
					    "map %u req %u", m, q);
			KUNIT_ASSERT_LE_MSG(test, n,
					    evn_layout_max_range_pieces(layout,
									len),
					    "map %u req %u", m, q);
			KUNIT_ASSERT_LE_MSG(test, n,
					    evn_layout_max_range_pieces(layout,
									EVN_LT_RAND_MAX_LEN),
					    "map %u req %u", m, q);
			/* columns ascending; in a column, extents ascending */
			for (i = 1; i < n; i++)
				KUNIT_ASSERT_TRUE_MSG(test,
						      got[i].column > got[i - 1].column ||
						      (got[i].column == got[i - 1].column &&
						       got[i].extent == got[i - 1].extent + 1),
						      "map %u req %u piece %d", m, q, i);
			n = evn_lt_merge(got, n);
			nref = evn_lt_merge(ref, nref);
			KUNIT_ASSERT_EQ_MSG(test, n, nref, "map %u req %u", m, q);
			for (i = 0; i < n; i++) {
				KUNIT_ASSERT_PTR_EQ(test, got[i].target,
						    ref[i].target);
				KUNIT_ASSERT_EQ(test, got[i].target_offset,
						ref[i].target_offset);
				KUNIT_ASSERT_EQ(test, got[i].length,
						ref[i].length);
			}
			ranges++;
			pieces += n;
		}
	}
	/* Misaligned and past the end: refused. */
	KUNIT_EXPECT_EQ(test, evn_layout_map_range(layout, 1, 512, got, np),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, evn_layout_map_range(layout, 0,
						   layout->size + 512, got, np),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, evn_layout_map_range(layout, 0, 0, got, np), 0);
	kunit_info(test, "%llu ranges, %llu merged pieces\n", ranges, pieces);
}

static struct kunit_case evn_layout_random_test_cases[] = {
	KUNIT_CASE(evn_layout_random_test),
	KUNIT_CASE(evn_layout_range_random_test),
	{}
};

static struct kunit_suite evn_layout_random_test_suite = {
	.name = "evn_layout_random",
	.test_cases = evn_layout_random_test_cases,
};

/* ---- micro-benchmark ---- */

/*
 * MICRO-BENCHMARK, not a performance test: times evn_layout_map() on maps
 * of 1, 1k and 1M extents and reports ns/request with kunit_info(). It
 * never fails on timing (targets belong in benchmarks); it checks a few
 * results. Extent i of the map is 260 KiB on target i mod 4 at offset
 * (i div 4) * 260 KiB, so the stripe's extent boundaries fall inside its
 * 64 KiB chunks.
 */
struct evn_lt_bench_case {
	const char *name;
	enum evn_layout_type type;
	u32 nr_columns;
	u32 nr_extents;		/* all columns */
};

static const struct evn_lt_bench_case evn_lt_bench_cases[] = {
	{ "concat_1", EVN_LAYOUT_CONCAT, 1, 1 },
	{ "concat_1k", EVN_LAYOUT_CONCAT, 1, 1024 },
	{ "concat_1m", EVN_LAYOUT_CONCAT, 1, 1 << 20 },
	{ "stripe8_1k", EVN_LAYOUT_STRIPE, 8, 1024 },
	{ "stripe8_1m", EVN_LAYOUT_STRIPE, 8, 1 << 20 },
};

static void evn_lt_bench_case_desc(const struct evn_lt_bench_case *c,
				   char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(evn_lt_bench, evn_lt_bench_cases, evn_lt_bench_case_desc);

#define EVN_LT_BENCH_EXT	(260 * KiB)
#define EVN_LT_BENCH_CHUNK	SZ_64K
#define EVN_LT_BENCH_MAX_LEN	(128 * KiB)
#define EVN_LT_BENCH_REQS	4096
#define EVN_LT_BENCH_ROUNDS	32

/* Where the piece starting at volume byte @pos must be, by construction. */
static void evn_lt_bench_expect(struct kunit *test,
				const struct evn_lt_bench_case *c,
				const struct evn_layout_piece *p, u64 pos)
{
	u64 col_off = pos, in, k, row, j, i;
	u32 column = 0;

	if (c->type == EVN_LAYOUT_STRIPE) {
		u64 rem;

		k = div64_u64_rem(pos, EVN_LT_BENCH_CHUNK, &rem);
		row = div_u64_rem(k, c->nr_columns, &column);
		col_off = row * EVN_LT_BENCH_CHUNK + rem;
	}
	j = div64_u64_rem(col_off, EVN_LT_BENCH_EXT, &in);
	i = (u64)column * (c->nr_extents / c->nr_columns) + j;
	KUNIT_EXPECT_EQ(test, p->column, column);
	KUNIT_EXPECT_EQ(test, (u64)p->extent, j);
	KUNIT_EXPECT_PTR_EQ(test, p->target, evn_lt_target(i % 4));
	KUNIT_EXPECT_EQ(test, p->target_offset, (i / 4) * EVN_LT_BENCH_EXT + in);
}

static void evn_layout_bench_test(struct kunit *test)
{
	const struct evn_lt_bench_case *c = test->param_value;
	u32 per_col = c->nr_extents / c->nr_columns;
	struct evn_layout *layout = evn_lt_layout(test);
	struct evn_layout_column_desc *cols;
	struct evn_layout_extent_desc *ext;
	struct evn_layout_desc desc = {
		.type = c->type,
		.nr_columns = c->nr_columns,
		.chunk = c->type == EVN_LAYOUT_STRIPE ? EVN_LT_BENCH_CHUNK : 0,
	};
	struct evn_layout_error error;
	struct evn_layout_piece *p;
	u64 t0, t_validate, t_build, t_map, s = 0x62656e6368ULL;
	u32 nreq = EVN_LT_BENCH_ROUNDS * EVN_LT_BENCH_REQS;
	u64 *pos, *len, total = 0;
	u32 i, r, hundredths;
	unsigned int np;
	int n;

	cols = kunit_kcalloc(test, c->nr_columns, sizeof(*cols), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, cols);
	ext = evn_lt_kvzalloc(test, c->nr_extents, sizeof(*ext));
	for (i = 0; i < c->nr_extents; i++) {
		ext[i].target = evn_lt_target(i % 4);
		ext[i].target_offset = (u64)(i / 4) * EVN_LT_BENCH_EXT;
		ext[i].length = EVN_LT_BENCH_EXT;
		ext[i].capacity = U64_MAX;
		ext[i].lba_shift = 9;
	}
	for (i = 0; i < c->nr_columns; i++) {
		cols[i].extents = &ext[i * per_col];
		cols[i].nr_extents = per_col;
	}
	desc.columns = cols;

	t0 = ktime_get_ns();
	KUNIT_ASSERT_EQ(test, evn_layout_validate(&desc, &error), 0);
	t_validate = ktime_get_ns() - t0;
	t0 = ktime_get_ns();
	KUNIT_ASSERT_EQ(test, evn_layout_build(layout, &desc), 0);
	t_build = ktime_get_ns() - t0;
	KUNIT_ASSERT_EQ(test, layout->size, c->nr_extents * EVN_LT_BENCH_EXT);

	np = evn_layout_max_pieces(layout, EVN_LT_BENCH_MAX_LEN);
	p = kunit_kcalloc(test, np, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p);
	pos = kunit_kcalloc(test, EVN_LT_BENCH_REQS, sizeof(*pos), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, pos);
	len = kunit_kcalloc(test, EVN_LT_BENCH_REQS, sizeof(*len), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, len);
	/* random 4 KiB-aligned requests of 4..128 KiB */
	for (i = 0; i < EVN_LT_BENCH_REQS; i++) {
		u64 blocks = layout->size / SZ_4K;

		len[i] = (1 + evn_lt_below(&s, EVN_LT_BENCH_MAX_LEN / SZ_4K)) *
			 SZ_4K;
		pos[i] = (u64)evn_lt_below(&s, blocks - len[i] / SZ_4K + 1) *
			 SZ_4K;
	}

	/* A few results, by construction. */
	for (i = 0; i < 16; i++) {
		n = evn_layout_map(layout, pos[i], len[i], p, np);
		KUNIT_ASSERT_GT(test, n, 0);
		evn_lt_expect_cover(test, p, n, len[i]);
		for (r = 0; r < n; r++)
			evn_lt_bench_expect(test, c, &p[r],
					    pos[i] + p[r].req_offset);
	}

	t0 = ktime_get_ns();
	for (r = 0; r < EVN_LT_BENCH_ROUNDS; r++)
		for (i = 0; i < EVN_LT_BENCH_REQS; i++)
			total += evn_layout_map(layout, pos[i], len[i], p, np);
	t_map = ktime_get_ns() - t0;
	KUNIT_EXPECT_GE(test, total, (u64)nreq);

	div_u64_rem(div_u64(total * 100, nreq), 100, &hundredths);
	kunit_info(test, "%s: %u extents: %llu ns/request, %llu.%02u pieces/request (%u requests of 4..128 KiB); validate %llu us, build %llu us\n",
		   c->name, c->nr_extents, div_u64(t_map, nreq),
		   div_u64(total, nreq), hundredths, nreq,
		   div_u64(t_validate, 1000), div_u64(t_build, 1000));
}

static struct kunit_case evn_layout_bench_test_cases[] = {
	KUNIT_CASE_PARAM(evn_layout_bench_test, evn_lt_bench_gen_params),
	{}
};

static struct kunit_suite evn_layout_bench_test_suite = {
	.name = "evn_layout_bench",
	.test_cases = evn_layout_bench_test_cases,
};

kunit_test_suites(&evn_layout_map_test_suite, &evn_layout_bound_test_suite,
		  &evn_layout_validate_test_suite,
		  &evn_layout_random_test_suite, &evn_layout_bench_test_suite);
