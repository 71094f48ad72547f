// SPDX-License-Identifier: GPL-2.0
/*
 * meta_test.c - unit tests of the on-disk metadata: geometry, labels, slot
 * images and every corruption of them, the choice of the table to load
 * (torn writes, stale and unreadable copies, newer formats, two writers),
 * and the pool table's JSON with each of its validation rules
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

#include <json-c/json.h>
#include <uuid/uuid.h>
#include <zlib.h>

#include <linux/evn.h>

#include "meta.h"
#include "parse.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define M		(1ULL << 20)
#define G		(1ULL << 30)

#define POOL_UUID	"11111111-1111-4111-8111-111111111111"
#define T0_UUID		"aaaaaaaa-0000-4000-8000-000000000000"
#define T1_UUID		"aaaaaaaa-0000-4000-8000-000000000001"
#define T2_UUID		"aaaaaaaa-0000-4000-8000-000000000002"
#define V0_UUID		"bbbbbbbb-0000-4000-8000-000000000000"
#define V1_UUID		"bbbbbbbb-0000-4000-8000-000000000001"
#define OTHER_UUID	"cccccccc-0000-4000-8000-000000000000"
#define HOST_NQN	"nqn.2014-08.org.nvmexpress:uuid:host1"
#define SUBNQN		"nqn.2026-01.com.example:pool0"

static void set_uuid(unsigned char *uuid, const char *text)
{
	assert_int_equal(uuid_parse(text, uuid), 0);
}

static void add_target(struct evn_pool_table *t, const char *name,
		       const char *uuid, const char *addr, uint64_t capacity,
		       uint32_t lba_size)
{
	struct evn_pool_target *tg;

	t->targets = realloc(t->targets, (t->nr_targets + 1) * sizeof(*tg));
	assert_non_null(t->targets);
	tg = &t->targets[t->nr_targets++];
	memset(tg, 0, sizeof(*tg));
	snprintf(tg->name, sizeof(tg->name), "%s", name);
	set_uuid(tg->uuid, uuid);
	snprintf(tg->traddr, sizeof(tg->traddr), "%s", addr);
	tg->trsvcid = 4420;
	snprintf(tg->subnqn, sizeof(tg->subnqn), "%s", SUBNQN);
	tg->nsid = 1;
	tg->capacity = capacity;
	tg->lba_size = lba_size;
}

static struct evn_pool_volume *add_volume(struct evn_pool_table *t,
					  const char *name, const char *uuid,
					  uint32_t layout, uint32_t chunk,
					  uint32_t columns)
{
	struct evn_pool_volume *v;

	t->volumes = realloc(t->volumes, (t->nr_volumes + 1) * sizeof(*v));
	assert_non_null(t->volumes);
	v = &t->volumes[t->nr_volumes++];
	memset(v, 0, sizeof(*v));
	snprintf(v->name, sizeof(v->name), "%s", name);
	set_uuid(v->uuid, uuid);
	v->layout = layout;
	v->chunk = chunk;
	v->columns = columns;
	return v;
}

static void add_extent(struct evn_pool_volume *v, const char *target,
		       uint64_t offset, uint64_t length, uint32_t column)
{
	struct evn_pool_extent *e;

	v->extents = realloc(v->extents, (v->nr_extents + 1) * sizeof(*e));
	assert_non_null(v->extents);
	e = &v->extents[v->nr_extents++];
	memset(e, 0, sizeof(*e));
	set_uuid(e->target, target);
	e->offset = offset;
	e->length = length;
	e->column = column;
	v->size += length;
}

/*
 * The table most tests use: three targets of 1 GiB, unit 1 MiB, area
 * 16 MiB; v0 concat over t0 and t1, v1 a 2-column stripe over t0 and t2
 * (column 1 in two extents) with a holder.
 */
static void base_table(struct evn_pool_table *t)
{
	struct evn_pool_volume *v;

	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "pool0");
	set_uuid(t->uuid, POOL_UUID);
	t->unit = M;
	t->metadata_size = 16 * M;
	add_target(t, "t0", T0_UUID, "10.0.0.1", G, 512);
	add_target(t, "t1", T1_UUID, "10.0.0.2", G, 512);
	add_target(t, "t2", T2_UUID, "fe80::1%eth0", G, 4096);
	v = add_volume(t, "v0", V0_UUID, EVN_VOLUME_LAYOUT_CONCAT, 0, 1);
	add_extent(v, T0_UUID, 16 * M, 10 * M, 0);
	add_extent(v, T1_UUID, 16 * M, 10 * M, 0);
	v = add_volume(t, "v1", V1_UUID, EVN_VOLUME_LAYOUT_STRIPE, 128 << 10,
		       2);
	snprintf(v->holder, sizeof(v->holder), "%s", HOST_NQN);
	add_extent(v, T0_UUID, 26 * M, 20 * M, 0);
	add_extent(v, T2_UUID, 16 * M, 10 * M, 1);
	add_extent(v, T2_UUID, 100 * M, 10 * M, 1);
}

