/*
 * runpre-image.c - the run-pre check done offline, at build time: the
 * fingerprints of the patched functions are compared with their code in a
 * kernel image (a vmlinuz, unpacked with the kernel's own
 * scripts/extract-vmlinux, or a vmlinux), found at the addresses of the
 * kernel's symbol list, so that a mismatch is caught before a patch ships.
 */
#include "image.h"
#include "runpre.h"
#include "../util/util.h"

#include <elf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int function_address(const struct ksyms *ks,
			    const struct patched_func *f, uint64_t *addr)
{
	size_t *idx, n = ksyms_find(ks, f->old_name, NULL, 0);

	if (!n || (!f->sympos && n != 1) || f->sympos > n) {
		kl_err("run-pre: '%s' (position %lu) is not in the target's symbol list",
		       f->old_name, f->sympos);
		return -1;
	}
	idx = xmalloc(n * sizeof(*idx));
	ksyms_find(ks, f->old_name, idx, n);
	*addr = ks->syms[idx[f->sympos ? f->sympos - 1 : 0]].addr;
	free(idx);
	return 0;
}

int runpre_check_image(const struct patch_plan *plan, const struct ksyms *ks,
		       const char *image, const char *srcdir)
{
	struct kernel_image im = { 0 };
	int64_t shift;
	size_t i;
	size_t checked = 0;
	int ret = -1;

	if (!ks->have_list) {
		kl_err("checking against '%s' needs the kernel's symbol list (prepare the target with --kallsyms)",
		       image);
		return -1;
	}
	if (kernel_image_load(image, srcdir, &im))
		goto out;
	shift = kernel_image_shift(&im, ks);
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
		code = kernel_image_at(&im, addr - shift, rf->size);
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
	kernel_image_free(&im);
	return ret;
}
