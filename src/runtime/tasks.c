/*
 * tasks.c - finds the tasks that hold up a live patch transition, the
 * patched function each is inside of, and nudges them: the kernel's
 * signal attribute, or SIGSTOP/SIGCONT for user processes on request.
 */
#define _GNU_SOURCE
#include "tasks.h"
#include "livepatch.h"
#include "../util/util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TASKS_SHOWN	5
#define PF_KTHREAD	0x00200000

/* The names of the functions of every patch, to look for on stacks. */
struct func_set {
	char **names;
	size_t nr;
};

static void func_set_add(struct func_set *fs, const char *name)
{
	size_t i;

	for (i = 0; i < fs->nr; i++)
		if (!strcmp(fs->names[i], name))
			return;
	fs->names = xrealloc(fs->names, (fs->nr + 1) * sizeof(*fs->names));
	fs->names[fs->nr++] = xstrdup(name);
}

static void func_set_load(struct func_set *fs)
{
	struct kl_lp_patch p;
	char **names;
	size_t nr, i, j;

	memset(fs, 0, sizeof(*fs));
	if (!kl_lp_supported() || kl_lp_names(&names, &nr))
		return;
	for (i = 0; i < nr; i++) {
		if (kl_lp_read_patch(names[i], &p))
			continue;
		for (j = 0; j < p.nr_funcs; j++)
			func_set_add(fs, p.funcs[j].name);
		kl_lp_free_patch(&p);
	}
	kl_lp_free_names(names, nr);
}

static void func_set_free(struct func_set *fs)
{
	kl_lp_free_names(fs->names, fs->nr);
}

static bool func_set_has(const struct func_set *fs, const char *name)
{
	size_t i;

	for (i = 0; i < fs->nr; i++)
		if (!strcmp(fs->names[i], name))
			return true;
	return false;
}

/* Reads a small /proc file quietly: tasks come and go. */
static char *read_text(const char *path)
{
	size_t cap = 4096, len = 0;
	char *buf;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	buf = xmalloc(cap);
	for (;;) {
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
		if (len + 1 == cap)
			buf = xrealloc(buf, cap *= 2);
	}
	close(fd);
	if (n < 0) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

/* Lines look like "[<0>] kernel_clone+0x9c/0x3a0". */
static void find_patched_frame(const char *dir, const struct func_set *fs,
			       struct kl_task *t)
{
	char *path = xasprintf("%s/stack", dir), *text, *line, *save, *sym;
	size_t n;

	text = read_text(path);
	free(path);
	if (!text)
		return;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		sym = strchr(line, ']');
		if (!sym)
			continue;
		sym += strspn(sym + 1, " ") + 1;
		n = strcspn(sym, "+ \t");
		sym[n] = '\0';
		if (func_set_has(fs, sym)) {
			snprintf(t->func, sizeof(t->func), "%s", sym);
			break;
		}
	}
	free(text);
}

/* State and flags from /proc/TID/stat: "pid (comm) S ppid ... flags". */
static void read_stat(const char *dir, struct kl_task *t)
{
	char *path = xasprintf("%s/stat", dir), *text, *p;
	unsigned long flags = 0;
	int i;

	text = read_text(path);
	free(path);
	t->state = '?';
	if (!text)
		return;
	p = strrchr(text, ')');
	if (p && p[1] == ' ') {
		t->state = p[2];
		/* fields after comm: state ppid pgrp session tty tpgid flags */
		for (i = 0, p += 2; p && i < 6; i++) {
			p = strchr(p, ' ');
			if (p)
				p++;
		}
		if (p)
			flags = strtoul(p, NULL, 10);
	}
	t->kthread = flags & PF_KTHREAD;
	free(text);
}

static void read_comm(const char *dir, struct kl_task *t)
{
	char *path = xasprintf("%s/comm", dir), *text;

	text = read_text(path);
	free(path);
	snprintf(t->comm, sizeof(t->comm), "%s", text ? text : "?");
	t->comm[strcspn(t->comm, "\n")] = '\0';
	free(text);
}

