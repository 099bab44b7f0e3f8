/*
 * target.h - a prepared kernel target: a pristine source tree, a configured
 * out-of-tree build directory that can compile single objects, and the
 * running kernel's symbol list and Module.symvers.  Kept under
 * $KLIVE_CACHE/targets/NAME.
 */
#ifndef KLIVE_TARGET_H
#define KLIVE_TARGET_H

#include <stdbool.h>

struct target {
	char *name;
	char *dir;		/* $KLIVE_CACHE/targets/NAME */
	char *srcdir;		/* pristine kernel source */
	char *builddir;		/* dir/build: O= directory, configured */
	char *release;		/* kernel release, e.g. 6.1.192 */
	char *kallsyms;		/* dir/kallsyms: System.map or /proc/kallsyms */
	char *symvers;		/* builddir/Module.symvers, may not exist */
	char *key;		/* hash of the inputs */
	char *kernel;		/* the kernel's package version, if known */
	char *kernel_release;	/* its uname -r, if known (e.g. Debian's) */
	char *modules;		/* directory holding its modules' .ko, or NULL */
	char *image;		/* its vmlinuz or vmlinux, or NULL */
};

struct prepare_options {
	const char *source;	/* tarball or directory */
	const char *config;
	const char *symvers;
	const char *kallsyms;
	const char *proc_version;	/* a copy of the kernel's /proc/version */
	const char *name;
	const char *modules;	/* directory of the kernel's built modules */
	const char *image;	/* the kernel's image: vmlinuz or vmlinux */
};

int target_prepare(const struct prepare_options *opt);
/* Fills opt from the running Debian kernel; says what is missing. */
int running_options(struct prepare_options *opt, char **workdir);
int target_load(const char *name, struct target *t);
void target_free(struct target *t);
char *target_dir(const char *name);

#endif
