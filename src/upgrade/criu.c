/*
 * criu.c - runs CRIU: the kernel feature check, memory pre-dumps, the final
 * dump (with established TCP connections, the network locked by an
 * nftables table) and the restore.  Each run logs into its image
 * directory.
 */
#define _GNU_SOURCE
#include "upgrade.h"
#include "../util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CRIU		"criu"
#define NET_LOCK	"nftables"

static bool have_criu(void)
{
	const char *path = getenv("PATH");
	char *copy, *dir, *save = NULL, *p;
	bool found = false;

	copy = xstrdup(path && *path ? path : "/usr/sbin:/usr/bin:/sbin:/bin");
	for (dir = strtok_r(copy, ":", &save); dir && !found;
	     dir = strtok_r(NULL, ":", &save)) {
		p = xasprintf("%s/" CRIU, dir);
		found = access(p, X_OK) == 0;
		free(p);
	}
	free(copy);
	return found;
}

int kl_criu_check(void)
{
	char *argv[] = { CRIU, "check", NULL };
	char *tmp, *log, *out, *line, *save = NULL;
	int ret;

	if (!have_criu()) {
		kl_err("upgrade: criu is not installed (apt-get install criu)");
		return -1;
	}
	tmp = make_temp_dir("klive-criu-check");
	if (!tmp)
		return -1;
	log = xasprintf("%s/check.log", tmp);
	ret = run_cmd(log, argv);
	if (ret) {
		kl_err("upgrade: 'criu check' says this kernel cannot checkpoint processes:");
		out = read_file(log, NULL);
		for (line = out ? strtok_r(out, "\n", &save) : NULL; line;
		     line = strtok_r(NULL, "\n", &save))
			kl_err("  %s", line);
		free(out);
	}
	remove_tree(tmp);
	free(log);
	free(tmp);
	return ret ? -1 : 0;
}

static int run_criu(const char *dir, char **argv)
{
	char *out = xasprintf("%s/criu.out", dir);
	int ret = run_cmd(out, argv);

	free(out);
	return ret;
}

int kl_criu_predump(const char *dir, const char *prev, pid_t root)
{
	char pid[16];
	char *argv[] = { CRIU, "pre-dump", "-t", pid, "-D", (char *)dir,
			 "--track-mem", "-o", "pre-dump.log",
			 prev ? "--prev-images-dir" : NULL, (char *)prev,
			 NULL };

	snprintf(pid, sizeof(pid), "%d", (int)root);
	return mkdir_p(dir) ? -1 : run_criu(dir, argv);
}

int kl_criu_dump(const char *dir, const char *prev, pid_t root)
{
	char pid[16];
	char *argv[] = { CRIU, "dump", "-t", pid, "-D", (char *)dir,
			 "--tcp-established", "--network-lock", NET_LOCK,
			 "--track-mem", "-o", "dump.log",
			 prev ? "--prev-images-dir" : NULL, (char *)prev,
			 NULL };

	snprintf(pid, sizeof(pid), "%d", (int)root);
	return mkdir_p(dir) ? -1 : run_criu(dir, argv);
}

int kl_criu_restore(const char *dir)
{
	char *argv[] = { CRIU, "restore", "-d", "-D", (char *)dir,
			 "--tcp-established", "--network-lock", NET_LOCK,
			 "-o", "restore.log", NULL };

	return run_criu(dir, argv);
}

void kl_criu_show_log(const char *dir, const char *log, const char *keep)
{
	char *path = xasprintf("%s/%s", dir, log), *text, *line, *save = NULL;
	int shown = 0;

	/*
	 * The image directory goes after a failed dump: move the log out
	 * (rename: it needs no space on a full disk).
	 */
	if (keep && path_exists(path) && !rename(path, keep)) {
		free(path);
		path = xstrdup(keep);
	}

	text = path_exists(path) ? read_file(path, NULL) : NULL;
	for (line = text ? strtok_r(text, "\n", &save) : NULL;
	     line && shown < 6; line = strtok_r(NULL, "\n", &save)) {
		if (!strstr(line, "Error") && !strstr(line, "error"))
			continue;
		kl_err("  criu: %s", line);
		shown++;
	}
	if (!shown)
		kl_err("  (no error lines in %s)", path);
	else
		kl_err("  (full log: %s)", path);
	free(text);
	free(path);
}
