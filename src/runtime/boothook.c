/*
 * boothook.c - writes, enables and removes the boot-time hook that runs
 * `klive apply --installed`: a systemd unit, or an init.d script with an
 * rcS.d link (through update-rc.d when the system has it).
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

#define UNIT_NAME	"klive.service"
#define SCRIPT_NAME	"klive"
#define RCS_LINK	"S20klive"

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

static int install_unit(const char *klive)
{
	char *dir = xasprintf("%s/systemd/system", etc_dir());
	char *path = xasprintf("%s/%s", dir, UNIT_NAME), *text;
	char *argv[] = { "systemctl", "enable", "--quiet", UNIT_NAME, NULL };
	int ret;

	text = xasprintf(
		"# Written by klive install: reapplies the live patches installed\n"
		"# for the booted kernel release (%s/RELEASE).\n"
		"[Unit]\n"
		"Description=Apply the klive live patches of this kernel release\n"
		"DefaultDependencies=no\n"
		"After=local-fs.target systemd-modules-load.service\n"
		"Before=sysinit.target shutdown.target\n"
		"Conflicts=shutdown.target\n"
		"ConditionPathIsDirectory=%s/%%v\n"
		"\n"
		"[Service]\n"
		"Type=oneshot\n"
		"RemainAfterExit=yes\n"
		"Environment=KLIVE_STATE_DIR=%s\n"
		"ExecStart=%s apply --installed\n"
		"\n"
		"[Install]\n"
		"WantedBy=sysinit.target\n",
		kl_state_dir(), kl_state_dir(), kl_state_dir(), klive);
	ret = mkdir_p(dir) ? -1 : write_text(path, text, 0644);
	if (!ret && run_cmd(NULL, argv)) {
		kl_err("systemctl enable %s failed", UNIT_NAME);
		ret = -1;
	}
	free(text);
	free(path);
	free(dir);
	return ret;
}

static int link_rcs(void)
{
	char *dir = xasprintf("%s/rcS.d", etc_dir());
	char *link = xasprintf("%s/%s", dir, RCS_LINK);
	char *argv[] = { "update-rc.d", SCRIPT_NAME, "defaults", NULL };
	int ret = 0;

	if (!strcmp(etc_dir(), "/etc") && have_command("update-rc.d")) {
		ret = run_cmd(NULL, argv) ? -1 : 0;
		if (ret)
			kl_err("update-rc.d %s defaults failed", SCRIPT_NAME);
	} else if (mkdir_p(dir)) {
		ret = -1;
	} else if (symlink("../init.d/" SCRIPT_NAME, link) && errno != EEXIST) {
		kl_err("cannot create %s: %s", link, strerror(errno));
		ret = -1;
	}
	free(link);
	free(dir);
	return ret;
}

static int install_script(const char *klive)
{
	char *dir = xasprintf("%s/init.d", etc_dir());
	char *path = xasprintf("%s/%s", dir, SCRIPT_NAME), *text;
	int ret;

	text = xasprintf(
		"#!/bin/sh\n"
		"# Written by klive install: reapplies the live patches installed\n"
		"# for the booted kernel release (%s/RELEASE).\n"
		"### BEGIN INIT INFO\n"
		"# Provides:          klive\n"
		"# Required-Start:    $local_fs\n"
		"# Required-Stop:\n"
		"# Default-Start:     S\n"
		"# Default-Stop:\n"
		"# Short-Description: apply the klive live patches of this kernel release\n"
		"### END INIT INFO\n"
		"KLIVE_STATE_DIR=%s\n"
		"export KLIVE_STATE_DIR\n"
		"case \"$1\" in\n"
		"start)\n"
		"\t[ -d \"$KLIVE_STATE_DIR/$(uname -r)\" ] || exit 0\n"
		"\texec %s apply --installed\n"
		"\t;;\n"
		"stop|restart|force-reload|status)\n"
		"\texit 0\n"
		"\t;;\n"
		"*)\n"
		"\techo \"usage: $0 start|stop\" >&2\n"
		"\texit 3\n"
		"\t;;\n"
		"esac\n",
		kl_state_dir(), kl_state_dir(), klive);
	ret = mkdir_p(dir) ? -1 : write_text(path, text, 0755);
	if (!ret)
		ret = link_rcs();
	free(text);
	free(path);
	free(dir);
	return ret;
}

int kl_boothook_install(void)
{
	char *klive = klive_path();
	int ret;

	if (booted_with_systemd())
		ret = install_unit(klive);
	else
		ret = install_script(klive);
	free(klive);
	return ret;
}

static void remove_path(const char *fmt, const char *name)
{
	char *path = xasprintf(fmt, etc_dir(), name);

	if (unlink(path) && errno != ENOENT)
		kl_err("cannot remove %s: %s", path, strerror(errno));
	free(path);
}

void kl_boothook_remove(void)
{
	char *disable[] = { "systemctl", "disable", "--quiet", UNIT_NAME, NULL };
	char *unit = xasprintf("%s/systemd/system/%s", etc_dir(), UNIT_NAME);
	char *rc[] = { "update-rc.d", SCRIPT_NAME, "remove", NULL };

	if (path_exists(unit) && booted_with_systemd())
		run_cmd(NULL, disable);
	free(unit);
	remove_path("%s/systemd/system/%s", UNIT_NAME);
	remove_path("%s/systemd/system/sysinit.target.wants/%s", UNIT_NAME);
	remove_path("%s/init.d/%s", SCRIPT_NAME);
	if (!strcmp(etc_dir(), "/etc") && have_command("update-rc.d"))
		run_cmd(NULL, rc);
	remove_path("%s/rcS.d/%s", RCS_LINK);
}
