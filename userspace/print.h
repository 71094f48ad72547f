/* SPDX-License-Identifier: GPL-2.0 */
/* print.h - text and JSON output helpers for evnadm */
#ifndef EVNADM_PRINT_H
#define EVNADM_PRINT_H

#include <stdbool.h>
#include <stdio.h>

struct json_object;

void evn_pr_error(FILE *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void evn_pr_warning(FILE *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void evn_pr_field(FILE *f, const char *label, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int evn_json_print(FILE *f, struct json_object *obj, bool pretty);

#endif /* EVNADM_PRINT_H */
