// SPDX-License-Identifier: GPL-2.0
/*
 * target_test.c - unit tests of the target object: command line, request
 * building, reply decoding, JSON, table and detail output
 *
 * Replies are built by hand the way evn.ko builds them (nla_put_u64_64bit
 * padding included), so these tests pin what the user sees for a given
 * kernel message.
 */
#include <errno.h>
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
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <linux/evn.h>

#include "parse.h"
#include "target.h"

#define FAKE_FAMILY_ID	0x22
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define NQN1	"nqn.2024-01.io.example:disk1"
#define HOSTNQN	"nqn.2014-08.org.nvmexpress:uuid:00000000-0000-0000-0000-000000000001"

/* ---- command line ---- */

static int add_args(struct evn_target_args *a, char *err, ...)
{
	char *argv[32];
	int argc = 0;
	va_list ap;

	va_start(ap, err);
	while ((argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	err[0] = '\0';
	return evn_target_add_args(argc, argv, a, err, EVN_ERRLEN);
}

static void test_add_args_minimal(void **state)
{
	struct evn_target_args a;
	char err[EVN_ERRLEN];

	(void)state;
	assert_int_equal(add_args(&a, err, "t0", "addr", "192.168.1.10",
				  "nqn", NQN1, NULL), 0);
	assert_string_equal(err, "");
	assert_string_equal(a.name, "t0");
	assert_string_equal(a.traddr, "192.168.1.10");
	assert_string_equal(a.subsysnqn, NQN1);
	assert_null(a.hostnqn);
	assert_int_equal(a.port, EVN_DEFAULT_PORT);
	assert_int_equal(a.have, EVN_HAVE(EVN_A_TARGET_NAME) |
				 EVN_HAVE(EVN_A_TARGET_TRADDR) |
				 EVN_HAVE(EVN_A_TARGET_SUBSYSNQN));
}

static void test_add_args_full(void **state)
{
	struct evn_target_args a;
	char err[EVN_ERRLEN];

	(void)state;
	/* any order after NAME */
	assert_int_equal(add_args(&a, err, "backup-2",
				  "loss-timeout", "1",
				  "nqn", NQN1,
				  "hostnqn", HOSTNQN,
				  "nsid", "4294967294",
				  "reconnect-delay", "604800",
				  "port", "65535",
				  "addr", "fe80::1%eth0", NULL), 0);
	assert_string_equal(a.name, "backup-2");
	assert_string_equal(a.traddr, "fe80::1%eth0");
	assert_string_equal(a.hostnqn, HOSTNQN);
	assert_int_equal(a.port, 65535);
	assert_int_equal(a.nsid, 4294967294U);
	assert_int_equal(a.reconnect_delay, 604800);
	assert_int_equal(a.loss_timeout, 1);
	assert_true(a.have & EVN_HAVE(EVN_A_TARGET_LOSS_TIMEOUT));
	assert_true(a.have & EVN_HAVE(EVN_A_TARGET_NSID));
	assert_true(a.have & EVN_HAVE(EVN_A_TARGET_PORT));
}

static void test_add_args_bad(void **state)
{
	static char long_nqn[EVN_NQN_MAX + 2];
	static char long_nqn_msg[EVN_ERRLEN];
	static const struct {
		const char *argv[12];
		const char *err;
	} cases[] = {
		{ { NULL }, "missing NAME" },
		{ { "addr", "1.2.3.4", "nqn", "x" },
		  "missing NAME before \"addr\"" },
		{ { "-t0", "addr", "1.2.3.4", "nqn", "x" },
		  "invalid target name \"-t0\": must not start with '-'" },
		{ { "12345678901234567890123456789012" },
		  "invalid target name \"12345678901234567890123456789012\": longer than 31 characters" },
		{ { "t0" }, "missing \"addr ADDR\"" },
		{ { "t0", "addr", "1.2.3.4" }, "missing \"nqn NQN\"" },
		{ { "t0", "nqn", "x" }, "missing \"addr ADDR\"" },
		{ { "t0", "addr" }, "missing value after \"addr\"" },
		{ { "t0", "addr", "1.2.3.4", "nqn", "x", "port" },
		  "missing value after \"port\"" },
		{ { "t0", "addr", "1.2.3.4", "nqn", "x", "bogus", "1" },
		  "unknown keyword \"bogus\"" },
		{ { "t0", "address", "1.2.3.4", "nqn", "x" },
		  "unknown keyword \"address\"" },
		{ { "t0", "ADDR", "1.2.3.4", "nqn", "x" },
		  "unknown keyword \"ADDR\"" },
		{ { "t0", "addr", "1.2.3.4", "nqn", "x", "addr", "1.2.3.5" },
		  "duplicate keyword \"addr\"" },
		{ { "t0", "addr", "1.2.3.4", "nqn", "x", "port", "1", "port", "1" },
		  "duplicate keyword \"port\"" },
		{ { "t0", "addr", "host.example", "nqn", "x" },
		  "invalid address \"host.example\": not an IPv4 or IPv6 address" },
		{ { "t0", "addr", "1.2.3.4", "nqn", "x", "port", "0" },
		  "invalid port \"0\": not a number from 1 to 65535" },
		{ { "t0", "addr", "1.2.3.4", "nqn", "x", "port", "65536" },
		  "invalid port \"65536\": not a number from 1 to 65535" },
		{ { "t0", "addr", "1.2.3.4", "nqn", "x", "port", "rdma" },
		  "invalid port \"rdma\": not a number from 1 to 65535" },
		{ { "t0", "addr", "1.2.3.4", "nqn", "x", "nsid", "0" },
		  "invalid nsid \"0\": not a number from 1 to 4294967294" },
		{ { "t0", "addr", "1.2.3.4", "nqn", "x", "nsid", "4294967295" },
		  "invalid nsid \"4294967295\": not a number from 1 to 4294967294" },
		{ { "t0", "addr", "1.2.3.4", "nqn", "x", "reconnect-delay", "-1" },
		  "invalid reconnect-delay \"-1\": not a number of seconds from 1 to 604800" },
		{ { "t0", "addr", "1.2.3.4", "nqn", "x", "reconnect-delay", "0" },
		  "invalid reconnect-delay \"0\": not a number of seconds from 1 to 604800" },
		{ { "t0", "addr", "1.2.3.4", "nqn", "x", "loss-timeout", "604801" },
		  "invalid loss-timeout \"604801\": not a number of seconds from 1 to 604800" },
		{ { "t0", "addr", "1.2.3.4", "nqn", "x", "loss-timeout", "4294967296" },
		  "invalid loss-timeout \"4294967296\": not a number of seconds from 1 to 604800" },
		{ { "t0", "addr", "1.2.3.4", "nqn", "x", "loss-timeout", "10s" },
		  "invalid loss-timeout \"10s\": not a number of seconds from 1 to 604800" },
		{ { "t0", "addr", "1.2.3.4", "nqn", "" },
		  "invalid NQN \"\": empty" },
		{ { "t0", "addr", "1.2.3.4", "nqn", "x", "hostnqn", "a b" },
		  "invalid NQN \"a b\": character ' ' not allowed" },
		{ { "t0", "addr", "1.2.3.4", "nqn", long_nqn }, long_nqn_msg },
	};
	char err[EVN_ERRLEN];
	size_t i;

	(void)state;
	memset(long_nqn, 'q', EVN_NQN_MAX + 1);
	snprintf(long_nqn_msg, sizeof(long_nqn_msg),
		 "invalid NQN \"%s\": longer than 223 characters", long_nqn);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct evn_target_args a;
		int argc = 0;

		while (cases[i].argv[argc])
			argc++;
		err[0] = '\0';
		assert_int_equal(evn_target_add_args(argc,
					(char **)cases[i].argv, &a, err,
					sizeof(err)), -EINVAL);
		assert_string_equal(err, cases[i].err);
	}
}

/* ---- request building ---- */

static struct nl_msg *new_msg(uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	assert_non_null(msg);
	assert_non_null(genlmsg_put(msg, 1234, 1, FAKE_FAMILY_ID, 0, 0, cmd,
				    EVN_FAMILY_VERSION));
	return msg;
}

/* Parse a request back as the kernel would, checking exact sizes. */
static void parse_request(struct nl_msg *msg,
			  struct nlattr *tb[EVN_A_TARGET_MAX + 1])
{
	static const size_t sizes[EVN_A_TARGET_MAX + 1] = {
		[EVN_A_TARGET_PORT] = 2,
		[EVN_A_TARGET_NSID] = 4,
		[EVN_A_TARGET_RECONNECT_DELAY] = 4,
		[EVN_A_TARGET_LOSS_TIMEOUT] = 4,
	};
	struct genlmsghdr *gnlh = nlmsg_data(nlmsg_hdr(msg));
	int i;

	assert_int_equal(gnlh->cmd, EVN_CMD_TARGET_ADD);
	assert_int_equal(gnlh->version, EVN_FAMILY_VERSION);
	assert_int_equal(genlmsg_parse(nlmsg_hdr(msg), 0, tb,
				       EVN_A_TARGET_MAX, NULL), 0);
	for (i = 1; i <= EVN_A_TARGET_MAX; i++) {
		if (!tb[i] || !sizes[i])
			continue;
		assert_int_equal(nla_len(tb[i]), sizes[i]);
	}
}

static void expect_nla_string(struct nlattr *nla, const char *s)
{
	assert_non_null(nla);
	/* NUL-terminated, as the kernel's NLA_NUL_STRING/NLA_STRING want */
	assert_int_equal(nla_len(nla), strlen(s) + 1);
	assert_string_equal(nla_get_string(nla), s);
}

static void test_add_request_minimal(void **state)
{
	struct nlattr *tb[EVN_A_TARGET_MAX + 1];
	struct evn_target_args a;
	char err[EVN_ERRLEN];
	struct nl_msg *msg;
	int i, n = 0;

	(void)state;
	assert_int_equal(add_args(&a, err, "t0", "addr", "192.168.1.10",
				  "nqn", NQN1, NULL), 0);
	msg = new_msg(EVN_CMD_TARGET_ADD);
	assert_int_equal(evn_target_add_put(msg, &a), 0);
	parse_request(msg, tb);
	expect_nla_string(tb[EVN_A_TARGET_NAME], "t0");
	expect_nla_string(tb[EVN_A_TARGET_TRADDR], "192.168.1.10");
	expect_nla_string(tb[EVN_A_TARGET_SUBSYSNQN], NQN1);
	/* the default port is sent, the other defaults are the module's */
	assert_non_null(tb[EVN_A_TARGET_PORT]);
	assert_int_equal(nla_get_u16(tb[EVN_A_TARGET_PORT]), 4420);
	for (i = 1; i <= EVN_A_TARGET_MAX; i++)
		n += tb[i] != NULL;
	assert_int_equal(n, 4);
	nlmsg_free(msg);
}

static void test_add_request_full(void **state)
{
	struct nlattr *tb[EVN_A_TARGET_MAX + 1];
	struct evn_target_args a;
	char err[EVN_ERRLEN];
	struct nl_msg *msg;

	(void)state;
	assert_int_equal(add_args(&a, err, "t1", "addr", "fd00::1",
				  "port", "4421", "nqn", NQN1,
				  "nsid", "7", "hostnqn", HOSTNQN,
				  "reconnect-delay", "2",
				  "loss-timeout", "1", NULL), 0);
	msg = new_msg(EVN_CMD_TARGET_ADD);
	assert_int_equal(evn_target_add_put(msg, &a), 0);
	parse_request(msg, tb);
	expect_nla_string(tb[EVN_A_TARGET_NAME], "t1");
	expect_nla_string(tb[EVN_A_TARGET_TRADDR], "fd00::1");
	expect_nla_string(tb[EVN_A_TARGET_HOSTNQN], HOSTNQN);
	assert_int_equal(nla_get_u16(tb[EVN_A_TARGET_PORT]), 4421);
	assert_int_equal(nla_get_u32(tb[EVN_A_TARGET_NSID]), 7);
	assert_int_equal(nla_get_u32(tb[EVN_A_TARGET_RECONNECT_DELAY]), 2);
	assert_non_null(tb[EVN_A_TARGET_LOSS_TIMEOUT]);
	assert_int_equal(nla_get_u32(tb[EVN_A_TARGET_LOSS_TIMEOUT]), 1);
	/* never sent by evnadm: what only the kernel knows */
	assert_null(tb[EVN_A_TARGET_ID]);
	assert_null(tb[EVN_A_TARGET_STATE]);
	assert_null(tb[EVN_A_TARGET_CAPACITY]);
	nlmsg_free(msg);
}

/* ---- replies ---- */

/**
 * struct fake - a target as a fake evn.ko reports it
 * @full: send every attribute, else only the identity, address and state
 * @pad: put an EVN_A_TARGET_PAD before the u64, as nla_put_u64_64bit()
 *	does on architectures without efficient unaligned access
 */
struct fake {
	const char *name;
	uint32_t id;
	uint32_t state;
	const char *addr;
	uint16_t port;
	uint32_t nsid;
	bool full;
	bool pad;
	uint64_t capacity;
	uint32_t lba, queues, depth;
	uint32_t oncs;
	uint8_t vwc;
	uint32_t reconnects;
};

static struct nl_msg *fake_reply(uint8_t cmd, const struct fake *f)
{
	struct nl_msg *msg = new_msg(cmd);

	assert_int_equal(nla_put_u32(msg, EVN_A_TARGET_ID, f->id), 0);
	assert_int_equal(nla_put_string(msg, EVN_A_TARGET_NAME, f->name), 0);
	assert_int_equal(nla_put_string(msg, EVN_A_TARGET_TRADDR, f->addr), 0);
	assert_int_equal(nla_put_u16(msg, EVN_A_TARGET_PORT, f->port), 0);
	assert_int_equal(nla_put_string(msg, EVN_A_TARGET_SUBSYSNQN, NQN1), 0);
	assert_int_equal(nla_put_u32(msg, EVN_A_TARGET_NSID, f->nsid), 0);
	assert_int_equal(nla_put_u32(msg, EVN_A_TARGET_RECONNECT_DELAY, 10), 0);
	assert_int_equal(nla_put_u32(msg, EVN_A_TARGET_LOSS_TIMEOUT, 600), 0);
	assert_int_equal(nla_put_u32(msg, EVN_A_TARGET_STATE, f->state), 0);
	assert_int_equal(nla_put_u32(msg, EVN_A_TARGET_RECONNECTS,
				     f->reconnects), 0);
	if (!f->full)
		return msg;
	assert_int_equal(nla_put_string(msg, EVN_A_TARGET_HOSTNQN, HOSTNQN), 0);
	if (f->pad)
		assert_int_equal(nla_put(msg, EVN_A_TARGET_PAD, 0, NULL), 0);
	assert_int_equal(nla_put_u64(msg, EVN_A_TARGET_CAPACITY,
				     f->capacity), 0);
	assert_int_equal(nla_put_u32(msg, EVN_A_TARGET_LBA_SIZE, f->lba), 0);
	assert_int_equal(nla_put_u32(msg, EVN_A_TARGET_IO_QUEUES, f->queues), 0);
	assert_int_equal(nla_put_u32(msg, EVN_A_TARGET_QUEUE_DEPTH,
				     f->depth), 0);
	assert_int_equal(nla_put_u32(msg, EVN_A_TARGET_MAX_TRANSFER, 131072), 0);
	assert_int_equal(nla_put_u32(msg, EVN_A_TARGET_ONCS, f->oncs), 0);
	assert_int_equal(nla_put_u8(msg, EVN_A_TARGET_VWC, f->vwc), 0);
	assert_int_equal(nla_put_u32(msg, EVN_A_TARGET_CNTLID, 5), 0);
	assert_int_equal(nla_put_u64(msg, EVN_A_TARGET_META_SIZE, 16 << 20), 0);
	assert_int_equal(nla_put_u32(msg, EVN_A_TARGET_TIMEOUTS, 7), 0);
	return msg;
}

static const struct fake fake_t0 = {
	.name = "t0", .id = 1, .state = EVN_TARGET_STATE_LIVE,
	.addr = "192.168.1.10", .port = 4420, .nsid = 1, .full = true,
	.pad = true, .capacity = 1ULL << 30, .lba = 512, .queues = 2,
	.depth = 128, .oncs = 0x0c, .vwc = 1, .reconnects = 0,
};

static const struct fake fake_backup = {
	.name = "backup-2", .id = 2, .state = EVN_TARGET_STATE_CONNECTING,
	.addr = "fd00::2", .port = 4421, .nsid = 3, .reconnects = 3,
};

static const struct fake fake_t3 = {
	.name = "t3", .id = 10, .state = EVN_TARGET_STATE_LIVE,
	.addr = "10.0.0.3", .port = 4420, .nsid = 1, .full = true,
	.capacity = 1649267441664ULL, .lba = 4096, .queues = 4,
	.depth = 1024, .oncs = 0x04, .vwc = 0, .reconnects = 12,
};

static void parse_fake(struct evn_target *t, const struct fake *f)
{
	struct nl_msg *msg = fake_reply(EVN_CMD_TARGET_GET, f);

	memset(t, 0xa5, sizeof(*t));	/* parse must overwrite everything */
	assert_int_equal(evn_target_parse(nlmsg_hdr(msg), t), 0);
	nlmsg_free(msg);
}

static void test_parse_full(void **state)
{
	struct evn_target t;

	(void)state;
	parse_fake(&t, &fake_t0);
	assert_int_equal(t.id, 1);
	assert_string_equal(t.name, "t0");
	assert_string_equal(t.traddr, "192.168.1.10");
	assert_int_equal(t.port, 4420);
	assert_string_equal(t.subsysnqn, NQN1);
	assert_string_equal(t.hostnqn, HOSTNQN);
	assert_int_equal(t.nsid, 1);
	assert_int_equal(t.reconnect_delay, 10);
	assert_int_equal(t.loss_timeout, 600);
	assert_int_equal(t.state, EVN_TARGET_STATE_LIVE);
	assert_true(t.capacity == 1ULL << 30);
	assert_int_equal(t.lba_size, 512);
	assert_int_equal(t.io_queues, 2);
	assert_int_equal(t.queue_depth, 128);
	assert_int_equal(t.max_transfer, 131072);
	assert_int_equal(t.oncs, 0x0c);
	assert_int_equal(t.vwc, 1);
	assert_int_equal(t.reconnects, 0);
	assert_int_equal(t.cntlid, 5);
	assert_true(t.meta_size == 16 << 20);
	assert_int_equal(t.timeouts, 7);
	/* every attribute but the padding and the error (test_failed) */
	assert_true(t.have == (((EVN_HAVE(EVN_A_TARGET_MAX + 1) - 1) &
				~EVN_HAVE(EVN_A_TARGET_UNSPEC)) &
			       ~EVN_HAVE(EVN_A_TARGET_PAD) &
			       ~EVN_HAVE(EVN_A_TARGET_ERROR)));
}

/* A failed target: its state and why, in the table, -j and detail. */
static void test_failed(void **state)
{
	static const char why[] =
		"namespace was replaced: its NGUID, EUI-64 or UUID changed";
	struct nl_msg *msg = fake_reply(EVN_CMD_TARGET_GET, &fake_t0);
	struct json_object *obj, *val;
	struct evn_target t;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_int_equal(nla_put_u32(msg, EVN_A_TARGET_STATE,
				     EVN_TARGET_STATE_FAILED), 0);
	assert_int_equal(nla_put_string(msg, EVN_A_TARGET_ERROR, why), 0);
	memset(&t, 0, sizeof(t));
	assert_int_equal(evn_target_parse(nlmsg_hdr(msg), &t), 0);
	nlmsg_free(msg);
	assert_int_equal(t.state, EVN_TARGET_STATE_FAILED);
	assert_string_equal(t.error, why);
	assert_string_equal(evn_target_state_name(t.state), "failed");

	obj = evn_target_json(&t);
	assert_non_null(obj);
	assert_true(json_object_object_get_ex(obj, "state", &val));
	assert_string_equal(json_object_get_string(val), "failed");
	assert_true(json_object_object_get_ex(obj, "error", &val));
	assert_string_equal(json_object_get_string(val), why);
	json_object_put(obj);

	f = open_memstream(&text, &len);
	assert_non_null(f);
	evn_target_print(f, &t);
	fclose(f);
	assert_non_null(strstr(text, "state:           failed\n"
				     "error:           namespace was replaced: "));
	free(text);
}

static void test_parse_partial(void **state)
{
	struct evn_target t;

	(void)state;
	parse_fake(&t, &fake_backup);
	assert_string_equal(t.name, "backup-2");
	assert_int_equal(t.state, EVN_TARGET_STATE_CONNECTING);
	assert_false(t.have & EVN_HAVE(EVN_A_TARGET_CAPACITY));
	assert_false(t.have & EVN_HAVE(EVN_A_TARGET_HOSTNQN));
	assert_int_equal(t.capacity, 0);
	assert_string_equal(t.hostnqn, "");
}

static void test_parse_malformed(void **state)
{
	struct nl_msg *msg;
	struct evn_target t;
	char big[300];

	(void)state;
	/* a u64 of 4 bytes */
	msg = new_msg(EVN_CMD_TARGET_GET);
	assert_int_equal(nla_put_u32(msg, EVN_A_TARGET_CAPACITY, 1), 0);
	assert_int_equal(evn_target_parse(nlmsg_hdr(msg), &t), -EPROTO);
	nlmsg_free(msg);

	/* a u32 of 2 bytes */
	msg = new_msg(EVN_CMD_TARGET_GET);
	assert_int_equal(nla_put_u16(msg, EVN_A_TARGET_STATE, 1), 0);
	assert_int_equal(evn_target_parse(nlmsg_hdr(msg), &t), -EPROTO);
	nlmsg_free(msg);

	/* a name without its NUL */
	msg = new_msg(EVN_CMD_TARGET_GET);
	assert_int_equal(nla_put(msg, EVN_A_TARGET_NAME, 2, "t0"), 0);
	assert_int_equal(evn_target_parse(nlmsg_hdr(msg), &t), -EPROTO);
	nlmsg_free(msg);

	/* unknown attributes of a newer module are ignored */
	msg = fake_reply(EVN_CMD_TARGET_GET, &fake_backup);
	assert_int_equal(nla_put_u32(msg, EVN_A_TARGET_MAX + 3, 9), 0);
	assert_int_equal(evn_target_parse(nlmsg_hdr(msg), &t), 0);
	assert_string_equal(t.name, "backup-2");
	nlmsg_free(msg);

	/* an over-long string is truncated, still terminated */
	memset(big, 'n', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	msg = new_msg(EVN_CMD_TARGET_GET);
	assert_int_equal(nla_put_string(msg, EVN_A_TARGET_NAME, big), 0);
	assert_int_equal(nla_put_string(msg, EVN_A_TARGET_SUBSYSNQN, big), 0);
	assert_int_equal(evn_target_parse(nlmsg_hdr(msg), &t), 0);
	assert_int_equal(strlen(t.name), EVN_NAME_MAX);
	assert_int_equal(strlen(t.subsysnqn), EVN_NQN_MAX);
	nlmsg_free(msg);
}

static void test_list_parse(void **state)
{
	const struct fake *fakes[] = { &fake_t0, &fake_backup, &fake_t3 };
	struct evn_target_list l = { 0 };
	size_t i, round;

	(void)state;
	/* more than the first allocation of 8 */
	for (round = 0; round < 4; round++) {
		for (i = 0; i < ARRAY_SIZE(fakes); i++) {
			struct nl_msg *msg = fake_reply(EVN_CMD_TARGET_GET,
							fakes[i]);

			assert_int_equal(evn_target_list_parse(nlmsg_hdr(msg),
							       &l), 0);
			nlmsg_free(msg);
		}
	}
	assert_int_equal(l.n, 12);
	for (i = 0; i < l.n; i++)
		assert_string_equal(l.v[i].name, fakes[i % 3]->name);
	evn_target_list_free(&l);
	assert_int_equal(l.n, 0);
	assert_null(l.v);
}

/* ---- decoding for humans ---- */

static void test_state_names(void **state)
{
	static const char *const names[] = {
		"new", "connecting", "live", "resetting", "deleting", "failed",
	};
	char buf[EVN_STATE_STRLEN];
	uint32_t s;

	(void)state;
	assert_int_equal(EVN_TARGET_STATE_FAILED + 1, ARRAY_SIZE(names));
	for (s = 0; s < ARRAY_SIZE(names); s++) {
		assert_string_equal(evn_target_state_name(s), names[s]);
		evn_target_state_format(s, buf, sizeof(buf));
		assert_string_equal(buf, names[s]);
	}
	assert_null(evn_target_state_name(EVN_TARGET_STATE_FAILED + 1));
	evn_target_state_format(7, buf, sizeof(buf));
	assert_string_equal(buf, "unknown(7)");
	evn_target_state_format(UINT32_MAX, buf, sizeof(buf));
	assert_string_equal(buf, "unknown(4294967295)");
}

static void test_features(void **state)
{
	static const struct {
		uint32_t oncs;
		uint8_t vwc;
		const char *text;
	} cases[] = {
		{ 0, 0, "none" },
		{ 1 << 2, 0, "discard" },
		{ 1 << 3, 0, "write-zeroes" },
		{ 0, 1, "volatile-write-cache" },
		{ 0x0c, 1, "discard,write-zeroes,volatile-write-cache" },
		/* other ONCS bits (compare, reservations...) are not shown */
		{ 0xf3, 0, "none" },
		{ 0xff, 0, "discard,write-zeroes" },
		/* VWC is 0 or 1; anything else is not "present" */
		{ 0, 2, "none" },
	};
	char buf[EVN_TARGET_FEATURES_STRLEN];
	size_t i;

	(void)state;
	assert_int_equal(EVN_NVME_ONCS_DSM, 4);
	assert_int_equal(EVN_NVME_ONCS_WRITE_ZEROES, 8);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct evn_target t = { .oncs = cases[i].oncs,
					.vwc = cases[i].vwc };

		assert_int_equal(evn_target_features(&t, buf, sizeof(buf)),
				 strlen(cases[i].text));
		assert_string_equal(buf, cases[i].text);
	}
}

static void test_address(void **state)
{
	struct evn_target t = { 0 };
	char buf[80];

	(void)state;
	evn_target_address(&t, buf, sizeof(buf));
	assert_string_equal(buf, "-");
	strcpy(t.traddr, "192.168.1.10");
	t.port = 4420;
	t.have = EVN_HAVE(EVN_A_TARGET_TRADDR);
	evn_target_address(&t, buf, sizeof(buf));
	assert_string_equal(buf, "192.168.1.10");
	t.have |= EVN_HAVE(EVN_A_TARGET_PORT);
	evn_target_address(&t, buf, sizeof(buf));
	assert_string_equal(buf, "192.168.1.10:4420");
	strcpy(t.traddr, "fe80::1%eth0");
	evn_target_address(&t, buf, sizeof(buf));
	assert_string_equal(buf, "[fe80::1%eth0]:4420");
}

/* ---- output ---- */

static const char *json_text(struct json_object *obj)
{
	assert_non_null(obj);
	return json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
}

#define T0_JSON								\
	"{\"name\":\"t0\",\"id\":1,\"state\":\"live\","			\
	"\"addr\":\"192.168.1.10\",\"port\":4420,"			\
	"\"subsysnqn\":\"" NQN1 "\",\"nsid\":1,"			\
	"\"hostnqn\":\"" HOSTNQN "\","					\
	"\"reconnect_delay\":10,\"loss_timeout\":600,"			\
	"\"capacity\":1073741824,\"lba_size\":512,\"io_queues\":2,"	\
	"\"queue_depth\":128,\"max_transfer\":131072,\"oncs\":12,"	\
	"\"vwc\":1,\"features\":[\"discard\",\"write-zeroes\","		\
	"\"volatile-write-cache\"],\"reconnects\":0,\"cntlid\":5,"	\
	"\"timeouts\":7,\"meta_size\":16777216}"

#define BACKUP_JSON							\
	"{\"name\":\"backup-2\",\"id\":2,\"state\":\"connecting\","	\
	"\"addr\":\"fd00::2\",\"port\":4421,"				\
	"\"subsysnqn\":\"" NQN1 "\",\"nsid\":3,"			\
	"\"reconnect_delay\":10,\"loss_timeout\":600,\"reconnects\":3}"

static void test_json(void **state)
{
	struct json_object *obj;
	struct evn_target t;

	(void)state;
	parse_fake(&t, &fake_t0);
	obj = evn_target_json(&t);
	assert_string_equal(json_text(obj), T0_JSON);
	json_object_put(obj);

	/* what the kernel did not send is left out, not made up */
	parse_fake(&t, &fake_backup);
	obj = evn_target_json(&t);
	assert_string_equal(json_text(obj), BACKUP_JSON);
	json_object_put(obj);

	/* a state of a newer module stays a string */
	t.state = 9;
	obj = evn_target_json(&t);
	assert_non_null(strstr(json_text(obj), "\"state\":\"unknown(9)\""));
	json_object_put(obj);
}

/* Capacity above 2^63 survives as an unsigned number. */
static void test_json_big_capacity(void **state)
{
	struct json_object *obj, *back, *cap;
	struct evn_target t;

	(void)state;
	parse_fake(&t, &fake_t0);
	t.capacity = UINT64_MAX - 4095;
	obj = evn_target_json(&t);
	back = json_tokener_parse(json_text(obj));
	assert_non_null(back);
	assert_true(json_object_object_get_ex(back, "capacity", &cap));
	assert_true(json_object_get_uint64(cap) == UINT64_MAX - 4095);
	json_object_put(back);
	json_object_put(obj);
}

static void fill_list(struct evn_target_list *l)
{
	const struct fake *fakes[] = { &fake_t0, &fake_backup, &fake_t3 };
	size_t i;

	memset(l, 0, sizeof(*l));
	for (i = 0; i < ARRAY_SIZE(fakes); i++) {
		struct nl_msg *msg = fake_reply(EVN_CMD_TARGET_GET, fakes[i]);

		assert_int_equal(evn_target_list_parse(nlmsg_hdr(msg), l), 0);
		nlmsg_free(msg);
	}
}

static void test_json_list(void **state)
{
	struct evn_target_list l;
	struct json_object *arr;
	const char *text;

	(void)state;
	fill_list(&l);
	arr = evn_target_list_json(&l);
	text = json_text(arr);
	assert_true(!strncmp(text, "[" T0_JSON "," BACKUP_JSON ",{",
			     strlen("[" T0_JSON "," BACKUP_JSON ",{")));
	assert_int_equal(json_object_array_length(arr), 3);
	json_object_put(arr);
	evn_target_list_free(&l);

	/* no targets: an empty array, still valid JSON */
	arr = evn_target_list_json(&l);
	assert_string_equal(json_text(arr), "[]");
	json_object_put(arr);
}

static char *capture_table(const struct evn_target_list *l)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	assert_int_equal(evn_target_table(f, l), 0);
	fclose(f);
	return text;
}

