/* new_helper (post): record now calls a new static helper. */
int total;

static __attribute__((noinline)) int clamp(int v)
{
	return v > 100 ? 100 : v < -100 ? -100 : v;
}

int record(int v)
{
	total += clamp(v);
	return total;
}

int reset(void)
{
	total = 0;
	return 0;
}
