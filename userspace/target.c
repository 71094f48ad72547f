// SPDX-License-Identifier: GPL-2.0
/*
 * target.c - the "target" object of evnadm
 *
 *   evnadm target add NAME addr ADDR [port PORT] nqn NQN [nsid N]
 *                 [hostnqn NQN] [reconnect-delay S] [loss-timeout S]
 *   evnadm target del NAME
 *   evnadm target show [NAME]     all targets as a table, or one in detail
 *
 * The command line is parsed and checked completely before the kernel is
 * asked anything, so a usage error never depends on the module. Requests
 * are built by evn_target_add_put() and replies decoded by
 * evn_target_parse(), both free of I/O so the unit tests can run them on
 * hand-built messages.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <linux/evn.h>

#include "evnadm.h"
#include "nl.h"
#include "parse.h"
#include "print.h"
#include "target.h"

static struct nla_policy evn_target_policy[EVN_A_TARGET_MAX + 1] = {
	[EVN_A_TARGET_ID]		= { .type = NLA_U32 },
	[EVN_A_TARGET_NAME]		= { .type = NLA_STRING },
	[EVN_A_TARGET_TRADDR]		= { .type = NLA_STRING },
	[EVN_A_TARGET_PORT]		= { .type = NLA_U16 },
	[EVN_A_TARGET_SUBSYSNQN]	= { .type = NLA_STRING },
	[EVN_A_TARGET_NSID]		= { .type = NLA_U32 },
	[EVN_A_TARGET_HOSTNQN]		= { .type = NLA_STRING },
	[EVN_A_TARGET_RECONNECT_DELAY]	= { .type = NLA_U32 },
	[EVN_A_TARGET_LOSS_TIMEOUT]	= { .type = NLA_U32 },
	[EVN_A_TARGET_STATE]		= { .type = NLA_U32 },
	[EVN_A_TARGET_CAPACITY]		= { .type = NLA_U64 },
	[EVN_A_TARGET_LBA_SIZE]		= { .type = NLA_U32 },
	[EVN_A_TARGET_IO_QUEUES]	= { .type = NLA_U32 },
	[EVN_A_TARGET_QUEUE_DEPTH]	= { .type = NLA_U32 },
	[EVN_A_TARGET_MAX_TRANSFER]	= { .type = NLA_U32 },
	[EVN_A_TARGET_ONCS]		= { .type = NLA_U32 },
	[EVN_A_TARGET_VWC]		= { .type = NLA_U8 },
	[EVN_A_TARGET_RECONNECTS]	= { .type = NLA_U32 },
	[EVN_A_TARGET_TIMEOUTS]		= { .type = NLA_U32 },
	[EVN_A_TARGET_ERROR]		= { .type = NLA_STRING },
	[EVN_A_TARGET_CNTLID]		= { .type = NLA_U32 },
	[EVN_A_TARGET_META_SIZE]	= { .type = NLA_U64 },
};

/* enum evn_target_state -> name; the names are part of the JSON output */
static const char *const evn_target_states[] = {
	[EVN_TARGET_STATE_NEW]		= "new",
	[EVN_TARGET_STATE_CONNECTING]	= "connecting",
	[EVN_TARGET_STATE_LIVE]		= "live",
	[EVN_TARGET_STATE_RESETTING]	= "resetting",
	[EVN_TARGET_STATE_DELETING]	= "deleting",
	[EVN_TARGET_STATE_FAILED]	= "failed",
};

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

void evnadm_target_help(FILE *f)
{
	fprintf(f,
		"Usage: evnadm target add NAME addr ADDR [ port PORT ] nqn NQN [ nsid NSID ]\n"
		"                         [ hostnqn NQN ] [ reconnect-delay SECONDS ]\n"
		"                         [ loss-timeout SECONDS ]\n"
		"       evnadm target del NAME\n"
		"       evnadm target show [ NAME ]\n"
		"       evnadm target help\n"
		"where  NAME := 1-%d characters of A-Z a-z 0-9 . _ -, not starting with -\n"
		"       ADDR := IPv4 or IPv6 address of an NVMe-oF/RDMA target\n"
		"       PORT := transport service id (default %d)\n"
		"       NQN := NVMe qualified name, at most %d characters\n"
		"       NSID := namespace id (default 1)\n"
		"Keywords after NAME may come in any order. hostnqn defaults to the\n"
		"module's host NQN. show without NAME lists every target.\n",
		EVN_NAME_MAX, EVN_DEFAULT_PORT, EVN_NQN_MAX);
}

