/*
 * status.c - `klive status`: the kernel's effective version and, for each
 * live patch, its state, functions, when it was applied, the hash of its
 * source and the tasks holding up its transition; text or --json.
 */
#define _GNU_SOURCE
#include "commands.h"
#include "../runtime/inventory.h"
#include "../runtime/json.h"
#include "../runtime/options.h"
#include "../runtime/tasks.h"
#include "../util/util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void usage(FILE *out)
{
	fprintf(out,
		"usage: klive status [--json]\n"
		"\n"
		"Shows the running kernel's release and effective version\n"
		"(the release plus the live patches in force, in the order\n"
		"they were applied), then each live patch: whether it is\n"
		"enabled and in transition, the functions it replaces, when\n"
		"it was applied, the SHA-256 of the source patches it was\n"
		"built from, and, during a transition, the tasks it waits\n"
		"for with the patched function each one is in.\n"
		"\n"
		"  --json  one JSON object instead of text\n");
}

static int parse_args(int argc, char **argv, bool *json)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if (c == 'j') {
			*json = true;
			continue;
		}
		if (c == 'h') {
			usage(stdout);
			return KL_EXIT_OK;
		}
		kl_bad_option("status", c, argv[optind - 1]);
		return KL_EXIT_USAGE;
	}
	if (optind < argc) {
		kl_err("status: unexpected argument '%s'", argv[optind]);
		return KL_EXIT_USAGE;
	}
	return -1;
}

/* ISO 8601 in UTC, or NULL when unknown; static buffer. */
static const char *when(const struct kl_patch_info *pi)
{
	static char buf[32];
	struct tm tm;

	if (!pi->recorded || !pi->rec.applied ||
	    !gmtime_r(&pi->rec.applied, &tm))
		return NULL;
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

static const char *yes_no(int v)
{
	return v == 1 ? "yes" : v == 0 ? "no" : "unknown";
}

static void text_funcs(const struct kl_lp_patch *p)
{
	size_t i;

	printf("  functions:");
	for (i = 0; i < p->nr_funcs; i++) {
		printf(" %s:%s", p->funcs[i].obj, p->funcs[i].name);
		if (p->funcs[i].sympos > 1)
			printf(",%lu", p->funcs[i].sympos);
	}
	printf("%s\n", p->nr_funcs ? "" : " -");
}

static void text_patch(const struct kl_patch_info *pi)
{
	const struct kl_lp_patch *p = &pi->lp;
	struct kl_task *tasks;
	size_t nr;
	char *desc;

	printf("\npatch %s\n", p->name);
	printf("  enabled: %s\n", yes_no(p->enabled));
	printf("  in transition: %s\n", yes_no(p->transition));
	text_funcs(p);
	printf("  applied: %s\n", when(pi) ? when(pi) : "unknown (not applied by klive)");
	printf("  source: %s\n", pi->recorded && pi->rec.source ?
	       pi->rec.source : "unknown");
	if (pi->recorded && pi->rec.file)
		printf("  file: %s\n", pi->rec.file);
	if (p->transition != 1 || p->enabled < 0)
		return;
	nr = kl_tasks_pending(p->enabled, &tasks, NULL);
	desc = kl_tasks_describe(tasks, nr);
	printf("  waiting for: %s\n", nr ? desc : "-");
	free(desc);
	free(tasks);
}

static void json_tasks(const struct kl_lp_patch *p)
{
	struct kl_task *tasks = NULL;
	size_t nr = 0, i;

	if (p->transition == 1 && p->enabled >= 0)
		nr = kl_tasks_pending(p->enabled, &tasks, NULL);
	printf(",\"waiting_for\":[");
	for (i = 0; i < nr; i++) {
		printf("%s{\"pid\":%d,\"tgid\":%d,\"comm\":", i ? "," : "",
		       tasks[i].pid, tasks[i].tgid);
		kl_json_str(stdout, tasks[i].comm);
		printf(",\"function\":");
		kl_json_str(stdout, tasks[i].func[0] ? tasks[i].func : NULL);
		printf("}");
	}
	printf("]");
	free(tasks);
}

static void json_patch(const struct kl_patch_info *pi)
{
	const struct kl_lp_patch *p = &pi->lp;
	size_t i;

	printf("{\"name\":");
	kl_json_str(stdout, p->name);
	printf(",\"enabled\":");
	kl_json_bool(stdout, p->enabled);
	printf(",\"transition\":");
	kl_json_bool(stdout, p->transition);
	printf(",\"functions\":[");
	for (i = 0; i < p->nr_funcs; i++) {
		printf("%s{\"object\":", i ? "," : "");
		kl_json_str(stdout, p->funcs[i].obj);
		printf(",\"function\":");
		kl_json_str(stdout, p->funcs[i].name);
		printf(",\"sympos\":%lu}", p->funcs[i].sympos);
	}
	printf("],\"applied\":");
	kl_json_str(stdout, when(pi));
	if (pi->recorded && pi->rec.applied)
		printf(",\"applied_epoch\":%lld", (long long)pi->rec.applied);
	else
		printf(",\"applied_epoch\":null");
	printf(",\"source_sha256\":");
	kl_json_str(stdout, pi->recorded ? pi->rec.source : NULL);
	printf(",\"file\":");
	kl_json_str(stdout, pi->recorded ? pi->rec.file : NULL);
	json_tasks(p);
	printf("}");
}

static void print_json(const struct kl_inventory *inv)
{
	size_t i;

	printf("{\"release\":");
	kl_json_str(stdout, inv->release);
	printf(",\"version\":");
	kl_json_str(stdout, inv->version);
	printf(",\"patches\":[");
	for (i = 0; i < inv->nr; i++) {
		if (i)
			putchar(',');
		json_patch(&inv->patches[i]);
	}
	printf("]}\n");
}

static void print_text(const struct kl_inventory *inv)
{
	size_t i;

	printf("kernel: %s\n", inv->release);
	printf("version: %s\n", inv->version);
	if (!inv->nr)
		printf("no live patches\n");
	for (i = 0; i < inv->nr; i++)
		text_patch(&inv->patches[i]);
}

int cmd_status(int argc, char **argv)
{
	struct kl_inventory inv;
	bool json = false;
	int ret;

	ret = parse_args(argc, argv, &json);
	if (ret >= 0)
		return ret;
	if (kl_inventory_read(&inv))
		return KL_EXIT_ERROR;
	if (json)
		print_json(&inv);
	else
		print_text(&inv);
	kl_inventory_free(&inv);
	return KL_EXIT_OK;
}
