/* Input of the sympos tests: two once-style flags sharing one section, and
 * functions whose names a kernel symbol list can place. */
static _Bool flag_first __attribute__((section(".data.once")));
static _Bool flag_second __attribute__((section(".data.once")));

static int __attribute__((noinline)) helper(int x)
{
	return x * 3 + 1;
}

int sympos_unique_entry(int x)
{
	if (!flag_first)
		flag_first = 1;
	if (x > 4 && !flag_second)
		flag_second = 1;
	return helper(x);
}

int sympos_other_entry(int x)
{
	return helper(x + 2);
}
