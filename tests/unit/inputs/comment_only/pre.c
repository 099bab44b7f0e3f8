/* comment_only (pre): the post version differs only in a comment. */
int level = 2;

/* Returns twice the level. */
int twice(void)
{
	return level * 2;
}

int half(int v)
{
	return v / 2; /* rounds toward zero */
}
