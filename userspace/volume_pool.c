// SPDX-License-Identifier: GPL-2.0
/*
 * volume_pool.c - the pool-mode commands of the "volume" object
 *
 *   evnadm volume create NAME size SIZE [layout concat|stripe] [columns N]
 *                        [chunk SIZE] [pool POOL]
 *   evnadm volume map NAME [ro|rw] [--force] [pool POOL]
 *   evnadm volume unmap NAME [pool POOL]
 *   evnadm volume del NAME [--force] [pool POOL]
 *   evnadm volume grow NAME size [+]SIZE [pool POOL]
 *
 * A pool volume lives in its pool's table (pool.c): its extents, chosen by
 * the allocator (alloc.c), and its read-write holder, the host NQN that
 * maps it read-write. Mapping it here gives the kernel its map under the
 * same name (volume-new); the holder makes a second read-write map, by
 * another host, a refusal unless forced, while read-only maps go anywhere
 * (the training pattern: fill on one host, read on many).
 *
 * Order with the kernel (Documentation/metadata.rst): the table is written
 * before the kernel gets a map using new extents, and a volume leaves the
 * kernel before the table is written without it. A kernel refusal after
 * the table was written writes the table back as it was. A command that
 * is refused writes nothing: every check that can refuse comes first.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include <linux/evn.h>

#include "alloc.h"
#include "evnadm.h"
#include "features.h"
#include "meta.h"
#include "parse.h"
#include "pool.h"
#include "print.h"
#include "volume.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Room for the features message of evn_features_check(). */
#define FEATURES_ERRLEN	(EVN_FEATURES_ERRLEN + EVN_FEATURES_STRLEN)

/* The words of the pool-mode volume commands. */
#define W_SIZE		(1U << 0)	/* size SIZE */
#define W_LAYOUT	(1U << 1)	/* layout concat|stripe */
#define W_COLUMNS	(1U << 2)	/* columns N */
#define W_CHUNK		(1U << 3)	/* chunk SIZE */
#define W_POOL		(1U << 4)	/* pool POOL */
#define W_MODE		(1U << 5)	/* ro | rw */
#define W_FORCE		(1U << 6)	/* --force */
#define W_GROW		(1U << 7)	/* size takes +SIZE */

static const struct {
	const char *word;
	unsigned int bit;
	const char *value;	/* what follows it, for "missing ..." */
} volume_words[] = {
	{ "size",	W_SIZE,		"SIZE" },
	{ "layout",	W_LAYOUT,	"LAYOUT" },
	{ "columns",	W_COLUMNS,	"N" },
	{ "chunk",	W_CHUNK,	"SIZE" },
	{ "pool",	W_POOL,		"POOL" },
};

/**
 * evn_volume_pool_mode() - whether "volume create" or "volume grow" is
 *	about a pool volume
 * @argc: number of words after "create" or "grow"
 * @argv: NAME, then keyword-value pairs
 *
 * The "size" keyword selects the pool mode; the explicit forms take
 * "extent" and "column" instead.
 *
 * Return: true when a keyword after NAME is "size", or when NAME is
 * missing before "size" ("create size 1G").
 */
bool evn_volume_pool_mode(int argc, char **argv)
{
	int i;

	if (argc > 0 && argc % 2 == 0 && !strcmp(argv[0], "size"))
		return true;
	for (i = 1; i < argc; i += 2)
		if (!strcmp(argv[i], "size"))
			return true;
	return false;
}

/* "size SIZE" (with @grow, "size +SIZE" too): not 0, at most 2^63 - 1. */
static int size_parse(const char *word, bool grow,
		      struct evn_volume_pool_args *a, char *errbuf,
		      size_t errlen)
{
	const char *w = word;
	int ret;

	if (grow && *w == '+') {
		a->grow_by = true;
		w++;
	}
	ret = evn_parse_size(w, &a->size);
	if (ret == -EINVAL) {
		snprintf(errbuf, errlen,
			 "invalid size \"%s\": not a size (a number of bytes, or with K, M, G, T, P, E)",
			 word);
		return -EINVAL;
	}
	if (ret || a->size > INT64_MAX) {
		snprintf(errbuf, errlen,
			 "invalid size \"%s\": larger than 2^63 - 1 bytes",
			 word);
		return -EINVAL;
	}
	if (!a->size) {
		snprintf(errbuf, errlen, "invalid size \"%s\": zero", word);
		return -EINVAL;
	}
	return 0;
}

/*
 * NAME, then the words of @allowed in any order; the words given are
 * returned in @given, the raw values of columns and chunk in @raw.
 */
