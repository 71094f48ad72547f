// SPDX-License-Identifier: GPL-2.0
/*
 * volume.c - the "volume" object of evnadm
 *
 *   evnadm volume create NAME [layout concat] extent TARGET:OFFSET:LENGTH
 *                        [extent ...]
 *   evnadm volume create NAME layout stripe chunk SIZE
 *                        column TARGET:OFFSET:LENGTH[,...] [column ...]
 *   evnadm volume grow NAME extent TARGET:OFFSET:LENGTH [extent ...]
 *   evnadm volume grow NAME column TARGET:OFFSET:LENGTH[,...] [column ...]
 *   evnadm volume del NAME
 *   evnadm volume show [NAME]     all volumes as a table, or one in detail
 *
 * Pool volumes (volume_pool.c): "create NAME size SIZE ...", "grow NAME
 * size +SIZE", "map", "unmap", and "del" of a volume a pool holds.
 *
 * As in target.c, the command line is checked completely before the kernel
 * is asked; requests are built by evn_volume_new_put() and replies decoded
 * by evn_volume_parse(), both free of I/O for the unit tests. "grow" sends
 * the volume's whole new map (volume-set): evn_volume_grow_map() builds it,
 * also without I/O, from the volume-get reply and the added extents.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <linux/evn.h>

#include "evnadm.h"
#include "features.h"
#include "info.h"
#include "nl.h"
#include "parse.h"
#include "pool.h"
#include "print.h"
#include "volume.h"

static struct nla_policy evn_volume_policy[EVN_A_VOLUME_MAX + 1] = {
	[EVN_A_VOLUME_ID]	= { .type = NLA_U32 },
	[EVN_A_VOLUME_NAME]	= { .type = NLA_STRING },
	[EVN_A_VOLUME_DEVICE]	= { .type = NLA_STRING },
	[EVN_A_VOLUME_SIZE]	= { .type = NLA_U64 },
	[EVN_A_VOLUME_STATE]	= { .type = NLA_U32 },
	[EVN_A_VOLUME_EXTENT]	= { .type = NLA_NESTED },
	[EVN_A_VOLUME_LAYOUT]	= { .type = NLA_U32 },
	[EVN_A_VOLUME_CHUNK]	= { .type = NLA_U32 },
	[EVN_A_VOLUME_COLUMNS]	= { .type = NLA_U32 },
	[EVN_A_VOLUME_READ_ONLY] = { .type = NLA_U8 },
	[EVN_A_VOLUME_MEMORY]	= { .type = NLA_U64 },
};

static struct nla_policy evn_extent_policy[EVN_A_EXTENT_MAX + 1] = {
	[EVN_A_EXTENT_TARGET]		= { .type = NLA_STRING },
	[EVN_A_EXTENT_TARGET_OFFSET]	= { .type = NLA_U64 },
	[EVN_A_EXTENT_LENGTH]		= { .type = NLA_U64 },
	[EVN_A_EXTENT_COPY]		= { .type = NLA_U32 },
	[EVN_A_EXTENT_COLUMN]		= { .type = NLA_U32 },
};

/* enum evn_volume_state -> name; the names are part of the JSON output */
static const char *const evn_volume_states[] = {
	[EVN_VOLUME_STATE_LIVE]		= "live",
	[EVN_VOLUME_STATE_WAITING]	= "waiting",
	[EVN_VOLUME_STATE_FAILED]	= "failed",
};

/* enum evn_volume_layout -> name; the names are part of the JSON output */
static const char *const evn_volume_layouts[] = {
	[EVN_VOLUME_LAYOUT_CONCAT]	= "concat",
	[EVN_VOLUME_LAYOUT_STRIPE]	= "stripe",
};

/* The keywords of "volume create" after NAME; each takes one word. */
static const struct {
	const char *keyword;
	const char *value;	/* what follows it, for "missing ..." */
} create_keywords[] = {
	{ "layout",	"LAYOUT" },
	{ "chunk",	"SIZE" },
	{ "extent",	"TARGET:OFFSET:LENGTH" },
	{ "column",	"TARGET:OFFSET:LENGTH[,TARGET:OFFSET:LENGTH...]" },
};

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static void layout_name_format(uint32_t layout, char *buf, size_t len);

void evnadm_volume_help(FILE *f)
{
	fprintf(f,
		"Usage: evnadm volume create NAME [ layout concat ] extent EXTENT [ extent EXTENT ... ]\n"
		"       evnadm volume create NAME layout stripe chunk SIZE column COLUMN [ column COLUMN ... ]\n"
		"       evnadm volume grow NAME extent EXTENT [ extent EXTENT ... ]\n"
		"       evnadm volume grow NAME column COLUMN [ column COLUMN ... ]\n"
		"       evnadm volume del NAME\n"
		"       evnadm volume show [ NAME ]\n"
		"       evnadm volume help\n"
		"Pool volumes (evnadm pool help):\n"
		"       evnadm volume create NAME size SIZE [ layout { concat | stripe } ]\n"
		"                            [ columns N ] [ chunk SIZE ] [ pool POOL ]\n"
		"       evnadm volume map NAME [ ro | rw ] [ --force ] [ pool POOL ]\n"
		"       evnadm volume unmap NAME [ pool POOL ]\n"
		"       evnadm volume grow NAME size +SIZE [ pool POOL ]\n"
		"       evnadm volume del NAME [ --force ] [ pool POOL ]\n"
		"where  NAME := 1-%d characters of A-Z a-z 0-9 . _ -, not starting with -\n"
		"       EXTENT := TARGET:OFFSET:LENGTH\n"
		"       COLUMN := EXTENT[,EXTENT...]\n"
		"       TARGET := name of a target (see evnadm target help)\n"
		"       OFFSET, LENGTH, SIZE := bytes, or a number with a binary suffix\n"
		"                               K, M, G, T, P or E (any case), e.g. 512M;\n"
		"                               a chunk SIZE is a power of two, 4K to 16M\n"
		"concat (the default) maps the extents in the order given. stripe maps\n"
		"chunk k of the volume to column k mod N of the N columns, in the order\n"
		"given; the extents of one column are laid end to end. create prints\n"
		"the new block device, e.g. /dev/evn0. show without NAME lists every\n"
		"volume.\n"
		"grow enlarges a volume while it is in use: extent adds extents after\n"
		"those of a concat volume; a stripe takes one column per column, in\n"
		"column order, each adding the same size to its column. An extent that\n"
		"continues the last one of its column on the same target lengthens it.\n"
		"grow prints the device and its old and new size, e.g.\n"
		"/dev/evn0: 1G -> 3G.\n"
		"A pool volume gets its extents from its pool and its device from map.\n"
		"create with size allocates the extents (concat by default; a stripe has\n"
		"one column per target unless columns says, and 128K chunks unless chunk\n"
		"says), records this host as the volume's read-write holder and maps it\n"
		"here. map makes the device of a pool volume from its recorded map: rw\n"
		"(the default) records this host as the holder and is refused while\n"
		"another host holds the volume, unless --force takes it over; ro makes a\n"
		"read-only device, on any number of hosts, whoever holds the volume.\n"
		"unmap removes the device here and clears the holder if it is this host.\n"
		"del removes a pool volume from its pool, and its device here; its extents\n"
		"are free again (refused while another host holds it, unless --force).\n"
		"grow size +SIZE adds SIZE (size SIZE grows to SIZE), online when mapped.\n"
		"pool POOL is needed only when several pools are loaded.\n",
		EVN_NAME_MAX);
}

/*
 * One size part of an extent specification; @what is "offset" or "length",
 * @where "" or " in column N" to follow the quoted @spec in messages.
 */
static int extent_size(const char *spec, const char *where, const char *what,
		       const char *word, uint64_t *val, char *errbuf,
		       size_t errlen)
{
	int ret;

	if (!*word) {
		snprintf(errbuf, errlen, "invalid extent \"%s\"%s: empty %s",
			 spec, where, what);
		return -EINVAL;
	}
	ret = evn_parse_size(word, val);
	if (ret == -ERANGE) {
		snprintf(errbuf, errlen,
			 "invalid extent \"%s\"%s: %s \"%s\" is too large (at most 2^64 - 1 bytes)",
			 spec, where, what, word);
		return -EINVAL;
	}
	if (ret) {
		snprintf(errbuf, errlen,
			 "invalid extent \"%s\"%s: bad %s \"%s\" (a number of bytes, or with K, M, G, T, P, E)",
			 spec, where, what, word);
		return -EINVAL;
	}
	return 0;
}

/* evn_extent_parse(), with @where as extent_size() takes it. */
static int extent_parse(const char *spec, const char *where,
			struct evn_extent *ext, char *errbuf, size_t errlen)
{
	char namebuf[EVN_ERRLEN];
	char *copy, *offset, *length;
	int ret = -EINVAL;

