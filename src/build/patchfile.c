/* patchfile.c - reads unified diffs and lists the source files they touch. */
#include "build.h"
#include "../util/util.h"

#include <stdlib.h>
#include <string.h>

/* "+++ b/kernel/sys.c\t2024-..." -> "kernel/sys.c" */
static char *diff_path(const char *line)
{
	const char *p = line + 4, *slash;
	size_t len = strcspn(p, "\t\n");
	char *path;

	if (len == 9 && !strncmp(p, "/dev/null", 9))
		return xstrdup("/dev/null");
	slash = memchr(p, '/', len);
	if (!slash)
		return NULL;
	len -= slash + 1 - p;
	path = xmalloc(len + 1);
	memcpy(path, slash + 1, len);
	path[len] = '\0';
	while (len && path[len - 1] == ' ')
		path[--len] = '\0';
	return path;
}

static int check_path(const char *patch, const char *path)
{
	if (strstr(path, "..") || path[0] == '/') {
		kl_err("%s: refusing the unsafe path '%s'", patch, path);
		return -1;
	}
	if (str_ends(path, ".c"))
		return 0;
	if (str_ends(path, ".S") || str_ends(path, ".s"))
		kl_err("%s: changes %s: assembly files cannot be live-patched",
		       patch, path);
	else if (str_ends(path, ".h"))
		kl_err("%s: changes %s: patches to header files are not supported",
		       patch, path);
	else
		kl_err("%s: changes %s: only C sources can be live-patched",
		       patch, path);
	return -1;
}

static void add_file(struct patch_set *set, const char *path)
{
	size_t i;

	for (i = 0; i < set->nr_files; i++)
		if (!strcmp(set->files[i].path, path))
			return;
	set->files = xrealloc(set->files,
			      (set->nr_files + 1) * sizeof(*set->files));
	set->files[set->nr_files++].path = xstrdup(path);
}

static int read_one(struct patch_set *set, const char *patch)
{
	char *text = read_file(patch, NULL), *line, *next;
	char *old = NULL;
	int found = 0, ret = 0;

	if (!text)
		return -1;
	for (line = text; line && *line && !ret; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (str_starts(line, "--- ")) {
			free(old);
			old = diff_path(line);
		} else if (str_starts(line, "+++ ") && old) {
			char *path = diff_path(line);

			if (!path) {
				kl_err("%s: cannot read the file name in '%s'",
				       patch, line);
				ret = -1;
			} else if (!strcmp(path, "/dev/null")) {
				kl_err("%s: deletes %s: removing files cannot be live-patched",
				       patch, old);
				ret = -1;
			} else if (!strcmp(old, "/dev/null")) {
				kl_err("%s: creates %s: new files are not supported",
				       patch, path);
				ret = -1;
			} else if (check_path(patch, path)) {
				ret = -1;
			} else {
				add_file(set, path);
				found++;
			}
			free(path);
			free(old);
			old = NULL;
		}
	}
	free(old);
	free(text);
	if (!ret && !found) {
		kl_err("%s: not a unified diff (no files in it)", patch);
		return -1;
	}
	return ret;
}

int patch_set_read(struct patch_set *set, char **paths, size_t nr)
{
	size_t i;

	memset(set, 0, sizeof(*set));
	for (i = 0; i < nr; i++) {
		char *abs = abs_path(paths[i]);

		if (!abs)
			return -1;
		set->patches = xrealloc(set->patches,
					(set->nr_patches + 1) * sizeof(char *));
		set->patches[set->nr_patches++] = abs;
		if (read_one(set, abs))
			return -1;
	}
	return 0;
}
