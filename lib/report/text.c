/*
 * The human report (`-o text`), linkerd-check look (spec/INTERFACES.md):
 *
 *   osmdiag 0.1.0 · mesh "osm" in kube-system · OSM v1.2.5 (profile v1.2) · source: ...
 *
 *   control-plane
 *     [ok]   OSMD101 osm-controller Deployment available     2/2 replicas
 *     [FAIL] OSMD102 osm-controller pods ready
 *         kube-system/osm-controller-x: container osm-controller in CrashLoopBackOff
 *         hint: ...
 *         fix:  kubectl ...
 *
 *   37 passed · 1 info · 1 skipped · 1 warning · 2 failed · 0 errors    docs: docs/checks.md
 *
 * Categories in catalogue order, checks in report order. A check whose results
 * are all pass/info/skip takes one line; problems (warn/fail/error) are listed
 * beneath their check with hint and fix. Control characters in messages are
 * replaced so that no input can drive the terminal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/check_impl.h"
#include "osmdiag/check.h"
#include "osmdiag/version.h"
#include "report/report_impl.h"
#include "util/util.h"

#define NSTATUS 6
#define MSG_COL_MAX 56  /* the message column starts at most here (after the mark) */

static const char *const ascii_marks[NSTATUS] = {
	"[ok]  ", "[info]", "[skip]", "[warn]", "[FAIL]", "[ERR] "
};
static const char *const unicode_marks[NSTATUS] = {
	"\xe2\x9c\x94", /* ✔ */
	"\xe2\x84\xb9", /* ℹ */
	"\xe2\x86\xb7", /* ↷ */
	"\xe2\x9a\xa0", /* ⚠ */
	"\xe2\x9c\x96", /* ✖ */
	"\xe2\x80\xbc"  /* ‼ */
};
static const char *const colours[NSTATUS] = {
	"\x1b[32m", "\x1b[36m", "\x1b[90m", "\x1b[33m", "\x1b[31m", "\x1b[35m"
};
#define C_RESET "\x1b[0m"
#define C_BOLD "\x1b[1m"
#define C_DIM "\x1b[2m"

#define SEP " \xc2\xb7 " /* " · " */

typedef struct {
	osmdiag__buf *b;
	unsigned flags;
	int col; /* width of "ID title" column */
} ctx_t;

static int valid_status(int st)
{
	return st >= OSMDIAG_STATUS_PASS && st <= OSMDIAG_STATUS_ERROR;
}

