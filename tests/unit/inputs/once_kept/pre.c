extern int _printk(const char *fmt, ...);
#define printk_once(fmt) ({						\
	static _Bool __attribute__((section(".data.once"))) __already_done; \
	if (!__already_done) {						\
		__already_done = 1;					\
		_printk(fmt);						\
	}								\
})

void first(void)
{
	printk_once("first\n");
}

int twice(int x)
{
	if (x > 3)
		printk_once("big\n");
	if (x < -3)
		printk_once("small\n");
	return x;
}
