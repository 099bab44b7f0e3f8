/*
 * livepatch.c - klive's side of the kernel live patch interface: reads and
 * drives /sys/kernel/livepatch and loads and unloads patch modules with
 * finit_module/delete_module.
 */
#define _GNU_SOURCE
#include "livepatch.h"
#include "../util/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define POLL_NS		20000000L	/* 20 ms between polls */

static const char *sysfs_dir(void)
{
	const char *env = getenv("KLIVE_SYSFS");

	return env && *env ? env : "/sys";
}

const char *kl_lp_root(void)
{
	static char *root;

	if (!root)
		root = xasprintf("%s/kernel/livepatch", sysfs_dir());
	return root;
}

bool kl_lp_supported(void)
{
	return is_dir(kl_lp_root());
}

double kl_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_poll(void)
{
	struct timespec ts = { 0, POLL_NS };

	nanosleep(&ts, NULL);
}

/* Reads a small file quietly (it may vanish at any time); -1 on failure. */
static int read_small(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	do {
		n = read(fd, buf, size - 1);
	} while (n < 0 && errno == EINTR);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* Reads a file holding one integer; returns false if that fails. */
static bool read_int(const char *path, long *val)
{
	char buf[64], *end;

	if (read_small(path, buf, sizeof(buf)))
		return false;
	errno = 0;
	*val = strtol(buf, &end, 10);
	return !errno && end != buf && !*end;
}

static bool is_subdir(const char *dir, const struct dirent *de)
{
	char *path;
	bool ret;

	if (de->d_name[0] == '.')
		return false;
	if (de->d_type != DT_UNKNOWN)
		return de->d_type == DT_DIR;
	path = xasprintf("%s/%s", dir, de->d_name);
	ret = is_dir(path);
	free(path);
	return ret;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of the subdirectories of dir; -1 if it cannot be read. */
static int list_subdirs(const char *dir, char ***names, size_t *nr)
{
	struct dirent *de;
	DIR *d;

	*names = NULL;
	*nr = 0;
	d = opendir(dir);
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		if (!is_subdir(dir, de))
			continue;
		*names = xrealloc(*names, (*nr + 1) * sizeof(**names));
		(*names)[(*nr)++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (*nr)
		qsort(*names, *nr, sizeof(**names), cmp_str);
	return 0;
}

int kl_lp_names(char ***names, size_t *nr)
{
	if (list_subdirs(kl_lp_root(), names, nr)) {
		kl_err("cannot read %s: %s", kl_lp_root(), strerror(errno));
		return -1;
	}
	return 0;
}

void kl_lp_free_names(char **names, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++)
		free(names[i]);
	free(names);
}

bool kl_lp_exists(const char *name)
{
	char *path = xasprintf("%s/%s", kl_lp_root(), name);
	bool ret = is_dir(path);

	free(path);
	return ret;
}

int kl_lp_read_attr(const char *name, const char *attr)
{
	char *path = xasprintf("%s/%s/%s", kl_lp_root(), name, attr);
	long val;
	bool ok;

	ok = read_int(path, &val);
	free(path);
	if (!ok || (val != 0 && val != 1))
		return -1;
	return (int)val;
}

int kl_lp_write_enabled(const char *name, bool on)
{
	char *path = xasprintf("%s/%s/enabled", kl_lp_root(), name);
	int fd, ret = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	free(path);
	if (fd < 0)
		return -errno;
	if (write(fd, on ? "1\n" : "0\n", 2) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static void add_func(struct kl_lp_patch *p, const char *obj, const char *dir)
{
	const char *comma = strrchr(dir, ',');
	struct kl_lp_func *f;

	p->funcs = xrealloc(p->funcs, (p->nr_funcs + 1) * sizeof(*p->funcs));
	f = &p->funcs[p->nr_funcs++];
	f->obj = xstrdup(obj);
	if (comma) {
		f->name = xasprintf("%.*s", (int)(comma - dir), dir);
		f->sympos = strtoul(comma + 1, NULL, 10);
	} else {
		f->name = xstrdup(dir);
		f->sympos = 0;
	}
}

static void read_funcs(struct kl_lp_patch *p, const char *pdir)
{
	char **objs, **funcs, *odir;
	size_t nobj, nfunc, i, j;

	if (list_subdirs(pdir, &objs, &nobj))
		return;
	for (i = 0; i < nobj; i++) {
		odir = xasprintf("%s/%s", pdir, objs[i]);
		if (!list_subdirs(odir, &funcs, &nfunc)) {
			for (j = 0; j < nfunc; j++)
				add_func(p, objs[i], funcs[j]);
			kl_lp_free_names(funcs, nfunc);
		}
		free(odir);
	}
	kl_lp_free_names(objs, nobj);
}

int kl_lp_read_patch(const char *name, struct kl_lp_patch *p)
{
	char *pdir = xasprintf("%s/%s", kl_lp_root(), name);

	memset(p, 0, sizeof(*p));
	if (!is_dir(pdir)) {
		free(pdir);
		return -1;
	}
	p->name = xstrdup(name);
	p->enabled = kl_lp_read_attr(name, "enabled");
	p->transition = kl_lp_read_attr(name, "transition");
	read_funcs(p, pdir);
	free(pdir);
	return 0;
}

void kl_lp_free_patch(struct kl_lp_patch *p)
{
	size_t i;

	for (i = 0; i < p->nr_funcs; i++) {
		free(p->funcs[i].obj);
		free(p->funcs[i].name);
	}
	free(p->funcs);
	free(p->name);
	memset(p, 0, sizeof(*p));
}

char *kl_lp_in_transition(void)
{
	char **names, *found = NULL;
	size_t nr, i;

	if (list_subdirs(kl_lp_root(), &names, &nr))
		return NULL;
	for (i = 0; i < nr && !found; i++)
		if (kl_lp_read_attr(names[i], "transition") == 1)
			found = xstrdup(names[i]);
	kl_lp_free_names(names, nr);
	return found;
}

bool kl_module_loaded(const char *name)
{
	char *path = xasprintf("%s/module/%s/initstate", sysfs_dir(), name);
	bool ret = path_exists(path);

	free(path);
	return ret;
}

bool kl_module_is_livepatch(const char *name)
{
	char *path = xasprintf("%s/module/%s/taint", sysfs_dir(), name);
	char buf[64];
	bool ret;

	ret = !read_small(path, buf, sizeof(buf)) && strchr(buf, 'K');
	free(path);
	return ret;
}

static bool modules_disabled(void)
{
	long val;

	return read_int("/proc/sys/kernel/modules_disabled", &val) && val;
}

static void report_not_permitted(const char *what)
{
	if (geteuid() != 0)
		kl_err("%s needs root (CAP_SYS_MODULE)", what);
	else if (modules_disabled())
		kl_err("%s is disabled on this system (kernel.modules_disabled=1)",
		       what);
	else
		kl_err("%s is not permitted (kernel lockdown or a security module; see dmesg)",
		       what);
}

static void report_load_error(const char *path, const char *name, int err)
{
	switch (err) {
	case EEXIST:
		kl_err("%s: a module named %s is already loaded", path, name);
		break;
	case ENOEXEC:
		kl_err("%s: the kernel rejected the module as invalid (see dmesg)",
		       path);
		break;
	case EINVAL:
		kl_err("%s: the kernel rejected the live patch as invalid (see dmesg)",
		       path);
		break;
	case ENOENT:
		kl_err("%s: the module needs symbols the kernel does not have (see dmesg)",
		       path);
		break;
	case EBUSY:
		kl_err("%s: the kernel is busy with another live patch transition",
		       path);
		break;
	case EPERM:
	case EACCES:
		report_not_permitted("loading kernel modules");
		break;
	case EKEYREJECTED:
		kl_err("%s: the kernel rejected the module's signature (see dmesg)",
		       path);
		break;
	case ENOKEY:
		kl_err("%s: the module is signed with a key the kernel does not trust",
		       path);
		break;
	case EBADMSG:
		kl_err("%s: the module's signature is malformed", path);
		break;
	case ENOMEM:
		kl_err("%s: not enough kernel memory to load the module", path);
		break;
	case ENOSYS:
		kl_err("this kernel cannot load modules (CONFIG_MODULES)");
		break;
	case ENODEV:
		kl_err("%s: live patching is not available in this kernel (see dmesg)",
		       path);
		break;
	default:
		kl_err("%s: cannot load the module: %s (see dmesg)", path,
		       strerror(err));
		break;
	}
}

int kl_module_load(const char *path, const char *name)
{
	int fd, ret, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		kl_err("cannot open '%s': %s", path, strerror(errno));
		return -1;
	}
	do {
		ret = syscall(SYS_finit_module, fd, "", 0);
	} while (ret < 0 && errno == EINTR);
	err = errno;
	close(fd);
	if (ret < 0) {
		report_load_error(path, name, err);
		return -1;
	}
	return 0;
}

static int try_unload(const char *name)
{
	if (syscall(SYS_delete_module, name, O_NONBLOCK) == 0)
		return 0;
	return -errno;
}

int kl_module_unload(const char *name, double timeout)
{
	double deadline = kl_now() + timeout;
	int ret;

	for (;;) {
		ret = try_unload(name);
		if (!ret || ret == -ENOENT)
			return 0;
		if (ret == -EINTR)
			continue;
		if ((ret != -EAGAIN && ret != -EBUSY) || kl_now() >= deadline)
			break;
		sleep_poll();
	}
	if (ret == -EPERM)
		report_not_permitted("unloading kernel modules");
	else if (ret == -EAGAIN || ret == -EBUSY)
		kl_err("cannot unload module %s: still in use after %g s",
		       name, timeout);
	else
		kl_err("cannot unload module %s: %s", name, strerror(-ret));
	return -1;
}
