// SPDX-License-Identifier: GPL-2.0
/*
 * evnadm.c - command line of evnadm, the admin tool of evn
 *
 * Grammar: evnadm [OPTIONS] OBJECT [COMMAND] [ARGS]. Objects come from the
 * table below, each implemented in its own file; an object's commands come
 * from a table in that file, dispatched by evnadm_dispatch(). Names match in
 * full only. Every object and command understands "help".
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "evnadm.h"
#include "parse.h"

static int evnadm_help(struct evnadm *ea, int argc, char **argv);
static void evnadm_usage(FILE *f);

/**
 * struct evnadm_object - one OBJECT of the command line
 * @name: the word on the command line, matched in full
 * @handler: gets the words after @name
 * @help: prints the object's usage
 */
struct evnadm_object {
	const char *name;
	evnadm_handler_fn handler;
	evnadm_help_fn help;
};

static const struct evnadm_object evnadm_objects[] = {
	{ "info",	evnadm_info,	evnadm_info_help },
	{ "target",	evnadm_target,	evnadm_target_help },
	{ "pool",	evnadm_pool,	evnadm_pool_help },
	{ "volume",	evnadm_volume,	evnadm_volume_help },
	{ "monitor",	evnadm_monitor,	evnadm_monitor_help },
	{ "help",	evnadm_help,	evnadm_usage },
};

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static void evnadm_usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"Usage: evnadm [ OPTIONS ] OBJECT [ COMMAND ] [ ARGS ]\n"
		"       evnadm OBJECT help\n"
		"where  OBJECT := { ");
	for (i = 0; i < ARRAY_SIZE(evnadm_objects); i++)
		fprintf(f, "%s%s", i ? " | " : "", evnadm_objects[i].name);
	fprintf(f,
		" }\n"
		"       OPTIONS := { -j | -p | -H NQN | -V | -h }\n"
		"Options:\n"
		"  -j, --json         print results as JSON\n"
		"  -p, --pretty       indent JSON output (with -j)\n"
		"  -H, --hostnqn NQN  this host's NQN, recorded as the read-write holder of\n"
		"                     the pool volumes it maps (default: $EVNADM_HOSTNQN,\n"
		"                     else /etc/nvme/hostnqn, else the module's host NQN)\n"
		"  -V, --version      print the version of evnadm and exit\n"
		"  -h, --help         print this help and exit\n"
		"Exit status: 0 success, 1 error from the kernel or the system, 2 usage error.\n");
}

static int evnadm_help(struct evnadm *ea, int argc, char **argv)
{
	if (argc > 0)
		return evnadm_usage_error(ea, evnadm_usage,
					  "extra argument \"%s\"", argv[0]);
	evnadm_usage(ea->out);
	return EVNADM_EXIT_OK;
}

/**
 * evnadm_usage_error() - report a bad command line
 * @ea: this run
 * @help: prints the usage that applies
 * @fmt: printf format of a one-line reason
 *
 * Prints "evnadm: <reason>" and the usage to @ea->err.
 *
 * Return: EVNADM_EXIT_USAGE.
 */
int evnadm_usage_error(struct evnadm *ea, evnadm_help_fn help,
		       const char *fmt, ...)
{
	va_list ap;

	fputs("evnadm: ", ea->err);
	va_start(ap, fmt);
	vfprintf(ea->err, fmt, ap);
	va_end(ap);
	fputc('\n', ea->err);
	help(ea->err);
	return EVNADM_EXIT_USAGE;
}

/**
 * evnadm_dispatch() - run the command an object's arguments name
 * @ea: this run
 * @cmds: the object's commands
 * @ncmds: how many
 * @def: runs when no command is given; NULL if a command is required
 * @help: prints the object's usage
 * @argc: number of words after the object name
 * @argv: those words
 *
 * "help" (with nothing after it) prints @help to @ea->out. An unknown
 * command is a usage error.
 *
 * Return: EVNADM_EXIT_*.
 */
int evnadm_dispatch(struct evnadm *ea, const struct evnadm_cmd *cmds,
		    size_t ncmds, evnadm_handler_fn def, evnadm_help_fn help,
		    int argc, char **argv)
{
	size_t i;

	if (argc == 0) {
		if (def)
			return def(ea, 0, argv);
		return evnadm_usage_error(ea, help, "missing command");
	}
	if (!strcmp(argv[0], "help")) {
		if (argc > 1)
			return evnadm_usage_error(ea, help,
						  "extra argument \"%s\"",
						  argv[1]);
		help(ea->out);
		return EVNADM_EXIT_OK;
	}
	for (i = 0; i < ncmds; i++)
		if (!strcmp(argv[0], cmds[i].name))
			return cmds[i].handler(ea, argc - 1, argv + 1);
	return evnadm_usage_error(ea, help, "unknown command \"%s\"", argv[0]);
}

/**
 * evnadm_main() - run evnadm
 * @argc: as given to main()
 * @argv: as given to main()
 * @out: stream for results (stdout)
 * @err: stream for errors (stderr)
 *
 * Reentrant, so unit tests can run one command line after another.
 *
 * Return: EVNADM_EXIT_*.
 */
int evnadm_main(int argc, char **argv, FILE *out, FILE *err)
{
	static const struct option longopts[] = {
		{ "json",	no_argument,	NULL,	'j' },
		{ "pretty",	no_argument,	NULL,	'p' },
		{ "hostnqn",	required_argument, NULL, 'H' },
		{ "version",	no_argument,	NULL,	'V' },
		{ "help",	no_argument,	NULL,	'h' },
		{ NULL,		0,		NULL,	0 },
	};
	struct evnadm ea = { .out = out, .err = err };
	char errbuf[EVN_ERRLEN];
	size_t i;
	int opt;

	/* options end at the object name: "+"; evnadm prints the errors */
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+:jpH:Vh", longopts,
				  NULL)) != -1) {
		switch (opt) {
		case 'j':
			ea.json = true;
			break;
		case 'p':
			ea.pretty = true;
			break;
		case 'H':
			if (evn_check_nqn(optarg, errbuf, sizeof(errbuf)))
				return evnadm_usage_error(&ea, evnadm_usage,
							  "-H: %s", errbuf);
			ea.hostnqn = optarg;
			break;
		case 'V':
			fprintf(out, "evnadm %s\n", EVN_VERSION);
			return EVNADM_EXIT_OK;
		case 'h':
			evnadm_usage(out);
			return EVNADM_EXIT_OK;
		case ':':
			return evnadm_usage_error(&ea, evnadm_usage,
						  "missing NQN after \"%s\"",
						  argv[optind - 1]);
		default:
			if (!strncmp(argv[optind - 1], "--", 2) || !optopt)
				return evnadm_usage_error(&ea, evnadm_usage,
							  "unknown option \"%s\"",
							  argv[optind - 1]);
			return evnadm_usage_error(&ea, evnadm_usage,
						  "unknown option \"-%c\"",
						  optopt);
		}
	}
	argc -= optind;
	argv += optind;

	if (argc == 0) {
		/* like ip(8): bare usage, as an error */
		evnadm_usage(err);
		return EVNADM_EXIT_USAGE;
	}
	for (i = 0; i < ARRAY_SIZE(evnadm_objects); i++)
		if (!strcmp(argv[0], evnadm_objects[i].name))
			return evnadm_objects[i].handler(&ea, argc - 1,
							 argv + 1);
	return evnadm_usage_error(&ea, evnadm_usage, "unknown object \"%s\"",
				  argv[0]);
}
