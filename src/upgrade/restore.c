/*
 * restore.c - restores every dumped process tree of an upgrade from its
 * final images, on whichever kernel runs; all or none: if one tree fails,
 * the trees restored before it are killed again, so that a later attempt
 * (on the previous kernel) finds their PIDs free and restores them all.
 */
#define _GNU_SOURCE
#include "upgrade.h"
#include "../util/util.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

char *kl_images_dir(const struct kl_state *s, const char *root)
{
	return xasprintf("%s/images/%s", kl_state_store(s), root);
}

static void kill_trees(const struct kl_pids *roots)
{
	struct kl_pids tasks = { 0 };
	size_t i;

	kl_pids_trees(roots, &tasks);
	for (i = 0; i < tasks.n; i++)
		kill(tasks.pid[i], SIGKILL);
	/* They are init's children now: wait until init has reaped them. */
	for (i = 0; i < 50; i++) {
		size_t j, alive = 0;

		for (j = 0; j < roots->n; j++)
			alive += kill(roots->pid[j], 0) == 0;
		if (!alive)
			break;
		usleep(20000);
	}
	kl_pids_free(&tasks);
}

int kl_restore_all(struct kl_state *s, char **failed_root)
{
	char *roots = xstrdup(kl_state_get(s, "roots") ?: ""), *root;
	char *save = NULL, *dir, *final;
	struct kl_pids done = { 0 };
	int ret = 0;

	*failed_root = NULL;
	for (root = strtok_r(roots, " ", &save); root && !ret;
	     root = strtok_r(NULL, " ", &save)) {
		dir = kl_images_dir(s, root);
		final = xasprintf("%s/final", dir);
		kl_info("upgrade: restoring process tree %s", root);
		if (kl_criu_restore(final)) {
			kl_err("upgrade: restoring process tree %s failed:", root);
			kl_criu_show_log(final, "restore.log", NULL);
			*failed_root = xstrdup(root);
			ret = -1;
		} else {
			kl_pids_add(&done, atoi(root));
		}
		free(final);
		free(dir);
	}
	if (ret && done.n)
		kill_trees(&done);
	kl_pids_free(&done);
	free(roots);
	return ret;
}
