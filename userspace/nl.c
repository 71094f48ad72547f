// SPDX-License-Identifier: GPL-2.0
/*
 * nl.c - generic netlink glue of evnadm (libnl-genl-3)
 *
 * One socket per evnadm run: open it and resolve the "evn" family with
 * evn_nl_open(), build each request with evn_nl_msg() plus nla_put*(), send
 * it and read every reply with evn_nl_talk(), which hands each reply message
 * to a per-object parse callback. Errors are printed here, once, in the
 * iproute2 form "Error: <kernel's extack message>.", so objects only map a
 * failure to exit status 1. evn_nl_listen() turns the socket into a
 * listener on a multicast group instead, for "evnadm monitor".
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include <linux/evn.h>

#include "extack.h"
#include "nl.h"
#include "print.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif

/**
 * struct evn_nl - an open connection to a generic netlink family
 * @sk: generic netlink socket, connected
 * @family: numeric id of the family (EVN_FAMILY_NAME)
 * @name: name of the family, to resolve its multicast groups
 * @version: version put in the genl header of requests
 * @err: stream for error messages
 */
struct evn_nl {
	struct nl_sock *sk;
	int family;
	char name[GENL_NAMSIZ];
	uint8_t version;
	FILE *err;
};

/**
 * struct evn_nl_talk_ctx - state of one request while its replies arrive
 * @parse: per-reply callback
 * @arg: its cookie
 * @err: stream for warnings
 * @done: the final ACK, error or NLMSG_DONE has arrived
 * @error: 0 or the first negative errno (from the kernel or @parse)
 * @msg: the kernel's extack message for @error, or empty
 */
struct evn_nl_talk_ctx {
	evn_nl_parse_fn parse;
	void *arg;
	FILE *err;
	bool done;
	int error;
	char msg[256];
};

/* Record the outcome of an NLMSG_ERROR/NLMSG_DONE; warn on a success note. */
static void talk_finish(struct evn_nl_talk_ctx *ctx,
			const struct nlmsghdr *nlh)
{
	struct evn_extack ext;

	ctx->done = true;
	if (evn_extack_parse(nlh, &ext))
		return;
	if (ext.error) {
		if (!ctx->error) {
			ctx->error = ext.error;
			if (ext.msg)
				snprintf(ctx->msg, sizeof(ctx->msg), "%s",
					 ext.msg);
		}
	} else if (ext.msg) {
		/* kernel accepted the request but has something to say */
		evn_pr_warning(ctx->err, "%s", ext.msg);
	}
}

static int talk_valid_cb(struct nl_msg *msg, void *arg)
{
	struct evn_nl_talk_ctx *ctx = arg;
	int ret;

	if (ctx->error || !ctx->parse)
		return NL_SKIP;		/* drain the remaining replies */
	ret = ctx->parse(nlmsg_hdr(msg), ctx->arg);
	if (ret < 0)
		ctx->error = ret;
	return NL_OK;
}

static int talk_ack_cb(struct nl_msg *msg, void *arg)
{
	talk_finish(arg, nlmsg_hdr(msg));
	return NL_STOP;
}

static int talk_finish_cb(struct nl_msg *msg, void *arg)
{
	talk_finish(arg, nlmsg_hdr(msg));
	return NL_STOP;
}

static int talk_error_cb(struct sockaddr_nl *nla, struct nlmsgerr *e,
			 void *arg)
{
	/* libnl passes nlmsg_data() of the NLMSG_ERROR message */
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)e - 1;

	(void)nla;
	talk_finish(arg, nlh);
	return NL_STOP;
}

/**
 * evn_nl_open_family() - connect to a generic netlink family
 * @nlp: set to the new connection on success
 * @err: stream for error messages, normally stderr
 * @name: family name
 * @version: version to put in the genl header of requests
 *
 * evnadm talks to "evn" only (evn_nl_open()); unit tests use this with
 * "nlctrl", the one family every kernel has.
 *
 * Return: 0, or a negative errno or libnl error after printing why.
 */
