// SPDX-License-Identifier: GPL-2.0
/*
 * nl_test.c - tests of the netlink glue against the running kernel
 *
 * evn.ko cannot be loaded on a build machine, but every kernel has the
 * generic netlink controller "nlctrl": it answers a do request, a dump, a
 * plain error and an error with an extack message, which are the paths
 * evn_nl_talk() must get right. Skipped where netlink is unavailable.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <linux/genetlink.h>
#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <linux/evn.h>

#include "nl.h"
#include "run.h"

struct ctl {
	struct evn_nl *nl;
	char *errtext;
	size_t errlen;
	FILE *err;
};

/* what the parse callback saw */
struct seen {
	int replies;
	bool nlctrl;
	int fail;	/* return this from the callback */
};

static int seen_cb(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct seen *seen = arg;

	seen->replies++;
	if (genlmsg_parse(nlh, 0, tb, CTRL_ATTR_MAX, NULL) < 0)
		return -EPROTO;
	if (tb[CTRL_ATTR_FAMILY_NAME] && tb[CTRL_ATTR_FAMILY_ID] &&
	    !strcmp(nla_get_string(tb[CTRL_ATTR_FAMILY_NAME]), "nlctrl") &&
	    nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]) == GENL_ID_CTRL)
		seen->nlctrl = true;
	return seen->fail;
}

static bool have_netlink;

/* Is generic netlink usable at all here? */
static int group_setup(void **state)
{
	struct nl_sock *sk = nl_socket_alloc();

	(void)state;
	if (!sk)
		return -1;
	have_netlink = genl_connect(sk) == 0 &&
		       genl_ctrl_resolve(sk, "nlctrl") == GENL_ID_CTRL;
	nl_socket_free(sk);
	if (!have_netlink)
		print_message("generic netlink unavailable: skipping\n");
	return 0;
}

/* each test: a fresh connection to nlctrl and an empty error stream */
static int setup(void **state)
{
	struct ctl *ctl;

	if (!have_netlink) {
		*state = NULL;
		return 0;
	}
	ctl = calloc(1, sizeof(*ctl));
	if (!ctl)
		return -1;
	ctl->err = open_memstream(&ctl->errtext, &ctl->errlen);
	if (!ctl->err || evn_nl_open_family(&ctl->nl, ctl->err, "nlctrl", 2))
		return -1;
	*state = ctl;
	return 0;
}

static int teardown(void **state)
{
	struct ctl *ctl = *state;

	if (!ctl)
		return 0;
	evn_nl_close(ctl->nl);
	fclose(ctl->err);
	free(ctl->errtext);
	free(ctl);
	return 0;
}

static struct ctl *ctl_get(void **state)
{
	if (!*state)
		skip();
	return *state;
}

static const char *errors(struct ctl *ctl)
{
	fflush(ctl->err);
	return ctl->errtext;
}

static int getfamily(struct ctl *ctl, int flags, const char *name,
		     struct seen *seen)
{
	struct nl_msg *msg = evn_nl_msg(ctl->nl, CTRL_CMD_GETFAMILY, flags);

	assert_non_null(msg);
	if (name)
		assert_int_equal(nla_put_string(msg, CTRL_ATTR_FAMILY_NAME,
						name), 0);
	return evn_nl_talk(ctl->nl, msg, seen_cb, seen);
}

static void test_do(void **state)
{
	struct ctl *ctl = ctl_get(state);
	struct seen seen = { 0 };

	assert_int_equal(getfamily(ctl, 0, "nlctrl", &seen), 0);
	assert_int_equal(seen.replies, 1);
	assert_true(seen.nlctrl);
	assert_string_equal(errors(ctl), "");
}

static void test_dump(void **state)
{
	struct ctl *ctl = ctl_get(state);
	struct seen seen = { 0 };

	assert_int_equal(getfamily(ctl, NLM_F_DUMP, NULL, &seen), 0);
	assert_true(seen.replies >= 1);
	assert_true(seen.nlctrl);
	assert_string_equal(errors(ctl), "");
}

/* an errno without an extack message: "Error: <strerror>." */
static void test_error_plain(void **state)
{
	struct ctl *ctl = ctl_get(state);
	struct seen seen = { 0 };

	assert_int_equal(getfamily(ctl, 0, "evn-nosuch", &seen),
			 -ENOENT);
	assert_int_equal(seen.replies, 0);
	assert_string_equal(errors(ctl), "Error: No such file or directory.\n");
}

/* a policy violation: the kernel explains it in an extack message */
static void test_error_extack(void **state)
{
	struct ctl *ctl = ctl_get(state);
	struct seen seen = { 0 };
	char plain[128];
	struct nl_msg *msg;
	const char *text;
	int ret;

	msg = evn_nl_msg(ctl->nl, CTRL_CMD_GETFAMILY, 0);
	assert_non_null(msg);
	/* CTRL_ATTR_FAMILY_ID is a u16; send one byte */
	assert_int_equal(nla_put_u8(msg, CTRL_ATTR_FAMILY_ID, 1), 0);
	ret = evn_nl_talk(ctl->nl, msg, seen_cb, &seen);
	assert_true(ret < 0);
	text = errors(ctl);
	print_message("kernel said: %s", text);
	assert_true(!strncmp(text, "Error: ", 7));
	/* the kernel's words, not strerror() */
	snprintf(plain, sizeof(plain), "Error: %s.\n", strerror(-ret));
	assert_string_not_equal(text, plain);
	/* one line, one final period */
	assert_ptr_equal(strchr(text, '\n'), text + strlen(text) - 1);
	assert_string_equal(text + strlen(text) - 2, ".\n");
	assert_true(text[strlen(text) - 3] != '.');
}

