/*
 * build.h - the build stage: applies source patches to a private copy of a
 * prepared target and compiles the touched translation units twice, before
 * and after, with one section per function and per data object.
 */
#ifndef KLIVE_BUILD_H
#define KLIVE_BUILD_H

#include "../tree/target.h"

#include <stddef.h>

struct touched_file {
	char *path;		/* relative to the source root, e.g. kernel/sys.c */
};

struct patch_set {
	char **patches;		/* the patch files, absolute paths */
	size_t nr_patches;
	struct touched_file *files;
	size_t nr_files;
};

struct built_object {
	char *source;		/* kernel/sys.c */
	char *unit;		/* the file compiled: itself, or one that
				 * #includes it */
	char *object;		/* kernel/sys.o */
	char *pre;		/* path of the object compiled before */
	char *post;		/* path of the object compiled after */
	char *objname;		/* "vmlinux" or the module's name */
	bool fresh;		/* pre compiled now, not taken from the cache */
};

/* The C file whose compilation includes source (source itself, mostly). */
char *translation_unit(const char *srcdir, const char *source);

struct build_result {
	char *workdir;		/* private, removed by build_cleanup() */
	char *objdir;		/* the target's scratch build directory */
	int scratch_lock;	/* held until build_cleanup() */
	struct built_object *objs;
	size_t nr_objs;
};

/* Reads the patches and lists the files they touch. */
int patch_set_read(struct patch_set *set, char **paths, size_t nr);
/* Compiles every touched unit before and after the patches. */
int build_objects(const struct target *t, const struct patch_set *set,
		  struct build_result *res);
void build_cleanup(struct build_result *res, bool keep);

/* The scratch build directory (scratch.c). */
int scratch_open(const struct target *t, struct build_result *res);
int scratch_place(struct build_result *res, const char *src, const char *rel);
void scratch_close(struct build_result *res);
/* Copies src to root/rel, making directories. */
int copy_into(const char *src, const char *root, const char *rel);

#endif
