/*
 * YAML -> jansson, on libyaml's event stream.
 *
 * - Plain scalars resolve with the YAML 1.2 core schema; quoted and block
 *   scalars are strings; the standard tags (!!str, !!int, !!float, !!bool,
 *   !!null, !!binary, !!timestamp) are honoured; other tags are ignored.
 * - Anchors and aliases (an alias is a deep copy, so every position owns its
 *   value) and merge keys (`<<: *base`, `<<: [*a, *b]`; explicit keys win,
 *   earlier merged mappings win over later ones).
 * - Guards: nesting deeper than OSMDIAG__YAML_MAX_DEPTH, excessive aliasing
 *   (billion laughs), non-scalar mapping keys and duplicate keys are errors.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "osmdiag/errors.h"
#include "source/yaml.h"

#define TAG_PREFIX "tag:yaml.org,2002:"

typedef struct yctx {
	yaml_parser_t p;
	const char *buf;
	size_t len;
	json_t *anchors; /* name -> node */
	json_t *asizes;  /* name -> node count */
	size_t real_nodes;
	size_t alias_nodes;
	char *errbuf;
	size_t errlen;
} yctx;

static int fail_at(yctx *c, const yaml_mark_t *m, int code, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

static int fail_at(yctx *c, const yaml_mark_t *m, int code, const char *fmt, ...)
{
	if (!c->errbuf || c->errlen == 0)
		return code;
	int n = 0;
	if (m)
		n = snprintf(c->errbuf, c->errlen, "%zu:%zu: ", m->line + 1, m->column + 1);
	if (n < 0 || (size_t)n >= c->errlen)
		return code;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->errbuf + n, c->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return code;
}

static int oom(yctx *c)
{
	return fail_at(c, NULL, OSMDIAG_ENOMEM, "out of memory");
}

/* Line/column (0-based) of a byte offset. */
static yaml_mark_t mark_of_offset(const yctx *c, size_t off)
{
	yaml_mark_t m = { off, 0, 0 };
	size_t line_start = 0;
	for (size_t i = 0; i < off && i < c->len; i++) {
		if (c->buf[i] == '\n') {
			m.line++;
			line_start = i + 1;
		}
	}
	m.column = off - line_start;
	return m;
}

static int next_event(yctx *c, yaml_event_t *ev)
{
	if (yaml_parser_parse(&c->p, ev))
		return 0;
	memset(ev, 0, sizeof(*ev)); /* so that yaml_event_delete is harmless */
	const char *problem = c->p.problem ? c->p.problem : "invalid YAML";
	switch (c->p.error) {
	case YAML_MEMORY_ERROR:
		return oom(c);
	case YAML_READER_ERROR: {
		yaml_mark_t m = mark_of_offset(c, c->p.problem_offset);
		if (c->p.problem_value != -1)
			return fail_at(c, &m, OSMDIAG_EPARSE, "%s (byte 0x%02x)", problem,
				(unsigned)c->p.problem_value & 0xffu);
		return fail_at(c, &m, OSMDIAG_EPARSE, "%s", problem);
	}
	default:
		if (c->p.context)
			return fail_at(c, &c->p.problem_mark, OSMDIAG_EPARSE, "%s (%s at line %zu, column %zu)",
				problem, c->p.context, c->p.context_mark.line + 1, c->p.context_mark.column + 1);
		return fail_at(c, &c->p.problem_mark, OSMDIAG_EPARSE, "%s", problem);
	}
}

/* ---- scalars ---------------------------------------------------------------- */

static int is_digits(const char *s, size_t len, const char *set)
{
	if (len == 0)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!strchr(set, s[i]) || s[i] == '\0')
			return 0;
	return 1;
}

#define DEC "0123456789"

