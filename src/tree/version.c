/* version.c - reads kernel versions out of configs, banners and dpkg. */
#include "version.h"
#include "../util/util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *token(const char *p)
{
	size_t n = 0;

	while (p[n] && !isspace((unsigned char)p[n]) && p[n] != ')')
		n++;
	return n ? xstrndup(p, n) : NULL;
}

char *config_kernel_version(const char *config)
{
	char *text = read_file(config, NULL), *p, *v = NULL;

	if (!text)
		return NULL;
	p = strstr(text, "\n# Linux/");
	if (p) {
		p = strchr(p + 3, ' ');
		if (p)
			v = token(p + 1);
	}
	free(text);
	return v;
}

char *banner_package_version(const char *banner)
{
	const char *p = strstr(banner, " Debian ");

	return p ? token(p + strlen(" Debian ")) : NULL;
}

char *banner_release(const char *banner)
{
	const char *p = strstr(banner, "Linux version ");

	return p ? token(p + strlen("Linux version ")) : NULL;
}

char *upstream_of(const char *package_version)
{
	const char *start = strchr(package_version, ':');

	start = start ? start + 1 : package_version;
	return xstrndup(start, strcspn(start, "-+~"));
}

/* First line printed by a shell command, or NULL. */
static char *first_line(const char *cmd)
{
	char *path = xasprintf("/tmp/.klive-query.%d", (int)getpid());
	char *out = NULL;
	size_t len;

	if (!run_shell(NULL, "%s > '%s' 2>/dev/null", cmd, path)) {
		out = read_file(path, &len);
		if (out) {
			out[strcspn(out, "\n")] = '\0';
			if (!*out) {
				free(out);
				out = NULL;
			}
		}
	}
	unlink(path);
	free(path);
	return out;
}

char *source_package_version(const char *tarball)
{
	char *cmd, *pkg, *ver = NULL;

	if (strchr(tarball, '\''))
		return NULL;
	cmd = xasprintf("dpkg-query -S '%s' | cut -d: -f1", tarball);
	pkg = first_line(cmd);
	free(cmd);
	if (!pkg || strchr(pkg, '\'') || strchr(pkg, ','))
		goto out;
	cmd = xasprintf("dpkg-query -W -f='${Version}' '%s'", pkg);
	ver = first_line(cmd);
	free(cmd);
out:
	free(pkg);
	return ver;
}

static long makefile_number(const char *text, const char *key)
{
	const char *p = text;
	size_t klen = strlen(key);

	while ((p = strstr(p, key))) {
		if ((p == text || p[-1] == '\n') && !strncmp(p, key, klen)) {
			const char *q = p + klen;

			while (*q == ' ' || *q == '\t')
				q++;
			if (*q == '=')
				return strtol(q + 1, NULL, 10);
		}
		p += klen;
	}
	return -1;
}

char *source_kernel_version(const char *srcdir)
{
	char *path = xasprintf("%s/Makefile", srcdir);
	char *text = read_file(path, NULL), *v = NULL;
	long a, b, c;

	free(path);
	if (!text)
		return NULL;
	a = makefile_number(text, "VERSION");
	b = makefile_number(text, "PATCHLEVEL");
	c = makefile_number(text, "SUBLEVEL");
	if (a >= 0 && b >= 0 && c >= 0)
		v = c ? xasprintf("%ld.%ld.%ld", a, b, c) :
			xasprintf("%ld.%ld", a, b);
	free(text);
	return v;
}
