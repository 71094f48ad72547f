// SPDX-License-Identifier: GPL-2.0
/*
 * layout.c - volume maps (concat, stripe) and the splitting of requests
 *
 * Pure functions, tested by the evn_layout_* KUnit suites. Placement is the
 * one DESIGN.md section 4 gives (see layout.h): only evn_layout_validate()
 * and evn_layout_build() allocate; evn_layout_map() runs in the I/O path.
 *
 * Copyright (C) 2026 The evn authors
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/types.h>

#include "evn.h"
#include "layout.h"

static int evn_layout_reject(struct evn_layout_error *error, int err,
			     int column, int extent, const char *msg)
{
	error->err = err;
	error->column = column;
	error->extent = extent;
	error->msg = msg;
	return err;
}

/* An extent of a proposed map, with where it is in the map. */
struct evn_layout_ref {
	const struct evn_layout_extent_desc *ext;
	u32 column;
	u32 extent;
};

static int evn_layout_cmp_u64(u64 a, u64 b)
{
	return a < b ? -1 : a > b;
}

/* Orders by target, target offset, then place in the map. */
static int evn_layout_ref_cmp(const void *a, const void *b)
{
	const struct evn_layout_ref *x = a, *y = b;

	if (x->ext->target != y->ext->target)
		return evn_layout_cmp_u64((unsigned long)x->ext->target,
					  (unsigned long)y->ext->target);
	if (x->ext->target_offset != y->ext->target_offset)
		return evn_layout_cmp_u64(x->ext->target_offset,
					  y->ext->target_offset);
	if (x->column != y->column)
		return evn_layout_cmp_u64(x->column, y->column);
	return evn_layout_cmp_u64(x->extent, y->extent);
}

/* Whether @a comes after @b in the map. */
static bool evn_layout_ref_later(const struct evn_layout_ref *a,
				 const struct evn_layout_ref *b)
{
	return a->column != b->column ? a->column > b->column :
					a->extent > b->extent;
}

/*
 * Finds two extents of the map that share a byte of one target, by sorting
 * the extents by target and offset. Of the overlapping pairs the sweep sees,
 * it reports the one whose later extent (in map order) comes first.
 */
static int evn_layout_check_overlap(const struct evn_layout_desc *desc,
				    u32 total, struct evn_layout_error *error)
{
	const struct evn_layout_ref *held, *bad = NULL;
	struct evn_layout_ref *refs;
	u32 c, i, n = 0;
	u64 held_end;

	if (total < 2)
		return 0;
	refs = kvmalloc_array(total, sizeof(*refs), GFP_KERNEL);
	if (!refs)
		return evn_layout_reject(error, -ENOMEM, -1, -1,
					 "out of memory to check the map");
	for (c = 0; c < desc->nr_columns; c++) {
		const struct evn_layout_column_desc *col = &desc->columns[c];

		for (i = 0; i < col->nr_extents; i++) {
			refs[n].ext = &col->extents[i];
			refs[n].column = c;
			refs[n].extent = i;
			n++;
		}
	}
	sort(refs, total, sizeof(*refs), evn_layout_ref_cmp, NULL);

	/* @held: the extent ending last so far on the current target. */
	held = &refs[0];
	held_end = held->ext->target_offset + held->ext->length;
	for (i = 1; i < total; i++) {
		const struct evn_layout_ref *cur = &refs[i];
		const struct evn_layout_ref *later;

		if (cur->ext->target != held->ext->target ||
		    cur->ext->target_offset >= held_end) {
			held = cur;
			held_end = cur->ext->target_offset + cur->ext->length;
			continue;
		}
		later = evn_layout_ref_later(cur, held) ? cur : held;
		if (!bad || evn_layout_ref_later(bad, later))
			bad = later;
		if (cur->ext->target_offset + cur->ext->length > held_end) {
			held = cur;
			held_end = cur->ext->target_offset + cur->ext->length;
		}
	}
	if (bad)
		evn_layout_reject(error, -EEXIST, bad->column, bad->extent,
				  "extent overlaps another extent of the volume");
	kvfree(refs);
	return error->err;
}

/*
 * Checks one extent of column @c. @column_size is the size of the column
 * before the extent; the extent is inside the target when this returns 0,
 * so offset + length does not wrap.
 */
