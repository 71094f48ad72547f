// SPDX-License-Identifier: GPL-2.0
/*
 * meta.c - the on-disk metadata of a pool, format 1: labels, table slots,
 * the choice of the table to load, and the pool table with its JSON
 *
 * Documentation/metadata.rst describes the format; this file is its
 * reference implementation. Nothing here does I/O: evnadm reads and writes
 * the metadata areas of targets with meta-read and meta-write, and hands
 * the bytes to these functions.
 *
 * Integers on disk are little-endian and are put and got byte by byte, so
 * the code is the same on any host. CRC-32 is zlib's crc32_z() (the
 * ISO-HDLC polynomial of zlib, gzip and PNG), UUIDs are libuuid's.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <uuid/uuid.h>
#include <zlib.h>

#include <linux/evn.h>

#include "meta.h"
#include "parse.h"
#include "print.h"
#include "volume.h"	/* EVN_CHUNK_MIN, EVN_CHUNK_MAX */

/* Offsets in the label. */
#define LABEL_MAGIC		0
#define LABEL_VERSION		8
#define LABEL_SIZE		12
#define LABEL_POOL_UUID		16
#define LABEL_TARGET_UUID	32
#define LABEL_AREA_SIZE		48
#define LABEL_UNIT		56
#define LABEL_SLOT_OFFSET	64
#define LABEL_SLOT_SIZE		80
#define LABEL_POOL_NAME		88
#define LABEL_POOL_NAME_LEN	32

/* Offsets in the slot header. */
#define HDR_MAGIC		0
#define HDR_VERSION		8
#define HDR_SIZE		12
#define HDR_GENERATION		16
#define HDR_PAYLOAD_LEN		24
#define HDR_POOL_UUID		32
#define HDR_PAYLOAD_CRC		48

/* Smallest header or label whose checksum a reader can check: magic,
 * version, size and the CRC.
 */
#define MIN_CHECKED_SIZE	20

/* LBA sizes a pool target may have: the metadata I/O is 4 KiB aligned. */
#define LBA_SIZE_MIN		512U
#define LBA_SIZE_MAX		4096U

