/*
 * kexec.c - loads a kernel with kexec_file_load(2) and starts it with
 * reboot(2), without kexec-tools: the running kernel parses and checks the
 * image itself.
 */
#define _GNU_SOURCE
#include "upgrade.h"
#include "../util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef KEXEC_FILE_UNLOAD
#define KEXEC_FILE_UNLOAD	0x00000001
#define KEXEC_FILE_NO_INITRAMFS	0x00000004
#endif

static long kexec_file_load(int kernel_fd, int initrd_fd, const char *cmdline,
			    unsigned long flags)
{
	unsigned long len = cmdline ? strlen(cmdline) + 1 : 0;

	return syscall(SYS_kexec_file_load, kernel_fd, initrd_fd, len, cmdline,
		       flags);
}

int kl_kexec_available(char **why)
{
	char *v;

	*why = NULL;
	if (!path_exists("/sys/kernel/kexec_loaded")) {
		*why = xstrdup("this kernel has no kexec (no /sys/kernel/kexec_loaded)");
		return -1;
	}
	if (path_exists("/proc/sys/kernel/kexec_load_disabled")) {
		v = read_file("/proc/sys/kernel/kexec_load_disabled", NULL);
		if (v && atoi(v) == 1)
			*why = xstrdup("kexec is disabled (kernel.kexec_load_disabled = 1)");
		free(v);
		if (*why)
			return -1;
	}
	/* Unloading nothing asks the kernel whether it would load at all. */
	if (kexec_file_load(-1, -1, NULL, KEXEC_FILE_UNLOAD) == 0)
		return 0;
	if (errno == ENOSYS)
		*why = xstrdup("this kernel has no kexec_file_load (CONFIG_KEXEC_FILE is off)");
	else if (errno == EPERM)
		*why = xstrdup("kexec is not permitted (needs root with CAP_SYS_BOOT, and kexec not disabled)");
	else
		*why = xasprintf("kexec_file_load does not work: %s", strerror(errno));
	return -1;
}

int kl_kexec_load(const char *kernel, const char *initrd, const char *cmdline)
{
	int kfd, ifd = -1, ret;

	kfd = open(kernel, O_RDONLY | O_CLOEXEC);
	if (kfd < 0) {
		kl_err("cannot open %s: %s", kernel, strerror(errno));
		return -1;
	}
	if (initrd) {
		ifd = open(initrd, O_RDONLY | O_CLOEXEC);
		if (ifd < 0) {
			kl_err("cannot open %s: %s", initrd, strerror(errno));
			close(kfd);
			return -1;
		}
	}
	ret = kexec_file_load(kfd, ifd, cmdline,
			      initrd ? 0 : KEXEC_FILE_NO_INITRAMFS);
	if (ret)
		kl_err("the running kernel refuses to load %s%s%s: %s (see dmesg)",
		       kernel, initrd ? " with " : "", initrd ? initrd : "",
		       strerror(errno));
	close(kfd);
	if (ifd >= 0)
		close(ifd);
	return ret ? -1 : 0;
}

void kl_kexec_unload(void)
{
	kexec_file_load(-1, -1, NULL, KEXEC_FILE_UNLOAD);
}

int kl_kexec_now(void)
{
	sync();
	reboot(RB_KEXEC);
	kl_err("kexec failed: %s", strerror(errno));
	return -1;
}
