/* data_global (pre): a global variable with an initial value. */
int limit = 10;

int check(int v)
{
	return v < limit;
}
