/*
 * targets.c - the processes an upgrade carries over: given as PIDs or as a
 * cgroup's members, reduced to the roots of their trees (CRIU dumps a root
 * with all its descendants).
 */
#define _GNU_SOURCE
#include "upgrade.h"
#include "../util/util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kl_pids_add(struct kl_pids *p, pid_t pid)
{
	if (kl_pids_has(p, pid))
		return;
	p->pid = xrealloc(p->pid, (p->n + 1) * sizeof(*p->pid));
	p->pid[p->n++] = pid;
}

bool kl_pids_has(const struct kl_pids *p, pid_t pid)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->pid[i] == pid)
			return true;
	return false;
}

void kl_pids_free(struct kl_pids *p)
{
	free(p->pid);
	p->pid = NULL;
	p->n = 0;
}

/* "123", "123,456" or "123 456". */
int kl_pids_parse(struct kl_pids *p, const char *arg)
{
	const char *s = arg;
	char *end;
	long v;

	while (*s) {
		if (*s == ',' || isspace((unsigned char)*s)) {
			s++;
			continue;
		}
		errno = 0;
		v = strtol(s, &end, 10);
		if (end == s || errno || v <= 0 || v > 4194304 ||
		    (*end && *end != ',' && !isspace((unsigned char)*end))) {
			kl_err("upgrade: '%s' is not a process ID", arg);
			return -1;
		}
		kl_pids_add(p, v);
		s = end;
	}
	return 0;
}

int kl_pids_from_cgroup(struct kl_pids *p, const char *path)
{
	char *file, *procs, *line, *save = NULL;
	int ret = 0;

	if (path[0] == '/' && str_starts(path, "/sys/fs/cgroup"))
		file = xasprintf("%s/cgroup.procs", path);
	else
		file = xasprintf("/sys/fs/cgroup/%s/cgroup.procs",
				 path + (path[0] == '/'));
	if (!path_exists(file)) {
		kl_err("upgrade: no cgroup %s (no %s)", path, file);
		free(file);
		return -1;
	}
	procs = read_file(file, NULL);
	if (!procs) {
		free(file);
		return -1;
	}
	for (line = strtok_r(procs, "\n", &save); line && !ret;
	     line = strtok_r(NULL, "\n", &save))
		ret = kl_pids_parse(p, line);
	if (!ret && !p->n) {
		kl_err("upgrade: the cgroup %s has no processes", path);
		ret = -1;
	}
	free(procs);
	free(file);
	return ret;
}

/* The parent of pid, from /proc/PID/stat; -1 if it is gone. */
static pid_t parent_of(pid_t pid)
{
	char path[64], buf[512], *close_paren;
	pid_t ppid = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	if (fgets(buf, sizeof(buf), f)) {
		/* "PID (COMM) S PPID ...": COMM may hold spaces and ')'. */
		close_paren = strrchr(buf, ')');
		if (close_paren && sscanf(close_paren + 1, " %*c %d", &ppid) != 1)
			ppid = -1;
	}
	fclose(f);
	return ppid;
}

int kl_pids_roots(const struct kl_pids *all, struct kl_pids *roots)
{
	size_t i;
	pid_t ppid;

	for (i = 0; i < all->n; i++) {
		ppid = parent_of(all->pid[i]);
		if (ppid < 0) {
			kl_err("upgrade: no process %d", (int)all->pid[i]);
			return -1;
		}
		if (!kl_pids_has(all, ppid))
			kl_pids_add(roots, all->pid[i]);
	}
	return 0;
}

void kl_pids_trees(const struct kl_pids *roots, struct kl_pids *tasks)
{
	struct kl_pids procs = { 0 }, parents = { 0 };
	struct dirent *d;
	bool grew = true;
	size_t i;
	DIR *dir;

	dir = opendir("/proc");
	while (dir && (d = readdir(dir))) {
		if (!isdigit((unsigned char)d->d_name[0]))
			continue;
		procs.pid = xrealloc(procs.pid, (procs.n + 1) * sizeof(pid_t));
		parents.pid = xrealloc(parents.pid,
				       (parents.n + 1) * sizeof(pid_t));
		procs.pid[procs.n++] = atoi(d->d_name);
		parents.pid[parents.n++] = parent_of(atoi(d->d_name));
	}
	if (dir)
		closedir(dir);
	for (i = 0; i < roots->n; i++)
		kl_pids_add(tasks, roots->pid[i]);
	while (grew) {
		grew = false;
		for (i = 0; i < procs.n; i++) {
			if (kl_pids_has(tasks, procs.pid[i]) ||
			    !kl_pids_has(tasks, parents.pid[i]))
				continue;
			kl_pids_add(tasks, procs.pid[i]);
			grew = true;
		}
	}
	kl_pids_free(&procs);
	kl_pids_free(&parents);
}
