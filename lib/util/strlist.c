/* Growable list of owned strings. */
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

int osmdiag__strlist_push(osmdiag__strlist *l, const char *s)
{
	char *copy;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		char **v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	copy = strdup(s ? s : "");
	if (!copy)
		return -1;
	l->v[l->n++] = copy;
	return 0;
}

int osmdiag__strlist_push_unique(osmdiag__strlist *l, const char *s)
{
	if (osmdiag__strlist_contains(l, s))
		return 0;
	return osmdiag__strlist_push(l, s);
}

int osmdiag__strlist_contains(const osmdiag__strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (osmdiag__streq(l->v[i], s))
			return 1;
	return 0;
}

int osmdiag__strlist_contains_case(const osmdiag__strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (osmdiag__strcaseeq(l->v[i], s))
			return 1;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void osmdiag__strlist_sort(osmdiag__strlist *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), cmp_str);
}

char *osmdiag__strlist_join(const osmdiag__strlist *l, const char *sep)
{
	osmdiag__buf b = OSMDIAG__BUF_INIT;

	for (size_t i = 0; i < l->n; i++) {
		if (i)
			osmdiag__buf_puts(&b, sep);
		osmdiag__buf_puts(&b, l->v[i]);
	}
	return osmdiag__buf_detach(&b);
}

void osmdiag__strlist_free(osmdiag__strlist *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}