/* keywords of "target add" and the attribute each one sets */
static const struct {
	const char *word;
	int attr;
} target_add_keywords[] = {
	{ "addr",		EVN_A_TARGET_TRADDR },
	{ "port",		EVN_A_TARGET_PORT },
	{ "nqn",		EVN_A_TARGET_SUBSYSNQN },
	{ "nsid",		EVN_A_TARGET_NSID },
	{ "hostnqn",		EVN_A_TARGET_HOSTNQN },
	{ "reconnect-delay",	EVN_A_TARGET_RECONNECT_DELAY },
	{ "loss-timeout",	EVN_A_TARGET_LOSS_TIMEOUT },
};

static int target_add_keyword(const char *word)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(target_add_keywords); i++)
		if (!strcmp(word, target_add_keywords[i].word))
			return target_add_keywords[i].attr;
	return -1;
}

/* The value of keyword @kw, checked and stored in @a. */
static int target_add_value(struct evn_target_args *a, int attr,
			    const char *kw, const char *val,
			    char *errbuf, size_t errlen)
{
	uint32_t v;

	switch (attr) {
	case EVN_A_TARGET_TRADDR:
		if (evn_check_traddr(val, errbuf, errlen))
			return -EINVAL;
		a->traddr = val;
		return 0;
	case EVN_A_TARGET_SUBSYSNQN:
	case EVN_A_TARGET_HOSTNQN:
		if (evn_check_nqn(val, errbuf, errlen))
			return -EINVAL;
		if (attr == EVN_A_TARGET_SUBSYSNQN)
			a->subsysnqn = val;
		else
			a->hostnqn = val;
		return 0;
	case EVN_A_TARGET_PORT:
		if (evn_parse_u32(val, &v) || v < 1 || v > UINT16_MAX) {
			snprintf(errbuf, errlen,
				 "invalid port \"%s\": not a number from 1 to %u",
				 val, UINT16_MAX);
			return -EINVAL;
		}
		a->port = (uint16_t)v;
		return 0;
	case EVN_A_TARGET_NSID:
		/* 0 is no namespace, 0xffffffff all of them */
		if (evn_parse_u32(val, &v) || v < 1 || v == UINT32_MAX) {
			snprintf(errbuf, errlen,
				 "invalid nsid \"%s\": not a number from 1 to %u",
				 val, UINT32_MAX - 1);
			return -EINVAL;
		}
		a->nsid = v;
		return 0;
	default:	/* reconnect-delay, loss-timeout */
		if (evn_parse_u32(val, &v) || v < 1 || v > EVN_SECONDS_MAX) {
			snprintf(errbuf, errlen,
				 "invalid %s \"%s\": not a number of seconds from 1 to %u",
				 kw, val, EVN_SECONDS_MAX);
			return -EINVAL;
		}
		if (attr == EVN_A_TARGET_RECONNECT_DELAY)
			a->reconnect_delay = v;
		else
			a->loss_timeout = v;
		return 0;
	}
}

/**
 * evn_target_add_args() - parse the command line of "evnadm target add"
 * @argc: number of words after "add"
 * @argv: those words: NAME, then keyword/value pairs in any order
 * @a: filled in on success
 * @errbuf: receives a one-line reason naming the bad word on failure
 * @errlen: size of @errbuf (EVN_ERRLEN is enough)
 *
 * Checks what evnadm can check: the name, the address syntax, NQN
 * lengths, number ranges, unknown, repeated and missing keywords.
 *
 * Return: 0, or -EINVAL with @errbuf set.
 */
int evn_target_add_args(int argc, char **argv, struct evn_target_args *a,
			char *errbuf, size_t errlen)
{
	int i;

	memset(a, 0, sizeof(*a));
	a->port = EVN_DEFAULT_PORT;
	if (argc < 1) {
		snprintf(errbuf, errlen, "missing NAME");
		return -EINVAL;
	}
	if (target_add_keyword(argv[0]) >= 0) {
		snprintf(errbuf, errlen, "missing NAME before \"%s\"", argv[0]);
		return -EINVAL;
	}
	if (evn_check_name(argv[0], "target", errbuf, errlen))
		return -EINVAL;
	a->name = argv[0];
	a->have = EVN_HAVE(EVN_A_TARGET_NAME);

	for (i = 1; i < argc; i += 2) {
		int attr = target_add_keyword(argv[i]);

		if (attr < 0) {
			snprintf(errbuf, errlen, "unknown keyword \"%s\"",
				 argv[i]);
			return -EINVAL;
		}
		if (a->have & EVN_HAVE(attr)) {
			snprintf(errbuf, errlen, "duplicate keyword \"%s\"",
				 argv[i]);
			return -EINVAL;
		}
		if (i + 1 >= argc) {
			snprintf(errbuf, errlen, "missing value after \"%s\"",
				 argv[i]);
			return -EINVAL;
		}
		if (target_add_value(a, attr, argv[i], argv[i + 1], errbuf,
				     errlen))
			return -EINVAL;
		a->have |= EVN_HAVE(attr);
	}
	if (!a->traddr) {
		snprintf(errbuf, errlen, "missing \"addr ADDR\"");
		return -EINVAL;
	}
	if (!a->subsysnqn) {
		snprintf(errbuf, errlen, "missing \"nqn NQN\"");
		return -EINVAL;
	}
	return 0;
}

