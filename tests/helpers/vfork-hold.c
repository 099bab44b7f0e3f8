/*
 * vfork-hold.c - holds a task inside the vfork system call: the parent
 * waits in kernel_clone() (a killable sleep, which the kernel's fake
 * signal does not end) while the child sleeps until RELEASEFILE exists.
 *
 * usage: vfork-hold RELEASEFILE
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec ts = { 0, 50000000 };
	pid_t pid;

	if (argc != 2) {
		fprintf(stderr, "usage: vfork-hold RELEASEFILE\n");
		return 2;
	}
	pid = vfork();
	if (pid == 0) {
		/* Only raw system calls: the child borrows our memory. */
		while (syscall(SYS_access, argv[1], F_OK) != 0)
			syscall(SYS_nanosleep, &ts, NULL);
		syscall(SYS_exit, 0);
	}
	if (pid < 0) {
		perror("vfork");
		return 1;
	}
	printf("vfork-hold: released\n");
	return 0;
}
