/*
 * SARIF 2.1.0 for code-scanning dashboards. One run; tool.driver.rules is
 * the whole catalogue (ruleIndex = catalogue index); results are the report's
 * warn/fail/error/info results (pass and skip are not findings):
 * fail/error -> "error", warn -> "warning", info -> "note". The Kubernetes
 * object is a logicalLocation ("kube-system/Deployment/osm-controller").
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "checks/check_impl.h"
#include "osmdiag/check.h"
#include "osmdiag/version.h"
#include "report/report_impl.h"
#include "util/util.h"

/* From json.c (to move into report_impl.h). */

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"

static const char *level_of(int st)
{
	switch (st) {
	case OSMDIAG_STATUS_FAIL:
	case OSMDIAG_STATUS_ERROR:
		return "error";
	case OSMDIAG_STATUS_WARN:
		return "warning";
	case OSMDIAG_STATUS_INFO:
		return "note";
	default:
		return NULL;
	}
}

/* "text" member pair: "key": {"text": s} */
static void put_text_obj(osmdiag__buf *b, const char *key, const char *s)
{
	osmdiag__json_put_str(b, key);
	osmdiag__buf_puts(b, ": {\"text\": ");
	osmdiag__json_put_str(b, s && *s ? s : "-");
	osmdiag__buf_putc(b, '}');
}

static void put_rules(osmdiag__buf *b)
{
	size_t n = osmdiag__catalogue_size();

	osmdiag__buf_puts(b, "[");
	for (size_t i = 0; i < n; i++) {
		const osmdiag__check_def *d = osmdiag__catalogue_get(i);
		char *docs;

		if (!d)
			continue;
		osmdiag__buf_puts(b, i ? ",\n          {" : "\n          {");
		osmdiag__buf_puts(b, "\"id\": ");
		osmdiag__json_put_str(b, d->id);
		osmdiag__buf_puts(b, ", \"name\": ");
		osmdiag__json_put_str(b, d->title);
		osmdiag__buf_puts(b, ", ");
		put_text_obj(b, "shortDescription", d->title);
		osmdiag__buf_puts(b, ", ");
		put_text_obj(b, "fullDescription", d->expectation);
		osmdiag__buf_puts(b, ", ");
		put_text_obj(b, "help", d->fix);
		osmdiag__buf_puts(b, ", \"defaultConfiguration\": {\"level\": ");
		osmdiag__json_put_str(b, d->severity && strncmp(d->severity, "info", 4) == 0 ? "note"
			: d->severity && strncmp(d->severity, "warn", 4) == 0 ? "warning" : "error");
		osmdiag__buf_puts(b, "}, \"properties\": {\"category\": ");
		osmdiag__json_put_str(b, d->category);
		osmdiag__buf_puts(b, ", \"severity\": ");
		osmdiag__json_put_str(b, d->severity);
		docs = osmdiag__docs_anchor(d->id);
		if (!docs)
			b->oom = 1;
		osmdiag__buf_puts(b, ", \"docs\": ");
		osmdiag__json_put_str(b, docs ? docs : "docs/checks.md");
		free(docs);
		osmdiag__buf_puts(b, ", \"tags\": [");
		osmdiag__json_put_str(b, d->category);
		osmdiag__buf_puts(b, "]}}");
	}
	osmdiag__buf_puts(b, n ? "\n        ]" : "]");
}

static long rule_index(const char *id)
{
	size_t n = osmdiag__catalogue_size();
	for (size_t i = 0; i < n; i++) {
		const osmdiag__check_def *d = osmdiag__catalogue_get(i);
		if (d && osmdiag__strcaseeq(d->id, id))
			return (long)i;
	}
	return -1;
}

