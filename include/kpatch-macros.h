/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kpatch-macros.h - patch-author macros for files compiled by klive build,
 * source-compatible with the ones kpatch patches use, so that a patch
 * written for kpatch builds unchanged.
 *
 * Each macro leaves a small record in a ".kpatch." section of the patched
 * object.  klive's diff stage reads these records and does not carry them
 * as data:
 *
 *   KPATCH_PRE_PATCH_CALLBACK(fn)     int fn(patch_object *obj), run before
 *   KPATCH_POST_PATCH_CALLBACK(fn)    void fn(patch_object *obj), after,
 *   KPATCH_PRE_UNPATCH_CALLBACK(fn)   the object this file belongs to
 *   KPATCH_POST_UNPATCH_CALLBACK(fn)  (vmlinux, or the module) is patched
 *                                     or unpatched; the callbacks become the
 *                                     livepatch object's callbacks
 *   KPATCH_IGNORE_FUNCTION(fn)        fn is not patched, even if changed
 *   KPATCH_IGNORE_SECTION("name")     the section is neither compared nor
 *                                     carried
 *   KPATCH_FORCE_UNSAFE(fn)           patch fn although klive would refuse
 *                                     it (changed init code, no ftrace
 *                                     entry...): the author vouches for it
 *
 * Record layouts (x86-64):
 *   .kpatch.callbacks.{pre_patch,post_patch,pre_unpatch,post_unpatch}:
 *       16 bytes each: the callback's address, then the object's name
 *       (NULL for vmlinux, else the module's name)
 *   .kpatch.ignore.functions, .kpatch.force: 8 bytes, the function's address
 *   .kpatch.ignore.sections: 8 bytes, the address of the section's name
 */
#ifndef KLIVE_KPATCH_MACROS_H
#define KLIVE_KPATCH_MACROS_H

#include <linux/compiler.h>
#include <linux/stddef.h>
#include <linux/livepatch.h>

typedef struct klp_object patch_object;

/* The object the file being compiled belongs to: kbuild says -DMODULE. */
#ifdef MODULE
#define KLIVE_KPATCH_OBJNAME	KBUILD_MODNAME
#else
#define KLIVE_KPATCH_OBJNAME	NULL
#endif

struct klive_kpatch_pre_patch {
	int (*fn)(patch_object *obj);
	const char *objname;
};

struct klive_kpatch_other_callback {
	void (*fn)(patch_object *obj);
	const char *objname;
};

#define KLIVE_KPATCH_CHECK_TYPE(_fn, _type)				\
	_Static_assert(__builtin_types_compatible_p(typeof(&_fn), _type), \
		       #_fn " does not have the type a kpatch callback needs")

#define KLIVE_KPATCH_CALLBACK(_fn, _when, _struct, _type)		\
	KLIVE_KPATCH_CHECK_TYPE(_fn, _type);				\
	static struct _struct __kpatch_##_when##_##_fn			\
	__used __aligned(8) __section(".kpatch.callbacks." #_when) = {	\
		.fn = _fn,						\
		.objname = KLIVE_KPATCH_OBJNAME,			\
	}

#define KPATCH_PRE_PATCH_CALLBACK(_fn)					\
	KLIVE_KPATCH_CALLBACK(_fn, pre_patch, klive_kpatch_pre_patch,	\
			      int (*)(patch_object *))
#define KPATCH_POST_PATCH_CALLBACK(_fn)				\
	KLIVE_KPATCH_CALLBACK(_fn, post_patch,				\
			      klive_kpatch_other_callback,		\
			      void (*)(patch_object *))
#define KPATCH_PRE_UNPATCH_CALLBACK(_fn)				\
	KLIVE_KPATCH_CALLBACK(_fn, pre_unpatch,				\
			      klive_kpatch_other_callback,		\
			      void (*)(patch_object *))
#define KPATCH_POST_UNPATCH_CALLBACK(_fn)				\
	KLIVE_KPATCH_CALLBACK(_fn, post_unpatch,			\
			      klive_kpatch_other_callback,		\
			      void (*)(patch_object *))

#define KPATCH_IGNORE_FUNCTION(_fn)					\
	static void *__kpatch_ignore_function_##_fn			\
	__used __aligned(8) __section(".kpatch.ignore.functions") = _fn

#define KPATCH_FORCE_UNSAFE(_fn)					\
	static void *__kpatch_force_##_fn				\
	__used __aligned(8) __section(".kpatch.force") = _fn

#define KPATCH_IGNORE_SECTION(_name)					\
	static const char *__UNIQUE_ID(kpatch_ignore_section_)		\
	__used __aligned(8) __section(".kpatch.ignore.sections") = _name

#endif
