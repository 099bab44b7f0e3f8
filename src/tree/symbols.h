/*
 * symbols.h - the target kernel's symbols: its symbol list (a copy of
 * /proc/kallsyms, or System.map) in kernel order, and the exports of
 * Module.symvers; or the symbol table of one module.
 */
#ifndef KLIVE_SYMBOLS_H
#define KLIVE_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ksym {
	char *name;
	char type;		/* kallsyms letter: t, T, d, D, b, ... */
	uint64_t addr;
};

struct ksyms {
	struct ksym *syms;	/* vmlinux symbols, in the list's order */
	size_t nr;
	struct name_index *index;
	struct name_index *exports;
	bool have_list;
};

int ksyms_load(struct ksyms *ks, const char *kallsyms, const char *symvers);
/* The symbols a module's .ko defines, in the order the kernel lists them. */
int ksyms_load_module(struct ksyms *ks, const char *ko);
void ksyms_free(struct ksyms *ks);
/* How many vmlinux symbols carry this name. */
size_t ksyms_count(const struct ksyms *ks, const char *name);
/* Indexes (into ks->syms) of the symbols of that name; returns the count. */
size_t ksyms_find(const struct ksyms *ks, const char *name, size_t *out,
		  size_t max);
/* Exported by vmlinux without a namespace, so a plain relocation works. */
bool ksyms_exported(const struct ksyms *ks, const char *name);

#endif
