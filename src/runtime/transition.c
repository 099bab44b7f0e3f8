/*
 * transition.c - waits for a live patch transition, reports its progress
 * and the tasks that stall it, and nudges those tasks.
 */
#define _GNU_SOURCE
#include "transition.h"
#include "livepatch.h"
#include "tasks.h"
#include "../util/util.h"

#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define POLL_NS		20000000L	/* 20 ms between polls */
#define REPORT_AFTER	1.0		/* first progress report */
#define REPORT_EVERY	1.0		/* then about once a second */
#define NUDGE_AFTER	2.0		/* first nudge of stalled tasks */
#define NUDGE_EVERY	5.0

static void sleep_poll(void)
{
	struct timespec ts = { 0, POLL_NS };

	nanosleep(&ts, NULL);
}

struct progress {
	const char *name;
	unsigned int flags;
	double next_report;
	double next_nudge;
	bool told_signal;
	char *last;		/* the last report, not repeated */
};

static void nudge(struct progress *pr, const struct kl_task *tasks,
		  size_t nr)
{
	size_t n;

	if (kl_tasks_signal(pr->name)) {
		kl_info("%s: asked the kernel to signal the remaining tasks",
			pr->name);
	} else if (!pr->told_signal) {
		kl_info("%s: the kernel signals the remaining tasks by itself after 15 s",
			pr->name);
		pr->told_signal = true;
	}
	if (!(pr->flags & KL_WAIT_STOP_TASKS))
		return;
	n = kl_tasks_stop_cont(tasks, nr);
	if (n)
		kl_info("%s: stopped and continued %zu process%s", pr->name,
			n, n == 1 ? "" : "es");
}

static void report(struct progress *pr, double elapsed)
{
	struct kl_task *tasks;
	size_t nr, total;
	char *desc, *line;
	int target;

	target = kl_lp_read_attr(pr->name, "enabled");
	if (target < 0)
		return;
	nr = kl_tasks_pending(target, &tasks, &total);
	desc = kl_tasks_describe(tasks, nr);
	if (nr)
		line = xasprintf("%s: %s: %zu of %zu tasks switched; waiting for %s",
				 pr->name, target ? "patching" : "unpatching",
				 total - nr, total, desc);
	else
		line = xasprintf("%s: %s: waiting for the transition to finish",
				 pr->name, target ? "patching" : "unpatching");
	if (!pr->last || strcmp(line, pr->last))
		kl_info("%s", line);
	free(pr->last);
	pr->last = line;
	if (nr && elapsed >= pr->next_nudge) {
		nudge(pr, tasks, nr);
		pr->next_nudge = elapsed + NUDGE_EVERY;
	}
	free(desc);
	free(tasks);
}

static volatile sig_atomic_t wait_interrupted;

static void on_signal(int sig)
{
	(void)sig;
	wait_interrupted = 1;
}

static const int caught_signals[] = { SIGINT, SIGTERM, SIGHUP };

static void catch_signals(struct sigaction *old)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESETHAND;	/* a second signal acts as usual */
	sigemptyset(&sa.sa_mask);
	wait_interrupted = 0;
	for (i = 0; i < ARRAY_SIZE(caught_signals); i++)
		sigaction(caught_signals[i], &sa, &old[i]);
}

static void restore_signals(const struct sigaction *old)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(caught_signals); i++)
		sigaction(caught_signals[i], &old[i], NULL);
}

static enum kl_lp_wait_result poll_transition(struct progress *pr,
					      double timeout)
{
	double start = kl_now(), elapsed;
	int t;

	for (;;) {
		t = kl_lp_read_attr(pr->name, "transition");
		if (t == 0)
			return KL_LP_SETTLED;
		if (t < 0 && !kl_lp_exists(pr->name))
			return KL_LP_GONE;
		if (wait_interrupted)
			return KL_LP_INTERRUPTED;
		elapsed = kl_now() - start;
		if (elapsed >= timeout)
			return KL_LP_TIMEOUT;
		if (elapsed >= pr->next_report) {
			report(pr, elapsed);
			pr->next_report = elapsed + REPORT_EVERY;
		}
		sleep_poll();
	}
}

enum kl_lp_wait_result kl_transition_wait(const char *name, double timeout,
					  unsigned int flags)
{
	struct sigaction old[ARRAY_SIZE(caught_signals)];
	struct progress pr = {
		.name = name,
		.flags = flags,
		.next_report = REPORT_AFTER,
		.next_nudge = NUDGE_AFTER,
	};
	enum kl_lp_wait_result ret;

	catch_signals(old);
	ret = poll_transition(&pr, timeout);
	restore_signals(old);
	free(pr.last);
	return ret;
}

char *kl_transition_blockers(int target)
{
	struct kl_task *tasks;
	char *desc, *s;
	size_t nr;

	nr = kl_tasks_pending(target, &tasks, NULL);
	if (!nr)
		return xstrdup("");
	desc = kl_tasks_describe(tasks, nr);
	s = xasprintf(", blocked by %s", desc);
	free(desc);
	free(tasks);
	return s;
}
