/* options.h - command line helpers shared by apply, revert and list. */
#ifndef KLIVE_OPTIONS_H
#define KLIVE_OPTIONS_H

/* Parses a --timeout value (seconds, more than 0); reports and returns -1. */
int kl_parse_timeout(const char *cmd, const char *arg, double *out);

/*
 * Reports what getopt_long (run with opterr = 0 and a leading ':' in its
 * option string) stopped at: c is '?' or ':', arg is argv[optind - 1].
 */
void kl_bad_option(const char *cmd, int c, const char *arg);

#endif
