/* build.c - `klive build`: from source patches to a livepatch module. */
#include "commands.h"
#include "../build/build.h"
#include "../diff/diff.h"
#include "../emit/emit.h"
#include "../emit/runpre.h"
#include "../tree/modules.h"
#include "../tree/symbols.h"
#include "../util/util.h"

#include <ctype.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#define MODULE_NAME_MAX 55

struct build_options {
	const char *target;
	const char *output;
	const char *name;
	const char *image;	/* kernel image for the offline run-pre check */
	const char *image_kallsyms;	/* its symbol list, if not the target's */
	bool replace;
	bool keep;
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: klive build --target NAME [--name MODNAME] [-o FILE.ko]\n"
		"                   [--no-replace] [--check-image VMLINUZ\n"
		"                   [--check-kallsyms FILE]] [--keep-tmp] PATCH...\n"
		"\n"
		"Builds a live patch module from unified diffs against the target's kernel\n"
		"source.  Only the C files the patches touch are compiled, before and\n"
		"after; the functions whose code changed are replaced.\n"
		"\n"
		"  --target NAME   a target made by 'klive prepare'\n"
		"  --name MODNAME  the patch's name (default: from the output file)\n"
		"  -o FILE.ko      output (default: named after the first patch)\n"
		"  --no-replace    stack on earlier patches instead of replacing them\n"
		"  --check-image VMLINUZ\n"
		"                  run the run-pre check offline: the replaced functions\n"
		"                  must match their code in this kernel image (found\n"
		"                  through the target's symbol list); no module otherwise\n"
		"  --check-kallsyms FILE\n"
		"                  the image's symbol list, when it is not the target's\n"
		"  --keep-tmp      keep the work directory, for debugging\n"
		"\n"
		"Exit status: 0 built, 1 error, 2 usage, 3 no functional change.\n");
}

/* "fix-cmdline.patch" -> "fix-cmdline" */
static char *stem(const char *path)
{
	const char *base = strrchr(path, '/');
	char *s = xstrdup(base ? base + 1 : path), *dot;

	dot = strrchr(s, '.');
	if (dot && dot != s)
		*dot = '\0';
	return s;
}

static char *module_name_from(const char *output)
{
	char *name = stem(output), *p;

	for (p = name; *p; p++) {
		if (*p == '-')
			*p = '_';
		else if (!isalnum((unsigned char)*p) && *p != '_')
			*p = '_';
	}
	return name;
}

static int check_module_name(const char *name)
{
	const char *p;

	if (!*name || strlen(name) > MODULE_NAME_MAX) {
		kl_err("invalid patch name '%s': 1 to %d characters", name,
		       MODULE_NAME_MAX);
		return -1;
	}
	for (p = name; *p; p++) {
		if (!isalnum((unsigned char)*p) && *p != '_') {
			kl_err("invalid patch name '%s': use letters, digits and '_'",
			       name);
			return -1;
		}
	}
	if (!strcmp(name, "klive_stub")) {
		kl_err("invalid patch name '%s': reserved", name);
		return -1;
	}
	return 0;
}

static int patches_hash(const struct patch_set *set, char out[65])
{
	char *all = xstrdup(""), *t, *text;
	size_t i;

	for (i = 0; i < set->nr_patches; i++) {
		text = read_file(set->patches[i], NULL);
		if (!text) {
			free(all);
			return -1;
		}
		t = xasprintf("%s%s", all, text);
		free(all);
		free(text);
		all = t;
	}
	sha256_hex(all, strlen(all), out);
	free(all);
	return 0;
}

static bool has_callbacks(struct kl_elf *post)
{
	size_t i;

	for (i = 0; i < post->nr_secs; i++)
		if (str_starts(post->secs[i]->name, CALLBACK_SECTION_PREFIX))
			return true;
	return false;
}

