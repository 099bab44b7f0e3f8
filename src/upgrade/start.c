/*
 * start.c - the old kernel's side of a live upgrade: refuses early what
 * cannot work, loads the new kernel, pre-dumps the processes' memory while
 * they run, freezes and dumps them (network locked), records the state
 * and starts the new kernel.  A failed dump leaves the processes running
 * on this kernel.
 */
#define _GNU_SOURCE
#include "upgrade.h"
#include "../runtime/boothook.h"
#include "../runtime/lock.h"
#include "../util/util.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

/* Size in KiB of the memory pages a CRIU image directory holds. */
static long pages_kib(const char *dir)
{
	struct dirent *d;
	struct stat st;
	long kib = 0;
	char *p;
	DIR *dp;

	dp = opendir(dir);
	while (dp && (d = readdir(dp))) {
		if (!str_starts(d->d_name, "pages-"))
			continue;
		p = xasprintf("%s/%s", dir, d->d_name);
		if (!stat(p, &st))
			kib += st.st_size / 1024;
		free(p);
	}
	if (dp)
		closedir(dp);
	return kib;
}

static char *read_line(const char *path)
{
	char *text = read_file(path, NULL);

	if (text)
		text[strcspn(text, "\n")] = '\0';
	return text;
}

static int check_image(const char *what, const char *path)
{
	char *why;

	if (kl_bzimage_check(path, &why)) {
		kl_err("upgrade: %s %s is unusable: %s", what, path, why);
		free(why);
		return -1;
	}
	return 0;
}

static int check_file(const char *what, const char *path)
{
	if (access(path, R_OK) || is_dir(path)) {
		kl_err("upgrade: %s %s: %s", what, path,
		       is_dir(path) ? "a directory" : strerror(errno));
		return -1;
	}
	return 0;
}

/* The kernel to fall back to: copied into the store, with its cmdline. */
static int keep_previous(const struct kl_upgrade_opts *o, struct kl_state *s,
			 const char *cmdline)
{
	char *dir = xasprintf("%s/previous", o->store), *p;
	int ret = mkdir_p(dir);

	p = xasprintf("%s/vmlinuz", dir);
	if (!ret)
		ret = copy_file(o->prev_kernel, p);
	kl_state_set(s, "previous_kernel", "%s", p);
	free(p);
	if (!ret && o->prev_initrd) {
		p = xasprintf("%s/initrd", dir);
		ret = copy_file(o->prev_initrd, p);
		kl_state_set(s, "previous_initrd", "%s", p);
		free(p);
	}
	kl_state_set(s, "previous_cmdline", "%s", cmdline);
	free(dir);
	return ret;
}

/* Checks everything that can be checked without stopping a process. */
static int preflight(const struct kl_upgrade_opts *o, struct kl_pids *roots)
{
	struct kl_pids all = { 0 }, tasks = { 0 };
	char *why;
	size_t i;
	int ret = -1;

	if (check_image("kernel image", o->kernel) ||
	    (o->initrd && check_file("initrd", o->initrd)) ||
	    check_image("previous kernel image (to fall back to)",
			o->prev_kernel) ||
	    (o->prev_initrd && check_file("previous initrd", o->prev_initrd)))
		return -1;
	if (kl_kexec_available(&why)) {
		kl_err("upgrade: kexec is not available: %s", why);
		free(why);
		return -1;
	}
	for (i = 0; i < o->pids.n; i++)
		kl_pids_add(&all, o->pids.pid[i]);
	if (o->cgroup && kl_pids_from_cgroup(&all, o->cgroup))
		goto out;
	if (kl_pids_roots(&all, roots))
		goto out;
	kl_pids_trees(roots, &tasks);
	if (kl_preflight_tree(&tasks) || kl_criu_check())
		goto out;
	ret = 0;
out:
	kl_pids_free(&all);
	kl_pids_free(&tasks);
	return ret;
}

static char *roots_text(const struct kl_pids *roots)
{
	char *text = xstrdup(""), *t;
	size_t i;

	for (i = 0; i < roots->n; i++) {
		t = xasprintf("%s%s%d", text, i ? " " : "", (int)roots->pid[i]);
		free(text);
		text = t;
	}
	return text;
}

