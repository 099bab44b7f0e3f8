/* write.c - lays out the klive ELF model as a fresh relocatable object file. */
#include "elf.h"
#include "../util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct strtab {
	char *buf;
	size_t len, cap;
};

static size_t strtab_add(struct strtab *t, const char *s)
{
	size_t n = strlen(s) + 1, off;

	if (t->len + n > t->cap) {
		t->cap = (t->len + n) * 2 + 256;
		t->buf = xrealloc(t->buf, t->cap);
	}
	off = t->len;
	memcpy(t->buf + off, s, n);
	t->len += n;
	return off;
}

/* Locals first, as the ELF format requires; returns the first global. */
static size_t order_symbols(struct kl_elf *elf, struct kl_symbol **order)
{
	size_t i, n = 0, first_global;

	for (i = 0; i < elf->nr_syms; i++)
		if (elf->syms[i]->bind == STB_LOCAL)
			order[n++] = elf->syms[i];
	first_global = n;
	for (i = 0; i < elf->nr_syms; i++)
		if (elf->syms[i]->bind != STB_LOCAL)
			order[n++] = elf->syms[i];
	for (i = 0; i < n; i++)
		order[i]->index = i + 1;
	return first_global + 1;
}

static bool set_data(Elf_Scn *scn, void *buf, size_t size, size_t align,
		     Elf_Type type)
{
	Elf_Data *d = elf_newdata(scn);

	if (!d)
		return false;
	d->d_buf = buf;
	d->d_size = size;
	d->d_align = align ? align : 1;
	d->d_type = type;
	d->d_version = EV_CURRENT;
	return true;
}

static void *rela_buffer(struct kl_section *sec)
{
	Elf64_Rela *out = xzalloc(sec->nr_relas * sizeof(*out) + 1);
	size_t i;

	for (i = 0; i < sec->nr_relas; i++) {
		out[i].r_offset = sec->relas[i].offset;
		out[i].r_info = ELF64_R_INFO(sec->relas[i].sym->index,
					     sec->relas[i].type);
		out[i].r_addend = sec->relas[i].addend;
	}
	return out;
}

static void *group_buffer(struct kl_section *sec)
{
	uint32_t *out = xzalloc((sec->nr_members + 1) * 4);
	size_t i;

	memcpy(out, sec->data, 4);
	for (i = 0; i < sec->nr_members; i++)
		out[i + 1] = sec->members[i]->index;
	return out;
}

static void *symbol_buffer(struct kl_elf *elf, struct kl_symbol **order,
			   struct strtab *strs)
{
	Elf64_Sym *out = xzalloc((elf->nr_syms + 1) * sizeof(*out));
	size_t i;

	for (i = 0; i < elf->nr_syms; i++) {
		struct kl_symbol *s = order[i];
		Elf64_Sym *o = &out[i + 1];

		o->st_name = s->type == STT_SECTION ? 0 :
			     strtab_add(strs, s->name);
		o->st_info = ELF64_ST_INFO(s->bind, s->type);
		o->st_other = s->other;
		o->st_shndx = s->sec ? s->sec->index : s->shndx_special;
		o->st_value = s->value;
		o->st_size = s->size;
	}
	return out;
}

struct writer {
	Elf *e;
	void **buffers;
	size_t nr_buffers;
};

static void keep(struct writer *w, void *buf)
{
	w->buffers = xrealloc(w->buffers, (w->nr_buffers + 1) * sizeof(buf));
	w->buffers[w->nr_buffers++] = buf;
}

static bool add_scn(struct writer *w, GElf_Shdr *sh, void *buf, size_t size,
		    Elf_Type type)
{
	Elf_Scn *scn = elf_newscn(w->e);

	if (!scn)
		return false;
	if (!set_data(scn, buf, size, sh->sh_addralign, type))
		return false;
	sh->sh_size = size;
	return gelf_update_shdr(scn, sh);
}

