/*
 * malformed_tests.c - unit tests of kl_elf_open on broken input: truncated
 * objects, files that are not objects, and objects whose headers, symbols
 * or relocations were corrupted.  Each must be refused with NULL and one
 * "klive: " line on stderr, without crashing (the harness runs every case
 * in its own process and reports signals).
 */
#define _GNU_SOURCE
#include "unit.h"
#include "../../src/elf/elf.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BASE_OBJECT "roundtrip.o"

struct image {
	unsigned char *buf;
	size_t len;
	Elf64_Ehdr *eh;
};

static int load(struct image *im)
{
	char *path = work_path(BASE_OBJECT);

	im->buf = slurp(path, &im->len);
	free(path);
	if (!im->buf || im->len < sizeof(Elf64_Ehdr))
		return fail("cannot read %s", BASE_OBJECT);
	im->eh = (Elf64_Ehdr *)im->buf;
	if (im->eh->e_shoff + (size_t)im->eh->e_shnum * sizeof(Elf64_Shdr) >
	    im->len)
		return fail("%s: unexpected layout", BASE_OBJECT);
	return 0;
}

static Elf64_Shdr *shdr(struct image *im, size_t i)
{
	return (Elf64_Shdr *)(im->buf + im->eh->e_shoff) + i;
}

static const char *sec_name(struct image *im, size_t i)
{
	Elf64_Shdr *strs = shdr(im, im->eh->e_shstrndx);

	return (const char *)im->buf + strs->sh_offset + shdr(im, i)->sh_name;
}

static size_t find(struct image *im, const char *name)
{
	size_t i;

	for (i = 1; i < im->eh->e_shnum; i++)
		if (!strcmp(sec_name(im, i), name))
			return i;
	fail("%s has no section %s", BASE_OBJECT, name);
	return 0;
}

/* kl_elf_open must return NULL and say why in one "klive: " line. */
static int expect_rejected(const char *tag, const void *buf, size_t len)
{
	char *name, *path, *err;
	struct kl_elf *elf;
	size_t mark;
	int ret = 0;

	if (asprintf(&name, "malformed-%s.o", tag) < 0)
		abort();
	path = work_path(name);
	free(name);
	if (spill(path, buf, len))
		return fail("cannot write %s", path);
	mark = stderr_mark();
	elf = kl_elf_open(path);
	err = stderr_since(mark);
	if (elf)
		ret = fail("kl_elf_open accepted it (%zu sections, %zu symbols)%s%s",
			   elf->nr_secs, elf->nr_syms, *err ? "; said: " : "",
			   err);
	else if (count_lines(err) != 1 || !all_lines_start(err, "klive: "))
		ret = fail("expected one 'klive: ' line on stderr, got: '%s'",
			   err);
	kl_elf_free(elf);
	free(err);
	free(path);
	return ret;
}

static int image_rejected(const char *tag, struct image *im)
{
	int ret = expect_rejected(tag, im->buf, im->len);

	free(im->buf);
	return ret;
}

static int empty_file(void)
{
	return expect_rejected("empty", "", 0);
}

static int text_file(void)
{
	static const char text[] =
		"/* This is C source, not an object file. */\n"
		"int main(void) { return 0; }\n";

	return expect_rejected("text", text, sizeof(text) - 1);
}

static int truncated_in_header(void)
{
	struct image im;

	if (load(&im))
		return 1;
	im.len = 40;
	return image_rejected("trunc-ehdr", &im);
}

static int truncated_half(void)
{
	struct image im;

	if (load(&im))
		return 1;
	im.len /= 2;
	return image_rejected("trunc-half", &im);
}

static int truncated_in_section_headers(void)
{
	struct image im;

	if (load(&im))
		return 1;
	im.len = im.eh->e_shoff + (im.eh->e_shnum - 1) * sizeof(Elf64_Shdr) +
		 sizeof(Elf64_Shdr) / 2;
	return image_rejected("trunc-shdr", &im);
}

static int not_x86_64(void)
{
	struct image im;

	if (load(&im))
		return 1;
	im.eh->e_machine = EM_AARCH64;
	return image_rejected("machine", &im);
}

static int not_relocatable(void)
{
	struct image im;

	if (load(&im))
		return 1;
	im.eh->e_type = ET_EXEC;
	return image_rejected("exec", &im);
}

static int shstrndx_out_of_range(void)
{
	struct image im;

	if (load(&im))
		return 1;
	im.eh->e_shstrndx = im.eh->e_shnum + 5;
	return image_rejected("shstrndx", &im);
}

static int shoff_past_eof(void)
{
	struct image im;

	if (load(&im))
		return 1;
	im.eh->e_shoff = im.len + 64;
	return image_rejected("shoff", &im);
}

static int shnum_too_large(void)
{
	struct image im;

	if (load(&im))
		return 1;
	im.eh->e_shnum += 10;
	return image_rejected("shnum", &im);
}

