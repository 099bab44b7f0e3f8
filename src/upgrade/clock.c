/*
 * clock.c - the clocks an upgrade is timed with: the monotonic clock within
 * one kernel, the wall clock across kernels, and the boot's identity.
 */
#define _GNU_SOURCE
#include "upgrade.h"
#include "../util/util.h"

#include <string.h>
#include <stdlib.h>
#include <time.h>

double kl_now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

double kl_now_wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A new value at every boot, kexec included. */
char *kl_boot_id(void)
{
	char *id = read_file("/proc/sys/kernel/random/boot_id", NULL);

	if (!id)
		return xstrdup("unknown");
	id[strcspn(id, "\n")] = '\0';
	return id;
}
