/*
 * installed.h - the patches kept for reapplying at boot: STATE/RELEASE/
 * NAME.ko and STATE/RELEASE/order (one name a line, in install order),
 * STATE being $KLIVE_STATE_DIR or /var/lib/klive.
 */
#ifndef KLIVE_INSTALLED_H
#define KLIVE_INSTALLED_H

#include <stddef.h>

const char *kl_state_dir(void);

/* STATE/RELEASE/NAME.ko; caller frees. */
char *kl_installed_path(const char *release, const char *name);

/* Names installed for release, in install order; 0 when there are none. */
size_t kl_installed_list(const char *release, char ***names);

/* Copies file as NAME's module for release and puts it last in order. */
int kl_installed_add(const char *release, const char *name,
		     const char *file);
/* Removes NAME for release; -1 (reported) when it is not installed. */
int kl_installed_remove(const char *release, const char *name);

/* Whether any release has a patch installed. */
int kl_installed_any(void);

#endif
