/*
 * kbuild.c - compiles the touched translation units of a prepared target,
 * before and after the patches, in a private copy of its build directory.
 *
 * The prepared tree is never written: the source stays pristine and the
 * build directory is copied.  Patched sources are placed in the private
 * build directory, where kbuild's VPATH search finds them before the
 * pristine ones.
 */
#include "build.h"
#include "../util/util.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SECTION_FLAGS "-ffunction-sections -fdata-sections"
#define AUTHOR_HEADER "kpatch-macros.h"

/*
 * The directory of the patch-author headers (kpatch-macros.h, ...), which
 * patched files may include: $KLIVE_INCLUDE, else include/ beside the klive
 * binary (a source tree) or ../share/klive/include (an installation).
 */
static char *author_include_dir(void)
{
	const char *env = getenv("KLIVE_INCLUDE");
	char exe[PATH_MAX], *dir, *slash, *cand[2], *probe;
	ssize_t n;
	size_t i;

	if (env && *env)
		return xstrdup(env);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	dir = xstrdup(exe);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	cand[0] = xasprintf("%s/include", dir);
	cand[1] = xasprintf("%s/../share/klive/include", dir);
	free(dir);
	dir = NULL;
	for (i = 0; i < 2; i++) {
		probe = xasprintf("%s/%s", cand[i], AUTHOR_HEADER);
		if (!dir && path_exists(probe))
			dir = abs_path(cand[i]);
		free(probe);
		free(cand[i]);
	}
	return dir;
}

static char *object_of(const char *source)
{
	char *obj = xstrdup(source);

	obj[strlen(obj) - 1] = 'o';
	return obj;
}

static bool has_object(const struct build_result *res, const char *object)
{
	size_t i;

	for (i = 0; i < res->nr_objs; i++)
		if (!strcmp(res->objs[i].object, object))
			return true;
	return false;
}

static bool is_patched(const struct patch_set *set, const char *path)
{
	size_t i;

	for (i = 0; i < set->nr_files; i++)
		if (!strcmp(set->files[i].path, path))
			return true;
	return false;
}

static char *dir_of(const char *path)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');

	if (slash)
		*slash = '\0';
	return dir;
}

int copy_into(const char *src, const char *root, const char *rel)
{
	char *dst = xasprintf("%s/%s", root, rel), *dir = dir_of(dst);
	int ret = mkdir_p(dir) || copy_file(src, dst);

	free(dst);
	free(dir);
	return ret ? -1 : 0;
}

/* Names the file and hunk that failed, from patch(1)'s output. */
static void report_patch_failure(const char *patch, const char *log)
{
	char *text = read_file(log, NULL), *line, *next;
	char *file = NULL;

	for (line = text; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (str_starts(line, "patching file ")) {
			free(file);
			file = xstrdup(line + 14);
		} else if (strstr(line, "FAILED at") && str_starts(line, "Hunk")) {
			kl_err("%s does not apply: %s: %s", patch,
			       file ? file : "?", line);
			goto out;
		} else if (strstr(line, "Reversed (or previously applied)")) {
			kl_err("%s does not apply: %s: already applied to the target's source",
			       patch, file ? file : "?");
			goto out;
		} else if (strstr(line, "can't find file to patch") ||
			   strstr(line, "No such file")) {
			kl_err("%s does not apply: a file it changes is not in the target's source",
			       patch);
			goto out;
		}
	}
	kl_err("%s does not apply (see %s)", patch, log);
out:
	free(file);
	free(text);
}

static int apply_patches(const struct patch_set *set, const char *dir,
			 const char *workdir)
{
	char *log = xasprintf("%s/patch.log", workdir);
	size_t i;
	int ret = 0;

	for (i = 0; i < set->nr_patches && !ret; i++) {
		unlink(log);
		if (run_shell(log, "patch -p1 --batch --forward --no-backup-if-mismatch --reject-file=- -d '%s' -i '%s'",
			      dir, set->patches[i])) {
			report_patch_failure(set->patches[i], log);
			ret = -1;
		}
	}
	free(log);
	return ret;
}

static int compile(const char *srcdir, const char *objdir,
		   struct build_result *res, const char *log, const char *when)
{
	char *targets = xstrdup(""), *tmp, *inc, *flags;
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	size_t i;
	int ret;

