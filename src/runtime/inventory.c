/*
 * inventory.c - joins the kernel's live patches with klive's records:
 * patches klive applied come in their order of application, others after
 * them by name.  The effective version names the enabled patches.
 */
#define _GNU_SOURCE
#include "inventory.h"
#include "../util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

static void add_patch(struct kl_inventory *inv, const char *name,
		      const struct kl_record *rec)
{
	struct kl_patch_info *pi;

	inv->patches = xrealloc(inv->patches,
				(inv->nr + 1) * sizeof(*inv->patches));
	pi = &inv->patches[inv->nr];
	memset(pi, 0, sizeof(*pi));
	if (kl_lp_read_patch(name, &pi->lp))
		return;
	if (rec) {
		pi->recorded = true;
		pi->rec.name = xstrdup(rec->name);
		pi->rec.seq = rec->seq;
		pi->rec.applied = rec->applied;
		pi->rec.source = rec->source ? xstrdup(rec->source) : NULL;
		pi->rec.file = rec->file ? xstrdup(rec->file) : NULL;
	}
	inv->nr++;
}

static bool recorded(const struct kl_record *recs, size_t nr,
		     const char *name)
{
	size_t i;

	for (i = 0; i < nr; i++)
		if (!strcmp(recs[i].name, name))
			return true;
	return false;
}

static void make_version(struct kl_inventory *inv)
{
	char *v = xstrdup(inv->release), *t;
	size_t i;

	for (i = 0; i < inv->nr; i++) {
		if (inv->patches[i].lp.enabled != 1)
			continue;
		t = xasprintf("%s+%s", v, inv->patches[i].lp.name);
		free(v);
		v = t;
	}
	inv->version = v;
}

int kl_inventory_read(struct kl_inventory *inv)
{
	struct kl_record *recs;
	size_t nr_recs, nr_names, i;
	struct utsname u;
	char **names;

	memset(inv, 0, sizeof(*inv));
	if (uname(&u) == 0)
		snprintf(inv->release, sizeof(inv->release), "%s", u.release);
	if (!kl_lp_supported()) {
		kl_err("this kernel has no livepatch support (CONFIG_LIVEPATCH)");
		return -1;
	}
	if (kl_lp_names(&names, &nr_names))
		return -1;
	nr_recs = kl_records_all(&recs);
	for (i = 0; i < nr_recs; i++)
		if (kl_lp_exists(recs[i].name))
			add_patch(inv, recs[i].name, &recs[i]);
	for (i = 0; i < nr_names; i++)
		if (!recorded(recs, nr_recs, names[i]))
			add_patch(inv, names[i], NULL);
	kl_records_free(recs, nr_recs);
	kl_lp_free_names(names, nr_names);
	make_version(inv);
	return 0;
}

void kl_inventory_free(struct kl_inventory *inv)
{
	size_t i;

	for (i = 0; i < inv->nr; i++) {
		kl_lp_free_patch(&inv->patches[i].lp);
		kl_record_free(&inv->patches[i].rec);
	}
	free(inv->patches);
	free(inv->version);
	memset(inv, 0, sizeof(*inv));
}