int evn_nl_open_family(struct evn_nl **nlp, FILE *err, const char *name,
		       uint8_t version)
{
	struct evn_nl *nl;
	int one = 1;
	int ret;

	nl = calloc(1, sizeof(*nl));
	if (!nl) {
		evn_pr_error(err, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	nl->err = err;
	nl->version = version;
	snprintf(nl->name, sizeof(nl->name), "%s", name);
	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		evn_pr_error(err, "%s", strerror(ENOMEM));
		ret = -ENOMEM;
		goto out_free;
	}
	ret = genl_connect(nl->sk);
	if (ret < 0) {
		evn_pr_error(err, "cannot open generic netlink socket: %s",
			     nl_geterror(ret));
		goto out_free_sock;
	}
	/* Large dump replies: size the receive buffer from a peek. */
	nl_socket_enable_msg_peek(nl->sk);
	/*
	 * libnl-3.7 has no call for NETLINK_EXT_ACK. Kernels before 4.12 do
	 * not know the option; evnadm then prints strerror() only.
	 */
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));

	ret = genl_ctrl_resolve(nl->sk, name);
	if (ret == -NLE_OBJ_NOTFOUND && !strcmp(name, EVN_FAMILY_NAME)) {
		evn_pr_error(err, "evn kernel module not loaded (modprobe evn)");
		goto out_free_sock;
	} else if (ret < 0) {
		evn_pr_error(err, "cannot resolve generic netlink family \"%s\": %s",
			     name, nl_geterror(ret));
		goto out_free_sock;
	}
	nl->family = ret;
	*nlp = nl;
	return 0;

out_free_sock:
	nl_socket_free(nl->sk);
out_free:
	free(nl);
	return ret;
}

/**
 * evn_nl_open() - connect to the evn generic netlink family
 * @nlp: set to the new connection on success
 * @err: stream for error messages, normally stderr
 *
 * Prints "Error: evn kernel module not loaded (modprobe evn)." when the
 * family is not registered.
 *
 * Return: 0, or a negative errno or libnl error after printing why.
 */
int evn_nl_open(struct evn_nl **nlp, FILE *err)
{
	return evn_nl_open_family(nlp, err, EVN_FAMILY_NAME,
				  EVN_FAMILY_VERSION);
}

/**
 * evn_nl_close() - close a connection from evn_nl_open()
 * @nl: the connection, or NULL
 */
void evn_nl_close(struct evn_nl *nl)
{
	if (!nl)
		return;
	nl_socket_free(nl->sk);
	free(nl);
}

/**
 * evn_nl_msg_size() - start a request of the connection's family
 * @nl: connection
 * @cmd: EVN_CMD_*
 * @flags: extra netlink flags, e.g. NLM_F_DUMP; NLM_F_REQUEST and NLM_F_ACK
 *	are added when the message is sent
 * @size: room for the whole message, headers included; 0 for the libnl
 *	default (a page)
 *
 * Add attributes with nla_put*(), then pass the message to evn_nl_talk().
 *
 * Return: the message, or NULL after printing an error.
 */
struct nl_msg *evn_nl_msg_size(struct evn_nl *nl, uint8_t cmd, int flags,
			       size_t size)
{
	struct nl_msg *msg = size ? nlmsg_alloc_size(size) : nlmsg_alloc();

	if (!msg)
		goto err;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			 flags, cmd, nl->version)) {
		nlmsg_free(msg);
		goto err;
	}
	return msg;
err:
	evn_pr_error(nl->err, "%s", strerror(ENOMEM));
	return NULL;
}

/**
 * evn_nl_msg() - start a request of the connection's family
 * @nl: connection
 * @cmd: EVN_CMD_*
 * @flags: extra netlink flags, e.g. NLM_F_DUMP
 *
 * evn_nl_msg_size() with room for a page, plenty for all but the largest
 * requests.
 *
 * Return: the message, or NULL after printing an error.
 */
