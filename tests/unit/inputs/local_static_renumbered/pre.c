/* local_static_renumbered (pre): tick has a function-local static. */
int tick(void)
{
	static int hits;

	return ++hits;
}

int peek(void)
{
	return 1;
}
