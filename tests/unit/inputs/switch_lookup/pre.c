/* switch_lookup (pre): a switch gcc turns into a constant lookup table. */
int level(int x)
{
	switch (x) {
	case 0: return 10;
	case 1: return 20;
	case 2: return 30;
	case 3: return 45;
	case 4: return 50;
	default: return 0;
	}
}

int other(int x)
{
	return x + 1;
}
