/*
 * unit.c - finds the translation unit a patched C file is compiled in.
 * Most files are their own (kernel/sys.c makes kernel/sys.o), but some are
 * only #included by another file of their directory, which kbuild compiles
 * instead (kernel/sched/build_utility.c includes debug.c, clock.c...).
 */
#include "build.h"
#include "../util/util.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

static bool is_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' ||
	       c == '/';
}

/* Whether text names word as a whole (obj-y += sys.o, foo-objs := sys.o). */
static bool names_word(const char *text, const char *word)
{
	size_t len = strlen(word);
	const char *p = text;

	while ((p = strstr(p, word))) {
		bool starts = p == text || !is_word_char(p[-1]) || p[-1] == '/';

		if (starts && !is_word_char(p[len]))
			return true;
		p += len;
	}
	return false;
}

/* Whether the directory's Makefile or Kbuild names base.o. */
static bool kbuild_names(const char *dir, const char *object_base)
{
	static const char *const files[] = { "Makefile", "Kbuild" };
	bool found = false;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(files) && !found; i++) {
		char *path = xasprintf("%s/%s", dir, files[i]);
		char *text = path_exists(path) ? read_file(path, NULL) : NULL;

		found = text && names_word(text, object_base);
		free(text);
		free(path);
	}
	return found;
}

/* Whether text has a line '#include "base"' (spaces allowed: # include). */
static bool includes(const char *text, const char *base)
{
	char *quoted = xasprintf("\"%s\"", base);
	const char *p = text, *q;
	bool found = false;

	while (!found && (p = strstr(p, quoted))) {
		q = p;
		while (q > text && (q[-1] == ' ' || q[-1] == '\t'))
			q--;
		if (q - text >= 7 && !strncmp(q - 7, "include", 7)) {
			q -= 7;
			while (q > text && (q[-1] == ' ' || q[-1] == '\t'))
				q--;
			found = q > text && q[-1] == '#';
		}
		p += strlen(quoted);
	}
	free(quoted);
	return found;
}

/* A .c file of dir that #includes base. */
static char *includer_of(const char *dir, const char *base)
{
	char *found = NULL;
	struct dirent *e;
	DIR *d = opendir(dir);

	while (d && !found && (e = readdir(d))) {
		char *path, *text;

		if (!str_ends(e->d_name, ".c") || !strcmp(e->d_name, base))
			continue;
		path = xasprintf("%s/%s", dir, e->d_name);
		text = read_file(path, NULL);
		if (text && includes(text, base))
			found = xstrdup(e->d_name);
		free(text);
		free(path);
	}
	if (d)
		closedir(d);
	return found;
}

char *translation_unit(const char *srcdir, const char *source)
{
	const char *slash = strrchr(source, '/');
	const char *base = slash ? slash + 1 : source;
	char *dir = slash ? xasprintf("%s/%.*s", srcdir, (int)(slash - source),
				      source) : xstrdup(srcdir);
	char *object_base = xstrdup(base), *includer, *unit;

	object_base[strlen(object_base) - 1] = 'o';
	if (kbuild_names(dir, object_base) ||
	    !(includer = includer_of(dir, base))) {
		unit = xstrdup(source);
	} else {
		unit = slash ? xasprintf("%.*s/%s", (int)(slash - source),
					 source, includer) : includer;
		if (slash)
			free(includer);
		kl_info("%s is compiled as part of %s", source, unit);
	}
	free(object_base);
	free(dir);
	return unit;
}
