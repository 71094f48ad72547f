/* SPDX-License-Identifier: GPL-2.0 */
/* info.h - the "info" object of evnadm: reply decoding and output */
#ifndef EVNADM_INFO_H
#define EVNADM_INFO_H

#include <stdint.h>
#include <stdio.h>

struct evn_nl;
struct json_object;
struct nlmsghdr;

/* Bits of evn_info.have: which attributes the reply carried. */
#define EVN_INFO_HAVE_MODULE_VERSION	(1U << 0)
#define EVN_INFO_HAVE_FAMILY_VERSION	(1U << 1)
#define EVN_INFO_HAVE_FEATURES		(1U << 2)
#define EVN_INFO_HAVE_ALL		(EVN_INFO_HAVE_MODULE_VERSION | \
					 EVN_INFO_HAVE_FAMILY_VERSION | \
					 EVN_INFO_HAVE_FEATURES)

/**
 * struct evn_info - an EVN_CMD_INFO_GET reply
 * @module_version: EVN_A_INFO_MODULE_VERSION, truncated to fit
 * @family_version: EVN_A_INFO_FAMILY_VERSION
 * @features: EVN_A_INFO_FEATURES
 * @have: EVN_INFO_HAVE_* of the attributes present
 */
struct evn_info {
	char module_version[64];
	uint32_t family_version;
	uint64_t features;
	unsigned int have;
};

int evn_info_parse(struct nlmsghdr *nlh, void *arg);
int evn_info_request(struct evn_nl *nl, FILE *err, const uint64_t *require,
		     struct evn_info *info);
struct json_object *evn_info_json(const struct evn_info *info);
void evn_info_print(FILE *f, const struct evn_info *info);

#endif /* EVNADM_INFO_H */
