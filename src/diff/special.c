/* special.c - finds, in each special section, the entries of included functions. */
#include "special.h"
#include "diff.h"
#include "../util/util.h"

#include <stdlib.h>
#include <string.h>

struct special_kind {
	const char *name;
	size_t entsize;		/* 0: __bug_table, depends on the config */
};

/* x86-64, Linux 6.1. */
static const struct special_kind kinds[] = {
	{ "__mcount_loc", 8 },
	{ "__patchable_function_entries", 8 },
	{ ".orc_unwind_ip", 4 },
	{ ".return_sites", 4 },
	{ ".retpoline_sites", 4 },
	{ ".call_sites", 4 },
	{ ".ibt_endbr_seal", 4 },
	{ ".smp_locks", 4 },
	{ "__bug_table", 0 },
	{ "__ex_table", 12 },
	{ "__jump_table", 16 },
	{ ".altinstructions", 12 },
	{ ".parainstructions", 16 },
	{ ".static_call_sites", 8 },
	{ ".printk_index", 8 },
};

#define ORC_ENTRY_SIZE 6

static bool relas_fit(struct kl_section *sec, size_t size, uint64_t max_field)
{
	size_t i;

	if (!size || sec->size % size)
		return false;
	for (i = 0; sec->rela && i < sec->rela->nr_relas; i++)
		if (sec->rela->relas[i].offset % size > max_field)
			return false;
	return true;
}

/* struct bug_entry is 12 bytes with CONFIG_DEBUG_BUGVERBOSE, else 8. */
static size_t entry_size(struct kl_section *sec, const struct special_kind *k)
{
	if (k->entsize)
		return sec->size % k->entsize ? 0 : k->entsize;
	if (relas_fit(sec, 12, 4))
		return 12;
	if (relas_fit(sec, 8, 0))
		return 8;
	return 0;
}

/*
 * The function an entry's first relocation points into; or, for tables
 * such as ORC that also mark where a function ends, the one it ends.
 */
static struct kl_symbol *anchor_function(struct kl_elf *elf,
					 const struct kl_rela *r)
{
	struct kl_symbol *sym = r->sym, *ending = NULL, **syms;
	int64_t off = r->addend;
	size_t i, n;

	if (sym->type == STT_FUNC)
		return sym;
	if (sym->type != STT_SECTION || !kl_is_text(sym->sec) || off < 0)
		return NULL;
	syms = kl_section_symbols(elf, sym->sec, &n);
	for (i = 0; i < n; i++) {
		struct kl_symbol *f = syms[i];

		if (f->type != STT_FUNC)
			continue;
		if ((uint64_t)off >= f->value && (uint64_t)off < f->value + f->size)
			return f;
		if ((uint64_t)off == f->value + f->size)
			ending = f;
	}
	return ending;
}

/* struct pi_entry: fmt, then func, the name of the function printing. */
#define PI_ENTRY_FUNC_OFFSET	8

bool is_printk_index_entry(const struct kl_symbol *sym)
{
	const char *n = sym->name;

	return sym->type == STT_OBJECT && sym->bind == STB_LOCAL && sym->sec &&
	       !(sym->sec->sh.sh_flags & SHF_WRITE) &&
	       str_starts(n, "_entry") && (!n[6] || n[6] == '.');
}

/*
 * A .printk_index entry points at a pi_entry record, which names the
 * function that prints (its __func__): the entry belongs to that function.
 */
static struct kl_symbol *printk_index_anchor(struct kl_elf *elf,
					     struct kl_section *sec,
					     const struct kl_rela *r)
{
	struct kl_symbol *f;
	struct kl_target t;
	struct kl_rela *fr;
	const char *name;
	uint64_t at;

	resolve_target(elf, sec, r, &t);
	if (t.anonymous || !t.sym->sec || t.offset)
		return NULL;
	at = t.sym->value + PI_ENTRY_FUNC_OFFSET;
	if (kl_relas_in(t.sym->sec, at, at + 8, &fr) < 1 || fr->offset != at)
		return NULL;
	name = target_string(elf, t.sym->sec, fr);
	f = name ? kl_find_symbol(elf, name) : NULL;
	return f && f->type == STT_FUNC ? f : NULL;
}

static struct kl_rela *rela_at(struct kl_section *sec, uint64_t offset)
{
	size_t i;

	for (i = 0; sec->rela && i < sec->rela->nr_relas; i++)
		if (sec->rela->relas[i].offset == offset)
			return &sec->rela->relas[i];
	return NULL;
}

static void free_keep(void *p)
{
	struct special_keep *keep = p;

	free(keep->entries);
	free(keep);
}

/* Hangs keep on sec, which frees it. */
static void set_keep(struct kl_section *sec, struct special_keep *keep)
{
	if (sec->free_owned)
		sec->free_owned(sec->owned);
	sec->priv = keep;
	sec->owned = keep;
	sec->free_owned = free_keep;
	sec->include = keep->nr > 0;
}

static int mark_section(struct kl_elf *elf, struct kl_section *sec,
			const struct special_kind *k)
{
	struct special_keep *keep;
	size_t size = entry_size(sec, k), i;

	if (!size) {
		kl_err("%s: cannot read section %s (size %zu is not a whole number of entries)",
		       elf->path, sec->name, sec->size);
		return -1;
	}
	keep = xzalloc(sizeof(*keep));
	keep->entsize = size;
	keep->entries = xzalloc((sec->size / size + 1) * sizeof(size_t));
	for (i = 0; i < sec->size / size; i++) {
		struct kl_rela *r = rela_at(sec, i * size);
		struct kl_symbol *f = NULL;

		if (r && !strcmp(sec->name, ".printk_index"))
			f = printk_index_anchor(elf, sec, r);
		else if (r)
			f = anchor_function(elf, r);

		if (f && f->include)
			keep->entries[keep->nr++] = i;
	}
	set_keep(sec, keep);
	return 0;
}

/* .orc_unwind runs parallel to .orc_unwind_ip and has no relocations. */
static void mark_orc(struct kl_elf *elf)
{
	struct kl_section *ip = kl_find_section(elf, ".orc_unwind_ip");
	struct kl_section *orc = kl_find_section(elf, ".orc_unwind");
	struct special_keep *keep, *ipkeep;

	if (!ip || !orc || !ip->priv)
		return;
	ipkeep = ip->priv;
	keep = xzalloc(sizeof(*keep));
	keep->entsize = ORC_ENTRY_SIZE;
	keep->entries = xzalloc((ipkeep->nr + 1) * sizeof(size_t));
	memcpy(keep->entries, ipkeep->entries, ipkeep->nr * sizeof(size_t));
	keep->nr = ipkeep->nr;
	set_keep(orc, keep);
}

int special_mark_entries(struct kl_elf *post)
{
	size_t i, j;

	for (i = 0; i < post->nr_secs; i++) {
		struct kl_section *sec = post->secs[i];

		for (j = 0; j < ARRAY_SIZE(kinds); j++)
			if (!strcmp(sec->name, kinds[j].name) &&
			    mark_section(post, sec, &kinds[j]))
				return -1;
	}
	mark_orc(post);
	return 0;
}
