/*
 * runpre.h - run-pre matching: before a live patch replaces a function, the
 * code running in the kernel must be the code the patch was built against.
 * For each patched function the module carries the pre build's bytes and a
 * mask of the bytes that may legitimately differ (relocated fields and the
 * places the kernel rewrites at boot: ftrace calls, alternatives, jump
 * labels, static calls, return thunks, retpolines, paravirt, lock prefixes).
 */
#ifndef KLIVE_RUNPRE_H
#define KLIVE_RUNPRE_H

#include "emit.h"

struct runpre_func {
	unsigned char *code;	/* the pre build's bytes, masked bytes zeroed */
	unsigned char *mask;	/* 0xff: must match; 0: may differ */
	size_t size;
};

/* Fingerprints plan->funcs[first..] from the pre object. */
int runpre_collect(struct kl_elf *pre, struct patch_plan *plan, size_t first);
void runpre_free(struct patch_plan *plan);

/* A growing text buffer, for generated C. */
struct text {
	char *buf;
	size_t len, cap;
};

void text_add(struct text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The run-pre part of the module's stub: klive_runpre_check(). */
char *runpre_stub_source(const struct patch_plan *plan);

/* Offset of the first byte of code that differs under the mask, or -1. */
long runpre_first_difference(const struct runpre_func *rf,
			     const unsigned char *code);

/*
 * Checks the fingerprints against a kernel image (vmlinuz or vmlinux) and
 * its symbol list, offline.  srcdir gives scripts/extract-vmlinux.
 */
int runpre_check_image(const struct patch_plan *plan, const struct ksyms *ks,
		       const char *image, const char *srcdir);

#endif
