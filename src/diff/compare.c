/*
 * compare.c - decides, symbol by symbol, what a patch changed: functions
 * that differ in code or in what they reference, new functions and data,
 * and changes to existing data, which a live patch cannot carry.
 */
#include "diff.h"
#include "../util/util.h"

#include <string.h>

static const char *string_at(const struct kl_section *sec, int64_t off)
{
	if (!sec->data || off < 0 || (size_t)off >= sec->size)
		return "";
	return (const char *)sec->data + off;
}

static bool same_target(struct kl_elf *pre, const struct kl_section *sa,
			const struct kl_rela *a, struct kl_elf *post,
			const struct kl_section *sb, const struct kl_rela *b)
{
	struct kl_target ta, tb;
	int64_t adj;

	resolve_target(pre, sa, a, &ta);
	resolve_target(post, sb, b, &tb);
	if (ta.anonymous != tb.anonymous)
		return false;
	if (ta.anonymous) {
		if (!kl_is_string_section(ta.sym->sec))
			return !strcmp(ta.sym->sec->name, tb.sym->sec->name) &&
			       ta.offset == tb.offset;
		if (strcmp(ta.sym->sec->name, tb.sym->sec->name))
			return false;
		adj = kl_rela_is_pcrel(a->type) && kl_is_text(sa) ? 4 : 0;
		return !strcmp(string_at(ta.sym->sec, ta.offset + adj),
			       string_at(tb.sym->sec, tb.offset + adj));
	}
	if (ta.offset != tb.offset)
		return false;
	if (tb.sym->twin)
		return tb.sym->twin == ta.sym;
	return !ta.sym->twin && !strcmp(ta.sym->name, tb.sym->name) &&
	       kl_sym_is_undef(ta.sym) && kl_sym_is_undef(tb.sym);
}

/* Same bytes, and relocations to the same things, over the symbol's range. */
static bool same_symbol(struct kl_elf *pre, struct kl_symbol *a,
			struct kl_elf *post, struct kl_symbol *b)
{
	struct kl_rela *ra, *rb;
	size_t na, nb, i;

	if (a->size != b->size)
		return false;
	if (a->sec->data && b->sec->data &&
	    (a->value + a->size > a->sec->size ||
	     b->value + b->size > b->sec->size ||
	     memcmp(a->sec->data + a->value, b->sec->data + b->value, a->size)))
		return false;
	if ((a->sec->sh.sh_type == SHT_NOBITS) !=
	    (b->sec->sh.sh_type == SHT_NOBITS))
		return false;
	na = kl_relas_in(a->sec, a->value, a->value + a->size, &ra);
	nb = kl_relas_in(b->sec, b->value, b->value + b->size, &rb);
	if (na != nb)
		return false;
	for (i = 0; i < na; i++) {
		struct kl_rela *x = &ra[i], *y = &rb[i];

		if (x->offset - a->value != y->offset - b->value ||
		    x->type != y->type || !same_target(pre, a->sec, x, post, b->sec, y))
			return false;
	}
	return true;
}

static bool is_init_section(const struct kl_section *sec)
{
	return str_starts(sec->name, ".init.") || str_starts(sec->name, ".exit.");
}

static int check_data(struct kl_symbol *b)
{
	kl_err("data variable '%s' changed (initial value, size or layout): a live patch cannot change existing data; keep it and use a shadow variable",
	       b->name);
	return -1;
}

int compare_sections(struct kl_elf *pre, struct kl_elf *post)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < post->nr_syms; i++) {
		struct kl_symbol *b = post->syms[i];

		if ((b->type != STT_FUNC && b->type != STT_OBJECT) || !b->sec ||
		    is_ignored_section(b->sec) || is_special_section(b->sec) ||
		    !(b->sec->sh.sh_flags & SHF_ALLOC))
			continue;
		if (!b->twin) {
			b->status = KL_NEW;
			continue;
		}
		if (same_symbol(pre, b->twin, post, b))
			continue;
		b->status = KL_CHANGED;
		if (b->type == STT_OBJECT) {
			ret = check_data(b);
		} else if (is_init_section(b->sec)) {
			kl_err("function '%s' is init or exit code (%s): it already ran, a live patch cannot change it",
			       b->name, b->sec->name);
			ret = -1;
		}
	}
	return ret;
}
