/*
 * upgrade.h - live kernel upgrade: the chosen process trees are
 * checkpointed with CRIU, the new kernel is started with kexec and an
 * early boot step restores them (src/commands/upgrade.c drives it).
 */
#ifndef KLIVE_UPGRADE_H
#define KLIVE_UPGRADE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* bzimage.c: a kernel image kexec can start (x86 bzImage, 64-bit entry). */
int kl_bzimage_check(const char *path, char **why);

/* kexec.c: kexec_file_load(2) and reboot(2) into the loaded kernel. */
int kl_kexec_available(char **why);
int kl_kexec_load(const char *kernel, const char *initrd, const char *cmdline);
void kl_kexec_unload(void);
/* Syncs the file systems and starts the loaded kernel; returns on failure. */
int kl_kexec_now(void);

/* targets.c: the process trees to carry over. */
struct kl_pids {
	pid_t *pid;
	size_t n;
};
void kl_pids_add(struct kl_pids *p, pid_t pid);
bool kl_pids_has(const struct kl_pids *p, pid_t pid);
void kl_pids_free(struct kl_pids *p);
int kl_pids_parse(struct kl_pids *p, const char *arg);
int kl_pids_from_cgroup(struct kl_pids *p, const char *path);
/* The members whose parent is not a member: the roots CRIU dumps. */
int kl_pids_roots(const struct kl_pids *all, struct kl_pids *roots);
/* Each root and all its descendants. */
void kl_pids_trees(const struct kl_pids *roots, struct kl_pids *tasks);

/* preflight.c: what would make a checkpoint or a restore fail. */
int kl_preflight_tree(const struct kl_pids *tasks);
/* A regular file or directory on tmpfs or ramfs (other than root_dev). */
bool kl_on_volatile_fs(const char *path, dev_t root_dev);

/* netlock.c: the carried-over TCP connections, locked on the new kernel. */
char *kl_netlock_connections(const struct kl_pids *tasks);
int kl_netlock_lock(const char *conns);
void kl_netlock_unlock(const char *conns);

/* criu.c: the criu command. */
int kl_criu_check(void);
int kl_criu_predump(const char *dir, const char *prev, pid_t root);
int kl_criu_dump(const char *dir, const char *prev, pid_t root);
int kl_criu_restore(const char *dir);
/*
 * Shows the error lines of the criu log named log ("dump.log"...) in dir;
 * with keep, copies the log there first and names that copy.
 */
void kl_criu_show_log(const char *dir, const char *log, const char *keep);

/* state.c: the upgrade's store, with its state file. */
struct kl_state;
struct kl_state *kl_state_new(const char *store);
struct kl_state *kl_state_load(const char *store);
void kl_state_free(struct kl_state *s);
const char *kl_state_get(const struct kl_state *s, const char *key);
void kl_state_set(struct kl_state *s, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int kl_state_save(const struct kl_state *s);
const char *kl_state_store(const struct kl_state *s);

/* clock.c: wall and monotonic times. */
double kl_now_mono(void);
double kl_now_wall(void);
char *kl_boot_id(void);

/* start.c: checkpoint the processes and start the new kernel. */
struct kl_upgrade_opts {
	const char *kernel;
	const char *initrd;
	const char *append;
	struct kl_pids pids;
	const char *cgroup;
	const char *store;
	const char *prev_kernel;
	const char *prev_initrd;
	int pre_dumps;
};
int kl_upgrade_start(const struct kl_upgrade_opts *o);

/* restore.c: restoring the dumped trees, on whichever kernel runs. */
int kl_restore_all(struct kl_state *s, char **failed_root);
char *kl_images_dir(const struct kl_state *s, const char *root);

/* resume.c: the boot step. */
int kl_upgrade_resume(const char *store);

/* report.c: the phases and the stop time, from the state file. */
void kl_upgrade_report(const struct kl_state *s, FILE *out);
int kl_upgrade_show(const char *store);


#endif
