/*
 * state.c - the upgrade's state file, STORE/state: one "key=value" line
 * each, rewritten whole (atomically) at every phase, so that the boot step
 * of the next kernel knows what was dumped, where, when, and which kernel
 * to go back to.
 */
#define _GNU_SOURCE
#include "upgrade.h"
#include "../util/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct kl_state {
	char *store;
	char **key;
	char **val;
	size_t n;
};

struct kl_state *kl_state_new(const char *store)
{
	struct kl_state *s = xzalloc(sizeof(*s));

	s->store = xstrdup(store);
	return s;
}

struct kl_state *kl_state_load(const char *store)
{
	char *path = xasprintf("%s/state", store), *text, *line, *eq;
	char *save = NULL;
	struct kl_state *s;

	if (!path_exists(path)) {
		free(path);
		return NULL;
	}
	text = read_file(path, NULL);
	free(path);
	if (!text)
		return NULL;
	s = kl_state_new(store);
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		eq = strchr(line, '=');
		if (!eq)
			continue;
		*eq = '\0';
		kl_state_set(s, line, "%s", eq + 1);
	}
	free(text);
	return s;
}

void kl_state_free(struct kl_state *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++) {
		free(s->key[i]);
		free(s->val[i]);
	}
	free(s->key);
	free(s->val);
	free(s->store);
	free(s);
}

const char *kl_state_get(const struct kl_state *s, const char *key)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->key[i], key))
			return s->val[i];
	return NULL;
}

void kl_state_set(struct kl_state *s, const char *key, const char *fmt, ...)
{
	va_list ap;
	char *val;
	size_t i;

	va_start(ap, fmt);
	if (vasprintf(&val, fmt, ap) < 0)
		val = NULL;
	va_end(ap);
	if (!val)
		val = xstrdup("");
	/* One line per key: newlines would split it. */
	for (i = 0; val[i]; i++)
		if (val[i] == '\n')
			val[i] = ' ';
	for (i = 0; i < s->n; i++) {
		if (!strcmp(s->key[i], key)) {
			free(s->val[i]);
			s->val[i] = val;
			return;
		}
	}
	s->key = xrealloc(s->key, (s->n + 1) * sizeof(*s->key));
	s->val = xrealloc(s->val, (s->n + 1) * sizeof(*s->val));
	s->key[s->n] = xstrdup(key);
	s->val[s->n++] = val;
}

int kl_state_save(const struct kl_state *s)
{
	char *path = xasprintf("%s/state", s->store), *text = xstrdup(""), *t;
	size_t i;
	int ret;

	for (i = 0; i < s->n; i++) {
		t = xasprintf("%s%s=%s\n", text, s->key[i], s->val[i]);
		free(text);
		text = t;
	}
	ret = write_file_atomic(path, text, strlen(text));
	free(text);
	free(path);
	return ret;
}

const char *kl_state_store(const struct kl_state *s)
{
	return s->store;
}
