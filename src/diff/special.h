/*
 * special.h - tables the kernel reads at load time (__mcount_loc, ORC,
 * __bug_table, __ex_table, __jump_table, alternatives, ...): each is an
 * array of fixed-size entries whose first relocation points at the code it
 * describes.  A live patch keeps the entries of the functions it carries.
 */
#ifndef KLIVE_SPECIAL_H
#define KLIVE_SPECIAL_H

#include "../elf/elf.h"

struct special_keep {
	size_t entsize;
	size_t *entries;	/* indexes of the kept entries */
	size_t nr;
};

/* Marks kept entries (sec->priv, sec->include) after functions are chosen. */
int special_mark_entries(struct kl_elf *post);
/* A printk index record (struct pi_entry, "_entry" in printk.h). */
bool is_printk_index_entry(const struct kl_symbol *sym);

#endif
