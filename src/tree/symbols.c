/*
 * symbols.c - loads a target's symbol list and Module.symvers exports, and
 * the symbol table of one of its modules (from the module's .ko).
 */
#include "symbols.h"
#include "../elf/elf.h"
#include "../util/util.h"

#include <stdlib.h>
#include <string.h>

struct name_index {
	size_t nr_buckets;
	struct bucket {
		const char *name;
		size_t first;		/* first index in the list */
		size_t count;
	} *b;
};

static size_t hash(const char *s)
{
	size_t h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

static struct bucket *slot_of(struct name_index *ix, const char *name)
{
	size_t i = hash(name) & (ix->nr_buckets - 1);

	while (ix->b[i].name && strcmp(ix->b[i].name, name))
		i = (i + 1) & (ix->nr_buckets - 1);
	return &ix->b[i];
}

static struct name_index *index_new(size_t nr)
{
	struct name_index *ix = xzalloc(sizeof(*ix));

	ix->nr_buckets = 64;
	while (ix->nr_buckets < nr * 2)
		ix->nr_buckets *= 2;
	ix->b = xzalloc(ix->nr_buckets * sizeof(*ix->b));
	return ix;
}

static void index_add(struct name_index *ix, const char *name, size_t i)
{
	struct bucket *b = slot_of(ix, name);

	if (!b->name) {
		b->name = name;
		b->first = i;
	}
	b->count++;
}

static void index_list(struct ksyms *ks);

/* Lines: "ADDR TYPE NAME [module]"; module symbols are skipped. */
static int load_list(struct ksyms *ks, const char *path)
{
	char *text = read_file(path, NULL), *line, *next;
	size_t cap = 0;

	if (!text)
		return -1;
	for (line = text; line && *line; line = next) {
		char *addr, *type, *name, *rest, *save;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		addr = strtok_r(line, " \t", &save);
		type = strtok_r(NULL, " \t", &save);
		name = strtok_r(NULL, " \t", &save);
		rest = strtok_r(NULL, " \t", &save);
		if (!addr || !type || !name || rest)
			continue;
		if (ks->nr == cap) {
			cap = cap ? cap * 2 : 65536;
			ks->syms = xrealloc(ks->syms, cap * sizeof(*ks->syms));
		}
		ks->syms[ks->nr].name = xstrdup(name);
		ks->syms[ks->nr].type = type[0];
		ks->syms[ks->nr].addr = strtoull(addr, NULL, 16);
		ks->nr++;
	}
	free(text);
	index_list(ks);
	return 0;
}

/* Lines: "CRC\tNAME\tMODULE\tEXPORT_TYPE\tNAMESPACE". */
static int load_exports(struct ksyms *ks, const char *path)
{
	char *text = read_file(path, NULL), *line, *next;

	if (!text)
		return -1;
	ks->exports = index_new(65536);
	for (line = text; line && *line; line = next) {
		char *f[5] = { 0 }, *p = line;
		int n = 0;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		while (n < 5) {
			f[n++] = p;
			p = strchr(p, '\t');
			if (!p)
				break;
			*p++ = '\0';
		}
		if (n < 3 || strcmp(f[2], "vmlinux"))
			continue;
		if (n >= 5 && *f[4])
			continue;	/* namespaced: needs an import */
		index_add(ks->exports, xstrdup(f[1]), 0);
	}
	free(text);
	return 0;
}

static void index_list(struct ksyms *ks)
{
	size_t i;

	ks->index = index_new(ks->nr);
	for (i = 0; i < ks->nr; i++)
		index_add(ks->index, ks->syms[i].name, i);
	ks->have_list = true;
}

/*
 * A module's symbols as the kernel lists them once it is loaded: those of
 * its symbol table that are defined in an allocated section, in table
 * order (livepatch counts positions in that order).
 */
int ksyms_load_module(struct ksyms *ks, const char *ko)
{
	struct kl_elf *elf = kl_elf_open(ko);
	size_t i;

	memset(ks, 0, sizeof(*ks));
	if (!elf)
		return -1;
	ks->syms = xzalloc((elf->nr_syms + 1) * sizeof(*ks->syms));
	for (i = 0; i < elf->nr_syms; i++) {
		struct kl_symbol *s = elf->syms[i];

		if (!s->sec || !*s->name || s->type == STT_SECTION ||
		    s->type == STT_FILE || !(s->sec->sh.sh_flags & SHF_ALLOC))
			continue;
		ks->syms[ks->nr].name = xstrdup(s->name);
		ks->syms[ks->nr].type = s->bind == STB_LOCAL ? 't' : 'T';
		ks->syms[ks->nr].addr = s->value;
		ks->nr++;
	}
	kl_elf_free(elf);
	index_list(ks);
	return 0;
}

int ksyms_load(struct ksyms *ks, const char *kallsyms, const char *symvers)
{
	memset(ks, 0, sizeof(*ks));
	if (kallsyms && load_list(ks, kallsyms))
		return -1;
	if (symvers && load_exports(ks, symvers))
		return -1;
	return 0;
}

void ksyms_free(struct ksyms *ks)
{
	size_t i;

	for (i = 0; i < ks->nr; i++)
		free(ks->syms[i].name);
	free(ks->syms);
	if (ks->index)
		free(ks->index->b);
	free(ks->index);
	if (ks->exports) {
		for (i = 0; i < ks->exports->nr_buckets; i++)
			free((char *)ks->exports->b[i].name);
		free(ks->exports->b);
	}
	free(ks->exports);
	memset(ks, 0, sizeof(*ks));
}

size_t ksyms_count(const struct ksyms *ks, const char *name)
{
	return ks->index ? slot_of(ks->index, name)->count : 0;
}

size_t ksyms_find(const struct ksyms *ks, const char *name, size_t *out,
		  size_t max)
{
	struct bucket *b;
	size_t i, n = 0;

	if (!ks->index)
		return 0;
	b = slot_of(ks->index, name);
	if (!b->name)
		return 0;
	for (i = b->first; i < ks->nr && n < b->count; i++) {
		if (strcmp(ks->syms[i].name, name))
			continue;
		if (n < max)
			out[n] = i;
		n++;
	}
	return n;
}

bool ksyms_exported(const struct ksyms *ks, const char *name)
{
	return ks->exports && slot_of(ks->exports, name)->name;
}
