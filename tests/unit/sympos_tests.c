/*
 * sympos_tests.c - unit tests of placing a local symbol among the kernel's
 * symbols of the same name: by the layout of the section it shares with
 * other symbols, by the run of the object's names around it, and refusing
 * when neither tells.
 */
#define _GNU_SOURCE
#include "unit.h"
#include "../../src/elf/elf.h"
#include "../../src/emit/emit.h"
#include "../../src/tree/symbols.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct placed {
	struct kl_elf *pre;
	struct ksyms ks;
};

static int load(struct placed *p, const char *list_text)
{
	char *pre = work_path("sympos/pre.o"), *list = work_path("sympos.kallsyms");

	memset(p, 0, sizeof(*p));
	p->pre = kl_elf_open(pre);
	if (!p->pre)
		return fail("cannot open %s", pre);
	if (spill(list, list_text, strlen(list_text)) ||
	    ksyms_load(&p->ks, list, NULL))
		return fail("cannot load the symbol list");
	free(pre);
	free(list);
	return 0;
}

static void unload(struct placed *p)
{
	ksyms_free(&p->ks);
	kl_elf_free(p->pre);
}

static uint64_t value_of(struct kl_elf *elf, const char *name)
{
	struct kl_symbol *s = kl_find_symbol(elf, name);

	return s ? s->value : 0;
}

/*
 * Three files' flags in one .data.once: only the second candidate has
 * flag_first at the distance the object puts it from flag_second.
 */
static int sympos_by_layout(void)
{
	struct placed p;
	char list[1024];
	unsigned long pos = 99;
	uint64_t first, second, base = 0xffffffff82000000ull;
	long delta;

	if (load(&p, ""))
		return 1;
	first = value_of(p.pre, "flag_first");
	second = value_of(p.pre, "flag_second");
	delta = (long)(first - second);
	if (!delta)
		return fail("the two flags share an offset");
	unload(&p);
	snprintf(list, sizeof(list),
		 "%llx d flag_second\n"
		 "%llx d flag_first\n"
		 "%llx d flag_second\n"
		 "%llx d other_file_flag\n"
		 "%llx d flag_second\n",
		 (unsigned long long)base,
		 (unsigned long long)(base + 0x10 + second + delta),
		 (unsigned long long)(base + 0x10 + second),
		 (unsigned long long)(base + 0x20),
		 (unsigned long long)(base + 0x21));
	if (load(&p, list))
		return 1;
	if (symbol_position(&p.ks, p.pre, "flag_second", &pos) != SYMPOS_OK)
		return fail("flag_second not placed by its section's layout");
	if (pos != 2)
		return fail("flag_second placed at %lu, not 2", pos);
	unload(&p);
	return 0;
}

/*
 * helper() sits in its own section: the candidate among the object's
 * unique names wins, even though the other one has names many files share
 * (flag_first is listed twice) around it.
 */
static int sympos_by_neighbours(void)
{
	struct placed p;
	unsigned long pos = 99;

	if (load(&p,
		 "ffffffff81000000 t flag_first\n"
		 "ffffffff81000010 t helper\n"
		 "ffffffff81000020 t flag_first\n"
		 "ffffffff81000100 T unrelated_a\n"
		 "ffffffff81000110 T unrelated_b\n"
		 "ffffffff81000120 T unrelated_c\n"
		 "ffffffff81000130 T unrelated_d\n"
		 "ffffffff81000200 T sympos_unique_entry\n"
		 "ffffffff81000300 t helper\n"
		 "ffffffff81000400 T sympos_other_entry\n"
		 "ffffffff81000500 T unrelated_e\n"))
		return 1;
	if (symbol_position(&p.ks, p.pre, "helper", &pos) != SYMPOS_OK)
		return fail("helper not placed by its neighbours");
	if (pos != 2)
		return fail("helper placed at %lu, not 2", pos);
	unload(&p);
	return 0;
}

/* Nothing tells two candidates apart: refused, never guessed. */
static int sympos_ambiguous_refused(void)
{
	struct placed p;
	unsigned long pos = 99;

	if (load(&p,
		 "ffffffff81000000 T unrelated_a\n"
		 "ffffffff81000010 t helper\n"
		 "ffffffff81000100 T unrelated_b\n"
		 "ffffffff81000200 t flag_first\n"
		 "ffffffff81000300 t helper\n"
		 "ffffffff81000400 t flag_first\n"))
		return 1;
	if (symbol_position(&p.ks, p.pre, "helper", &pos) != SYMPOS_AMBIGUOUS)
		return fail("helper placed at %lu without evidence", pos);
	if (symbol_position(&p.ks, p.pre, "missing_name", &pos) !=
	    SYMPOS_MISSING)
		return fail("a missing name was not reported missing");
	unload(&p);
	return 0;
}

const struct unit_case sympos_cases[] = {
	{ "sympos: a flag is placed by the layout of the section it shares",
	  sympos_by_layout },
	{ "sympos: a function is placed by the run of the object's unique names around it",
	  sympos_by_neighbours },
	{ "sympos: candidates nothing tells apart are refused",
	  sympos_ambiguous_refused },
	{ NULL, NULL },
};
