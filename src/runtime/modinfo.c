/*
 * modinfo.c - reads and checks the identity of a live patch module (.ko):
 * its name, the livepatch mark and the kernel release it was built for.
 */
#define _GNU_SOURCE
#include "modinfo.h"
#include "../elf/elf.h"
#include "../util/util.h"

#include <elf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

/*
 * struct module starts with an enum (padded to 8 bytes) and a list_head;
 * the name the kernel registers the module under follows.
 */
#define THIS_MODULE_NAME_OFFSET	24
#define MODULE_NAME_MAX		56

static void not_module(const char *path, const char *why)
{
	kl_err("%s: not a kernel module (%s)", path, why);
}

static void get_shdr(const unsigned char *buf, uint64_t off, uint64_t i,
		     Elf64_Shdr *sh)
{
	memcpy(sh, buf + off + i * sizeof(*sh), sizeof(*sh));
}

static const char *check_section_table(const unsigned char *buf, size_t len,
				       const Elf64_Ehdr *eh)
{
	uint64_t shnum = eh->e_shnum, i;
	Elf64_Shdr sh;

	if (!eh->e_shoff || eh->e_shentsize != sizeof(Elf64_Shdr))
		return "no section headers";
	if (eh->e_shoff > len || len - eh->e_shoff < sizeof(Elf64_Shdr))
		return "truncated or corrupted: section headers out of range";
	if (!shnum) {
		get_shdr(buf, eh->e_shoff, 0, &sh);
		shnum = sh.sh_size;
	}
	if (shnum > (len - eh->e_shoff) / sizeof(Elf64_Shdr))
		return "truncated or corrupted: section headers out of range";
	for (i = 1; i < shnum; i++) {
		get_shdr(buf, eh->e_shoff, i, &sh);
		if (sh.sh_type == SHT_NOBITS)
			continue;
		if (sh.sh_offset > len || sh.sh_size > len - sh.sh_offset)
			return "truncated or corrupted: section data out of range";
	}
	return NULL;
}

/* What is wrong with the file's ELF header, or NULL if it may be a module. */
static const char *check_header(const unsigned char *buf, size_t len)
{
	Elf64_Ehdr eh;

	if (len < sizeof(eh) || memcmp(buf, ELFMAG, SELFMAG))
		return "not an ELF file";
	if (buf[EI_CLASS] != ELFCLASS64)
		return "not a 64-bit ELF file";
	if (buf[EI_DATA] != ELFDATA2LSB)
		return "not a little-endian ELF file";
	memcpy(&eh, buf, sizeof(eh));
	if (eh.e_type != ET_REL)
		return "not a relocatable ELF object";
	if (eh.e_machine != EM_X86_64)
		return "not built for x86-64";
	return check_section_table(buf, len, &eh);
}

static int precheck(const char *path)
{
	const char *why;
	size_t len;
	char *buf;

	buf = read_file(path, &len);
	if (!buf)
		return -1;
	why = check_header((const unsigned char *)buf, len);
	free(buf);
	if (why) {
		not_module(path, why);
		return -1;
	}
	return 0;
}

static void add_entry(struct kl_modinfo *mi, const char *s, size_t len)
{
	const char *eq = memchr(s, '=', len);
	struct kl_modinfo_entry *e;

	if (!eq || eq == s)
		return;
	mi->entries = xrealloc(mi->entries,
			       (mi->nr_entries + 1) * sizeof(*mi->entries));
	e = &mi->entries[mi->nr_entries++];
	e->key = xasprintf("%.*s", (int)(eq - s), s);
	e->value = xasprintf("%.*s", (int)(len - (eq - s) - 1), eq + 1);
}

/* .modinfo is a run of NUL-terminated "key=value" strings, maybe padded. */
static void parse_modinfo(struct kl_modinfo *mi, const struct kl_section *sec)
{
	const char *p = (const char *)sec->data, *end = p + sec->size;
	size_t n;

	while (p < end) {
		n = strnlen(p, end - p);
		if (n)
			add_entry(mi, p, n);
		p += n + 1;
	}
}

