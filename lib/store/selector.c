/*
 * Label selectors: the kubectl --selector grammar (a port of the parser in
 * k8s.io/apimachinery/pkg/labels/selector.go, same tokens, same rules, same
 * error wording) and metav1.LabelSelector objects.
 *
 *   selector    = [ requirement { "," requirement } ]
 *   requirement = [ "!" ] key
 *               | key ( "=" | "==" | "!=" ) [ value ]
 *               | key ( "in" | "notin" ) "(" [ value { "," [ value ] } ] ")"
 *               | key ( ">" | "<" ) integer
 *
 * Matching follows Kubernetes: `!=` and `notin` also match objects without
 * the key; `>`/`<` need the key with an integer value.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

typedef enum { OP_IN, OP_NOTIN, OP_EXISTS, OP_DNE, OP_GT, OP_LT } sel_op;

typedef struct requirement {
	sel_op op;
	char *key;
	char **vals;
	size_t nvals;
	long long num; /* OP_GT / OP_LT */
} requirement;

struct osmdiag__selector {
	requirement *r;
	size_t n;
	size_t cap;
};

static void req_clear(requirement *r)
{
	free(r->key);
	for (size_t i = 0; i < r->nvals; i++)
		free(r->vals[i]);
	free(r->vals);
	memset(r, 0, sizeof(*r));
}

void osmdiag__selector_free(osmdiag__selector *sel)
{
	if (!sel)
		return;
	for (size_t i = 0; i < sel->n; i++)
		req_clear(&sel->r[i]);
	free(sel->r);
	free(sel);
}

