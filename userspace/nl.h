/* SPDX-License-Identifier: GPL-2.0 */
/* nl.h - generic netlink glue of evnadm (libnl-genl-3) */
#ifndef EVNADM_NL_H
#define EVNADM_NL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct nlmsghdr;
struct nl_msg;
struct evn_nl;

/**
 * typedef evn_nl_parse_fn - called once per reply message of a request
 * @nlh: the reply; its generic netlink header and attributes follow
 * @arg: the caller's cookie given to evn_nl_talk()
 *
 * A dump calls it once per object; evn_nl_listen() once per notification.
 * Return 0, or a negative errno to make evn_nl_talk() or evn_nl_listen()
 * print it and fail with it (the rest of the replies is read and dropped).
 */
typedef int (*evn_nl_parse_fn)(struct nlmsghdr *nlh, void *arg);

int evn_nl_open(struct evn_nl **nlp, FILE *err);
int evn_nl_open_family(struct evn_nl **nlp, FILE *err, const char *name,
		       uint8_t version);
void evn_nl_close(struct evn_nl *nl);
struct nl_msg *evn_nl_msg(struct evn_nl *nl, uint8_t cmd, int flags);
struct nl_msg *evn_nl_msg_size(struct evn_nl *nl, uint8_t cmd, int flags,
			       size_t size);
int evn_nl_talk(struct evn_nl *nl, struct nl_msg *msg,
		evn_nl_parse_fn parse, void *arg);
int evn_nl_listen(struct evn_nl *nl, const char *group,
		  evn_nl_parse_fn parse, void *arg);

#endif /* EVNADM_NL_H */
