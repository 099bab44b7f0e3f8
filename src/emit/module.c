/*
 * module.c - links the carried code into a livepatch module with kbuild:
 * generates the klp_patch description (one klp_object per patched object,
 * vmlinux or a module, with a klp_func per patched function and the
 * object's callbacks) whose init runs the run-pre check of vmlinux before
 * enabling the patch, builds NAME.ko against the target's build directory,
 * then converts its livepatch symbols.
 */
#include "emit.h"
#include "runpre.h"
#include "../util/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The objects the patch touches: vmlinux first, then modules in order. */
static size_t plan_objects(const struct patch_plan *plan, const char ***out)
{
	const char **objs = xmalloc((plan->nr_funcs + plan->nr_callbacks + 1) *
				    sizeof(*objs));
	size_t n = 0, i, j;

	objs[n++] = "vmlinux";
	for (i = 0; i < plan->nr_funcs + plan->nr_callbacks; i++) {
		const char *name = i < plan->nr_funcs ? plan->funcs[i].objname :
				   plan->callbacks[i - plan->nr_funcs].objname;

		for (j = 0; j < n && strcmp(objs[j], name); j++)
			;
		if (j == n)
			objs[n++] = name;
	}
	*out = objs;
	return n;
}

static bool object_used(const struct patch_plan *plan, const char *obj)
{
	size_t i;

	for (i = 0; i < plan->nr_funcs; i++)
		if (!strcmp(plan->funcs[i].objname, obj))
			return true;
	for (i = 0; i < plan->nr_callbacks; i++)
		if (!strcmp(plan->callbacks[i].objname, obj))
			return true;
	return false;
}

static bool has_callback(const struct patch_plan *plan, const char *obj,
			 enum callback_kind kind)
{
	size_t i;

	for (i = 0; i < plan->nr_callbacks; i++)
		if (plan->callbacks[i].kind == kind &&
		    !strcmp(plan->callbacks[i].objname, obj))
			return true;
	return false;
}

/*
 * Linux 6.1 applies a module's livepatch relocations each time the module
 * comes, but does not undo them when it goes, and refuses to relocate a
 * field that is not zero: reloading a patched module would fail.  The
 * module's post-unpatch callback therefore zeroes the fields itself (what
 * later kernels do in klp_clear_object_relocs), through the kernel's
 * text_poke() under text_mutex, as the relocations were written.
 */
static void add_reloc_clearing(struct text *t)
{
	text_add(t, "\nextern void *klive_text_poke(void *addr, const void *opcode, size_t len)\n"
		"\t__asm__(\"\\\".klp.sym.vmlinux.text_poke,0\\\"\");\n"
		"extern struct mutex klive_text_mutex\n"
		"\t__asm__(\"\\\".klp.sym.vmlinux.text_mutex,0\\\"\");\n\n"
		"static void klive_clear_relocs(const char *object)\n{\n"
		"\tconst struct klp_modinfo *info = THIS_MODULE->klp_info;\n"
		"\tstatic const unsigned char zero[8];\n"
		"\tsize_t len = strlen(object);\n"
		"\tunsigned int i, j;\n\n"
		"\tmutex_lock(&klive_text_mutex);\n"
		"\tfor (i = 1; i < info->hdr.e_shnum; i++) {\n"
		"\t\tconst Elf64_Shdr *sec = &info->sechdrs[i];\n"
		"\t\tconst char *name = info->secstrings + sec->sh_name;\n"
		"\t\tconst Elf64_Rela *rela = (const Elf64_Rela *)sec->sh_addr;\n"
		"\t\tunsigned long base = info->sechdrs[sec->sh_info].sh_addr;\n\n"
		"\t\tif (!(sec->sh_flags & SHF_RELA_LIVEPATCH) ||\n"
		"\t\t    strncmp(name, \".klp.rela.\", 10) ||\n"
		"\t\t    strncmp(name + 10, object, len) || name[10 + len] != '.')\n"
		"\t\t\tcontinue;\n"
		"\t\tfor (j = 0; j < sec->sh_size / sizeof(*rela); j++) {\n"
		"\t\t\tsize_t size;\n\n"
		"\t\t\tswitch (ELF64_R_TYPE(rela[j].r_info)) {\n"
		"\t\t\tcase R_X86_64_64:\n\t\t\tcase R_X86_64_PC64:\n"
		"\t\t\t\tsize = 8;\n\t\t\t\tbreak;\n"
		"\t\t\tcase R_X86_64_32:\n\t\t\tcase R_X86_64_32S:\n"
		"\t\t\tcase R_X86_64_PC32:\n\t\t\tcase R_X86_64_PLT32:\n"
		"\t\t\t\tsize = 4;\n\t\t\t\tbreak;\n"
		"\t\t\tdefault:\n\t\t\t\tcontinue;\n\t\t\t}\n"
		"\t\t\tklive_text_poke((void *)(base + rela[j].r_offset), zero, size);\n"
		"\t\t}\n\t}\n"
		"\tmutex_unlock(&klive_text_mutex);\n}\n");
}

