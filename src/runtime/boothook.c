/*
 * boothook.c - writes, enables and removes the boot-time hooks: the one
 * that runs `klive apply --installed`, and the one of a pending live
 * upgrade, which runs `klive upgrade --resume` early; each a systemd unit,
 * or an init.d script with an rcS.d link (through update-rc.d when the
 * system has it).
 *
 * KLIVE_SYSCONF_DIR (default /etc) relocates the configuration tree.
 */
#define _GNU_SOURCE
#include "boothook.h"
#include "installed.h"
#include "../util/util.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What differs between the hooks. */
struct hook {
	const char *unit;		/* systemd unit file name */
	const char *script;		/* init.d script name */
	const char *rcs_link;		/* its link in rcS.d */
	const char *purpose;		/* "Written by klive ...: <purpose>" */
	const char *description;	/* the unit's Description */
	const char *unit_order;		/* the unit's ordering lines */
	const char *condition;		/* unit: ConditionPath...=, %s: dir */
	const char *guard;		/* script: shell test, %s: dir */
	const char *dir;		/* the directory the hook acts on */
	const char *args;		/* klive's arguments */
	bool args_dir;			/* followed by dir */
};

static void apply_hook(struct hook *h)
{
	*h = (struct hook) {
		.unit = "klive.service",
		.script = "klive",
		.rcs_link = "S20klive",
		.purpose = "reapplies the live patches installed\n"
			   "# for the booted kernel release",
		.description = "Apply the klive live patches of this kernel release",
		.unit_order = "After=local-fs.target systemd-modules-load.service\n"
			      "Before=sysinit.target shutdown.target\n",
		.condition = "ConditionPathIsDirectory=%s/%%v",
		.guard = "[ -d \"%s/$(uname -r)\" ]",
		.dir = kl_state_dir(),
		.args = "apply --installed",
	};
}

static void upgrade_hook(struct hook *h, const char *store)
{
	*h = (struct hook) {
		.unit = "klive-upgrade.service",
		.script = "klive-upgrade",
		.rcs_link = "S10klive-upgrade",
		.purpose = "restores the processes carried over\n"
			   "# by a live kernel upgrade, or falls back to the previous kernel",
		.description = "Restore the processes of a klive live kernel upgrade",
		/* Restoring TCP connections needs the network configured. */
		.unit_order = "After=local-fs.target network-online.target\n"
			      "Wants=network-online.target\n"
			      "Before=shutdown.target\n",
		.condition = "ConditionPathExists=%s/state",
		.guard = "[ -f \"%s/state\" ]",
		.dir = store,
		.args = "upgrade --resume --store",
		.args_dir = true,
	};
}

static const char *etc_dir(void)
{
	const char *env = getenv("KLIVE_SYSCONF_DIR");

	return env && *env ? env : "/etc";
}

static bool booted_with_systemd(void)
{
	return is_dir("/run/systemd/system");
}

static bool have_command(const char *name)
{
	const char *dirs[] = { "/usr/sbin", "/usr/bin", "/sbin", "/bin" };
	bool found = false;
	size_t i;
	char *p;

	for (i = 0; i < ARRAY_SIZE(dirs) && !found; i++) {
		p = xasprintf("%s/%s", dirs[i], name);
		found = access(p, X_OK) == 0;
		free(p);
	}
	return found;
}

/* The path of this klive binary, which the hook runs. */
static char *klive_path(void)
{
	char *p = realpath("/proc/self/exe", NULL);

	return p ? p : xstrdup("/usr/bin/klive");
}

static int write_text(const char *path, const char *text, mode_t mode)
{
	char *tmp = xasprintf("%s.tmp", path);
	int ret;

	ret = write_file(tmp, text, strlen(text));
	if (!ret && chmod(tmp, mode))
		ret = -1;
	if (!ret && rename(tmp, path)) {
		kl_err("cannot write %s: %s", path, strerror(errno));
		ret = -1;
	}
	unlink(tmp);
	free(tmp);
	return ret;
}

/* The command the hook runs: klive and its arguments. */
static char *hook_command(const struct hook *h, const char *klive)
{
	if (!h->args_dir)
		return xasprintf("%s %s", klive, h->args);
	return xasprintf("%s %s %s", klive, h->args, h->dir);
}

