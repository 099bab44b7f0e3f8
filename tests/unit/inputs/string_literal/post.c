/* string_literal (post): greet's first literal grew, shout's changed. */
extern void report(const char *msg);

void greet(void)
{
	report("hello, longer world");
	report("shared tail");
}

void other(void)
{
	report("shared tail");
}

const char *shout(void)
{
	return "LOUD!";
}

void third(void)
{
	report("third message");
}
