/* SPDX-License-Identifier: GPL-2.0 */
/* evnadm.h - command line framework of evnadm and its object handlers */
#ifndef EVNADM_H
#define EVNADM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#ifndef EVN_VERSION
#error "EVN_VERSION must be defined (the Makefile takes it from kernel/evn.h)"
#endif

/* Exit status of evnadm; also the return value of every handler. */
#define EVNADM_EXIT_OK		0	/* success */
#define EVNADM_EXIT_ERROR	1	/* the kernel or the system failed */
#define EVNADM_EXIT_USAGE	2	/* bad command line */

/**
 * struct evnadm - one run of evnadm
 * @json: -j, print JSON
 * @pretty: -p, indent JSON
 * @hostnqn: -H, the host NQN recorded as the read-write holder of pool
 *	volumes; NULL when not given (see evn_pool_hostnqn())
 * @out: stream for results and requested help (stdout)
 * @err: stream for errors, warnings and usage after a usage error (stderr)
 */
struct evnadm {
	bool json;
	bool pretty;
	const char *hostnqn;
	FILE *out;
	FILE *err;
};

/**
 * typedef evnadm_handler_fn - runs an object or a command
 * @ea: this run
 * @argc: number of words after the object or command name
 * @argv: those words
 *
 * Return: EVNADM_EXIT_*.
 */
typedef int (*evnadm_handler_fn)(struct evnadm *ea, int argc, char **argv);

/* Prints the usage of an object to @f. */
typedef void (*evnadm_help_fn)(FILE *f);

/**
 * struct evnadm_cmd - one command of an object
 * @name: the word on the command line, matched in full
 * @handler: runs it
 */
struct evnadm_cmd {
	const char *name;
	evnadm_handler_fn handler;
};

int evnadm_main(int argc, char **argv, FILE *out, FILE *err);
int evnadm_usage_error(struct evnadm *ea, evnadm_help_fn help,
		       const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int evnadm_dispatch(struct evnadm *ea, const struct evnadm_cmd *cmds,
		    size_t ncmds, evnadm_handler_fn def, evnadm_help_fn help,
		    int argc, char **argv);

/* Objects, one file each; listed in the object table in evnadm.c. */
int evnadm_info(struct evnadm *ea, int argc, char **argv);
void evnadm_info_help(FILE *f);
int evnadm_target(struct evnadm *ea, int argc, char **argv);
void evnadm_target_help(FILE *f);
int evnadm_pool(struct evnadm *ea, int argc, char **argv);
void evnadm_pool_help(FILE *f);
int evnadm_volume(struct evnadm *ea, int argc, char **argv);
void evnadm_volume_help(FILE *f);
int evnadm_monitor(struct evnadm *ea, int argc, char **argv);
void evnadm_monitor_help(FILE *f);

#endif /* EVNADM_H */
