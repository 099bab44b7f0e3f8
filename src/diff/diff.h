/*
 * diff.h - the diff stage: pairs the sections and symbols of an object
 * compiled before and after a patch, decides which functions changed, what
 * new code and data they need, and refuses changes that a live patch cannot
 * carry.  Its verdict is left as marks on the post object: status and
 * include on sections and symbols.
 */
#ifndef KLIVE_DIFF_H
#define KLIVE_DIFF_H

#include "../elf/elf.h"

enum kl_status {
	KL_SAME = 0,
	KL_CHANGED,
	KL_NEW,
};

struct diff_result {
	struct kl_symbol **changed;	/* post functions to patch */
	size_t nr_changed;
	size_t nr_callbacks;		/* KPATCH_*_CALLBACK records carried */
	size_t nr_new_globals;		/* global functions and data added */
};

/* Compares pre and post; fills res with the changed functions. */
int diff_objects(struct kl_elf *pre, struct kl_elf *post,
		 struct diff_result *res);
void diff_result_free(struct diff_result *res);

/* Internal steps, one file each. */
void correlate(struct kl_elf *pre, struct kl_elf *post);
int compare_sections(struct kl_elf *pre, struct kl_elf *post);
int include_changed(struct kl_elf *post);
/* A global function or variable the patch adds (carried in any case). */
bool is_new_global(const struct kl_symbol *s);

/* Where a relocation really points: a named symbol and an offset in it. */
struct kl_target {
	struct kl_symbol *sym;		/* named symbol, or section symbol */
	int64_t offset;			/* from the symbol's start (or the
					 * section's, when anonymous) */
	bool anonymous;			/* no named symbol: whole section */
};
void resolve_target(struct kl_elf *elf, const struct kl_section *in,
		    const struct kl_rela *r, struct kl_target *t);
/* The NUL-terminated string at offset at of sec, or NULL. */
const char *section_string(const struct kl_section *sec, int64_t at);
/* The string (a literal, or a named constant) a relocation points at. */
const char *target_string(struct kl_elf *elf, const struct kl_section *in,
			  const struct kl_rela *r);
/* The literal a relocation of sec points at (code: past its field). */
const char *rela_string(struct kl_elf *elf, const struct kl_section *sec,
			const struct kl_rela *r);

/* Where pr_debug() keeps its descriptors, registered at module load. */
#define DYNDBG_SECTION "__dyndbg"
/* A pr_debug() descriptor (struct _ddebug) in that section. */
bool is_dyndbg_descriptor(const struct kl_symbol *s);
/* Pairs them by the function and message they describe (dyndbg.c). */
void pair_dyndbg_descriptors(struct kl_elf *pre, struct kl_elf *post);

/* Sections that are neither code nor data of the program. */
bool is_ignored_section(const struct kl_section *sec);
/* Tables of entries pointing into functions (__mcount_loc, ...). */
bool is_special_section(const struct kl_section *sec);
bool is_function_symbol(const struct kl_symbol *sym);

/* Whether b differs from a only in __LINE__ values (lines.c). */
bool same_but_lines(struct kl_elf *pre, struct kl_symbol *a,
		    struct kl_elf *post, struct kl_symbol *b,
		    bool (*same)(struct kl_elf *, struct kl_symbol *,
				 struct kl_elf *, struct kl_symbol *));

/* The patch author's marks, from kpatch-macros.h records (markers.c). */
bool is_marker_section(const struct kl_section *sec);
bool is_callback_section(const struct kl_section *sec);
int read_markers(struct kl_elf *post);
void drop_ignored_functions(struct kl_elf *post);
/* Refusals of what the kernel keeps outside the functions. */
int check_once_flags(struct kl_elf *pre, struct kl_elf *post);
int check_crcs(struct kl_elf *pre, struct kl_elf *post);
/* True, after a warning naming f and why, if f is KPATCH_FORCE_UNSAFE. */
bool forced(const struct kl_symbol *f, const char *why);

#endif
