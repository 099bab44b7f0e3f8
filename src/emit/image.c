/*
 * image.c - reads a kernel image for the checks and placements that need
 * the running kernel's code: a vmlinux as it is, a vmlinuz unpacked with
 * the kernel's own scripts/extract-vmlinux.
 */
#include "image.h"
#include "../util/util.h"

#include <stdlib.h>
#include <string.h>


static bool is_elf64(const unsigned char *d, size_t len)
{
	return len >= sizeof(Elf64_Ehdr) && !memcmp(d, ELFMAG, SELFMAG) &&
	       d[EI_CLASS] == ELFCLASS64;
}

int kernel_image_load(const char *path, const char *srcdir,
		      struct kernel_image *im)
{
	char *tmp = NULL, *vmlinux = NULL;
	const Elf64_Ehdr *eh;

	im->data = (unsigned char *)read_file(path, &im->len);
	if (!im->data)
		return -1;
	if (!is_elf64(im->data, im->len)) {
		free(im->data);
		im->data = NULL;
		tmp = make_temp_dir("klive-image");
		if (!tmp)
			return -1;
		vmlinux = xasprintf("%s/vmlinux", tmp);
		if (run_shell(NULL, "'%s/scripts/extract-vmlinux' '%s' > '%s' 2>/dev/null",
			      srcdir, path, vmlinux) == 0)
			im->data = (unsigned char *)read_file(vmlinux, &im->len);
		remove_tree(tmp);
		free(tmp);
		free(vmlinux);
		if (!im->data || !is_elf64(im->data, im->len)) {
			kl_err("cannot unpack the kernel image '%s' (scripts/extract-vmlinux found no vmlinux in it)",
			       path);
			return -1;
		}
	}
	eh = (const Elf64_Ehdr *)im->data;
	if (eh->e_phoff > im->len ||
	    eh->e_phnum * sizeof(Elf64_Phdr) > im->len - eh->e_phoff) {
		kl_err("'%s': damaged program headers", path);
		return -1;
	}
	im->phdrs = (const Elf64_Phdr *)(im->data + eh->e_phoff);
	im->nr_phdrs = eh->e_phnum;
	return 0;
}

/* The bytes at a link-time address, or NULL. */
const unsigned char *kernel_image_at(const struct kernel_image *im,
				     uint64_t addr, size_t size)
{
	size_t i;

	for (i = 0; i < im->nr_phdrs; i++) {
		const Elf64_Phdr *p = &im->phdrs[i];

		if (p->p_type != PT_LOAD || addr < p->p_vaddr ||
		    addr + size > p->p_vaddr + p->p_filesz)
			continue;
		if (p->p_offset + (addr - p->p_vaddr) + size > im->len)
			return NULL;
		return im->data + p->p_offset + (addr - p->p_vaddr);
	}
	return NULL;
}

/* KASLR shift of the symbol list: its _text against the image's. */
int64_t kernel_image_shift(const struct kernel_image *im,
			   const struct ksyms *ks)
{
	size_t idx, i;

	if (ksyms_find(ks, "_text", &idx, 1) != 1)
		return 0;
	for (i = 0; i < im->nr_phdrs; i++)
		if (im->phdrs[i].p_type == PT_LOAD)
			return (int64_t)(ks->syms[idx].addr - im->phdrs[i].p_vaddr);
	return 0;
}

void kernel_image_free(struct kernel_image *im)
{
	free(im->data);
	memset(im, 0, sizeof(*im));
}
