/* data_static (pre): a static variable with an initial value. */
static int threshold = 5;

void set_threshold(int t)
{
	threshold = t;
}

int over(int v)
{
	return v > threshold;
}
