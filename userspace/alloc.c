// SPDX-License-Identifier: GPL-2.0
/*
 * alloc.c - the extent allocator of a pool
 *
 * alloc.h states the policy. The work happens on a private free map of
 * every target (sorted, disjoint, non-adjacent runs of free units) and a
 * list of new pieces; the table changes only once everything fits, so a
 * refused request leaves it as it was.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uuid/uuid.h>

#include <linux/evn.h>

#include "alloc.h"
#include "meta.h"
#include "parse.h"
#include "print.h"
#include "volume.h"	/* EVN_CHUNK_MIN, EVN_CHUNK_MAX */

/* A run of free bytes on one target. */
struct run {
	uint64_t start;
	uint64_t len;
};

/* The free map of one target. */
struct space {
	struct run *runs;
	size_t n;
	uint64_t free;
};

/* An extent to add: target index, where, which column. */
struct piece {
	size_t target;
	uint64_t offset;
	uint64_t length;
	uint32_t column;
};

struct pieces {
	struct piece *p;
	size_t n;
	size_t cap;
};

static int fail(char *errbuf, size_t errlen, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

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

/* A size for a message: "100G". */
static const char *sz(uint64_t bytes, char buf[EVN_SIZE_STRLEN])
{
	evn_format_size(bytes, buf, EVN_SIZE_STRLEN);
	return buf;
}

static size_t target_index(const struct evn_pool_table *t,
			   const unsigned char *uuid)
{
	return (size_t)(evn_pool_table_target(t, uuid) - t->targets);
}

/* ---- free maps ---- */

static void spaces_free(struct space *s, size_t n)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < n; i++)
		free(s[i].runs);
	free(s);
}

struct used {
	size_t target;
	uint64_t offset;
	uint64_t length;
};

static int used_cmp(const void *a, const void *b)
{
	const struct used *x = a, *y = b;

	if (x->target != y->target)
		return x->target < y->target ? -1 : 1;
	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	return 0;
}

/* Appends a run [start, end) when not empty. */
static void add_run(struct space *s, uint64_t start, uint64_t end)
{
	if (end <= start)
		return;
	s->runs[s->n].start = start;
	s->runs[s->n].len = end - start;
	s->n++;
	s->free += end - start;
}

/*
 * The free map of every target of a valid table (evn_pool_table_check()):
 * its allocatable range less the extents of every volume.
 */
