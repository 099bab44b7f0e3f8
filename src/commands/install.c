/*
 * install.c - `klive install` and `klive uninstall`: keep a live patch for
 * its kernel release so that it is applied again at every boot of that
 * release, or stop doing so.
 */
#define _GNU_SOURCE
#include "commands.h"
#include "../runtime/boothook.h"
#include "../runtime/installed.h"
#include "../runtime/lock.h"
#include "../runtime/modinfo.h"
#include "../runtime/options.h"
#include "../util/util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

static void usage_install(FILE *out)
{
	fprintf(out,
		"usage: klive install FILE.ko\n"
		"\n"
		"Keeps the live patch FILE.ko under STATE/RELEASE/ (STATE is\n"
		"$KLIVE_STATE_DIR, default /var/lib/klive; RELEASE is the\n"
		"kernel release the module was built for) and sets up the\n"
		"boot-time hook that applies it, after the patches installed\n"
		"before it, whenever that release boots: a systemd unit\n"
		"(klive.service) on systems running systemd, else the\n"
		"script /etc/init.d/klive.  It does not apply the patch now\n"
		"(klive apply does).\n");
}

static void usage_uninstall(FILE *out)
{
	fprintf(out,
		"usage: klive uninstall NAME [--release RELEASE]\n"
		"\n"
		"Stops applying the installed live patch NAME at boot\n"
		"(for the running kernel release, or RELEASE).  It does\n"
		"not revert it now (klive revert does).  The boot-time\n"
		"hook goes with the last installed patch.\n");
}

/* Parses [--release R] NAME-or-FILE; returns -1 to go on. */
static int parse_args(int argc, char **argv, const char *cmd,
		      void (*usage)(FILE *), const char **arg,
		      const char **release)
{
	static const struct option longopts[] = {
		{ "release", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return KL_EXIT_OK;
		}
		if (c == 'r' && release) {
			*release = optarg;
			continue;
		}
		kl_bad_option(cmd, c, argv[optind - 1]);
		return KL_EXIT_USAGE;
	}
	if (optind >= argc || !*argv[optind]) {
		kl_err("%s: missing argument (see klive %s --help)", cmd, cmd);
		return KL_EXIT_USAGE;
	}
	if (optind + 1 < argc) {
		kl_err("%s: unexpected argument '%s'", cmd, argv[optind + 1]);
		return KL_EXIT_USAGE;
	}
	*arg = argv[optind];
	return -1;
}

int cmd_install(int argc, char **argv)
{
	struct kl_modinfo *mi;
	const char *file;
	int ret;

	ret = parse_args(argc, argv, "install", usage_install, &file, NULL);
	if (ret >= 0)
		return ret;
	mi = kl_modinfo_read(file);
	if (!mi)
		return KL_EXIT_ERROR;
	ret = KL_EXIT_ERROR;
	if (!mi->livepatch) {
		kl_err("%s: not a live patch module (no livepatch modinfo)",
		       file);
	} else if (!mi->release || !*mi->release) {
		kl_err("%s: no vermagic: cannot tell which kernel it was built for",
		       file);
	} else if (!kl_lock_take("install")) {
		/*
		 * The hook first: a failure there leaves the installed patches
		 * as they were; a hook that serves no patch is removed again.
		 */
		if (kl_boothook_install() ||
		    kl_installed_add(mi->release, mi->name, file)) {
			if (!kl_installed_any())
				kl_boothook_remove();
		} else {
			printf("installed %s for kernel %s: it is applied at every boot of that release\n",
			       mi->name, mi->release);
			ret = KL_EXIT_OK;
		}
	}
	kl_modinfo_free(mi);
	return ret;
}

int cmd_uninstall(int argc, char **argv)
{
	const char *arg, *release = NULL;
	struct utsname u;
	char *name;
	int ret;

	ret = parse_args(argc, argv, "uninstall", usage_uninstall, &arg,
			 &release);
	if (ret >= 0)
		return ret;
	if (!release) {
		if (uname(&u) < 0) {
			kl_err("cannot get the running kernel release");
			return KL_EXIT_ERROR;
		}
		release = u.release;
	}
	name = xstrdup(arg);
	kl_module_name_normalize(name);
	ret = KL_EXIT_ERROR;
	if (!kl_lock_take("uninstall") &&
	    !kl_installed_remove(release, name)) {
		if (!kl_installed_any())
			kl_boothook_remove();
		printf("uninstalled %s for kernel %s\n", name, release);
		ret = KL_EXIT_OK;
	}
	free(name);
	return ret;
}
