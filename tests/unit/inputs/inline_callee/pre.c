static inline int weight(int x)
{
	return x * 3 + 1;
}

int light(int x)
{
	return weight(x) + 1;
}

int heavy(int x)
{
	return weight(x) * weight(x + 1);
}

int none(int x)
{
	return x - 9;
}
