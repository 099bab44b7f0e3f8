/* lock.h - one klive command changing the kernel's live patches at a time. */
#ifndef KLIVE_LOCK_H
#define KLIVE_LOCK_H

/* klive's run-time directory: $KLIVE_RUN_DIR, default /run/klive. */
const char *kl_run_dir(void);

/*
 * Takes the lock file RUN_DIR/lock without waiting.  When another klive
 * command holds it, reports "another klive command is running (pid N, CMD)"
 * and returns -1.  The lock is released when the process exits.
 */
int kl_lock_take(const char *what);

#endif
