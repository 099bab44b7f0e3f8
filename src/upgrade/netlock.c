/*
 * netlock.c - the TCP connections of the carried-over processes, and their
 * lock on the new kernel: until the restore has re-created their sockets,
 * an nftables table drops their packets, so that the new kernel, which has
 * no socket for them yet, does not answer the peer with a reset.  CRIU
 * locks them the same way on the old kernel during the dump.
 *
 * libnftables (which criu depends on) is loaded at run time: klive itself
 * does not need it for anything else.
 */
#define _GNU_SOURCE
#include "upgrade.h"
#include "../util/util.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LOCK_TABLE	"inet klive_upgrade_lock"
#define TCP_ESTABLISHED	1

/* The socket inodes open in the tasks. */
static void socket_inodes(const struct kl_pids *tasks, struct kl_pids *inodes)
{
	char dir[64], path[340], link[64];
	unsigned long ino;
	struct dirent *d;
	ssize_t n;
	size_t i;
	DIR *fds;

	for (i = 0; i < tasks->n; i++) {
		snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)tasks->pid[i]);
		fds = opendir(dir);
		while (fds && (d = readdir(fds))) {
			snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
			n = readlink(path, link, sizeof(link) - 1);
			if (n <= 0)
				continue;
			link[n] = '\0';
			if (sscanf(link, "socket:[%lu]", &ino) == 1)
				kl_pids_add(inodes, (pid_t)ino);
		}
		if (fds)
			closedir(fds);
	}
}

/* "0F02000A:1B58" (IPv4) or 32 hex digits (IPv6) to "addr port". */
static bool decode(const char *hex, bool v6, char *out, size_t len)
{
	unsigned char a[16];
	unsigned int port, w;
	char text[INET6_ADDRSTRLEN];
	int i, words = v6 ? 4 : 1;
	const char *colon = strchr(hex, ':');

	if (!colon || sscanf(colon + 1, "%x", &port) != 1)
		return false;
	for (i = 0; i < words; i++) {
		if (sscanf(hex + 8 * i, "%8x", &w) != 1)
			return false;
		/* Each 32-bit word is in the host's (little-endian) order. */
		memcpy(a + 4 * i, &w, 4);
	}
	if (!inet_ntop(v6 ? AF_INET6 : AF_INET, a, text, sizeof(text)))
		return false;
	snprintf(out, len, "%s %u", text, port);
	return true;
}

char *kl_netlock_connections(const struct kl_pids *tasks)
{
	static const char *const tables[] = { "/proc/net/tcp", "/proc/net/tcp6" };
	char line[512], local[96], remote[96], l[64], r[64];
	struct kl_pids inodes = { 0 };
	char *list = xstrdup(""), *t;
	unsigned long ino;
	unsigned int st;
	size_t i;
	FILE *f;

	socket_inodes(tasks, &inodes);
	for (i = 0; i < ARRAY_SIZE(tables) && inodes.n; i++) {
		f = fopen(tables[i], "re");
		while (f && fgets(line, sizeof(line), f)) {
			if (sscanf(line, " %*d: %63s %63s %x %*s %*s %*s %*s %*s %lu",
				   l, r, &st, &ino) != 4 ||
			    st != TCP_ESTABLISHED ||
			    !kl_pids_has(&inodes, (pid_t)ino) ||
			    !decode(l, i == 1, local, sizeof(local)) ||
			    !decode(r, i == 1, remote, sizeof(remote)))
				continue;
			/* "ip|ip6 LOCAL LPORT REMOTE RPORT", ';' between. */
			t = xasprintf("%s%s%s %s %s", list, *list ? ";" : "",
				      i == 1 ? "ip6" : "ip", local, remote);
			free(list);
			list = t;
		}
		if (f)
			fclose(f);
	}
	kl_pids_free(&inodes);
	return list;
}

struct nft {
	void *lib;
	void *ctx;
	void *(*ctx_new)(unsigned int flags);
	int (*run)(void *ctx, const char *buf);
	void (*ctx_free)(void *ctx);
};

static int nft_open(struct nft *n)
{
	n->lib = dlopen("libnftables.so.1", RTLD_NOW);
	if (!n->lib) {
		kl_err("upgrade: cannot load libnftables (installed with criu): %s",
		       dlerror());
		return -1;
	}
	n->ctx_new = (void *(*)(unsigned int))dlsym(n->lib, "nft_ctx_new");
	n->run = (int (*)(void *, const char *))dlsym(n->lib,
						      "nft_run_cmd_from_buffer");
	n->ctx_free = (void (*)(void *))dlsym(n->lib, "nft_ctx_free");
	n->ctx = n->ctx_new && n->run && n->ctx_free ? n->ctx_new(0) : NULL;
	if (!n->ctx) {
		kl_err("upgrade: libnftables does not work here");
		dlclose(n->lib);
		return -1;
	}
	return 0;
}

static void nft_close(struct nft *n)
{
	n->ctx_free(n->ctx);
	dlclose(n->lib);
}

int kl_netlock_lock(const char *conns)
{
	char *copy, *c, *save = NULL, *cmd, *t;
	char fam[4], l[64], r[64];
	unsigned int lp, rp;
	struct nft n;
	int ret;

	if (!conns || !*conns)
		return 0;
	if (nft_open(&n))
		return -1;
	cmd = xstrdup("add table " LOCK_TABLE "\n"
		      "add chain " LOCK_TABLE " in { type filter hook input priority -300; }\n"
		      "add chain " LOCK_TABLE " out { type filter hook output priority -300; }\n");
	copy = xstrdup(conns);
	for (c = strtok_r(copy, ";", &save); c; c = strtok_r(NULL, ";", &save)) {
		if (sscanf(c, "%3s %63s %u %63s %u", fam, l, &lp, r, &rp) != 5)
			continue;
		t = xasprintf("%sadd rule " LOCK_TABLE " in %s saddr %s %s daddr %s tcp sport %u tcp dport %u drop\n"
			      "add rule " LOCK_TABLE " out %s saddr %s %s daddr %s tcp sport %u tcp dport %u drop\n",
			      cmd, fam, r, fam, l, rp, lp, fam, l, fam, r, lp, rp);
		free(cmd);
		cmd = t;
	}
	ret = n.run(n.ctx, cmd);
	if (ret)
		kl_err("upgrade: cannot lock the TCP connections with nftables");
	free(copy);
	free(cmd);
	nft_close(&n);
	return ret ? -1 : 0;
}

void kl_netlock_unlock(const char *conns)
{
	struct nft n;

	if (!conns || !*conns || nft_open(&n))
		return;
	if (n.run(n.ctx, "delete table " LOCK_TABLE "\n"))
		kl_err("upgrade: cannot remove the nftables table %s", LOCK_TABLE);
	nft_close(&n);
}
