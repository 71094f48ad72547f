/* SPDX-License-Identifier: GPL-2.0 */
/*
 * alloc.h - the extent allocator of a pool: where volumes go
 *
 * Pure functions over a struct evn_pool_table (meta.h): they add, grow and
 * remove volumes in the table and never do I/O. The caller writes the new
 * table to the targets and sends the kernel the new map.
 *
 * Free space. On each target the allocatable bytes are
 * [round_up(metadata_size, unit), round_down(capacity, unit)) less every
 * extent of every volume; the metadata area is never free. Extents are
 * whole units at unit-aligned offsets.
 *
 * Policy, deterministic (the same table and request give the same map):
 *
 * - Target order: free bytes descending, ties by name (strcmp).
 * - Within one target, to take N bytes: the lowest-offset free run that
 *   holds all N (first fit, from its start); when none does, the largest
 *   run whole (lowest offset on ties), then again for what is left. So a
 *   column or volume gets as few extents as the free space allows, and
 *   the partly used run is the last one, with free space after it.
 * - Sizes round up: concat to a multiple of the unit; stripe with N
 *   columns and chunk C to a multiple of N * max(unit, C) (both powers of
 *   two, so that is their least common multiple), each column getting
 *   1/N of it.
 * - New stripe: the N columns on the N targets that come first in target
 *   order among those with at least a column's size free; column 0 on the
 *   first. Columns default to one per target, chunk to 128 KiB.
 * - New concat: the targets in target order, each giving what it has
 *   free until the volume is covered; usually the first target alone.
 * - Grow: every column grows by the same amount (a concat has one). First
 *   the column's last extent is lengthened in place as far as the free
 *   run right after it on its target goes. For a concat, the rest is
 *   placed as for a new concat volume. For a stripe, the rest of a column
 *   goes to new extents on that target, then on other targets, in target
 *   order, that hold no extent of another column of the volume; columns
 *   are served in order, 0 first. The old map stays a prefix of the new
 *   one: the same extents in the same order, only the last of each column
 *   maybe longer, new ones after it, as volume-set requires.
 * - Delete: the volume leaves the table and its extents are free again.
 *
 * Every function checks the whole request before changing anything: on
 * failure the table is unchanged and a one-line reason is in @errbuf.
 */
#ifndef EVNADM_ALLOC_H
#define EVNADM_ALLOC_H

#include <stddef.h>
#include <stdint.h>

#include "meta.h"

/* Stripe chunk when the request gives none. */
#define EVN_ALLOC_CHUNK_DEFAULT	(128U << 10)

/**
 * struct evn_alloc_request - a volume to allocate
 * @name: its name, valid and not yet in the pool
 * @uuid: its UUID; the nil UUID for a new random one
 * @size: bytes wanted, not 0; rounded up (see evn_alloc_granule())
 * @layout: EVN_VOLUME_LAYOUT_CONCAT or EVN_VOLUME_LAYOUT_STRIPE
 * @columns: stripe columns, each on its own target; 0 for one per target
 *	of the pool. 0 or 1 for concat
 * @chunk: stripe chunk, a power of two from 4 KiB to 16 MiB; 0 for
 *	EVN_ALLOC_CHUNK_DEFAULT. 0 for concat
 */
struct evn_alloc_request {
	const char *name;
	unsigned char uuid[EVN_UUID_LEN];
	uint64_t size;
	uint32_t layout;
	uint32_t columns;
	uint32_t chunk;
};

uint64_t evn_alloc_granule(const struct evn_pool_table *t, uint32_t layout,
			   uint32_t columns, uint32_t chunk);
int evn_alloc_free_space(const struct evn_pool_table *t, uint64_t *bytes);
int evn_alloc_volume(struct evn_pool_table *t,
		     const struct evn_alloc_request *req, uint64_t *size,
		     char *errbuf, size_t errlen);
int evn_alloc_grow(struct evn_pool_table *t, const char *name, uint64_t add,
		   uint64_t *added, char *errbuf, size_t errlen);
int evn_alloc_delete(struct evn_pool_table *t, const char *name,
		     char *errbuf, size_t errlen);
int evn_alloc_check(const struct evn_pool_table *t, char *errbuf,
		    size_t errlen);

#endif /* EVNADM_ALLOC_H */
