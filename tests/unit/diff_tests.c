/*
 * diff_tests.c - unit tests of klive's diff stage on pairs of small objects
 * compiled from tests/unit/inputs/<pair>/{pre,post}.c: which functions it
 * reports, what it marks for inclusion, which changes it refuses, and which
 * __mcount_loc entries it keeps.
 */
#define _GNU_SOURCE
#include "unit.h"
#include "../../src/elf/elf.h"
#include "../../src/diff/diff.h"
#include "../../src/diff/special.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct diff_run {
	struct kl_elf *pre, *post;
	struct diff_result res;
	int ret;
	char *err;		/* what diff_objects wrote to stderr */
};

static int run_diff(const char *pair, struct diff_run *d)
{
	char *pre, *post;
	size_t mark;

	memset(d, 0, sizeof(*d));
	if (asprintf(&pre, "%s/%s/pre.o", work_dir(), pair) < 0 ||
	    asprintf(&post, "%s/%s/post.o", work_dir(), pair) < 0)
		abort();
	d->pre = kl_elf_open(pre);
	d->post = kl_elf_open(post);
	if (!d->pre || !d->post)
		return fail("kl_elf_open failed on %s or %s", pre, post);
	free(pre);
	free(post);
	mark = stderr_mark();
	d->ret = diff_objects(d->pre, d->post, &d->res);
	d->err = stderr_since(mark);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The reported functions, sorted, separated by spaces. */
static char *changed_list(const struct diff_result *res)
{
	const char **names = calloc(res->nr_changed + 1, sizeof(*names));
	size_t i, len = 1;
	char *out;

	if (!names)
		abort();
	for (i = 0; i < res->nr_changed; i++) {
		names[i] = res->changed[i]->name;
		len += strlen(names[i]) + 1;
	}
	qsort(names, res->nr_changed, sizeof(*names), cmp_str);
	out = calloc(1, len);
	if (!out)
		abort();
	for (i = 0; i < res->nr_changed; i++) {
		if (i)
			strcat(out, " ");
		strcat(out, names[i]);
	}
	free(names);
	return out;
}

/* diff_objects succeeded, silently, and reported exactly `expect`. */
static int expect_changed(struct diff_run *d, const char *expect)
{
	char *got;
	int ret = 0;

	if (d->ret)
		return fail("diff_objects returned %d: %s", d->ret, d->err);
	if (*d->err)
		return fail("diff_objects succeeded but printed: %s", d->err);
	got = changed_list(&d->res);
	if (strcmp(got, expect))
		ret = fail("changed functions: got '%s', expected '%s'", got,
			   expect);
	free(got);
	return ret;
}

/* diff_objects refused, with one "klive: " line naming the variable. */
static int expect_refused(struct diff_run *d, const char *what)
{
	if (d->ret != -1)
		return fail("diff_objects returned %d, expected -1", d->ret);
	if (count_lines(d->err) != 1 || !all_lines_start(d->err, "klive: "))
		return fail("expected one 'klive: ' line on stderr, got: '%s'",
			    d->err);
	if (!strstr(d->err, what))
		return fail("the error does not name %s: %s", what, d->err);
	return 0;
}

static struct kl_symbol *post_sym(struct diff_run *d, const char *name)
{
	struct kl_symbol *s = kl_find_symbol(d->post, name);

	if (!s)
		fail("post object has no symbol '%s'", name);
	return s;
}

static const char *status_name(int status)
{
	switch (status) {
	case KL_SAME:
		return "same";
	case KL_CHANGED:
		return "changed";
	case KL_NEW:
		return "new";
	default:
		return "?";
	}
}

/* Symbol name has this status and inclusion mark. */
static int expect_sym(struct diff_run *d, const char *name, int status,
		      bool include)
{
	struct kl_symbol *s = post_sym(d, name);

	if (!s)
		return 1;
	if (s->status != status)
		return fail("%s is %s, expected %s", name,
			    status_name(s->status), status_name(status));
	if (s->include != include)
		return fail("%s is %sincluded, expected %sincluded", name,
			    s->include ? "" : "not ", include ? "" : "not ");
	return 0;
}

/* The first file-local variable that func references. */
static struct kl_symbol *static_used_by(struct kl_elf *elf, const char *func)
{
	struct kl_symbol *f = kl_find_symbol(elf, func);
	struct kl_rela *r;
	size_t n, i;

	if (!f || !f->sec)
		return NULL;
	n = kl_relas_in(f->sec, f->value, f->value + f->size, &r);
	for (i = 0; i < n; i++) {
		struct kl_symbol *t = r[i].sym;

		if (t->type == STT_SECTION && t->sec)
			t = kl_symbol_at(elf, t->sec, 0, 1u << STT_OBJECT);
		if (t && t->type == STT_OBJECT && t->bind == STB_LOCAL)
			return t;
	}
	return NULL;
}

static int diff_func_body(void)
{
	struct diff_run d;

	return run_diff("func_body", &d) || expect_changed(&d, "mul") ||
	       expect_sym(&d, "mul", KL_CHANGED, true) ||
	       expect_sym(&d, "add", KL_SAME, false) ||
	       expect_sym(&d, "sub", KL_SAME, false) ||
	       expect_sym(&d, "scale", KL_SAME, false);
}

/* One function under two names is redirected once, by its global name. */
static int diff_alias(void)
{
	struct diff_run d;

	return run_diff("alias", &d) || expect_changed(&d, "sys_tick") ||
	       expect_sym(&d, "other", KL_SAME, false);
}

static int diff_string_literal(void)
{
	struct kl_section *greet_str, *third_str;
	struct diff_run d;

	if (run_diff("string_literal", &d) ||
	    expect_changed(&d, "greet shout") ||
	    expect_sym(&d, "greet", KL_CHANGED, true) ||
	    expect_sym(&d, "shout", KL_CHANGED, true) ||
	    expect_sym(&d, "other", KL_SAME, false) ||
	    expect_sym(&d, "third", KL_SAME, false))
		return 1;
	greet_str = kl_find_section(d.post, ".rodata.greet.str1.1");
	third_str = kl_find_section(d.post, ".rodata.third.str1.1");
	if (!greet_str || !third_str)
		return fail("the string sections are not named as expected (gcc changed?)");
	if (!greet_str->include || third_str->include)
		return fail("string sections: greet's %sincluded, third's %sincluded",
			    greet_str->include ? "" : "not ",
			    third_str->include ? "" : "not ");
	return 0;
}

static int diff_comment_only(void)
{
	struct diff_run d;
	size_t i;

	if (run_diff("comment_only", &d) || expect_changed(&d, ""))
		return 1;
	for (i = 0; i < d.post->nr_syms; i++) {
		struct kl_symbol *s = d.post->syms[i];

		if ((s->type == STT_FUNC || s->type == STT_OBJECT) &&
		    (s->status != KL_SAME || s->include || !s->twin))
			return fail("%s: status %s, %sincluded, %spaired", s->name,
				    status_name(s->status),
				    s->include ? "" : "not ",
				    s->twin ? "" : "not ");
	}
	return 0;
}

static int diff_new_helper(void)
{
	struct diff_run d;

	return run_diff("new_helper", &d) || expect_changed(&d, "record") ||
	       expect_sym(&d, "record", KL_CHANGED, true) ||
	       expect_sym(&d, "clamp", KL_NEW, true) ||
	       expect_sym(&d, "reset", KL_SAME, false) ||
	       expect_sym(&d, "total", KL_SAME, false);
}

static int diff_data_global(void)
{
	struct diff_run d;

	return run_diff("data_global", &d) || expect_refused(&d, "'limit'");
}

static int diff_data_static(void)
{
	struct diff_run d;

	return run_diff("data_static", &d) || expect_refused(&d, "'threshold'");
}

static int diff_static_var(void)
{
	struct kl_section *bss, *data;
	struct diff_run d;

	if (run_diff("static_var", &d) || expect_changed(&d, "count") ||
	    expect_sym(&d, "count", KL_CHANGED, true) ||
	    expect_sym(&d, "hits", KL_SAME, false) ||
	    expect_sym(&d, "base", KL_SAME, false) ||
	    expect_sym(&d, "set_base", KL_SAME, false) ||
	    expect_sym(&d, "peek", KL_SAME, false))
		return 1;
	bss = kl_find_section(d.post, ".bss.hits");
	data = kl_find_section(d.post, ".data.base");
	if (!bss || !data)
		return fail(".bss.hits or .data.base missing (gcc changed?)");
	if (bss->include || data->include)
		return fail("a static variable's section is included");
	return 0;
}

/* hits.0 becomes hits.1 when another function gains a static. */
static int diff_local_static_renumbered(void)
{
	struct kl_symbol *hits, *misses;
	struct diff_run d;

	if (run_diff("local_static_renumbered", &d) ||
	    expect_changed(&d, "peek") ||
	    expect_sym(&d, "tick", KL_SAME, false))
		return 1;
	hits = static_used_by(d.post, "tick");
	misses = static_used_by(d.post, "peek");
	if (!hits || !misses || strncmp(hits->name, "hits.", 5) ||
	    strncmp(misses->name, "misses.", 7))
		return fail("cannot find tick's and peek's statics");
	if (!hits->twin || hits->twin != static_used_by(d.pre, "tick"))
		return fail("%s is not paired with tick's static in pre",
			    hits->name);
	if (hits->include || hits->status != KL_SAME)
		return fail("%s: status %s, %sincluded", hits->name,
			    status_name(hits->status),
			    hits->include ? "" : "not ");
	if (!misses->include || misses->status != KL_NEW)
		return fail("%s: status %s, %sincluded", misses->name,
			    status_name(misses->status),
			    misses->include ? "" : "not ");
	return 0;
}

/*
 * tick's "static int n" is n.0 in pre and n.1 in post, where tock's new
 * "static int n" takes n.0: tick is unchanged and must keep using the
 * kernel's counter, and tock's counter is new.
 */
static const char *describe(const struct kl_symbol *s)
{
	static char buf[4][128];
	static int n;
	char *b = buf[n++ % 4];

	snprintf(b, sizeof(buf[0]), "%s (%s, %sincluded, twin %s)", s->name,
		 status_name(s->status), s->include ? "" : "not ",
		 s->twin ? s->twin->name : "none");
	return b;
}

static int diff_local_static_same_name(void)
{
	struct kl_symbol *tick_n, *tock_n, *pre_tick_n;
	struct diff_run d;
	char *got;
	int ret;

	if (run_diff("local_static_same_name", &d))
		return 1;
	tick_n = static_used_by(d.post, "tick");
	tock_n = static_used_by(d.post, "tock");
	pre_tick_n = static_used_by(d.pre, "tick");
	if (!tick_n || !tock_n || !pre_tick_n || tick_n == tock_n)
		return fail("cannot find the statics of tick and tock");
	if (d.ret)
		return fail("diff_objects returned %d: %s", d.ret, d.err);
	got = changed_list(&d.res);
	if (tick_n->twin == pre_tick_n && !tock_n->twin &&
	    !strcmp(got, "tock") && !tick_n->include && tock_n->include)
		ret = 0;
	else
		ret = fail("expected only tock changed, tick's %s paired with pre %s and not included, tock's %s new and included; got: changed '%s', tick's %s, tock's %s",
			   tick_n->name, pre_tick_n->name, tock_n->name, got,
			   describe(tick_n), describe(tock_n));
	free(got);
	return ret;
}

/* Only the jump table of pick differs: its code and relocations do not. */
static int diff_switch_table(void)
{
	struct diff_run d;

	return run_diff("switch_table", &d) || expect_changed(&d, "pick") ||
	       expect_sym(&d, "other", KL_SAME, false);
}

/* gcc's lookup table for a switch (CSWTCH.n) belongs to the function. */
static int diff_switch_lookup(void)
{
	struct kl_symbol *table;
	struct diff_run d;

	if (run_diff("switch_lookup", &d))
		return 1;
	table = static_used_by(d.post, "level");
	if (!table || strncmp(table->name, "CSWTCH", 6))
		return fail("level does not use a CSWTCH table (gcc changed?)");
	if (expect_changed(&d, "level") ||
	    expect_sym(&d, "other", KL_SAME, false))
		return 1;
	if (!table->include)
		return fail("the new %s is not included", table->name);
	return 0;
}

/* other's literal moves to a section named after other, unchanged. */
static int diff_string_moved(void)
{
	struct diff_run d;

	return run_diff("string_moved", &d) || expect_changed(&d, "greet") ||
	       expect_sym(&d, "other", KL_SAME, false);
}

/* The function a kept __mcount_loc entry points at. */
static const char *entry_function(struct kl_elf *elf, struct kl_section *sec,
				  uint64_t offset)
{
	struct kl_symbol *f;
	size_t i;

	for (i = 0; sec->rela && i < sec->rela->nr_relas; i++) {
		struct kl_rela *r = &sec->rela->relas[i];

		if (r->offset != offset)
			continue;
		if (r->sym->type == STT_FUNC)
			return r->sym->name;
		if (r->sym->type != STT_SECTION || r->addend < 0)
			return "?";
		f = kl_symbol_at(elf, r->sym->sec, r->addend, 1u << STT_FUNC);
		return f ? f->name : "?";
	}
	return "?";
}

/* After the diff of pair, __mcount_loc keeps the entries of `expect`. */
static int check_mcount(const char *pair, const char *changed,
			size_t nr_all, const char *expect)
{
	struct special_keep *keep;
	struct kl_section *sec;
	struct diff_run d;
	char got[256] = "";
	const char *names[16];
	size_t i;

	if (run_diff(pair, &d) || expect_changed(&d, changed))
		return 1;
	sec = kl_find_section(d.post, "__mcount_loc");
	if (!sec)
		return fail("no __mcount_loc in the post object");
	if (sec->size != nr_all * 8)
		return fail("__mcount_loc has %zu bytes, expected %zu entries",
			    sec->size, nr_all);
	keep = sec->priv;
	if (!keep)
		return fail("__mcount_loc has no special_keep (sec->priv)");
	if (keep->entsize != 8)
		return fail("entry size %zu, expected 8", keep->entsize);
	if (keep->nr > 16)
		return fail("%zu entries kept", keep->nr);
	for (i = 0; i < keep->nr; i++) {
		if (keep->entries[i] >= nr_all)
			return fail("kept entry %zu out of range",
				    keep->entries[i]);
		names[i] = entry_function(d.post, sec,
					  keep->entries[i] * keep->entsize);
	}
	qsort(names, keep->nr, sizeof(*names), cmp_str);
	for (i = 0; i < keep->nr; i++) {
		if (i)
			strcat(got, " ");
		strncat(got, names[i], 64);
	}
	if (strcmp(got, expect))
		return fail("%zu kept entries for '%s', expected those of '%s'",
			    keep->nr, got, expect);
	if (!sec->include)
		return fail("__mcount_loc is not included");
	return 0;
}

static int mcount_func_body(void)
{
	return check_mcount("func_body", "mul", 3, "mul");
}

static int mcount_new_helper(void)
{
	return check_mcount("new_helper", "record", 3, "clamp record");
}

static int mcount_string_literal(void)
{
	return check_mcount("string_literal", "greet shout", 4, "greet shout");
}

/* second starts where first ends, in one section shared with third. */
static int mcount_shared_section(void)
{
	struct kl_symbol *first, *second;
	struct diff_run d;

	if (run_diff("shared_section", &d))
		return 1;
	first = kl_find_symbol(d.post, "first");
	second = kl_find_symbol(d.post, "second");
	if (!first || !second || first->sec != second->sec ||
	    first->value + first->size != second->value)
		return fail("second does not start where first ends (gcc changed?)");
	return check_mcount("shared_section", "second", 3, "second");
}

const struct unit_case diff_cases[] = {
	{ "diff: changed function body reports exactly that function",
	  diff_func_body },
	{ "diff: changed string literal reports its function, not users of shifted strings",
	  diff_string_literal },
	{ "diff: comment-only change reports nothing", diff_comment_only },
	{ "diff: a function with two names is patched once, by its global name",
	  diff_alias },
	{ "diff: new static helper is included, only its caller reported",
	  diff_new_helper },
	{ "diff: changed initial value of a global variable is refused",
	  diff_data_global },
	{ "diff: changed initial value of a static variable is refused",
	  diff_data_static },
	{ "diff: unchanged static variables of a changed function are not included",
	  diff_static_var },
	{ "diff: renumbered function-local static stays paired and borrowed",
	  diff_local_static_renumbered },
	{ "diff: function-local static keeps its pairing when another function adds a same-named one",
	  diff_local_static_same_name },
	{ "diff: change only in a switch jump table reports the function",
	  diff_switch_table },
	{ "diff: changed switch lookup table (CSWTCH) reports the function, not a data change",
	  diff_switch_lookup },
	{ "diff: unchanged literal moved to another string section is not a change",
	  diff_string_moved },
	{ "special: __mcount_loc keeps only the changed function's entry",
	  mcount_func_body },
	{ "special: __mcount_loc keeps the entries of the caller and the new helper",
	  mcount_new_helper },
	{ "special: __mcount_loc keeps the entries of two changed functions",
	  mcount_string_literal },
	{ "special: __mcount_loc entry of a function right after another in one section",
	  mcount_shared_section },
	{ NULL, NULL },
};
