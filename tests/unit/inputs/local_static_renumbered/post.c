/* local_static_renumbered (post): peek gains a static; tick's is renumbered. */
int tick(void)
{
	static int hits;

	return ++hits;
}

int peek(void)
{
	static int misses;

	return ++misses;
}
