/*
 * runpre-check.c - before loading a live patch, compares each function it
 * replaces, as the running kernel has it (/proc/kallsyms for the address,
 * /proc/kcore for the bytes), with the code the patch was built against
 * (the module's klive_code_N and klive_mask_N arrays, named by its
 * klive_runpre_N=NAME,POS modinfo entries, MODULE:NAME,POS for a function
 * of a module).  The module repeats the check in the kernel; this one also
 * catches modules the kernel would refuse for another reason first, and
 * names the function to the user.  A module's function is checked here when
 * that module is loaded; otherwise the patch checks it when the module
 * comes.
 */
#include "runpre-check.h"
#include "../elf/elf.h"
#include "../util/util.h"

#include <fcntl.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct fingerprint {
	const unsigned char *code, *mask;
	size_t size;
};

static int find_fingerprint(struct kl_elf *ko, size_t n, struct fingerprint *fp)
{
	char code[32], mask[32];
	struct kl_symbol *c, *m;

	snprintf(code, sizeof(code), "klive_code_%zu", n);
	snprintf(mask, sizeof(mask), "klive_mask_%zu", n);
	c = kl_find_symbol(ko, code);
	m = kl_find_symbol(ko, mask);
	if (!c || !m || !c->sec || !m->sec || !c->sec->data || !m->sec->data ||
	    c->size != m->size || c->value + c->size > c->sec->size ||
	    m->value + m->size > m->sec->size)
		return -1;
	fp->code = c->sec->data + c->value;
	fp->mask = m->sec->data + m->value;
	fp->size = c->size;
	return 0;
}

/* Whether a /proc/kallsyms line is of the object: vmlinux or [MODULE]. */
static bool line_of(const char *line, const char *module)
{
	const char *open = strchr(line, '[');
	size_t len;

	if (!module)
		return !open;
	len = strlen(module);
	return open && !strncmp(open + 1, module, len) && open[len + 1] == ']';
}

/* Address of the POS-th symbol NAME of vmlinux or a module (0: the only one). */
static int running_address(const char *module, const char *name,
			   unsigned long pos, unsigned long *addr)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	char line[1024], sym[512], type;
	unsigned long a, seen = 0;
	int found = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx %c %511s", &a, &type, sym) != 3 ||
		    !line_of(line, module))
			continue;
		if (strcmp(sym, name))
			continue;
		seen++;
		if (pos == 0 ? seen == 1 : seen == pos) {
			*addr = a;
			found = 0;
		}
	}
	fclose(f);
	if (pos == 0 && seen != 1)
		found = -1;
	return found || !*addr ? -1 : 0;
}

/* Reads kernel memory through /proc/kcore's program headers. */
static int read_kernel(unsigned long addr, unsigned char *buf, size_t len)
{
	int fd = open("/proc/kcore", O_RDONLY | O_CLOEXEC), ret = -1;
	size_t i, nr;
	Elf *e;

	if (fd < 0)
		return -1;
	elf_version(EV_CURRENT);
	e = elf_begin(fd, ELF_C_READ, NULL);
	if (!e || elf_getphdrnum(e, &nr))
		goto out;
	for (i = 0; i < nr; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(e, i, &ph) || ph.p_type != PT_LOAD ||
		    addr < ph.p_vaddr || addr + len > ph.p_vaddr + ph.p_filesz)
			continue;
		if (pread(fd, buf, len, ph.p_offset + (addr - ph.p_vaddr)) ==
		    (ssize_t)len)
			ret = 0;
		break;
	}
out:
	if (e)
		elf_end(e);
	close(fd);
	return ret;
}

static int check_one(const char *path, const char *entry,
		     const struct fingerprint *fp)
{
	char *module = xstrdup(entry), *comma = strrchr(module, ',');
	char *colon = strchr(module, ':'), *name = module;
	unsigned long pos = comma ? strtoul(comma + 1, NULL, 10) : 0, addr = 0;
	unsigned char *running;
	size_t i;
	int ret = 0;

	if (comma)
		*comma = '\0';
	if (colon) {
		*colon = '\0';
		name = colon + 1;
	} else {
		module = NULL;
	}
	running = xmalloc(fp->size);
	if (running_address(module, name, pos, &addr) ||
	    read_kernel(addr, running, fp->size)) {
		kl_debug("%s: cannot read %s%s%s of the running kernel; the patch checks it itself%s",
			 path, module ? module : "", module ? ":" : "", name,
			 module ? " when the module loads" : "");
		goto out;
	}
	for (i = 0; i < fp->size; i++) {
		if (!((running[i] ^ fp->code[i]) & fp->mask[i]))
			continue;
		kl_err("%s: run-pre check failed: %s%s%s,%lu differs from the code the patch was built against at offset 0x%zx (running 0x%02x, expected 0x%02x); nothing patched",
		       path, module ? module : "", module ? ":" : "", name,
		       pos, i, running[i], fp->code[i]);
		ret = -1;
		break;
	}
out:
	free(running);
	free(colon ? module : name);
	return ret;
}

int runpre_check_module(const char *path)
{
	struct kl_elf *ko = kl_elf_open(path);
	struct kl_section *info;
	size_t off, n;
	int ret = 0;

	if (!ko)
		return -1;
	info = kl_find_section(ko, ".modinfo");
	for (off = 0; info && info->data && off < info->size && !ret;
	     off += strlen((char *)info->data + off) + 1) {
		const char *kv = (const char *)info->data + off;
		struct fingerprint fp;

		if (sscanf(kv, "klive_runpre_%zu=", &n) != 1)
			continue;
		if (find_fingerprint(ko, n, &fp)) {
			kl_err("%s: damaged live patch: no code fingerprint %zu",
			       path, n);
			ret = -1;
			break;
		}
		ret = check_one(path, strchr(kv, '=') + 1, &fp);
	}
	kl_elf_free(ko);
	return ret;
}
