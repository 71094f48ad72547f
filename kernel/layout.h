/* SPDX-License-Identifier: GPL-2.0 */
/*
 * layout.h - volume maps (concat, stripe) and the splitting of requests
 *
 * A volume map places the bytes of a volume on extents of targets, as
 * DESIGN.md section 4 and dm-stripe / md raid0 do:
 *
 * - concat lays its extents end to end in the order given: one column;
 * - stripe with N columns and chunk C puts volume chunk k, the bytes
 *   [k * C, (k + 1) * C), in column k mod N at column offset (k div N) * C;
 * - a column made of several extents lays them end to end.
 *
 * All columns have the same size, so a volume is N * column size bytes.
 *
 * The code is pure: evn_layout_validate() checks a description,
 * evn_layout_build() turns it into a struct evn_layout (the only function
 * that allocates), and evn_layout_map() splits a request into pieces, each
 * inside one chunk and one extent, without allocating or sleeping.
 *
 * Mirror copies (later): a copy has the same layout as copy 0 on its own
 * extents, whose boundaries may differ. struct evn_layout already keeps its
 * columns as copy-major rows, copy c's column i at columns[c * nr_columns +
 * i]; copies will add a copy count and per-copy columns to the description,
 * a copy index to evn_layout_map() and to the pieces, and a maximum over the
 * copies to evn_layout_max_pieces(). Until then nr_copies is 1.
 *
 * Copyright (C) 2026 The evn authors
 */
#ifndef _EVN_LAYOUT_H
#define _EVN_LAYOUT_H

#include <linux/bits.h>
#include <linux/limits.h>
#include <linux/sizes.h>
#include <linux/types.h>

/**
 * enum evn_layout_type - how a volume's bytes are spread over its columns
 * @EVN_LAYOUT_CONCAT: one column, extents end to end
 * @EVN_LAYOUT_STRIPE: RAID-0 over one or more columns of equal size
 */
enum evn_layout_type {
	EVN_LAYOUT_CONCAT,
	EVN_LAYOUT_STRIPE,
};

/* Stripe chunk sizes: a power of two in this range. */
#define EVN_LAYOUT_CHUNK_MIN	SZ_4K
#define EVN_LAYOUT_CHUNK_MAX	SZ_16M

/* Extents in one map, all columns together. */
#define EVN_LAYOUT_MAX_EXTENTS	BIT(24)

/* Largest volume, so that a loff_t holds its size. */
#define EVN_LAYOUT_MAX_SIZE	((u64)S64_MAX)

/* Target logical block sizes a map accepts (log2). */
#define EVN_LAYOUT_LBA_SHIFT_MIN	9
#define EVN_LAYOUT_LBA_SHIFT_MAX	24

/**
 * struct evn_layout_extent_desc - one extent of a proposed map
 * @target: the target, opaque to this code (compared only for equality
 *	and order)
 * @target_offset: byte offset on the target
 * @length: bytes
 * @capacity: the target's capacity in bytes, for evn_layout_validate()
 * @lba_shift: log2 of the target's logical block size, for
 *	evn_layout_validate()
 */
struct evn_layout_extent_desc {
	void *target;
	u64 target_offset;
	u64 length;
	u64 capacity;
	unsigned int lba_shift;
};

/**
 * struct evn_layout_column_desc - one column of a proposed map
 * @extents: its extents, laid end to end in this order
 * @nr_extents: number of @extents
 */
struct evn_layout_column_desc {
	const struct evn_layout_extent_desc *extents;
	u32 nr_extents;
};

/**
 * struct evn_layout_desc - a proposed volume map (copy 0)
 * @type: concat or stripe
 * @chunk: stripe chunk size in bytes; 0 for concat
 * @nr_columns: number of @columns; 1 for concat
 * @columns: the columns, column i holding chunks k with k mod N == i
 */
struct evn_layout_desc {
	enum evn_layout_type type;
	u32 chunk;
	u32 nr_columns;
	const struct evn_layout_column_desc *columns;
};

