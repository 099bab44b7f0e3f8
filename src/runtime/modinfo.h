/* modinfo.h - what klive reads from a live patch module before loading it. */
#ifndef KLIVE_MODINFO_H
#define KLIVE_MODINFO_H

#include <stdbool.h>
#include <stddef.h>

struct kl_modinfo_entry {
	char *key;
	char *value;
};

struct kl_modinfo {
	char *path;
	char *name;		/* the name the kernel gives the module */
	char *vermagic;		/* NULL when absent */
	char *release;		/* vermagic's first word, or NULL */
	bool livepatch;		/* livepatch=Y */
	struct kl_modinfo_entry *entries;	/* every key=value, in order */
	size_t nr_entries;
};

/*
 * Reads the module at path.  Reports "PATH: not a kernel module (...)" and
 * returns NULL when the file is not a loadable kernel module.
 */
struct kl_modinfo *kl_modinfo_read(const char *path);

/*
 * Checks that the module is a live patch built for the running kernel;
 * reports the first problem and returns -1.
 */
int kl_modinfo_check(const struct kl_modinfo *mi);

/* The value of the first entry named key, or NULL. */
const char *kl_modinfo_get(const struct kl_modinfo *mi, const char *key);

void kl_modinfo_free(struct kl_modinfo *mi);

/* Module names use '_' where file names may use '-'; rewrites in place. */
void kl_module_name_normalize(char *name);

#endif
