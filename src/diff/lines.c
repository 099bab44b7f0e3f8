/*
 * lines.c - tells a symbol that changed only because lines were inserted or
 * removed above it from one that really changed.  __LINE__ ends up in:
 *
 *   - pr_debug descriptors (__dyndbg), in a bit field of struct _ddebug;
 *   - the code itself, as the immediate operand of "mov $LINE, %reg" that
 *     passes __FILE__, __LINE__ to a helper (might_sleep(), might_fault()
 *     with CONFIG_DEBUG_ATOMIC_SLEEP...).
 *
 * (WARN and BUG keep theirs in __bug_table and printk in .printk_index,
 * which are not part of the function's bytes.)  Such symbols are compared
 * once more with only these numbers taken from the pre object: anything
 * else that differs still makes them changed.
 */
#include "diff.h"
#include "../util/util.h"

#include <stdlib.h>
#include <string.h>

/* struct _ddebug: lineno is the low 18 bits of the word at offset 32. */
#define DDEBUG_LINENO_OFFSET	32
#define DDEBUG_LINENO_MASK	0x3ffffu

/* How far (bytes) the __FILE__ operand may be from the line's mov. */
#define FILE_NEAR		32
/* Larger immediates are not taken for line numbers. */
#define MAX_LINE		(1u << 20)

/* Copies the dyndbg line field of a into b; false if b is not one. */
static bool copy_dyndbg_line(struct kl_symbol *a, struct kl_symbol *b)
{
	unsigned char *pa, *pb;
	uint32_t la, lb;

	if (strcmp(b->sec->name, DYNDBG_SECTION) ||
	    b->size < DDEBUG_LINENO_OFFSET + 4)
		return false;
	pa = a->sec->data + a->value + DDEBUG_LINENO_OFFSET;
	pb = b->sec->data + b->value + DDEBUG_LINENO_OFFSET;
	memcpy(&la, pa, 4);
	memcpy(&lb, pb, 4);
	if ((la & ~DDEBUG_LINENO_MASK) != (lb & ~DDEBUG_LINENO_MASK))
		return false;
	memcpy(pb, pa, 4);
	return true;
}

static bool is_file_name(const char *s)
{
	return str_ends(s, ".c") || str_ends(s, ".h");
}

/* A relocation in [start, end) of sec that points at a source file name. */
static bool file_name_near(struct kl_elf *elf, struct kl_section *sec,
			   uint64_t start, uint64_t end)
{
	struct kl_rela *r;
	size_t n, i;

	n = kl_relas_in(sec, start, end, &r);
	for (i = 0; i < n; i++) {
		struct kl_target t;
		const char *str;

		resolve_target(elf, sec, &r[i], &t);
		if (!t.anonymous || !kl_is_string_section(t.sym->sec))
			continue;
		str = section_string(t.sym->sec, t.offset +
				     (kl_rela_is_pcrel(r[i].type) ? 4 : 0));
		if (str && is_file_name(str))
			return true;
	}
	return false;
}

static uint32_t imm32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/*
 * The start of the "mov $imm32, %r32" (opcode b8+r) whose immediate holds
 * bytes [lo, hi] of the function, or -1.
 */
static int64_t line_mov(const unsigned char *a, const unsigned char *b,
			uint64_t lo, uint64_t hi)
{
	uint64_t p;

	for (p = hi >= 4 ? hi - 4 : 0; p < lo; p++) {
		uint32_t va, vb;

		if (a[p] != b[p] || a[p] < 0xb8 || a[p] > 0xbf || hi > p + 4)
			continue;
		va = imm32(a + p + 1);
		vb = imm32(b + p + 1);
		if (va && vb && va < MAX_LINE && vb < MAX_LINE)
			return p;
	}
	return -1;
}

/*
 * Copies into b's bytes the line immediates of a; false if some byte that
 * differs is not part of one.
 */
static bool copy_code_lines(struct kl_elf *post, struct kl_symbol *a,
			    struct kl_symbol *b)
{
	const unsigned char *pa = a->sec->data + a->value;
	unsigned char *pb = b->sec->data + b->value;
	uint64_t i = 0, size = b->size;
	bool any = false;

	while (i < size) {
		uint64_t lo, hi;
		struct kl_rela *r;
		int64_t mov;

		if (pa[i] == pb[i]) {
			i++;
			continue;
		}
		lo = i;
		hi = i;
		while (hi + 1 < size && hi < lo + 3 && pa[hi + 1] != pb[hi + 1])
			hi++;
		mov = line_mov(pa, pb, lo, hi);
		if (mov < 0 || (uint64_t)mov + 5 > size)
			return false;
		/* A relocated operand is an address, not a line. */
		if (kl_relas_in(b->sec, b->value + mov + 1, b->value + mov + 5,
				&r))
			return false;
		if (!file_name_near(post, b->sec,
				    b->value + (mov > FILE_NEAR ?
						mov - FILE_NEAR : 0),
				    b->value + mov + 5 + FILE_NEAR))
			return false;
		memcpy(pb + mov + 1, pa + mov + 1, 4);
		any = true;
		i = mov + 5;
	}
	return any;
}

bool same_but_lines(struct kl_elf *pre, struct kl_symbol *a,
		    struct kl_elf *post, struct kl_symbol *b,
		    bool (*same)(struct kl_elf *, struct kl_symbol *,
				 struct kl_elf *, struct kl_symbol *))
{
	unsigned char *saved, *pb;
	bool copied, result;

	if (a->size != b->size || !a->size || !a->sec->data ||
	    !b->sec->data || a->value + a->size > a->sec->size ||
	    b->value + b->size > b->sec->size)
		return false;
	pb = b->sec->data + b->value;
	saved = xmalloc(b->size);
	memcpy(saved, pb, b->size);
	if (b->type == STT_FUNC)
		copied = copy_code_lines(post, a, b);
	else
		copied = copy_dyndbg_line(a, b);
	result = copied && same(pre, a, post, b);
	memcpy(pb, saved, b->size);
	free(saved);
	return result;
}
