/* Growable NUL-terminated buffer with a sticky out-of-memory flag. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

static int buf_grow(osmdiag__buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (b->oom)
		return -1;
	if (extra > ((size_t)-1) / 2 - b->len) {
		b->oom = 1;
		return -1;
	}
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	p = realloc(b->ptr, cap);
	if (!p) {
		b->oom = 1;
		return -1;
	}
	b->ptr = p;
	b->cap = cap;
	return 0;
}

int osmdiag__buf_put(osmdiag__buf *b, const char *s, size_t n)
{
	if (buf_grow(b, n) < 0)
		return -1;
	if (n)
		memcpy(b->ptr + b->len, s, n);
	b->len += n;
	b->ptr[b->len] = '\0';
	return 0;
}

int osmdiag__buf_puts(osmdiag__buf *b, const char *s)
{
	return osmdiag__buf_put(b, s ? s : "", s ? strlen(s) : 0);
}

int osmdiag__buf_putc(osmdiag__buf *b, char c)
{
	return osmdiag__buf_put(b, &c, 1);
}

int osmdiag__buf_printf(osmdiag__buf *b, const char *fmt, ...)
{
	va_list ap, cp;
	int n;

	va_start(ap, fmt);
	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0 || buf_grow(b, (size_t)n) < 0) {
		va_end(ap);
		b->oom = 1;
		return -1;
	}
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

int osmdiag__buf_put_xml(osmdiag__buf *b, const char *s)
{
	const char *run = s;

	if (!s)
		return 0;
	for (; *s; s++) {
		const char *rep = NULL;

		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&apos;"; break;
		default:
			/* XML 1.0 forbids most control characters: drop them. */
			if ((unsigned char)*s < 0x20 && *s != '\t' && *s != '\n' && *s != '\r')
				rep = "";
		}
		if (rep) {
			osmdiag__buf_put(b, run, (size_t)(s - run));
			osmdiag__buf_puts(b, rep);
			run = s + 1;
		}
	}
	osmdiag__buf_put(b, run, (size_t)(s - run));
	return b->oom ? -1 : 0;
}

char *osmdiag__buf_detach(osmdiag__buf *b)
{
	char *p;

	if (b->oom) {
		osmdiag__buf_free(b);
		return NULL;
	}
	if (!b->ptr && osmdiag__buf_put(b, "", 0) < 0)
		return NULL;
	p = b->ptr;
	b->ptr = NULL;
	b->len = b->cap = 0;
	return p;
}

void osmdiag__buf_free(osmdiag__buf *b)
{
	if (!b)
		return;
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
	b->oom = 0;
}
