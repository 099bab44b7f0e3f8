/*
 * transition.h - seeing a live patch transition through: waiting for it,
 * showing its progress, naming and nudging the tasks that hold it up.
 */
#ifndef KLIVE_TRANSITION_H
#define KLIVE_TRANSITION_H

enum kl_lp_wait_result {
	KL_LP_SETTLED,		/* transition reads 0 */
	KL_LP_GONE,		/* the patch was freed (disabled) */
	KL_LP_TIMEOUT,
	KL_LP_INTERRUPTED,	/* SIGINT, SIGTERM or SIGHUP */
};

/* Also stop and continue the user processes that hold the transition up. */
#define KL_WAIT_STOP_TASKS	0x1

/*
 * Waits until NAME's transition is over or timeout seconds have passed.
 * When it stalls, reports about once a second how many tasks have
 * switched and which ones, in which patched function, it waits for, and
 * nudges them.  Catches SIGINT/SIGTERM/SIGHUP while waiting so the caller
 * can clean up.
 */
enum kl_lp_wait_result kl_transition_wait(const char *name, double timeout,
					  unsigned int flags);

/* ", blocked by pid 12 (comm) in func, ..." or ""; caller frees. */
char *kl_transition_blockers(int target);

#endif