static uint32_t zcrc(const void *p, size_t len)
{
	return (uint32_t)crc32(crc32(0, Z_NULL, 0), p, (uInt)len);
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t le64(const unsigned char *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static void put64(unsigned char *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

/* ---- geometry ---- */

static void test_geometry(void **state)
{
	static const struct {
		uint64_t area;
		const char *err;
	} bad[] = {
		{ 0, "metadata area size 0 is smaller than 1M" },
		{ M - 4096, "metadata area size 1044480 is smaller than 1M" },
		{ M + M / 2, "metadata area size 1572864 is not a multiple of 1M" },
		{ 2 * G, "metadata area size 2147483648 is larger than 1G" },
	};
	static const struct {
		uint64_t unit;
		const char *err;
	} bad_unit[] = {
		{ 0, "unit 0 is not a power of two" },
		{ 3 * M, "unit 3145728 is not a power of two" },
		{ 512 << 10, "unit 524288 is smaller than 1M" },
		{ 1ULL << 63, "unit 9223372036854775808 is larger than 2^62" },
	};
	char err[EVN_ERRLEN];
	size_t i;

	(void)state;
	/* (area - 4096) / 2 rounded down to 4 KiB */
	assert_true(evn_meta_slot_size(16 * M) == 8384512);
	assert_true(evn_meta_slot_size(M) == 520192);
	assert_true(evn_meta_slot_size(G) == 536866816);
	assert_true(evn_meta_slot_size(100) == 0);
	/* the CRC-32 the format names: its check value */
	assert_int_equal(zcrc("123456789", 9), 0xcbf43926);
	assert_int_equal(evn_meta_check_area(M, err, sizeof(err)), 0);
	assert_int_equal(evn_meta_check_area(16 * M, err, sizeof(err)), 0);
	assert_int_equal(evn_meta_check_area(G, err, sizeof(err)), 0);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(evn_meta_check_area(bad[i].area, err,
						     sizeof(err)), -EINVAL);
		assert_string_equal(err, bad[i].err);
	}
	assert_int_equal(evn_meta_check_unit(M, err, sizeof(err)), 0);
	assert_int_equal(evn_meta_check_unit(1ULL << 62, err, sizeof(err)), 0);
	for (i = 0; i < ARRAY_SIZE(bad_unit); i++) {
		assert_int_equal(evn_meta_check_unit(bad_unit[i].unit, err,
						     sizeof(err)), -EINVAL);
		assert_string_equal(err, bad_unit[i].err);
	}
	/* image: header + payload rounded up to 4 KiB */
	assert_int_equal(evn_meta_slot_image_len(1), 4096);
	assert_int_equal(evn_meta_slot_image_len(4096 - 64), 4096);
	assert_int_equal(evn_meta_slot_image_len(4096 - 63), 8192);
}

/* ---- labels ---- */

static void make_label(struct evn_meta_label *l, const struct evn_pool_table *t,
		       const char *target)
{
	unsigned char uuid[EVN_UUID_LEN];
	char err[EVN_ERRLEN];

	set_uuid(uuid, target);
	assert_int_equal(evn_meta_label_init(l, t, uuid, err, sizeof(err)), 0);
}

static void test_label_round_trip(void **state)
{
	unsigned char buf[EVN_META_LABEL_SIZE];
	unsigned char pool[EVN_UUID_LEN], tg[EVN_UUID_LEN];
	struct evn_meta_label l, d;
	struct evn_pool_table t;
	char err[EVN_ERRLEN];

	(void)state;
	base_table(&t);
	make_label(&l, &t, T1_UUID);
	assert_int_equal(l.format_version, 1);
	assert_true(l.slot_offset[0] == 4096);
	assert_true(l.slot_size == 8384512);
	assert_true(l.slot_offset[1] == 4096 + 8384512);
	evn_meta_label_encode(&l, buf);

	/* the documented layout, byte for byte */
	set_uuid(pool, POOL_UUID);
	set_uuid(tg, T1_UUID);
	assert_memory_equal(buf, "EVNPOOL\0", 8);
	assert_int_equal(le32(buf + 8), 1);
	assert_int_equal(le32(buf + 12), 4096);
	assert_memory_equal(buf + 16, pool, 16);
	assert_memory_equal(buf + 32, tg, 16);
	assert_true(le64(buf + 48) == 16 * M);
	assert_true(le64(buf + 56) == M);
	assert_true(le64(buf + 64) == 4096);
	assert_true(le64(buf + 72) == 4096 + 8384512);
	assert_true(le64(buf + 80) == 8384512);
	assert_string_equal((char *)buf + 88, "pool0");
	assert_true(buf[88 + 5] == 0 && buf[88 + 31] == 0);
	assert_int_equal(le32(buf + 4092), zcrc(buf, 4092));

	memset(&d, 0xa5, sizeof(d));
	assert_int_equal(evn_meta_label_decode(buf, sizeof(buf), &d, err,
					       sizeof(err)), 0);
	assert_memory_equal(&d, &l, sizeof(d));
	assert_int_equal(evn_meta_label_match(&d, &t, err, sizeof(err)), 0);
	evn_pool_table_free(&t);
}

static void test_label_init_bad(void **state)
{
	unsigned char uuid[EVN_UUID_LEN];
	struct evn_meta_label l;
	struct evn_pool_table t;
	char err[EVN_ERRLEN];

	(void)state;
	base_table(&t);
	set_uuid(uuid, OTHER_UUID);
	assert_int_equal(evn_meta_label_init(&l, &t, uuid, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "target " OTHER_UUID " is not in pool \"pool0\"");
	set_uuid(uuid, T0_UUID);
	t.metadata_size = 3 * M / 2;
	assert_int_equal(evn_meta_label_init(&l, &t, uuid, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "metadata area size 1572864 is not a multiple of 1M");
	t.metadata_size = 16 * M;
	t.unit = 1000;
	assert_int_equal(evn_meta_label_init(&l, &t, uuid, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "unit 1000 is not a power of two");
	evn_pool_table_free(&t);
}

static void fix_label_crc(unsigned char *buf)
{
	put32(buf + 4092, zcrc(buf, 4092));
}

static void test_label_corrupt(void **state)
{
	/* a byte flipped in each region, the CRC left alone */
	static const size_t flips[] = {
		8, 12, 16, 32, 48, 56, 64, 72, 80, 88, 200, 4091, 4092, 4095,
	};
	unsigned char good[EVN_META_LABEL_SIZE], buf[EVN_META_LABEL_SIZE];
	struct evn_meta_label l;
	struct evn_pool_table t;
	char err[EVN_ERRLEN], want[EVN_ERRLEN];
	size_t i;

	(void)state;
	base_table(&t);
	make_label(&l, &t, T0_UUID);
	evn_meta_label_encode(&l, good);

	for (i = 0; i < ARRAY_SIZE(flips); i++) {
		memcpy(buf, good, sizeof(buf));
		buf[flips[i]] ^= 0x40;
		snprintf(want, sizeof(want),
			 "label: bad checksum (stored 0x%08" PRIx32 ", computed 0x%08" PRIx32 ")",
			 le32(buf + 4092), zcrc(buf, 4092));
		print_message("label byte %zu flipped\n", flips[i]);
		assert_int_equal(evn_meta_label_decode(buf, sizeof(buf), &l,
						       err, sizeof(err)),
				 -EBADMSG);
		if (flips[i] == 12)	/* the size itself is then wrong */
			assert_string_equal(err, "label: bad label size 4160");
		else
			assert_string_equal(err, want);
	}

	/* magic: not a label at all */
	memcpy(buf, good, sizeof(buf));
	buf[3] ^= 1;
	assert_int_equal(evn_meta_label_decode(buf, sizeof(buf), &l, err,
					       sizeof(err)), -ENODATA);
	assert_string_equal(err, "label: no evn pool label (bad magic)");
	memset(buf, 0, sizeof(buf));
	assert_int_equal(evn_meta_label_decode(buf, sizeof(buf), &l, err,
					       sizeof(err)), -ENODATA);

	/* too short a buffer */
	assert_int_equal(evn_meta_label_decode(good, 512, &l, err,
					       sizeof(err)), -EINVAL);
	assert_string_equal(err, "label: 512 bytes given, a label has 4096");
	evn_pool_table_free(&t);
}

static void test_label_fields_bad(void **state)
{
	static const struct {
		size_t offset;
		int width;		/* 4, 8, or 0: one byte */
		uint64_t value;
		int ret;
		const char *err;
	} cases[] = {
		{ 8, 4, 2, -EPROTONOSUPPORT,
		  "label: format version 2 is not supported (this evnadm reads version 1): upgrade evnadm" },
		{ 8, 4, 0, -EBADMSG, "label: invalid format version 0" },
		{ 48, 8, 16 * M + 4096, -EBADMSG,
		  "label: metadata area size 16781312 is not a multiple of 1M" },
		{ 56, 8, 4096, -EBADMSG, "label: unit 4096 is smaller than 1M" },
		{ 64, 8, 8192, -EBADMSG,
		  "label: slots at 8192 and 8388608 of 8384512 bytes do not match the area size 16777216" },
		{ 80, 8, 4096, -EBADMSG,
		  "label: slots at 4096 and 8388608 of 4096 bytes do not match the area size 16777216" },
		{ 88 + 20, 0, 'x', -EBADMSG,
		  "label: pool name is not NUL-terminated and NUL-padded" },
		{ 88 + 31, 0, 'x', -EBADMSG,
		  "label: pool name is not NUL-terminated and NUL-padded" },
		{ 88, 0, 0, -EBADMSG,
		  "label: pool name is not NUL-terminated and NUL-padded" },
		{ 88, 0, '-', -EBADMSG,
		  "label: invalid pool name \"-ool0\": must not start with '-'" },
		{ 88 + 1, 0, ' ', -EBADMSG,
		  "label: invalid pool name \"p ol0\": character ' ' not allowed (only A-Z a-z 0-9 . _ -)" },
	};
	unsigned char good[EVN_META_LABEL_SIZE], buf[EVN_META_LABEL_SIZE];
	struct evn_meta_label l;
	struct evn_pool_table t;
	char err[EVN_ERRLEN];
	size_t i;

	(void)state;
	base_table(&t);
	make_label(&l, &t, T0_UUID);
	evn_meta_label_encode(&l, good);

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		memcpy(buf, good, sizeof(buf));
		if (cases[i].width == 4)
			put32(buf + cases[i].offset, (uint32_t)cases[i].value);
		else if (cases[i].width == 8)
			put64(buf + cases[i].offset, cases[i].value);
		else
			buf[cases[i].offset] = (unsigned char)cases[i].value;
		fix_label_crc(buf);
		print_message("label case %zu\n", i);
		assert_int_equal(evn_meta_label_decode(buf, sizeof(buf), &l,
						       err, sizeof(err)),
				 cases[i].ret);
		assert_string_equal(err, cases[i].err);
	}

	/* a name of 32 characters, and an empty one */
	memcpy(buf, good, sizeof(buf));
	memset(buf + 88, 'x', 32);
	fix_label_crc(buf);
	assert_int_equal(evn_meta_label_decode(buf, sizeof(buf), &l, err,
					       sizeof(err)), -EBADMSG);
	assert_string_equal(err, "label: pool name is not NUL-terminated and NUL-padded");
	memset(buf + 88, 0, 32);
	fix_label_crc(buf);
	assert_int_equal(evn_meta_label_decode(buf, sizeof(buf), &l, err,
					       sizeof(err)), -EBADMSG);
	assert_string_equal(err, "label: invalid pool name \"\": empty");

	/* nil UUIDs */
	memcpy(buf, good, sizeof(buf));
	memset(buf + 16, 0, 16);
	fix_label_crc(buf);
	assert_int_equal(evn_meta_label_decode(buf, sizeof(buf), &l, err,
					       sizeof(err)), -EBADMSG);
	assert_string_equal(err, "label: pool UUID is nil");
	memcpy(buf, good, sizeof(buf));
	memset(buf + 32, 0, 16);
	fix_label_crc(buf);
	assert_int_equal(evn_meta_label_decode(buf, sizeof(buf), &l, err,
					       sizeof(err)), -EBADMSG);
	assert_string_equal(err, "label: target UUID is nil");

	/*
	 * A newer label may be larger: its version is believed once its own
	 * checksum (at label_size - 4) holds, or when its size cannot be
	 * checked at all.
	 */
	memcpy(buf, good, sizeof(buf));
	put32(buf + 8, 7);
	put32(buf + 12, 2048);
	put32(buf + 2044, zcrc(buf, 2044));
	assert_int_equal(evn_meta_label_decode(buf, sizeof(buf), &l, err,
					       sizeof(err)), -EPROTONOSUPPORT);
	assert_string_equal(err, "label: format version 7 is not supported (this evnadm reads version 1): upgrade evnadm");
	put32(buf + 12, 65536);
	assert_int_equal(evn_meta_label_decode(buf, sizeof(buf), &l, err,
					       sizeof(err)), -EPROTONOSUPPORT);
	/* version 1 of another size is corrupt */
	put32(buf + 8, 1);
	assert_int_equal(evn_meta_label_decode(buf, sizeof(buf), &l, err,
					       sizeof(err)), -EBADMSG);
	assert_string_equal(err, "label: bad label size 65536");
	put32(buf + 12, 2048);
	put32(buf + 2044, zcrc(buf, 2044));
	assert_int_equal(evn_meta_label_decode(buf, sizeof(buf), &l, err,
					       sizeof(err)), -EBADMSG);
	assert_string_equal(err, "label: bad label size 2048 (format version 1 has 4096)");
	evn_pool_table_free(&t);
}

static void test_label_match(void **state)
{
	struct evn_meta_label l, m;
	struct evn_pool_table t;
	char err[EVN_ERRLEN];

	(void)state;
	base_table(&t);
	make_label(&l, &t, T2_UUID);
	assert_int_equal(evn_meta_label_match(&l, &t, err, sizeof(err)), 0);

	m = l;
	set_uuid(m.pool_uuid, OTHER_UUID);
	assert_int_equal(evn_meta_label_match(&m, &t, err, sizeof(err)),
			 -ESTALE);
	assert_string_equal(err, "label of pool " OTHER_UUID ", table of pool " POOL_UUID);
	m = l;
	snprintf(m.pool_name, sizeof(m.pool_name), "old");
	assert_int_equal(evn_meta_label_match(&m, &t, err, sizeof(err)),
			 -ESTALE);
	assert_string_equal(err, "label names pool \"old\", the table \"pool0\"");
	m = l;
	m.unit = 2 * M;
	assert_int_equal(evn_meta_label_match(&m, &t, err, sizeof(err)),
			 -ESTALE);
	assert_string_equal(err, "label has unit 2097152, the table 1048576");
	m = l;
	m.area_size = 32 * M;
	assert_int_equal(evn_meta_label_match(&m, &t, err, sizeof(err)),
			 -ESTALE);
	assert_string_equal(err, "label has a metadata area of 33554432 bytes, the table 16777216");
	m = l;
	set_uuid(m.target_uuid, OTHER_UUID);
	assert_int_equal(evn_meta_label_match(&m, &t, err, sizeof(err)),
			 -ESTALE);
	assert_string_equal(err, "label of target " OTHER_UUID ", which is not in the table");
	evn_pool_table_free(&t);
}

/* ---- slots ---- */

/* The JSON of a table; free() it. */
static char *payload_of(const struct evn_pool_table *t, size_t *len)
{
	char err[EVN_ERRLEN];
	char *p;

	assert_int_equal(evn_pool_table_encode(t, &p, len, err, sizeof(err)),
			 0);
	return p;
}

/* An image of generation @gen of @t for the target of @l; free() it. */
static unsigned char *image_of(const struct evn_meta_label *l,
			       const struct evn_pool_table *t, uint64_t gen,
			       size_t *len)
{
	char err[EVN_ERRLEN];
	unsigned char *buf;
	size_t plen;
	char *p;

	p = payload_of(t, &plen);
	*len = evn_meta_slot_image_len(plen);
	buf = malloc(*len);
	assert_non_null(buf);
	assert_int_equal(evn_meta_slot_encode(l, gen, p, plen, buf, *len, err,
					      sizeof(err)), 0);
	free(p);
	return buf;
}

static void test_slot_round_trip(void **state)
{
	unsigned char pool[EVN_UUID_LEN];
	struct evn_meta_label l;
	struct evn_pool_table t, d;
	struct evn_meta_slot s;
	char err[EVN_ERRLEN];
	unsigned char *img;
	size_t len, plen;
	char *p;

	(void)state;
	base_table(&t);
	make_label(&l, &t, T0_UUID);
	p = payload_of(&t, &plen);
	img = image_of(&l, &t, 5, &len);
	assert_int_equal(len % 4096, 0);
	assert_true(len >= 64 + plen);
	assert_true(evn_meta_slot_offset(&l, 5) == l.slot_offset[1]);
	assert_true(evn_meta_slot_offset(&l, 6) == 4096);

	/* the documented header, byte for byte */
	set_uuid(pool, POOL_UUID);
	assert_memory_equal(img, "EVNTABLE", 8);
	assert_int_equal(le32(img + 8), 1);
	assert_int_equal(le32(img + 12), 64);
	assert_true(le64(img + 16) == 5);
	assert_true(le64(img + 24) == plen);
	assert_memory_equal(img + 32, pool, 16);
	assert_int_equal(le32(img + 48), zcrc(p, plen));
	assert_int_equal(le32(img + 52) | le32(img + 56), 0);
	assert_int_equal(le32(img + 60), zcrc(img, 60));
	assert_memory_equal(img + 64, p, plen);
	assert_int_equal(img[len - 1], 0);

	/* whole image, whole slot, header only */
	assert_int_equal(evn_meta_slot_decode(&l, img, len, &s, err,
					      sizeof(err)), 0);
	assert_true(s.generation == 5);
	assert_true(s.payload_len == plen);
	assert_ptr_equal(s.payload, img + 64);
	assert_int_equal(evn_meta_slot_decode(&l, img, 64 + plen, &s, err,
					      sizeof(err)), 0);
	assert_int_equal(evn_meta_slot_header_decode(&l, img, 64, &s, err,
						     sizeof(err)), 0);
	assert_null(s.payload);
	assert_true(s.payload_len == plen);

	/* and the table inside */
	assert_int_equal(evn_pool_table_decode(img + 64, plen, &d, err,
					       sizeof(err)), 0);
	assert_string_equal(d.volumes[1].holder, HOST_NQN);
	evn_pool_table_free(&d);
	free(img);
	free(p);
	evn_pool_table_free(&t);
}

static void test_slot_encode_bad(void **state)
{
	struct evn_meta_label l;
	struct evn_pool_table t;
	char err[EVN_ERRLEN];
	unsigned char *buf;
	size_t big = 520192 - 64 + 1;

	(void)state;
	base_table(&t);
	t.metadata_size = M;	/* slots of 520192 bytes */
	make_label(&l, &t, T0_UUID);
	buf = calloc(1, evn_meta_slot_image_len(big));
	assert_non_null(buf);
	assert_int_equal(evn_meta_slot_encode(&l, 1, buf, big - 1, buf,
					      evn_meta_slot_image_len(big),
					      err, sizeof(err)), 0);
	assert_int_equal(evn_meta_slot_encode(&l, 1, buf, big, buf,
					      evn_meta_slot_image_len(big),
					      err, sizeof(err)), -EFBIG);
	assert_string_equal(err, "the pool table of 520129 bytes does not fit in a slot of 520192 bytes (metadata area 1048576)");
	assert_int_equal(evn_meta_slot_encode(&l, 0, "{}", 2, buf, 4096, err,
					      sizeof(err)), -EINVAL);
	assert_string_equal(err, "generation 0 is not valid");
	assert_int_equal(evn_meta_slot_encode(&l, 1, "{}", 2, buf, 4095, err,
					      sizeof(err)), -EINVAL);
	assert_string_equal(err, "slot image needs 4096 bytes, 4095 given");
	free(buf);
	evn_pool_table_free(&t);
}

static void fix_header_crc(unsigned char *img)
{
	put32(img + 60, zcrc(img, 60));
}

static void test_slot_corrupt(void **state)
{
	/* a byte flipped in each header field, the header CRC left alone */
	static const size_t flips[] = {
		8, 12, 16, 24, 32, 47, 48, 52, 59, 60, 63,
	};
	struct evn_meta_label l;
	struct evn_pool_table t;
	struct evn_meta_slot s;
	char err[EVN_ERRLEN], want[EVN_ERRLEN];
	unsigned char *good, *img;
	size_t len, i;

	(void)state;
	base_table(&t);
	make_label(&l, &t, T0_UUID);
	good = image_of(&l, &t, 5, &len);
	img = malloc(len);
	assert_non_null(img);

	for (i = 0; i < ARRAY_SIZE(flips); i++) {
		memcpy(img, good, len);
		img[flips[i]] ^= 0x10;
		snprintf(want, sizeof(want),
			 "bad header checksum (stored 0x%08" PRIx32 ", computed 0x%08" PRIx32 ")",
			 le32(img + 60), zcrc(img, 60));
		print_message("header byte %zu flipped\n", flips[i]);
		assert_int_equal(evn_meta_slot_decode(&l, img, len, &s, err,
						      sizeof(err)), -EBADMSG);
		if (flips[i] == 12)	/* header size 80: CRC read at 76 */
			snprintf(want, sizeof(want),
				 "bad header checksum (stored 0x%08" PRIx32 ", computed 0x%08" PRIx32 ")",
				 le32(img + 76), zcrc(img, 76));
		assert_string_equal(err, want);
	}

	/* magic */
	memcpy(img, good, len);
	img[0] = 'X';
	assert_int_equal(evn_meta_slot_decode(&l, img, len, &s, err,
					      sizeof(err)), -EBADMSG);
	assert_string_equal(err, "bad magic");

	/* payload: one byte flipped anywhere */
	for (i = 64; i < 64 + le64(good + 24); i += 97) {
		memcpy(img, good, len);
		img[i] ^= 0x01;
		snprintf(want, sizeof(want),
			 "generation 5: bad payload checksum (stored 0x%08" PRIx32 ", computed 0x%08" PRIx32 ")",
			 le32(good + 48), zcrc(img + 64, le64(good + 24)));
		assert_int_equal(evn_meta_slot_decode(&l, img, len, &s, err,
						      sizeof(err)), -EBADMSG);
		assert_string_equal(err, want);
	}
	/* the header alone does not see it */
	assert_int_equal(evn_meta_slot_header_decode(&l, img, len, &s, err,
						     sizeof(err)), 0);

	/* never written */
	memset(img, 0, len);
	assert_int_equal(evn_meta_slot_decode(&l, img, len, &s, err,
					      sizeof(err)), -ENODATA);
	assert_string_equal(err, "empty (never written)");

	/* short buffers */
	assert_int_equal(evn_meta_slot_decode(&l, good, 63, &s, err,
					      sizeof(err)), -EINVAL);
	assert_string_equal(err, "63 bytes given, a slot header has 64");
	assert_int_equal(evn_meta_slot_decode(&l, good, 100, &s, err,
					      sizeof(err)), -EINVAL);
	snprintf(want, sizeof(want),
		 "generation 5: 100 bytes given, header and payload have %" PRIu64,
		 64 + le64(good + 24));
	assert_string_equal(err, want);
	free(img);
	free(good);
	evn_pool_table_free(&t);
}

static void test_slot_fields_bad(void **state)
{
	static const struct {
		size_t offset;
		int width;
		uint64_t value;
		int ret;
		const char *err;
	} cases[] = {
		{ 8, 4, 2, -EPROTONOSUPPORT,
		  "format version 2 is not supported (this evnadm reads version 1): upgrade evnadm" },
		{ 8, 4, 0xffffffff, -EPROTONOSUPPORT,
		  "format version 4294967295 is not supported (this evnadm reads version 1): upgrade evnadm" },
		{ 8, 4, 0, -EBADMSG, "invalid format version 0" },
		{ 16, 8, 0, -EBADMSG, "invalid generation 0" },
		{ 24, 8, 0, -EBADMSG, "generation 5: empty payload" },
		{ 24, 8, 8384512 - 64 + 1, -EBADMSG,
		  "generation 5: payload length 8384449 is larger than the slot allows (8384448)" },
		{ 24, 8, UINT64_MAX, -EBADMSG,
		  "generation 5: payload length 18446744073709551615 is larger than the slot allows (8384448)" },
		{ 32, 0, 0xcc, -EBADMSG,
		  "generation 5: table of pool cc111111-1111-4111-8111-111111111111, the label's pool is " POOL_UUID },
	};
	struct evn_meta_label l;
	struct evn_pool_table t;
	struct evn_meta_slot s;
	char err[EVN_ERRLEN];
	unsigned char *good, *img;
	size_t len, i;

	(void)state;
	base_table(&t);
	make_label(&l, &t, T0_UUID);
	good = image_of(&l, &t, 5, &len);
	img = malloc(len);
	assert_non_null(img);

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		memcpy(img, good, len);
		if (cases[i].width == 4)
			put32(img + cases[i].offset, (uint32_t)cases[i].value);
		else if (cases[i].width == 8)
			put64(img + cases[i].offset, cases[i].value);
		else
			img[cases[i].offset] = (unsigned char)cases[i].value;
		fix_header_crc(img);
		print_message("slot case %zu\n", i);
		assert_int_equal(evn_meta_slot_decode(&l, img, len, &s, err,
						      sizeof(err)),
				 cases[i].ret);
		assert_string_equal(err, cases[i].err);
	}

	/* header size: checked by its own CRC, then against version 1 */
	memcpy(img, good, len);
	put32(img + 12, 128);
	put32(img + 124, zcrc(img, 124));
	assert_int_equal(evn_meta_slot_decode(&l, img, len, &s, err,
					      sizeof(err)), -EBADMSG);
	assert_string_equal(err, "bad header size 128 (format version 1 has 64)");
	put32(img + 8, 3);	/* a newer, larger header */
	put32(img + 124, zcrc(img, 124));
	assert_int_equal(evn_meta_slot_decode(&l, img, len, &s, err,
					      sizeof(err)), -EPROTONOSUPPORT);
	assert_string_equal(err, "format version 3 is not supported (this evnadm reads version 1): upgrade evnadm");
	put32(img + 12, 1 << 20);	/* too large to check: still newer */
	assert_int_equal(evn_meta_slot_decode(&l, img, len, &s, err,
					      sizeof(err)), -EPROTONOSUPPORT);
	put32(img + 8, 1);
	assert_int_equal(evn_meta_slot_decode(&l, img, len, &s, err,
					      sizeof(err)), -EBADMSG);
	assert_string_equal(err, "bad header size 1048576");
	put32(img + 12, 6);
	assert_int_equal(evn_meta_slot_decode(&l, img, len, &s, err,
					      sizeof(err)), -EBADMSG);
	assert_string_equal(err, "bad header size 6");

	/* the payload CRC field itself */
	memcpy(img, good, len);
	put32(img + 48, le32(good + 48) ^ 1);
	fix_header_crc(img);
	assert_int_equal(evn_meta_slot_decode(&l, img, len, &s, err,
					      sizeof(err)), -EBADMSG);
	assert_non_null(strstr(err, "bad payload checksum"));

	/* nonzero padding is reserved, not an error */
	memcpy(img, good, len);
	img[55] = 1;
	fix_header_crc(img);
	assert_int_equal(evn_meta_slot_decode(&l, img, len, &s, err,
					      sizeof(err)), 0);
	free(img);
	free(good);
	evn_pool_table_free(&t);
}

/* ---- choosing ---- */

/*
 * A pool of @n targets, as read: for each one its label and both slots,
 * each slot a buffer of the whole slot size (like a full read).
 */
struct disk {
	struct evn_meta_label label;
	unsigned char *slot[2];
};

struct rig {
	struct evn_pool_table t;
	struct disk disk[3];
	struct evn_meta_copy copy[3];
	size_t n;
	uint64_t slot_size;
};

static void rig_init(struct rig *r, size_t n)
{
	static const char *const uuids[] = { T0_UUID, T1_UUID, T2_UUID };
	static const char *const names[] = { "t0", "t1", "t2" };
	size_t i;

	memset(r, 0, sizeof(*r));
	base_table(&r->t);
	r->t.metadata_size = M;
	r->slot_size = evn_meta_slot_size(M);
	r->n = n;
	for (i = 0; i < n; i++) {
		make_label(&r->disk[i].label, &r->t, uuids[i]);
		r->disk[i].slot[0] = calloc(1, r->slot_size);
		r->disk[i].slot[1] = calloc(1, r->slot_size);
		assert_non_null(r->disk[i].slot[0]);
		assert_non_null(r->disk[i].slot[1]);
		r->copy[i].target = names[i];
		r->copy[i].label = &r->disk[i].label;
		r->copy[i].image[0] = r->disk[i].slot[0];
		r->copy[i].image[1] = r->disk[i].slot[1];
		r->copy[i].len[0] = r->slot_size;
		r->copy[i].len[1] = r->slot_size;
	}
}

static void rig_free(struct rig *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->disk[i].slot[0]);
		free(r->disk[i].slot[1]);
	}
	evn_pool_table_free(&r->t);
}

/*
 * Writes generation @gen of the table to target @i; the holder of v1
 * differs per generation so every generation's payload differs. With
 * @torn, only the first @torn bytes reach the disk.
 */
static void rig_write(struct rig *r, size_t i, uint64_t gen, size_t torn)
{
	struct evn_meta_label *l = &r->disk[i].label;
	unsigned char *img;
	size_t len;

	snprintf(r->t.volumes[1].holder, sizeof(r->t.volumes[1].holder),
		 "nqn.2014-08.org.nvmexpress:uuid:host%" PRIu64, gen);
	img = image_of(l, &r->t, gen, &len);
	assert_true(evn_meta_slot_offset(l, gen) ==
		    l->slot_offset[gen % 2]);
	memcpy(r->disk[i].slot[gen % 2], img, torn ? torn : len);
	free(img);
}

/* Runs evn_meta_choose() and evn_meta_report(); the report in *out. */
static int rig_choose(struct rig *r, struct evn_meta_choice *ch, char *err,
		      char **out, size_t *lines)
{
	unsigned char pool[EVN_UUID_LEN];
	size_t outlen;
	FILE *f;
	int ret;

	set_uuid(pool, POOL_UUID);
	ret = evn_meta_choose(pool, r->copy, r->n, ch, err, EVN_ERRLEN);
	*out = NULL;
	f = open_memstream(out, &outlen);
	assert_non_null(f);
	*lines = ret ? 0 : evn_meta_report(f, r->copy, r->n, ch);
	fclose(f);
	return ret;
}

static void test_choose_all_current(void **state)
{
	struct evn_meta_choice ch;
	struct evn_pool_table d;
	char err[EVN_ERRLEN];
	struct rig r;
	size_t i, lines;
	char *out;

	(void)state;
	rig_init(&r, 3);
	for (i = 0; i < 3; i++) {
		rig_write(&r, i, 2, 0);
		rig_write(&r, i, 3, 0);
	}
	assert_int_equal(rig_choose(&r, &ch, err, &out, &lines), 0);
	assert_true(ch.generation == 3);
	assert_int_equal(ch.copy, 0);
	assert_int_equal(ch.slot, 1);
	assert_int_equal(ch.nr_current, 3);
	assert_int_equal(ch.nr_stale + ch.nr_invalid + ch.nr_unread +
			 ch.nr_bad_slots, 0);
	for (i = 0; i < 3; i++) {
		assert_int_equal(r.copy[i].state, EVN_META_COPY_CURRENT);
		assert_true(r.copy[i].generation == 3);
		assert_int_equal(r.copy[i].slot_state[0], EVN_META_SLOT_VALID);
		assert_true(r.copy[i].slot[0].generation == 2);
	}
	assert_int_equal(lines, 0);
	assert_string_equal(out, "");
	free(out);

	assert_int_equal(evn_pool_table_decode(ch.payload, ch.payload_len, &d,
					       err, sizeof(err)), 0);
	assert_string_equal(d.volumes[1].holder,
			    "nqn.2014-08.org.nvmexpress:uuid:host3");
	evn_pool_table_free(&d);

	/* a fresh pool: generation 1 in slot 1, slot 0 empty, no finding */
	rig_free(&r);
	rig_init(&r, 2);
	rig_write(&r, 0, 1, 0);
	rig_write(&r, 1, 1, 0);
	assert_int_equal(rig_choose(&r, &ch, err, &out, &lines), 0);
	assert_true(ch.generation == 1);
	assert_int_equal(r.copy[0].slot_state[0], EVN_META_SLOT_EMPTY);
	assert_string_equal(r.copy[0].reason[0], "");
	assert_int_equal(lines, 0);
	free(out);
	rig_free(&r);
}

static void test_choose_torn_one(void **state)
{
	struct evn_meta_choice ch;
	char err[EVN_ERRLEN], want[4 * EVN_ERRLEN];
	struct rig r;
	size_t i, lines;
	char *out;

	(void)state;
	rig_init(&r, 3);
	for (i = 0; i < 3; i++) {
		rig_write(&r, i, 2, 0);
		rig_write(&r, i, 3, 0);
	}
	/* generation 4 reaches t0 and t1; on t2 only its first sector */
	rig_write(&r, 0, 4, 0);
	rig_write(&r, 1, 4, 0);
	rig_write(&r, 2, 4, 512);
	assert_int_equal(rig_choose(&r, &ch, err, &out, &lines), 0);
	assert_true(ch.generation == 4);
	assert_int_equal(ch.copy, 0);
	assert_int_equal(ch.slot, 0);
	assert_int_equal(ch.nr_current, 2);
	assert_int_equal(ch.nr_stale, 1);
	assert_int_equal(ch.nr_bad_slots, 1);
	assert_int_equal(r.copy[2].state, EVN_META_COPY_STALE);
	assert_true(r.copy[2].generation == 3);
	assert_int_equal(r.copy[2].slot_state[0], EVN_META_SLOT_INVALID);
	assert_int_equal(r.copy[2].slot_state[1], EVN_META_SLOT_VALID);
	assert_int_equal(lines, 2);
	snprintf(want, sizeof(want),
		 "Warning: recovered from generation 4 on target \"t0\".\n"
		 "Warning: target \"t2\" holds generation 3, older than 4.\n"
		 "Warning: slot 0 of target \"t2\" was invalid: %s.\n",
		 r.copy[2].reason[0]);
	assert_string_equal(out, want);
	assert_true(strncmp(r.copy[2].reason[0],
			    "generation 4: bad payload checksum", 34) == 0);
	free(out);
	rig_free(&r);
}

static void test_choose_torn_all(void **state)
{
	struct evn_meta_choice ch;
	struct evn_pool_table d;
	char err[EVN_ERRLEN];
	struct rig r;
	size_t i, lines;
	char *out;

	(void)state;
	rig_init(&r, 3);
	for (i = 0; i < 3; i++) {
		rig_write(&r, i, 2, 0);
		rig_write(&r, i, 3, 0);
	}
	/* generation 4 torn everywhere, each differently */
	rig_write(&r, 0, 4, 512);
	rig_write(&r, 1, 4, 20);	/* up to half the generation */
	memset(r.disk[2].slot[0], 0x5a, 1024);	/* garbage */
	assert_int_equal(rig_choose(&r, &ch, err, &out, &lines), 0);
	assert_true(ch.generation == 3);
	assert_int_equal(ch.slot, 1);
	assert_int_equal(ch.nr_current, 3);
	assert_int_equal(ch.nr_bad_slots, 3);
	assert_int_equal(lines, 3);
	assert_non_null(strstr(out, "Warning: recovered from generation 3 on target \"t0\".\n"
				    "Warning: slot 0 of target \"t0\" was invalid: generation 4: bad payload checksum"));
	assert_true(out == strstr(out, "Warning: recovered"));
	assert_non_null(strstr(out, "Warning: slot 0 of target \"t1\" was invalid: bad header checksum (stored 0x"));
	assert_non_null(strstr(out, "Warning: slot 0 of target \"t2\" was invalid: bad magic.\n"));
	free(out);
	assert_int_equal(evn_pool_table_decode(ch.payload, ch.payload_len, &d,
					       err, sizeof(err)), 0);
	assert_string_equal(d.volumes[1].holder,
			    "nqn.2014-08.org.nvmexpress:uuid:host3");
	evn_pool_table_free(&d);
	rig_free(&r);
}

static void test_choose_single_target(void **state)
{
	struct evn_meta_choice ch;
	char err[EVN_ERRLEN];
	struct rig r;
	size_t lines;
	char *out;

	(void)state;
	rig_init(&r, 1);
	rig_write(&r, 0, 6, 0);
	rig_write(&r, 0, 7, 0);
	/* the newest slot is garbage: fall back to generation 6 */
	memset(r.disk[0].slot[1] + 100, 0xff, 200);
	assert_int_equal(rig_choose(&r, &ch, err, &out, &lines), 0);
	assert_true(ch.generation == 6);
	assert_int_equal(ch.slot, 0);
	assert_int_equal(lines, 1);
	assert_non_null(strstr(out, "Warning: recovered from generation 6 on target \"t0\".\n"
				    "Warning: slot 1 of target \"t0\" was invalid: generation 7: bad payload checksum"));
	free(out);
	rig_free(&r);
}

static void test_choose_unread_invalid(void **state)
{
	struct evn_meta_choice ch;
	char err[EVN_ERRLEN];
	struct rig r;
	size_t lines;
	char *out;

	(void)state;
	rig_init(&r, 3);
	rig_write(&r, 0, 9, 0);
	rig_write(&r, 1, 9, 0);
	r.copy[1].image[0] = NULL;	/* slot 0 unreadable: fine */
	r.copy[2].label = NULL;		/* t2 unreachable */
	assert_int_equal(rig_choose(&r, &ch, err, &out, &lines), 0);
	assert_true(ch.generation == 9);
	assert_int_equal(ch.nr_current, 2);
	assert_int_equal(ch.nr_unread, 1);
	assert_int_equal(r.copy[1].slot_state[0], EVN_META_SLOT_UNREAD);
	assert_int_equal(r.copy[2].state, EVN_META_COPY_UNREAD);
	assert_int_equal(lines, 1);
	assert_string_equal(out,
			    "Warning: recovered from generation 9 on target \"t0\".\n"
			    "Warning: target \"t2\" was not read.\n");
	free(out);

	/* t2 readable but empty, t1 of another pool */
	r.copy[2].label = &r.disk[2].label;
	set_uuid(r.disk[1].label.pool_uuid, OTHER_UUID);
	assert_int_equal(rig_choose(&r, &ch, err, &out, &lines), 0);
	assert_int_equal(ch.nr_current, 1);
	assert_int_equal(ch.nr_invalid, 2);
	assert_string_equal(out,
			    "Warning: recovered from generation 9 on target \"t0\".\n"
			    "Warning: target \"t1\" holds no valid pool table.\n"
			    "Warning: slot 1 of target \"t1\" was invalid: the target's label names pool " OTHER_UUID ".\n"
			    "Warning: target \"t2\" holds no valid pool table.\n");
	free(out);
	rig_free(&r);
}

static void test_choose_refused(void **state)
{
	struct evn_meta_choice ch;
	char err[EVN_ERRLEN];
	unsigned char *s;
	struct rig r;
	size_t lines;
	char *out;

	(void)state;
	/* nothing anywhere */
	rig_init(&r, 2);
	assert_int_equal(rig_choose(&r, &ch, err, &out, &lines), -ENOENT);
	assert_string_equal(err, "no valid pool table on any of the 2 targets");
	free(out);

	/* a newer format on one slot: no rollback to what we can read */
	rig_write(&r, 0, 3, 0);
	rig_write(&r, 1, 3, 0);
	rig_write(&r, 1, 4, 0);
	s = r.disk[1].slot[0];
	put32(s + 8, 2);
	fix_header_crc(s);
	assert_int_equal(rig_choose(&r, &ch, err, &out, &lines),
			 -EPROTONOSUPPORT);
	assert_string_equal(err, "slot 0 of target \"t1\": format version 2 is not supported (this evnadm reads version 1): upgrade evnadm");
	assert_int_equal(r.copy[1].slot_state[0], EVN_META_SLOT_NEWER);
	free(out);

	/* two writers: one generation, two tables */
	rig_write(&r, 0, 4, 0);
	rig_write(&r, 1, 4, 0);
	s = r.disk[1].slot[0];
	s[64] = ' ';	/* other bytes (the choice does not parse them) */
	put32(s + 48, zcrc(s + 64, le64(s + 24)));
	fix_header_crc(s);
	assert_int_equal(rig_choose(&r, &ch, err, &out, &lines), -EUCLEAN);
	assert_string_equal(err, "generation 4 differs between target \"t0\" and target \"t1\" (two writers?)");
	assert_true(ch.generation == 4);
	assert_int_equal(ch.copy, 0);
	free(out);

	/* a generation in the wrong slot is not believed */
	memcpy(r.disk[1].slot[1], r.disk[0].slot[0], r.slot_size);
	memset(r.disk[1].slot[0], 0, r.slot_size);
	memset(r.disk[0].slot[0], 0, r.slot_size);
	assert_int_equal(rig_choose(&r, &ch, err, &out, &lines), 0);
	assert_true(ch.generation == 3);
	assert_int_equal(r.copy[1].slot_state[1], EVN_META_SLOT_INVALID);
	assert_string_equal(r.copy[1].reason[1],
			    "generation 4 belongs in slot 0");
	assert_int_equal(r.copy[1].state, EVN_META_COPY_INVALID);
	free(out);
	rig_free(&r);
}

/* ---- the pool table ---- */

static void test_table_round_trip(void **state)
{
	struct evn_pool_table t, d, c;
	char err[EVN_ERRLEN];
	char *p, *q;
	size_t plen, qlen, i;

	(void)state;
	base_table(&t);
	p = payload_of(&t, &plen);
	assert_int_equal(strlen(p), plen);
	assert_int_equal(evn_pool_table_decode(p, plen, &d, err, sizeof(err)),
			 0);
	assert_string_equal(d.name, "pool0");
	assert_memory_equal(d.uuid, t.uuid, 16);
	assert_true(d.unit == M && d.metadata_size == 16 * M);
	assert_int_equal(d.nr_targets, 3);
	for (i = 0; i < 3; i++)
		assert_memory_equal(&d.targets[i], &t.targets[i],
				    sizeof(d.targets[i]));
	assert_int_equal(d.nr_volumes, 2);
	for (i = 0; i < 2; i++) {
		struct evn_pool_volume *a = &d.volumes[i], *b = &t.volumes[i];

		assert_string_equal(a->name, b->name);
		assert_memory_equal(a->uuid, b->uuid, 16);
		assert_true(a->size == b->size);
		assert_int_equal(a->layout, b->layout);
		assert_int_equal(a->chunk, b->chunk);
		assert_int_equal(a->columns, b->columns);
		assert_string_equal(a->holder, b->holder);
		assert_int_equal(a->nr_extents, b->nr_extents);
		assert_memory_equal(a->extents, b->extents,
				    a->nr_extents * sizeof(*a->extents));
	}
	/* the same bytes again */
	q = payload_of(&d, &qlen);
	assert_string_equal(p, q);
	free(q);

	/* a deep copy is independent */
	assert_int_equal(evn_pool_table_copy(&c, &d), 0);
	c.volumes[0].extents[0].offset = 999;
	assert_true(d.volumes[0].extents[0].offset == 16 * M);
	q = payload_of(&d, &qlen);
	assert_string_equal(p, q);
	free(q);
	evn_pool_table_free(&c);
	assert_null(c.volumes);

	/* an empty pool */
	evn_pool_table_free(&d);
	free(p);
	for (i = 0; i < t.nr_volumes; i++)
		free(t.volumes[i].extents);
	free(t.volumes);
	t.volumes = NULL;
	t.nr_volumes = 0;
	p = payload_of(&t, &plen);
	assert_int_equal(evn_pool_table_decode(p, plen, &d, err, sizeof(err)),
			 0);
	assert_int_equal(d.nr_volumes, 0);
	assert_null(d.volumes);
	evn_pool_table_free(&d);
	free(p);
	evn_pool_table_free(&t);
}

static void test_table_json_text(void **state)
{
	struct evn_pool_table t;
	struct evn_pool_volume *v;
	char *p;
	size_t plen;

	(void)state;
	memset(&t, 0, sizeof(t));
	snprintf(t.name, sizeof(t.name), "p");
	set_uuid(t.uuid, POOL_UUID);
	t.unit = M;
	t.metadata_size = 16 * M;
	add_target(&t, "t0", T0_UUID, "10.0.0.1", G, 512);
	v = add_volume(&t, "c", V0_UUID, EVN_VOLUME_LAYOUT_CONCAT, 0, 1);
	add_extent(v, T0_UUID, 16 * M, M, 0);
	v = add_volume(&t, "s", V1_UUID, EVN_VOLUME_LAYOUT_STRIPE, 4096, 1);
	snprintf(v->holder, sizeof(v->holder), "%s", HOST_NQN);
	add_extent(v, T0_UUID, 17 * M, M, 0);
	p = payload_of(&t, &plen);
	assert_string_equal(p,
		"{\"format\":1,"
		"\"pool\":{\"name\":\"p\",\"uuid\":\"" POOL_UUID "\",\"unit\":1048576,\"metadata_size\":16777216},"
		"\"targets\":[{\"uuid\":\"" T0_UUID "\",\"name\":\"t0\",\"traddr\":\"10.0.0.1\",\"trsvcid\":\"4420\","
		"\"subnqn\":\"" SUBNQN "\",\"nsid\":1,\"capacity\":1073741824,\"lba_size\":512}],"
		"\"volumes\":["
		"{\"name\":\"c\",\"uuid\":\"" V0_UUID "\",\"size\":1048576,\"layout\":\"concat\",\"columns\":1,\"holder\":null,"
		"\"extents\":[{\"target\":\"" T0_UUID "\",\"offset\":16777216,\"length\":1048576,\"column\":0,\"copy\":0}]},"
		"{\"name\":\"s\",\"uuid\":\"" V1_UUID "\",\"size\":1048576,\"layout\":\"stripe\",\"chunk\":4096,\"columns\":1,"
		"\"holder\":\"" HOST_NQN "\","
		"\"extents\":[{\"target\":\"" T0_UUID "\",\"offset\":17825792,\"length\":1048576,\"column\":0,\"copy\":0}]}"
		"]}");
	free(p);
	evn_pool_table_free(&t);
}

/* Follows a path such as "volumes.1.extents.0" from @obj. */
static struct json_object *walk(struct json_object *obj, char *path,
				char **last)
{
	char *dot;

	while ((dot = strchr(path, '.'))) {
		*dot = '\0';
		if (json_object_is_type(obj, json_type_array))
			obj = json_object_array_get_idx(obj, atoi(path));
		else
			assert_true(json_object_object_get_ex(obj, path, &obj));
		assert_non_null(obj);
		path = dot + 1;
	}
	*last = path;
	return obj;
}

/*
 * Decodes the base table's JSON with the member at @path set to @value
 * (JSON text), or deleted when @value is NULL.
 */
static int decode_changed(const char *path, const char *value,
			  struct evn_pool_table *d, char *err)
{
	struct evn_pool_table t;
	struct json_object *root, *obj, *val = NULL;
	char buf[128], *last;
	const char *text;
	size_t plen;
	char *p;
	int ret;

	base_table(&t);
	p = payload_of(&t, &plen);
	evn_pool_table_free(&t);
	root = json_tokener_parse(p);
	free(p);
	assert_non_null(root);
	snprintf(buf, sizeof(buf), "%s", path);
	obj = walk(root, buf, &last);
	if (value) {
		val = json_tokener_parse(value);
		assert_true(val || !strcmp(value, "null"));
	}
	if (json_object_is_type(obj, json_type_array)) {
		if (value)
			json_object_array_put_idx(obj, atoi(last), val);
		else
			json_object_array_del_idx(obj, atoi(last), 1);
	} else if (value) {
		json_object_object_add(obj, last, val);
	} else {
		json_object_object_del(obj, last);
	}
	text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN);
	err[0] = '\0';
	ret = evn_pool_table_decode(text, strlen(text), d, err, EVN_ERRLEN);
	json_object_put(root);
	return ret;
}

