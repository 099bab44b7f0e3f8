/* static_var (pre): functions sharing file-scope static variables. */
static int hits;
static int base = 7;

int count(int v)
{
	hits += v;
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
