/* target.c - finds a prepared target in the cache and reads its description. */
#include "target.h"
#include "../util/util.h"

#include <stdlib.h>
#include <string.h>

char *target_dir(const char *name)
{
	return xasprintf("%s/targets/%s", cache_dir(), name);
}

static char *conf_value(const char *conf, const char *key)
{
	size_t klen = strlen(key);
	const char *line = conf;

	while (line && *line) {
		const char *end = strchr(line, '\n');

		if (!strncmp(line, key, klen) && line[klen] == '=') {
			size_t vlen = end ? (size_t)(end - line) - klen - 1 :
					    strlen(line + klen + 1);
			char *v = xmalloc(vlen + 1);

			memcpy(v, line + klen + 1, vlen);
			v[vlen] = '\0';
			return v;
		}
		line = end ? end + 1 : NULL;
	}
	return NULL;
}

int target_load(const char *name, struct target *t)
{
	char *conf_path, *conf;

	memset(t, 0, sizeof(*t));
	if (!*name || strchr(name, '/') || name[0] == '.') {
		kl_err("invalid target name '%s'", name);
		return -1;
	}
	t->name = xstrdup(name);
	t->dir = target_dir(name);
	conf_path = xasprintf("%s/target.conf", t->dir);
	if (!path_exists(conf_path)) {
		kl_err("no prepared target '%s' (run 'klive prepare --name %s ...' first)",
		       name, name);
		free(conf_path);
		return -1;
	}
	conf = read_file(conf_path, NULL);
	free(conf_path);
	if (!conf)
		return -1;
	t->srcdir = conf_value(conf, "source");
	t->release = conf_value(conf, "release");
	t->key = conf_value(conf, "key");
	t->kernel = conf_value(conf, "kernel");
	t->kernel_release = conf_value(conf, "kernel_release");
	t->modules = conf_value(conf, "modules");
	t->image = conf_value(conf, "image");
	free(conf);
	if (!t->srcdir || !t->release || !t->key) {
		kl_err("target '%s' is damaged (prepare it again)", name);
		return -1;
	}
	t->builddir = xasprintf("%s/build", t->dir);
	t->kallsyms = xasprintf("%s/kallsyms", t->dir);
	t->symvers = xasprintf("%s/Module.symvers", t->builddir);
	if (!is_dir(t->srcdir) || !is_dir(t->builddir)) {
		kl_err("target '%s' is damaged: %s or %s is missing (prepare it again)",
		       name, t->srcdir, t->builddir);
		return -1;
	}
	return 0;
}

void target_free(struct target *t)
{
	free(t->name);
	free(t->dir);
	free(t->srcdir);
	free(t->builddir);
	free(t->release);
	free(t->kallsyms);
	free(t->symvers);
	free(t->key);
	free(t->kernel);
	free(t->kernel_release);
	free(t->modules);
	free(t->image);
	memset(t, 0, sizeof(*t));
}