/* [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
static int is_core_float(const char *s, size_t len)
{
	size_t i = 0;
	if (i < len && (s[i] == '-' || s[i] == '+'))
		i++;
	size_t int_digits = 0, frac_digits = 0;
	while (i < len && s[i] >= '0' && s[i] <= '9') {
		i++;
		int_digits++;
	}
	if (i < len && s[i] == '.') {
		i++;
		while (i < len && s[i] >= '0' && s[i] <= '9') {
			i++;
			frac_digits++;
		}
	}
	if (int_digits == 0 && frac_digits == 0)
		return 0;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '-' || s[i] == '+'))
			i++;
		size_t exp_digits = 0;
		while (i < len && s[i] >= '0' && s[i] <= '9') {
			i++;
			exp_digits++;
		}
		if (exp_digits == 0)
			return 0;
	}
	return i == len;
}

static int eq3(const char *s, size_t len, const char *a, const char *b, const char *c)
{
	return (strlen(a) == len && memcmp(s, a, len) == 0) || (strlen(b) == len && memcmp(s, b, len) == 0) ||
	       (strlen(c) == len && memcmp(s, c, len) == 0);
}

json_t *osmdiag__yaml_resolve_plain(const char *s, size_t len, const char **why)
{
	*why = NULL;
	if (len == 0 || (len == 1 && s[0] == '~') || eq3(s, len, "null", "Null", "NULL"))
		return json_null();
	if (eq3(s, len, "true", "True", "TRUE"))
		return json_true();
	if (eq3(s, len, "false", "False", "FALSE"))
		return json_false();
	char tmp[128];
	if (len < sizeof(tmp)) {
		memcpy(tmp, s, len);
		tmp[len] = '\0';
		const char *d = tmp;
		size_t dl = len;
		if (*d == '-' || *d == '+') {
			d++;
			dl--;
		}
		if (is_digits(d, dl, DEC)) {
			errno = 0;
			long long v = strtoll(tmp, NULL, 10);
			if (errno == 0)
				return json_integer(v);
			return json_real(strtod(tmp, NULL)); /* beyond 64 bits */
		}
		if (len > 2 && tmp[0] == '0' && (tmp[1] == 'x' || tmp[1] == 'o')) {
			int hex = tmp[1] == 'x';
			if (is_digits(tmp + 2, len - 2, hex ? DEC "abcdefABCDEF" : "01234567")) {
				errno = 0;
				unsigned long long v = strtoull(tmp + 2, NULL, hex ? 16 : 8);
				if (errno == 0 && v <= (unsigned long long)INT64_MAX)
					return json_integer((json_int_t)v);
				*why = "integer does not fit in 64 bits";
				return NULL;
			}
		}
		if (is_core_float(tmp, len)) {
			double v = strtod(tmp, NULL);
			if (!isfinite(v)) {
				*why = "number is out of range";
				return NULL;
			}
			return json_real(v);
		}
		d = tmp;
		if (*d == '-' || *d == '+')
			d++;
		if (eq3(d, strlen(d), ".inf", ".Inf", ".INF") || eq3(tmp, len, ".nan", ".NaN", ".NAN")) {
			*why = "infinity and NaN cannot be represented in JSON";
			return NULL;
		}
	}
	return json_stringn(s, len);
}

static json_t *make_string(const char *s, size_t len)
{
	return json_stringn(s, len);
}

/* Converts a scalar event; NULL with the error set. */
static json_t *scalar_value(yctx *c, const yaml_event_t *ev, int *code)
{
	const char *s = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	const char *tag = (const char *)ev->data.scalar.tag;
	int plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	const char *why = NULL;
	json_t *v = NULL;

	if (tag && strncmp(tag, TAG_PREFIX, strlen(TAG_PREFIX)) == 0) {
		const char *t = tag + strlen(TAG_PREFIX);
		if (!strcmp(t, "str") || !strcmp(t, "binary") || !strcmp(t, "timestamp")) {
			v = make_string(s, len);
		} else if (!strcmp(t, "null") || !strcmp(t, "bool") || !strcmp(t, "int") || !strcmp(t, "float")) {
			v = osmdiag__yaml_resolve_plain(s, len, &why);
			if (v) {
				int ok = (!strcmp(t, "null") && json_is_null(v)) ||
					 (!strcmp(t, "bool") && json_is_boolean(v)) ||
					 (!strcmp(t, "int") && json_is_integer(v)) ||
					 (!strcmp(t, "float") && json_is_number(v));
				if (ok && !strcmp(t, "float") && json_is_integer(v)) {
					json_t *r = json_real((double)json_integer_value(v));
					json_decref(v);
					v = r;
				} else if (!ok) {
					json_decref(v);
					*code = fail_at(c, &ev->start_mark, OSMDIAG_EPARSE,
						"invalid !!%s value \"%.*s\"", t, (int)(len > 64 ? 64 : len), s);
					return NULL;
				}
			}
		} else {
			v = plain ? osmdiag__yaml_resolve_plain(s, len, &why) : make_string(s, len);
		}
	} else if (tag && strcmp(tag, "!") == 0) {
		v = make_string(s, len); /* non-specific tag: a string */
	} else {
		v = plain ? osmdiag__yaml_resolve_plain(s, len, &why) : make_string(s, len);
	}
	if (!v) {
		if (why)
			*code = fail_at(c, &ev->start_mark, OSMDIAG_EPARSE, "%s: \"%.*s\"", why,
				(int)(len > 64 ? 64 : len), s);
		else
			*code = oom(c);
	}
	return v;
}

