/*
 * Migration outputs: the JSON document (schemaVersion 1), text, Markdown and
 * the output directory (istio/<file>.yaml, runbook.md, report.json). Deterministic:
 * no timestamps, no durations, keys in a fixed order.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "migrate/migrate_impl.h"
#include "osmdiag/version.h"
#include "report/report_impl.h"

#define S(x) ((x) ? (x) : "")

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *findings_json(const osmdiag_report *rep)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < rep->n; i++) {
		const struct osmdiag_result *r = &rep->results[i];
		json_t *res = r->res_kind || r->res_name
			? json_pack("{s:s, s:o, s:s}", "kind", S(r->res_kind), "namespace",
				    str_or_null(r->res_namespace && *r->res_namespace ? r->res_namespace
				    : NULL), "name",
				    S(r->res_name))
			: json_null();
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:i}", "id", S(r->id),
			"category",
			S(r->category), "title", S(r->title), "status", osmdiag_status_name(r->status),
			"message",
			S(r->message), "resource", res, "hint", str_or_null(r->hint), "remediation",
			str_or_null(r->remediation), "docs", r->docs ? r->docs : "docs/checks.md",
			"durationMs", 0);

		if (!o || json_array_append_new(a, o) < 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *document(const osmdiag_migration *m)
{
	json_t *doc, *summary = json_object(), *manifests = json_array();
	const osmdiag_report *rep = m->rep;

	if (!summary || !manifests) {
		json_decref(summary);
		json_decref(manifests);
		return NULL;
	}
	for (int st = OSMDIAG_STATUS_PASS; st <= OSMDIAG_STATUS_ERROR; st++)
		json_object_set_new(summary, osmdiag_status_name(st),
			json_integer((json_int_t)osmdiag_report_summary(rep,
			st)));
	for (size_t i = 0; i < m->nman; i++) {
		const osmdiag__mig_manifest *mf = &m->man[i];
		char *file = osmdiag__mig_file_of(mf->file_ns);

		/* the object's namespace (aks-istio-system for mesh-wide objects); `file` tells the file */
		json_array_append_new(manifests, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "namespace",
			mf->namespace_,
			"kind", mf->kind, "apiVersion", mf->api_version, "name", mf->name, "file", S(file),
			"source",
			S(mf->source)));
		free(file);
	}
	doc = json_pack("{s:i, s:{s:s, s:s}, s:O, s:O, s:s, s:s, s:o, s:o, s:O, s:o, s:O}", "schemaVersion",
		1, "tool",
		"name", "osmdiag", "version", OSMDIAG_VERSION, "source", m->source, "mesh", m->mesh,
		"targetRevision",
		m->rev->name, "istioVersion", m->rev->istio, "summary", summary, "findings",
		findings_json(rep),
		"inventory", m->inventory, "manifests", manifests, "runbook", m->runbook);
	return doc;
}

int osmdiag_migration_to_json(const osmdiag_migration *m, char **out)
{
	json_t *doc;
	char *s;

	if (!out)
		return OSMDIAG_EINVAL;
	*out = NULL;
	if (!m)
		return OSMDIAG_EINVAL;
	doc = document(m);
	if (!doc)
		return OSMDIAG_ENOMEM;
	s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (!s)
		return OSMDIAG_ENOMEM;
	*out = osmdiag__asprintf("%s\n", s);
	free(s);
	return *out ? OSMDIAG_OK : OSMDIAG_ENOMEM;
}