static int predump_all(const struct kl_upgrade_opts *o, struct kl_state *s,
		       const struct kl_pids *roots)
{
	char key[32], *dir, *prev, *prev_log;
	double t0;
	long kib;
	size_t i;
	int n;

	for (n = 1; n <= o->pre_dumps; n++) {
		t0 = kl_now_mono();
		kib = 0;
		for (i = 0; i < roots->n; i++) {
			dir = xasprintf("%s/images/%d/pre-%d", o->store,
					(int)roots->pid[i], n);
			prev = n > 1 ? xasprintf("../pre-%d", n - 1) : NULL;
			if (kl_criu_predump(dir, prev, roots->pid[i])) {
				kl_err("upgrade: pre-dump %d of process tree %d failed:",
				       n, (int)roots->pid[i]);
				prev_log = xasprintf("%s/failed-pre-dump.log",
						     o->store);
				kl_criu_show_log(dir, "pre-dump.log", prev_log);
				free(prev_log);
				free(prev);
				free(dir);
				/*
				 * It may have reset the memory change tracking
				 * before failing: the final dump is then a full
				 * one, with no parent images.
				 */
				kl_state_set(s, "pre_dumps", "%d", n - 1);
				kl_state_set(s, "predump_failed", "1");
				return -1;
			}
			kib += pages_kib(dir);
			free(prev);
			free(dir);
		}
		snprintf(key, sizeof(key), "t_predump_%d", n);
		kl_state_set(s, key, "%.6f", kl_now_mono() - t0);
		snprintf(key, sizeof(key), "kib_predump_%d", n);
		kl_state_set(s, key, "%ld", kib);
		kl_info("upgrade: pre-dump %d: %ld KiB of memory in %.3f s",
			n, kib, kl_now_mono() - t0);
	}
	kl_state_set(s, "pre_dumps", "%d", o->pre_dumps);
	return 0;
}

/* The final dump; on failure the trees dumped before are restored here. */
static int dump_all(const struct kl_upgrade_opts *o, struct kl_state *s,
		    const struct kl_pids *roots)
{
	char *dir, *prev, *failed, *keep;
	struct kl_state *partial;
	struct kl_pids done = { 0 };
	bool parent = !kl_state_get(s, "predump_failed") && o->pre_dumps;
	double t0 = kl_now_mono();
	long kib = 0;
	size_t i;
	int ret = 0;

	struct kl_pids tasks = { 0 };
	char *conns;

	kl_pids_trees(roots, &tasks);
	conns = kl_netlock_connections(&tasks);
	kl_state_set(s, "tcp", "%s", conns);
	free(conns);
	kl_pids_free(&tasks);
	kl_state_set(s, "wall_freeze", "%.6f", kl_now_wall());
	for (i = 0; i < roots->n && !ret; i++) {
		dir = xasprintf("%s/images/%d/final", o->store,
				(int)roots->pid[i]);
		prev = parent ? xasprintf("../pre-%d", o->pre_dumps) : NULL;
		if (kl_criu_dump(dir, prev, roots->pid[i])) {
			kl_err("upgrade: the dump of process tree %d failed:",
			       (int)roots->pid[i]);
			keep = xasprintf("%s/failed-dump.log", o->store);
			kl_criu_show_log(dir, "dump.log", keep);
			free(keep);
			ret = -1;
		} else {
			kib += pages_kib(dir);
			kl_pids_add(&done, roots->pid[i]);
		}
		free(prev);
		free(dir);
	}
	kl_state_set(s, "t_dump", "%.6f", kl_now_mono() - t0);
	kl_state_set(s, "kib_dump", "%ld", kib);
	if (!ret) {
		kl_info("upgrade: final dump: %ld KiB in %.3f s", kib,
			kl_now_mono() - t0);
		kl_pids_free(&done);
		return 0;
	}
	if (done.n) {
		/* Restore, on this kernel, the trees already dumped. */
		partial = kl_state_new(o->store);
		prev = roots_text(&done);
		kl_state_set(partial, "roots", "%s", prev);
		free(prev);
		if (kl_restore_all(partial, &failed)) {
			kl_err("upgrade: process tree %s could not be restored; its images are kept in %s/images",
			       failed, o->store);
			free(failed);
			ret = -2;
		}
		kl_state_free(partial);
	}
	kl_pids_free(&done);
	return ret;
}

static bool all_alive(const struct kl_pids *roots)
{
	size_t i;

	for (i = 0; i < roots->n; i++)
		if (kill(roots->pid[i], 0))
			return false;
	return true;
}

