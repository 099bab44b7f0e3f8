/* static_var (post): count changed; the statics did not. */
static int hits;
static int base = 7;

int count(int v)
{
	hits += 2 * v;
	return hits + base;
}

void set_base(int b)
{
	base = b;
}

int peek(void)
{
	return hits;
}