static int fail(char *errbuf, size_t errlen, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Writes the reason into errbuf and returns err, so "return fail(...)". */
static int fail(char *errbuf, size_t errlen, int err, const char *fmt, ...)
{
	va_list ap;

	if (errbuf && errlen) {
		va_start(ap, fmt);
		vsnprintf(errbuf, errlen, fmt, ap);
		va_end(ap);
	}
	return err;
}

static void put_le32(unsigned char *p, uint32_t v)
{
	int i;

	for (i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void put_le64(unsigned char *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t get_le64(const unsigned char *p)
{
	return (uint64_t)get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}

static uint32_t crc(const void *buf, size_t len)
{
	return (uint32_t)crc32_z(crc32_z(0, Z_NULL, 0), buf, len);
}

static bool is_power_of_2(uint64_t v)
{
	return v && !(v & (v - 1));
}

static void uuid_text(const unsigned char *uuid, char text[EVN_UUID_STRLEN])
{
	uuid_unparse_lower(uuid, text);
}

static bool all_zero(const unsigned char *p, size_t len)
{
	while (len--)
		if (*p++)
			return false;
	return true;
}

/*
 * Whether @s is valid UTF-8 (RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF), as the JSON reader requires. Names and
 * addresses are ASCII by their own rules; NQNs may be any UTF-8.
 */
static bool utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		unsigned int n, c, min;

		if (*p < 0x80) {
			p++;
			continue;
		}
		if ((*p & 0xe0) == 0xc0) {
			n = 1;
			min = 0x80;
		} else if ((*p & 0xf0) == 0xe0) {
			n = 2;
			min = 0x800;
		} else if ((*p & 0xf8) == 0xf0) {
			n = 3;
			min = 0x10000;
		} else {
			return false;
		}
		c = *p & (0x3f >> n);
		while (n--) {
			if ((*++p & 0xc0) != 0x80)
				return false;
			c = c << 6 | (*p & 0x3f);
		}
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return false;
		p++;
	}
	return true;
}

/* evn_check_nqn(), and valid UTF-8. */
static int check_nqn(const char *nqn, char *errbuf, size_t errlen)
{
	int ret = evn_check_nqn(nqn, errbuf, errlen);

	if (!ret && !utf8_valid(nqn))
		return fail(errbuf, errlen, -EINVAL,
			    "invalid NQN \"%s\": not valid UTF-8", nqn);
	return ret;
}

/* ---- geometry ---- */

/**
 * evn_meta_slot_size() - bytes of each of the two slots of a metadata area
 * @area_size: bytes of the area (see evn_meta_check_area())
 *
 * Half of what follows the label, rounded down to a multiple of 4096: slot
 * 0 starts at 4096, slot 1 at 4096 + evn_meta_slot_size(area_size).
 *
 * Return: the slot size, 0 for an area too small to hold any slot.
 */
uint64_t evn_meta_slot_size(uint64_t area_size)
{
	if (area_size < EVN_META_LABEL_SIZE)
		return 0;
	return (area_size - EVN_META_LABEL_SIZE) / 2 / EVN_META_ALIGN *
	       EVN_META_ALIGN;
}

/**
 * evn_meta_check_area() - check the size of a metadata area
 * @area_size: bytes
 * @errbuf: receives the reason on failure
 * @errlen: size of @errbuf (EVN_ERRLEN is enough)
 *
 * An area is a multiple of 1 MiB, from 1 MiB to 1 GiB.
 *
 * Return: 0, or -EINVAL with @errbuf set.
 */
int evn_meta_check_area(uint64_t area_size, char *errbuf, size_t errlen)
{
	if (area_size < EVN_META_AREA_MIN)
		return fail(errbuf, errlen, -EINVAL,
			    "metadata area size %" PRIu64 " is smaller than 1M",
			    area_size);
	if (area_size > EVN_META_AREA_MAX)
		return fail(errbuf, errlen, -EINVAL,
			    "metadata area size %" PRIu64 " is larger than 1G",
			    area_size);
	if (area_size % EVN_META_AREA_ALIGN)
		return fail(errbuf, errlen, -EINVAL,
			    "metadata area size %" PRIu64 " is not a multiple of 1M",
			    area_size);
	return 0;
}

/**
 * evn_meta_check_unit() - check the allocation unit of a pool
 * @unit: bytes
 * @errbuf: receives the reason on failure
 * @errlen: size of @errbuf (EVN_ERRLEN is enough)
 *
 * A unit is a power of two from 1 MiB to 2^62 bytes.
 *
 * Return: 0, or -EINVAL with @errbuf set.
 */
int evn_meta_check_unit(uint64_t unit, char *errbuf, size_t errlen)
{
	if (!is_power_of_2(unit))
		return fail(errbuf, errlen, -EINVAL,
			    "unit %" PRIu64 " is not a power of two", unit);
	if (unit < EVN_POOL_UNIT_MIN)
		return fail(errbuf, errlen, -EINVAL,
			    "unit %" PRIu64 " is smaller than 1M", unit);
	if (unit > EVN_POOL_UNIT_MAX)
		return fail(errbuf, errlen, -EINVAL,
			    "unit %" PRIu64 " is larger than 2^62", unit);
	return 0;
}

/* ---- labels ---- */

/**
 * evn_meta_label_init() - the label of one target of a pool
 * @l: the label to fill
 * @t: the pool table: name, UUID, unit and metadata area size
 * @target_uuid: the target, one of @t's
 * @errbuf: receives the reason on failure
 * @errlen: size of @errbuf (EVN_ERRLEN is enough)
 *
 * Sets the format version and the slot geometry that follow from the area
 * size; evn_meta_label_encode() then makes the 4096 bytes to write at
 * offset 0 of the target.
 *
 * Return: 0, or -EINVAL with @errbuf set (bad area size, unit, pool name or
 * UUID, or a target not in @t).
 */
int evn_meta_label_init(struct evn_meta_label *l,
			const struct evn_pool_table *t,
			const unsigned char target_uuid[EVN_UUID_LEN],
			char *errbuf, size_t errlen)
{
	char text[EVN_UUID_STRLEN];
	int ret;

	ret = evn_check_name(t->name, "pool", errbuf, errlen);
	if (ret)
		return ret;
	ret = evn_meta_check_area(t->metadata_size, errbuf, errlen);
	if (ret)
		return ret;
	ret = evn_meta_check_unit(t->unit, errbuf, errlen);
	if (ret)
		return ret;
	if (uuid_is_null(t->uuid))
		return fail(errbuf, errlen, -EINVAL, "pool \"%s\" has the nil UUID",
			    t->name);
	if (uuid_is_null(target_uuid) || !evn_pool_table_target(t, target_uuid)) {
		uuid_text(target_uuid, text);
		return fail(errbuf, errlen, -EINVAL,
			    "target %s is not in pool \"%s\"", text, t->name);
	}

	memset(l, 0, sizeof(*l));
	l->format_version = EVN_META_VERSION;
	memcpy(l->pool_uuid, t->uuid, EVN_UUID_LEN);
	memcpy(l->target_uuid, target_uuid, EVN_UUID_LEN);
	l->area_size = t->metadata_size;
	l->unit = t->unit;
	l->slot_size = evn_meta_slot_size(l->area_size);
	l->slot_offset[0] = EVN_META_LABEL_SIZE;
	l->slot_offset[1] = EVN_META_LABEL_SIZE + l->slot_size;
	snprintf(l->pool_name, sizeof(l->pool_name), "%s", t->name);
	return 0;
}

/**
 * evn_meta_label_encode() - the on-disk bytes of a label
 * @l: the label, from evn_meta_label_init()
 * @buf: EVN_META_LABEL_SIZE bytes to fill, CRC included
 */
void evn_meta_label_encode(const struct evn_meta_label *l, void *buf)
{
	unsigned char *p = buf;

	memset(p, 0, EVN_META_LABEL_SIZE);
	memcpy(p + LABEL_MAGIC, EVN_META_LABEL_MAGIC,
	       sizeof(EVN_META_LABEL_MAGIC));
	put_le32(p + LABEL_VERSION, l->format_version);
	put_le32(p + LABEL_SIZE, EVN_META_LABEL_SIZE);
	memcpy(p + LABEL_POOL_UUID, l->pool_uuid, EVN_UUID_LEN);
	memcpy(p + LABEL_TARGET_UUID, l->target_uuid, EVN_UUID_LEN);
	put_le64(p + LABEL_AREA_SIZE, l->area_size);
	put_le64(p + LABEL_UNIT, l->unit);
	put_le64(p + LABEL_SLOT_OFFSET, l->slot_offset[0]);
	put_le64(p + LABEL_SLOT_OFFSET + 8, l->slot_offset[1]);
	put_le64(p + LABEL_SLOT_SIZE, l->slot_size);
	memcpy(p + LABEL_POOL_NAME, l->pool_name,
	       strnlen(l->pool_name, LABEL_POOL_NAME_LEN - 1));
	put_le32(p + EVN_META_LABEL_CRC, crc(p, EVN_META_LABEL_CRC));
}

/* The message of a format version newer than this evnadm's. */
static int newer_version(char *errbuf, size_t errlen, const char *what,
			 uint32_t version)
{
	return fail(errbuf, errlen, -EPROTONOSUPPORT,
		    "%sformat version %" PRIu32
		    " is not supported (this evnadm reads version %d): upgrade evnadm",
		    what, version, EVN_META_VERSION);
}

/**
 * evn_meta_label_decode() - check and decode the label of a target
 * @buf: the first bytes of the namespace
 * @len: bytes in @buf, at least EVN_META_LABEL_SIZE
 * @l: receives the label
 * @errbuf: receives the reason on failure, starting with "label: "
 * @errlen: size of @errbuf (EVN_ERRLEN is enough)
 *
 * Checks, in this order: the magic; the CRC-32 over [0, label_size - 4)
 * (for any version, so that a version number is only believed when the
 * label is whole); the format version; then every field: label size,
 * area size, unit, slot geometry as evn_meta_label_init() computes it,
 * the pool name (NUL-terminated, NUL-padded, a valid name) and non-nil
 * UUIDs. The zero padding is not checked: it is reserved for later fields.
 *
 * Return: 0; -ENODATA when there is no label (bad magic: not a pool
 * member); -EPROTONOSUPPORT when a newer format wrote it, with a message
 * naming both versions; -EBADMSG when it is corrupt; -EINVAL when @len is
 * too short. @errbuf is set on failure.
 */
int evn_meta_label_decode(const void *buf, size_t len,
			  struct evn_meta_label *l, char *errbuf,
			  size_t errlen)
{
	const unsigned char *p = buf;
	uint32_t version, size, stored, computed;
	const char *name;
	size_t namelen;
	char msg[EVN_ERRLEN];

	if (len < EVN_META_LABEL_SIZE)
		return fail(errbuf, errlen, -EINVAL,
			    "label: %zu bytes given, a label has %u", len,
			    EVN_META_LABEL_SIZE);
	if (memcmp(p + LABEL_MAGIC, EVN_META_LABEL_MAGIC,
		   sizeof(EVN_META_LABEL_MAGIC)))
		return fail(errbuf, errlen, -ENODATA,
			    "label: no evn pool label (bad magic)");
	version = get_le32(p + LABEL_VERSION);
	size = get_le32(p + LABEL_SIZE);
	if (size < MIN_CHECKED_SIZE || size > len || size % 4) {
		if (version > EVN_META_VERSION)
			return newer_version(errbuf, errlen, "label: ", version);
		return fail(errbuf, errlen, -EBADMSG,
			    "label: bad label size %" PRIu32, size);
	}
	stored = get_le32(p + size - 4);
	computed = crc(p, size - 4);
	if (stored != computed)
		return fail(errbuf, errlen, -EBADMSG,
			    "label: bad checksum (stored 0x%08" PRIx32 ", computed 0x%08" PRIx32
			    ")",
			    stored, computed);
	if (version > EVN_META_VERSION)
		return newer_version(errbuf, errlen, "label: ", version);
	if (version == 0)
		return fail(errbuf, errlen, -EBADMSG,
			    "label: invalid format version 0");
	if (size != EVN_META_LABEL_SIZE)
		return fail(errbuf, errlen, -EBADMSG,
			    "label: bad label size %" PRIu32 " (format version 1 has %u)",
			    size, EVN_META_LABEL_SIZE);

	memset(l, 0, sizeof(*l));
	l->format_version = version;
	memcpy(l->pool_uuid, p + LABEL_POOL_UUID, EVN_UUID_LEN);
	memcpy(l->target_uuid, p + LABEL_TARGET_UUID, EVN_UUID_LEN);
	l->area_size = get_le64(p + LABEL_AREA_SIZE);
	l->unit = get_le64(p + LABEL_UNIT);
	l->slot_offset[0] = get_le64(p + LABEL_SLOT_OFFSET);
	l->slot_offset[1] = get_le64(p + LABEL_SLOT_OFFSET + 8);
	l->slot_size = get_le64(p + LABEL_SLOT_SIZE);

	if (evn_meta_check_area(l->area_size, msg, sizeof(msg)) ||
	    evn_meta_check_unit(l->unit, msg, sizeof(msg)))
		return fail(errbuf, errlen, -EBADMSG, "label: %s", msg);
	if (l->slot_size != evn_meta_slot_size(l->area_size) ||
	    l->slot_offset[0] != EVN_META_LABEL_SIZE ||
	    l->slot_offset[1] != EVN_META_LABEL_SIZE + l->slot_size)
		return fail(errbuf, errlen, -EBADMSG,
			    "label: slots at %" PRIu64 " and %" PRIu64 " of %" PRIu64
			    " bytes do not match the area size %" PRIu64,
			    l->slot_offset[0], l->slot_offset[1], l->slot_size,
			    l->area_size);
	name = (const char *)p + LABEL_POOL_NAME;
	namelen = strnlen(name, LABEL_POOL_NAME_LEN);
	if (namelen == LABEL_POOL_NAME_LEN ||
	    !all_zero((const unsigned char *)name + namelen,
		      LABEL_POOL_NAME_LEN - namelen))
		return fail(errbuf, errlen, -EBADMSG,
			    "label: pool name is not NUL-terminated and NUL-padded");
	memcpy(l->pool_name, name, namelen);
	if (evn_check_name(l->pool_name, "pool", msg, sizeof(msg)))
		return fail(errbuf, errlen, -EBADMSG, "label: %s", msg);
	if (uuid_is_null(l->pool_uuid))
		return fail(errbuf, errlen, -EBADMSG,
			    "label: pool UUID is nil");
	if (uuid_is_null(l->target_uuid))
		return fail(errbuf, errlen, -EBADMSG,
			    "label: target UUID is nil");
	return 0;
}

/**
 * evn_meta_label_match() - check that a label and a pool table agree
 * @l: a target's label
 * @t: the pool table loaded for the pool
 * @errbuf: receives the reason on failure
 * @errlen: size of @errbuf (EVN_ERRLEN is enough)
 *
 * The pool UUID, name, unit and metadata area size must be equal, and the
 * label's target must be one of the table's targets.
 *
 * Return: 0, or -ESTALE with @errbuf set.
 */
int evn_meta_label_match(const struct evn_meta_label *l,
			 const struct evn_pool_table *t, char *errbuf,
			 size_t errlen)
{
	char a[EVN_UUID_STRLEN], b[EVN_UUID_STRLEN];

	if (uuid_compare(l->pool_uuid, t->uuid)) {
		uuid_text(l->pool_uuid, a);
		uuid_text(t->uuid, b);
		return fail(errbuf, errlen, -ESTALE,
			    "label of pool %s, table of pool %s", a, b);
	}
	if (strcmp(l->pool_name, t->name))
		return fail(errbuf, errlen, -ESTALE,
			    "label names pool \"%s\", the table \"%s\"",
			    l->pool_name, t->name);
	if (l->unit != t->unit)
		return fail(errbuf, errlen, -ESTALE,
			    "label has unit %" PRIu64 ", the table %" PRIu64,
			    l->unit, t->unit);
	if (l->area_size != t->metadata_size)
		return fail(errbuf, errlen, -ESTALE,
			    "label has a metadata area of %" PRIu64 " bytes, the table %" PRIu64,
			    l->area_size, t->metadata_size);
	if (!evn_pool_table_target(t, l->target_uuid)) {
		uuid_text(l->target_uuid, a);
		return fail(errbuf, errlen, -ESTALE,
			    "label of target %s, which is not in the table",
			    a);
	}
	return 0;
}

/* ---- slots ---- */

/**
 * evn_meta_slot_offset() - where a generation of the table is written
 * @l: the target's label
 * @generation: the generation, at least 1
 *
 * Return: byte offset in the namespace of slot @generation % 2.
 */
uint64_t evn_meta_slot_offset(const struct evn_meta_label *l,
			      uint64_t generation)
{
	return l->slot_offset[generation % 2];
}

/**
 * evn_meta_slot_image_len() - bytes to write for a table
 * @payload_len: bytes of the JSON pool table
 *
 * The header and the payload, rounded up to a multiple of 4096 (zero
 * filled) so the write suits meta-write: aligned to 4 KiB and any LBA size
 * up to it, and split into EVN_META_IO_MAX pieces at aligned offsets.
 *
 * Return: the image length.
 */
size_t evn_meta_slot_image_len(size_t payload_len)
{
	size_t len = EVN_META_HEADER_SIZE + payload_len;

	return (len + EVN_META_ALIGN - 1) / EVN_META_ALIGN * EVN_META_ALIGN;
}

/**
 * evn_meta_slot_encode() - the on-disk image of one generation of a table
 * @l: the label of the target it is written to (pool UUID, slot size)
 * @generation: the generation, at least 1; the image goes to
 *	evn_meta_slot_offset(@l, @generation)
 * @payload: the JSON pool table, from evn_pool_table_encode()
 * @payload_len: its bytes
 * @buf: receives the image: header, payload, zeros
 * @len: bytes of @buf, at least evn_meta_slot_image_len(@payload_len)
 * @errbuf: receives the reason on failure
 * @errlen: size of @errbuf (EVN_ERRLEN is enough)
 *
 * Return: 0; -EFBIG when the table does not fit in a slot; -EINVAL for
 * generation 0 or a short @buf. @errbuf is set on failure.
 */
int evn_meta_slot_encode(const struct evn_meta_label *l, uint64_t generation,
			 const void *payload, size_t payload_len, void *buf,
			 size_t len, char *errbuf, size_t errlen)
{
	size_t image_len = evn_meta_slot_image_len(payload_len);
	unsigned char *p = buf;

	if (!generation)
		return fail(errbuf, errlen, -EINVAL,
			    "generation 0 is not valid");
	if (l->slot_size < EVN_META_HEADER_SIZE ||
	    payload_len > l->slot_size - EVN_META_HEADER_SIZE)
		return fail(errbuf, errlen, -EFBIG,
			    "the pool table of %zu bytes does not fit in a slot of %" PRIu64
			    " bytes (metadata area %" PRIu64 ")",
			    payload_len, l->slot_size, l->area_size);
	if (len < image_len)
		return fail(errbuf, errlen, -EINVAL,
			    "slot image needs %zu bytes, %zu given", image_len,
			    len);

	memset(p, 0, image_len);
	memcpy(p + HDR_MAGIC, EVN_META_SLOT_MAGIC, 8);
	put_le32(p + HDR_VERSION, EVN_META_VERSION);
	put_le32(p + HDR_SIZE, EVN_META_HEADER_SIZE);
	put_le64(p + HDR_GENERATION, generation);
	put_le64(p + HDR_PAYLOAD_LEN, payload_len);
	memcpy(p + HDR_POOL_UUID, l->pool_uuid, EVN_UUID_LEN);
	put_le32(p + HDR_PAYLOAD_CRC, crc(payload, payload_len));
	put_le32(p + EVN_META_HEADER_CRC, crc(p, EVN_META_HEADER_CRC));
	memcpy(p + EVN_META_HEADER_SIZE, payload, payload_len);
	return 0;
}

/**
 * evn_meta_slot_header_decode() - check and decode a slot header
 * @l: the label of the target the slot was read from
 * @buf: the slot's first bytes
 * @len: bytes in @buf, at least EVN_META_HEADER_SIZE
 * @s: receives the header (@s->payload is NULL)
 * @errbuf: receives the reason on failure
 * @errlen: size of @errbuf (EVN_ERRLEN is enough)
 *
 * Checks, in this order: an all-zero header (never written); the magic;
 * the CRC-32 over [0, header_size - 4) (for any version); the format
 * version; the header size; the generation (not 0); the payload length
 * (not 0, at most the slot size less the header); the pool UUID (the
 * label's). The payload is evn_meta_slot_decode()'s.
 *
 * Return: 0; -ENODATA for a slot never written; -EPROTONOSUPPORT when a
 * newer format wrote it, with a message naming both versions; -EBADMSG
 * when it is corrupt or torn; -EINVAL when @len is too short. @errbuf is
 * set on failure.
 */
int evn_meta_slot_header_decode(const struct evn_meta_label *l,
				const void *buf, size_t len,
				struct evn_meta_slot *s, char *errbuf,
				size_t errlen)
{
	const unsigned char *p = buf;
	uint32_t version, size, stored, computed;
	char a[EVN_UUID_STRLEN], b[EVN_UUID_STRLEN];
	size_t room;

	if (len < EVN_META_HEADER_SIZE)
		return fail(errbuf, errlen, -EINVAL,
			    "%zu bytes given, a slot header has %u", len,
			    EVN_META_HEADER_SIZE);
	if (all_zero(p, EVN_META_HEADER_SIZE))
		return fail(errbuf, errlen, -ENODATA, "empty (never written)");
	if (memcmp(p + HDR_MAGIC, EVN_META_SLOT_MAGIC, 8))
		return fail(errbuf, errlen, -EBADMSG, "bad magic");
	version = get_le32(p + HDR_VERSION);
	size = get_le32(p + HDR_SIZE);
	room = len < EVN_META_ALIGN ? len : EVN_META_ALIGN;
	if (size < MIN_CHECKED_SIZE || size > room || size % 4) {
		if (version > EVN_META_VERSION)
			return newer_version(errbuf, errlen, "", version);
		return fail(errbuf, errlen, -EBADMSG,
			    "bad header size %" PRIu32, size);
	}
	stored = get_le32(p + size - 4);
	computed = crc(p, size - 4);
	if (stored != computed)
		return fail(errbuf, errlen, -EBADMSG,
			    "bad header checksum (stored 0x%08" PRIx32 ", computed 0x%08" PRIx32
			    ")",
			    stored, computed);
	if (version > EVN_META_VERSION)
		return newer_version(errbuf, errlen, "", version);
	if (version == 0)
		return fail(errbuf, errlen, -EBADMSG,
			    "invalid format version 0");
	if (size != EVN_META_HEADER_SIZE)
		return fail(errbuf, errlen, -EBADMSG,
			    "bad header size %" PRIu32 " (format version 1 has %u)",
			    size, EVN_META_HEADER_SIZE);

	memset(s, 0, sizeof(*s));
	s->format_version = version;
	s->generation = get_le64(p + HDR_GENERATION);
	s->payload_len = get_le64(p + HDR_PAYLOAD_LEN);
	s->payload_crc = get_le32(p + HDR_PAYLOAD_CRC);
	memcpy(s->pool_uuid, p + HDR_POOL_UUID, EVN_UUID_LEN);
	if (!s->generation)
		return fail(errbuf, errlen, -EBADMSG, "invalid generation 0");
	if (!s->payload_len)
		return fail(errbuf, errlen, -EBADMSG,
			    "generation %" PRIu64 ": empty payload",
			    s->generation);
	if (l->slot_size < EVN_META_HEADER_SIZE ||
	    s->payload_len > l->slot_size - EVN_META_HEADER_SIZE)
		return fail(errbuf, errlen, -EBADMSG,
			    "generation %" PRIu64 ": payload length %" PRIu64
			    " is larger than the slot allows (%" PRIu64 ")",
			    s->generation, s->payload_len,
			    l->slot_size < EVN_META_HEADER_SIZE ? 0 :
			    l->slot_size - EVN_META_HEADER_SIZE);
	if (uuid_compare(s->pool_uuid, l->pool_uuid)) {
		uuid_text(s->pool_uuid, a);
		uuid_text(l->pool_uuid, b);
		return fail(errbuf, errlen, -EBADMSG,
			    "generation %" PRIu64 ": table of pool %s, the label's pool is %s",
			    s->generation, a, b);
	}
	return 0;
}

/**
 * evn_meta_slot_decode() - check and decode a whole slot
 * @l: the label of the target the slot was read from
 * @buf: the slot from its first byte: the header and at least its payload
 *	(the whole slot is fine)
 * @len: bytes in @buf
 * @s: receives the header; @s->payload points into @buf
 * @errbuf: receives the reason on failure
 * @errlen: size of @errbuf (EVN_ERRLEN is enough)
 *
 * evn_meta_slot_header_decode(), then the CRC-32 of the payload. The JSON
 * itself is evn_pool_table_decode()'s.
 *
 * Return: as evn_meta_slot_header_decode(); also -EBADMSG for a bad
 * payload checksum and -EINVAL when @buf ends before the payload does.
 */
int evn_meta_slot_decode(const struct evn_meta_label *l, const void *buf,
			 size_t len, struct evn_meta_slot *s, char *errbuf,
			 size_t errlen)
{
	const unsigned char *p = buf;
	uint32_t computed;
	int ret;

	ret = evn_meta_slot_header_decode(l, buf, len, s, errbuf, errlen);
	if (ret)
		return ret;
	if (s->payload_len > len - EVN_META_HEADER_SIZE)
		return fail(errbuf, errlen, -EINVAL,
			    "generation %" PRIu64
			    ": %zu bytes given, header and payload have %" PRIu64,
			    s->generation, len,
			    EVN_META_HEADER_SIZE + s->payload_len);
	computed = crc(p + EVN_META_HEADER_SIZE, s->payload_len);
	if (computed != s->payload_crc)
		return fail(errbuf, errlen, -EBADMSG,
			    "generation %" PRIu64 ": bad payload checksum (stored 0x%08" PRIx32
			    ", computed 0x%08" PRIx32 ")",
			    s->generation, s->payload_crc, computed);
	s->payload = p + EVN_META_HEADER_SIZE;
	return 0;
}

/* ---- choosing the table to load ---- */

/* Decodes slot i of copy c into its state, slot and reason. */
static void choose_decode(struct evn_meta_copy *c, unsigned int i)
{
	struct evn_meta_slot *s = &c->slot[i];
	int ret;

	c->reason[i][0] = '\0';
	if (!c->image[i]) {
		c->slot_state[i] = EVN_META_SLOT_UNREAD;
		return;
	}
	ret = evn_meta_slot_decode(c->label, c->image[i], c->len[i], s,
				   c->reason[i], sizeof(c->reason[i]));
	if (!ret && s->generation % 2 != i) {
		fail(c->reason[i], sizeof(c->reason[i]), 0,
		     "generation %" PRIu64 " belongs in slot %u", s->generation,
		     (unsigned int)(s->generation % 2));
		ret = -EBADMSG;
	}
	switch (ret) {
	case 0:
		c->slot_state[i] = EVN_META_SLOT_VALID;
		break;
	case -ENODATA:
		c->slot_state[i] = EVN_META_SLOT_EMPTY;
		c->reason[i][0] = '\0';
		break;
	case -EPROTONOSUPPORT:
		c->slot_state[i] = EVN_META_SLOT_NEWER;
		break;
	default:
		c->slot_state[i] = EVN_META_SLOT_INVALID;
		break;
	}
}

/* Whether two valid slots hold the same bytes. */
static bool same_table(const struct evn_meta_slot *a,
		       const struct evn_meta_slot *b)
{
	return a->payload_len == b->payload_len &&
	       a->payload_crc == b->payload_crc &&
	       !memcmp(a->payload, b->payload, a->payload_len);
}

/**
 * evn_meta_choose() - choose the pool table to load from all targets
 * @pool_uuid: the pool being loaded
 * @copies: one per target: the caller sets target, label (NULL when the
 *	label could not be read), image[] and len[] (each slot as read, NULL
 *	when it could not be read); this sets the rest
 * @n: how many
 * @choice: receives the chosen table, and how many copies are current,
 *	stale, invalid or unread
 * @errbuf: receives the reason on failure
 * @errlen: size of @errbuf (EVN_ERRLEN is enough)
 *
 * Every slot of every copy is decoded (evn_meta_slot_decode(); a valid
 * slot must also hold a generation of its parity, g in slot g % 2), and
 * the highest valid generation wins: a write torn on some targets, or
 * finished on only some of them, leaves either the new generation on at
 * least one target, or the previous one everywhere. Each copy is then
 * current (it holds the winner), stale (an older generation) or invalid
 * (no valid slot); evn_meta_report() tells the user, and the caller
 * should rewrite every copy that is not current, and every invalid slot,
 * by writing the next generation everywhere.
 *
 * A copy whose label names another pool counts as invalid.
 *
 * Return: 0 with @choice set; -EPROTONOSUPPORT when any slot was written
 * by a newer format (loading an older generation would roll the pool
 * back); -ENOENT when no slot is valid; -EUCLEAN when two copies hold
 * different tables under the winning generation (two writers: nothing is
 * chosen automatically, though @choice names the first). @errbuf is set
 * on failure; the per-copy results are set in every case.
 */
int evn_meta_choose(const unsigned char pool_uuid[EVN_UUID_LEN],
		    struct evn_meta_copy *copies, size_t n,
		    struct evn_meta_choice *choice, char *errbuf,
		    size_t errlen)
{
	const struct evn_meta_slot *win = NULL;
	const struct evn_meta_copy *conflict = NULL;
	const char *newer = NULL;
	unsigned int newer_slot = 0;
	char text[EVN_UUID_STRLEN];
	size_t c, newer_copy = 0;
	unsigned int i;

	memset(choice, 0, sizeof(*choice));
	for (c = 0; c < n; c++) {
		struct evn_meta_copy *cp = &copies[c];

		cp->generation = 0;
		for (i = 0; i < 2; i++) {
			memset(&cp->slot[i], 0, sizeof(cp->slot[i]));
			cp->reason[i][0] = '\0';
			cp->slot_state[i] = EVN_META_SLOT_UNREAD;
		}
		if (!cp->label) {
			cp->state = EVN_META_COPY_UNREAD;
			continue;
		}
		for (i = 0; i < 2; i++) {
			if (uuid_compare(cp->label->pool_uuid, pool_uuid)) {
				uuid_text(cp->label->pool_uuid, text);
				fail(cp->reason[i], sizeof(cp->reason[i]), 0,
				     "the target's label names pool %s", text);
				cp->slot_state[i] = cp->image[i] ?
					EVN_META_SLOT_INVALID :
					EVN_META_SLOT_UNREAD;
				continue;
			}
			choose_decode(cp, i);
			if (cp->slot_state[i] == EVN_META_SLOT_NEWER &&
			    !newer) {
				newer = cp->reason[i];
				newer_slot = i;
				newer_copy = c;
			}
			if (cp->slot_state[i] == EVN_META_SLOT_VALID &&
			    cp->slot[i].generation > cp->generation)
				cp->generation = cp->slot[i].generation;
		}
		if (cp->generation > choice->generation)
			choice->generation = cp->generation;
	}

	for (c = 0; c < n; c++) {
		struct evn_meta_copy *cp = &copies[c];

		for (i = 0; i < 2; i++)
			if (cp->slot_state[i] == EVN_META_SLOT_INVALID)
				choice->nr_bad_slots++;
		if (!cp->label) {
			choice->nr_unread++;
			continue;
		}
		if (!cp->generation) {
			cp->state = EVN_META_COPY_INVALID;
			choice->nr_invalid++;
			continue;
		}
		if (cp->generation < choice->generation) {
			cp->state = EVN_META_COPY_STALE;
			choice->nr_stale++;
			continue;
		}
		cp->state = EVN_META_COPY_CURRENT;
		choice->nr_current++;
		i = (unsigned int)(cp->generation % 2);
		if (!win) {
			win = &cp->slot[i];
			choice->copy = c;
			choice->slot = i;
			choice->payload = win->payload;
			choice->payload_len = win->payload_len;
		} else if (!conflict && !same_table(win, &cp->slot[i])) {
			conflict = cp;
		}
	}

	if (newer)
		return fail(errbuf, errlen, -EPROTONOSUPPORT,
			    "slot %u of target \"%s\": %s", newer_slot,
			    copies[newer_copy].target, newer);
	if (!win)
		return fail(errbuf, errlen, -ENOENT,
			    "no valid pool table on any of the %zu targets", n);
	if (conflict)
		return fail(errbuf, errlen, -EUCLEAN,
			    "generation %" PRIu64
			    " differs between target \"%s\" and target \"%s\" (two writers?)",
			    choice->generation, copies[choice->copy].target,
			    conflict->target);
	return 0;
}

/**
 * evn_meta_report() - tell the user what evn_meta_choose() found
 * @f: stream, normally stderr
 * @copies: the copies after evn_meta_choose()
 * @n: how many
 * @choice: its choice (after a successful return)
 *
 * Prints nothing when every copy holds the chosen generation and no slot
 * is invalid. Otherwise one warning per finding, the first being
 * "recovered from generation N on target X", then, for each copy in
 * order: "target X holds generation N, older than M", "target X holds no
 * valid pool table", "target X was not read", and "slot I of target X was
 * invalid: <why>" for each invalid slot.
 *
 * Return: the number of findings after the first line (0: all is well).
 */
size_t evn_meta_report(FILE *f, const struct evn_meta_copy *copies, size_t n,
		       const struct evn_meta_choice *choice)
{
	size_t c, found;
	unsigned int i;

	found = choice->nr_stale + choice->nr_invalid + choice->nr_unread +
		choice->nr_bad_slots;
	if (!found)
		return 0;
	evn_pr_warning(f, "recovered from generation %" PRIu64 " on target \"%s\"",
		       choice->generation, copies[choice->copy].target);
	for (c = 0; c < n; c++) {
		const struct evn_meta_copy *cp = &copies[c];

		switch (cp->state) {
		case EVN_META_COPY_STALE:
			evn_pr_warning(f, "target \"%s\" holds generation %" PRIu64
				       ", older than %" PRIu64,
				       cp->target, cp->generation,
				       choice->generation);
			break;
		case EVN_META_COPY_INVALID:
			evn_pr_warning(f, "target \"%s\" holds no valid pool table",
				       cp->target);
			break;
		case EVN_META_COPY_UNREAD:
			evn_pr_warning(f, "target \"%s\" was not read",
				       cp->target);
			break;
		default:
			break;
		}
		for (i = 0; i < 2; i++)
			if (cp->slot_state[i] == EVN_META_SLOT_INVALID)
				evn_pr_warning(f, "slot %u of target \"%s\" was invalid: %s",
					       i, cp->target, cp->reason[i]);
	}
	return found;
}

/* ---- the pool table ---- */

/* enum evn_volume_layout -> its name in the JSON */
static const char *const layout_names[] = {
	[EVN_VOLUME_LAYOUT_CONCAT]	= "concat",
	[EVN_VOLUME_LAYOUT_STRIPE]	= "stripe",
};

/**
 * evn_pool_table_free() - release what a pool table holds
 * @t: the table; zeroed afterwards (an empty table), NULL is fine
 */
void evn_pool_table_free(struct evn_pool_table *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->nr_volumes; i++)
		free(t->volumes[i].extents);
	free(t->volumes);
	free(t->targets);
	memset(t, 0, sizeof(*t));
}

/**
 * evn_pool_table_copy() - deep copy of a pool table
 * @dst: receives the copy; its old contents are not freed
 * @src: the table
 *
 * Return: 0, or -ENOMEM with @dst empty.
 */
int evn_pool_table_copy(struct evn_pool_table *dst,
			const struct evn_pool_table *src)
{
	size_t i;

	*dst = *src;
	dst->targets = NULL;
	dst->volumes = NULL;
	dst->nr_targets = 0;
	dst->nr_volumes = 0;
	if (src->nr_targets) {
		dst->targets = malloc(src->nr_targets * sizeof(*dst->targets));
		if (!dst->targets)
			goto nomem;
		memcpy(dst->targets, src->targets,
		       src->nr_targets * sizeof(*dst->targets));
		dst->nr_targets = src->nr_targets;
	}
	if (src->nr_volumes) {
		dst->volumes = calloc(src->nr_volumes, sizeof(*dst->volumes));
		if (!dst->volumes)
			goto nomem;
	}
	for (i = 0; i < src->nr_volumes; i++) {
		const struct evn_pool_volume *v = &src->volumes[i];
		struct evn_pool_volume *d = &dst->volumes[i];

		*d = *v;
		d->extents = NULL;
		d->nr_extents = 0;
		dst->nr_volumes = i + 1;
		if (!v->nr_extents)
			continue;
		d->extents = malloc(v->nr_extents * sizeof(*d->extents));
		if (!d->extents)
			goto nomem;
		memcpy(d->extents, v->extents,
		       v->nr_extents * sizeof(*d->extents));
		d->nr_extents = v->nr_extents;
	}
	return 0;
nomem:
	evn_pool_table_free(dst);
	return -ENOMEM;
}

/**
 * evn_pool_table_target() - find a target of a pool table by UUID
 * @t: the table
 * @uuid: the target's UUID
 *
 * Return: the target, or NULL.
 */
struct evn_pool_target *evn_pool_table_target(const struct evn_pool_table *t,
					      const unsigned char uuid[EVN_UUID_LEN])
{
	size_t i;

	for (i = 0; i < t->nr_targets; i++)
		if (!memcmp(t->targets[i].uuid, uuid, EVN_UUID_LEN))
			return &t->targets[i];
	return NULL;
}

/**
 * evn_pool_table_volume() - find a volume of a pool table by name
 * @t: the table
 * @name: the volume's name
 *
 * Return: the volume, or NULL.
 */
struct evn_pool_volume *evn_pool_table_volume(const struct evn_pool_table *t,
					      const char *name)
{
	size_t i;

	for (i = 0; i < t->nr_volumes; i++)
		if (!strcmp(t->volumes[i].name, name))
			return &t->volumes[i];
	return NULL;
}

static int check_pool(const struct evn_pool_table *t, char *errbuf,
		      size_t errlen)
{
	char msg[EVN_ERRLEN];

	if (evn_check_name(t->name, "pool", msg, sizeof(msg)))
		return fail(errbuf, errlen, -EINVAL, "pool: %s", msg);
	if (uuid_is_null(t->uuid))
		return fail(errbuf, errlen, -EINVAL,
			    "pool \"%s\": the nil UUID is not valid", t->name);
	if (evn_meta_check_unit(t->unit, msg, sizeof(msg)) ||
	    evn_meta_check_area(t->metadata_size, msg, sizeof(msg)))
		return fail(errbuf, errlen, -EINVAL, "pool \"%s\": %s", t->name,
			    msg);
	return 0;
}

static int check_target(const struct evn_pool_table *t, size_t idx,
			char *errbuf, size_t errlen)
{
	const struct evn_pool_target *tg = &t->targets[idx];
	char msg[EVN_ERRLEN];
	size_t j;

	if (evn_check_name(tg->name, "target", msg, sizeof(msg)))
		return fail(errbuf, errlen, -EINVAL, "targets[%zu]: %s", idx,
			    msg);
	if (uuid_is_null(tg->uuid))
		return fail(errbuf, errlen, -EINVAL,
			    "target \"%s\": the nil UUID is not valid",
			    tg->name);
	if (evn_check_traddr(tg->traddr, msg, sizeof(msg)) ||
	    check_nqn(tg->subnqn, msg, sizeof(msg)))
		return fail(errbuf, errlen, -EINVAL, "target \"%s\": %s",
			    tg->name, msg);
	if (!tg->trsvcid)
		return fail(errbuf, errlen, -EINVAL,
			    "target \"%s\": trsvcid 0 is not a port", tg->name);
	if (!tg->nsid)
		return fail(errbuf, errlen, -EINVAL,
			    "target \"%s\": nsid 0 is not valid", tg->name);
	if (!is_power_of_2(tg->lba_size) || tg->lba_size < LBA_SIZE_MIN ||
	    tg->lba_size > LBA_SIZE_MAX)
		return fail(errbuf, errlen, -EINVAL,
			    "target \"%s\": LBA size %" PRIu32
			    " is not a power of two from %u to %u",
			    tg->name, tg->lba_size, LBA_SIZE_MIN, LBA_SIZE_MAX);
	if (tg->capacity > INT64_MAX)
		return fail(errbuf, errlen, -EINVAL,
			    "target \"%s\": capacity %" PRIu64 " is too large",
			    tg->name, tg->capacity);
	if (tg->capacity % tg->lba_size)
		return fail(errbuf, errlen, -EINVAL,
			    "target \"%s\": capacity %" PRIu64
			    " is not a multiple of the LBA size %" PRIu32,
			    tg->name, tg->capacity, tg->lba_size);
	if (tg->capacity < t->metadata_size)
		return fail(errbuf, errlen, -EINVAL,
			    "target \"%s\": capacity %" PRIu64
			    " is smaller than the metadata area (%" PRIu64 ")",
			    tg->name, tg->capacity, t->metadata_size);
	for (j = 0; j < idx; j++) {
		const struct evn_pool_target *o = &t->targets[j];

		if (!strcmp(o->name, tg->name))
			return fail(errbuf, errlen, -EINVAL,
				    "target \"%s\" is listed twice", tg->name);
		if (!memcmp(o->uuid, tg->uuid, EVN_UUID_LEN))
			return fail(errbuf, errlen, -EINVAL,
				    "targets \"%s\" and \"%s\" have the same UUID",
				    o->name, tg->name);
		if (!strcmp(o->traddr, tg->traddr) &&
		    o->trsvcid == tg->trsvcid &&
		    !strcmp(o->subnqn, tg->subnqn) && o->nsid == tg->nsid)
			return fail(errbuf, errlen, -EINVAL,
				    "targets \"%s\" and \"%s\" are the same namespace",
				    o->name, tg->name);
	}
	return 0;
}

/* The rules of one extent on its own; sets *tg to its target. */
static int check_extent(const struct evn_pool_table *t,
			const struct evn_pool_volume *v, size_t i,
			const struct evn_pool_target **tg, char *errbuf,
			size_t errlen)
{
	const struct evn_pool_extent *e = &v->extents[i];
	char text[EVN_UUID_STRLEN];

	*tg = evn_pool_table_target(t, e->target);
	if (!*tg) {
		uuid_text(e->target, text);
		return fail(errbuf, errlen, -EINVAL,
			    "volume \"%s\" extent %zu: unknown target %s",
			    v->name, i, text);
	}
	if (e->copy)
		return fail(errbuf, errlen, -EINVAL,
			    "volume \"%s\" extent %zu: copy %" PRIu32
			    ", but format 1 has no mirror copies",
			    v->name, i, e->copy);
	if (e->column >= v->columns)
		return fail(errbuf, errlen, -EINVAL,
			    "volume \"%s\" extent %zu: column %" PRIu32
			    ", but the volume has %" PRIu32 " column%s",
			    v->name, i, e->column, v->columns,
			    v->columns == 1 ? "" : "s");
	if (i && e->column < v->extents[i - 1].column)
		return fail(errbuf, errlen, -EINVAL,
			    "volume \"%s\" extent %zu: column %" PRIu32 " after column %" PRIu32
			    " (extents are listed column by column)",
			    v->name, i, e->column, v->extents[i - 1].column);
	if (!e->length)
		return fail(errbuf, errlen, -EINVAL,
			    "volume \"%s\" extent %zu: length is zero", v->name,
			    i);
	if (e->offset % t->unit)
		return fail(errbuf, errlen, -EINVAL,
			    "volume \"%s\" extent %zu: offset %" PRIu64
			    " is not a multiple of the unit (%" PRIu64 ")",
			    v->name, i, e->offset, t->unit);
	if (e->length % t->unit)
		return fail(errbuf, errlen, -EINVAL,
			    "volume \"%s\" extent %zu: length %" PRIu64
			    " is not a multiple of the unit (%" PRIu64 ")",
			    v->name, i, e->length, t->unit);
	if (e->offset < t->metadata_size)
		return fail(errbuf, errlen, -EINVAL,
			    "volume \"%s\" extent %zu: offset %" PRIu64
			    " is inside the metadata area of target \"%s\" (%" PRIu64 " bytes)",
			    v->name, i, e->offset, (*tg)->name,
			    t->metadata_size);
	if (e->offset >= (*tg)->capacity ||
	    e->length > (*tg)->capacity - e->offset)
		return fail(errbuf, errlen, -EINVAL,
			    "volume \"%s\" extent %zu: %" PRIu64 "+%" PRIu64
			    " goes past the end of target \"%s\" (%" PRIu64 " bytes)",
			    v->name, i, e->offset, e->length, (*tg)->name,
			    (*tg)->capacity);
	return 0;
}

static int check_volume(const struct evn_pool_table *t, size_t idx,
			char *errbuf, size_t errlen)
{
	const struct evn_pool_volume *v = &t->volumes[idx];
	const struct evn_pool_target *tg;
	uint64_t column_size = 0, size = 0, sum = 0;
	char msg[EVN_ERRLEN];
	uint32_t column = 0;
	size_t i, j;
	int ret;

	if (evn_check_name(v->name, "volume", msg, sizeof(msg)))
		return fail(errbuf, errlen, -EINVAL, "volumes[%zu]: %s", idx,
			    msg);
	for (j = 0; j < idx; j++) {
		if (!strcmp(t->volumes[j].name, v->name))
			return fail(errbuf, errlen, -EINVAL,
				    "volume \"%s\" is listed twice", v->name);
		if (!memcmp(t->volumes[j].uuid, v->uuid, EVN_UUID_LEN))
			return fail(errbuf, errlen, -EINVAL,
				    "volumes \"%s\" and \"%s\" have the same UUID",
				    t->volumes[j].name, v->name);
	}
	if (uuid_is_null(v->uuid))
		return fail(errbuf, errlen, -EINVAL,
			    "volume \"%s\": the nil UUID is not valid", v->name);
	switch (v->layout) {
	case EVN_VOLUME_LAYOUT_CONCAT:
		if (v->chunk)
			return fail(errbuf, errlen, -EINVAL,
				    "volume \"%s\": a concat volume has no chunk",
				    v->name);
		if (v->columns != 1)
			return fail(errbuf, errlen, -EINVAL,
				    "volume \"%s\": a concat volume has 1 column, not %" PRIu32,
				    v->name, v->columns);
		break;
	case EVN_VOLUME_LAYOUT_STRIPE:
		if (!is_power_of_2(v->chunk) || v->chunk < EVN_CHUNK_MIN ||
		    v->chunk > EVN_CHUNK_MAX)
			return fail(errbuf, errlen, -EINVAL,
				    "volume \"%s\": chunk %" PRIu32
				    " is not a power of two from %u to %u",
				    v->name, v->chunk, EVN_CHUNK_MIN,
				    EVN_CHUNK_MAX);
		if (!v->columns)
			return fail(errbuf, errlen, -EINVAL,
				    "volume \"%s\": a stripe needs at least one column",
				    v->name);
		break;
	default:
		return fail(errbuf, errlen, -EINVAL,
			    "volume \"%s\": unknown layout %" PRIu32, v->name,
			    v->layout);
	}
	if (v->holder[0] && check_nqn(v->holder, msg, sizeof(msg)))
		return fail(errbuf, errlen, -EINVAL, "volume \"%s\": holder: %s",
			    v->name, msg);
	if (!v->nr_extents)
		return fail(errbuf, errlen, -EINVAL, "volume \"%s\": no extents",
			    v->name);
	if (v->size > INT64_MAX)
		return fail(errbuf, errlen, -EINVAL,
			    "volume \"%s\": size %" PRIu64 " is larger than 2^63 - 1",
			    v->name, v->size);

	/* Extents column by column: sum each column, compare with column 0. */
	for (i = 0; i < v->nr_extents; i++) {
		const struct evn_pool_extent *e = &v->extents[i];

		ret = check_extent(t, v, i, &tg, errbuf, errlen);
		if (ret)
			return ret;
		if (e->column != column) {
			if (!column)
				column_size = size;
			else if (size != column_size)
				break;
			size = 0;
		}
		if (e->column > column + (i ? 1 : 0))
			return fail(errbuf, errlen, -EINVAL,
				    "volume \"%s\": column %" PRIu32 " has no extents",
				    v->name, i ? column + 1 : 0);
		column = e->column;
		if (e->length > (uint64_t)INT64_MAX - sum)
			return fail(errbuf, errlen, -EINVAL,
				    "volume \"%s\": the extents hold more than 2^63 - 1 bytes",
				    v->name);
		sum += e->length;
		size += e->length;
	}
	if (!column)
		column_size = size;
	if (size != column_size)
		return fail(errbuf, errlen, -EINVAL,
			    "volume \"%s\": column %" PRIu32 " holds %" PRIu64
			    " bytes, column 0 %" PRIu64,
			    v->name, column, size, column_size);
	if (column + 1 < v->columns)
		return fail(errbuf, errlen, -EINVAL,
			    "volume \"%s\": column %" PRIu32 " has no extents",
			    v->name, column + 1);
	if (v->layout == EVN_VOLUME_LAYOUT_STRIPE && column_size % v->chunk)
		return fail(errbuf, errlen, -EINVAL,
			    "volume \"%s\": column size %" PRIu64
			    " is not a multiple of the chunk (%" PRIu32 ")",
			    v->name, column_size, v->chunk);
	if (v->size != sum)
		return fail(errbuf, errlen, -EINVAL,
			    "volume \"%s\": size %" PRIu64 ", but the extents hold %" PRIu64,
			    v->name, v->size, sum);
	return 0;
}

/* One extent of the whole table, for the overlap check. */
struct span {
	const struct evn_pool_target *target;
	const struct evn_pool_volume *volume;
	size_t extent;
	uint64_t offset;
	uint64_t length;
};

static int span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	if (x->target != y->target)
		return x->target < y->target ? -1 : 1;
	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	return 0;
}