/* The callbacks of one object: the author's, and klive's for modules. */
static void add_object_callbacks(struct text *t, const struct patch_plan *plan,
				 const char *obj, size_t k)
{
	bool module = strcmp(obj, "vmlinux") != 0;
	size_t i, kind;

	for (i = 0; i < plan->nr_callbacks; i++) {
		const struct patch_callback *cb = &plan->callbacks[i];

		if (strcmp(cb->objname, obj))
			continue;
		text_add(t, "extern %s %s(struct klp_object *obj);\n",
			 cb->kind == CB_PRE_PATCH ? "int" : "void", cb->symbol);
	}
	for (kind = 0; kind < CB_KINDS; kind++) {
		bool pre = kind == CB_PRE_PATCH;
		bool klive = module && (kind == CB_PRE_PATCH ||
					kind == CB_POST_UNPATCH);

		if (!klive && !has_callback(plan, obj, kind))
			continue;
		text_add(t, "\nstatic %s klive_%s_%zu(struct klp_object *obj)\n{\n",
			 pre ? "int" : "void", callback_kind_names[kind], k);
		if (pre && module)
			text_add(t, "\tint ret = klive_runpre_check(\"%s\");\n\n",
				 obj);
		else if (pre)
			text_add(t, "\tint ret = 0;\n\n");
		for (i = 0; i < plan->nr_callbacks; i++) {
			const struct patch_callback *cb = &plan->callbacks[i];

			if (cb->kind != kind || strcmp(cb->objname, obj))
				continue;
			if (pre)
				text_add(t, "\tif (!ret)\n\t\tret = %s(obj);\n",
					 cb->symbol);
			else
				text_add(t, "\t%s(obj);\n", cb->symbol);
		}
		if (pre && module)
			text_add(t, "\tif (ret)\n\t\tklive_clear_relocs(\"%s\");\n",
				 obj);
		if (kind == CB_POST_UNPATCH && module)
			text_add(t, "\tklive_clear_relocs(\"%s\");\n", obj);
		text_add(t, "%s}\n", pre ? "\treturn ret;\n" : "");
	}
}

static char *stub_source(const struct patch_plan *plan, const char *hash,
			 bool replace)
{
	struct text t = { 0 };
	const char **objs;
	size_t nr_objs, i, k, kind;
	char *text;

	text_add(&t, "// Generated by klive: the description of a live patch.\n"
		"#include <linux/elf.h>\n"
		"#include <linux/kernel.h>\n"
		"#include <linux/module.h>\n"
		"#include <linux/livepatch.h>\n"
		"#include <linux/mutex.h>\n"
		"#include <linux/string.h>\n\n");
	for (i = 0; i < plan->nr_funcs; i++)
		text_add(&t, "extern char %s[];\n", plan->funcs[i].new_symbol);
	text = runpre_stub_source(plan);
	text_add(&t, "%s", text);
	free(text);
	/* objs[0] is vmlinux; the others are modules. */
	nr_objs = plan_objects(plan, &objs);
	if (nr_objs > 1)
		add_reloc_clearing(&t);
	for (k = 0; k < nr_objs; k++) {
		if (!object_used(plan, objs[k]))
			continue;
		text_add(&t, "\n/* %s */\nstatic struct klp_func klive_funcs_%zu[] = {\n",
			 objs[k], k);
		for (i = 0; i < plan->nr_funcs; i++) {
			const struct patched_func *f = &plan->funcs[i];

			if (strcmp(f->objname, objs[k]))
				continue;
			text_add(&t, "\t{\n\t\t.old_name = \"%s\",\n"
				"\t\t.new_func = %s,\n\t\t.old_sympos = %lu,\n\t},\n",
				f->old_name, f->new_symbol, f->sympos);
		}
		text_add(&t, "\t{ }\n};\n");
		add_object_callbacks(&t, plan, objs[k], k);
	}
	text_add(&t, "\nstatic struct klp_object klive_objects[] = {\n");
	for (k = 0; k < nr_objs; k++) {
		bool module = k > 0;

		if (!object_used(plan, objs[k]))
			continue;
		if (module)
			text_add(&t, "\t{\n\t\t.name = \"%s\",\n", objs[k]);
		else
			text_add(&t, "\t{\n\t\t.name = NULL,\t/* vmlinux */\n");
		text_add(&t, "\t\t.funcs = klive_funcs_%zu,\n", k);
		for (kind = 0; kind < CB_KINDS; kind++) {
			if (!has_callback(plan, objs[k], kind) &&
			    !(module && (kind == CB_PRE_PATCH ||
					 kind == CB_POST_UNPATCH)))
				continue;
			text_add(&t, "\t\t.callbacks.%s = klive_%s_%zu,\n",
				 callback_kind_names[kind],
				 callback_kind_names[kind], k);
		}
		text_add(&t, "\t},\n");
	}
	free(objs);
	text_add(&t, "\t{ }\n};\n\n"
		"static struct klp_patch klive_patch = {\n"
		"\t.mod = THIS_MODULE,\n"
		"\t.objs = klive_objects,\n"
		"\t.replace = %s,\n"
		"};\n", replace ? "true" : "false");
	text_add(&t, "\nstatic int __init klive_patch_init(void)\n{\n"
		"\tint ret = klive_runpre_check(\"vmlinux\");\n\n"
		"\tif (ret)\n\t\treturn ret;\n"
		"\treturn klp_enable_patch(&klive_patch);\n}\n\n"
		"static void __exit klive_patch_exit(void)\n{\n}\n\n"
		"module_init(klive_patch_init);\n"
		"module_exit(klive_patch_exit);\n"
		"MODULE_LICENSE(\"GPL\");\n"
		"MODULE_DESCRIPTION(\"live patch built by klive\");\n"
		"MODULE_INFO(livepatch, \"Y\");\n"
		"MODULE_INFO(klive_source, \"%s\");\n", hash);
	return t.buf;
}

