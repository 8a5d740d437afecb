/*
 * SMI regexes -> Istio string matches (memo 6.3). OSM matched pathRegex and
 * header values as RE2 *full* matches (Envoy safe_regex); Istio's
 * AuthorizationPolicy has only exact "a", prefix "a*", suffix "*a",
 * presence "*" and (paths, 1.22+) templates "/a/{*}/b". A pure function: the
 * regex is split into literal characters and "wild" pieces, then classified;
 * whatever is not exact is widened ("over": everything OSM allowed is still
 * allowed, plus more) except case-insensitive regexes, which stay narrower
 * ("under"). A literal `*` never reaches a value (Istio would read it as a
 * wildcard at either end, and literally in the middle: D4).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "migrate/migrate_impl.h"

enum { T_LIT, T_ANYSTAR, T_ANYPLUS, T_SEG, T_OTHER };

typedef struct tok {
	int type;
	char c; /* T_LIT */
} tok;

typedef struct toks {
	tok *v;
	size_t n;
} toks;

/* Index of the ')' matching the '(' at i, or -1. */
static long match_paren(const char *s, size_t i)
{
	int depth = 0;
	int in_class = 0;

	for (size_t k = i; s[k]; k++) {
		if (s[k] == '\\' && s[k + 1]) {
			k++;
			continue;
		}
		if (in_class) {
			if (s[k] == ']')
				in_class = 0;
			continue;
		}
		if (s[k] == '[') {
			in_class = 1;
			if (s[k + 1] == '^')
				k++;
			if (s[k + 1] == ']')
				k++;
		} else if (s[k] == '(') {
			depth++;
		} else if (s[k] == ')' && --depth == 0) {
			return (long)k;
		}
	}
	return -1;
}

/* Index of the ']' closing the class opened at i, or -1. */
static long match_bracket(const char *s, size_t i)
{
	size_t k = i + 1;

	if (s[k] == '^')
		k++;
	if (s[k] == ']')
		k++;
	for (; s[k]; k++) {
		if (s[k] == '\\' && s[k + 1]) {
			k++;
			continue;
		}
		if (s[k] == ']')
			return (long)k;
	}
	return -1;
}

/* Splits at top-level '|'; pushes copies of the branches. */
static int split_alternation(const char *s, osmdiag__strlist *out)
{
	size_t start = 0;
	int depth = 0;

	for (size_t k = 0;; k++) {
		if (s[k] == '\\' && s[k + 1]) {
			k++;
			continue;
		}
		if (s[k] == '[') {
			long e = match_bracket(s, k);
			if (e < 0)
				return -2;
			k = (size_t)e;
			continue;
		}
		if (s[k] == '(')
			depth++;
		else if (s[k] == ')')
			depth--;
		if (s[k] == '\0' || (s[k] == '|' && depth == 0)) {
			char *b = osmdiag__strndup(s + start, k - start);
			int rc = b ? osmdiag__strlist_push(out, b) : -1;

			free(b);
			if (rc < 0)
				return -1;
			if (s[k] == '\0')
				break;
			start = k + 1;
		}
	}
	return 0;
}

/* Strips ^ / $ anchors and whole-string groups "(...)", "(?:...)" (in place, returns start). */
static char *strip_outer(char *s)
{
	for (;;) {
		size_t n;

		if (*s == '^')
			s++;
		n = strlen(s);
		if (n && s[n - 1] == '$') {
			size_t bs = 0;

			for (size_t k = n - 1; k > 0 && s[k - 1] == '\\'; k--)
				bs++;
			if (bs % 2 == 0)
				s[--n] = '\0';
		}
		if (s[0] == '(' && match_paren(s, 0) == (long)n - 1 && n >= 2) {
			s[n - 1] = '\0';
			s++;
			if (s[0] == '?' && s[1] == ':')
				s += 2;
			continue;
		}
		return s;
	}
}

static int push_tok(toks *t, int type, char c)
{
	tok *nv = realloc(t->v, (t->n + 1) * sizeof(*nv));

	if (!nv)
		return -1;
	nv[t->n].type = type;
	nv[t->n].c = c;
	t->v = nv;
	t->n++;
	return 0;
}