/*
 * s as a double-quoted unit file value: '%' starts a specifier there, and
 * '\\' and '"' are escapes.
 */
static char *unit_quote(const char *s)
{
	char *out = xmalloc(2 * strlen(s) + 3), *p = out;

	*p++ = '"';
	for (; *s; s++) {
		if (*s == '%')
			*p++ = '%';
		else if (*s == '\\' || *s == '"')
			*p++ = '\\';
		*p++ = *s;
	}
	*p++ = '"';
	*p = '\0';
	return out;
}

/* s in a unit file value that cannot be quoted (a condition's path). */
static char *unit_escape_percent(const char *s)
{
	char *out = xmalloc(2 * strlen(s) + 1), *p = out;

	for (; *s; s++) {
		if (*s == '%')
			*p++ = '%';
		*p++ = *s;
	}
	*p = '\0';
	return out;
}

/* The unit's ExecStart: klive and its arguments, quoted. */
static char *unit_command(const struct hook *h, const char *klive)
{
	char *qklive = unit_quote(klive), *qdir, *command;

	if (!h->args_dir) {
		command = xasprintf("%s %s", qklive, h->args);
	} else {
		qdir = unit_quote(h->dir);
		command = xasprintf("%s %s %s", qklive, h->args, qdir);
		free(qdir);
	}
	free(qklive);
	return command;
}

/*
 * Links a boot hook into place: with the system's own tool (ARGV) when the
 * configuration is the system's, else (KLIVE_SYSCONF_DIR) with the link
 * TARGET that the tool would make at DIR/NAME.
 */
static int link_hook(char **argv, bool use_tool, const char *dir,
		     const char *name, const char *target)
{
	char *link = xasprintf("%s/%s", dir, name);
	int ret = 0;

	if (use_tool) {
		if (run_cmd(NULL, argv)) {
			kl_err("%s %s %s failed", argv[0], argv[1], argv[2]);
			ret = -1;
		}
	} else if (mkdir_p(dir)) {
		ret = -1;
	} else if (symlink(target, link) && errno != EEXIST) {
		kl_err("cannot create %s: %s", link, strerror(errno));
		ret = -1;
	}
	free(link);
	return ret;
}

/* Enables the unit in sysinit.target. */
static int enable_unit(const struct hook *h, const char *dir)
{
	char *argv[] = { "systemctl", "enable", (char *)h->unit, "--quiet",
			 NULL };
	char *wants = xasprintf("%s/sysinit.target.wants", dir);
	char *target = xasprintf("../%s", h->unit);
	int ret;

	ret = link_hook(argv, !strcmp(etc_dir(), "/etc"), wants, h->unit,
			target);
	free(target);
	free(wants);
	return ret;
}

static int install_unit(const struct hook *h, const char *klive)
{
	char *dir = xasprintf("%s/systemd/system", etc_dir());
	char *path = xasprintf("%s/%s", dir, h->unit), *text;
	char *cond_dir = unit_escape_percent(h->dir);
	char *condition = xasprintf(h->condition, cond_dir);
	char *env = xasprintf("KLIVE_STATE_DIR=%s", kl_state_dir());
	char *qenv = unit_quote(env);
	char *command = unit_command(h, klive);
	int ret;

	text = xasprintf(
		"# Written by klive: %s (%s).\n"
		"[Unit]\n"
		"Description=%s\n"
		"DefaultDependencies=no\n"
		"%s"
		"Conflicts=shutdown.target\n"
		"%s\n"
		"\n"
		"[Service]\n"
		"Type=oneshot\n"
		"RemainAfterExit=yes\n"
		"Environment=%s\n"
		"ExecStart=%s\n"
		"\n"
		"[Install]\n"
		"WantedBy=sysinit.target\n",
		h->purpose, h->dir, h->description, h->unit_order, condition,
		qenv, command);
	ret = mkdir_p(dir) ? -1 : write_text(path, text, 0644);
	if (!ret)
		ret = enable_unit(h, dir);
	free(command);
	free(qenv);
	free(env);
	free(condition);
	free(cond_dir);
	free(text);
	free(path);
	free(dir);
	return ret;
}

