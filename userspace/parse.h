/* SPDX-License-Identifier: GPL-2.0 */
/* parse.h - pure parsers of evnadm's words: sizes, numbers, names */
#ifndef EVNADM_PARSE_H
#define EVNADM_PARSE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Longest error message the functions below write, NUL included: room for
 * a reason and two quoted words of the longest accepted kind (an NQN).
 */
#define EVN_ERRLEN	640

int evn_parse_size(const char *word, uint64_t *bytes);
int evn_parse_u32(const char *word, uint32_t *val);
int evn_check_name(const char *name, const char *what,
		   char *errbuf, size_t errlen);
int evn_check_nqn(const char *nqn, char *errbuf, size_t errlen);
int evn_check_traddr(const char *addr, char *errbuf, size_t errlen);

#endif /* EVNADM_PARSE_H */