static int read_patch_state(const char *dir)
{
	char *path = xasprintf("%s/patch_state", dir), *text;
	int state = -1;

	text = read_text(path);
	free(path);
	if (text && (text[0] == '0' || text[0] == '1') &&
	    (text[1] == '\n' || !text[1]))
		state = text[0] - '0';
	free(text);
	return state;
}

struct scan {
	int target;
	const struct func_set *fs;
	struct kl_task *tasks;
	size_t nr;
	size_t total;
};

static void check_task(struct scan *s, const char *pid, const char *tid)
{
	char *dir = xasprintf("/proc/%s/task/%s", pid, tid);
	struct kl_task *t;
	int state;

	state = read_patch_state(dir);
	if (state >= 0)
		s->total++;
	if (state < 0 || state == s->target) {
		free(dir);
		return;
	}
	s->tasks = xrealloc(s->tasks, (s->nr + 1) * sizeof(*s->tasks));
	t = &s->tasks[s->nr++];
	memset(t, 0, sizeof(*t));
	t->pid = atoi(tid);
	t->tgid = atoi(pid);
	read_comm(dir, t);
	read_stat(dir, t);
	find_patched_frame(dir, s->fs, t);
	free(dir);
}

static bool is_number(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static void scan_threads(struct scan *s, const char *pid)
{
	char *dir = xasprintf("/proc/%s/task", pid);
	struct dirent *de;
	DIR *d;

	d = opendir(dir);
	free(dir);
	if (!d)
		return;
	while ((de = readdir(d)))
		if (is_number(de->d_name))
			check_task(s, pid, de->d_name);
	closedir(d);
}

static int cmp_task(const void *a, const void *b)
{
	const struct kl_task *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

size_t kl_tasks_pending(int target, struct kl_task **tasks, size_t *total)
{
	struct func_set fs;
	struct scan s = { .target = target, .fs = &fs };
	struct dirent *de;
	DIR *d;

	*tasks = NULL;
	if (total)
		*total = 0;
	d = opendir("/proc");
	if (!d)
		return 0;
	func_set_load(&fs);
	while ((de = readdir(d)))
		if (is_number(de->d_name))
			scan_threads(&s, de->d_name);
	closedir(d);
	func_set_free(&fs);
	if (s.nr)
		qsort(s.tasks, s.nr, sizeof(*s.tasks), cmp_task);
	*tasks = s.tasks;
	if (total)
		*total = s.total;
	return s.nr;
}

char *kl_tasks_describe(const struct kl_task *tasks, size_t nr)
{
	char *s = xstrdup(""), *t;
	size_t i;

	for (i = 0; i < nr && i < TASKS_SHOWN; i++) {
		t = xasprintf("%s%spid %d (%s)%s%s", s, i ? ", " : "",
			      tasks[i].pid, tasks[i].comm,
			      tasks[i].func[0] ? " in " : "", tasks[i].func);
		free(s);
		s = t;
	}
	if (nr > TASKS_SHOWN) {
		t = xasprintf("%s and %zu more", s, nr - TASKS_SHOWN);
		free(s);
		s = t;
	}
	return s;
}

bool kl_tasks_signal(const char *name)
{
	char *path = xasprintf("%s/%s/signal", kl_lp_root(), name);
	bool ret = false;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		ret = write(fd, "1\n", 2) == 2;
		close(fd);
	}
	free(path);
	return ret;
}

static bool seen_before(const struct kl_task *tasks, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (tasks[j].tgid == tasks[i].tgid)
			return true;
	return false;
}

size_t kl_tasks_stop_cont(const struct kl_task *tasks, size_t nr)
{
	const struct kl_task *t;
	size_t i, n = 0;

	for (i = 0; i < nr; i++) {
		t = &tasks[i];
		if (t->kthread || t->tgid == getpid() || seen_before(tasks, i))
			continue;
		if (t->state != 'S' && t->state != 'D')
			continue;
		if (kill(t->tgid, SIGSTOP))
			continue;
		kill(t->tgid, SIGCONT);
		kl_debug("stopped and continued pid %d (%s)", t->tgid, t->comm);
		n++;
	}
	return n;
}
