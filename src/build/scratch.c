/*
 * scratch.c - the target's scratch build directory: a private copy of the
 * prepared build directory, kept between builds at a fixed path so kbuild
 * finds its tools (objtool, modpost, fixdep) up to date and compiles only
 * the touched objects.  One build uses it at a time (a lock); the patched
 * sources a build places in it are listed in a manifest and removed
 * afterwards, also after an interrupted build.
 */
#include "build.h"
#include "../util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#define MANIFEST ".klive-placed"

static char *manifest_path(const char *dir)
{
	return xasprintf("%s/%s", dir, MANIFEST);
}

/* Removes the sources (and their objects) a previous build placed. */
static int clear_placed(const char *dir)
{
	char *path = manifest_path(dir), *text, *line, *next;
	int ret = 0;

	if (!path_exists(path)) {
		free(path);
		return 0;
	}
	text = read_file(path, NULL);
	for (line = text; line && *line; line = next) {
		char *file, *obj;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!*line || strstr(line, ".."))
			continue;
		file = xasprintf("%s/%s", dir, line);
		obj = xstrdup(file);
		if (str_ends(obj, ".c"))
			obj[strlen(obj) - 1] = 'o';
		if ((unlink(file) < 0 && errno != ENOENT) ||
		    (unlink(obj) < 0 && errno != ENOENT))
			ret = -1;
		free(file);
		free(obj);
	}
	free(text);
	if (!ret && unlink(path) < 0)
		ret = -1;
	if (ret)
		kl_err("cannot clean the scratch directory %s", dir);
	free(path);
	return ret;
}

int scratch_open(const struct target *t, struct build_result *res)
{
	char *dir = xasprintf("%s/scratch", t->dir);
	char *lock = xasprintf("%s/scratch.lock", t->dir);
	int fd;

	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	free(lock);
	if (fd < 0) {
		kl_err("cannot lock the scratch directory of target %s: %s",
		       t->name, strerror(errno));
		free(dir);
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		kl_info("waiting for another build of target %s", t->name);
		if (flock(fd, LOCK_EX) < 0) {
			kl_err("cannot lock the scratch directory of target %s: %s",
			       t->name, strerror(errno));
			close(fd);
			free(dir);
			return -1;
		}
	}
	res->scratch_lock = fd;
	res->objdir = dir;
	if (!is_dir(dir)) {
		char *tmp = xasprintf("%s.tmp", dir);

		kl_info("making the scratch build directory of target %s (once)",
			t->name);
		if (remove_tree(tmp) ||
		    run_shell(NULL, "cp -a '%s' '%s' && mv '%s' '%s'",
			      t->builddir, tmp, tmp, dir)) {
			kl_err("cannot copy %s", t->builddir);
			remove_tree(tmp);
			free(tmp);
			return -1;
		}
		free(tmp);
	}
	return clear_placed(dir);
}

/* Places a patched source where kbuild's VPATH search finds it first. */
int scratch_place(struct build_result *res, const char *src, const char *rel)
{
	char *path = manifest_path(res->objdir), *line;
	int fd, ret;

	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	free(path);
	if (fd < 0) {
		kl_err("cannot write the scratch manifest: %s", strerror(errno));
		return -1;
	}
	line = xasprintf("%s\n", rel);
	ret = write(fd, line, strlen(line)) == (ssize_t)strlen(line) ? 0 : -1;
	free(line);
	close(fd);
	if (ret) {
		kl_err("cannot write the scratch manifest");
		return -1;
	}
	return copy_into(src, res->objdir, rel);
}

void scratch_close(struct build_result *res)
{
	if (res->objdir)
		clear_placed(res->objdir);
	if (res->scratch_lock > 0)
		close(res->scratch_lock);
	res->scratch_lock = -1;
	free(res->objdir);
	res->objdir = NULL;
}
