/* func_name_renumbered (pre): two functions pass a __func__ on,
 * from two helpers inlined into both. */
void report(const char *where);

static inline int helper(int x)
{
	report(__func__);
	return x * 2;
}

static inline int other_helper(int x)
{
	report(__func__);
	return x * 3;
}

int one(int x)
{
	return helper(x) + other_helper(x);
}

int two(int x)
{
	return helper(x) - other_helper(x);
}