	memset(ext, 0, sizeof(*ext));
	copy = strdup(spec);
	if (!copy) {
		snprintf(errbuf, errlen, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	offset = strchr(copy, ':');
	length = offset ? strchr(offset + 1, ':') : NULL;
	if (!length || strchr(length + 1, ':')) {
		snprintf(errbuf, errlen,
			 "invalid extent \"%s\"%s: not TARGET:OFFSET:LENGTH",
			 spec, where);
		goto out;
	}
	*offset++ = '\0';
	*length++ = '\0';
	if (!*copy) {
		snprintf(errbuf, errlen,
			 "invalid extent \"%s\"%s: empty target name", spec,
			 where);
		goto out;
	}
	if (evn_check_name(copy, "target", namebuf, sizeof(namebuf))) {
		snprintf(errbuf, errlen, "invalid extent \"%s\"%s: %s", spec,
			 where, namebuf);
		goto out;
	}
	if (extent_size(spec, where, "offset", offset, &ext->offset, errbuf,
			errlen) ||
	    extent_size(spec, where, "length", length, &ext->length, errbuf,
			errlen))
		goto out;
	if (!ext->length) {
		snprintf(errbuf, errlen,
			 "invalid extent \"%s\"%s: length \"%s\" is zero", spec,
			 where, length);
		goto out;
	}
	if (ext->offset > UINT64_MAX - ext->length) {
		snprintf(errbuf, errlen,
			 "invalid extent \"%s\"%s: offset + length exceeds 2^64 - 1 bytes",
			 spec, where);
		goto out;
	}
	snprintf(ext->target, sizeof(ext->target), "%s", copy);
	ret = 0;
out:
	free(copy);
	return ret;
}

/**
 * evn_extent_parse() - parse an extent specification
 * @spec: "TARGET:OFFSET:LENGTH", sizes as evn_parse_size() takes them,
 *	e.g. "t0:1G:512M"
 * @ext: filled in on success (@ext->have stays 0)
 * @errbuf: receives a one-line reason naming @spec and its bad part
 * @errlen: size of @errbuf (EVN_ERRLEN is enough)
 *
 * Target names cannot contain ':', so the split is unambiguous. The length
 * must not be 0 and offset + length must fit in 64 bits. Alignment to the
 * target's block size is the kernel's to check.
 *
 * Return: 0, or -EINVAL (-ENOMEM) with @errbuf set.
 */
int evn_extent_parse(const char *spec, struct evn_extent *ext,
		     char *errbuf, size_t errlen)
{
	return extent_parse(spec, "", ext, errbuf, errlen);
}

/* Index of @word in create_keywords[], or -1. */
static int create_keyword(const char *word)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(create_keywords); i++)
		if (!strcmp(word, create_keywords[i].keyword))
			return (int)i;
	return -1;
}

/**
 * evn_chunk_parse() - the SIZE of "chunk SIZE": a power of two from 4K to 16M
 * @word: the SIZE word
 * @chunk: set to the chunk in bytes
 * @errbuf: on error, why
 * @errlen: size of @errbuf
 *
 * Return: 0, or -EINVAL with a message in @errbuf.
 */
int evn_chunk_parse(const char *word, uint32_t *chunk, char *errbuf,
		    size_t errlen)
{
	uint64_t v;
	int ret;

	ret = evn_parse_size(word, &v);
	if (ret == -EINVAL) {
		snprintf(errbuf, errlen,
			 "invalid chunk \"%s\": not a size (a number of bytes, or with K, M, G, T, P, E)",
			 word);
		return -EINVAL;
	}
	if (ret || v < EVN_CHUNK_MIN || v > EVN_CHUNK_MAX || (v & (v - 1))) {
		snprintf(errbuf, errlen,
			 "invalid chunk \"%s\": not a power of two from 4K to 16M",
			 word);
		return -EINVAL;
	}
	*chunk = (uint32_t)v;
	return 0;
}

/*
 * "column TARGET:OFFSET:LENGTH[,...]": the next column, its extents
 * appended to @a->extents (room allocated by the caller).
 */
