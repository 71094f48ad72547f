// SPDX-License-Identifier: GPL-2.0
/* print.c - text and JSON output helpers for evnadm */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "print.h"

/* Width of the label column of text output: "module version:  ". */
#define EVN_LABEL_WIDTH	17

/* "<prefix><message>." with exactly one final period, then a newline. */
static void pr_sentence(FILE *f, const char *prefix, const char *fmt,
			va_list ap)
{
	char msg[1024];
	size_t len;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	len = strlen(msg);
	while (len && msg[len - 1] == '\n')
		msg[--len] = '\0';
	fprintf(f, "%s%s%s\n", prefix, msg,
		len && msg[len - 1] == '.' ? "" : ".");
}

/**
 * evn_pr_error() - print "Error: <message>." as iproute2 does
 * @f: stream, normally stderr
 * @fmt: printf format of the message, without the final period
 *
 * A message that already ends with '.' gets no second one.
 */
void evn_pr_error(FILE *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pr_sentence(f, "Error: ", fmt, ap);
	va_end(ap);
}

/**
 * evn_pr_warning() - print "Warning: <message>."
 * @f: stream, normally stderr
 * @fmt: printf format of the message, without the final period
 */
void evn_pr_warning(FILE *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pr_sentence(f, "Warning: ", fmt, ap);
	va_end(ap);
}

/**
 * evn_pr_field() - print one "label:  value" line of text output
 * @f: stream
 * @label: label including its colon, e.g. "module version:"
 * @fmt: printf format of the value
 *
 * Values line up in one column.
 */
void evn_pr_field(FILE *f, const char *label, const char *fmt, ...)
{
	va_list ap;

	fprintf(f, "%-*s", EVN_LABEL_WIDTH, label);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
}

/**
 * evn_json_print() - print a JSON value and a newline
 * @f: stream
 * @obj: value to print; not consumed
 * @pretty: indent (JSON_C_TO_STRING_PRETTY) instead of one compact line
 *
 * Return: 0, or -EIO when the stream reports an error.
 */
int evn_json_print(FILE *f, struct json_object *obj, bool pretty)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE;

	flags |= pretty ? JSON_C_TO_STRING_PRETTY : JSON_C_TO_STRING_PLAIN;
	if (fprintf(f, "%s\n", json_object_to_json_string_ext(obj, flags)) < 0)
		return -EIO;
	return 0;
}

/**
 * evn_json_add() - add a member to a JSON object, consuming the value
 * @obj: the object
 * @key: member name
 * @val: member value, or NULL when its allocation failed
 *
 * @val is put on failure, so calls can be chained with ||.
 *
 * Return: 0, or -ENOMEM.
 */
int evn_json_add(struct json_object *obj, const char *key,
		 struct json_object *val)
{
	if (!val)
		return -ENOMEM;
	if (json_object_object_add(obj, key, val)) {
		json_object_put(val);
		return -ENOMEM;
	}
	return 0;
}

/**
 * evn_format_size() - a size in bytes for humans, in binary units
 * @bytes: the size
 * @buf: output buffer (EVN_SIZE_STRLEN is enough)
 * @len: size of @buf
 *
 * Below 1K the plain number ("0", "512"). Above, the largest unit K, M, G,
 * T, P or E that fits: a whole number when the size is an exact multiple
 * ("512M", "1G"), otherwise one decimal, rounded to nearest ("1.5G",
 * "1.0G" for 1G + 1 byte), so an inexact size never looks exact. Every
 * exact form parses back with evn_parse_size().
 *
 * Return: the length of the text, like snprintf().
 */
size_t evn_format_size(uint64_t bytes, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	uint64_t whole, rem, tenths;
	unsigned int u = 0;
	int n;

	if (bytes < 1024) {
		n = snprintf(buf, len, "%" PRIu64, bytes);
		return n < 0 ? 0 : (size_t)n;
	}
	/* largest unit (1 << 10 * (u + 1)) not above bytes */
	while (u < 5 && bytes >> (10 * (u + 2)))
		u++;
	whole = bytes >> (10 * (u + 1));
	rem = bytes & ((1ULL << (10 * (u + 1))) - 1);
	if (!rem) {
		n = snprintf(buf, len, "%" PRIu64 "%c", whole, units[u]);
		return n < 0 ? 0 : (size_t)n;
	}
	/* rem < 2^60, so rem * 10 cannot overflow */
	tenths = (rem * 10 + (1ULL << (10 * (u + 1) - 1))) >> (10 * (u + 1));
	if (tenths == 10) {
		whole++;
		tenths = 0;
		if (whole == 1024 && u < 5) {
			whole = 1;
			u++;
		}
	}
	n = snprintf(buf, len, "%" PRIu64 ".%" PRIu64 "%c", whole, tenths,
		     units[u]);
	return n < 0 ? 0 : (size_t)n;
}

/**
 * evn_format_size_bytes() - a size for humans and its exact byte count
 * @bytes: the size
 * @buf: output buffer (EVN_SIZE_STRLEN is enough)
 * @len: size of @buf
 *
 * "1.5G (1610612736)"; below 1K the number alone ("512"), which is both.
 *
 * Return: the length of the text, like snprintf().
 */
size_t evn_format_size_bytes(uint64_t bytes, char *buf, size_t len)
{
	char human[EVN_SIZE_STRLEN];
	int n;

	if (bytes < 1024)
		return evn_format_size(bytes, buf, len);
	evn_format_size(bytes, human, sizeof(human));
	n = snprintf(buf, len, "%s (%" PRIu64 ")", human, bytes);
	return n < 0 ? 0 : (size_t)n;
}

/**
 * evn_table_print() - print a text table with a header line
 * @f: stream
 * @cols: the columns
 * @ncols: how many
 * @cells: @nrows * @ncols cells, row by row
 * @nrows: number of rows; none prints nothing, not even the header
 *
 * Each column is as wide as its widest cell or header; columns are
 * separated by two blanks; no line has trailing blanks.
 */
void evn_table_print(FILE *f, const struct evn_table_col *cols, size_t ncols,
		     const char (*cells)[EVN_TABLE_CELL], size_t nrows)
{
	size_t width[16];
	size_t r, c;

	if (!nrows || !ncols || ncols > sizeof(width) / sizeof(width[0]))
		return;
	for (c = 0; c < ncols; c++) {
		width[c] = strlen(cols[c].header);
		for (r = 0; r < nrows; r++) {
			size_t w = strnlen(cells[r * ncols + c],
					   EVN_TABLE_CELL);

			if (w > width[c])
				width[c] = w;
		}
	}
	for (r = 0; r <= nrows; r++) {
		for (c = 0; c < ncols; c++) {
			const char *text = r ? cells[(r - 1) * ncols + c] :
					       cols[c].header;
			bool last = c == ncols - 1;

			if (c)
				fputs("  ", f);
			if (cols[c].right)
				fprintf(f, "%*s", (int)width[c], text);
			else if (last)
				fputs(text, f);
			else
				fprintf(f, "%-*s", (int)width[c], text);
		}
		fputc('\n', f);
	}
}