/* The name stored in struct module, which the kernel registers. */
static char *this_module_name(const struct kl_section *sec)
{
	const char *name;
	size_t n, i;

	if (!sec->data || sec->size < THIS_MODULE_NAME_OFFSET + MODULE_NAME_MAX)
		return NULL;
	name = (const char *)sec->data + THIS_MODULE_NAME_OFFSET;
	n = strnlen(name, MODULE_NAME_MAX);
	if (!n || n == MODULE_NAME_MAX)
		return NULL;
	for (i = 0; i < n; i++)
		if ((unsigned char)name[i] <= ' ' || name[i] == '/' ||
		    (unsigned char)name[i] >= 0x7f)
			return NULL;
	return xstrdup(name);
}

static int fill_identity(struct kl_modinfo *mi, struct kl_elf *elf)
{
	const char *info_name, *magic, *sp;
	struct kl_section *info, *mod;

	info = kl_find_section(elf, ".modinfo");
	if (!info || !info->data) {
		not_module(mi->path, "no .modinfo section");
		return -1;
	}
	mod = kl_find_section(elf, ".gnu.linkonce.this_module");
	if (!mod) {
		not_module(mi->path, "no .gnu.linkonce.this_module section");
		return -1;
	}
	parse_modinfo(mi, info);
	info_name = kl_modinfo_get(mi, "name");
	mi->name = this_module_name(mod);
	if (!mi->name && info_name && *info_name)
		mi->name = xstrdup(info_name);
	if (!mi->name) {
		not_module(mi->path, "no module name");
		return -1;
	}
	if (info_name && strcmp(info_name, mi->name))
		kl_debug("%s: modinfo names it %s, the kernel will use %s",
			 mi->path, info_name, mi->name);
	mi->livepatch = kl_modinfo_get(mi, "livepatch") != NULL;
	magic = kl_modinfo_get(mi, "vermagic");
	if (magic) {
		mi->vermagic = xstrdup(magic);
		sp = magic + strcspn(magic, " \t");
		mi->release = xasprintf("%.*s", (int)(sp - magic), magic);
	}
	return 0;
}

struct kl_modinfo *kl_modinfo_read(const char *path)
{
	struct kl_modinfo *mi;
	struct kl_elf *elf;
	size_t i;

	if (precheck(path))
		return NULL;
	elf = kl_elf_open(path);
	if (!elf)
		return NULL;
	mi = xzalloc(sizeof(*mi));
	mi->path = xstrdup(path);
	if (fill_identity(mi, elf)) {
		kl_elf_free(elf);
		kl_modinfo_free(mi);
		return NULL;
	}
	kl_elf_free(elf);
	kl_debug("%s: module %s, vermagic '%s'", path, mi->name,
		 mi->vermagic ? mi->vermagic : "");
	for (i = 0; i < mi->nr_entries; i++)
		if (str_starts(mi->entries[i].key, "klive."))
			kl_debug("%s: %s=%s", path, mi->entries[i].key,
				 mi->entries[i].value);
	return mi;
}

int kl_modinfo_check(const struct kl_modinfo *mi)
{
	struct utsname u;

	if (!mi->livepatch) {
		kl_err("%s: not a live patch module (no livepatch modinfo)",
		       mi->path);
		return -1;
	}
	if (!mi->release || !*mi->release) {
		kl_err("%s: no vermagic: cannot tell which kernel it was built for",
		       mi->path);
		return -1;
	}
	if (uname(&u) < 0) {
		kl_err("cannot get the running kernel release");
		return -1;
	}
	if (strcmp(mi->release, u.release)) {
		kl_err("%s: built for kernel %s, running %s", mi->path,
		       mi->release, u.release);
		return -1;
	}
	return 0;
}

const char *kl_modinfo_get(const struct kl_modinfo *mi, const char *key)
{
	size_t i;

	for (i = 0; i < mi->nr_entries; i++)
		if (!strcmp(mi->entries[i].key, key))
			return mi->entries[i].value;
	return NULL;
}

void kl_modinfo_free(struct kl_modinfo *mi)
{
	size_t i;

	if (!mi)
		return;
	for (i = 0; i < mi->nr_entries; i++) {
		free(mi->entries[i].key);
		free(mi->entries[i].value);
	}
	free(mi->entries);
	free(mi->path);
	free(mi->name);
	free(mi->vermagic);
	free(mi->release);
	free(mi);
}

void kl_module_name_normalize(char *name)
{
	for (; *name; name++)
		if (*name == '-')
			*name = '_';
}
