/* string_moved (pre): greet is the first user of a shared literal. */
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
