/* func_body (pre): three independent functions. */
int scale = 3;

int add(int a, int b)
{
	return a + b;
}

int mul(int a, int b)
{
	return a * b * scale;
}

int sub(int a, int b)
{
	return a - b;
}
