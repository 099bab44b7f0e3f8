/* string_moved (post): greet no longer uses the shared literal. */
extern void report(const char *msg);

void greet(void)
{
	report("hello");
	report("private tail");
}

void other(void)
{
	report("shared tail");
}
