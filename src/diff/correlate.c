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
	       (a->bind == STB_LOCAL) == (b->bind == STB_LOCAL) &&
	       !a->sec == !b->sec;
}

static bool is_numbered_static(const struct kl_symbol *s)
{
	return s->bind == STB_LOCAL && s->type == STT_OBJECT &&
	       base_len(s->name) != strlen(s->name);
}

/* The function a cold part (f.cold) was split from; f itself otherwise. */
static struct kl_symbol *whole_function(struct kl_elf *elf,
					struct kl_symbol *f)
{
	const char *cold = strstr(f->name, ".cold");
	struct kl_symbol *parent;
	char *name;

	if (!cold)
		return f;
	name = xstrndup(f->name, cold - f->name);
	parent = kl_find_symbol(elf, name);
	free(name);
	return parent && parent->type == STT_FUNC ? parent : f;
}

/* The cold part of function f, or NULL. */
static struct kl_symbol *cold_part(struct kl_elf *elf, struct kl_symbol *f)
{
	char *name = xasprintf("%s.cold", f->name);
	struct kl_symbol *cold = kl_find_symbol(elf, name);

	free(name);
	return cold && cold->type == STT_FUNC && cold->sec ? cold : NULL;
}

/*
 * The one function of the object whose code refers to sym, or NULL; a
 * function's cold part counts as the function.
 */
static struct kl_symbol *sole_user(struct kl_elf *elf, struct kl_symbol *sym)
{
	struct kl_symbol *user = NULL;
	size_t i, j;

	for (i = 0; i < elf->nr_secs; i++) {
		struct kl_section *rela = elf->secs[i], *base = rela->base;

		if (!kl_is_rela(rela) || !base || !kl_is_text(base))
			continue;
		for (j = 0; j < rela->nr_relas; j++) {
			struct kl_target t;
			struct kl_symbol *f;

			resolve_target(elf, base, &rela->relas[j], &t);
			if (t.anonymous || t.sym != sym)
				continue;
			f = kl_symbol_at(elf, base, rela->relas[j].offset,
					 1u << STT_FUNC);
			if (f)
				f = whole_function(elf, f);
			if (!f || (user && user != f))
				return NULL;
			user = f;
		}
	}
	return user;
}

#define MAX_SAME_NAMED	16

/*
 * Statics of one kind: named alike (n.1, n.7), or pr_debug() descriptors,
 * whose names carry a counter of the whole file (__UNIQUE_ID_ddebug384.22)
 * that a pr_debug() added above them changes.
 */
static bool same_kind(const struct kl_symbol *a, const struct kl_symbol *b)
{
	if (is_dyndbg_descriptor(a) || is_dyndbg_descriptor(b))
		return is_dyndbg_descriptor(a) && is_dyndbg_descriptor(b);
	return same_base(a->name, b->name);
}

/*
 * The statics of s's kind (n.1, n.7...) that function f of elf (and its
 * cold part) refers to, in the order of their first use; 0 if there are
 * more than out can hold.
 */
static size_t statics_used_in(struct kl_elf *elf, struct kl_symbol *f,
			      const struct kl_symbol *s,
			      struct kl_symbol *out[MAX_SAME_NAMED], size_t nr)
{
	struct kl_rela *r;
	size_t n, i, j;

	n = kl_relas_in(f->sec, f->value, f->value + f->size, &r);
	for (i = 0; i < n; i++) {
		struct kl_target t;

		resolve_target(elf, f->sec, &r[i], &t);
		if (t.anonymous || !is_numbered_static(t.sym) ||
		    !same_kind(t.sym, s))
			continue;
		for (j = 0; j < nr && out[j] != t.sym; j++)
			;
		if (j < nr)
			continue;
		if (nr == MAX_SAME_NAMED)
			return 0;
		out[nr++] = t.sym;
	}
	return nr;
}

static size_t statics_used_by(struct kl_elf *elf, struct kl_symbol *f,
			      const struct kl_symbol *s,
			      struct kl_symbol *out[MAX_SAME_NAMED])
{
	struct kl_symbol *cold = cold_part(elf, f);
	size_t nr = statics_used_in(elf, f, s, out, 0);

	return cold && nr ? statics_used_in(elf, cold, s, out, nr) : nr;
}

/*
 * gcc numbers function-local statics (n.0, n.1) across the whole file, so
 * a patch that adds one renumbers others: pair them through the function
 * that uses them instead.
 */
/* How far after a once flag's use its message is looked for. */
#define SIGNATURE_REACH	64

/*
 * What tells apart statics of one name in one function (the flags of two
 * printk_once() calls): the string the code uses closest to one of its
 * uses, the message printed once.
 */
static const char *signature(struct kl_elf *elf, struct kl_symbol *f,
			     struct kl_symbol *s)
{
	uint64_t best = SIGNATURE_REACH + 1;
	const char *found = NULL;
	struct kl_rela *r;
	size_t n, i, j;

	n = kl_relas_in(f->sec, f->value, f->value + f->size, &r);
	for (i = 0; i < n; i++) {
		struct kl_target t;

		resolve_target(elf, f->sec, &r[i], &t);
		if (t.anonymous || t.sym != s)
			continue;
		for (j = 0; j < n; j++) {
			uint64_t dist = r[j].offset > r[i].offset ?
					r[j].offset - r[i].offset :
					r[i].offset - r[j].offset;
			const char *str;

			if (dist >= best)
				continue;
			str = rela_string(elf, f->sec, &r[j]);
			if (str) {
				best = dist;
				found = str;
			}
		}
	}
	return found;
}

