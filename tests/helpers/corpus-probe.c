/*
 * corpus-probe: system calls for the patch corpus' guest checks, with their
 * results printed in a fixed form ("0", "-1 EINVAL", "type=1 pid=0"...), so
 * that a check can compare them exactly.  Built static: the guest has no C
 * library.  Usage: corpus-probe COMMAND [ARGS]; see usage() below.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static const char *errname(int e)
{
	switch (e) {
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case ESRCH: return "ESRCH";
	case EBADF: return "EBADF";
	case EFAULT: return "EFAULT";
	case EINVAL: return "EINVAL";
	case ENOSPC: return "ENOSPC";
	case ENOSYS: return "ENOSYS";
	case EAGAIN: return "EAGAIN";
	case ENOMEM: return "ENOMEM";
	case ENAMETOOLONG: return "ENAMETOOLONG";
	case ESOCKTNOSUPPORT: return "ESOCKTNOSUPPORT";
	case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
	case EAFNOSUPPORT: return "EAFNOSUPPORT";
	default: return "E?";
	}
}

/* result: prints "0"/the value, or "-1 ENAME". */
static int result(long ret)
{
	if (ret < 0)
		printf("-1 %s\n", errname(errno));
	else
		printf("%ld\n", ret);
	return 0;
}

/* A page the process may read but not write, and an address never mapped. */
static void *readonly_page(void)
{
	void *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	return p;
}

static void *unmapped(void)
{
	void *p = readonly_page();

	munmap(p, 4096);
	return p;
}

static void *pointer(const char *how, void *good)
{
	if (!strcmp(how, "ok"))
		return good;
	if (!strcmp(how, "readonly"))
		return readonly_page();
	if (!strcmp(how, "unmapped"))
		return unmapped();
	fprintf(stderr, "corpus-probe: pointer kind '%s'? (ok|readonly|unmapped)\n", how);
	exit(2);
}

static int getdents(const char *dir, const char *how)
{
	static char buf[8192] __attribute__((aligned(8)));
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	char *p;

	if (fd < 0) {
		perror(dir);
		return 2;
	}
	if (!strcmp(how, "unaligned"))
		p = buf + 4;
	else
		p = pointer(how, buf);
	return result(syscall(SYS_getdents64, fd, p, 4096));
}

static int getown_ex(const char *how)
{
	struct f_owner_ex owner = { .type = -1, .pid = -1 };
	int fds[2];
	void *p;
	long ret;

	if (pipe(fds))
		return 2;
	p = pointer(how, &owner);
	ret = syscall(SYS_fcntl, fds[0], F_GETOWN_EX, p);
	if (ret < 0)
		return result(ret);
	printf("type=%d pid=%d\n", owner.type, owner.pid);
	return 0;
}

/* Sets the task's name and prints the Name field of /proc/self/status with
 * bytes that are not printable shown as <XX>. */
static int comm_status(const char *name)
{
	char line[256];
	FILE *f;

	if (prctl(PR_SET_NAME, name, 0, 0, 0))
		return result(-1);
	f = fopen("/proc/self/status", "r");
	if (!f)
		return 2;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "Name:\t", 6))
			continue;
		for (char *c = line + 6; *c && *c != '\n'; c++) {
			if (*c >= 0x20 && *c < 0x7f)
				putchar(*c);
			else
				printf("<%02x>", (unsigned char)*c);
		}
		putchar('\n');
		return 0;
	}
	return 2;
}

/* F_SETPIPE_SZ on a fresh pipe: the new size, or the error. */
static int pipe_size(const char *size)
{
	int fds[2];

	if (pipe(fds))
		return 2;
	return result(fcntl(fds[0], F_SETPIPE_SZ, strtoul(size, NULL, 0)));
}

/* socket(DOMAIN, TYPE, 0): "type=N" (its SO_TYPE), or the error. */
static int socket_type(const char *domain, const char *type)
{
	int fd = socket(atoi(domain), atoi(type), 0), t = -1;
	socklen_t len = sizeof(t);

	if (fd < 0)
		return result(-1);
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &t, &len))
		return result(-1);
	printf("type=%d\n", t);
	return 0;
}