static int evn_layout_check_extent(const struct evn_layout_desc *desc,
				   u32 c, u32 i, u64 column_size,
				   struct evn_layout_error *error)
{
	const struct evn_layout_extent_desc *ext = &desc->columns[c].extents[i];
	u64 align;

	if (!ext->length)
		return evn_layout_reject(error, -EINVAL, c, i,
					 "extent length is zero");
	if (ext->lba_shift < EVN_LAYOUT_LBA_SHIFT_MIN ||
	    ext->lba_shift > EVN_LAYOUT_LBA_SHIFT_MAX)
		return evn_layout_reject(error, -EINVAL, c, i,
					 "target logical block size is not supported");
	align = max_t(u64, EVN_EXTENT_ALIGN, 1ULL << ext->lba_shift);
	if (ext->target_offset & (align - 1))
		return evn_layout_reject(error, -EINVAL, c, i,
					 "extent offset is not a multiple of 4 KiB and of the target's LBA size");
	if (ext->length & (align - 1))
		return evn_layout_reject(error, -EINVAL, c, i,
					 "extent length is not a multiple of 4 KiB and of the target's LBA size");
	if (desc->type == EVN_LAYOUT_STRIPE &&
	    desc->chunk < (1ULL << ext->lba_shift))
		return evn_layout_reject(error, -EINVAL, c, i,
					 "chunk size is smaller than the target's LBA size");
	if (ext->target_offset >= ext->capacity ||
	    ext->length > ext->capacity - ext->target_offset)
		return evn_layout_reject(error, -ERANGE, c, i,
					 "extent goes past the end of the target");
	if (ext->length > EVN_LAYOUT_MAX_SIZE - column_size)
		return evn_layout_reject(error, -EFBIG, c, i,
					 "volume is larger than 8 EiB");
	return 0;
}

/**
 * evn_layout_validate() - check a proposed volume map completely
 * @desc: the proposed map
 * @error: set to the first broken rule, or to err 0 if there is none
 *
 * Checks, in this order: the layout type; for concat, no chunk size and one
 * column; for stripe, a power-of-two chunk size in 4 KiB..16 MiB and at
 * least one column; then column by column: at most EVN_LAYOUT_MAX_EXTENTS
 * extents in all, no empty column, and for each extent a non-zero length, a
 * supported LBA size, offset and length aligned to 4 KiB and to the LBA
 * size, (stripe) a chunk no smaller than the LBA size, room on the target,
 * and a volume of at most EVN_LAYOUT_MAX_SIZE; each column as large as
 * column 0; (stripe) a column size that is a multiple of the chunk size;
 * and last that no two extents of the map share a byte of one target.
 *
 * @error names the bad column and extent (-1 when the rule is about the
 * whole map or a whole column) and carries a static message for
 * NL_SET_ERR_MSG_ATTR(). Overlap with other volumes is the caller's check,
 * with evn_layout_overlaps().
 *
 * Context: process context; allocates (GFP_KERNEL) to check for overlaps.
 * Return: 0 if the map is valid; -EINVAL for a malformed map, -E2BIG for too
 * many extents, -ERANGE for an extent past the end of its target, -EFBIG
 * for a volume too large, -EEXIST for overlapping extents, -ENOMEM.
 */
int evn_layout_validate(const struct evn_layout_desc *desc,
			struct evn_layout_error *error)
{
	u64 column_size = 0;
	u32 total = 0;
	u32 c, i;
	int ret;

	evn_layout_reject(error, 0, -1, -1, NULL);
	switch (desc->type) {
	case EVN_LAYOUT_CONCAT:
		if (desc->chunk)
			return evn_layout_reject(error, -EINVAL, -1, -1,
						 "a concat volume has no chunk size");
		if (desc->nr_columns != 1)
			return evn_layout_reject(error, -EINVAL, -1, -1,
						 "a concat volume has exactly one column");
		break;
	case EVN_LAYOUT_STRIPE:
		if (!is_power_of_2(desc->chunk))
			return evn_layout_reject(error, -EINVAL, -1, -1,
						 "chunk size is not a power of two");
		if (desc->chunk < EVN_LAYOUT_CHUNK_MIN ||
		    desc->chunk > EVN_LAYOUT_CHUNK_MAX)
			return evn_layout_reject(error, -EINVAL, -1, -1,
						 "chunk size is not between 4 KiB and 16 MiB");
		if (!desc->nr_columns)
			return evn_layout_reject(error, -EINVAL, -1, -1,
						 "a stripe needs at least one column");
		break;
	default:
		return evn_layout_reject(error, -EINVAL, -1, -1,
					 "unknown layout");
	}