/* Tokenises one branch (no top-level '|'). */
static int tokenise(const char *s, toks *t)
{
	size_t i = 0;

	while (s[i]) {
		int atom; /* T_LIT, T_OTHER, or the markers below */
		char c = 0;
		enum { A_DOT = 100, A_SEGCLASS };

		if (s[i] == '\\') {
			char n = s[i + 1];

			if (!n)
				return push_tok(t, T_OTHER, 0);
			if (isalnum((unsigned char)n)) {
				atom = T_OTHER; /* \d \w \s \b \x.. \pL ... */
			} else if (n == '*') {
				atom = T_OTHER; /* a literal '*' must never reach an Istio value */
			} else {
				atom = T_LIT;
				c = n;
			}
			i += 2;
		} else if (s[i] == '.') {
			atom = A_DOT;
			i++;
		} else if (s[i] == '[') {
			long e = match_bracket(s, i);

			if (e < 0)
				return push_tok(t, T_OTHER, 0);
			atom = ((size_t)e == i + 3 && s[i + 1] == '^' && s[i + 2] == '/') ? A_SEGCLASS
				: T_OTHER;
			i = (size_t)e + 1;
		} else if (s[i] == '(') {
			long e = match_paren(s, i);

			if (e < 0)
				return push_tok(t, T_OTHER, 0);
			atom = T_OTHER;
			i = (size_t)e + 1;
		} else if (strchr("*+?{)|^$", s[i])) {
			atom = T_OTHER;
			i++;
		} else {
			atom = T_LIT;
			c = s[i];
			i++;
		}

		/* quantifier */
		if (s[i] == '*' || s[i] == '+' || s[i] == '?' || s[i] == '{') {
			char q = s[i];

			if (q == '{') {
				const char *e = strchr(s + i, '}');
				i = e ? (size_t)(e - s) + 1 : strlen(s);
			} else {
				i++;
			}
			if (s[i] == '?' || s[i] == '+')
				i++; /* lazy / possessive */
			if (atom == A_DOT && q == '*')
				atom = T_ANYSTAR;
			else if (atom == A_DOT && q == '+')
				atom = T_ANYPLUS;
			else if (atom == A_SEGCLASS && q == '+')
				atom = T_SEG;
			else
				atom = T_OTHER;
		} else if (atom == A_DOT || atom == A_SEGCLASS) {
			atom = T_OTHER;
		}
		if (push_tok(t, atom, c) < 0)
			return -1;
	}
	return 0;
}

static int push_value(osmdiag__rx *out, const char *pre, const char *lit, size_t n, const char *post)
{
	char *v = osmdiag__asprintf("%s%.*s%s", pre, (int)n, lit, post);
	int rc = v ? osmdiag__strlist_push_unique(&out->values, v) : -1;

	free(v);
	return rc;
}