static int parse_words(int argc, char **argv, unsigned int allowed,
		       struct evn_volume_pool_args *a, unsigned int *given,
		       const char *raw[2], char *errbuf, size_t errlen)
{
	int i;
	size_t k;

	memset(a, 0, sizeof(*a));
	*given = 0;
	raw[0] = raw[1] = NULL;
	if (argc < 1) {
		snprintf(errbuf, errlen, "missing NAME");
		return -EINVAL;
	}
	/* "create size 1G": NAME forgotten; "create size size 1G" is fine */
	for (k = 0; k < ARRAY_SIZE(volume_words); k++)
		if ((allowed & volume_words[k].bit) &&
		    !strcmp(argv[0], volume_words[k].word) && argc % 2 == 0) {
			snprintf(errbuf, errlen, "missing NAME before \"%s\"",
				 argv[0]);
			return -EINVAL;
		}
	if (evn_check_name(argv[0], "volume", errbuf, errlen))
		return -EINVAL;
	a->name = argv[0];

	for (i = 1; i < argc; i++) {
		const char *w = argv[i], *val;
		unsigned int bit = 0;

		if ((allowed & W_MODE) &&
		    (!strcmp(w, "ro") || !strcmp(w, "rw"))) {
			if (*given & W_MODE) {
				snprintf(errbuf, errlen,
					 "\"%s\" after \"%s\": give ro or rw once",
					 w, a->read_only ? "ro" : "rw");
				return -EINVAL;
			}
			a->read_only = !strcmp(w, "ro");
			*given |= W_MODE;
			continue;
		}
		if ((allowed & W_FORCE) && !strcmp(w, "--force")) {
			a->force = true;
			*given |= W_FORCE;
			continue;
		}
		if ((allowed & W_SIZE) &&
		    (!strcmp(w, "extent") || !strcmp(w, "column"))) {
			snprintf(errbuf, errlen,
				 "\"%s\" gives an explicit map and \"size\" a pool volume: use one or the other",
				 w);
			return -EINVAL;
		}
		for (k = 0; k < ARRAY_SIZE(volume_words); k++)
			if ((allowed & volume_words[k].bit) &&
			    !strcmp(w, volume_words[k].word))
				bit = volume_words[k].bit;
		if (!bit) {
			if (w[0] == '-')
				snprintf(errbuf, errlen,
					 "unknown option \"%s\"", w);
			else if (allowed & ~(W_POOL | W_MODE | W_FORCE))
				snprintf(errbuf, errlen,
					 "unknown keyword \"%s\"", w);
			else
				snprintf(errbuf, errlen,
					 "extra argument \"%s\"", w);
			return -EINVAL;
		}
		if (i + 1 >= argc) {
			for (k = 0; volume_words[k].bit != bit; k++)
				;
			snprintf(errbuf, errlen, "missing %s after \"%s\"",
				 volume_words[k].value, w);
			return -EINVAL;
		}
		val = argv[++i];
		if (*given & bit) {
			snprintf(errbuf, errlen, "\"%s\" given twice (\"%s\")",
				 w, val);
			return -EINVAL;
		}
		*given |= bit;
		switch (bit) {
		case W_SIZE:
			if (size_parse(val, allowed & W_GROW, a, errbuf,
				       errlen))
				return -EINVAL;
			break;
		case W_LAYOUT:
			if (!strcmp(val, "concat")) {
				a->layout = EVN_VOLUME_LAYOUT_CONCAT;
			} else if (!strcmp(val, "stripe")) {
				a->layout = EVN_VOLUME_LAYOUT_STRIPE;
			} else {
				snprintf(errbuf, errlen,
					 "invalid layout \"%s\" (concat or stripe)",
					 val);
				return -EINVAL;
			}
			break;
		case W_COLUMNS:
			raw[0] = val;
			if (evn_parse_u32(val, &a->columns) || !a->columns) {
				snprintf(errbuf, errlen,
					 "invalid columns \"%s\": not a number from 1 to %u",
					 val, UINT32_MAX);
				return -EINVAL;
			}
			break;
		case W_CHUNK:
			raw[1] = val;
			if (evn_chunk_parse(val, &a->chunk, errbuf, errlen))
				return -EINVAL;
			break;
		default:	/* W_POOL */
			if (evn_check_name(val, "pool", errbuf, errlen))
				return -EINVAL;
			a->pool = val;
			break;
		}
	}
	return 0;
}

/**
 * evn_volume_size_args() - parse the command line of "evnadm volume create"
 *	for a pool volume
 * @argc: number of words after "create"
 * @argv: NAME, then in any order "size SIZE" (required), "layout concat"
 *	or "layout stripe", "columns N" and "chunk SIZE" (stripe only),
 *	"pool POOL"
 * @a: filled in on success (strings point into @argv)
 * @errbuf: receives a one-line reason naming the bad word on failure
 * @errlen: size of @errbuf (EVN_ERRLEN is enough)
 *
 * Columns default to one per target of the pool, the chunk to 128K.
 *
 * Return: 0, or -EINVAL with @errbuf set.
 */
int evn_volume_size_args(int argc, char **argv,
			 struct evn_volume_pool_args *a, char *errbuf,
			 size_t errlen)
{
	unsigned int given;
	const char *raw[2];

	if (parse_words(argc, argv, W_SIZE | W_LAYOUT | W_COLUMNS | W_CHUNK |
			W_POOL, a, &given, raw, errbuf, errlen))
		return -EINVAL;
	if (!(given & W_SIZE)) {
		snprintf(errbuf, errlen, "missing \"size SIZE\"");
		return -EINVAL;
	}
	if (a->layout != EVN_VOLUME_LAYOUT_STRIPE && (raw[0] || raw[1])) {
		snprintf(errbuf, errlen,
			 "\"%s %s\" is for \"layout stripe\" only",
			 raw[0] ? "columns" : "chunk", raw[0] ? raw[0] : raw[1]);
		return -EINVAL;
	}
	return 0;
}

/**
 * evn_volume_map_args() - parse the command line of "evnadm volume map"
 * @argc: number of words after "map"
 * @argv: NAME, then in any order "ro" or "rw" (the default), "--force",
 *	"pool POOL"
 * @a: filled in on success (strings point into @argv)
 * @errbuf: receives a one-line reason naming the bad word on failure
 * @errlen: size of @errbuf (EVN_ERRLEN is enough)
 *
 * "--force" takes a volume over from another read-write holder: it goes
 * with rw only.
 *
 * Return: 0, or -EINVAL with @errbuf set.
 */
