/* switch_table (pre): a switch compiled to a jump table. */
extern int a(int), b(int), c(int), d(int), e(int), f(int);

int pick(int op, int v)
{
	switch (op) {
	case 0: case 2: return a(v);
	case 1: return b(v);
	case 3: return c(v);
	case 4: return d(v);
	case 5: return e(v);
	case 6: return f(v);
	default: return -1;
	}
}

int other(int v)
{
	return a(v) + 1;
}