	for (c = 0; c < desc->nr_columns; c++) {
		const struct evn_layout_column_desc *col = &desc->columns[c];
		u64 size = 0;

		if (col->nr_extents > EVN_LAYOUT_MAX_EXTENTS - total)
			return evn_layout_reject(error, -E2BIG, c, -1,
						 "too many extents");
		total += col->nr_extents;
		if (!col->nr_extents)
			return evn_layout_reject(error, -EINVAL, c, -1,
						 "column has no extents");
		for (i = 0; i < col->nr_extents; i++) {
			ret = evn_layout_check_extent(desc, c, i, size, error);
			if (ret)
				return ret;
			size += col->extents[i].length;
		}
		if (!c)
			column_size = size;
		else if (size != column_size)
			return evn_layout_reject(error, -EINVAL, c, -1,
						 "column size differs from column 0");
	}
	if (desc->type == EVN_LAYOUT_STRIPE &&
	    (column_size & (desc->chunk - 1)))
		return evn_layout_reject(error, -EINVAL, 0, -1,
					 "column size is not a multiple of the chunk size");
	if (column_size > div_u64(EVN_LAYOUT_MAX_SIZE, desc->nr_columns))
		return evn_layout_reject(error, -EFBIG, -1, -1,
					 "volume is larger than 8 EiB");
	return evn_layout_check_overlap(desc, total, error);
}

#define EVN_LAYOUT_GROW_MSG \
	"extent differs from the volume's map: a grown map keeps every extent and adds after them"

/**
 * evn_layout_check_grow() - check that a valid map only adds to a built one
 * @layout: the volume's current map
 * @desc: the proposed map, already accepted by evn_layout_validate()
 * @error: set to why @desc is refused
 *
 * A volume grows at its end without moving a byte: @desc has the same type,
 * chunk and number of columns as @layout, and each of its columns starts
 * with the extents of the same column of @layout, in order, the last of
 * which may be longer (same target and offset). Stripe placement depends
 * only on the chunk, the column count and the column offsets, so every byte
 * of the volume stays where it is. The size check comes first, so a smaller
 * map is refused as a shrink rather than as a changed extent.
 *
 * Context: any context.
 * Return: 0 if @desc grows @layout or equals it; -EINVAL otherwise.
 */
int evn_layout_check_grow(const struct evn_layout *layout,
			  const struct evn_layout_desc *desc,
			  struct evn_layout_error *error)
{
	u64 column_size = 0;
	u32 c, i;

	evn_layout_reject(error, 0, -1, -1, NULL);
	if (desc->type != layout->type)
		return evn_layout_reject(error, -EINVAL, -1, -1,
					 "the layout of a volume cannot change");
	if (desc->chunk != layout->chunk)
		return evn_layout_reject(error, -EINVAL, -1, -1,
					 "the chunk size of a volume cannot change");
	if (desc->nr_columns != layout->nr_columns)
		return evn_layout_reject(error, -EINVAL, -1, -1,
					 "the number of columns of a volume cannot change");
	for (i = 0; i < desc->columns[0].nr_extents; i++)
		column_size += desc->columns[0].extents[i].length;
	if (column_size < layout->column_size)
		return evn_layout_reject(error, -EINVAL, -1, -1,
					 "a volume cannot shrink: the map is smaller than the volume");

	for (c = 0; c < desc->nr_columns; c++) {
		const struct evn_layout_column_desc *col = &desc->columns[c];
		const struct evn_layout_column *old = &layout->columns[c];

		for (i = 0; i < old->nr_extents; i++) {
			const struct evn_layout_extent_desc *x;
			const struct evn_layout_extent *o = &old->extents[i];
			bool last = i == old->nr_extents - 1;

			if (i == col->nr_extents)
				return evn_layout_reject(error, -EINVAL, c, i - 1,
							 EVN_LAYOUT_GROW_MSG);
			x = &col->extents[i];
			if (x->target != o->target ||
			    x->target_offset != o->target_offset ||
			    x->length < o->length ||
			    (!last && x->length != o->length))
				return evn_layout_reject(error, -EINVAL, c, i,
							 EVN_LAYOUT_GROW_MSG);
		}
	}
	return 0;
}

