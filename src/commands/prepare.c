/* prepare.c - `klive prepare`: make a kernel target ready for building patches. */
#include "commands.h"
#include "../tree/target.h"
#include "../util/util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

static void usage(FILE *out)
{
	fprintf(out,
		"usage: klive prepare --source TARBALL|DIR --config FILE\n"
		"                     [--symvers FILE] [--kallsyms FILE]\n"
		"                     [--proc-version FILE] [--modules DIR]\n"
		"                     [--image FILE] [--name NAME]\n"
		"       klive prepare --running [--name NAME]\n"
		"\n"
		"Prepares a target: the kernel source (unpacked once into the cache), a\n"
		"build directory configured with the running kernel's config that can\n"
		"compile single objects, and the kernel's symbol list (a copy of its\n"
		"/proc/kallsyms, or System.map) and Module.symvers.  Prints the target's\n"
		"name.  Rerunning with the same inputs is instant.  The source, the config\n"
		"and the kernel's /proc/version must be of one kernel version.\n"
		"\n"
		"  --running  the running Debian kernel: linux-source of its version,\n"
		"             /boot/config-RELEASE, linux-headers-RELEASE's Module.symvers\n"
		"             and /proc/kallsyms (names what is missing); default NAME\n"
		"             is the kernel release\n"
		"  --source   kernel source tarball or pristine source directory\n"
		"  --config   the target kernel's .config\n"
		"  --symvers  the target kernel's Module.symvers\n"
		"  --kallsyms the target kernel's symbol list\n"
		"  --proc-version  a copy of the target kernel's /proc/version, to\n"
		"             check that the source is of the same version\n"
		"  --modules  directory holding the kernel's modules (*.ko, searched\n"
		"             recursively), needed to patch code built into a module;\n"
		"             default: the build directory of --symvers when it built\n"
		"             modules, /lib/modules/RELEASE with --running; given for\n"
		"             a target already prepared, it is recorded at once\n"
		"  --image    the kernel's image (vmlinuz or vmlinux): its code tells\n"
		"             which of several same-named local symbols a patched\n"
		"             file's is, where names alone cannot; default: the\n"
		"             vmlinux beside --symvers, /boot/vmlinuz-RELEASE with\n"
		"             --running; recorded at once like --modules\n"
		"  --name     target name (default: VERSION-HASH)\n");
}

int cmd_prepare(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "source", required_argument, NULL, 's' },
		{ "config", required_argument, NULL, 'c' },
		{ "symvers", required_argument, NULL, 'y' },
		{ "kallsyms", required_argument, NULL, 'k' },
		{ "name", required_argument, NULL, 'n' },
		{ "proc-version", required_argument, NULL, 'v' },
		{ "running", no_argument, NULL, 'r' },
		{ "modules", required_argument, NULL, 'm' },
		{ "image", required_argument, NULL, 'i' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct prepare_options opt = { 0 };
	bool running = false;
	char *workdir = NULL;
	int c, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "hq", longopts, NULL)) != -1) {
		switch (c) {
		case 's': opt.source = optarg; break;
		case 'c': opt.config = optarg; break;
		case 'y': opt.symvers = optarg; break;
		case 'k': opt.kallsyms = optarg; break;
		case 'n': opt.name = optarg; break;
		case 'q': kl_quiet = true; break;
		case 'v': opt.proc_version = optarg; break;
		case 'r': running = true; break;
		case 'm': opt.modules = optarg; break;
		case 'i': opt.image = optarg; break;
		case 'h': usage(stdout); return KL_EXIT_OK;
		default: usage(stderr); return KL_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		kl_err("prepare: unexpected argument '%s'", argv[optind]);
		return KL_EXIT_USAGE;
	}
	if (running && (opt.source || opt.config || opt.symvers ||
			opt.kallsyms || opt.proc_version)) {
		kl_err("prepare: --running finds the kernel's parts itself; give either it or --source and --config");
		return KL_EXIT_USAGE;
	}
	if (running) {
		if (running_options(&opt, &workdir)) {
			if (workdir)
				remove_tree(workdir);
			free(workdir);
			return KL_EXIT_ERROR;
		}
	} else if (!opt.source || !opt.config) {
		kl_err("prepare: --source and --config, or --running, are required (see klive prepare --help)");
		return KL_EXIT_USAGE;
	}
	ret = target_prepare(&opt) ? KL_EXIT_ERROR : KL_EXIT_OK;
	if (workdir)
		remove_tree(workdir);
	free(workdir);
	return ret;
}
