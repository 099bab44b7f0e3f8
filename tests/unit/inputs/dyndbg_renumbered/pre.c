/* dyndbg_renumbered (pre): pr_debug()-like descriptors in __dyndbg, named
 * by a file-wide counter, one used by two callers of an inlined helper. */
struct ddebug {
	const char *modname, *function, *filename, *format;
	unsigned int lineno:18;
	unsigned int flags:8;
} __attribute__((aligned(8)));

void ddebug_print(struct ddebug *d, ...);

#define debug_msg(fmt, ...) ({						\
	static struct ddebug __attribute__((section("__dyndbg"), used))	\
		__UNIQUE_ddebug = { "unit", __func__, "dyndbg.c", fmt,	\
				    __LINE__, 0 };				\
	ddebug_print(&__UNIQUE_ddebug, ##__VA_ARGS__);			\
})

int quiet(int x)
{
	return x + 1;
}

static inline int shared(int x)
{
	debug_msg("shared %d\n", x);
	return x * 2;
}

static inline int also_shared(int x)
{
	debug_msg("also shared %d\n", x);
	return x * 3;
}

int first_caller(int x)
{
	return shared(x) + also_shared(x);
}

int second_caller(int x)
{
	return shared(x) - also_shared(x);
}

int reworded(int x)
{
	debug_msg("old words %d\n", x);
	return x;
}
