/* list.c - `klive list`: the kernel's live patches and what they replace. */
#define _GNU_SOURCE
#include "commands.h"
#include "../runtime/livepatch.h"
#include "../runtime/options.h"
#include "../util/util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
	fprintf(out,
		"usage: klive list\n"
		"\n"
		"Lists the live patches in the running kernel, one per\n"
		"line: name, state (enabled or disabled, and whether a\n"
		"transition is under way) and the functions it replaces,\n"
		"as OBJECT:FUNCTION (OBJECT is vmlinux or a module; ',N'\n"
		"marks the Nth symbol of that name).\n");
}

static int parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return KL_EXIT_OK;
		}
		kl_bad_option("list", c, argv[optind - 1]);
		return KL_EXIT_USAGE;
	}
	if (optind < argc) {
		kl_err("list: unexpected argument '%s'", argv[optind]);
		return KL_EXIT_USAGE;
	}
	return -1;
}

static const char *state_of(const struct kl_lp_patch *p)
{
	if (p->transition == 1)
		return p->enabled == 1 ? "enabled, in transition" :
		       "disabled, in transition";
	if (p->enabled < 0)
		return "unknown";
	return p->enabled ? "enabled" : "disabled";
}

static void print_funcs(const struct kl_lp_patch *p)
{
	const struct kl_lp_func *f;
	size_t i;

	if (!p->nr_funcs)
		fputs("-", stdout);
	for (i = 0; i < p->nr_funcs; i++) {
		f = &p->funcs[i];
		printf("%s%s:%s", i ? " " : "", f->obj, f->name);
		if (f->sympos > 1)
			printf(",%lu", f->sympos);
	}
	putchar('\n');
}

static void print_table(struct kl_lp_patch *patches, size_t nr)
{
	int wname = strlen("NAME"), wstate = strlen("STATE"), n;
	size_t i;

	for (i = 0; i < nr; i++) {
		n = strlen(patches[i].name);
		if (n > wname)
			wname = n;
		n = strlen(state_of(&patches[i]));
		if (n > wstate)
			wstate = n;
	}
	printf("%-*s  %-*s  %s\n", wname, "NAME", wstate, "STATE", "FUNCTIONS");
	for (i = 0; i < nr; i++) {
		printf("%-*s  %-*s  ", wname, patches[i].name, wstate,
		       state_of(&patches[i]));
		print_funcs(&patches[i]);
	}
}

int cmd_list(int argc, char **argv)
{
	struct kl_lp_patch *patches;
	size_t nr_names, nr = 0, i;
	char **names;
	int ret;

	ret = parse_args(argc, argv);
	if (ret >= 0)
		return ret;
	if (!kl_lp_supported()) {
		kl_err("this kernel has no livepatch support (CONFIG_LIVEPATCH)");
		return KL_EXIT_ERROR;
	}
	if (kl_lp_names(&names, &nr_names))
		return KL_EXIT_ERROR;
	patches = xzalloc(nr_names * sizeof(*patches));
	for (i = 0; i < nr_names; i++)
		if (!kl_lp_read_patch(names[i], &patches[nr]))
			nr++;
	if (nr)
		print_table(patches, nr);
	else
		puts("no live patches");
	for (i = 0; i < nr; i++)
		kl_lp_free_patch(&patches[i]);
	free(patches);
	kl_lp_free_names(names, nr_names);
	return KL_EXIT_OK;
}