/**
 * evn_target_add_put() - the attributes of a target-add request
 * @msg: a message from evn_nl_msg(), genl header in place
 * @a: checked arguments from evn_target_add_args()
 *
 * NAME, TRADDR, PORT (the default when not given) and SUBSYSNQN always;
 * NSID, HOSTNQN, RECONNECT_DELAY and LOSS_TIMEOUT when given, so the module
 * applies its own defaults otherwise.
 *
 * Return: 0, or a negative libnl error when @msg is full.
 */
int evn_target_add_put(struct nl_msg *msg, const struct evn_target_args *a)
{
	int ret;

	ret = nla_put_string(msg, EVN_A_TARGET_NAME, a->name);
	if (!ret)
		ret = nla_put_string(msg, EVN_A_TARGET_TRADDR, a->traddr);
	if (!ret)
		ret = nla_put_u16(msg, EVN_A_TARGET_PORT, a->port);
	if (!ret)
		ret = nla_put_string(msg, EVN_A_TARGET_SUBSYSNQN,
				     a->subsysnqn);
	if (!ret && (a->have & EVN_HAVE(EVN_A_TARGET_NSID)))
		ret = nla_put_u32(msg, EVN_A_TARGET_NSID, a->nsid);
	if (!ret && a->hostnqn)
		ret = nla_put_string(msg, EVN_A_TARGET_HOSTNQN, a->hostnqn);
	if (!ret && (a->have & EVN_HAVE(EVN_A_TARGET_RECONNECT_DELAY)))
		ret = nla_put_u32(msg, EVN_A_TARGET_RECONNECT_DELAY,
				  a->reconnect_delay);
	if (!ret && (a->have & EVN_HAVE(EVN_A_TARGET_LOSS_TIMEOUT)))
		ret = nla_put_u32(msg, EVN_A_TARGET_LOSS_TIMEOUT,
				  a->loss_timeout);
	return ret;
}

static void get_string(char *dst, size_t len, const struct nlattr *nla)
{
	snprintf(dst, len, "%s", nla_get_string((struct nlattr *)nla));
}

/**
 * evn_target_parse() - decode a message describing one target
 * @nlh: a target-get or target-add reply, or a target notification
 * @arg: struct evn_target, overwritten
 *
 * An evn_nl_parse_fn. Attributes this evnadm does not know, and the
 * padding of 64-bit ones, are ignored; @t->have tells which were there.
 *
 * Return: 0, or -EPROTO when the message is malformed.
 */
int evn_target_parse(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[EVN_A_TARGET_MAX + 1];
	struct evn_target *t = arg;
	int i;

	memset(t, 0, sizeof(*t));
	if (genlmsg_parse(nlh, 0, tb, EVN_A_TARGET_MAX, evn_target_policy) < 0)
		return -EPROTO;
	for (i = 1; i <= EVN_A_TARGET_MAX; i++)
		if (tb[i] && i != EVN_A_TARGET_PAD)
			t->have |= EVN_HAVE(i);

#define U32(attr, field)					\
	do {							\
		if (tb[attr])					\
			t->field = nla_get_u32(tb[attr]);	\
	} while (0)
	U32(EVN_A_TARGET_ID, id);
	U32(EVN_A_TARGET_NSID, nsid);
	U32(EVN_A_TARGET_RECONNECT_DELAY, reconnect_delay);
	U32(EVN_A_TARGET_LOSS_TIMEOUT, loss_timeout);
	U32(EVN_A_TARGET_STATE, state);
	U32(EVN_A_TARGET_LBA_SIZE, lba_size);
	U32(EVN_A_TARGET_IO_QUEUES, io_queues);
	U32(EVN_A_TARGET_QUEUE_DEPTH, queue_depth);
	U32(EVN_A_TARGET_MAX_TRANSFER, max_transfer);
	U32(EVN_A_TARGET_ONCS, oncs);
	U32(EVN_A_TARGET_RECONNECTS, reconnects);
	U32(EVN_A_TARGET_TIMEOUTS, timeouts);
	U32(EVN_A_TARGET_CNTLID, cntlid);
#undef U32
	if (tb[EVN_A_TARGET_META_SIZE])
		t->meta_size = nla_get_u64(tb[EVN_A_TARGET_META_SIZE]);
	if (tb[EVN_A_TARGET_NAME])
		get_string(t->name, sizeof(t->name), tb[EVN_A_TARGET_NAME]);
	if (tb[EVN_A_TARGET_ERROR])
		get_string(t->error, sizeof(t->error), tb[EVN_A_TARGET_ERROR]);
	if (tb[EVN_A_TARGET_TRADDR])
		get_string(t->traddr, sizeof(t->traddr),
			   tb[EVN_A_TARGET_TRADDR]);
	if (tb[EVN_A_TARGET_SUBSYSNQN])
		get_string(t->subsysnqn, sizeof(t->subsysnqn),
			   tb[EVN_A_TARGET_SUBSYSNQN]);
	if (tb[EVN_A_TARGET_HOSTNQN])
		get_string(t->hostnqn, sizeof(t->hostnqn),
			   tb[EVN_A_TARGET_HOSTNQN]);
	if (tb[EVN_A_TARGET_PORT])
		t->port = nla_get_u16(tb[EVN_A_TARGET_PORT]);
	if (tb[EVN_A_TARGET_CAPACITY])
		t->capacity = nla_get_u64(tb[EVN_A_TARGET_CAPACITY]);
	if (tb[EVN_A_TARGET_VWC])
		t->vwc = nla_get_u8(tb[EVN_A_TARGET_VWC]);
	return 0;
}

