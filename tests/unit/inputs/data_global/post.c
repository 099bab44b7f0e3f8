/* data_global (post): the global's initial value changed. */
int limit = 20;

int check(int v)
{
	return v < limit;
}
