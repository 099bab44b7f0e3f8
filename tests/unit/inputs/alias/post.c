/* alias (post): the function behind both names changed. */
static long do_tick(void)
{
	return 41;
}

long sys_tick(void) __attribute__((alias("do_tick")));

long other(void)
{
	return 2;
}
