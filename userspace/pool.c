// SPDX-License-Identifier: GPL-2.0
/*
 * pool.c - pools: the metadata I/O layer and the "pool" object of evnadm
 *
 *   evnadm pool create NAME target T [target T ...] [unit SIZE]
 *                      [metadata SIZE] [--force]
 *   evnadm pool add-target [pool NAME] T [--force]
 *   evnadm pool import ADDR [port PORT] nqn NQN [nsid N]
 *   evnadm pool show [NAME]
 *
 * Three layers, bottom up:
 *
 * - Requests (struct evn_pool_ctx): target-set, meta-read and meta-write
 *   in pieces of at most EVN_META_IO_MAX bytes, target-add and target-del,
 *   volume requests. They print nothing: the kernel's message of a failed
 *   request is kept in the context, so the caller can say what failed
 *   ("cannot write ... to target "t1": <message>").
 * - Pools: evn_pool_ctx_scan() reads the label of every connected target
 *   that has a metadata area and lists the pools they name;
 *   evn_pool_load() reads the slots of a pool's targets, keeps the newest
 *   valid generation (evn_meta_choose()), reports what it recovered and
 *   rewrites stale copies; evn_pool_save() writes the next generation to
 *   every target, the header last, and writes nothing unless every target
 *   is connected.
 * - The "pool" object: its commands, their parsers and output.
 *
 * Documentation/metadata.rst is the format; meta.c implements it and
 * alloc.c the allocation policy. The kernel only moves bytes.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <uuid/uuid.h>

#include <linux/evn.h>

#include "alloc.h"
#include "evnadm.h"
#include "features.h"
#include "meta.h"
#include "nl.h"
#include "parse.h"
#include "pool.h"
#include "print.h"
#include "target.h"
#include "volume.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Room for the features message of evn_features_check(). */
#define FEATURES_ERRLEN	(EVN_FEATURES_ERRLEN + EVN_FEATURES_STRLEN)

/* How many rounds "pool import" connects targets a newer table names. */
#define IMPORT_ROUNDS	4

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

static void uuid_text(const unsigned char *uuid, char text[EVN_UUID_STRLEN])
{
	uuid_unparse_lower(uuid, text);
}

/* A size for a message: "64M". */
static const char *sz(uint64_t bytes, char buf[EVN_SIZE_STRLEN])
{
	evn_format_size(bytes, buf, EVN_SIZE_STRLEN);
	return buf;
}

/* ---- host identity ---- */

/* The first line of @file, trimmed; -ENOENT when there is no such file. */
static int hostnqn_file(const char *file, char *buf, size_t len,
			char *errbuf, size_t errlen)
{
	char line[EVN_NQN_MAX + 64], msg[EVN_ERRLEN];
	size_t n;
	FILE *f;

	f = fopen(file, "r");
	if (!f) {
		if (errno == ENOENT)
			return -ENOENT;
		return fail(errbuf, errlen, -errno, "cannot read %s: %s", file,
			    strerror(errno));
	}
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	n = strcspn(line, "\r\n");
	line[n] = '\0';
	while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
		line[--n] = '\0';
	if (!line[0])
		return fail(errbuf, errlen, -EINVAL, "%s is empty", file);
	if (evn_check_nqn(line, msg, sizeof(msg)))
		return fail(errbuf, errlen, -EINVAL, "%s: %s", file, msg);
	snprintf(buf, len, "%s", line);
	return 0;
}

/**
 * evn_pool_hostnqn() - this host's NQN, as pool volumes record their holder
 * @opt: the -H option of evnadm (checked), or NULL
 * @env: the value of $EVNADM_HOSTNQN, or NULL
 * @file: the file of the system's host NQN (EVN_HOSTNQN_FILE), or NULL
 * @module: the module's default host NQN (info-get), or NULL or ""
 * @buf: receives the NQN
 * @len: size of @buf (EVN_NQN_MAX + 1 is enough)
 * @errbuf: receives the reason on failure
 * @errlen: size of @errbuf (EVN_ERRLEN is enough)
 *
 * The first of: @opt; @env when set and not empty; the first line of @file
 * when the file exists (nvme-cli keeps the host NQN there); @module. The
 * NQN only names the read-write holder in the pool table: targets are
 * connected with the module's host NQN in any case.
 *
 * Return: 0; -EINVAL for a bad NQN in @env or @file, or none at all;
 * another -errno when @file exists but cannot be read. @errbuf is set on
 * failure.
 */
int evn_pool_hostnqn(const char *opt, const char *env, const char *file,
		     const char *module, char *buf, size_t len, char *errbuf,
		     size_t errlen)
{
	char msg[EVN_ERRLEN];
	int ret;

	if (opt) {
		snprintf(buf, len, "%s", opt);
		return 0;
	}
	if (env && env[0]) {
		if (evn_check_nqn(env, msg, sizeof(msg)))
			return fail(errbuf, errlen, -EINVAL, "%s: %s",
				    EVN_HOSTNQN_ENV, msg);
		snprintf(buf, len, "%s", env);
		return 0;
	}
	if (file) {
		ret = hostnqn_file(file, buf, len, errbuf, errlen);
		if (ret != -ENOENT)
			return ret;
	}
	if (module && module[0]) {
		snprintf(buf, len, "%s", module);
		return 0;
	}
	return fail(errbuf, errlen, -EINVAL,
		    "this host has no NQN: give one with -H NQN (or %s)",
		    EVN_HOSTNQN_ENV);
}

/* ---- requests ---- */

/*
 * What evn_nl_talk() printed since the last call. On failure its last
 * line is the error: kept in @c->msg without "Error: " and the final
 * period. Other lines (a warning the kernel attached to a success) go to
 * @c->err as they are.
 */
static void ctx_capture(struct evn_pool_ctx *c, int ret)
{
	const char *text, *last;
	size_t len;

	c->msg[0] = '\0';
	if (fflush(c->cap) || c->caplen <= c->capseen) {
		if (ret)
			snprintf(c->msg, sizeof(c->msg), "%s",
				 strerror(ret < 0 && ret > -4096 ? -ret : EIO));
		return;
	}
	text = c->capbuf + c->capseen;
	len = c->caplen - c->capseen;
	c->capseen = c->caplen;
	while (len && text[len - 1] == '\n')
		len--;
	if (!ret) {
		if (len)
			fprintf(c->err, "%.*s\n", (int)len, text);
		return;
	}
	last = memrchr(text, '\n', len);
	if (last) {
		fprintf(c->err, "%.*s\n", (int)(last - text), text);
		last++;
		len -= last - text;
	} else {
		last = text;
	}
	if (len >= 7 && !strncmp(last, "Error: ", 7)) {
		last += 7;
		len -= 7;
	}
	if (len && last[len - 1] == '.')
		len--;
	snprintf(c->msg, sizeof(c->msg), "%.*s", (int)len, last);
}

static int ctx_talk(struct evn_pool_ctx *c, struct nl_msg *msg,
		    evn_nl_parse_fn parse, void *arg)
{
	int ret = evn_nl_talk(c->nl, msg, parse, arg);

	ctx_capture(c, ret);
	return ret;
}

/* A new request; NULL with @c->msg set on ENOMEM. */
static struct nl_msg *ctx_msg(struct evn_pool_ctx *c, uint8_t cmd, int flags,
			      size_t size)
{
	struct nl_msg *msg = evn_nl_msg_size(c->nl, cmd, flags, size);

	if (!msg)
		ctx_capture(c, -ENOMEM);
	return msg;
}

/* A request that could not be built: libnl's nla_put*() failed. */
static int ctx_put_failed(struct evn_pool_ctx *c, struct nl_msg *msg)
{
	nlmsg_free(msg);
	snprintf(c->msg, sizeof(c->msg), "%s", strerror(ENOMEM));
	return -ENOMEM;
}

/**
 * evn_pool_ctx_open() - connect to the evn module for a pool command
 * @c: the context to set up
 * @err: stream for errors and warnings
 *
 * Return: 0, or a negative errno after printing why (module not loaded).
 */
int evn_pool_ctx_open(struct evn_pool_ctx *c, FILE *err)
{
	int ret;

	memset(c, 0, sizeof(*c));
	c->err = err;
	c->cap = open_memstream(&c->capbuf, &c->caplen);
	if (!c->cap) {
		evn_pr_error(err, "%s", strerror(errno));
		return -ENOMEM;
	}
	ret = evn_nl_open(&c->nl, c->cap);
	if (ret) {
		ctx_capture(c, ret);
		evn_pr_error(err, "%s", c->msg);
		fclose(c->cap);
		free(c->capbuf);
		memset(c, 0, sizeof(*c));
		return ret ? ret : -EIO;
	}
	return 0;
}

static void ctx_scan_free(struct evn_pool_ctx *c)
{
	evn_target_list_free(&c->targets);
	evn_volume_list_free(&c->volumes);
	free(c->labels);
	free(c->label_ret);
	free(c->pools);
	c->labels = NULL;
	c->label_ret = NULL;
	c->pools = NULL;
	c->nr_pools = 0;
}

/**
 * evn_pool_ctx_close() - release what evn_pool_ctx_open() and
 *	evn_pool_ctx_scan() took
 * @c: the context, or one that failed to open
 */
void evn_pool_ctx_close(struct evn_pool_ctx *c)
{
	ctx_scan_free(c);
	evn_nl_close(c->nl);
	if (c->cap)
		fclose(c->cap);
	free(c->capbuf);
	memset(c, 0, sizeof(*c));
}

/**
 * evn_pool_ctx_target() - a kernel target by name
 * @c: a scanned context
 * @name: its name
 *
 * Return: the target, or NULL.
 */
const struct evn_target *evn_pool_ctx_target(const struct evn_pool_ctx *c,
					     const char *name)
{
	size_t k;

	for (k = 0; k < c->targets.n; k++)
		if (!strcmp(c->targets.v[k].name, name))
			return &c->targets.v[k];
	return NULL;
}

/**
 * evn_pool_ctx_volume() - a kernel volume by name: a volume mapped here
 * @c: a scanned context
 * @name: its name
 *
 * Return: the volume, or NULL.
 */
const struct evn_volume *evn_pool_ctx_volume(const struct evn_pool_ctx *c,
					     const char *name)
{
	size_t k;

	for (k = 0; k < c->volumes.n; k++)
		if (!strcmp(c->volumes.v[k].name, name))
			return &c->volumes.v[k];
	return NULL;
}

/**
 * evn_pool_ctx_hostnqn() - this host's NQN for a pool command
 * @c: a scanned context (for the module's host NQN)
 * @ea: this run (for -H)
 * @buf: receives the NQN
 * @len: size of @buf (EVN_NQN_MAX + 1 is enough)
 *
 * evn_pool_hostnqn() with -H, $EVNADM_HOSTNQN, EVN_HOSTNQN_FILE and the
 * module's host NQN.
 *
 * Return: @buf, or NULL after printing why there is none.
 */
const char *evn_pool_ctx_hostnqn(struct evn_pool_ctx *c,
				 const struct evnadm *ea, char *buf,
				 size_t len)
{
	char errbuf[EVN_ERRLEN];

	if (evn_pool_hostnqn(ea->hostnqn, getenv(EVN_HOSTNQN_ENV),
			     EVN_HOSTNQN_FILE, c->module_hostnqn, buf, len,
			     errbuf, sizeof(errbuf))) {
		evn_pr_error(c->err, "%s", errbuf);
		return NULL;
	}
	return buf;
}

/**
 * struct pool_info - what info-get says that pools need
 * @features: EVN_A_INFO_FEATURES
 * @hostnqn: EVN_A_INFO_HOSTNQN, "" when absent
 */
struct pool_info {
	uint64_t features;
	char hostnqn[EVN_NQN_MAX + 1];
};

static struct nla_policy pool_info_policy[EVN_A_INFO_MAX + 1] = {
	[EVN_A_INFO_FEATURES]	= { .type = NLA_U64 },
	[EVN_A_INFO_HOSTNQN]	= { .type = NLA_STRING },
};

static int pool_info_parse(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[EVN_A_INFO_MAX + 1];
	struct pool_info *info = arg;

	if (genlmsg_parse(nlh, 0, tb, EVN_A_INFO_MAX, pool_info_policy) < 0)
		return -EPROTO;
	if (tb[EVN_A_INFO_FEATURES])
		info->features = nla_get_u64(tb[EVN_A_INFO_FEATURES]);
	if (tb[EVN_A_INFO_HOSTNQN])
		snprintf(info->hostnqn, sizeof(info->hostnqn), "%s",
			 nla_get_string(tb[EVN_A_INFO_HOSTNQN]));
	return 0;
}

/* A request naming one target (target-del, target-set). */
static int target_named(struct evn_pool_ctx *c, uint8_t cmd, const char *name,
			const uint64_t *meta_size, struct evn_target *reply)
{
	struct nl_msg *msg;

	msg = ctx_msg(c, cmd, 0, 0);
	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, EVN_A_TARGET_NAME, name) < 0 ||
	    (meta_size &&
	     nla_put_u64(msg, EVN_A_TARGET_META_SIZE, *meta_size) < 0))
		return ctx_put_failed(c, msg);
	return ctx_talk(c, msg, reply ? evn_target_parse : NULL, reply);
}

/**
 * evn_pool_target_set() - target-set: give a target a metadata area
 * @c: an open context
 * @name: the kernel target
 * @meta_size: bytes at the start of its namespace; 0 for none
 *
 * The kernel refuses an area over a volume extent.
 *
 * Return: 0, or a negative errno with the kernel's message in @c->msg.
 */
int evn_pool_target_set(struct evn_pool_ctx *c, const char *name,
			uint64_t meta_size)
{
	return target_named(c, EVN_CMD_TARGET_SET, name, &meta_size, NULL);
}

