// SPDX-License-Identifier: GPL-2.0
/*
 * volume.c - the "volume" object of evnadm
 *
 *   evnadm volume create NAME extent TARGET:OFFSET:LENGTH [extent ...]
 *   evnadm volume del NAME
 *   evnadm volume show [NAME]     all volumes as a table, or one in detail
 *
 * As in target.c, the command line is checked completely before the kernel
 * is asked; requests are built by evn_volume_new_put() and replies decoded
 * by evn_volume_parse(), both free of I/O for the unit tests.
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
#include "nl.h"
#include "parse.h"
#include "print.h"
#include "volume.h"

static struct nla_policy evn_volume_policy[EVN_A_VOLUME_MAX + 1] = {
	[EVN_A_VOLUME_ID]	= { .type = NLA_U32 },
	[EVN_A_VOLUME_NAME]	= { .type = NLA_STRING },
	[EVN_A_VOLUME_DEVICE]	= { .type = NLA_STRING },
	[EVN_A_VOLUME_SIZE]	= { .type = NLA_U64 },
	[EVN_A_VOLUME_STATE]	= { .type = NLA_U32 },
	[EVN_A_VOLUME_EXTENT]	= { .type = NLA_NESTED },
};

static struct nla_policy evn_extent_policy[EVN_A_EXTENT_MAX + 1] = {
	[EVN_A_EXTENT_TARGET]		= { .type = NLA_STRING },
	[EVN_A_EXTENT_TARGET_OFFSET]	= { .type = NLA_U64 },
	[EVN_A_EXTENT_LENGTH]		= { .type = NLA_U64 },
	[EVN_A_EXTENT_COPY]		= { .type = NLA_U32 },
};

/* enum evn_volume_state -> name; the names are part of the JSON output */
static const char *const evn_volume_states[] = {
	[EVN_VOLUME_STATE_LIVE]		= "live",
	[EVN_VOLUME_STATE_WAITING]	= "waiting",
	[EVN_VOLUME_STATE_FAILED]	= "failed",
};

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

void evnadm_volume_help(FILE *f)
{
	fprintf(f,
		"Usage: evnadm volume create NAME extent EXTENT [ extent EXTENT ... ]\n"
		"       evnadm volume del NAME\n"
		"       evnadm volume show [ NAME ]\n"
		"       evnadm volume help\n"
		"where  NAME := 1-%d characters of A-Z a-z 0-9 . _ -, not starting with -\n"
		"       EXTENT := TARGET:OFFSET:LENGTH\n"
		"       TARGET := name of a target (see evnadm target help)\n"
		"       OFFSET, LENGTH := bytes, or a number with a binary suffix\n"
		"                         K, M, G, T, P or E (any case), e.g. 512M\n"
		"Extents are mapped in the order given. create prints the new block\n"
		"device, e.g. /dev/evn0. show without NAME lists every volume.\n",
		EVN_NAME_MAX);
}

/* One size part of an extent specification; @what is "offset" or "length". */
static int extent_size(const char *spec, const char *what, const char *word,
		       uint64_t *val, char *errbuf, size_t errlen)
{
	int ret;

	if (!*word) {
		snprintf(errbuf, errlen, "invalid extent \"%s\": empty %s",
			 spec, what);
		return -EINVAL;
	}
	ret = evn_parse_size(word, val);
	if (ret == -ERANGE) {
		snprintf(errbuf, errlen,
			 "invalid extent \"%s\": %s \"%s\" is too large (at most 2^64 - 1 bytes)",
			 spec, what, word);
		return -EINVAL;
	}
	if (ret) {
		snprintf(errbuf, errlen,
			 "invalid extent \"%s\": bad %s \"%s\" (a number of bytes, or with K, M, G, T, P, E)",
			 spec, what, word);
		return -EINVAL;
	}
	return 0;
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
			 "invalid extent \"%s\": not TARGET:OFFSET:LENGTH",
			 spec);
		goto out;
	}
	*offset++ = '\0';
	*length++ = '\0';
	if (!*copy) {
		snprintf(errbuf, errlen,
			 "invalid extent \"%s\": empty target name", spec);
		goto out;
	}
	if (evn_check_name(copy, "target", namebuf, sizeof(namebuf))) {
		snprintf(errbuf, errlen, "invalid extent \"%s\": %s", spec,
			 namebuf);
		goto out;
	}
	if (extent_size(spec, "offset", offset, &ext->offset, errbuf,
			errlen) ||
	    extent_size(spec, "length", length, &ext->length, errbuf, errlen))
		goto out;
	if (!ext->length) {
		snprintf(errbuf, errlen,
			 "invalid extent \"%s\": length \"%s\" is zero", spec,
			 length);
		goto out;
	}
	if (ext->offset > UINT64_MAX - ext->length) {
		snprintf(errbuf, errlen,
			 "invalid extent \"%s\": offset + length exceeds 2^64 - 1 bytes",
			 spec);
		goto out;
	}
	snprintf(ext->target, sizeof(ext->target), "%s", copy);
	ret = 0;
