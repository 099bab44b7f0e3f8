/* util.h - small helpers shared by every klive stage: errors, memory, strings, files. */
#ifndef KLIVE_UTIL_H
#define KLIVE_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Exit codes of the klive command. */
#define KL_EXIT_OK		0
#define KL_EXIT_ERROR		1
#define KL_EXIT_USAGE		2
#define KL_EXIT_NO_CHANGE	3

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#include <signal.h>

extern bool kl_quiet;
/* Set to the signal number when Ctrl-C or SIGTERM arrived during run_cmd. */
extern volatile sig_atomic_t kl_interrupted;
extern bool kl_verbose;

/* One line on stderr, prefixed with "klive: ". */
void kl_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Progress on stderr, silenced by --quiet. */
void kl_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Details only with --verbose. */
void kl_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void *xmalloc(size_t size);
void *xzalloc(size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

bool str_starts(const char *s, const char *prefix);
bool str_ends(const char *s, const char *suffix);

/* Whole-file helpers; they return -1 and report on failure. */
char *read_file(const char *path, size_t *len);
int write_file(const char *path, const void *buf, size_t len);
/* Writes PATH.tmp, then renames it: readers see the old or the new file. */
int write_file_atomic(const char *path, const void *buf, size_t len);
int copy_file(const char *src, const char *dst);
bool path_exists(const char *path);
bool is_dir(const char *path);
int mkdir_p(const char *path);
int remove_tree(const char *path);
char *make_temp_dir(const char *prefix);
char *abs_path(const char *path);
/* kbuild's command file of an object: DIR/.NAME.o.cmd for DIR/NAME.o. */
char *kbuild_cmd_file(const char *object);

/* Runs argv; output goes to log (appended) when log is not NULL. */
int run_cmd(const char *log, char *const argv[]);
/* Runs a shell command line; output to log when not NULL. */
int run_shell(const char *log, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* SHA-256 of a buffer, as 64 hex digits plus NUL. */
void sha256_hex(const void *buf, size_t len, char out[65]);
int sha256_file(const char *path, char out[65]);

/* The cache root: $KLIVE_CACHE or ~/.cache/klive. */
const char *cache_dir(void);

#endif
