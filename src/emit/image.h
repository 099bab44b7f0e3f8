/*
 * image.h - a kernel image (vmlinux, or a vmlinuz unpacked with the
 * kernel's scripts/extract-vmlinux) read at link-time addresses.
 */
#ifndef KLIVE_IMAGE_H
#define KLIVE_IMAGE_H

#include "../tree/symbols.h"

#include <elf.h>
#include <stddef.h>
#include <stdint.h>

struct kernel_image {
	unsigned char *data;
	size_t len;
	const Elf64_Phdr *phdrs;
	size_t nr_phdrs;
};

int kernel_image_load(const char *path, const char *srcdir,
		      struct kernel_image *im);
/* The bytes at a link-time address, or NULL. */
const unsigned char *kernel_image_at(const struct kernel_image *im,
				     uint64_t addr, size_t size);
/* KASLR shift of the symbol list: its _text against the image's. */
int64_t kernel_image_shift(const struct kernel_image *im,
			   const struct ksyms *ks);
void kernel_image_free(struct kernel_image *im);

#endif