struct nl_msg *evn_nl_msg(struct evn_nl *nl, uint8_t cmd, int flags)
{
	return evn_nl_msg_size(nl, cmd, flags, 0);
}

/**
 * evn_nl_talk() - send a request and read all of its replies
 * @nl: connection
 * @msg: request from evn_nl_msg(); always consumed
 * @parse: called for each reply message (once for a do, once per object of
 *	a dump), or NULL when no reply is expected
 * @arg: cookie for @parse
 *
 * Waits for the ACK of a do request or the NLMSG_DONE of a dump. On failure
 * prints "Error: <extack message>." or, when the kernel gave no message,
 * "Error: <strerror>."; a negative errno from @parse is printed the same
 * way, so @parse does not print.
 *
 * Return: 0, or a negative errno (or libnl error) after printing why.
 */
int evn_nl_talk(struct evn_nl *nl, struct nl_msg *msg,
		evn_nl_parse_fn parse, void *arg)
{
	struct evn_nl_talk_ctx ctx = {
		.parse = parse,
		.arg = arg,
		.err = nl->err,
	};
	struct nl_cb *cb, *sock_cb;
	int ret;

	/* a copy of the socket's set, so NLCB=debug still traces messages */
	sock_cb = nl_socket_get_cb(nl->sk);
	cb = nl_cb_clone(sock_cb);
	nl_cb_put(sock_cb);
	if (!cb) {
		nlmsg_free(msg);
		evn_pr_error(nl->err, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, talk_valid_cb, &ctx);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, talk_ack_cb, &ctx);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, talk_finish_cb, &ctx);
	nl_cb_err(cb, NL_CB_CUSTOM, talk_error_cb, &ctx);

	ret = nl_send_auto(nl->sk, msg);
	nlmsg_free(msg);
	if (ret < 0) {
		evn_pr_error(nl->err, "cannot send netlink request: %s",
			     nl_geterror(ret));
		goto out;
	}

	ret = 0;
	while (!ctx.done) {
		ret = nl_recvmsgs(nl->sk, cb);
		if (ret < 0)
			break;
		ret = 0;
	}

	if (ctx.error) {
		/* the kernel (or @parse) failed the request */
		ret = ctx.error;
		if (ctx.msg[0])
			evn_pr_error(nl->err, "%s", ctx.msg);
		else
			evn_pr_error(nl->err, "%s", strerror(-ctx.error));
	} else if (ret < 0) {
		/* libnl failed: socket error, truncated message, ... */
		evn_pr_error(nl->err, "netlink: %s", nl_geterror(ret));
	}
out:
	nl_cb_put(cb);
	return ret;
}

/**
 * struct evn_nl_listen_ctx - state of evn_nl_listen() between messages
 * @parse: per-notification callback
 * @arg: its cookie
 * @error: 0 or the negative errno @parse returned
 */
struct evn_nl_listen_ctx {
	evn_nl_parse_fn parse;
	void *arg;
	int error;
};

static int listen_valid_cb(struct nl_msg *msg, void *arg)
{
	struct evn_nl_listen_ctx *ctx = arg;
	int ret;

	if (ctx->error)
		return NL_SKIP;
	ret = ctx->parse(nlmsg_hdr(msg), ctx->arg);
	if (ret < 0) {
		ctx->error = ret;
		return NL_STOP;
	}
	return NL_OK;
}

/* Join @group of the connection's family. */
static int listen_join(struct evn_nl *nl, const char *group)
{
	int grp, ret;

	grp = genl_ctrl_resolve_grp(nl->sk, nl->name, group);
	if (grp == -NLE_OBJ_NOTFOUND) {
		evn_pr_error(nl->err,
			     "%s module has no multicast group \"%s\"",
			     nl->name, group);
		return grp;
	}
	if (grp < 0) {
		evn_pr_error(nl->err,
			     "cannot resolve multicast group \"%s\": %s",
			     group, nl_geterror(grp));
		return grp;
	}
	ret = nl_socket_add_membership(nl->sk, grp);
	if (ret < 0) {
		/* NLE_PERM when the kernel restricts the group */
		evn_pr_error(nl->err,
			     "cannot join multicast group \"%s\": %s",
			     group, nl_geterror(ret));
		return ret;
	}
	return 0;
}