/* Display width of UTF-8 text: one column per code point. */
static int text_width(const char *s)
{
	int w = 0;
	for (; s && *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

/* Appends `s` with control characters (ESC, CR, LF, TAB, DEL...) replaced by spaces. */
static void put_clean(osmdiag__buf *b, const char *s)
{
	const char *p = s ? s : "";
	while (*p) {
		const char *run = p;
		while (*p && (unsigned char)*p >= 0x20 && *p != 0x7f)
			p++;
		if (p > run)
			osmdiag__buf_put(b, run, (size_t)(p - run));
		if (!*p)
			break;
		osmdiag__buf_putc(b, ' ');
		p++;
	}
}

static void put_mark(ctx_t *c, int st)
{
	if (!valid_status(st))
		st = OSMDIAG_STATUS_ERROR;
	if (c->flags & OSMDIAG_TEXT_COLOR)
		osmdiag__buf_puts(c->b, colours[st]);
	osmdiag__buf_puts(c->b, (c->flags & OSMDIAG_TEXT_UNICODE) ? unicode_marks[st] : ascii_marks[st]);
	if (c->flags & OSMDIAG_TEXT_COLOR)
		osmdiag__buf_puts(c->b, C_RESET);
}

static void put_styled(ctx_t *c, const char *style, const char *s)
{
	if (c->flags & OSMDIAG_TEXT_COLOR)
		osmdiag__buf_puts(c->b, style);
	put_clean(c->b, s);
	if (c->flags & OSMDIAG_TEXT_COLOR)
		osmdiag__buf_puts(c->b, C_RESET);
}

static void put_spaces(osmdiag__buf *b, int n)
{
	while (n-- > 0)
		osmdiag__buf_putc(b, ' ');
}

/* "  <mark> ID title<pad>  column" */
static void put_check_line(ctx_t *c, int st, const struct osmdiag_result *r, const char *column)
{
	int w;

	osmdiag__buf_puts(c->b, "  ");
	put_mark(c, st);
	osmdiag__buf_putc(c->b, ' ');
	put_styled(c, C_BOLD, r->id);
	osmdiag__buf_putc(c->b, ' ');
	put_clean(c->b, r->title);
	if (column && *column) {
		w = text_width(r->id) + 1 + text_width(r->title);
		put_spaces(c->b, (w < c->col ? c->col - w : 0) + 2);
		put_clean(c->b, column);
	}
	osmdiag__buf_putc(c->b, '\n');
}

/* A problem (or, verbose, any) result beneath its check line. */
static void put_detail(ctx_t *c, const struct osmdiag_result *r, int with_mark)
{
	osmdiag__buf_puts(c->b, "      ");
	if (with_mark) {
		put_mark(c, r->status);
		osmdiag__buf_putc(c->b, ' ');
	}
	put_clean(c->b, r->message);
	osmdiag__buf_putc(c->b, '\n');
	if (r->status < OSMDIAG_STATUS_WARN && r->status != OSMDIAG_STATUS_INFO)
		return;
	if (r->hint && *r->hint) {
		osmdiag__buf_puts(c->b, "      ");
		put_styled(c, C_DIM, "hint:");
		osmdiag__buf_putc(c->b, ' ');
		put_clean(c->b, r->hint);
		osmdiag__buf_putc(c->b, '\n');
	}
	if (r->remediation && *r->remediation) {
		osmdiag__buf_puts(c->b, "      ");
		put_styled(c, C_DIM, "fix:");
		osmdiag__buf_puts(c->b, "  ");
		put_clean(c->b, r->remediation);
		osmdiag__buf_putc(c->b, '\n');
	}
}

/* Renders check `id`'s results (indices `idx[0..n)`). */
static void put_check(ctx_t *c, const struct osmdiag_report *rep, const size_t *idx, size_t n)
{
	const struct osmdiag_result *first = &rep->results[idx[0]];
	int worst = OSMDIAG_STATUS_PASS;
	size_t nprob = 0, npass = 0;
	int verbose = (c->flags & OSMDIAG_TEXT_VERBOSE) != 0;
	char colbuf[64];

	for (size_t i = 0; i < n; i++) {
		int st = rep->results[idx[i]].status;
		if (!valid_status(st))
			st = OSMDIAG_STATUS_ERROR;
		if (st > worst)
			worst = st;
		if (st >= OSMDIAG_STATUS_WARN)
			nprob++;
		if (st == OSMDIAG_STATUS_PASS)
			npass++;
	}

	if (n == 1 && nprob == 0) {
		/* the common case: one line, message in the column */
		put_check_line(c, worst, first, first->message);
		if (verbose && first->hint && *first->hint && worst == OSMDIAG_STATUS_INFO)
			put_detail(c, first, 0);
		return;
	}
	if (nprob == 0) {
		/* several non-problem results: collapse */
		if (npass == n)
			snprintf(colbuf, sizeof colbuf, "all %zu ok", n);
		else
			snprintf(colbuf, sizeof colbuf, "%zu results", n);
		if (npass == n && !verbose) {
			put_check_line(c, worst, first, colbuf);
			return;
		}
		put_check_line(c, worst, first, npass == n ? colbuf : NULL);
		for (size_t i = 0; i < n; i++) {
			const struct osmdiag_result *r = &rep->results[idx[i]];
			if (verbose || r->status != OSMDIAG_STATUS_PASS)
				put_detail(c, r, 1);
		}
		return;
	}
	/* problems: header line, then each problem (and, verbose, the rest) */
	if (n == 1) {
		put_check_line(c, worst, first, NULL);
		put_detail(c, first, 0);
		return;
	}
	if (npass > 0 && !verbose) {
		snprintf(colbuf, sizeof colbuf, "%zu of %zu ok", npass, n);
		put_check_line(c, worst, first, colbuf);
	} else {
		put_check_line(c, worst, first, NULL);
	}
	for (size_t i = 0; i < n; i++) {
		const struct osmdiag_result *r = &rep->results[idx[i]];
		if (verbose || r->status != OSMDIAG_STATUS_PASS)
			put_detail(c, r, 1);
	}
}

static void put_header(ctx_t *c, const struct osmdiag_report *rep)
{
	osmdiag__buf *b = c->b;

	osmdiag__buf_puts(b, "osmdiag " OSMDIAG_VERSION SEP);
	if (rep->mesh_name || rep->mesh_namespace) {
		osmdiag__buf_puts(b, "mesh \"");
		put_clean(b, rep->mesh_name ? rep->mesh_name : "?");
		osmdiag__buf_puts(b, "\" in ");
		put_clean(b, rep->mesh_namespace ? rep->mesh_namespace : "?");
		osmdiag__buf_puts(b, SEP);
		if (rep->mesh_version) {
			osmdiag__buf_puts(b, "OSM ");
			put_clean(b, rep->mesh_version);
		} else {
			osmdiag__buf_puts(b, "OSM version unknown");
		}
		if (rep->mesh_profile) {
			osmdiag__buf_puts(b, " (profile ");
			put_clean(b, rep->mesh_profile);
			osmdiag__buf_putc(b, ')');
		}
	} else {
		osmdiag__buf_puts(b, "no OSM mesh found");
	}
	osmdiag__buf_puts(b, SEP "source: ");
	if (rep->source_desc && *rep->source_desc)
		put_clean(b, rep->source_desc);
	else
		put_clean(b, rep->source_kind ? rep->source_kind : "snapshot");
	osmdiag__buf_puts(b, "\n\n");
}

static void put_summary(ctx_t *c, const struct osmdiag_report *rep)
{
	size_t k[NSTATUS] = { 0 };

	for (size_t i = 0; i < rep->n; i++)
		k[valid_status(rep->results[i].status) ? rep->results[i].status : OSMDIAG_STATUS_ERROR]++;
	osmdiag__buf_printf(c->b, "%zu passed" SEP "%zu info" SEP "%zu skipped" SEP "%zu %s" SEP
		"%zu failed" SEP "%zu %s    docs: docs/checks.md\n",
		k[OSMDIAG_STATUS_PASS], k[OSMDIAG_STATUS_INFO], k[OSMDIAG_STATUS_SKIP],
		k[OSMDIAG_STATUS_WARN], k[OSMDIAG_STATUS_WARN] == 1 ? "warning" : "warnings",
		k[OSMDIAG_STATUS_FAIL],
		k[OSMDIAG_STATUS_ERROR], k[OSMDIAG_STATUS_ERROR] == 1 ? "error" : "errors");
}

/* Renders every check of `category` not yet done; marks their results done. */
static void put_category(ctx_t *c, const struct osmdiag_report *rep, const char *category,
	unsigned char *done, size_t *idx)
{
	int printed = 0;

	for (size_t i = 0; i < rep->n; i++) {
		const struct osmdiag_result *r = &rep->results[i];
		size_t n = 0;

		if (done[i] || !osmdiag__streq(r->category ? r->category : "", category))
			continue;
		for (size_t j = i; j < rep->n; j++) {
			const struct osmdiag_result *s = &rep->results[j];
			if (!done[j] && osmdiag__streq(s->id, r->id)
			    && osmdiag__streq(s->category ? s->category : "", category)) {
				idx[n++] = j;
				done[j] = 1;
			}
		}
		if (!printed) {
			put_styled(c, C_BOLD, *category ? category : "other");
			osmdiag__buf_putc(c->b, '\n');
			printed = 1;
		}
		put_check(c, rep, idx, n);
	}
}

int osmdiag_report_to_text(const osmdiag_report *rep, unsigned int flags, char **out)
{
	osmdiag__buf b = OSMDIAG__BUF_INIT;
	ctx_t c = { &b, flags, 0 };
	unsigned char *done = NULL;
	size_t *idx = NULL;
	size_t ncat = osmdiag__catalogue_size();

	if (!out)
		return OSMDIAG_EINVAL;
	*out = NULL;
	if (!rep)
		return OSMDIAG_EINVAL;

	if (rep->n) {
		done = calloc(rep->n, 1);
		idx = calloc(rep->n, sizeof *idx);
		if (!done || !idx) {
			free(done);
			free(idx);
			return OSMDIAG_ENOMEM;
		}
	}
	for (size_t i = 0; i < rep->n; i++) {
		int w = text_width(rep->results[i].id) + 1 + text_width(rep->results[i].title);
		if (w > c.col)
			c.col = w;
	}
	if (c.col > MSG_COL_MAX)
		c.col = MSG_COL_MAX;

	put_header(&c, rep);
	/* categories in catalogue order ... */
	for (size_t i = 0; i < ncat; i++) {
		const osmdiag__check_def *d = osmdiag__catalogue_get(i);
		int seen = 0;
		if (!d || !d->category)
			continue;
		for (size_t j = 0; j < i && !seen; j++) {
			const osmdiag__check_def *e = osmdiag__catalogue_get(j);
			seen = e && osmdiag__streq(e->category, d->category);
		}
		if (!seen)
			put_category(&c, rep, d->category, done, idx);
	}
	/* ... then any other category, in report order */
	for (size_t i = 0; i < rep->n; i++)
		if (!done[i])
			put_category(&c, rep, rep->results[i].category ? rep->results[i].category : "",
				done, idx);
	if (rep->n == 0)
		osmdiag__buf_puts(&b, "no checks selected\n");
	osmdiag__buf_putc(&b, '\n');
	put_summary(&c, rep);

	free(done);
	free(idx);
	if (b.oom) {
		osmdiag__buf_free(&b);
		return OSMDIAG_ENOMEM;
	}
	*out = osmdiag__buf_detach(&b);
	return *out ? OSMDIAG_OK : OSMDIAG_ENOMEM;
}
