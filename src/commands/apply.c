/* apply.c - `klive apply`: load a live patch and see its transition through. */
#define _GNU_SOURCE
#include "commands.h"
#include "../runtime/installed.h"
#include "../runtime/livepatch.h"
#include "../runtime/lock.h"
#include "../runtime/modinfo.h"
#include "../runtime/runpre-check.h"
#include "../runtime/options.h"
#include "../runtime/records.h"
#include "../runtime/transition.h"
#include "../util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#define DEFAULT_TIMEOUT	60.0
#define UNLOAD_TIMEOUT	10.0

struct apply_options {
	const char *file;
	double timeout;
	bool force;
	bool installed;
	unsigned int wait_flags;
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: klive apply FILE.ko [--timeout SECONDS] [--stop-tasks] [--force]\n"
		"       klive apply --installed\n"
		"\n"
		"Loads a live patch module into the running kernel and\n"
		"waits until every task has switched to the patched\n"
		"functions, showing the tasks it waits for and the patched\n"
		"function each one is in.  If that does not happen within\n"
		"the timeout, the transition is reversed, the module is\n"
		"unloaded and the tasks that held it up are named.  A\n"
		"cumulative patch replaces the patches before it, whose\n"
		"modules are then unloaded.\n"
		"\n"
		"  --timeout     seconds to wait for the transition (default 60)\n"
		"  --stop-tasks  stop and continue (SIGSTOP, SIGCONT) the user\n"
		"                processes that hold the transition up\n"
		"  --force       on timeout, force the remaining tasks onto the\n"
		"                patch instead of reversing it: they skip the\n"
		"                consistency check, and the module can never be\n"
		"                unloaded again\n"
		"  --installed   apply the patches installed for the running\n"
		"                kernel release (klive install), in order\n"
		"  --quiet       no progress messages\n");
}

static int parse_args(int argc, char **argv, struct apply_options *o)
{
	static const struct option longopts[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "stop-tasks", no_argument, NULL, 's' },
		{ "force", no_argument, NULL, 'f' },
		{ "installed", no_argument, NULL, 'i' },
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
			if (kl_parse_timeout("apply", optarg, &o->timeout))
				return KL_EXIT_USAGE;
			break;
		case 's':
			o->wait_flags |= KL_WAIT_STOP_TASKS;
			break;
		case 'f':
			o->force = true;
			break;
		case 'i':
			o->installed = true;
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
	if (o->installed) {
		if (optind < argc) {
			kl_err("apply: --installed takes no FILE.ko");
			return KL_EXIT_USAGE;
		}
		return -1;
	}
	if (optind >= argc) {
		kl_err("apply: missing FILE.ko (see klive apply --help)");
		return KL_EXIT_USAGE;
	}
	if (optind + 1 < argc) {
		kl_err("apply: unexpected argument '%s'", argv[optind + 1]);
		return KL_EXIT_USAGE;
	}
	o->file = argv[optind];
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
	w = kl_transition_wait(name, timeout, 0);
	if (w == KL_LP_INTERRUPTED) {
		kl_err("%s: interrupted; the transition is still being reversed (see 'klive status')",
		       name);
		return -1;
	}
	if (w == KL_LP_TIMEOUT) {
		kl_err("%s: the reversed transition did not finish either; it is still in progress (see 'klive status')",
		       name);
		return -1;
	}
	return kl_module_unload(name, UNLOAD_TIMEOUT);
}

static int write_force(const char *name)
{
	char *path = xasprintf("%s/%s/force", kl_lp_root(), name);
	int fd, ret = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, "1\n", 2) != 2) {
		kl_err("%s: cannot force the transition: %s", name,
		       strerror(errno));
		ret = -1;
	}
	if (fd >= 0)
		close(fd);
	free(path);
	return ret;
}

static int force_transition(const char *name, double timeout)
{
	char *tasks = kl_transition_blockers(1);

	kl_err("warning: %s: forcing the transition%s: these tasks switch without the consistency check, and the module can never be unloaded",
	       name, tasks);
	free(tasks);
	if (write_force(name))
		return KL_EXIT_ERROR;
	if (kl_transition_wait(name, timeout, 0) != KL_LP_SETTLED) {
		kl_err("%s: the forced transition did not finish", name);
		return KL_EXIT_ERROR;
	}
	return KL_EXIT_OK;
}

static int fail_transition(const char *name, enum kl_lp_wait_result w,
			   double timeout)
{
	char *tasks = kl_transition_blockers(1), *what;
	const char *outcome;

	if (w == KL_LP_INTERRUPTED)
		what = xstrdup("interrupted during the transition");
	else
		what = xasprintf("transition did not finish in %g s", timeout);
	if (roll_back(name, timeout)) {
		outcome = "the patch could not be fully reverted";
	} else {
		outcome = "the patch was reverted and unloaded";
		kl_record_remove(name);
	}
	kl_err("%s: %s%s; %s", name, what, tasks, outcome);
	free(what);
	free(tasks);
	return KL_EXIT_ERROR;
}

