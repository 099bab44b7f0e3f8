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
};

struct prepare_options {
	const char *source;	/* tarball or directory */
	const char *config;
	const char *symvers;
	const char *kallsyms;
	const char *name;
};

int target_prepare(const struct prepare_options *opt);
int target_load(const char *name, struct target *t);
void target_free(struct target *t);
char *target_dir(const char *name);

#endif