/* Diffs one object and writes its carried code into the module dir. */
static int process_object(struct built_object *o, int unit,
			  const struct ksyms *ks, const struct ksyms *modks,
			  const struct new_globals *globals,
			  struct image_source *image, const char *moddir,
			  struct patch_plan *plan,
			  size_t *nr_changed)
{
	struct kl_elf *pre = kl_elf_open(o->pre);
	struct kl_elf *post = pre ? kl_elf_open(o->post) : NULL;
	struct diff_result d = { 0 };
	struct emit_context ctx = {
		.ks = ks, .pre = pre, .post = post, .source = o->source,
		.objname = o->objname, .modks = modks, .unit = unit,
		.globals = globals, .image = image,
	};
	char *file = NULL, *path = NULL;
	size_t first = plan->nr_funcs;
	int ret = -1;

	if (!post)
		goto out;
	if (diff_objects(pre, post, &d))
		goto out;
	*nr_changed = d.nr_changed;
	if (!d.nr_changed && !d.nr_new_globals && !has_callbacks(post)) {
		ret = 0;
		goto out;
	}
	file = xasprintf("klive-unit-%d.o", unit);
	path = xasprintf("%s/%s_shipped", moddir, file);
	if (emit_changes(&ctx, &d, path, plan) ||
	    runpre_collect(pre, plan, first))
		goto out;
	plan->objects = xrealloc(plan->objects, (plan->nr_objects + 1) *
				 sizeof(char *));
	plan->objects[plan->nr_objects++] = file;
	file = NULL;
	ret = 0;
out:
	diff_result_free(&d);
	kl_elf_free(pre);
	kl_elf_free(post);
	free(file);
	free(path);
	return ret;
}

/*
 * The symbols of the module an object is built into, loaded once per
 * module; NULL for vmlinux.
 */
struct module_symbols {
	char *name;
	struct ksyms ks;
};

static int module_ksyms(const struct target *t, const char *workdir,
			const char *objname, struct module_symbols **mods,
			size_t *nr, const struct ksyms **out)
{
	size_t i;

	*out = NULL;
	if (!strcmp(objname, "vmlinux"))
		return 0;
	for (i = 0; i < *nr; i++) {
		if (!strcmp((*mods)[i].name, objname)) {
			*out = &(*mods)[i].ks;
			return 0;
		}
	}
	*mods = xrealloc(*mods, (*nr + 1) * sizeof(**mods));
	(*mods)[*nr].name = xstrdup(objname);
	if (target_module_symbols(t, objname, workdir, &(*mods)[*nr].ks)) {
		free((*mods)[*nr].name);
		return -1;
	}
	*out = &(*mods)[(*nr)++].ks;
	return 0;
}

/* klive's own callbacks of a module object call these kernel symbols. */
static int check_module_support(const struct patch_plan *plan,
				const struct ksyms *ks)
{
	static const char *const needed[] = { "text_poke", "text_mutex" };
	bool module = false;
	size_t i;

	for (i = 0; i < plan->nr_funcs; i++)
		if (strcmp(plan->funcs[i].objname, "vmlinux"))
			module = true;
	for (i = 0; i < plan->nr_callbacks; i++)
		if (strcmp(plan->callbacks[i].objname, "vmlinux"))
			module = true;
	if (!module)
		return 0;
	for (i = 0; i < ARRAY_SIZE(needed); i++) {
		if (ksyms_count(ks, needed[i]) != 1) {
			kl_err("cannot patch module code for this kernel: its symbol list has %s '%s'",
			       ksyms_count(ks, needed[i]) ? "several" : "no",
			       needed[i]);
			return -1;
		}
	}
	return 0;
}

/* The offline run-pre check against a kernel image. */
static int check_image(const struct build_options *opt,
		       const struct patch_plan *plan, const struct ksyms *ks,
		       const char *srcdir)
{
	struct ksyms other = { 0 };
	int ret;

	if (!opt->image_kallsyms)
		return runpre_check_image(plan, ks, opt->image, srcdir);
	if (ksyms_load(&other, opt->image_kallsyms, NULL))
		return -1;
	ret = runpre_check_image(plan, &other, opt->image, srcdir);
	ksyms_free(&other);
	return ret;
}

