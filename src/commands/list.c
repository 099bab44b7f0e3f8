/* list.c - `klive list`: the kernel's live patches and what they replace. */
#define _GNU_SOURCE
#include "commands.h"
#include "../runtime/inventory.h"
#include "../runtime/options.h"
#include "../util/util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void usage(FILE *out)
{
	fprintf(out,
		"usage: klive list\n"
		"\n"
		"Lists the live patches in the running kernel in the order\n"
		"they were applied, one per line: name, state (enabled or\n"
		"disabled, and whether a transition is under way), when it\n"
		"was applied (UTC), the first 12 hex digits of the SHA-256\n"
		"of its source patches, and the functions it replaces, as\n"
		"OBJECT:FUNCTION (OBJECT is vmlinux or a module; ',N' marks\n"
		"the Nth symbol of that name).  The last line is the\n"
		"kernel's effective version.  klive status shows more.\n");
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

static void applied_of(const struct kl_patch_info *pi, char *buf,
		       size_t size)
{
	struct tm tm;

	if (!pi->recorded || !pi->rec.applied ||
	    !gmtime_r(&pi->rec.applied, &tm))
		snprintf(buf, size, "-");
	else
		strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm);
}

static const char *source_of(const struct kl_patch_info *pi)
{
	return pi->recorded && pi->rec.source ? pi->rec.source : "-";
}

static void print_table(const struct kl_inventory *inv)
{
	int wname = strlen("NAME"), wstate = strlen("STATE"), n;
	char applied[32];
	size_t i;

	for (i = 0; i < inv->nr; i++) {
		n = strlen(inv->patches[i].lp.name);
		if (n > wname)
			wname = n;
		n = strlen(state_of(&inv->patches[i].lp));
		if (n > wstate)
			wstate = n;
	}
	printf("%-*s  %-*s  %-19s  %-12s  %s\n", wname, "NAME", wstate,
	       "STATE", "APPLIED", "SOURCE", "FUNCTIONS");
	for (i = 0; i < inv->nr; i++) {
		applied_of(&inv->patches[i], applied, sizeof(applied));
		printf("%-*s  %-*s  %-19s  %-12.12s  ", wname,
		       inv->patches[i].lp.name, wstate,
		       state_of(&inv->patches[i].lp), applied,
		       source_of(&inv->patches[i]));
		print_funcs(&inv->patches[i].lp);
	}
}

int cmd_list(int argc, char **argv)
{
	struct kl_inventory inv;
	int ret;

	ret = parse_args(argc, argv);
	if (ret >= 0)
		return ret;
	if (kl_inventory_read(&inv))
		return KL_EXIT_ERROR;
	if (inv.nr)
		print_table(&inv);
	else
		puts("no live patches");
	printf("kernel version: %s\n", inv.version);
	kl_inventory_free(&inv);
	return KL_EXIT_OK;
}
