int level = 1;

__attribute__((section(".init.text"))) int setup_level(void)
{
	level = 3;
	return 0;
}

int read_level(void)
{
	return level + 1;
}

static void *force_setup_level
__attribute__((used, aligned(8), section(".kpatch.force"))) = setup_level;
