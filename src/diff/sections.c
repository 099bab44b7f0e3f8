/* sections.c - classifies sections and symbols, and finds relocation targets. */
#include "diff.h"
#include "../util/util.h"

#include <string.h>

static const char *const ignored_prefixes[] = {
	".discard", ".debug_", ".note", ".comment", ".llvm", ".BTF",
	".eh_frame", ".gnu.", ".GCC.",
};

static const char *const special_names[] = {
	"__mcount_loc", ".orc_unwind_ip", ".orc_unwind", ".return_sites",
	".retpoline_sites", ".call_sites", ".ibt_endbr_seal", "__bug_table",
	"__ex_table", "__jump_table", ".altinstructions", ".smp_locks",
	".parainstructions", ".static_call_sites", ".printk_index",
	"__patchable_function_entries",
};

bool is_ignored_section(const struct kl_section *sec)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ignored_prefixes); i++)
		if (str_starts(sec->name, ignored_prefixes[i]))
			return true;
	return false;
}

bool is_special_section(const struct kl_section *sec)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(special_names); i++)
		if (!strcmp(sec->name, special_names[i]))
			return true;
	return false;
}

bool is_dyndbg_descriptor(const struct kl_symbol *s)
{
	return s->type == STT_OBJECT && s->sec &&
	       !strcmp(s->sec->name, DYNDBG_SECTION);
}

bool is_function_symbol(const struct kl_symbol *sym)
{
	return sym->type == STT_FUNC && sym->sec && sym->size;
}

static struct kl_symbol *only_symbol(struct kl_elf *elf,
				     struct kl_section *sec)
{
	struct kl_symbol *found = NULL, **syms;
	size_t i, n;

	syms = kl_section_symbols(elf, sec, &n);
	for (i = 0; i < n; i++) {
		if (syms[i]->type != STT_FUNC && syms[i]->type != STT_OBJECT)
			continue;
		if (found)
			return NULL;
		found = syms[i];
	}
	return found;
}

/* Tables such as ORC point just past the end of a function. */
static struct kl_symbol *symbol_ending_at(struct kl_elf *elf,
					  struct kl_section *sec, int64_t at)
{
	struct kl_symbol **syms;
	size_t i, n;

	syms = kl_section_symbols(elf, sec, &n);
	for (i = 0; i < n; i++) {
		struct kl_symbol *s = syms[i];

		if (s->size && (s->type == STT_FUNC ||
						 s->type == STT_OBJECT) &&
		    (int64_t)(s->value + s->size) == at)
			return s;
	}
	return NULL;
}

/*
 * Bytes of immediate operand that follow a RIP-relative displacement
 * ("cmpb $0, flag(%rip)"): the displacement counts from the instruction's
 * end, past them.
 */
static unsigned int immediate_after(const struct kl_section *in,
				    const struct kl_rela *r)
{
	const unsigned char *d = in->data;
	unsigned char op, modrm;
	bool word;

	if (!d || r->offset < 3 || r->offset > in->size)
		return 0;
	op = d[r->offset - 2];
	modrm = d[r->offset - 1];
	if ((modrm & 0xc7) != 0x05)
		return 0;
	word = d[r->offset - 3] == 0x66;
	switch (op) {
	case 0x80: case 0x83: case 0xc6: case 0x6b: case 0xc0: case 0xc1:
		return 1;
	case 0xba:
		return d[r->offset - 3] == 0x0f ? 1 : 0;
	case 0x81: case 0xc7: case 0x69:
		return word ? 2 : 4;
	case 0xf6:
		return (modrm & 0x38) <= 0x08 ? 1 : 0;
	case 0xf7:
		return (modrm & 0x38) <= 0x08 ? (word ? 2 : 4) : 0;
	default:
		return 0;
	}
}

void resolve_target(struct kl_elf *elf, const struct kl_section *in,
		    const struct kl_rela *r, struct kl_target *t)
{
	struct kl_symbol *sym = r->sym, *named;
	int64_t at;

	t->sym = sym;
	t->offset = r->addend;
	t->anonymous = false;
	/*
	 * gcc's local labels (.LC1) in strings and constant pools name no
	 * object of their own: a place in an anonymous section.
	 */
	if (sym->type == STT_NOTYPE && sym->bind == STB_LOCAL && sym->sec &&
	    (kl_is_string_section(sym->sec) ||
	     kl_is_constant_pool(sym->sec))) {
		t->anonymous = true;
		t->offset = (int64_t)sym->value + r->addend;
		return;
	}
	if (sym->type != STT_SECTION)
		return;
	if (kl_is_string_section(sym->sec)) {
		t->anonymous = true;
		return;
	}
	named = only_symbol(elf, sym->sec);
	if (!named) {
		/* An instruction operand: the field ends the instruction. */
		at = r->addend;
		if (kl_rela_is_pcrel(r->type) && kl_is_text(in))
			at += 4 + immediate_after(in, r);
		named = kl_symbol_at(elf, sym->sec, at < 0 ? 0 : at,
				     1u << STT_FUNC | 1u << STT_OBJECT);
	}
	if (!named)
		named = symbol_ending_at(elf, sym->sec, r->addend);
	if (!named) {
		t->anonymous = true;
		return;
	}
	t->sym = named;
	t->offset = r->addend - (int64_t)named->value;
}

const char *section_string(const struct kl_section *sec, int64_t at)
{
	if (!sec || !sec->data || at < 0 || (uint64_t)at >= sec->size ||
	    !memchr(sec->data + at, '\0', sec->size - at))
		return NULL;
	return (const char *)sec->data + at;
}

const char *target_string(struct kl_elf *elf, const struct kl_section *in,
			  const struct kl_rela *r)
{
	struct kl_target t;

	resolve_target(elf, in, r, &t);
	return section_string(t.sym->sec, t.offset +
			 (t.anonymous ? 0 : (int64_t)t.sym->value));
}

const char *rela_string(struct kl_elf *elf, const struct kl_section *sec,
			const struct kl_rela *r)
{
	struct kl_target t;

	resolve_target(elf, sec, r, &t);
	if (!t.anonymous || !t.sym->sec || !kl_is_string_section(t.sym->sec))
		return NULL;
	return section_string(t.sym->sec, t.offset +
			 (kl_rela_is_pcrel(r->type) && kl_is_text(sec) ? 4 : 0));
}