int evn_volume_map_args(int argc, char **argv,
			struct evn_volume_pool_args *a, char *errbuf,
			size_t errlen)
{
	unsigned int given;
	const char *raw[2];

	if (parse_words(argc, argv, W_MODE | W_FORCE | W_POOL, a, &given, raw,
			errbuf, errlen))
		return -EINVAL;
	if (a->read_only && a->force) {
		snprintf(errbuf, errlen,
			 "\"--force\" takes over a read-write map: it does not go with \"ro\"");
		return -EINVAL;
	}
	return 0;
}

/**
 * evn_volume_unmap_args() - parse the command line of "evnadm volume unmap"
 * @argc: number of words after "unmap"
 * @argv: NAME, optionally "pool POOL"
 * @a: filled in on success (strings point into @argv)
 * @errbuf: receives a one-line reason naming the bad word on failure
 * @errlen: size of @errbuf (EVN_ERRLEN is enough)
 *
 * Return: 0, or -EINVAL with @errbuf set.
 */
int evn_volume_unmap_args(int argc, char **argv,
			  struct evn_volume_pool_args *a, char *errbuf,
			  size_t errlen)
{
	unsigned int given;
	const char *raw[2];

	return parse_words(argc, argv, W_POOL, a, &given, raw, errbuf,
			   errlen);
}

/**
 * evn_volume_del_args() - parse the command line of "evnadm volume del"
 * @argc: number of words after "del"
 * @argv: NAME, then in any order "--force", "pool POOL"
 * @a: filled in on success (strings point into @argv)
 * @errbuf: receives a one-line reason naming the bad word on failure
 * @errlen: size of @errbuf (EVN_ERRLEN is enough)
 *
 * Return: 0, or -EINVAL with @errbuf set.
 */
int evn_volume_del_args(int argc, char **argv,
			struct evn_volume_pool_args *a, char *errbuf,
			size_t errlen)
{
	unsigned int given;
	const char *raw[2];

	return parse_words(argc, argv, W_FORCE | W_POOL, a, &given, raw,
			   errbuf, errlen);
}

/**
 * evn_volume_grow_size_args() - parse the command line of "evnadm volume
 *	grow" for a pool volume
 * @argc: number of words after "grow"
 * @argv: NAME, then "size +SIZE" (grow by SIZE) or "size SIZE" (grow to
 *	SIZE), optionally "pool POOL"
 * @a: filled in on success (strings point into @argv); @a->grow_by says
 *	which form of size was given
 * @errbuf: receives a one-line reason naming the bad word on failure
 * @errlen: size of @errbuf (EVN_ERRLEN is enough)
 *
 * Return: 0, or -EINVAL with @errbuf set.
 */
int evn_volume_grow_size_args(int argc, char **argv,
			      struct evn_volume_pool_args *a, char *errbuf,
			      size_t errlen)
{
	unsigned int given;
	const char *raw[2];

	if (parse_words(argc, argv, W_SIZE | W_GROW | W_POOL, a, &given, raw,
			errbuf, errlen))
		return -EINVAL;
	if (!(given & W_SIZE)) {
		snprintf(errbuf, errlen, "missing \"size +SIZE\"");
		return -EINVAL;
	}
	return 0;
}

/**
 * evn_pool_holder_decide() - whether a command may go ahead, given the
 *	read-write holder of a pool volume
 * @holder: the holder recorded in the table, "" or NULL for none
 * @host: this host's NQN
 * @op: what the command does
 * @force: "--force" was given
 *
 * A read-only map is always allowed and leaves the holder alone. A
 * read-write map records this host, refused when another host holds the
 * volume unless forced (it then takes the volume over). An unmap clears
 * the holder when it is this host. A delete is refused when another host
 * holds the volume, unless forced.
 *
 * Return: the enum evn_holder_action to take.
 */
enum evn_holder_action evn_pool_holder_decide(const char *holder,
					      const char *host,
					      enum evn_holder_op op,
					      bool force)
{
	const bool none = !holder || !holder[0];
	const bool mine = !none && host && !strcmp(holder, host);

	switch (op) {
	case EVN_HOLDER_MAP_RW:
		if (none)
			return EVN_HOLDER_TAKE;
		if (mine)
			return EVN_HOLDER_KEEP;
		return force ? EVN_HOLDER_TAKE_OVER : EVN_HOLDER_REFUSE;
	case EVN_HOLDER_UNMAP:
		return mine ? EVN_HOLDER_CLEAR : EVN_HOLDER_KEEP;
	case EVN_HOLDER_DELETE:
		if (none || mine)
			return EVN_HOLDER_KEEP;
		return force ? EVN_HOLDER_TAKE_OVER : EVN_HOLDER_REFUSE;
	default:	/* EVN_HOLDER_MAP_RO */
		return EVN_HOLDER_KEEP;
	}
}

/**
 * evn_pool_holder_refusal() - the message of an EVN_HOLDER_REFUSE
 * @volume: the volume
 * @holder: the host holding it read-write
 * @op: EVN_HOLDER_MAP_RW or EVN_HOLDER_DELETE
 * @buf: output buffer (EVN_ERRLEN is enough)
 * @len: size of @buf
 *
 * "volume v0 is mapped read-write by nqn...; use --force to take it over"
 * (map) or "...; use --force to delete it anyway" (delete).
 *
 * Return: the length of the text, like snprintf().
 */
