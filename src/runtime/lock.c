/*
 * lock.c - serializes the klive commands that change live patches (apply,
 * revert, install, uninstall) with flock(2) on RUN_DIR/lock, which also
 * names the holder for the refusal message.  Kernels without file locking
 * (CONFIG_FILE_LOCKING off) get an exclusively created RUN_DIR/lock.pid
 * instead, taken over when the process that made it is gone.
 */
#define _GNU_SOURCE
#include "lock.h"
#include "../util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#define PIDFILE_TRIES	5

const char *kl_run_dir(void)
{
	const char *env = getenv("KLIVE_RUN_DIR");

	return env && *env ? env : "/run/klive";
}

/* "pid 12, klive apply" from what the holder wrote into the lock file. */
static char *holder(int fd)
{
	char buf[128];
	ssize_t n;

	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return xstrdup("pid unknown");
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return xstrdup(buf);
}

static void busy(const char *who)
{
	kl_err("another klive command is running (%s); try again when it is done",
	       who);
}

static void write_holder(int fd, const char *what)
{
	char *line = xasprintf("pid %d, klive %s\n", (int)getpid(), what);

	if (ftruncate(fd, 0) || pwrite(fd, line, strlen(line), 0) < 0)
		kl_debug("cannot write the lock holder: %s", strerror(errno));
	free(line);
}

/* Whether the holder named in the pid file fd is still running. */
static bool holder_alive(int fd)
{
	char *who = holder(fd);
	int pid = 0;
	bool alive;

	sscanf(who, "pid %d", &pid);
	free(who);
	alive = pid > 0 && (kill(pid, 0) == 0 || errno == EPERM);
	return alive;
}

static int take_pidfile(const char *what)
{
	char *path = xasprintf("%s/lock.pid", kl_run_dir()), *who;
	int fd, i;

	for (i = 0; i < PIDFILE_TRIES; i++) {
		fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd >= 0) {
			write_holder(fd, what);
			close(fd);
			free(path);
			return 0;
		}
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;	/* removed meanwhile: try again */
		if (holder_alive(fd)) {
			who = holder(fd);
			busy(who);
			free(who);
			close(fd);
			free(path);
			return -1;
		}
		close(fd);
		unlink(path);	/* left by a process that died */
	}
	kl_err("cannot take the lock %s", path);
	free(path);
	return -1;
}

static char *pidfile_to_remove;

static void remove_pidfile(void)
{
	if (pidfile_to_remove)
		unlink(pidfile_to_remove);
}

int kl_lock_take(const char *what)
{
	static int fd = -1;
	char *path, *who;
	int err;

	if (fd >= 0 || pidfile_to_remove)
		return 0;
	if (mkdir_p(kl_run_dir()))
		return -1;
	path = xasprintf("%s/lock", kl_run_dir());
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		kl_err("cannot open the lock file %s: %s", path,
		       strerror(errno));
		free(path);
		return -1;
	}
	free(path);
	if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
		write_holder(fd, what);
		return 0;
	}
	err = errno;
	if (err == ENOSYS || err == EINVAL || err == ENOLCK) {
		close(fd);
		fd = -1;
		if (take_pidfile(what))
			return -1;
		pidfile_to_remove = xasprintf("%s/lock.pid", kl_run_dir());
		atexit(remove_pidfile);
		return 0;
	}
	if (err == EWOULDBLOCK) {
		who = holder(fd);
		busy(who);
		free(who);
	} else {
		kl_err("cannot lock %s/lock: %s", kl_run_dir(), strerror(err));
	}
	close(fd);
	fd = -1;
	return -1;
}