static int check_overlap(const struct evn_pool_table *t, char *errbuf,
			 size_t errlen)
{
	struct span *spans;
	size_t n = 0, i, j;
	int ret = 0;

	for (i = 0; i < t->nr_volumes; i++)
		n += t->volumes[i].nr_extents;
	if (!n)
		return 0;
	spans = malloc(n * sizeof(*spans));
	if (!spans)
		return fail(errbuf, errlen, -ENOMEM, "out of memory");
	n = 0;
	for (i = 0; i < t->nr_volumes; i++) {
		const struct evn_pool_volume *v = &t->volumes[i];

		for (j = 0; j < v->nr_extents; j++) {
			const unsigned char *uuid = v->extents[j].target;

			spans[n].target = evn_pool_table_target(t, uuid);
			spans[n].volume = v;
			spans[n].extent = j;
			spans[n].offset = v->extents[j].offset;
			spans[n].length = v->extents[j].length;
			n++;
		}
	}
	qsort(spans, n, sizeof(*spans), span_cmp);
	for (i = 1; i < n; i++) {
		const struct span *a = &spans[i - 1], *b = &spans[i];

		if (a->target != b->target || a->offset + a->length <= b->offset)
			continue;
		ret = fail(errbuf, errlen, -EINVAL,
			   "target \"%s\": volume \"%s\" extent %zu (%" PRIu64 "+%" PRIu64
			   ") overlaps volume \"%s\" extent %zu (%" PRIu64 "+%" PRIu64 ")",
			   b->target->name, b->volume->name, b->extent,
			   b->offset, b->length, a->volume->name, a->extent,
			   a->offset, a->length);
		break;
	}
	free(spans);
	return ret;
}

