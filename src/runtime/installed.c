/*
 * installed.c - keeps the installed patches of each kernel release and the
 * order they are applied in at boot.
 */
#define _GNU_SOURCE
#include "installed.h"
#include "livepatch.h"
#include "../util/util.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *kl_state_dir(void)
{
	const char *env = getenv("KLIVE_STATE_DIR");

	return env && *env ? env : "/var/lib/klive";
}

char *kl_installed_path(const char *release, const char *name)
{
	return xasprintf("%s/%s/%s.ko", kl_state_dir(), release, name);
}

static char *order_path(const char *release)
{
	return xasprintf("%s/%s/order", kl_state_dir(), release);
}

/* Every name in the order file, installed or not. */
static size_t read_order(const char *release, char ***names)
{
	char *path = order_path(release), *line = NULL;
	size_t cap = 0, nr = 0;
	FILE *f;

	*names = NULL;
	f = fopen(path, "re");
	free(path);
	if (!f)
		return 0;
	while (getline(&line, &cap, f) > 0) {
		line[strcspn(line, "\n")] = '\0';
		if (!*line)
			continue;
		*names = xrealloc(*names, (nr + 1) * sizeof(**names));
		(*names)[nr++] = xstrdup(line);
	}
	free(line);
	fclose(f);
	return nr;
}

static int write_order(const char *release, char **names, size_t nr)
{
	char *path = order_path(release), *text = xstrdup(""), *t;
	size_t i;
	int ret;

	for (i = 0; i < nr; i++) {
		t = xasprintf("%s%s\n", text, names[i]);
		free(text);
		text = t;
	}
	ret = write_file_atomic(path, text, strlen(text));
	free(text);
	free(path);
	return ret;
}

size_t kl_installed_list(const char *release, char ***names)
{
	char **all, *ko;
	size_t nr, i, n = 0;

	nr = read_order(release, &all);
	*names = NULL;
	for (i = 0; i < nr; i++) {
		ko = kl_installed_path(release, all[i]);
		if (path_exists(ko)) {
			*names = xrealloc(*names, (n + 1) * sizeof(**names));
			(*names)[n++] = xstrdup(all[i]);
		}
		free(ko);
	}
	kl_lp_free_names(all, nr);
	return n;
}

/* Drops name from names (in place); returns the new count. */
static size_t drop_name(char **names, size_t nr, const char *name)
{
	size_t i, j = 0;

	for (i = 0; i < nr; i++) {
		if (!strcmp(names[i], name))
			free(names[i]);
		else
			names[j++] = names[i];
	}
	return j;
}

int kl_installed_add(const char *release, const char *name, const char *file)
{
	char *dir = xasprintf("%s/%s", kl_state_dir(), release);
	char *ko = kl_installed_path(release, name), *tmp, **names;
	size_t nr;
	int ret = -1;

	tmp = xasprintf("%s.tmp", ko);
	if (mkdir_p(dir) || copy_file(file, tmp))
		goto out;
	if (rename(tmp, ko)) {
		kl_err("cannot write %s: %s", ko, strerror(errno));
		goto out;
	}
	nr = read_order(release, &names);
	nr = drop_name(names, nr, name);
	names = xrealloc(names, (nr + 1) * sizeof(*names));
	names[nr++] = xstrdup(name);
	ret = write_order(release, names, nr);
	kl_lp_free_names(names, nr);
out:
	unlink(tmp);
	free(tmp);
	free(ko);
	free(dir);
	return ret;
}

int kl_installed_remove(const char *release, const char *name)
{
	char *dir = xasprintf("%s/%s", kl_state_dir(), release);
	char *ko = kl_installed_path(release, name), **names, *op;
	size_t nr, left;
	int ret = 0;

	nr = read_order(release, &names);
	left = drop_name(names, nr, name);
	if (!path_exists(ko) && left == nr) {
		kl_err("no patch named %s is installed for kernel %s", name,
		       release);
		ret = -1;
	} else if (unlink(ko) && errno != ENOENT) {
		kl_err("cannot remove %s: %s", ko, strerror(errno));
		ret = -1;
	} else if (left) {
		ret = write_order(release, names, left);
	} else {
		/* The last one: the release's directory goes too. */
		op = order_path(release);
		unlink(op);
		free(op);
		rmdir(dir);
	}
	kl_lp_free_names(names, left);
	free(ko);
	free(dir);
	return ret;
}

int kl_installed_any(void)
{
	struct dirent *de;
	char **names;
	size_t nr;
	DIR *d;
	int found = 0;

	d = opendir(kl_state_dir());
	if (!d)
		return 0;
	while (!found && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		nr = kl_installed_list(de->d_name, &names);
		found = nr > 0;
		kl_lp_free_names(names, nr);
	}
	closedir(d);
	return found;
}
