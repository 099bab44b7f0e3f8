/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kpatch-syscall.h - KPATCH_SYSCALL_DEFINE1..6 for files compiled by klive
 * build, source-compatible with the macros kpatch patches use.
 *
 * A patch that changes a system call replaces its SYSCALL_DEFINEn(...) by
 * KPATCH_SYSCALL_DEFINEn(...).  The result is the same functions as
 * SYSCALL_DEFINEn makes on x86-64 in Linux 6.1 (__x64_sys_NAME taking
 * struct pt_regs, __se_sys_NAME widening the arguments, __do_sys_NAME with
 * the body, and __ia32_sys_NAME with IA32 emulation), without what
 * SYSCALL_DEFINEn adds around them: the syscall trace metadata
 * (CONFIG_FTRACE_SYSCALLS) and the error-injection list entries, which a
 * live patch cannot change and which would otherwise show up as changed
 * data.
 */
#ifndef KLIVE_KPATCH_SYSCALL_H
#define KLIVE_KPATCH_SYSCALL_H

#include <linux/syscalls.h>

#ifndef CONFIG_X86_64
#error "kpatch-syscall.h: only x86-64 is supported"
#endif

/* One entry stub: the system call's arguments taken from pt_regs. */
#define KLIVE_SYSCALL_STUB(abi, name, ...)				\
	long __##abi##_##name(const struct pt_regs *regs);		\
	long __##abi##_##name(const struct pt_regs *regs)		\
	{								\
		return __se_##name(__VA_ARGS__);			\
	}

#define KLIVE_X64_SYSCALL_STUB(x, name, ...)				\
	KLIVE_SYSCALL_STUB(x64, sys##name,				\
			   SC_X86_64_REGS_TO_ARGS(x, __VA_ARGS__))

#ifdef CONFIG_IA32_EMULATION
#define KLIVE_IA32_SYSCALL_STUB(x, name, ...)				\
	KLIVE_SYSCALL_STUB(ia32, sys##name,				\
			   SC_IA32_REGS_TO_ARGS(x, __VA_ARGS__))
#else
#define KLIVE_IA32_SYSCALL_STUB(x, name, ...)
#endif

#define KLIVE_SYSCALL_DEFINEx(x, name, ...)				\
	static long __se_sys##name(__MAP(x, __SC_LONG, __VA_ARGS__));	\
	static inline long __do_sys##name(__MAP(x, __SC_DECL, __VA_ARGS__)); \
	KLIVE_X64_SYSCALL_STUB(x, name, __VA_ARGS__)			\
	KLIVE_IA32_SYSCALL_STUB(x, name, __VA_ARGS__)			\
	static long __se_sys##name(__MAP(x, __SC_LONG, __VA_ARGS__))	\
	{								\
		long ret = __do_sys##name(__MAP(x, __SC_CAST, __VA_ARGS__)); \
		__MAP(x, __SC_TEST, __VA_ARGS__);			\
		__PROTECT(x, ret, __MAP(x, __SC_ARGS, __VA_ARGS__));	\
		return ret;						\
	}								\
	static inline long __do_sys##name(__MAP(x, __SC_DECL, __VA_ARGS__))

#define KPATCH_SYSCALL_DEFINE1(name, ...)				\
	KLIVE_SYSCALL_DEFINEx(1, _##name, __VA_ARGS__)
#define KPATCH_SYSCALL_DEFINE2(name, ...)				\
	KLIVE_SYSCALL_DEFINEx(2, _##name, __VA_ARGS__)
#define KPATCH_SYSCALL_DEFINE3(name, ...)				\
	KLIVE_SYSCALL_DEFINEx(3, _##name, __VA_ARGS__)
#define KPATCH_SYSCALL_DEFINE4(name, ...)				\
	KLIVE_SYSCALL_DEFINEx(4, _##name, __VA_ARGS__)
#define KPATCH_SYSCALL_DEFINE5(name, ...)				\
	KLIVE_SYSCALL_DEFINEx(5, _##name, __VA_ARGS__)
#define KPATCH_SYSCALL_DEFINE6(name, ...)				\
	KLIVE_SYSCALL_DEFINEx(6, _##name, __VA_ARGS__)

#endif