/**
 * evn_pool_table_check() - check every rule of a pool table
 * @t: the table
 * @errbuf: receives the first broken rule, naming the pool, target,
 *	volume or extent
 * @errlen: size of @errbuf (EVN_ERRLEN is enough)
 *
 * The pool: a valid name, a non-nil UUID, a valid unit and metadata area
 * size. Each target: a valid, unique name; a non-nil, unique UUID; a valid
 * address and subsystem NQN; trsvcid and nsid not 0; an LBA size that is a
 * power of two from 512 to 4096; a capacity that is a multiple of it, at
 * least the metadata area and at most 2^63 - 1; no other target with the
 * same (traddr, trsvcid, subnqn, nsid). Each volume: a valid, unique name;
 * a non-nil, unique UUID; concat with no chunk and 1 column, or stripe
 * with a chunk that is a power of two from 4 KiB to 16 MiB and at least
 * one column; a valid holder NQN or none; at least one extent, listed
 * column by column, every column having some and all the same size (for a
 * stripe a multiple of the chunk); a size equal to what the extents hold.
 * Each extent: a known target; copy 0; a column below the volume's
 * count; a length that is a non-zero multiple of the unit; an offset that
 * is a multiple of the unit, past the metadata area; inside the target.
 * Finally no two extents of any volumes share a byte of one target.
 *
 * Return: 0, -EINVAL with @errbuf set, or -ENOMEM.
 */
