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

/* __func__.0 and .1 are renumbered by a new function's: paired by value. */
static int diff_func_name_renumbered(void)
{
	struct diff_run d;

	if (run_diff("func_name_renumbered", &d) || expect_changed(&d, "") ||
	    expect_sym(&d, "one", KL_SAME, false) ||
	    expect_sym(&d, "two", KL_SAME, false) ||
	    expect_sym(&d, "three", KL_NEW, true))
		return 1;
	return 0;
}

/*
 * A pr_debug() added to quiet() renames the descriptors below it, one of
 * them shared by two callers of an inlined helper: those stay unchanged,
 * and reworded(), whose message changed, is patched, not refused.
 */
static int diff_dyndbg_renumbered(void)
{
	struct diff_run d;

	if (run_diff("dyndbg_renumbered", &d) ||
	    expect_changed(&d, "quiet reworded") ||
	    expect_sym(&d, "first_caller", KL_SAME, false) ||
	    expect_sym(&d, "second_caller", KL_SAME, false))
		return 1;
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

/* diff_objects succeeded and printed exactly one line containing each word. */
static int expect_note(struct diff_run *d, const char *a, const char *b)
{
	if (d->ret)
		return fail("diff_objects returned %d: %s", d->ret, d->err);
	if (count_lines(d->err) != 1 || !strstr(d->err, a) ||
	    !strstr(d->err, b))
		return fail("expected one line naming %s and %s, got: '%s'", a,
			    b, d->err);
	return 0;
}

static int expect_not_included(struct diff_run *d, const char *name)
{
	struct kl_symbol *s = post_sym(d, name);

	if (!s)
		return 1;
	if (s->include)
		return fail("%s is included", name);
	return 0;
}

/* The functions whose entries a special section keeps, sorted. */
static int kept_entries(struct diff_run *d, const char *secname,
			char *out, size_t size)
{
	struct kl_section *sec = kl_find_section(d->post, secname);
	struct special_keep *keep;
	size_t i;

	out[0] = '\0';
	if (!sec)
		return fail("no %s in the post object", secname);
	keep = sec->priv;
	for (i = 0; keep && i < keep->nr; i++) {
		uint64_t off = keep->entries[i] * keep->entsize;
		struct kl_rela *r;
		struct kl_target t;

		if (!kl_relas_in(sec, off, off + keep->entsize, &r))
			return fail("kept %s entry %zu has no relocation",
				    secname, keep->entries[i]);
		resolve_target(d->post, sec, r, &t);
		if (i)
			strncat(out, " ", size - strlen(out) - 1);
		strncat(out, t.sym->name, size - strlen(out) - 1);
	}
	return 0;
}

/*
 * Lines inserted above might_sleep(), WARN_ON() and printk() change only
 * their __LINE__: a code immediate, a __bug_table field, a pi_entry field.
 */
static int diff_line_shift(void)
{
	struct kl_symbol *entry;
	struct diff_run d;
	char kept[256];

	if (run_diff("line_shift", &d) || expect_changed(&d, "changed") ||
	    expect_sym(&d, "sleeper", KL_SAME, false) ||
	    expect_sym(&d, "warner", KL_SAME, false) ||
	    expect_sym(&d, "printer", KL_SAME, false) ||
	    kept_entries(&d, ".printk_index", kept, sizeof(kept)))
		return 1;
	entry = kl_find_symbol(d.post, kept);
	if (strncmp(kept, "_entry", 6) || strchr(kept, ' ') || !entry)
		return fail(".printk_index keeps '%s', expected one pi_entry",
			    kept);
	if (!entry->include)
		return fail("the kept pi_entry %s is not carried", kept);
	return 0;
}

/* The same shift, and a real change next to might_sleep()'s line. */
static int diff_line_real(void)
{
	struct diff_run d;

	return run_diff("line_real", &d) ||
	       expect_changed(&d, "changed sleeper") ||
	       expect_sym(&d, "warner", KL_SAME, false);
}

/* kpatch-macros.h records: ignore, ignore section, callbacks. */
static int diff_markers(void)
{
	struct diff_run d;

	if (run_diff("markers", &d) ||
	    expect_note(&d, "'hidden'", "KPATCH_IGNORE_FUNCTION"))
		return 1;
	free(d.err);
	d.err = strdup("");
	if (expect_changed(&d, "shown") ||
	    expect_sym(&d, "hidden", KL_SAME, false) ||
	    expect_sym(&d, "quiet", KL_SAME, false) ||
	    expect_sym(&d, "tuned_reader", KL_SAME, false) ||
	    expect_sym(&d, "before_patch", KL_NEW, true) ||
	    expect_sym(&d, "after_patch", KL_NEW, true) ||
	    expect_not_included(&d, "tuned") ||
	    expect_not_included(&d, "ignore_hidden") ||
	    expect_not_included(&d, "ignore_tuned"))
		return 1;
	if (!post_sym(&d, "pre_record") || !post_sym(&d, "post_record") ||
	    !post_sym(&d, "pre_record")->include ||
	    !post_sym(&d, "post_record")->include)
		return fail("the callback records are not carried");
	if (d.res.nr_callbacks != 2)
		return fail("%zu callbacks counted, expected 2",
			    d.res.nr_callbacks);
	return 0;
}

static int diff_init_change(void)
{
	struct diff_run d;

	return run_diff("init_change", &d) ||
	       expect_refused(&d, "'setup_level' is init or exit code");
}

static int diff_init_forced(void)
{
	struct diff_run d;

	if (run_diff("init_forced", &d) ||
	    expect_note(&d, "'setup_level'", "KPATCH_FORCE_UNSAFE"))
		return 1;
	free(d.err);
	d.err = strdup("");
	return expect_changed(&d, "read_level") ||
	       expect_sym(&d, "setup_level", KL_SAME, false);
}

static int diff_notrace_global(void)
{
	struct diff_run d;

	return run_diff("notrace_global", &d) ||
	       expect_refused(&d, "'untraced' changed but cannot be patched: it has no ftrace entry");
}

/* Statics of printk_once() calls, paired by their message. */
static int diff_once_kept(void)
{
	struct diff_run d;
	size_t i, carried = 0;

	if (run_diff("once_kept", &d) || expect_changed(&d, "first twice"))
		return 1;
	for (i = 0; i < d.post->nr_syms; i++) {
		struct kl_symbol *s = d.post->syms[i];

		if (strncmp(s->name, "__already_done", 14))
			continue;
		if (s->include != !s->twin)
			return fail("%s", describe(s));
		carried += s->include;
	}
	if (carried != 1)
		return fail("%zu once flags carried, expected first's new one",
			    carried);
	return 0;
}

static int diff_once_reset(void)
{
	struct diff_run d;

	return run_diff("once_reset", &d) ||
	       expect_refused(&d, "function 'twice' changed but cannot be patched: its once-only flag");
}

/* A gcc clone (scale.constprop.0) is patched itself; its callers are not. */
static int diff_clone(void)
{
	struct kl_symbol *clone;
	struct diff_run d;

	if (run_diff("clone", &d))
		return 1;
	clone = kl_find_symbol(d.post, "scale.constprop.0");
	if (!clone)
		return fail("no scale.constprop.0 (gcc changed?)");
	return expect_changed(&d, "scale.constprop.0") ||
	       expect_sym(&d, "use1", KL_SAME, false) ||
	       expect_sym(&d, "use2", KL_SAME, false);
}

/* An inlined helper's change patches every function it was inlined in. */
static int diff_inline_callee(void)
{
	struct diff_run d;

	return run_diff("inline_callee", &d) ||
	       expect_changed(&d, "heavy light") ||
	       expect_sym(&d, "none", KL_SAME, false);
}

/* func_body's objects with kbuild command files holding CRCs. */
static int run_with_crcs(const char *dir, const char *pre_crc,
			 const char *post_crc, struct diff_run *d)
{
	char *cmd, *text;
	int ret;

	if (asprintf(&cmd, "d='%s/%s' && mkdir -p \"$d\" && cp '%s/func_body/pre.o' '%s/func_body/post.o' \"$d\"/",
		     work_dir(), dir, work_dir(), work_dir()) < 0)
		abort();
	ret = system(cmd);
	free(cmd);
	if (ret)
		return fail("cannot copy func_body's objects");
	if (asprintf(&text, "cmd_x := gcc\n#SYMVER mul %s\n#SYMVER add 0x1111\n",
		     pre_crc) < 0 || asprintf(&cmd, "%s/%s/.pre.o.cmd", work_dir(),
					      dir) < 0 ||
	    spill(cmd, text, strlen(text)))
		return fail("cannot write %s", cmd);
	free(cmd);
	free(text);
	if (asprintf(&text, "#SYMVER add 0x1111\n#SYMVER mul %s\n", post_crc) < 0 ||
	    asprintf(&cmd, "%s/%s/.post.o.cmd", work_dir(), dir) < 0 ||
	    spill(cmd, text, strlen(text)))
		return fail("cannot write %s", cmd);
	free(cmd);
	free(text);
	return run_diff(dir, d);
}

static int diff_crc_changed(void)
{
	struct diff_run d;

	return run_with_crcs("crc_changed", "0x12345678", "0x9abcdef0", &d) ||
	       expect_refused(&d, "exported symbol 'mul' changes its modversions CRC");
}

static int diff_crc_same(void)
{
	struct diff_run d;

	return run_with_crcs("crc_same", "0x12345678", "0x12345678", &d) ||
	       expect_changed(&d, "mul");
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
	{ "diff: renumbered __func__ copies pair by value",
	  diff_func_name_renumbered },
	{ "diff: pr_debug descriptors pair by function and message, not by their counter-bearing names",
	  diff_dyndbg_renumbered },
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
	{ "diff: lines inserted above might_sleep/WARN_ON/printk change no function",
	  diff_line_shift },
	{ "diff: a real change next to a shifted __LINE__ is still a change",
	  diff_line_real },
	{ "diff: kpatch markers: ignored function and section, callbacks carried",
	  diff_markers },
	{ "diff: changed __init code is refused", diff_init_change },
	{ "diff: changed __init code with KPATCH_FORCE_UNSAFE is a warning",
	  diff_init_forced },
	{ "diff: changed global notrace function is refused",
	  diff_notrace_global },
	{ "diff: printk_once flags keep the running kernel's, new ones carried",
	  diff_once_kept },
	{ "diff: a once flag that would be reset is refused", diff_once_reset },
	{ "diff: a changed gcc clone (.constprop) is patched, not its callers",
	  diff_clone },
	{ "diff: a changed inlined helper patches every caller", diff_inline_callee },
	{ "diff: a changed modversions CRC of an export is refused",
	  diff_crc_changed },
	{ "diff: an unchanged modversions CRC is no refusal", diff_crc_same },
	{ NULL, NULL },
};
