/*
 * sympos-ref.c - places a local symbol that neither names nor neighbours
 * can place, from the running kernel's own code: a function of the object
 * that refers to the symbol, and whose place is known, holds the symbol's
 * address in that reference in the kernel image.  Every such reference
 * must agree on one candidate; otherwise nothing is placed.
 */
#include "emit.h"
#include "image.h"
#include "../util/util.h"

#include <stdlib.h>
#include <string.h>

const struct kernel_image *image_source_get(struct image_source *src,
					    const struct ksyms *ks,
					    int64_t *shift)
{
	if (!src || !src->path)
		return NULL;
	if (!src->tried) {
		src->tried = true;
		kl_info("reading the kernel image %s to place local symbols",
			src->path);
		if (kernel_image_load(src->path, src->srcdir, &src->im) == 0) {
			src->loaded = true;
			src->shift = kernel_image_shift(&src->im, ks);
		}
	}
	*shift = src->shift;
	return src->loaded ? &src->im : NULL;
}

void image_source_free(struct image_source *src)
{
	if (src->loaded)
		kernel_image_free(&src->im);
	src->loaded = false;
}

static int32_t read_s32(const unsigned char *p)
{
	return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 |
			 (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
}

/*
 * The address the image's copy of f gives for the target of relocation r,
 * which points at self; 0 when f cannot be found or differs from the
 * object around the reference.
 */
static uint64_t referenced_address(const struct ksyms *ks,
				   const struct kl_symbol *f,
				   const struct kl_rela *r,
				   const struct kl_target *t,
				   const struct kernel_image *im,
				   int64_t shift)
{
	const unsigned char *field;
	uint64_t place, at = r->offset - f->value;
	size_t fi;

	if (!kl_rela_is_pcrel(r->type) || kl_rela_width(r->type) != 4 ||
	    at < 2 || !f->sec->data || r->offset > f->sec->size)
		return 0;
	if (ksyms_find(ks, f->name, &fi, 1) != 1)
		return 0;
	place = ks->syms[fi].addr + at;
	field = kernel_image_at(im, place - shift - 2, 6);
	/* The instruction bytes before the field must be the object's. */
	if (!field || memcmp(field, f->sec->data + r->offset - 2, 2))
		return 0;
	return place + (int64_t)read_s32(field + 2) - t->offset;
}

enum sympos_result symbol_position_by_reference(const struct ksyms *ks,
						struct kl_elf *pre,
						const char *name,
						struct image_source *src,
						unsigned long *pos)
{
	struct kl_symbol *self = kl_find_symbol(pre, name);
	const struct kernel_image *im;
	size_t *idx, n, i, k;
	long found = -1;
	int64_t shift;
	bool conflict = false;

	im = image_source_get(src, ks, &shift);
	if (!im || !self)
		return SYMPOS_AMBIGUOUS;
	n = ksyms_find(ks, name, NULL, 0);
	idx = xmalloc((n ? n : 1) * sizeof(*idx));
	ksyms_find(ks, name, idx, n);
	for (i = 0; i < pre->nr_syms && !conflict; i++) {
		struct kl_symbol *f = pre->syms[i];
		struct kl_rela *r;
		size_t nr;

		if (f->type != STT_FUNC || !f->sec || !f->size)
			continue;
		nr = kl_relas_in(f->sec, f->value, f->value + f->size, &r);
		for (k = 0; k < nr && !conflict; k++) {
			struct kl_target t;
			uint64_t addr;
			size_t c;

			resolve_target(pre, f->sec, &r[k], &t);
			if (t.anonymous || t.sym != self)
				continue;
			addr = referenced_address(ks, f, &r[k], &t, im, shift);
			for (c = 0; addr && c < n; c++)
				if (ks->syms[idx[c]].addr == addr)
					break;
			if (!addr || c == n)
				continue;
			if (found >= 0 && found != (long)c)
				conflict = true;
			found = (long)c;
		}
	}
	free(idx);
	if (conflict || found < 0)
		return SYMPOS_AMBIGUOUS;
	*pos = found + 1;
	kl_debug("%s: position %lu of %zu, from the code that uses it", name,
		 *pos, n);
	return SYMPOS_OK;
}
