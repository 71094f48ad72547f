/* SPDX-License-Identifier: GPL-2.0 */
/* run.h - run evnadm_main() inside a unit test and capture its output */
#ifndef EVNADM_TEST_RUN_H
#define EVNADM_TEST_RUN_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "evnadm.h"

/**
 * struct run - outcome of one evnadm command line
 * @rc: exit status
 * @out: everything written to stdout, NUL-terminated; free() it
 * @err: everything written to stderr, NUL-terminated; free() it
 */
struct run {
	int rc;
	char *out;
	char *err;
};

/* run_evnadm(&r, "info", "help", NULL): as if "evnadm info help" */
static inline void run_evnadm(struct run *r, ...)
{
	char *argv[32] = { "evnadm" };
	size_t outlen, errlen;
	FILE *out, *err;
	int argc = 1;
	va_list ap;

	va_start(ap, r);
	while (argc < 31 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	argv[argc] = NULL;

	r->out = r->err = NULL;
	out = open_memstream(&r->out, &outlen);
	err = open_memstream(&r->err, &errlen);
	if (!out || !err)
		abort();
	r->rc = evnadm_main(argc, argv, out, err);
	fclose(out);
	fclose(err);
}

static inline void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

#endif /* EVNADM_TEST_RUN_H */
