/* diff.c - runs the diff stage over one pair of objects. */
#include "diff.h"
#include "../util/util.h"

#include <stdlib.h>
#include <string.h>

/* A changed cold part (foo.cold) is patched through its parent. */
static void promote_cold_parts(struct kl_elf *post)
{
	size_t i;

	for (i = 0; i < post->nr_syms; i++) {
		struct kl_symbol *s = post->syms[i], *parent;
		char *name;
		const char *dot;

		if (s->type != STT_FUNC || s->status == KL_SAME)
			continue;
		dot = strstr(s->name, ".cold");
		if (!dot)
			continue;
		name = xstrndup(s->name, dot - s->name);
		parent = kl_find_symbol(post, name);
		free(name);
		if (parent && parent->status == KL_SAME)
			parent->status = KL_CHANGED;
		s->status = KL_NEW;
	}
}

/* Live patching redirects a function through the ftrace call at its entry. */
static bool has_ftrace_entry(struct kl_symbol *f)
{
	struct kl_rela *r;
	size_t n, i;

	n = kl_relas_in(f->sec, f->value, f->value + 16, &r);
	for (i = 0; i < n; i++)
		if (!strcmp(r[i].sym->name, "__fentry__"))
			return true;
	return false;
}

int diff_objects(struct kl_elf *pre, struct kl_elf *post,
		 struct diff_result *res)
{
	size_t i;

	memset(res, 0, sizeof(*res));
	correlate(pre, post);
	if (compare_sections(pre, post))
		return -1;
	promote_cold_parts(post);
	for (i = 0; i < post->nr_syms; i++) {
		struct kl_symbol *s = post->syms[i];

		if (s->type != STT_FUNC || s->status != KL_CHANGED)
			continue;
		if (!has_ftrace_entry(s)) {
			kl_err("function '%s' changed but cannot be patched: it has no ftrace entry (notrace, or a part of another function)",
			       s->name);
			return -1;
		}
		res->changed = xrealloc(res->changed, (res->nr_changed + 1) *
					sizeof(*res->changed));
		res->changed[res->nr_changed++] = s;
	}
	if (!res->nr_changed)
		return 0;
	return include_changed(post);
}

void diff_result_free(struct diff_result *res)
{
	free(res->changed);
	memset(res, 0, sizeof(*res));
}