/* ---- nodes ------------------------------------------------------------------- */

static int register_anchor(yctx *c, const char *anchor, json_t *node, size_t size)
{
	if (!anchor)
		return 0;
	json_t *sz = json_integer((json_int_t)size);
	if (!sz || json_object_set(c->anchors, anchor, node) != 0 ||
	    json_object_set_new(c->asizes, anchor, sz) != 0)
		return oom(c);
	return 0;
}

static int parse_node(yctx *c, yaml_event_t *ev, json_t **out, size_t *size, int depth);

/* Resolves an alias: a deep copy of the anchored node. */
static int alias_value(yctx *c, yaml_event_t *ev, json_t **out, size_t *size)
{
	const char *name = (const char *)ev->data.alias.anchor;
	json_t *node = json_object_get(c->anchors, name);
	if (!node)
		return fail_at(c, &ev->start_mark, OSMDIAG_EPARSE, "unknown anchor \"%s\" (aliases must "
			"refer to an anchor defined earlier in the same document)", name);
	size_t n = (size_t)json_integer_value(json_object_get(c->asizes, name));
	c->alias_nodes += n;
	if (c->alias_nodes > OSMDIAG__YAML_ALIAS_FLOOR && c->alias_nodes > c->real_nodes)
		return fail_at(c, &ev->start_mark, OSMDIAG_EPARSE,
			"excessive aliasing: aliases expand to more than %zu nodes (\"billion laughs\"?)",
			(size_t)OSMDIAG__YAML_ALIAS_FLOOR);
	*out = json_deep_copy(node);
	if (!*out)
		return oom(c);
	*size = n;
	return 0;
}

static int parse_sequence(yctx *c, yaml_event_t *start, json_t **out, size_t *size, int depth)
{
	json_t *arr = json_array();
	size_t total = 1;
	int rc;
	if (!arr)
		return oom(c);
	for (;;) {
		yaml_event_t ev;
		if ((rc = next_event(c, &ev)) != 0)
			goto fail;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		json_t *item;
		size_t n;
		if ((rc = parse_node(c, &ev, &item, &n, depth + 1)) != 0)
			goto fail;
		total += n;
		if (json_array_append_new(arr, item) != 0) {
			rc = oom(c);
			goto fail;
		}
	}
	*out = arr;
	*size = total;
	(void)start;
	return 0;
fail:
	json_decref(arr);
	return rc;
}

/* Text of a scalar json value used as a key through an alias. */
static char *key_text(const json_t *v)
{
	char buf[64];
	switch (json_typeof(v)) {
	case JSON_STRING: return strdup(json_string_value(v));
	case JSON_INTEGER: snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT, json_integer_value(v)); break;
	case JSON_REAL: snprintf(buf, sizeof(buf), "%.17g", json_real_value(v)); break;
	case JSON_TRUE: return strdup("true");
	case JSON_FALSE: return strdup("false");
	case JSON_NULL: return strdup("null");
	default: return NULL;
	}
	return strdup(buf);
}

static int apply_merge(yctx *c, json_t *obj, json_t *m)
{
	if (json_is_object(m))
		return json_object_update_missing(obj, m) ? oom(c) : 0;
	size_t i;
	json_t *e;
	json_array_foreach(m, i, e) {
		if (json_object_update_missing(obj, e) != 0)
			return oom(c);
	}
	return 0;
}

