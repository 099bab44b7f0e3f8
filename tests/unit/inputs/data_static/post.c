/* data_static (post): the static's initial value changed. */
static int threshold = 6;

void set_threshold(int t)
{
	threshold = t;
}

int over(int v)
{
	return v > threshold;
}