/* write(2) to FILE from an address that is not mapped. */
static int write_bad(const char *file)
{
	int fd = open(file, O_WRONLY);

	if (fd < 0) {
		perror(file);
		return 2;
	}
	return result(write(fd, unmapped(), 4));
}

/*
 * remap_file_pages(2) of the first page of a shared mapping of a fresh
 * one-page file (in /tmp), with the given flags.
 */
static int remap_file_pages_flags(const char *flags)
{
	char path[] = "/tmp/corpus-remap.XXXXXX";
	long page = sysconf(_SC_PAGESIZE), ret;
	void *map;
	int fd = mkstemp(path);

	if (fd < 0)
		return 2;
	unlink(path);
	if (ftruncate(fd, page * 2))
		return 2;
	map = mmap(NULL, page * 2, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		return 2;
	ret = syscall(SYS_remap_file_pages, map, page, 0, 1,
		      strtoul(flags, NULL, 0));
	return result(ret);
}

static void usage(void)
{
	fputs("usage: corpus-probe COMMAND [ARGS]\n"
	      "  getpriority WHICH WHO        getpriority(2): the raw value or -1 ERRNO\n"
	      "  sethostname NAME|--bad       sethostname(2)\n"
	      "  setdomainname NAME|--bad     setdomainname(2)\n"
	      "  io-destroy CTX               io_destroy(2)\n"
	      "  getdents DIR ok|unaligned|readonly|unmapped\n"
	      "                               getdents64(2) into that buffer\n"
	      "  getown-ex ok|readonly|unmapped\n"
	      "                               fcntl(F_GETOWN_EX) on a fresh pipe\n"
	      "  comm-status NAME             prctl(PR_SET_NAME), then the Name of\n"
	      "                               /proc/self/status\n"
	      "  write-bad FILE               write(2) to FILE from an unmapped address\n"
	      "  pipe-size SIZE               fcntl(F_SETPIPE_SZ, SIZE) on a fresh pipe\n"
	      "  socket-type DOMAIN TYPE      socket(2), then its SO_TYPE\n"
	      "  clock-nanosleep FLAGS        clock_nanosleep(2) of 1 us on CLOCK_MONOTONIC\n"
	      "  remap-file-pages FLAGS       remap_file_pages(2) of a shared file mapping's\n"
	      "                               first page to the file's second page\n",
	      stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	errno = 0;
	if (!strcmp(cmd, "getpriority") && argc == 4) {
		/* The raw system call: the libc wrapper folds the result. */
		return result(syscall(SYS_getpriority, atoi(argv[2]), atoi(argv[3])));
	}
	if ((!strcmp(cmd, "sethostname") || !strcmp(cmd, "setdomainname")) && argc == 3) {
		long nr = cmd[3] == 'h' ? SYS_sethostname : SYS_setdomainname;

		if (!strcmp(argv[2], "--bad"))
			return result(syscall(nr, unmapped(), 8));
		return result(syscall(nr, argv[2], strlen(argv[2])));
	}
	if (!strcmp(cmd, "io-destroy") && argc == 3)
		return result(syscall(SYS_io_destroy, strtoul(argv[2], NULL, 0)));
	if (!strcmp(cmd, "getdents") && argc == 4)
		return getdents(argv[2], argv[3]);
	if (!strcmp(cmd, "getown-ex") && argc == 3)
		return getown_ex(argv[2]);
	if (!strcmp(cmd, "comm-status") && argc == 3)
		return comm_status(argv[2]);
	if (!strcmp(cmd, "clock-nanosleep") && argc == 3) {
		struct timespec t = { .tv_sec = 0, .tv_nsec = 1000 };

		/* The raw system call: the libc wrapper returns the error. */
		return result(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC,
				      (int)strtol(argv[2], NULL, 0), &t, NULL));
	}
	if (!strcmp(cmd, "socket-type") && argc == 4)
		return socket_type(argv[2], argv[3]);
	if (!strcmp(cmd, "pipe-size") && argc == 3)
		return pipe_size(argv[2]);
	if (!strcmp(cmd, "remap-file-pages") && argc == 3)
		return remap_file_pages_flags(argv[2]);
	if (!strcmp(cmd, "write-bad") && argc == 3)
		return write_bad(argv[2]);
	usage();
	return 2;
}
