/*
 * object.c - writes the carried code and data of one patched object: the
 * included functions and data, each in a section of its own, the anonymous
 * data they use, the kept entries of the special sections, and relocations
 * that point either inside the new object or at the running kernel: the
 * exported symbols of vmlinux by name, other symbols of vmlinux and every
 * symbol of the patched module (when the object is built into one) through
 * livepatch symbols.  The patch-author callback tables are read here and
 * left out of the module: the stub registers them.
 */
#include "emit.h"
#include "../diff/special.h"
#include "../util/util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct builder {
	struct emit_context *ctx;
	struct kl_elf *out;
	const char *referrer;	/* function being copied, for messages */
};

static char *unit_section_name(struct kl_symbol *sym)
{
	struct kl_section *src = sym->sec;

	/* The module loader finds this table by its name. */
	if (!strcmp(src->name, DYNDBG_SECTION))
		return xstrdup(src->name);
	/* With -ffunction/-fdata-sections most symbols own their section. */
	if (sym->value == 0 && sym->size == src->sh.sh_size &&
	    str_ends(src->name, sym->name))
		return xstrdup(src->name);
	return xasprintf("%s.klive.%s", src->name, sym->name);
}

static void copy_unit(struct builder *b, struct kl_symbol *sym)
{
	struct kl_section *src = sym->sec, *sec;
	struct kl_symbol *copy;
	GElf_Shdr sh = src->sh;
	char *name;

	name = unit_section_name(sym);
	sh.sh_flags &= ~(uint64_t)SHF_GROUP;
	sec = kl_add_section(b->out, name, &sh,
			     src->data ? src->data + sym->value : NULL,
			     sym->size);
	free(name);
	kl_add_symbol(b->out, "", STT_SECTION, STB_LOCAL, sec, 0, 0);
	copy = kl_add_symbol(b->out, sym->name, sym->type,
			     sym->status == KL_CHANGED ? STB_LOCAL : sym->bind,
			     sec, 0, sym->size);
	sec->priv = sym;
	sym->priv = copy;
}

static void copy_anonymous(struct builder *b, struct kl_section *src)
{
	GElf_Shdr sh = src->sh;
	struct kl_section *sec;

	sh.sh_flags &= ~(uint64_t)SHF_GROUP;
	sec = kl_add_section(b->out, src->name, &sh, src->data, src->size);
	kl_add_symbol(b->out, "", STT_SECTION, STB_LOCAL, sec, 0, 0);
	src->priv = sec;
}

/* A symbol of the module the object is built into (not of vmlinux). */
static bool module_symbol(struct builder *b, struct kl_symbol *sym,
			  const char *name)
{
	if (!b->ctx->modks)
		return false;
	return sym->sec || ksyms_count(b->ctx->modks, name) > 0;
}

static bool is_kpatch_section(const struct kl_section *sec)
{
	return str_starts(sec->name, ".kpatch.");
}

static struct kl_symbol *external(struct builder *b, struct kl_symbol *sym)
{
	const char *name = sym->twin ? sym->twin->name : sym->name;
	const struct ksyms *where = b->ctx->ks;
	const char *obj = "vmlinux";
	struct kl_symbol *ext;
	enum sympos_result r;
	unsigned long pos;
	char *full;

	if (!sym->sec && sym->bind != STB_LOCAL &&
	    new_globals_has(b->ctx->globals, name)) {
		full = xstrdup(name);
		goto found;
	}
	if (module_symbol(b, sym, name)) {
		where = b->ctx->modks;
		obj = b->ctx->objname;
	}
	if (where == b->ctx->ks && sym->bind != STB_LOCAL &&
	    ksyms_exported(b->ctx->ks, name)) {
		full = xstrdup(name);
	} else {
		r = symbol_position(where, b->ctx->pre, name, &pos);
		if (r == SYMPOS_AMBIGUOUS && where == b->ctx->ks)
			r = symbol_position_by_reference(where, b->ctx->pre,
							 name, b->ctx->image,
							 &pos);
		if (r == SYMPOS_MISSING && b->ctx->modks) {
			kl_err("%s (%s) references '%s', which is neither module %s's nor the kernel's (symbols of other modules are not supported)",
			       b->referrer, b->ctx->source, name,
			       b->ctx->objname);
			return NULL;
		}
		if (r) {
			kl_err("%s (%s) references '%s', but %s",
			       b->referrer, b->ctx->source, name,
			       sympos_reason(r));
			return NULL;
		}
		full = xasprintf(".klp.sym.%s.%s,%lu", obj, name, pos);
	}
found:
	ext = kl_find_symbol(b->out, full);
	if (!ext) {
		ext = kl_add_symbol(b->out, full, STT_NOTYPE, STB_GLOBAL, NULL,
				    0, 0);
	}
	free(full);
	return ext;
}

