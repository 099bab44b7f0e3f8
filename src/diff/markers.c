/*
 * markers.c - reads what the patch author asked for through the macros of
 * kpatch-macros.h: records in ".kpatch." sections of the patched object that
 * mark functions to ignore or to patch despite a refusal, sections to leave
 * out, and patch callbacks.  The records themselves are never compared nor
 * carried as data; the callbacks are carried with the functions they name.
 */
#include "diff.h"
#include "../util/util.h"

#include <string.h>

#define MARKER_PREFIX		".kpatch."
#define CALLBACK_PREFIX		".kpatch.callbacks."
#define IGNORE_FUNCTIONS	".kpatch.ignore.functions"
#define IGNORE_SECTIONS		".kpatch.ignore.sections"
#define FORCE_FUNCTIONS		".kpatch.force"
#define RECORD_SIZE		8

bool is_marker_section(const struct kl_section *sec)
{
	return str_starts(sec->name, MARKER_PREFIX) ||
	       (sec->base && str_starts(sec->base->name, MARKER_PREFIX));
}

bool is_callback_section(const struct kl_section *sec)
{
	return str_starts(sec->name, CALLBACK_PREFIX);
}

/* The function one record points at (its first 8 bytes). */
static struct kl_symbol *record_function(struct kl_elf *elf,
					 struct kl_section *sec,
					 uint64_t off)
{
	struct kl_rela *r;
	struct kl_target t;

	if (kl_relas_in(sec, off, off + RECORD_SIZE, &r) < 1 ||
	    r->offset != off || r->type != R_X86_64_64)
		return NULL;
	resolve_target(elf, sec, r, &t);
	if (t.anonymous || t.offset || t.sym->type != STT_FUNC || !t.sym->sec)
		return NULL;
	return t.sym;
}

static int mark_functions(struct kl_elf *elf, struct kl_section *sec,
			  unsigned int mark, const char *macro)
{
	uint64_t off;

	if (sec->size % RECORD_SIZE) {
		kl_err("%s: section %s is not a list of %s records",
		       elf->path, sec->name, macro);
		return -1;
	}
	for (off = 0; off < sec->size; off += RECORD_SIZE) {
		struct kl_symbol *f = record_function(elf, sec, off);

		if (!f) {
			kl_err("%s: a %s record in %s does not name a function of this file",
			       elf->path, macro, sec->name);
			return -1;
		}
		f->marks |= mark;
	}
	return 0;
}

static int mark_sections(struct kl_elf *elf, struct kl_section *sec)
{
	uint64_t off;

	if (sec->size % RECORD_SIZE) {
		kl_err("%s: section %s is not a list of KPATCH_IGNORE_SECTION records",
		       elf->path, sec->name);
		return -1;
	}
	for (off = 0; off < sec->size; off += RECORD_SIZE) {
		struct kl_section *str, *target;
		struct kl_rela *r;
		const char *name = NULL;
		int64_t at;
		size_t i;

		if (kl_relas_in(sec, off, off + RECORD_SIZE, &r) == 1 &&
		    r->offset == off && r->sym->sec) {
			str = r->sym->sec;
			at = r->addend + (r->sym->type == STT_SECTION ? 0 :
					  (int64_t)r->sym->value);
			name = section_string(str, at);
		}
		if (!name) {
			kl_err("%s: a KPATCH_IGNORE_SECTION record in %s does not name a section",
			       elf->path, sec->name);
			return -1;
		}
		for (i = 0; i < elf->nr_secs; i++) {
			target = elf->secs[i];
			if (!strcmp(target->name, name) ||
			    (target->base && !strcmp(target->base->name, name)))
				target->marks |= KL_MARK_IGNORE;
		}
	}
	return 0;
}

/* The callback records and the functions they name. */
static void mark_callbacks(struct kl_elf *elf, struct kl_section *sec)
{
	struct kl_symbol **syms;
	size_t i, n;

	sec->marks |= KL_MARK_CALLBACK;
	syms = kl_section_symbols(elf, sec, &n);
	for (i = 0; i < n; i++)
		if (syms[i]->type == STT_OBJECT)
			syms[i]->marks |= KL_MARK_CALLBACK;
}

int read_markers(struct kl_elf *post)
{
	size_t i;

	for (i = 0; i < post->nr_secs; i++) {
		struct kl_section *sec = post->secs[i];
		int ret = 0;

		if (!strcmp(sec->name, IGNORE_FUNCTIONS))
			ret = mark_functions(post, sec, KL_MARK_IGNORE,
					     "KPATCH_IGNORE_FUNCTION");
		else if (!strcmp(sec->name, FORCE_FUNCTIONS))
			ret = mark_functions(post, sec, KL_MARK_FORCE,
					     "KPATCH_FORCE_UNSAFE");
		else if (!strcmp(sec->name, IGNORE_SECTIONS))
			ret = mark_sections(post, sec);
		else if (is_callback_section(sec))
			mark_callbacks(post, sec);
		if (ret)
			return -1;
	}
	return 0;
}

/* Changed functions the author asked to leave alone. */
void drop_ignored_functions(struct kl_elf *post)
{
	size_t i;

	for (i = 0; i < post->nr_syms; i++) {
		struct kl_symbol *f = post->syms[i];

		if (f->type != STT_FUNC || !(f->marks & KL_MARK_IGNORE))
			continue;
		if (f->status == KL_CHANGED)
			kl_info("function '%s' changed but is not patched: KPATCH_IGNORE_FUNCTION",
				f->name);
		f->status = KL_SAME;
	}
}

/* A refusal the author overrode with KPATCH_FORCE_UNSAFE: a warning. */
bool forced(const struct kl_symbol *f, const char *why)
{
	if (!(f->marks & KL_MARK_FORCE))
		return false;
	kl_info("warning: KPATCH_FORCE_UNSAFE: function '%s' %s", f->name, why);
	return true;
}
