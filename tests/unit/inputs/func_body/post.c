/* func_body (post): only mul's body changed. */
int scale = 3;

int add(int a, int b)
{
	return a + b;
}

int mul(int a, int b)
{
	return a * b * scale + 1;
}

int sub(int a, int b)
{
	return a - b;
}