/* A failing parse callback fails the request and leaves the socket usable. */
static void test_parse_failure(void **state)
{
	struct ctl *ctl = ctl_get(state);
	struct seen seen = { .fail = -EBADMSG };

	assert_int_equal(getfamily(ctl, NLM_F_DUMP, NULL, &seen), -EBADMSG);
	assert_int_equal(seen.replies, 1);	/* the rest was drained */
	assert_string_equal(errors(ctl), "Error: Bad message.\n");

	memset(&seen, 0, sizeof(seen));
	assert_int_equal(getfamily(ctl, 0, "nlctrl", &seen), 0);
	assert_int_equal(seen.replies, 1);
}

static void test_open_unknown_family(void **state)
{
	struct ctl *ctl = ctl_get(state);
	struct evn_nl *nl = NULL;

	assert_true(evn_nl_open_family(&nl, ctl->err, "evn-nosuch",
				       1) < 0);
	assert_null(nl);
	assert_string_equal(errors(ctl),
			    "Error: cannot resolve generic netlink family \"evn-nosuch\": Object not found.\n");
}

/*
 * "evnadm info" end to end: here without evn.ko (the documented error), in
 * the test VM with it.
 */
static void test_info(void **state)
{
	struct nl_sock *sk;
	struct run r;
	bool loaded;

	ctl_get(state);
	sk = nl_socket_alloc();
	assert_non_null(sk);
	assert_int_equal(genl_connect(sk), 0);
	loaded = genl_ctrl_resolve(sk, EVN_FAMILY_NAME) >= 0;
	nl_socket_free(sk);

	run_evnadm(&r, "info", NULL);
	if (!loaded) {
		assert_int_equal(r.rc, EVNADM_EXIT_ERROR);
		assert_string_equal(r.err,
			"Error: evn kernel module not loaded (modprobe evn).\n");
		assert_string_equal(r.out, "");
	} else {
		assert_int_equal(r.rc, EVNADM_EXIT_OK);
		assert_true(!strncmp(r.out, "evnadm version:  ", 17));
	}
	run_free(&r);

	run_evnadm(&r, "-j", "info", "require", "info", NULL);
	assert_int_equal(r.rc, loaded ? EVNADM_EXIT_OK : EVNADM_EXIT_ERROR);
	if (loaded)
		assert_true(!strncmp(r.out, "{\"evnadm\":{", 11));
	run_free(&r);
}

/*
 * The commands that talk to the kernel, after their command line passed:
 * here without evn.ko, the documented error. With evn.ko (the test VM)
 * only the read-only ones run, and must succeed or explain themselves;
 * changing the kernel's state is for the integration tests.
 */
static void test_objects_unloaded(void **state)
{
	static const struct {
		bool changes;
		const char *w[12];
	} lines[] = {
		{ false, { "target", "show" } },
		{ false, { "target" } },
		{ false, { "-j", "target", "show" } },
		{ false, { "target", "show", "t0" } },
		{ true,  { "target", "del", "t0" } },
		{ true,  { "target", "add", "t0", "addr", "192.0.2.1", "nqn",
			   "nqn.x" } },
		{ false, { "volume", "show" } },
		{ false, { "-j", "volume" } },
		{ false, { "volume", "show", "v0" } },
		{ true,  { "volume", "del", "v0" } },
		{ true,  { "volume", "create", "v0", "extent", "t0:0:1G" } },
	};
	struct nl_sock *sk;
	struct run r;
	bool loaded;
	size_t i;

	ctl_get(state);
	sk = nl_socket_alloc();
	assert_non_null(sk);
	assert_int_equal(genl_connect(sk), 0);
	loaded = genl_ctrl_resolve(sk, EVN_FAMILY_NAME) >= 0;
	nl_socket_free(sk);

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		const char *const *w = lines[i].w;

		if (loaded && lines[i].changes)
			continue;
		run_evnadm(&r, w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7],
			   w[8], w[9], w[10], w[11]);
		if (!loaded) {
			assert_int_equal(r.rc, EVNADM_EXIT_ERROR);
			assert_string_equal(r.err,
				"Error: evn kernel module not loaded (modprobe evn).\n");
			assert_string_equal(r.out, "");
		} else {
			/* a show of a name that may not exist may fail */
			assert_true(r.rc == EVNADM_EXIT_OK ||
				    (r.rc == EVNADM_EXIT_ERROR &&
				     !strncmp(r.err, "Error: ", 7)));
		}
		run_free(&r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_do, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_plain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_extack, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_unknown_family, setup, teardown),
		cmocka_unit_test_setup_teardown(test_info, setup, teardown),
		cmocka_unit_test_setup_teardown(test_objects_unloaded, setup,
						teardown),
	};

	return cmocka_run_group_tests_name("evn_nl", tests, group_setup, NULL);
}