/* Classifies one branch into out (values appended). */
static int classify(const char *branch, int where, int templates, osmdiag__rx *out, const char **shape)
{
	toks t = { NULL, 0 };
	char *lit = NULL;
	size_t lead = 0, trail = 0, nlit = 0;
	int rc = -1, all_lit = 1, all_star = 1, seg_ok = templates && where == OSMDIAG__RX_PATH, nseg = 0;

	if (tokenise(branch, &t) < 0)
		goto out;
	lit = malloc(t.n + 1);
	if (!lit)
		goto out;
	for (size_t k = 0; k < t.n; k++) {
		if (t.v[k].type != T_LIT)
			all_lit = 0;
		if (t.v[k].type != T_ANYSTAR)
			all_star = 0;
		if (t.v[k].type == T_SEG) {
			nseg++;
			if (k == 0 || t.v[k - 1].type != T_LIT || t.v[k - 1].c != '/' ||
			    (k + 1 < t.n && (t.v[k + 1].type != T_LIT || t.v[k + 1].c != '/')))
				seg_ok = 0;
		} else if (t.v[k].type != T_LIT || strchr("{}*", t.v[k].c)) {
			seg_ok = 0;
		}
	}
	while (lead < t.n && t.v[lead].type == T_LIT)
		lead++;
	while (trail < t.n - lead && t.v[t.n - 1 - trail].type == T_LIT)
		trail++;

	if (t.n == 0 || all_star) {
		if (where == OSMDIAG__RX_HEADER) {
			/* OSM required the header (any value, or empty for an empty regex) */
			*shape = "presence";
			if (t.n == 0)
				out->approx |= OSMDIAG__RX_OVER;
			rc = osmdiag__strlist_push_unique(&out->values, "*");
		} else {
			*shape = "any";
			out->any = 1;
			rc = 0;
		}
		goto out;
	}
	if (all_lit) {
		for (size_t k = 0; k < t.n; k++)
			lit[nlit++] = t.v[k].c;
		*shape = "literal";
		rc = push_value(out, "", lit, nlit, "");
		goto out;
	}
	if (seg_ok && nseg) {
		osmdiag__buf b = OSMDIAG__BUF_INIT;

		for (size_t k = 0; k < t.n; k++) {
			if (t.v[k].type == T_SEG)
				osmdiag__buf_puts(&b, "{*}");
			else
				osmdiag__buf_putc(&b, t.v[k].c);
		}
		*shape = "template";
		rc = b.oom ? -1 : osmdiag__strlist_push_unique(&out->values, b.ptr);
		osmdiag__buf_free(&b);
		goto out;
	}
	if (lead) {
		for (size_t k = 0; k < lead; k++)
			lit[nlit++] = t.v[k].c;
		*shape = "prefix";
		if (!(lead + 1 == t.n && t.v[lead].type == T_ANYSTAR))
			out->approx |= OSMDIAG__RX_OVER;
		rc = push_value(out, "", lit, nlit, "*");
		goto out;
	}
	if (trail) {
		for (size_t k = t.n - trail; k < t.n; k++)
			lit[nlit++] = t.v[k].c;
		*shape = "suffix";
		if (!(trail + 1 == t.n && t.v[0].type == T_ANYSTAR))
			out->approx |= OSMDIAG__RX_OVER;
		rc = push_value(out, "*", lit, nlit, "");
		goto out;
	}
	out->approx |= OSMDIAG__RX_OVER;
	if (where == OSMDIAG__RX_HEADER) {
		*shape = "presence";
		rc = osmdiag__strlist_push_unique(&out->values, "*");
	} else {
		*shape = "any";
		out->any = 1;
		rc = 0;
	}
out:
	free(lit);
	free(t.v);
	return rc;
}

int osmdiag__rx_translate(const char *re, int where, int templates, osmdiag__rx *out)
{
	osmdiag__strlist branches = OSMDIAG__STRLIST_INIT;
	char *copy, *s;
	int ci = 0, rc;

	memset(out, 0, sizeof(*out));
	out->shape = "any";
	if (!re)
		re = "";
	if (strncmp(re, "(?i)", 4) == 0) {
		ci = 1;
		re += 4;
	}
	copy = osmdiag__strdup(re);
	if (!copy)
		return -1;
	s = strip_outer(copy);
	rc = split_alternation(s, &branches);
	if (rc == -2) { /* unbalanced class: not a regex we can read */
		out->approx |= OSMDIAG__RX_OVER;
		if (where == OSMDIAG__RX_HEADER) {
			out->shape = "presence";
			rc = osmdiag__strlist_push(&out->values, "*");
		} else {
			out->any = 1;
			rc = 0;
		}
		goto done;
	}
	if (rc < 0)
		goto done;
	for (size_t i = 0; i < branches.n; i++) {
		char *b = strip_outer(branches.v[i]);
		const char *shape = "any";

		if ((rc = classify(b, where, templates, out, &shape)) < 0)
			goto done;
		out->shape = branches.n > 1 ? "alternation" : shape;
	}
	if (out->any) { /* one branch matches anything: the others add nothing */
		osmdiag__strlist_free(&out->values);
		out->shape = "any";
	}
	if (ci && !out->any) {
		for (size_t i = 0; i < out->values.n; i++)
			for (const char *p = out->values.v[i]; *p; p++)
				if (isalpha((unsigned char)*p) && !(p[0] == '{' || p[0] == '}'))
					out->approx |= OSMDIAG__RX_UNDER;
	}
	rc = 0;
done:
	osmdiag__strlist_free(&branches);
	free(copy);
	if (rc < 0)
		osmdiag__rx_dispose(out);
	return rc < 0 ? -1 : 0;
}

void osmdiag__rx_dispose(osmdiag__rx *rx)
{
	if (!rx)
		return;
	osmdiag__strlist_free(&rx->values);
	memset(rx, 0, sizeof(*rx));
}

const char *osmdiag__rx_direction(unsigned approx)
{
	switch (approx & (OSMDIAG__RX_OVER | OSMDIAG__RX_UNDER)) {
	case 0:
		return "exact";
	case OSMDIAG__RX_OVER:
		return "over";
	case OSMDIAG__RX_UNDER:
		return "under";
	default:
		return "over and under";
	}
}