	for (i = 0; i < res->nr_objs; i++) {
		if (!strcmp(when, "before") && res->objs[i].pre)
			continue;	/* cached */
		tmp = xasprintf("%s '%s'", targets, res->objs[i].object);
		free(targets);
		targets = tmp;
	}
	if (!*targets) {
		kl_info("compiled before the patch: reusing the target's objects");
		free(targets);
		return 0;
	}
	kl_info("compiling %s the patch:%s", when, targets);
	inc = author_include_dir();
	if (inc && strchr(inc, '\'')) {
		kl_err("the header directory '%s' has a quote in its name", inc);
		free(inc);
		free(targets);
		return -1;
	}
	flags = inc ? xasprintf("%s -I%s", SECTION_FLAGS, inc) :
		      xstrdup(SECTION_FLAGS);
	kl_debug("patch-author headers: %s", inc ? inc : "none found");
	ret = run_shell(log, "make -C '%s' O='%s' -j%ld KCFLAGS='%s' %s",
			srcdir, objdir, jobs > 0 ? jobs : 1, flags, targets);
	free(inc);
	free(flags);
	free(targets);
	if (ret && kl_interrupted)
		return -1;
	if (ret) {
		kl_err("compiling %s the patch failed; the last lines of %s:",
		       when, log);
		run_shell(NULL, "grep -E 'error|Error' '%s' | tail -n 12 >&2",
			  log);
		return -1;
	}
	return 0;
}

/* "vmlinux", or the module the object is linked into. */
static char *object_owner(const char *objdir, const char *object)
{
	char *cmd = kbuild_cmd_file(object);
	char *cmd_path = xasprintf("%s/%s", objdir, cmd);
	char *text = read_file(cmd_path, NULL), *p, *owner = NULL;

	if (text && strstr(text, " -DMODULE ")) {
		p = strstr(text, "-DKBUILD_MODNAME='\"");
		if (p) {
			p += strlen("-DKBUILD_MODNAME='\"");
			owner = xstrndup(p, strcspn(p, "\"'"));
		} else {
			owner = xstrdup("?");
		}
	} else if (text) {
		owner = xstrdup("vmlinux");
	}
	free(text);
	free(cmd_path);
	free(cmd);
	return owner;
}

/*
 * Objects compiled before the patch depend only on the target and the file,
 * so the target keeps them: the next patch to the same file skips a compile.
 */
static char *pre_cache_path(const struct target *t, const char *object,
			    const char *suffix)
{
	return xasprintf("%s/pre-objects/%s%s", t->dir, object, suffix);
}

static void take_cached_pre(const struct target *t, struct build_result *res)
{
	size_t i;

	for (i = 0; i < res->nr_objs; i++) {
		struct built_object *o = &res->objs[i];
		char *obj = pre_cache_path(t, o->object, "");
		char *owner = pre_cache_path(t, o->object, ".owner");
		char *rel = xasprintf("pre/%s", o->object);
		char *cmd = kbuild_cmd_file(o->object);
		char *cached_cmd = pre_cache_path(t, cmd, "");
		char *cmd_rel = xasprintf("pre/%s", cmd);
		char *text = NULL;

		/* The command file holds the exports' CRCs the diff compares. */
		if (path_exists(obj) && path_exists(owner) &&
		    path_exists(cached_cmd) &&
		    (text = read_file(owner, NULL)) && *text &&
		    !copy_into(obj, res->workdir, rel) &&
		    !copy_into(cached_cmd, res->workdir, cmd_rel)) {
			o->objname = text;
			o->pre = xasprintf("%s/%s", res->workdir, rel);
		} else {
			free(text);
		}
		free(cmd_rel);
		free(cached_cmd);
		free(cmd);
		free(obj);
		free(owner);
		free(rel);
	}
}

static void keep_pre(const struct target *t, const struct built_object *o)
{
	char *rel = xasprintf("pre-objects/%s", o->object);
	char *owner = pre_cache_path(t, o->object, ".owner");
	char *cmd = kbuild_cmd_file(o->object);
	char *cmd_rel = xasprintf("pre-objects/%s", cmd);
	char *pre_cmd = kbuild_cmd_file(o->pre);

	/* The owner file is written last: it marks the entry complete. */
	if (!copy_into(o->pre, t->dir, rel) &&
	    !copy_into(pre_cmd, t->dir, cmd_rel))
		write_file_atomic(owner, o->objname, strlen(o->objname));
	free(pre_cmd);
	free(cmd_rel);
	free(cmd);
	free(rel);
	free(owner);
}