/**
 * evn_nl_listen() - print notifications of a multicast group until a signal
 * @nl: connection; it serves no requests afterwards
 * @group: multicast group of the connection's family, e.g.
 *	EVN_MCGRP_MONITOR
 * @parse: called once per notification
 * @arg: cookie for @parse
 *
 * Joins @group and hands every message that arrives to @parse until
 * SIGINT or SIGTERM. Both signals are blocked meanwhile and taken from a
 * signalfd, so one arriving at any moment ends the loop and none is lost;
 * the caller's signal mask is restored on return. Notifications lost to a
 * full receive buffer draw a warning and the loop goes on.
 *
 * Return: 0 after SIGINT or SIGTERM, or a negative errno (from @parse, or
 * a socket error) after printing why.
 */
int evn_nl_listen(struct evn_nl *nl, const char *group,
		  evn_nl_parse_fn parse, void *arg)
{
	struct evn_nl_listen_ctx ctx = { .parse = parse, .arg = arg };
	struct nl_cb *cb, *sock_cb;
	sigset_t stop, saved;
	struct pollfd pfd[2];
	int ret, sfd;

	ret = listen_join(nl, group);
	if (ret)
		return ret;
	/* multicast messages carry sequence number 0 */
	nl_socket_disable_seq_check(nl->sk);
	ret = nl_socket_set_nonblocking(nl->sk);
	if (ret < 0) {
		evn_pr_error(nl->err, "netlink: %s", nl_geterror(ret));
		return ret;
	}

	sock_cb = nl_socket_get_cb(nl->sk);
	cb = nl_cb_clone(sock_cb);
	nl_cb_put(sock_cb);
	if (!cb) {
		evn_pr_error(nl->err, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, listen_valid_cb, &ctx);

	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &stop, &saved)) {
		ret = -errno;
		evn_pr_error(nl->err, "cannot block signals: %s", strerror(-ret));
		goto out_put_cb;
	}
	sfd = signalfd(-1, &stop, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0) {
		ret = -errno;
		evn_pr_error(nl->err, "signalfd: %s", strerror(-ret));
		goto out_restore;
	}

	pfd[0].fd = sfd;
	pfd[0].events = POLLIN;
	pfd[1].fd = nl_socket_get_fd(nl->sk);
	pfd[1].events = POLLIN;
	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			evn_pr_error(nl->err, "poll: %s", strerror(-ret));
			break;
		}
		if (pfd[0].revents) {
			struct signalfd_siginfo si;

			/* consume it, so restoring the mask delivers nothing */
			if (read(sfd, &si, sizeof(si)) < 0 && errno != EAGAIN) {
				ret = -errno;
				evn_pr_error(nl->err, "signalfd: %s",
					     strerror(-ret));
				break;
			}
			ret = 0;
			break;
		}
		if (!pfd[1].revents)
			continue;
		ret = nl_recvmsgs(nl->sk, cb);
		if (ctx.error) {
			ret = ctx.error;
			evn_pr_error(nl->err, "%s", strerror(-ret));
			break;
		}
		if (ret == -NLE_AGAIN || ret >= 0)
			continue;
		if (ret == -NLE_NOMEM) {
			/* ENOBUFS: the socket overran, messages were lost */
			evn_pr_warning(nl->err,
				       "notifications lost, the receive buffer overran");
			continue;
		}
		evn_pr_error(nl->err, "netlink: %s", nl_geterror(ret));
		break;
	}

	close(sfd);
out_restore:
	sigprocmask(SIG_SETMASK, &saved, NULL);
out_put_cb:
	nl_cb_put(cb);
	return ret;
}
