/* read.c - loads an ELF64 relocatable object into the klive ELF model. */
#include "elf.h"
#include "../util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct reader {
	struct kl_elf *elf;
	const char *path;
	Elf *e;
	size_t shnum;
	struct kl_section **by_index;	/* file section index -> model */
	struct kl_symbol **sym_by_index;
	size_t nr_file_syms;
};

/* Sections are far smaller: larger addends are not from a compiler. */
#define MAX_ADDEND	((int64_t)1 << 40)

static int bad(struct reader *r, const char *what)
{
	kl_err("%s: malformed object: %s", r->path, what);
	return -1;
}

static bool is_regenerated(const GElf_Shdr *sh)
{
	return sh->sh_type == SHT_SYMTAB || sh->sh_type == SHT_STRTAB ||
	       sh->sh_type == SHT_SYMTAB_SHNDX;
}

static int read_sections(struct reader *r)
{
	size_t shstrndx, i;
	Elf_Scn *scn;

	if (elf_getshdrnum(r->e, &r->shnum) || elf_getshdrstrndx(r->e, &shstrndx))
		return bad(r, "no section headers");
	r->by_index = xzalloc(r->shnum * sizeof(*r->by_index));
	for (i = 1; i < r->shnum; i++) {
		struct kl_section *sec;
		Elf_Data *data;
		GElf_Shdr sh;
		const char *name;

		scn = elf_getscn(r->e, i);
		if (!scn || !gelf_getshdr(scn, &sh))
			return bad(r, "unreadable section header");
		if (is_regenerated(&sh))
			continue;
		name = elf_strptr(r->e, shstrndx, sh.sh_name);
		if (!name)
			return bad(r, "section name out of range");
		data = elf_getdata(scn, NULL);
		if (sh.sh_type != SHT_NOBITS && sh.sh_size &&
		    (!data || data->d_size != sh.sh_size))
			return bad(r, "section data out of range");
		sec = kl_add_section(r->elf, name, &sh,
				     sh.sh_type == SHT_NOBITS ? NULL :
				     data ? data->d_buf : NULL,
				     sh.sh_size);
		r->by_index[i] = sec;
	}
	return 0;
}

static Elf_Scn *find_symtab(struct reader *r, GElf_Shdr *symsh,
			    Elf_Data **shndx_data)
{
	Elf_Scn *scn = NULL, *symtab = NULL;
	GElf_Shdr sh;

	*shndx_data = NULL;
	while ((scn = elf_nextscn(r->e, scn))) {
		if (!gelf_getshdr(scn, &sh))
			continue;
		if (sh.sh_type == SHT_SYMTAB) {
			symtab = scn;
			*symsh = sh;
		} else if (sh.sh_type == SHT_SYMTAB_SHNDX) {
			*shndx_data = elf_getdata(scn, NULL);
		}
	}
	return symtab;
}

static int read_symbols(struct reader *r)
{
	Elf_Data *data, *shndx_data;
	GElf_Shdr symsh;
	Elf_Scn *scn;
	size_t i, n;

	scn = find_symtab(r, &symsh, &shndx_data);
	if (!scn)
		return bad(r, "no symbol table");
	data = elf_getdata(scn, NULL);
	if (!data || !symsh.sh_entsize)
		return bad(r, "unreadable symbol table");
	n = symsh.sh_size / symsh.sh_entsize;
	r->nr_file_syms = n;
	r->sym_by_index = xzalloc((n ? n : 1) * sizeof(*r->sym_by_index));
	for (i = 1; i < n; i++) {
		struct kl_symbol *sym;
		Elf32_Word xndx = 0;
		const char *name;
		size_t shndx;
		GElf_Sym gs;

		if (!gelf_getsymshndx(data, shndx_data, i, &gs, &xndx))
			return bad(r, "unreadable symbol");
		name = elf_strptr(r->e, symsh.sh_link, gs.st_name);
		if (!name)
			return bad(r, "symbol name out of range");
		shndx = gs.st_shndx == SHN_XINDEX ? xndx : gs.st_shndx;
		sym = kl_add_symbol(r->elf, name, GELF_ST_TYPE(gs.st_info),
				    GELF_ST_BIND(gs.st_info), NULL,
				    gs.st_value, gs.st_size);
		sym->other = gs.st_other;
		if (shndx == SHN_UNDEF || shndx == SHN_ABS ||
		    shndx == SHN_COMMON || shndx == SHN_LIVEPATCH) {
			sym->shndx_special = shndx;
		} else {
			if (shndx >= r->shnum || !r->by_index[shndx])
				return bad(r, "symbol in a missing section");
			sym->sec = r->by_index[shndx];
			if (sym->type == STT_SECTION && !sym->sec->secsym)
				sym->sec->secsym = sym;
		}
		if (sym->type == STT_SECTION && !sym->sec)
			return bad(r, "section symbol without a section");
		if (sym->sec && (sym->value > sym->sec->sh.sh_size ||
				 ((sym->type == STT_FUNC ||
				   sym->type == STT_OBJECT) &&
				  sym->size > sym->sec->sh.sh_size - sym->value)))
			return bad(r, "symbol extends past its section");
		if (sym->type == STT_SECTION && !*name)
			kl_rename_symbol(r->elf, sym, sym->sec->name);
		r->sym_by_index[i] = sym;
	}
	/* Sections were set after the symbols were added. */
	r->elf->sec_syms_valid = false;
	return 0;
}

