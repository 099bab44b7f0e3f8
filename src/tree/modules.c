/*
 * modules.c - finds a module of the target kernel among its built modules
 * (the directory `klive prepare` recorded: a build directory or
 * /lib/modules/RELEASE) and loads its symbol table, which places the
 * symbols of a patched module the way livepatch will find them.
 */
#define _GNU_SOURCE
#include "modules.h"
#include "../util/util.h"

#include <ftw.h>
#include <stdlib.h>
#include <string.h>

static const char *const suffixes[] = { ".ko", ".ko.xz", ".ko.zst", ".ko.gz" };

static const char *wanted;	/* module name sought by match() */
static char *found;

/* kbuild names a module after its file, with '-' turned into '_'. */
static bool names_module(const char *base, const char *modname)
{
	size_t i, len;

	for (i = 0; i < ARRAY_SIZE(suffixes); i++) {
		if (!str_ends(base, suffixes[i]))
			continue;
		len = strlen(base) - strlen(suffixes[i]);
		if (len != strlen(modname))
			return false;
		for (size_t j = 0; j < len; j++) {
			char c = base[j] == '-' ? '_' : base[j];

			if (c != modname[j])
				return false;
		}
		return true;
	}
	return false;
}

static int match(const char *path, const struct stat *st, int flag,
		 struct FTW *ftw)
{
	(void)st;
	if (flag != FTW_F || !names_module(path + ftw->base, wanted))
		return 0;
	found = xstrdup(path);
	return 1;
}

char *target_module_file(const struct target *t, const char *modname)
{
	if (!t->modules)
		return NULL;
	wanted = modname;
	found = NULL;
	nftw(t->modules, match, 16, FTW_PHYS);
	return found;
}

int target_module_symbols(const struct target *t, const char *modname,
			  const char *workdir, struct ksyms *ks)
{
	char *file = target_module_file(t, modname), *plain = NULL;
	int ret = -1;

	if (!file) {
		if (t->modules)
			kl_err("module '%s' is not among the target's modules in %s",
			       modname, t->modules);
		else
			kl_err("target '%s' knows no module binaries, needed to patch module '%s' (prepare it again with --modules DIR)",
			       t->name, modname);
		return -1;
	}
	if (!str_ends(file, ".ko")) {
		plain = xasprintf("%s/%s.ko", workdir, modname);
		if (run_shell(NULL, "%s -dc '%s' > '%s'",
			      str_ends(file, ".xz") ? "xz" :
			      str_ends(file, ".zst") ? "zstd" : "gzip",
			      file, plain)) {
			kl_err("cannot decompress %s", file);
			goto out;
		}
	}
	kl_debug("symbols of module %s: %s", modname, file);
	ret = ksyms_load_module(ks, plain ? plain : file);
	if (ret)
		kl_err("cannot read the symbols of module %s (%s)", modname,
		       file);
out:
	free(file);
	free(plain);
	return ret;
}
