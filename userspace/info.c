// SPDX-License-Identifier: GPL-2.0
/*
 * info.c - the "info" object of evnadm
 *
 *   evnadm info                   versions and features of the evn module
 *   evnadm info require FEATURES  the same, failing unless the module has
 *                                 every feature in FEATURES
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <linux/evn.h>

#include "evnadm.h"
#include "features.h"
#include "info.h"
#include "nl.h"
#include "print.h"

static struct nla_policy evn_info_policy[EVN_A_INFO_MAX + 1] = {
	[EVN_A_INFO_MODULE_VERSION]	= { .type = NLA_STRING },
	[EVN_A_INFO_FAMILY_VERSION]	= { .type = NLA_U32 },
	[EVN_A_INFO_FEATURES]		= { .type = NLA_U64 },
};

void evnadm_info_help(FILE *f)
{
	size_t i;

	fprintf(f,
		"Usage: evnadm info [ require FEATURES ]\n"
		"       evnadm info help\n"
		"where  FEATURES := FEATURE[,FEATURE...]\n"
		"       FEATURE := { ");
	for (i = 0; i < evn_features_count; i++)
		fprintf(f, "%s | ", evn_features[i].name);
	fprintf(f, "NUMBER }\n"
		"NUMBER is a mask of feature bits, decimal or 0x-prefixed hexadecimal.\n");
}

/**
 * evn_info_parse() - decode an EVN_CMD_INFO_GET reply
 * @nlh: the reply message
 * @arg: struct evn_info to fill
 *
 * An evn_nl_parse_fn. Attributes this evnadm does not know are ignored;
 * the caller checks @info->have for the ones it needs.
 *
 * Return: 0, or -EPROTO when the message is malformed.
 */
int evn_info_parse(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[EVN_A_INFO_MAX + 1];
	struct evn_info *info = arg;

	if (genlmsg_parse(nlh, 0, tb, EVN_A_INFO_MAX, evn_info_policy) < 0)
		return -EPROTO;
	if (tb[EVN_A_INFO_MODULE_VERSION]) {
		snprintf(info->module_version, sizeof(info->module_version),
			 "%s", nla_get_string(tb[EVN_A_INFO_MODULE_VERSION]));
		info->have |= EVN_INFO_HAVE_MODULE_VERSION;
	}
	if (tb[EVN_A_INFO_FAMILY_VERSION]) {
		info->family_version = nla_get_u32(tb[EVN_A_INFO_FAMILY_VERSION]);
		info->have |= EVN_INFO_HAVE_FAMILY_VERSION;
	}
	if (tb[EVN_A_INFO_FEATURES]) {
		info->features = nla_get_u64(tb[EVN_A_INFO_FEATURES]);
		info->have |= EVN_INFO_HAVE_FEATURES;
	}
	return 0;
}

/**
 * evn_info_json() - an info reply as evnadm prints it with -j
 * @info: a complete reply (EVN_INFO_HAVE_ALL)
 *
 * {"evnadm":{"version":"0.1.0","family_version":1},
 *  "module":{"version":"0.1.0","family_version":1,
 *            "features":["info"],"features_mask":1}}
 *
 * Return: a new json-c object (caller puts it), or NULL on ENOMEM.
 */
struct json_object *evn_info_json(const struct evn_info *info)
{
	struct json_object *root, *tool, *mod;

	root = json_object_new_object();
	tool = json_object_new_object();
	mod = json_object_new_object();
	if (!root || !tool || !mod)
		goto err;

	if (evn_json_add(tool, "version",
			 json_object_new_string(EVN_VERSION)) ||
	    evn_json_add(tool, "family_version",
			 json_object_new_int64(EVN_FAMILY_VERSION)))
		goto err;
	if (evn_json_add(mod, "version",
			 json_object_new_string(info->module_version)) ||
	    evn_json_add(mod, "family_version",
			 json_object_new_int64(info->family_version)) ||
	    evn_json_add(mod, "features",
			 evn_features_json(info->features)) ||
	    evn_json_add(mod, "features_mask",
			 json_object_new_uint64(info->features)))
		goto err;

	if (evn_json_add(root, "evnadm", tool)) {
		tool = NULL;
		goto err;
	}
	tool = NULL;
	if (evn_json_add(root, "module", mod)) {
		mod = NULL;
		goto err;
	}
	return root;

err:
	json_object_put(mod);
	json_object_put(tool);
	json_object_put(root);
	return NULL;
}

/**
 * evn_info_print() - an info reply as text
 * @f: stream
 * @info: a complete reply (EVN_INFO_HAVE_ALL)
 */