/* Applies edit to the header of section `name`, then expects a refusal. */
static int corrupt_section(const char *tag, const char *name,
			   void (*edit)(Elf64_Shdr *sh, struct image *im))
{
	struct image im;
	size_t i;

	if (load(&im))
		return 1;
	i = find(&im, name);
	if (!i)
		return 1;
	edit(shdr(&im, i), &im);
	return image_rejected(tag, &im);
}

static void offset_past_eof(Elf64_Shdr *sh, struct image *im)
{
	sh->sh_offset = im->len + 4096;
}

static void size_huge(Elf64_Shdr *sh, struct image *im)
{
	(void)im;
	sh->sh_size = 0x7fffffff;
}

static void name_out_of_range(Elf64_Shdr *sh, struct image *im)
{
	(void)im;
	sh->sh_name = 0x7ffffff0;
}

static void link_out_of_range(Elf64_Shdr *sh, struct image *im)
{
	sh->sh_link = im->eh->e_shnum + 100;
}

static void entsize_zero(Elf64_Shdr *sh, struct image *im)
{
	(void)im;
	sh->sh_entsize = 0;
}

static void type_progbits(Elf64_Shdr *sh, struct image *im)
{
	(void)im;
	sh->sh_type = SHT_PROGBITS;
}

static void info_out_of_range(Elf64_Shdr *sh, struct image *im)
{
	sh->sh_info = im->eh->e_shnum + 100;
}

static void info_zero(Elf64_Shdr *sh, struct image *im)
{
	(void)im;
	sh->sh_info = 0;
}

static void entsize_16(Elf64_Shdr *sh, struct image *im)
{
	(void)im;
	sh->sh_entsize = 16;
}

static void type_rel(Elf64_Shdr *sh, struct image *im)
{
	(void)im;
	sh->sh_type = SHT_REL;
	sh->sh_entsize = sizeof(Elf64_Rel);
}

static int text_offset_past_eof(void)
{
	return corrupt_section("text-offset", ".text.dispatch",
			       offset_past_eof);
}

static int text_size_huge(void)
{
	return corrupt_section("text-size", ".text.dispatch", size_huge);
}

static int text_name_out_of_range(void)
{
	return corrupt_section("text-name", ".text.dispatch",
			       name_out_of_range);
}

static int symtab_link_out_of_range(void)
{
	return corrupt_section("symtab-link", ".symtab", link_out_of_range);
}

static int symtab_entsize_zero(void)
{
	return corrupt_section("symtab-entsize", ".symtab", entsize_zero);
}

static int symtab_size_past_eof(void)
{
	return corrupt_section("symtab-size", ".symtab", size_huge);
}

static int symtab_missing(void)
{
	return corrupt_section("symtab-type", ".symtab", type_progbits);
}

static int rela_info_out_of_range(void)
{
	return corrupt_section("rela-info", ".rela.text.dispatch",
			       info_out_of_range);
}

static int rela_info_zero(void)
{
	return corrupt_section("rela-info0", ".rela.text.dispatch", info_zero);
}

static int rela_entsize_wrong(void)
{
	return corrupt_section("rela-entsize", ".rela.text.dispatch",
			       entsize_16);
}

static int rela_as_rel(void)
{
	return corrupt_section("rela-rel", ".rela.text.dispatch", type_rel);
}

/* The symbol table entry of the symbol called name. */
static Elf64_Sym *symbol(struct image *im, const char *name)
{
	size_t st = find(im, ".symtab"), i, n;
	Elf64_Shdr *sh;
	const char *strs;
	Elf64_Sym *syms;

	if (!st)
		return NULL;
	sh = shdr(im, st);
	syms = (Elf64_Sym *)(im->buf + sh->sh_offset);
	strs = (const char *)im->buf + shdr(im, sh->sh_link)->sh_offset;
	n = sh->sh_size / sizeof(Elf64_Sym);
	for (i = 1; i < n; i++)
		if (!strcmp(strs + syms[i].st_name, name))
			return &syms[i];
	fail("%s has no symbol %s", BASE_OBJECT, name);
	return NULL;
}

static int symbol_shndx_out_of_range(void)
{
	struct image im;
	Elf64_Sym *s;

	if (load(&im) || !(s = symbol(&im, "dispatch")))
		return 1;
	s->st_shndx = im.eh->e_shnum + 7;
	return image_rejected("sym-shndx", &im);
}

static int symbol_name_out_of_range(void)
{
	struct image im;
	Elf64_Sym *s;

	if (load(&im) || !(s = symbol(&im, "dispatch")))
		return 1;
	s->st_name = 0x7ffffff0;
	return image_rejected("sym-name", &im);
}

