/*
 * include.c - marks what the live patch must carry: the changed functions
 * and the new global functions and variables (another object of the patch
 * may use them), and, following their relocations, the new functions and
 * data they use and the anonymous data (strings, jump tables) they
 * reference.  Everything else
 * they reference stays the running kernel's.  Then keeps the entries of the
 * special sections that belong to included functions.
 */
#include "diff.h"
#include "special.h"
#include "../util/util.h"

#include <stdlib.h>
#include <string.h>

/*
 * Symbols to follow.  "Load time" ones are read through pointers resolved
 * when the module loads (special table entries, pr_debug and printk index
 * records): the constants they point to are carried, not borrowed.
 */
struct work {
	struct kl_symbol *sym;
	bool loadtime;
};

struct worklist {
	struct work *items;
	size_t nr, cap;
};

static bool is_loadtime_record(const struct kl_symbol *sym)
{
	return !strcmp(sym->sec->name, DYNDBG_SECTION) ||
	       is_printk_index_entry(sym);
}

static void push(struct worklist *w, struct kl_symbol *sym, bool loadtime)
{
	if (sym->include)
		return;
	sym->include = true;
	if (w->nr == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 64;
		w->items = xrealloc(w->items, w->cap * sizeof(*w->items));
	}
	w->items[w->nr].sym = sym;
	w->items[w->nr].loadtime = loadtime ||
		(sym->sec && is_loadtime_record(sym));
	w->nr++;
}

static bool is_cold_part(const struct kl_symbol *sym)
{
	return sym->type == STT_FUNC && strstr(sym->name, ".cold");
}

/* Whether a referenced symbol must be carried rather than borrowed. */
static bool must_carry(const struct kl_symbol *sym, bool loadtime)
{
	if (!sym->sec || !sym->size)
		return false;
	if (sym->status == KL_NEW || sym->status == KL_CHANGED)
		return true;
	/* A carried pr_debug() gets its own descriptor, for its own format. */
	if (is_loadtime_record(sym))
		return true;
	if (loadtime && sym->type == STT_OBJECT && sym->bind == STB_LOCAL &&
	    !(sym->sec->sh.sh_flags & SHF_WRITE))
		return true;
	return is_cold_part(sym);
}

bool is_new_global(const struct kl_symbol *s)
{
	return s->status == KL_NEW && s->bind != STB_LOCAL && s->sec &&
	       s->size && (s->type == STT_FUNC || s->type == STT_OBJECT);
}

static void include_relas(struct kl_elf *post, struct kl_section *sec,
			  uint64_t start, uint64_t end, struct worklist *w,
			  bool loadtime)
{
	struct kl_rela *r;
	size_t n, i;

	n = kl_relas_in(sec, start, end, &r);
	for (i = 0; i < n; i++) {
		struct kl_target t;

		resolve_target(post, sec, &r[i], &t);
		if (t.anonymous) {
			if (t.sym->sec->include)
				continue;
			t.sym->sec->include = true;
			if (t.sym->type == STT_SECTION)
				push(w, t.sym, loadtime);
			else	/* a label in it (.LC1) */
				include_relas(post, t.sym->sec, 0,
					      t.sym->sec->size, w, loadtime);
		} else if (must_carry(t.sym, loadtime)) {
			push(w, t.sym, loadtime);
		}
	}
}

static void close_over(struct kl_elf *post, struct worklist *w)
{
	while (w->nr) {
		struct work item = w->items[--w->nr];
		struct kl_symbol *sym = item.sym;

		if (sym->type == STT_SECTION)
			include_relas(post, sym->sec, 0, sym->sec->size ?
				      sym->sec->size : sym->sec->sh.sh_size,
				      w, item.loadtime);
		else
			include_relas(post, sym->sec, sym->value,
				      sym->value + sym->size, w,
				      item.loadtime);
	}
}

static void include_entries(struct kl_elf *post, struct kl_section *sec,
			    struct worklist *w)
{
	struct special_keep *keep = sec->priv;
	size_t i;

	for (i = 0; keep && i < keep->nr; i++) {
		uint64_t off = keep->entries[i] * keep->entsize;

		include_relas(post, sec, off, off + keep->entsize, w, true);
	}
}

int include_changed(struct kl_elf *post)
{
	struct worklist w = { 0 };
	size_t i;

	for (i = 0; i < post->nr_syms; i++) {
		struct kl_symbol *s = post->syms[i];

		if (s->type == STT_FUNC && s->status == KL_CHANGED)
			push(&w, s, false);
		/* What the patch adds for other objects of it to use. */
		if (is_new_global(s))
			push(&w, s, false);
		/* Callback records, and with them their functions. */
		if (s->type == STT_OBJECT && (s->marks & KL_MARK_CALLBACK))
			push(&w, s, false);
	}
	close_over(post, &w);
	/* Special entries may pull in more (replacement code, strings). */
	if (special_mark_entries(post)) {
		free(w.items);
		return -1;
	}
	for (i = 0; i < post->nr_secs; i++)
		if (post->secs[i]->include && is_special_section(post->secs[i]))
			include_entries(post, post->secs[i], &w);
	close_over(post, &w);
	free(w.items);
	return 0;
}
