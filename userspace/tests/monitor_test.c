// SPDX-License-Identifier: GPL-2.0
/*
 * monitor_test.c - unit tests of "evnadm monitor": notification output from
 * hand-built messages, and the listen loop against the running kernel
 *
 * The loop joins the "notify" group of nlctrl, which every kernel has, and
 * must end with status 0 on SIGINT or SIGTERM, whenever it arrives, and
 * give the caller its signal mask back.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <linux/evn.h>

#include "monitor.h"
#include "nl.h"
#include "run.h"

#define FAKE_FAMILY_ID	0x22

static struct nl_msg *ntf(uint8_t cmd, const char *name, const uint32_t *id,
			  const uint32_t *state)
{
	struct nl_msg *msg = nlmsg_alloc();

	assert_non_null(msg);
	/* multicast: port 0, sequence 0 */
	assert_non_null(genlmsg_put(msg, 0, 0, FAKE_FAMILY_ID, 0, 0, cmd,
				    EVN_FAMILY_VERSION));
	if (id)
		assert_int_equal(nla_put_u32(msg, EVN_A_TARGET_ID, *id), 0);
	if (name)
		assert_int_equal(nla_put_string(msg, EVN_A_TARGET_NAME, name),
				 0);
	if (state)
		assert_int_equal(nla_put_u32(msg, EVN_A_TARGET_STATE, *state),
				 0);
	return msg;
}

/* Feed @msg to evn_monitor_event(); return what it printed. */
static char *event(struct nl_msg *msg, bool json, int *ret)
{
	struct evn_monitor m = { .json = json };
	char *text = NULL;
	size_t len = 0;

	m.out = open_memstream(&text, &len);
	assert_non_null(m.out);
	*ret = evn_monitor_event(nlmsg_hdr(msg), &m);
	fclose(m.out);
	nlmsg_free(msg);
	return text;
}

static void test_event_text(void **state)
{
	static const struct {
		uint32_t state;
		const char *line;
	} cases[] = {
		{ EVN_TARGET_STATE_NEW, "target t0 (id 1): state new\n" },
		{ EVN_TARGET_STATE_CONNECTING,
		  "target t0 (id 1): state connecting\n" },
		{ EVN_TARGET_STATE_LIVE, "target t0 (id 1): state live\n" },
		{ EVN_TARGET_STATE_RESETTING,
		  "target t0 (id 1): state resetting\n" },
		{ EVN_TARGET_STATE_DELETING,
		  "target t0 (id 1): state deleting\n" },
		{ 42, "target t0 (id 1): state unknown(42)\n" },
	};
	uint32_t id = 1;
	size_t i;
	char *text;
	int ret;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		text = event(ntf(EVN_CMD_TARGET_NTF, "t0", &id,
				 &cases[i].state), false, &ret);
		assert_int_equal(ret, 0);
		assert_string_equal(text, cases[i].line);
		free(text);
	}
	/* a notification missing what the line needs still prints one */
	text = event(ntf(EVN_CMD_TARGET_NTF, NULL, NULL, NULL), false, &ret);
	assert_int_equal(ret, 0);
	assert_string_equal(text, "target - (id -): state -\n");
	free(text);
}

/* A target whose requests time out says so (the resets' reason). */
static void test_event_timeouts(void **state)
{
	uint32_t id = 1, st = EVN_TARGET_STATE_RESETTING;
	struct nl_msg *msg;
	char *text;
	int ret;

	(void)state;
	msg = ntf(EVN_CMD_TARGET_NTF, "t0", &id, &st);
	assert_int_equal(nla_put_u32(msg, EVN_A_TARGET_TIMEOUTS, 3), 0);
	text = event(msg, false, &ret);
	assert_int_equal(ret, 0);
	assert_string_equal(text,
		"target t0 (id 1): state resetting, 3 commands timed out\n");
	free(text);

	msg = ntf(EVN_CMD_TARGET_NTF, "t0", &id, &st);
	assert_int_equal(nla_put_u32(msg, EVN_A_TARGET_TIMEOUTS, 1), 0);
	text = event(msg, true, &ret);
	assert_int_equal(ret, 0);
	assert_string_equal(text,
		"{\"event\":\"target\",\"target\":{\"name\":\"t0\","
		"\"id\":1,\"state\":\"resetting\",\"timeouts\":1}}\n");
	free(text);

	/* none so far: the plain line */
	msg = ntf(EVN_CMD_TARGET_NTF, "t0", &id, &st);
	assert_int_equal(nla_put_u32(msg, EVN_A_TARGET_TIMEOUTS, 0), 0);
	text = event(msg, false, &ret);
	assert_int_equal(ret, 0);
	assert_string_equal(text, "target t0 (id 1): state resetting\n");
	free(text);
}