static void test_table_unknown_members(void **state)
{
	static const char *const paths[] = {
		"future", "pool.future", "targets.0.future", "volumes.1.future",
		"volumes.1.extents.2.future",
	};
	struct evn_pool_table d;
	char err[EVN_ERRLEN];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(paths); i++) {
		assert_int_equal(decode_changed(paths[i],
						"{\"x\":[1,2,{\"y\":null}]}",
						&d, err), 0);
		evn_pool_table_free(&d);
	}
}

static void test_table_json_bad(void **state)
{
	static const struct {
		const char *path;
		const char *value;	/* NULL: delete the member */
		int ret;
		const char *err;
	} cases[] = {
		/* top level */
		{ "format", NULL, -EBADMSG, "pool table: missing \"format\"" },
		{ "format", "\"1\"", -EBADMSG, "pool table: \"format\" is not an integer" },
		{ "format", "2", -EPROTONOSUPPORT,
		  "pool table: format 2 is not supported (this evnadm reads format 1): upgrade evnadm" },
		{ "format", "0", -EBADMSG, "pool table: invalid format 0" },
		{ "pool", NULL, -EBADMSG, "pool table: missing \"pool\"" },
		{ "pool", "[]", -EBADMSG, "pool table: \"pool\" is not an object" },
		{ "targets", NULL, -EBADMSG, "pool table: missing \"targets\"" },
		{ "targets", "{}", -EBADMSG, "pool table: \"targets\" is not an array" },
		{ "volumes", "null", -EBADMSG, "pool table: \"volumes\" is not an array" },
		/* pool */
		{ "pool.name", NULL, -EBADMSG, "pool: missing \"name\"" },
		{ "pool.name", "\"a b\"", -EBADMSG,
		  "pool: invalid pool name \"a b\": character ' ' not allowed (only A-Z a-z 0-9 . _ -)" },
		{ "pool.uuid", "\"not-a-uuid\"", -EBADMSG,
		  "pool: \"uuid\" \"not-a-uuid\" is not a UUID" },
		{ "pool.uuid", "\"00000000-0000-0000-0000-000000000000\"", -EBADMSG,
		  "pool \"pool0\": the nil UUID is not valid" },
		{ "pool.unit", "-1", -EBADMSG, "pool: \"unit\" is negative" },
		{ "pool.unit", "1048576.0", -EBADMSG, "pool: \"unit\" is not an integer" },
		{ "pool.unit", "1000", -EBADMSG, "pool \"pool0\": unit 1000 is not a power of two" },
		{ "pool.unit", "9223372036854775808", -EBADMSG,
		  "pool: \"unit\" 9223372036854775808 is larger than 9223372036854775807" },
		{ "pool.metadata_size", "0", -EBADMSG,
		  "pool \"pool0\": metadata area size 0 is smaller than 1M" },
		/* targets */
		{ "targets.1", "7", -EBADMSG, "targets[1]: not an object" },
		{ "targets.1.name", NULL, -EBADMSG, "targets[1]: missing \"name\"" },
		{ "targets.1.name", "\"t0\"", -EBADMSG, "target \"t0\" is listed twice" },
		{ "targets.1.name", "\"0123456789012345678901234567890123\"", -EBADMSG,
		  "targets[1]: invalid target name \"0123456789012345678901234567890123\": longer than 31 characters" },
		{ "targets.1.uuid", "\"" T0_UUID "\"", -EBADMSG,
		  "targets \"t0\" and \"t1\" have the same UUID" },
		{ "targets.1.traddr", "\"host.example\"", -EBADMSG,
		  "target \"t1\": invalid address \"host.example\": not an IPv4 or IPv6 address" },
		{ "targets.1.traddr", "\"10.0.0.1\"", -EBADMSG,
		  "targets \"t0\" and \"t1\" are the same namespace" },
		{ "targets.1.trsvcid", "4420", -EBADMSG, "target \"t1\": \"trsvcid\" is not a string" },
		{ "targets.1.trsvcid", "\"0\"", -EBADMSG,
		  "target \"t1\": \"trsvcid\" \"0\" is not a port from 1 to 65535" },
		{ "targets.1.trsvcid", "\"65536\"", -EBADMSG,
		  "target \"t1\": \"trsvcid\" \"65536\" is not a port from 1 to 65535" },
		{ "targets.1.subnqn", "\"a b\"", -EBADMSG,
		  "target \"t1\": subnqn: invalid NQN \"a b\": character ' ' not allowed" },
		{ "targets.1.nsid", "0", -EBADMSG, "target \"t1\": nsid 0 is not valid" },
		{ "targets.1.nsid", "4294967296", -EBADMSG,
		  "target \"t1\": \"nsid\" 4294967296 is larger than 4294967295" },
		{ "targets.1.capacity", "\"1G\"", -EBADMSG, "target \"t1\": \"capacity\" is not an integer" },
		{ "targets.1.capacity", "1048576", -EBADMSG,
		  "target \"t1\": capacity 1048576 is smaller than the metadata area (16777216)" },
		{ "targets.1.capacity", "20971520", -EBADMSG,
		  "volume \"v0\" extent 1: 16777216+10485760 goes past the end of target \"t1\" (20971520 bytes)" },
		{ "targets.2.capacity", "1073742336", -EBADMSG,
		  "target \"t2\": capacity 1073742336 is not a multiple of the LBA size 4096" },
		{ "targets.1.lba_size", "1000", -EBADMSG,
		  "target \"t1\": LBA size 1000 is not a power of two from 512 to 4096" },
		{ "targets.1.lba_size", "8192", -EBADMSG,
		  "target \"t1\": LBA size 8192 is not a power of two from 512 to 4096" },
		/* volumes */
		{ "volumes.0", "[]", -EBADMSG, "volumes[0]: not an object" },
		{ "volumes.1.name", "\"v0\"", -EBADMSG, "volume \"v0\" is listed twice" },
		{ "volumes.1.name", "\"\"", -EBADMSG, "volumes[1]: invalid volume name \"\": empty" },
		{ "volumes.1.uuid", "\"" V0_UUID "\"", -EBADMSG,
		  "volumes \"v0\" and \"v1\" have the same UUID" },
		{ "volumes.1.size", NULL, -EBADMSG, "volume \"v1\": missing \"size\"" },
		{ "volumes.1.size", "41943041", -EBADMSG,
		  "volume \"v1\": size 41943041, but the extents hold 41943040" },
		{ "volumes.1.layout", "\"raid5\"", -EBADMSG, "volume \"v1\": unknown layout \"raid5\"" },
		{ "volumes.1.layout", "1", -EBADMSG, "volume \"v1\": \"layout\" is not a string" },
		{ "volumes.1.chunk", NULL, -EBADMSG, "volume \"v1\": missing \"chunk\"" },
		{ "volumes.1.chunk", "3000", -EBADMSG,
		  "volume \"v1\": chunk 3000 is not a power of two from 4096 to 16777216" },
		{ "volumes.1.chunk", "33554432", -EBADMSG,
		  "volume \"v1\": chunk 33554432 is not a power of two from 4096 to 16777216" },
		{ "volumes.1.chunk", "16777216", -EBADMSG,
		  "volume \"v1\": column size 20971520 is not a multiple of the chunk (16777216)" },
		{ "volumes.0.chunk", "4096", -EBADMSG, "volume \"v0\": a concat volume has no \"chunk\"" },
		{ "volumes.0.columns", "2", -EBADMSG, "volume \"v0\": a concat volume has 1 column, not 2" },
		{ "volumes.1.columns", "0", -EBADMSG, "volume \"v1\": a stripe needs at least one column" },
		{ "volumes.1.columns", "3", -EBADMSG, "volume \"v1\": column 2 has no extents" },
		{ "volumes.1.columns", "1", -EBADMSG,
		  "volume \"v1\" extent 1: column 1, but the volume has 1 column" },
		{ "volumes.1.holder", NULL, -EBADMSG, "volume \"v1\": missing \"holder\"" },
		{ "volumes.1.holder", "7", -EBADMSG, "volume \"v1\": \"holder\" is not a string or null" },
		{ "volumes.1.holder", "\"\"", -EBADMSG, "volume \"v1\": holder: invalid NQN \"\": empty" },
		{ "volumes.1.extents", "{}", -EBADMSG, "volume \"v1\": \"extents\" is not an array" },
		{ "volumes.1.extents", "[]", -EBADMSG, "volume \"v1\": no extents" },
		/* extents */
		{ "volumes.1.extents.1", "\"x\"", -EBADMSG, "volume \"v1\" extent 1: not an object" },
		{ "volumes.1.extents.1.target", "\"t2\"", -EBADMSG,
		  "volume \"v1\" extent 1: \"target\" \"t2\" is not a UUID" },
		{ "volumes.1.extents.1.target", "\"" OTHER_UUID "\"", -EBADMSG,
		  "volume \"v1\" extent 1: unknown target " OTHER_UUID },
		{ "volumes.1.extents.1.offset", NULL, -EBADMSG, "volume \"v1\" extent 1: missing \"offset\"" },
		{ "volumes.1.extents.1.offset", "16781312", -EBADMSG,
		  "volume \"v1\" extent 1: offset 16781312 is not a multiple of the unit (1048576)" },
		{ "volumes.1.extents.1.offset", "0", -EBADMSG,
		  "volume \"v1\" extent 1: offset 0 is inside the metadata area of target \"t2\" (16777216 bytes)" },
		{ "volumes.1.extents.1.offset", "15728640", -EBADMSG,
		  "volume \"v1\" extent 1: offset 15728640 is inside the metadata area of target \"t2\" (16777216 bytes)" },
		{ "volumes.1.extents.1.offset", "1073741824", -EBADMSG,
		  "volume \"v1\" extent 1: 1073741824+10485760 goes past the end of target \"t2\" (1073741824 bytes)" },
		{ "volumes.1.extents.1.offset", "1064304640", -EBADMSG,
		  "volume \"v1\" extent 1: 1064304640+10485760 goes past the end of target \"t2\" (1073741824 bytes)" },
		{ "volumes.1.extents.1.length", "0", -EBADMSG, "volume \"v1\" extent 1: length is zero" },
		{ "volumes.1.extents.1.length", "10489856", -EBADMSG,
		  "volume \"v1\" extent 1: length 10489856 is not a multiple of the unit (1048576)" },
		{ "volumes.1.extents.1.length", "9223372036854775807", -EBADMSG,
		  "volume \"v1\" extent 1: length 9223372036854775807 is not a multiple of the unit (1048576)" },
		{ "volumes.1.extents.1.column", "0", -EBADMSG,
		  "volume \"v1\": column 1 holds 10485760 bytes, column 0 31457280" },
		{ "volumes.1.extents.0.column", "1", -EBADMSG, "volume \"v1\": column 0 has no extents" },
		{ "volumes.1.extents.2.column", "0", -EBADMSG,
		  "volume \"v1\" extent 2: column 0 after column 1 (extents are listed column by column)" },
		{ "volumes.1.extents.2.column", "-1", -EBADMSG, "volume \"v1\" extent 2: \"column\" is negative" },
		{ "volumes.1.extents.1.copy", "1", -EBADMSG,
		  "volume \"v1\" extent 1: copy 1, but format 1 has no mirror copies" },
		{ "volumes.1.extents.2", NULL, -EBADMSG,
		  "volume \"v1\": column 1 holds 10485760 bytes, column 0 20971520" },
		/* overlaps: within a volume, between volumes */
		{ "volumes.1.extents.2.offset", "20971520", -EBADMSG,
		  "target \"t2\": volume \"v1\" extent 2 (20971520+10485760) overlaps volume \"v1\" extent 1 (16777216+10485760)" },
		{ "volumes.1.extents.0.offset", "25165824", -EBADMSG,
		  "target \"t0\": volume \"v1\" extent 0 (25165824+20971520) overlaps volume \"v0\" extent 0 (16777216+10485760)" },
		{ "volumes.0.extents.0.offset", "45088768", -EBADMSG,
		  "target \"t0\": volume \"v0\" extent 0 (45088768+10485760) overlaps volume \"v1\" extent 0 (27262976+20971520)" },
	};
	struct evn_pool_table d;
	char err[EVN_ERRLEN];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *value = cases[i].value;

		if (value)
			print_message("%s = %s\n", cases[i].path, value);
		else
			print_message("%s deleted\n", cases[i].path);
		memset(&d, 0xa5, sizeof(d));
		assert_int_equal(decode_changed(cases[i].path, cases[i].value,
						&d, err), cases[i].ret);
		assert_string_equal(err, cases[i].err);
		assert_null(d.targets);
		assert_null(d.volumes);
	}
}

