/*
 * sympos.c - finds which of the kernel's symbols of one name a local symbol
 * of the patched object is, without debug information.
 *
 * The linker keeps each input section whole, so the symbols that share a
 * section with ours in the object sit at the same distances from it in the
 * kernel: the candidate with most of them at the right addresses wins.
 * Where a section holds no other symbol, the candidate inside the longest
 * run of the object's other names in the symbol list wins, counting the
 * names on the side of it where gcc emitted them.  A tie on both
 * is refused, not guessed.
 */
#include "emit.h"
#include "../util/util.h"

#include <stdlib.h>
#include <string.h>

#define NEIGHBOURHOOD 400
/* Names of other files tolerated inside one file's run of symbols. */
#define RUN_GAP 3

static bool is_name_of(struct kl_elf *pre, const char *name)
{
	struct kl_symbol *s = kl_find_symbol(pre, name);

	return s && s->sec && (s->type == STT_FUNC || s->type == STT_OBJECT);
}

/* Is there a kernel symbol of this name at this address? */
static bool listed_at(const struct ksyms *ks, const char *name, uint64_t addr)
{
	size_t few[64], *idx = few, n, i;
	bool found = false;

	n = ksyms_find(ks, name, few, ARRAY_SIZE(few));
	if (n > ARRAY_SIZE(few)) {
		idx = xmalloc(n * sizeof(*idx));
		ksyms_find(ks, name, idx, n);
	}
	for (i = 0; i < n && !found; i++)
		found = ks->syms[idx[i]].addr == addr;
	if (idx != few)
		free(idx);
	return found;
}

/*
 * How many of the symbols sharing our section in the object are listed at
 * the distance from the candidate they have from us in the object.
 */
static size_t layout_score(const struct ksyms *ks, struct kl_elf *pre,
			   const struct kl_symbol *self, uint64_t addr)
{
	struct kl_symbol **in;
	size_t n, i, score = 0;

	if (!self || !self->sec)
		return 0;
	in = kl_section_symbols(pre, self->sec, &n);
	for (i = 0; i < n; i++) {
		const struct kl_symbol *s = in[i];

		if (s == self || !s->name[0] ||
		    (s->type != STT_FUNC && s->type != STT_OBJECT))
			continue;
		if (listed_at(ks, s->name, addr + (s->value - self->value)))
			score++;
	}
	return score;
}

/* Whether a comes before b in the object, as gcc emitted them. */
static bool emitted_before(const struct kl_symbol *a, const struct kl_symbol *b)
{
	if (a->sec->index != b->sec->index)
		return a->sec->index < b->sec->index;
	return a->value < b->value;
}

/*
 * How many of the object's names lie next to the candidate, walking away
 * from it in one direction until RUN_GAP names in a row are not the
 * object's.  Only names the kernel has once, and that gcc emitted on that
 * side of ours, are evidence; the object's other names (names many files
 * share, such as __func__.0 or header inlines) only keep the run going.
 */
static size_t run_length(const struct ksyms *ks, struct kl_elf *pre,
			 size_t at, int step, const struct kl_symbol *self)
{
	size_t n = 0, walked = 0;
	int gap = 0;
	long i = (long)at + step;

	for (; i >= 0 && (size_t)i < ks->nr && walked < NEIGHBOURHOOD;
	     i += step, walked++) {
		const char *name = ks->syms[i].name;
		struct kl_symbol *s = kl_find_symbol(pre, name);

		if (!s || s == self || !is_name_of(pre, name)) {
			if (++gap > RUN_GAP)
				break;
			continue;
		}
		gap = 0;
		if (ksyms_count(ks, name) == 1 &&
		    (!self || !self->sec ||
		     emitted_before(s, self) == (step < 0)))
			n++;
	}
	return n;
}

static size_t run_score(const struct ksyms *ks, struct kl_elf *pre,
			const struct kl_symbol *self, size_t at)
{
	return run_length(ks, pre, at, -1, self) +
	       run_length(ks, pre, at, 1, self);
}

const char *sympos_reason(enum sympos_result r)
{
	switch (r) {
	case SYMPOS_NO_LIST:
		return "the target has no symbol list (prepare it with --kallsyms)";
	case SYMPOS_MISSING:
		return "it is not in the target kernel's symbol list";
	case SYMPOS_AMBIGUOUS:
		return "several kernel symbols have that name and neither their layout nor their neighbours tell which one is this file's";
	default:
		return "no error";
	}
}

/* Index of the one candidate with the highest score, or -1 on a tie. */
static long best_of(const size_t *score, size_t n)
{
	size_t i, best = 0;
	bool tie = false;

	for (i = 1; i < n; i++) {
		if (score[i] > score[best]) {
			best = i;
			tie = false;
		} else if (score[i] == score[best]) {
			tie = true;
		}
	}
	return tie || !score[best] ? -1 : (long)best;
}

enum sympos_result symbol_position(const struct ksyms *ks, struct kl_elf *pre,
				   const char *name, unsigned long *pos)
{
	struct kl_symbol *self = kl_find_symbol(pre, name);
	size_t *idx, *score, n, i;
	long best;

	if (!ks->have_list)
		return SYMPOS_NO_LIST;
	n = ksyms_find(ks, name, NULL, 0);
	if (!n)
		return SYMPOS_MISSING;
	if (n == 1) {
		*pos = 0;
		return SYMPOS_OK;
	}
	idx = xmalloc(n * sizeof(*idx));
	score = xmalloc(n * sizeof(*score));
	ksyms_find(ks, name, idx, n);
	for (i = 0; i < n; i++)
		score[i] = layout_score(ks, pre, self, ks->syms[idx[i]].addr);
	best = best_of(score, n);
	if (best < 0) {
		for (i = 0; i < n; i++)
			score[i] = run_score(ks, pre, self, idx[i]);
		best = best_of(score, n);
	}
	free(idx);
	free(score);
	if (best < 0)
		return SYMPOS_AMBIGUOUS;
	*pos = best + 1;
	kl_debug("%s: position %lu of %zu", name, *pos, n);
	return SYMPOS_OK;
}
