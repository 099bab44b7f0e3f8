/*
 * prepare.c - makes a target ready to compile single objects: unpacks the
 * source once, configures an out-of-tree build directory with the target's
 * config (olddefconfig + modules_prepare), and keeps the symbol list and
 * Module.symvers beside it.  Inputs of different kernel versions are
 * refused.  Rerunning with the same inputs does nothing.
 */
#include "target.h"
#include "version.h"
#include "../util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Shared with tools/testkernel: one unpacked tree per tarball. */
static char *source_key(const char *tarball)
{
	const char *base = strrchr(tarball, '/');
	struct stat st;
	char *name, *dot;

	base = base ? base + 1 : tarball;
	name = xstrdup(base);
	dot = strstr(name, ".tar");
	if (dot)
		*dot = '\0';
	if (stat(tarball, &st) < 0) {
		free(name);
		return NULL;
	}
	dot = xasprintf("%s-%lld-%lld", name, (long long)st.st_size,
			(long long)st.st_mtime);
	free(name);
	return dot;
}

static char *unpack_source(const char *tarball)
{
	char *key = source_key(tarball), *dir, *tmp, *stamp;
	double t0 = now();

	if (!key) {
		kl_err("cannot read kernel source '%s'", tarball);
		return NULL;
	}
	dir = xasprintf("%s/sources/%s", cache_dir(), key);
	stamp = xasprintf("%s/.klive-unpacked", dir);
	free(key);
	if (path_exists(stamp)) {
		free(stamp);
		return dir;
	}
	tmp = xasprintf("%s.tmp", dir);
	kl_info("unpacking %s (about 10 s)", tarball);
	if (remove_tree(tmp) || mkdir_p(tmp) ||
	    run_shell(NULL, "tar -xf '%s' -C '%s' --strip-components=1",
		      tarball, tmp) ||
	    run_shell(NULL, "touch '%s/.klive-unpacked' && rm -rf '%s' && mv '%s' '%s'",
		      tmp, dir, tmp, dir)) {
		kl_err("cannot unpack kernel source '%s'", tarball);
		remove_tree(tmp);
		free(tmp);
		free(stamp);
		free(dir);
		return NULL;
	}
	kl_info("unpacked in %.0f s", now() - t0);
	free(tmp);
	free(stamp);
	return dir;
}

static char *resolve_source(const char *source)
{
	char *dir, *probe;

	if (!path_exists(source)) {
		kl_err("kernel source '%s' not found", source);
		return NULL;
	}
	if (!is_dir(source))
		return unpack_source(source);
	dir = abs_path(source);
	if (!dir)
		return NULL;
	probe = xasprintf("%s/Makefile", dir);
	if (!path_exists(probe)) {
		kl_err("'%s' is not a kernel source tree (no Makefile)", dir);
		goto fail;
	}
	free(probe);
	probe = xasprintf("%s/.config", dir);
	if (path_exists(probe)) {
		kl_err("kernel source '%s' is not pristine (it has a .config); give a clean tree or the tarball",
		       dir);
		goto fail;
	}
	free(probe);
	return dir;
fail:
	free(probe);
	free(dir);
	return NULL;
}

/* Hash of everything that decides what the target is. */
static int inputs_key(const char *srcdir, const struct prepare_options *opt,
		      char key[65])
{
	char h[3][65] = { "-", "-", "-" };
	char *all;

	if (sha256_file(opt->config, h[0]))
		return -1;
	if (opt->symvers && sha256_file(opt->symvers, h[1]))
		return -1;
	if (opt->kallsyms && sha256_file(opt->kallsyms, h[2]))
		return -1;
	all = xasprintf("%s\n%s\n%s\n%s\n", srcdir, h[0], h[1], h[2]);
	if (opt->proc_version) {
		char hv[65], *t;

		if (sha256_file(opt->proc_version, hv)) {
			free(all);
			return -1;
		}
		t = xasprintf("%sversion %s\n", all, hv);
		free(all);
		all = t;
	}
	sha256_hex(all, strlen(all), key);
	free(all);
	return 0;
}

static char *make_output(const char *srcdir, const char *builddir,
			 const char *what)
{
	char *path = xasprintf("%s/.klive-%s.%d", builddir ? builddir : "/tmp",
			       what, (int)getpid());
	char *objdir = builddir ? xasprintf("O='%s'", builddir) : xstrdup("");
	char *out = NULL;
	size_t len;

	if (run_shell(NULL, "make -s -C '%s' %s %s > '%s' 2>/dev/null",
		      srcdir, objdir, what, path) == 0) {
		out = read_file(path, &len);
		while (out && len && (out[len - 1] == '\n' || out[len - 1] == ' '))
			out[--len] = '\0';
	}
	unlink(path);
	free(path);
	free(objdir);
	return out;
}

