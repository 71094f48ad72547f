/* SPDX-License-Identifier: GPL-2.0 */
/*
 * meta.h - the on-disk metadata of a pool (format 1): labels, table slots,
 * the pool table and its JSON encoding
 *
 * Every target namespace of a pool starts with a metadata area of
 * area_size bytes (Documentation/metadata.rst):
 *
 *   [0, 4096)                         label: who this target is, geometry
 *   [4096, 4096 + slot_size)          slot 0: header + pool table (JSON)
 *   [4096 + slot_size, + slot_size)   slot 1
 *
 * Generation g of the pool table is written to slot g % 2 of every target,
 * so a torn write leaves generation g - 1 intact in the other slot; the
 * loader takes the highest valid generation of all slots of all targets
 * (evn_meta_choose()).
 *
 * Everything here is pure: buffers in, buffers out, no I/O. Functions that
 * can fail on bad input write a one-line reason into a caller's buffer
 * (EVN_ERRLEN is enough) and return a negative errno.
 */
#ifndef EVNADM_META_H
#define EVNADM_META_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/evn.h>

#include "parse.h"	/* EVN_ERRLEN */

/* The on-disk format version this evnadm reads and writes. */
#define EVN_META_VERSION	1

/* Label: magic (8 bytes, NUL included), size, offset of its CRC-32. */
#define EVN_META_LABEL_MAGIC	"EVNPOOL"
#define EVN_META_LABEL_SIZE	4096U
#define EVN_META_LABEL_CRC	(EVN_META_LABEL_SIZE - 4)

/* Slot header: magic (8 bytes, no NUL), size, offset of its CRC-32. */
#define EVN_META_SLOT_MAGIC	"EVNTABLE"
#define EVN_META_HEADER_SIZE	64U
#define EVN_META_HEADER_CRC	(EVN_META_HEADER_SIZE - 4)

/* Slots, slot images and their offsets are multiples of this. */
#define EVN_META_ALIGN		4096U

/* Metadata area: default, smallest, largest, granularity (bytes). */
#define EVN_META_AREA_DEFAULT	(16ULL << 20)
#define EVN_META_AREA_MIN	(1ULL << 20)
#define EVN_META_AREA_MAX	(1ULL << 30)
#define EVN_META_AREA_ALIGN	(1ULL << 20)

/* Allocation unit: a power of two from 1 MiB to 2^62 (a JSON int64). */
#define EVN_POOL_UNIT_MIN	(1ULL << 20)
#define EVN_POOL_UNIT_MAX	(1ULL << 62)

/* Bytes of a binary UUID, and of its canonical text with the NUL. */
#define EVN_UUID_LEN		16
#define EVN_UUID_STRLEN		37

/* The pool table's own format number, "format" in its JSON. */
#define EVN_POOL_TABLE_FORMAT	1

/**
 * struct evn_meta_label - the label at offset 0 of every target of a pool
 * @format_version: EVN_META_VERSION when built by evn_meta_label_init()
 * @pool_uuid: the pool this target belongs to
 * @target_uuid: this target, as "targets"[].uuid of the pool table
 * @area_size: bytes of the metadata area, the same on every target
 * @unit: allocation unit of the pool, bytes
 * @slot_offset: byte offset of slot 0 and slot 1 in the namespace
 * @slot_size: bytes of each slot, header included
 * @pool_name: the pool's name, NUL-terminated
 *
 * On disk (little-endian), 4096 bytes: magic "EVNPOOL\0" at 0, u32
 * format_version at 8, u32 label_size at 12, pool_uuid at 16, target_uuid
 * at 32, u64 area_size at 48, u64 unit at 56, u64 slot_offset[2] at 64,
 * u64 slot_size at 80, char pool_name[32] at 88, zeros, and at 4092 the
 * CRC-32 of bytes [0, 4092).
 */
struct evn_meta_label {
	uint32_t format_version;
	unsigned char pool_uuid[EVN_UUID_LEN];
	unsigned char target_uuid[EVN_UUID_LEN];
	uint64_t area_size;
	uint64_t unit;
	uint64_t slot_offset[2];
	uint64_t slot_size;
	char pool_name[EVN_NAME_MAX + 1];
};

/**
 * struct evn_meta_slot - a decoded slot header
 * @format_version: EVN_META_VERSION
 * @generation: the table's generation, at least 1
 * @payload_len: bytes of the JSON pool table after the header
 * @payload_crc: CRC-32 of those bytes
 * @pool_uuid: the pool the table belongs to
 * @payload: the JSON bytes, inside the buffer given to
 *	evn_meta_slot_decode(); NULL after evn_meta_slot_header_decode()
 *
 * On disk (little-endian), 64 bytes at the start of the slot: magic
 * "EVNTABLE" at 0, u32 format_version at 8, u32 header_size at 12, u64
 * generation at 16, u64 payload_len at 24, pool_uuid at 32, u32
 * payload_crc at 48, zeros, and at 60 the CRC-32 of bytes [0, 60).
 */
