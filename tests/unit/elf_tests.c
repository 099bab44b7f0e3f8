/*
 * elf_tests.c - unit tests of klive's ELF model: reading an object and
 * writing it back must keep every section, symbol and relocation, and the
 * objects it writes or builds must satisfy readelf and ld.
 */
#define _GNU_SOURCE
#include "unit.h"
#include "rawelf.h"
#include "../../src/elf/elf.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ROUNDTRIP_INPUT "roundtrip.o"

/* Reads in, writes it to work_dir()/out; returns the written path. */
static char *rewrite(const char *in, const char *out)
{
	char *path = work_path(out);
	struct kl_elf *elf = kl_elf_open(in);

	if (!elf) {
		fail("kl_elf_open(%s) failed", in);
		free(path);
		return NULL;
	}
	if (kl_elf_write(elf, path)) {
		fail("kl_elf_write(%s) failed", path);
		kl_elf_free(elf);
		free(path);
		return NULL;
	}
	kl_elf_free(elf);
	return path;
}

/* Opens the original and its rewritten copy, both with plain libelf. */
static int open_pair(const char *in, const char *out, struct raw_elf *a,
		     struct raw_elf *b)
{
	char *written = rewrite(in, out);
	int ret;

	if (!written)
		return -1;
	ret = raw_open(a, in) || raw_open(b, written) ? -1 : 0;
	free(written);
	return ret;
}

/* The k-th section called name (counting from 0), or 0. */
static size_t find_nth(const struct raw_elf *r, const char *name, size_t k)
{
	size_t i;

	for (i = 1; i < r->shnum; i++)
		if (!strcmp(r->secs[i].name, name) && !k--)
			return i;
	return 0;
}

static size_t occurrence(const struct raw_elf *r, size_t i)
{
	size_t j, k = 0;

	for (j = 1; j < i; j++)
		if (!strcmp(r->secs[j].name, r->secs[i].name))
			k++;
	return k;
}

static const char *link_name(const struct raw_elf *r, size_t link)
{
	return link < r->shnum ? r->secs[link].name : "<out of range>";
}

static int check_group(const char *what, const struct raw_elf *a, size_t i,
		       const struct raw_elf *b, size_t j)
{
	const struct raw_sec *x = &a->secs[i], *y = &b->secs[j];
	size_t k, n = x->size / 4;
	uint32_t wx, wy;

	if (x->sh.sh_info >= a->nr_syms || y->sh.sh_info >= b->nr_syms ||
	    strcmp(raw_sym_name(a, x->sh.sh_info), raw_sym_name(b, y->sh.sh_info)))
		return fail("%s: group %s has another signature symbol", what,
			    x->name);
	for (k = 0; k < n; k++) {
		memcpy(&wx, x->data + 4 * k, 4);
		memcpy(&wy, y->data + 4 * k, 4);
		if (!k && wx != wy)
			return fail("%s: group %s flags %#x became %#x", what,
				    x->name, wx, wy);
		if (k && (wx >= a->shnum || wy >= b->shnum ||
			  strcmp(a->secs[wx].name, b->secs[wy].name)))
			return fail("%s: group %s member %zu differs", what,
				    x->name, k);
	}
	return 0;
}