static bool up_to_date(const char *dir, const char *key)
{
	char *conf_path = xasprintf("%s/target.conf", dir);
	char *conf = path_exists(conf_path) ? read_file(conf_path, NULL) : NULL;
	char *want = xasprintf("key=%s\n", key);
	bool ok = conf && strstr(conf, want);

	free(conf_path);
	free(conf);
	free(want);
	return ok;
}

static int run_step(const char *log, int step, const char *what,
		    const char *cmdline)
{
	double t0 = now();

	kl_info("[%d/2] %s", step, what);
	if (run_shell(log, "%s", cmdline)) {
		kl_err("%s failed; the last lines of %s:", what, log);
		run_shell(NULL, "tail -n 15 '%s' >&2", log);
		return -1;
	}
	kl_info("[%d/2] done in %.0f s", step, now() - t0);
	return 0;
}

static void append_conf(char **conf, const char *key, const char *value)
{
	char *t = xasprintf("%s%s=%s\n", *conf, key, value);

	free(*conf);
	*conf = t;
}

/* The directory holding the given Module.symvers (a build directory?). */
static char *symvers_dir(const struct prepare_options *opt)
{
	char *dir, *slash;

	if (!opt->symvers)
		return NULL;
	dir = abs_path(opt->symvers);
	slash = dir ? strrchr(dir, '/') : NULL;
	if (!slash) {
		free(dir);
		return NULL;
	}
	*slash = '\0';
	return dir;
}

/*
 * Where the kernel's modules are (their symbol tables place the symbols of
 * a patched module): --modules, else the build directory that holds the
 * given Module.symvers, when modules were built there.
 */
static char *modules_dir(const struct prepare_options *opt)
{
	char *dir, *order;

	if (opt->modules)
		return abs_path(opt->modules);
	dir = symvers_dir(opt);
	if (!dir)
		return NULL;
	order = xasprintf("%s/modules.order", dir);
	if (!path_exists(order)) {
		free(dir);
		dir = NULL;
	}
	free(order);
	return dir;
}

/*
 * The kernel's image, whose code places symbols that names alone cannot:
 * --image, else the vmlinux beside the given Module.symvers.
 */
static char *image_path(const struct prepare_options *opt)
{
	char *dir, *vmlinux;

	if (opt->image)
		return abs_path(opt->image);
	dir = symvers_dir(opt);
	if (!dir)
		return NULL;
	vmlinux = xasprintf("%s/vmlinux", dir);
	free(dir);
	if (!path_exists(vmlinux)) {
		free(vmlinux);
		return NULL;
	}
	return vmlinux;
}

/* Records (or changes) one value of a prepared target's target.conf. */
static int set_conf_value(const char *dir, const char *key, const char *value)
{
	char *path = xasprintf("%s/target.conf", dir);
	char *conf = read_file(path, NULL), *line, *next, *out;
	size_t klen = strlen(key);
	int ret = -1;

	if (!conf)
		goto out;
	out = xstrdup("");
	for (line = conf; *line; line = next) {
		char *t;

		next = strchr(line, '\n');
		next = next ? next + 1 : line + strlen(line);
		if (!strncmp(line, key, klen) && line[klen] == '=')
			continue;
		t = xasprintf("%s%.*s", out, (int)(next - line), line);
		free(out);
		out = t;
	}
	append_conf(&out, key, value);
	ret = write_file_atomic(path, out, strlen(out));
	free(out);
out:
	free(conf);
	free(path);
	return ret;
}

/* What is recorded beside the inputs' key: changing it rebuilds nothing. */
static int record_extras(const char *dir, const char *modules,
			 const char *image)
{
	return (modules && set_conf_value(dir, "modules", modules)) ||
	       (image && set_conf_value(dir, "image", image)) ? -1 : 0;
}