struct evn_meta_slot {
	uint32_t format_version;
	uint64_t generation;
	uint64_t payload_len;
	uint32_t payload_crc;
	unsigned char pool_uuid[EVN_UUID_LEN];
	const void *payload;
};

/**
 * struct evn_pool_target - one target of the pool table
 * @name: user-given name, as in "evnadm target"
 * @uuid: the target's UUID, also in its label
 * @traddr: transport address (IPv4 or IPv6)
 * @trsvcid: transport service id (the port), 1..65535
 * @subnqn: subsystem NQN
 * @nsid: namespace id, at least 1
 * @capacity: bytes of the namespace
 * @lba_size: logical block size in bytes, a power of two from 512
 */
struct evn_pool_target {
	char name[EVN_NAME_MAX + 1];
	unsigned char uuid[EVN_UUID_LEN];
	char traddr[EVN_TRADDR_MAX + 1];
	uint16_t trsvcid;
	char subnqn[EVN_NQN_MAX + 1];
	uint32_t nsid;
	uint64_t capacity;
	uint32_t lba_size;
};

/**
 * struct evn_pool_extent - one extent of a volume in the pool table
 * @target: UUID of the target holding it
 * @offset: bytes into the target's namespace, a multiple of the unit, not
 *	inside the metadata area
 * @length: bytes, a non-zero multiple of the unit
 * @column: stripe column (0 for concat)
 * @copy: mirror copy (always 0 in format 1)
 */
struct evn_pool_extent {
	unsigned char target[EVN_UUID_LEN];
	uint64_t offset;
	uint64_t length;
	uint32_t column;
	uint32_t copy;
};

/**
 * struct evn_pool_volume - one volume of the pool table
 * @name: user-given name
 * @uuid: the volume's UUID
 * @size: bytes: the sum of the extents (concat), or @columns times the
 *	size of one column (stripe)
 * @layout: EVN_VOLUME_LAYOUT_CONCAT or EVN_VOLUME_LAYOUT_STRIPE
 * @chunk: stripe chunk in bytes, a power of two from 4 KiB to 16 MiB; 0
 *	for concat
 * @columns: stripe columns; 1 for concat
 * @holder: host NQN of the exclusive read-write holder, "" when none
 * @extents: the map, column by column, each column's extents in column
 *	order; malloc()ed
 * @nr_extents: how many
 */
struct evn_pool_volume {
	char name[EVN_NAME_MAX + 1];
	unsigned char uuid[EVN_UUID_LEN];
	uint64_t size;
	uint32_t layout;
	uint32_t chunk;
	uint32_t columns;
	char holder[EVN_NQN_MAX + 1];
	struct evn_pool_extent *extents;
	size_t nr_extents;
};

/**
 * struct evn_pool_table - the whole pool table, as stored in every slot
 * @name: the pool's name
 * @uuid: the pool's UUID, also in every label and slot header
 * @unit: allocation unit in bytes: a power of two, at least 1 MiB
 * @metadata_size: bytes of the metadata area at the start of every target
 * @targets: the targets; malloc()ed
 * @nr_targets: how many
 * @volumes: the volumes; malloc()ed
 * @nr_volumes: how many
 *
 * Release with evn_pool_table_free(). A zeroed struct is an empty table.
 */
struct evn_pool_table {
	char name[EVN_NAME_MAX + 1];
	unsigned char uuid[EVN_UUID_LEN];
	uint64_t unit;
	uint64_t metadata_size;
	struct evn_pool_target *targets;
	size_t nr_targets;
	struct evn_pool_volume *volumes;
	size_t nr_volumes;
};

/**
 * enum evn_meta_slot_state - what evn_meta_choose() found in one slot
 * @EVN_META_SLOT_UNREAD: no image given (the target could not be read)
 * @EVN_META_SLOT_EMPTY: never written: the header is all zeros
 * @EVN_META_SLOT_INVALID: corrupt or torn; the copy's reason says why
 * @EVN_META_SLOT_NEWER: written by a newer format version
 * @EVN_META_SLOT_VALID: a whole, checksummed table of this pool
 */
enum evn_meta_slot_state {
	EVN_META_SLOT_UNREAD,
	EVN_META_SLOT_EMPTY,
	EVN_META_SLOT_INVALID,
	EVN_META_SLOT_NEWER,
	EVN_META_SLOT_VALID,
};

/**
 * enum evn_meta_copy_state - how one target's copy compares with the
 *	chosen table
 * @EVN_META_COPY_CURRENT: a valid slot holds the chosen generation
 * @EVN_META_COPY_STALE: its newest valid slot is older
 * @EVN_META_COPY_INVALID: no valid slot at all
 * @EVN_META_COPY_UNREAD: not read (no label given)
 */
enum evn_meta_copy_state {
	EVN_META_COPY_CURRENT,
	EVN_META_COPY_STALE,
	EVN_META_COPY_INVALID,
	EVN_META_COPY_UNREAD,
};

