/*
 * sympos.c - finds which of the kernel's symbols of one name a local symbol
 * of the patched object is.  Symbols of one file sit together in the
 * kernel's symbol list, so the candidate surrounded by most of the object's
 * other local names wins; a tie is refused, not guessed.
 */
#include "emit.h"
#include "../util/util.h"

#include <stdlib.h>
#include <string.h>

#define NEIGHBOURHOOD 400
#define MAX_CANDIDATES 64

static bool is_local_name_of(struct kl_elf *pre, const char *name)
{
	struct kl_symbol *s = kl_find_symbol(pre, name);

	return s && s->bind == STB_LOCAL && s->sec &&
	       (s->type == STT_FUNC || s->type == STT_OBJECT);
}

static size_t score(const struct ksyms *ks, struct kl_elf *pre, size_t at)
{
	size_t lo = at > NEIGHBOURHOOD ? at - NEIGHBOURHOOD : 0;
	size_t hi = at + NEIGHBOURHOOD < ks->nr ? at + NEIGHBOURHOOD : ks->nr;
	size_t i, n = 0;

	for (i = lo; i < hi; i++)
		if (i != at && is_local_name_of(pre, ks->syms[i].name))
			n++;
	return n;
}

const char *sympos_reason(enum sympos_result r)
{
	switch (r) {
	case SYMPOS_NO_LIST:
		return "the target has no symbol list (prepare it with --kallsyms)";
	case SYMPOS_MISSING:
		return "it is not in the target kernel's symbol list";
	case SYMPOS_AMBIGUOUS:
		return "several kernel symbols have that name and their neighbours do not tell which one is this file's";
	default:
		return "no error";
	}
}

enum sympos_result symbol_position(const struct ksyms *ks, struct kl_elf *pre,
				   const char *name, unsigned long *pos)
{
	size_t idx[MAX_CANDIDATES], n, i, best = 0, best_score = 0;
	bool tie = false;

	if (!ks->have_list)
		return SYMPOS_NO_LIST;
	n = ksyms_find(ks, name, idx, MAX_CANDIDATES);
	if (!n)
		return SYMPOS_MISSING;
	if (n == 1) {
		*pos = 0;
		return SYMPOS_OK;
	}
	if (n > MAX_CANDIDATES)
		n = MAX_CANDIDATES;
	for (i = 0; i < n; i++) {
		size_t s = score(ks, pre, idx[i]);

		if (s > best_score) {
			best_score = s;
			best = i;
			tie = false;
		} else if (s == best_score) {
			tie = true;
		}
	}
	if (!best_score || tie)
		return SYMPOS_AMBIGUOUS;
	*pos = best + 1;
	kl_debug("%s: position %lu of %zu", name, *pos, n);
	return SYMPOS_OK;
}
