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
		if (parent && parent->status == KL_SAME &&
		    !(parent->marks & KL_MARK_IGNORE))
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

/* Marks the functions of this object that refer to f as changed. */
static int redirect_callers(struct kl_elf *post, struct kl_symbol *f)
{
	size_t i, j, callers = 0;

	for (i = 0; i < post->nr_secs; i++) {
		struct kl_section *rela = post->secs[i], *base = rela->base;

		if (!kl_is_rela(rela) || !base || is_ignored_section(base) ||
		    is_special_section(base) || is_marker_section(base))
			continue;
		for (j = 0; j < rela->nr_relas; j++) {
			struct kl_rela *r = &rela->relas[j];
			struct kl_symbol *user;
			struct kl_target t;

			resolve_target(post, base, r, &t);
			if (t.anonymous || t.sym != f)
				continue;
			user = kl_symbol_at(post, base, r->offset,
					    1u << STT_FUNC | 1u << STT_OBJECT);
			if (!user || user->type != STT_FUNC) {
				kl_err("function '%s' changed but cannot be patched: it has no ftrace entry and %s refers to it",
				       f->name, user ? user->name : base->name);
				return -1;
			}
			if (user == f)
				continue;
			callers++;
			if (user->marks & KL_MARK_IGNORE) {
				kl_info("function '%s' calls the changed '%s' but is not patched: KPATCH_IGNORE_FUNCTION",
					user->name, f->name);
				continue;
			}
			if (user->status == KL_SAME)
				user->status = KL_CHANGED;
		}
	}
	if (!callers) {
		kl_err("function '%s' changed but cannot be patched: it has no ftrace entry and no caller in its file",
		       f->name);
		return -1;
	}
	return 0;
}

/*
 * A changed function without an ftrace entry (an 'inline' function gcc
 * kept out of line, or a notrace one) cannot be redirected itself; when
 * it is local to its file, its callers are patched instead and carry the
 * new copy.
 */
static int patch_through_callers(struct kl_elf *post)
{
	bool again = true;
	size_t i;

	while (again) {
		again = false;
		for (i = 0; i < post->nr_syms; i++) {
			struct kl_symbol *f = post->syms[i];

			if (f->type != STT_FUNC || f->status != KL_CHANGED ||
			    has_ftrace_entry(f))
				continue;
			if (f->bind != STB_LOCAL &&
			    !forced(f, "has no ftrace entry (notrace or inline) and is global: only its callers in this file are patched")) {
				kl_err("function '%s' changed but cannot be patched: it has no ftrace entry (notrace or inline) and is global",
				       f->name);
				return -1;
			}
			if (redirect_callers(post, f))
				return -1;
			kl_debug("%s has no ftrace entry: patching its callers",
				 f->name);
			f->status = KL_NEW;
			again = true;
		}
	}
	return 0;
}

/*
 * Two names for one function (SYSCALL_DEFINE0 makes __x64_sys_foo an alias
 * of __do_sys_foo) are one function to redirect, not two: keep the global
 * name.
 */
static bool is_alias_of_changed(struct diff_result *res, struct kl_symbol *s)
{
	size_t i;

	for (i = 0; i < res->nr_changed; i++) {
		struct kl_symbol *c = res->changed[i];

		if (c->sec != s->sec || c->value != s->value)
			continue;
		if (c->bind == STB_LOCAL && s->bind != STB_LOCAL)
			res->changed[i] = s;
		return true;
	}
	return false;
}

static int run_diff(struct kl_elf *pre, struct kl_elf *post,
		 struct diff_result *res)
{
	size_t i;

	correlate(pre, post);
	if (read_markers(post) || check_crcs(pre, post) ||
	    compare_sections(pre, post))
		return -1;
	drop_ignored_functions(post);
	promote_cold_parts(post);
	if (patch_through_callers(post))
		return -1;
	for (i = 0; i < post->nr_syms; i++) {
		struct kl_symbol *s = post->syms[i];

		if (s->type != STT_FUNC || s->status != KL_CHANGED)
			continue;
		if (!has_ftrace_entry(s)) {
			kl_err("function '%s' changed but cannot be patched: it has no ftrace entry (notrace, or a part of another function)",
			       s->name);
			return -1;
		}
		if (is_alias_of_changed(res, s))
			continue;
		res->changed = xrealloc(res->changed, (res->nr_changed + 1) *
					sizeof(*res->changed));
		res->changed[res->nr_changed++] = s;
	}
	for (i = 0; i < post->nr_syms; i++) {
		if (post->syms[i]->marks & KL_MARK_CALLBACK)
			res->nr_callbacks++;
		if (is_new_global(post->syms[i]))
			res->nr_new_globals++;
	}
	if (!res->nr_changed && !res->nr_callbacks && !res->nr_new_globals)
		return 0;
	if (include_changed(post))
		return -1;
	return check_once_flags(pre, post);
}

int diff_objects(struct kl_elf *pre, struct kl_elf *post,
		 struct diff_result *res)
{
	memset(res, 0, sizeof(*res));
	if (run_diff(pre, post, res)) {
		diff_result_free(res);
		return -1;
	}
	return 0;
}

void diff_result_free(struct diff_result *res)
{
	free(res->changed);
	memset(res, 0, sizeof(*res));
}