/* The one static of list whose signature is sig, or NULL. */
static struct kl_symbol *by_signature(struct kl_elf *elf, struct kl_symbol *f,
				      struct kl_symbol **list, size_t n,
				      const char *sig)
{
	struct kl_symbol *found = NULL;
	const char *other;
	size_t i;

	for (i = 0; i < n; i++) {
		other = signature(elf, f, list[i]);
		if (!other || strcmp(other, sig))
			continue;
		if (found)
			return NULL;
		found = list[i];
	}
	return found;
}

/* Whether pairing s is left to the function that uses it. */
static bool paired_through_user(struct kl_elf *post, struct kl_symbol *s)
{
	struct kl_symbol *user;

	if (!is_numbered_static(s))
		return false;
	user = sole_user(post, s);
	return user && user->twin && user->sec && user->twin->sec;
}

static void pair_statics_by_user(struct kl_elf *pre, struct kl_elf *post)
{
	struct kl_symbol *mine[MAX_SAME_NAMED], *theirs[MAX_SAME_NAMED];
	size_t i, k, n, m;

	for (i = 0; i < post->nr_syms; i++) {
		struct kl_symbol *s = post->syms[i], *user, *t = NULL;
		const char *sig;

		if (!is_numbered_static(s) || s->twin)
			continue;
		user = sole_user(post, s);
		if (!user || !user->twin || !user->sec || !user->twin->sec)
			continue;
		n = statics_used_by(post, user, s, mine);
		m = statics_used_by(pre, user->twin, s, theirs);
		if (!n || !m)
			continue;
		/* Several of one name in one function: by message... */
		sig = signature(post, user, s);
		if (sig && by_signature(post, user, mine, n, sig) == s)
			t = by_signature(pre, user->twin, theirs, m, sig);
		/* ...else in order, when there are as many before as after. */
		if (!t && n == m) {
			for (k = 0; k < n && mine[k] != s; k++)
				;
			if (k < n)
				t = theirs[k];
		}
		if (t && !t->twin && sole_user(pre, t) == user->twin) {
			s->twin = t;
			t->twin = s;
		}
	}
}

/* A numbered static constant without relocations (__func__.15). */
static bool is_plain_constant(const struct kl_symbol *s)
{
	struct kl_rela *r;

	return is_numbered_static(s) && s->sec && s->sec->data && s->size &&
	       (s->sec->sh.sh_flags & SHF_ALLOC) &&
	       !(s->sec->sh.sh_flags & SHF_WRITE) &&
	       s->value + s->size <= s->sec->size &&
	       !kl_relas_in(s->sec, s->value, s->value + s->size, &r);
}

static bool same_constant_value(const struct kl_symbol *a,
				const struct kl_symbol *b)
{
	return a->size == b->size && same_base(a->name, b->name) &&
	       !memcmp(a->sec->data + a->value, b->sec->data + b->value,
		       a->size);
}

/* The one unpaired plain constant of elf alike to s, or NULL. */
static struct kl_symbol *only_alike(struct kl_elf *elf,
				    const struct kl_symbol *s)
{
	struct kl_symbol *found = NULL;
	size_t i;

	for (i = 0; i < elf->nr_syms; i++) {
		struct kl_symbol *t = elf->syms[i];

		if (t->twin || t == s || !pairable(s, t) ||
		    !is_plain_constant(t) || !same_constant_value(s, t))
			continue;
		if (found)
			return NULL;
		found = t;
	}
	return found;
}

/*
 * Numbered constants (__func__.15, a function's name) are what they hold:
 * pair those whose value is found once on each side, whatever gcc
 * numbered them.
 */
static void pair_constants_by_value(struct kl_elf *pre, struct kl_elf *post)
{
	size_t i;

	for (i = 0; i < post->nr_syms; i++) {
		struct kl_symbol *s = post->syms[i], *t;

		if (s->twin || !is_plain_constant(s))
			continue;
		t = only_alike(pre, s);
		if (t && only_alike(post, t) == s) {
			s->twin = t;
			t->twin = s;
		}
	}
}

static void pair_symbols(struct kl_elf *pre, struct kl_elf *post)
{
	size_t i, j;

	for (i = 0; i < post->nr_syms; i++) {
		struct kl_symbol *s = post->syms[i], *t;

		if (s->type == STT_SECTION || s->type == STT_FILE || !*s->name ||
		    is_numbered_static(s))
			continue;
		t = kl_find_symbol(pre, s->name);
		if (t && pairable(s, t)) {
			s->twin = t;
			t->twin = s;
		}
	}
	pair_constants_by_value(pre, post);
	pair_statics_by_user(pre, post);
	/* Statics used by several functions: same name, else unique base. */
	for (i = 0; i < post->nr_syms; i++) {
		struct kl_symbol *s = post->syms[i], *t;

		if (!is_numbered_static(s) || s->twin ||
		    paired_through_user(post, s))
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
		    s->type == STT_FILE || base_len(s->name) == strlen(s->name) ||
		    paired_through_user(post, s))
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
	pair_dyndbg_descriptors(pre, post);
	pair_symbols(pre, post);
	pair_sections(pre, post);
}
