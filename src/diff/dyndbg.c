/*
 * dyndbg.c - pairs the pr_debug() descriptors (struct _ddebug in
 * __dyndbg) of the two objects by what they describe rather than by name.
 * Their names carry a counter of the whole file (__UNIQUE_ID_ddebug384.22),
 * so a pr_debug() added above renames every one below it, and a function
 * inlined into two callers shares its descriptor between them.  A
 * descriptor is its function's name and its message; a changed message
 * pairs with the one left over in the same function, in order.
 */
#include "diff.h"
#include "../util/util.h"

#include <stdlib.h>
#include <string.h>

/* Offsets of the fields of struct _ddebug that point at strings. */
#define DDEBUG_FUNCTION	8
#define DDEBUG_FORMAT	24

struct descriptor {
	struct kl_symbol *sym;
	const char *function;
	const char *format;
};

/* The string a field points at: a literal, or __func__.N. */
static const char *field_string(struct kl_elf *elf, struct kl_symbol *s,
				uint64_t field)
{
	struct kl_rela *r;

	if (kl_relas_in(s->sec, s->value + field, s->value + field + 8,
			&r) != 1)
		return NULL;
	return target_string(elf, s->sec, r);
}

static int by_offset(const void *a, const void *b)
{
	const struct descriptor *x = a, *y = b;

	return x->sym->value < y->sym->value ? -1 :
	       x->sym->value > y->sym->value;
}

/* The object's descriptors whose fields could be read, in table order. */
static struct descriptor *descriptors(struct kl_elf *elf, size_t *nr)
{
	struct descriptor *list = NULL;
	size_t i, n = 0;

	for (i = 0; i < elf->nr_syms; i++) {
		struct kl_symbol *s = elf->syms[i];
		struct descriptor d = { .sym = s };

		if (!is_dyndbg_descriptor(s) || s->twin)
			continue;
		d.function = field_string(elf, s, DDEBUG_FUNCTION);
		d.format = field_string(elf, s, DDEBUG_FORMAT);
		if (!d.function || !d.format)
			continue;
		list = xrealloc(list, (n + 1) * sizeof(*list));
		list[n++] = d;
	}
	if (n)
		qsort(list, n, sizeof(*list), by_offset);
	*nr = n;
	return list;
}

static void pair(struct descriptor *a, struct descriptor *b)
{
	a->sym->twin = b->sym;
	b->sym->twin = a->sym;
}

/* How many unpaired descriptors of list match function (and format). */
static size_t count(struct descriptor *list, size_t n, const char *function,
		    const char *format, struct descriptor **first)
{
	size_t i, found = 0;

	for (i = 0; i < n; i++) {
		if (list[i].sym->twin || strcmp(list[i].function, function) ||
		    (format && strcmp(list[i].format, format)))
			continue;
		if (!found++)
			*first = &list[i];
	}
	return found;
}

void pair_dyndbg_descriptors(struct kl_elf *pre, struct kl_elf *post)
{
	struct descriptor *a, *b, *x, *y;
	size_t na, nb, i, k, m;

	a = descriptors(pre, &na);
	b = descriptors(post, &nb);
	/* The same message of the same function, once on each side. */
	for (i = 0; i < nb; i++)
		if (!b[i].sym->twin &&
		    count(b, nb, b[i].function, b[i].format, &y) == 1 &&
		    count(a, na, b[i].function, b[i].format, &x) == 1)
			pair(x, y);
	/* What is left of one function, in order, when as many each side. */
	for (i = 0; i < nb; i++) {
		if (b[i].sym->twin)
			continue;
		m = count(b, nb, b[i].function, NULL, &y);
		if (count(a, na, b[i].function, NULL, &x) != m)
			continue;
		for (k = 0; k < nb && m; k++) {
			if (b[k].sym->twin || strcmp(b[k].function, b[i].function))
				continue;
			count(a, na, b[i].function, NULL, &x);
			pair(x, &b[k]);
			m--;
		}
	}
	free(a);
	free(b);
}