/*
 * Unloads the modules of the patches a cumulative patch replaced.  The
 * kernel disables them when the transition completes and frees them a
 * moment later; the module unload waits for that.
 */
static void drop_replaced(char **before, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		if (kl_lp_exists(before[i]) &&
		    kl_lp_read_attr(before[i], "enabled") != 0)
			continue;
		kl_record_remove(before[i]);
		if (!kl_module_loaded(before[i]) ||
		    !kl_module_is_livepatch(before[i]))
			continue;
		if (!kl_module_unload(before[i], UNLOAD_TIMEOUT))
			printf("replaced %s (module unloaded)\n", before[i]);
	}
}

static int load_and_wait(const struct kl_modinfo *mi,
			 const struct apply_options *o)
{
	double start = kl_now();
	enum kl_lp_wait_result w;
	char **before;
	size_t nr, nr_before;
	int ret;

	if (kl_lp_names(&before, &nr_before))
		return KL_EXIT_ERROR;
	kl_info("loading %s from %s", mi->name, mi->path);
	if (kl_module_load(mi->path, mi->name)) {
		kl_lp_free_names(before, nr_before);
		return KL_EXIT_ERROR;
	}
	if (!kl_lp_exists(mi->name)) {
		kl_err("%s: the module did not register a live patch", mi->path);
		kl_module_unload(mi->name, UNLOAD_TIMEOUT);
		kl_lp_free_names(before, nr_before);
		return KL_EXIT_ERROR;
	}
	kl_record_add(mi->name, kl_modinfo_get(mi, "klive_source"), mi->path);
	nr = count_funcs(mi->name);
	w = kl_transition_wait(mi->name, o->timeout, o->wait_flags);
	ret = KL_EXIT_OK;
	if (w == KL_LP_TIMEOUT && o->force)
		ret = force_transition(mi->name, o->timeout);
	else if (w == KL_LP_TIMEOUT || w == KL_LP_INTERRUPTED)
		ret = fail_transition(mi->name, w, o->timeout);
	else if (w == KL_LP_GONE ||
		 kl_lp_read_attr(mi->name, "enabled") != 1) {
		kl_err("%s: the patch was disabled during its transition",
		       mi->name);
		kl_module_unload(mi->name, UNLOAD_TIMEOUT);
		kl_record_remove(mi->name);
		ret = KL_EXIT_ERROR;
	}
	if (ret == KL_EXIT_OK) {
		printf("applied %s (%zu function%s) in %.2f s\n", mi->name, nr,
		       nr == 1 ? "" : "s", kl_now() - start);
		drop_replaced(before, nr_before);
	}
	kl_lp_free_names(before, nr_before);
	return ret;
}

static int apply_file(const char *file, const struct apply_options *o)
{
	struct kl_modinfo *mi;
	int ret;

	mi = kl_modinfo_read(file);
	if (!mi)
		return KL_EXIT_ERROR;
	/* The code check first: it is what says the patch fits this kernel. */
	if (runpre_check_module(file) || kl_modinfo_check(mi) ||
	    check_kernel(mi->name))
		ret = KL_EXIT_ERROR;
	else
		ret = load_and_wait(mi, o);
	kl_modinfo_free(mi);
	return ret;
}

/* The boot-time path: every patch installed for this release, in order. */
static int apply_installed(const struct apply_options *o)
{
	int ret = KL_EXIT_OK;
	struct utsname u;
	char **names, *ko;
	size_t nr, i;

	if (uname(&u) < 0) {
		kl_err("cannot get the running kernel release");
		return KL_EXIT_ERROR;
	}
	nr = kl_installed_list(u.release, &names);
	if (!nr)
		kl_info("no live patches installed for %s", u.release);
	for (i = 0; i < nr; i++) {
		if (kl_lp_exists(names[i])) {
			kl_info("%s is applied already", names[i]);
			continue;
		}
		ko = kl_installed_path(u.release, names[i]);
		if (apply_file(ko, o))
			ret = KL_EXIT_ERROR;
		free(ko);
	}
	kl_lp_free_names(names, nr);
	return ret;
}

int cmd_apply(int argc, char **argv)
{
	struct apply_options o = { .timeout = DEFAULT_TIMEOUT };
	int ret;

	ret = parse_args(argc, argv, &o);
	if (ret >= 0)
		return ret;
	if (kl_lock_take("apply"))
		return KL_EXIT_ERROR;
	if (o.installed)
		return apply_installed(&o);
	return apply_file(o.file, &o);
}
