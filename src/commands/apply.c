/* apply.c - `klive apply`: load a live patch and see its transition through. */
#define _GNU_SOURCE
#include "commands.h"
#include "../runtime/livepatch.h"
#include "../runtime/modinfo.h"
#include "../runtime/options.h"
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
		"usage: klive apply FILE.ko [--timeout SECONDS]\n"
		"\n"
		"Loads a live patch module into the running kernel and\n"
		"waits until every task has switched to the patched\n"
		"functions.  If that does not happen within the timeout,\n"
		"the transition is reversed, the module is unloaded and\n"
		"the tasks that held it up are named.\n"
		"\n"
		"  --timeout  seconds to wait for the transition (default 60)\n"
		"  --quiet    no progress messages\n");
}

static int parse_args(int argc, char **argv, const char **file,
		      double *timeout)
{
	static const struct option longopts[] = {
		{ "timeout", required_argument, NULL, 't' },
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
			if (kl_parse_timeout("apply", optarg, timeout))
				return KL_EXIT_USAGE;
			break;
		case 'q':
			kl_quiet = true;
			break;
		case 'h':
			usage(stdout);
			return KL_EXIT_OK;
		default:
			kl_bad_option("apply", c, argv[optind - 1]);
			return KL_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		kl_err("apply: missing FILE.ko (see klive apply --help)");
		return KL_EXIT_USAGE;
	}
	if (optind + 1 < argc) {
		kl_err("apply: unexpected argument '%s'", argv[optind + 1]);
		return KL_EXIT_USAGE;
	}
	*file = argv[optind];
	return -1;
}

/* Refuses when the patch is loaded already or another one is switching. */
static int check_kernel(const char *name)
{
	char *busy;

	if (!kl_lp_supported()) {
		kl_err("this kernel has no livepatch support (CONFIG_LIVEPATCH)");
		return -1;
	}
	if (kl_lp_exists(name)) {
		kl_err("live patch %s is already applied", name);
		return -1;
	}
	if (kl_module_loaded(name)) {
		if (kl_module_is_livepatch(name))
			kl_err("live patch %s is already loaded, disabled ('klive revert %s' unloads it)",
			       name, name);
		else
			kl_err("a module named %s is already loaded", name);
		return -1;
	}
	busy = kl_lp_in_transition();
	if (busy) {
		kl_err("another live patch is in transition: %s", busy);
		free(busy);
		return -1;
	}
	return 0;
}

static size_t count_funcs(const char *name)
{
	struct kl_lp_patch p;
	size_t n;

	if (kl_lp_read_patch(name, &p))
		return 0;
	n = p.nr_funcs;
	kl_lp_free_patch(&p);
	return n;
}

/* ", blocked by pid 1 (comm), ..." for the tasks not patched yet. */
static char *blocked_by(void)
{
	struct kl_lp_task *tasks;
	char *desc, *s;
	size_t nr;

	nr = kl_lp_blocking_tasks(1, &tasks);
	if (!nr)
		return xstrdup("");
	desc = kl_lp_describe_tasks(tasks, nr);
	s = xasprintf(", blocked by %s", desc);
	free(desc);
	free(tasks);
	return s;
}

/* Reverses an unfinished transition and unloads the module. */
static int roll_back(const char *name, double timeout)
{
	enum kl_lp_wait_result w;
	int ret;

	kl_info("%s: reversing the transition", name);
	ret = kl_lp_write_enabled(name, false);
	if (ret && kl_lp_exists(name) &&
	    kl_lp_read_attr(name, "enabled") != 0) {
		kl_err("%s: cannot reverse the transition: %s", name,
		       strerror(-ret));
		return -1;
	}
	w = kl_lp_wait(name, timeout);
	if (w == KL_LP_INTERRUPTED) {
		kl_err("%s: interrupted; the transition is still being reversed (see 'klive list')",
		       name);
		return -1;
	}
	if (w == KL_LP_TIMEOUT) {
		kl_err("%s: the reversed transition did not finish either; it is still in progress (see 'klive list')",
		       name);
		return -1;
	}
	return kl_module_unload(name, UNLOAD_TIMEOUT);
}

static int fail_transition(const char *name, enum kl_lp_wait_result w,
			   double timeout)
{
	char *tasks = blocked_by(), *what;
	const char *outcome;

	if (w == KL_LP_INTERRUPTED)
		what = xstrdup("interrupted during the transition");
	else
		what = xasprintf("transition did not finish in %g s", timeout);
	if (roll_back(name, timeout))
		outcome = "the patch could not be fully reverted";
	else
		outcome = "the patch was reverted and unloaded";
	kl_err("%s: %s%s; %s", name, what, tasks, outcome);
	free(what);
	free(tasks);
	return KL_EXIT_ERROR;
}

static int load_and_wait(const struct kl_modinfo *mi, double timeout)
{
	double start = kl_now();
	enum kl_lp_wait_result w;
	size_t nr;

	kl_info("loading %s from %s", mi->name, mi->path);
	if (kl_module_load(mi->path, mi->name))
		return KL_EXIT_ERROR;
	if (!kl_lp_exists(mi->name)) {
		kl_err("%s: the module did not register a live patch", mi->path);
		kl_module_unload(mi->name, UNLOAD_TIMEOUT);
		return KL_EXIT_ERROR;
	}
	nr = count_funcs(mi->name);
	w = kl_lp_wait(mi->name, timeout);
	if (w == KL_LP_TIMEOUT || w == KL_LP_INTERRUPTED)
		return fail_transition(mi->name, w, timeout);
	if (w == KL_LP_GONE || kl_lp_read_attr(mi->name, "enabled") != 1) {
		kl_err("%s: the patch was disabled during its transition",
		       mi->name);
		kl_module_unload(mi->name, UNLOAD_TIMEOUT);
		return KL_EXIT_ERROR;
	}
	printf("applied %s (%zu function%s) in %.2f s\n", mi->name, nr,
	       nr == 1 ? "" : "s", kl_now() - start);
	return KL_EXIT_OK;
}

int cmd_apply(int argc, char **argv)
{
	double timeout = DEFAULT_TIMEOUT;
	struct kl_modinfo *mi;
	const char *file;
	int ret;

	ret = parse_args(argc, argv, &file, &timeout);
	if (ret >= 0)
		return ret;
	mi = kl_modinfo_read(file);
	if (!mi)
		return KL_EXIT_ERROR;
	if (kl_modinfo_check(mi) || check_kernel(mi->name))
		ret = KL_EXIT_ERROR;
	else
		ret = load_and_wait(mi, timeout);
	kl_modinfo_free(mi);
	return ret;
}
