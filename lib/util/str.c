/* String helpers. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

char *osmdiag__strdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

char *osmdiag__strndup(const char *s, size_t n)
{
	return s ? strndup(s, n) : NULL;
}

char *osmdiag__vasprintf(const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	char *out;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return NULL;
	out = malloc((size_t)n + 1);
	if (!out)
		return NULL;
	vsnprintf(out, (size_t)n + 1, fmt, ap);
	return out;
}

char *osmdiag__asprintf(const char *fmt, ...)
{
	va_list ap;
	char *out;

	va_start(ap, fmt);
	out = osmdiag__vasprintf(fmt, ap);
	va_end(ap);
	return out;
}

int osmdiag__streq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

int osmdiag__strcaseeq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	for (; *a && *b; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
	return *a == *b;
}

int osmdiag__has_suffix(const char *s, const char *suffix)
{
	size_t ls, lx;

	if (!s || !suffix)
		return 0;
	ls = strlen(s);
	lx = strlen(suffix);
	return ls >= lx && memcmp(s + ls - lx, suffix, lx) == 0;
}
