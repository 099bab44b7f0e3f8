/*
 * order.c - decides whether a stacked patch can be reverted now: not while
 * a patch applied after it still replaces one of its functions.
 */
#define _GNU_SOURCE
#include "order.h"
#include "livepatch.h"
#include "records.h"
#include "../util/util.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static bool same_func(const struct kl_lp_func *a, const struct kl_lp_func *b)
{
	/* sympos 0 and 1 both name the first symbol of that name */
	return !strcmp(a->obj, b->obj) && !strcmp(a->name, b->name) &&
	       (a->sympos ? a->sympos : 1) == (b->sympos ? b->sympos : 1);
}

static bool overlap(const struct kl_lp_patch *a, const struct kl_lp_patch *b)
{
	size_t i, j;

	for (i = 0; i < a->nr_funcs; i++)
		for (j = 0; j < b->nr_funcs; j++)
			if (same_func(&a->funcs[i], &b->funcs[j]))
				return true;
	return false;
}

char *kl_order_on_top(const char *name)
{
	struct kl_lp_patch self, other;
	struct kl_record *recs;
	unsigned long seq = 0;
	char *found = NULL;
	size_t nr, i;

	nr = kl_records_all(&recs);
	for (i = 0; i < nr; i++)
		if (!strcmp(recs[i].name, name))
			seq = recs[i].seq;
	if (!seq || kl_lp_read_patch(name, &self)) {
		kl_records_free(recs, nr);
		return NULL;
	}
	/* The most recent one first: that is the one to revert next. */
	for (i = nr; i-- > 0 && !found;) {
		if (recs[i].seq <= seq)
			continue;
		if (kl_lp_read_patch(recs[i].name, &other))
			continue;
		if (other.enabled == 1 && overlap(&self, &other))
			found = xstrdup(other.name);
		kl_lp_free_patch(&other);
	}
	kl_lp_free_patch(&self);
	kl_records_free(recs, nr);
	return found;
}
