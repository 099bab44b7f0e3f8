/* show() changed; a pre-patch callback record, laid out as kpatch-macros.h
 * lays it out, names the module's object. */
extern int printk_like(const char *s);
extern int vm_hidden(void);
extern int module_other(int x);

static int enabled = 1;

void set_enabled(int on)
{
	enabled = on;
}

struct callback_record {
	int (*fn)(void *obj);
	const char *objname;
};

static int show_pre_patch(void *obj)
{
	return obj ? 0 : -1;
}

static struct callback_record __kpatch_pre_patch_show_pre_patch
	__attribute__((used, aligned(8),
		       section(".kpatch.callbacks.pre_patch"))) = {
	.fn = show_pre_patch,
	.objname = "modx",
};

__attribute__((noinline)) int show(void)
{
	return enabled + module_other(2) + printk_like("show") + vm_hidden();
}
