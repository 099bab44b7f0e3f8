/*
 * correlate.c - pairs each section and symbol of the post object with its
 * twin in the pre object.  Names are compared as they are, then with gcc's
 * numeric suffixes of static locals (name.123) dropped, when that pairing
 * is unique.
 */
#include "diff.h"
#include "../util/util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* "counter.123" -> length of "counter"; other names: their whole length. */
static size_t base_len(const char *name)
{
	const char *dot = strrchr(name, '.');
	const char *p;

	if (!dot || !dot[1] || dot == name)
		return strlen(name);
	for (p = dot + 1; *p; p++)
		if (!isdigit((unsigned char)*p))
			return strlen(name);
	return dot - name;
}

static bool same_base(const char *a, const char *b)
{
	size_t la = base_len(a), lb = base_len(b);

	return la == lb && !strncmp(a, b, la);
}

static bool pairable(const struct kl_symbol *a, const struct kl_symbol *b)
{
	return a->type == b->type && !a->twin && !b->twin &&
	       (a->bind == STB_LOCAL) == (b->bind == STB_LOCAL);
}

static void pair_symbols(struct kl_elf *pre, struct kl_elf *post)
{
	size_t i, j;

	for (i = 0; i < post->nr_syms; i++) {
		struct kl_symbol *s = post->syms[i], *t;

		if (s->type == STT_SECTION || s->type == STT_FILE || !*s->name)
			continue;
		t = kl_find_symbol(pre, s->name);
		if (t && pairable(s, t)) {
			s->twin = t;
			t->twin = s;
		}
	}
	/* Renumbered statics: pair when exactly one candidate is left. */
	for (i = 0; i < post->nr_syms; i++) {
		struct kl_symbol *s = post->syms[i], *cand = NULL;
		int n = 0;

		if (s->twin || s->bind != STB_LOCAL || s->type == STT_SECTION ||
		    s->type == STT_FILE || base_len(s->name) == strlen(s->name))
			continue;
		for (j = 0; j < pre->nr_syms; j++) {
			struct kl_symbol *t = pre->syms[j];

			if (pairable(s, t) && same_base(s->name, t->name)) {
				cand = t;
				n++;
			}
		}
		if (n == 1) {
			s->twin = cand;
			cand->twin = s;
		}
	}
}

static void pair_sections(struct kl_elf *pre, struct kl_elf *post)
{
	size_t i;

	for (i = 0; i < post->nr_secs; i++) {
		struct kl_section *s = post->secs[i], *t;

		t = kl_find_section(pre, s->name);
		if (t && !t->twin && t->sh.sh_type == s->sh.sh_type) {
			s->twin = t;
			t->twin = s;
		}
	}
	/* Sections named after renumbered statics (.bss.counter.123). */
	for (i = 0; i < post->nr_syms; i++) {
		struct kl_symbol *s = post->syms[i];

		if (!s->twin || !s->sec || !s->twin->sec || s->sec->twin)
			continue;
		if (s->twin->sec->twin)
			continue;
		s->sec->twin = s->twin->sec;
		s->twin->sec->twin = s->sec;
	}
}

void correlate(struct kl_elf *pre, struct kl_elf *post)
{
	pair_symbols(pre, post);
	pair_sections(pre, post);
}