static void test_table_text_bad(void **state)
{
	static const struct {
		const char *text;
		size_t len;	/* 0: strlen */
		const char *err;
	} cases[] = {
		{ "", 0, "pool table: the JSON ends early (0 bytes)" },
		{ "{\"format\":1", 0, "pool table: the JSON ends early (11 bytes)" },
		{ "[1]", 0, "pool table: not a JSON object" },
		{ "{\"format\":1}x", 0,
		  "pool table: not valid JSON: unexpected character at byte 12" },
		{ "{\"format\":1,}", 0,
		  "pool table: not valid JSON: unexpected character at byte 12" },
		{ "{\"format\":'1'}", 0,
		  "pool table: not valid JSON: unexpected character at byte 10" },
		{ "{\"format\":01}", 0,
		  "pool table: not valid JSON: number expected at byte 12" },
		{ "{\"format\":1 /* c */}", 0,
		  "pool table: not valid JSON: object value separator ',' expected at byte 12" },
		{ "{\"format\":1}\0{}", 15, "pool table: NUL byte at offset 12" },
		{ "{\"format\":\"\xc3\x28\"}", 0,
		  "pool table: not valid JSON: invalid utf-8 string at byte 12" },
		{ "{\"pool\":{\"name\":\"a\\u0000b\"},\"format\":1}", 0,
		  "pool: \"name\" contains a NUL character" },
		{ "{\"format\":1}\r\n\t ", 0, "pool table: missing \"pool\"" },
	};
	struct evn_pool_table d;
	char err[EVN_ERRLEN];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		size_t len = strlen(cases[i].text);

		if (cases[i].len)
			len = cases[i].len;

		print_message("text %zu\n", i);
		assert_int_equal(evn_pool_table_decode(cases[i].text, len, &d,
						       err, sizeof(err)),
				 -EBADMSG);
		assert_string_equal(err, cases[i].err);
	}
}

