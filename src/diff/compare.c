/*
 * compare.c - decides, symbol by symbol, what a patch changed: functions
 * that differ in code or in what they reference, new functions and data,
 * and changes to existing data, which a live patch cannot carry.
 */
#include "diff.h"
#include "../util/util.h"

#include <stdlib.h>
#include <string.h>

/* The string at off in sec, or NULL if there is none (not terminated). */

static bool same_symbol_range(struct kl_elf *pre, struct kl_section *sa,
			      uint64_t a_start, struct kl_elf *post,
			      struct kl_section *sb, uint64_t b_start,
			      uint64_t size, int depth);

/* One entry of a constant pool each, compared by value. */
static bool same_constant(const struct kl_section *xa, int64_t at_a,
			  const struct kl_section *xb, int64_t at_b)
{
	uint64_t size = xa->sh.sh_entsize;

	if (size != xb->sh.sh_entsize || !xa->data || !xb->data ||
	    at_a < 0 || at_b < 0 || (uint64_t)at_a + size > xa->size ||
	    (uint64_t)at_b + size > xb->size)
		return false;
	return !memcmp(xa->data + at_a, xb->data + at_b, size);
}

static bool same_target(struct kl_elf *pre, const struct kl_section *sa,
			const struct kl_rela *a, struct kl_elf *post,
			const struct kl_section *sb, const struct kl_rela *b,
			int depth)
{
	struct kl_target ta, tb;
	int64_t adj;

	resolve_target(pre, sa, a, &ta);
	resolve_target(post, sb, b, &tb);
	if (ta.anonymous != tb.anonymous)
		return false;
	if (ta.anonymous) {
		struct kl_section *xa = ta.sym->sec, *xb = tb.sym->sec;
		const char *sa_str, *sb_str;

		if (kl_is_string_section(xa) != kl_is_string_section(xb))
			return false;
		if (kl_is_string_section(xa)) {
			/* gcc names string sections after their first user. */
			adj = kl_rela_is_pcrel(a->type) && kl_is_text(sa) ? 4 : 0;
			sa_str = section_string(xa, ta.offset + adj);
			sb_str = section_string(xb, tb.offset + adj);

			return sa_str && sb_str && !strcmp(sa_str, sb_str);
		}
		if (kl_is_constant_pool(xa) != kl_is_constant_pool(xb))
			return false;
		if (kl_is_constant_pool(xa)) {
			adj = kl_rela_is_pcrel(a->type) && kl_is_text(sa) ? 4 : 0;
			return same_constant(xa, ta.offset + adj, xb,
					     tb.offset + adj);
		}
		/* Jump tables and the like: compare what they hold. */
		return ta.offset == tb.offset && depth < 4 &&
		       xa->sh.sh_size == xb->sh.sh_size &&
		       same_symbol_range(pre, xa, 0, post, xb, 0,
					 xa->sh.sh_size, depth + 1);
	}
	if (ta.offset != tb.offset)
		return false;
	if (tb.sym->type == STT_OBJECT && tb.sym->status == KL_CHANGED)
		return false;
	if (tb.sym->twin)
		return tb.sym->twin == ta.sym;
	return !ta.sym->twin && !strcmp(ta.sym->name, tb.sym->name) &&
	       kl_sym_is_undef(ta.sym) && kl_sym_is_undef(tb.sym);
}

static bool same_symbol_range(struct kl_elf *pre, struct kl_section *sa,
			      uint64_t a_start, struct kl_elf *post,
			      struct kl_section *sb, uint64_t b_start,
			      uint64_t size, int depth)
{
	struct kl_rela *ra, *rb;
	size_t na, nb, i;

	if ((sa->sh.sh_type == SHT_NOBITS) != (sb->sh.sh_type == SHT_NOBITS))
		return false;
	if (sa->data && sb->data &&
	    (a_start + size > sa->size || b_start + size > sb->size ||
	     memcmp(sa->data + a_start, sb->data + b_start, size)))
		return false;
	na = kl_relas_in(sa, a_start, a_start + size, &ra);
	nb = kl_relas_in(sb, b_start, b_start + size, &rb);
	if (na != nb)
		return false;
	for (i = 0; i < na; i++) {
		struct kl_rela *x = &ra[i], *y = &rb[i];

		if (x->offset - a_start != y->offset - b_start ||
		    x->type != y->type ||
		    !same_target(pre, sa, x, post, sb, y, depth))
			return false;
	}
	return true;
}

/* Same bytes, and relocations to the same things, over the symbol's range. */
static bool same_symbol_exact(struct kl_elf *pre, struct kl_symbol *a,
			      struct kl_elf *post, struct kl_symbol *b)
{
	return a->size == b->size &&
	       same_symbol_range(pre, a->sec, a->value, post, b->sec, b->value,
				 a->size, 0);
}

/* The same, or differing only in __LINE__ values of unchanged statements. */
static bool same_symbol(struct kl_elf *pre, struct kl_symbol *a,
			struct kl_elf *post, struct kl_symbol *b)
{
	return same_symbol_exact(pre, a, post, b) ||
	       same_but_lines(pre, a, post, b, same_symbol_exact);
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

static bool is_compared(const struct kl_symbol *b, unsigned char type)
{
	return b->type == type && b->sec && !is_ignored_section(b->sec) &&
	       !is_special_section(b->sec) && !is_marker_section(b->sec) &&
	       !(b->sec->marks & KL_MARK_IGNORE) &&
	       (b->sec->sh.sh_flags & SHF_ALLOC);
}

/* Local constants (gcc's switch tables, const arrays) can be carried anew. */
static bool is_local_constant(const struct kl_symbol *b)
{
	return b->bind == STB_LOCAL && !(b->sec->sh.sh_flags & SHF_WRITE);
}

/* Sets the status of every symbol of one type; refuses what cannot change. */
static int compare_type(struct kl_elf *pre, struct kl_elf *post,
			unsigned char type)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < post->nr_syms; i++) {
		struct kl_symbol *b = post->syms[i];

		if (!is_compared(b, type))
			continue;
		if (!b->twin) {
			b->status = KL_NEW;
			continue;
		}
		if (same_symbol(pre, b->twin, post, b))
			continue;
		b->status = KL_CHANGED;
		/* A pr_debug() descriptor is the message's: carried anew. */
		if (type == STT_OBJECT && !is_local_constant(b) &&
		    !is_dyndbg_descriptor(b)) {
			ret = check_data(b);
		} else if (type == STT_FUNC && is_init_section(b->sec)) {
			if (forced(b, "is changed init or exit code, which already ran: the change is accepted, not applied")) {
				b->status = KL_SAME;
				continue;
			}
			kl_err("function '%s' is init or exit code (%s): it already ran, a live patch cannot change it (KPATCH_FORCE_UNSAFE accepts this)",
			       b->name, b->sec->name);
			ret = -1;
		}
	}
	return ret;
}

/* Data first: a function is changed when a constant it reads changed. */
int compare_sections(struct kl_elf *pre, struct kl_elf *post)
{
	int data = compare_type(pre, post, STT_OBJECT);
	int code = compare_type(pre, post, STT_FUNC);

	return data || code ? -1 : 0;
}