/* Same sections, by name: header fields, contents, and what they link to. */
static int compare_sections(const char *what, const struct raw_elf *a,
			    const struct raw_elf *b)
{
	size_t i, na = 0, nb = 0;

	for (i = 1; i < a->shnum; i++) {
		const struct raw_sec *x = &a->secs[i], *y;
		size_t j;

		if (raw_is_regenerated(a, i))
			continue;
		na++;
		j = find_nth(b, x->name, occurrence(a, i));
		if (!j)
			return fail("%s: section %s missing", what, x->name);
		y = &b->secs[j];
		if (x->sh.sh_type != y->sh.sh_type ||
		    x->sh.sh_flags != y->sh.sh_flags ||
		    x->sh.sh_addralign != y->sh.sh_addralign ||
		    x->sh.sh_entsize != y->sh.sh_entsize ||
		    x->sh.sh_size != y->sh.sh_size)
			return fail("%s: section %s header changed: type %u->%u flags %#lx->%#lx align %lu->%lu entsize %lu->%lu size %lu->%lu",
				    what, x->name, x->sh.sh_type, y->sh.sh_type,
				    (unsigned long)x->sh.sh_flags,
				    (unsigned long)y->sh.sh_flags,
				    (unsigned long)x->sh.sh_addralign,
				    (unsigned long)y->sh.sh_addralign,
				    (unsigned long)x->sh.sh_entsize,
				    (unsigned long)y->sh.sh_entsize,
				    (unsigned long)x->sh.sh_size,
				    (unsigned long)y->sh.sh_size);
		switch (x->sh.sh_type) {
		case SHT_RELA:
			if (strcmp(link_name(a, x->sh.sh_info),
				   link_name(b, y->sh.sh_info)))
				return fail("%s: %s relocates %s, was %s", what,
					    x->name, link_name(b, y->sh.sh_info),
					    link_name(a, x->sh.sh_info));
			if (y->sh.sh_link != b->symtab)
				return fail("%s: %s does not link .symtab",
					    what, x->name);
			break;
		case SHT_GROUP:
			if (y->sh.sh_link != b->symtab)
				return fail("%s: %s does not link .symtab",
					    what, x->name);
			if (check_group(what, a, i, b, j))
				return 1;
			break;
		case SHT_NOBITS:
			break;
		default:
			if (x->size && memcmp(x->data, y->data, x->size))
				return fail("%s: contents of %s changed", what,
					    x->name);
			if (x->sh.sh_info != y->sh.sh_info)
				return fail("%s: sh_info of %s changed", what,
					    x->name);
			if ((x->sh.sh_link || y->sh.sh_link) &&
			    strcmp(link_name(a, x->sh.sh_link),
				   link_name(b, y->sh.sh_link)))
				return fail("%s: %s links %s, was %s", what,
					    x->name, link_name(b, y->sh.sh_link),
					    link_name(a, x->sh.sh_link));
		}
	}
	for (i = 1; i < b->shnum; i++)
		if (!raw_is_regenerated(b, i))
			nb++;
	if (na != nb)
		return fail("%s: %zu sections became %zu", what, na, nb);
	if (!b->symtab || strcmp(b->secs[b->symtab].name, ".symtab") ||
	    !raw_find(b, ".strtab") || !raw_find(b, ".shstrtab"))
		return fail("%s: .symtab, .strtab or .shstrtab missing", what);
	return 0;
}