static int read_relas(struct reader *r, struct kl_section *sec)
{
	size_t i, n;

	if (!sec->sh.sh_entsize || sec->sh.sh_entsize != sizeof(Elf64_Rela))
		return bad(r, "relocation section with a wrong entry size");
	if (sec->sh.sh_info >= r->shnum || !r->by_index[sec->sh.sh_info])
		return bad(r, "relocation section for a missing section");
	sec->base = r->by_index[sec->sh.sh_info];
	if (!sec->base->rela)
		sec->base->rela = sec;
	n = sec->size / sizeof(Elf64_Rela);
	for (i = 0; i < n; i++) {
		Elf64_Rela rel;
		size_t symi;

		memcpy(&rel, sec->data + i * sizeof(rel), sizeof(rel));
		symi = ELF64_R_SYM(rel.r_info);
		if (!symi || symi >= r->nr_file_syms)
			return bad(r, "relocation against a missing symbol");
		if (sec->base->sh.sh_type != SHT_NOBITS &&
		    rel.r_offset + kl_rela_width(ELF64_R_TYPE(rel.r_info)) >
		    sec->base->sh.sh_size)
			return bad(r, "relocation outside its section");
		if (rel.r_addend > MAX_ADDEND || rel.r_addend < -MAX_ADDEND)
			return bad(r, "relocation addend out of range");
		kl_add_rela(sec, rel.r_offset, ELF64_R_TYPE(rel.r_info),
			    r->sym_by_index[symi], rel.r_addend);
	}
	free(sec->data);
	sec->data = NULL;
	sec->size = 0;
	return 0;
}

static int read_group(struct reader *r, struct kl_section *sec)
{
	size_t i, n = sec->size / 4;
	uint32_t idx;

	for (i = 1; i < n; i++) {
		memcpy(&idx, sec->data + 4 * i, 4);
		if (idx >= r->shnum || !r->by_index[idx])
			return bad(r, "group member missing");
		sec->members = xrealloc(sec->members, (sec->nr_members + 1) *
					sizeof(*sec->members));
		sec->members[sec->nr_members++] = r->by_index[idx];
	}
	return 0;
}

static int link_sections(struct reader *r)
{
	size_t i;

	for (i = 1; i < r->shnum; i++) {
		struct kl_section *sec = r->by_index[i];

		if (!sec)
			continue;
		if (sec->sh.sh_type == SHT_REL) {
			return bad(r, "SHT_REL relocations are not supported");
		} else if (kl_is_rela(sec)) {
			if (read_relas(r, sec))
				return -1;
		} else if (sec->sh.sh_type == SHT_GROUP) {
			if (read_group(r, sec))
				return -1;
		} else if (sec->sh.sh_link && sec->sh.sh_link < r->shnum) {
			sec->link = r->by_index[sec->sh.sh_link];
		}
	}
	return 0;
}

/* Reads the object libelf opened; frees everything on failure. */
static struct kl_elf *read_object(Elf *e, const char *path)
{
	struct reader r = { .path = path, .e = e };
	int ret = -1;

	r.elf = kl_elf_new();
	r.elf->path = xstrdup(path);
	if (!r.e || elf_kind(r.e) != ELF_K_ELF) {
		kl_err("%s: not an ELF file", path);
		goto out;
	}
	if (!gelf_getehdr(r.e, &r.elf->ehdr) ||
	    gelf_getclass(r.e) != ELFCLASS64) {
		kl_err("%s: not an ELF64 object", path);
		goto out;
	}
	if (r.elf->ehdr.e_type != ET_REL ||
	    r.elf->ehdr.e_machine != EM_X86_64) {
		kl_err("%s: not an x86-64 relocatable object", path);
		goto out;
	}
	if (r.elf->ehdr.e_ident[EI_DATA] != ELFDATA2LSB) {
		kl_err("%s: not a little-endian object", path);
		goto out;
	}
	if (read_sections(&r) || read_symbols(&r) || link_sections(&r))
		goto out;
	ret = 0;
out:
	if (r.e)
		elf_end(r.e);
	free(r.by_index);
	free(r.sym_by_index);
	if (ret) {
		kl_elf_free(r.elf);
		return NULL;
	}
	return r.elf;
}

struct kl_elf *kl_elf_open(const char *path)
{
	struct kl_elf *elf;
	int fd;

	elf_version(EV_CURRENT);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		kl_err("cannot open '%s': %s", path, strerror(errno));
		return NULL;
	}
	elf = read_object(elf_begin(fd, ELF_C_READ_MMAP, NULL), path);
	close(fd);
	return elf;
}

struct kl_elf *kl_elf_open_memory(const char *name, const void *buf,
				  size_t size)
{
	char *copy = xmalloc(size ? size : 1);
	struct kl_elf *elf;

	elf_version(EV_CURRENT);
	memcpy(copy, buf, size);
	elf = read_object(elf_memory(copy, size), name);
	free(copy);
	return elf;
}