/* Orders extent indexes by target, then target offset. */
static int evn_layout_by_target_cmp(const void *a, const void *b,
				    const void *priv)
{
	const struct evn_layout_extent *extents = priv;
	const struct evn_layout_extent *x = &extents[*(const u32 *)a];
	const struct evn_layout_extent *y = &extents[*(const u32 *)b];

	if (x->target != y->target)
		return evn_layout_cmp_u64((unsigned long)x->target,
					  (unsigned long)y->target);
	return evn_layout_cmp_u64(x->target_offset, y->target_offset);
}

/**
 * evn_layout_build() - turn a valid map description into a map
 * @layout: filled; free it with evn_layout_free()
 * @desc: a description evn_layout_validate() accepted; not referenced
 *	once this returns
 *
 * Copies the extents, computes the column offset of each extent (so that
 * evn_layout_map() finds one by binary search), the sizes, and the order of
 * the extents by target for evn_layout_overlaps().
 *
 * Context: process context; allocates (GFP_KERNEL).
 * Return: 0, or -ENOMEM with @layout left empty.
 */
int evn_layout_build(struct evn_layout *layout,
		     const struct evn_layout_desc *desc)
{
	u32 total = 0;
	u32 c, i, n;

	memset(layout, 0, sizeof(*layout));
	for (c = 0; c < desc->nr_columns; c++)
		total += desc->columns[c].nr_extents;

	layout->columns = kvcalloc(desc->nr_columns, sizeof(*layout->columns),
				   GFP_KERNEL);
	layout->extents = kvmalloc_array(total, sizeof(*layout->extents),
					 GFP_KERNEL);
	layout->start = kvmalloc_array(total, sizeof(*layout->start),
				       GFP_KERNEL);
	layout->by_target = kvmalloc_array(total, sizeof(*layout->by_target),
					   GFP_KERNEL);
	if (!layout->columns || !layout->extents || !layout->start ||
	    !layout->by_target) {
		evn_layout_free(layout);
		return -ENOMEM;
	}

	layout->type = desc->type;
	layout->nr_copies = 1;
	layout->nr_columns = desc->nr_columns;
	if (desc->type == EVN_LAYOUT_STRIPE) {
		layout->chunk = desc->chunk;
		layout->chunk_shift = ilog2(desc->chunk);
	}
	layout->nr_extents = total;

	n = 0;
	for (c = 0; c < desc->nr_columns; c++) {
		const struct evn_layout_column_desc *cd = &desc->columns[c];
		struct evn_layout_column *col = &layout->columns[c];
		u64 offset = 0;

		col->extents = &layout->extents[n];
		col->start = &layout->start[n];
		col->nr_extents = cd->nr_extents;
		for (i = 0; i < cd->nr_extents; i++, n++) {
			layout->extents[n].target = cd->extents[i].target;
			layout->extents[n].target_offset =
				cd->extents[i].target_offset;
			layout->extents[n].length = cd->extents[i].length;
			layout->start[n] = offset;
			offset += cd->extents[i].length;
		}
		if (!c)
			layout->column_size = offset;
	}
	layout->size = layout->column_size * layout->nr_columns;

	for (i = 0; i < total; i++)
		layout->by_target[i] = i;
	sort_r(layout->by_target, total, sizeof(*layout->by_target),
	       evn_layout_by_target_cmp, NULL, layout->extents);
	return 0;
}

/**
 * evn_layout_free() - free what evn_layout_build() allocated
 * @layout: the map; left empty, so freeing twice is harmless
 *
 * Context: process context.
 */
void evn_layout_free(struct evn_layout *layout)
{
	kvfree(layout->by_target);
	kvfree(layout->start);
	kvfree(layout->extents);
	kvfree(layout->columns);
	memset(layout, 0, sizeof(*layout));
}

