/*
 * runpre.c - computes the run-pre fingerprint of each patched function: its
 * bytes in the pre object, with a mask that leaves out what is only known
 * once the kernel is linked (relocated fields) and what the kernel rewrites
 * in its own code at boot, found through the special tables' entries that
 * point into the function.
 */
#include "runpre.h"
#include "../util/util.h"

#include <stdlib.h>
#include <string.h>

struct patched_site {
	const char *section;
	size_t entsize;
	/* Bytes the kernel may rewrite at the site. */
	size_t (*length)(const unsigned char *entry, const unsigned char *code,
			 size_t room);
};

static size_t five(const unsigned char *entry, const unsigned char *code,
		   size_t room)
{
	(void)entry; (void)code; (void)room;
	return 5;
}

static size_t one(const unsigned char *entry, const unsigned char *code,
		  size_t room)
{
	(void)entry; (void)code; (void)room;
	return 1;
}

/* struct alt_instr: instrlen at byte 10. */
static size_t alt_length(const unsigned char *entry, const unsigned char *code,
			 size_t room)
{
	(void)code; (void)room;
	return entry[10];
}

/* struct paravirt_patch_site: len at byte 9. */
static size_t pv_length(const unsigned char *entry, const unsigned char *code,
			size_t room)
{
	(void)code; (void)room;
	return entry[9];
}

/* A jump label is a 2-byte or a 5-byte jmp or nop. */
static size_t jump_length(const unsigned char *entry, const unsigned char *code,
			  size_t room)
{
	(void)entry;
	if (room >= 1 && code[0] == 0xeb)
		return 2;
	if (room >= 2 && code[0] == 0x66 && code[1] == 0x90)
		return 2;
	return 5;
}

/* call/jmp to a retpoline thunk: 5 bytes; a conditional jump (0f 8x): 6. */
static size_t thunk_length(const unsigned char *entry,
			   const unsigned char *code, size_t room)
{
	(void)entry;
	return room >= 1 && code[0] == 0x0f ? 6 : 5;
}

/* x86-64, Linux 6.1: tables whose entries name code rewritten at boot. */
static const struct patched_site sites[] = {
	{ "__mcount_loc", 8, five },
	{ "__patchable_function_entries", 8, five },
	{ ".altinstructions", 12, alt_length },
	{ "__jump_table", 16, jump_length },
	{ ".static_call_sites", 8, five },
	{ ".return_sites", 4, five },
	{ ".retpoline_sites", 4, thunk_length },
	{ ".call_sites", 4, five },
	{ ".parainstructions", 16, pv_length },
	{ ".smp_locks", 4, one },
};

static void clear(struct runpre_func *rf, uint64_t from, uint64_t len)
{
	uint64_t i;

	for (i = from; i < from + len && i < rf->size; i++) {
		rf->mask[i] = 0;
		rf->code[i] = 0;
	}
}

static void mask_relocations(struct kl_symbol *f, struct runpre_func *rf)
{
	struct kl_rela *r;
	size_t n, i;

	n = kl_relas_in(f->sec, f->value, f->value + f->size, &r);
	for (i = 0; i < n; i++)
		clear(rf, r[i].offset - f->value, kl_rela_width(r[i].type));
}

static void mask_sites(struct kl_elf *pre, const struct patched_site *site,
		       struct kl_symbol *f, struct runpre_func *rf)
{
	struct kl_section *sec = kl_find_section(pre, site->section);
	size_t i;

	if (!sec || !sec->rela || !sec->data)
		return;
	for (i = 0; i < sec->rela->nr_relas; i++) {
		struct kl_rela *r = &sec->rela->relas[i];
		struct kl_symbol *s = r->sym;
		uint64_t at;

		if (r->offset % site->entsize || !s || s->sec != f->sec ||
		    r->offset + site->entsize > sec->size)
			continue;
		at = s->value + r->addend;
		if (at < f->value || at >= f->value + f->size)
			continue;
		at -= f->value;
		clear(rf, at, site->length(sec->data + r->offset,
					   f->sec->data + f->value + at,
					   rf->size - at));
	}
}

static int fingerprint(struct kl_elf *pre, const char *name,
		       struct runpre_func *rf)
{
	struct kl_symbol *f = kl_find_symbol(pre, name);
	size_t i;

	if (!f || f->type != STT_FUNC || !f->sec || !f->sec->data ||
	    f->value + f->size > f->sec->size || !f->size) {
		kl_err("run-pre: no code for '%s' in the object built before the patch",
		       name);
		return -1;
	}
	rf->size = f->size;
	rf->code = xmalloc(f->size);
	rf->mask = xmalloc(f->size);
	memcpy(rf->code, f->sec->data + f->value, f->size);
	memset(rf->mask, 0xff, f->size);
	mask_relocations(f, rf);
	for (i = 0; i < ARRAY_SIZE(sites); i++)
		mask_sites(pre, &sites[i], f, rf);
	return 0;
}

int runpre_collect(struct kl_elf *pre, struct patch_plan *plan, size_t first)
{
	size_t i;

	if (first != plan->nr_runpre) {
		kl_err("internal error: run-pre fingerprints out of step");
		return -1;
	}
	plan->runpre = xrealloc(plan->runpre,
				plan->nr_funcs * sizeof(*plan->runpre));
	memset(plan->runpre + first, 0,
	       (plan->nr_funcs - first) * sizeof(*plan->runpre));
	plan->nr_runpre = plan->nr_funcs;
	for (i = first; i < plan->nr_funcs; i++)
		if (fingerprint(pre, plan->funcs[i].old_name, &plan->runpre[i]))
			return -1;
	return 0;
}

void runpre_free(struct patch_plan *plan)
{
	size_t i;

	for (i = 0; i < plan->nr_runpre; i++) {
		free(plan->runpre[i].code);
		free(plan->runpre[i].mask);
	}
	free(plan->runpre);
	plan->runpre = NULL;
	plan->nr_runpre = 0;
}

long runpre_first_difference(const struct runpre_func *rf,
			     const unsigned char *code)
{
	size_t i;

	for (i = 0; i < rf->size; i++)
		if ((code[i] ^ rf->code[i]) & rf->mask[i])
			return (long)i;
	return -1;
}