static int run_build(const struct build_options *opt, char **patches,
		     size_t nr_patches)
{
	struct target t = { 0 };
	struct patch_set set;
	struct build_result res = { 0 };
	struct patch_plan plan = { .replace = opt->replace };
	struct ksyms ks = { 0 };
	struct module_symbols *mods = NULL;
	struct new_globals globals = { 0 };
	struct image_source image = { 0 };
	size_t nr_mods = 0;
	char *output = NULL, *modname = NULL, *moddir = NULL, *objdir = NULL;
	char hash[65];
	size_t i, changed, total = 0;
	int ret = KL_EXIT_ERROR;

	if (target_load(opt->target, &t))
		return KL_EXIT_ERROR;
	if (patch_set_read(&set, patches, nr_patches) ||
	    patches_hash(&set, hash))
		goto out;
	if (opt->output) {
		output = xstrdup(opt->output);
	} else {
		char *s = stem(patches[0]);

		output = xasprintf("%s.ko", s);
		free(s);
	}
	if (!str_ends(output, ".ko")) {
		kl_err("output '%s' must end in .ko", output);
		ret = KL_EXIT_USAGE;
		goto out;
	}
	modname = opt->name ? xstrdup(opt->name) : module_name_from(output);
	if (check_module_name(modname)) {
		ret = KL_EXIT_USAGE;
		goto out;
	}
	if (ksyms_load(&ks, path_exists(t.kallsyms) ? t.kallsyms : NULL,
		       path_exists(t.symvers) ? t.symvers : NULL))
		goto out;
	if (build_objects(&t, &set, &res))
		goto out;
	moddir = xasprintf("%s/module", res.workdir);
	objdir = xstrdup(res.objdir);
	if (mkdir_p(moddir))
		goto out;
	image.path = opt->image && !opt->image_kallsyms ? opt->image : t.image;
	image.srcdir = t.srcdir;
	for (i = 0; i < res.nr_objs; i++)
		if (new_globals_add(&globals, res.objs[i].pre,
				    res.objs[i].post))
			goto out;
	for (i = 0; i < res.nr_objs; i++) {
		const struct ksyms *modks;

		if (module_ksyms(&t, res.workdir, res.objs[i].objname, &mods,
				 &nr_mods, &modks) ||
		    process_object(&res.objs[i], (int)i, &ks, modks, &globals,
				   &image, moddir, &plan, &changed))
			goto out;
		total += changed;
	}
	if (!total) {
		kl_err("no functional change: the patches change no function's code");
		ret = KL_EXIT_NO_CHANGE;
		goto out;
	}
	if (check_module_support(&plan, &ks))
		goto out;
	if (opt->image && check_image(opt, &plan, &ks, t.srcdir))
		goto out;
	if (emit_module(&t, objdir, res.workdir, &plan, modname, hash, output))
		goto out;
	for (i = 0; i < plan.nr_funcs; i++)
		printf("patches %s:%s (%s)\n", plan.funcs[i].objname,
		       plan.funcs[i].old_name, plan.funcs[i].source);
	for (i = 0; i < plan.nr_added; i++)
		printf("adds %s\n", plan.added[i]);
	for (i = 0; i < plan.nr_callbacks; i++)
		printf("calls %s %s callback %s\n", plan.callbacks[i].objname,
		       callback_kind_names[plan.callbacks[i].kind],
		       plan.callbacks[i].function);
	printf("wrote %s (live patch '%s', %zu function%s)\n", output, modname,
	       plan.nr_funcs, plan.nr_funcs == 1 ? "" : "s");
	ret = KL_EXIT_OK;
out:
	build_cleanup(&res, opt->keep);
	runpre_free(&plan);
	patch_plan_free(&plan);
	ksyms_free(&ks);
	for (i = 0; i < nr_mods; i++) {
		ksyms_free(&mods[i].ks);
		free(mods[i].name);
	}
	free(mods);
	new_globals_free(&globals);
	image_source_free(&image);
	target_free(&t);
	free(output);
	free(modname);
	free(moddir);
	free(objdir);
	return ret;
}

int cmd_build(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "target", required_argument, NULL, 't' },
		{ "output", required_argument, NULL, 'o' },
		{ "name", required_argument, NULL, 'n' },
		{ "no-replace", no_argument, NULL, 'R' },
		{ "keep-tmp", no_argument, NULL, 'k' },
		{ "check-image", required_argument, NULL, 'i' },
		{ "check-kallsyms", required_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct build_options opt = { .replace = true };
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "ho:t:", longopts, NULL)) != -1) {
		switch (c) {
		case 't': opt.target = optarg; break;
		case 'o': opt.output = optarg; break;
		case 'n': opt.name = optarg; break;
		case 'R': opt.replace = false; break;
		case 'k': opt.keep = true; break;
		case 'i': opt.image = optarg; break;
		case 'K': opt.image_kallsyms = optarg; break;
		case 'h': usage(stdout); return KL_EXIT_OK;
		default: usage(stderr); return KL_EXIT_USAGE;
		}
	}
	if (!opt.target) {
		kl_err("build: --target is required (see klive build --help)");
		return KL_EXIT_USAGE;
	}
	if (opt.image_kallsyms && !opt.image) {
		kl_err("build: --check-kallsyms goes with --check-image");
		return KL_EXIT_USAGE;
	}
	if (optind >= argc) {
		kl_err("build: no patch given (see klive build --help)");
		return KL_EXIT_USAGE;
	}
	return run_build(&opt, argv + optind, argc - optind);
}