static void put_result(osmdiag__buf *b, const struct osmdiag_result *r, const char *level, int first)
{
	long ri = rule_index(r->id);

	osmdiag__buf_puts(b, first ? "\n        {" : ",\n        {");
	osmdiag__buf_puts(b, "\"ruleId\": ");
	osmdiag__json_put_str(b, r->id ? r->id : "");
	if (ri >= 0)
		osmdiag__buf_printf(b, ", \"ruleIndex\": %ld", ri);
	osmdiag__buf_puts(b, ", \"level\": ");
	osmdiag__json_put_str(b, level);
	osmdiag__buf_puts(b, ", \"message\": {\"text\": ");
	osmdiag__json_put_str(b, r->message && *r->message ? r->message : "-");
	osmdiag__buf_putc(b, '}');
	if (r->res_name) {
		osmdiag__buf_puts(b, ", \"locations\": [{\"logicalLocations\": [{\"name\": ");
		osmdiag__json_put_str(b, r->res_name);
		{
			char *fqn = osmdiag__asprintf("%s%s%s/%s", r->res_namespace ? r->res_namespace : "",
				r->res_namespace ? "/" : "", r->res_kind ? r->res_kind : "", r->res_name);
			if (!fqn)
				b->oom = 1;
			osmdiag__buf_puts(b, ", \"fullyQualifiedName\": ");
			osmdiag__json_put_str(b, fqn ? fqn : r->res_name);
			free(fqn);
		}
		osmdiag__buf_puts(b, ", \"kind\": \"resource\", \"properties\": {\"kubernetesKind\": ");
		osmdiag__json_put_str(b, r->res_kind);
		osmdiag__buf_puts(b, ", \"namespace\": ");
		osmdiag__json_put_str(b, r->res_namespace);
		osmdiag__buf_puts(b, "}}]}]");
	}
	osmdiag__buf_puts(b, ", \"properties\": {\"status\": ");
	osmdiag__json_put_str(b, osmdiag_status_name(r->status));
	osmdiag__buf_puts(b, ", \"category\": ");
	osmdiag__json_put_str(b, r->category);
	osmdiag__buf_puts(b, ", \"hint\": ");
	osmdiag__json_put_str(b, r->hint);
	osmdiag__buf_puts(b, ", \"remediation\": ");
	osmdiag__json_put_str(b, r->remediation);
	osmdiag__buf_puts(b, ", \"docs\": ");
	osmdiag__json_put_str(b, r->docs);
	osmdiag__buf_puts(b, "}}");
}

int osmdiag_report_to_sarif(const osmdiag_report *rep, char **out)
{
	osmdiag__buf b = OSMDIAG__BUF_INIT;
	int first = 1;

	if (!out)
		return OSMDIAG_EINVAL;
	*out = NULL;
	if (!rep)
		return OSMDIAG_EINVAL;

	osmdiag__buf_puts(&b, "{\n  \"$schema\": \"" SARIF_SCHEMA "\",\n  \"version\": \"2.1.0\",\n"
		"  \"runs\": [\n    {\n      \"tool\": {\"driver\": {\"name\": \"osmdiag\", \"version\": \""
		OSMDIAG_VERSION "\", \"semanticVersion\": \"" OSMDIAG_VERSION "\",\n        \"rules\": ");
	put_rules(&b);
	osmdiag__buf_puts(&b, "}},\n      \"invocations\": [{\"executionSuccessful\": true, \"properties\": {"
		"\"source\": ");
	osmdiag__json_put_str(&b, rep->source_desc ? rep->source_desc : rep->source_kind);
	osmdiag__buf_puts(&b, ", \"meshName\": ");
	osmdiag__json_put_str(&b, rep->mesh_name);
	osmdiag__buf_puts(&b, ", \"meshNamespace\": ");
	osmdiag__json_put_str(&b, rep->mesh_namespace);
	osmdiag__buf_puts(&b, ", \"osmVersion\": ");
	osmdiag__json_put_str(&b, rep->mesh_version);
	osmdiag__buf_puts(&b, ", \"durationMs\": ");
	osmdiag__json_put_num(&b, rep->duration_ms);
	osmdiag__buf_puts(&b, "}}],\n      \"results\": [");
	for (size_t i = 0; i < rep->n; i++) {
		const char *level = level_of(rep->results[i].status);
		if (!level)
			continue;
		put_result(&b, &rep->results[i], level, first);
		first = 0;
	}
	osmdiag__buf_puts(&b, first ? "]\n    }\n  ]\n}\n" : "\n      ]\n    }\n  ]\n}\n");

	if (b.oom) {
		osmdiag__buf_free(&b);
		return OSMDIAG_ENOMEM;
	}
	*out = osmdiag__buf_detach(&b);
	return *out ? OSMDIAG_OK : OSMDIAG_ENOMEM;
}
