// SPDX-License-Identifier: GPL-2.0
/* main.c - entry point of evnadm; the work is in evnadm_main() */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "evnadm.h"
#include "print.h"

int main(int argc, char **argv)
{
	int ret = evnadm_main(argc, argv, stdout, stderr);

	/* output lost (full disk, closed pipe) is an error, not success */
	if (fflush(stdout) || ferror(stdout)) {
		evn_pr_error(stderr, "cannot write output: %s", strerror(errno));
		return EVNADM_EXIT_ERROR;
	}
	return ret;
}
