/* local_static_same_name (post): tock gains its own static n. */
int tick(void)
{
	static int n;

	return ++n;
}

int tock(void)
{
	static int n;

	n += 3;
	return n;
}