int evn_pool_table_check(const struct evn_pool_table *t, char *errbuf,
			 size_t errlen)
{
	size_t i;
	int ret;

	ret = check_pool(t, errbuf, errlen);
	for (i = 0; !ret && i < t->nr_targets; i++)
		ret = check_target(t, i, errbuf, errlen);
	for (i = 0; !ret && i < t->nr_volumes; i++)
		ret = check_volume(t, i, errbuf, errlen);
	if (!ret)
		ret = check_overlap(t, errbuf, errlen);
	return ret;
}

/* ---- JSON encoding ---- */

static struct json_object *json_uuid(const unsigned char *uuid)
{
	char text[EVN_UUID_STRLEN];

	uuid_text(uuid, text);
	return json_object_new_string(text);
}

static struct json_object *json_u64(uint64_t v)
{
	return json_object_new_int64((int64_t)v);
}

static struct json_object *pool_json(const struct evn_pool_table *t)
{
	struct json_object *obj = json_object_new_object();

	if (!obj)
		return NULL;
	if (evn_json_add(obj, "name", json_object_new_string(t->name)) ||
	    evn_json_add(obj, "uuid", json_uuid(t->uuid)) ||
	    evn_json_add(obj, "unit", json_u64(t->unit)) ||
	    evn_json_add(obj, "metadata_size", json_u64(t->metadata_size))) {
		json_object_put(obj);
		return NULL;
	}
	return obj;
}

