// SPDX-License-Identifier: GPL-2.0
/* print.c - text and JSON output helpers for evnadm */
#include <errno.h>
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
