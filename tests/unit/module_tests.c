/*
 * module_tests.c - unit tests of patching code built into a module: the
 * module's symbol table read from its object, the carried code's references
 * (the module's own symbols through .klp.sym.MODULE, vmlinux's by name when
 * exported, else through .klp.sym.vmlinux), and patch-author callback
 * records turned into the plan's callbacks and left out of the code.
 */
#define _GNU_SOURCE
#include "unit.h"
#include "../../src/elf/elf.h"
#include "../../src/diff/diff.h"
#include "../../src/emit/emit.h"
#include "../../src/tree/symbols.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAIR "module_object"

static int write_text(const char *name, const char *text, char **path)
{
	*path = work_path(name);
	if (spill(*path, text, strlen(text)))
		return fail("cannot write %s", *path);
	return 0;
}

/* ksyms_load_module lists what the object defines, not what it uses. */
static int module_symbols_from_object(void)
{
	char *path = work_path(PAIR "/pre.o");
	struct ksyms ks;

	if (ksyms_load_module(&ks, path))
		return fail("ksyms_load_module(%s) failed", path);
	if (ksyms_count(&ks, "show") != 1 || ksyms_count(&ks, "enabled") != 1)
		return fail("show or enabled missing from the module's symbols");
	if (ksyms_count(&ks, "printk_like") || ksyms_count(&ks, "module_other"))
		return fail("undefined symbols listed as the module's");
	if (ksyms_exported(&ks, "show"))
		return fail("a module's symbol table exports nothing by itself");
	ksyms_free(&ks);
	free(path);
	return 0;
}

struct module_emit {
	struct ksyms ks, modks;
	struct kl_elf *pre, *post, *out;
	struct patch_plan plan;
	char *err;
};

static int emit_module_object(struct module_emit *m)
{
	struct diff_result d = { 0 };
	struct emit_context ctx = { 0 };
	char *list, *symvers, *modlist, *pre, *post, *out;
	size_t mark;
	int ret;

	memset(m, 0, sizeof(*m));
	if (write_text("vmlinux.kallsyms",
		       "ffffffff81000000 T printk_like\n"
		       "ffffffff81000080 T __fentry__\n"
		       "ffffffff81000100 t vm_hidden\n"
		       "ffffffff81000200 t show\n", &list) ||
	    write_text("vmlinux.symvers",
		       "0x00000000\tprintk_like\tvmlinux\tEXPORT_SYMBOL\t\n"
		       "0x00000000\t__fentry__\tvmlinux\tEXPORT_SYMBOL\t\n",
		       &symvers) ||
	    write_text("modx.kallsyms",
		       "0 t enabled\n0 T set_enabled\n0 T module_other\n0 T show\n",
		       &modlist))
		return 1;
	if (ksyms_load(&m->ks, list, symvers) ||
	    ksyms_load(&m->modks, modlist, NULL))
		return fail("cannot load the symbol lists");
	pre = work_path(PAIR "/pre.o");
	post = work_path(PAIR "/post.o");
	out = work_path(PAIR "/carried.o");
	m->pre = kl_elf_open(pre);
	m->post = kl_elf_open(post);
	if (!m->pre || !m->post)
		return fail("cannot open %s or %s", pre, post);
	mark = stderr_mark();
	ret = diff_objects(m->pre, m->post, &d);
	if (!ret) {
		ctx.ks = &m->ks;
		ctx.modks = &m->modks;
		ctx.pre = m->pre;
		ctx.post = m->post;
		ctx.source = PAIR ".c";
		ctx.objname = "modx";
		ctx.unit = 0;
		ret = emit_changes(&ctx, &d, out, &m->plan);
	}
	m->err = stderr_since(mark);
	if (ret)
		return fail("diff or emit failed: %s", m->err);
	m->out = kl_elf_open(out);
	if (!m->out)
		return fail("cannot read the carried object %s", out);
	diff_result_free(&d);
	free(list);
	free(symvers);
	free(modlist);
	free(pre);
	free(post);
	free(out);
	return 0;
}

static void module_emit_free(struct module_emit *m)
{
	patch_plan_free(&m->plan);
	kl_elf_free(m->pre);
	kl_elf_free(m->post);
	kl_elf_free(m->out);
	ksyms_free(&m->ks);
	ksyms_free(&m->modks);
	free(m->err);
}

static int undefined(struct kl_elf *elf, const char *name)
{
	struct kl_symbol *s = kl_find_symbol(elf, name);

	if (!s)
		return fail("the carried code has no symbol '%s'", name);
	if (!kl_sym_is_undef(s))
		return fail("'%s' is defined in the carried code", name);
	return 0;
}

static int module_references(void)
{
	struct module_emit m;
	const struct patched_func *f;

	if (emit_module_object(&m))
		return 1;
	if (m.plan.nr_funcs != 1)
		return fail("%zu functions patched, expected 1", m.plan.nr_funcs);
	f = &m.plan.funcs[0];
	if (strcmp(f->old_name, "show") || strcmp(f->objname, "modx") ||
	    f->sympos != 0)
		return fail("patched %s:%s,%lu, expected modx:show,0",
			    f->objname, f->old_name, f->sympos);
	if (undefined(m.out, ".klp.sym.modx.enabled,0") ||
	    undefined(m.out, ".klp.sym.modx.module_other,0") ||
	    undefined(m.out, "printk_like") ||
	    undefined(m.out, ".klp.sym.vmlinux.vm_hidden,0"))
		return 1;
	if (kl_find_symbol(m.out, ".klp.sym.vmlinux.enabled,0") ||
	    kl_find_symbol(m.out, ".klp.sym.vmlinux.printk_like,0"))
		return fail("a symbol was looked up in the wrong object");
	module_emit_free(&m);
	return 0;
}

static int module_callbacks(void)
{
	struct module_emit m;
	const struct patch_callback *cb;
	struct kl_symbol *alias;
	size_t i;

	if (emit_module_object(&m))
		return 1;
	if (m.plan.nr_callbacks != 1)
		return fail("%zu callbacks, expected 1", m.plan.nr_callbacks);
	cb = &m.plan.callbacks[0];
	if (cb->kind != CB_PRE_PATCH || strcmp(cb->objname, "modx") ||
	    strcmp(cb->function, "show_pre_patch"))
		return fail("callback %s of %s (kind %d), expected the pre_patch show_pre_patch of modx",
			    cb->function, cb->objname, cb->kind);
	alias = kl_find_symbol(m.out, cb->symbol);
	if (!alias || alias->bind != STB_GLOBAL || alias->type != STT_FUNC ||
	    !alias->sec || !kl_is_text(alias->sec))
		return fail("no global function %s in the carried code",
			    cb->symbol);
	for (i = 0; i < m.out->nr_secs; i++)
		if (strstr(m.out->secs[i]->name, ".kpatch."))
			return fail("the carried code keeps %s",
				    m.out->secs[i]->name);
	module_emit_free(&m);
	return 0;
}

const struct unit_case module_cases[] = {
	{ "module: a module's symbol table lists what it defines",
	  module_symbols_from_object },
	{ "module: references go to the module, to vmlinux by name, or to vmlinux through .klp.sym",
	  module_references },
	{ "module: a callback record becomes a callback of its object, out of the carried code",
	  module_callbacks },
	{ NULL, NULL },
};
