/*
 * shared_section (pre): functions placed in one named section, as the
 * kernel does with __sched; first is 16 bytes long, so second starts
 * exactly where first ends.
 */
#define __sched __attribute__((section(".sched.text")))

extern int g;

int __sched first(int x)
{
	return x * g + 1;
}

int __sched second(int x)
{
	return x + 1;
}

int __sched third(int x)
{
	return x - g;
}
