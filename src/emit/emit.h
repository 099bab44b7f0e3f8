/*
 * emit.h - the emit stage: turns the diff stage's marks into a livepatch
 * module.  Each compared object yields one object of carried code and data
 * whose references to the running kernel become plain relocations
 * (exported symbols) or livepatch symbols (.klp.sym.OBJ.NAME,POS); kbuild
 * links them with a generated klp_patch description; a last pass turns the
 * livepatch relocations into .klp.rela sections.
 */
#ifndef KLIVE_EMIT_H
#define KLIVE_EMIT_H

#include "../diff/diff.h"
#include "../tree/symbols.h"
#include "../tree/target.h"
#include "image.h"

struct runpre_func;

struct patched_func {
	char *old_name;
	unsigned long sympos;
	char *new_symbol;	/* global alias of the new code */
	char *source;		/* file it comes from */
	char *objname;		/* "vmlinux" or the module it is in */
};

/* The patch-author callbacks of kpatch-macros.h, in klp_callbacks order. */
enum callback_kind {
	CB_PRE_PATCH,
	CB_POST_PATCH,
	CB_PRE_UNPATCH,
	CB_POST_UNPATCH,
	CB_KINDS,
};

struct patch_callback {
	enum callback_kind kind;
	char *objname;		/* "vmlinux" or a module */
	char *symbol;		/* global alias of the carried function */
	char *function;		/* its name in the source, for messages */
};

struct patch_plan {
	struct patched_func *funcs;
	size_t nr_funcs;
	struct patch_callback *callbacks;
	size_t nr_callbacks;
	char **added;		/* "OBJ:NAME (FILE)" of new global functions */
	size_t nr_added;
	char **objects;		/* carried-code objects to link */
	size_t nr_objects;
	bool replace;		/* replace earlier patches (cumulative) */
	struct runpre_func *runpre;	/* per function, runpre.h */
	size_t nr_runpre;
};

/* The global symbols the patch adds, in any of its objects (globals.c). */
struct new_globals {
	char **names;
	size_t nr;
};

int new_globals_add(struct new_globals *g, const char *pre_path,
		    const char *post_path);
bool new_globals_has(const struct new_globals *g, const char *name);
void new_globals_free(struct new_globals *g);

/* The kernel image, read when a symbol's place needs it (sympos-ref.c). */
struct image_source {
	const char *path;	/* NULL: none known */
	const char *srcdir;	/* for scripts/extract-vmlinux */
	bool tried, loaded;
	struct kernel_image im;
	int64_t shift;
};

struct emit_context {
	const struct ksyms *ks;
	struct kl_elf *pre;
	struct kl_elf *post;
	const char *source;
	const char *objname;	/* "vmlinux" or the module's name */
	const struct ksyms *modks;	/* the module's symbols, or NULL */
	int unit;		/* number of the object in the patch */
	const struct new_globals *globals;	/* the patch's new globals */
	struct image_source *image;	/* the kernel's code, or NULL */
};

/* Callback tables of kpatch-macros.h: .kpatch.callbacks.pre_patch, ... */
#define CALLBACK_SECTION_PREFIX ".kpatch.callbacks."
extern const char *const callback_kind_names[CB_KINDS];

/* Writes the carried code of one object and adds its functions to plan. */
int emit_changes(struct emit_context *ctx, const struct diff_result *d,
		 const char *out_path, struct patch_plan *plan);
enum sympos_result {
	SYMPOS_OK = 0,
	SYMPOS_NO_LIST,
	SYMPOS_MISSING,
	SYMPOS_AMBIGUOUS,
};

/* Position of a symbol among the kernel's symbols of that name (0: unique). */
enum sympos_result symbol_position(const struct ksyms *ks, struct kl_elf *pre,
				   const char *name, unsigned long *pos);
const char *sympos_reason(enum sympos_result r);
/* The same from the kernel's code that uses the symbol (sympos-ref.c). */
enum sympos_result symbol_position_by_reference(const struct ksyms *ks,
						struct kl_elf *pre,
						const char *name,
						struct image_source *src,
						unsigned long *pos);
const struct kernel_image *image_source_get(struct image_source *src,
					    const struct ksyms *ks,
					    int64_t *shift);
void image_source_free(struct image_source *src);
/* Builds NAME.ko with kbuild from the plan, then converts it. */
int emit_module(const struct target *t, const char *objdir,
		const char *workdir, const struct patch_plan *plan,
		const char *modname, const char *patch_hash,
		const char *out_path);
/* Turns .klp.sym references into livepatch relocation sections. */
int klp_convert(const char *in_path, const char *out_path);
void patch_plan_free(struct patch_plan *plan);

#endif