static struct json_object *target_json(const struct evn_pool_target *tg)
{
	struct json_object *obj = json_object_new_object();
	char port[8];

	if (!obj)
		return NULL;
	snprintf(port, sizeof(port), "%u", tg->trsvcid);
	if (evn_json_add(obj, "uuid", json_uuid(tg->uuid)) ||
	    evn_json_add(obj, "name", json_object_new_string(tg->name)) ||
	    evn_json_add(obj, "traddr", json_object_new_string(tg->traddr)) ||
	    evn_json_add(obj, "trsvcid", json_object_new_string(port)) ||
	    evn_json_add(obj, "subnqn", json_object_new_string(tg->subnqn)) ||
	    evn_json_add(obj, "nsid", json_u64(tg->nsid)) ||
	    evn_json_add(obj, "capacity", json_u64(tg->capacity)) ||
	    evn_json_add(obj, "lba_size", json_u64(tg->lba_size))) {
		json_object_put(obj);
		return NULL;
	}
	return obj;
}

static struct json_object *extent_json(const struct evn_pool_extent *e)
{
	struct json_object *obj = json_object_new_object();

	if (!obj)
		return NULL;
	if (evn_json_add(obj, "target", json_uuid(e->target)) ||
	    evn_json_add(obj, "offset", json_u64(e->offset)) ||
	    evn_json_add(obj, "length", json_u64(e->length)) ||
	    evn_json_add(obj, "column", json_u64(e->column)) ||
	    evn_json_add(obj, "copy", json_u64(e->copy))) {
		json_object_put(obj);
		return NULL;
	}
	return obj;
}

/* Appends to a JSON array, consuming @val (NULL: its allocation failed). */
static int json_append(struct json_object *arr, struct json_object *val)
{
	if (!val)
		return -ENOMEM;
	if (json_object_array_add(arr, val)) {
		json_object_put(val);
		return -ENOMEM;
	}
	return 0;
}

static struct json_object *volume_json(const struct evn_pool_volume *v)
{
	struct json_object *obj = json_object_new_object();
	struct json_object *arr = json_object_new_array();
	struct json_object *holder = NULL;
	size_t i;

