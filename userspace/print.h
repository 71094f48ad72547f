/* SPDX-License-Identifier: GPL-2.0 */
/* print.h - text and JSON output helpers for evnadm */
#ifndef EVNADM_PRINT_H
#define EVNADM_PRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct json_object;

/*
 * Longest text evn_format_size() writes, NUL included: "1023.9K" ... and
 * the longest plain number below 1K; evn_format_size_bytes() adds the
 * exact byte count: "15.9E (18446744073709551615)".
 */
#define EVN_SIZE_STRLEN		48

/* Longest text of one cell of evn_table_print(), NUL included. */
#define EVN_TABLE_CELL		80

/**
 * struct evn_table_col - one column of a text table
 * @header: the header word, e.g. "NAME"
 * @right: align right (numbers) instead of left
 */
struct evn_table_col {
	const char *header;
	bool right;
};

void evn_pr_error(FILE *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void evn_pr_warning(FILE *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void evn_pr_field(FILE *f, const char *label, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int evn_json_print(FILE *f, struct json_object *obj, bool pretty);
int evn_json_add(struct json_object *obj, const char *key,
		 struct json_object *val);
size_t evn_format_size(uint64_t bytes, char *buf, size_t len);
size_t evn_format_size_bytes(uint64_t bytes, char *buf, size_t len);
void evn_table_print(FILE *f, const struct evn_table_col *cols, size_t ncols,
		     const char (*cells)[EVN_TABLE_CELL], size_t nrows);

#endif /* EVNADM_PRINT_H */
