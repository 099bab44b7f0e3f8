/* util.c - errors, memory, strings, files and child processes for klive. */
#define _GNU_SOURCE
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

bool kl_quiet;
bool kl_verbose;

static void vreport(const char *prefix, const char *fmt, va_list ap)
{
	fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void kl_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("klive: ", fmt, ap);
	va_end(ap);
}

void kl_info(const char *fmt, ...)
{
	va_list ap;

	if (kl_quiet)
		return;
	va_start(ap, fmt);
	vreport("klive: ", fmt, ap);
	va_end(ap);
}

void kl_debug(const char *fmt, ...)
{
	va_list ap;

	if (!kl_verbose)
		return;
	va_start(ap, fmt);
	vreport("klive: debug: ", fmt, ap);
	va_end(ap);
}

static void out_of_memory(void)
{
	fputs("klive: out of memory\n", stderr);
	exit(KL_EXIT_ERROR);
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		out_of_memory();
	return p;
}

void *xzalloc(size_t size)
{
	void *p = calloc(1, size ? size : 1);

	if (!p)
		out_of_memory();
	return p;
}

void *xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);

	if (!p)
		out_of_memory();
	return p;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		out_of_memory();
	return p;
}

char *xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);

	if (!p)
		out_of_memory();
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		out_of_memory();
	va_end(ap);
	return s;
}

bool str_starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool str_ends(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

char *read_file(const char *path, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *buf;
	ssize_t r;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		kl_err("cannot open '%s': %s", path, strerror(errno));
		return NULL;
	}
	buf = xmalloc(cap + 1);
	for (;;) {
		if (n == cap) {
			cap *= 2;
			buf = xrealloc(buf, cap + 1);
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			kl_err("cannot read '%s': %s", path, strerror(errno));
			free(buf);
			close(fd);
			return NULL;
		}
		if (r == 0)
			break;
		n += r;
	}
	close(fd);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

int write_file(const char *path, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t r;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		kl_err("cannot create '%s': %s", path, strerror(errno));
		return -1;
	}
	while (len) {
		r = write(fd, p, len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			kl_err("cannot write '%s': %s", path, strerror(errno));
			close(fd);
			unlink(path);
			return -1;
		}
		p += r;
		len -= r;
	}
	if (close(fd) < 0) {
		kl_err("cannot write '%s': %s", path, strerror(errno));
		unlink(path);
		return -1;
	}
	return 0;
}

int write_file_atomic(const char *path, const void *buf, size_t len)
{
	char *tmp = xasprintf("%s.tmp", path);
	int ret = write_file(tmp, buf, len);

	if (!ret && rename(tmp, path)) {
		kl_err("cannot write %s: %s", path, strerror(errno));
		unlink(tmp);
		ret = -1;
	}
	free(tmp);
	return ret;
}

int copy_file(const char *src, const char *dst)
{
	size_t len;
	char *buf = read_file(src, &len);
	int ret;

	if (!buf)
		return -1;
	ret = write_file(dst, buf, len);
	free(buf);
	return ret;
}

bool path_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int mkdir_p(const char *path)
{
	char *p = xstrdup(path), *s;

	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			goto fail;
		*s = '/';
	}
	if (mkdir(p, 0755) < 0 && errno != EEXIST)
		goto fail;
	free(p);
	return 0;
fail:
	kl_err("cannot create directory '%s': %s", p, strerror(errno));
	free(p);
	return -1;
}

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		return rmdir(path);
	return unlink(path);
}

int remove_tree(const char *path)
{
	if (!path_exists(path))
		return 0;
	if (nftw(path, remove_entry, 64, FTW_DEPTH | FTW_PHYS) < 0) {
		kl_err("cannot remove '%s': %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

char *make_temp_dir(const char *prefix)
{
	const char *tmp = getenv("TMPDIR");
	char *dir = xasprintf("%s/%s.XXXXXX", tmp && *tmp ? tmp : "/tmp", prefix);

	if (!mkdtemp(dir)) {
		kl_err("cannot create a temporary directory in %s: %s",
		       tmp && *tmp ? tmp : "/tmp", strerror(errno));
		free(dir);
		return NULL;
	}
	return dir;
}

char *kbuild_cmd_file(const char *object)
{
	const char *slash = strrchr(object, '/');

	if (!slash)
		return xasprintf(".%s.cmd", object);
	return xasprintf("%.*s/.%s.cmd", (int)(slash - object), object,
			 slash + 1);
}

char *abs_path(const char *path)
{
	char *r = realpath(path, NULL);

	if (!r)
		kl_err("'%s': %s", path, strerror(errno));
	return r;
}

volatile sig_atomic_t kl_interrupted;

static void note_interrupt(int sig)
{
	kl_interrupted = sig;
}

/*
 * While a child runs, Ctrl-C and SIGTERM reach it (same process group) and
 * are only noted here, so the caller fails the step and cleans up.
 */
static void catch_interrupts(struct sigaction *old_int,
			     struct sigaction *old_term)
{
	struct sigaction sa = { .sa_handler = note_interrupt };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, old_int);
	sigaction(SIGTERM, &sa, old_term);
}

int run_cmd(const char *log, char *const argv[])
{
	struct sigaction old_int, old_term;
	int status, fd;
	pid_t pid;

	if (kl_interrupted)
		return 128 + kl_interrupted;
	fflush(NULL);
	catch_interrupts(&old_int, &old_term);
	pid = fork();
	if (pid < 0) {
		kl_err("cannot start %s: %s", argv[0], strerror(errno));
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGTERM, &old_term, NULL);
		return -1;
	}
	if (pid == 0) {
		if (log) {
			fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
			if (fd < 0)
				_exit(127);
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		fd = open("/dev/null", O_RDONLY);
		if (fd >= 0) {
			dup2(fd, 0);
			close(fd);
		}
		execvp(argv[0], argv);
		fprintf(stderr, "klive: cannot run %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			kl_err("waiting for %s: %s", argv[0], strerror(errno));
			status = -1;
			break;
		}
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (status == -1)
		return -1;
	if (kl_interrupted) {
		kl_err("interrupted");
		return 128 + kl_interrupted;
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

int run_shell(const char *log, const char *fmt, ...)
{
	char *argv[4];
	va_list ap;
	char *line;
	int ret;

	va_start(ap, fmt);
	if (vasprintf(&line, fmt, ap) < 0)
		out_of_memory();
	va_end(ap);
	kl_debug("run: %s", line);
	argv[0] = "/bin/sh";
	argv[1] = "-c";
	argv[2] = line;
	argv[3] = NULL;
	ret = run_cmd(log, argv);
	free(line);
	return ret;
}

const char *cache_dir(void)
{
	static char *dir;
	const char *env = getenv("KLIVE_CACHE"), *home;

	if (dir)
		return dir;
	if (env && *env) {
		dir = xstrdup(env);
	} else {
		home = getenv("HOME");
		dir = xasprintf("%s/.cache/klive", home && *home ? home : "/root");
	}
	return dir;
}
