/*
 * runpre-check.h - the run-pre check made by klive apply before a module is
 * loaded: the code each patch function was built against, carried in the
 * module, against the running kernel's, read through /proc/kcore.
 */
#ifndef KLIVE_RUNPRE_CHECK_H
#define KLIVE_RUNPRE_CHECK_H

/*
 * 0: every function matches, or the check cannot be made here (no
 * /proc/kcore, hidden addresses: the module's own check still runs);
 * -1: a function differs, reported in one line naming it and the offset.
 */
int runpre_check_module(const char *path);

#endif