static int configure(const char *srcdir, const char *dir,
		     const struct prepare_options *opt, const char *key,
		     const char *kernel, const char *kernel_release)
{
	char *build = xasprintf("%s/build", dir);
	char *log = xasprintf("%s/prepare.log", dir);
	char *dst, *cmd, *release = NULL, *conf = NULL;
	int ret = -1;
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);

	if (remove_tree(dir) || mkdir_p(build))
		goto out;
	dst = xasprintf("%s/.config", build);
	ret = copy_file(opt->config, dst);
	free(dst);
	if (!ret && opt->symvers) {
		dst = xasprintf("%s/Module.symvers", build);
		ret = copy_file(opt->symvers, dst);
		free(dst);
	}
	if (!ret && opt->kallsyms) {
		dst = xasprintf("%s/kallsyms", dir);
		ret = copy_file(opt->kallsyms, dst);
		free(dst);
	}
	if (ret)
		goto out;
	ret = -1;
	cmd = xasprintf("make -C '%s' O='%s' olddefconfig", srcdir, build);
	if (run_step(log, 1, "configuring (olddefconfig)", cmd)) {
		free(cmd);
		goto out;
	}
	free(cmd);
	cmd = xasprintf("make -C '%s' O='%s' -j%ld modules_prepare", srcdir,
			build, jobs > 0 ? jobs : 1);
	if (run_step(log, 2, "preparing to compile objects (modules_prepare, about 30 s)",
		     cmd)) {
		free(cmd);
		goto out;
	}
	free(cmd);
	release = make_output(srcdir, build, "kernelrelease");
	if (!release || !*release) {
		kl_err("cannot find the kernel release of the configured tree");
		goto out;
	}
	conf = xasprintf("source=%s\nrelease=%s\nkey=%s\n", srcdir, release,
			 key);
	if (kernel)
		append_conf(&conf, "kernel", kernel);
	if (kernel_release)
		append_conf(&conf, "kernel_release", kernel_release);
	dst = xasprintf("%s/target.conf", dir);
	ret = write_file(dst, conf, strlen(conf));
	free(dst);
out:
	free(release);
	free(conf);
	free(build);
	free(log);
	return ret;
}

static bool config_has(const char *text, const char *line)
{
	const char *p = strstr(text, line);

	return p && (p == text || p[-1] == '\n') &&
	       (p[strlen(line)] == '\n' || !p[strlen(line)]);
}

static int check_config(const char *config)
{
	char *text = read_file(config, NULL);
	int ret = 0;

	if (!text)
		return -1;
	if (!config_has(text, "CONFIG_LIVEPATCH=y")) {
		kl_err("the config '%s' has no CONFIG_LIVEPATCH=y: that kernel cannot be live-patched",
		       config);
		ret = -1;
	} else if (!config_has(text, "CONFIG_MODULES=y")) {
		kl_err("the config '%s' has no CONFIG_MODULES=y: that kernel cannot load live patches",
		       config);
		ret = -1;
	}
	free(text);
	return ret;
}

/* The Debian version of the source, when dpkg installed it. */
static char *source_package(const char *source)
{
	char *path, *v;

	if (is_dir(source))
		return NULL;
	path = abs_path(source);
	if (!path)
		return NULL;
	v = source_package_version(path);
	free(path);
	return v;
}

/*
 * The source, the config and (when known) the kernel's /proc/version must
 * all be of one kernel version: a live patch built from another source
 * would replace functions with code of another kernel.
 */
static int check_versions(const char *srcdir, const struct prepare_options *opt,
			  char **kernel, char **kernel_release)
{
	char *src = source_kernel_version(srcdir);
	char *cfg = config_kernel_version(opt->config);
	char *srcpkg = NULL, *banner = NULL, *kpkg = NULL, *kup = NULL;
	int ret = -1;

	if (!src) {
		kl_err("cannot read the kernel version of the source %s", srcdir);
		goto out;
	}
	if (cfg && strcmp(src, cfg)) {
		kl_err("version mismatch: the source is Linux %s but the config '%s' is of Linux %s",
		       src, opt->config, cfg);
		goto out;
	}
	srcpkg = source_package(opt->source);
	if (opt->proc_version) {
		banner = read_file(opt->proc_version, NULL);
		if (!banner)
			goto out;
		kpkg = banner_package_version(banner);
		*kernel_release = banner_release(banner);
		if (kpkg) {
			kup = upstream_of(kpkg);
		} else {
			char *rel = banner_release(banner);

			kup = rel ? upstream_of(rel) : NULL;
			free(rel);
		}
		if (!kup) {
			kl_err("cannot find a kernel version in '%s'", opt->proc_version);
			goto out;
		}
		if (strcmp(kup, src)) {
			kl_err("version mismatch: the kernel is Linux %s%s%s%s but the source is Linux %s",
			       kup, kpkg ? " (Debian " : "", kpkg ? kpkg : "",
			       kpkg ? ")" : "", src);
			goto out;
		}
		if (kpkg && srcpkg && strcmp(kpkg, srcpkg)) {
			kl_err("version mismatch: the kernel is Debian %s but the source %s is Debian %s (apt-get install linux-source-%.*s=%s)",
			       kpkg, opt->source, srcpkg,
			       (int)strcspn(src, ".") + 1 +
			       (int)strcspn(src + strcspn(src, ".") + 1, "."),
			       src, kpkg);
			goto out;
		}
		if (kpkg && !srcpkg)
			kl_info("the source's Debian version is unknown (not a packaged tarball): only its upstream version %s was checked",
				src);
	}
	*kernel = kpkg ? kpkg : srcpkg ? xstrdup(srcpkg) : NULL;
	kpkg = NULL;
	ret = 0;
out:
	free(src);
	free(cfg);
	free(srcpkg);
	free(banner);
	free(kpkg);
	free(kup);
	return ret;
}

