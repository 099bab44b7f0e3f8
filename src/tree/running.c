/*
 * running.c - `prepare --running`: finds, on a Debian machine, the parts a
 * target of the running kernel is made of: the linux-source package of the
 * kernel's version, /boot/config-RELEASE, the Module.symvers of
 * linux-headers-RELEASE and /proc/kallsyms (Debian's System.map is a stub).
 * What is missing is named with the apt-get line that installs it.
 * $KLIVE_SYSROOT, when set, is prefixed to every path (for tests).
 */
#include "target.h"
#include "version.h"
#include "../util/util.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *at_root(const char *fmt, const char *arg)
{
	const char *root = getenv("KLIVE_SYSROOT");
	char *rel = xasprintf(fmt, arg), *p;

	p = xasprintf("%s%s", root ? root : "", rel);
	free(rel);
	return p;
}

static char *read_trimmed(const char *path)
{
	size_t len;
	char *s = read_file(path, &len);

	while (s && len && (s[len - 1] == '\n' || s[len - 1] == ' '))
		s[--len] = '\0';
	return s;
}

/* Copies the vmlinux lines of /proc/kallsyms; refuses hidden addresses. */
static int snapshot_kallsyms(const char *from, const char *to)
{
	char *text = read_file(from, NULL), *line, *next, *out;
	size_t n = 0, nonzero = 0;
	int ret;

	if (!text)
		return -1;
	out = xmalloc(strlen(text) + 1);
	for (line = text; *line; line = next) {
		size_t len;

		next = strchr(line, '\n');
		next = next ? next + 1 : line + strlen(line);
		len = next - line;
		if (memchr(line, '[', len))
			continue;	/* a module's symbol */
		if (strspn(line, "0") < 16)
			nonzero++;
		memcpy(out + n, line, len);
		n += len;
	}
	free(text);
	if (!nonzero) {
		kl_err("the addresses in %s are hidden (run klive as root; see kernel.kptr_restrict)",
		       from);
		free(out);
		return -1;
	}
	ret = write_file(to, out, n);
	free(out);
	return ret;
}

/* Adds "PREFIXSUFFIX=VERSION" to the list of packages to install. */
static void want(char **list, const char *prefix, const char *suffix,
		 const char *version)
{
	char *t = xasprintf("%s%s%s%s=%s", *list ? *list : "",
			    *list ? " " : "", prefix, suffix, version);

	free(*list);
	*list = t;
}

int running_options(struct prepare_options *opt, char **workdir)
{
	char *vpath = at_root("/proc/version", NULL);
	char *rpath = at_root("/proc/sys/kernel/osrelease", NULL);
	char *banner = read_trimmed(vpath), *release = read_trimmed(rpath);
	char *pkg = NULL, *series = NULL, *path, *missing = NULL, *up;
	int ret = -1;

	*workdir = NULL;
	if (!banner || !release)
		goto out;
	pkg = banner_package_version(banner);
	if (!pkg) {
		kl_err("the running kernel %s is not a Debian kernel (%s names no Debian version): give --source, --config, --symvers and --kallsyms",
		       release, vpath);
		goto out;
	}
	up = upstream_of(pkg);
	series = xstrndup(up, strcspn(up, ".") + 1 +
			  strcspn(up + strcspn(up, ".") + 1, "."));
	free(up);
	kl_info("running kernel: %s (Debian %s)", release, pkg);

	path = at_root("/boot/config-%s", release);
	if (!path_exists(path)) {
		kl_err("missing: %s (from linux-image-%s)", path, release);
		want(&missing, "linux-image-", release, pkg);
	}
	opt->config = path;
	path = at_root("/usr/src/linux-headers-%s/Module.symvers", release);
	if (!path_exists(path)) {
		kl_err("missing: %s (from linux-headers-%s)", path, release);
		want(&missing, "linux-headers-", release, pkg);
	}
	opt->symvers = path;
	path = at_root("/usr/src/linux-source-%s.tar.xz", series);
	if (!path_exists(path)) {
		kl_err("missing: %s (from linux-source-%s)", path, series);
		want(&missing, "linux-source-", series, pkg);
	}
	opt->source = path;
	path = at_root("/lib/modules/%s", release);
	if (!opt->modules && is_dir(path))
		opt->modules = path;
	else
		free(path);
	path = at_root("/boot/vmlinuz-%s", release);
	if (!opt->image && access(path, R_OK) == 0)
		opt->image = path;
	else
		free(path);
	if (missing) {
		kl_err("install what is missing with: apt-get install %s", missing);
		goto out;
	}

	*workdir = make_temp_dir("klive-running");
	if (!*workdir)
		goto out;
	path = xasprintf("%s/kallsyms", *workdir);
	opt->kallsyms = path;
	free(rpath);
	rpath = at_root("/proc/kallsyms", NULL);
	if (snapshot_kallsyms(rpath, path))
		goto out;
	path = xasprintf("%s/version", *workdir);
	opt->proc_version = path;
	if (copy_file(vpath, path))
		goto out;
	if (!opt->name)
		opt->name = xstrdup(release);
	ret = 0;
out:
	free(vpath);
	free(rpath);
	free(banner);
	free(release);
	free(pkg);
	free(series);
	free(missing);
	return ret;
}
