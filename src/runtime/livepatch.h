/*
 * livepatch.h - the running kernel's live patch interface: the sysfs tree
 * under /sys/kernel/livepatch and loading and unloading patch modules.
 * The tasks of a transition are in tasks.h, waiting for it transition.h.
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