/* Copies one relocation, retargeted at the new object or the kernel. */
static int copy_rela(struct builder *b, struct kl_section *from,
		     struct kl_section *to_rela, const struct kl_rela *r,
		     uint64_t new_offset)
{
	struct kl_target t;
	struct kl_symbol *target;
	int64_t addend;

	resolve_target(b->ctx->post, from, r, &t);
	if (t.anonymous) {
		struct kl_section *copy = t.sym->sec->priv;

		if (!copy) {
			kl_err("internal error: %s references %s, which was not carried",
			       b->referrer, t.sym->sec->name);
			return -1;
		}
		target = copy->secsym;
		addend = t.offset;
	} else if (t.sym->priv) {
		target = t.sym->priv;
		addend = t.offset;
	} else {
		target = external(b, t.sym);
		if (!target)
			return -1;
		addend = t.offset;
	}
	kl_add_rela(to_rela, new_offset, r->type, target, addend);
	return 0;
}

static int copy_relas(struct builder *b, struct kl_section *from,
		      uint64_t start, uint64_t end, struct kl_section *to,
		      uint64_t delta_to)
{
	struct kl_section *rela = NULL;
	struct kl_rela *r;
	size_t n, i;

	n = kl_relas_in(from, start, end, &r);
	for (i = 0; i < n; i++) {
		if (!rela)
			rela = to->rela ? to->rela :
			       kl_add_rela_section(b->out, to, NULL);
		if (copy_rela(b, from, rela, &r[i],
			      r[i].offset - start + delta_to))
			return -1;
	}
	return 0;
}

static int copy_special(struct builder *b, struct kl_section *src)
{
	struct special_keep *keep = src->priv;
	GElf_Shdr sh = src->sh;
	struct kl_section *sec;
	size_t i;

	sh.sh_flags &= ~(uint64_t)SHF_GROUP;
	sec = kl_add_section(b->out, src->name, &sh, NULL,
			     keep->nr * keep->entsize);
	kl_add_symbol(b->out, "", STT_SECTION, STB_LOCAL, sec, 0, 0);
	for (i = 0; i < keep->nr; i++) {
		uint64_t off = keep->entries[i] * keep->entsize;

		memcpy(sec->data + i * keep->entsize, src->data + off,
		       keep->entsize);
		b->referrer = src->name;
		if (copy_relas(b, src, off, off + keep->entsize, sec,
			       i * keep->entsize))
			return -1;
	}
	return 0;
}

static int add_patched(struct builder *b, struct kl_symbol *f,
		       struct patch_plan *plan)
{
	struct patched_func *pf;
	struct kl_symbol *copy = f->priv;
	const char *old = f->twin ? f->twin->name : f->name;
	enum sympos_result r;
	unsigned long pos;
	char *alias;

