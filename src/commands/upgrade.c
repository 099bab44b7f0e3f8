/*
 * upgrade.c - `klive upgrade`: switch to another kernel with kexec while
 * chosen processes survive it (checkpointed with CRIU, restored by a boot
 * step); also the boot step itself (--resume) and the report (--status).
 */
#define _GNU_SOURCE
#include "commands.h"
#include "../runtime/installed.h"
#include "../runtime/options.h"
#include "../upgrade/upgrade.h"
#include "../util/util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

static void usage(FILE *out)
{
	fprintf(out,
		"usage: klive upgrade --kernel IMAGE [--initrd FILE] [--append ARGS]\n"
		"                     (--pid PID... | --cgroup PATH) [--pre-dumps N]\n"
		"                     [--previous-kernel IMAGE] [--previous-initrd FILE]\n"
		"                     [--store DIR]\n"
		"       klive upgrade --resume [--store DIR]\n"
		"       klive upgrade --status [--store DIR]\n"
		"\n"
		"Switches to the kernel IMAGE (a bzImage) with kexec while the\n"
		"process trees rooted at PID (or the members of the cgroup PATH)\n"
		"survive with their memory and established TCP connections.\n"
		"CRIU pre-dumps their memory while they run (N times, default 2),\n"
		"then freezes and dumps them with the network locked; the images\n"
		"go to DIR (default $KLIVE_STATE_DIR/upgrade), the new kernel starts\n"
		"with the running kernel's command line plus ARGS, and a boot hook\n"
		"runs `klive upgrade --resume`, which restores the processes.  If\n"
		"the dump fails, they run on here; if the restore fails, the\n"
		"previous kernel (default /boot/vmlinuz-RELEASE and, if present,\n"
		"/boot/initrd.img-RELEASE) is started again and restores them.\n"
		"Images are deleted once a restore succeeded.  --status prints\n"
		"the last upgrade's phases and stop time.\n"
		"\n"
		"Refused before anything is stopped: an unusable kernel image,\n"
		"kexec not available, a process CRIU cannot checkpoint.\n");
}

enum { OPT_KERNEL = 256, OPT_INITRD, OPT_APPEND, OPT_PID, OPT_CGROUP,
       OPT_STORE, OPT_PREV_KERNEL, OPT_PREV_INITRD, OPT_PRE_DUMPS,
       OPT_RESUME, OPT_STATUS };

static const struct option longopts[] = {
	{ "kernel", required_argument, NULL, OPT_KERNEL },
	{ "initrd", required_argument, NULL, OPT_INITRD },
	{ "append", required_argument, NULL, OPT_APPEND },
	{ "pid", required_argument, NULL, OPT_PID },
	{ "cgroup", required_argument, NULL, OPT_CGROUP },
	{ "store", required_argument, NULL, OPT_STORE },
	{ "previous-kernel", required_argument, NULL, OPT_PREV_KERNEL },
	{ "previous-initrd", required_argument, NULL, OPT_PREV_INITRD },
	{ "pre-dumps", required_argument, NULL, OPT_PRE_DUMPS },
	{ "resume", no_argument, NULL, OPT_RESUME },
	{ "status", no_argument, NULL, OPT_STATUS },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int bad_usage(const char *what)
{
	kl_err("upgrade: %s (see klive upgrade --help)", what);
	return KL_EXIT_USAGE;
}

int cmd_upgrade(int argc, char **argv)
{
	struct kl_upgrade_opts o = { .pre_dumps = 2 };
	bool resume = false, status = false;
	char *store = NULL, *prev_kernel = NULL, *prev_initrd = NULL, *end;
	struct utsname u;
	int c, ret;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return KL_EXIT_OK;
		case OPT_KERNEL: o.kernel = optarg; break;
		case OPT_INITRD: o.initrd = optarg; break;
		case OPT_APPEND: o.append = optarg; break;
		case OPT_CGROUP: o.cgroup = optarg; break;
		case OPT_STORE: o.store = optarg; break;
		case OPT_PREV_KERNEL: o.prev_kernel = optarg; break;
		case OPT_PREV_INITRD: o.prev_initrd = optarg; break;
		case OPT_RESUME: resume = true; break;
		case OPT_STATUS: status = true; break;
		case OPT_PID:
			if (kl_pids_parse(&o.pids, optarg))
				return KL_EXIT_USAGE;
			/* "--pid 1 2 3": the PIDs that follow belong to it. */
			while (optind < argc && argv[optind][0] >= '0' &&
			       argv[optind][0] <= '9')
				if (kl_pids_parse(&o.pids, argv[optind++]))
					return KL_EXIT_USAGE;
			break;
		case OPT_PRE_DUMPS:
			o.pre_dumps = strtol(optarg, &end, 10);
			if (*end || end == optarg || o.pre_dumps < 0 ||
			    o.pre_dumps > 20)
				return bad_usage("--pre-dumps wants a number from 0 to 20");
			break;
		default:
			kl_bad_option("upgrade", c, argv[optind - 1]);
			return KL_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		kl_err("upgrade: unexpected argument '%s' (see klive upgrade --help)",
		       argv[optind]);
		return KL_EXIT_USAGE;
	}
	if (!o.store)
		o.store = store = xasprintf("%s/upgrade", kl_state_dir());
	if (resume || status) {
		if (o.kernel || o.pids.n || o.cgroup || (resume && status))
			return bad_usage("--resume and --status take only --store");
		ret = resume ? kl_upgrade_resume(o.store) :
			       kl_upgrade_show(o.store);
		free(store);
		return ret;
	}
	if (!o.kernel)
		return bad_usage("--kernel IMAGE is required");
	if (!o.pids.n && !o.cgroup)
		return bad_usage("which processes? give --pid PID... or --cgroup PATH");
	if (o.pids.n && o.cgroup)
		return bad_usage("give --pid or --cgroup, not both");
	uname(&u);
	if (!o.prev_kernel)
		o.prev_kernel = prev_kernel = xasprintf("/boot/vmlinuz-%s",
							u.release);
	if (!o.prev_initrd) {
		prev_initrd = xasprintf("/boot/initrd.img-%s", u.release);
		if (path_exists(prev_initrd))
			o.prev_initrd = prev_initrd;
	}
	ret = kl_upgrade_start(&o);
	free(prev_kernel);
	free(prev_initrd);
	free(store);
	kl_pids_free(&o.pids);
	return ret;
}
