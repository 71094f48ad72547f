/* SPDX-License-Identifier: GPL-2.0 */
/* volume.h - the "volume" object of evnadm: requests, replies, output */
#ifndef EVNADM_VOLUME_H
#define EVNADM_VOLUME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/evn.h>

#include "print.h"	/* EVN_SIZE_STRLEN */
#include "target.h"	/* EVN_HAVE(), EVN_STATE_STRLEN */

struct json_object;
struct nl_msg;
struct nlmsghdr;

/* Room for a device name such as "evn0", NUL included. */
#define EVN_DEVICE_MAX		32

/* Smallest and largest stripe chunk (EVN_A_VOLUME_CHUNK), bytes. */
#define EVN_CHUNK_MIN		(4U << 10)
#define EVN_CHUNK_MAX		(16U << 20)

/* Longest text of evn_volume_layout_format(), NUL included. */
#define EVN_LAYOUT_STRLEN	48

/* Longest text of evn_volume_device_path(), NUL included. */
#define EVN_DEVPATH_MAX		(sizeof("/dev/") - 1 + EVN_DEVICE_MAX)

/* Longest text of evn_volume_grow_format(), NUL included. */
#define EVN_GROW_STRLEN		(EVN_DEVPATH_MAX + 2 * EVN_SIZE_STRLEN + 16)

/**
 * struct evn_extent - one extent of a volume
 * @have: EVN_HAVE() of each EVN_A_EXTENT_* attribute present (in a reply)
 * @target: EVN_A_EXTENT_TARGET, name of the target holding it
 * @offset: EVN_A_EXTENT_TARGET_OFFSET, bytes into the target's namespace
 * @length: EVN_A_EXTENT_LENGTH, bytes
 * @copy: EVN_A_EXTENT_COPY, mirror copy index
 * @column: EVN_A_EXTENT_COLUMN, stripe column (0 when absent)
 */
struct evn_extent {
	uint64_t have;
	char target[EVN_NAME_MAX + 1];
	uint64_t offset;
	uint64_t length;
	uint32_t copy;
	uint32_t column;
};

/**
 * struct evn_volume - a volume as the kernel describes it (volume-get or
 *	volume-new reply)
 * @have: EVN_HAVE() of each EVN_A_VOLUME_* attribute present
 * @id: EVN_A_VOLUME_ID
 * @name: EVN_A_VOLUME_NAME
 * @device: EVN_A_VOLUME_DEVICE, e.g. "evn0"
 * @size: EVN_A_VOLUME_SIZE, bytes
 * @state: EVN_A_VOLUME_STATE, enum evn_volume_state
 * @layout: EVN_A_VOLUME_LAYOUT, enum evn_volume_layout; concat when absent
 *	(a module without EVN_F_LAYOUTS)
 * @chunk: EVN_A_VOLUME_CHUNK, stripe chunk in bytes
 * @columns: EVN_A_VOLUME_COLUMNS; when absent, 1 for concat and one more
 *	than the highest extent column otherwise
 * @read_only: EVN_A_VOLUME_READ_ONLY, 1 for a read-only volume
 * @extents: the EVN_A_VOLUME_EXTENT nests, in volume order; malloc()ed
 * @nr_extents: how many
 */
struct evn_volume {
	uint64_t have;
	uint32_t id;
	char name[EVN_NAME_MAX + 1];
	char device[EVN_DEVICE_MAX];
	uint64_t size;
	uint32_t state;
	uint32_t layout;
	uint32_t chunk;
	uint32_t columns;
	uint8_t read_only;
	uint64_t memory;
	struct evn_extent *extents;
	size_t nr_extents;
};

/**
 * struct evn_volume_list - the volumes of a volume-get dump, in kernel order
 * @v: the volumes
 * @n: how many
 * @cap: room in @v
 */
struct evn_volume_list {
	struct evn_volume *v;
	size_t n;
	size_t cap;
};

/**
 * struct evn_volume_args - a volume map to send (volume-new, volume-set),
 *	or the extents a command line gives
 * @name: NAME, points into argv
 * @layout_given: send EVN_A_VOLUME_LAYOUT: "layout" was on the create
 *	command line (so a plain concat works with any module), or the map
 *	is a grown one from evn_volume_grow_map()
 * @layout: enum evn_volume_layout; in the additions of "grow" (which
 *	names no layout), concat for "extent" words and stripe for "column"
 *	words
 * @chunk: "chunk", bytes (stripe only)
 * @nr_columns: "column" keywords (stripe only); the columns of a grown
 *	stripe map
 * @extents: one per "extent" keyword, or per extent of each "column"
 *	keyword with its @column set, in order; malloc()ed
 * @nr_extents: how many
 * @read_only: send EVN_A_VOLUME_READ_ONLY = 1 (volume-new of a pool volume
 *	mapped read-only)
 */
struct evn_volume_args {
	const char *name;
	bool layout_given;
	uint32_t layout;
	uint32_t chunk;
	uint32_t nr_columns;
	struct evn_extent *extents;
	size_t nr_extents;
	bool read_only;
};

int evn_extent_parse(const char *spec, struct evn_extent *ext,
		     char *errbuf, size_t errlen);
int evn_chunk_parse(const char *word, uint32_t *chunk, char *errbuf,
		    size_t errlen);
int evn_volume_create_args(int argc, char **argv, struct evn_volume_args *a,
			   char *errbuf, size_t errlen);
void evn_volume_args_free(struct evn_volume_args *a);
size_t evn_volume_new_size(const struct evn_volume_args *a);
int evn_volume_new_put(struct nl_msg *msg, const struct evn_volume_args *a);

int evn_volume_grow_args(int argc, char **argv, struct evn_volume_args *a,
			 char *errbuf, size_t errlen);
bool evn_extent_merge(struct evn_extent *last, const struct evn_extent *next);
int evn_volume_grow_map(const struct evn_volume *cur,
			const struct evn_volume_args *add,
			struct evn_volume_args *map, char *errbuf,
			size_t errlen);
size_t evn_volume_grow_format(const struct evn_volume *before,
			      const struct evn_volume *after, char *buf,
			      size_t len);

int evn_volume_parse(struct nlmsghdr *nlh, void *arg);
void evn_volume_free(struct evn_volume *v);
int evn_volume_list_parse(struct nlmsghdr *nlh, void *arg);
void evn_volume_list_free(struct evn_volume_list *l);

const char *evn_volume_state_name(uint32_t state);
const char *evn_volume_layout_name(uint32_t layout);
size_t evn_volume_layout_format(const struct evn_volume *v, char *buf,
				size_t len);
size_t evn_volume_state_format(uint32_t state, char *buf, size_t len);
int evn_volume_device_path(const struct evn_volume *v, char *buf,
			   size_t len);
struct json_object *evn_volume_json(const struct evn_volume *v);
struct json_object *evn_volume_list_json(const struct evn_volume_list *l);
void evn_volume_print(FILE *f, const struct evn_volume *v);
int evn_volume_table(FILE *f, const struct evn_volume_list *l);

#endif /* EVNADM_VOLUME_H */