static int parse_mapping(yctx *c, yaml_event_t *start, json_t **out, size_t *size, int depth)
{
	json_t *obj = json_object();
	json_t *merges = NULL;
	char *key = NULL;
	size_t total = 1;
	int rc;
	(void)start;
	if (!obj)
		return oom(c);
	for (;;) {
		yaml_event_t kev;
		if ((rc = next_event(c, &kev)) != 0)
			goto fail;
		if (kev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&kev);
			break;
		}
		yaml_mark_t kmark = kev.start_mark;
		int is_merge = 0;
		if (kev.type == YAML_SCALAR_EVENT) {
			const char *tag = (const char *)kev.data.scalar.tag;
			const char *s = (const char *)kev.data.scalar.value;
			size_t len = kev.data.scalar.length;
			if (memchr(s, '\0', len)) {
				yaml_event_delete(&kev);
				rc = fail_at(c, &kmark, OSMDIAG_EPARSE, "mapping key contains a NUL character");
				goto fail;
			}
			is_merge = (kev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !tag && len == 2 &&
				    memcmp(s, "<<", 2) == 0) || (tag && strcmp(tag, TAG_PREFIX "merge") == 0);
			key = strndup(s, len);
			if (!key) {
				yaml_event_delete(&kev);
				rc = oom(c);
				goto fail;
			}
			if (kev.data.scalar.anchor) { /* an anchored key: register its value */
				json_t *kv = scalar_value(c, &kev, &rc);
				if (!kv) {
					yaml_event_delete(&kev);
					goto fail;
				}
				c->real_nodes++;
				rc = register_anchor(c, (const char *)kev.data.scalar.anchor, kv, 1);
				json_decref(kv);
				if (rc) {
					yaml_event_delete(&kev);
					goto fail;
				}
			}
			yaml_event_delete(&kev);
		} else if (kev.type == YAML_ALIAS_EVENT) {
			json_t *kv = json_object_get(c->anchors, (const char *)kev.data.alias.anchor);
			if (kv && (json_is_object(kv) || json_is_array(kv))) {
				yaml_event_delete(&kev);
				rc = fail_at(c, &kmark, OSMDIAG_EPARSE, "mapping keys must be scalars (this alias "
					"refers to a %s)", json_is_object(kv) ? "mapping" : "sequence");
				goto fail;
			}
			if (!kv) {
				rc = fail_at(c, &kmark, OSMDIAG_EPARSE, "unknown anchor \"%s\"",
					(const char *)kev.data.alias.anchor);
				yaml_event_delete(&kev);
				goto fail;
			}
			yaml_event_delete(&kev);
			key = key_text(kv);
			if (!key) {
				rc = oom(c);
				goto fail;
			}
		} else {
			const char *what = kev.type == YAML_MAPPING_START_EVENT ? "mapping" : "sequence";
			yaml_event_delete(&kev);
			rc = fail_at(c, &kmark, OSMDIAG_EPARSE, "mapping keys must be scalars, found a %s", what);
			goto fail;
		}

		yaml_event_t vev;
		if ((rc = next_event(c, &vev)) != 0)
			goto fail;
		yaml_mark_t vmark = vev.start_mark;
		json_t *val;
		size_t n;
		if ((rc = parse_node(c, &vev, &val, &n, depth + 1)) != 0)
			goto fail;
		total += n;
		if (is_merge) {
			int ok = json_is_object(val);
			if (json_is_array(val)) {
				ok = 1;
				size_t i;
				json_t *e;
				json_array_foreach(val, i, e)
					ok = ok && json_is_object(e);
			}
			if (!ok) {
				json_decref(val);
				rc = fail_at(c, &vmark, OSMDIAG_EPARSE,
					"the value of a merge key (<<) must be a mapping or a list of mappings");
				goto fail;
			}
			if (!merges && !(merges = json_array())) {
				json_decref(val);
				rc = oom(c);
				goto fail;
			}
			if (json_array_append_new(merges, val) != 0) {
				rc = oom(c);
				goto fail;
			}
		} else {
			if (json_object_get(obj, key)) {
				json_decref(val);
				rc = fail_at(c, &kmark, OSMDIAG_EPARSE, "duplicate mapping key \"%s\"", key);
				goto fail;
			}
			if (json_object_set_new(obj, key, val) != 0) {
				rc = oom(c);
				goto fail;
			}
		}
		free(key);
		key = NULL;
	}
	if (merges) {
		size_t i;
		json_t *m;
		json_array_foreach(merges, i, m) {
			if ((rc = apply_merge(c, obj, m)) != 0)
				goto fail;
		}
		json_decref(merges);
	}
	*out = obj;
	*size = total;
	return 0;
