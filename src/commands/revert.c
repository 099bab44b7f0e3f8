/* revert.c - `klive revert`: disable a live patch and unload its module. */
#define _GNU_SOURCE
#include "commands.h"
#include "../runtime/livepatch.h"
#include "../runtime/lock.h"
#include "../runtime/modinfo.h"
#include "../runtime/options.h"
#include "../runtime/order.h"
#include "../runtime/records.h"
#include "../runtime/transition.h"
#include "../util/util.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_TIMEOUT	60.0
#define UNLOAD_TIMEOUT	10.0

static void usage(FILE *out)
{
	fprintf(out,
		"usage: klive revert NAME [--timeout SECONDS] [--stop-tasks]\n"
		"\n"
		"Disables the applied live patch NAME (see klive list),\n"
		"waits until every task is back on the original functions\n"
		"and unloads the patch module.  NAME may also be the\n"
		"patch's .ko file.  If the transition does not finish\n"
		"within the timeout, it is reversed and the patch stays\n"
		"applied.  A stacked patch cannot be reverted while a patch\n"
		"applied after it replaces some of the same functions.\n"
		"\n"
		"  --timeout     seconds to wait for the transition (default 60)\n"
		"  --stop-tasks  stop and continue (SIGSTOP, SIGCONT) the user\n"
		"                processes that hold the transition up\n"
		"  --quiet       no progress messages\n");
}

static int parse_args(int argc, char **argv, const char **name,
		      double *timeout, unsigned int *wait_flags)
{
	static const struct option longopts[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "stop-tasks", no_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hq", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (kl_parse_timeout("revert", optarg, timeout))
				return KL_EXIT_USAGE;
			break;
		case 's':
			*wait_flags |= KL_WAIT_STOP_TASKS;
			break;
		case 'q':
			kl_quiet = true;
			break;
		case 'h':
			usage(stdout);
			return KL_EXIT_OK;
		default:
			kl_bad_option("revert", c, argv[optind - 1]);
			return KL_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		kl_err("revert: missing NAME (see klive revert --help)");
		return KL_EXIT_USAGE;
	}
	if (optind + 1 < argc) {
		kl_err("revert: unexpected argument '%s'", argv[optind + 1]);
		return KL_EXIT_USAGE;
	}
	if (!*argv[optind]) {
		kl_err("revert: empty NAME (see klive revert --help)");
		return KL_EXIT_USAGE;
	}
	*name = argv[optind];
	return -1;
}

/* The module name for NAME or FILE.ko, as the kernel spells it. */
static char *patch_name(const char *arg)
{
	struct kl_modinfo *mi;
	char *name;

	if (str_ends(arg, ".ko") || strchr(arg, '/')) {
		mi = kl_modinfo_read(arg);
		if (!mi)
			return NULL;
		name = xstrdup(mi->name);
		kl_modinfo_free(mi);
		return name;
	}
	name = xstrdup(arg);
	kl_module_name_normalize(name);
	return name;
}

static void report_disable_error(const char *name, int err)
{
	if (err == -EBUSY)
		kl_err("%s: cannot disable the patch: another live patch is in transition",
		       name);
	else if (err == -EACCES || err == -EPERM)
		kl_err("%s: cannot disable the patch: needs root", name);
	else
		kl_err("%s: cannot disable the patch: %s (see dmesg)", name,
		       strerror(-err));
}

/* Turns an unfinished disable back into an enable, so the patch stays. */
static int fail_transition(const char *name, enum kl_lp_wait_result w,
			   double timeout)
{
	char *tasks = kl_transition_blockers(0), *what;
	int ret;

	if (w == KL_LP_INTERRUPTED)
		what = xstrdup("interrupted during the transition");
	else
		what = xasprintf("transition did not finish in %g s", timeout);
	kl_info("%s: re-enabling the patch", name);
	ret = kl_lp_write_enabled(name, true);
	if (!ret)
		w = kl_transition_wait(name, timeout, 0);
	if (ret)
		kl_err("%s: %s%s, and re-enabling it failed: %s; see 'klive list'",
		       name, what, tasks, strerror(-ret));
	else if (w != KL_LP_SETTLED)
		kl_err("%s: %s%s, and re-enabling it did not finish either; see 'klive list'",
		       name, what, tasks);
	else
		kl_err("%s: %s%s; the patch stays applied", name, what, tasks);
	free(what);
	free(tasks);
	return KL_EXIT_ERROR;
}

static int disable(const char *name, double timeout, unsigned int wait_flags)
{
	enum kl_lp_wait_result w;
	char *busy, *top;
	int ret;

	busy = kl_lp_in_transition();
	if (busy && strcmp(busy, name)) {
		kl_err("another live patch is in transition: %s", busy);
		free(busy);
		return KL_EXIT_ERROR;
	}
	free(busy);
	top = kl_order_on_top(name);
	if (top) {
		kl_err("%s: live patch %s, applied after it, replaces some of the same functions: revert %s first",
		       name, top, top);
		free(top);
		return KL_EXIT_ERROR;
	}
	if (kl_lp_read_attr(name, "enabled") == 1) {
		kl_info("disabling %s", name);
		ret = kl_lp_write_enabled(name, false);
		if (ret && kl_lp_read_attr(name, "enabled") == 1) {
			report_disable_error(name, ret);
			return KL_EXIT_ERROR;
		}
	}
	w = kl_transition_wait(name, timeout, wait_flags);
	if (w == KL_LP_TIMEOUT || w == KL_LP_INTERRUPTED)
		return fail_transition(name, w, timeout);
	if (w == KL_LP_SETTLED && kl_lp_read_attr(name, "enabled") == 1) {
		kl_err("%s: the patch was enabled again during its transition",
		       name);
		return KL_EXIT_ERROR;
	}
	return KL_EXIT_OK;
}

static int revert(const char *name, double timeout, unsigned int wait_flags)
{
	double start = kl_now();
	int ret;

	if (!kl_lp_supported()) {
		kl_err("this kernel has no livepatch support (CONFIG_LIVEPATCH)");
		return KL_EXIT_ERROR;
	}
	if (kl_lp_exists(name)) {
		ret = disable(name, timeout, wait_flags);
		if (ret)
			return ret;
	} else if (kl_module_loaded(name) && kl_module_is_livepatch(name)) {
		kl_info("%s is disabled already; unloading its module", name);
	} else {
		kl_err("no live patch named %s is applied", name);
		return KL_EXIT_ERROR;
	}
	if (kl_module_unload(name, UNLOAD_TIMEOUT))
		return KL_EXIT_ERROR;
	kl_record_remove(name);
	printf("reverted %s in %.2f s\n", name, kl_now() - start);
	return KL_EXIT_OK;
}

int cmd_revert(int argc, char **argv)
{
	double timeout = DEFAULT_TIMEOUT;
	unsigned int wait_flags = 0;
	const char *arg;
	char *name;
	int ret;

	ret = parse_args(argc, argv, &arg, &timeout, &wait_flags);
	if (ret >= 0)
		return ret;
	name = patch_name(arg);
	if (!name)
		return KL_EXIT_ERROR;
	if (kl_lock_take("revert")) {
		free(name);
		return KL_EXIT_ERROR;
	}
	ret = revert(name, timeout, wait_flags);
	free(name);
	return ret;
}
