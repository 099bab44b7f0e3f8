static __attribute__((noinline)) int scale(int x, int k)
{
	return x * k + 4;
}

int use1(int x)
{
	return scale(x, 7);
}

int use2(int x)
{
	return scale(x + 1, 7);
}
