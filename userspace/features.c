// SPDX-License-Identifier: GPL-2.0
/* features.c - EVN_F_* feature bits <-> names for evnadm */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <linux/evn.h>

#include "features.h"

/* Every bit of EVN_F_ALL needs a name here; features_test.c checks it. */
const struct evn_feature evn_features[] = {
	{ "info",	EVN_F_INFO },
	{ "targets",	EVN_F_TARGETS },
	{ "volumes",	EVN_F_VOLUMES },
	{ "layouts",	EVN_F_LAYOUTS },
	{ "grow",	EVN_F_GROW },
	{ "meta",	EVN_F_META },
	{ "read-only",	EVN_F_READ_ONLY },
};
const size_t evn_features_count = sizeof(evn_features) / sizeof(evn_features[0]);

/**
 * evn_feature_name() - name of one feature bit
 * @bit: a single EVN_F_* bit
 *
 * Return: the name, or NULL when evnadm does not know the bit.
 */
const char *evn_feature_name(uint64_t bit)
{
	size_t i;

	for (i = 0; i < evn_features_count; i++)
		if (evn_features[i].bit == bit)
			return evn_features[i].name;
	return NULL;
}

/* A number is decimal, or hexadecimal with a 0x prefix; no sign, no octal. */
static int parse_number(const char *word, size_t len, uint64_t *val)
{
	char buf[32], *end;
	unsigned long long v;
	int base = 10;

	if (len >= sizeof(buf))
		return -ERANGE;
	memcpy(buf, word, len);
	buf[len] = '\0';
	if (buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X')) {
		/* strtoull() would take "0x" alone, or a sign after it */
		if (!isxdigit((unsigned char)buf[2]))
			return -EINVAL;
		base = 16;
	}
	errno = 0;
	v = strtoull(buf, &end, base);
	if (errno == ERANGE)
		return -ERANGE;
	if (errno || *end != '\0')
		return -EINVAL;
	*val = v;
	return 0;
}

/**
 * evn_features_parse() - parse a comma-separated list of features
 * @list: names and/or numbers, e.g. "info,0x20"
 * @mask: set to the OR of all words on success
 * @errbuf: receives a message naming the bad word on failure
 * @errlen: size of @errbuf (EVN_FEATURES_ERRLEN is enough)
 *
 * A word is a feature name from evn_features[], or a number (decimal, or
 * hexadecimal with a 0x prefix) that is taken as a mask, so bits evnadm has
 * no name for can still be asked for.
 *
 * Return: 0, or -EINVAL with @errbuf set.
 */
int evn_features_parse(const char *list, uint64_t *mask,
		       char *errbuf, size_t errlen)
{
	const char *word = list;
	uint64_t m = 0;

	for (;;) {
		size_t len = strcspn(word, ",");
		uint64_t val;
		size_t i;

		if (len == 0) {
			snprintf(errbuf, errlen,
				 "empty feature name in \"%s\"", list);
			return -EINVAL;
		}
		if (word[0] >= '0' && word[0] <= '9') {
			if (parse_number(word, len, &val)) {
				snprintf(errbuf, errlen,
					 "invalid feature number \"%.*s\"",
					 (int)len, word);
				return -EINVAL;
			}
			m |= val;
		} else {
			for (i = 0; i < evn_features_count; i++)
				if (strlen(evn_features[i].name) == len &&
				    !strncmp(evn_features[i].name, word, len))
					break;
			if (i == evn_features_count) {
				snprintf(errbuf, errlen,
					 "unknown feature \"%.*s\"",
					 (int)len, word);
				return -EINVAL;
			}
			m |= evn_features[i].bit;
		}
		if (word[len] == '\0')
			break;
		word += len + 1;
	}
	*mask = m;
	return 0;
}

/**
 * evn_features_format() - a feature mask as text
 * @mask: EVN_F_* mask
 * @buf: output buffer (EVN_FEATURES_STRLEN is always enough)
 * @len: size of @buf
 *
 * Known bits are written by name, unknown bits one by one in hexadecimal,
 * lowest bit first, separated by commas: "info,0x20". An empty mask gives
 * an empty string. The output is truncated if @buf is too small.
 *
 * Return: the length of the full text, like snprintf().
 */
size_t evn_features_format(uint64_t mask, char *buf, size_t len)
{
	size_t off = 0;
	unsigned int i;

	if (len)
		buf[0] = '\0';
	for (i = 0; i < 64; i++) {
		uint64_t bit = 1ULL << i;
		const char *name;
		int n;

		if (!(mask & bit))
			continue;
		name = evn_feature_name(bit);
		if (name)
			n = snprintf(off < len ? buf + off : NULL,
				     off < len ? len - off : 0, "%s%s",
				     off ? "," : "", name);
		else
			n = snprintf(off < len ? buf + off : NULL,
				     off < len ? len - off : 0, "%s0x%" PRIx64,
				     off ? "," : "", bit);
		off += n;
	}
	return off;
}

/**
 * evn_features_json() - a feature mask as a JSON array of strings
 * @mask: EVN_F_* mask
 *
 * Same words as evn_features_format(), one array element per bit.
 *
 * Return: a new json-c array (caller puts it), or NULL on ENOMEM.
 */
struct json_object *evn_features_json(uint64_t mask)
{
	struct json_object *arr = json_object_new_array();
	unsigned int i;

	if (!arr)
		return NULL;
	for (i = 0; i < 64; i++) {
		uint64_t bit = 1ULL << i;
		const char *name;
		char hex[24];

		if (!(mask & bit))
			continue;
		name = evn_feature_name(bit);
		if (!name) {
			snprintf(hex, sizeof(hex), "0x%" PRIx64, bit);
			name = hex;
		}
		if (json_object_array_add(arr, json_object_new_string(name))) {
			json_object_put(arr);
			return NULL;
		}
	}
	return arr;
}

/**
 * evn_features_check() - whether a module has what a command needs
 * @have: the features the module reports (EVN_A_INFO_FEATURES)
 * @need: the EVN_F_* bits the command needs
 * @what: what the command does, to complete "the loaded evn module
 *	cannot ...", e.g. "grow volumes"
 * @errbuf: receives the reason on failure, naming the missing features:
 *	"the loaded evn module cannot grow volumes: it lacks the feature
 *	\"grow\" (evnadm info lists what it has)"
 * @errlen: size of @errbuf (EVN_FEATURES_ERRLEN + EVN_FEATURES_STRLEN is
 *	always enough)
 *
 * A module older than a command has no netlink operation for it and would
 * refuse it with a bare "Operation not supported"; asking info-get first
 * gives a reason instead.
 *
 * Return: 0, or -EOPNOTSUPP with @errbuf set.
 */
int evn_features_check(uint64_t have, uint64_t need, const char *what,
		       char *errbuf, size_t errlen)
{
	char missing[EVN_FEATURES_STRLEN];
	uint64_t lack = need & ~have;

	if (!lack)
		return 0;
	evn_features_format(lack, missing, sizeof(missing));
	snprintf(errbuf, errlen,
		 "the loaded evn module cannot %s: it lacks the feature%s \"%s\" (evnadm info lists what it has)",
		 what, lack & (lack - 1) ? "s" : "", missing);
	return -EOPNOTSUPP;
}