int kl_upgrade_start(const struct kl_upgrade_opts *o)
{
	struct kl_pids roots = { 0 };
	struct kl_state *s = NULL, *old;
	char *cmdline = NULL, *images = NULL, *text, *boot_id;
	struct utsname u;
	double t0;
	int ret = KL_EXIT_ERROR, d;

	if (kl_lock_take("upgrade"))
		return KL_EXIT_ERROR;
	old = kl_state_load(o->store);
	if (old && kl_state_get(old, "phase") &&
	    strcmp(kl_state_get(old, "phase"), "restored")) {
		kl_err("upgrade: an upgrade is pending in %s (phase %s): see klive upgrade --status",
		       o->store, kl_state_get(old, "phase"));
		kl_state_free(old);
		return KL_EXIT_ERROR;
	}
	kl_state_free(old);

	t0 = kl_now_mono();
	kl_info("upgrade: checking the kernel image, kexec and the processes");
	if (preflight(o, &roots))
		goto out;
	text = read_line("/proc/cmdline");
	if (!text)
		goto out;
	cmdline = o->append ? xasprintf("%s %s", text, o->append) :
			      xstrdup(text);
	free(text);
	s = kl_state_new(o->store);
	uname(&u);
	boot_id = kl_boot_id();
	kl_state_set(s, "phase", "starting");
	kl_state_set(s, "from_release", "%s", u.release);
	kl_state_set(s, "boot_id", "%s", boot_id);
	kl_state_set(s, "kernel", "%s", o->kernel);
	kl_state_set(s, "cmdline", "%s", cmdline);
	text = roots_text(&roots);
	kl_state_set(s, "roots", "%s", text);
	free(text);
	free(boot_id);
	images = xasprintf("%s/images", o->store);
	if (mkdir_p(o->store))
		goto out;
	if (kl_on_volatile_fs(o->store, (dev_t)-1)) {
		kl_err("upgrade: the store %s is on a memory file system: the images would not survive the kernel switch (give --store DIR on a disk)",
		       o->store);
		goto out;
	}
	if (remove_tree(images) || mkdir_p(images) ||
	    keep_previous(o, s, kl_state_get(s, "cmdline")) ||
	    kl_state_save(s))
		goto out_clean;
	kl_state_set(s, "t_preflight", "%.6f", kl_now_mono() - t0);

	/* The running kernel checks the new one as it loads it. */
	t0 = kl_now_mono();
	if (kl_kexec_load(o->kernel, o->initrd, cmdline))
		goto out_clean;
	kl_state_set(s, "t_load", "%.6f", kl_now_mono() - t0);
	kl_info("upgrade: loaded %s (%.3f s)", o->kernel, kl_now_mono() - t0);

	if (predump_all(o, s, &roots)) {
		/* Nothing was stopped: go on, with a full final dump. */
		if (!all_alive(&roots)) {
			kl_err("upgrade: some of the processes are gone after the failed pre-dump");
			goto out_unload;
		}
		kl_err("upgrade: the processes run on; the final dump will be a full one");
	}
	kl_info("upgrade: freezing and dumping the processes");
	d = dump_all(o, s, &roots);
	if (d) {
		if (d == -2) {
			kl_state_set(s, "phase", "failed");
			kl_state_save(s);
		}
		if (d == -1 && all_alive(&roots))
			kl_err("upgrade: nothing was lost: the processes run on, on this kernel");
		else if (d == -1)
			kl_err("upgrade: some of the processes did not survive the failed dump");
		goto out_unload;
	}

	/* From here the processes exist only as images. */
	t0 = kl_now_mono();
	kl_state_set(s, "phase", "dumped");
	if (kl_state_save(s) || kl_boothook_install_upgrade(o->store)) {
		kl_err("upgrade: cannot record the upgrade; restoring the processes here");
		goto out_restore;
	}
	sync();
	kl_state_set(s, "t_sync", "%.6f", kl_now_mono() - t0);
	kl_state_set(s, "wall_kexec", "%.6f", kl_now_wall());
	if (kl_state_save(s))
		goto out_restore;
	sync();
	printf("klive: upgrade: processes dumped; starting %s\n", o->kernel);
	fflush(NULL);
	kl_kexec_now();
out_restore:
	{
		char *failed;

		kl_boothook_remove_upgrade();
		if (kl_restore_all(s, &failed)) {
			kl_err("upgrade: restoring process tree %s failed; its images are kept in %s",
			       failed, images);
			free(failed);
			kl_state_set(s, "phase", "failed");
			kl_state_save(s);
			goto out_unload;
		}
		kl_err("upgrade: the processes were restored on this kernel");
	}
out_unload:
	kl_kexec_unload();
out_clean:
	if (s && strcmp(kl_state_get(s, "phase"), "failed")) {
		char *state = xasprintf("%s/state", o->store);

		remove_tree(images);
		unlink(state);
		free(state);
	}
out:
	kl_state_free(s);
	kl_pids_free(&roots);
	free(images);
	free(cmdline);
	return ret;
}