static void test_event_json(void **state)
{
	uint32_t id = 7, st = EVN_TARGET_STATE_CONNECTING;
	char *text;
	int ret;

	(void)state;
	text = event(ntf(EVN_CMD_TARGET_NTF, "backup-2", &id, &st), true,
		     &ret);
	assert_int_equal(ret, 0);
	/* one object, one line */
	assert_string_equal(text,
		"{\"event\":\"target\",\"target\":{\"name\":\"backup-2\","
		"\"id\":7,\"state\":\"connecting\"}}\n");
	free(text);
}

/* Other commands (a newer module's events, replies) print nothing. */
static void test_event_ignored(void **state)
{
	uint32_t id = 1, st = 0;
	char *text;
	int ret;

	(void)state;
	text = event(ntf(EVN_CMD_TARGET_GET, "t0", &id, &st), false, &ret);
	assert_int_equal(ret, 0);
	assert_string_equal(text, "");
	free(text);
	text = event(ntf(EVN_CMD_MAX + 1, "t0", &id, &st), true, &ret);
	assert_int_equal(ret, 0);
	assert_string_equal(text, "");
	free(text);
}

static void test_event_malformed(void **state)
{
	struct nl_msg *msg;
	char *text;
	int ret;

	(void)state;
	/* a state of 2 bytes */
	msg = ntf(EVN_CMD_TARGET_NTF, "t0", NULL, NULL);
	assert_int_equal(nla_put_u16(msg, EVN_A_TARGET_STATE, 1), 0);
	text = event(msg, false, &ret);
	assert_int_equal(ret, -EPROTO);
	assert_string_equal(text, "");
	free(text);

	/* no room for a genl header */
	msg = ntf(EVN_CMD_TARGET_NTF, NULL, NULL, NULL);
	nlmsg_hdr(msg)->nlmsg_len = NLMSG_HDRLEN + 2;
	text = event(msg, false, &ret);
	assert_int_equal(ret, -EPROTO);
	free(text);
}

/* Each line reaches a pipe at once, not when a buffer fills. */
static void test_event_flushed(void **state)
{
	struct evn_monitor m = { 0 };
	uint32_t id = 1, st = EVN_TARGET_STATE_LIVE;
	struct nl_msg *msg;
	char buf[128];
	int fds[2];
	ssize_t n;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(fcntl(fds[0], F_SETFL, O_NONBLOCK), 0);
	m.out = fdopen(fds[1], "w");
	assert_non_null(m.out);
	assert_int_equal(setvbuf(m.out, NULL, _IOFBF, 65536), 0);
	msg = ntf(EVN_CMD_TARGET_NTF, "t0", &id, &st);
	assert_int_equal(evn_monitor_event(nlmsg_hdr(msg), &m), 0);
	nlmsg_free(msg);
	n = read(fds[0], buf, sizeof(buf) - 1);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_string_equal(buf, "target t0 (id 1): state live\n");

	/* a reader that went away is an error, not a silent success */
	close(fds[0]);
	signal(SIGPIPE, SIG_IGN);
	msg = ntf(EVN_CMD_TARGET_NTF, "t0", &id, &st);
	assert_int_equal(evn_monitor_event(nlmsg_hdr(msg), &m), -EPIPE);
	nlmsg_free(msg);
	signal(SIGPIPE, SIG_DFL);
	fclose(m.out);
}

/* ---- the listen loop, on nlctrl's "notify" group ---- */

static bool have_netlink;

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