fail:
	free(key);
	json_decref(merges);
	json_decref(obj);
	return rc;
}

/* Converts the node starting with `ev` (consumed). */
static int parse_node(yctx *c, yaml_event_t *ev, json_t **out, size_t *size, int depth)
{
	int rc = 0;
	char *anchor = NULL;
	*out = NULL;
	*size = 0;
	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		rc = alias_value(c, ev, out, size);
		yaml_event_delete(ev);
		return rc;
	case YAML_SCALAR_EVENT:
		c->real_nodes++;
		*out = scalar_value(c, ev, &rc);
		if (*out) {
			*size = 1;
			rc = register_anchor(c, (const char *)ev->data.scalar.anchor, *out, 1);
		}
		yaml_event_delete(ev);
		break;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT: {
		c->real_nodes++;
		if (depth >= OSMDIAG__YAML_MAX_DEPTH) {
			rc = fail_at(c, &ev->start_mark, OSMDIAG_EPARSE,
				"nesting is deeper than %d levels", OSMDIAG__YAML_MAX_DEPTH);
			yaml_event_delete(ev);
			return rc;
		}
		int seq = ev->type == YAML_SEQUENCE_START_EVENT;
		const yaml_char_t *a = seq ? ev->data.sequence_start.anchor : ev->data.mapping_start.anchor;
		if (a && !(anchor = strdup((const char *)a))) {
			yaml_event_delete(ev);
			return oom(c);
		}
		yaml_event_t start = *ev; /* only the marks are used after this point */
		yaml_event_delete(ev);
		rc = seq ? parse_sequence(c, &start, out, size, depth) : parse_mapping(c, &start, out, size, depth);
		if (rc == 0)
			rc = register_anchor(c, anchor, *out, *size);
		free(anchor);
		break;
	}
	default:
		rc = fail_at(c, &ev->start_mark, OSMDIAG_EPARSE, "unexpected YAML event");
		yaml_event_delete(ev);
		return rc;
	}
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int osmdiag__yaml_parse(const char *buf, size_t len, osmdiag__yaml_doc_fn fn, void *ud,
	char *errbuf, size_t errlen)
{
	yctx c;
	memset(&c, 0, sizeof(c));
	c.buf = buf;
	c.len = len;
	c.errbuf = errbuf;
	c.errlen = errlen;
	if (errbuf && errlen)
		errbuf[0] = '\0';
	if (!yaml_parser_initialize(&c.p))
		return oom(&c);
	yaml_parser_set_input_string(&c.p, (const unsigned char *)buf, len);
	int rc = 0;
	size_t index = 0;
	for (;;) {
		yaml_event_t ev;
		if ((rc = next_event(&c, &ev)) != 0)
			break;
		yaml_event_type_t type = ev.type;
		yaml_mark_t mark = ev.start_mark;
		yaml_event_delete(&ev);
		if (type == YAML_STREAM_END_EVENT)
			break;
		if (type == YAML_STREAM_START_EVENT)
			continue;
		if (type != YAML_DOCUMENT_START_EVENT) {
			rc = fail_at(&c, &mark, OSMDIAG_EPARSE, "unexpected YAML event");
			break;
		}
		index++;
		c.anchors = json_object();
		c.asizes = json_object();
		c.real_nodes = c.alias_nodes = 0;
		if (!c.anchors || !c.asizes) {
			rc = oom(&c);
			break;
		}
		json_t *doc = NULL;
		size_t n;
		if ((rc = next_event(&c, &ev)) != 0)
			break;
		if (ev.type == YAML_DOCUMENT_END_EVENT) {
			yaml_event_delete(&ev);
		} else {
			if ((rc = parse_node(&c, &ev, &doc, &n, 0)) != 0)
				break;
			if ((rc = next_event(&c, &ev)) != 0) {
				json_decref(doc);
				break;
			}
			yaml_event_delete(&ev); /* DOCUMENT_END */
		}
		json_decref(c.anchors);
		json_decref(c.asizes);
		c.anchors = c.asizes = NULL;
		rc = fn(json_is_null(doc) ? NULL : doc, index, mark.line + 1, ud, errbuf, errlen);
		json_decref(doc);
		if (rc)
			break;
	}
	json_decref(c.anchors);
	json_decref(c.asizes);
	yaml_parser_delete(&c.p);
	return rc;
}