	r = symbol_position(b->ctx->modks ? b->ctx->modks : b->ctx->ks,
			    b->ctx->pre, old, &pos);
	if (r == SYMPOS_AMBIGUOUS && !b->ctx->modks)
		r = symbol_position_by_reference(b->ctx->ks, b->ctx->pre, old,
						 b->ctx->image, &pos);
	if (r) {
		kl_err("cannot patch '%s' (%s): %s%s%s", old, b->ctx->source,
		       sympos_reason(r), b->ctx->modks ? " of module " : "",
		       b->ctx->modks ? b->ctx->objname : "");
		return -1;
	}
	alias = xasprintf("__klive_func_%d_%zu", b->ctx->unit, plan->nr_funcs);
	kl_add_symbol(b->out, alias, STT_FUNC, STB_GLOBAL, copy->sec, 0,
		      copy->size);
	plan->funcs = xrealloc(plan->funcs, (plan->nr_funcs + 1) *
			       sizeof(*plan->funcs));
	pf = &plan->funcs[plan->nr_funcs++];
	pf->old_name = xstrdup(old);
	pf->sympos = pos;
	pf->new_symbol = alias;
	pf->source = xstrdup(b->ctx->source);
	pf->objname = xstrdup(b->ctx->objname);
	return 0;
}

const char *const callback_kind_names[CB_KINDS] = {
	"pre_patch", "post_patch", "pre_unpatch", "post_unpatch",
};