struct ctl {
	struct evn_nl *nl;
	char *errtext;
	size_t errlen;
	FILE *err;
	sigset_t saved;
};

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
	sigprocmask(SIG_SETMASK, NULL, &ctl->saved);
	*state = ctl;
	return 0;
}

static int teardown(void **state)
{
	struct ctl *ctl = *state;

	if (!ctl)
		return 0;
	sigprocmask(SIG_SETMASK, &ctl->saved, NULL);
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

static int count_cb(struct nlmsghdr *nlh, void *arg)
{
	(void)nlh;
	(*(int *)arg)++;
	return 0;
}

static bool blocked(int sig)
{
	sigset_t now;

	sigprocmask(SIG_SETMASK, NULL, &now);
	return sigismember(&now, sig);
}

static bool pending(int sig)
{
	sigset_t set;

	sigpending(&set);
	return sigismember(&set, sig);
}

/* A SIGTERM already pending ends the loop at once, consumed. */
static void test_listen_pending_signal(void **state)
{
	struct ctl *ctl = ctl_get(state);
	sigset_t term;
	int seen = 0;

	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigprocmask(SIG_BLOCK, &term, NULL);
	assert_false(blocked(SIGINT));
	raise(SIGTERM);
	assert_true(pending(SIGTERM));

	assert_int_equal(evn_nl_listen(ctl->nl, "notify", count_cb, &seen), 0);
	assert_int_equal(seen, 0);
	assert_string_equal(errors(ctl), "");
	assert_false(pending(SIGTERM));
	/* the caller's mask is back: SIGTERM blocked, SIGINT not */
	assert_true(blocked(SIGTERM));
	assert_false(blocked(SIGINT));
}

/* A SIGINT arriving while the loop waits ends it with 0. */
static void test_listen_signal_later(void **state)
{
	struct ctl *ctl = ctl_get(state);
	struct timespec t0, t1;
	sigset_t intr;
	int seen = 0, status;
	pid_t child;
	double secs;

	/* blocked now, so an early signal waits instead of killing us */
	sigemptyset(&intr);
	sigaddset(&intr, SIGINT);
	sigprocmask(SIG_BLOCK, &intr, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		struct timespec d = { 0, 300 * 1000 * 1000 };

		nanosleep(&d, NULL);
		kill(getppid(), SIGINT);
		_exit(0);
	}
	assert_int_equal(evn_nl_listen(ctl->nl, "notify", count_cb, &seen), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(waitpid(child, &status, 0), child);
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	print_message("listen returned after %.3f s, %d messages\n", secs,
		      seen);
	assert_true(secs >= 0.25);	/* it did wait for the signal */
	assert_string_equal(errors(ctl), "");
	assert_false(pending(SIGINT));
}

static void test_listen_unknown_group(void **state)
{
	struct ctl *ctl = ctl_get(state);
	int seen = 0;

	assert_true(evn_nl_listen(ctl->nl, "nosuch", count_cb, &seen) < 0);
	assert_string_equal(errors(ctl),
		"Error: nlctrl module has no multicast group \"nosuch\".\n");
	assert_false(blocked(SIGINT));
	assert_false(blocked(SIGTERM));
}

/* "evnadm monitor" without evn.ko: the documented error, no waiting. */
static void test_monitor_unloaded(void **state)
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
	if (loaded)
		skip();		/* it would wait for events; the VM tests it */

	run_evnadm(&r, "monitor", NULL);
	assert_int_equal(r.rc, EVNADM_EXIT_ERROR);
	assert_string_equal(r.err,
			    "Error: evn kernel module not loaded (modprobe evn).\n");
	assert_string_equal(r.out, "");
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_event_text),
		cmocka_unit_test(test_event_json),
		cmocka_unit_test(test_event_timeouts),
		cmocka_unit_test(test_event_ignored),
		cmocka_unit_test(test_event_malformed),
		cmocka_unit_test(test_event_flushed),
		cmocka_unit_test_setup_teardown(test_listen_pending_signal,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_listen_signal_later,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_listen_unknown_group,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_monitor_unloaded,
						setup, teardown),
	};

	return cmocka_run_group_tests_name("evn_monitor", tests, group_setup,
					   NULL);
}
