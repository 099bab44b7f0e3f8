/*
 * build_tests.c - unit tests of the build stage's choice of what to
 * compile: a file is its own translation unit when kbuild names its
 * object, else the file of its directory that #includes it.
 */
#define _GNU_SOURCE
#include "unit.h"
#include "../../src/build/build.h"

#include <stdlib.h>
#include <string.h>
#include <stdio.h>

static int put(const char *rel, const char *text)
{
	char *path = work_path(rel);
	int ret = spill(path, text, strlen(text));

	free(path);
	return ret ? fail("cannot write %s", rel) : 0;
}

static int expect_unit(const char *source, const char *want)
{
	char *root = work_path("unit_tree");
	char *got = translation_unit(root, source);
	int ret = 0;

	if (strcmp(got, want))
		ret = fail("%s: compiled in %s, expected %s", source, got,
			   want);
	free(got);
	free(root);
	return ret;
}

static int make_tree(void)
{
	char *dir = work_path("unit_tree/kernel/sched");
	char *cmd = NULL;
	int ret;

	if (asprintf(&cmd, "mkdir -p '%s'", dir) < 0)
		abort();
	ret = system(cmd);
	free(cmd);
	free(dir);
	if (ret)
		return fail("cannot make the tree");
	return put("unit_tree/kernel/sched/Makefile",
		   "obj-y += core.o\nobj-y += build_utility.o\n"
		   "CFLAGS_core.o := -O2\n") ||
	       put("unit_tree/kernel/sched/core.c", "int core;\n") ||
	       put("unit_tree/kernel/sched/build_utility.c",
		   "#include \"sched.h\"\n#ifdef CONFIG_SCHED_DEBUG\n"
		   "# include \"debug.c\"\n#endif\n#include \"clock.c\"\n") ||
	       put("unit_tree/kernel/sched/debug.c", "int debug;\n") ||
	       put("unit_tree/kernel/sched/clock.c", "int clock;\n") ||
	       put("unit_tree/kernel/sched/lonely.c", "int lonely;\n");
}

static int build_translation_units(void)
{
	if (make_tree())
		return 1;
	return expect_unit("kernel/sched/core.c", "kernel/sched/core.c") ||
	       expect_unit("kernel/sched/debug.c",
			   "kernel/sched/build_utility.c") ||
	       expect_unit("kernel/sched/clock.c",
			   "kernel/sched/build_utility.c") ||
	       expect_unit("kernel/sched/lonely.c", "kernel/sched/lonely.c");
}

const struct unit_case build_cases[] = {
	{ "build: a file #included by another of its directory compiles as that one",
	  build_translation_units },
	{ NULL, NULL },
};
