/*
 * fuzz_diff.c - libFuzzer target over klive's object reader and diff
 * stage.  An input is two objects, "before" and "after" a patch:
 *
 *   4 bytes, little-endian: the size N of the first object
 *   N bytes: the first object; the rest: the second
 *
 * Each object is read from memory; when both read, they are diffed.  A
 * malformed object must be refused, never crash, hang or leak.  Inputs of
 * another shape are read as one object, diffed with itself.
 */
#include "../src/elf/elf.h"
#include "../src/diff/diff.h"
#include "../src/util/util.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void diff_pair(const uint8_t *a, size_t na, const uint8_t *b,
		      size_t nb)
{
	struct kl_elf *pre, *post;
	struct diff_result res;

	pre = kl_elf_open_memory("fuzz-pre.o", a, na);
	if (!pre)
		return;
	post = kl_elf_open_memory("fuzz-post.o", b, nb);
	if (post) {
		diff_objects(pre, post, &res);
		diff_result_free(&res);
	}
	kl_elf_free(pre);
	kl_elf_free(post);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t first;

	kl_quiet = true;
	if (size >= 4) {
		memcpy(&first, data, 4);
		if (first <= size - 4) {
			diff_pair(data + 4, first, data + 4 + first,
				  size - 4 - first);
			return 0;
		}
	}
	diff_pair(data, size, data, size);
	return 0;
}
