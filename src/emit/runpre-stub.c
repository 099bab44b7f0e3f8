/*
 * runpre-stub.c - writes the C of the run-pre check into the module's
 * stub: the fingerprints, a pointer to each running function through a
 * livepatch symbol, and the function that compares them and names the
 * first difference.  The livepatch symbols of vmlinux are resolved when the
 * module loads, so its functions are checked by init; those of a module
 * only when that module is there, so they are checked by the object's
 * pre-patch callback.
 */
#include "runpre.h"
#include "../util/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void __attribute__((format(printf, 2, 3)))
text_add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (t->len + n + 1 > t->cap) {
		t->cap = (t->len + n + 1) * 2;
		t->buf = xrealloc(t->buf, t->cap);
	}
	va_start(ap, fmt);
	vsnprintf(t->buf + t->len, n + 1, fmt, ap);
	va_end(ap);
	t->len += n;
}

static void add_bytes(struct text *t, const char *name,
		      const unsigned char *b, size_t n)
{
	size_t i;

	text_add(t, "static const unsigned char %s[] = {", name);
	for (i = 0; i < n; i++)
		text_add(t, "%s0x%02x,", i % 12 ? " " : "\n\t", b[i]);
	text_add(t, "\n};\n");
}

/*
 * The run-pre check: each replaced function of the running kernel, reached
 * through a livepatch symbol that the module loader resolves before init,
 * is compared with the pre build under the mask.
 */
char *runpre_stub_source(const struct patch_plan *plan)
{
	struct text text = { 0 }, *t = &text;
	size_t i;

	text_add(t, "\nstruct klive_runpre {\n"
	       "\tconst char *object, *name;\n\tunsigned long sympos;\n"
	       "\tconst unsigned char *running, *code, *mask;\n"
	       "\tunsigned long size;\n};\n\n");
	for (i = 0; i < plan->nr_runpre; i++) {
		const struct patched_func *f = &plan->funcs[i];
		const struct runpre_func *rf = &plan->runpre[i];
		char name[32];

		text_add(t, "extern const unsigned char klive_running_%zu[]\n"
		       "\t__asm__(\"\\\".klp.sym.%s.%s,%lu\\\"\");\n", i,
		    f->objname, f->old_name, f->sympos);
		/* For klive apply, which checks before loading. */
		if (!strcmp(f->objname, "vmlinux"))
			text_add(t, "MODULE_INFO(klive_runpre_%zu, \"%s,%lu\");\n",
				 i, f->old_name, f->sympos);
		else
			text_add(t, "MODULE_INFO(klive_runpre_%zu, \"%s:%s,%lu\");\n",
				 i, f->objname, f->old_name, f->sympos);
		snprintf(name, sizeof(name), "klive_code_%zu", i);
		add_bytes(t, name, rf->code, rf->size);
		snprintf(name, sizeof(name), "klive_mask_%zu", i);
		add_bytes(t, name, rf->mask, rf->size);
	}
	text_add(t, "\nstatic struct klive_runpre klive_runpre[] = {\n");
	for (i = 0; i < plan->nr_runpre; i++)
		text_add(t, "\t{ \"%s\", \"%s\", %lu, klive_running_%zu,\n"
		       "\t  klive_code_%zu, klive_mask_%zu, %zu },\n",
		    plan->funcs[i].objname, plan->funcs[i].old_name,
		    plan->funcs[i].sympos, i, i, i, plan->runpre[i].size);
	text_add(t, "};\n\n"
	       "/* Checks the functions of one object: \"vmlinux\" or a module. */\n"
	       "static int __maybe_unused klive_runpre_check(const char *object)\n{\n"
	       "\tunsigned long i, j;\n\n"
	       "\tfor (i = 0; i < ARRAY_SIZE(klive_runpre); i++) {\n"
	       "\t\tconst struct klive_runpre *r = &klive_runpre[i];\n\n"
	       "\t\tif (strcmp(r->object, object))\n\t\t\tcontinue;\n"
	       "\t\tfor (j = 0; j < r->size; j++) {\n"
	       "\t\t\tif (!((r->running[j] ^ r->code[j]) & r->mask[j]))\n"
	       "\t\t\t\tcontinue;\n"
	       "\t\t\tpr_err(\"klive: run-pre check failed: %%s,%%lu differs from the code the patch was built against at offset 0x%%lx (running 0x%%02x, expected 0x%%02x); nothing patched\\n\",\n"
	       "\t\t\t       r->name, r->sympos, j, r->running[j], r->code[j]);\n"
	       "\t\t\treturn -EILSEQ;\n\t\t}\n\t}\n\treturn 0;\n}\n");
	return text.buf;
}

