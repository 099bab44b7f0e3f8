/*
 * roundtrip.c - an object with many kinds of sections, symbols and
 * relocations, read and rewritten by the ELF model round-trip tests.
 */
extern void report(const char *msg);
extern int external_value;

int global_data = 42;
int global_bss;
static int static_data = 7;
static int static_bss;
int common_var __attribute__((common));
__thread int thread_var;
int hidden_var __attribute__((visibility("hidden"))) = 3;
const char *const names[] = { "zero", "one", "two" };
static int (*handlers[2])(int);

__attribute__((weak)) int weak_hook(int v)
{
	return v + 1;
}

static __attribute__((noinline)) int helper(int v)
{
	static_bss += v;
	return static_bss * static_data;
}

int dispatch(int op, int v)
{
	switch (op) {
	case 0: return helper(v);
	case 1: return v * 3 + global_data;
	case 2: return weak_hook(v) - external_value;
	case 3: return v ^ thread_var;
	case 4: return v << hidden_var;
	case 5: return names[v & 1][0];
	case 6: return handlers[v & 1] ? handlers[v & 1](v) : 0;
	default: report("unknown op"); return -1;
	}
}

int counter(void)
{
	static int calls;

	report("counting");
	return ++calls + global_bss;
}

int dispatch_alias(int op, int v) __attribute__((alias("dispatch")));

__attribute__((section(".init.text"))) int setup(void)
{
	handlers[0] = helper;
	handlers[1] = weak_hook;
	return 0;
}

/* A COMDAT group, a link-order section and an absolute symbol. */
asm(".section .text.grouped,\"axG\",@progbits,grouped_sig,comdat\n"
    ".globl grouped_sig\n"
    ".type grouped_sig, @function\n"
    "grouped_sig: ret\n"
    ".size grouped_sig, . - grouped_sig\n"
    ".section .klive_order,\"ao\",@progbits,.text.grouped\n"
    ".quad grouped_sig\n"
    ".globl abs_value\n"
    ".set abs_value, 0x1234\n"
    ".previous\n");
