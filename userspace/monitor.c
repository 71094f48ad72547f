// SPDX-License-Identifier: GPL-2.0
/*
 * monitor.c - the "monitor" object of evnadm
 *
 *   evnadm monitor      print the evn module's notifications until SIGINT
 *                       or SIGTERM, one line each
 *
 * Read-only: joining the "monitor" multicast group needs no privilege
 * today. Should the kernel restrict the group, joining fails with EPERM
 * and evnadm says so.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <json-c/json.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <linux/evn.h>

#include "evnadm.h"
#include "monitor.h"
#include "nl.h"
#include "print.h"
#include "target.h"

void evnadm_monitor_help(FILE *f)
{
	fprintf(f,
		"Usage: evnadm monitor\n"
		"       evnadm monitor help\n"
		"Prints one line per event of the evn module until interrupted\n"
		"(SIGINT or SIGTERM, exit status 0):\n"
		"  target NAME (id ID): state STATE\n"
		"With -j, one JSON object per line. Read-only; needs no privilege\n"
		"unless the kernel restricts the \"%s\" multicast group.\n",
		EVN_MCGRP_MONITOR);
}

/* A target notification as one JSON line: {"event":"target","target":{...}} */
static int target_event_json(struct evn_monitor *m, const struct evn_target *t)
{
	struct json_object *obj = json_object_new_object();
	int ret = -ENOMEM;

	if (!obj)
		return -ENOMEM;
	if (!evn_json_add(obj, "event", json_object_new_string("target")) &&
	    !evn_json_add(obj, "target", evn_target_json(t)))
		ret = evn_json_print(m->out, obj, m->pretty);
	json_object_put(obj);
	return ret;
}

/**
 * evn_monitor_event() - print one notification of the evn module
 * @nlh: the notification
 * @arg: struct evn_monitor
 *
 * An evn_nl_parse_fn for evn_nl_listen(). EVN_CMD_TARGET_NTF prints
 * "target t0 (id 1): state connecting", or with JSON
 * {"event":"target","target":{"name":"t0","id":1,"state":"connecting",...}}.
 * Notifications this evnadm does not know are skipped, so a newer module
 * can add some. The stream is flushed after each line.
 *
 * Return: 0, -EPROTO for a malformed notification, -ENOMEM, or a negative
 * errno when the stream fails.
 */
int evn_monitor_event(struct nlmsghdr *nlh, void *arg)
{
	struct evn_monitor *m = arg;
	char state[EVN_STATE_STRLEN];
	struct genlmsghdr *gnlh;
	struct evn_target t;
	int ret;

	if (!genlmsg_valid_hdr(nlh, 0))
		return -EPROTO;
	gnlh = nlmsg_data(nlh);
	if (gnlh->cmd != EVN_CMD_TARGET_NTF)
		return 0;
	ret = evn_target_parse(nlh, &t);
	if (ret)
		return ret;

	if (m->json) {
		ret = target_event_json(m, &t);
		if (ret)
			return ret;
	} else {
		if (t.have & EVN_HAVE(EVN_A_TARGET_STATE))
			evn_target_state_format(t.state, state, sizeof(state));
		else
			snprintf(state, sizeof(state), "-");
		fprintf(m->out, "target %s (id ",
			t.have & EVN_HAVE(EVN_A_TARGET_NAME) ? t.name : "-");
		if (t.have & EVN_HAVE(EVN_A_TARGET_ID))
			fprintf(m->out, "%" PRIu32, t.id);
		else
			fputc('-', m->out);
		fprintf(m->out, "): state %s", state);
		/* Say why an association keeps being reset. */
		if ((t.have & EVN_HAVE(EVN_A_TARGET_TIMEOUTS)) && t.timeouts)
			fprintf(m->out, ", %" PRIu32 " command%s timed out",
				t.timeouts, t.timeouts == 1 ? "" : "s");
		fputc('\n', m->out);
	}
	errno = 0;
	if (fflush(m->out) || ferror(m->out))
		return errno ? -errno : -EIO;
	return 0;
}

static int monitor_run(struct evnadm *ea, int argc, char **argv)
{
	struct evn_monitor m = {
		.out = ea->out,
		.json = ea->json,
		.pretty = ea->pretty,
	};
	struct evn_nl *nl;
	int ret;

	(void)argc;
	(void)argv;
	if (evn_nl_open(&nl, ea->err))
		return EVNADM_EXIT_ERROR;
	ret = evn_nl_listen(nl, EVN_MCGRP_MONITOR, evn_monitor_event, &m);
	evn_nl_close(nl);
	return ret ? EVNADM_EXIT_ERROR : EVNADM_EXIT_OK;
}

/**
 * evnadm_monitor() - the "monitor" object
 * @ea: this run
 * @argc: number of words after "monitor"
 * @argv: those words: none, or "help"
 *
 * Return: EVNADM_EXIT_*.
 */
int evnadm_monitor(struct evnadm *ea, int argc, char **argv)
{
	return evnadm_dispatch(ea, NULL, 0, monitor_run, evnadm_monitor_help,
			       argc, argv);
}