size_t evn_pool_holder_refusal(const char *volume, const char *holder,
			       enum evn_holder_op op, char *buf, size_t len)
{
	int n = snprintf(buf, len,
			 "volume %s is mapped read-write by %s; use --force to %s",
			 volume, holder, op == EVN_HOLDER_DELETE ?
			 "delete it anyway" : "take it over");

	return n < 0 ? 0 : (size_t)n;
}

/**
 * evn_pool_volume_map() - the volume-new (or volume-set) request of a pool
 *	volume
 * @p: the pool, its members matched with the kernel's targets
 * @v: the volume, one of @p's
 * @read_only: map it read-only (EVN_A_VOLUME_READ_ONLY)
 * @a: receives the map; release with evn_volume_args_free()
 * @errbuf: receives the reason on failure
 * @errlen: size of @errbuf (EVN_ERRLEN is enough)
 *
 * The kernel volume has the pool volume's name, layout, chunk and extents
 * in table order (column by column, as the kernel wants them), each
 * naming the kernel's target for its pool target (usually of the same
 * name). LAYOUT is always sent.
 *
 * Return: 0; -ENOTCONN when an extent's target is not in the kernel;
 * -EPROTO for an extent of a target the table does not have; -ENOMEM.
 * @errbuf is set and @a empty on failure.
 */
