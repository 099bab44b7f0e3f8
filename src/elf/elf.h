/*
 * elf.h - klive's model of an ELF64 relocatable object (a .o or a .ko).
 *
 * Every stage reads and writes objects through this model, which sits on
 * libelf.  An object is a list of sections and a list of symbols; the
 * relocations of a SHT_RELA section are held as a list of entries that point
 * at symbols, so sections, symbols and relocations can be added, dropped and
 * renamed freely and kl_elf_write() lays out a fresh, consistent file.
 */
#ifndef KLIVE_ELF_H
#define KLIVE_ELF_H

#include <gelf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef SHN_LIVEPATCH
#define SHN_LIVEPATCH		0xff20
#endif
#ifndef SHF_RELA_LIVEPATCH
#define SHF_RELA_LIVEPATCH	0x00100000
#endif

struct kl_symbol;
struct kl_section;

struct kl_rela {
	uint64_t offset;
	uint32_t type;
	int64_t addend;
	struct kl_symbol *sym;
};

struct kl_section {
	char *name;
	GElf_Shdr sh;			/* type, flags, entsize, addralign... */
	size_t index;			/* index in the file read, or as written */
	unsigned char *data;		/* NULL for SHT_NOBITS */
	size_t size;

	/* For SHT_RELA: the section relocated, and the entries. */
	struct kl_section *base;
	struct kl_rela *relas;
	size_t nr_relas;

	/* For other sections: their SHT_RELA section, if any. */
	struct kl_section *rela;
	/* The STT_SECTION symbol of this section, if any. */
	struct kl_symbol *secsym;
	/* For SHT_GROUP: member sections. */
	struct kl_section **members;
	size_t nr_members;
	struct kl_section *link;	/* sh_link, for other section types */

	/* Symbols defined in this section (kl_section_symbols()). */
	struct kl_symbol **syms_in;
	size_t nr_syms_in;

	/* Free for the stages that use the model (diff, emit). */
	struct kl_section *twin;
	int status;
	bool include;
	unsigned int marks;		/* KL_MARK_*, from the patch author */
	void *priv;
	/* Freed with the section: what a stage hung on it (priv or not). */
	void *owned;
	void (*free_owned)(void *owned);
};

struct kl_symbol {
	char *name;
	unsigned char type;		/* STT_* */
	unsigned char bind;		/* STB_* */
	unsigned char other;		/* visibility */
	uint16_t shndx_special;		/* SHN_UNDEF/ABS/COMMON/LIVEPATCH if !sec */
	struct kl_section *sec;
	uint64_t value;
	uint64_t size;
	size_t index;			/* index in the file read, or as written */

	struct kl_symbol *twin;
	int status;
	bool include;
	unsigned int marks;		/* KL_MARK_*, from the patch author */
	void *priv;
};

/* What the patch author asked for a function or a section (kpatch macros). */
#define KL_MARK_IGNORE		0x1	/* not patched, not compared */
#define KL_MARK_FORCE		0x2	/* patched despite a refusal */
#define KL_MARK_CALLBACK	0x4	/* a patch callback record */

struct kl_elf {
	char *path;
	GElf_Ehdr ehdr;
	struct kl_section **secs;	/* excluding the null section */
	size_t nr_secs;
	struct kl_symbol **syms;	/* excluding the null symbol */
	size_t nr_syms;
	struct kl_name_table *sec_names;
	struct kl_name_table *sym_names;
	bool sec_syms_valid;		/* the sections' syms_in lists */
};

/* Reading and writing. */
struct kl_elf *kl_elf_open(const char *path);
/* The same from bytes in memory; name stands for the path in messages. */
struct kl_elf *kl_elf_open_memory(const char *name, const void *buf,
				  size_t size);
struct kl_elf *kl_elf_new(void);
int kl_elf_write(struct kl_elf *elf, const char *path);
void kl_elf_free(struct kl_elf *elf);

/* Lookups. */
struct kl_section *kl_find_section(struct kl_elf *elf, const char *name);
struct kl_symbol *kl_find_symbol(struct kl_elf *elf, const char *name);
/* The symbols defined in a section, section symbols excluded. */
struct kl_symbol **kl_section_symbols(struct kl_elf *elf,
				      struct kl_section *sec, size_t *nr);
/* The symbol of the given types (bit mask of 1 << STT_*) covering offset. */
struct kl_symbol *kl_symbol_at(struct kl_elf *elf, struct kl_section *sec,
			       uint64_t offset, unsigned int type_mask);
/* The rela entries of sec that fall in [start, end). */
size_t kl_relas_in(struct kl_section *sec, uint64_t start, uint64_t end,
		   struct kl_rela **first);

/* Building. */
struct kl_section *kl_add_section(struct kl_elf *elf, const char *name,
				  const GElf_Shdr *sh, const void *data,
				  size_t size);
struct kl_section *kl_add_rela_section(struct kl_elf *elf,
				       struct kl_section *base,
				       const char *name);
struct kl_symbol *kl_add_symbol(struct kl_elf *elf, const char *name,
				unsigned char type, unsigned char bind,
				struct kl_section *sec, uint64_t value,
				uint64_t size);
void kl_add_rela(struct kl_section *rela, uint64_t offset, uint32_t type,
		 struct kl_symbol *sym, int64_t addend);
void kl_rename_symbol(struct kl_elf *elf, struct kl_symbol *sym,
		      const char *name);
void kl_rename_section(struct kl_elf *elf, struct kl_section *sec,
		       const char *name);
/* Drops a section (and its relocation section) from the object. */
void kl_remove_section(struct kl_elf *elf, struct kl_section *sec);

/* Properties. */
static inline bool kl_is_rela(const struct kl_section *sec)
{
	return sec->sh.sh_type == SHT_RELA;
}

static inline bool kl_is_text(const struct kl_section *sec)
{
	return (sec->sh.sh_flags & SHF_EXECINSTR) != 0;
}

static inline bool kl_is_string_section(const struct kl_section *sec)
{
	return (sec->sh.sh_flags & SHF_STRINGS) != 0;
}

/* Merged constants (.rodata.cst16...): fixed-size entries the linker
 * dedupes. */
static inline bool kl_is_constant_pool(const struct kl_section *sec)
{
	return (sec->sh.sh_flags & SHF_MERGE) &&
	       !(sec->sh.sh_flags & SHF_STRINGS) && sec->sh.sh_entsize;
}

static inline bool kl_sym_is_undef(const struct kl_symbol *sym)
{
	return !sym->sec && sym->shndx_special == SHN_UNDEF;
}

/* True for relocation types whose target is PC-relative. */
bool kl_rela_is_pcrel(uint32_t type);
/* Width in bytes of the field a relocation writes. */
unsigned int kl_rela_width(uint32_t type);
const char *kl_rela_type_name(uint32_t type);

#endif