	if (!obj || !arr)
		goto nomem;
	if (v->holder[0]) {
		holder = json_object_new_string(v->holder);
		if (!holder)
			goto nomem;
	}
	for (i = 0; i < v->nr_extents; i++)
		if (json_append(arr, extent_json(&v->extents[i])))
			goto nomem;
	if (evn_json_add(obj, "name", json_object_new_string(v->name)) ||
	    evn_json_add(obj, "uuid", json_uuid(v->uuid)) ||
	    evn_json_add(obj, "size", json_u64(v->size)) ||
	    evn_json_add(obj, "layout",
			 json_object_new_string(layout_names[v->layout])) ||
	    (v->layout == EVN_VOLUME_LAYOUT_STRIPE &&
	     evn_json_add(obj, "chunk", json_u64(v->chunk))) ||
	    evn_json_add(obj, "columns", json_u64(v->columns)))
		goto nomem;
	/* JSON null: added directly, evn_json_add() takes NULL as failure */
	if (json_object_object_add(obj, "holder", holder)) {
		json_object_put(holder);
		holder = NULL;
		goto nomem;
	}
	holder = NULL;
	if (json_object_object_add(obj, "extents", arr))
		goto nomem;
	return obj;
nomem:
	json_object_put(holder);
	json_object_put(arr);
	json_object_put(obj);
	return NULL;
}

static struct json_object *table_json(const struct evn_pool_table *t)
{
	struct json_object *root = json_object_new_object();
	struct json_object *targets = json_object_new_array();
	struct json_object *volumes = json_object_new_array();
	size_t i;

	if (!root || !targets || !volumes)
		goto nomem;
	for (i = 0; i < t->nr_targets; i++)
		if (json_append(targets, target_json(&t->targets[i])))
			goto nomem;
	for (i = 0; i < t->nr_volumes; i++)
		if (json_append(volumes, volume_json(&t->volumes[i])))
			goto nomem;
	if (evn_json_add(root, "format",
			 json_object_new_int(EVN_POOL_TABLE_FORMAT)) ||
	    evn_json_add(root, "pool", pool_json(t)))
		goto nomem;
	if (json_object_object_add(root, "targets", targets)) {
		json_object_put(volumes);
		json_object_put(targets);
		json_object_put(root);
		return NULL;
	}
	if (json_object_object_add(root, "volumes", volumes)) {
		json_object_put(volumes);
		json_object_put(root);
		return NULL;
	}
	return root;
nomem:
	json_object_put(volumes);
	json_object_put(targets);
	json_object_put(root);
	return NULL;
}

/**
 * evn_pool_table_encode() - the JSON payload of a pool table
 * @t: the table; checked with evn_pool_table_check() first
 * @payload: receives the JSON text (compact, no trailing newline,
 *	NUL-terminated for convenience); free() it
 * @len: receives its length without the NUL: the payload_len to store
 * @errbuf: receives the reason on failure
 * @errlen: size of @errbuf (EVN_ERRLEN is enough)
 *
 * The same table always gives the same bytes: members in the order of
 * Documentation/metadata.rst, targets and volumes in table order.
 *
 * Return: 0; -EINVAL for a table breaking a rule; -ENOMEM. @errbuf is set
 * on failure.
 */
int evn_pool_table_encode(const struct evn_pool_table *t, char **payload,
			  size_t *len, char *errbuf, size_t errlen)
{
	struct json_object *root;
	const char *text;
	int ret;

	*payload = NULL;
	*len = 0;
	ret = evn_pool_table_check(t, errbuf, errlen);
	if (ret)
		return ret;
	root = table_json(t);
	if (!root)
		return fail(errbuf, errlen, -ENOMEM, "out of memory");
	text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	*payload = text ? strdup(text) : NULL;
	json_object_put(root);
	if (!*payload)
		return fail(errbuf, errlen, -ENOMEM, "out of memory");
	*len = strlen(*payload);
	return 0;
}

/* ---- JSON decoding ---- */

static const char *json_type_text(enum json_type type)
{
	switch (type) {
	case json_type_int:
		return "an integer";
	case json_type_string:
		return "a string";
	case json_type_array:
		return "an array";
	case json_type_object:
		return "an object";
	default:
		return "of the right type";
	}
}

/* The member @key of @obj, of @type (a string or null when @nullable). */
static int member(struct json_object *obj, const char *key,
		  enum json_type type, bool nullable, const char *where,
		  struct json_object **val, char *errbuf, size_t errlen)
{
	if (!json_object_object_get_ex(obj, key, val))
		return fail(errbuf, errlen, -EBADMSG, "%s: missing \"%s\"",
			    where, key);
	if (nullable && !*val)
		return 0;
	if (!json_object_is_type(*val, type))
		return fail(errbuf, errlen, -EBADMSG, "%s: \"%s\" is not %s%s",
			    where, key, json_type_text(type),
			    nullable ? " or null" : "");
	return 0;
}

/* A string member with no NUL inside; NULL for JSON null if @nullable. */
static int get_string(struct json_object *obj, const char *key,
		      bool nullable, const char *where, const char **s,
		      char *errbuf, size_t errlen)
{
	struct json_object *val;
	int ret;

	ret = member(obj, key, json_type_string, nullable, where, &val,
		     errbuf, errlen);
	if (ret)
		return ret;
	if (!val) {
		*s = NULL;
		return 0;
	}
	*s = json_object_get_string(val);
	if (strlen(*s) != (size_t)json_object_get_string_len(val))
		return fail(errbuf, errlen, -EBADMSG,
			    "%s: \"%s\" contains a NUL character", where, key);
	return 0;
}

/* An integer member from 0 to @max. */
static int get_uint(struct json_object *obj, const char *key, uint64_t max,
		    const char *where, uint64_t *v, char *errbuf,
		    size_t errlen)
{
	struct json_object *val;
	int ret;

	ret = member(obj, key, json_type_int, false, where, &val, errbuf,
		     errlen);
	if (ret)
		return ret;
	if (json_object_get_int64(val) < 0)
		return fail(errbuf, errlen, -EBADMSG, "%s: \"%s\" is negative",
			    where, key);
	*v = json_object_get_uint64(val);
	if (*v > max)
		return fail(errbuf, errlen, -EBADMSG,
			    "%s: \"%s\" %" PRIu64 " is larger than %" PRIu64,
			    where, key, *v, max);
	return 0;
}

static int get_u32(struct json_object *obj, const char *key,
		   const char *where, uint32_t *v, char *errbuf, size_t errlen)
{
	uint64_t val;
	int ret;

	ret = get_uint(obj, key, UINT32_MAX, where, &val, errbuf, errlen);
	if (!ret)
		*v = (uint32_t)val;
	return ret;
}

static int get_uuid(struct json_object *obj, const char *key,
		    const char *where, unsigned char *uuid, char *errbuf,
		    size_t errlen)
{
	const char *s;
	int ret;

	ret = get_string(obj, key, false, where, &s, errbuf, errlen);
	if (ret)
		return ret;
	if (strlen(s) != EVN_UUID_STRLEN - 1 || uuid_parse(s, uuid))
		return fail(errbuf, errlen, -EBADMSG,
			    "%s: \"%s\" \"%.40s%s\" is not a UUID", where, key,
			    s, strlen(s) > 40 ? "..." : "");
	return 0;
}

/* A name member: checked here, since a long one would not fit. */
static int get_name(struct json_object *obj, const char *what,
		    const char *where, char *name, char *errbuf, size_t errlen)
{
	char msg[EVN_ERRLEN];
	const char *s;
	int ret;

	ret = get_string(obj, "name", false, where, &s, errbuf, errlen);
	if (ret)
		return ret;
	if (evn_check_name(s, what, msg, sizeof(msg)))
		return fail(errbuf, errlen, -EBADMSG, "%s: %s", where, msg);
	strcpy(name, s);
	return 0;
}

/* An NQN member into a buffer of EVN_NQN_MAX + 1; "" for JSON null. */
static int get_nqn(struct json_object *obj, const char *key, bool nullable,
		   const char *where, char *nqn, char *errbuf, size_t errlen)
{
	char msg[EVN_ERRLEN];
	const char *s;
	int ret;

	ret = get_string(obj, key, nullable, where, &s, errbuf, errlen);
	if (ret)
		return ret;
	if (!s) {
		nqn[0] = '\0';
		return 0;
	}
	if (evn_check_nqn(s, msg, sizeof(msg)))
		return fail(errbuf, errlen, -EBADMSG, "%s: %s: %s", where, key,
			    msg);
	strcpy(nqn, s);
	return 0;
}

static int decode_pool(struct json_object *root, struct evn_pool_table *t,
		       char *errbuf, size_t errlen)
{
	struct json_object *pool;
	int ret;

	ret = member(root, "pool", json_type_object, false, "pool table",
		     &pool, errbuf, errlen);
	if (!ret)
		ret = get_name(pool, "pool", "pool", t->name, errbuf, errlen);
	if (!ret)
		ret = get_uuid(pool, "uuid", "pool", t->uuid, errbuf, errlen);
	if (!ret)
		ret = get_uint(pool, "unit", INT64_MAX, "pool", &t->unit,
			       errbuf, errlen);
	if (!ret)
		ret = get_uint(pool, "metadata_size", INT64_MAX, "pool",
			       &t->metadata_size, errbuf, errlen);
	return ret;
}

