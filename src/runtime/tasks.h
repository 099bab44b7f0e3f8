/*
 * tasks.h - the tasks a live patch transition waits for: which have not
 * switched yet (/proc/PID/task/TID/patch_state), which patched function
 * holds each of them (/proc/PID/task/TID/stack), and nudging them along.
 */
#ifndef KLIVE_TASKS_H
#define KLIVE_TASKS_H

#include <stdbool.h>
#include <stddef.h>

struct kl_task {
	int pid;		/* thread id */
	int tgid;		/* process id */
	char comm[32];
	char state;		/* R, S, D, T, ... from /proc/TID/stat */
	bool kthread;
	char func[128];		/* patched function on its stack, or "" */
};

/*
 * Tasks whose patch state is not target (0 or 1), sorted by pid; *total
 * gets the number of tasks that have a patch state at all.  The stacks are
 * searched for the functions of every live patch in the kernel.
 */
size_t kl_tasks_pending(int target, struct kl_task **tasks, size_t *total);

/* "pid 12 (comm) in func, pid 34 (comm) and 5 more"; caller frees. */
char *kl_tasks_describe(const struct kl_task *tasks, size_t nr);

/*
 * Asks the kernel to signal the tasks blocking NAME's transition, through
 * NAME/signal where the kernel has it.  Returns false when it does not
 * (Linux 5.x removed it: the kernel then signals them itself every 15 s).
 */
bool kl_tasks_signal(const char *name);

/*
 * Stops and continues (SIGSTOP, SIGCONT) the user processes among tasks
 * that are sleeping and not already stopped, so that they pass through
 * the kernel's exit path.  Returns the number of processes nudged.
 */
size_t kl_tasks_stop_cont(const struct kl_task *tasks, size_t nr);

#endif