int osmdiag_migration_to_text(const osmdiag_migration *m, unsigned int flags, char **out)
{
	osmdiag__buf b = OSMDIAG__BUF_INIT;
	char *rep = NULL;
	int rc;
	size_t i;
	json_t *row;

	if (!out)
		return OSMDIAG_EINVAL;
	*out = NULL;
	if (!m)
		return OSMDIAG_EINVAL;
	rc = osmdiag_report_to_text(m->rep, flags, &rep);
	if (rc != OSMDIAG_OK)
		return rc;
	osmdiag__buf_printf(&b, "OSM -> Istio migration (AKS add-on revision %s, Istio %s)\n\n", m->rev->name,
			    m->rev->istio);
	osmdiag__buf_puts(&b, rep);
	osmdiag_free(rep);
	osmdiag__buf_puts(&b, "\nInventory:\n");
	json_array_foreach(m->inventory, i, row) {
		const char *ns = json_string_value(json_object_get(row, "namespace"));

		osmdiag__buf_printf(&b, "  %-12s %s %s%s%s: %s\n", json_string_value(json_object_get(row,
			"translation")),
			json_string_value(json_object_get(row, "kind")), S(ns), ns && *ns ? "/" : "",
			json_string_value(json_object_get(row, "name")),
			json_string_value(json_object_get(row, "reason")));
	}
	osmdiag__buf_printf(&b, "\nDraft Istio objects (%zu):\n", m->nman);
	for (size_t k = 0; k < m->nman; k++) {
		char *file = osmdiag__mig_file_of(m->man[k].file_ns);

		osmdiag__buf_printf(&b, "  %-22s %s/%s %s  <- %s\n", S(file), m->man[k].kind,
			*m->man[k].namespace_ ? m->man[k].namespace_ : "-", m->man[k].name,
			S(m->man[k].source));
		free(file);
	}
	osmdiag__buf_printf(&b, "\nRunbook: %zu steps (osmdiag migrate --out DIR writes DIR/runbook.md)\n",
			    json_array_size(m->runbook));
	json_array_foreach(m->runbook, i, row)
		osmdiag__buf_printf(&b, "  %zu. %s\n", i + 1, json_string_value(json_object_get(row,
			"title")));
	if (b.oom) {
		osmdiag__buf_free(&b);
		return OSMDIAG_ENOMEM;
	}
	*out = osmdiag__buf_detach(&b);
	return *out ? OSMDIAG_OK : OSMDIAG_ENOMEM;
}

/* A Markdown table cell: pipes escaped, newlines as spaces. */
static void md_cell(osmdiag__buf *b, const char *s)
{
	for (const char *p = S(s); *p; p++) {
		if (*p == '|')
			osmdiag__buf_puts(b, "\\|");
		else if (*p == '\n')
			osmdiag__buf_putc(b, ' ');
		else
			osmdiag__buf_putc(b, *p);
	}
}

int osmdiag_migration_to_markdown(const osmdiag_migration *m, char **out)
{
	osmdiag__buf b = OSMDIAG__BUF_INIT;
	size_t i;
	json_t *row;

	if (!out)
		return OSMDIAG_EINVAL;
	*out = NULL;
	if (!m)
		return OSMDIAG_EINVAL;
	osmdiag__buf_printf(&b, "# OSM to Istio migration report\n\nTarget: AKS Istio add-on `%s` (Istio "
		"%s). Findings: %zu fail, %zu warn, %zu info.\n\n## Findings\n\n| ID | status | finding | "
		"hint |\n|---|---|---|---|\n", m->rev->name, m->rev->istio,
		osmdiag_report_summary(m->rep, OSMDIAG_STATUS_FAIL),
		osmdiag_report_summary(m->rep, OSMDIAG_STATUS_WARN),
		osmdiag_report_summary(m->rep, OSMDIAG_STATUS_INFO));
	for (size_t k = 0; k < m->rep->n; k++) {
		const struct osmdiag_result *r = &m->rep->results[k];

		osmdiag__buf_printf(&b, "| [%s](%s) | %s | ", r->id, S(r->docs),
			osmdiag_status_name(r->status));
		md_cell(&b, r->message);
		osmdiag__buf_puts(&b, " | ");
		md_cell(&b, r->hint);
		if (r->remediation) {
			osmdiag__buf_puts(&b, " `");
			md_cell(&b, r->remediation);
			osmdiag__buf_putc(&b, '`');
		}
		osmdiag__buf_puts(&b, " |\n");
	}
	osmdiag__buf_puts(&b, "\n## Inventory\n\n| OSM object | translation | reason | Istio objects |\n"
		"|---|---|---|---|\n");
	json_array_foreach(m->inventory, i, row) {
		const char *ns = json_string_value(json_object_get(row, "namespace"));
		size_t k;
		json_t *t;

		osmdiag__buf_printf(&b, "| %s %s%s%s | %s | ", json_string_value(json_object_get(row,
			"kind")), S(ns),
			ns && *ns ? "/" : "", json_string_value(json_object_get(row, "name")),
			json_string_value(json_object_get(row, "translation")));
		md_cell(&b, json_string_value(json_object_get(row, "reason")));
		osmdiag__buf_puts(&b, " | ");
		json_array_foreach(json_object_get(row, "to"), k, t)
			osmdiag__buf_printf(&b, "%s%s %s/%s", k ? ", " : "",
				json_string_value(json_object_get(t, "kind")),
				json_string_value(json_object_get(t, "namespace")),
				json_string_value(json_object_get(t, "name")));
		osmdiag__buf_puts(&b, " |\n");
	}
	osmdiag__buf_puts(&b, "\n## Draft Istio objects\n\n| file | kind | apiVersion | namespace/name | "
		"from |\n|---|---|---|---|---|\n");
	for (size_t k = 0; k < m->nman; k++) {
		char *file = osmdiag__mig_file_of(m->man[k].file_ns);

		osmdiag__buf_printf(&b, "| %s | %s | %s | %s/%s | ", S(file), m->man[k].kind,
			m->man[k].api_version,
			*m->man[k].namespace_ ? m->man[k].namespace_ : "-", m->man[k].name);
		md_cell(&b, m->man[k].source);
		osmdiag__buf_puts(&b, " |\n");
		free(file);
	}
	osmdiag__buf_puts(&b, "\n");
	/* the runbook, one heading level down */
	for (const char *p = S(m->runbook_md); *p;) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) + 1 : strlen(p);

		if (*p == '#')
			osmdiag__buf_putc(&b, '#');
		osmdiag__buf_put(&b, p, n);
		p += n;
	}
	if (b.oom) {
		osmdiag__buf_free(&b);
		return OSMDIAG_ENOMEM;
	}
	*out = osmdiag__buf_detach(&b);
	return *out ? OSMDIAG_OK : OSMDIAG_ENOMEM;
}