out:
	free(copy);
	return ret;
}

/**
 * evn_volume_create_args() - parse the command line of "evnadm volume create"
 * @argc: number of words after "create"
 * @argv: NAME, then one or more "extent TARGET:OFFSET:LENGTH"
 * @a: filled in on success; release with evn_volume_args_free()
 * @errbuf: receives a one-line reason naming the bad word on failure
 * @errlen: size of @errbuf (EVN_ERRLEN is enough)
 *
 * Return: 0, or -EINVAL (-ENOMEM) with @errbuf set and nothing to free.
 */
int evn_volume_create_args(int argc, char **argv, struct evn_volume_args *a,
			   char *errbuf, size_t errlen)
{
	int i, ret;

	memset(a, 0, sizeof(*a));
	if (argc < 1) {
		snprintf(errbuf, errlen, "missing NAME");
		return -EINVAL;
	}
	if (!strcmp(argv[0], "extent")) {
		snprintf(errbuf, errlen, "missing NAME before \"extent\"");
		return -EINVAL;
	}
	if (evn_check_name(argv[0], "volume", errbuf, errlen))
		return -EINVAL;
	a->name = argv[0];
	a->extents = calloc(argc / 2 + 1, sizeof(*a->extents));
	if (!a->extents) {
		snprintf(errbuf, errlen, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	for (i = 1; i < argc; i += 2) {
		if (strcmp(argv[i], "extent")) {
			snprintf(errbuf, errlen, "unknown keyword \"%s\"",
				 argv[i]);
			ret = -EINVAL;
			goto err;
		}
		if (i + 1 >= argc) {
			snprintf(errbuf, errlen,
				 "missing TARGET:OFFSET:LENGTH after \"extent\"");
			ret = -EINVAL;
			goto err;
		}
		ret = evn_extent_parse(argv[i + 1],
				       &a->extents[a->nr_extents],
				       errbuf, errlen);
		if (ret)
			goto err;
		a->nr_extents++;
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

/**
 * evn_volume_args_free() - release what evn_volume_create_args() allocated
 * @a: the arguments; left empty
 */
void evn_volume_args_free(struct evn_volume_args *a)
{
	free(a->extents);
	memset(a, 0, sizeof(*a));
}

/**
 * evn_volume_new_size() - room a volume-new request needs
 * @a: the arguments
 *
 * Return: bytes for evn_nl_msg_size(), headers included, with some slack.
 */
size_t evn_volume_new_size(const struct evn_volume_args *a)
{
	/* each attribute: header plus padded payload */
	const size_t name = NLA_HDRLEN + NLA_ALIGN(EVN_NAME_MAX + 1);
	const size_t u64 = NLA_HDRLEN + 8;

	return NLMSG_HDRLEN + GENL_HDRLEN + name +
	       a->nr_extents * (NLA_HDRLEN + name + 2 * u64) + 256;
}

/**
 * evn_volume_new_put() - the attributes of a volume-new request
 * @msg: a message from evn_nl_msg_size() with evn_volume_new_size() room
 * @a: checked arguments from evn_volume_create_args()
 *
 * NAME, then one EVN_A_VOLUME_EXTENT nest per extent, in order, each with
 * TARGET, TARGET_OFFSET and LENGTH. The kernel's strict validation wants
 * NLA_F_NESTED on nests; libnl 3.5 and later set it in nla_nest_start(),
 * older ones do not, so it is set here too.
 *
 * Return: 0, or a negative libnl error when @msg is full.
 */
int evn_volume_new_put(struct nl_msg *msg, const struct evn_volume_args *a)
{
	size_t i;
	int ret;

	ret = nla_put_string(msg, EVN_A_VOLUME_NAME, a->name);
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
		if (!ret)
			ret = nla_nest_end(msg, nest);
	}
	return ret;
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
	return 0;
}

/**
 * evn_volume_parse() - decode a message describing one volume
 * @nlh: a volume-get or volume-new reply
 * @arg: struct evn_volume, zeroed or from an earlier parse; overwritten
 *	(its old extents are freed); release with evn_volume_free()
 *
 * An evn_nl_parse_fn. Every EVN_A_VOLUME_EXTENT nest is kept, in message
 * order. Unknown attributes and padding are ignored.
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
	     evn_json_add(obj, "copy", json_object_new_int64(e->copy)))) {
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
 * extents, when the kernel sent them, as an array:
 * {"name":"v0","id":0,"device":"/dev/evn0","size":1073741824,
 *  "state":"live","extents":[{"target":"t0","offset":0,
 *  "length":1073741824}]}
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
 *	"extent 0:        t0 offset 1G (1073741824) length 512M (536870912)"
 * @f: stream
 * @v: the volume
 */
void evn_volume_print(FILE *f, const struct evn_volume *v)
{
	char buf[EVN_DEVPATH_MAX + EVN_SIZE_STRLEN];
	char off[EVN_SIZE_STRLEN], len[EVN_SIZE_STRLEN];
	char label[32];
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
	if (HAVE(EVN_A_VOLUME_EXTENT))
		evn_pr_field(f, "extents:", "%zu", v->nr_extents);
#undef HAVE
	for (i = 0; i < v->nr_extents; i++) {
		const struct evn_extent *e = &v->extents[i];

		evn_format_size_bytes(e->offset, off, sizeof(off));
		evn_format_size_bytes(e->length, len, sizeof(len));
		snprintf(label, sizeof(label), "extent %zu:", i);
		if (e->have & EVN_HAVE(EVN_A_EXTENT_COPY) && e->copy)
			evn_pr_field(f, label,
				     "%s offset %s length %s copy %" PRIu32,
				     e->target[0] ? e->target : "-", off, len,
				     e->copy);
		else
			evn_pr_field(f, label, "%s offset %s length %s",
				     e->target[0] ? e->target : "-", off, len);
	}
}

static const struct evn_table_col volume_cols[] = {
	{ "NAME",	false },
	{ "ID",		true },
	{ "DEVICE",	false },
	{ "SIZE",	true },
	{ "STATE",	false },
	{ "EXTENTS",	true },
};

/**
 * evn_volume_table() - the volumes of a dump as a table
 * @f: stream
 * @l: the volumes; none prints nothing
 *
 * NAME ID DEVICE SIZE STATE EXTENTS, one line per volume, "-" for what
 * the kernel did not send:
 *
 *   NAME  ID  DEVICE     SIZE  STATE  EXTENTS
 *   v0     0  /dev/evn0    1G  live         1
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
		snprintf(row[5], EVN_TABLE_CELL, "%zu", v->nr_extents);
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

/* Send a request naming one volume (or none); decode the replies. */
static int volume_request(struct evnadm *ea, uint8_t cmd, int flags,
			  const struct evn_volume_args *create,
			  const char *name, evn_nl_parse_fn parse, void *arg)
{
	struct evn_nl *nl;
	struct nl_msg *msg;
	int ret;

	if (evn_nl_open(&nl, ea->err))
		return -EIO;
	msg = evn_nl_msg_size(nl, cmd, flags,
			      create ? evn_volume_new_size(create) : 0);
	if (!msg) {
		evn_nl_close(nl);
		return -ENOMEM;
	}
	if (create)
		ret = evn_volume_new_put(msg, create);
	else if (name)
		ret = nla_put_string(msg, EVN_A_VOLUME_NAME, name);
	else
		ret = 0;
	if (ret < 0) {
		nlmsg_free(msg);
		evn_nl_close(nl);
		evn_pr_error(ea->err, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	ret = evn_nl_talk(nl, msg, parse, arg);
	evn_nl_close(nl);
	return ret;
}

static int volume_create(struct evnadm *ea, int argc, char **argv)
{
	char errbuf[EVN_ERRLEN], path[EVN_DEVPATH_MAX];
	struct evn_volume v = { 0 };
	struct evn_volume_args a;
	int ret;

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
	int ret;

	if (argc < 1)
		return evnadm_usage_error(ea, evnadm_volume_help,
					  "missing NAME");
	ret = volume_name_arg(ea, argc, argv);
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
	{ "del",	volume_del },
	{ "show",	volume_show },
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