static void test_table(void **state)
{
	struct evn_target_list l;
	char *text;

	(void)state;
	fill_list(&l);
	text = capture_table(&l);
	print_message("%s", text);
	assert_string_equal(text,
"NAME      ID  STATE       ADDRESS            NSID  CAPACITY   LBA  QUEUES  RECONNECTS\n"
"t0         1  live        192.168.1.10:4420     1        1G   512   2x128           0\n"
"backup-2   2  connecting  [fd00::2]:4421        3         -     -       -           3\n"
"t3        10  live        10.0.0.3:4420         1      1.5T  4096  4x1024          12\n");
	free(text);
	evn_target_list_free(&l);

	/* no targets, no output */
	text = capture_table(&l);
	assert_string_equal(text, "");
	free(text);
}

static void test_detail(void **state)
{
	struct evn_target t;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	parse_fake(&t, &fake_t0);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	evn_target_print(f, &t);
	fclose(f);
	print_message("%s", text);
	assert_string_equal(text,
		"name:            t0\n"
		"id:              1\n"
		"state:           live\n"
		"address:         192.168.1.10\n"
		"port:            4420\n"
		"subsystem NQN:   " NQN1 "\n"
		"nsid:            1\n"
		"host NQN:        " HOSTNQN "\n"
		"reconnect delay: 10s\n"
		"loss timeout:    600s\n"
		"capacity:        1G (1073741824)\n"
		"LBA size:        512\n"
		"I/O queues:      2\n"
		"queue depth:     128\n"
		"max transfer:    128K (131072)\n"
		"features:        discard,write-zeroes,volatile-write-cache\n"
		"reconnects:      0\n"
		"cntlid:          5\n"
		"timeouts:        7\n"
		"metadata area:   16M (16777216)\n");
	free(text);

	/* a target that never connected: only what the kernel knows */
	parse_fake(&t, &fake_backup);
	text = NULL;
	f = open_memstream(&text, &len);
	assert_non_null(f);
	evn_target_print(f, &t);
	fclose(f);
	assert_null(strstr(text, "capacity:"));
	assert_null(strstr(text, "features:"));
	assert_null(strstr(text, "host NQN:"));
	assert_non_null(strstr(text, "state:           connecting\n"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_args_minimal),
		cmocka_unit_test(test_add_args_full),
		cmocka_unit_test(test_add_args_bad),
		cmocka_unit_test(test_add_request_minimal),
		cmocka_unit_test(test_add_request_full),
		cmocka_unit_test(test_parse_full),
		cmocka_unit_test(test_failed),
		cmocka_unit_test(test_parse_partial),
		cmocka_unit_test(test_parse_malformed),
		cmocka_unit_test(test_list_parse),
		cmocka_unit_test(test_state_names),
		cmocka_unit_test(test_features),
		cmocka_unit_test(test_address),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_big_capacity),
		cmocka_unit_test(test_json_list),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_detail),
	};

	return cmocka_run_group_tests_name("evn_target", tests, NULL, NULL);
}
