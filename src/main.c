/* main.c - the klive command: global options, then one subcommand. */
#include "commands/commands.h"
#include "util/util.h"

#include <stdio.h>
#include <string.h>

#define KLIVE_VERSION "0.1"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "prepare", cmd_prepare, "prepare a kernel target (source, config, symbols)" },
	{ "build", cmd_build, "build a live patch module from source patches" },
	{ "apply", cmd_apply, "load a live patch and wait for its transition" },
	{ "revert", cmd_revert, "disable and unload an applied live patch" },
	{ "list", cmd_list, "list the live patches in the running kernel" },
	{ "status", cmd_status, "the kernel's effective version and patch details" },
	{ "install", cmd_install, "apply a live patch at every boot of its release" },
	{ "uninstall", cmd_uninstall, "stop applying an installed live patch at boot" },
	{ "upgrade", cmd_upgrade, "switch to a new kernel with kexec, keeping chosen processes" },
};

static void usage(FILE *out)
{
	size_t i;

	fprintf(out,
		"usage: klive [--quiet|--verbose] COMMAND [ARGS]\n"
		"\n"
		"Rebootless updates for the Linux kernel.\n"
		"\n"
		"Commands:\n");
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(out, "  %-9s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(out,
		"\n"
		"'klive COMMAND --help' describes each command.\n"
		"Cache: $KLIVE_CACHE, default ~/.cache/klive.\n");
}

int main(int argc, char **argv)
{
	size_t i;
	int ret;

	while (argc > 1 && argv[1][0] == '-') {
		if (!strcmp(argv[1], "-q") || !strcmp(argv[1], "--quiet")) {
			kl_quiet = true;
		} else if (!strcmp(argv[1], "-v") ||
			   !strcmp(argv[1], "--verbose")) {
			kl_verbose = true;
		} else if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
			usage(stdout);
			return KL_EXIT_OK;
		} else if (!strcmp(argv[1], "--version")) {
			printf("klive %s\n", KLIVE_VERSION);
			return KL_EXIT_OK;
		} else {
			kl_err("unknown option '%s' (see klive --help)", argv[1]);
			return KL_EXIT_USAGE;
		}
		argc--;
		argv++;
	}
	if (argc < 2) {
		usage(stderr);
		return KL_EXIT_USAGE;
	}
	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		ret = commands[i].run(argc - 1, argv + 1);
		return kl_interrupted ? 128 + kl_interrupted : ret;
	}
	kl_err("unknown command '%s' (see klive --help)", argv[1]);
	return KL_EXIT_USAGE;
}
