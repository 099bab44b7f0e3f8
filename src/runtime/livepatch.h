/*
 * livepatch.h - the running kernel's live patch interface: the sysfs tree
 * under /sys/kernel/livepatch, the per-task patch state in /proc, and
 * loading and unloading patch modules.
 *
 * KLIVE_SYSFS (default /sys) relocates the sysfs tree, for tests.
 */
#ifndef KLIVE_LIVEPATCH_H
#define KLIVE_LIVEPATCH_H

#include <stdbool.h>
#include <stddef.h>

/* A patched function: OBJ/FUNC,SYMPOS under the patch directory. */
struct kl_lp_func {
	char *obj;		/* "vmlinux" or a module name */
	char *name;
	unsigned long sympos;
};

struct kl_lp_patch {
	char *name;
	int enabled;		/* 1, 0, or -1 when unreadable */
	int transition;		/* 1, 0, or -1 when unreadable */
	struct kl_lp_func *funcs;
	size_t nr_funcs;
};

/* A task that has not yet switched to the target patch state. */
struct kl_lp_task {
	int pid;
	char comm[32];
};

enum kl_lp_wait_result {
	KL_LP_SETTLED,		/* transition reads 0 */
	KL_LP_GONE,		/* the patch was freed (disabled) */
	KL_LP_TIMEOUT,
	KL_LP_INTERRUPTED,	/* SIGINT, SIGTERM or SIGHUP */
};

/* /sys/kernel/livepatch, or its KLIVE_SYSFS equivalent. */
const char *kl_lp_root(void);
bool kl_lp_supported(void);

/* Sorted names of the patches in the kernel; -1 on error. */
int kl_lp_names(char ***names, size_t *nr);
void kl_lp_free_names(char **names, size_t nr);

bool kl_lp_exists(const char *name);
/* Reads enabled (attr "enabled") or transition: 1, 0 or -1 if unreadable. */
int kl_lp_read_attr(const char *name, const char *attr);
/* Writes 0 or 1 to NAME/enabled; returns -errno on failure. */
int kl_lp_write_enabled(const char *name, bool on);
/* State and functions of one patch; -1 if it is gone. */
int kl_lp_read_patch(const char *name, struct kl_lp_patch *p);
void kl_lp_free_patch(struct kl_lp_patch *p);
/* The name of the patch in transition (caller frees), or NULL. */
char *kl_lp_in_transition(void);

/* Tasks whose /proc patch_state differs from target (0 or 1). */
size_t kl_lp_blocking_tasks(int target, struct kl_lp_task **tasks);
/* "pid 12 (comm), pid 34 (comm) and 5 more"; caller frees. */
char *kl_lp_describe_tasks(const struct kl_lp_task *tasks, size_t nr);

/*
 * Waits until NAME's transition is over or timeout seconds have passed,
 * reporting the tasks holding it up about once a second.  Catches
 * SIGINT/SIGTERM/SIGHUP while waiting so the caller can clean up.
 */
enum kl_lp_wait_result kl_lp_wait(const char *name, double timeout);

/* Kernel modules. */
bool kl_module_loaded(const char *name);
/* True if the loaded module NAME carries the livepatch taint (K). */
bool kl_module_is_livepatch(const char *name);
/* finit_module(2); reports a clear error and returns -1 on failure. */
int kl_module_load(const char *path, const char *name);
/*
 * delete_module(2), retrying up to timeout seconds while the module is
 * still referenced; reports and returns -1 on failure.
 */
int kl_module_unload(const char *name, double timeout);

/* Seconds on a monotonic clock. */
double kl_now(void);

#endif