void evn_info_print(FILE *f, const struct evn_info *info)
{
	char features[EVN_FEATURES_STRLEN];

	evn_features_format(info->features, features, sizeof(features));
	evn_pr_field(f, "evnadm version:", "%s", EVN_VERSION);
	evn_pr_field(f, "module version:", "%s", info->module_version);
	evn_pr_field(f, "family version:", "%" PRIu32, info->family_version);
	evn_pr_field(f, "features:", "%s", features[0] ? features : "none");
}

static const char *info_missing(unsigned int have)
{
	if (!(have & EVN_INFO_HAVE_MODULE_VERSION))
		return "module version";
	if (!(have & EVN_INFO_HAVE_FAMILY_VERSION))
		return "family version";
	return "features";
}

/**
 * evn_info_request() - send an info-get request and decode its reply
 * @nl: an open connection (evn_nl_open())
 * @err: stream for error messages
 * @require: the features to require (EVN_A_INFO_FEATURES), or NULL
 * @info: zeroed; filled in from the reply
 *
 * Used by "evnadm info" and by commands that check a feature before they
 * send a request an older module would not know. The caller checks
 * @info->have.
 *
 * Return: 0, or a negative errno after printing why.
 */
int evn_info_request(struct evn_nl *nl, FILE *err, const uint64_t *require,
		     struct evn_info *info)
{
	struct nl_msg *msg;

	msg = evn_nl_msg(nl, EVN_CMD_INFO_GET, 0);
	if (!msg)
		return -ENOMEM;
	if (require && nla_put_u64(msg, EVN_A_INFO_FEATURES, *require) < 0) {
		nlmsg_free(msg);
		evn_pr_error(err, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	return evn_nl_talk(nl, msg, evn_info_parse, info);
}

/* Ask the module, check the reply, print it. */
static int info_get(struct evnadm *ea, const uint64_t *require)
{
	struct evn_info info = { 0 };
	struct json_object *obj;
	struct evn_nl *nl;
	int ret;

	if (evn_nl_open(&nl, ea->err))
		return EVNADM_EXIT_ERROR;
	ret = evn_info_request(nl, ea->err, require, &info);
	evn_nl_close(nl);
	if (ret)
		return EVNADM_EXIT_ERROR;

	if ((info.have & EVN_INFO_HAVE_ALL) != EVN_INFO_HAVE_ALL) {
		evn_pr_error(ea->err, "evn module sent an info reply without %s",
			     info_missing(info.have));
		return EVNADM_EXIT_ERROR;
	}
	if (require && (*require & ~info.features)) {
		/* the module checks this itself; never trust it blindly */
		char missing[EVN_FEATURES_STRLEN];

		evn_features_format(*require & ~info.features, missing,
				    sizeof(missing));
		evn_pr_error(ea->err, "evn module lacks required features: %s",
			     missing);
		return EVNADM_EXIT_ERROR;
	}
	if (info.family_version != EVN_FAMILY_VERSION)
		evn_pr_warning(ea->err,
			       "evn module speaks netlink family version %" PRIu32 ", evnadm was built for version %d",
			       info.family_version, EVN_FAMILY_VERSION);

	if (!ea->json) {
		evn_info_print(ea->out, &info);
		return EVNADM_EXIT_OK;
	}
	obj = evn_info_json(&info);
	if (!obj) {
		evn_pr_error(ea->err, "%s", strerror(ENOMEM));
		return EVNADM_EXIT_ERROR;
	}
	ret = evn_json_print(ea->out, obj, ea->pretty);
	json_object_put(obj);
	return ret ? EVNADM_EXIT_ERROR : EVNADM_EXIT_OK;
}

static int info_show(struct evnadm *ea, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return info_get(ea, NULL);
}

static int info_require(struct evnadm *ea, int argc, char **argv)
{
	char errbuf[EVN_FEATURES_ERRLEN];
	uint64_t mask;

	if (argc < 1)
		return evnadm_usage_error(ea, evnadm_info_help,
					  "missing FEATURES after \"require\"");
	if (argc > 1)
		return evnadm_usage_error(ea, evnadm_info_help,
					  "extra argument \"%s\"", argv[1]);
	if (evn_features_parse(argv[0], &mask, errbuf, sizeof(errbuf)))
		return evnadm_usage_error(ea, evnadm_info_help, "%s", errbuf);
	return info_get(ea, &mask);
}

static const struct evnadm_cmd info_cmds[] = {
	{ "require",	info_require },
};

/**
 * evnadm_info() - the "info" object
 * @ea: this run
 * @argc: number of words after "info"
 * @argv: those words
 *
 * Return: EVNADM_EXIT_*.
 */
int evnadm_info(struct evnadm *ea, int argc, char **argv)
{
	return evnadm_dispatch(ea, info_cmds,
			       sizeof(info_cmds) / sizeof(info_cmds[0]),
			       info_show, evnadm_info_help, argc, argv);
}
