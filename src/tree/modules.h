/*
 * modules.h - the target kernel's modules: where a module's binary is, and
 * its symbol table.
 */
#ifndef KLIVE_MODULES_H
#define KLIVE_MODULES_H

#include "symbols.h"
#include "target.h"

/* Path of MODNAME's .ko (maybe compressed) among the target's modules. */
char *target_module_file(const struct target *t, const char *modname);
/* Loads MODNAME's symbols; workdir takes a decompressed copy if needed. */
int target_module_symbols(const struct target *t, const char *modname,
			  const char *workdir, struct ksyms *ks);

#endif
