/*
 * preflight.c - before anything is stopped, looks at each process to be
 * carried over for what CRIU cannot checkpoint or what would not be there
 * on the new kernel, and names it.
 */
#define _GNU_SOURCE
#include "upgrade.h"
#include "../util/util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#define TMPFS_MAGIC	0x01021994
#define RAMFS_MAGIC	0x858458f6

/* File descriptor kinds CRIU 3.17 has no image format for. */
static const struct {
	const char *link;
	const char *what;
} undumpable[] = {
	{ "anon_inode:[pidfd]", "a pidfd" },
	{ "anon_inode:[perf_event]", "a perf event" },
	{ "anon_inode:[io_uring]", "an io_uring instance" },
	{ "anon_inode:[userfaultfd]", "a userfaultfd" },
	{ "anon_inode:kvm-", "a KVM virtual machine" },
	{ "anon_inode:[kvm-", "a KVM virtual machine" },
	{ "/dev/kvm", "/dev/kvm" },
	{ "/dev/vfio/", "a VFIO device" },
	{ "anon_inode:[secretmem]", "secret memory" },
};

static char *comm_of(pid_t pid)
{
	char path[64], buf[64] = "?";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	f = fopen(path, "re");
	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			strcpy(buf, "?");
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = '\0';
	return xstrdup(buf);
}

/* A path on a memory file system that a kernel switch empties. */
bool kl_on_volatile_fs(const char *path, dev_t root_dev)
{
	struct statfs sfs;
	struct stat st;

	if (statfs(path, &sfs) || stat(path, &st))
		return false;
	/* Device nodes are made again by the new system. */
	if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
		return false;
	if (sfs.f_type != TMPFS_MAGIC && sfs.f_type != RAMFS_MAGIC)
		return false;
	/* The initramfs root is unpacked again, the same, at every boot. */
	return st.st_dev != root_dev;
}

static int refuse(pid_t pid, const char *fmt, const char *a, const char *b)
{
	char *comm = comm_of(pid), *what = xasprintf(fmt, a, b);

	kl_err("upgrade: process %d (%s) cannot be carried over: %s",
	       (int)pid, comm, what);
	free(what);
	free(comm);
	return -1;
}

static int check_status(pid_t pid)
{
	char path[64], line[256];
	int tracer = 0, ret = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f) {
		kl_err("upgrade: no process %d", (int)pid);
		return -1;
	}
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "TracerPid: %d", &tracer) == 1)
			break;
	fclose(f);
	if (tracer) {
		snprintf(line, sizeof(line), "%d", tracer);
		ret = refuse(pid, "it is being traced by process %s%s", line, "");
	}
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	if (!ret && access(path, F_OK))
		ret = refuse(pid, "it is a kernel thread%s%s", "", "");
	return ret;
}

static int check_fds(pid_t pid, dev_t root_dev)
{
	char dir[64], *fd_path, link[4096];
	struct dirent *d;
	int ret = 0;
	ssize_t n;
	size_t i;
	DIR *fds;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)pid);
	fds = opendir(dir);
	if (!fds)
		return refuse(pid, "cannot read %s%s", dir, "");
	while (!ret && (d = readdir(fds))) {
		if (d->d_name[0] == '.')
			continue;
		fd_path = xasprintf("%s/%s", dir, d->d_name);
		n = readlink(fd_path, link, sizeof(link) - 1);
		link[n > 0 ? n : 0] = '\0';
		for (i = 0; n > 0 && i < ARRAY_SIZE(undumpable) && !ret; i++)
			if (str_starts(link, undumpable[i].link))
				ret = refuse(pid, "file descriptor %s is %s, which CRIU cannot checkpoint",
					     d->d_name, undumpable[i].what);
		if (!ret && link[0] == '/' && !str_ends(link, " (deleted)") &&
		    kl_on_volatile_fs(fd_path, root_dev))
			ret = refuse(pid, "file descriptor %s is %s, on a memory file system that does not survive the kernel switch",
				     d->d_name, link);
		free(fd_path);
	}
	closedir(fds);
	return ret;
}

static int check_maps(pid_t pid, dev_t root_dev)
{
	char path[64], line[4096], *file;
	int ret = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (!ret && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		file = strchr(line, '/');
		if (!file || str_ends(file, " (deleted)"))
			continue;
		if (kl_on_volatile_fs(file, root_dev))
			ret = refuse(pid, "it maps %s, on a memory file system that does not survive the kernel switch%s",
				     file, "");
	}
	fclose(f);
	return ret;
}

int kl_preflight_tree(const struct kl_pids *tasks)
{
	struct stat root;
	size_t i;

	if (stat("/", &root)) {
		kl_err("upgrade: cannot stat /");
		return -1;
	}
	if (kl_pids_has(tasks, 1))
		return refuse(1, "it is init (PID 1), which the kernel switch restarts%s%s",
			      "", "");
	if (kl_pids_has(tasks, getpid()))
		return refuse(tasks->pid[0], "klive itself runs in its tree%s%s",
			      "", "");
	for (i = 0; i < tasks->n; i++) {
		if (check_status(tasks->pid[i]) ||
		    check_fds(tasks->pid[i], root.st_dev) ||
		    check_maps(tasks->pid[i], root.st_dev))
			return -1;
	}
	return 0;
}
