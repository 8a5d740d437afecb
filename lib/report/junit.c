/*
 * JUnit XML: <testsuites> > one <testsuite> per category (in report order) >
 * one <testcase> per result. fail -> <failure>, error -> <error>, skip ->
 * <skipped>; warn -> <failure type="warn"> when the run fails on warnings,
 * else a passing testcase with the warning in <system-out> (so CI and the exit
 * code agree). Text is XML-escaped; characters XML 1.0 forbids and invalid
 * UTF-8 are replaced by '?'.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "osmdiag/check.h"
#include "osmdiag/version.h"
#include "report/report_impl.h"
#include "util/util.h"

/* From json.c (to move into report_impl.h). */

/* XML-escapes `s` after replacing what XML 1.0 cannot carry. */
static void put_xml(osmdiag__buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	char *copy;
	size_t i = 0;

	copy = malloc(strlen((const char *)p) + 1);
	if (!copy) {
		b->oom = 1;
		return;
	}
	while (*p) {
		size_t n = osmdiag__utf8_seq_len(p);
		if (n == 0 || (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')) {
			copy[i++] = '?';
			p++;
			continue;
		}
		memcpy(copy + i, p, n);
		i += n;
		p += n;
	}
	copy[i] = '\0';
	osmdiag__buf_put_xml(b, copy);
	free(copy);
}

static double secs(double ms)
{
	return isfinite(ms) && ms > 0 ? ms / 1000.0 : 0.0;
}

/* Is this result counted as a JUnit failure? */
static int is_failure(const struct osmdiag_report *rep, int st)
{
	return st == OSMDIAG_STATUS_FAIL || (st == OSMDIAG_STATUS_WARN && rep->fail_on == OSMDIAG_STATUS_WARN);
}

static int status_ok(int st)
{
	return st >= OSMDIAG_STATUS_PASS && st <= OSMDIAG_STATUS_ERROR;
}

/* Body text of a failure/error: message, hint, fix, docs. */
static void put_body(osmdiag__buf *b, const struct osmdiag_result *r)
{
	put_xml(b, r->message);
	if (r->hint) {
		osmdiag__buf_puts(b, "\nhint: ");
		put_xml(b, r->hint);
	}
	if (r->remediation) {
		osmdiag__buf_puts(b, "\nfix:  ");
		put_xml(b, r->remediation);
	}
	if (r->docs) {
		osmdiag__buf_puts(b, "\ndocs: ");
		put_xml(b, r->docs);
	}
}

static void put_testcase(osmdiag__buf *b, const struct osmdiag_report *rep, const struct osmdiag_result *r)
{
	int st = status_ok(r->status) ? r->status : OSMDIAG_STATUS_ERROR;

	osmdiag__buf_puts(b, "    <testcase classname=\"osmdiag.");
	put_xml(b, r->category);
	osmdiag__buf_puts(b, "\" name=\"");
	put_xml(b, r->id);
	osmdiag__buf_putc(b, ' ');
	put_xml(b, r->title);
	if (r->res_name) {
		osmdiag__buf_puts(b, " [");
		put_xml(b, r->res_kind);
		osmdiag__buf_putc(b, ' ');
		if (r->res_namespace && *r->res_namespace) {
			put_xml(b, r->res_namespace);
			osmdiag__buf_putc(b, '/');
		}
		put_xml(b, r->res_name);
		osmdiag__buf_putc(b, ']');
	}
	osmdiag__buf_printf(b, "\" time=\"%.3f\">\n", secs(r->duration_ms));
	if (is_failure(rep, st)) {
		osmdiag__buf_printf(b, "      <failure type=\"%s\" message=\"", osmdiag_status_name(st));
		put_xml(b, r->message);
		osmdiag__buf_puts(b, "\">");
		put_body(b, r);
		osmdiag__buf_puts(b, "</failure>\n");
	} else if (st == OSMDIAG_STATUS_ERROR) {
		osmdiag__buf_puts(b, "      <error type=\"error\" message=\"");
		put_xml(b, r->message);
		osmdiag__buf_puts(b, "\">");
		put_body(b, r);
		osmdiag__buf_puts(b, "</error>\n");
	} else if (st == OSMDIAG_STATUS_SKIP) {
		osmdiag__buf_puts(b, "      <skipped message=\"");
		put_xml(b, r->message);
		osmdiag__buf_puts(b, "\"/>\n");
	} else {
		osmdiag__buf_printf(b, "      <system-out>%s: ", osmdiag_status_name(st));
		put_body(b, r);
		osmdiag__buf_puts(b, "</system-out>\n");
	}
	osmdiag__buf_puts(b, "    </testcase>\n");
}

int osmdiag_report_to_junit(const osmdiag_report *rep, char **out)
{
	osmdiag__buf b = OSMDIAG__BUF_INIT;
	unsigned char *done = NULL;
	size_t tot[4] = { 0 }; /* tests, failures, errors, skipped */

	if (!out)
		return OSMDIAG_EINVAL;
	*out = NULL;
	if (!rep)
		return OSMDIAG_EINVAL;
	if (rep->n && !(done = calloc(rep->n, 1)))
		return OSMDIAG_ENOMEM;

	for (size_t i = 0; i < rep->n; i++) {
		int st = status_ok(rep->results[i].status) ? rep->results[i].status : OSMDIAG_STATUS_ERROR;
		tot[0]++;
		tot[1] += is_failure(rep, st);
		tot[2] += st == OSMDIAG_STATUS_ERROR;
		tot[3] += st == OSMDIAG_STATUS_SKIP;
	}
	osmdiag__buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	osmdiag__buf_printf(&b, "<testsuites name=\"osmdiag " OSMDIAG_VERSION "\" tests=\"%zu\" failures=\"%zu\""
		" errors=\"%zu\" skipped=\"%zu\" time=\"%.3f\">\n", tot[0], tot[1], tot[2], tot[3],
		secs(rep->duration_ms));

	for (size_t i = 0; i < rep->n; i++) {
		const char *cat = rep->results[i].category ? rep->results[i].category : "";
		size_t k[4] = { 0 };
		double ms = 0;

		if (done[i])
			continue;
		for (size_t j = i; j < rep->n; j++) {
			const struct osmdiag_result *r = &rep->results[j];
			int st = status_ok(r->status) ? r->status : OSMDIAG_STATUS_ERROR;
			if (!osmdiag__streq(r->category ? r->category : "", cat))
				continue;
			k[0]++;
			k[1] += is_failure(rep, st);
			k[2] += st == OSMDIAG_STATUS_ERROR;
			k[3] += st == OSMDIAG_STATUS_SKIP;
			if (isfinite(r->duration_ms) && r->duration_ms > 0)
				ms += r->duration_ms;
		}
		osmdiag__buf_puts(&b, "  <testsuite name=\"");
		put_xml(&b, cat);
		osmdiag__buf_printf(&b, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\""
			" time=\"%.3f\">\n", k[0], k[1], k[2], k[3], secs(ms));
		osmdiag__buf_puts(&b, "    <properties>\n");
		if (rep->mesh_namespace) {
			osmdiag__buf_puts(&b, "      <property name=\"mesh\" value=\"");
			put_xml(&b, rep->mesh_name);
			osmdiag__buf_putc(&b, '/');
			put_xml(&b, rep->mesh_namespace);
			osmdiag__buf_puts(&b, "\"/>\n");
		}
		if (rep->mesh_version) {
			osmdiag__buf_puts(&b, "      <property name=\"osmVersion\" value=\"");
			put_xml(&b, rep->mesh_version);
			osmdiag__buf_puts(&b, "\"/>\n");
		}
		osmdiag__buf_puts(&b, "      <property name=\"source\" value=\"");
		put_xml(&b, rep->source_desc ? rep->source_desc : rep->source_kind);
		osmdiag__buf_puts(&b, "\"/>\n    </properties>\n");
		for (size_t j = i; j < rep->n; j++) {
			const struct osmdiag_result *r = &rep->results[j];
			if (done[j] || !osmdiag__streq(r->category ? r->category : "", cat))
				continue;
			done[j] = 1;
			put_testcase(&b, rep, r);
		}
		osmdiag__buf_puts(&b, "  </testsuite>\n");
	}
	osmdiag__buf_puts(&b, "</testsuites>\n");

	free(done);
	if (b.oom) {
		osmdiag__buf_free(&b);
		return OSMDIAG_ENOMEM;
	}
	*out = osmdiag__buf_detach(&b);
	return *out ? OSMDIAG_OK : OSMDIAG_ENOMEM;
}
