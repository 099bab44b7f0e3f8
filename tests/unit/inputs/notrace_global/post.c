__attribute__((no_instrument_function)) int untraced(int x)
{
	return x * 5;
}

int traced(int x)
{
	return x + 7;
}