/**
 * evn_target_list_parse() - decode one message of a target-get dump
 * @nlh: the message
 * @arg: struct evn_target_list to append the target to
 *
 * An evn_nl_parse_fn.
 *
 * Return: 0, -EPROTO when the message is malformed, or -ENOMEM.
 */
int evn_target_list_parse(struct nlmsghdr *nlh, void *arg)
{
	struct evn_target_list *l = arg;
	int ret;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 8;
		struct evn_target *v = reallocarray(l->v, cap, sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	ret = evn_target_parse(nlh, &l->v[l->n]);
	if (ret)
		return ret;
	l->n++;
	return 0;
}

/**
 * evn_target_list_free() - free the targets of a list, leave it empty
 * @l: the list
 */
void evn_target_list_free(struct evn_target_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/**
 * evn_target_state_name() - name of a target state
 * @state: enum evn_target_state
 *
 * Return: "new", "connecting", "live", "resetting", "deleting" or
 * "failed", or NULL for a state this evnadm does not know.
 */
const char *evn_target_state_name(uint32_t state)
{
	if (state >= ARRAY_SIZE(evn_target_states))
		return NULL;
	return evn_target_states[state];
}

/**
 * evn_target_state_format() - a target state as evnadm prints it
 * @state: enum evn_target_state
 * @buf: output buffer (EVN_STATE_STRLEN is enough)
 * @len: size of @buf
 *
 * The name, or "unknown(N)" for a state of a newer module.
 *
 * Return: the length of the text, like snprintf().
 */
size_t evn_target_state_format(uint32_t state, char *buf, size_t len)
{
	const char *name = evn_target_state_name(state);
	int n;

	if (name)
		n = snprintf(buf, len, "%s", name);
	else
		n = snprintf(buf, len, "unknown(%" PRIu32 ")", state);
	return n < 0 ? 0 : (size_t)n;
}

/* The features a target reports, in the order evnadm prints them. */
static size_t target_feature_names(const struct evn_target *t,
				   const char *names[3])
{
	size_t n = 0;

	if (t->oncs & EVN_NVME_ONCS_DSM)
		names[n++] = "discard";
	if (t->oncs & EVN_NVME_ONCS_WRITE_ZEROES)
		names[n++] = "write-zeroes";
	if (t->vwc == 1)
		names[n++] = "volatile-write-cache";
	return n;
}

/**
 * evn_target_features() - the features of a target as text
 * @t: the target
 * @buf: output buffer (EVN_TARGET_FEATURES_STRLEN is enough)
 * @len: size of @buf
 *
 * From ONCS and VWC: "discard,write-zeroes,volatile-write-cache", any of
 * them, or "none".
 *
 * Return: the length of the text, like snprintf().
 */
size_t evn_target_features(const struct evn_target *t, char *buf, size_t len)
{
	const char *names[3];
	size_t i, n, off = 0;

	n = target_feature_names(t, names);
	if (len)
		buf[0] = '\0';
	if (!n)
		return snprintf(buf, len, "none");
	for (i = 0; i < n; i++)
		off += snprintf(off < len ? buf + off : NULL,
				off < len ? len - off : 0, "%s%s",
				i ? "," : "", names[i]);
	return off;
}

/**
 * evn_target_address() - the address of a target as "ADDR:PORT"
 * @t: the target
 * @buf: output buffer
 * @len: size of @buf
 *
 * IPv6 addresses in brackets: "[fe80::1%eth0]:4420". Without a port
 * attribute the address alone; without an address "-".
 *
 * Return: the length of the text, like snprintf().
 */
size_t evn_target_address(const struct evn_target *t, char *buf, size_t len)
{
	bool v6 = strchr(t->traddr, ':') != NULL;
	int n;

	if (!(t->have & EVN_HAVE(EVN_A_TARGET_TRADDR)))
		n = snprintf(buf, len, "-");
	else if (!(t->have & EVN_HAVE(EVN_A_TARGET_PORT)))
		n = snprintf(buf, len, "%s", t->traddr);
	else
		n = snprintf(buf, len, "%s%s%s:%" PRIu16, v6 ? "[" : "",
			     t->traddr, v6 ? "]" : "", t->port);
	return n < 0 ? 0 : (size_t)n;
}

/* @key: @v when the kernel sent @attr; 0 or -ENOMEM */
static int json_u32(struct json_object *obj, const struct evn_target *t,
		    int attr, const char *key, uint32_t v)
{
	if (!(t->have & EVN_HAVE(attr)))
		return 0;
	return evn_json_add(obj, key, json_object_new_int64(v));
}

static int json_str(struct json_object *obj, const struct evn_target *t,
		    int attr, const char *key, const char *v)
{
	if (!(t->have & EVN_HAVE(attr)))
		return 0;
	return evn_json_add(obj, key, json_object_new_string(v));
}

/* The features array, when ONCS or VWC was sent; 0 or -ENOMEM. */
static int json_features(struct json_object *obj, const struct evn_target *t)
{
	struct json_object *arr;
	const char *names[3];
	size_t i, n;

	if (!(t->have & (EVN_HAVE(EVN_A_TARGET_ONCS) |
			 EVN_HAVE(EVN_A_TARGET_VWC))))
		return 0;
	arr = json_object_new_array();
	if (evn_json_add(obj, "features", arr))
		return -ENOMEM;
	n = target_feature_names(t, names);
	for (i = 0; i < n; i++) {
		struct json_object *s = json_object_new_string(names[i]);

		if (!s || json_object_array_add(arr, s)) {
			json_object_put(s);
			return -ENOMEM;
		}
	}
	return 0;
}

/* JSON of the attributes present, in UAPI order; 0 or -ENOMEM. */
static int target_json_fill(struct json_object *obj,
			    const struct evn_target *t)
{
	char state[EVN_STATE_STRLEN];

	evn_target_state_format(t->state, state, sizeof(state));
	if (json_str(obj, t, EVN_A_TARGET_NAME, "name", t->name) ||
	    json_u32(obj, t, EVN_A_TARGET_ID, "id", t->id) ||
	    json_str(obj, t, EVN_A_TARGET_STATE, "state", state) ||
	    json_str(obj, t, EVN_A_TARGET_ERROR, "error", t->error) ||
	    json_str(obj, t, EVN_A_TARGET_TRADDR, "addr", t->traddr) ||
	    json_u32(obj, t, EVN_A_TARGET_PORT, "port", t->port) ||
	    json_str(obj, t, EVN_A_TARGET_SUBSYSNQN, "subsysnqn",
		     t->subsysnqn) ||
	    json_u32(obj, t, EVN_A_TARGET_NSID, "nsid", t->nsid) ||
	    json_str(obj, t, EVN_A_TARGET_HOSTNQN, "hostnqn", t->hostnqn) ||
	    json_u32(obj, t, EVN_A_TARGET_RECONNECT_DELAY, "reconnect_delay",
		     t->reconnect_delay) ||
	    json_u32(obj, t, EVN_A_TARGET_LOSS_TIMEOUT, "loss_timeout",
		     t->loss_timeout))
		return -ENOMEM;
	if ((t->have & EVN_HAVE(EVN_A_TARGET_CAPACITY)) &&
	    evn_json_add(obj, "capacity", json_object_new_uint64(t->capacity)))
		return -ENOMEM;
	if (json_u32(obj, t, EVN_A_TARGET_LBA_SIZE, "lba_size", t->lba_size) ||
	    json_u32(obj, t, EVN_A_TARGET_IO_QUEUES, "io_queues",
		     t->io_queues) ||
	    json_u32(obj, t, EVN_A_TARGET_QUEUE_DEPTH, "queue_depth",
		     t->queue_depth) ||
	    json_u32(obj, t, EVN_A_TARGET_MAX_TRANSFER, "max_transfer",
		     t->max_transfer) ||
	    json_u32(obj, t, EVN_A_TARGET_ONCS, "oncs", t->oncs) ||
	    json_u32(obj, t, EVN_A_TARGET_VWC, "vwc", t->vwc) ||
	    json_features(obj, t) ||
	    json_u32(obj, t, EVN_A_TARGET_RECONNECTS, "reconnects",
		     t->reconnects) ||
	    json_u32(obj, t, EVN_A_TARGET_CNTLID, "cntlid", t->cntlid) ||
	    json_u32(obj, t, EVN_A_TARGET_TIMEOUTS, "timeouts", t->timeouts))
		return -ENOMEM;
	if ((t->have & EVN_HAVE(EVN_A_TARGET_META_SIZE)) &&
	    evn_json_add(obj, "meta_size",
			 json_object_new_uint64(t->meta_size)))
		return -ENOMEM;
	return 0;
}

/**
 * evn_target_json() - a target as evnadm prints it with -j
 * @t: the target
 *
 * One member per attribute the kernel sent, in UAPI order, numbers as
 * numbers (capacity in bytes), the state by name, the decoded ONCS/VWC
 * bits as a "features" array:
 * {"name":"t0","id":1,"state":"live","addr":"192.168.1.10","port":4420,
 *  "subsysnqn":"nqn...","nsid":1,...,"capacity":1073741824,...,
 *  "oncs":12,"vwc":0,"features":["discard","write-zeroes"],...}
 *
 * Return: a new json-c object (caller puts it), or NULL on ENOMEM.
 */
struct json_object *evn_target_json(const struct evn_target *t)
{
	struct json_object *obj = json_object_new_object();

	if (obj && target_json_fill(obj, t)) {
		json_object_put(obj);
		return NULL;
	}
	return obj;
}

/**
 * evn_target_list_json() - the targets of a dump as a JSON array
 * @l: the targets
 *
 * Return: a new json-c array of evn_target_json() objects (caller puts
 * it), or NULL on ENOMEM.
 */
struct json_object *evn_target_list_json(const struct evn_target_list *l)
{
	struct json_object *arr = json_object_new_array();
	size_t i;

	if (!arr)
		return NULL;
	for (i = 0; i < l->n; i++) {
		struct json_object *obj = evn_target_json(&l->v[i]);

		if (!obj || json_object_array_add(arr, obj)) {
			json_object_put(obj);
			json_object_put(arr);
			return NULL;
		}
	}
	return arr;
}

/**
 * evn_target_print() - a target in detail, one "label: value" line per
 *	attribute the kernel sent
 * @f: stream
 * @t: the target
 */
void evn_target_print(FILE *f, const struct evn_target *t)
{
	char buf[EVN_SIZE_STRLEN + EVN_TARGET_FEATURES_STRLEN];

#define HAVE(a)	(t->have & EVN_HAVE(a))
	if (HAVE(EVN_A_TARGET_NAME))
		evn_pr_field(f, "name:", "%s", t->name);
	if (HAVE(EVN_A_TARGET_ID))
		evn_pr_field(f, "id:", "%" PRIu32, t->id);
	if (HAVE(EVN_A_TARGET_STATE)) {
		evn_target_state_format(t->state, buf, sizeof(buf));
		evn_pr_field(f, "state:", "%s", buf);
	}
	if (HAVE(EVN_A_TARGET_ERROR))
		evn_pr_field(f, "error:", "%s", t->error);
	if (HAVE(EVN_A_TARGET_TRADDR))
		evn_pr_field(f, "address:", "%s", t->traddr);
	if (HAVE(EVN_A_TARGET_PORT))
		evn_pr_field(f, "port:", "%" PRIu16, t->port);
	if (HAVE(EVN_A_TARGET_SUBSYSNQN))
		evn_pr_field(f, "subsystem NQN:", "%s", t->subsysnqn);
	if (HAVE(EVN_A_TARGET_NSID))
		evn_pr_field(f, "nsid:", "%" PRIu32, t->nsid);
	if (HAVE(EVN_A_TARGET_HOSTNQN))
		evn_pr_field(f, "host NQN:", "%s", t->hostnqn);
	if (HAVE(EVN_A_TARGET_RECONNECT_DELAY))
		evn_pr_field(f, "reconnect delay:", "%" PRIu32 "s",
			     t->reconnect_delay);
	if (HAVE(EVN_A_TARGET_LOSS_TIMEOUT))
		evn_pr_field(f, "loss timeout:", "%" PRIu32 "s",
			     t->loss_timeout);
	if (HAVE(EVN_A_TARGET_CAPACITY)) {
		evn_format_size_bytes(t->capacity, buf, sizeof(buf));
		evn_pr_field(f, "capacity:", "%s", buf);
	}
	if (HAVE(EVN_A_TARGET_LBA_SIZE))
		evn_pr_field(f, "LBA size:", "%" PRIu32, t->lba_size);
	if (HAVE(EVN_A_TARGET_IO_QUEUES))
		evn_pr_field(f, "I/O queues:", "%" PRIu32, t->io_queues);
	if (HAVE(EVN_A_TARGET_QUEUE_DEPTH))
		evn_pr_field(f, "queue depth:", "%" PRIu32, t->queue_depth);
	if (HAVE(EVN_A_TARGET_MAX_TRANSFER)) {
		evn_format_size_bytes(t->max_transfer, buf, sizeof(buf));
		evn_pr_field(f, "max transfer:", "%s", buf);
	}
	if (HAVE(EVN_A_TARGET_ONCS) || HAVE(EVN_A_TARGET_VWC)) {
		evn_target_features(t, buf, sizeof(buf));
		evn_pr_field(f, "features:", "%s", buf);
	}
	if (HAVE(EVN_A_TARGET_RECONNECTS))
		evn_pr_field(f, "reconnects:", "%" PRIu32, t->reconnects);
	if (HAVE(EVN_A_TARGET_CNTLID))
		evn_pr_field(f, "cntlid:", "%" PRIu32, t->cntlid);
	if (HAVE(EVN_A_TARGET_TIMEOUTS))
		evn_pr_field(f, "timeouts:", "%" PRIu32, t->timeouts);
	if (HAVE(EVN_A_TARGET_META_SIZE) && t->meta_size) {
		evn_format_size_bytes(t->meta_size, buf, sizeof(buf));
		evn_pr_field(f, "metadata area:", "%s", buf);
	}
#undef HAVE
}

static const struct evn_table_col target_cols[] = {
	{ "NAME",	false },
	{ "ID",		true },
	{ "STATE",	false },
	{ "ADDRESS",	false },
	{ "NSID",	true },
	{ "CAPACITY",	true },
	{ "LBA",	true },
	{ "QUEUES",	true },
	{ "RECONNECTS",	true },
};

/* a u32 cell, or "-" when the kernel did not send the attribute */
static void cell_u32(char *cell, const struct evn_target *t, int attr,
		     uint32_t v)
{
	if (t->have & EVN_HAVE(attr))
		snprintf(cell, EVN_TABLE_CELL, "%" PRIu32, v);
	else
		snprintf(cell, EVN_TABLE_CELL, "-");
}

/**
 * evn_target_table() - the targets of a dump as a table
 * @f: stream
 * @l: the targets; none prints nothing
 *
 * NAME ID STATE ADDRESS NSID CAPACITY LBA QUEUES RECONNECTS, one line per
 * target, "-" for what the kernel did not send (a target that never
 * connected has no capacity). ADDRESS is ADDR:PORT, CAPACITY human-readable
 * (evn_format_size()), QUEUES is "2x128" for 2 I/O queues of depth 128.
 * tests/target_test.c pins the exact layout.
 *
 * Return: 0, or -ENOMEM.
 */
int evn_target_table(FILE *f, const struct evn_target_list *l)
{
	const size_t ncols = ARRAY_SIZE(target_cols);
	char (*cells)[EVN_TABLE_CELL];
	size_t i;

	if (!l->n)
		return 0;
	cells = calloc(l->n * ncols, sizeof(*cells));
	if (!cells)
		return -ENOMEM;
	for (i = 0; i < l->n; i++) {
		const struct evn_target *t = &l->v[i];
		char (*row)[EVN_TABLE_CELL] = cells + i * ncols;

		snprintf(row[0], EVN_TABLE_CELL, "%s",
			 t->have & EVN_HAVE(EVN_A_TARGET_NAME) ? t->name : "-");
		cell_u32(row[1], t, EVN_A_TARGET_ID, t->id);
		if (t->have & EVN_HAVE(EVN_A_TARGET_STATE))
			evn_target_state_format(t->state, row[2],
						EVN_TABLE_CELL);
		else
			snprintf(row[2], EVN_TABLE_CELL, "-");
		evn_target_address(t, row[3], EVN_TABLE_CELL);
		cell_u32(row[4], t, EVN_A_TARGET_NSID, t->nsid);
		if (t->have & EVN_HAVE(EVN_A_TARGET_CAPACITY))
			evn_format_size(t->capacity, row[5], EVN_TABLE_CELL);
		else
			snprintf(row[5], EVN_TABLE_CELL, "-");
		cell_u32(row[6], t, EVN_A_TARGET_LBA_SIZE, t->lba_size);
		if ((t->have & EVN_HAVE(EVN_A_TARGET_IO_QUEUES)) &&
		    (t->have & EVN_HAVE(EVN_A_TARGET_QUEUE_DEPTH)))
			snprintf(row[7], EVN_TABLE_CELL,
				 "%" PRIu32 "x%" PRIu32, t->io_queues,
				 t->queue_depth);
		else
			snprintf(row[7], EVN_TABLE_CELL, "-");
		cell_u32(row[8], t, EVN_A_TARGET_RECONNECTS, t->reconnects);
	}
	evn_table_print(f, target_cols, ncols,
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

/* A reply must at least say which target it describes. */
static int target_check(struct evnadm *ea, const struct evn_target *t)
{
	if (!(t->have & EVN_HAVE(EVN_A_TARGET_NAME))) {
		evn_pr_error(ea->err,
			     "evn module sent a target reply without a name");
		return -EPROTO;
	}
	return 0;
}

/* Send a request naming one target (or none); decode the replies. */
static int target_request(struct evnadm *ea, uint8_t cmd, int flags,
			  const struct evn_target_args *add, const char *name,
			  evn_nl_parse_fn parse, void *arg)
{
	struct evn_nl *nl;
	struct nl_msg *msg;
	int ret;

	if (evn_nl_open(&nl, ea->err))
		return -EIO;
	msg = evn_nl_msg(nl, cmd, flags);
	if (!msg) {
		evn_nl_close(nl);
		return -ENOMEM;
	}
	if (add)
		ret = evn_target_add_put(msg, add);
	else if (name)
		ret = nla_put_string(msg, EVN_A_TARGET_NAME, name);
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

static int target_add(struct evnadm *ea, int argc, char **argv)
{
	char errbuf[EVN_ERRLEN];
	struct evn_target_args a;
	struct evn_target t = { 0 };

	if (evn_target_add_args(argc, argv, &a, errbuf, sizeof(errbuf)))
		return evnadm_usage_error(ea, evnadm_target_help, "%s", errbuf);
	if (target_request(ea, EVN_CMD_TARGET_ADD, 0, &a, NULL,
			   evn_target_parse, &t))
		return EVNADM_EXIT_ERROR;
	/* iproute2 style: silence on success, unless asked for JSON */
	if (!ea->json)
		return EVNADM_EXIT_OK;
	if (target_check(ea, &t))
		return EVNADM_EXIT_ERROR;
	return print_json(ea, evn_target_json(&t));
}

/* The single NAME argument of del and show. */
static int target_name_arg(struct evnadm *ea, int argc, char **argv)
{
	char errbuf[EVN_ERRLEN];

	if (argc > 1)
		return evnadm_usage_error(ea, evnadm_target_help,
					  "extra argument \"%s\"", argv[1]);
	if (evn_check_name(argv[0], "target", errbuf, sizeof(errbuf)))
		return evnadm_usage_error(ea, evnadm_target_help, "%s", errbuf);
	return EVNADM_EXIT_OK;
}

static int target_del(struct evnadm *ea, int argc, char **argv)
{
	int ret;

	if (argc < 1)
		return evnadm_usage_error(ea, evnadm_target_help,
					  "missing NAME");
	ret = target_name_arg(ea, argc, argv);
	if (ret)
		return ret;
	if (target_request(ea, EVN_CMD_TARGET_DEL, 0, NULL, argv[0], NULL,
			   NULL))
		return EVNADM_EXIT_ERROR;
	return EVNADM_EXIT_OK;
}

static int target_show_all(struct evnadm *ea)
{
	struct evn_target_list l = { 0 };
	size_t i;
	int ret;

	if (target_request(ea, EVN_CMD_TARGET_GET, NLM_F_DUMP, NULL, NULL,
			   evn_target_list_parse, &l)) {
		evn_target_list_free(&l);
		return EVNADM_EXIT_ERROR;
	}
	for (i = 0; i < l.n; i++) {
		if (target_check(ea, &l.v[i])) {
			evn_target_list_free(&l);
			return EVNADM_EXIT_ERROR;
		}
	}
	if (ea->json) {
		ret = print_json(ea, evn_target_list_json(&l));
	} else if (evn_target_table(ea->out, &l)) {
		evn_pr_error(ea->err, "%s", strerror(ENOMEM));
		ret = EVNADM_EXIT_ERROR;
	} else {
		ret = EVNADM_EXIT_OK;
	}
	evn_target_list_free(&l);
	return ret;
}

static int target_show(struct evnadm *ea, int argc, char **argv)
{
	struct evn_target t = { 0 };
	int ret;

	if (argc < 1)
		return target_show_all(ea);
	ret = target_name_arg(ea, argc, argv);
	if (ret)
		return ret;
	if (target_request(ea, EVN_CMD_TARGET_GET, 0, NULL, argv[0],
			   evn_target_parse, &t))
		return EVNADM_EXIT_ERROR;
	if (target_check(ea, &t))
		return EVNADM_EXIT_ERROR;
	if (ea->json)
		return print_json(ea, evn_target_json(&t));
	evn_target_print(ea->out, &t);
	return EVNADM_EXIT_OK;
}

static const struct evnadm_cmd target_cmds[] = {
	{ "add",	target_add },
	{ "del",	target_del },
	{ "show",	target_show },
};

/**
 * evnadm_target() - the "target" object
 * @ea: this run
 * @argc: number of words after "target"
 * @argv: those words
 *
 * Without a command: show.
 *
 * Return: EVNADM_EXIT_*.
 */
int evnadm_target(struct evnadm *ea, int argc, char **argv)
{
	return evnadm_dispatch(ea, target_cmds, ARRAY_SIZE(target_cmds),
			       target_show, evnadm_target_help, argc, argv);
}
