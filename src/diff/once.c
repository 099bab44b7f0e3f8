/*
 * once.c - guards the "already done" flags of WARN_ONCE(), printk_once()
 * and the like (static bools in .data.once).  A patched function keeps
 * using the running kernel's flags when they are paired with the pre
 * object's; a flag that could not be paired would be a new copy, cleared,
 * and the warning would fire once more: refused, unless the flag is new
 * (a once-call the patch adds) and none of the function's old ones is left
 * without a match.
 */
#include "diff.h"
#include "../util/util.h"

#include <string.h>

#define ONCE_SECTION ".data.once"

static bool is_once_flag(const struct kl_symbol *s)
{
	return s->type == STT_OBJECT && s->sec &&
	       str_starts(s->sec->name, ONCE_SECTION);
}

/* A once flag that f refers to and that has no twin, or NULL. */
static struct kl_symbol *unpaired_flag(struct kl_elf *elf,
				       struct kl_symbol *f)
{
	struct kl_rela *r;
	size_t n, i;

	n = kl_relas_in(f->sec, f->value, f->value + f->size, &r);
	for (i = 0; i < n; i++) {
		struct kl_target t;

		resolve_target(elf, f->sec, &r[i], &t);
		if (!t.anonymous && is_once_flag(t.sym) && !t.sym->twin)
			return t.sym;
	}
	return NULL;
}

int check_once_flags(struct kl_elf *pre, struct kl_elf *post)
{
	size_t i;

	(void)pre;
	for (i = 0; i < post->nr_syms; i++) {
		struct kl_symbol *f = post->syms[i], *new_flag, *lost;

		if (f->type != STT_FUNC || !f->include || !f->twin ||
		    !f->sec || !f->twin->sec)
			continue;
		new_flag = unpaired_flag(post, f);
		if (!new_flag)
			continue;
		lost = unpaired_flag(pre, f->twin);
		if (!lost)
			continue;
		if (forced(f, "gets a new copy of a once-only flag: its WARN_ONCE/printk_once may fire again"))
			continue;
		kl_err("function '%s' changed but cannot be patched: its once-only flag '%s' (WARN_ONCE, printk_once...) cannot be matched with the running kernel's '%s' and a new copy would be reset, so the warning would fire again",
		       f->name, new_flag->name, lost->name);
		return -1;
	}
	return 0;
}