static int emit(struct kl_elf *elf, struct writer *w)
{
	struct strtab shstrs = { 0 }, strs = { 0 };
	struct kl_symbol **order;
	size_t i, first_global, symtab_index, strtab_index, shstrtab_index;
	GElf_Ehdr eh;
	GElf_Shdr sh;
	int ret = -1;

	strtab_add(&shstrs, "");
	strtab_add(&strs, "");
	for (i = 0; i < elf->nr_secs; i++)
		elf->secs[i]->index = i + 1;
	symtab_index = elf->nr_secs + 1;
	strtab_index = symtab_index + 1;
	shstrtab_index = strtab_index + 1;
	order = xzalloc((elf->nr_syms + 1) * sizeof(*order));
	first_global = order_symbols(elf, order);

	for (i = 0; i < elf->nr_secs; i++) {
		struct kl_section *sec = elf->secs[i];
		void *buf = sec->data;
		size_t size = sec->size;
		Elf_Type type = ELF_T_BYTE;

		sh = sec->sh;
		sh.sh_name = strtab_add(&shstrs, sec->name);
		sh.sh_offset = 0;
		if (kl_is_rela(sec)) {
			buf = rela_buffer(sec);
			keep(w, buf);
			size = sec->nr_relas * sizeof(Elf64_Rela);
			sh.sh_link = symtab_index;
			sh.sh_info = sec->base->index;
			sh.sh_entsize = sizeof(Elf64_Rela);
			type = ELF_T_RELA;
		} else if (sh.sh_type == SHT_GROUP) {
			buf = group_buffer(sec);
			keep(w, buf);
			size = (sec->nr_members + 1) * 4;
			sh.sh_link = symtab_index;
			type = ELF_T_WORD;
		} else {
			sh.sh_link = sec->link ? sec->link->index : 0;
		}
		if (!add_scn(w, &sh, buf, size, type))
			goto out;
	}

	{
		void *syms = symbol_buffer(elf, order, &strs);

		keep(w, syms);
		memset(&sh, 0, sizeof(sh));
		sh.sh_name = strtab_add(&shstrs, ".symtab");
		sh.sh_type = SHT_SYMTAB;
		sh.sh_link = strtab_index;
		sh.sh_info = first_global;
		sh.sh_addralign = 8;
		sh.sh_entsize = sizeof(Elf64_Sym);
		if (!add_scn(w, &sh, syms, (elf->nr_syms + 1) * sizeof(Elf64_Sym),
			     ELF_T_SYM))
			goto out;
	}
	memset(&sh, 0, sizeof(sh));
	sh.sh_name = strtab_add(&shstrs, ".strtab");
	sh.sh_type = SHT_STRTAB;
	sh.sh_addralign = 1;
	if (!add_scn(w, &sh, strs.buf, strs.len, ELF_T_BYTE))
		goto out;
	memset(&sh, 0, sizeof(sh));
	sh.sh_name = strtab_add(&shstrs, ".shstrtab");
	sh.sh_type = SHT_STRTAB;
	sh.sh_addralign = 1;
	/* The buffer may still grow: add its data only now. */
	if (!add_scn(w, &sh, shstrs.buf, shstrs.len, ELF_T_BYTE))
		goto out;

	if (!gelf_getehdr(w->e, &eh))
		goto out;
	memcpy(eh.e_ident, elf->ehdr.e_ident, EI_NIDENT);
	eh.e_type = elf->ehdr.e_type;
	eh.e_machine = elf->ehdr.e_machine;
	eh.e_version = elf->ehdr.e_version;
	eh.e_flags = elf->ehdr.e_flags;
	eh.e_shstrndx = shstrtab_index;
	if (!gelf_update_ehdr(w->e, &eh))
		goto out;
	if (elf_update(w->e, ELF_C_WRITE) < 0)
		goto out;
	ret = 0;
out:
	keep(w, strs.buf);
	keep(w, shstrs.buf);
	free(order);
	return ret;
}

/* Writes to a temporary name first, so a failure leaves no partial file. */
int kl_elf_write(struct kl_elf *elf, const char *path)
{
	struct writer w = { 0 };
	char *tmp = xasprintf("%s.tmp.%d", path, (int)getpid());
	int fd, ret = -1;
	size_t i;

	/* Three sections are added: .symtab, .strtab, .shstrtab. */
	if (elf->nr_secs + 4 >= SHN_LORESERVE) {
		kl_err("cannot write '%s': %zu sections is more than klive writes",
		       path, elf->nr_secs);
		free(tmp);
		return -1;
	}
	elf_version(EV_CURRENT);
	fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		kl_err("cannot create '%s': %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	w.e = elf_begin(fd, ELF_C_WRITE, NULL);
	if (!w.e || !gelf_newehdr(w.e, ELFCLASS64) || emit(elf, &w)) {
		kl_err("cannot write '%s': %s", path, elf_errmsg(-1));
		goto out;
	}
	ret = 0;
out:
	if (w.e)
		elf_end(w.e);
	if (close(fd) < 0 && !ret) {
		kl_err("cannot write '%s': %s", path, strerror(errno));
		ret = -1;
	}
	if (!ret && rename(tmp, path) < 0) {
		kl_err("cannot create '%s': %s", path, strerror(errno));
		ret = -1;
	}
	if (ret)
		unlink(tmp);
	for (i = 0; i < w.nr_buffers; i++)
		free(w.buffers[i]);
	free(w.buffers);
	free(tmp);
	return ret;
}