/**
 * struct evn_layout_error - why evn_layout_validate() rejected a map
 * @err: the negative errno, 0 if the map is valid
 * @column: index of the bad column, -1 if the rule is not about one column
 * @extent: index of the bad extent in @column, -1 if the rule is not about
 *	one extent
 * @msg: static explanation, for NL_SET_ERR_MSG_ATTR(); NULL if valid
 */
struct evn_layout_error {
	int err;
	int column;
	int extent;
	const char *msg;
};

/**
 * struct evn_layout_extent - one extent of a built map
 * @target: the target (opaque)
 * @target_offset: byte offset on the target
 * @length: bytes
 */
struct evn_layout_extent {
	void *target;
	u64 target_offset;
	u64 length;
};

/**
 * struct evn_layout_column - one column of a built map
 * @extents: its extents, in column order (points into evn_layout.extents)
 * @start: column offset of each extent, increasing from 0 (points into
 *	evn_layout.start), searched by evn_layout_map()
 * @nr_extents: number of @extents and of @start entries
 */
struct evn_layout_column {
	const struct evn_layout_extent *extents;
	const u64 *start;
	u32 nr_extents;
};

/**
 * struct evn_layout - a built volume map, read-only once built
 * @type: concat or stripe
 * @nr_copies: mirror copies, always 1 for now
 * @nr_columns: columns per copy; 1 for concat
 * @chunk: stripe chunk size in bytes; 0 for concat
 * @chunk_shift: log2 of @chunk; 0 for concat
 * @column_size: bytes in each column
 * @size: bytes in the volume, @nr_columns * @column_size
 * @nr_extents: extents of all columns of all copies
 * @columns: nr_copies * nr_columns columns, copy c's column i at
 *	[c * nr_columns + i]
 * @extents: all extents, column after column
 * @start: column offsets of all extents, in the order of @extents
 * @by_target: indexes into @extents, ordered by target then target offset,
 *	for evn_layout_overlaps()
 */
struct evn_layout {
	enum evn_layout_type type;
	u32 nr_copies;
	u32 nr_columns;
	u32 chunk;
	unsigned int chunk_shift;
	u64 column_size;
	u64 size;
	u32 nr_extents;
	struct evn_layout_column *columns;
	struct evn_layout_extent *extents;
	u64 *start;
	u32 *by_target;
};

/**
 * struct evn_layout_piece - the part of a request that lives on one extent
 *	inside one chunk
 * @column: column index
 * @extent: extent index inside @column
 * @target: the extent's target
 * @target_offset: byte offset on @target
 * @length: bytes
 * @req_offset: offset of the piece inside the request
 */
struct evn_layout_piece {
	u32 column;
	u32 extent;
	void *target;
	u64 target_offset;
	u64 length;
	u64 req_offset;
};

int evn_layout_validate(const struct evn_layout_desc *desc,
			struct evn_layout_error *error);
int evn_layout_check_grow(const struct evn_layout *layout,
			  const struct evn_layout_desc *desc,
			  struct evn_layout_error *error);
int evn_layout_build(struct evn_layout *layout,
		     const struct evn_layout_desc *desc);
void evn_layout_free(struct evn_layout *layout);
u32 evn_layout_column_of(const struct evn_layout *layout, u64 pos,
			 u64 *column_offset);
int evn_layout_map(const struct evn_layout *layout, u64 pos, u64 len,
		   struct evn_layout_piece *pieces, unsigned int max_pieces);
int evn_layout_map_range(const struct evn_layout *layout, u64 pos, u64 len,
			 struct evn_layout_piece *pieces,
			 unsigned int max_pieces);
unsigned int evn_layout_max_range_pieces(const struct evn_layout *layout,
					 u64 max_request_bytes);
unsigned int evn_layout_max_pieces(const struct evn_layout *layout,
				   u64 max_request_bytes);
bool evn_layout_overlaps(const struct evn_layout *layout, const void *target,
			 u64 offset, u64 length);

#endif /* _EVN_LAYOUT_H */
