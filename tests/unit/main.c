/*
 * main.c - runs klive's unit test cases: one child process per case, so a
 * crash or a hang fails only that case, and one result line per case.
 *
 * usage: unit WORKDIR [NAME-SUBSTRING]
 */
#define _GNU_SOURCE
#include "unit.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define CASE_TIMEOUT	60
#define MSG_MAX		4096

static const char *workdir;
static char message[MSG_MAX];
static int stderr_fd = -1;

int fail(const char *fmt, ...)
{
	va_list ap;

	/* Keep the first reason: later ones are usually consequences. */
	if (message[0])
		return 1;
	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	return 1;
}

const char *work_dir(void)
{
	return workdir;
}

char *work_path(const char *name)
{
	char *p;

	if (asprintf(&p, "%s/%s", workdir, name) < 0)
		abort();
	return p;
}

size_t stderr_mark(void)
{
	struct stat st;

	fflush(stderr);
	if (stderr_fd < 0 || fstat(stderr_fd, &st))
		return 0;
	return st.st_size;
}

char *stderr_since(size_t mark)
{
	size_t end = stderr_mark(), n = end > mark ? end - mark : 0;
	char *buf = calloc(1, n + 1);
	ssize_t got;

	if (!buf)
		abort();
	got = n ? pread(stderr_fd, buf, n, mark) : 0;
	if (got < 0)
		got = 0;
	buf[got] = '\0';
	return buf;
}

size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (*s == '\n' || !s[1])
			n++;
	return n;
}

bool all_lines_start(const char *s, const char *prefix)
{
	size_t len = strlen(prefix);

	while (*s) {
		if (strncmp(s, prefix, len))
			return false;
		s = strchr(s, '\n');
		if (!s)
			return true;
		s++;
	}
	return true;
}

int run_capture(const char *cmd, char **out)
{
	FILE *p = popen(cmd, "r");
	size_t len = 0, cap = 256;
	char *buf = malloc(cap);
	int c, status;

	if (!p || !buf)
		abort();
	while ((c = fgetc(p)) != EOF) {
		if (len + 1 >= cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			if (!buf)
				abort();
		}
		buf[len++] = c;
	}
	buf[len] = '\0';
	status = pclose(p);
	if (out)
		*out = buf;
	else
		free(buf);
	if (status < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

unsigned char *slurp(const char *path, size_t *len)
{
	unsigned char *buf;
	struct stat st;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st)) {
		close(fd);
		return NULL;
	}
	buf = malloc(st.st_size + 1);
	if (!buf || read(fd, buf, st.st_size) != st.st_size) {
		free(buf);
		close(fd);
		return NULL;
	}
	close(fd);
	*len = st.st_size;
	return buf;
}

int spill(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		return -1;
	if (write(fd, buf, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/* Prints a reason on one line: its newlines become " | ". */
static void print_flat(const char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		n--;
	for (; n; s++, n--) {
		if (*s == '\n')
			fputs(" | ", stdout);
		else
			putchar(*s == '\t' ? ' ' : *s);
	}
	putchar('\n');
}

static void child(const struct unit_case *c, int result_fd, int index)
{
	char *path, name[64];
	size_t len;
	int ret;

	snprintf(name, sizeof(name), "stderr.%d", index);
	path = work_path(name);
	stderr_fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	free(path);
	if (stderr_fd < 0 || dup2(stderr_fd, STDERR_FILENO) < 0)
		_exit(3);
	alarm(CASE_TIMEOUT);
	ret = c->run();
	if (ret && !message[0])
		snprintf(message, sizeof(message), "failed without a reason");
	if (ret) {
		/* Unexpected diagnostics help explain a failure. */
		char *err = stderr_since(0);

		len = strlen(message);
		if (*err && !strstr(message, err) && len + 20 < sizeof(message))
			snprintf(message + len, sizeof(message) - len,
				 " [stderr: %s]", err);
		free(err);
	}
	len = strlen(message);
	if (write(result_fd, message, len) != (ssize_t)len)
		_exit(3);
	_exit(ret ? 1 : 0);
}

static bool run_case(const struct unit_case *c, int index)
{
	char buf[MSG_MAX];
	size_t len = 0;
	ssize_t n;
	int fds[2], status;
	pid_t pid;

	fflush(stdout);
	if (pipe(fds))
		abort();
	pid = fork();
	if (pid < 0)
		abort();
	if (!pid) {
		close(fds[0]);
		child(c, fds[1], index);
	}
	close(fds[1]);
	while (len + 1 < sizeof(buf) &&
	       (n = read(fds[0], buf + len, sizeof(buf) - 1 - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		len += n;
	}
	buf[len] = '\0';
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(status)) {
		char name[64], *path;
		unsigned char *err;
		size_t n;

		/* The child had no chance to report: show its stderr. */
		snprintf(name, sizeof(name), "stderr.%d", index);
		path = work_path(name);
		err = slurp(path, &n);
		free(path);
		printf("not ok - %s: killed by signal %d (%s)%s", c->name,
		       WTERMSIG(status), strsignal(WTERMSIG(status)),
		       err && n ? ": " : "");
		if (err)
			err[n] = '\0';
		print_flat(err ? (char *)err : "");
		free(err);
		return false;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		printf("ok - %s\n", c->name);
		return true;
	}
	if (!len)
		snprintf(buf, sizeof(buf), "exited with status %d",
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	printf("not ok - %s: ", c->name);
	print_flat(buf);
	return false;
}

int main(int argc, char **argv)
{
	const struct unit_case *lists[] = {
		elf_cases, diff_cases, malformed_cases, module_cases,
		sympos_cases, build_cases,
	};
	const char *filter = argc > 2 ? argv[2] : NULL;
	int index = 0, failed = 0;
	size_t i;

	if (argc < 2) {
		fprintf(stderr, "usage: %s WORKDIR [NAME-SUBSTRING]\n", argv[0]);
		return 2;
	}
	workdir = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		const struct unit_case *c;

		for (c = lists[i]; c->name; c++, index++) {
			if (filter && !strstr(c->name, filter))
				continue;
			if (!run_case(c, index))
				failed++;
		}
	}
	return failed ? 1 : 0;
}
