/* switch_lookup (post): one returned value changed, so does the table. */
int level(int x)
{
	switch (x) {
	case 0: return 10;
	case 1: return 20;
	case 2: return 31;
	case 3: return 45;
	case 4: return 50;
	default: return 0;
	}
}

int other(int x)
{
	return x + 1;
}