/* One prepare of a target at a time; a second one waits, then finds it done. */
static int lock_target(const char *name)
{
	char *dir = xasprintf("%s/targets", cache_dir());
	char *path = xasprintf("%s/.%s.lock", dir, name);
	int fd = -1;

	if (mkdir_p(dir))
		goto out;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		kl_err("cannot lock target %s: %s", name, strerror(errno));
		goto out;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		kl_info("waiting for another prepare of target %s", name);
		if (flock(fd, LOCK_EX) < 0) {
			kl_err("cannot lock target %s: %s", name,
			       strerror(errno));
			close(fd);
			fd = -1;
		}
	}
out:
	free(dir);
	free(path);
	return fd;
}

int target_prepare(const struct prepare_options *opt)
{
	int lock_fd = -1;
	char *srcdir, *dir = NULL, *name = NULL, *version, *kernel = NULL;
	char *kernel_release = NULL, *modules = NULL, *image = NULL;
	char key[65];
	int ret = -1;
	double t0 = now();

	if (!path_exists(opt->config)) {
		kl_err("config '%s' not found", opt->config);
		return -1;
	}
	if (opt->symvers && !path_exists(opt->symvers)) {
		kl_err("Module.symvers '%s' not found", opt->symvers);
		return -1;
	}
	if (opt->kallsyms && !path_exists(opt->kallsyms)) {
		kl_err("symbol list '%s' not found", opt->kallsyms);
		return -1;
	}
	if (opt->proc_version && !path_exists(opt->proc_version)) {
		kl_err("kernel version file '%s' not found", opt->proc_version);
		return -1;
	}
	if (opt->modules && !is_dir(opt->modules)) {
		kl_err("modules directory '%s' not found", opt->modules);
		return -1;
	}
	if (opt->image && !path_exists(opt->image)) {
		kl_err("kernel image '%s' not found", opt->image);
		return -1;
	}
	if (check_config(opt->config))
		return -1;
	modules = modules_dir(opt);
	image = image_path(opt);
	srcdir = resolve_source(opt->source);
	if (!srcdir)
		return -1;
	if (check_versions(srcdir, opt, &kernel, &kernel_release))
		goto out;
	if (inputs_key(srcdir, opt, key))
		goto out;
	if (opt->name) {
		name = xstrdup(opt->name);
	} else {
		version = make_output(srcdir, NULL, "kernelversion");
		name = xasprintf("%s-%.8s", version ? version : "linux", key);
		free(version);
	}
	if (!*name || strchr(name, '/') || name[0] == '.') {
		kl_err("invalid target name '%s'", name);
		goto out;
	}
	dir = target_dir(name);
	lock_fd = lock_target(name);
	if (lock_fd < 0)
		goto out;
	if (up_to_date(dir, key)) {
		if (record_extras(dir, modules, image))
			goto out;
		kl_info("target %s is up to date", name);
		printf("%s\n", name);
		ret = 0;
		goto out;
	}
	if (!opt->kallsyms)
		kl_info("no symbol list given: patches that reference local kernel symbols will not build");
	kl_info("preparing target %s in %s", name, dir);
	if (configure(srcdir, dir, opt, key, kernel, kernel_release) ||
	    record_extras(dir, modules, image)) {
		kl_err("preparing target %s failed", name);
		goto out;
	}
	kl_info("target %s prepared in %.0f s", name, now() - t0);
	printf("%s\n", name);
	ret = 0;
out:
	if (lock_fd >= 0)
		close(lock_fd);
	free(srcdir);
	free(dir);
	free(name);
	free(kernel);
	free(kernel_release);
	free(modules);
	free(image);
	return ret;
}
