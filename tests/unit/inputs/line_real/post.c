/* Kernel-like helpers, as include/linux expands them on x86-64. */
extern void __might_sleep(const char *file, int line);
#define might_sleep() __might_sleep(__FILE__, __LINE__)
#define WARN_ON(c) ({							\
	int __r = !!(c);						\
	if (__r)							\
		asm volatile("1: ud2\n"					\
			     ".pushsection __bug_table,\"aw\"\n"	\
			     "2: .long 1b - .\n"			\
			     ".long %c0 - .\n"				\
			     ".word %c1\n"				\
			     ".word %c2\n"				\
			     ".org 2b + 12\n"				\
			     ".popsection" :: "i"(__FILE__),		\
			     "i"(__LINE__), "i"(1 << 0));		\
	__r; })
struct pi_entry {
	const char *fmt, *func, *file;
	unsigned int line;
	const char *level, *subsys_fmt_prefix;
};
extern int _printk(const char *fmt, ...);
#define printk(_f, ...) ({						\
	static const struct pi_entry _entry __attribute__((used)) = {	\
		.fmt = _f, .func = __func__, .file = __FILE__,		\
		.line = __LINE__, .level = "\0016",			\
	};								\
	static const struct pi_entry *_entry_ptr			\
	__attribute__((used, section(".printk_index"))) = &_entry;	\
	_printk(_f, ##__VA_ARGS__); })

/* changed() grows by some lines; everything below it moves down. */
int changed(int x)
{
	printk("changed %d\n", x);
	if (x > 100)
		return 0;

	return x + 2;
}

int sleeper(int x)
{
	might_sleep();
	return x * 4;
}

int warner(int x)
{
	WARN_ON(x > 5);
	return x - 1;
}

int printer(int x)
{
	printk("printer %d\n", x);
	return x;
}
