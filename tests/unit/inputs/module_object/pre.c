/* A function of a module: it uses the module's own static data, a
 * function of another object of the module, a function vmlinux exports and
 * one it does not. */
extern int printk_like(const char *s);
extern int vm_hidden(void);
extern int module_other(int x);

static int enabled = 1;

void set_enabled(int on)
{
	enabled = on;
}

__attribute__((noinline)) int show(void)
{
	return enabled + module_other(1) + printk_like("show") + vm_hidden();
}
