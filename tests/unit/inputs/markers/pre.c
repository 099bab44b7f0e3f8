/* Records as kpatch-macros.h lays them out (klive's include/). */
int hidden(int x)
{
	return x + 1;
}

int shown(int x)
{
	return x + 2;
}

int quiet(int x)
{
	return x + 3;
}

int tuned __attribute__((section(".data.tuned"))) = 5;

int tuned_reader(void)
{
	return tuned;
}
