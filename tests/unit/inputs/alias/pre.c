/* alias (pre): one function under two names, as SYSCALL_DEFINE0 makes them. */
static long do_tick(void)
{
	return 1;
}

long sys_tick(void) __attribute__((alias("do_tick")));

long other(void)
{
	return 2;
}