int evn_pool_volume_map(const struct evn_pool *p,
			const struct evn_pool_volume *v, bool read_only,
			struct evn_volume_args *a, char *errbuf,
			size_t errlen)
{
	size_t i;

	memset(a, 0, sizeof(*a));
	a->extents = calloc(v->nr_extents + 1, sizeof(*a->extents));
	if (!a->extents) {
		snprintf(errbuf, errlen, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	for (i = 0; i < v->nr_extents; i++) {
		const struct evn_pool_extent *pe = &v->extents[i];
		struct evn_extent *e = &a->extents[i];
		int m = evn_pool_member_index(p, pe->target);

		if (m < 0) {
			snprintf(errbuf, errlen,
				 "volume %s: extent %zu is on a target pool \"%s\" does not have",
				 v->name, i, p->table.name);
			evn_volume_args_free(a);
			return -EPROTO;
		}
		if (!p->members[m].kt) {
			snprintf(errbuf, errlen,
				 "volume %s has an extent on target %s, which is not connected here (evnadm pool import connects it)",
				 v->name, p->table.targets[m].name);
			evn_volume_args_free(a);
			return -ENOTCONN;
		}
		snprintf(e->target, sizeof(e->target), "%s",
			 p->members[m].kt->name);
		e->offset = pe->offset;
		e->length = pe->length;
		e->column = pe->column;
	}
	a->nr_extents = v->nr_extents;
	a->name = v->name;
	a->layout_given = true;
	a->layout = v->layout;
	if (v->layout == EVN_VOLUME_LAYOUT_STRIPE) {
		a->chunk = v->chunk;
		a->nr_columns = v->columns;
	}
	a->read_only = read_only;
	return 0;
}

/**
 * evn_pool_grow_format() - what "evnadm volume grow ... size" prints
 * @what: the device when the volume is mapped here, else its name
 * @before: its size before, bytes
 * @after: its size after, bytes
 * @buf: output buffer
 * @len: size of @buf
 *
 * "/dev/evn0: 1G -> 3G", with the byte counts when the short sizes alone
 * would look the same.
 *
 * Return: the length of the text, like snprintf().
 */
size_t evn_pool_grow_format(const char *what, uint64_t before,
			    uint64_t after, char *buf, size_t len)
{
	char a[EVN_SIZE_STRLEN], b[EVN_SIZE_STRLEN];
	int n;

	evn_format_size(before, a, sizeof(a));
	evn_format_size(after, b, sizeof(b));
	if (before != after && !strcmp(a, b)) {
		evn_format_size_bytes(before, a, sizeof(a));
		evn_format_size_bytes(after, b, sizeof(b));
	}
	n = snprintf(buf, len, "%s: %s -> %s", what, a, b);
	return n < 0 ? 0 : (size_t)n;
}

/* ---- the commands ---- */

/* -j output of one JSON value, consumed; EVNADM_EXIT_*. */
static int print_json(struct evnadm *ea, struct json_object *obj)
{
	int ret;

	if (!obj) {
		evn_pr_error(ea->err, "%s", strerror(ENOMEM));
		return EVNADM_EXIT_ERROR;
	}
	ret = evn_json_print(ea->out, obj, ea->pretty);
	json_object_put(obj);
	return ret ? EVNADM_EXIT_ERROR : EVNADM_EXIT_OK;
}

/* What create and map print: the device (or, with -j, the volume). */
static int print_mapped(struct evnadm *ea, const struct evn_volume *kv,
			const char *name)
{
	char path[EVN_DEVPATH_MAX];

	if (ea->json)
		return print_json(ea, evn_volume_json(kv));
	if (evn_volume_device_path(kv, path, sizeof(path))) {
		evn_pr_error(ea->err,
			     "evn module created volume \"%s\" but did not say its device",
			     name);
		return EVNADM_EXIT_ERROR;
	}
	fprintf(ea->out, "%s\n", path);
	return EVNADM_EXIT_OK;
}

/*
 * Open, scan and find pool volume @name: in the pool @pool names, else in
 * whichever pool has it. @soft: a module without metadata areas has no
 * pools. Return: 0 with @p loaded and *@vp set; -ENOENT, not printed, when
 * @pool is NULL and no pool has the volume (*@partial: some pool could not
 * be loaded, which was printed); another -errno after printing. @c is
 * open on return unless opening failed.
 */
static int find_volume(struct evnadm *ea, struct evn_pool_ctx *c,
		       const char *pool, const char *name, bool soft,
		       struct evn_pool *p, struct evn_pool_volume **vp,
		       bool *partial)
{
	char errbuf[EVN_ERRLEN];
	struct evn_pool other;
	bool failed = false, found = false;
	size_t i, idx;

	memset(p, 0, sizeof(*p));
	*vp = NULL;
	*partial = false;
	if (evn_pool_ctx_open(c, ea->err))
		return -EIO;
	if (evn_pool_ctx_scan(c, soft))
		return -EIO;
	if (pool) {
		if (evn_pool_select(c->pools, c->nr_pools, pool, &idx, errbuf,
				    sizeof(errbuf))) {
			evn_pr_error(ea->err, "%s", errbuf);
			return -EINVAL;
		}
		if (evn_pool_load(c, idx, p))
			return -EIO;
		*vp = evn_pool_table_volume(&p->table, name);
		if (!*vp) {
			evn_pr_error(ea->err, "no volume %s in pool \"%s\"",
				     name, p->table.name);
			return -EINVAL;
		}
		return 0;
	}
	for (i = 0; i < c->nr_pools; i++) {
		if (evn_pool_load(c, i, &other)) {
			failed = true;
			continue;
		}
		if (!evn_pool_table_volume(&other.table, name)) {
			evn_pool_free(&other);
			continue;
		}
		if (found) {
			evn_pr_error(ea->err,
				     "volume %s is in pool \"%s\" and in pool \"%s\": choose one with \"pool POOL\"",
				     name, p->table.name, other.table.name);
			evn_pool_free(&other);
			return -EINVAL;
		}
		*p = other;
		found = true;
	}
	if (found) {
		*vp = evn_pool_table_volume(&p->table, name);
		return 0;
	}
	*partial = failed;
	return -ENOENT;
}

/* What a pool-only command says when no pool has the volume. */
static void no_pool_volume(struct evnadm *ea, const char *name, bool partial,
			   const char *hint)
{
	evn_pr_error(ea->err, "no volume %s in any pool%s%s", name,
		     partial ? " that could be loaded" : "", hint);
}

/* The module has @need, or an error is printed. */
static int need_feature(struct evnadm *ea, const struct evn_pool_ctx *c,
			uint64_t need, const char *what)
{
	char errbuf[FEATURES_ERRLEN];

	if (!evn_features_check(c->features, need, what, errbuf,
				sizeof(errbuf)))
		return 0;
	evn_pr_error(ea->err, "%s", errbuf);
	return -EOPNOTSUPP;
}

/* The pool is writable everywhere, or an error is printed. */
static int need_writable(struct evnadm *ea, const struct evn_pool *p)
{
	char errbuf[EVN_ERRLEN];

	if (!evn_pool_writable(p, errbuf, sizeof(errbuf)))
		return 0;
	evn_pr_error(ea->err, "%s", errbuf);
	return -ENOTCONN;
}

/**
 * evnadm_volume_pool_create() - "evnadm volume create NAME size SIZE ..."
 * @ea: this run
 * @argc: number of words after "create"
 * @argv: those words
 *
 * Allocates the volume in the pool (evn_alloc_volume()), records this
 * host as its read-write holder, writes the table, then creates the
 * kernel volume read-write and prints its device. When the kernel refuses
 * it, the volume leaves the table again.
 *
 * Return: EVNADM_EXIT_*.
 */
int evnadm_volume_pool_create(struct evnadm *ea, int argc, char **argv)
{
	char errbuf[EVN_ERRLEN], host[EVN_NQN_MAX + 1], dev[EVN_DEVPATH_MAX];
	struct evn_volume_args map = { 0 };
	struct evn_alloc_request req = { 0 };
	struct evn_volume_pool_args a;
	const struct evn_volume *kv;
	struct evn_volume reply = { 0 };
	struct evn_pool_volume *v;
	struct evn_pool_ctx c;
	struct evn_pool p = { 0 };
	int ret = EVNADM_EXIT_ERROR;
	uint64_t size;
	size_t idx;

	if (evn_volume_size_args(argc, argv, &a, errbuf, sizeof(errbuf)))
		return evnadm_usage_error(ea, evnadm_volume_help, "%s", errbuf);
	if (evn_pool_ctx_open(&c, ea->err))
		return EVNADM_EXIT_ERROR;
	if (evn_pool_ctx_scan(&c, false))
		goto out;
	if (evn_pool_select(c.pools, c.nr_pools, a.pool, &idx, errbuf,
			    sizeof(errbuf))) {
		evn_pr_error(ea->err, "%s", errbuf);
		goto out;
	}
	if (evn_pool_load(&c, idx, &p) ||
	    !evn_pool_ctx_hostnqn(&c, ea, host, sizeof(host)))
		goto out;
	kv = evn_pool_ctx_volume(&c, a.name);
	if (kv) {
		evn_volume_device_path(kv, dev, sizeof(dev));
		evn_pr_error(ea->err, "volume %s already exists here (%s)",
			     a.name, dev);
		goto out;
	}
	if (need_writable(ea, &p))
		goto out;

	req.name = a.name;
	req.size = a.size;
	req.layout = a.layout;
	req.columns = a.columns;
	req.chunk = a.chunk;
	if (evn_alloc_volume(&p.table, &req, &size, errbuf, sizeof(errbuf))) {
		evn_pr_error(ea->err, "%s", errbuf);
		goto out;
	}
	v = evn_pool_table_volume(&p.table, a.name);
	snprintf(v->holder, sizeof(v->holder), "%s", host);
	if (evn_pool_volume_map(&p, v, false, &map, errbuf, sizeof(errbuf))) {
		evn_pr_error(ea->err, "%s", errbuf);
		goto out;
	}
	map.name = a.name;
	if (evn_pool_save(&c, &p))
		goto out;
	if (evn_pool_volume_talk(&c, EVN_CMD_VOLUME_NEW, &map, NULL, &reply)) {
		evn_pr_error(ea->err, "%s", c.msg);
		/* the kernel refused it: the volume leaves the table again */
		if (evn_alloc_delete(&p.table, a.name, errbuf,
				     sizeof(errbuf)) ||
		    evn_pool_save(&c, &p))
			evn_pr_warning(ea->err,
				       "volume %s stays in pool \"%s\" without a device; evnadm volume del %s removes it",
				       a.name, p.table.name, a.name);
		goto out;
	}
	ret = print_mapped(ea, &reply, a.name);
out:
	evn_volume_free(&reply);
	evn_volume_args_free(&map);
	evn_pool_free(&p);
	evn_pool_ctx_close(&c);
	return ret;
}

/**
 * evnadm_volume_map() - "evnadm volume map NAME [ro|rw] [--force]"
 * @ea: this run
 * @argc: number of words after "map"
 * @argv: those words
 *
 * Creates the kernel volume of a pool volume from its recorded map. A
 * read-write map records this host as the holder first (refused when
 * another host holds it, unless --force); a read-only map leaves the
 * holder alone and makes a read-only block device.
 *
 * Return: EVNADM_EXIT_*.
 */
int evnadm_volume_map(struct evnadm *ea, int argc, char **argv)
{
	char errbuf[EVN_ERRLEN], host[EVN_NQN_MAX + 1], dev[EVN_DEVPATH_MAX];
	char old[EVN_NQN_MAX + 1];
	struct evn_volume_args map = { 0 };
	struct evn_volume_pool_args a;
	struct evn_volume reply = { 0 };
	const struct evn_volume *kv;
	enum evn_holder_action act;
	struct evn_pool_volume *v;
	struct evn_pool_ctx c;
	struct evn_pool p;
	int ret = EVNADM_EXIT_ERROR, r;
	bool partial;

	if (evn_volume_map_args(argc, argv, &a, errbuf, sizeof(errbuf)))
		return evnadm_usage_error(ea, evnadm_volume_help, "%s", errbuf);
	r = find_volume(ea, &c, a.pool, a.name, false, &p, &v, &partial);
	if (r == -ENOENT)
		no_pool_volume(ea, a.name, partial, "");
	if (r)
		goto out;
	kv = evn_pool_ctx_volume(&c, a.name);
	if (kv) {
		evn_volume_device_path(kv, dev, sizeof(dev));
		evn_pr_error(ea->err, "volume %s is already mapped here (%s)",
			     a.name, dev);
		goto out;
	}
	if (a.read_only &&
	    need_feature(ea, &c, EVN_F_READ_ONLY, "map volumes read-only"))
		goto out;
	if (!a.read_only && !evn_pool_ctx_hostnqn(&c, ea, host, sizeof(host)))
		goto out;
	act = evn_pool_holder_decide(v->holder, a.read_only ? NULL : host,
				     a.read_only ? EVN_HOLDER_MAP_RO :
						   EVN_HOLDER_MAP_RW,
				     a.force);
	if (act == EVN_HOLDER_REFUSE) {
		evn_pool_holder_refusal(a.name, v->holder, EVN_HOLDER_MAP_RW,
					errbuf, sizeof(errbuf));
		evn_pr_error(ea->err, "%s", errbuf);
		goto out;
	}
	if (evn_pool_volume_map(&p, v, a.read_only, &map, errbuf,
				sizeof(errbuf))) {
		evn_pr_error(ea->err, "%s", errbuf);
		goto out;
	}
	snprintf(old, sizeof(old), "%s", v->holder);
	if (act == EVN_HOLDER_TAKE || act == EVN_HOLDER_TAKE_OVER) {
		if (need_writable(ea, &p))
			goto out;
		snprintf(v->holder, sizeof(v->holder), "%s", host);
		if (evn_pool_save(&c, &p))
			goto out;
		if (act == EVN_HOLDER_TAKE_OVER)
			evn_pr_warning(ea->err,
				       "volume %s was mapped read-write by %s; this host takes it over",
				       a.name, old);
	}
	if (evn_pool_volume_talk(&c, EVN_CMD_VOLUME_NEW, &map, NULL, &reply)) {
		evn_pr_error(ea->err, "%s", c.msg);
		if (act == EVN_HOLDER_TAKE || act == EVN_HOLDER_TAKE_OVER) {
			snprintf(v->holder, sizeof(v->holder), "%s", old);
			if (evn_pool_save(&c, &p))
				evn_pr_warning(ea->err,
					       "pool \"%s\" still records this host as the read-write holder of volume %s",
					       p.table.name, a.name);
		}
		goto out;
	}
	ret = print_mapped(ea, &reply, a.name);
out:
	evn_volume_free(&reply);
	evn_volume_args_free(&map);
	evn_pool_free(&p);
	evn_pool_ctx_close(&c);
	return ret;
}

/**
 * evnadm_volume_unmap() - "evnadm volume unmap NAME"
 * @ea: this run
 * @argc: number of words after "unmap"
 * @argv: those words
 *
 * Removes the kernel volume (refused by the kernel while its device is
 * open), then, when this host is the volume's read-write holder, clears
 * the holder in the pool. A volume that is in no pool is simply removed
 * from the kernel.
 *
 * Return: EVNADM_EXIT_*.
 */
int evnadm_volume_unmap(struct evnadm *ea, int argc, char **argv)
{
	char errbuf[EVN_ERRLEN], host[EVN_NQN_MAX + 1];
	struct evn_volume_pool_args a;
	enum evn_holder_action act = EVN_HOLDER_KEEP;
	struct evn_pool_volume *v = NULL;
	struct evn_pool_ctx c;
	struct evn_pool p;
	int ret = EVNADM_EXIT_ERROR, r, writable = 0;
	bool partial;

	if (evn_volume_unmap_args(argc, argv, &a, errbuf, sizeof(errbuf)))
		return evnadm_usage_error(ea, evnadm_volume_help, "%s", errbuf);
	r = find_volume(ea, &c, a.pool, a.name, true, &p, &v, &partial);
	if (r && r != -ENOENT)
		goto out;
	if (!evn_pool_ctx_volume(&c, a.name)) {
		evn_pr_error(ea->err, "volume %s is not mapped here", a.name);
		goto out;
	}
	if (partial)
		evn_pr_warning(ea->err,
			       "volume %s is in no pool that could be loaded: it is removed from the kernel only",
			       a.name);
	if (v) {
		if (!evn_pool_ctx_hostnqn(&c, ea, host, sizeof(host)))
			goto out;
		act = evn_pool_holder_decide(v->holder, host, EVN_HOLDER_UNMAP,
					     false);
		if (act == EVN_HOLDER_CLEAR)
			writable = evn_pool_writable(&p, errbuf,
						     sizeof(errbuf));
	}
	if (evn_pool_volume_talk(&c, EVN_CMD_VOLUME_DEL, NULL, a.name, NULL)) {
		evn_pr_error(ea->err, "%s", c.msg);
		goto out;
	}
	if (act == EVN_HOLDER_CLEAR) {
		if (writable) {
			evn_pr_error(ea->err,
				     "volume %s is unmapped, but pool \"%s\" still records this host as its read-write holder: %s",
				     a.name, p.table.name, errbuf);
			goto out;
		}
		v->holder[0] = '\0';
		if (evn_pool_save(&c, &p))
			goto out;
	}
	ret = EVNADM_EXIT_OK;
out:
	evn_pool_free(&p);
	evn_pool_ctx_close(&c);
	return ret;
}

/**
 * evnadm_volume_pool_del() - "evnadm volume del NAME" of a pool volume
 * @ea: this run
 * @argc: number of words after "del"
 * @argv: those words
 * @handled: set to false when NAME is no pool's volume (and no pool was
 *	named): the caller then deletes the kernel volume as before
 *
 * Refused when another host holds the volume read-write, unless --force,
 * and when the pool cannot be written everywhere. Removes the kernel
 * volume when it is mapped here (refused while open), then the volume
 * leaves the table: its extents are free again.
 *
 * Return: EVNADM_EXIT_*.
 */
int evnadm_volume_pool_del(struct evnadm *ea, int argc, char **argv,
			   bool *handled)
{
	char errbuf[EVN_ERRLEN], host[EVN_NQN_MAX + 1];
	struct evn_volume_pool_args a;
	enum evn_holder_action act;
	struct evn_pool_volume *v;
	struct evn_pool_ctx c;
	struct evn_pool p;
	int ret = EVNADM_EXIT_ERROR, r;
	bool partial;

	*handled = true;
	if (evn_volume_del_args(argc, argv, &a, errbuf, sizeof(errbuf)))
		return evnadm_usage_error(ea, evnadm_volume_help, "%s", errbuf);
	r = find_volume(ea, &c, a.pool, a.name, true, &p, &v, &partial);
	if (r == -ENOENT) {
		if (partial)
			evn_pr_warning(ea->err,
				       "volume %s is in no pool that could be loaded: it is removed from the kernel only",
				       a.name);
		*handled = false;
		ret = EVNADM_EXIT_OK;
	}
	if (r)
		goto out;
	if (!evn_pool_ctx_hostnqn(&c, ea, host, sizeof(host)))
		goto out;
	act = evn_pool_holder_decide(v->holder, host, EVN_HOLDER_DELETE,
				     a.force);
	if (act == EVN_HOLDER_REFUSE) {
		evn_pool_holder_refusal(a.name, v->holder, EVN_HOLDER_DELETE,
					errbuf, sizeof(errbuf));
		evn_pr_error(ea->err, "%s", errbuf);
		goto out;
	}
	if (need_writable(ea, &p))
		goto out;
	if (evn_pool_ctx_volume(&c, a.name) &&
	    evn_pool_volume_talk(&c, EVN_CMD_VOLUME_DEL, NULL, a.name, NULL)) {
		evn_pr_error(ea->err, "%s", c.msg);
		goto out;
	}
	if (act == EVN_HOLDER_TAKE_OVER)
		evn_pr_warning(ea->err,
			       "volume %s was mapped read-write by %s; it is deleted anyway",
			       a.name, v->holder);
	if (evn_alloc_delete(&p.table, a.name, errbuf, sizeof(errbuf))) {
		evn_pr_error(ea->err, "%s", errbuf);
		goto out;
	}
	if (evn_pool_save(&c, &p))
		goto out;
	ret = EVNADM_EXIT_OK;
out:
	evn_pool_free(&p);
	evn_pool_ctx_close(&c);
	return ret;
}

/**
 * evnadm_volume_pool_grow() - "evnadm volume grow NAME size +SIZE"
 * @ea: this run
 * @argc: number of words after "grow"
 * @argv: those words
 *
 * Grows a pool volume by SIZE (or to SIZE) with evn_alloc_grow(), writes
 * the table, and when the volume is mapped here gives the kernel the new
 * map (volume-set), which keeps the old one as its prefix; the table is
 * written back as it was when the kernel refuses. Prints the device (or
 * the volume's name when it is not mapped here) and its old and new size.
 *
 * Return: EVNADM_EXIT_*.
 */
int evnadm_volume_pool_grow(struct evnadm *ea, int argc, char **argv)
{
	char errbuf[EVN_ERRLEN], host[EVN_NQN_MAX + 1], a1[EVN_SIZE_STRLEN];
	char line[EVN_DEVPATH_MAX + 2 * EVN_SIZE_STRLEN + 64];
	char dev[EVN_DEVPATH_MAX];
	struct evn_pool_table old = { 0 };
	struct evn_volume_args map = { 0 };
	struct evn_volume_pool_args a;
	struct evn_volume reply = { 0 };
	const struct evn_volume *kv;
	struct evn_pool_volume *v;
	struct evn_pool_ctx c;
	struct evn_pool p;
	uint64_t before, add, added;
	int ret = EVNADM_EXIT_ERROR, r;
	bool partial;

	if (evn_volume_grow_size_args(argc, argv, &a, errbuf, sizeof(errbuf)))
		return evnadm_usage_error(ea, evnadm_volume_help, "%s", errbuf);
	r = find_volume(ea, &c, a.pool, a.name, false, &p, &v, &partial);
	if (r == -ENOENT)
		no_pool_volume(ea, a.name, partial,
			       " (a volume of an explicit map grows with extent or column)");
	if (r)
		goto out;
	before = v->size;
	if (a.grow_by) {
		add = a.size;
	} else if (a.size <= before) {
		evn_format_size(before, a1, sizeof(a1));
		evn_pr_error(ea->err,
			     "volume %s is already %s: give a larger size, or +SIZE to add",
			     a.name, a1);
		goto out;
	} else {
		add = a.size - before;
	}
	kv = evn_pool_ctx_volume(&c, a.name);
	if (kv && need_feature(ea, &c, EVN_F_GROW, "grow volumes"))
		goto out;
	if (need_writable(ea, &p))
		goto out;
	if (evn_pool_table_copy(&old, &p.table)) {
		evn_pr_error(ea->err, "%s", strerror(ENOMEM));
		goto out;
	}
	if (evn_alloc_grow(&p.table, a.name, add, &added, errbuf,
			   sizeof(errbuf))) {
		evn_pr_error(ea->err, "%s", errbuf);
		goto out;
	}
	v = evn_pool_table_volume(&p.table, a.name);
	if (kv && evn_pool_volume_map(&p, v, false, &map, errbuf,
				      sizeof(errbuf))) {
		evn_pr_error(ea->err, "%s", errbuf);
		goto out;
	}
	if (evn_pool_save(&c, &p))
		goto out;
	if (v->holder[0] &&
	    evn_pool_hostnqn(ea->hostnqn, getenv(EVN_HOSTNQN_ENV),
			     EVN_HOSTNQN_FILE, c.module_hostnqn, host,
			     sizeof(host), errbuf, sizeof(errbuf)) == 0 &&
	    strcmp(v->holder, host))
		evn_pr_warning(ea->err,
			       "volume %s is mapped read-write by %s, which sees the new size when it maps the volume again",
			       a.name, v->holder);
	if (kv) {
		if (evn_pool_volume_talk(&c, EVN_CMD_VOLUME_SET, &map, NULL,
					 &reply)) {
			evn_pr_error(ea->err, "%s", c.msg);
			/* the kernel kept the old map: so does the table */
			evn_pool_table_free(&p.table);
			p.table = old;
			memset(&old, 0, sizeof(old));
			if (evn_pool_save(&c, &p))
				evn_pr_warning(ea->err,
					       "pool \"%s\" records volume %s larger than its device here",
					       p.table.name, a.name);
			goto out;
		}
		if (ea->json) {
			ret = print_json(ea, evn_volume_json(&reply));
			goto out;
		}
		evn_volume_device_path(kv, dev, sizeof(dev));
		evn_pool_grow_format(dev, before, v->size, line,
				     sizeof(line));
	} else {
		if (ea->json) {
			ret = print_json(ea, evn_pool_volume_json(&p, v, NULL));
			goto out;
		}
		evn_pool_grow_format(a.name, before, v->size, line,
				     sizeof(line));
	}
	fprintf(ea->out, "%s\n", line);
	ret = EVNADM_EXIT_OK;
out:
	evn_pool_table_free(&old);
	evn_volume_free(&reply);
	evn_volume_args_free(&map);
	evn_pool_free(&p);
	evn_pool_ctx_close(&c);
	return ret;
}
