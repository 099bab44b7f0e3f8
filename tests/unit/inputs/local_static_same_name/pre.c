/* local_static_same_name (pre): tick has a function-local static n. */
int tick(void)
{
	static int n;

	return ++n;
}

int tock(void)
{
	return 3;
}
