/* Records as kpatch-macros.h lays them out (klive's include/). */
struct klp_object;
typedef struct klp_object patch_object;

struct pre_patch_record {
	int (*fn)(patch_object *obj);
	const char *objname;
};

struct other_record {
	void (*fn)(patch_object *obj);
	const char *objname;
};

int hidden(int x)
{
	return x + 10;
}

int shown(int x)
{
	return x + 20;
}

int quiet(int x)
{
	return x + 3;
}

int tuned __attribute__((section(".data.tuned"))) = 6;

int tuned_reader(void)
{
	return tuned;
}

static int counter;

static int before_patch(patch_object *obj)
{
	(void)obj;
	counter++;
	return 0;
}

static void after_patch(patch_object *obj)
{
	(void)obj;
	counter += 2;
}

static struct pre_patch_record pre_record
__attribute__((used, aligned(8), section(".kpatch.callbacks.pre_patch"))) = {
	.fn = before_patch,
};

static struct other_record post_record
__attribute__((used, aligned(8), section(".kpatch.callbacks.post_patch"))) = {
	.fn = after_patch,
	.objname = "somemod",
};

static void *ignore_hidden
__attribute__((used, aligned(8), section(".kpatch.ignore.functions"))) = hidden;

static const char *ignore_tuned
__attribute__((used, aligned(8), section(".kpatch.ignore.sections"))) =
	".data.tuned";
