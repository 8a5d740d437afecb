/*
 * A small deterministic YAML emitter for the draft manifests: block style,
 * two-space indentation, sequences at the indentation of their key (kubectl
 * style), keys in a fixed order (apiVersion, kind, metadata, name, namespace,
 * then the rest sorted by byte value), strings quoted whenever a YAML 1.1 or
 * 1.2 reader could take them for something else, multi-line strings as
 * literal blocks. The same json_t always gives the same bytes.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "migrate/migrate_impl.h"

static const char *const first_keys[] = { "apiVersion", "kind", "metadata", "name", "namespace" };
#define NFIRST (sizeof(first_keys) / sizeof(first_keys[0]))

static int key_rank(const char *k)
{
	for (size_t i = 0; i < NFIRST; i++)
		if (strcmp(k, first_keys[i]) == 0)
			return (int)i;
	return (int)NFIRST;
}

static int key_cmp(const void *a, const void *b)
{
	const char *ka = *(const char *const *)a, *kb = *(const char *const *)b;
	int ra = key_rank(ka), rb = key_rank(kb);

	if (ra != rb)
		return ra - rb;
	return strcmp(ka, kb);
}

/* Words YAML 1.1 (and 1.2 core) read as booleans or null. */
static int reserved_word(const char *s)
{
	static const char *const words[] = { "y", "n", "yes", "no", "true", "false", "on", "off", "null", "~"
		};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (osmdiag__strcaseeq(s, words[i]))
			return 1;
	return 0;
}

/* Looks like a number (int, float, hex, octal, sexagesimal, .inf/.nan) to some YAML reader. */
static int numeric_like(const char *s)
{
	const char *p = s;
	int digits = 0;

	if (*p == '+' || *p == '-')
		p++;
	if (osmdiag__strcaseeq(p, ".inf") || osmdiag__strcaseeq(p, ".nan"))
		return 1;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'o' || p[1] == 'b'))
		return 1;
	for (; *p; p++) {
		if (isdigit((unsigned char)*p))
			digits++;
		else if (!strchr("._:eE+-", *p))
			return 0;
	}
	return digits > 0;
}

int osmdiag__yaml_needs_quotes(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || reserved_word(s) || numeric_like(s))
		return 1;
	if (strchr("-?:,[]{}#&*!|>'\"%@`", s[0]) && !(s[0] == '-' && s[1] && s[1] != ' ' &&
			!isdigit((unsigned char)s[1])
		&& s[1] != '.'))
		return 1;
	if (s[0] == ' ' || s[n - 1] == ' ' || s[n - 1] == ':')
		return 1;
	if (strstr(s, ": ") || strstr(s, " #") || strstr(s, "\t"))
		return 1;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 1;
	/* "- x" and "--- x" forms are caught by the first-character test */
	return 0;
}

static void put_quoted(osmdiag__buf *b, const char *s)
{
	osmdiag__buf_putc(b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': osmdiag__buf_puts(b, "\\\""); break;
		case '\\': osmdiag__buf_puts(b, "\\\\"); break;
		case '\n': osmdiag__buf_puts(b, "\\n"); break;
		case '\t': osmdiag__buf_puts(b, "\\t"); break;
		case '\r': osmdiag__buf_puts(b, "\\r"); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				osmdiag__buf_printf(b, "\\x%02x", *p);
			else
				osmdiag__buf_putc(b, (char)*p);
		}
	}
	osmdiag__buf_putc(b, '"');
}

static void put_string(osmdiag__buf *b, const char *s)
{
	if (osmdiag__yaml_needs_quotes(s))
		put_quoted(b, s);
	else
		osmdiag__buf_puts(b, s);
}

/* A key: plain when safe; digit-only keys stay plain (port maps: portLevelMtls 14001). */
static void put_key(osmdiag__buf *b, const char *k)
{
	int digits = *k != '\0';

	for (const char *p = k; *p; p++)
		if (!isdigit((unsigned char)*p))
			digits = 0;
	if (digits && !(k[0] == '0' && k[1]))
		osmdiag__buf_puts(b, k);
	else
		put_string(b, k);
	osmdiag__buf_putc(b, ':');
}

static void pad(osmdiag__buf *b, int n)
{
	for (int i = 0; i < n; i++)
		osmdiag__buf_putc(b, ' ');
}

/* A multi-line string fit for a literal block: no control characters except
 * newlines, no trailing spaces on a line, first line not indented. */
static int block_ok(const char *s)
{
	if (!strchr(s, '\n') || s[0] == ' ' || s[0] == '\n')
		return 0;
	for (const char *p = s; *p; p++) {
		if ((unsigned char)*p < 0x20 && *p != '\n')
			return 0;
		if (*p == ' ' && (p[1] == '\n' || p[1] == '\0'))
			return 0;
	}
	return 1;
}

