/*
 * unit.h - the small harness of klive's unit test program: each case runs
 * in its own child process, with its stderr captured, and reports one
 * "ok" or "not ok" line.
 */
#ifndef KLIVE_UNIT_H
#define KLIVE_UNIT_H

#include <stdbool.h>
#include <stddef.h>

struct unit_case {
	const char *name;
	int (*run)(void);	/* 0: passed; otherwise failed, see fail() */
};

extern const struct unit_case elf_cases[];
extern const struct unit_case diff_cases[];
extern const struct unit_case malformed_cases[];
extern const struct unit_case module_cases[];
extern const struct unit_case sympos_cases[];
extern const struct unit_case build_cases[];

/* Records why the running case failed; returns 1 for "return fail(...)". */
int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The directory the test script compiled the inputs into. */
const char *work_dir(void);
/* work_dir()/name, in a buffer owned by the caller. */
char *work_path(const char *name);

/* Everything the running case wrote to stderr since the given mark. */
size_t stderr_mark(void);
char *stderr_since(size_t mark);
/* Number of lines in s, and whether every line starts with prefix. */
size_t count_lines(const char *s);
bool all_lines_start(const char *s, const char *prefix);

/* Runs a shell command; returns its exit status, output in *out. */
int run_capture(const char *cmd, char **out);

/* Whole-file helpers for the tests' own files. */
unsigned char *slurp(const char *path, size_t *len);
int spill(const char *path, const void *buf, size_t len);

#endif