static int column_parse(const char *word, struct evn_volume_args *a,
			char *errbuf, size_t errlen)
{
	const uint32_t col = a->nr_columns;
	char where[32];
	char *copy, *p, *comma;
	int ret = 0;

	copy = strdup(word);
	if (!copy) {
		snprintf(errbuf, errlen, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	snprintf(where, sizeof(where), " in column %" PRIu32, col);
	for (p = copy; ; p = comma + 1) {
		comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		if (!*p) {
			snprintf(errbuf, errlen,
				 "invalid column %" PRIu32 " \"%s\": empty extent (extents are separated by single commas)",
				 col, word);
			ret = -EINVAL;
			break;
		}
		ret = extent_parse(p, where, &a->extents[a->nr_extents],
				   errbuf, errlen);
		if (ret)
			break;
		a->extents[a->nr_extents++].column = col;
		if (!comma)
			break;
	}
	free(copy);
	if (!ret)
		a->nr_columns++;
	return ret;
}

/**
 * evn_volume_create_args() - parse the command line of "evnadm volume create"
 * @argc: number of words after "create"
 * @argv: NAME, then keyword-value pairs in any order: "layout concat" (or
 *	none) and one or more "extent TARGET:OFFSET:LENGTH"; or
 *	"layout stripe", "chunk SIZE" and one or more
 *	"column TARGET:OFFSET:LENGTH[,TARGET:OFFSET:LENGTH...]"
 * @a: filled in on success; release with evn_volume_args_free()
 * @errbuf: receives a one-line reason naming the bad word on failure
 * @errlen: size of @errbuf (EVN_ERRLEN is enough)
 *
 * Each "column" starts the next column (0, 1, ...); its extents get that
 * column index and stay in the order given, as do the columns. The words
 * are checked in two passes: every keyword known and followed by a value,
 * with the layout and chunk taken; then the extents, against the layout.
 *
 * Return: 0, or -EINVAL (-ENOMEM) with @errbuf set and nothing to free.
 */
int evn_volume_create_args(int argc, char **argv, struct evn_volume_args *a,
			   char *errbuf, size_t errlen)
{
	const char *chunk = NULL;
	size_t room = 0;
	int i, k, ret = -EINVAL;

	memset(a, 0, sizeof(*a));
	if (argc < 1) {
		snprintf(errbuf, errlen, "missing NAME");
		return -EINVAL;
	}
	/*
	 * "create extent t0:0:1G": NAME forgotten. The other keywords are
	 * valid names as long as the words after them pair up ("create
	 * layout extent t0:0:1G"); "extent" never was one.
	 */
	k = create_keyword(argv[0]);
	if (k >= 0 && (argc % 2 == 0 || !strcmp(argv[0], "extent"))) {
		snprintf(errbuf, errlen, "missing NAME before \"%s\"", argv[0]);
		return -EINVAL;
	}
	if (evn_check_name(argv[0], "volume", errbuf, errlen))
		return -EINVAL;
	a->name = argv[0];

	for (i = 1; i < argc; i += 2) {
		const char *val;

		k = create_keyword(argv[i]);
		if (k < 0) {
			snprintf(errbuf, errlen, "unknown keyword \"%s\"",
				 argv[i]);
			goto err;
		}
		if (i + 1 >= argc) {
			snprintf(errbuf, errlen, "missing %s after \"%s\"",
				 create_keywords[k].value, argv[i]);
			goto err;
		}
		val = argv[i + 1];
		if (!strcmp(argv[i], "layout")) {
			if (a->layout_given) {
				snprintf(errbuf, errlen,
					 "\"layout\" given twice (\"%s\")",
					 val);
				goto err;
			}
			for (a->layout = 0;
			     a->layout < ARRAY_SIZE(evn_volume_layouts);
			     a->layout++)
				if (!strcmp(val, evn_volume_layouts[a->layout]))
					break;
			if (a->layout == ARRAY_SIZE(evn_volume_layouts)) {
				snprintf(errbuf, errlen,
					 "invalid layout \"%s\" (concat or stripe)",
					 val);
				goto err;
			}
			a->layout_given = true;
		} else if (!strcmp(argv[i], "chunk")) {
			if (chunk) {
				snprintf(errbuf, errlen,
					 "\"chunk\" given twice (\"%s\")", val);
				goto err;
			}
			chunk = val;
		} else if (!strcmp(argv[i], "extent")) {
			room++;
		} else {
			room += 1;
			for (; *val; val++)
				room += *val == ',';
		}
	}

	if (a->layout == EVN_VOLUME_LAYOUT_STRIPE) {
		if (!chunk) {
			snprintf(errbuf, errlen, "missing \"chunk SIZE\"");
			goto err;
		}
		if (evn_chunk_parse(chunk, &a->chunk, errbuf, errlen))
			goto err;
	} else if (chunk) {
		snprintf(errbuf, errlen,
			 "\"chunk %s\" is for \"layout stripe\" only", chunk);
		goto err;
	}

	a->extents = calloc(room + 1, sizeof(*a->extents));
	if (!a->extents) {
		snprintf(errbuf, errlen, "%s", strerror(ENOMEM));
		ret = -ENOMEM;
		goto err;
	}
	for (i = 1; i < argc; i += 2) {
		if (!strcmp(argv[i], "extent")) {
			if (a->layout == EVN_VOLUME_LAYOUT_STRIPE) {
				snprintf(errbuf, errlen,
					 "\"extent %s\" is not for \"layout stripe\" (give each column with \"column\")",
					 argv[i + 1]);
				ret = -EINVAL;
				goto err;
			}
			ret = extent_parse(argv[i + 1], "",
					   &a->extents[a->nr_extents],
					   errbuf, errlen);
			if (ret)
				goto err;
			a->nr_extents++;
		} else if (!strcmp(argv[i], "column")) {
			if (a->layout != EVN_VOLUME_LAYOUT_STRIPE) {
				snprintf(errbuf, errlen,
					 "\"column %s\" is for \"layout stripe\" only (give concat extents with \"extent\")",
					 argv[i + 1]);
				ret = -EINVAL;
				goto err;
			}
			ret = column_parse(argv[i + 1], a, errbuf, errlen);
			if (ret)
				goto err;
		}
	}
	if (a->layout == EVN_VOLUME_LAYOUT_STRIPE && !a->nr_columns) {
		snprintf(errbuf, errlen,
			 "missing \"column TARGET:OFFSET:LENGTH[,...]\"");
		ret = -EINVAL;
		goto err;
	}
	if (!a->nr_extents) {
		snprintf(errbuf, errlen,
			 "missing \"extent TARGET:OFFSET:LENGTH\"");
		ret = -EINVAL;
		goto err;
	}
	return 0;
err:
	evn_volume_args_free(a);
	return ret;
}

/* "extent" and "column", the keywords of "volume grow" after NAME. */
static bool grow_keyword(const char *word)
{
	return !strcmp(word, "extent") || !strcmp(word, "column");
}

/**
 * evn_volume_grow_args() - parse the command line of "evnadm volume grow"
 * @argc: number of words after "grow"
 * @argv: NAME, then either one or more "extent TARGET:OFFSET:LENGTH" (a
 *	concat volume) or one or more
 *	"column TARGET:OFFSET:LENGTH[,TARGET:OFFSET:LENGTH...]" (a stripe,
 *	one per column in column order), not both
 * @a: the extents to add, on success; @a->layout says which form was used
 *	(concat for "extent", stripe for "column"), @a->layout_given stays
 *	false and @a->chunk 0; release with evn_volume_args_free()
 * @errbuf: receives a one-line reason naming the bad word on failure
 * @errlen: size of @errbuf (EVN_ERRLEN is enough)
 *
 * The words are checked as "volume create" checks them, with the same
 * messages; whether they fit the volume (its layout and columns) is for
 * evn_volume_grow_map() to say.
 *
 * Return: 0, or -EINVAL (-ENOMEM) with @errbuf set and nothing to free.
 */
int evn_volume_grow_args(int argc, char **argv, struct evn_volume_args *a,
			 char *errbuf, size_t errlen)
{
	const char *first = NULL;
	size_t room = 0;
	int i, ret = -EINVAL;

	memset(a, 0, sizeof(*a));
	if (argc < 1) {
		snprintf(errbuf, errlen, "missing NAME");
		return -EINVAL;
	}
	/* as for create: "column" is a name when the words after it pair up */
	if (grow_keyword(argv[0]) &&
	    (argc % 2 == 0 || !strcmp(argv[0], "extent"))) {
		snprintf(errbuf, errlen, "missing NAME before \"%s\"", argv[0]);
		return -EINVAL;
	}
	if (evn_check_name(argv[0], "volume", errbuf, errlen))
		return -EINVAL;
	a->name = argv[0];
	if (argc < 2) {
		snprintf(errbuf, errlen,
			 "missing \"extent TARGET:OFFSET:LENGTH\" or \"column TARGET:OFFSET:LENGTH[,...]\"");
		return -EINVAL;
	}

	/* every keyword known, followed by a value, all of one kind */
	for (i = 1; i < argc; i += 2) {
		const char *val;

		if (!grow_keyword(argv[i])) {
			snprintf(errbuf, errlen, "unknown keyword \"%s\"",
				 argv[i]);
			return -EINVAL;
		}
		if (i + 1 >= argc) {
			snprintf(errbuf, errlen, "missing %s after \"%s\"",
				 create_keywords[create_keyword(argv[i])].value,
				 argv[i]);
			return -EINVAL;
		}
		if (!first) {
			first = argv[i];
		} else if (strcmp(argv[i], first)) {
			snprintf(errbuf, errlen,
				 "\"%s %s\" after \"%s\": grow a concat volume with \"extent\", a stripe with one \"column\" per column, not both",
				 argv[i], argv[i + 1], first);
			return -EINVAL;
		}
		room++;
		for (val = argv[i + 1]; *val; val++)
			room += *val == ',';
	}
	a->layout = !strcmp(first, "column") ? EVN_VOLUME_LAYOUT_STRIPE :
					       EVN_VOLUME_LAYOUT_CONCAT;

	a->extents = calloc(room, sizeof(*a->extents));
	if (!a->extents) {
		snprintf(errbuf, errlen, "%s", strerror(ENOMEM));
		ret = -ENOMEM;
		goto err;
	}
	for (i = 1; i < argc; i += 2) {
		if (a->layout == EVN_VOLUME_LAYOUT_STRIPE) {
			ret = column_parse(argv[i + 1], a, errbuf, errlen);
		} else {
			ret = extent_parse(argv[i + 1], "",
					   &a->extents[a->nr_extents],
					   errbuf, errlen);
			if (!ret)
				a->nr_extents++;
		}
		if (ret)
			goto err;
	}
	return 0;
err:
	evn_volume_args_free(a);
	return ret;
}

/**
 * evn_volume_args_free() - release what evn_volume_create_args(),
 *	evn_volume_grow_args() or evn_volume_grow_map() allocated
 * @a: the arguments; left empty
 */
void evn_volume_args_free(struct evn_volume_args *a)
{
	free(a->extents);
	memset(a, 0, sizeof(*a));
}

/**
 * evn_volume_new_size() - room a volume-new or volume-set request needs
 * @a: the map
 *
 * Return: bytes for evn_nl_msg_size(), headers included, with some slack.
 */
size_t evn_volume_new_size(const struct evn_volume_args *a)
{
	/* each attribute: header plus padded payload */
	const size_t name = NLA_HDRLEN + NLA_ALIGN(EVN_NAME_MAX + 1);
	const size_t u64 = NLA_HDRLEN + 8;
	const size_t u32 = NLA_HDRLEN + 4;

	return NLMSG_HDRLEN + GENL_HDRLEN + name + 2 * u32 +
	       a->nr_extents * (NLA_HDRLEN + name + 2 * u64 + u32) + 256;
}

/**
 * evn_volume_new_put() - the attributes of a volume-new or volume-set
 *	request: a volume's name and map
 * @msg: a message from evn_nl_msg_size() with evn_volume_new_size() room
 * @a: checked arguments from evn_volume_create_args(), a grown map from
 *	evn_volume_grow_map(), or the map of a pool volume from
 *	evn_pool_volume_map()
 *
 * NAME; LAYOUT when @a->layout_given; CHUNK for a stripe; READ_ONLY when
 * @a->read_only; then one EVN_A_VOLUME_EXTENT nest per extent, in order,
 * each with TARGET, TARGET_OFFSET and LENGTH, and for a stripe its
 * COLUMN. A plain concat volume-new thus carries nothing a module without
 * EVN_F_LAYOUTS would refuse. The kernel's strict validation wants
 * NLA_F_NESTED on nests; libnl 3.5 and later set it in nla_nest_start(),
 * older ones do not, so it is set here too.
 *
 * Return: 0, or a negative libnl error when @msg is full.
 */
int evn_volume_new_put(struct nl_msg *msg, const struct evn_volume_args *a)
{
	const bool stripe = a->layout == EVN_VOLUME_LAYOUT_STRIPE;
	size_t i;
	int ret;

	ret = nla_put_string(msg, EVN_A_VOLUME_NAME, a->name);
	if (!ret && a->layout_given)
		ret = nla_put_u32(msg, EVN_A_VOLUME_LAYOUT, a->layout);
	if (!ret && stripe)
		ret = nla_put_u32(msg, EVN_A_VOLUME_CHUNK, a->chunk);
	if (!ret && a->read_only)
		ret = nla_put_u8(msg, EVN_A_VOLUME_READ_ONLY, 1);
	for (i = 0; !ret && i < a->nr_extents; i++) {
		const struct evn_extent *e = &a->extents[i];
		struct nlattr *nest;

		nest = nla_nest_start(msg, EVN_A_VOLUME_EXTENT | NLA_F_NESTED);
		if (!nest)
			return -NLE_NOMEM;
		ret = nla_put_string(msg, EVN_A_EXTENT_TARGET, e->target);
		if (!ret)
			ret = nla_put_u64(msg, EVN_A_EXTENT_TARGET_OFFSET,
					  e->offset);
		if (!ret)
			ret = nla_put_u64(msg, EVN_A_EXTENT_LENGTH, e->length);
		if (!ret && stripe)
			ret = nla_put_u32(msg, EVN_A_EXTENT_COLUMN, e->column);
		if (!ret)
			ret = nla_nest_end(msg, nest);
	}
	return ret;
}

/**
 * evn_extent_merge() - lengthen an extent by the one that continues it
 * @last: the last extent of a column so far
 * @next: the extent to add after it
 *
 * @next continues @last when it is on the same target and starts where
 * @last ends; @last then takes @next's bytes, and the map one extent
 * fewer. The sum always fits when @next passed evn_extent_parse() (its
 * offset + length does); it is checked anyway. The kernel accepts a last
 * extent that grew, not a changed one before it: callers only pass the
 * last.
 *
 * Return: true when @last was lengthened, false when @next must be added.
 */
bool evn_extent_merge(struct evn_extent *last, const struct evn_extent *next)
{
	if (strcmp(last->target, next->target) ||
	    last->offset > UINT64_MAX - last->length ||
	    next->offset != last->offset + last->length ||
	    next->length > UINT64_MAX - last->length)
		return false;
	last->length += next->length;
	return true;
}

/*
 * Order @n extents by column, keeping their order within a column:
 * @order[@first[c]] to @order[@first[c + 1] - 1] index column c's. Each
 * column is below @columns. 0 or -ENOMEM; free both arrays.
 */
static int by_column(const struct evn_extent *ext, size_t n,
		     uint32_t columns, size_t **firstp, size_t **orderp)
{
	size_t *first, *order, *next;
	uint32_t c;
	size_t i;

	first = calloc((size_t)columns + 1, sizeof(*first));
	order = calloc(n + 1, sizeof(*order));
	next = calloc(columns, sizeof(*next));
	if (!first || !order || !next) {
		free(first);
		free(order);
		free(next);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		first[ext[i].column + 1]++;
	for (c = 0; c < columns; c++)
		first[c + 1] += first[c];
	memcpy(next, first, columns * sizeof(*next));
	for (i = 0; i < n; i++)
		order[next[ext[i].column]++] = i;
	free(next);
	*firstp = first;
	*orderp = order;
	return 0;
}

/*
 * Two sizes as evn_format_size() writes them, with their byte counts when
 * that alone would show different sizes alike ("1.5G" and "1.5G").
 */
static void format_two_sizes(uint64_t a, uint64_t b, char *abuf, char *bbuf,
			     size_t len)
{
	evn_format_size(a, abuf, len);
	evn_format_size(b, bbuf, len);
	if (a != b && !strcmp(abuf, bbuf)) {
		evn_format_size_bytes(a, abuf, len);
		evn_format_size_bytes(b, bbuf, len);
	}
}

/* The volume-get reply is one evn_volume_grow_map() can extend. */
static int grow_check_volume(const struct evn_volume *cur,
			     const struct evn_volume_args *add,
			     uint32_t columns, char *errbuf, size_t errlen)
{
	char layout[EVN_LAYOUT_STRLEN];
	size_t i;

	if (cur->layout != EVN_VOLUME_LAYOUT_CONCAT &&
	    cur->layout != EVN_VOLUME_LAYOUT_STRIPE) {
		layout_name_format(cur->layout, layout, sizeof(layout));
		snprintf(errbuf, errlen,
			 "volume \"%s\" has layout %s, which this evnadm cannot grow",
			 add->name, layout);
		return -EOPNOTSUPP;
	}
	if (!cur->nr_extents) {
		snprintf(errbuf, errlen,
			 "evn module described volume \"%s\" without its extents",
			 add->name);
		return -EPROTO;
	}
	if (cur->layout == EVN_VOLUME_LAYOUT_STRIPE &&
	    !(cur->have & EVN_HAVE(EVN_A_VOLUME_CHUNK))) {
		snprintf(errbuf, errlen,
			 "evn module described stripe volume \"%s\" without its chunk size",
			 add->name);
		return -EPROTO;
	}
	/* every column has an extent: this bounds what is allocated */
	if (!columns || columns > cur->nr_extents) {
		snprintf(errbuf, errlen,
			 "evn module described volume \"%s\" with %" PRIu32 " columns and %zu extents",
			 add->name, columns, cur->nr_extents);
		return -EPROTO;
	}
	for (i = 0; i < cur->nr_extents; i++) {
		if (cur->extents[i].column >= columns) {
			snprintf(errbuf, errlen,
				 "evn module described volume \"%s\" with an extent in column %" PRIu32 " of %" PRIu32,
				 add->name, cur->extents[i].column, columns);
			return -EPROTO;
		}
	}
	return 0;
}

/* The additions fit the layout and columns of the volume. */
static int grow_check_args(const struct evn_volume *cur,
			   const struct evn_volume_args *add,
			   uint32_t columns, char *errbuf, size_t errlen)
{
	if (cur->layout == EVN_VOLUME_LAYOUT_STRIPE) {
		if (add->layout != EVN_VOLUME_LAYOUT_STRIPE) {
			snprintf(errbuf, errlen,
				 "\"extent\" is for concat volumes; volume \"%s\" is a stripe of %" PRIu32 " column%s: give one \"column\" per column (%" PRIu32 " in all)",
				 add->name, columns, columns == 1 ? "" : "s",
				 columns);
			return -EINVAL;
		}
		if (add->nr_columns != columns) {
			snprintf(errbuf, errlen,
				 "volume \"%s\" has %" PRIu32 " column%s but %" PRIu32 " \"column\" word%s given: give one per column, in column order",
				 add->name, columns, columns == 1 ? "" : "s",
				 add->nr_columns,
				 add->nr_columns == 1 ? " was" : "s were");
			return -EINVAL;
		}
		return 0;
	}
	if (add->layout != EVN_VOLUME_LAYOUT_CONCAT) {
		snprintf(errbuf, errlen,
			 "\"column\" is for stripe volumes; volume \"%s\" is a concat: give its new extents with \"extent\"",
			 add->name);
		return -EINVAL;
	}
	return 0;
}

/* Every column grows by the same number of bytes. */
static int grow_check_sizes(const struct evn_volume_args *add,
			    uint32_t columns, char *errbuf, size_t errlen)
{
	char size[EVN_SIZE_STRLEN], size0[EVN_SIZE_STRLEN];
	uint64_t *grow;
	uint32_t c;
	size_t i;
	int ret = 0;

	grow = calloc(columns, sizeof(*grow));
	if (!grow) {
		snprintf(errbuf, errlen, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	for (i = 0; i < add->nr_extents; i++) {
		const struct evn_extent *e = &add->extents[i];

		if (e->length > UINT64_MAX - grow[e->column]) {
			if (columns == 1)
				snprintf(errbuf, errlen,
					 "the new extents add up to 2^64 bytes or more");
			else
				snprintf(errbuf, errlen,
					 "column %" PRIu32 " grows by 2^64 bytes or more",
					 e->column);
			ret = -EINVAL;
			goto out;
		}
		grow[e->column] += e->length;
	}
	for (c = 1; c < columns; c++) {
		if (grow[c] == grow[0])
			continue;
		format_two_sizes(grow[c], grow[0], size, size0, sizeof(size));
		snprintf(errbuf, errlen,
			 "column %" PRIu32 " grows by %s, column 0 by %s: every column must grow by the same size",
			 c, size, size0);
		ret = -EINVAL;
		break;
	}
out:
	free(grow);
	return ret;
}

/**
 * evn_volume_grow_map() - the whole map of a grown volume
 * @cur: the volume as volume-get describes it
 * @add: the extents to add, from evn_volume_grow_args()
 * @map: on success, the map to send with volume-set; release with
 *	evn_volume_args_free()
 * @errbuf: receives a one-line reason on failure
 * @errlen: size of @errbuf (EVN_ERRLEN is enough)
 *
 * The kernel takes the whole new map, which must keep the current one as
 * its prefix: the same layout, chunk and columns; in each column the
 * current extents in order, then the new ones. @map is built column by
 * column that way: column c's current extents, then @add's extents of
 * column c (all of them for a concat). An added extent that continues the
 * last extent of its column on the same target lengthens that extent
 * instead (evn_extent_merge()), so repeated growing keeps maps short.
 * @map->name is @add->name; LAYOUT, and CHUNK for a stripe, are the
 * volume's and are sent.
 *
 * @add must fit the volume: "extent" words for a concat, one "column" word
 * per column for a stripe, and every column growing by the same number of
 * bytes (the kernel checks this too; evnadm says which column differs).
 *
 * Return: 0; -EINVAL when @add does not fit the volume; -EOPNOTSUPP for a
 * layout this evnadm does not know; -EPROTO when @cur is not a map the
 * kernel could have sent; -ENOMEM. @errbuf is set on failure, @map empty.
 */
int evn_volume_grow_map(const struct evn_volume *cur,
			const struct evn_volume_args *add,
			struct evn_volume_args *map, char *errbuf,
			size_t errlen)
{
	const bool stripe = cur->layout == EVN_VOLUME_LAYOUT_STRIPE;
	const uint32_t columns = stripe ? cur->columns : 1;
	size_t *cur_first = NULL, *cur_order = NULL;
	size_t *add_first = NULL, *add_order = NULL;
	uint32_t c;
	size_t i;
	int ret;

	memset(map, 0, sizeof(*map));
	ret = grow_check_volume(cur, add, columns, errbuf, errlen);
	if (!ret)
		ret = grow_check_args(cur, add, columns, errbuf, errlen);
	if (!ret)
		ret = grow_check_sizes(add, columns, errbuf, errlen);
	if (ret)
		return ret;

	map->extents = calloc(cur->nr_extents + add->nr_extents,
			      sizeof(*map->extents));
	if (!map->extents ||
	    by_column(cur->extents, cur->nr_extents, columns, &cur_first,
		      &cur_order) ||
	    by_column(add->extents, add->nr_extents, columns, &add_first,
		      &add_order)) {
		snprintf(errbuf, errlen, "%s", strerror(ENOMEM));
		ret = -ENOMEM;
		goto out;
	}
	for (c = 0; c < columns; c++) {
		struct evn_extent *last = NULL;

		for (i = cur_first[c]; i < cur_first[c + 1]; i++) {
			last = &map->extents[map->nr_extents++];
			*last = cur->extents[cur_order[i]];
			last->have = 0;
			last->copy = 0;
			last->column = c;
		}
		for (i = add_first[c]; i < add_first[c + 1]; i++) {
			const struct evn_extent *e = &add->extents[add_order[i]];

			if (last && evn_extent_merge(last, e))
				continue;
			last = &map->extents[map->nr_extents++];
			*last = *e;
			last->have = 0;
			last->copy = 0;
			last->column = c;
		}
	}
	map->name = add->name;
	map->layout_given = true;
	map->layout = cur->layout;
	if (stripe) {
		map->chunk = cur->chunk;
		map->nr_columns = columns;
	}
out:
	free(cur_first);
	free(cur_order);
	free(add_first);
	free(add_order);
	if (ret)
		evn_volume_args_free(map);
	return ret;
}

/**
 * evn_volume_grow_format() - what "evnadm volume grow" prints
 * @before: the volume before (volume-get)
 * @after: the volume after (the volume-set reply)
 * @buf: output buffer (EVN_GROW_STRLEN is enough)
 * @len: size of @buf
 *
 * "/dev/evn0: 1G -> 3G", sizes as the table prints them, with their byte
 * counts when that alone would not show the difference; "/dev/evn0: 1G,
 * unchanged" when the kernel kept the size (it takes the volume's own map
 * as a no-op); "-" for what the kernel did not send.
 *
 * Return: the length of the text, like snprintf().
 */
size_t evn_volume_grow_format(const struct evn_volume *before,
			      const struct evn_volume *after, char *buf,
			      size_t len)
{
	char path[EVN_DEVPATH_MAX];
	char old[EVN_SIZE_STRLEN] = "-", new[EVN_SIZE_STRLEN] = "-";
	const bool have_old = before->have & EVN_HAVE(EVN_A_VOLUME_SIZE);
	const bool have_new = after->have & EVN_HAVE(EVN_A_VOLUME_SIZE);
	int n;

	if (evn_volume_device_path(after, path, sizeof(path)))
		evn_volume_device_path(before, path, sizeof(path));
	if (have_old && have_new)
		format_two_sizes(before->size, after->size, old, new,
				 sizeof(old));
	else if (have_old)
		evn_format_size(before->size, old, sizeof(old));
	else if (have_new)
		evn_format_size(after->size, new, sizeof(new));
	if (have_old && have_new && before->size == after->size)
		n = snprintf(buf, len, "%s: %s, unchanged", path, new);
	else
		n = snprintf(buf, len, "%s: %s -> %s", path, old, new);
	return n < 0 ? 0 : (size_t)n;
}

/* One EVN_A_VOLUME_EXTENT nest of a reply. */
static int extent_decode(struct nlattr *nest, struct evn_extent *e)
{
	struct nlattr *tb[EVN_A_EXTENT_MAX + 1];
	int i;

	memset(e, 0, sizeof(*e));
	if (nla_parse_nested(tb, EVN_A_EXTENT_MAX, nest, evn_extent_policy))
		return -EPROTO;
	for (i = 1; i <= EVN_A_EXTENT_MAX; i++)
		if (tb[i] && i != EVN_A_EXTENT_PAD)
			e->have |= EVN_HAVE(i);
	if (tb[EVN_A_EXTENT_TARGET])
		snprintf(e->target, sizeof(e->target), "%s",
			 nla_get_string(tb[EVN_A_EXTENT_TARGET]));
	if (tb[EVN_A_EXTENT_TARGET_OFFSET])
		e->offset = nla_get_u64(tb[EVN_A_EXTENT_TARGET_OFFSET]);
	if (tb[EVN_A_EXTENT_LENGTH])
		e->length = nla_get_u64(tb[EVN_A_EXTENT_LENGTH]);
	if (tb[EVN_A_EXTENT_COPY])
		e->copy = nla_get_u32(tb[EVN_A_EXTENT_COPY]);
	if (tb[EVN_A_EXTENT_COLUMN])
		e->column = nla_get_u32(tb[EVN_A_EXTENT_COLUMN]);
	return 0;
}

/**
 * evn_volume_parse() - decode a message describing one volume
 * @nlh: a volume-get or volume-new reply
 * @arg: struct evn_volume, zeroed or from an earlier parse; overwritten
 *	(its old extents are freed); release with evn_volume_free()
 *
 * An evn_nl_parse_fn. Every EVN_A_VOLUME_EXTENT nest is kept, in message
 * order. Unknown attributes and padding are ignored. A reply of a module
 * without EVN_F_LAYOUTS has no LAYOUT, CHUNK, COLUMNS or extent COLUMN:
 * it describes a concat volume of one column, and @arg says so.
 *
 * Return: 0, -EPROTO when the message is malformed, or -ENOMEM.
 */
int evn_volume_parse(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[EVN_A_VOLUME_MAX + 1];
	struct evn_volume *v = arg;
	struct genlmsghdr *gnlh;
	struct nlattr *pos;
	size_t n = 0;
	int i, rem;

	evn_volume_free(v);
	if (genlmsg_parse(nlh, 0, tb, EVN_A_VOLUME_MAX, evn_volume_policy) < 0)
		return -EPROTO;
	for (i = 1; i <= EVN_A_VOLUME_MAX; i++)
		if (tb[i] && i != EVN_A_VOLUME_PAD)
			v->have |= EVN_HAVE(i);
	if (tb[EVN_A_VOLUME_ID])
		v->id = nla_get_u32(tb[EVN_A_VOLUME_ID]);
	if (tb[EVN_A_VOLUME_NAME])
		snprintf(v->name, sizeof(v->name), "%s",
			 nla_get_string(tb[EVN_A_VOLUME_NAME]));
	if (tb[EVN_A_VOLUME_DEVICE])
		snprintf(v->device, sizeof(v->device), "%s",
			 nla_get_string(tb[EVN_A_VOLUME_DEVICE]));
	if (tb[EVN_A_VOLUME_SIZE])
		v->size = nla_get_u64(tb[EVN_A_VOLUME_SIZE]);
	if (tb[EVN_A_VOLUME_STATE])
		v->state = nla_get_u32(tb[EVN_A_VOLUME_STATE]);
	if (tb[EVN_A_VOLUME_LAYOUT])
		v->layout = nla_get_u32(tb[EVN_A_VOLUME_LAYOUT]);
	if (tb[EVN_A_VOLUME_CHUNK])
		v->chunk = nla_get_u32(tb[EVN_A_VOLUME_CHUNK]);
	if (tb[EVN_A_VOLUME_READ_ONLY])
		v->read_only = nla_get_u8(tb[EVN_A_VOLUME_READ_ONLY]);
	if (tb[EVN_A_VOLUME_MEMORY])
		v->memory = nla_get_u64(tb[EVN_A_VOLUME_MEMORY]);
	v->columns = 1;
	if (tb[EVN_A_VOLUME_COLUMNS])
		v->columns = nla_get_u32(tb[EVN_A_VOLUME_COLUMNS]);
	if (!tb[EVN_A_VOLUME_EXTENT])
		return 0;

	/* genlmsg_parse() keeps the last nest only; walk them all */
	gnlh = nlmsg_data(nlh);
	nla_for_each_attr(pos, genlmsg_attrdata(gnlh, 0),
			  genlmsg_attrlen(gnlh, 0), rem)
		if (nla_type(pos) == EVN_A_VOLUME_EXTENT)
			n++;
	v->extents = calloc(n, sizeof(*v->extents));
	if (!v->extents)
		return -ENOMEM;
	nla_for_each_attr(pos, genlmsg_attrdata(gnlh, 0),
			  genlmsg_attrlen(gnlh, 0), rem) {
		if (nla_type(pos) != EVN_A_VOLUME_EXTENT)
			continue;
		if (extent_decode(pos, &v->extents[v->nr_extents])) {
			evn_volume_free(v);
			return -EPROTO;
		}
		v->nr_extents++;
	}
	/* no COLUMNS from a module with layouts: count them */
	if (!tb[EVN_A_VOLUME_COLUMNS] &&
	    v->layout != EVN_VOLUME_LAYOUT_CONCAT) {
		for (n = 0; n < v->nr_extents; n++)
			if (v->extents[n].column >= v->columns &&
			    v->extents[n].column < UINT32_MAX)
				v->columns = v->extents[n].column + 1;
	}
	return 0;
}

/**
 * evn_volume_free() - free the extents of a volume and zero it
 * @v: the volume
 */
void evn_volume_free(struct evn_volume *v)
{
	free(v->extents);
	memset(v, 0, sizeof(*v));
}

/**
 * evn_volume_list_parse() - decode one message of a volume-get dump
 * @nlh: the message
 * @arg: struct evn_volume_list to append the volume to
 *
 * An evn_nl_parse_fn.
 *
 * Return: 0, -EPROTO when the message is malformed, or -ENOMEM.
 */
int evn_volume_list_parse(struct nlmsghdr *nlh, void *arg)
{
	struct evn_volume_list *l = arg;
	int ret;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 8;
		struct evn_volume *v = reallocarray(l->v, cap, sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	memset(&l->v[l->n], 0, sizeof(l->v[l->n]));
	ret = evn_volume_parse(nlh, &l->v[l->n]);
	if (ret)
		return ret;
	l->n++;
	return 0;
}

/**
 * evn_volume_list_free() - free the volumes of a list, leave it empty
 * @l: the list
 */
void evn_volume_list_free(struct evn_volume_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		evn_volume_free(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/**
 * evn_volume_state_name() - name of a volume state
 * @state: enum evn_volume_state
 *
 * Return: "live", "waiting" or "failed", or NULL for a state this evnadm
 * does not know.
 */
const char *evn_volume_state_name(uint32_t state)
{
	if (state >= ARRAY_SIZE(evn_volume_states))
		return NULL;
	return evn_volume_states[state];
}

/**
 * evn_volume_state_format() - a volume state as evnadm prints it
 * @state: enum evn_volume_state
 * @buf: output buffer (EVN_STATE_STRLEN is enough)
 * @len: size of @buf
 *
 * The name, or "unknown(N)" for a state of a newer module.
 *
 * Return: the length of the text, like snprintf().
 */
size_t evn_volume_state_format(uint32_t state, char *buf, size_t len)
{
	const char *name = evn_volume_state_name(state);
	int n;

	if (name)
		n = snprintf(buf, len, "%s", name);
	else
		n = snprintf(buf, len, "unknown(%" PRIu32 ")", state);
	return n < 0 ? 0 : (size_t)n;
}

/**
 * evn_volume_layout_name() - name of a volume layout
 * @layout: enum evn_volume_layout
 *
 * Return: "concat" or "stripe", or NULL for a layout this evnadm does not
 * know.
 */
const char *evn_volume_layout_name(uint32_t layout)
{
	if (layout >= ARRAY_SIZE(evn_volume_layouts))
		return NULL;
	return evn_volume_layouts[layout];
}

/* The layout's name, or "unknown(N)" for one of a newer module. */
static void layout_name_format(uint32_t layout, char *buf, size_t len)
{
	const char *name = evn_volume_layout_name(layout);

	if (name)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "unknown(%" PRIu32 ")", layout);
}

/*
 * Whether @v says what its layout is: a module with layouts sends it; the
 * full description of a module without them (its extents) is a concat.
 * A volume-new reply has neither.
 */
static bool layout_known(const struct evn_volume *v)
{
	return v->have & (EVN_HAVE(EVN_A_VOLUME_LAYOUT) |
			  EVN_HAVE(EVN_A_VOLUME_EXTENT));
}

/**
 * evn_volume_layout_format() - the layout of a volume in one word, as the
 *	table prints it
 * @v: the volume
 * @buf: output buffer (EVN_LAYOUT_STRLEN is enough)
 * @len: size of @buf
 *
 * "concat"; "stripe 3x128K" for 3 columns of 128 KiB chunks ("-" for a
 * chunk the kernel did not send); "unknown(N)" for a layout of a newer
 * module; "-" when @v does not say (a volume-new reply).
 *
 * Return: the length of the text, like snprintf().
 */
size_t evn_volume_layout_format(const struct evn_volume *v, char *buf,
				size_t len)
{
	char chunk[EVN_SIZE_STRLEN];
	int n;

	if (!layout_known(v)) {
		n = snprintf(buf, len, "-");
	} else if (v->layout == EVN_VOLUME_LAYOUT_STRIPE) {
		if (v->have & EVN_HAVE(EVN_A_VOLUME_CHUNK))
			evn_format_size(v->chunk, chunk, sizeof(chunk));
		else
			snprintf(chunk, sizeof(chunk), "-");
		n = snprintf(buf, len, "%s %" PRIu32 "x%s",
			     evn_volume_layout_name(v->layout), v->columns,
			     chunk);
	} else {
		layout_name_format(v->layout, buf, len);
		n = (int)strlen(buf);
	}
	return n < 0 ? 0 : (size_t)n;
}

/**
 * evn_volume_device_path() - the block device of a volume
 * @v: the volume
 * @buf: output buffer (EVN_DEVPATH_MAX is enough)
 * @len: size of @buf
 *
 * "/dev/" and the device name the kernel sent; without one, /dev/evnN
 * from the id (the UAPI defines N as the id).
 *
 * Return: 0, or -ENOENT when the volume has neither, with "-" in @buf.
 */
int evn_volume_device_path(const struct evn_volume *v, char *buf, size_t len)
{
	if ((v->have & EVN_HAVE(EVN_A_VOLUME_DEVICE)) && v->device[0]) {
		snprintf(buf, len, "/dev/%s", v->device);
		return 0;
	}
	if (v->have & EVN_HAVE(EVN_A_VOLUME_ID)) {
		snprintf(buf, len, "/dev/evn%" PRIu32, v->id);
		return 0;
	}
	snprintf(buf, len, "-");
	return -ENOENT;
}

static struct json_object *extent_json(const struct evn_extent *e)
{
	struct json_object *obj = json_object_new_object();

	if (!obj)
		return NULL;
	if (((e->have & EVN_HAVE(EVN_A_EXTENT_TARGET)) &&
	     evn_json_add(obj, "target", json_object_new_string(e->target))) ||
	    ((e->have & EVN_HAVE(EVN_A_EXTENT_TARGET_OFFSET)) &&
	     evn_json_add(obj, "offset", json_object_new_uint64(e->offset))) ||
	    ((e->have & EVN_HAVE(EVN_A_EXTENT_LENGTH)) &&
	     evn_json_add(obj, "length", json_object_new_uint64(e->length))) ||
	    ((e->have & EVN_HAVE(EVN_A_EXTENT_COPY)) &&
	     evn_json_add(obj, "copy", json_object_new_int64(e->copy))) ||
	    evn_json_add(obj, "column", json_object_new_int64(e->column))) {
		json_object_put(obj);
		return NULL;
	}
	return obj;
}

static int volume_json_fill(struct json_object *obj,
			    const struct evn_volume *v)
{
	char buf[EVN_DEVPATH_MAX];
	struct json_object *arr;
	size_t i;

#define HAVE(a)	(v->have & EVN_HAVE(a))
	if (HAVE(EVN_A_VOLUME_NAME) &&
	    evn_json_add(obj, "name", json_object_new_string(v->name)))
		return -ENOMEM;
	if (HAVE(EVN_A_VOLUME_ID) &&
	    evn_json_add(obj, "id", json_object_new_int64(v->id)))
		return -ENOMEM;
	if (!evn_volume_device_path(v, buf, sizeof(buf)) &&
	    evn_json_add(obj, "device", json_object_new_string(buf)))
		return -ENOMEM;
	if (HAVE(EVN_A_VOLUME_SIZE) &&
	    evn_json_add(obj, "size", json_object_new_uint64(v->size)))
		return -ENOMEM;
	if (HAVE(EVN_A_VOLUME_STATE)) {
		evn_volume_state_format(v->state, buf, sizeof(buf));
		if (evn_json_add(obj, "state", json_object_new_string(buf)))
			return -ENOMEM;
	}
	if (layout_known(v)) {
		layout_name_format(v->layout, buf, sizeof(buf));
		if (evn_json_add(obj, "layout", json_object_new_string(buf)))
			return -ENOMEM;
		if (v->layout == EVN_VOLUME_LAYOUT_STRIPE &&
		    HAVE(EVN_A_VOLUME_CHUNK) &&
		    evn_json_add(obj, "chunk", json_object_new_int64(v->chunk)))
			return -ENOMEM;
		if (evn_json_add(obj, "columns",
				 json_object_new_int64(v->columns)))
			return -ENOMEM;
	}
	if (HAVE(EVN_A_VOLUME_MEMORY) &&
	    evn_json_add(obj, "memory", json_object_new_uint64(v->memory)))
		return -ENOMEM;
	if (!HAVE(EVN_A_VOLUME_EXTENT))
		return 0;
#undef HAVE
	arr = json_object_new_array();
	if (evn_json_add(obj, "extents", arr))
		return -ENOMEM;
	for (i = 0; i < v->nr_extents; i++) {
		struct json_object *e = extent_json(&v->extents[i]);

		if (!e || json_object_array_add(arr, e)) {
			json_object_put(e);
			return -ENOMEM;
		}
	}
	return 0;
}

/**
 * evn_volume_json() - a volume as evnadm prints it with -j
 * @v: the volume
 *
 * One member per attribute the kernel sent; the device as a path; the
 * layout and columns (concat and 1 from a module without layouts), the
 * chunk of a stripe; the extents, when the kernel sent them, as an array,
 * each with its column:
 * {"name":"v0","id":0,"device":"/dev/evn0","size":1073741824,
 *  "state":"live","layout":"concat","columns":1,"extents":[{"target":"t0",
 *  "offset":0,"length":1073741824,"column":0}]}
 *
 * Return: a new json-c object (caller puts it), or NULL on ENOMEM.
 */
struct json_object *evn_volume_json(const struct evn_volume *v)
{
	struct json_object *obj = json_object_new_object();

	if (obj && volume_json_fill(obj, v)) {
		json_object_put(obj);
		return NULL;
	}
	return obj;
}

/**
 * evn_volume_list_json() - the volumes of a dump as a JSON array
 * @l: the volumes
 *
 * Return: a new json-c array of evn_volume_json() objects (caller puts
 * it), or NULL on ENOMEM.
 */
struct json_object *evn_volume_list_json(const struct evn_volume_list *l)
{
	struct json_object *arr = json_object_new_array();
	size_t i;

	if (!arr)
		return NULL;
	for (i = 0; i < l->n; i++) {
		struct json_object *obj = evn_volume_json(&l->v[i]);

		if (!obj || json_object_array_add(arr, obj)) {
			json_object_put(obj);
			json_object_put(arr);
			return NULL;
		}
	}
	return arr;
}

/**
 * evn_volume_print() - a volume in detail, one "label: value" line per
 *	attribute the kernel sent, then one line per extent:
 *	"extent 0:        t0 offset 1G (1073741824) length 512M (536870912)",
 *	for a stripe with its column:
 *	"extent 0:        column 1 t0 offset 0 length 1G (1073741824)"
 * @f: stream
 * @v: the volume
 */
void evn_volume_print(FILE *f, const struct evn_volume *v)
{
	char buf[EVN_DEVPATH_MAX + EVN_SIZE_STRLEN];
	char off[EVN_SIZE_STRLEN], len[EVN_SIZE_STRLEN];
	char label[32], column[32];
	size_t i;

#define HAVE(a)	(v->have & EVN_HAVE(a))
	if (HAVE(EVN_A_VOLUME_NAME))
		evn_pr_field(f, "name:", "%s", v->name);
	if (HAVE(EVN_A_VOLUME_ID))
		evn_pr_field(f, "id:", "%" PRIu32, v->id);
	if (!evn_volume_device_path(v, buf, sizeof(buf)))
		evn_pr_field(f, "device:", "%s", buf);
	if (HAVE(EVN_A_VOLUME_SIZE)) {
		evn_format_size_bytes(v->size, buf, sizeof(buf));
		evn_pr_field(f, "size:", "%s", buf);
	}
	if (HAVE(EVN_A_VOLUME_STATE)) {
		evn_volume_state_format(v->state, buf, sizeof(buf));
		evn_pr_field(f, "state:", "%s", buf);
	}
	if (layout_known(v)) {
		layout_name_format(v->layout, buf, sizeof(buf));
		evn_pr_field(f, "layout:", "%s", buf);
	}
	if (layout_known(v) && v->layout != EVN_VOLUME_LAYOUT_CONCAT) {
		if (v->layout == EVN_VOLUME_LAYOUT_STRIPE &&
		    HAVE(EVN_A_VOLUME_CHUNK)) {
			evn_format_size_bytes(v->chunk, buf, sizeof(buf));
			evn_pr_field(f, "chunk:", "%s", buf);
		}
		evn_pr_field(f, "columns:", "%" PRIu32, v->columns);
	}
	if (HAVE(EVN_A_VOLUME_MEMORY)) {
		evn_format_size_bytes(v->memory, buf, sizeof(buf));
		evn_pr_field(f, "memory:", "%s", buf);
	}
	if (HAVE(EVN_A_VOLUME_EXTENT))
		evn_pr_field(f, "extents:", "%zu", v->nr_extents);
#undef HAVE
	for (i = 0; i < v->nr_extents; i++) {
		const struct evn_extent *e = &v->extents[i];

		evn_format_size_bytes(e->offset, off, sizeof(off));
		evn_format_size_bytes(e->length, len, sizeof(len));
		snprintf(label, sizeof(label), "extent %zu:", i);
		column[0] = '\0';
		if (v->layout != EVN_VOLUME_LAYOUT_CONCAT)
			snprintf(column, sizeof(column),
				 "column %" PRIu32 " ", e->column);
		if (e->have & EVN_HAVE(EVN_A_EXTENT_COPY) && e->copy)
			evn_pr_field(f, label,
				     "%s%s offset %s length %s copy %" PRIu32,
				     column, e->target[0] ? e->target : "-",
				     off, len, e->copy);
		else
			evn_pr_field(f, label, "%s%s offset %s length %s",
				     column, e->target[0] ? e->target : "-",
				     off, len);
	}
}

static const struct evn_table_col volume_cols[] = {
	{ "NAME",	false },
	{ "ID",		true },
	{ "DEVICE",	false },
	{ "SIZE",	true },
	{ "STATE",	false },
	{ "LAYOUT",	false },
	{ "EXTENTS",	true },
};

/**
 * evn_volume_table() - the volumes of a dump as a table
 * @f: stream
 * @l: the volumes; none prints nothing
 *
 * NAME ID DEVICE SIZE STATE LAYOUT EXTENTS, one line per volume, "-" for
 * what the kernel did not send; LAYOUT as evn_volume_layout_format():
 *
 *   NAME  ID  DEVICE     SIZE  STATE  LAYOUT         EXTENTS
 *   v0     0  /dev/evn0    1G  live   concat               1
 *   v1     1  /dev/evn1    3G  live   stripe 3x128K        3
 *
 * Return: 0, or -ENOMEM.
 */
int evn_volume_table(FILE *f, const struct evn_volume_list *l)
{
	const size_t ncols = ARRAY_SIZE(volume_cols);
	char (*cells)[EVN_TABLE_CELL];
	size_t i;

	if (!l->n)
		return 0;
	cells = calloc(l->n * ncols, sizeof(*cells));
	if (!cells)
		return -ENOMEM;
	for (i = 0; i < l->n; i++) {
		const struct evn_volume *v = &l->v[i];
		char (*row)[EVN_TABLE_CELL] = cells + i * ncols;

#define HAVE(a)	(v->have & EVN_HAVE(a))
		snprintf(row[0], EVN_TABLE_CELL, "%s",
			 HAVE(EVN_A_VOLUME_NAME) ? v->name : "-");
		if (HAVE(EVN_A_VOLUME_ID))
			snprintf(row[1], EVN_TABLE_CELL, "%" PRIu32, v->id);
		else
			snprintf(row[1], EVN_TABLE_CELL, "-");
		evn_volume_device_path(v, row[2], EVN_TABLE_CELL);
		if (HAVE(EVN_A_VOLUME_SIZE))
			evn_format_size(v->size, row[3], EVN_TABLE_CELL);
		else
			snprintf(row[3], EVN_TABLE_CELL, "-");
		if (HAVE(EVN_A_VOLUME_STATE))
			evn_volume_state_format(v->state, row[4],
						EVN_TABLE_CELL);
		else
			snprintf(row[4], EVN_TABLE_CELL, "-");
		evn_volume_layout_format(v, row[5], EVN_TABLE_CELL);
		snprintf(row[6], EVN_TABLE_CELL, "%zu", v->nr_extents);
#undef HAVE
	}
	evn_table_print(f, volume_cols, ncols,
			(const char (*)[EVN_TABLE_CELL])cells, l->n);
	free(cells);
	return 0;
}

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

/* A reply must at least say which volume it describes. */
static int volume_check(struct evnadm *ea, const struct evn_volume *v)
{
	if (!(v->have & EVN_HAVE(EVN_A_VOLUME_NAME))) {
		evn_pr_error(ea->err,
			     "evn module sent a volume reply without a name");
		return -EPROTO;
	}
	return 0;
}

/*
 * Send a request on @nl carrying a map (volume-new, volume-set) or naming
 * one volume (or none); decode the replies.
 */
static int volume_talk(struct evnadm *ea, struct evn_nl *nl, uint8_t cmd,
		       int flags, const struct evn_volume_args *map,
		       const char *name, evn_nl_parse_fn parse, void *arg)
{
	struct nl_msg *msg;
	int ret;

	msg = evn_nl_msg_size(nl, cmd, flags,
			      map ? evn_volume_new_size(map) : 0);
	if (!msg)
		return -ENOMEM;
	if (map)
		ret = evn_volume_new_put(msg, map);
	else if (name)
		ret = nla_put_string(msg, EVN_A_VOLUME_NAME, name);
	else
		ret = 0;
	if (ret < 0) {
		nlmsg_free(msg);
		evn_pr_error(ea->err, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	return evn_nl_talk(nl, msg, parse, arg);
}

/* volume_talk() on a connection of its own. */
static int volume_request(struct evnadm *ea, uint8_t cmd, int flags,
			  const struct evn_volume_args *create,
			  const char *name, evn_nl_parse_fn parse, void *arg)
{
	struct evn_nl *nl;
	int ret;

	if (evn_nl_open(&nl, ea->err))
		return -EIO;
	ret = volume_talk(ea, nl, cmd, flags, create, name, parse, arg);
	evn_nl_close(nl);
	return ret;
}

static int volume_create(struct evnadm *ea, int argc, char **argv)
{
	char errbuf[EVN_ERRLEN], path[EVN_DEVPATH_MAX];
	struct evn_volume v = { 0 };
	struct evn_volume_args a;
	int ret;

	if (evn_volume_pool_mode(argc, argv))
		return evnadm_volume_pool_create(ea, argc, argv);
	if (evn_volume_create_args(argc, argv, &a, errbuf, sizeof(errbuf)))
		return evnadm_usage_error(ea, evnadm_volume_help, "%s", errbuf);
	ret = volume_request(ea, EVN_CMD_VOLUME_NEW, 0, &a, NULL,
			     evn_volume_parse, &v);
	evn_volume_args_free(&a);
	if (ret) {
		evn_volume_free(&v);
		return EVNADM_EXIT_ERROR;
	}
	if (ea->json) {
		ret = print_json(ea, evn_volume_json(&v));
	} else if (evn_volume_device_path(&v, path, sizeof(path))) {
		evn_pr_error(ea->err,
			     "evn module created volume \"%s\" but did not say its device",
			     argv[0]);
		ret = EVNADM_EXIT_ERROR;
	} else {
		/* like losetup --show */
		fprintf(ea->out, "%s\n", path);
		ret = EVNADM_EXIT_OK;
	}
	evn_volume_free(&v);
	return ret;
}

/*
 * The volume as it is, from a module that can grow it. info-get comes
 * first: a module without volume-set would refuse it with a bare
 * "Operation not supported".
 */
static int grow_fetch(struct evnadm *ea, struct evn_nl *nl, const char *name,
		      struct evn_volume *cur)
{
	char errbuf[EVN_FEATURES_ERRLEN + EVN_FEATURES_STRLEN];
	struct evn_info info = { 0 };

	if (evn_info_request(nl, ea->err, NULL, &info))
		return -EIO;
	if (evn_features_check(info.features, EVN_F_GROW, "grow volumes",
			       errbuf, sizeof(errbuf))) {
		evn_pr_error(ea->err, "%s", errbuf);
		return -EOPNOTSUPP;
	}
	if (volume_talk(ea, nl, EVN_CMD_VOLUME_GET, 0, NULL, name,
			evn_volume_parse, cur))
		return -EIO;
	return volume_check(ea, cur);
}

static int volume_grow(struct evnadm *ea, int argc, char **argv)
{
	char errbuf[EVN_ERRLEN], line[EVN_GROW_STRLEN];
	struct evn_volume cur = { 0 }, v = { 0 };
	struct evn_volume_args add, map = { 0 };
	int ret = EVNADM_EXIT_ERROR;
	struct evn_nl *nl;

	if (evn_volume_pool_mode(argc, argv))
		return evnadm_volume_pool_grow(ea, argc, argv);
	if (evn_volume_grow_args(argc, argv, &add, errbuf, sizeof(errbuf)))
		return evnadm_usage_error(ea, evnadm_volume_help, "%s", errbuf);
	if (evn_nl_open(&nl, ea->err)) {
		evn_volume_args_free(&add);
		return EVNADM_EXIT_ERROR;
	}
	if (grow_fetch(ea, nl, add.name, &cur))
		goto out;
	switch (evn_volume_grow_map(&cur, &add, &map, errbuf,
				    sizeof(errbuf))) {
	case 0:
		break;
	case -EINVAL:
		/* the command line does not fit the volume */
		ret = evnadm_usage_error(ea, evnadm_volume_help, "%s", errbuf);
		goto out;
	default:
		evn_pr_error(ea->err, "%s", errbuf);
		goto out;
	}
	if (volume_talk(ea, nl, EVN_CMD_VOLUME_SET, 0, &map, NULL,
			evn_volume_parse, &v))
		goto out;
	/* grown, but the reply was lost (the kernel could not send it) */
	if (!v.have && volume_talk(ea, nl, EVN_CMD_VOLUME_GET, 0, NULL,
				   add.name, evn_volume_parse, &v))
		goto out;
	if (volume_check(ea, &v))
		goto out;
	if (ea->json) {
		ret = print_json(ea, evn_volume_json(&v));
	} else {
		evn_volume_grow_format(&cur, &v, line, sizeof(line));
		fprintf(ea->out, "%s\n", line);
		ret = EVNADM_EXIT_OK;
	}
out:
	evn_nl_close(nl);
	evn_volume_free(&v);
	evn_volume_free(&cur);
	evn_volume_args_free(&map);
	evn_volume_args_free(&add);
	return ret;
}

/* The single NAME argument of del and show. */
static int volume_name_arg(struct evnadm *ea, int argc, char **argv)
{
	char errbuf[EVN_ERRLEN];

	if (argc > 1)
		return evnadm_usage_error(ea, evnadm_volume_help,
					  "extra argument \"%s\"", argv[1]);
	if (evn_check_name(argv[0], "volume", errbuf, sizeof(errbuf)))
		return evnadm_usage_error(ea, evnadm_volume_help, "%s", errbuf);
	return EVNADM_EXIT_OK;
}

static int volume_del(struct evnadm *ea, int argc, char **argv)
{
	bool pool_volume;
	int ret;

	if (argc < 1)
		return evnadm_usage_error(ea, evnadm_volume_help,
					  "missing NAME");
	/* a volume of a pool leaves the pool; any other, the kernel only */
	ret = evnadm_volume_pool_del(ea, argc, argv, &pool_volume);
	if (pool_volume)
		return ret;
	ret = volume_name_arg(ea, 1, argv);
	if (ret)
		return ret;
	if (volume_request(ea, EVN_CMD_VOLUME_DEL, 0, NULL, argv[0], NULL,
			   NULL))
		return EVNADM_EXIT_ERROR;
	return EVNADM_EXIT_OK;
}

static int volume_show_all(struct evnadm *ea)
{
	struct evn_volume_list l = { 0 };
	size_t i;
	int ret;

	if (volume_request(ea, EVN_CMD_VOLUME_GET, NLM_F_DUMP, NULL, NULL,
			   evn_volume_list_parse, &l)) {
		evn_volume_list_free(&l);
		return EVNADM_EXIT_ERROR;
	}
	for (i = 0; i < l.n; i++) {
		if (volume_check(ea, &l.v[i])) {
			evn_volume_list_free(&l);
			return EVNADM_EXIT_ERROR;
		}
	}
	if (ea->json) {
		ret = print_json(ea, evn_volume_list_json(&l));
	} else if (evn_volume_table(ea->out, &l)) {
		evn_pr_error(ea->err, "%s", strerror(ENOMEM));
		ret = EVNADM_EXIT_ERROR;
	} else {
		ret = EVNADM_EXIT_OK;
	}
	evn_volume_list_free(&l);
	return ret;
}

static int volume_show(struct evnadm *ea, int argc, char **argv)
{
	struct evn_volume v = { 0 };
	int ret;

	if (argc < 1)
		return volume_show_all(ea);
	ret = volume_name_arg(ea, argc, argv);
	if (ret)
		return ret;
	if (volume_request(ea, EVN_CMD_VOLUME_GET, 0, NULL, argv[0],
			   evn_volume_parse, &v)) {
		evn_volume_free(&v);
		return EVNADM_EXIT_ERROR;
	}
	if (volume_check(ea, &v)) {
		ret = EVNADM_EXIT_ERROR;
	} else if (ea->json) {
		ret = print_json(ea, evn_volume_json(&v));
	} else {
		evn_volume_print(ea->out, &v);
		ret = EVNADM_EXIT_OK;
	}
	evn_volume_free(&v);
	return ret;
}

static const struct evnadm_cmd volume_cmds[] = {
	{ "create",	volume_create },
	{ "grow",	volume_grow },
	{ "del",	volume_del },
	{ "show",	volume_show },
	{ "map",	evnadm_volume_map },
	{ "unmap",	evnadm_volume_unmap },
};

/**
 * evnadm_volume() - the "volume" object
 * @ea: this run
 * @argc: number of words after "volume"
 * @argv: those words
 *
 * Without a command: show.
 *
 * Return: EVNADM_EXIT_*.
 */
int evnadm_volume(struct evnadm *ea, int argc, char **argv)
{
	return evnadm_dispatch(ea, volume_cmds, ARRAY_SIZE(volume_cmds),
			       volume_show, evnadm_volume_help, argc, argv);
}