static Elf64_Rela *first_rela(struct image *im, const char *name,
			      size_t *base)
{
	size_t i = find(im, name);
	Elf64_Shdr *sh;

	if (!i)
		return NULL;
	sh = shdr(im, i);
	*base = sh->sh_info;
	return (Elf64_Rela *)(im->buf + sh->sh_offset);
}

static int rela_symbol_out_of_range(void)
{
	struct image im;
	Elf64_Rela *r;
	size_t base;

	if (load(&im) || !(r = first_rela(&im, ".rela.text.dispatch", &base)))
		return 1;
	r->r_info = ELF64_R_INFO(100000, ELF64_R_TYPE(r->r_info));
	return image_rejected("rela-sym", &im);
}

static int rela_symbol_zero(void)
{
	struct image im;
	Elf64_Rela *r;
	size_t base;

	if (load(&im) || !(r = first_rela(&im, ".rela.text.dispatch", &base)))
		return 1;
	r->r_info = ELF64_R_INFO(0, ELF64_R_TYPE(r->r_info));
	return image_rejected("rela-sym0", &im);
}

/* A 4-byte field at the very end of the section is outside it. */
static int rela_offset_at_end(void)
{
	struct image im;
	Elf64_Rela *r;
	size_t base;

	if (load(&im) || !(r = first_rela(&im, ".rela.text.dispatch", &base)))
		return 1;
	r->r_offset = shdr(&im, base)->sh_size;
	return image_rejected("rela-offset", &im);
}

static int rela_offset_far(void)
{
	struct image im;
	Elf64_Rela *r;
	size_t base;

	if (load(&im) || !(r = first_rela(&im, ".rela.text.dispatch", &base)))
		return 1;
	r->r_offset = 0x100000;
	return image_rejected("rela-offset-far", &im);
}

static int group_member_out_of_range(void)
{
	struct image im;
	uint32_t member;
	size_t i;

	if (load(&im) || !(i = find(&im, ".group")))
		return 1;
	member = im.eh->e_shnum + 50;
	memcpy(im.buf + shdr(&im, i)->sh_offset + 4, &member, 4);
	return image_rejected("group", &im);
}

/* A function whose size runs past the end of its section. */
static int symbol_past_section(void)
{
	struct image im;
	Elf64_Sym *s;

	if (load(&im) || !(s = symbol(&im, "dispatch")))
		return 1;
	s->st_size = 0x100000;
	return image_rejected("sym-size", &im);
}

static int rela_addend_huge(void)
{
	struct image im;
	Elf64_Rela *r;
	size_t base;

	if (load(&im) || !(r = first_rela(&im, ".rela.text.dispatch", &base)))
		return 1;
	r->r_addend = INT64_MAX - 2;
	return image_rejected("rela-addend", &im);
}

const struct unit_case malformed_cases[] = {
	{ "malformed: empty file", empty_file },
	{ "malformed: text file", text_file },
	{ "malformed: truncated inside the ELF header", truncated_in_header },
	{ "malformed: truncated to half its size", truncated_half },
	{ "malformed: truncated inside the section header table",
	  truncated_in_section_headers },
	{ "malformed: object for another machine", not_x86_64 },
	{ "malformed: executable, not relocatable", not_relocatable },
	{ "malformed: e_shstrndx out of range", shstrndx_out_of_range },
	{ "malformed: section header table past the end of the file",
	  shoff_past_eof },
	{ "malformed: e_shnum larger than the table", shnum_too_large },
	{ "malformed: section data offset past the end of the file",
	  text_offset_past_eof },
	{ "malformed: section size past the end of the file", text_size_huge },
	{ "malformed: section name out of range", text_name_out_of_range },
	{ "malformed: .symtab sh_link out of range", symtab_link_out_of_range },
	{ "malformed: .symtab sh_entsize 0", symtab_entsize_zero },
	{ "malformed: .symtab size past the end of the file",
	  symtab_size_past_eof },
	{ "malformed: no symbol table", symtab_missing },
	{ "malformed: relocation section for a section out of range",
	  rela_info_out_of_range },
	{ "malformed: relocation section for section 0", rela_info_zero },
	{ "malformed: relocation section with a wrong entry size",
	  rela_entsize_wrong },
	{ "malformed: SHT_REL relocation section", rela_as_rel },
	{ "malformed: symbol in a section out of range",
	  symbol_shndx_out_of_range },
	{ "malformed: symbol name out of range", symbol_name_out_of_range },
	{ "malformed: relocation against a symbol out of range",
	  rela_symbol_out_of_range },
	{ "malformed: relocation against the null symbol", rela_symbol_zero },
	{ "malformed: relocation at the end of its section",
	  rela_offset_at_end },
	{ "malformed: relocation far outside its section", rela_offset_far },
	{ "malformed: group member out of range", group_member_out_of_range },
	{ "malformed: symbol extending past its section", symbol_past_section },
	{ "malformed: relocation addend out of range", rela_addend_huge },
	{ NULL, NULL },
};
