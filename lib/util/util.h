/*
 * Small shared helpers: strings, growable buffers, string lists, errors,
 * base64, time and Go durations. Internal; never installed.
 */
#ifndef OSMDIAG_UTIL_H
#define OSMDIAG_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <time.h>

#include "osmdiag/errors.h"

#if defined(__GNUC__)
#define OSMDIAG__PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define OSMDIAG__PRINTF(f, a)
#endif

/* ---- strings --------------------------------------------------------- */
char *osmdiag__strdup(const char *s);                 /* NULL-safe; NULL on OOM */
char *osmdiag__strndup(const char *s, size_t n);
char *osmdiag__asprintf(const char *fmt, ...) OSMDIAG__PRINTF(1, 2);
char *osmdiag__vasprintf(const char *fmt, va_list ap);
int osmdiag__streq(const char *a, const char *b);     /* NULL-safe equality */
int osmdiag__strcaseeq(const char *a, const char *b); /* NULL-safe, ASCII case-insensitive */
int osmdiag__has_suffix(const char *s, const char *suffix);

/* ---- growable buffer -------------------------------------------------- */
typedef struct osmdiag__buf {
	char *ptr;   /* always NUL-terminated once anything was written */
	size_t len;
	size_t cap;
	int oom;     /* sticky: set when an allocation failed */
} osmdiag__buf;

#define OSMDIAG__BUF_INIT { NULL, 0, 0, 0 }
int osmdiag__buf_put(osmdiag__buf *b, const char *s, size_t n);
int osmdiag__buf_puts(osmdiag__buf *b, const char *s);
int osmdiag__buf_putc(osmdiag__buf *b, char c);
int osmdiag__buf_printf(osmdiag__buf *b, const char *fmt, ...) OSMDIAG__PRINTF(2, 3);
/* XML-escapes (& < > " ') `s` into the buffer. */
int osmdiag__buf_put_xml(osmdiag__buf *b, const char *s);
/* Hands the string over (never NULL unless OOM: "" for an empty buffer). */
char *osmdiag__buf_detach(osmdiag__buf *b);
void osmdiag__buf_free(osmdiag__buf *b);

/* ---- string lists ------------------------------------------------------ */
typedef struct osmdiag__strlist {
	char **v;
	size_t n;
	size_t cap;
} osmdiag__strlist;

#define OSMDIAG__STRLIST_INIT { NULL, 0, 0 }
int osmdiag__strlist_push(osmdiag__strlist *l, const char *s);          /* copies */
int osmdiag__strlist_push_unique(osmdiag__strlist *l, const char *s);   /* copies if absent */
int osmdiag__strlist_contains(const osmdiag__strlist *l, const char *s);
int osmdiag__strlist_contains_case(const osmdiag__strlist *l, const char *s);
void osmdiag__strlist_sort(osmdiag__strlist *l);
char *osmdiag__strlist_join(const osmdiag__strlist *l, const char *sep); /* new string */
void osmdiag__strlist_free(osmdiag__strlist *l);

/* ---- errors ------------------------------------------------------------ */
/* Fills an optional caller error struct (NULL-safe); returns `code`. */
int osmdiag__error_set(osmdiag_error *err, int code, const char *fmt, ...) OSMDIAG__PRINTF(3, 4);

/* ---- base64 ------------------------------------------------------------- */
/* Decodes standard base64 (whitespace ignored). Returns a malloc'd buffer
 * (NUL-terminated for convenience) and its length, or NULL if invalid. */
unsigned char *osmdiag__base64_decode(const char *in, size_t *outlen);

/* ---- time --------------------------------------------------------------- */
double osmdiag__now_ms(void);                         /* monotonic clock */
/* Parses RFC 3339 ("2026-11-26T10:00:00Z", fractions and offsets allowed). */
int osmdiag__parse_rfc3339(const char *s, time_t *out);
/* Formats as "2026-11-26T10:00:00Z" into buf (>= 21 bytes). */
const char *osmdiag__format_rfc3339(time_t t, char *buf, size_t len);
/* Go time.ParseDuration: "24h", "1h30m", "0s", "1.5h", "300ms", "-1m". 0 or -1. */
int osmdiag__parse_go_duration(const char *s, double *seconds);

/* ---- pointer-pair map ------------------------------------------------------ */
/* Keys are two pointers (compared by address; the first is never NULL),
 * values are the caller's. */
typedef struct osmdiag__ptrmap {
	struct osmdiag__ptrmap_slot *v;
	size_t cap, n;
} osmdiag__ptrmap;
#define OSMDIAG__PTRMAP_INIT { NULL, 0, 0 }
/* The value slot of (k1, k2), added (value NULL, *found 0) when missing;
 * NULL on out of memory or when k1 is NULL. Valid until the next call. */
void **osmdiag__ptrmap_slot(osmdiag__ptrmap *m, const void *k1, const void *k2, int *found);
/* Frees the map (free_val on every value when not NULL); the map is empty after. */
void osmdiag__ptrmap_clear(osmdiag__ptrmap *m, void (*free_val)(void *));

#endif /* OSMDIAG_UTIL_H */
