/*
 * bzimage.c - tells whether a file is a kernel image that kexec can start
 * on x86-64: a bzImage with the boot protocol's setup header, a 64-bit
 * entry point, relocatable and loadable above 4 GiB.
 */
#define _GNU_SOURCE
#include "upgrade.h"
#include "../util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SETUP_SIZE		0x280
#define OFF_SETUP_SECTS		0x1f1
#define OFF_SYSSIZE		0x1f4
#define OFF_BOOT_FLAG		0x1fe
#define OFF_HEADER		0x202
#define OFF_VERSION		0x206
#define OFF_KERNEL_VERSION	0x20e
#define OFF_LOADFLAGS		0x211
#define OFF_RELOCATABLE		0x234
#define OFF_XLOADFLAGS		0x236
#define LOADED_HIGH		0x01
#define XLF_KERNEL_64		0x01
#define XLF_ABOVE_4G		0x02

static unsigned int le16(const unsigned char *p)
{
	return p[0] | p[1] << 8;
}

static unsigned long le32(const unsigned char *p)
{
	return le16(p) | (unsigned long)le16(p + 2) << 16;
}

int kl_bzimage_check(const char *path, char **why)
{
	unsigned char h[SETUP_SIZE];
	unsigned long need;
	struct stat st;
	ssize_t got;
	int fd;

	*why = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*why = xasprintf("cannot open it: %s", strerror(errno));
		return -1;
	}
	got = pread(fd, h, sizeof(h), 0);
	if (fstat(fd, &st))
		st.st_size = 0;
	close(fd);
	if (got < (ssize_t)sizeof(h))
		*why = xstrdup("too short for a kernel image");
	else if (memcmp(h + OFF_HEADER, "HdrS", 4) ||
		 le16(h + OFF_BOOT_FLAG) != 0xaa55)
		*why = xstrdup("not a bzImage (no \"HdrS\" setup header)");
	else if (le16(h + OFF_VERSION) < 0x020c)
		*why = xasprintf("boot protocol %u.%02u is too old for kexec (2.12 needed)",
				 h[OFF_VERSION + 1], h[OFF_VERSION]);
	else if (!(h[OFF_LOADFLAGS] & LOADED_HIGH))
		*why = xstrdup("a zImage, not a bzImage");
	else if (!(h[OFF_XLOADFLAGS] & XLF_KERNEL_64))
		*why = xstrdup("no 64-bit entry point (not an x86-64 kernel)");
	else if (!(h[OFF_XLOADFLAGS] & XLF_ABOVE_4G))
		*why = xstrdup("cannot be loaded above 4 GiB");
	else if (!h[OFF_RELOCATABLE])
		*why = xstrdup("not relocatable (CONFIG_RELOCATABLE is off)");
	/* The setup sectors, the boot sector, then syssize 16-byte units. */
	need = ((h[OFF_SETUP_SECTS] ?: 4) + 1) * 512UL + le32(h + OFF_SYSSIZE) * 16;
	if (!*why && (unsigned long)st.st_size < need)
		*why = xasprintf("truncated: %lu bytes, its header says %lu",
				 (unsigned long)st.st_size, need);
	return *why ? -1 : 0;
}