/* target-add with a metadata area; the reply in @t. */
static int target_add(struct evn_pool_ctx *c, const char *name,
		      const char *traddr, uint16_t port, const char *nqn,
		      uint32_t nsid, uint64_t meta_size, struct evn_target *t)
{
	struct evn_target_args a = {
		.name = name,
		.traddr = traddr,
		.subsysnqn = nqn,
		.port = port,
		.nsid = nsid,
		.have = EVN_HAVE(EVN_A_TARGET_NAME) |
			EVN_HAVE(EVN_A_TARGET_NSID),
	};
	struct nl_msg *msg;

	msg = ctx_msg(c, EVN_CMD_TARGET_ADD, 0, 0);
	if (!msg)
		return -ENOMEM;
	if (evn_target_add_put(msg, &a) < 0 ||
	    nla_put_u64(msg, EVN_A_TARGET_META_SIZE, meta_size) < 0)
		return ctx_put_failed(c, msg);
	return ctx_talk(c, msg, evn_target_parse, t);
}

static int target_del(struct evn_pool_ctx *c, const char *name)
{
	return target_named(c, EVN_CMD_TARGET_DEL, name, NULL, NULL);
}

/**
 * struct meta_read_ctx - one meta-read reply
 * @buf: where its data goes
 * @len: how many bytes are expected
 * @got: the data arrived
 */
struct meta_read_ctx {
	void *buf;
	size_t len;
	bool got;
};

static int meta_read_parse(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[EVN_A_META_MAX + 1];
	struct meta_read_ctx *r = arg;

	if (genlmsg_parse(nlh, 0, tb, EVN_A_META_MAX, NULL) < 0)
		return -EPROTO;
	if (!tb[EVN_A_META_DATA] ||
	    (size_t)nla_len(tb[EVN_A_META_DATA]) != r->len)
		return -EPROTO;
	memcpy(r->buf, nla_data(tb[EVN_A_META_DATA]), r->len);
	r->got = true;
	return 0;
}

/**
 * evn_pool_meta_read() - read bytes of a target's metadata area
 * @c: an open context
 * @target: the kernel target
 * @offset: byte offset in its namespace, a multiple of 4096
 * @buf: receives the bytes
 * @len: how many, a multiple of 4096
 *
 * One meta-read per EVN_META_IO_MAX bytes, in order.
 *
 * Return: 0, or a negative errno with the kernel's message in @c->msg.
 */
int evn_pool_meta_read(struct evn_pool_ctx *c, const char *target,
		       uint64_t offset, void *buf, size_t len)
{
	size_t done, n;
	int ret;

	for (done = 0; done < len; done += n) {
		struct meta_read_ctx r;
		struct nl_msg *msg;

		n = len - done < EVN_META_IO_MAX ? len - done : EVN_META_IO_MAX;
		r.buf = (unsigned char *)buf + done;
		r.len = n;
		r.got = false;
		msg = ctx_msg(c, EVN_CMD_META_READ, 0, 0);
		if (!msg)
			return -ENOMEM;
		if (nla_put_string(msg, EVN_A_META_TARGET, target) < 0 ||
		    nla_put_u64(msg, EVN_A_META_OFFSET, offset + done) < 0 ||
		    nla_put_u32(msg, EVN_A_META_LENGTH, (uint32_t)n) < 0)
			return ctx_put_failed(c, msg);
		ret = ctx_talk(c, msg, meta_read_parse, &r);
		if (ret)
			return ret;
		if (!r.got) {
			snprintf(c->msg, sizeof(c->msg),
				 "evn module answered a meta-read without data");
			return -EPROTO;
		}
	}
	return 0;
}

/**
 * evn_pool_pieces() - how an image is cut into meta-writes, in the order
 *	they are sent
 * @offset: where the image goes in the namespace
 * @len: its bytes, a multiple of 4096
 * @p: receives the pieces; NULL to count them only
 * @max: room in @p
 *
 * Pieces of EVN_META_IO_MAX bytes (the last one maybe shorter), listed
 * last piece first: the first 4 KiB of the image, which hold a slot's
 * header, are written last, after all of the payload
 * (Documentation/metadata.rst, "Writing a new generation").
 *
 * Return: the number of pieces (filled up to @max).
 */
size_t evn_pool_pieces(uint64_t offset, size_t len,
		       struct evn_pool_piece *p, size_t max)
{
	size_t n = (len + EVN_META_IO_MAX - 1) / EVN_META_IO_MAX;
	size_t i;

	if (!p)
		return n;
	for (i = 0; i < n && i < max; i++) {
		size_t k = n - 1 - i;

		p[i].at = k * EVN_META_IO_MAX;
		p[i].offset = offset + p[i].at;
		p[i].len = len - p[i].at < EVN_META_IO_MAX ?
			   len - p[i].at : EVN_META_IO_MAX;
	}
	return n;
}

/* One meta-write of @len bytes (at most EVN_META_IO_MAX). */
static int meta_write_one(struct evn_pool_ctx *c, const char *target,
			  uint64_t offset, const void *buf, size_t len)
{
	struct nl_msg *msg;

	msg = ctx_msg(c, EVN_CMD_META_WRITE, 0,
		      NLMSG_HDRLEN + GENL_HDRLEN + len + 512);
	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, EVN_A_META_TARGET, target) < 0 ||
	    nla_put_u64(msg, EVN_A_META_OFFSET, offset) < 0 ||
	    nla_put(msg, EVN_A_META_DATA, (int)len, buf) < 0)
		return ctx_put_failed(c, msg);
	return ctx_talk(c, msg, NULL, NULL);
}

/**
 * evn_pool_meta_write() - write bytes to a target's metadata area
 * @c: an open context
 * @target: the kernel target
 * @offset: byte offset in its namespace, a multiple of 4096
 * @buf: the bytes
 * @len: how many, a multiple of 4096
 *
 * One meta-write (with FUA) per piece of evn_pool_pieces(), last piece
 * first, so the first 4 KiB land last.
 *
 * Return: 0, or a negative errno with the kernel's message in @c->msg.
 */