static int save_objects(struct build_result *res, const char *objdir,
			const char *which)
{
	size_t i;

	for (i = 0; i < res->nr_objs; i++) {
		struct built_object *o = &res->objs[i];

		if (!strcmp(which, "pre") && o->pre)
			continue;	/* cached */
		char *src = xasprintf("%s/%s", objdir, o->object);
		char *rel = xasprintf("%s/%s", which, o->object);
		char *dst = xasprintf("%s/%s", res->workdir, rel);
		char *cmd = kbuild_cmd_file(o->object);
		char *cmd_src = xasprintf("%s/%s", objdir, cmd);
		char *cmd_rel = xasprintf("%s/%s", which, cmd);
		/* Beside the object, its command file: the exports' CRCs. */
		int ret = copy_into(src, res->workdir, rel) ||
			  copy_into(cmd_src, res->workdir, cmd_rel);

		free(cmd_rel);
		free(cmd_src);
		free(cmd);
		free(rel);
		if (!strcmp(which, "pre"))
			o->pre = dst;
		else
			o->post = dst;
		unlink(src);
		free(src);
		if (ret)
			return -1;
	}
	return 0;
}

int build_objects(const struct target *t, const struct patch_set *set,
		  struct build_result *res)
{
	char *objdir, *patched, *log;
	size_t i;
	int ret = -1;

	memset(res, 0, sizeof(*res));
	res->scratch_lock = -1;
	res->workdir = make_temp_dir("klive-build");
	if (!res->workdir)
		return -1;
	patched = xasprintf("%s/patched", res->workdir);
	log = xasprintf("%s/build.log", res->workdir);

	for (i = 0; i < set->nr_files; i++) {
		char *src = xasprintf("%s/%s", t->srcdir, set->files[i].path);

		if (!path_exists(src)) {
			kl_err("%s is not in the target's kernel source",
			       set->files[i].path);
			free(src);
			goto out;
		}
		ret = copy_into(src, patched, set->files[i].path);
		free(src);
		if (ret)
			goto out;
		ret = -1;
	}
	if (apply_patches(set, patched, res->workdir))
		goto out;

	res->objs = xzalloc(set->nr_files * sizeof(*res->objs));
	for (i = 0; i < set->nr_files; i++) {
		char *unit = translation_unit(t->srcdir, set->files[i].path);
		char *object = object_of(unit);
		struct built_object *o;

		if (has_object(res, object)) {
			free(unit);
			free(object);
			continue;
		}
		o = &res->objs[res->nr_objs++];
		o->source = xstrdup(set->files[i].path);
		o->unit = unit;
		o->object = object;
	}
	if (scratch_open(t, res))
		goto out;
	objdir = res->objdir;
	take_cached_pre(t, res);
	if (compile(t->srcdir, objdir, res, log, "before"))
		goto out;
	for (i = 0; i < res->nr_objs; i++) {
		struct built_object *o = &res->objs[i];

		if (!o->objname)
			o->objname = object_owner(objdir, o->object);
		if (!o->objname) {
			kl_err("kbuild did not record how it compiled %s",
			       o->object);
			goto out;
		}
		if (!strcmp(o->objname, "?")) {
			kl_err("%s is built into a module whose name kbuild did not record",
			       o->source);
			goto out;
		}
	}
	for (i = 0; i < res->nr_objs; i++)
		if (!res->objs[i].pre)
			res->objs[i].fresh = true;
	if (save_objects(res, objdir, "pre"))
		goto out;
	for (i = 0; i < res->nr_objs; i++)
		if (res->objs[i].fresh)
			keep_pre(t, &res->objs[i]);
	for (i = 0; i < set->nr_files; i++) {
		char *src = xasprintf("%s/%s", patched, set->files[i].path);

		ret = scratch_place(res, src, set->files[i].path);
		free(src);
		if (ret)
			goto out;
		ret = -1;
	}
	/*
	 * A unit that #includes a patched file is placed beside it, so that
	 * its #include "file.c" finds the patched copy first.
	 */
	for (i = 0; i < res->nr_objs; i++) {
		const char *unit = res->objs[i].unit;
		char *src;

		if (is_patched(set, unit))
			continue;
		src = xasprintf("%s/%s", t->srcdir, unit);
		ret = scratch_place(res, src, unit);
		free(src);
		if (ret)
			goto out;
		ret = -1;
	}
	if (compile(t->srcdir, objdir, res, log, "after") ||
	    save_objects(res, objdir, "post"))
		goto out;
	ret = 0;
out:
	free(patched);
	free(log);
	return ret;
}

void build_cleanup(struct build_result *res, bool keep)
{
	size_t i;

	scratch_close(res);
	if (res->workdir && !keep)
		remove_tree(res->workdir);
	else if (res->workdir)
		kl_info("kept the work directory %s", res->workdir);
	for (i = 0; i < res->nr_objs; i++) {
		free(res->objs[i].source);
		free(res->objs[i].unit);
		free(res->objs[i].object);
		free(res->objs[i].pre);
		free(res->objs[i].post);
		free(res->objs[i].objname);
	}
	free(res->objs);
	free(res->workdir);
	memset(res, 0, sizeof(*res));
}
