/* rawelf.c - reads an object file with plain libelf, for cross-checking. */
#include "rawelf.h"
#include "unit.h"

#include <fcntl.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int raw_open(struct raw_elf *r, const char *path)
{
	size_t shstrndx, i;

	memset(r, 0, sizeof(*r));
	elf_version(EV_CURRENT);
	r->fd = open(path, O_RDONLY);
	if (r->fd < 0)
		return -fail("cannot open %s", path);
	r->e = elf_begin(r->fd, ELF_C_READ, NULL);
	if (!r->e || elf_kind(r->e) != ELF_K_ELF || !gelf_getehdr(r->e, &r->eh))
		return -fail("%s: libelf cannot read it: %s", path,
			     elf_errmsg(-1));
	if (elf_getshdrnum(r->e, &r->shnum) ||
	    elf_getshdrstrndx(r->e, &shstrndx))
		return -fail("%s: no section headers: %s", path,
			     elf_errmsg(-1));
	r->secs = calloc(r->shnum, sizeof(*r->secs));
	if (!r->secs)
		abort();
	r->secs[0].name = "";
	for (i = 1; i < r->shnum; i++) {
		struct raw_sec *s = &r->secs[i];
		Elf_Scn *scn = elf_getscn(r->e, i);
		Elf_Data *d;

		if (!scn || !gelf_getshdr(scn, &s->sh))
			return -fail("%s: section %zu unreadable", path, i);
		s->name = elf_strptr(r->e, shstrndx, s->sh.sh_name);
		if (!s->name)
			return -fail("%s: section %zu has no name (e_shstrndx %u, %zu sections)",
				     path, i, r->eh.e_shstrndx, r->shnum);
		s->size = s->sh.sh_size;
		if (s->sh.sh_type != SHT_NOBITS) {
			d = elf_getdata(scn, NULL);
			if (s->size && (!d || d->d_size != s->size))
				return -fail("%s: data of %s unreadable", path,
					     s->name);
			s->data = d ? d->d_buf : NULL;
		}
		if (s->sh.sh_type == SHT_SYMTAB) {
			if (r->symtab)
				return -fail("%s: two symbol tables", path);
			r->symtab = i;
		}
	}
	if (r->symtab) {
		Elf_Data *d = elf_getdata(elf_getscn(r->e, r->symtab), NULL);
		Elf_Data *x = NULL;

		for (i = 1; i < r->shnum; i++)
			if (r->secs[i].sh.sh_type == SHT_SYMTAB_SHNDX &&
			    r->secs[i].sh.sh_link == r->symtab)
				x = elf_getdata(elf_getscn(r->e, i), NULL);

		if (!r->secs[r->symtab].sh.sh_entsize)
			return -fail("%s: symbol table entsize 0", path);
		r->nr_syms = r->secs[r->symtab].sh.sh_size /
			     r->secs[r->symtab].sh.sh_entsize;
		r->syms = calloc(r->nr_syms + 1, sizeof(*r->syms));
		r->xndx = calloc(r->nr_syms + 1, sizeof(*r->xndx));
		if (!r->syms || !r->xndx)
			abort();
		for (i = 0; i < r->nr_syms; i++)
			if (!gelf_getsymshndx(d, x, i, &r->syms[i], &r->xndx[i]))
				return -fail("%s: symbol %zu unreadable", path,
					     i);
	}
	return 0;
}

void raw_close(struct raw_elf *r)
{
	if (r->e)
		elf_end(r->e);
	if (r->fd > 0)
		close(r->fd);
	free(r->secs);
	free(r->syms);
	free(r->xndx);
	memset(r, 0, sizeof(*r));
}

size_t raw_sym_shndx(const struct raw_elf *r, size_t i)
{
	unsigned int shndx = r->syms[i].st_shndx;

	return shndx == SHN_XINDEX ? r->xndx[i] : shndx;
}

const char *raw_sym_name(const struct raw_elf *r, size_t i)
{
	const GElf_Sym *s = &r->syms[i];
	size_t shndx = raw_sym_shndx(r, i);
	const char *name;

	if (GELF_ST_TYPE(s->st_info) == STT_SECTION && shndx &&
	    shndx < r->shnum &&
	    (shndx < SHN_LORESERVE || s->st_shndx == SHN_XINDEX))
		return r->secs[shndx].name;
	name = elf_strptr(r->e, r->secs[r->symtab].sh.sh_link, s->st_name);
	return name ? name : "<bad name>";
}

const char *raw_sym_section(const struct raw_elf *r, size_t i)
{
	size_t shndx = raw_sym_shndx(r, i);

	if (r->syms[i].st_shndx == SHN_XINDEX)
		return shndx < r->shnum ? r->secs[shndx].name : "<bad xindex>";
	switch (shndx) {
	case SHN_UNDEF:
		return "*UND*";
	case SHN_ABS:
		return "*ABS*";
	case SHN_COMMON:
		return "*COM*";
	default:
		if (shndx >= SHN_LORESERVE)
			return "<reserved index>";
		return shndx < r->shnum ? r->secs[shndx].name : "<bad shndx>";
	}
}

size_t raw_find(const struct raw_elf *r, const char *name)
{
	size_t i;

	for (i = 1; i < r->shnum; i++)
		if (!strcmp(r->secs[i].name, name))
			return i;
	return 0;
}

bool raw_is_regenerated(const struct raw_elf *r, size_t i)
{
	unsigned int type = r->secs[i].sh.sh_type;

	return type == SHT_SYMTAB || type == SHT_STRTAB ||
	       type == SHT_SYMTAB_SHNDX;
}

size_t raw_nr_relas(const struct raw_elf *r, size_t i)
{
	return r->secs[i].sh.sh_entsize ?
	       r->secs[i].size / r->secs[i].sh.sh_entsize : 0;
}

void raw_rela(const struct raw_elf *r, size_t i, size_t j, GElf_Rela *out)
{
	Elf_Data *d = elf_getdata(elf_getscn(r->e, i), NULL);

	if (!d || !gelf_getrela(d, j, out))
		memset(out, 0, sizeof(*out));
}