static char *kbuild_file(const struct patch_plan *plan, const char *modname)
{
	char *s = xasprintf("obj-m := %s.o\n%s-y := klive-stub.o", modname,
			    modname), *t;
	size_t i;

	for (i = 0; i < plan->nr_objects; i++) {
		t = xasprintf("%s %s", s, plan->objects[i]);
		free(s);
		s = t;
	}
	t = xasprintf("%s\n", s);
	free(s);
	return t;
}

/*
 * A distribution names its kernel's release at build time (Debian:
 * 6.1.0-57-cloud-amd64) where the source says 6.1.192; the module's
 * vermagic must name the kernel it is for.  With MODVERSIONS the kernel
 * itself only compares the rest of the vermagic.
 */
static int set_vermagic_release(const char *ko, const char *release)
{
	struct kl_elf *elf = kl_elf_open(ko);
	struct kl_section *sec = elf ? kl_find_section(elf, ".modinfo") : NULL;
	const char *key = "vermagic=";
	unsigned char *p, *end, *data;
	size_t old_len, new_len, size;
	int ret = -1;

	if (!sec || !sec->data)
		goto out;
	for (p = sec->data, end = p + sec->size; p < end;
	     p += strnlen((char *)p, end - p) + 1)
		if (!strncmp((char *)p, key, strlen(key)))
			break;
	if (p >= end) {
		kl_err("%s: no vermagic", ko);
		goto out;
	}
	p += strlen(key);
	old_len = strcspn((char *)p, " ");
	new_len = strlen(release);
	size = sec->size - old_len + new_len;
	data = xmalloc(size);
	memcpy(data, sec->data, p - sec->data);
	memcpy(data + (p - sec->data), release, new_len);
	memcpy(data + (p - sec->data) + new_len, p + old_len,
	       end - p - old_len);
	free(sec->data);
	sec->data = data;
	sec->size = size;
	sec->sh.sh_size = size;
	ret = kl_elf_write(elf, ko);
out:
	kl_elf_free(elf);
	return ret;
}

static int write_text(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	int ret = write_file(path, text, strlen(text));

	free(path);
	return ret;
}

int emit_module(const struct target *t, const char *objdir,
		const char *workdir, const struct patch_plan *plan,
		const char *modname, const char *patch_hash,
		const char *out_path)
{
	char *moddir = xasprintf("%s/module", workdir);
	char *log = xasprintf("%s/module.log", workdir);
	char *ko = xasprintf("%s/%s.ko", moddir, modname);
	char *text;
	size_t i;
	int ret = -1;

	if (mkdir_p(moddir))
		goto out;
	text = stub_source(plan, patch_hash, plan->replace);
	ret = write_text(moddir, "klive-stub.c", text);
	free(text);
	if (ret)
		goto out;
	text = kbuild_file(plan, modname);
	ret = write_text(moddir, "Kbuild", text);
	free(text);
	if (ret)
		goto out;
	/* modpost reads exported symbols' CRCs from each object's .cmd file. */
	for (i = 0; i < plan->nr_objects && !ret; i++) {
		char *name = kbuild_cmd_file(plan->objects[i]);

		ret = write_text(moddir, name, "# carried code made by klive\n");
		free(name);
	}
	if (ret)
		goto out;
	ret = -1;
	kl_info("linking the live patch module %s", modname);
	if (run_shell(log, "make -C '%s' M='%s' KBUILD_MODPOST_WARN=1 modules",
		      objdir, moddir)) {
		kl_err("linking the module failed; the last lines of %s:", log);
		run_shell(NULL, "grep -iE 'error|undefined' '%s' | grep -v '\\.klp\\.sym\\.' | tail -n 12 >&2",
			  log);
		goto out;
	}
	if (t->kernel_release && strcmp(t->kernel_release, t->release) &&
	    set_vermagic_release(ko, t->kernel_release))
		goto out;
	ret = klp_convert(ko, out_path);
out:
	free(moddir);
	free(log);
	free(ko);
	return ret;
}
