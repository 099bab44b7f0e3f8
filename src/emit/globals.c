/*
 * globals.c - the global functions and variables a patch adds, over all
 * the objects it touches.  One object's carried code may use what another
 * object of the same patch defines: both end up in the one module, so such
 * a reference stays a plain one and the module's link resolves it.
 */
#include "emit.h"
#include "../util/util.h"

#include <stdlib.h>
#include <string.h>

static bool defines(struct kl_elf *elf, const char *name)
{
	struct kl_symbol *s = kl_find_symbol(elf, name);

	return s && s->sec;
}

int new_globals_add(struct new_globals *g, const char *pre_path,
		    const char *post_path)
{
	struct kl_elf *pre = kl_elf_open(pre_path);
	struct kl_elf *post = pre ? kl_elf_open(post_path) : NULL;
	size_t i;

	if (!post) {
		kl_elf_free(pre);
		return -1;
	}
	for (i = 0; i < post->nr_syms; i++) {
		struct kl_symbol *s = post->syms[i];

		if (s->bind == STB_LOCAL || !s->sec || !s->name[0] ||
		    (s->type != STT_FUNC && s->type != STT_OBJECT) ||
		    defines(pre, s->name) || new_globals_has(g, s->name))
			continue;
		g->names = xrealloc(g->names, (g->nr + 1) * sizeof(char *));
		g->names[g->nr++] = xstrdup(s->name);
	}
	kl_elf_free(pre);
	kl_elf_free(post);
	return 0;
}

bool new_globals_has(const struct new_globals *g, const char *name)
{
	size_t i;

	if (!g)
		return false;
	for (i = 0; i < g->nr; i++)
		if (!strcmp(g->names[i], name))
			return true;
	return false;
}

void new_globals_free(struct new_globals *g)
{
	size_t i;

	for (i = 0; i < g->nr; i++)
		free(g->names[i]);
	free(g->names);
	g->names = NULL;
	g->nr = 0;
}