static int mkdir_p(const char *path, osmdiag_error *err)
{
	if (mkdir(path, 0777) == 0 || errno == EEXIST) {
		struct stat st;

		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			return OSMDIAG_OK;
		return osmdiag__error_set(err, OSMDIAG_ERROR, "%s exists and is not a directory", path);
	}
	return osmdiag__error_set(err, errno == ENOENT ? OSMDIAG_ENOTFOUND : OSMDIAG_ERROR,
				  "cannot create directory %s: %s", path, strerror(errno));
}

static int write_file(const char *dir, const char *rel, const char *text, osmdiag_error *err)
{
	char *path = osmdiag__asprintf("%s/%s", dir, rel);
	FILE *f;
	size_t n = strlen(text);
	int rc = OSMDIAG_OK;

	if (!path)
		return osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
	f = fopen(path, "wb");
	if (!f) {
		rc = osmdiag__error_set(err, OSMDIAG_ERROR, "cannot write %s: %s", path, strerror(errno));
	} else {
		if (fwrite(text, 1, n, f) != n)
			rc = osmdiag__error_set(err, OSMDIAG_ERROR, "cannot write %s: %s", path,
				strerror(errno));
		if (fclose(f) != 0 && rc == OSMDIAG_OK)
			rc = osmdiag__error_set(err, OSMDIAG_ERROR, "cannot write %s: %s", path,
				strerror(errno));
	}
	free(path);
	return rc;
}

int osmdiag_migration_write(const osmdiag_migration *m, const char *dir, osmdiag_error *err)
{
	char *sub, *json = NULL;
	int rc;

	osmdiag_error_clear(err);
	if (!m || !dir || !*dir)
		return osmdiag__error_set(err, OSMDIAG_EINVAL, "no migration or no output directory");
	if ((rc = mkdir_p(dir, err)) != OSMDIAG_OK)
		return rc;
	sub = osmdiag__asprintf("%s/istio", dir);
	if (!sub)
		return osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
	rc = mkdir_p(sub, err);
	free(sub);
	if (rc != OSMDIAG_OK)
		return rc;
	/* manifests are sorted by file: one multi-document file per run of equal file_ns */
	for (size_t i = 0; i < m->nman && rc == OSMDIAG_OK;) {
		osmdiag__buf b = OSMDIAG__BUF_INIT;
		size_t k = i;
		char *file = osmdiag__mig_file_of(m->man[i].file_ns);

		for (; k < m->nman && strcmp(m->man[k].file_ns, m->man[i].file_ns) == 0; k++) {
			if (k > i)
				osmdiag__buf_puts(&b, "---\n");
			osmdiag__buf_puts(&b, m->man[k].yaml);
		}
		if (!file || b.oom)
			rc = osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
		else
			rc = write_file(dir, file, b.ptr ? b.ptr : "", err);
		osmdiag__buf_free(&b);
		free(file);
		i = k;
	}
	if (rc == OSMDIAG_OK)
		rc = write_file(dir, "runbook.md", S(m->runbook_md), err);
	if (rc == OSMDIAG_OK && (rc = osmdiag_migration_to_json(m, &json)) != OSMDIAG_OK)
		osmdiag__error_set(err, rc, "cannot render report.json: %s", osmdiag_strerror(rc));
	if (rc == OSMDIAG_OK)
		rc = write_file(dir, "report.json", json, err);
	free(json);
	return rc;
}