static void seterr(char *errbuf, size_t errlen, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

static void seterr(char *errbuf, size_t errlen, const char *fmt, ...)
{
	if (!errbuf || errlen == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(errbuf, errlen, fmt, ap);
	va_end(ap);
}

/* ---- validation (k8s.io/apimachinery/pkg/util/validation) ------------------ */

static int is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9], length 1..max */
static const char *check_name_part(const char *s, size_t len, size_t max)
{
	if (len == 0)
		return "name part must be non-empty";
	if (len > max)
		return "name part must be no more than 63 characters";
	if (!is_alnum(s[0]) || !is_alnum(s[len - 1]))
		return "name part must consist of alphanumeric characters, '-', '_' or '.', "
		       "and must start and end with an alphanumeric character";
	for (size_t i = 0; i < len; i++)
		if (!is_alnum(s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.')
			return "name part must consist of alphanumeric characters, '-', '_' or '.', "
			       "and must start and end with an alphanumeric character";
	return NULL;
}

/* DNS-1123 subdomain: [a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*, <= 253 */
static const char *check_prefix(const char *s, size_t len)
{
	if (len == 0)
		return "prefix part must be non-empty";
	if (len > 253)
		return "prefix part must be no more than 253 characters";
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i == len || s[i] == '.') {
			size_t l = i - start;
			if (l == 0)
				goto bad;
			char a = s[start], b = s[i - 1];
			if (!((a >= 'a' && a <= 'z') || (a >= '0' && a <= '9')) ||
			    !((b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')))
				goto bad;
			start = i + 1;
			continue;
		}
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			goto bad;
	}
	return NULL;
bad:
	return "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
	       "characters, '-' or '.', and must start and end with an alphanumeric character";
}

/* Qualified name: [prefix/]name. Returns NULL or the reason. */
static const char *check_key(const char *key)
{
	const char *slash = strchr(key, '/');
	if (!slash)
		return check_name_part(key, strlen(key), 63);
	if (strchr(slash + 1, '/'))
		return "a qualified name must consist of an optional DNS subdomain prefix and a name, "
		       "separated by at most one '/'";
	const char *why = check_prefix(key, (size_t)(slash - key));
	if (why)
		return why;
	return check_name_part(slash + 1, strlen(slash + 1), 63);
}

/* Label value: empty, or ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9] up to 63. */
static const char *check_value(const char *v)
{
	size_t len = strlen(v);
	if (len == 0)
		return NULL;
	if (len > 63)
		return "must be no more than 63 characters";
	const char *why = check_name_part(v, len, 63);
	return why ? "a valid label must be an empty string or consist of alphanumeric characters, "
		     "'-', '_' or '.', and must start and end with an alphanumeric character" : NULL;
}

static int parse_int64(const char *s, long long *out)
{
	if (!*s)
		return -1;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

/* ---- building --------------------------------------------------------------- */

static osmdiag__selector *sel_new(void)
{
	return calloc(1, sizeof(osmdiag__selector));
}

/* Adds a requirement (values copied), validating like NewRequirement. 0 or -1. */
static int sel_add(osmdiag__selector *sel, sel_op op, const char *key, const char *const *vals,
	size_t nvals, char *errbuf, size_t errlen)
{
	const char *why = check_key(key);
	if (why) {
		seterr(errbuf, errlen, "invalid label key \"%s\": %s", key, why);
		return -1;
	}
	long long num = 0;
	switch (op) {
	case OP_IN:
	case OP_NOTIN:
		if (nvals == 0) {
			seterr(errbuf, errlen, "for 'in', 'notin' operators, values set can't be empty");
			return -1;
		}
		break;
	case OP_EXISTS:
	case OP_DNE:
		if (nvals != 0) {
			seterr(errbuf, errlen,
				"values set must be empty for exists and does not exist");
			return -1;
		}
		break;
	case OP_GT:
	case OP_LT:
		if (nvals != 1) {
			seterr(errbuf, errlen, "for 'Gt', 'Lt' operators, exactly one value is required");
			return -1;
		}
		if (parse_int64(vals[0], &num) != 0) {
			seterr(errbuf, errlen,
				"for 'Gt', 'Lt' operators, the value must be an integer (got \"%s\")", vals[0]);
			return -1;
		}
		break;
	}
	if (op != OP_GT && op != OP_LT) {
		for (size_t i = 0; i < nvals; i++) {
			why = check_value(vals[i]);
			if (why) {
				seterr(errbuf, errlen, "invalid label value \"%s\" for key \"%s\": %s",
					vals[i], key, why);
				return -1;
			}
		}
	}
	if (sel->n == sel->cap) {
		size_t ncap = sel->cap ? sel->cap * 2 : 4;
		requirement *nr = realloc(sel->r, ncap * sizeof(*nr));
		if (!nr)
			goto oom;
		sel->r = nr;
		sel->cap = ncap;
	}
	requirement r = { op, NULL, NULL, 0, num };
	r.key = strdup(key);
	if (!r.key)
		goto oom;
	if (nvals) {
		r.vals = calloc(nvals, sizeof(*r.vals));
		if (!r.vals) {
			req_clear(&r);
			goto oom;
		}
	}
	for (size_t i = 0; i < nvals; i++) {
		/* sets: skip duplicates */
		int dup = 0;
		for (size_t j = 0; j < r.nvals; j++)
			if (strcmp(r.vals[j], vals[i]) == 0)
				dup = 1;
		if (dup)
			continue;
		r.vals[r.nvals] = strdup(vals[i]);
		if (!r.vals[r.nvals]) {
			req_clear(&r);
			goto oom;
		}
		r.nvals++;
	}
	sel->r[sel->n++] = r;
	return 0;
oom:
	seterr(errbuf, errlen, "out of memory");
	return -1;
}

/* ---- lexer ---------------------------------------------------------------- */

typedef enum {
	T_END, T_IDENT, T_BANG, T_NEQ, T_EQ, T_DEQ, T_GT, T_LT, T_OPEN, T_CLOSE, T_COMMA
} tok_kind;

typedef struct token {
	tok_kind kind;
	char *lit; /* identifiers: the text; others: the symbol */
} token;

typedef struct lexed {
	token *t;
	size_t n;
	size_t pos;
} lexed;

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int is_special(char c)
{
	return c == '=' || c == '!' || c == '(' || c == ')' || c == ',' || c == '>' || c == '<';
}

static void lexed_free(lexed *lx)
{
	for (size_t i = 0; i < lx->n; i++)
		free(lx->t[i].lit);
	free(lx->t);
}

static int lex(const char *s, lexed *lx)
{
	size_t cap = 0;
	for (;;) {
		while (is_ws(*s))
			s++;
		if (lx->n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			token *nt = realloc(lx->t, ncap * sizeof(*nt));
			if (!nt)
				return -1;
			lx->t = nt;
			cap = ncap;
		}
		token *t = &lx->t[lx->n];
		size_t len = 1;
		if (!*s) {
			t->kind = T_END;
			len = 0;
		} else if (s[0] == '!' && s[1] == '=') {
			t->kind = T_NEQ;
			len = 2;
		} else if (s[0] == '=' && s[1] == '=') {
			t->kind = T_DEQ;
			len = 2;
		} else if (s[0] == '!') {
			t->kind = T_BANG;
		} else if (s[0] == '=') {
			t->kind = T_EQ;
		} else if (s[0] == '>') {
			t->kind = T_GT;
		} else if (s[0] == '<') {
			t->kind = T_LT;
		} else if (s[0] == '(') {
			t->kind = T_OPEN;
		} else if (s[0] == ')') {
			t->kind = T_CLOSE;
		} else if (s[0] == ',') {
			t->kind = T_COMMA;
		} else {
			t->kind = T_IDENT;
			len = 0;
			while (s[len] && !is_ws(s[len]) && !is_special(s[len]))
				len++;
		}
		t->lit = strndup(s, len);
		if (!t->lit)
			return -1;
		lx->n++;
		if (t->kind == T_END)
			return 0;
		s += len;
	}
}

static const token *peek(const lexed *lx)
{
	return &lx->t[lx->pos];
}

static const token *next(lexed *lx)
{
	const token *t = &lx->t[lx->pos];
	if (t->kind != T_END)
		lx->pos++;
	return t;
}

/* ---- parser ---------------------------------------------------------------- */

typedef struct strvec {
	char **v;
	size_t n;
	size_t cap;
} strvec;

static int strvec_push(strvec *sv, const char *s)
{
	if (sv->n == sv->cap) {
		size_t ncap = sv->cap ? sv->cap * 2 : 4;
		char **nv = realloc(sv->v, ncap * sizeof(*nv));
		if (!nv)
			return -1;
		sv->v = nv;
		sv->cap = ncap;
	}
	sv->v[sv->n] = strdup(s);
	if (!sv->v[sv->n])
		return -1;
	sv->n++;
	return 0;
}

static void strvec_free(strvec *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
}

#define PERR(...) do { seterr(errbuf, errlen, __VA_ARGS__); goto fail; } while (0)

/* "(" values ")" after in/notin; mirrors parseValues + parseIdentifiersList. */
static int parse_values(lexed *lx, strvec *vals, char *errbuf, size_t errlen)
{
	const token *t = next(lx);
	if (t->kind != T_OPEN)
		PERR("found '%s' expected: '('", t->lit);
	t = peek(lx);
	if (t->kind == T_CLOSE) { /* "()" is the set {""} */
		next(lx);
		return strvec_push(vals, "") ? (seterr(errbuf, errlen, "out of memory"), -1) : 0;
	}
	if (t->kind != T_IDENT && t->kind != T_COMMA)
		PERR("found '%s', expected: ',', ')' or identifier", t->lit);
	for (;;) {
		t = next(lx);
		if (t->kind == T_IDENT) {
			if (strvec_push(vals, t->lit))
				PERR("out of memory");
			const token *t2 = peek(lx);
			if (t2->kind == T_COMMA) {
				next(lx);
				if (peek(lx)->kind == T_CLOSE) { /* "a,)" */
					if (strvec_push(vals, ""))
						PERR("out of memory");
					break;
				}
				continue;
			}
			if (t2->kind == T_CLOSE)
				break;
			PERR("found '%s', expected: ',' or ')'", t2->lit);
		} else if (t->kind == T_COMMA) { /* "(," or ",," */
			if (strvec_push(vals, ""))
				PERR("out of memory");
			if (peek(lx)->kind == T_CLOSE)
				break;
		} else {
			PERR("found '%s', expected: ',', or identifier", t->lit);
		}
	}
	t = next(lx);
	if (t->kind != T_CLOSE)
		PERR("found '%s', expected: ')'", t->lit);
	return 0;
fail:
	return -1;
}

static int parse_requirement(lexed *lx, osmdiag__selector *sel, char *errbuf, size_t errlen)
{
	strvec vals = { NULL, 0, 0 };
	int dne = 0;
	const token *t = next(lx);
	if (t->kind == T_BANG) {
		dne = 1;
		t = next(lx);
	}
	if (t->kind != T_IDENT)
		PERR("found '%s', expected: identifier", t->lit);
	const char *key = t->lit;
	const char *why = check_key(key);
	if (why)
		PERR("invalid label key \"%s\": %s", key, why);
	tok_kind la = peek(lx)->kind;
	if (dne || la == T_END || la == T_COMMA) {
		if (sel_add(sel, dne ? OP_DNE : OP_EXISTS, key, NULL, 0, errbuf, errlen))
			goto fail;
		return 0;
	}
	sel_op op;
	int set = 0;
	t = next(lx);
	switch (t->kind) {
	case T_IDENT:
		if (strcmp(t->lit, "in") == 0) {
			op = OP_IN;
			set = 1;
		} else if (strcmp(t->lit, "notin") == 0) {
			op = OP_NOTIN;
			set = 1;
		} else {
			goto badop;
		}
		break;
	case T_EQ:
	case T_DEQ: op = OP_IN; break;
	case T_NEQ: op = OP_NOTIN; break;
	case T_GT: op = OP_GT; break;
	case T_LT: op = OP_LT; break;
	default:
		goto badop;
	}
	if (set) {
		if (parse_values(lx, &vals, errbuf, errlen))
			goto fail;
	} else {
		la = peek(lx)->kind;
		if (la == T_END || la == T_COMMA) {
			if (strvec_push(&vals, ""))
				PERR("out of memory");
		} else {
			t = next(lx);
			if (t->kind != T_IDENT)
				PERR("found '%s', expected: identifier", t->lit);
			if (strvec_push(&vals, t->lit))
				PERR("out of memory");
		}
	}
	if (sel_add(sel, op, key, (const char *const *)vals.v, vals.n, errbuf, errlen))
		goto fail;
	strvec_free(&vals);
	return 0;
badop:
	PERR("found '%s', expected: in, notin, =, ==, !=, gt, lt", t->lit);
fail:
	strvec_free(&vals);
	return -1;
}

osmdiag__selector *osmdiag__selector_parse(const char *text, char *errbuf, size_t errlen)
{
	char msg[512];
	lexed lx = { NULL, 0, 0 };
	osmdiag__selector *sel = sel_new();
	if (!sel) {
		seterr(errbuf, errlen, "out of memory");
		return NULL;
	}
	if (!text)
		return sel;
	if (lex(text, &lx) != 0) {
		seterr(errbuf, errlen, "out of memory");
		goto fail;
	}
	for (;;) {
		const token *t = peek(&lx);
		if (t->kind == T_END)
			break;
		if (t->kind != T_IDENT && t->kind != T_BANG) {
			seterr(errbuf, errlen, "found '%s', expected: !, identifier, or 'end of string'", t->lit);
			goto fail;
		}
		if (parse_requirement(&lx, sel, msg, sizeof(msg)) != 0) {
			seterr(errbuf, errlen, "unable to parse requirement: %s", msg);
			goto fail;
		}
		t = next(&lx);
		if (t->kind == T_END)
			break;
		if (t->kind != T_COMMA) {
			seterr(errbuf, errlen, "found '%s', expected: ',' or 'end of string'", t->lit);
			goto fail;
		}
		t = peek(&lx);
		if (t->kind != T_IDENT && t->kind != T_BANG) {
			seterr(errbuf, errlen, "found '%s', expected: identifier after ','", t->lit);
			goto fail;
		}
	}
	lexed_free(&lx);
	return sel;
fail:
	lexed_free(&lx);
	osmdiag__selector_free(sel);
	return NULL;
}

/* ---- metav1.LabelSelector ---------------------------------------------------- */

osmdiag__selector *osmdiag__selector_from_json(const json_t *ls, char *errbuf, size_t errlen)
{
	char msg[400];
	const char **vals = NULL;
	osmdiag__selector *sel = sel_new();
	if (!sel) {
		seterr(errbuf, errlen, "out of memory");
		return NULL;
	}
	if (!ls || json_is_null(ls))
		return sel;
	if (!json_is_object(ls)) {
		seterr(errbuf, errlen, "label selector must be an object");
		goto fail;
	}
	const json_t *ml = json_object_get(ls, "matchLabels");
	if (ml && !json_is_null(ml)) {
		if (!json_is_object(ml)) {
			seterr(errbuf, errlen, "matchLabels must be an object");
			goto fail;
		}
		const char *k;
		const json_t *v;
		json_object_foreach((json_t *)ml, k, v) {
			if (!json_is_string(v)) {
				seterr(errbuf, errlen, "matchLabels.%s must be a string", k);
				goto fail;
			}
			const char *one[1] = { json_string_value(v) };
			if (sel_add(sel, OP_IN, k, one, 1, msg, sizeof(msg))) {
				seterr(errbuf, errlen, "matchLabels: %s", msg);
				goto fail;
			}
		}
	}
	const json_t *me = json_object_get(ls, "matchExpressions");
	if (me && !json_is_null(me)) {
		if (!json_is_array(me)) {
			seterr(errbuf, errlen, "matchExpressions must be an array");
			goto fail;
		}
		size_t i;
		const json_t *e;
		json_array_foreach(me, i, e) {
			if (!json_is_object(e)) {
				seterr(errbuf, errlen, "matchExpressions[%zu] must be an object", i);
				goto fail;
			}
			const json_t *key = json_object_get(e, "key");
			const json_t *op = json_object_get(e, "operator");
			const json_t *jv = json_object_get(e, "values");
			if (!json_is_string(key)) {
				seterr(errbuf, errlen, "matchExpressions[%zu].key must be a string", i);
				goto fail;
			}
			if (!json_is_string(op)) {
				seterr(errbuf, errlen, "matchExpressions[%zu].operator must be a string", i);
				goto fail;
			}
			sel_op o;
			const char *ops = json_string_value(op);
			if (strcmp(ops, "In") == 0)
				o = OP_IN;
			else if (strcmp(ops, "NotIn") == 0)
				o = OP_NOTIN;
			else if (strcmp(ops, "Exists") == 0)
				o = OP_EXISTS;
			else if (strcmp(ops, "DoesNotExist") == 0)
				o = OP_DNE;
			else {
				seterr(errbuf, errlen,
					"matchExpressions[%zu].operator: \"%s\" is not a valid label selector operator",
					i, ops);
				goto fail;
			}
			size_t nv = 0;
			if (jv && !json_is_null(jv)) {
				if (!json_is_array(jv)) {
					seterr(errbuf, errlen, "matchExpressions[%zu].values must be an array", i);
					goto fail;
				}
				nv = json_array_size(jv);
				vals = calloc(nv ? nv : 1, sizeof(*vals));
				if (!vals) {
					seterr(errbuf, errlen, "out of memory");
					goto fail;
				}
				for (size_t j = 0; j < nv; j++) {
					const json_t *s = json_array_get(jv, j);
					if (!json_is_string(s)) {
						seterr(errbuf, errlen,
							"matchExpressions[%zu].values[%zu] must be a string", i, j);
						goto fail;
					}
					vals[j] = json_string_value(s);
				}
			}
			if (sel_add(sel, o, json_string_value(key), vals, nv, msg, sizeof(msg))) {
				seterr(errbuf, errlen, "matchExpressions[%zu]: %s", i, msg);
				goto fail;
			}
			free(vals);
			vals = NULL;
		}
	}
	return sel;
fail:
	free(vals);
	osmdiag__selector_free(sel);
	return NULL;
}

/* ---- matching ----------------------------------------------------------------- */

/* `present`: the label exists; `s` its value, NULL when not a string. */
static int req_matches(const requirement *r, int present, const char *s)
{
	switch (r->op) {
	case OP_EXISTS: return present;
	case OP_DNE: return !present;
	case OP_IN:
		if (!s)
			return 0;
		for (size_t i = 0; i < r->nvals; i++)
			if (strcmp(s, r->vals[i]) == 0)
				return 1;
		return 0;
	case OP_NOTIN:
		if (!s)
			return 1;
		for (size_t i = 0; i < r->nvals; i++)
			if (strcmp(s, r->vals[i]) == 0)
				return 0;
		return 1;
	case OP_GT:
	case OP_LT: {
		long long n;
		if (!s || parse_int64(s, &n) != 0)
			return 0;
		return r->op == OP_GT ? n > r->num : n < r->num;
	}
	}
	return 0;
}

int osmdiag__selector_matches(const osmdiag__selector *sel, const json_t *labels)
{
	if (!sel)
		return 1;
	for (size_t i = 0; i < sel->n; i++) {
		const json_t *v = json_is_object(labels) ? json_object_get(labels, sel->r[i].key) : NULL;

		if (!req_matches(&sel->r[i], v != NULL, json_string_value(v)))
			return 0;
	}
	return 1;
}

int osmdiag__selector_matches_kv(const osmdiag__selector *sel, const char *const *kv)
{
	if (!sel)
		return 1;
	for (size_t i = 0; i < sel->n; i++) {
		const char *const *p = kv;

		while (p && *p && strcmp(*p, sel->r[i].key) != 0)
			p += 2;
		if (!req_matches(&sel->r[i], p && *p, p && *p ? p[1] : NULL))
			return 0;
	}
	return 1;
}
