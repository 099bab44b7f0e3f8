/*
 * uname-loop.c - test load for klive's lifecycle tests and benchmark:
 * NPROC processes call uname(2) in a tight loop until STOPFILE exists,
 * check that every call succeeds and reports one of the ALLOWED machine
 * names, and measure the longest pause between two consecutive calls.
 *
 * usage: uname-loop [-n NICE] NPROC STOPFILE ALLOWED...
 * (-n: run at that nice value; busybox has no nice command)
 * Prints "uname-loop: calls=N bad=B maxgap_us=G" (G over all processes)
 * and exits 1 if any call failed or returned something else.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct result {
	unsigned long calls;
	unsigned long bad;
	long maxgap_us;
	char first_bad[80];
};

static long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000L + ts.tv_nsec / 1000;
}

static int allowed(const char *machine, int argc, char **argv)
{
	int i;

	for (i = 3; i < argc; i++)
		if (!strcmp(machine, argv[i]))
			return 1;
	return 0;
}

static void loop(const char *stop, int argc, char **argv, struct result *r)
{
	long prev = now_us(), t;
	struct utsname u;
	int ret;

	memset(r, 0, sizeof(*r));
	for (;;) {
		ret = uname(&u);
		t = now_us();
		if (t - prev > r->maxgap_us)
			r->maxgap_us = t - prev;
		prev = t;
		r->calls++;
		if (ret || !allowed(u.machine, argc, argv)) {
			if (!r->bad++)
				snprintf(r->first_bad, sizeof(r->first_bad),
					 "%s", ret ? "(error)" : u.machine);
		}
		if (!(r->calls & 255) && access(stop, F_OK) == 0)
			break;
	}
}

int main(int argc, char **argv)
{
	struct result r, total = { 0 };
	int nproc, i, fds[2];
	ssize_t n;

	if (argc > 2 && !strcmp(argv[1], "-n")) {
		if (nice(atoi(argv[2])) == -1)
			perror("nice");
		argv[2] = argv[0];
		argv += 2;
		argc -= 2;
	}
	if (argc < 4 || (nproc = atoi(argv[1])) < 1) {
		fprintf(stderr, "usage: uname-loop [-n NICE] NPROC STOPFILE ALLOWED...\n");
		return 2;
	}
	if (pipe(fds))
		return 2;
	for (i = 0; i < nproc; i++) {
		if (fork() == 0) {
			close(fds[0]);
			loop(argv[2], argc, argv, &r);
			n = write(fds[1], &r, sizeof(r));
			_exit(n == sizeof(r) ? 0 : 1);
		}
	}
	close(fds[1]);
	while ((n = read(fds[0], &r, sizeof(r))) == sizeof(r)) {
		total.calls += r.calls;
		if (r.bad && !total.bad)
			memcpy(total.first_bad, r.first_bad,
			       sizeof(total.first_bad));
		total.bad += r.bad;
		if (r.maxgap_us > total.maxgap_us)
			total.maxgap_us = r.maxgap_us;
	}
	while (wait(NULL) > 0)
		;
	printf("uname-loop: calls=%lu bad=%lu maxgap_us=%ld%s%s\n",
	       total.calls, total.bad, total.maxgap_us,
	       total.bad ? " first_bad=" : "", total.first_bad);
	return total.bad ? 1 : 0;
}