/**
 * evn_layout_column_of() - where a byte of the volume lives
 * @layout: the map
 * @pos: byte offset in the volume, below its size
 * @column_offset: set to the byte offset of @pos in its column
 *
 * Stripe: chunk k = @pos / chunk is in column k mod N at column offset
 * (k div N) * chunk. Concat and one-column stripes: column 0, offset @pos.
 *
 * Context: any context.
 * Return: the column index.
 */
u32 evn_layout_column_of(const struct evn_layout *layout, u64 pos,
			 u64 *column_offset)
{
	u64 row;
	u32 column;

	if (layout->nr_columns == 1) {
		*column_offset = pos;
		return 0;
	}
	row = div_u64_rem(pos >> layout->chunk_shift, layout->nr_columns,
			  &column);
	*column_offset = (row << layout->chunk_shift) |
			 (pos & (layout->chunk - 1));
	return column;
}

/* The extent of @col holding column offset @offset (below the column size). */
static u32 evn_layout_find(const struct evn_layout_column *col, u64 offset)
{
	u32 lo = 0, hi = col->nr_extents;

	/* col->start[lo] <= offset < col->start[hi] (or the column end) */
	while (hi - lo > 1) {
		u32 mid = lo + (hi - lo) / 2;

		if (col->start[mid] <= offset)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/**
 * evn_layout_map() - split a request into pieces, one per extent and chunk
 * @layout: the map
 * @pos: byte offset of the request in the volume, a multiple of 512
 * @len: bytes, a multiple of 512; 0 gives no piece
 * @pieces: filled in request order
 * @max_pieces: entries in @pieces; evn_layout_max_pieces() of the largest
 *	request is always enough
 *
 * Pieces end at extent boundaries and, for stripes of more than one column,
 * at chunk boundaries; nothing else splits them, so for concat and
 * one-column stripes a range inside one extent is one piece. Their
 * req_offset fields run from 0 to @len without gaps.
 *
 * Context: any context; does not allocate or sleep.
 * Return: the number of pieces; -EINVAL if the range is not 512-byte
 * aligned or leaves the volume; -E2BIG if more than @max_pieces pieces are
 * needed (@pieces then holds the first @max_pieces).
 */
int evn_layout_map(const struct evn_layout *layout, u64 pos, u64 len,
		   struct evn_layout_piece *pieces, unsigned int max_pieces)
{
	unsigned int n = 0;
	u64 done = 0;

	if ((pos | len) & (SECTOR_SIZE - 1))
		return -EINVAL;
	if (pos > layout->size || len > layout->size - pos)
		return -EINVAL;

	while (done < len) {
		const struct evn_layout_column *col;
		u64 offset, seg;
		u32 column, i;

		column = evn_layout_column_of(layout, pos + done, &offset);
		seg = len - done;
		if (layout->nr_columns > 1)
			seg = min(seg, layout->chunk -
				       (offset & (layout->chunk - 1)));
		col = &layout->columns[column];
		i = evn_layout_find(col, offset);

		/* Walk the extents of the column until the segment ends. */
		for (;;) {
			const struct evn_layout_extent *ext = &col->extents[i];
			u64 in = offset - col->start[i];
			u64 part = min(seg, ext->length - in);
			struct evn_layout_piece *piece;

			if (n == max_pieces)
				return -E2BIG;
			piece = &pieces[n++];
			piece->column = column;
			piece->extent = i;
			piece->target = ext->target;
			piece->target_offset = ext->target_offset + in;
			piece->length = part;
			piece->req_offset = done;

			done += part;
			seg -= part;
			if (!seg)
				break;
			offset += part;
			i++;
		}
	}
	return n;
}

/**
 * evn_layout_map_range() - split a range without data into pieces, per column
 * @layout: the map
 * @pos: byte offset of the range in the volume, a multiple of 512
 * @len: bytes, a multiple of 512; 0 gives no piece
 * @pieces: filled column by column, each column's in column order
 * @max_pieces: entries in @pieces; evn_layout_max_range_pieces() of the
 *	largest range is always enough
 *
 * For discard and write zeroes, which carry no data: the bytes of a volume
 * range that fall in one column are one contiguous range of that column,
 * as dm-stripe's stripe_map_range() uses, so only extent boundaries split
 * them, not chunks. A column the range does not reach gets no piece. The
 * pieces' req_offset is 0 (they have no data to place).
 *
 * Context: any context; does not allocate or sleep.
 * Return: the number of pieces; -EINVAL if the range is not 512-byte
 * aligned or leaves the volume; -E2BIG if more than @max_pieces pieces are
 * needed.
 */
int evn_layout_map_range(const struct evn_layout *layout, u64 pos, u64 len,
			 struct evn_layout_piece *pieces, unsigned int max_pieces)
{
	u64 first_off, last_off, first_row, last_row;
	u32 first_col, last_col, c;
	unsigned int n = 0;

	if ((pos | len) & (SECTOR_SIZE - 1))
		return -EINVAL;
	if (pos > layout->size || len > layout->size - pos)
		return -EINVAL;
	if (!len)
		return 0;

	first_col = evn_layout_column_of(layout, pos, &first_off);
	last_col = evn_layout_column_of(layout, pos + len - 1, &last_off);
	/* Column offsets where the rows of the first and last bytes start. */
	first_row = first_off & ~((u64)layout->chunk - 1);
	last_row = last_off & ~((u64)layout->chunk - 1);
	for (c = 0; c < layout->nr_columns; c++) {
		const struct evn_layout_column *col = &layout->columns[c];
		u64 start, end;
		u32 i;

		/* The column's chunks before, in and after the first row. */
		if (layout->nr_columns == 1 || c == first_col)
			start = first_off;
		else if (c > first_col)
			start = first_row;
		else
			start = first_row + layout->chunk;
		if (layout->nr_columns == 1 || c == last_col)
			end = last_off + 1;
		else if (c < last_col)
			end = last_row + layout->chunk;
		else
			end = last_row;
		if (end <= start)
			continue;

		for (i = evn_layout_find(col, start); start < end; i++) {
			const struct evn_layout_extent *ext = &col->extents[i];
			u64 in = start - col->start[i];
			u64 part = min(end - start, ext->length - in);
			struct evn_layout_piece *piece;

			if (n == max_pieces)
				return -E2BIG;
			piece = &pieces[n++];
			piece->column = c;
			piece->extent = i;
			piece->target = ext->target;
			piece->target_offset = ext->target_offset + in;
			piece->length = part;
			piece->req_offset = 0;
			start += part;
		}
	}
	return n;
}

/*
 * The most extent boundaries of @col, other than those at multiples of the
 * chunk size when @chunk_mask is set, that can fall strictly inside a range
 * of @window bytes starting at a multiple of 512. Boundaries b_i <= b_j both
 * fall inside when b_j - b_i <= window - 1024 (start the range 512 bytes
 * before b_i), so a sliding window over the sorted boundaries gives the
 * exact maximum.
 */
static u64 evn_layout_max_inside(const struct evn_layout_column *col,
				 u64 window, u64 chunk_mask)
{
	u64 span, best = 0, count = 0;
	u32 i, j = 1;

	if (window < 2 * SECTOR_SIZE)
		return 0;
	span = window - 2 * SECTOR_SIZE;
	for (i = 1; i < col->nr_extents; i++) {
		if (chunk_mask && !(col->start[i] & chunk_mask))
			continue;
		/* count: the counted boundaries in [i, j) */
		if (j <= i) {
			j = i;
			count = 0;
		}
		while (j < col->nr_extents &&
		       col->start[j] - col->start[i] <= span) {
			if (!chunk_mask || (col->start[j] & chunk_mask))
				count++;
			j++;
		}
		best = max(best, count);
		count--;
	}
	return best;
}

/**
 * evn_layout_max_pieces() - the most pieces one request can need
 * @layout: the map
 * @max_request_bytes: the largest request, in bytes
 *
 * A request's pieces are the chunks it touches (one, for concat and
 * one-column stripes) plus, in each column, the extent boundaries strictly
 * inside the column range it covers, except for stripes those at chunk
 * boundaries, which already split it. With L the request size (at most the
 * volume size, rounded down to 512), it touches at most
 * 1 + DIV_ROUND_UP(L - 512, chunk) chunks, and so covers at most
 * rows = DIV_ROUND_UP(chunks, N) chunks, min(L, rows * chunk) bytes, of any
 * column. The bound adds, per column, the exact most boundaries inside a
 * range that long. For concat, one-column stripes and stripes with no
 * extent boundary inside a chunk this is the true worst case (except where
 * that request would run past the end of the volume); otherwise it may
 * exceed it.
 *
 * Context: any context; walks every extent once.
 * Return: an upper bound of evn_layout_map()'s result for any request of at
 * most @max_request_bytes; 0 if that is below 512 bytes.
 */
unsigned int evn_layout_max_pieces(const struct evn_layout *layout,
				   u64 max_request_bytes)
{
	u64 len = min(max_request_bytes, layout->size) &
		  ~(u64)(SECTOR_SIZE - 1);
	u64 chunks, window, mask, bound;
	u32 c;

	if (!len)
		return 0;
	if (layout->nr_columns == 1) {
		chunks = 1;
		window = len;
		mask = 0;
	} else {
		u64 rows;

		chunks = 1 + ((len - SECTOR_SIZE + layout->chunk - 1) >>
			      layout->chunk_shift);
		chunks = min(chunks, layout->size >> layout->chunk_shift);
		rows = div_u64(chunks + layout->nr_columns - 1,
			       layout->nr_columns);
		window = min(len, rows << layout->chunk_shift);
		mask = layout->chunk - 1;
	}
	bound = chunks;
	for (c = 0; c < layout->nr_columns; c++)
		bound += evn_layout_max_inside(&layout->columns[c], window,
					       mask);
	return min_t(u64, bound, UINT_MAX);
}

/**
 * evn_layout_max_range_pieces() - the most pieces one range without data needs
 * @layout: the map
 * @max_request_bytes: the largest range, in bytes
 *
 * evn_layout_map_range() gives each column one range, cut at the extent
 * boundaries inside it. A volume range of L bytes covers, in any column, at
 * most DIV_ROUND_UP(L, N * chunk) + 1 chunks (L itself for concat), so the
 * bound is, per column, one piece plus the most boundaries inside a column
 * range that long.
 *
 * Context: any context; walks every extent once.
 * Return: an upper bound of evn_layout_map_range()'s result for any range
 * of at most @max_request_bytes; 0 if that is below 512 bytes.
 */
unsigned int evn_layout_max_range_pieces(const struct evn_layout *layout,
					 u64 max_request_bytes)
{
	u64 len = min(max_request_bytes, layout->size) &
		  ~(u64)(SECTOR_SIZE - 1);
	u64 window, bound = 0;
	u32 c;

	if (!len)
		return 0;
	window = len;
	if (layout->nr_columns > 1) {
		u64 stripe = (u64)layout->chunk * layout->nr_columns;
		u64 rows = div64_u64(len + stripe - 1, stripe) + 1;

		window = min(len, rows << layout->chunk_shift);
	}
	for (c = 0; c < layout->nr_columns; c++)
		bound += 1 + evn_layout_max_inside(&layout->columns[c], window,
						   0);
	return min_t(u64, bound, UINT_MAX);
}

/* Whether @ext lies wholly before byte @offset of @target in target order. */
static bool evn_layout_before(const struct evn_layout_extent *ext,
			      const void *target, u64 offset)
{
	if (ext->target != target)
		return (unsigned long)ext->target < (unsigned long)target;
	return ext->target_offset + ext->length <= offset;
}

/**
 * evn_layout_overlaps() - whether a map uses a byte of a target range
 * @layout: a map built from a valid description (its extents do not
 *	overlap each other)
 * @target: the target
 * @offset: byte offset on @target
 * @length: bytes; an empty range overlaps nothing
 *
 * For the caller's check that a new volume's extents are free: a binary
 * search over the extents ordered by target and offset.
 *
 * Context: any context.
 * Return: true if an extent of @layout shares a byte with the range.
 */
bool evn_layout_overlaps(const struct evn_layout *layout, const void *target,
			 u64 offset, u64 length)
{
	const struct evn_layout_extent *ext;
	u32 lo = 0, hi = layout->nr_extents;

	if (!length)
		return false;
	/* The first extent, in target order, not wholly before the range. */
	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		ext = &layout->extents[layout->by_target[mid]];
		if (evn_layout_before(ext, target, offset))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == layout->nr_extents)
		return false;
	ext = &layout->extents[layout->by_target[lo]];
	return ext->target == target &&
	       (ext->target_offset <= offset ||
		ext->target_offset - offset < length);
}