static int decode_target(struct json_object *obj, size_t idx,
			 struct evn_pool_target *tg, char *errbuf,
			 size_t errlen)
{
	char where[EVN_NAME_MAX + 16], msg[EVN_ERRLEN];
	const char *s;
	uint32_t port;
	int ret;

	snprintf(where, sizeof(where), "targets[%zu]", idx);
	if (!json_object_is_type(obj, json_type_object))
		return fail(errbuf, errlen, -EBADMSG, "%s: not an object",
			    where);
	ret = get_name(obj, "target", where, tg->name, errbuf, errlen);
	if (ret)
		return ret;
	snprintf(where, sizeof(where), "target \"%s\"", tg->name);
	ret = get_uuid(obj, "uuid", where, tg->uuid, errbuf, errlen);
	if (ret)
		return ret;
	ret = get_string(obj, "traddr", false, where, &s, errbuf, errlen);
	if (ret)
		return ret;
	if (evn_check_traddr(s, msg, sizeof(msg)))
		return fail(errbuf, errlen, -EBADMSG, "%s: %s", where, msg);
	strcpy(tg->traddr, s);
	ret = get_string(obj, "trsvcid", false, where, &s, errbuf, errlen);
	if (ret)
		return ret;
	if (evn_parse_u32(s, &port) || !port || port > UINT16_MAX)
		return fail(errbuf, errlen, -EBADMSG,
			    "%s: \"trsvcid\" \"%.16s\" is not a port from 1 to 65535",
			    where, s);
	tg->trsvcid = (uint16_t)port;
	ret = get_nqn(obj, "subnqn", false, where, tg->subnqn, errbuf, errlen);
	if (!ret)
		ret = get_u32(obj, "nsid", where, &tg->nsid, errbuf, errlen);
	if (!ret)
		ret = get_uint(obj, "capacity", INT64_MAX, where, &tg->capacity,
			       errbuf, errlen);
	if (!ret)
		ret = get_u32(obj, "lba_size", where, &tg->lba_size, errbuf,
			      errlen);
	return ret;
}

static int decode_extent(struct json_object *obj, const char *where,
			 struct evn_pool_extent *e, char *errbuf,
			 size_t errlen)
{
	int ret;

	if (!json_object_is_type(obj, json_type_object))
		return fail(errbuf, errlen, -EBADMSG, "%s: not an object",
			    where);
	ret = get_uuid(obj, "target", where, e->target, errbuf, errlen);
	if (!ret)
		ret = get_uint(obj, "offset", INT64_MAX, where, &e->offset,
			       errbuf, errlen);
	if (!ret)
		ret = get_uint(obj, "length", INT64_MAX, where, &e->length,
			       errbuf, errlen);
	if (!ret)
		ret = get_u32(obj, "column", where, &e->column, errbuf, errlen);
	if (!ret)
		ret = get_u32(obj, "copy", where, &e->copy, errbuf, errlen);
	return ret;
}

static int decode_volume(struct json_object *obj, size_t idx,
			 struct evn_pool_volume *v, char *errbuf,
			 size_t errlen)
{
	char where[EVN_NAME_MAX + 48];
	struct json_object *arr, *val;
	const char *s;
	size_t i, n;
	int ret;

	snprintf(where, sizeof(where), "volumes[%zu]", idx);
	if (!json_object_is_type(obj, json_type_object))
		return fail(errbuf, errlen, -EBADMSG, "%s: not an object",
			    where);
	ret = get_name(obj, "volume", where, v->name, errbuf, errlen);
	if (ret)
		return ret;
	snprintf(where, sizeof(where), "volume \"%s\"", v->name);
	ret = get_uuid(obj, "uuid", where, v->uuid, errbuf, errlen);
	if (!ret)
		ret = get_uint(obj, "size", INT64_MAX, where, &v->size, errbuf,
			       errlen);
	if (!ret)
		ret = get_string(obj, "layout", false, where, &s, errbuf,
				 errlen);
	if (ret)
		return ret;
	if (!strcmp(s, layout_names[EVN_VOLUME_LAYOUT_CONCAT]))
		v->layout = EVN_VOLUME_LAYOUT_CONCAT;
	else if (!strcmp(s, layout_names[EVN_VOLUME_LAYOUT_STRIPE]))
		v->layout = EVN_VOLUME_LAYOUT_STRIPE;
	else
		return fail(errbuf, errlen, -EBADMSG,
			    "%s: unknown layout \"%.32s\"", where, s);
	if (v->layout == EVN_VOLUME_LAYOUT_STRIPE)
		ret = get_u32(obj, "chunk", where, &v->chunk, errbuf, errlen);
	else if (json_object_object_get_ex(obj, "chunk", &val))
		ret = fail(errbuf, errlen, -EBADMSG,
			   "%s: a concat volume has no \"chunk\"", where);
	if (!ret)
		ret = get_u32(obj, "columns", where, &v->columns, errbuf,
			      errlen);
	if (!ret)
		ret = get_nqn(obj, "holder", true, where, v->holder, errbuf,
			      errlen);
	if (!ret)
		ret = member(obj, "extents", json_type_array, false, where,
			     &arr, errbuf, errlen);
	if (ret)
		return ret;

	n = json_object_array_length(arr);
	if (!n)
		return 0;	/* evn_pool_table_check() says "no extents" */
	v->extents = calloc(n, sizeof(*v->extents));
	if (!v->extents)
		return fail(errbuf, errlen, -ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		char ewhere[sizeof(where) + 32];

		snprintf(ewhere, sizeof(ewhere), "%s extent %zu", where, i);
		ret = decode_extent(json_object_array_get_idx(arr, i), ewhere,
				    &v->extents[i], errbuf, errlen);
		if (ret)
			return ret;
		v->nr_extents = i + 1;
	}
	return 0;
}

static int decode_root(struct json_object *root, struct evn_pool_table *t,
		       char *errbuf, size_t errlen)
{
	struct json_object *arr, *val;
	size_t i, n;
	int64_t format;
	int ret;

	ret = member(root, "format", json_type_int, false, "pool table", &val,
		     errbuf, errlen);
	if (ret)
		return ret;
	format = json_object_get_int64(val);
	if (format > EVN_POOL_TABLE_FORMAT)
		return fail(errbuf, errlen, -EPROTONOSUPPORT,
			    "pool table: format %" PRId64
			    " is not supported (this evnadm reads format %d): upgrade evnadm",
			    format, EVN_POOL_TABLE_FORMAT);
	if (format < 1)
		return fail(errbuf, errlen, -EBADMSG,
			    "pool table: invalid format %" PRId64, format);
	ret = decode_pool(root, t, errbuf, errlen);
	if (ret)
		return ret;

	ret = member(root, "targets", json_type_array, false, "pool table",
		     &arr, errbuf, errlen);
	if (ret)
		return ret;
	n = json_object_array_length(arr);
	if (n) {
		t->targets = calloc(n, sizeof(*t->targets));
		if (!t->targets)
			return fail(errbuf, errlen, -ENOMEM, "out of memory");
	}
	for (i = 0; i < n; i++) {
		ret = decode_target(json_object_array_get_idx(arr, i), i,
				    &t->targets[i], errbuf, errlen);
		if (ret)
			return ret;
		t->nr_targets = i + 1;
	}

	ret = member(root, "volumes", json_type_array, false, "pool table",
		     &arr, errbuf, errlen);
	if (ret)
		return ret;
	n = json_object_array_length(arr);
	if (n) {
		t->volumes = calloc(n, sizeof(*t->volumes));
		if (!t->volumes)
			return fail(errbuf, errlen, -ENOMEM, "out of memory");
	}
	for (i = 0; i < n; i++) {
		/* counted first, so evn_pool_table_free() frees its extents */
		t->nr_volumes = i + 1;
		ret = decode_volume(json_object_array_get_idx(arr, i), i,
				    &t->volumes[i], errbuf, errlen);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * evn_pool_table_decode() - decode and check the JSON payload of a slot
 * @payload: the JSON bytes (not NUL-terminated)
 * @len: how many
 * @t: receives the table; release with evn_pool_table_free()
 * @errbuf: receives the reason on failure, naming the pool, target,
 *	volume or extent
 * @errlen: size of @errbuf (EVN_ERRLEN is enough)
 *
 * Strict JSON (RFC 8259, valid UTF-8, one object and nothing after it but
 * blanks), a "format" this evnadm reads, every member of
 * Documentation/metadata.rst present with its type and range; unknown
 * members are ignored. Then evn_pool_table_check().
 *
 * Return: 0; -EPROTONOSUPPORT for a newer format, with a message naming
 * both; -EBADMSG for anything else wrong; -ENOMEM. On failure @t is empty
 * and @errbuf set.
 */
int evn_pool_table_decode(const void *payload, size_t len,
			  struct evn_pool_table *t, char *errbuf,
			  size_t errlen)
{
	const char *text = payload;
	struct json_tokener *tok;
	struct json_object *root;
	enum json_tokener_error jerr;
	const char *nul;
	size_t end;
	int ret;

	memset(t, 0, sizeof(*t));
	nul = memchr(text, '\0', len);
	if (nul)
		return fail(errbuf, errlen, -EBADMSG,
			    "pool table: NUL byte at offset %zu",
			    (size_t)(nul - text));
	if (len > INT32_MAX)
		return fail(errbuf, errlen, -EBADMSG,
			    "pool table: %zu bytes is too long", len);
	tok = json_tokener_new();
	if (!tok)
		return fail(errbuf, errlen, -ENOMEM, "out of memory");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
			       JSON_TOKENER_VALIDATE_UTF8);
	root = json_tokener_parse_ex(tok, text, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (jerr == json_tokener_continue) {
		json_object_put(root);
		return fail(errbuf, errlen, -EBADMSG,
			    "pool table: the JSON ends early (%zu bytes)", len);
	}
	if (jerr != json_tokener_success) {
		json_object_put(root);
		return fail(errbuf, errlen, -EBADMSG,
			    "pool table: not valid JSON: %s at byte %zu",
			    json_tokener_error_desc(jerr), end);
	}
	while (end < len && text[end] && strchr(" \t\r\n", text[end]))
		end++;
	if (end < len) {
		json_object_put(root);
		return fail(errbuf, errlen, -EBADMSG,
			    "pool table: data after the JSON object at byte %zu",
			    end);
	}
	if (!json_object_is_type(root, json_type_object)) {
		json_object_put(root);
		return fail(errbuf, errlen, -EBADMSG,
			    "pool table: not a JSON object");
	}
	ret = decode_root(root, t, errbuf, errlen);
	json_object_put(root);
	if (!ret) {
		ret = evn_pool_table_check(t, errbuf, errlen);
		if (ret == -EINVAL)
			ret = -EBADMSG;
	}
	if (ret)
		evn_pool_table_free(t);
	return ret;
}