static int spaces_build(const struct evn_pool_table *t, struct space **out)
{
	struct used *used = NULL;
	struct space *s;
	size_t n = 0, i, j, k;

	*out = NULL;
	s = calloc(t->nr_targets ? t->nr_targets : 1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	for (i = 0; i < t->nr_volumes; i++)
		n += t->volumes[i].nr_extents;
	if (n) {
		used = malloc(n * sizeof(*used));
		if (!used)
			goto nomem;
	}
	n = 0;
	for (i = 0; i < t->nr_volumes; i++) {
		const struct evn_pool_volume *v = &t->volumes[i];

		for (j = 0; j < v->nr_extents; j++) {
			used[n].target = target_index(t, v->extents[j].target);
			used[n].offset = v->extents[j].offset;
			used[n].length = v->extents[j].length;
			n++;
		}
	}
	if (n)
		qsort(used, n, sizeof(*used), used_cmp);

	for (i = 0, k = 0; i < t->nr_targets; i++) {
		uint64_t lo = (t->metadata_size + t->unit - 1) / t->unit * t->unit;
		uint64_t hi = t->targets[i].capacity / t->unit * t->unit;
		size_t first = k;

		while (k < n && used[k].target == i)
			k++;
		/* k - first extents split the range into k - first + 1 runs */
		s[i].runs = malloc((k - first + 1) * sizeof(*s[i].runs));
		if (!s[i].runs)
			goto nomem;
		for (j = first; j < k; j++) {
			add_run(&s[i], lo, used[j].offset);
			lo = used[j].offset + used[j].length;
		}
		add_run(&s[i], lo, hi);
	}
	free(used);
	*out = s;
	return 0;
nomem:
	free(used);
	spaces_free(s, t->nr_targets);
	return -ENOMEM;
}

/* Takes @len bytes from the front of run @k. */
static void take_front(struct space *s, size_t k, uint64_t len)
{
	s->runs[k].start += len;
	s->runs[k].len -= len;
	s->free -= len;
	if (!s->runs[k].len) {
		memmove(&s->runs[k], &s->runs[k + 1],
			(s->n - k - 1) * sizeof(*s->runs));
		s->n--;
	}
}

/* The run starting exactly at @offset, or -1. */
static long run_at(const struct space *s, uint64_t offset)
{
	size_t k;

	for (k = 0; k < s->n; k++)
		if (s->runs[k].start == offset)
			return (long)k;
	return -1;
}

static int pieces_add(struct pieces *ps, size_t target, uint64_t offset,
		      uint64_t length, uint32_t column)
{
	if (ps->n == ps->cap) {
		size_t cap = ps->cap ? 2 * ps->cap : 16;
		struct piece *p = realloc(ps->p, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		ps->p = p;
		ps->cap = cap;
	}
	ps->p[ps->n++] = (struct piece){ target, offset, length, column };
	return 0;
}

/*
 * Takes up to @need bytes from target @ti for @column: the lowest run that
 * holds what is left, else the largest run whole, and again. *@taken is
 * what it got (less than @need only when the target is full).
 */
static int take_from_target(struct space *s, size_t ti, uint64_t need,
			    uint32_t column, struct pieces *out,
			    uint64_t *taken)
{
	*taken = 0;
	while (need && s->n) {
		size_t k, best = s->n;
		uint64_t len;

		for (k = 0; k < s->n; k++) {
			if (s->runs[k].len >= need) {
				best = k;
				break;
			}
		}
		if (best < s->n) {
			len = need;
		} else {
			best = 0;
			for (k = 1; k < s->n; k++)
				if (s->runs[k].len > s->runs[best].len)
					best = k;
			len = s->runs[best].len;
		}
		if (pieces_add(out, ti, s->runs[best].start, len, column))
			return -ENOMEM;
		take_front(s, best, len);
		need -= len;
		*taken += len;
	}
	return 0;
}

/* What order_cmp() compares by. */
struct order {
	const struct evn_pool_table *t;
	const struct space *s;
};

/* Target indexes: free bytes descending, then name. */
static int order_cmp(const void *a, const void *b, void *arg)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	const struct order *o = arg;

	if (o->s[x].free != o->s[y].free)
		return o->s[x].free > o->s[y].free ? -1 : 1;
	return strcmp(o->t->targets[x].name, o->t->targets[y].name);
}

/* Target indexes in target order. */
static void order_targets(const struct evn_pool_table *t,
			  const struct space *s, size_t *idx)
{
	struct order o = { t, s };
	size_t i;

	for (i = 0; i < t->nr_targets; i++)
		idx[i] = i;
	qsort_r(idx, t->nr_targets, sizeof(*idx), order_cmp, &o);
}

/* The concat policy: targets in order, each giving up to what it has. */
static int take_concat(const struct evn_pool_table *t, struct space *s,
		       size_t *idx, uint64_t need, struct pieces *out)
{
	uint64_t taken;
	size_t i;
	int ret;

	order_targets(t, s, idx);
	for (i = 0; i < t->nr_targets && need; i++) {
		ret = take_from_target(&s[idx[i]], idx[i], need, 0, out,
				       &taken);
		if (ret)
			return ret;
		need -= taken;
	}
	return 0;
}

/* ---- public ---- */

/**
 * evn_alloc_granule() - what a volume's size is a multiple of
 * @t: the pool table (its unit)
 * @layout: EVN_VOLUME_LAYOUT_CONCAT or EVN_VOLUME_LAYOUT_STRIPE
 * @columns: stripe columns
 * @chunk: stripe chunk
 *
 * Return: the unit for concat; @columns * max(unit, @chunk) for stripe,
 * 0 when that overflows or @columns is 0.
 */
uint64_t evn_alloc_granule(const struct evn_pool_table *t, uint32_t layout,
			   uint32_t columns, uint32_t chunk)
{
	uint64_t step;

	if (layout != EVN_VOLUME_LAYOUT_STRIPE)
		return t->unit;
	step = t->unit > chunk ? t->unit : chunk;
	if (!columns || step > INT64_MAX / columns)
		return 0;
	return step * columns;
}

/**
 * evn_alloc_free_space() - free bytes of every target
 * @t: a valid pool table
 * @bytes: receives @t->nr_targets sizes, in table order
 *
 * Free means allocatable: whole units outside the metadata area and
 * outside every extent.
 *
 * Return: 0, or -ENOMEM.
 */
int evn_alloc_free_space(const struct evn_pool_table *t, uint64_t *bytes)
{
	struct space *s;
	size_t i;

	if (spaces_build(t, &s))
		return -ENOMEM;
	for (i = 0; i < t->nr_targets; i++)
		bytes[i] = s[i].free;
	spaces_free(s, t->nr_targets);
	return 0;
}

/* Rounds @size up to @granule, refusing 0 and sizes past 2^63 - 1. */
static int round_size(uint64_t size, uint64_t granule, uint64_t *rounded,
		      const char *what, char *errbuf, size_t errlen)
{
	char a[EVN_SIZE_STRLEN];

	if (!size)
		return fail(errbuf, errlen, -EINVAL, "%s must not be 0", what);
	if (!granule || size > INT64_MAX - (granule - 1))
		return fail(errbuf, errlen, -EFBIG, "%s %s is too large", what,
			    sz(size, a));
	*rounded = (size + granule - 1) / granule * granule;
	return 0;
}

/* The table must be valid before the allocator trusts it. */
static int check_table(const struct evn_pool_table *t, char *errbuf,
		       size_t errlen)
{
	char msg[EVN_ERRLEN];
	int ret;

	ret = evn_pool_table_check(t, msg, sizeof(msg));
	if (ret == -EINVAL)
		return fail(errbuf, errlen, -EINVAL,
			    "pool table is not valid: %s", msg);
	if (ret)
		return fail(errbuf, errlen, ret, "%s", msg);
	if (!t->nr_targets)
		return fail(errbuf, errlen, -ENOSPC,
			    "pool \"%s\" has no targets", t->name);
	return 0;
}

/* @n pieces as pool extents, into @e. */
static void pieces_put(const struct evn_pool_table *t,
		       const struct piece *p, size_t n,
		       struct evn_pool_extent *e)
{
	size_t i;

	for (i = 0; i < n; i++) {
		memcpy(e[i].target, t->targets[p[i].target].uuid,
		       EVN_UUID_LEN);
		e[i].offset = p[i].offset;
		e[i].length = p[i].length;
		e[i].column = p[i].column;
		e[i].copy = 0;
	}
}

static int check_request(const struct evn_pool_table *t,
			 const struct evn_alloc_request *req,
			 uint32_t *columns, uint32_t *chunk, char *errbuf,
			 size_t errlen)
{
	char msg[EVN_ERRLEN];
	size_t i;

	if (evn_check_name(req->name, "volume", msg, sizeof(msg)))
		return fail(errbuf, errlen, -EINVAL, "%s", msg);
	if (evn_pool_table_volume(t, req->name))
		return fail(errbuf, errlen, -EEXIST,
			    "volume \"%s\" already exists in pool \"%s\"",
			    req->name, t->name);
	for (i = 0; i < t->nr_volumes; i++)
		if (!uuid_is_null(req->uuid) &&
		    !uuid_compare(t->volumes[i].uuid, req->uuid))
			return fail(errbuf, errlen, -EEXIST,
				    "volume \"%s\" already has that UUID",
				    t->volumes[i].name);
	switch (req->layout) {
	case EVN_VOLUME_LAYOUT_CONCAT:
		if (req->columns > 1 || req->chunk)
			return fail(errbuf, errlen, -EINVAL,
				    "a concat volume has no columns and no chunk");
		*columns = 1;
		*chunk = 0;
		return 0;
	case EVN_VOLUME_LAYOUT_STRIPE:
		break;
	default:
		return fail(errbuf, errlen, -EINVAL, "unknown layout %" PRIu32,
			    req->layout);
	}
	*chunk = req->chunk ? req->chunk : EVN_ALLOC_CHUNK_DEFAULT;
	if (*chunk < EVN_CHUNK_MIN || *chunk > EVN_CHUNK_MAX ||
	    (*chunk & (*chunk - 1)))
		return fail(errbuf, errlen, -EINVAL,
			    "chunk %" PRIu32 " is not a power of two from 4K to 16M",
			    *chunk);
	*columns = req->columns ? req->columns : (uint32_t)t->nr_targets;
	if (*columns > t->nr_targets)
		return fail(errbuf, errlen, -EINVAL,
			    "%" PRIu32 " columns need %" PRIu32
			    " distinct targets; pool \"%s\" has %zu",
			    *columns, *columns, t->name, t->nr_targets);
	return 0;
}

/**
 * evn_alloc_volume() - allocate a new volume and add it to the table
 * @t: a valid pool table; gets the volume at its end
 * @req: the volume wanted
 * @size: receives the volume's size, @req->size rounded up
 * @errbuf: receives the reason on failure
 * @errlen: size of @errbuf (EVN_ERRLEN is enough)
 *
 * Places the volume by the policy of alloc.h. The new volume has no
 * holder.
 *
 * Return: 0; -EINVAL for a bad request or table; -EEXIST for a name or
 * UUID in use; -EFBIG for a size past 2^63 - 1; -ENOSPC when the space is
 * not there (e.g. "need 300G in 3 columns of 100G on distinct targets;
 * only 2 targets have 100G free"); -ENOMEM. On failure @t is unchanged
 * and @errbuf set.
 */
int evn_alloc_volume(struct evn_pool_table *t,
		     const struct evn_alloc_request *req, uint64_t *size,
		     char *errbuf, size_t errlen)
{
	char a[EVN_SIZE_STRLEN], b[EVN_SIZE_STRLEN], c[EVN_SIZE_STRLEN];
	struct pieces ps = { 0 };
	struct evn_pool_volume *vols, *v;
	struct evn_pool_extent *ext;
	struct space *s = NULL;
	uint64_t rounded, total = 0, taken;
	uint32_t columns = 1, chunk = 0, col;
	size_t *idx = NULL, i, fit;
	int ret;

	ret = check_table(t, errbuf, errlen);
	if (!ret)
		ret = check_request(t, req, &columns, &chunk, errbuf, errlen);
	if (!ret)
		ret = round_size(req->size, evn_alloc_granule(t, req->layout,
							      columns, chunk),
				 &rounded, "size", errbuf, errlen);
	if (ret)
		return ret;
	idx = malloc(t->nr_targets * sizeof(*idx));
	if (!idx || spaces_build(t, &s))
		goto nomem;
	order_targets(t, s, idx);

	if (req->layout == EVN_VOLUME_LAYOUT_STRIPE) {
		uint64_t column_size = rounded / columns;

		for (fit = 0; fit < t->nr_targets; fit++)
			if (s[idx[fit]].free < column_size)
				break;	/* in order: the rest have less */
		if (fit < columns) {
			char have[64];

			if (!fit)
				snprintf(have, sizeof(have), "no target has");
			else if (fit == 1)
				snprintf(have, sizeof(have),
					 "only 1 target has");
			else
				snprintf(have, sizeof(have),
					 "only %zu targets have", fit);
			ret = fail(errbuf, errlen, -ENOSPC,
				   "need %s in %" PRIu32
				   " column%s of %s on distinct targets; %s %s free",
				   sz(rounded, a), columns,
				   columns == 1 ? "" : "s",
				   sz(column_size, b), have,
				   sz(column_size, c));
			goto out;
		}
		for (col = 0; col < columns; col++) {
			ret = take_from_target(&s[idx[col]], idx[col],
					       column_size, col, &ps, &taken);
			if (ret)
				goto nomem;
		}
	} else {
		for (i = 0; i < t->nr_targets; i++)
			total += s[i].free;
		if (total < rounded) {
			ret = fail(errbuf, errlen, -ENOSPC,
				   "need %s; pool \"%s\" has only %s free",
				   sz(rounded, a), t->name, sz(total, b));
			goto out;
		}
		if (take_concat(t, s, idx, rounded, &ps))
			goto nomem;
	}

	ext = malloc(ps.n * sizeof(*ext));
	if (!ext)
		goto nomem;
	vols = realloc(t->volumes, (t->nr_volumes + 1) * sizeof(*vols));
	if (!vols) {
		free(ext);
		goto nomem;
	}
	t->volumes = vols;
	v = &vols[t->nr_volumes];
	memset(v, 0, sizeof(*v));
	snprintf(v->name, sizeof(v->name), "%s", req->name);
	if (uuid_is_null(req->uuid))
		uuid_generate(v->uuid);
	else
		memcpy(v->uuid, req->uuid, EVN_UUID_LEN);
	v->size = rounded;
	v->layout = req->layout;
	v->chunk = chunk;
	v->columns = columns;
	pieces_put(t, ps.p, ps.n, ext);
	v->extents = ext;
	v->nr_extents = ps.n;
	t->nr_volumes++;
	*size = rounded;
	ret = 0;
	goto out;
nomem:
	ret = fail(errbuf, errlen, -ENOMEM, "out of memory");
out:
	free(ps.p);
	free(idx);
	spaces_free(s, t->nr_targets);
	return ret;
}

/* Index of the last extent of each column of @v, into @last. */
static void last_extents(const struct evn_pool_volume *v, size_t *last)
{
	size_t i;

	for (i = 0; i < v->nr_extents; i++)
		last[v->extents[i].column] = i;
}

/* Lengthens the last extent of a column in place, as far as it can. */
static uint64_t grow_in_place(struct space *s,
			      const struct evn_pool_extent *e, uint64_t need)
{
	long k = run_at(s, e->offset + e->length);
	uint64_t len;

	if (k < 0)
		return 0;
	len = s->runs[k].len < need ? s->runs[k].len : need;
	take_front(s, (size_t)k, len);
	return len;
}

/*
 * Grows column @col of stripe @v by @need: in place, on its target, then
 * on targets that hold no other column (owner[] is the column holding
 * each target, -1 for none, -2 for several).
 */
static int grow_column(const struct evn_pool_table *t,
		       const struct evn_pool_volume *v, uint32_t col,
		       const struct evn_pool_extent *last, struct space *s,
		       long *owner, size_t *idx, uint64_t need,
		       uint64_t *in_place, struct pieces *ps, char *errbuf,
		       size_t errlen)
{
	char a[EVN_SIZE_STRLEN], b[EVN_SIZE_STRLEN], c[EVN_SIZE_STRLEN];
	size_t ti = target_index(t, last->target);
	uint64_t want = need, taken;
	size_t i;

	*in_place = grow_in_place(&s[ti], last, need);
	need -= *in_place;
	if (take_from_target(&s[ti], ti, need, col, ps, &taken))
		return -ENOMEM;
	need -= taken;
	order_targets(t, s, idx);
	for (i = 0; i < t->nr_targets && need; i++) {
		if (idx[i] == ti ||
		    (owner[idx[i]] != -1 && owner[idx[i]] != (long)col) ||
		    !s[idx[i]].free)
			continue;
		if (take_from_target(&s[idx[i]], idx[i], need, col, ps, &taken))
			return -ENOMEM;
		owner[idx[i]] = col;
		need -= taken;
	}
	if (need)
		return fail(errbuf, errlen, -ENOSPC,
			    "need %s more in %" PRIu32 " columns of %s: column %" PRIu32
			    " (on target \"%s\") can get only %s on targets holding no other column of volume \"%s\"",
			    sz(want * v->columns, a), v->columns, sz(want, b),
			    col, t->targets[ti].name, sz(want - need, c),
			    v->name);
	return 0;
}

/**
 * evn_alloc_grow() - make a volume of the table larger
 * @t: a valid pool table
 * @name: the volume
 * @add: bytes to add, not 0; rounded up as for a new volume of its layout
 * @added: receives the bytes added
 * @errbuf: receives the reason on failure
 * @errlen: size of @errbuf (EVN_ERRLEN is enough)
 *
 * Places the new space by the policy of alloc.h. The volume's new map
 * keeps the old one as its prefix: every old extent unchanged and in
 * place, except that the last extent of each column may be longer; new
 * extents of a column follow that column's old ones.
 *
 * Return: 0; -ENOENT for an unknown volume; -EINVAL for a bad request or
 * table; -EFBIG for a size past 2^63 - 1; -ENOSPC when the space is not
 * there; -ENOMEM. On failure @t is unchanged and @errbuf set.
 */
int evn_alloc_grow(struct evn_pool_table *t, const char *name, uint64_t add,
		   uint64_t *added, char *errbuf, size_t errlen)
{
	char a[EVN_SIZE_STRLEN], b[EVN_SIZE_STRLEN];
	struct evn_pool_extent *ext = NULL;
	uint64_t rounded, *in_place = NULL, total = 0;
	size_t *idx = NULL, *last = NULL, i, n, p;
	struct pieces ps = { 0 };
	struct evn_pool_volume *v;
	struct space *s = NULL;
	long *owner = NULL;
	uint32_t col;
	int ret;

	ret = check_table(t, errbuf, errlen);
	if (ret)
		return ret;
	v = evn_pool_table_volume(t, name);
	if (!v)
		return fail(errbuf, errlen, -ENOENT,
			    "no volume \"%s\" in pool \"%s\"", name, t->name);
	ret = round_size(add, evn_alloc_granule(t, v->layout, v->columns,
						v->chunk),
			 &rounded, "growth", errbuf, errlen);
	if (ret)
		return ret;
	if (rounded > INT64_MAX - v->size)
		return fail(errbuf, errlen, -EFBIG,
			    "volume \"%s\" would be larger than 2^63 - 1 bytes",
			    v->name);

	idx = malloc(t->nr_targets * sizeof(*idx));
	owner = malloc(t->nr_targets * sizeof(*owner));
	last = malloc(v->columns * sizeof(*last));
	in_place = calloc(v->columns, sizeof(*in_place));
	if (!idx || !owner || !last || !in_place || spaces_build(t, &s))
		goto nomem;
	last_extents(v, last);

	if (v->layout == EVN_VOLUME_LAYOUT_CONCAT) {
		const struct evn_pool_extent *e = &v->extents[last[0]];

		for (i = 0; i < t->nr_targets; i++)
			total += s[i].free;
		if (total < rounded) {
			ret = fail(errbuf, errlen, -ENOSPC,
				   "need %s more for volume \"%s\"; pool \"%s\" has only %s free",
				   sz(rounded, a), v->name, t->name,
				   sz(total, b));
			goto out;
		}
		in_place[0] = grow_in_place(&s[target_index(t, e->target)], e,
					    rounded);
		if (take_concat(t, s, idx, rounded - in_place[0], &ps))
			goto nomem;
	} else {
		for (i = 0; i < t->nr_targets; i++)
			owner[i] = -1;
		for (i = 0; i < v->nr_extents; i++) {
			size_t ti = target_index(t, v->extents[i].target);
			long c = v->extents[i].column;

			owner[ti] = owner[ti] == -1 || owner[ti] == c ? c : -2;
		}
		for (col = 0; col < v->columns; col++) {
			ret = grow_column(t, v, col, &v->extents[last[col]], s,
					  owner, idx, rounded / v->columns,
					  &in_place[col], &ps, errbuf, errlen);
			if (ret == -ENOMEM)
				goto nomem;
			if (ret)
				goto out;
		}
	}

	/* old extents column by column, each column's new pieces after it */
	n = v->nr_extents + ps.n;
	ext = malloc(n * sizeof(*ext));
	if (!ext)
		goto nomem;
	for (i = 0, p = 0, n = 0; i < v->nr_extents; i++) {
		col = v->extents[i].column;
		ext[n] = v->extents[i];
		if (i == last[col])
			ext[n].length += in_place[col];
		n++;
		if (i != last[col])
			continue;
		for (; p < ps.n && ps.p[p].column == col; p++, n++)
			pieces_put(t, &ps.p[p], 1, &ext[n]);
	}
	free(v->extents);
	v->extents = ext;
	v->nr_extents = n;
	v->size += rounded;
	*added = rounded;
	ret = 0;
	goto out;
nomem:
	ret = fail(errbuf, errlen, -ENOMEM, "out of memory");
out:
	free(ps.p);
	free(idx);
	free(owner);
	free(last);
	free(in_place);
	spaces_free(s, t->nr_targets);
	return ret;
}

/**
 * evn_alloc_delete() - remove a volume from the table, freeing its extents
 * @t: the pool table
 * @name: the volume
 * @errbuf: receives the reason on failure
 * @errlen: size of @errbuf (EVN_ERRLEN is enough)
 *
 * The volumes after it move up one place.
 *
 * Return: 0, or -ENOENT with @errbuf set.
 */
int evn_alloc_delete(struct evn_pool_table *t, const char *name,
		     char *errbuf, size_t errlen)
{
	struct evn_pool_volume *v = evn_pool_table_volume(t, name);
	size_t i;

	if (!v)
		return fail(errbuf, errlen, -ENOENT,
			    "no volume \"%s\" in pool \"%s\"", name, t->name);
	i = (size_t)(v - t->volumes);
	free(v->extents);
	memmove(v, v + 1, (t->nr_volumes - i - 1) * sizeof(*v));
	t->nr_volumes--;
	if (!t->nr_volumes) {
		free(t->volumes);
		t->volumes = NULL;
	}
	return 0;
}

/**
 * evn_alloc_check() - check the invariants the allocator keeps
 * @t: the pool table
 * @errbuf: receives the first broken rule
 * @errlen: size of @errbuf (EVN_ERRLEN is enough)
 *
 * Everything evn_pool_table_check() checks (in particular: no two extents
 * share a byte of a target; every extent inside its target, outside the
 * metadata area, a whole number of units at a unit-aligned offset), and
 * that no target holds extents of two columns of one stripe volume.
 *
 * Return: 0, -EINVAL with @errbuf set, or -ENOMEM.
 */
int evn_alloc_check(const struct evn_pool_table *t, char *errbuf,
		    size_t errlen)
{
	size_t i, j, k;
	int ret;

	ret = evn_pool_table_check(t, errbuf, errlen);
	if (ret)
		return ret;
	for (i = 0; i < t->nr_volumes; i++) {
		const struct evn_pool_volume *v = &t->volumes[i];

		if (v->layout != EVN_VOLUME_LAYOUT_STRIPE)
			continue;
		for (j = 0; j < v->nr_extents; j++) {
			const struct evn_pool_extent *e = &v->extents[j];

			for (k = j + 1; k < v->nr_extents; k++) {
				const struct evn_pool_extent *f =
					&v->extents[k];

				if (e->column == f->column ||
				    memcmp(e->target, f->target, EVN_UUID_LEN))
					continue;
				return fail(errbuf, errlen, -EINVAL,
					    "volume \"%s\": columns %" PRIu32 " and %" PRIu32
					    " share target \"%s\"",
					    v->name, e->column, f->column,
					    evn_pool_table_target(t, e->target)->name);
			}
		}
	}
	return 0;
}
