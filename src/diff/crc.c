/*
 * crc.c - refuses a patch that changes the modversions CRC of a symbol the
 * object exports.  With CONFIG_MODVERSIONS, kbuild runs genksyms on every
 * file that exports symbols and records each symbol's CRC, a hash of its
 * prototype and of the types it uses, as "#SYMVER name 0xcrc" lines in the
 * object's command file (.name.o.cmd beside it).  Modules carry the CRCs
 * they were built against: a changed CRC means the export's interface
 * changed, which a live patch cannot do to the modules already loaded.
 */
#include "diff.h"
#include "../util/util.h"

#include <stdlib.h>
#include <string.h>

/* The CRC recorded for sym in a command file's text; false if none. */
static bool find_crc(const char *text, const char *sym, unsigned long *crc)
{
	size_t len = strlen(sym);
	const char *p = text;

	while ((p = strstr(p, "#SYMVER "))) {
		p += strlen("#SYMVER ");
		if (!strncmp(p, sym, len) && p[len] == ' ') {
			char *end;

			*crc = strtoul(p + len + 1, &end, 16);
			return end != p + len + 1;
		}
	}
	return false;
}

int check_crcs(struct kl_elf *pre, struct kl_elf *post)
{
	char *pre_cmd = kbuild_cmd_file(pre->path), *post_cmd = kbuild_cmd_file(post->path);
	char *a = path_exists(pre_cmd) ? read_file(pre_cmd, NULL) : NULL;
	char *b = path_exists(post_cmd) ? read_file(post_cmd, NULL) : NULL;
	const char *p;
	int ret = 0;

	/* Without both, the build did not run genksyms: nothing to compare. */
	for (p = b && a ? b : ""; (p = strstr(p, "#SYMVER ")); ) {
		unsigned long before, after;
		char *name;
		size_t len;

		p += strlen("#SYMVER ");
		len = strcspn(p, " \n");
		name = xstrndup(p, len);
		if (find_crc(b, name, &after) && find_crc(a, name, &before) &&
		    before != after) {
			kl_err("exported symbol '%s' changes its modversions CRC (0x%08lx to 0x%08lx: its prototype or a type it uses changed): modules built against the running kernel would no longer match it",
			       name, before, after);
			ret = -1;
		}
		free(name);
		if (ret)
			break;
	}
	free(a);
	free(b);
	free(pre_cmd);
	free(post_cmd);
	return ret;
}