int evn_pool_meta_write(struct evn_pool_ctx *c, const char *target,
			uint64_t offset, const void *buf, size_t len)
{
	size_t n = evn_pool_pieces(offset, len, NULL, 0), i;
	struct evn_pool_piece *p;
	int ret = 0;

	p = calloc(n ? n : 1, sizeof(*p));
	if (!p) {
		snprintf(c->msg, sizeof(c->msg), "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	evn_pool_pieces(offset, len, p, n);
	for (i = 0; !ret && i < n; i++)
		ret = meta_write_one(c, target, p[i].offset,
				     (const unsigned char *)buf + p[i].at,
				     p[i].len);
	free(p);
	return ret;
}

/**
 * evn_pool_volume_talk() - a volume request: volume-new or volume-set
 *	with a map, volume-del naming a volume
 * @c: an open context
 * @cmd: EVN_CMD_VOLUME_NEW, EVN_CMD_VOLUME_SET or EVN_CMD_VOLUME_DEL
 * @map: the map to send, or NULL
 * @name: the volume to name when @map is NULL
 * @reply: receives the reply (zeroed or from an earlier parse), or NULL
 *
 * Return: 0, or a negative errno with the kernel's message in @c->msg.
 */
int evn_pool_volume_talk(struct evn_pool_ctx *c, uint8_t cmd,
			 const struct evn_volume_args *map, const char *name,
			 struct evn_volume *reply)
{
	struct nl_msg *msg;
	int ret;

	msg = ctx_msg(c, cmd, 0, map ? evn_volume_new_size(map) : 0);
	if (!msg)
		return -ENOMEM;
	if (map)
		ret = evn_volume_new_put(msg, map);
	else
		ret = nla_put_string(msg, EVN_A_VOLUME_NAME, name);
	if (ret < 0)
		return ctx_put_failed(c, msg);
	return ctx_talk(c, msg, reply ? evn_volume_parse : NULL, reply);
}

/* ---- scanning: which pools the kernel's targets belong to ---- */

/* A dump into @list with @parse; prints the error. */
static int ctx_dump(struct evn_pool_ctx *c, uint8_t cmd, evn_nl_parse_fn parse,
		    void *list)
{
	struct nl_msg *msg;
	int ret;

	msg = ctx_msg(c, cmd, NLM_F_DUMP, 0);
	if (!msg) {
		evn_pr_error(c->err, "%s", c->msg);
		return -ENOMEM;
	}
	ret = ctx_talk(c, msg, parse, list);
	if (ret)
		evn_pr_error(c->err, "%s", c->msg);
	return ret;
}

/* The kernel's targets and volumes, into @c->targets and @c->volumes. */
static int ctx_dumps(struct evn_pool_ctx *c)
{
	int ret;

	ret = ctx_dump(c, EVN_CMD_TARGET_GET, evn_target_list_parse,
		       &c->targets);
	if (!ret)
		ret = ctx_dump(c, EVN_CMD_VOLUME_GET, evn_volume_list_parse,
			       &c->volumes);
	return ret;
}

/* Reads and decodes the label of kernel target @k, if it may have one. */
static void scan_label(struct evn_pool_ctx *c, size_t k, unsigned char *buf)
{
	const struct evn_target *t = &c->targets.v[k];
	char errbuf[EVN_ERRLEN];
	int ret;

	if (!(t->have & EVN_HAVE(EVN_A_TARGET_META_SIZE)) ||
	    t->meta_size < EVN_META_LABEL_SIZE) {
		c->label_ret[k] = -ENODATA;
		return;
	}
	if (t->state != EVN_TARGET_STATE_LIVE) {
		c->label_ret[k] = -ENOTCONN;
		return;
	}
	ret = evn_pool_meta_read(c, t->name, 0, buf, EVN_META_LABEL_SIZE);
	if (ret == -EPERM) {
		c->label_ret[k] = ret;
		return;
	}
	if (ret) {
		evn_pr_warning(c->err,
			       "cannot read the label of target \"%s\": %s; it is left out of any pool",
			       t->name, c->msg);
		c->label_ret[k] = ret;
		return;
	}
	ret = evn_meta_label_decode(buf, EVN_META_LABEL_SIZE, &c->labels[k],
				    errbuf, sizeof(errbuf));
	if (ret && ret != -ENODATA)
		evn_pr_warning(c->err,
			       "target \"%s\" is left out of any pool: %s",
			       t->name, errbuf);
	c->label_ret[k] = ret;
}

/**
 * evn_pool_ctx_scan() - what the kernel has: its features, targets,
 *	volumes, and the pools the labels of its targets name
 * @c: an open context; an earlier scan is replaced
 * @soft: a module without metadata areas (EVN_F_META) is no error: it
 *	simply has no pools ("volume del" of a plain volume)
 *
 * Reads the label (4 KiB at offset 0) of every live target that has a
 * metadata area. A label that cannot be read or is damaged draws a
 * warning, and the target is left out of any pool; a caller without
 * CAP_SYS_ADMIN (meta-read refused with EPERM) is an error.
 *
 * Return: 0, or a negative errno after printing why.
 */
int evn_pool_ctx_scan(struct evn_pool_ctx *c, bool soft)
{
	char errbuf[FEATURES_ERRLEN];
	struct pool_info info = { 0 };
	struct nl_msg *msg;
	unsigned char *buf;
	size_t k, i;
	int ret;

	ctx_scan_free(c);
	msg = ctx_msg(c, EVN_CMD_INFO_GET, 0, 0);
	if (!msg) {
		evn_pr_error(c->err, "%s", c->msg);
		return -ENOMEM;
	}
	ret = ctx_talk(c, msg, pool_info_parse, &info);
	if (ret) {
		evn_pr_error(c->err, "%s", c->msg);
		return ret;
	}
	c->features = info.features;
	snprintf(c->module_hostnqn, sizeof(c->module_hostnqn), "%s",
		 info.hostnqn);
	if (evn_features_check(c->features, EVN_F_META, "keep pool metadata",
			       errbuf, sizeof(errbuf))) {
		if (soft)
			return 0;
		evn_pr_error(c->err, "%s", errbuf);
		return -EOPNOTSUPP;
	}
	ret = ctx_dumps(c);
	if (ret)
		return ret;

	c->labels = calloc(c->targets.n + 1, sizeof(*c->labels));
	c->label_ret = calloc(c->targets.n + 1, sizeof(*c->label_ret));
	c->pools = calloc(c->targets.n + 1, sizeof(*c->pools));
	buf = malloc(EVN_META_LABEL_SIZE);
	if (!c->labels || !c->label_ret || !c->pools || !buf) {
		free(buf);
		evn_pr_error(c->err, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	for (k = 0; k < c->targets.n; k++) {
		scan_label(c, k, buf);
		if (c->label_ret[k] == -EPERM) {
			/* "this command needs CAP_SYS_ADMIN", once */
			evn_pr_error(c->err, "%s", c->msg);
			free(buf);
			return -EPERM;
		}
		if (c->label_ret[k])
			continue;
		for (i = 0; i < c->nr_pools; i++)
			if (!uuid_compare(c->pools[i].uuid,
					  c->labels[k].pool_uuid))
				break;
		if (i < c->nr_pools)
			continue;
		memcpy(c->pools[i].uuid, c->labels[k].pool_uuid, EVN_UUID_LEN);
		snprintf(c->pools[i].name, sizeof(c->pools[i].name), "%s",
			 c->labels[k].pool_name);
		c->nr_pools++;
	}
	free(buf);
	return 0;
}

/* "p1, p2, p3" into @buf, "..." when it does not fit. */
static void pool_names(const struct evn_pool_id *pools, size_t n, char *buf,
		       size_t len)
{
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		int w = snprintf(buf + off, len - off, "%s%s", i ? ", " : "",
				 pools[i].name);

		if (w < 0 || (size_t)w >= len - off) {
			snprintf(buf + off, len - off, "%s", i ? ", ..." : "...");
			return;
		}
		off += (size_t)w;
	}
}

/**
 * evn_pool_select() - which pool a command works on
 * @pools: the pools found (evn_pool_ctx_scan())
 * @n: how many
 * @name: "pool NAME" of the command line: a pool's name or UUID; NULL
 *	when not given
 * @idx: receives the index of the pool in @pools
 * @errbuf: receives the reason on failure
 * @errlen: size of @errbuf (EVN_ERRLEN is enough)
 *
 * Without @name, the only pool found; a name matches one pool's name or
 * its UUID (any case).
 *
 * Return: 0; -ENOENT when there is no pool, or none of that name; -EINVAL
 * when the choice is ambiguous (several pools and no @name, or several
 * pools of that name). @errbuf is set on failure.
 */
int evn_pool_select(const struct evn_pool_id *pools, size_t n,
		    const char *name, size_t *idx, char *errbuf,
		    size_t errlen)
{
	char names[256], text[EVN_UUID_STRLEN], uuids[2 * EVN_UUID_STRLEN + 8];
	size_t i, found = 0, first = 0, second = 0;

	if (!n)
		return fail(errbuf, errlen, -ENOENT,
			    "no pool found: no connected target carries an evn pool label (evnadm pool create makes one, evnadm pool import finds one)");
	pool_names(pools, n, names, sizeof(names));
	if (!name) {
		if (n == 1) {
			*idx = 0;
			return 0;
		}
		return fail(errbuf, errlen, -EINVAL,
			    "%zu pools are loaded (%s): choose one with \"pool NAME\"",
			    n, names);
	}
	for (i = 0; i < n; i++) {
		uuid_text(pools[i].uuid, text);
		if (strcmp(pools[i].name, name) && strcasecmp(text, name))
			continue;
		if (!found)
			first = i;
		else if (found == 1)
			second = i;
		found++;
	}
	if (!found)
		return fail(errbuf, errlen, -ENOENT,
			    "no pool \"%s\" (loaded: %s)", name, names);
	if (found > 1) {
		uuid_text(pools[first].uuid, text);
		snprintf(uuids, sizeof(uuids), "%s, ", text);
		uuid_text(pools[second].uuid, text);
		strncat(uuids, text, sizeof(uuids) - strlen(uuids) - 1);
		return fail(errbuf, errlen, -EINVAL,
			    "%zu pools are named \"%s\" (%s%s): choose one by its UUID",
			    found, name, uuids, found > 2 ? ", ..." : "");
	}
	*idx = first;
	return 0;
}

/* ---- loading and saving ---- */

/**
 * evn_pool_member_index() - the table index of a pool target
 * @p: the pool
 * @uuid: the target's UUID
 *
 * Return: the index in @p->table.targets and @p->members, or -1.
 */
int evn_pool_member_index(const struct evn_pool *p,
			  const unsigned char uuid[EVN_UUID_LEN])
{
	const struct evn_pool_target *t = evn_pool_table_target(&p->table,
								  uuid);

	return t ? (int)(t - p->table.targets) : -1;
}

/* Whether kernel target @kt reaches the namespace of table target @t. */
static bool same_namespace(const struct evn_target *kt,
			   const struct evn_pool_target *t)
{
	return !strcmp(kt->traddr, t->traddr) && kt->port == t->trsvcid &&
	       !strcmp(kt->subsysnqn, t->subnqn) && kt->nsid == t->nsid;
}

/*
 * Slot @i of a target, as evn_meta_choose() wants it: the 4 KiB of the
 * header first, then, when it announces a payload, header and payload.
 */
static int read_slot(struct evn_pool_ctx *c, const char *target,
		     const struct evn_meta_label *l, unsigned int i,
		     void **image, size_t *len)
{
	char errbuf[EVN_ERRLEN];
	struct evn_meta_slot s;
	unsigned char *buf, *more;
	size_t total = EVN_META_ALIGN;
	int ret;

	*image = NULL;
	*len = 0;
	buf = malloc(EVN_META_ALIGN);
	if (!buf) {
		snprintf(c->msg, sizeof(c->msg), "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	ret = evn_pool_meta_read(c, target, l->slot_offset[i], buf,
				 EVN_META_ALIGN);
	if (ret) {
		free(buf);
		return ret;
	}
	if (!evn_meta_slot_header_decode(l, buf, EVN_META_ALIGN, &s, errbuf,
					 sizeof(errbuf)))
		total = evn_meta_slot_image_len(s.payload_len);
	if (total > EVN_META_ALIGN) {
		more = realloc(buf, total);
		if (!more) {
			free(buf);
			snprintf(c->msg, sizeof(c->msg), "%s",
				 strerror(ENOMEM));
			return -ENOMEM;
		}
		buf = more;
		ret = evn_pool_meta_read(c, target,
					 l->slot_offset[i] + EVN_META_ALIGN,
					 buf + EVN_META_ALIGN,
					 total - EVN_META_ALIGN);
		if (ret) {
			free(buf);
			return ret;
		}
	}
	*image = buf;
	*len = total;
	return 0;
}

/*
 * After a load: write the chosen generation to every copy that does not
 * hold it, and clear the header of every invalid slot left, so the next
 * load finds every target current and nothing to report.
 */
static void repair(struct evn_pool_ctx *c, struct evn_meta_copy *copies,
		   const bool *left_out, size_t n,
		   const struct evn_meta_choice *choice)
{
	const unsigned int cur = (unsigned int)(choice->generation % 2);
	size_t len = evn_meta_slot_image_len(choice->payload_len), k;
	char errbuf[EVN_ERRLEN];
	unsigned char *img;
	unsigned int i;

	img = calloc(1, len > EVN_META_ALIGN ? len : EVN_META_ALIGN);
	if (!img)
		return;
	for (k = 0; k < n; k++) {
		struct evn_meta_copy *cp = &copies[k];
		const struct evn_meta_label *l = cp->label;
		bool rewrote = false;

		if (left_out[k] || (!cp->image[0] && !cp->image[1]))
			continue;
		if (cp->state == EVN_META_COPY_STALE ||
		    cp->state == EVN_META_COPY_INVALID) {
			if (evn_meta_slot_encode(l, choice->generation,
						 choice->payload,
						 choice->payload_len, img, len,
						 errbuf, sizeof(errbuf)))
				evn_pr_warning(c->err,
					       "cannot repair target \"%s\": %s",
					       cp->target, errbuf);
			else if (evn_pool_meta_write(c, cp->target,
						     l->slot_offset[cur], img,
						     len))
				evn_pr_warning(c->err,
					       "cannot rewrite generation %" PRIu64 " on target \"%s\": %s",
					       choice->generation, cp->target,
					       c->msg);
			else
				rewrote = true;
			if (rewrote)
				evn_pr_warning(c->err,
					       "rewrote generation %" PRIu64 " on target \"%s\"",
					       choice->generation, cp->target);
		}
		for (i = 0; i < 2; i++) {
			if (cp->slot_state[i] != EVN_META_SLOT_INVALID ||
			    (i == cur && rewrote) || !cp->image[i])
				continue;
			memset(img, 0, EVN_META_ALIGN);
			if (evn_pool_meta_write(c, cp->target,
						l->slot_offset[i], img,
						EVN_META_ALIGN))
				evn_pr_warning(c->err,
					       "cannot clear invalid slot %u of target \"%s\": %s",
					       i, cp->target, c->msg);
			else
				evn_pr_warning(c->err,
					       "cleared invalid slot %u of target \"%s\"",
					       i, cp->target);
		}
	}
	free(img);
}

/* Which kernel target holds each target of the table just loaded. */
static void map_members(struct evn_pool_ctx *c, struct evn_pool *p,
			const size_t *kidx, const bool *left_out, size_t n)
{
	size_t i, j, k;

	for (j = 0; j < n; j++) {
		int m;

		if (left_out[j])
			continue;
		m = evn_pool_member_index(p, c->labels[kidx[j]].target_uuid);
		if (m < 0 || p->members[m].kt)
			continue;
		p->members[m].kt = &c->targets.v[kidx[j]];
		p->members[m].labeled = true;
	}
	for (i = 0; i < p->table.nr_targets; i++) {
		if (p->members[i].kt)
			continue;
		for (k = 0; k < c->targets.n; k++) {
			const struct evn_target *kt = &c->targets.v[k];
			size_t m;

			for (m = 0; m < p->table.nr_targets; m++)
				if (p->members[m].kt == kt)
					break;
			if (m == p->table.nr_targets &&
			    same_namespace(kt, &p->table.targets[i])) {
				p->members[i].kt = kt;
				break;
			}
		}
	}
}

/**
 * evn_pool_load() - load a pool from its targets
 * @c: a scanned context
 * @which: index of the pool in @c->pools
 * @p: receives the pool; release with evn_pool_free()
 *
 * Reads both slots of every connected target whose label names the pool
 * (4 KiB of the header first, then only the header and payload) and
 * chooses the newest valid generation (evn_meta_choose()). When anything
 * was not current, evn_meta_report() tells @c->err, and every target that
 * did not hold the chosen generation gets it again (the same bytes, in
 * the same slot), and invalid slots left are cleared. A target whose
 * label does not match the table, or whose metadata area here is smaller
 * than the label says, is left out with a warning. Each target of the
 * table is then matched with the kernel's target for it (by label, else
 * by namespace).
 *
 * Return: 0, or a negative errno after printing why (no valid table, a
 * newer format, two different tables of the newest generation).
 */
int evn_pool_load(struct evn_pool_ctx *c, size_t which, struct evn_pool *p)
{
	const struct evn_pool_id *id = &c->pools[which];
	size_t nk = c->targets.n, n = 0, j, k;
	struct evn_meta_choice choice;
	struct evn_meta_copy *copies;
	char errbuf[EVN_ERRLEN];
	size_t *kidx;
	bool *left_out;
	unsigned int i;
	int ret = -ENOMEM;

	memset(p, 0, sizeof(*p));
	copies = calloc(nk + 1, sizeof(*copies));
	kidx = calloc(nk + 1, sizeof(*kidx));
	left_out = calloc(nk + 1, sizeof(*left_out));
	if (!copies || !kidx || !left_out) {
		evn_pr_error(c->err, "%s", strerror(ENOMEM));
		goto out;
	}
	for (k = 0; k < nk; k++) {
		const struct evn_target *kt = &c->targets.v[k];
		const struct evn_meta_label *l = &c->labels[k];

		if (c->label_ret[k] || uuid_compare(l->pool_uuid, id->uuid))
			continue;
		if (kt->meta_size < l->area_size) {
			evn_pr_warning(c->err,
				       "target \"%s\" carries a label of pool \"%s\", but its metadata area here has %" PRIu64 " bytes, not %" PRIu64 ": it is left out (evnadm pool import sets it)",
				       kt->name, l->pool_name, kt->meta_size,
				       l->area_size);
			continue;
		}
		kidx[n] = k;
		copies[n].target = kt->name;
		copies[n].label = l;
		for (i = 0; i < 2; i++) {
			void *image;

			if (read_slot(c, kt->name, l, i, &image,
				      &copies[n].len[i]))
				evn_pr_warning(c->err,
					       "cannot read slot %u of target \"%s\": %s",
					       i, kt->name, c->msg);
			copies[n].image[i] = image;
		}
		n++;
	}

	ret = evn_meta_choose(id->uuid, copies, n, &choice, errbuf,
			      sizeof(errbuf));
	if (ret) {
		evn_pr_error(c->err, "pool \"%s\": %s", id->name, errbuf);
		goto out;
	}
	ret = evn_pool_table_decode(choice.payload, choice.payload_len,
				    &p->table, errbuf, sizeof(errbuf));
	if (ret) {
		evn_pr_error(c->err,
			     "pool \"%s\": generation %" PRIu64 " on target \"%s\": %s",
			     id->name, choice.generation,
			     copies[choice.copy].target, errbuf);
		goto out;
	}
	p->generation = choice.generation;
	p->members = calloc(p->table.nr_targets + 1, sizeof(*p->members));
	if (!p->members) {
		evn_pr_error(c->err, "%s", strerror(ENOMEM));
		ret = -ENOMEM;
		goto out;
	}
	for (j = 0; j < n; j++) {
		if (!evn_meta_label_match(copies[j].label, &p->table, errbuf,
					  sizeof(errbuf)))
			continue;
		evn_pr_warning(c->err,
			       "target \"%s\" is left out of pool \"%s\": %s",
			       copies[j].target, id->name, errbuf);
		left_out[j] = true;
	}
	map_members(c, p, kidx, left_out, n);
	evn_meta_report(c->err, copies, n, &choice);
	repair(c, copies, left_out, n, &choice);
	ret = 0;
out:
	for (j = 0; copies && j < n; j++)
		for (i = 0; i < 2; i++)
			free((void *)copies[j].image[i]);
	free(copies);
	free(kidx);
	free(left_out);
	if (ret)
		evn_pool_free(p);
	return ret;
}

/**
 * evn_pool_writable() - whether a pool's table can be written everywhere
 * @p: the pool
 * @errbuf: receives the reason when not
 * @errlen: size of @errbuf (EVN_ERRLEN is enough)
 *
 * Every target of the table must be in the kernel, live, and carry the
 * pool's label in a metadata area large enough: a change is written to
 * every target or to none.
 *
 * Return: 0, or -ENOTCONN with @errbuf set, naming the first target that
 * is not.
 */
int evn_pool_writable(const struct evn_pool *p, char *errbuf, size_t errlen)
{
	size_t i;

	for (i = 0; i < p->table.nr_targets; i++) {
		const struct evn_pool_member *m = &p->members[i];
		const char *name = p->table.targets[i].name;

		if (!m->kt || m->kt->state != EVN_TARGET_STATE_LIVE)
			return fail(errbuf, errlen, -ENOTCONN,
				    "target %s is not connected: the pool's metadata cannot be updated on every target",
				    name);
		if (!m->labeled)
			return fail(errbuf, errlen, -ENOTCONN,
				    "target %s is connected as \"%s\" without the pool's metadata area: the pool's metadata cannot be updated on every target (evnadm pool import sets it up)",
				    name, m->kt->name);
	}
	return 0;
}

/**
 * evn_pool_save() - write the next generation of a pool's table
 * @c: the context the pool was loaded with
 * @p: the pool, its table changed; @p->generation is incremented
 *
 * Refuses, writing nothing, unless evn_pool_writable(). Then encodes the
 * table (which checks every rule) and writes generation G + 1 to slot
 * (G + 1) % 2 of every target, one after the other, each image in
 * meta-writes of EVN_META_IO_MAX bytes, last piece first
 * (evn_pool_meta_write()). A target whose write fails is reported and
 * keeps an older generation, which the next load repairs; the change is
 * made when at least one target holds it, since the loader takes the
 * highest generation.
 *
 * Return: 0, or a negative errno after printing why.
 */
int evn_pool_save(struct evn_pool_ctx *c, struct evn_pool *p)
{
	const uint64_t g = p->generation + 1;
	size_t plen = 0, len, i, written = 0;
	char errbuf[EVN_ERRLEN];
	struct evn_meta_label l;
	unsigned char *img = NULL;
	char *payload = NULL;
	int ret;

	ret = evn_pool_writable(p, errbuf, sizeof(errbuf));
	if (ret) {
		evn_pr_error(c->err, "%s", errbuf);
		return ret;
	}
	ret = evn_pool_table_encode(&p->table, &payload, &plen, errbuf,
				    sizeof(errbuf));
	if (ret) {
		evn_pr_error(c->err, "pool \"%s\": %s", p->table.name, errbuf);
		return ret;
	}
	len = evn_meta_slot_image_len(plen);
	img = malloc(len);
	if (!img) {
		free(payload);
		evn_pr_error(c->err, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	for (i = 0; i < p->table.nr_targets; i++) {
		const struct evn_pool_target *t = &p->table.targets[i];

		ret = evn_meta_label_init(&l, &p->table, t->uuid, errbuf,
					  sizeof(errbuf));
		if (!ret)
			ret = evn_meta_slot_encode(&l, g, payload, plen, img,
						   len, errbuf, sizeof(errbuf));
		if (ret) {
			/* the same for every target: nothing written yet */
			evn_pr_error(c->err, "pool \"%s\": %s", p->table.name,
				     errbuf);
			goto out;
		}
		ret = evn_pool_meta_write(c, p->members[i].kt->name,
					  evn_meta_slot_offset(&l, g), img,
					  len);
		if (ret) {
			evn_pr_warning(c->err,
				       "cannot write generation %" PRIu64 " of pool \"%s\" to target \"%s\": %s",
				       g, p->table.name, t->name, c->msg);
			continue;
		}
		written++;
	}
	if (!written) {
		evn_pr_error(c->err,
			     "the table of pool \"%s\" could not be written to any target",
			     p->table.name);
		ret = -EIO;
		goto out;
	}
	if (written < p->table.nr_targets)
		evn_pr_warning(c->err,
			       "generation %" PRIu64 " of pool \"%s\" is on %zu of its %zu targets; the others get it when the pool is next loaded",
			       g, p->table.name, written, p->table.nr_targets);
	p->generation = g;
	ret = 0;
out:
	free(img);
	free(payload);
	return ret;
}

/**
 * evn_pool_free() - release a loaded pool
 * @p: the pool; zeroed afterwards
 */
void evn_pool_free(struct evn_pool *p)
{
	evn_pool_table_free(&p->table);
	free(p->members);
	memset(p, 0, sizeof(*p));
}

/* ---- command lines ---- */

/* "unit SIZE": a power of two of at least 1M. */
static int unit_parse(const char *word, uint64_t *unit, char *errbuf,
		      size_t errlen)
{
	char msg[EVN_ERRLEN];
	int ret = evn_parse_size(word, unit);

	if (ret == -EINVAL)
		return fail(errbuf, errlen, -EINVAL,
			    "invalid unit \"%s\": not a size (a number of bytes, or with K, M, G, T, P, E)",
			    word);
	if (ret || evn_meta_check_unit(*unit, msg, sizeof(msg)))
		return fail(errbuf, errlen, -EINVAL,
			    "invalid unit \"%s\": not a power of two from 1M to 4E",
			    word);
	return 0;
}

/* "metadata SIZE": a multiple of 1M from 1M to 1G. */
static int meta_parse(const char *word, uint64_t *size, char *errbuf,
		      size_t errlen)
{
	char msg[EVN_ERRLEN];
	int ret = evn_parse_size(word, size);

	if (ret == -EINVAL)
		return fail(errbuf, errlen, -EINVAL,
			    "invalid metadata size \"%s\": not a size (a number of bytes, or with K, M, G, T, P, E)",
			    word);
	if (ret || evn_meta_check_area(*size, msg, sizeof(msg)))
		return fail(errbuf, errlen, -EINVAL,
			    "invalid metadata size \"%s\": not a multiple of 1M from 1M to 1G",
			    word);
	return 0;
}

static bool create_keyword(const char *word)
{
	return !strcmp(word, "target") || !strcmp(word, "unit") ||
	       !strcmp(word, "metadata") || !strcmp(word, "--force");
}

/**
 * evn_pool_create_args() - parse the command line of "evnadm pool create"
 * @argc: number of words after "create"
 * @argv: NAME, then in any order: "target TARGET" (one or more), "unit
 *	SIZE", "metadata SIZE", "--force"
 * @a: filled in on success; release with evn_pool_create_args_free()
 * @errbuf: receives a one-line reason naming the bad word on failure
 * @errlen: size of @errbuf (EVN_ERRLEN is enough)
 *
 * Return: 0, or -EINVAL (-ENOMEM) with @errbuf set and nothing to free.
 */
int evn_pool_create_args(int argc, char **argv,
			 struct evn_pool_create_args *a, char *errbuf,
			 size_t errlen)
{
	bool unit = false, meta = false;
	size_t j;
	int i;

	memset(a, 0, sizeof(*a));
	a->unit = EVN_POOL_UNIT_DEFAULT;
	a->metadata_size = EVN_POOL_META_DEFAULT;
	if (argc < 1)
		return fail(errbuf, errlen, -EINVAL, "missing NAME");
	if (create_keyword(argv[0]))
		return fail(errbuf, errlen, -EINVAL,
			    "missing NAME before \"%s\"", argv[0]);
	if (evn_check_name(argv[0], "pool", errbuf, errlen))
		return -EINVAL;
	a->name = argv[0];
	a->targets = calloc((size_t)argc, sizeof(*a->targets));
	if (!a->targets)
		return fail(errbuf, errlen, -ENOMEM, "%s", strerror(ENOMEM));

	for (i = 1; i < argc; i++) {
		const char *w = argv[i], *val = i + 1 < argc ? argv[i + 1] :
								NULL;

		if (!strcmp(w, "--force")) {
			a->force = true;
			continue;
		}
		if (!create_keyword(w)) {
			fail(errbuf, errlen, -EINVAL, w[0] == '-' ?
			     "unknown option \"%s\"" : "unknown keyword \"%s\"",
			     w);
			goto err;
		}
		if (!val) {
			fail(errbuf, errlen, -EINVAL, "missing %s after \"%s\"",
			     strcmp(w, "target") ? "SIZE" : "TARGET", w);
			goto err;
		}
		i++;
		if (!strcmp(w, "target")) {
			if (evn_check_name(val, "target", errbuf, errlen))
				goto err;
			for (j = 0; j < a->nr_targets; j++)
				if (!strcmp(a->targets[j], val))
					break;
			if (j < a->nr_targets) {
				fail(errbuf, errlen, -EINVAL,
				     "target \"%s\" given twice", val);
				goto err;
			}
			a->targets[a->nr_targets++] = val;
		} else if (!strcmp(w, "unit")) {
			if (unit) {
				fail(errbuf, errlen, -EINVAL,
				     "\"unit\" given twice (\"%s\")", val);
				goto err;
			}
			unit = true;
			if (unit_parse(val, &a->unit, errbuf, errlen))
				goto err;
		} else {
			if (meta) {
				fail(errbuf, errlen, -EINVAL,
				     "\"metadata\" given twice (\"%s\")", val);
				goto err;
			}
			meta = true;
			if (meta_parse(val, &a->metadata_size, errbuf, errlen))
				goto err;
		}
	}
	if (!a->nr_targets) {
		fail(errbuf, errlen, -EINVAL, "missing \"target TARGET\"");
		goto err;
	}
	return 0;
err:
	evn_pool_create_args_free(a);
	return -EINVAL;
}

/**
 * evn_pool_create_args_free() - release evn_pool_create_args()'s result
 * @a: the arguments; left empty
 */
void evn_pool_create_args_free(struct evn_pool_create_args *a)
{
	free(a->targets);
	memset(a, 0, sizeof(*a));
}

/**
 * evn_pool_add_args() - parse the command line of "evnadm pool add-target"
 * @argc: number of words after "add-target"
 * @argv: TARGET, "pool NAME" and "--force", in any order
 * @a: filled in on success (strings point into @argv)
 * @errbuf: receives a one-line reason naming the bad word on failure
 * @errlen: size of @errbuf (EVN_ERRLEN is enough)
 *
 * Return: 0, or -EINVAL with @errbuf set.
 */
int evn_pool_add_args(int argc, char **argv, struct evn_pool_add_args *a,
		      char *errbuf, size_t errlen)
{
	int i;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < argc; i++) {
		const char *w = argv[i];

		if (!strcmp(w, "--force")) {
			a->force = true;
		} else if (!strcmp(w, "pool")) {
			if (i + 1 >= argc)
				return fail(errbuf, errlen, -EINVAL,
					    "missing NAME after \"pool\"");
			if (a->pool)
				return fail(errbuf, errlen, -EINVAL,
					    "\"pool\" given twice (\"%s\")",
					    argv[i + 1]);
			if (evn_check_name(argv[++i], "pool", errbuf, errlen))
				return -EINVAL;
			a->pool = argv[i];
		} else if (w[0] == '-') {
			return fail(errbuf, errlen, -EINVAL,
				    "unknown option \"%s\"", w);
		} else if (a->target) {
			return fail(errbuf, errlen, -EINVAL,
				    "extra argument \"%s\"", w);
		} else {
			if (evn_check_name(w, "target", errbuf, errlen))
				return -EINVAL;
			a->target = w;
		}
	}
	if (!a->target)
		return fail(errbuf, errlen, -EINVAL, "missing TARGET");
	return 0;
}

static bool import_keyword(const char *word)
{
	return !strcmp(word, "port") || !strcmp(word, "nqn") ||
	       !strcmp(word, "nsid");
}

/**
 * evn_pool_import_args() - parse the command line of "evnadm pool import"
 * @argc: number of words after "import"
 * @argv: ADDR, then "nqn NQN" and optionally "port PORT" and "nsid N", in
 *	any order
 * @a: filled in on success (strings point into @argv)
 * @errbuf: receives a one-line reason naming the bad word on failure
 * @errlen: size of @errbuf (EVN_ERRLEN is enough)
 *
 * The words are checked as "evnadm target add" checks them.
 *
 * Return: 0, or -EINVAL with @errbuf set.
 */
int evn_pool_import_args(int argc, char **argv,
			 struct evn_pool_import_args *a, char *errbuf,
			 size_t errlen)
{
	bool port = false, nsid = false;
	uint32_t v;
	int i;

	memset(a, 0, sizeof(*a));
	a->port = EVN_DEFAULT_PORT;
	a->nsid = 1;
	if (argc < 1)
		return fail(errbuf, errlen, -EINVAL, "missing ADDR");
	if (import_keyword(argv[0]))
		return fail(errbuf, errlen, -EINVAL,
			    "missing ADDR before \"%s\"", argv[0]);
	if (evn_check_traddr(argv[0], errbuf, errlen))
		return -EINVAL;
	a->traddr = argv[0];
	for (i = 1; i < argc; i += 2) {
		const char *w = argv[i], *val;

		if (!import_keyword(w))
			return fail(errbuf, errlen, -EINVAL,
				    "unknown keyword \"%s\"", w);
		if ((!strcmp(w, "port") && port) ||
		    (!strcmp(w, "nqn") && a->subsysnqn) ||
		    (!strcmp(w, "nsid") && nsid))
			return fail(errbuf, errlen, -EINVAL,
				    "duplicate keyword \"%s\"", w);
		if (i + 1 >= argc)
			return fail(errbuf, errlen, -EINVAL,
				    "missing value after \"%s\"", w);
		val = argv[i + 1];
		if (!strcmp(w, "nqn")) {
			if (evn_check_nqn(val, errbuf, errlen))
				return -EINVAL;
			a->subsysnqn = val;
		} else if (!strcmp(w, "port")) {
			if (evn_parse_u32(val, &v) || v < 1 || v > UINT16_MAX)
				return fail(errbuf, errlen, -EINVAL,
					    "invalid port \"%s\": not a number from 1 to %u",
					    val, UINT16_MAX);
			a->port = (uint16_t)v;
			port = true;
		} else {
			if (evn_parse_u32(val, &v) || v < 1 || v == UINT32_MAX)
				return fail(errbuf, errlen, -EINVAL,
					    "invalid nsid \"%s\": not a number from 1 to %u",
					    val, UINT32_MAX - 1);
			a->nsid = v;
			nsid = true;
		}
	}
	if (!a->subsysnqn)
		return fail(errbuf, errlen, -EINVAL, "missing \"nqn NQN\"");
	return 0;
}

/* ---- output ---- */

/* Bytes of extents on each target, into @used (nr_targets of them). */
static void used_space(const struct evn_pool_table *t, uint64_t *used)
{
	size_t i, j;

	memset(used, 0, t->nr_targets * sizeof(*used));
	for (i = 0; i < t->nr_volumes; i++) {
		const struct evn_pool_volume *v = &t->volumes[i];

		for (j = 0; j < v->nr_extents; j++) {
			const struct evn_pool_target *tg =
				evn_pool_table_target(t, v->extents[j].target);

			if (tg)
				used[tg - t->targets] += v->extents[j].length;
		}
	}
}

/*
 * Free bytes of every target (allocatable units) into @free, and their
 * sum; 0 or -ENOMEM.
 */
static int free_space(const struct evn_pool_table *t, uint64_t *free_bytes,
		      uint64_t *total)
{
	size_t i;

	*total = 0;
	if (!t->nr_targets)
		return 0;
	if (evn_alloc_free_space(t, free_bytes))
		return -ENOMEM;
	for (i = 0; i < t->nr_targets; i++)
		*total += free_bytes[i];
	return 0;
}

/**
 * evn_pool_free_format() - the free space of a pool as text
 * @p: the pool
 * @buf: output buffer (EVN_SIZE_STRLEN is enough)
 * @len: size of @buf
 *
 * The allocatable bytes of all targets, as evn_format_size() writes them
 * ("1.4G"); "?" when out of memory.
 *
 * Return: the length of the text, like snprintf().
 */
size_t evn_pool_free_format(const struct evn_pool *p, char *buf, size_t len)
{
	uint64_t *bytes, total;
	int n;

	bytes = calloc(p->table.nr_targets + 1, sizeof(*bytes));
	if (!bytes || free_space(&p->table, bytes, &total)) {
		free(bytes);
		n = snprintf(buf, len, "?");
		return n < 0 ? 0 : (size_t)n;
	}
	free(bytes);
	return evn_format_size(total, buf, len);
}

/* The state of a pool target here: the kernel's, or "absent". */
static const char *member_state(const struct evn_pool_member *m, char *buf,
				size_t len)
{
	if (!m->kt) {
		snprintf(buf, len, "absent");
		return buf;
	}
	evn_target_state_format(m->kt->state, buf, len);
	if (!m->labeled && m->kt->state == EVN_TARGET_STATE_LIVE)
		snprintf(buf, len, "live, no metadata area");
	return buf;
}

/* The address of a table target, as "target show" writes it. */
static void target_address(const struct evn_pool_target *t, char *buf,
			   size_t len)
{
	struct evn_target kt = {
		.have = EVN_HAVE(EVN_A_TARGET_TRADDR) |
			EVN_HAVE(EVN_A_TARGET_PORT),
		.port = t->trsvcid,
	};

	snprintf(kt.traddr, sizeof(kt.traddr), "%s", t->traddr);
	evn_target_address(&kt, buf, len);
}

/* The layout of a pool volume, as "volume show" writes it. */
static void volume_layout(const struct evn_pool_volume *v, char *buf,
			  size_t len)
{
	struct evn_volume kv = {
		.have = EVN_HAVE(EVN_A_VOLUME_LAYOUT) |
			EVN_HAVE(EVN_A_VOLUME_CHUNK),
		.layout = v->layout,
		.chunk = v->chunk,
		.columns = v->columns,
	};

	evn_volume_layout_format(&kv, buf, len);
}

static struct json_object *json_u64(uint64_t v)
{
	return json_object_new_uint64(v);
}

static struct json_object *json_str_or_null(const char *s)
{
	/* json-c represents null as NULL: a NULL here is "null", not ENOMEM */
	return s && s[0] ? json_object_new_string(s) : NULL;
}

/* Adds @key: @val where a NULL @val means null. */
static int json_add_nullable(struct json_object *obj, const char *key,
			     struct json_object *val, bool want_null)
{
	if (!val && !want_null)
		return -ENOMEM;
	if (json_object_object_add(obj, key, val)) {
		json_object_put(val);
		return -ENOMEM;
	}
	return 0;
}

static int json_append(struct json_object *arr, struct json_object *val)
{
	if (!val || json_object_array_add(arr, val)) {
		json_object_put(val);
		return -ENOMEM;
	}
	return 0;
}

static struct json_object *target_json(const struct evn_pool *p, size_t i,
				       uint64_t used, uint64_t free_bytes)
{
	const struct evn_pool_target *t = &p->table.targets[i];
	const struct evn_pool_member *m = &p->members[i];
	struct json_object *obj = json_object_new_object();
	char uuid[EVN_UUID_STRLEN], state[EVN_STATE_STRLEN];

	if (!obj)
		return NULL;
	uuid_text(t->uuid, uuid);
	if (!m->kt)
		snprintf(state, sizeof(state), "absent");
	else
		evn_target_state_format(m->kt->state, state, sizeof(state));
	if (evn_json_add(obj, "name", json_object_new_string(t->name)) ||
	    evn_json_add(obj, "uuid", json_object_new_string(uuid)) ||
	    evn_json_add(obj, "addr", json_object_new_string(t->traddr)) ||
	    evn_json_add(obj, "port", json_object_new_int64(t->trsvcid)) ||
	    evn_json_add(obj, "subsysnqn", json_object_new_string(t->subnqn)) ||
	    evn_json_add(obj, "nsid", json_object_new_int64(t->nsid)) ||
	    evn_json_add(obj, "lba_size", json_object_new_int64(t->lba_size)) ||
	    evn_json_add(obj, "capacity", json_u64(t->capacity)) ||
	    evn_json_add(obj, "used", json_u64(used)) ||
	    evn_json_add(obj, "free", json_u64(free_bytes)) ||
	    evn_json_add(obj, "state", json_object_new_string(state)) ||
	    json_add_nullable(obj, "kernel_name",
			      json_str_or_null(m->kt ? m->kt->name : NULL),
			      !m->kt) ||
	    evn_json_add(obj, "metadata", json_object_new_boolean(m->labeled))) {
		json_object_put(obj);
		return NULL;
	}
	return obj;
}

/**
 * evn_pool_volume_json() - a pool volume as "evnadm -j pool show" lists it
 * @p: the pool
 * @v: the volume, one of @p's
 * @kvols: the kernel's volumes (whether @v is mapped here), or NULL
 *
 * {"name":"v0","uuid":"...","size":...,"layout":"stripe","columns":3,
 *  "chunk":131072,"holder":"nqn..." or null,"mapped":true,
 *  "device":"/dev/evn0" or null,"read_only":false or null,
 *  "extents":[{"target":"t0","offset":...,"length":...,"column":0}]}
 *
 * "chunk" for stripes only; extents name their targets by their names in
 * the pool.
 *
 * Return: a new json-c object (caller puts it), or NULL on ENOMEM.
 */
struct json_object *evn_pool_volume_json(const struct evn_pool *p,
					 const struct evn_pool_volume *v,
					 const struct evn_volume_list *kvols)
{
	struct json_object *obj = json_object_new_object(), *arr;
	const struct evn_volume *kv = NULL;
	char uuid[EVN_UUID_STRLEN], dev[EVN_DEVPATH_MAX];
	const char *layout = evn_volume_layout_name(v->layout);
	size_t i;

	if (!obj)
		return NULL;
	for (i = 0; kvols && i < kvols->n; i++)
		if (!strcmp(kvols->v[i].name, v->name))
			kv = &kvols->v[i];
	if (!kv || evn_volume_device_path(kv, dev, sizeof(dev)))
		dev[0] = '\0';
	uuid_text(v->uuid, uuid);
	if (evn_json_add(obj, "name", json_object_new_string(v->name)) ||
	    evn_json_add(obj, "uuid", json_object_new_string(uuid)) ||
	    evn_json_add(obj, "size", json_u64(v->size)) ||
	    evn_json_add(obj, "layout",
			 json_object_new_string(layout ? layout : "unknown")) ||
	    evn_json_add(obj, "columns", json_object_new_int64(v->columns)) ||
	    (v->layout == EVN_VOLUME_LAYOUT_STRIPE &&
	     evn_json_add(obj, "chunk", json_object_new_int64(v->chunk))) ||
	    json_add_nullable(obj, "holder", json_str_or_null(v->holder),
			      !v->holder[0]) ||
	    evn_json_add(obj, "mapped", json_object_new_boolean(kv != NULL)) ||
	    json_add_nullable(obj, "device", json_str_or_null(dev), !dev[0]) ||
	    json_add_nullable(obj, "read_only",
			      kv ? json_object_new_boolean(kv->read_only) :
				   NULL, !kv))
		goto err;
	arr = json_object_new_array();
	if (evn_json_add(obj, "extents", arr))
		goto err;
	for (i = 0; i < v->nr_extents; i++) {
		const struct evn_pool_extent *e = &v->extents[i];
		const struct evn_pool_target *t =
			evn_pool_table_target(&p->table, e->target);
		struct json_object *x = json_object_new_object();

		if (json_append(arr, x) ||
		    evn_json_add(x, "target",
				 json_object_new_string(t ? t->name : "?")) ||
		    evn_json_add(x, "offset", json_u64(e->offset)) ||
		    evn_json_add(x, "length", json_u64(e->length)) ||
		    evn_json_add(x, "column", json_object_new_int64(e->column)))
			goto err;
	}
	return obj;
err:
	json_object_put(obj);
	return NULL;
}

/**
 * evn_pool_json() - a pool as "evnadm -j pool show" prints it
 * @p: the pool
 * @kvols: the kernel's volumes (which pool volumes are mapped here), or
 *	NULL
 * @hostnqn: this host's NQN, or NULL
 *
 * {"name":"p1","uuid":"...","unit":67108864,"metadata_size":16777216,
 *  "generation":3,"hostnqn":"nqn...","capacity":...,"free":...,
 *  "targets":[{"name":"t0","uuid":"...","addr":"192.0.2.1","port":4420,
 *    "subsysnqn":"nqn...","nsid":1,"lba_size":512,"capacity":...,
 *    "used":...,"free":...,"state":"live","kernel_name":"t0",
 *    "metadata":true}],
 *  "volumes":[{"name":"v0","uuid":"...","size":...,"layout":"stripe",
 *    "columns":3,"chunk":131072,"holder":"nqn..." or null,
 *    "mapped":true,"device":"/dev/evn0" or null,"read_only":false or null,
 *    "extents":[{"target":"t0","offset":...,"length":...,"column":0}]}]}
 *
 * Sizes in bytes; "state" is the kernel's target state or "absent";
 * extents name their targets by their names in the pool.
 *
 * Return: a new json-c object (caller puts it), or NULL on ENOMEM.
 */
struct json_object *evn_pool_json(const struct evn_pool *p,
				  const struct evn_volume_list *kvols,
				  const char *hostnqn)
{
	const struct evn_pool_table *t = &p->table;
	struct json_object *obj, *arr;
	uint64_t *used, *free_bytes, total = 0, capacity = 0;
	char uuid[EVN_UUID_STRLEN];
	size_t i;

	obj = json_object_new_object();
	used = calloc(t->nr_targets + 1, sizeof(*used));
	free_bytes = calloc(t->nr_targets + 1, sizeof(*free_bytes));
	if (!obj || !used || !free_bytes ||
	    free_space(t, free_bytes, &total))
		goto err;
	used_space(t, used);
	for (i = 0; i < t->nr_targets; i++)
		capacity += t->targets[i].capacity;
	uuid_text(t->uuid, uuid);
	if (evn_json_add(obj, "name", json_object_new_string(t->name)) ||
	    evn_json_add(obj, "uuid", json_object_new_string(uuid)) ||
	    evn_json_add(obj, "unit", json_u64(t->unit)) ||
	    evn_json_add(obj, "metadata_size", json_u64(t->metadata_size)) ||
	    evn_json_add(obj, "generation", json_u64(p->generation)) ||
	    json_add_nullable(obj, "hostnqn", json_str_or_null(hostnqn),
			      !hostnqn || !hostnqn[0]) ||
	    evn_json_add(obj, "capacity", json_u64(capacity)) ||
	    evn_json_add(obj, "free", json_u64(total)))
		goto err;
	arr = json_object_new_array();
	if (evn_json_add(obj, "targets", arr))
		goto err;
	for (i = 0; i < t->nr_targets; i++)
		if (json_append(arr, target_json(p, i, used[i],
						 free_bytes[i])))
			goto err;
	arr = json_object_new_array();
	if (evn_json_add(obj, "volumes", arr))
		goto err;
	for (i = 0; i < t->nr_volumes; i++)
		if (json_append(arr, evn_pool_volume_json(p, &t->volumes[i],
							  kvols)))
			goto err;
	free(used);
	free(free_bytes);
	return obj;
err:
	free(used);
	free(free_bytes);
	json_object_put(obj);
	return NULL;
}

/*
 * A text table of heap cells: as evn_table_print(), without a limit on
 * the width of a cell (a holder NQN has up to 223 characters).
 */
static void table_print(FILE *f, const struct evn_table_col *cols,
			size_t ncols, char *const *cells, size_t nrows)
{
	size_t width[8] = { 0 };
	size_t r, c;

	if (!nrows || ncols > ARRAY_SIZE(width))
		return;
	for (c = 0; c < ncols; c++) {
		width[c] = strlen(cols[c].header);
		for (r = 0; r < nrows; r++)
			if (strlen(cells[r * ncols + c]) > width[c])
				width[c] = strlen(cells[r * ncols + c]);
	}
	for (r = 0; r <= nrows; r++) {
		for (c = 0; c < ncols; c++) {
			const char *text = r ? cells[(r - 1) * ncols + c] :
					       cols[c].header;

			if (c)
				fputs("  ", f);
			if (cols[c].right)
				fprintf(f, "%*s", (int)width[c], text);
			else if (c == ncols - 1)
				fputs(text, f);
			else
				fprintf(f, "%-*s", (int)width[c], text);
		}
		fputc('\n', f);
	}
}

static void cells_free(char **cells, size_t n)
{
	size_t i;

	for (i = 0; cells && i < n; i++)
		free(cells[i]);
	free(cells);
}

static const struct evn_table_col pool_target_cols[] = {
	{ "TARGET",	false },
	{ "ADDRESS",	false },
	{ "STATE",	false },
	{ "CAPACITY",	true },
	{ "USED",	true },
	{ "FREE",	true },
};

static const struct evn_table_col pool_volume_cols[] = {
	{ "VOLUME",	false },
	{ "SIZE",	true },
	{ "LAYOUT",	false },
	{ "MAPPED",	false },
	{ "HOLDER",	false },
};

/* One row of the volume table into @row; 0 or -ENOMEM. */
static int volume_row(const struct evn_pool_volume *v,
		      const struct evn_volume_list *kvols,
		      const char *hostnqn, char **row)
{
	char buf[EVN_DEVPATH_MAX + EVN_LAYOUT_STRLEN];
	const struct evn_volume *kv = NULL;
	size_t i;

	for (i = 0; kvols && i < kvols->n; i++)
		if (!strcmp(kvols->v[i].name, v->name))
			kv = &kvols->v[i];
	row[0] = strdup(v->name);
	evn_format_size(v->size, buf, sizeof(buf));
	row[1] = strdup(buf);
	volume_layout(v, buf, sizeof(buf));
	row[2] = strdup(buf);
	if (kv) {
		char dev[EVN_DEVPATH_MAX];

		evn_volume_device_path(kv, dev, sizeof(dev));
		snprintf(buf, sizeof(buf), "%s (%s)", dev,
			 kv->read_only ? "ro" : "rw");
		row[3] = strdup(buf);
	} else {
		row[3] = strdup("-");
	}
	if (!v->holder[0]) {
		row[4] = strdup("-");
	} else if (hostnqn && !strcmp(v->holder, hostnqn)) {
		if (asprintf(&row[4], "%s (this host)", v->holder) < 0)
			row[4] = NULL;
	} else {
		row[4] = strdup(v->holder);
	}
	for (i = 0; i < 5; i++)
		if (!row[i])
			return -ENOMEM;
	return 0;
}

/**
 * evn_pool_print() - a pool as "evnadm pool show" prints it
 * @f: stream
 * @p: the pool
 * @kvols: the kernel's volumes (which pool volumes are mapped here), or
 *	NULL
 * @hostnqn: this host's NQN, or NULL
 *
 * The pool's name, UUID, unit, metadata area size, generation and free
 * space, this host's NQN, then a table of the targets (with the name of
 * the kernel's target for it when that differs: "t0 (here srv0)"; address,
 * state here, capacity, bytes used by extents and allocatable bytes free) and
 * one of the volumes (size, layout, the device when mapped here with
 * "rw" or "ro", the read-write holder):
 *
 *   pool:            p1
 *   ...
 *   TARGET  ADDRESS         STATE  CAPACITY  USED  FREE
 *   t0      192.0.2.1:4420  live       512M  128M  320M
 *
 *   VOLUME  SIZE  LAYOUT         MAPPED          HOLDER
 *   v0      256M  stripe 2x128K  /dev/evn0 (rw)  nqn... (this host)
 *
 * Return: 0, or -ENOMEM.
 */
int evn_pool_print(FILE *f, const struct evn_pool *p,
		   const struct evn_volume_list *kvols, const char *hostnqn)
{
	const struct evn_pool_table *t = &p->table;
	const size_t tc = ARRAY_SIZE(pool_target_cols);
	const size_t vc = ARRAY_SIZE(pool_volume_cols);
	uint64_t *used, *free_bytes, total = 0, capacity = 0;
	char buf[EVN_TRADDR_MAX + 16 + EVN_SIZE_STRLEN];
	char a[EVN_SIZE_STRLEN], b[EVN_SIZE_STRLEN];
	char **cells = NULL;
	size_t i;
	int ret = -ENOMEM;

	used = calloc(t->nr_targets + 1, sizeof(*used));
	free_bytes = calloc(t->nr_targets + 1, sizeof(*free_bytes));
	if (!used || !free_bytes || free_space(t, free_bytes, &total))
		goto out;
	used_space(t, used);
	for (i = 0; i < t->nr_targets; i++)
		capacity += t->targets[i].capacity;

	evn_pr_field(f, "pool:", "%s", t->name);
	uuid_text(t->uuid, buf);
	evn_pr_field(f, "uuid:", "%s", buf);
	evn_format_size_bytes(t->unit, buf, sizeof(buf));
	evn_pr_field(f, "unit:", "%s", buf);
	evn_format_size_bytes(t->metadata_size, buf, sizeof(buf));
	evn_pr_field(f, "metadata size:", "%s", buf);
	evn_pr_field(f, "generation:", "%" PRIu64, p->generation);
	evn_pr_field(f, "free:", "%s of %s", sz(total, a), sz(capacity, b));
	if (hostnqn)
		evn_pr_field(f, "this host:", "%s", hostnqn);
	evn_pr_field(f, "targets:", "%zu", t->nr_targets);
	evn_pr_field(f, "volumes:", "%zu", t->nr_volumes);

	cells = calloc(t->nr_targets * tc + 1, sizeof(*cells));
	if (!cells)
		goto out;
	for (i = 0; i < t->nr_targets; i++) {
		char **row = cells + i * tc;
		size_t c;

		if (p->members[i].kt &&
		    strcmp(p->members[i].kt->name, t->targets[i].name)) {
			if (asprintf(&row[0], "%s (here %s)",
				     t->targets[i].name,
				     p->members[i].kt->name) < 0)
				row[0] = NULL;
		} else {
			row[0] = strdup(t->targets[i].name);
		}
		target_address(&t->targets[i], buf, sizeof(buf));
		row[1] = strdup(buf);
		row[2] = strdup(member_state(&p->members[i], buf, sizeof(buf)));
		row[3] = strdup(sz(t->targets[i].capacity, a));
		row[4] = strdup(sz(used[i], a));
		row[5] = strdup(sz(free_bytes[i], a));
		for (c = 0; c < tc; c++)
			if (!row[c])
				goto out_cells;
	}
	fputc('\n', f);
	table_print(f, pool_target_cols, tc, cells, t->nr_targets);
	cells_free(cells, t->nr_targets * tc);

	cells = calloc(t->nr_volumes * vc + 1, sizeof(*cells));
	if (!cells)
		goto out;
	for (i = 0; i < t->nr_volumes; i++)
		if (volume_row(&t->volumes[i], kvols, hostnqn, cells + i * vc))
			goto out_vcells;
	if (t->nr_volumes) {
		fputc('\n', f);
		table_print(f, pool_volume_cols, vc, cells, t->nr_volumes);
	}
	ret = 0;
out_vcells:
	cells_free(cells, t->nr_volumes * vc);
	goto out;
out_cells:
	cells_free(cells, t->nr_targets * tc);
out:
	free(used);
	free(free_bytes);
	return ret;
}

/**
 * evn_pool_summary() - what "evnadm pool import" prints
 * @f: stream
 * @p: the pool as loaded after connecting its targets
 *
 *   pool:            p1 (3f0c...)
 *   generation:      7
 *   targets:         t0 t1 t2
 *   not connected:   t2
 *   volumes:         v0 v1
 *
 * "not connected" lists the targets whose metadata cannot be written
 * (not in the kernel, not live, or without their metadata area) and is
 * left out when there are none; "volumes: none" for a pool without any.
 */
void evn_pool_summary(FILE *f, const struct evn_pool *p)
{
	const struct evn_pool_table *t = &p->table;
	char uuid[EVN_UUID_STRLEN];
	size_t i, bad = 0;

	uuid_text(t->uuid, uuid);
	evn_pr_field(f, "pool:", "%s (%s)", t->name, uuid);
	evn_pr_field(f, "generation:", "%" PRIu64, p->generation);
	fprintf(f, "%-17s", "targets:");
	for (i = 0; i < t->nr_targets; i++)
		fprintf(f, "%s%s", i ? " " : "", t->targets[i].name);
	fputc('\n', f);
	for (i = 0; i < t->nr_targets; i++) {
		const struct evn_pool_member *m = &p->members[i];

		if (m->kt && m->labeled &&
		    m->kt->state == EVN_TARGET_STATE_LIVE)
			continue;
		fprintf(f, "%s%s", bad++ ? " " : "not connected:   ",
			t->targets[i].name);
	}
	if (bad)
		fputc('\n', f);
	fprintf(f, "%-17s", "volumes:");
	for (i = 0; i < t->nr_volumes; i++)
		fprintf(f, "%s%s", i ? " " : "", t->volumes[i].name);
	fprintf(f, "%s\n", t->nr_volumes ? "" : "none");
}

/* ---- the commands ---- */

/**
 * evnadm_pool_help() - print the usage of the "pool" object
 * @f: stream
 */
void evnadm_pool_help(FILE *f)
{
	fprintf(f,
		"Usage: evnadm pool create NAME target TARGET [ target TARGET ... ] [ unit SIZE ]\n"
		"                          [ metadata SIZE ] [ --force ]\n"
		"       evnadm pool add-target [ pool NAME ] TARGET [ --force ]\n"
		"       evnadm pool import ADDR [ port PORT ] nqn NQN [ nsid NSID ]\n"
		"       evnadm pool show [ NAME ]\n"
		"       evnadm pool help\n"
		"where  NAME := 1-%d characters of A-Z a-z 0-9 . _ -, not starting with -\n"
		"       TARGET := name of a target already added (evnadm target add)\n"
		"       SIZE := bytes, or a number with a binary suffix K, M, G, T, P or E\n"
		"       ADDR, PORT, NQN, NSID := as for evnadm target add\n"
		"A pool keeps its table (targets, volumes, their extents and read-write\n"
		"holders) in a metadata area at the start of every target. create gives\n"
		"each TARGET a metadata area (metadata: default 16M, a multiple of 1M up\n"
		"to 1G), labels it and writes an empty table; volumes get extents in whole\n"
		"units (unit: default 64M, a power of two of at least 1M). A target that\n"
		"already carries an evn label is refused unless --force. add-target adds\n"
		"a target to a pool. import connects to the target at ADDR, reads the\n"
		"pool's table there, connects the pool's other targets under their names\n"
		"and loads the pool; it maps no volume. show prints a pool, its targets\n"
		"and volumes; without NAME every pool. A change is written to every\n"
		"target of the pool, and refused, writing nothing, while one of them is\n"
		"not connected. Commands taking \"pool NAME\" (a name or a UUID) default to\n"
		"the only pool there is. Pool volumes: evnadm volume help.\n",
		EVN_NAME_MAX);
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

/* Open, scan and pick the pool "pool NAME" names; loads it into @p. */
static int open_pool(struct evnadm *ea, struct evn_pool_ctx *c,
		     const char *name, struct evn_pool *p)
{
	char errbuf[EVN_ERRLEN];
	size_t idx;

	memset(p, 0, sizeof(*p));
	if (evn_pool_ctx_open(c, ea->err))
		return -EIO;
	if (evn_pool_ctx_scan(c, false))
		return -EIO;
	if (evn_pool_select(c->pools, c->nr_pools, name, &idx, errbuf,
			    sizeof(errbuf))) {
		evn_pr_error(ea->err, "%s", errbuf);
		return -ENOENT;
	}
	return evn_pool_load(c, idx, p);
}

/*
 * A kernel target that may join a pool of unit @unit and metadata area
 * @meta: live, an LBA size from 512 to 4096, room for a unit after the
 * area, and no volume extent on it.
 */
static int check_candidate(const struct evn_pool_ctx *c, const char *name,
			   uint64_t unit, uint64_t meta,
			   const struct evn_target **ktp, char *errbuf,
			   size_t errlen)
{
	const struct evn_target *kt = evn_pool_ctx_target(c, name);
	char a[EVN_SIZE_STRLEN], b[EVN_SIZE_STRLEN], d[EVN_SIZE_STRLEN];
	uint64_t first;
	size_t i, j;

	if (!kt)
		return fail(errbuf, errlen, -ENOENT,
			    "no target %s in the kernel (add it first with evnadm target add)",
			    name);
	if (kt->state != EVN_TARGET_STATE_LIVE)
		return fail(errbuf, errlen, -ENOTCONN,
			    "target %s is not connected", name);
	if (kt->lba_size < 512 || kt->lba_size > 4096)
		return fail(errbuf, errlen, -EINVAL,
			    "target %s has an LBA size of %" PRIu32 " bytes; pool targets need 512 to 4096",
			    name, kt->lba_size);
	first = (meta + unit - 1) / unit * unit;
	if (first < meta || kt->capacity / unit * unit < first + unit)
		return fail(errbuf, errlen, -ENOSPC,
			    "target %s (%s) is too small for a metadata area of %s and a unit of %s",
			    name, sz(kt->capacity, a), sz(meta, b),
			    sz(unit, d));
	for (i = 0; i < c->volumes.n; i++) {
		const struct evn_volume *v = &c->volumes.v[i];

		for (j = 0; j < v->nr_extents; j++)
			if (!strcmp(v->extents[j].target, name))
				return fail(errbuf, errlen, -EBUSY,
					    "target %s holds an extent of volume %s, mapped here: a pool would allocate over it",
					    name, v->name);
	}
	*ktp = kt;
	return 0;
}

/*
 * The label of a target about to join a pool, after its metadata area is
 * set: -ENODATA, none; 0 with @l set; or another -errno with @why set.
 */
static int read_label(struct evn_pool_ctx *c, const char *name,
		      struct evn_meta_label *l, char *why, size_t whylen)
{
	unsigned char buf[EVN_META_LABEL_SIZE];
	int ret;

	ret = evn_pool_meta_read(c, name, 0, buf, sizeof(buf));
	if (ret) {
		snprintf(why, whylen, "cannot read the label of target %s: %s",
			 name, c->msg);
		return -EIO;
	}
	return evn_meta_label_decode(buf, sizeof(buf), l, why, whylen);
}

/* The refusal of a labeled target (ret from read_label()). */
static void label_refusal(const char *target, int ret,
			  const struct evn_meta_label *l, const char *why,
			  char *errbuf, size_t errlen)
{
	char uuid[EVN_UUID_STRLEN];

	if (!ret) {
		uuid_text(l->pool_uuid, uuid);
		fail(errbuf, errlen, -EEXIST,
		     "target %s already belongs to pool \"%s\" (uuid %s); use --force to overwrite its label",
		     target, l->pool_name, uuid);
	} else {
		fail(errbuf, errlen, -EEXIST,
		     "target %s already carries an evn label it cannot read (%s); use --force to overwrite it",
		     target, why);
	}
}

/*
 * Writes the label of table target @i of @t to kernel target @kname, and
 * clears the headers of both slots: whatever an earlier life of the
 * target left there is not a table of this pool.
 */
static int write_label(struct evn_pool_ctx *c, const struct evn_pool_table *t,
		       size_t i, const char *kname)
{
	unsigned char buf[EVN_META_LABEL_SIZE];
	char errbuf[EVN_ERRLEN];
	struct evn_meta_label l;
	unsigned int s;

	if (evn_meta_label_init(&l, t, t->targets[i].uuid, errbuf,
				sizeof(errbuf))) {
		evn_pr_error(c->err, "pool \"%s\": %s", t->name, errbuf);
		return -EINVAL;
	}
	memset(buf, 0, sizeof(buf));
	for (s = 0; s < 2; s++) {
		if (evn_pool_meta_write(c, kname, l.slot_offset[s], buf,
					sizeof(buf))) {
			evn_pr_error(c->err,
				     "cannot clear slot %u of target %s: %s",
				     s, t->targets[i].name, c->msg);
			return -EIO;
		}
	}
	evn_meta_label_encode(&l, buf);
	if (evn_pool_meta_write(c, kname, 0, buf, sizeof(buf))) {
		evn_pr_error(c->err, "cannot write the label of target %s: %s",
			     t->targets[i].name, c->msg);
		return -EIO;
	}
	return 0;
}

/* Fills table target @tg from kernel target @kt, with a new UUID. */
static void table_target(struct evn_pool_target *tg,
			 const struct evn_target *kt, const unsigned char *uuid)
{
	memset(tg, 0, sizeof(*tg));
	snprintf(tg->name, sizeof(tg->name), "%s", kt->name);
	if (uuid)
		memcpy(tg->uuid, uuid, EVN_UUID_LEN);
	else
		uuid_generate(tg->uuid);
	snprintf(tg->traddr, sizeof(tg->traddr), "%s", kt->traddr);
	tg->trsvcid = kt->port;
	snprintf(tg->subnqn, sizeof(tg->subnqn), "%s", kt->subsysnqn);
	tg->nsid = kt->nsid;
	tg->capacity = kt->capacity;
	tg->lba_size = kt->lba_size;
}

/* Puts back the metadata area sizes changed by "pool create". */
static void restore_meta(struct evn_pool_ctx *c,
			 const struct evn_target *const *kts,
			 const uint64_t *old, const bool *changed, size_t n)
{
	while (n--) {
		if (!changed[n])
			continue;
		if (evn_pool_target_set(c, kts[n]->name, old[n]))
			evn_pr_warning(c->err,
				       "cannot put back the metadata area of target %s (%" PRIu64 " bytes): %s",
				       kts[n]->name, old[n], c->msg);
	}
}

/*
 * A pool of the same name exists, other than one whose every labeled
 * target is among those of the new pool (a pool being made again).
 */
static int check_pool_name(const struct evn_pool_ctx *c,
			   const struct evn_pool_create_args *a,
			   char *errbuf, size_t errlen)
{
	char uuid[EVN_UUID_STRLEN];
	size_t i, k, j;

	for (i = 0; i < c->nr_pools; i++) {
		if (strcmp(c->pools[i].name, a->name))
			continue;
		for (k = 0; k < c->targets.n; k++) {
			if (c->label_ret[k] ||
			    uuid_compare(c->labels[k].pool_uuid,
					 c->pools[i].uuid))
				continue;
			for (j = 0; j < a->nr_targets; j++)
				if (!strcmp(a->targets[j],
					    c->targets.v[k].name))
					break;
			if (j == a->nr_targets)
				break;
		}
		if (k == c->targets.n)
			continue;
		uuid_text(c->pools[i].uuid, uuid);
		return fail(errbuf, errlen, -EEXIST,
			    "a pool named \"%s\" already exists (uuid %s): choose another name",
			    a->name, uuid);
	}
	return 0;
}

static int pool_create(struct evnadm *ea, int argc, char **argv)
{
	const struct evn_target **kts = NULL;
	struct evn_pool_create_args a;
	struct evn_pool_ctx c;
	struct evn_pool p = { 0 };
	struct evn_meta_label l;
	char errbuf[EVN_ERRLEN], why[EVN_ERRLEN];
	char s1[EVN_SIZE_STRLEN], s2[EVN_SIZE_STRLEN], s3[EVN_SIZE_STRLEN];
	uint64_t *old = NULL;
	bool *changed = NULL;
	int ret = EVNADM_EXIT_ERROR, r;
	size_t i;

	if (evn_pool_create_args(argc, argv, &a, errbuf, sizeof(errbuf)))
		return evnadm_usage_error(ea, evnadm_pool_help, "%s", errbuf);
	if (evn_pool_ctx_open(&c, ea->err)) {
		evn_pool_create_args_free(&a);
		return EVNADM_EXIT_ERROR;
	}
	if (evn_pool_ctx_scan(&c, false))
		goto out;
	kts = calloc(a.nr_targets, sizeof(*kts));
	old = calloc(a.nr_targets, sizeof(*old));
	changed = calloc(a.nr_targets, sizeof(*changed));
	if (!kts || !old || !changed) {
		evn_pr_error(ea->err, "%s", strerror(ENOMEM));
		goto out;
	}

	/* everything that can be checked before a change */
	for (i = 0; i < a.nr_targets; i++) {
		if (check_candidate(&c, a.targets[i], a.unit, a.metadata_size,
				    &kts[i], errbuf, sizeof(errbuf))) {
			evn_pr_error(ea->err, "%s", errbuf);
			goto out;
		}
	}
	if (check_pool_name(&c, &a, errbuf, sizeof(errbuf))) {
		evn_pr_error(ea->err, "%s", errbuf);
		goto out;
	}
	snprintf(p.table.name, sizeof(p.table.name), "%s", a.name);
	uuid_generate(p.table.uuid);
	p.table.unit = a.unit;
	p.table.metadata_size = a.metadata_size;
	p.table.targets = calloc(a.nr_targets, sizeof(*p.table.targets));
	p.members = calloc(a.nr_targets, sizeof(*p.members));
	if (!p.table.targets || !p.members) {
		evn_pr_error(ea->err, "%s", strerror(ENOMEM));
		goto out;
	}
	for (i = 0; i < a.nr_targets; i++) {
		table_target(&p.table.targets[i], kts[i], NULL);
		p.members[i].kt = kts[i];
	}
	p.table.nr_targets = a.nr_targets;
	if (evn_pool_table_check(&p.table, errbuf, sizeof(errbuf))) {
		evn_pr_error(ea->err, "%s", errbuf);
		goto out;
	}

	/* metadata areas, then the labels they hold */
	for (i = 0; i < a.nr_targets; i++) {
		old[i] = kts[i]->meta_size;
		if (old[i] != a.metadata_size) {
			if (evn_pool_target_set(&c, kts[i]->name,
						a.metadata_size)) {
				snprintf(errbuf, sizeof(errbuf),
					 "cannot give target %s a metadata area of %s: %s",
					 kts[i]->name,
					 sz(a.metadata_size, s1), c.msg);
				break;
			}
			changed[i] = true;
		}
		r = read_label(&c, kts[i]->name, &l, why, sizeof(why));
		if (r == -EIO) {
			snprintf(errbuf, sizeof(errbuf), "%s", why);
			break;
		}
		if (r != -ENODATA && !a.force) {
			label_refusal(kts[i]->name, r, &l, why, errbuf,
				      sizeof(errbuf));
			break;
		}
	}
	if (i < a.nr_targets) {
		restore_meta(&c, kts, old, changed, a.nr_targets);
		evn_pr_error(ea->err, "%s", errbuf);
		goto out;
	}

	for (i = 0; i < a.nr_targets; i++) {
		if (write_label(&c, &p.table, i, kts[i]->name))
			goto out;
		p.members[i].labeled = true;
	}
	if (evn_pool_save(&c, &p))
		goto out;
	if (ea->json) {
		ret = print_json(ea, evn_pool_json(&p, &c.volumes, NULL));
		goto out;
	}
	evn_pool_free_format(&p, s1, sizeof(s1));
	fprintf(ea->out,
		"pool %s created: %zu target%s, %s free, unit %s, metadata area %s\n",
		a.name, a.nr_targets, a.nr_targets == 1 ? "" : "s", s1,
		sz(a.unit, s2), sz(a.metadata_size, s3));
	ret = EVNADM_EXIT_OK;
out:
	free(kts);
	free(old);
	free(changed);
	evn_pool_free(&p);
	evn_pool_ctx_close(&c);
	evn_pool_create_args_free(&a);
	return ret;
}

/* Appends kernel target @kt to pool @p with UUID @uuid (NULL: new). */
static int pool_append(struct evn_pool *p, const struct evn_target *kt,
		       const unsigned char *uuid)
{
	const size_t n = p->table.nr_targets;
	struct evn_pool_target *t;
	struct evn_pool_member *m;

	t = realloc(p->table.targets, (n + 1) * sizeof(*t));
	if (!t)
		return -ENOMEM;
	p->table.targets = t;
	m = realloc(p->members, (n + 1) * sizeof(*m));
	if (!m)
		return -ENOMEM;
	p->members = m;
	table_target(&t[n], kt, uuid);
	m[n].kt = kt;
	m[n].labeled = false;
	p->table.nr_targets = n + 1;
	return 0;
}

static int pool_add_target(struct evnadm *ea, int argc, char **argv)
{
	const struct evn_target *kt;
	struct evn_pool_add_args a;
	struct evn_pool_ctx c;
	struct evn_pool p;
	struct evn_meta_label l;
	char errbuf[EVN_ERRLEN], why[EVN_ERRLEN], s1[EVN_SIZE_STRLEN];
	const unsigned char *uuid = NULL;
	uint64_t old;
	size_t i;
	int ret = EVNADM_EXIT_ERROR, r;

	if (evn_pool_add_args(argc, argv, &a, errbuf, sizeof(errbuf)))
		return evnadm_usage_error(ea, evnadm_pool_help, "%s", errbuf);
	if (open_pool(ea, &c, a.pool, &p))
		goto out;
	if (check_candidate(&c, a.target, p.table.unit,
			    p.table.metadata_size, &kt, errbuf,
			    sizeof(errbuf))) {
		evn_pr_error(ea->err, "%s", errbuf);
		goto out;
	}
	for (i = 0; i < p.table.nr_targets; i++) {
		if (p.members[i].kt == kt ||
		    same_namespace(kt, &p.table.targets[i])) {
			evn_pr_error(ea->err,
				     "target %s is already in pool \"%s\"%s%s",
				     a.target, p.table.name,
				     strcmp(a.target, p.table.targets[i].name) ?
				     " as " : "",
				     strcmp(a.target, p.table.targets[i].name) ?
				     p.table.targets[i].name : "");
			goto out;
		}
		if (!strcmp(p.table.targets[i].name, a.target)) {
			evn_pr_error(ea->err,
				     "pool \"%s\" already has a target named %s",
				     p.table.name, a.target);
			goto out;
		}
	}
	if (evn_pool_writable(&p, errbuf, sizeof(errbuf))) {
		evn_pr_error(ea->err, "%s", errbuf);
		goto out;
	}

	old = kt->meta_size;
	if (old != p.table.metadata_size &&
	    evn_pool_target_set(&c, kt->name, p.table.metadata_size)) {
		evn_pr_error(ea->err,
			     "cannot give target %s a metadata area of %s: %s",
			     kt->name, sz(p.table.metadata_size, s1), c.msg);
		goto out;
	}
	r = read_label(&c, kt->name, &l, why, sizeof(why));
	if (!r && !uuid_compare(l.pool_uuid, p.table.uuid) &&
	    !evn_pool_table_target(&p.table, l.target_uuid))
		uuid = l.target_uuid;	/* an add-target cut short: resume */
	else if (r == -EIO)
		snprintf(errbuf, sizeof(errbuf), "%s", why);
	else if (r != -ENODATA && !a.force)
		label_refusal(kt->name, r, &l, why, errbuf, sizeof(errbuf));
	else
		errbuf[0] = '\0';
	if (!uuid && errbuf[0]) {
		if (old != p.table.metadata_size &&
		    evn_pool_target_set(&c, kt->name, old))
			evn_pr_warning(ea->err,
				       "cannot put back the metadata area of target %s (%" PRIu64 " bytes): %s",
				       kt->name, old, c.msg);
		evn_pr_error(ea->err, "%s", errbuf);
		goto out;
	}
	if (pool_append(&p, kt, uuid)) {
		evn_pr_error(ea->err, "%s", strerror(ENOMEM));
		goto out;
	}
	if (evn_pool_table_check(&p.table, errbuf, sizeof(errbuf))) {
		evn_pr_error(ea->err, "%s", errbuf);
		goto out;
	}
	if (write_label(&c, &p.table, p.table.nr_targets - 1, kt->name))
		goto out;
	p.members[p.table.nr_targets - 1].labeled = true;
	if (evn_pool_save(&c, &p))
		goto out;
	if (ea->json) {
		ret = print_json(ea, evn_pool_json(&p, &c.volumes, NULL));
		goto out;
	}
	evn_pool_free_format(&p, s1, sizeof(s1));
	fprintf(ea->out, "pool %s: target %s added, %zu targets, %s free\n",
		p.table.name, a.target, p.table.nr_targets, s1);
	ret = EVNADM_EXIT_OK;
out:
	evn_pool_free(&p);
	evn_pool_ctx_close(&c);
	return ret;
}

/* ---- import ---- */

/**
 * struct import_state - "pool import" while it connects targets
 * @first: the kernel name of the target the pool was found through
 * @temporary: @first was added by this import under a temporary name
 * @uuid: the pool's UUID
 * @tried: UUIDs of the table targets a connection was attempted for
 * @nr_tried: how many
 */
struct import_state {
	char first[EVN_NAME_MAX + 1];
	bool temporary;
	unsigned char uuid[EVN_UUID_LEN];
	unsigned char (*tried)[EVN_UUID_LEN];
	size_t nr_tried;
};

/* A kernel target reaching the namespace of @t, or NULL. */
static const struct evn_target *import_find(const struct evn_pool_ctx *c,
					    const struct evn_pool_target *t)
{
	size_t k;

	for (k = 0; k < c->targets.n; k++)
		if (same_namespace(&c->targets.v[k], t))
			return &c->targets.v[k];
	return NULL;
}

/*
 * Connects table target @t under its name (or reuses the kernel's target
 * for its namespace), with the pool's metadata area. A failure is a
 * warning: the pool is imported without it.
 */
static void import_connect(struct evn_pool_ctx *c, struct import_state *st,
			   const struct evn_pool_table *table,
			   const struct evn_pool_target *t)
{
	const struct evn_target *kt = import_find(c, t);
	char addr[EVN_TRADDR_MAX + 16];
	struct evn_target reply;
	size_t i;

	for (i = 0; i < st->nr_tried; i++)
		if (!memcmp(st->tried[i], t->uuid, EVN_UUID_LEN))
			return;
	memcpy(st->tried[st->nr_tried++], t->uuid, EVN_UUID_LEN);
	target_address(t, addr, sizeof(addr));
	if (kt) {
		if (kt->meta_size != table->metadata_size &&
		    evn_pool_target_set(c, kt->name, table->metadata_size))
			evn_pr_warning(c->err,
				       "target %s (connected as \"%s\") cannot get its metadata area: %s; retry evnadm pool import",
				       t->name, kt->name, c->msg);
		return;
	}
	kt = evn_pool_ctx_target(c, t->name);
	if (kt) {
		evn_pr_warning(c->err,
			       "target %s (%s) cannot be connected: the name is taken by another target (%s, %s)",
			       t->name, addr, kt->traddr, kt->subsysnqn);
		return;
	}
	memset(&reply, 0, sizeof(reply));
	if (target_add(c, t->name, t->traddr, t->trsvcid, t->subnqn, t->nsid,
		       table->metadata_size, &reply))
		evn_pr_warning(c->err,
			       "target %s (%s, %s) cannot be connected: %s; retry evnadm pool import",
			       t->name, addr, t->subnqn, c->msg);
}

/* The pool in @c->pools with @uuid; -ENOENT after printing. */
static int import_index(struct evn_pool_ctx *c, const unsigned char *uuid,
			size_t *idx)
{
	for (*idx = 0; *idx < c->nr_pools; (*idx)++)
		if (!uuid_compare(c->pools[*idx].uuid, uuid))
			return 0;
	evn_pr_error(c->err, "the pool found at the target is not readable any more");
	return -ENOENT;
}

/*
 * The first target: reached with a metadata area of one label, its label
 * read, its area set to the pool's, its table read. @l and @table
 * receive them.
 */
static int import_first(struct evn_pool_ctx *c, struct import_state *st,
			const struct evn_pool_import_args *a,
			struct evn_meta_label *l,
			struct evn_pool_table *table)
{
	struct evn_pool_target want = { .trsvcid = a->port, .nsid = a->nsid };
	char addr[EVN_TRADDR_MAX + 16], why[EVN_ERRLEN];
	const struct evn_target *kt;
	struct evn_meta_choice choice;
	struct evn_meta_copy copy = { 0 };
	struct evn_target reply = { 0 };
	void *image[2] = { NULL, NULL };
	bool changed = false;
	unsigned int i;
	uint64_t old = 0;
	int ret;

	snprintf(want.traddr, sizeof(want.traddr), "%s", a->traddr);
	snprintf(want.subnqn, sizeof(want.subnqn), "%s", a->subsysnqn);
	target_address(&want, addr, sizeof(addr));
	kt = import_find(c, &want);
	if (kt) {
		snprintf(st->first, sizeof(st->first), "%s", kt->name);
		old = kt->meta_size;
		if (kt->state != EVN_TARGET_STATE_LIVE) {
			evn_pr_error(c->err,
				     "target %s (%s) is not connected; retry when it is live",
				     kt->name, addr);
			return -ENOTCONN;
		}
		if (old < EVN_META_LABEL_SIZE) {
			if (evn_pool_target_set(c, kt->name,
						EVN_META_LABEL_SIZE)) {
				evn_pr_error(c->err,
					     "cannot read the label of target %s (%s): %s",
					     kt->name, addr, c->msg);
				return -EIO;
			}
			changed = true;
		}
	} else {
		snprintf(st->first, sizeof(st->first), "evnadm-import-%ld",
			 (long)getpid() % 10000000);
		if (target_add(c, st->first, a->traddr, a->port, a->subsysnqn,
			       a->nsid, EVN_META_LABEL_SIZE, &reply)) {
			evn_pr_error(c->err, "cannot connect to %s (%s): %s",
				     addr, a->subsysnqn, c->msg);
			return -EIO;
		}
		st->temporary = true;
	}

	ret = read_label(c, st->first, l, why, sizeof(why));
	if (ret == -ENODATA)
		evn_pr_error(c->err,
			     "%s (%s, nsid %" PRIu32 ") carries no evn pool label",
			     addr, a->subsysnqn, a->nsid);
	else if (ret)
		evn_pr_error(c->err, "%s (%s): %s", addr, a->subsysnqn, why);
	if (!ret && (!kt || old != l->area_size)) {
		if (evn_pool_target_set(c, st->first, l->area_size)) {
			evn_pr_error(c->err,
				     "cannot give target %s the pool's metadata area of %" PRIu64 " bytes: %s",
				     st->first, l->area_size, c->msg);
			ret = -EIO;
		}
		changed = true;
	}
	for (i = 0; !ret && i < 2; i++)
		if (read_slot(c, st->first, l, i, &image[i], &copy.len[i]))
			evn_pr_warning(c->err,
				       "cannot read slot %u of %s: %s", i,
				       addr, c->msg);
	if (!ret) {
		copy.target = st->first;
		copy.label = l;
		copy.image[0] = image[0];
		copy.image[1] = image[1];
		ret = evn_meta_choose(l->pool_uuid, &copy, 1, &choice, why,
				      sizeof(why));
		if (!ret)
			ret = evn_pool_table_decode(choice.payload,
						    choice.payload_len, table,
						    why, sizeof(why));
		if (!ret)
			ret = evn_meta_label_match(l, table, why, sizeof(why));
		if (ret)
			evn_pr_error(c->err, "pool \"%s\" at %s: %s",
				     l->pool_name, addr, why);
	}
	free(image[0]);
	free(image[1]);
	if (!ret) {
		memcpy(st->uuid, l->pool_uuid, EVN_UUID_LEN);
		/*
		 * There is no rename: the target is connected again under
		 * its name in the table, with the others, in table order.
		 */
		if (st->temporary && target_del(c, st->first))
			evn_pr_warning(c->err,
				       "target %s stays connected as \"%s\": %s",
				       evn_pool_table_target(table,
							     l->target_uuid)->name,
				       st->first, c->msg);
		return 0;
	}
	/* leave the kernel as it was */
	if (st->temporary)
		target_del(c, st->first);
	else if (changed)
		evn_pool_target_set(c, st->first, old);
	evn_pool_table_free(table);
	return ret;
}

static int pool_import(struct evnadm *ea, int argc, char **argv)
{
	struct evn_pool_import_args a;
	struct import_state st = { 0 };
	struct evn_pool_table table = { 0 };
	struct evn_meta_label l;
	struct evn_pool_ctx c;
	struct evn_pool p = { 0 };
	char errbuf[EVN_ERRLEN];
	int ret = EVNADM_EXIT_ERROR, round;
	size_t i, idx;

	if (evn_pool_import_args(argc, argv, &a, errbuf, sizeof(errbuf)))
		return evnadm_usage_error(ea, evnadm_pool_help, "%s", errbuf);
	if (evn_pool_ctx_open(&c, ea->err))
		return EVNADM_EXIT_ERROR;
	if (evn_pool_ctx_scan(&c, false))
		goto out;
	if (import_first(&c, &st, &a, &l, &table) ||
	    evn_pool_ctx_scan(&c, false))
		goto out;

	/* the targets of the table, then those a newer table names */
	for (round = 0; round < IMPORT_ROUNDS; round++) {
		const struct evn_pool_table *t = round ? &p.table : &table;
		size_t before = st.nr_tried;
		void *tried;

		tried = realloc(st.tried, (st.nr_tried + t->nr_targets + 1) *
				sizeof(*st.tried));
		if (!tried) {
			evn_pr_error(ea->err, "%s", strerror(ENOMEM));
			goto out;
		}
		st.tried = tried;
		for (i = 0; i < t->nr_targets; i++)
			import_connect(&c, &st, t, &t->targets[i]);
		if (round && st.nr_tried == before)
			break;
		evn_pool_free(&p);
		if (evn_pool_ctx_scan(&c, false) ||
		    import_index(&c, st.uuid, &idx) ||
		    evn_pool_load(&c, idx, &p))
			goto out;
	}
	if (ea->json) {
		ret = print_json(ea, evn_pool_json(&p, &c.volumes, NULL));
	} else {
		evn_pool_summary(ea->out, &p);
		ret = EVNADM_EXIT_OK;
	}
out:
	free(st.tried);
	evn_pool_table_free(&table);
	evn_pool_free(&p);
	evn_pool_ctx_close(&c);
	return ret;
}

/* ---- show ---- */

static int pool_show(struct evnadm *ea, int argc, char **argv)
{
	char errbuf[EVN_ERRLEN], host[EVN_NQN_MAX + 1];
	struct json_object *arr = NULL;
	const char *hostnqn = NULL;
	struct evn_pool_ctx c;
	struct evn_pool p = { 0 };
	size_t i, idx, first = 0, last;
	int ret = EVNADM_EXIT_ERROR;

	if (argc > 1)
		return evnadm_usage_error(ea, evnadm_pool_help,
					  "extra argument \"%s\"", argv[1]);
	if (argc && evn_check_name(argv[0], "pool", errbuf, sizeof(errbuf)))
		return evnadm_usage_error(ea, evnadm_pool_help, "%s", errbuf);
	if (evn_pool_ctx_open(&c, ea->err))
		return EVNADM_EXIT_ERROR;
	if (evn_pool_ctx_scan(&c, false))
		goto out;
	if (!evn_pool_hostnqn(ea->hostnqn, getenv(EVN_HOSTNQN_ENV),
			      EVN_HOSTNQN_FILE, c.module_hostnqn, host,
			      sizeof(host), errbuf, sizeof(errbuf)))
		hostnqn = host;
	if (argc || c.nr_pools < 2) {
		if (evn_pool_select(c.pools, c.nr_pools, argc ? argv[0] : NULL,
				    &idx, errbuf, sizeof(errbuf))) {
			evn_pr_error(ea->err, "%s", errbuf);
			goto out;
		}
		first = idx;
		last = idx + 1;
	} else {
		last = c.nr_pools;
		arr = ea->json ? json_object_new_array() : NULL;
		if (ea->json && !arr) {
			evn_pr_error(ea->err, "%s", strerror(ENOMEM));
			goto out;
		}
	}
	ret = EVNADM_EXIT_OK;
	for (i = first; i < last; i++) {
		if (evn_pool_load(&c, i, &p)) {
			ret = EVNADM_EXIT_ERROR;
			continue;
		}
		if (ea->json && !arr) {
			ret = print_json(ea, evn_pool_json(&p, &c.volumes,
							   hostnqn));
		} else if (ea->json) {
			if (json_append(arr, evn_pool_json(&p, &c.volumes,
							   hostnqn))) {
				evn_pr_error(ea->err, "%s", strerror(ENOMEM));
				ret = EVNADM_EXIT_ERROR;
			}
		} else {
			if (i != first)
				fputc('\n', ea->out);
			if (evn_pool_print(ea->out, &p, &c.volumes, hostnqn)) {
				evn_pr_error(ea->err, "%s", strerror(ENOMEM));
				ret = EVNADM_EXIT_ERROR;
			}
		}
		evn_pool_free(&p);
	}
	if (arr) {
		if (print_json(ea, arr))
			ret = EVNADM_EXIT_ERROR;
		arr = NULL;
	}
out:
	json_object_put(arr);
	evn_pool_ctx_close(&c);
	return ret;
}

static const struct evnadm_cmd pool_cmds[] = {
	{ "create",	pool_create },
	{ "add-target",	pool_add_target },
	{ "import",	pool_import },
	{ "show",	pool_show },
};

/**
 * evnadm_pool() - the "pool" object
 * @ea: this run
 * @argc: number of words after "pool"
 * @argv: those words
 *
 * Without a command: show.
 *
 * Return: EVNADM_EXIT_*.
 */
int evnadm_pool(struct evnadm *ea, int argc, char **argv)
{
	return evnadm_dispatch(ea, pool_cmds, ARRAY_SIZE(pool_cmds),
			       pool_show, evnadm_pool_help, argc, argv);
}
