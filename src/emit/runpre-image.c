/*
 * runpre-image.c - the run-pre check done offline, at build time: the
 * fingerprints of the patched functions are compared with their code in a
 * kernel image (a vmlinuz, unpacked with the kernel's own
 * scripts/extract-vmlinux, or a vmlinux), found at the addresses of the
 * kernel's symbol list, so that a mismatch is caught before a patch ships.
 */
#include "runpre.h"
#include "../util/util.h"

#include <elf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct image {
	unsigned char *data;
	size_t len;
	const Elf64_Phdr *phdrs;
	size_t nr_phdrs;
};

static bool is_elf64(const unsigned char *d, size_t len)
{
	return len >= sizeof(Elf64_Ehdr) && !memcmp(d, ELFMAG, SELFMAG) &&
	       d[EI_CLASS] == ELFCLASS64;
}

static int load_image(const char *path, const char *srcdir, struct image *im)
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
static const unsigned char *at_address(const struct image *im, uint64_t addr,
				       size_t size)
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
static int64_t list_shift(const struct image *im, const struct ksyms *ks)
{
	size_t idx, i;

	if (ksyms_find(ks, "_text", &idx, 1) != 1)
		return 0;
	for (i = 0; i < im->nr_phdrs; i++)
		if (im->phdrs[i].p_type == PT_LOAD)
			return (int64_t)(ks->syms[idx].addr - im->phdrs[i].p_vaddr);
	return 0;
}

static int function_address(const struct ksyms *ks,
			    const struct patched_func *f, uint64_t *addr)
{
	size_t idx[64], n = ksyms_find(ks, f->old_name, idx, ARRAY_SIZE(idx));

	if (!n || (!f->sympos && n != 1) || f->sympos > n ||
	    f->sympos > ARRAY_SIZE(idx)) {
		kl_err("run-pre: '%s' (position %lu) is not in the target's symbol list",
		       f->old_name, f->sympos);
		return -1;
	}
	*addr = ks->syms[idx[f->sympos ? f->sympos - 1 : 0]].addr;
	return 0;
}

int runpre_check_image(const struct patch_plan *plan, const struct ksyms *ks,
		       const char *image, const char *srcdir)
{
	struct image im = { 0 };
	int64_t shift;
	size_t i;
	size_t checked = 0;
	int ret = -1;

	if (!ks->have_list) {
		kl_err("checking against '%s' needs the kernel's symbol list (prepare the target with --kallsyms)",
		       image);
		return -1;
	}
	if (load_image(image, srcdir, &im))
		goto out;
	shift = list_shift(&im, ks);
	for (i = 0; i < plan->nr_runpre; i++) {
		const struct patched_func *f = &plan->funcs[i];
		const struct runpre_func *rf = &plan->runpre[i];
		const unsigned char *code;
		uint64_t addr;
		long at;

		/* A module's code is not in the image; its load checks it. */
		if (strcmp(f->objname, "vmlinux")) {
			kl_info("run-pre: %s:%s is checked when module %s loads",
				f->objname, f->old_name, f->objname);
			continue;
		}
		checked++;
		if (function_address(ks, f, &addr))
			goto out;
		code = at_address(&im, addr - shift, rf->size);
		if (!code) {
			kl_err("run-pre: '%s' at 0x%llx is outside the image '%s'",
			       f->old_name, (unsigned long long)addr, image);
			goto out;
		}
		at = runpre_first_difference(rf, code);
		if (at >= 0) {
			kl_err("run-pre check failed: %s,%lu in %s differs from the code the patch was built against at offset 0x%lx (image 0x%02x, expected 0x%02x)",
			       f->old_name, f->sympos, image, at, code[at],
			       rf->code[at]);
			goto out;
		}
	}
	kl_info("run-pre check: the %zu replaced function%s match%s the code in %s",
		checked, checked == 1 ? "" : "s", checked == 1 ? "es" : "",
		image);
	ret = 0;
out:
	free(im.data);
	return ret;
}
