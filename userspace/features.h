/* SPDX-License-Identifier: GPL-2.0 */
/* features.h - EVN_F_* feature bits <-> names for evnadm */
#ifndef EVNADM_FEATURES_H
#define EVNADM_FEATURES_H

#include <stddef.h>
#include <stdint.h>

struct json_object;

/*
 * Longest text evn_features_format() can produce, NUL included: 64 unknown
 * bits, each "0x8000000000000000" (18 characters) plus a comma.
 */
#define EVN_FEATURES_STRLEN	(64 * 19 + 1)

/* Longest error message evn_features_parse() writes, NUL included. */
#define EVN_FEATURES_ERRLEN	128

/**
 * struct evn_feature - one named feature bit
 * @name: the name users type and evnadm prints
 * @bit: its EVN_F_* bit
 */
struct evn_feature {
	const char *name;
	uint64_t bit;
};

extern const struct evn_feature evn_features[];
extern const size_t evn_features_count;

const char *evn_feature_name(uint64_t bit);
int evn_features_parse(const char *list, uint64_t *mask,
		       char *errbuf, size_t errlen);
size_t evn_features_format(uint64_t mask, char *buf, size_t len);
struct json_object *evn_features_json(uint64_t mask);
int evn_features_check(uint64_t have, uint64_t need, const char *what,
		       char *errbuf, size_t errlen);

#endif /* EVNADM_FEATURES_H */
