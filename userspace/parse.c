// SPDX-License-Identifier: GPL-2.0
/*
 * parse.c - pure parsers of evnadm's words: sizes, numbers, names
 *
 * Nothing here talks to the kernel or prints; each function either returns
 * a value or an errno, or writes a one-line reason naming the bad word into
 * a caller's buffer, which the object files pass to evnadm_usage_error().
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include <linux/evn.h>

#include "parse.h"

/* Binary units of evn_parse_size(), by suffix letter (upper case). */
static const struct {
	char suffix;
	unsigned int shift;
} size_units[] = {
	{ 'K', 10 }, { 'M', 20 }, { 'G', 30 },
	{ 'T', 40 }, { 'P', 50 }, { 'E', 60 },
};

/*
 * Decimal digits only: no sign, no blanks, no base prefix; strtoull()
 * would accept all three. Stops at the first non-digit, stored in *end.
 */
static int parse_decimal(const char *word, uint64_t max, uint64_t *val,
			 const char **end)
{
	const char *p = word;
	uint64_t v = 0;

	if (*p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned int d = *p - '0';

		if (v > (max - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*val = v;
	*end = p;
	return 0;
}

/**
 * evn_parse_size() - parse a size in bytes with an optional binary suffix
 * @word: decimal digits, optionally followed by one of K, M, G, T, P, E
 *	(any case) for KiB ... EiB: "0", "4096", "512k", "1G", "15E"
 * @bytes: set to the size on success
 *
 * Anything else is refused: an empty word, a sign, blanks, a fraction, a
 * second suffix letter ("1KB"), trailing junk.
 *
 * Return: 0, -EINVAL for bad syntax, or -ERANGE when the size does not fit
 * in 64 bits ("16E", "18446744073709551616").
 */
int evn_parse_size(const char *word, uint64_t *bytes)
{
	const char *end;
	uint64_t v;
	size_t i;
	int ret;

	ret = parse_decimal(word, UINT64_MAX, &v, &end);
	if (ret == -ERANGE) {
		/* digits too many: still say EINVAL when junk follows */
		end = word + strspn(word, "0123456789");
		if (end[0] && (end[1] || !strchr("kKmMgGtTpPeE", end[0])))
			return -EINVAL;
		return -ERANGE;
	}
	if (ret)
		return ret;
	if (*end == '\0') {
		*bytes = v;
		return 0;
	}
	if (end[1] != '\0')
		return -EINVAL;
	for (i = 0; i < sizeof(size_units) / sizeof(size_units[0]); i++) {
		unsigned int shift = size_units[i].shift;

		if ((*end & ~0x20) != size_units[i].suffix)
			continue;
		if (v > (UINT64_MAX >> shift))
			return -ERANGE;
		*bytes = v << shift;
		return 0;
	}
	return -EINVAL;
}

/**
 * evn_parse_u32() - parse a decimal 32-bit number
 * @word: decimal digits only
 * @val: set to the number on success
 *
 * Return: 0, -EINVAL for anything but digits, or -ERANGE above UINT32_MAX.
 */
int evn_parse_u32(const char *word, uint32_t *val)
{
	const char *end;
	uint64_t v;
	int ret;

	ret = parse_decimal(word, UINT32_MAX, &v, &end);
	if (ret == -ERANGE && word[strspn(word, "0123456789")])
		return -EINVAL;
	if (ret)
		return ret;
	if (*end != '\0')
		return -EINVAL;
	*val = (uint32_t)v;
	return 0;
}

/* A character as the user would type it: 'x', or \xNN when unprintable. */
static void describe_char(unsigned char c, char *buf, size_t len)
{
	if (c >= 0x20 && c < 0x7f)
		snprintf(buf, len, "'%c'", c);
	else
		snprintf(buf, len, "'\\x%02x'", c);
}

/**
 * evn_check_name() - check a target or volume name
 * @name: the name
 * @what: "target" or "volume", for the message
 * @errbuf: receives the reason on failure, naming @name
 * @errlen: size of @errbuf (EVN_ERRLEN is enough)
 *
 * A name has 1..EVN_NAME_MAX characters of [A-Za-z0-9._-] and does not
 * start with '-', so it never looks like an option, contains no ':' (the
 * separator of extent specifications) and is safe in sysfs and udev.
 *
 * Return: 0, or -EINVAL with @errbuf set.
 */
int evn_check_name(const char *name, const char *what,
		   char *errbuf, size_t errlen)
{
	size_t len = strlen(name);
	size_t bad;

	if (len == 0) {
		snprintf(errbuf, errlen, "invalid %s name \"\": empty", what);
		return -EINVAL;
	}
	if (len > EVN_NAME_MAX) {
		snprintf(errbuf, errlen,
			 "invalid %s name \"%s\": longer than %d characters",
			 what, name, EVN_NAME_MAX);
		return -EINVAL;
	}
	bad = strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			   "0123456789._-");
	if (bad < len) {
		char c[8];

		describe_char(name[bad], c, sizeof(c));
		snprintf(errbuf, errlen,
			 "invalid %s name \"%s\": character %s not allowed (only A-Z a-z 0-9 . _ -)",
			 what, name, c);
		return -EINVAL;
	}
	if (name[0] == '-') {
		snprintf(errbuf, errlen,
			 "invalid %s name \"%s\": must not start with '-'",
			 what, name);
		return -EINVAL;
	}
	return 0;
}

/**
 * evn_check_nqn() - check an NVMe qualified name
 * @nqn: the name
 * @errbuf: receives the reason on failure, naming @nqn
 * @errlen: size of @errbuf (EVN_ERRLEN is enough)
 *
 * Only what evnadm can know: 1..EVN_NQN_MAX printable characters. The
 * target judges the rest.
 *
 * Return: 0, or -EINVAL with @errbuf set.
 */
int evn_check_nqn(const char *nqn, char *errbuf, size_t errlen)
{
	size_t len = strlen(nqn);
	size_t i;

	if (len == 0) {
		snprintf(errbuf, errlen, "invalid NQN \"\": empty");
		return -EINVAL;
	}
	if (len > EVN_NQN_MAX) {
		snprintf(errbuf, errlen,
			 "invalid NQN \"%s\": longer than %d characters",
			 nqn, EVN_NQN_MAX);
		return -EINVAL;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = nqn[i];

		if (c <= 0x20 || c == 0x7f) {
			char d[8];

			describe_char(c, d, sizeof(d));
			snprintf(errbuf, errlen,
				 "invalid NQN \"%s\": character %s not allowed",
				 nqn, d);
			return -EINVAL;
		}
	}
	return 0;
}

/**
 * evn_check_traddr() - check the address of a target
 * @addr: IPv4 address, or IPv6 address with an optional %scope
 *	("fe80::1%eth0"), as the kernel's inet_pton_with_scope() takes them
 * @errbuf: receives the reason on failure, naming @addr
 * @errlen: size of @errbuf (EVN_ERRLEN is enough)
 *
 * Host names are not resolved: the kernel connects to addresses only.
 *
 * Return: 0, or -EINVAL with @errbuf set.
 */
int evn_check_traddr(const char *addr, char *errbuf, size_t errlen)
{
	char buf[EVN_TRADDR_MAX + 1];
	struct in6_addr a6;
	struct in_addr a4;
	char *scope;

	if (strlen(addr) > EVN_TRADDR_MAX) {
		snprintf(errbuf, errlen,
			 "invalid address \"%s\": longer than %d characters",
			 addr, EVN_TRADDR_MAX);
		return -EINVAL;
	}
	if (inet_pton(AF_INET, addr, &a4) == 1)
		return 0;
	snprintf(buf, sizeof(buf), "%s", addr);
	scope = strchr(buf, '%');
	if (scope)
		*scope++ = '\0';
	/* a scope is an interface name or index: no second '%' */
	if (inet_pton(AF_INET6, buf, &a6) == 1 &&
	    (!scope || (*scope && !strchr(scope, '%'))))
		return 0;
	snprintf(errbuf, errlen,
		 "invalid address \"%s\": not an IPv4 or IPv6 address", addr);
	return -EINVAL;
}