/* Rules only a table built in memory can break. */
static void test_table_check(void **state)
{
	struct evn_pool_table t;
	char err[EVN_ERRLEN];
	size_t len;
	char *p;

	(void)state;
	base_table(&t);
	assert_int_equal(evn_pool_table_check(&t, err, sizeof(err)), 0);
	t.volumes[0].layout = 7;
	assert_int_equal(evn_pool_table_encode(&t, &p, &len, err, sizeof(err)),
			 -EINVAL);
	assert_null(p);
	assert_string_equal(err, "volume \"v0\": unknown layout 7");
	t.volumes[0].layout = EVN_VOLUME_LAYOUT_CONCAT;
	t.volumes[0].chunk = 4096;
	assert_int_equal(evn_pool_table_check(&t, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "volume \"v0\": a concat volume has no chunk");
	t.volumes[0].chunk = 0;
	t.targets[1].trsvcid = 0;
	assert_int_equal(evn_pool_table_check(&t, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "target \"t1\": trsvcid 0 is not a port");
	t.targets[1].trsvcid = 4420;
	memset(t.volumes[1].uuid, 0, 16);
	assert_int_equal(evn_pool_table_check(&t, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "volume \"v1\": the nil UUID is not valid");
	set_uuid(t.volumes[1].uuid, V1_UUID);
	t.volumes[1].extents[1].column = 1;
	t.volumes[1].extents[2].column = 1;
	t.targets[2].capacity = 1ULL << 63;
	assert_int_equal(evn_pool_table_check(&t, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "target \"t2\": capacity 9223372036854775808 is too large");
	t.targets[2].capacity = G;
	assert_int_equal(evn_pool_table_check(&t, err, sizeof(err)), 0);
	evn_pool_table_free(&t);
	evn_pool_table_free(NULL);
}

/* NQNs are UTF-8 in the JSON: what is not cannot be written. */
static void test_table_utf8(void **state)
{
	static const struct {
		const char *nqn;
		bool ok;
	} cases[] = {
		{ "nqn.2014-08.org.example:caf\xc3\xa9", true },
		{ "nqn.2014-08.org.example:\xe2\x82\xac\xf0\x9f\x92\xbe", true },
		{ "nqn.2014-08.org.example:\xff", false },
		{ "nqn.2014-08.org.example:\xc3", false },
		{ "nqn.2014-08.org.example:\xc0\xaf", false },		/* overlong */
		{ "nqn.2014-08.org.example:\xe0\x80\xaf", false },	/* overlong */
		{ "nqn.2014-08.org.example:\xed\xa0\x80", false },	/* surrogate */
		{ "nqn.2014-08.org.example:\xf4\x90\x80\x80", false },	/* > U+10FFFF */
	};
	struct evn_pool_table t, d;
	char err[EVN_ERRLEN], want[EVN_ERRLEN];
	size_t i, len;
	char *p;

	(void)state;
	base_table(&t);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		snprintf(t.volumes[1].holder, sizeof(t.volumes[1].holder), "%s",
			 cases[i].nqn);
		print_message("holder %zu\n", i);
		if (!cases[i].ok) {
			snprintf(want, sizeof(want),
				 "volume \"v1\": holder: invalid NQN \"%s\": not valid UTF-8",
				 cases[i].nqn);
			assert_int_equal(evn_pool_table_encode(&t, &p, &len, err,
							       sizeof(err)),
					 -EINVAL);
			assert_string_equal(err, want);
			continue;
		}
		p = payload_of(&t, &len);
		assert_int_equal(evn_pool_table_decode(p, len, &d, err,
						       sizeof(err)), 0);
		assert_string_equal(d.volumes[1].holder, cases[i].nqn);
		evn_pool_table_free(&d);
		free(p);
	}
	evn_pool_table_free(&t);
}

/* The lookups. */
static void test_table_lookup(void **state)
{
	unsigned char uuid[EVN_UUID_LEN];
	struct evn_pool_table t;

	(void)state;
	base_table(&t);
	set_uuid(uuid, T2_UUID);
	assert_ptr_equal(evn_pool_table_target(&t, uuid), &t.targets[2]);
	set_uuid(uuid, OTHER_UUID);
	assert_null(evn_pool_table_target(&t, uuid));
	assert_ptr_equal(evn_pool_table_volume(&t, "v1"), &t.volumes[1]);
	assert_null(evn_pool_table_volume(&t, "v2"));
	evn_pool_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_geometry),
		cmocka_unit_test(test_label_round_trip),
		cmocka_unit_test(test_label_init_bad),
		cmocka_unit_test(test_label_corrupt),
		cmocka_unit_test(test_label_fields_bad),
		cmocka_unit_test(test_label_match),
		cmocka_unit_test(test_slot_round_trip),
		cmocka_unit_test(test_slot_encode_bad),
		cmocka_unit_test(test_slot_corrupt),
		cmocka_unit_test(test_slot_fields_bad),
		cmocka_unit_test(test_choose_all_current),
		cmocka_unit_test(test_choose_torn_one),
		cmocka_unit_test(test_choose_torn_all),
		cmocka_unit_test(test_choose_single_target),
		cmocka_unit_test(test_choose_unread_invalid),
		cmocka_unit_test(test_choose_refused),
		cmocka_unit_test(test_table_round_trip),
		cmocka_unit_test(test_table_json_text),
		cmocka_unit_test(test_table_unknown_members),
		cmocka_unit_test(test_table_json_bad),
		cmocka_unit_test(test_table_text_bad),
		cmocka_unit_test(test_table_check),
		cmocka_unit_test(test_table_utf8),
		cmocka_unit_test(test_table_lookup),
	};

	return cmocka_run_group_tests_name("evn_meta", tests, NULL, NULL);
}
