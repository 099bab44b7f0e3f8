/* comment_only (post): the pre version differs only in a comment. */
int level = 2;

/* Doubles the current level and returns it, nothing else. */
int twice(void)
{
	return level * 2;
}

int half(int v)
{
	return v / 2; /* truncates: -3 / 2 is -1 */
}