static bool valid_objname(const char *name)
{
	const char *p;

	if (!*name || strlen(name) >= 56)
		return false;
	for (p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-')
			return false;
	return true;
}

/* One 16-byte entry: { function, object name or NULL }. */
static int add_callback(struct builder *b, struct kl_section *sec,
			enum callback_kind kind, uint64_t at,
			struct patch_plan *plan)
{
	struct kl_rela *r;
	struct kl_rela *fn = NULL, *obj = NULL;
	struct patch_callback *cb;
	struct kl_target t;
	struct kl_symbol *copy;
	char *objname = NULL;
	size_t n, i;

	n = kl_relas_in(sec, at, at + 16, &r);
	for (i = 0; i < n; i++) {
		if (r[i].offset == at)
			fn = &r[i];
		else if (r[i].offset == at + 8)
			obj = &r[i];
	}
	if (!fn) {
		kl_err("%s (%s): entry at 0x%lx names no function", sec->name,
		       b->ctx->source, (unsigned long)at);
		return -1;
	}
	resolve_target(b->ctx->post, sec, fn, &t);
	if (t.anonymous || t.sym->type != STT_FUNC || t.offset) {
		kl_err("%s (%s): entry at 0x%lx does not point at a function",
		       sec->name, b->ctx->source, (unsigned long)at);
		return -1;
	}
	copy = t.sym->priv;
	if (!copy) {
		kl_err("%s callback %s (%s) is not in the patch's carried code",
		       callback_kind_names[kind], t.sym->name, b->ctx->source);
		return -1;
	}
	if (obj) {
		const char *name = target_string(b->ctx->post, sec, obj);

		objname = name ? xstrdup(name) : NULL;
		if (!objname || !valid_objname(objname)) {
			kl_err("%s callback %s (%s): the object name is not a module name",
			       callback_kind_names[kind], t.sym->name,
			       b->ctx->source);
			free(objname);
			return -1;
		}
	}
	plan->callbacks = xrealloc(plan->callbacks, (plan->nr_callbacks + 1) *
				   sizeof(*plan->callbacks));
	cb = &plan->callbacks[plan->nr_callbacks];
	cb->kind = kind;
	cb->objname = objname && strcmp(objname, "vmlinux") ? objname :
		      xstrdup("vmlinux");
	if (cb->objname != objname)
		free(objname);
	/* Module names may be written with '-'; the kernel uses '_'. */
	for (char *p = cb->objname; *p; p++)
		if (*p == '-')
			*p = '_';
	cb->symbol = xasprintf("__klive_cb_%d_%zu", b->ctx->unit,
			       plan->nr_callbacks);
	cb->function = xstrdup(t.sym->name);
	plan->nr_callbacks++;
	kl_add_symbol(b->out, cb->symbol, STT_FUNC, STB_GLOBAL, copy->sec,
		      copy->value, copy->size);
	return 0;
}

static int collect_callbacks(struct builder *b, struct patch_plan *plan)
{
	struct kl_elf *post = b->ctx->post;
	size_t i, k;
	uint64_t at;

	for (i = 0; i < post->nr_secs; i++) {
		struct kl_section *sec = post->secs[i];
		const char *kind_name = sec->name + strlen(CALLBACK_SECTION_PREFIX);

		if (!str_starts(sec->name, CALLBACK_SECTION_PREFIX) ||
		    kl_is_rela(sec))
			continue;
		for (k = 0; k < CB_KINDS; k++)
			if (!strcmp(kind_name, callback_kind_names[k]))
				break;
		if (k == CB_KINDS) {
			kl_err("%s (%s): unknown kind of callback", sec->name,
			       b->ctx->source);
			return -1;
		}
		if (sec->size % 16) {
			kl_err("%s (%s): size %zu is not a multiple of an entry's 16 bytes",
			       sec->name, b->ctx->source, sec->size);
			return -1;
		}
		for (at = 0; at < sec->size; at += 16)
			if (add_callback(b, sec, k, at, plan))
				return -1;
	}
	return 0;
}

int emit_changes(struct emit_context *ctx, const struct diff_result *d,
		 const char *out_path, struct patch_plan *plan)
{
	struct kl_elf *post = ctx->post;
	struct builder b = { .ctx = ctx, .out = kl_elf_new() };
	size_t i;
	int ret = -1;

	for (i = 0; i < post->nr_syms; i++) {
		struct kl_symbol *s = post->syms[i];

		if (s->include && s->type != STT_SECTION &&
		    !(s->sec && is_kpatch_section(s->sec)))
			copy_unit(&b, s);
	}
	for (i = 0; i < post->nr_secs; i++) {
		struct kl_section *sec = post->secs[i];

		if (sec->include && !is_special_section(sec) &&
		    !is_kpatch_section(sec))
			copy_anonymous(&b, sec);
	}
	for (i = 0; i < post->nr_syms; i++) {
		struct kl_symbol *s = post->syms[i];
		struct kl_symbol *copy = s->priv;

		if (!s->include || s->type == STT_SECTION || !copy)
			continue;
		b.referrer = s->name;
		if (copy_relas(&b, s->sec, s->value, s->value + s->size,
			       copy->sec, 0))
			goto out;
	}
	for (i = 0; i < post->nr_secs; i++) {
		struct kl_section *sec = post->secs[i];

		if (!sec->include || is_special_section(sec) ||
		    is_kpatch_section(sec))
			continue;
		b.referrer = sec->name;
		if (copy_relas(&b, sec, 0, sec->size, sec->priv, 0))
			goto out;
	}
	for (i = 0; i < post->nr_secs; i++) {
		struct kl_section *sec = post->secs[i];

		if (sec->include && is_special_section(sec) && sec->priv &&
		    copy_special(&b, sec))
			goto out;
	}
	for (i = 0; i < d->nr_changed; i++)
		if (add_patched(&b, d->changed[i], plan))
			goto out;
	for (i = 0; i < post->nr_syms; i++) {
		struct kl_symbol *s = post->syms[i];

		if (!is_new_global(s) || s->type != STT_FUNC)
			continue;
		plan->added = xrealloc(plan->added, (plan->nr_added + 1) *
				       sizeof(char *));
		plan->added[plan->nr_added++] = xasprintf("%s:%s (%s)",
			ctx->objname, s->name, ctx->source);
	}
	if (collect_callbacks(&b, plan))
		goto out;
	ret = kl_elf_write(b.out, out_path);
out:
	kl_elf_free(b.out);
	return ret;
}

void patch_plan_free(struct patch_plan *plan)
{
	size_t i;

	for (i = 0; i < plan->nr_funcs; i++) {
		free(plan->funcs[i].old_name);
		free(plan->funcs[i].new_symbol);
		free(plan->funcs[i].source);
		free(plan->funcs[i].objname);
	}
	for (i = 0; i < plan->nr_callbacks; i++) {
		free(plan->callbacks[i].objname);
		free(plan->callbacks[i].symbol);
		free(plan->callbacks[i].function);
	}
	free(plan->callbacks);
	for (i = 0; i < plan->nr_added; i++)
		free(plan->added[i]);
	free(plan->added);
	for (i = 0; i < plan->nr_objects; i++)
		free(plan->objects[i]);
	free(plan->funcs);
	free(plan->objects);
	memset(plan, 0, sizeof(*plan));
}
