/* new_helper (pre): record adds its argument to a total. */
int total;

int record(int v)
{
	total += v;
	return total;
}

int reset(void)
{
	total = 0;
	return 0;
}
