/*
 * records.c - klive's records of applied patches: one small key=value file
 * per patch under RUN_DIR/patches, written atomically (rename).
 */
#define _GNU_SOURCE
#include "records.h"
#include "lock.h"
#include "../util/util.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *records_dir(void)
{
	return xasprintf("%s/patches", kl_run_dir());
}

static char *record_path(const char *name)
{
	return xasprintf("%s/patches/%s", kl_run_dir(), name);
}

static void parse_line(struct kl_record *r, const char *line)
{
	const char *eq = strchr(line, '=');
	const char *val;

	if (!eq)
		return;
	val = eq + 1;
	if (str_starts(line, "seq="))
		r->seq = strtoul(val, NULL, 10);
	else if (str_starts(line, "applied="))
		r->applied = (time_t)strtoll(val, NULL, 10);
	else if (str_starts(line, "source=") && *val && !r->source)
		r->source = xstrdup(val);
	else if (str_starts(line, "file=") && *val && !r->file)
		r->file = xstrdup(val);
}

int kl_record_read(const char *name, struct kl_record *r)
{
	char *path = record_path(name), *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;

	memset(r, 0, sizeof(*r));
	f = fopen(path, "re");
	free(path);
	if (!f)
		return -1;
	r->name = xstrdup(name);
	while ((n = getline(&line, &cap, f)) > 0) {
		line[strcspn(line, "\n")] = '\0';
		parse_line(r, line);
	}
	free(line);
	fclose(f);
	return 0;
}

void kl_record_free(struct kl_record *r)
{
	free(r->name);
	free(r->source);
	free(r->file);
	memset(r, 0, sizeof(*r));
}

static int cmp_seq(const void *a, const void *b)
{
	const struct kl_record *x = a, *y = b;

	return (x->seq > y->seq) - (x->seq < y->seq);
}

size_t kl_records_all(struct kl_record **records)
{
	char *dir = records_dir();
	struct dirent *de;
	size_t nr = 0;
	DIR *d;

	*records = NULL;
	d = opendir(dir);
	free(dir);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || str_ends(de->d_name, ".tmp"))
			continue;
		*records = xrealloc(*records, (nr + 1) * sizeof(**records));
		if (!kl_record_read(de->d_name, &(*records)[nr]))
			nr++;
	}
	closedir(d);
	if (nr)
		qsort(*records, nr, sizeof(**records), cmp_seq);
	return nr;
}

void kl_records_free(struct kl_record *records, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++)
		kl_record_free(&records[i]);
	free(records);
}

static unsigned long next_seq(void)
{
	struct kl_record *all;
	unsigned long seq = 0;
	size_t nr;

	nr = kl_records_all(&all);
	if (nr)
		seq = all[nr - 1].seq;
	kl_records_free(all, nr);
	return seq + 1;
}

int kl_record_add(const char *name, const char *source, const char *file)
{
	char *dir = records_dir(), *path, *text, *abs;
	int ret;

	if (mkdir_p(dir)) {
		free(dir);
		return -1;
	}
	free(dir);
	abs = file ? abs_path(file) : NULL;
	text = xasprintf("seq=%lu\napplied=%lld\nsource=%s\nfile=%s\n",
			 next_seq(), (long long)time(NULL),
			 source ? source : "", abs ? abs : (file ? file : ""));
	free(abs);
	path = record_path(name);
	ret = write_file_atomic(path, text, strlen(text));
	free(path);
	free(text);
	return ret;
}

void kl_record_remove(const char *name)
{
	char *path = record_path(name);

	if (unlink(path) && errno != ENOENT)
		kl_debug("cannot remove %s: %s", path, strerror(errno));
	free(path);
}
