/* options.c - command line helpers shared by apply, revert and list. */
#define _GNU_SOURCE
#include "options.h"
#include "../util/util.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>

int kl_parse_timeout(const char *cmd, const char *arg, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || !isfinite(v) || v <= 0 ||
	    v > 1e6) {
		kl_err("%s: invalid timeout '%s' (seconds, more than 0)", cmd,
		       arg);
		return -1;
	}
	*out = v;
	return 0;
}

void kl_bad_option(const char *cmd, int c, const char *arg)
{
	const char *what = c == ':' ? "needs a value" : "is unknown";

	if (arg && arg[0] == '-' && arg[1] == '-')
		kl_err("%s: option '%s' %s (see klive %s --help)", cmd, arg,
		       what, cmd);
	else
		kl_err("%s: option '-%c' %s (see klive %s --help)", cmd,
		       optopt, what, cmd);
}