static char *describe_symbol(const struct raw_elf *r, size_t i)
{
	const GElf_Sym *s = &r->syms[i];
	char *d;

	if (asprintf(&d, "%s type=%u bind=%u other=%u sec=%s value=%#lx size=%lu",
		     raw_sym_name(r, i), GELF_ST_TYPE(s->st_info),
		     GELF_ST_BIND(s->st_info), s->st_other,
		     raw_sym_section(r, i), (unsigned long)s->st_value,
		     (unsigned long)s->st_size) < 0)
		abort();
	return d;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char **symbol_list(const struct raw_elf *r)
{
	char **list = calloc(r->nr_syms + 1, sizeof(*list));
	size_t i;

	if (!list)
		abort();
	for (i = 1; i < r->nr_syms; i++)
		list[i - 1] = describe_symbol(r, i);
	qsort(list, r->nr_syms ? r->nr_syms - 1 : 0, sizeof(*list), cmp_str);
	return list;
}

/* Same set of symbols; and in b, the locals first as sh_info says. */
static int compare_symbols(const char *what, const struct raw_elf *a,
			   const struct raw_elf *b)
{
	char **la, **lb;
	size_t i, first_global;
	int ret = 0;

	if (!a->symtab || !b->symtab)
		return fail("%s: no symbol table", what);
	if (a->nr_syms != b->nr_syms)
		return fail("%s: %zu symbols became %zu", what, a->nr_syms,
			    b->nr_syms);
	la = symbol_list(a);
	lb = symbol_list(b);
	for (i = 0; i + 1 < a->nr_syms && !ret; i++)
		if (strcmp(la[i], lb[i]))
			ret = fail("%s: symbol '%s' became '%s'", what, la[i],
				   lb[i]);
	for (i = 0; la[i]; i++)
		free(la[i]);
	for (i = 0; lb[i]; i++)
		free(lb[i]);
	free(la);
	free(lb);
	if (ret)
		return ret;
	first_global = b->secs[b->symtab].sh.sh_info;
	for (i = 1; i < b->nr_syms; i++)
		if ((GELF_ST_BIND(b->syms[i].st_info) == STB_LOCAL) !=
		    (i < first_global))
			return fail("%s: symbol %zu (%s) is on the wrong side of sh_info %zu",
				    what, i, raw_sym_name(b, i), first_global);
	return 0;
}

/* Same relocations, in order, in every relocation section. */
static int compare_relas(const char *what, const struct raw_elf *a,
			 const struct raw_elf *b)
{
	size_t i, k, total = 0;

	for (i = 1; i < a->shnum; i++) {
		size_t j, n;

		if (a->secs[i].sh.sh_type != SHT_RELA)
			continue;
		j = find_nth(b, a->secs[i].name, occurrence(a, i));
		if (!j)
			return fail("%s: %s missing", what, a->secs[i].name);
		n = raw_nr_relas(a, i);
		if (n != raw_nr_relas(b, j))
			return fail("%s: %s: %zu relocations became %zu", what,
				    a->secs[i].name, n, raw_nr_relas(b, j));
		for (k = 0; k < n; k++) {
			GElf_Rela x, y;
			size_t sx, sy;

			raw_rela(a, i, k, &x);
			raw_rela(b, j, k, &y);
			sx = GELF_R_SYM(x.r_info);
			sy = GELF_R_SYM(y.r_info);
			if (sy >= b->nr_syms)
				return fail("%s: %s[%zu] points past the symbol table",
					    what, a->secs[i].name, k);
			if (x.r_offset != y.r_offset ||
			    GELF_R_TYPE(x.r_info) != GELF_R_TYPE(y.r_info) ||
			    x.r_addend != y.r_addend ||
			    strcmp(raw_sym_name(a, sx), raw_sym_name(b, sy)) ||
			    strcmp(raw_sym_section(a, sx),
				   raw_sym_section(b, sy)))
				return fail("%s: %s[%zu]: %#lx type %lu %s%+ld became %#lx type %lu %s%+ld",
					    what, a->secs[i].name, k,
					    (unsigned long)x.r_offset,
					    (unsigned long)GELF_R_TYPE(x.r_info),
					    raw_sym_name(a, sx), (long)x.r_addend,
					    (unsigned long)y.r_offset,
					    (unsigned long)GELF_R_TYPE(y.r_info),
					    raw_sym_name(b, sy), (long)y.r_addend);
			total++;
		}
	}
	if (!total)
		return fail("%s: the input has no relocations to compare", what);
	return 0;
}

static int roundtrip_header(void)
{
	struct raw_elf a, b;
	int ret = 1;

	if (open_pair(work_path(ROUNDTRIP_INPUT), "rt-header.o", &a, &b))
		goto out;
	if (memcmp(a.eh.e_ident, b.eh.e_ident, EI_NIDENT) ||
	    a.eh.e_type != b.eh.e_type || a.eh.e_machine != b.eh.e_machine ||
	    a.eh.e_flags != b.eh.e_flags || a.eh.e_version != b.eh.e_version) {
		fail("ELF header changed");
		goto out;
	}
	if (b.eh.e_phnum || b.eh.e_shstrndx >= b.shnum ||
	    strcmp(b.secs[b.eh.e_shstrndx].name, ".shstrtab")) {
		fail("e_phnum %u, e_shstrndx %u", b.eh.e_phnum, b.eh.e_shstrndx);
		goto out;
	}
	ret = 0;
out:
	raw_close(&a);
	raw_close(&b);
	return ret;
}

static int roundtrip_sections(void)
{
	struct raw_elf a, b;
	int ret;

	ret = open_pair(work_path(ROUNDTRIP_INPUT), "rt-sections.o", &a, &b) ||
	      compare_sections("roundtrip.o", &a, &b);
	raw_close(&a);
	raw_close(&b);
	return ret;
}

static int roundtrip_symbols(void)
{
	struct raw_elf a, b;
	int ret;

	ret = open_pair(work_path(ROUNDTRIP_INPUT), "rt-symbols.o", &a, &b) ||
	      compare_symbols("roundtrip.o", &a, &b);
	raw_close(&a);
	raw_close(&b);
	return ret;
}

static int roundtrip_relas(void)
{
	struct raw_elf a, b;
	int ret;

	ret = open_pair(work_path(ROUNDTRIP_INPUT), "rt-relas.o", &a, &b) ||
	      compare_relas("roundtrip.o", &a, &b);
	raw_close(&a);
	raw_close(&b);
	return ret;
}

/* readelf -W -a must print no warning or error about the file. */
static int readelf_clean(const char *path)
{
	char *cmd, *out = NULL;
	int status;

	if (asprintf(&cmd, "readelf -W -a '%s' 2>&1 >/dev/null", path) < 0)
		abort();
	status = run_capture(cmd, &out);
	free(cmd);
	if (status || *out) {
		fail("readelf -W -a %s: status %d: %s", path, status, out);
		free(out);
		return 1;
	}
	free(out);
	return 0;
}

static int ld_clean(const char *path)
{
	char *cmd, *out = NULL;
	int status;

	if (asprintf(&cmd, "ld -r -o '%s.ld.o' '%s' 2>&1", path, path) < 0)
		abort();
	status = run_capture(cmd, &out);
	free(cmd);
	if (status || *out) {
		fail("ld -r %s: status %d: %s", path, status, out);
		free(out);
		return 1;
	}
	free(out);
	return 0;
}

static int roundtrip_readelf(void)
{
	char *in = work_path(ROUNDTRIP_INPUT), *out;
	int ret;

	/* The input itself must be clean, or the check proves nothing. */
	if (readelf_clean(in))
		return 1;
	out = rewrite(in, "rt-readelf.o");
	ret = !out || readelf_clean(out);
	free(out);
	return ret;
}

static int roundtrip_ld(void)
{
	char *in = work_path(ROUNDTRIP_INPUT), *out;
	struct raw_elf r;
	int ret;

	out = rewrite(in, "rt-ld.o");
	if (!out || ld_clean(out))
		return 1;
	/* ld must have kept the functions of the written file. */
	if (asprintf(&in, "%s.ld.o", out) < 0)
		abort();
	ret = raw_open(&r, in);
	if (!ret) {
		size_t i;
		bool found = false;

		for (i = 1; i < r.nr_syms; i++)
			if (!strcmp(raw_sym_name(&r, i), "dispatch") &&
			    GELF_ST_TYPE(r.syms[i].st_info) == STT_FUNC)
				found = true;
		if (!found)
			ret = fail("ld -r output has no function 'dispatch'");
	}
	raw_close(&r);
	free(in);
	free(out);
	return ret;
}

/* Every object the script compiled: pre.o and post.o of each input pair. */
static int roundtrip_all_inputs(void)
{
	DIR *d = opendir(work_dir());
	struct dirent *de;
	size_t checked = 0;
	int ret = 0;

	if (!d)
		return fail("cannot list %s", work_dir());
	while (!ret && (de = readdir(d))) {
		static const char *const sides[] = { "pre.o", "post.o" };
		size_t k;

		if (de->d_name[0] == '.')
			continue;
		for (k = 0; k < 2 && !ret; k++) {
			struct raw_elf a, b;
			char *rel, *in, *out;

			if (asprintf(&rel, "%s/%s", de->d_name, sides[k]) < 0 ||
			    asprintf(&out, "%s/rewritten-%s", de->d_name,
				     sides[k]) < 0)
				abort();
			in = work_path(rel);
			if (access(in, R_OK)) {
				free(rel);
				free(in);
				free(out);
				continue;
			}
			ret = open_pair(in, out, &a, &b) ||
			      compare_sections(rel, &a, &b) ||
			      compare_symbols(rel, &a, &b) ||
			      compare_relas(rel, &a, &b);
			raw_close(&a);
			raw_close(&b);
			if (!ret) {
				char *w = work_path(out);

				ret = readelf_clean(w) || ld_clean(w);
				free(w);
			}
			checked++;
			free(rel);
			free(in);
			free(out);
		}
	}
	closedir(d);
	if (!ret && checked < 2)
		return fail("found only %zu input objects", checked);
	return ret;
}

/* The model read back from a written file matches the one written. */
static int roundtrip_model(void)
{
	char *in = work_path(ROUNDTRIP_INPUT), *out;
	struct kl_elf *a = kl_elf_open(in), *b;
	size_t i;
	int ret = 0;

	if (!a)
		return fail("kl_elf_open(%s) failed", in);
	out = rewrite(in, "rt-model.o");
	if (!out)
		return 1;
	b = kl_elf_open(out);
	if (!b)
		return fail("kl_elf_open(%s) failed on the written file", out);
	if (a->nr_secs != b->nr_secs || a->nr_syms != b->nr_syms)
		return fail("%zu sections, %zu symbols became %zu, %zu",
			    a->nr_secs, a->nr_syms, b->nr_secs, b->nr_syms);
	for (i = 0; i < a->nr_secs && !ret; i++) {
		struct kl_section *x = a->secs[i];
		struct kl_section *y = kl_find_section(b, x->name);

		if (!y)
			ret = fail("kl_find_section(%s) failed", x->name);
		else if (x->nr_relas != y->nr_relas ||
			 !x->base != !y->base ||
			 (x->base && strcmp(x->base->name, y->base->name)) ||
			 !x->rela != !y->rela ||
			 x->nr_members != y->nr_members ||
			 !x->link != !y->link || !x->secsym != !y->secsym)
			ret = fail("section %s: links or relocations differ",
				   x->name);
	}
	for (i = 0; i < a->nr_syms && !ret; i++) {
		struct kl_symbol *x = a->syms[i];
		struct kl_symbol *y = kl_find_symbol(b, x->name);

		if (!*x->name)
			continue;
		if (!y)
			ret = fail("kl_find_symbol(%s) failed", x->name);
		else if (x->type != y->type || x->bind != y->bind ||
			 x->value != y->value || x->size != y->size ||
			 !x->sec != !y->sec ||
			 (x->sec && strcmp(x->sec->name, y->sec->name)) ||
			 (!x->sec && x->shndx_special != y->shndx_special))
			ret = fail("symbol %s differs", x->name);
	}
	kl_elf_free(a);
	kl_elf_free(b);
	free(out);
	free(in);
	return ret;
}

/* kl_symbol_at and kl_relas_in agree with what libelf sees. */
static int lookups(void)
{
	char *in = work_path(ROUNDTRIP_INPUT);
	struct kl_elf *elf = kl_elf_open(in);
	struct kl_section *text, *rodata;
	struct kl_symbol *f;
	struct kl_rela *first;
	struct raw_elf r;
	size_t i, n, expect = 0, rs;

	if (!elf)
		return fail("kl_elf_open failed");
	if (raw_open(&r, in))
		return 1;
	text = kl_find_section(elf, ".text.counter");
	rodata = kl_find_section(elf, ".rodata.counter.str1.1");
	f = kl_find_symbol(elf, "counter");
	if (!text || !rodata || !f || f->sec != text || f->type != STT_FUNC)
		return fail("counter, .text.counter or its strings not found");
	if (kl_find_section(elf, ".text.nonexistent") ||
	    kl_find_symbol(elf, "nonexistent"))
		return fail("lookup of a missing name succeeded");
	if (kl_symbol_at(elf, text, f->size / 2, 1u << STT_FUNC) != f)
		return fail("kl_symbol_at(middle of counter) is not counter");
	if (kl_symbol_at(elf, text, f->size + 64, 1u << STT_FUNC))
		return fail("kl_symbol_at past the end of counter found one");
	if (kl_symbol_at(elf, text, 0, 1u << STT_OBJECT))
		return fail("kl_symbol_at found an object in code");
	if (!text->rela || text->rela->base != text ||
	    strcmp(text->rela->name, ".rela.text.counter"))
		return fail(".text.counter has no relocation section");
	rs = raw_find(&r, ".rela.text.counter");
	for (i = 0; i < raw_nr_relas(&r, rs); i++) {
		GElf_Rela x;

		raw_rela(&r, rs, i, &x);
		if (x.r_offset >= 2 && x.r_offset < 16)
			expect++;
	}
	n = kl_relas_in(text, 2, 16, &first);
	if (!expect || n != expect)
		return fail("kl_relas_in(2, 16): %zu relocations, libelf sees %zu",
			    n, expect);
	if (first->offset < 2 || first->offset >= 16)
		return fail("kl_relas_in: first entry at %#lx",
			    (unsigned long)first->offset);
	if (kl_relas_in(rodata, 0, rodata->size, &first) || first)
		return fail("kl_relas_in found relocations in a string section");
	raw_close(&r);
	kl_elf_free(elf);
	free(in);
	return 0;
}

/* An object made from nothing with kl_elf_new and kl_add_*. */
static int build_from_scratch(void)
{
	static const unsigned char code[] = {
		0xe8, 0, 0, 0, 0,	/* call ext_func */
		0x8b, 0x05, 0, 0, 0, 0,	/* mov counter(%rip), %eax */
		0xc3,			/* ret */
		0xc3,			/* local_func: ret */
	};
	GElf_Shdr text_sh = {
		.sh_type = SHT_PROGBITS,
		.sh_flags = SHF_ALLOC | SHF_EXECINSTR,
		.sh_addralign = 16,
	};
	GElf_Shdr data_sh = {
		.sh_type = SHT_PROGBITS,
		.sh_flags = SHF_ALLOC | SHF_WRITE,
		.sh_addralign = 8,
	};
	GElf_Shdr bss_sh = {
		.sh_type = SHT_NOBITS,
		.sh_flags = SHF_ALLOC | SHF_WRITE,
		.sh_addralign = 4,
	};
	struct kl_section *text, *data, *bss, *rtext, *rdata;
	struct kl_symbol *ext, *local, *counter, *bss_sym;
	char *path = work_path("scratch.o");
	struct kl_elf *elf = kl_elf_new();
	struct raw_elf r;
	GElf_Rela x;
	size_t i, s;
	int ret;

	text = kl_add_section(elf, ".text.entry", &text_sh, code, sizeof(code));
	data = kl_add_section(elf, ".data.table", &data_sh, NULL, 16);
	bss = kl_add_section(elf, ".bss.counter", &bss_sh, NULL, 4);
	/* Globals first on purpose: the writer must put locals first. */
	kl_add_symbol(elf, "entry", STT_FUNC, STB_GLOBAL, text, 0, 12);
	ext = kl_add_symbol(elf, "ext_func", STT_NOTYPE, STB_GLOBAL, NULL, 0,
			    0);
	kl_add_symbol(elf, "table", STT_OBJECT, STB_GLOBAL, data, 0, 16);
	local = kl_add_symbol(elf, "local_func", STT_FUNC, STB_LOCAL, text,
			      12, 1);
	bss_sym = kl_add_symbol(elf, ".bss.counter", STT_SECTION, STB_LOCAL,
				bss, 0, 0);
	counter = kl_add_symbol(elf, "counter", STT_OBJECT, STB_LOCAL, bss, 0,
				4);
	rtext = kl_add_rela_section(elf, text, NULL);
	rdata = kl_add_rela_section(elf, data, NULL);
	kl_add_rela(rtext, 1, R_X86_64_PLT32, ext, -4);
	kl_add_rela(rtext, 7, R_X86_64_PC32, bss_sym, -4);
	kl_add_rela(rdata, 0, R_X86_64_64, local, 0);
	kl_add_rela(rdata, 8, R_X86_64_64, counter, 0);
	if (strcmp(rtext->name, ".rela.text.entry") || text->rela != rtext ||
	    bss->secsym != bss_sym)
		return fail("kl_add_rela_section/kl_add_symbol did not link: %s",
			    rtext->name);
	if (kl_find_symbol(elf, "local_func") != local ||
	    kl_find_section(elf, ".data.table") != data)
		return fail("lookups in a built object failed");
	if (kl_elf_write(elf, path))
		return fail("kl_elf_write failed");
	kl_elf_free(elf);
	if (readelf_clean(path) || ld_clean(path))
		return 1;
	if (raw_open(&r, path))
		return 1;
	ret = 0;
	if (r.eh.e_type != ET_REL || r.eh.e_machine != EM_X86_64)
		ret = fail("not an x86-64 relocatable object");
	i = raw_find(&r, ".text.entry");
	if (!ret && (!i || r.secs[i].size != sizeof(code) ||
		     memcmp(r.secs[i].data, code, sizeof(code)) ||
		     r.secs[i].sh.sh_addralign != 16))
		ret = fail(".text.entry not written as built");
	i = raw_find(&r, ".bss.counter");
	if (!ret && (!i || r.secs[i].sh.sh_type != SHT_NOBITS ||
		     r.secs[i].size != 4))
		ret = fail(".bss.counter not written as built");
	i = raw_find(&r, ".rela.text.entry");
	if (!ret && (!i || raw_nr_relas(&r, i) != 2 ||
		     strcmp(link_name(&r, r.secs[i].sh.sh_info), ".text.entry")))
		ret = fail(".rela.text.entry not written as built");
	if (!ret) {
		raw_rela(&r, i, 1, &x);
		s = GELF_R_SYM(x.r_info);
		if (x.r_offset != 7 || GELF_R_TYPE(x.r_info) != R_X86_64_PC32 ||
		    x.r_addend != -4 || s >= r.nr_syms ||
		    GELF_ST_TYPE(r.syms[s].st_info) != STT_SECTION ||
		    strcmp(raw_sym_section(&r, s), ".bss.counter"))
			ret = fail("relocation to .bss.counter written wrong");
	}
	i = raw_find(&r, ".rela.data.table");
	if (!ret && (!i || raw_nr_relas(&r, i) != 2))
		ret = fail(".rela.data.table not written as built");
	if (!ret) {
		raw_rela(&r, i, 0, &x);
		s = GELF_R_SYM(x.r_info);
		if (s >= r.nr_syms || strcmp(raw_sym_name(&r, s), "local_func") ||
		    r.syms[s].st_value != 12 ||
		    strcmp(raw_sym_section(&r, s), ".text.entry"))
			ret = fail("relocation to local_func written wrong");
	}
	for (i = 1; !ret && i < r.nr_syms; i++) {
		const char *n = raw_sym_name(&r, i);

		if (!strcmp(n, "ext_func") && r.syms[i].st_shndx != SHN_UNDEF)
			ret = fail("ext_func is not undefined");
		if (!strcmp(n, "entry") &&
		    (GELF_ST_BIND(r.syms[i].st_info) != STB_GLOBAL ||
		     r.syms[i].st_size != 12))
			ret = fail("entry written wrong");
	}
	if (!ret && r.nr_syms != 7)
		ret = fail("%zu symbols written, expected 6 and the null one",
			   r.nr_syms);
	if (!ret && r.secs[r.symtab].sh.sh_info != 4)
		ret = fail(".symtab sh_info %u, expected 4 (null + 3 locals)",
			   r.secs[r.symtab].sh.sh_info);
	raw_close(&r);
	free(path);
	return ret;
}

/* Renamed symbols and sections are written, and found, by their new names. */
static int renames(void)
{
	char *in = work_path(ROUNDTRIP_INPUT), *out = work_path("renamed.o");
	struct kl_elf *elf = kl_elf_open(in);
	struct kl_symbol *sym;
	struct kl_section *sec;
	struct raw_elf r;
	size_t i, rs;
	bool found = false;
	int ret = 0;

	if (!elf)
		return fail("kl_elf_open failed");
	sym = kl_find_symbol(elf, "helper");
	sec = kl_find_section(elf, ".text.counter");
	if (!sym || !sec)
		return fail("helper or .text.counter not found");
	kl_rename_symbol(elf, sym, "helper_renamed");
	kl_rename_section(elf, sec, ".text.counter_renamed");
	if (kl_find_symbol(elf, "helper") ||
	    kl_find_symbol(elf, "helper_renamed") != sym ||
	    kl_find_section(elf, ".text.counter") ||
	    kl_find_section(elf, ".text.counter_renamed") != sec)
		return fail("lookups after renaming are stale");
	if (kl_elf_write(elf, out))
		return fail("kl_elf_write failed");
	kl_elf_free(elf);
	if (readelf_clean(out) || raw_open(&r, out))
		return 1;
	for (i = 1; i < r.nr_syms; i++) {
		if (!strcmp(raw_sym_name(&r, i), "helper"))
			ret = fail("old name 'helper' still written");
		if (!strcmp(raw_sym_name(&r, i), "helper_renamed"))
			found = true;
	}
	if (!ret && !found)
		ret = fail("'helper_renamed' not written");
	rs = raw_find(&r, ".rela.text.counter");
	if (!ret && (!raw_find(&r, ".text.counter_renamed") ||
		     raw_find(&r, ".text.counter") || !rs ||
		     strcmp(link_name(&r, r.secs[rs].sh.sh_info),
			    ".text.counter_renamed")))
		ret = fail("renamed section not written, or not relocated");
	raw_close(&r);
	free(in);
	free(out);
	return ret;
}

/*
 * More sections than a 16-bit section index can name: symbols and
 * e_shstrndx need the extended numbering (SHN_XINDEX, SHT_SYMTAB_SHNDX).
 */
#define MANY_SECTIONS 66000

/*
 * klive writes small objects only: one that would need extended section
 * numbering is refused, and nothing is left behind.
 */
static int many_sections(void)
{
	GElf_Shdr sh = {
		.sh_type = SHT_PROGBITS,
		.sh_flags = SHF_ALLOC | SHF_WRITE,
		.sh_addralign = 4,
	};
	char *path = work_path("many.o"), name[32];
	struct kl_elf *elf = kl_elf_new();
	size_t i;
	int ret = 0;

	for (i = 0; i < MANY_SECTIONS; i++) {
		struct kl_section *sec;
		uint32_t v = i;

		snprintf(name, sizeof(name), ".data.v%zu", i);
		sec = kl_add_section(elf, name, &sh, &v, 4);
		kl_add_symbol(elf, name + 6, STT_OBJECT, STB_GLOBAL, sec, 0, 4);
	}
	if (!kl_elf_write(elf, path))
		ret = fail("kl_elf_write accepted %d sections", MANY_SECTIONS);
	else if (access(path, F_OK) == 0)
		ret = fail("a file was left behind");
	kl_elf_free(elf);
	free(path);
	return ret;
}

const struct unit_case elf_cases[] = {
	{ "elf: round trip keeps the ELF header", roundtrip_header },
	{ "elf: round trip keeps sections (name, type, flags, size, data, links)",
	  roundtrip_sections },
	{ "elf: round trip keeps symbols (name, type, bind, section, value, size)",
	  roundtrip_symbols },
	{ "elf: round trip keeps relocations (offset, type, target, addend)",
	  roundtrip_relas },
	{ "elf: written object passes readelf -W -a without warnings",
	  roundtrip_readelf },
	{ "elf: written object links with ld -r", roundtrip_ld },
	{ "elf: written object reads back into the same model",
	  roundtrip_model },
	{ "elf: round trip of every compiled pre/post object",
	  roundtrip_all_inputs },
	{ "elf: kl_find_*, kl_symbol_at and kl_relas_in lookups", lookups },
	{ "elf: object built with kl_elf_new and kl_add_* is written as built",
	  build_from_scratch },
	{ "elf: renamed symbol and section are written under the new names",
	  renames },
	{ "elf: writing more than 65280 sections is refused cleanly",
	  many_sections },
	{ NULL, NULL },
};
