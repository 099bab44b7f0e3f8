/* model.c - building, looking up and editing the in-memory ELF model. */
#include "elf.h"
#include "../util/util.h"

#include <stdlib.h>
#include <string.h>

struct kl_name_table {
	size_t nr_buckets;
	void **items;			/* open addressing, NULL = empty */
	const char *(*name_of)(const void *item);
};

static const char *section_name(const void *item)
{
	return ((const struct kl_section *)item)->name;
}

static const char *symbol_name(const void *item)
{
	return ((const struct kl_symbol *)item)->name;
}

static size_t hash_name(const char *s)
{
	size_t h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

static struct kl_name_table *table_build(void **items, size_t nr,
					 const char *(*name_of)(const void *))
{
	struct kl_name_table *t = xzalloc(sizeof(*t));
	size_t i, slot;

	t->name_of = name_of;
	t->nr_buckets = 16;
	while (t->nr_buckets < nr * 2)
		t->nr_buckets *= 2;
	t->items = xzalloc(t->nr_buckets * sizeof(void *));
	for (i = 0; i < nr; i++) {
		const char *name = name_of(items[i]);

		if (!name || !*name)
			continue;
		slot = hash_name(name) & (t->nr_buckets - 1);
		while (t->items[slot]) {
			/* Keep the first of several items with one name. */
			if (!strcmp(name_of(t->items[slot]), name))
				goto next;
			slot = (slot + 1) & (t->nr_buckets - 1);
		}
		t->items[slot] = items[i];
next:
		;
	}
	return t;
}

static void *table_find(struct kl_name_table *t, const char *name)
{
	size_t slot = hash_name(name) & (t->nr_buckets - 1);

	while (t->items[slot]) {
		if (!strcmp(t->name_of(t->items[slot]), name))
			return t->items[slot];
		slot = (slot + 1) & (t->nr_buckets - 1);
	}
	return NULL;
}

static void table_free(struct kl_name_table *t)
{
	if (!t)
		return;
	free(t->items);
	free(t);
}

static void invalidate_tables(struct kl_elf *elf)
{
	table_free(elf->sec_names);
	table_free(elf->sym_names);
	elf->sec_names = NULL;
	elf->sym_names = NULL;
	elf->sec_syms_valid = false;
}

static void index_section_symbols(struct kl_elf *elf)
{
	size_t i;

	for (i = 0; i < elf->nr_secs; i++) {
		free(elf->secs[i]->syms_in);
		elf->secs[i]->syms_in = NULL;
		elf->secs[i]->nr_syms_in = 0;
	}
	for (i = 0; i < elf->nr_syms; i++) {
		struct kl_symbol *sym = elf->syms[i];
		struct kl_section *sec = sym->sec;

		if (!sec || sym->type == STT_SECTION)
			continue;
		sec->syms_in = xrealloc(sec->syms_in, (sec->nr_syms_in + 1) *
					sizeof(*sec->syms_in));
		sec->syms_in[sec->nr_syms_in++] = sym;
	}
	elf->sec_syms_valid = true;
}

struct kl_symbol **kl_section_symbols(struct kl_elf *elf,
				      struct kl_section *sec, size_t *nr)
{
	if (!elf->sec_syms_valid)
		index_section_symbols(elf);
	*nr = sec->nr_syms_in;
	return sec->syms_in;
}

struct kl_section *kl_find_section(struct kl_elf *elf, const char *name)
{
	if (!elf->sec_names)
		elf->sec_names = table_build((void **)elf->secs, elf->nr_secs,
					     section_name);
	return table_find(elf->sec_names, name);
}

struct kl_symbol *kl_find_symbol(struct kl_elf *elf, const char *name)
{
	if (!elf->sym_names)
		elf->sym_names = table_build((void **)elf->syms, elf->nr_syms,
					     symbol_name);
	return table_find(elf->sym_names, name);
}

struct kl_symbol *kl_symbol_at(struct kl_elf *elf, struct kl_section *sec,
			       uint64_t offset, unsigned int type_mask)
{
	struct kl_symbol *best = NULL, **syms;
	size_t i, n;

	syms = kl_section_symbols(elf, sec, &n);
	for (i = 0; i < n; i++) {
		struct kl_symbol *sym = syms[i];

		if (!(type_mask & (1u << sym->type)))
			continue;
		if (offset == sym->value && !best)
			best = sym;
		if (offset >= sym->value && offset < sym->value + sym->size)
			return sym;
	}
	return best;
}

size_t kl_relas_in(struct kl_section *sec, uint64_t start, uint64_t end,
		   struct kl_rela **first)
{
	size_t i, n = 0;

	*first = NULL;
	if (!sec->rela)
		return 0;
	for (i = 0; i < sec->rela->nr_relas; i++) {
		struct kl_rela *r = &sec->rela->relas[i];

		if (r->offset < start || r->offset >= end)
			continue;
		if (!n)
			*first = r;
		n++;
	}
	return n;
}

struct kl_elf *kl_elf_new(void)
{
	struct kl_elf *elf = xzalloc(sizeof(*elf));

	elf->ehdr.e_ident[EI_MAG0] = ELFMAG0;
	elf->ehdr.e_ident[EI_MAG1] = ELFMAG1;
	elf->ehdr.e_ident[EI_MAG2] = ELFMAG2;
	elf->ehdr.e_ident[EI_MAG3] = ELFMAG3;
	elf->ehdr.e_ident[EI_CLASS] = ELFCLASS64;
	elf->ehdr.e_ident[EI_DATA] = ELFDATA2LSB;
	elf->ehdr.e_ident[EI_VERSION] = EV_CURRENT;
	elf->ehdr.e_type = ET_REL;
	elf->ehdr.e_machine = EM_X86_64;
	elf->ehdr.e_version = EV_CURRENT;
	return elf;
}

struct kl_section *kl_add_section(struct kl_elf *elf, const char *name,
				  const GElf_Shdr *sh, const void *data,
				  size_t size)
{
	struct kl_section *sec = xzalloc(sizeof(*sec));

	sec->name = xstrdup(name);
	sec->sh = *sh;
	sec->size = size;
	sec->sh.sh_size = size;
	if (sh->sh_type != SHT_NOBITS) {
		sec->data = xmalloc(size);
		if (data)
			memcpy(sec->data, data, size);
		else
			memset(sec->data, 0, size);
	}
	elf->secs = xrealloc(elf->secs, (elf->nr_secs + 1) * sizeof(sec));
	elf->secs[elf->nr_secs++] = sec;
	sec->index = elf->nr_secs;
	invalidate_tables(elf);
	return sec;
}

struct kl_section *kl_add_rela_section(struct kl_elf *elf,
				       struct kl_section *base,
				       const char *name)
{
	GElf_Shdr sh = {
		.sh_type = SHT_RELA,
		.sh_flags = SHF_INFO_LINK,
		.sh_addralign = 8,
		.sh_entsize = sizeof(Elf64_Rela),
	};
	char *auto_name = NULL;
	struct kl_section *rela;

	if (!name)
		name = auto_name = xasprintf(".rela%s", base->name);
	rela = kl_add_section(elf, name, &sh, NULL, 0);
	rela->base = base;
	if (!base->rela)
		base->rela = rela;
	free(auto_name);
	return rela;
}

struct kl_symbol *kl_add_symbol(struct kl_elf *elf, const char *name,
				unsigned char type, unsigned char bind,
				struct kl_section *sec, uint64_t value,
				uint64_t size)
{
	struct kl_symbol *sym = xzalloc(sizeof(*sym));

	sym->name = xstrdup(name);
	sym->type = type;
	sym->bind = bind;
	sym->sec = sec;
	sym->value = value;
	sym->size = size;
	sym->shndx_special = SHN_UNDEF;
	if (sec && type == STT_SECTION && !sec->secsym)
		sec->secsym = sym;
	elf->syms = xrealloc(elf->syms, (elf->nr_syms + 1) * sizeof(sym));
	elf->syms[elf->nr_syms++] = sym;
	sym->index = elf->nr_syms;
	invalidate_tables(elf);
	return sym;
}

void kl_add_rela(struct kl_section *rela, uint64_t offset, uint32_t type,
		 struct kl_symbol *sym, int64_t addend)
{
	struct kl_rela *r;

	rela->relas = xrealloc(rela->relas,
			       (rela->nr_relas + 1) * sizeof(*rela->relas));
	r = &rela->relas[rela->nr_relas++];
	r->offset = offset;
	r->type = type;
	r->sym = sym;
	r->addend = addend;
}

void kl_rename_symbol(struct kl_elf *elf, struct kl_symbol *sym,
		      const char *name)
{
	char *copy = xstrdup(name);

	free(sym->name);
	sym->name = copy;
	invalidate_tables(elf);
}

void kl_rename_section(struct kl_elf *elf, struct kl_section *sec,
		       const char *name)
{
	char *copy = xstrdup(name);

	free(sec->name);
	sec->name = copy;
	invalidate_tables(elf);
}

static void free_section(struct kl_section *sec)
{
	if (sec->free_owned)
		sec->free_owned(sec->owned);
	free(sec->syms_in);
	free(sec->name);
	free(sec->data);
	free(sec->relas);
	free(sec->members);
	free(sec);
}

void kl_remove_section(struct kl_elf *elf, struct kl_section *sec)
{
	size_t i, j;

	if (sec->rela)
		kl_remove_section(elf, sec->rela);
	if (sec->base && sec->base->rela == sec)
		sec->base->rela = NULL;
	for (i = 0, j = 0; i < elf->nr_syms; i++) {
		struct kl_symbol *sym = elf->syms[i];

		if (sym->sec == sec) {
			free(sym->name);
			free(sym);
			continue;
		}
		elf->syms[j++] = sym;
	}
	elf->nr_syms = j;
	for (i = 0, j = 0; i < elf->nr_secs; i++) {
		if (elf->secs[i] != sec)
			elf->secs[j++] = elf->secs[i];
	}
	elf->nr_secs = j;
	free_section(sec);
	invalidate_tables(elf);
}

void kl_elf_free(struct kl_elf *elf)
{
	size_t i;

	if (!elf)
		return;
	for (i = 0; i < elf->nr_secs; i++)
		free_section(elf->secs[i]);
	for (i = 0; i < elf->nr_syms; i++) {
		free(elf->syms[i]->name);
		free(elf->syms[i]);
	}
	free(elf->secs);
	free(elf->syms);
	free(elf->path);
	invalidate_tables(elf);
	free(elf);
}