static void put_block(osmdiag__buf *b, const char *s, int indent)
{
	size_t n = strlen(s);
	const char *p = s;

	/* |- strips the final newline, | keeps one; more than one trailing newline is not block-safe */
	if (n >= 2 && s[n - 1] == '\n' && s[n - 2] == '\n') {
		put_quoted(b, s);
		osmdiag__buf_putc(b, '\n');
		return;
	}
	osmdiag__buf_puts(b, s[n - 1] == '\n' ? "|\n" : "|-\n");
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len) {
			pad(b, indent);
			osmdiag__buf_put(b, p, len);
		}
		osmdiag__buf_putc(b, '\n');
		p += len + (e ? 1 : 0);
	}
}

static void put_scalar(osmdiag__buf *b, const json_t *v, int indent)
{
	char num[64];

	switch (json_typeof(v)) {
	case JSON_STRING:
		if (block_ok(json_string_value(v))) {
			put_block(b, json_string_value(v), indent);
			return;
		}
		put_string(b, json_string_value(v));
		break;
	case JSON_INTEGER:
		osmdiag__buf_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL: {
		double d = json_real_value(v);

		if (!isfinite(d))
			d = 0;
		snprintf(num, sizeof(num), "%.15g", d);
		if (!strpbrk(num, ".eE"))
			strcat(num, ".0");
		osmdiag__buf_puts(b, num);
		break;
	}
	case JSON_TRUE:
		osmdiag__buf_puts(b, "true");
		break;
	case JSON_FALSE:
		osmdiag__buf_puts(b, "false");
		break;
	case JSON_OBJECT:
		osmdiag__buf_puts(b, "{}");
		break;
	case JSON_ARRAY:
		osmdiag__buf_puts(b, "[]");
		break;
	default:
		osmdiag__buf_puts(b, "null");
		break;
	}
	osmdiag__buf_putc(b, '\n');
}

static int is_nonempty_container(const json_t *v)
{
	return (json_is_object(v) && json_object_size(v)) || (json_is_array(v) && json_array_size(v));
}

static void put_seq(osmdiag__buf *b, const json_t *arr, int indent);

/* The members of an object at `indent`; the first key goes on the current line when `inline_first`. */
static void put_map(osmdiag__buf *b, const json_t *obj, int indent, int inline_first)
{
	size_t n = json_object_size(obj), k = 0;
	const char **keys = malloc((n ? n : 1) * sizeof(*keys));
	const char *key;
	json_t *v;

	if (!keys) {
		b->oom = 1;
		return;
	}
	json_object_foreach((json_t *)obj, key, v)
		keys[k++] = key;
	if (n > 1)
		qsort(keys, n, sizeof(*keys), key_cmp);
	for (k = 0; k < n; k++) {
		v = json_object_get(obj, keys[k]);
		if (!(k == 0 && inline_first))
			pad(b, indent);
		put_key(b, keys[k]);
		if (json_is_object(v) && json_object_size(v)) {
			osmdiag__buf_putc(b, '\n');
			put_map(b, v, indent + 2, 0);
		} else if (json_is_array(v) && json_array_size(v)) {
			osmdiag__buf_putc(b, '\n');
			put_seq(b, v, indent);
		} else {
			osmdiag__buf_putc(b, ' ');
			put_scalar(b, v, indent + 2);
		}
	}
	free(keys);
}

static void put_seq(osmdiag__buf *b, const json_t *arr, int indent)
{
	size_t i;
	json_t *v;

	json_array_foreach((json_t *)arr, i, v) {
		pad(b, indent);
		osmdiag__buf_puts(b, "- ");
		if (json_is_object(v) && json_object_size(v)) {
			put_map(b, v, indent + 2, 1);
		} else if (is_nonempty_container(v)) {
			osmdiag__buf_putc(b, '\n');
			put_seq(b, v, indent + 2);
		} else {
			put_scalar(b, v, indent + 2);
		}
	}
}

char *osmdiag__yaml_emit(const json_t *doc)
{
	osmdiag__buf b = OSMDIAG__BUF_INIT;

	if (json_is_object(doc) && json_object_size(doc))
		put_map(&b, doc, 0, 0);
	else if (json_is_array(doc) && json_array_size(doc))
		put_seq(&b, doc, 0);
	else if (doc)
		put_scalar(&b, doc, 0);
	if (b.oom) {
		osmdiag__buf_free(&b);
		return NULL;
	}
	return osmdiag__buf_detach(&b);
}