/**
 * struct evn_meta_copy - the metadata read from one target, for
 *	evn_meta_choose()
 * @target: how messages name the target (its name); set by the caller
 * @label: the target's decoded label, or NULL when it could not be read;
 *	set by the caller
 * @image: each slot as read, from its first byte (EVN_META_HEADER_SIZE +
 *	payload bytes suffice; the whole slot is fine), or NULL; set by the
 *	caller
 * @len: bytes of each @image; set by the caller
 * @slot_state: enum evn_meta_slot_state of each slot; set by
 *	evn_meta_choose()
 * @slot: each decoded slot when EVN_META_SLOT_VALID; likewise
 * @reason: why each slot is invalid or newer, else ""; likewise
 * @state: enum evn_meta_copy_state of the target; likewise
 * @generation: its newest valid generation, 0 when none; likewise
 */
struct evn_meta_copy {
	const char *target;
	const struct evn_meta_label *label;
	const void *image[2];
	size_t len[2];

	enum evn_meta_slot_state slot_state[2];
	struct evn_meta_slot slot[2];
	char reason[2][EVN_ERRLEN];
	enum evn_meta_copy_state state;
	uint64_t generation;
};

/**
 * struct evn_meta_choice - the table evn_meta_choose() picked
 * @copy: index of the first copy holding it
 * @slot: the slot there (0 or 1)
 * @generation: its generation
 * @payload: its JSON bytes (inside that copy's image)
 * @payload_len: how many
 * @nr_current: copies holding @generation
 * @nr_stale: copies whose newest valid generation is older
 * @nr_invalid: copies with no valid slot
 * @nr_unread: copies not read
 * @nr_bad_slots: slots found invalid (torn or corrupt), on any copy
 */
struct evn_meta_choice {
	size_t copy;
	unsigned int slot;
	uint64_t generation;
	const void *payload;
	size_t payload_len;
	size_t nr_current;
	size_t nr_stale;
	size_t nr_invalid;
	size_t nr_unread;
	size_t nr_bad_slots;
};

/* Geometry */
uint64_t evn_meta_slot_size(uint64_t area_size);
int evn_meta_check_area(uint64_t area_size, char *errbuf, size_t errlen);
int evn_meta_check_unit(uint64_t unit, char *errbuf, size_t errlen);

/* Labels */
int evn_meta_label_init(struct evn_meta_label *l,
			const struct evn_pool_table *t,
			const unsigned char target_uuid[EVN_UUID_LEN],
			char *errbuf, size_t errlen);
void evn_meta_label_encode(const struct evn_meta_label *l, void *buf);
int evn_meta_label_decode(const void *buf, size_t len,
			  struct evn_meta_label *l, char *errbuf,
			  size_t errlen);
int evn_meta_label_match(const struct evn_meta_label *l,
			 const struct evn_pool_table *t, char *errbuf,
			 size_t errlen);

/* Slots */
uint64_t evn_meta_slot_offset(const struct evn_meta_label *l,
			      uint64_t generation);
size_t evn_meta_slot_image_len(size_t payload_len);
int evn_meta_slot_encode(const struct evn_meta_label *l, uint64_t generation,
			 const void *payload, size_t payload_len, void *buf,
			 size_t len, char *errbuf, size_t errlen);
int evn_meta_slot_header_decode(const struct evn_meta_label *l,
				const void *buf, size_t len,
				struct evn_meta_slot *s, char *errbuf,
				size_t errlen);
int evn_meta_slot_decode(const struct evn_meta_label *l, const void *buf,
			 size_t len, struct evn_meta_slot *s, char *errbuf,
			 size_t errlen);

/* Choosing the table to load */
int evn_meta_choose(const unsigned char pool_uuid[EVN_UUID_LEN],
		    struct evn_meta_copy *copies, size_t n,
		    struct evn_meta_choice *choice, char *errbuf,
		    size_t errlen);
size_t evn_meta_report(FILE *f, const struct evn_meta_copy *copies, size_t n,
		       const struct evn_meta_choice *choice);

/* The pool table */
void evn_pool_table_free(struct evn_pool_table *t);
int evn_pool_table_copy(struct evn_pool_table *dst,
			const struct evn_pool_table *src);
int evn_pool_table_check(const struct evn_pool_table *t, char *errbuf,
			 size_t errlen);
int evn_pool_table_encode(const struct evn_pool_table *t, char **payload,
			  size_t *len, char *errbuf, size_t errlen);
int evn_pool_table_decode(const void *payload, size_t len,
			  struct evn_pool_table *t, char *errbuf,
			  size_t errlen);
struct evn_pool_target *evn_pool_table_target(const struct evn_pool_table *t,
					      const unsigned char uuid[EVN_UUID_LEN]);
struct evn_pool_volume *evn_pool_table_volume(const struct evn_pool_table *t,
					      const char *name);

#endif /* EVNADM_META_H */
