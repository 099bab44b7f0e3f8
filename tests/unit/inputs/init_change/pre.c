int level = 1;

__attribute__((section(".init.text"))) int setup_level(void)
{
	level = 2;
	return 0;
}

int read_level(void)
{
	return level;
}
