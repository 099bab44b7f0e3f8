/*
 * report.c - prints what an upgrade did, from its state file: each phase's
 * duration and the stop time, the processes' time frozen from the start
 * of the final dump until the restore returned.
 *
 * Phases within one kernel are timed with its monotonic clock.  The stop
 * time spans two kernels, so it is the difference of wall clock times: the
 * new kernel sets its clock from the RTC at boot, with one second's
 * resolution, so it can be short by up to a second.
 */
#define _GNU_SOURCE
#include "upgrade.h"
#include "../util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double num(const struct kl_state *s, const char *key)
{
	const char *v = kl_state_get(s, key);

	return v ? atof(v) : -1;
}

static void phase(FILE *out, const char *name, double secs, const char *note)
{
	if (secs < 0)
		return;
	fprintf(out, "  %-22s %9.3f s%s%s\n", name, secs, note ? "  " : "",
		note ? note : "");
}

void kl_upgrade_report(const struct kl_state *s, FILE *out)
{
	const char *phase_name = kl_state_get(s, "phase") ?: "?";
	const char *failed_on = kl_state_get(s, "failed_on");
	double freeze = num(s, "wall_freeze"), kexec = num(s, "wall_kexec");
	double resume = num(s, "wall_resume"), resumed = num(s, "wall_resumed");
	int n, pre = (int)num(s, "pre_dumps");
	char key[32], name[32], note[64];

	fprintf(out, "upgrade %s: %s -> %s, process trees %s\n", phase_name,
		kl_state_get(s, "from_release") ?: "?",
		kl_state_get(s, "to_release") ?: "?",
		kl_state_get(s, "roots") ?: "?");
	if (failed_on)
		fprintf(out, "restore failed on %s; fell back to %s\n",
			failed_on, kl_state_get(s, "fallback_release") ?: "?");
	phase(out, "checks", num(s, "t_preflight"),
	      "with the copy of the previous kernel");
	phase(out, "kexec load", num(s, "t_load"), NULL);
	for (n = 1; n <= pre; n++) {
		snprintf(name, sizeof(name), "pre-dump %d", n);
		snprintf(key, sizeof(key), "kib_predump_%d", n);
		snprintf(note, sizeof(note), "%.0f KiB, processes running",
			 num(s, key));
		snprintf(key, sizeof(key), "t_predump_%d", n);
		phase(out, name, num(s, key), note);
	}
	if (kl_state_get(s, "predump_failed"))
		fprintf(out, "  pre-dump %d failed: the final dump was a full one\n",
			pre + 1);
	snprintf(note, sizeof(note), "%.0f KiB, processes frozen from here",
		 num(s, "kib_dump"));
	phase(out, "final dump", num(s, "t_dump"), note);
	phase(out, "sync", num(s, "t_sync"), NULL);
	if (kexec > 0 && resume > 0)
		phase(out, "kexec and boot", resume - kexec, "wall clock (RTC, +-1 s)");
	if (failed_on) {
		phase(out, "failed restore", num(s, "t_failed_restore"), NULL);
		if (num(s, "wall_fallback_boot") > 0 &&
		    num(s, "wall_fallback_kexec") > 0)
			phase(out, "kexec back and boot",
			      num(s, "wall_fallback_boot") -
			      num(s, "wall_fallback_kexec"),
			      "wall clock (RTC, +-1 s)");
	}
	phase(out, "restore", num(s, "t_restore"), NULL);
	if (freeze > 0 && resumed > 0)
		fprintf(out, "  %-22s %9.3f s  %s\n", "stop time",
			resumed - freeze,
			"final dump start to restore end, wall clock across kernels (RTC, +-1 s)");
}

int kl_upgrade_show(const char *store)
{
	struct kl_state *s = kl_state_load(store);

	if (!s) {
		printf("no upgrade recorded in %s\n", store);
		return KL_EXIT_OK;
	}
	kl_upgrade_report(s, stdout);
	kl_state_free(s);
	return KL_EXIT_OK;
}
