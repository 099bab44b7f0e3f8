/* func_name_renumbered (post): a third function with a __func__ renumbers
 * the others' copies (gcc counts them from the end of the file). */
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

int three(int x)
{
	report(__func__);
	return x + 3;
}
