/* string_literal (pre): functions using string literals. */
extern void report(const char *msg);

void greet(void)
{
	report("hello");
	report("shared tail");
}

void other(void)
{
	report("shared tail");
}

const char *shout(void)
{
	return "quiet";
}

void third(void)
{
	report("third message");
}
