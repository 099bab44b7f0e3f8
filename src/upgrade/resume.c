/*
 * resume.c - the boot step of a live upgrade (`klive upgrade --resume`, run
 * by the boot hook): restores the dumped processes on the kernel that
 * booted; if that fails on the new kernel, starts the previous kernel
 * again with kexec, where the same step restores them.  The images are
 * deleted only once a restore succeeded.
 */
#define _GNU_SOURCE
#include "upgrade.h"
#include "../runtime/boothook.h"
#include "../util/util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

static void confirm(struct kl_state *s)
{
	char *images = xasprintf("%s/images", kl_state_store(s));

	kl_state_set(s, "phase", "restored");
	if (!kl_state_save(s)) {
		sync();
		remove_tree(images);
		kl_boothook_remove_upgrade();
	}
	free(images);
}

static int fall_back(struct kl_state *s, const char *release)
{
	const char *kernel = kl_state_get(s, "previous_kernel");
	const char *initrd = kl_state_get(s, "previous_initrd");
	const char *cmdline = kl_state_get(s, "previous_cmdline");

	kl_err("upgrade: the restore failed on %s; going back to the previous kernel %s",
	       release, kl_state_get(s, "from_release"));
	kl_state_set(s, "phase", "falling-back");
	kl_state_set(s, "failed_on", "%s", release);
	if (!kernel || kl_kexec_load(kernel, initrd, cmdline ?: "")) {
		kl_err("upgrade: cannot load the previous kernel; the images stay in %s/images",
		       kl_state_store(s));
		kl_state_set(s, "phase", "failed");
		kl_state_save(s);
		return KL_EXIT_ERROR;
	}
	kl_state_set(s, "wall_fallback_kexec", "%.6f", kl_now_wall());
	if (kl_state_save(s))
		return KL_EXIT_ERROR;
	fflush(NULL);
	kl_kexec_now();
	kl_state_set(s, "phase", "failed");
	kl_state_save(s);
	return KL_EXIT_ERROR;
}

int kl_upgrade_resume(const char *store)
{
	struct kl_state *s = kl_state_load(store);
	const char *phase = s ? kl_state_get(s, "phase") : NULL;
	char *boot_id, *failed = NULL;
	struct utsname u;
	bool same_boot, back, ok;
	const char *tcp;
	double t0;
	int ret = KL_EXIT_OK;

	if (!phase || (strcmp(phase, "dumped") &&
		       strcmp(phase, "falling-back"))) {
		kl_debug("upgrade: nothing to restore in %s", store);
		kl_state_free(s);
		return KL_EXIT_OK;
	}
	uname(&u);
	boot_id = kl_boot_id();
	same_boot = !strcmp(boot_id, kl_state_get(s, "boot_id") ?: "");
	back = !strcmp(phase, "falling-back");
	free(boot_id);
	kl_state_set(s, back ? "wall_fallback_boot" : "wall_resume", "%.6f",
		     kl_now_wall());
	kl_state_set(s, back ? "fallback_release" : "to_release", "%s",
		     u.release);
	kl_info("upgrade: restoring the processes dumped on %s, on %s",
		kl_state_get(s, "from_release"), u.release);
	t0 = kl_now_mono();
	tcp = kl_state_get(s, "tcp");
	if (kl_netlock_lock(tcp))
		kl_err("upgrade: restoring without the network lock");
	ok = !kl_restore_all(s, &failed);
	kl_netlock_unlock(tcp);
	if (!ok) {
		free(failed);
		kl_state_set(s, "t_failed_restore", "%.6f", kl_now_mono() - t0);
		if (!back && !same_boot) {
			ret = fall_back(s, u.release);
		} else {
			kl_err("upgrade: the processes could not be restored; their images stay in %s/images",
			       store);
			kl_state_set(s, "phase", "failed");
			kl_state_save(s);
			ret = KL_EXIT_ERROR;
		}
		kl_state_free(s);
		return ret;
	}
	kl_state_set(s, "t_restore", "%.6f", kl_now_mono() - t0);
	kl_state_set(s, "wall_resumed", "%.6f", kl_now_wall());
	confirm(s);
	kl_upgrade_report(s, stdout);
	kl_state_free(s);
	return ret;
}
