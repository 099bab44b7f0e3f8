/*
 * inventory.h - everything known about the live patches in the running
 * kernel: the kernel's view (sysfs) joined with klive's records, in the
 * order they were applied, and the kernel's effective version.
 */
#ifndef KLIVE_INVENTORY_H
#define KLIVE_INVENTORY_H

#include "livepatch.h"
#include "records.h"

#include <stdbool.h>
#include <stddef.h>

struct kl_patch_info {
	struct kl_lp_patch lp;
	bool recorded;		/* rec is valid (applied by klive) */
	struct kl_record rec;
};

struct kl_inventory {
	char release[65];
	struct kl_patch_info *patches;	/* in order of application */
	size_t nr;
	char *version;		/* "RELEASE" or "RELEASE+p1+p2" */
};

/* Reads the inventory; -1 (reported) when livepatch is not available. */
int kl_inventory_read(struct kl_inventory *inv);
void kl_inventory_free(struct kl_inventory *inv);

#endif
