/*
 * upgrade-workload.c - the process a live upgrade test carries over: it
 * keeps state only in memory (a request counter, a tick counter and 16 MiB
 * of data it keeps changing) and serves one TCP client line by line.
 *
 * usage: upgrade-workload PORT STATEFILE
 *        upgrade-workload --hold-pidfd
 *
 * It greets the client with "hello pid=PID release=RELEASE", then answers
 * each line L with "echo L req=N ticks=T release=RELEASE" (N counts the
 * requests, T the 20 ms ticks, RELEASE is uname -r now) and writes the
 * same numbers to STATEFILE (replaced atomically).  SIGUSR2 makes it say
 * "bye req=N" and exit when the client hangs up.
 *
 * --hold-pidfd: hold a pidfd (which CRIU cannot checkpoint) and sleep.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#define DATA_SIZE	(16 << 20)

static volatile sig_atomic_t want_bye;

static void on_usr2(int sig)
{
	(void)sig;
	want_bye = 1;
}

static void save_state(const char *path, unsigned long req,
		       unsigned long ticks, unsigned long sum)
{
	char tmp[4096];
	struct utsname u;
	FILE *f;

	uname(&u);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return;
	fprintf(f, "pid=%d req=%lu ticks=%lu sum=%lu release=%s\n",
		(int)getpid(), req, ticks, sum, u.release);
	if (fclose(f) == 0)
		rename(tmp, path);
}

static int send_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = send(fd, buf, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= n;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long req = 0, ticks = 0, sum = 0;
	char line[512], out[1024];
	struct sockaddr_in addr = { .sin_family = AF_INET };
	struct utsname u;
	unsigned char *data;
	size_t have = 0, i;
	int lfd, fd, one = 1, bye_sent = 0;
	struct pollfd pfd;
	ssize_t n;
	char *nl;

	if (argc == 2 && !strcmp(argv[1], "--hold-pidfd")) {
		if (syscall(SYS_pidfd_open, getpid(), 0) < 0) {
			perror("upgrade-workload: pidfd_open");
			return 1;
		}
		for (;;)
			pause();
	}
	if (argc != 3) {
		fprintf(stderr, "usage: upgrade-workload PORT STATEFILE\n");
		return 2;
	}
	signal(SIGUSR2, on_usr2);
	data = malloc(DATA_SIZE);
	if (!data)
		return 1;
	for (i = 0; i < DATA_SIZE; i++)
		data[i] = (unsigned char)i;
	addr.sin_port = htons(atoi(argv[1]));
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    listen(lfd, 1)) {
		perror("upgrade-workload: listen");
		return 1;
	}
	save_state(argv[2], req, ticks, sum);
	fd = accept(lfd, NULL, NULL);
	if (fd < 0) {
		perror("upgrade-workload: accept");
		return 1;
	}
	close(lfd);
	uname(&u);
	snprintf(out, sizeof(out), "hello pid=%d release=%s\n", (int)getpid(),
		 u.release);
	send_all(fd, out, strlen(out));
	pfd.fd = fd;
	pfd.events = POLLIN;
	for (;;) {
		if (want_bye && !bye_sent) {
			snprintf(out, sizeof(out), "bye req=%lu\n", req);
			send_all(fd, out, strlen(out));
			bye_sent = 1;
		}
		if (poll(&pfd, 1, 20) == 0) {
			/* A tick: change a little of the data. */
			ticks++;
			data[(ticks * 4096) % DATA_SIZE]++;
			continue;
		}
		n = recv(fd, line + have, sizeof(line) - 1 - have, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		have += n;
		line[have] = '\0';
		while ((nl = strchr(line, '\n'))) {
			*nl = '\0';
			req++;
			sum += data[(req * 8191) % DATA_SIZE];
			uname(&u);
			snprintf(out, sizeof(out),
				 "echo %s req=%lu ticks=%lu release=%s\n",
				 line, req, ticks, u.release);
			if (send_all(fd, out, strlen(out)))
				return 1;
			save_state(argv[2], req, ticks, sum);
			have -= nl + 1 - line;
			memmove(line, nl + 1, have + 1);
		}
		if (have == sizeof(line) - 1)
			have = 0;
	}
	return bye_sent ? 0 : 1;
}
