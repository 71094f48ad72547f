/* SPDX-License-Identifier: GPL-2.0 */
/* monitor.h - the "monitor" object of evnadm: notifications as text or JSON */
#ifndef EVNADM_MONITOR_H
#define EVNADM_MONITOR_H

#include <stdbool.h>
#include <stdio.h>

struct nlmsghdr;

/**
 * struct evn_monitor - how evn_monitor_event() prints
 * @out: stream, flushed after every event
 * @json: one JSON object per line instead of text
 * @pretty: indent the JSON
 */
struct evn_monitor {
	FILE *out;
	bool json;
	bool pretty;
};

int evn_monitor_event(struct nlmsghdr *nlh, void *arg);

#endif /* EVNADM_MONITOR_H */
