/*
 * rawelf.h - an independent, read-only view of an object file straight
 * from libelf, used to check what klive's ELF model reads and writes
 * without trusting the model itself.
 */
#ifndef KLIVE_UNIT_RAWELF_H
#define KLIVE_UNIT_RAWELF_H

#include <gelf.h>
#include <stdbool.h>
#include <stddef.h>

struct raw_sec {
	const char *name;
	GElf_Shdr sh;
	const unsigned char *data;	/* NULL for SHT_NOBITS */
	size_t size;
};

struct raw_elf {
	int fd;
	Elf *e;
	GElf_Ehdr eh;
	size_t shnum;
	struct raw_sec *secs;		/* by file index, 0 is the null one */
	size_t symtab;			/* index of .symtab, 0 if none */
	GElf_Sym *syms;
	Elf32_Word *xndx;		/* SHT_SYMTAB_SHNDX entries, or 0 */
	size_t nr_syms;			/* including the null symbol */
};

/* 0 on success; on failure, fail() is called and -1 returned. */
int raw_open(struct raw_elf *r, const char *path);
void raw_close(struct raw_elf *r);

/* The name of symbol i: its section's name for STT_SECTION symbols. */
const char *raw_sym_name(const struct raw_elf *r, size_t i);
/* The section index of symbol i, extended numbering resolved. */
size_t raw_sym_shndx(const struct raw_elf *r, size_t i);
/* The name of the section of symbol i, or *UND* / *ABS* / *COM*. */
const char *raw_sym_section(const struct raw_elf *r, size_t i);
/* Index of the first section called name, or 0. */
size_t raw_find(const struct raw_elf *r, const char *name);
/* Whether the section is one a writer regenerates (.symtab, strings). */
bool raw_is_regenerated(const struct raw_elf *r, size_t i);
/* Number of relocations of SHT_RELA section i, and entry j of it. */
size_t raw_nr_relas(const struct raw_elf *r, size_t i);
void raw_rela(const struct raw_elf *r, size_t i, size_t j, GElf_Rela *out);

#endif