static int link_rcs(const struct hook *h)
{
	char *dir = xasprintf("%s/rcS.d", etc_dir());
	char *target = xasprintf("../init.d/%s", h->script);
	char *argv[] = { "update-rc.d", (char *)h->script, "defaults", NULL };
	int ret;

	ret = link_hook(argv, !strcmp(etc_dir(), "/etc") &&
			have_command("update-rc.d"), dir, h->rcs_link, target);
	free(target);
	free(dir);
	return ret;
}

static int install_script(const struct hook *h, const char *klive)
{
	char *dir = xasprintf("%s/init.d", etc_dir());
	char *path = xasprintf("%s/%s", dir, h->script), *text;
	char *guard = xasprintf(h->guard, h->dir);
	char *command = hook_command(h, klive);
	int ret;

	text = xasprintf(
		"#!/bin/sh\n"
		"# Written by klive: %s (%s).\n"
		"### BEGIN INIT INFO\n"
		"# Provides:          %s\n"
		"# Required-Start:    $local_fs\n"
		"# Required-Stop:\n"
		"# Default-Start:     S\n"
		"# Default-Stop:\n"
		"# Short-Description: %s\n"
		"### END INIT INFO\n"
		"KLIVE_STATE_DIR=%s\n"
		"export KLIVE_STATE_DIR\n"
		"case \"$1\" in\n"
		"start)\n"
		"\t%s || exit 0\n"
		"\texec %s\n"
		"\t;;\n"
		"stop|restart|force-reload|status)\n"
		"\texit 0\n"
		"\t;;\n"
		"*)\n"
		"\techo \"usage: $0 start|stop\" >&2\n"
		"\texit 3\n"
		"\t;;\n"
		"esac\n",
		h->purpose, h->dir, h->script, h->description, kl_state_dir(),
		guard, command);
	ret = mkdir_p(dir) ? -1 : write_text(path, text, 0755);
	if (!ret)
		ret = link_rcs(h);
	free(command);
	free(guard);
	free(text);
	free(path);
	free(dir);
	return ret;
}

static int install_hook(const struct hook *h)
{
	char *klive = klive_path();
	int ret;

	if (booted_with_systemd())
		ret = install_unit(h, klive);
	else
		ret = install_script(h, klive);
	free(klive);
	return ret;
}

int kl_boothook_install(void)
{
	struct hook h;

	apply_hook(&h);
	return install_hook(&h);
}

int kl_boothook_install_upgrade(const char *store)
{
	struct hook h;

	upgrade_hook(&h, store);
	return install_hook(&h);
}

static void remove_path(const char *fmt, const char *name)
{
	char *path = xasprintf(fmt, etc_dir(), name);

	if (unlink(path) && errno != ENOENT && errno != ENOTDIR)
		kl_err("cannot remove %s: %s", path, strerror(errno));
	free(path);
}

static void remove_hook(const struct hook *h)
{
	char *disable[] = { "systemctl", "disable", "--quiet", "--no-reload",
			    (char *)h->unit, NULL };
	char *reload[] = { "systemctl", "daemon-reload", NULL };
	char *unit = xasprintf("%s/systemd/system/%s", etc_dir(), h->unit);
	char *script = xasprintf("%s/init.d/%s", etc_dir(), h->script);
	char *rc[] = { "update-rc.d", (char *)h->script, "remove", NULL };
	bool own_etc = !strcmp(etc_dir(), "/etc");
	bool systemd = own_etc && path_exists(unit) && booted_with_systemd();
	bool had_script = path_exists(script);

	if (systemd)
		run_cmd(NULL, disable);
	remove_path("%s/systemd/system/%s", h->unit);
	remove_path("%s/systemd/system/sysinit.target.wants/%s", h->unit);
	/*
	 * One reload once the unit file is gone: systemd then forgets it
	 * (without one it warns that the file changed on disk).
	 */
	if (systemd)
		run_cmd(NULL, reload);
	remove_path("%s/init.d/%s", h->script);
	/* update-rc.d only for a script there was (it reloads systemd too). */
	if (had_script && own_etc && have_command("update-rc.d"))
		run_cmd(NULL, rc);
	remove_path("%s/rcS.d/%s", h->rcs_link);
	free(script);
	free(unit);
}

void kl_boothook_remove(void)
{
	struct hook h;

	apply_hook(&h);
	remove_hook(&h);
}

void kl_boothook_remove_upgrade(void)
{
	struct hook h;

	upgrade_hook(&h, "");
	remove_hook(&h);
}
