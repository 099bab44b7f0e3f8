/*
 * klp.c - the last step of a live patch module: its references to symbols
 * the module loader cannot resolve (.klp.sym.OBJ.NAME,POS) become livepatch
 * symbols (SHN_LIVEPATCH), and the relocations using them move to
 * .klp.rela.OBJ.SECTION sections, which livepatch applies itself
 * (Documentation/livepatch/module-elf-format.rst).
 */
#include "emit.h"
#include "../util/util.h"

#include <stdlib.h>
#include <string.h>

#define KLP_SYM_PREFIX ".klp.sym."

static bool is_klp_symbol(const struct kl_symbol *sym)
{
	return str_starts(sym->name, KLP_SYM_PREFIX);
}

/* ".klp.sym.vmlinux.foo,0" -> "vmlinux" */
static char *klp_objname(const struct kl_symbol *sym)
{
	const char *p = sym->name + strlen(KLP_SYM_PREFIX);

	return xstrndup(p, strcspn(p, "."));
}

static struct kl_section *klp_section_for(struct kl_elf *elf,
					  struct kl_section *base,
					  const char *objname)
{
	char *name = xasprintf(".klp.rela.%s.%s", objname, base->name);
	struct kl_section *sec = kl_find_section(elf, name);

	if (!sec) {
		sec = kl_add_rela_section(elf, base, name);
		sec->sh.sh_flags = SHF_ALLOC | SHF_INFO_LINK |
				   SHF_RELA_LIVEPATCH;
		/* kl_add_rela_section made it the base's rela only if none. */
		if (base->rela == sec)
			base->rela = NULL;
	}
	free(name);
	return sec;
}

static void split_relas(struct kl_elf *elf, struct kl_section *rela)
{
	size_t i, kept = 0;

	for (i = 0; i < rela->nr_relas; i++) {
		struct kl_rela r = rela->relas[i];

		if (is_klp_symbol(r.sym)) {
			char *obj = klp_objname(r.sym);
			struct kl_section *klp = klp_section_for(elf,
								 rela->base,
								 obj);

			kl_add_rela(klp, r.offset, r.type, r.sym, r.addend);
			free(obj);
		} else {
			rela->relas[kept++] = r;
		}
	}
	rela->nr_relas = kept;
}

int klp_convert(const char *in_path, const char *out_path)
{
	struct kl_elf *elf = kl_elf_open(in_path);
	size_t i, nr_secs;
	int ret;

	if (!elf)
		return -1;
	for (i = 0; i < elf->nr_syms; i++) {
		struct kl_symbol *sym = elf->syms[i];

		if (!is_klp_symbol(sym))
			continue;
		if (!kl_sym_is_undef(sym)) {
			kl_err("%s: livepatch symbol %s is defined in the module",
			       in_path, sym->name);
			kl_elf_free(elf);
			return -1;
		}
		sym->shndx_special = SHN_LIVEPATCH;
		sym->bind = STB_GLOBAL;
		sym->type = STT_NOTYPE;
	}
	nr_secs = elf->nr_secs;
	for (i = 0; i < nr_secs; i++) {
		struct kl_section *sec = elf->secs[i];

		if (kl_is_rela(sec) &&
		    !(sec->sh.sh_flags & SHF_RELA_LIVEPATCH))
			split_relas(elf, sec);
	}
	ret = kl_elf_write(elf, out_path);
	kl_elf_free(elf);
	return ret;
}
