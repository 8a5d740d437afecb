/*
 * Output formats on hand-built reports: JSON members and escaping, text
 * flags and summary, JUnit escaping, SARIF levels, Prometheus labels, and the
 * catalogue renderings.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "checks/check_impl.h"
#include "report/report_impl.h"
#include "util/util.h"

static void set(char **field, const char *v)
{
	free(*field);
	*field = v ? strdup(v) : NULL;
	ck_assert(!v || *field);
}

/* A report with one result of each status, odd characters, null and cluster-scoped resources. */
static struct osmdiag_report *sample(void)
{
	struct osmdiag_report *rep = osmdiag__report_new();
	struct osmdiag_result *r;

	ck_assert_ptr_nonnull(rep);
	ck_assert_int_eq(osmdiag__report_set_mesh(rep, "osm", "kube-system", "v1.2.5", "v1.2"), 0);
	set(&rep->source_kind, "snapshot");
	ck_assert_int_eq(osmdiag_report_set_source_description(rep, "snapshot /tmp/x.json"), OSMDIAG_OK);
	rep->duration_ms = 12.5;

	r = osmdiag__report_add(rep, "OSMD101", "control-plane", "osm-controller Deployment available",
		OSMDIAG_STATUS_PASS, "2/2 replicas");
	ck_assert_ptr_nonnull(r);
	set(&r->res_kind, "Deployment");
	set(&r->res_namespace, "kube-system");
	set(&r->res_name, "osm-controller");
	r->duration_ms = 0.25;

	r = osmdiag__report_add(rep, "OSMD102", "control-plane", "osm-controller pods ready",
		OSMDIAG_STATUS_FAIL,
		"pod \"x\"\nin <CrashLoopBackOff> & 'restarting' \xc3\xbc \xe2\x82\xac \x1b[31m");
	ck_assert_ptr_nonnull(r);
	set(&r->res_kind, "Pod");
	set(&r->res_namespace, "kube-system");
	set(&r->res_name, "osm-controller-abc");
	set(&r->hint, "read its last log");
	set(&r->remediation, "kubectl logs -n kube-system osm-controller-abc --previous");

	r = osmdiag__report_add(rep, "OSMD102", "control-plane", "osm-controller pods ready",
		OSMDIAG_STATUS_PASS, "kube-system/osm-controller-def ready");
	ck_assert_ptr_nonnull(r);

	r = osmdiag__report_add(rep, "OSMD201", "webhooks", "validating webhook present",
		OSMDIAG_STATUS_WARN, "caBundle expires in 12 days");
	ck_assert_ptr_nonnull(r);
	set(&r->res_kind, "ValidatingWebhookConfiguration");
	set(&r->res_name, "aks-osm-validator-mesh-osm"); /* cluster-scoped: no namespace */

	ck_assert_ptr_nonnull(osmdiag__report_add(rep, "OSMD132", "control-plane", "mesh inventory",
		OSMDIAG_STATUS_INFO, "mesh osm in kube-system, v1.2.5"));
	ck_assert_ptr_nonnull(osmdiag__report_add(rep, "OSMD221", "webhooks", "CRD conversion webhooks",
		OSMDIAG_STATUS_SKIP, "not applicable to profile v1.2"));
	ck_assert_ptr_nonnull(osmdiag__report_add(rep, "OSMD601", "certificates", "mesh root CA present",
		OSMDIAG_STATUS_ERROR, "forbidden: list secrets in kube-system"));
	return rep;
}

static json_t *parse(const char *doc)
{
	json_error_t e;
	json_t *j = json_loads(doc, 0, &e);

	ck_assert_msg(j != NULL, "invalid JSON (%s, line %d): %s", e.text, e.line, doc);
	return j;
}

static const char *jstr(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	ck_assert_msg(json_is_string(v), "member %s is not a string", key);
	return json_string_value(v);
}

START_TEST(json_has_every_member)
{
	struct osmdiag_report *rep = sample();
	char *doc = NULL;
	json_t *j, *results, *summary, *r;
	static const char *const rkeys[] = { "id", "category", "title", "status", "message", "resource", "hint",
		"remediation", "docs", "durationMs" };

	ck_assert_int_eq(osmdiag_report_to_json(rep, &doc), OSMDIAG_OK);
	j = parse(doc);
	ck_assert_int_eq(json_integer_value(json_object_get(j, "schemaVersion")), 1);
	ck_assert_str_eq(jstr(json_object_get(j, "tool"), "name"), "osmdiag");
	ck_assert_str_eq(jstr(json_object_get(j, "tool"), "version"), OSMDIAG_VERSION);
	ck_assert_str_eq(jstr(json_object_get(j, "source"), "kind"), "snapshot");
	ck_assert_str_eq(jstr(json_object_get(j, "source"), "description"), "snapshot /tmp/x.json");
	ck_assert_str_eq(jstr(json_object_get(j, "mesh"), "name"), "osm");
	ck_assert_str_eq(jstr(json_object_get(j, "mesh"), "namespace"), "kube-system");
	ck_assert_str_eq(jstr(json_object_get(j, "mesh"), "version"), "v1.2.5");
	ck_assert_str_eq(jstr(json_object_get(j, "mesh"), "profile"), "v1.2");
	ck_assert_str_eq(jstr(j, "failOn"), "fail");
	ck_assert(json_is_number(json_object_get(j, "durationMs")));

	summary = json_object_get(j, "summary");
	ck_assert_int_eq(json_object_size(summary), 6);
	ck_assert_int_eq(json_integer_value(json_object_get(summary, "pass")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(summary, "info")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(summary, "skip")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(summary, "warn")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(summary, "fail")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(summary, "error")), 1);

	results = json_object_get(j, "results");
	ck_assert_int_eq(json_array_size(results), 7);
	for (size_t i = 0; i < json_array_size(results); i++) {
		r = json_array_get(results, i);
		for (size_t k = 0; k < sizeof(rkeys) / sizeof(rkeys[0]); k++)
			ck_assert_msg(json_object_get(r, rkeys[k]) != NULL, "result %zu lacks %s", i, rkeys[k]);
		ck_assert_str_eq(jstr(r, "id"), rep->results[i].id); /* report order */
	}
	r = json_array_get(results, 0);
	ck_assert_str_eq(jstr(r, "status"), "pass");
	ck_assert_str_eq(jstr(r, "docs"), "docs/checks.md#osmd101");
	ck_assert_str_eq(jstr(json_object_get(r, "resource"), "namespace"), "kube-system");
	ck_assert(json_is_null(json_object_get(r, "hint")));
	ck_assert(json_is_null(json_object_get(r, "remediation")));
	ck_assert(json_is_number(json_object_get(r, "durationMs")));

	/* null resource; cluster-scoped resource has namespace null */
	ck_assert(json_is_null(json_object_get(json_array_get(results, 2), "resource")));
	r = json_object_get(json_array_get(results, 3), "resource");
	ck_assert_str_eq(jstr(r, "kind"), "ValidatingWebhookConfiguration");
	ck_assert(json_is_null(json_object_get(r, "namespace")));

	/* key order: schemaVersion first, results last */
	ck_assert_ptr_eq(strstr(doc, "\"schemaVersion\""), strchr(doc, '"'));
	ck_assert(strstr(doc, "\"summary\"") < strstr(doc, "\"results\""));

	json_decref(j);
	osmdiag_free(doc);
	osmdiag_report_free(rep);
}
END_TEST

START_TEST(json_escapes)
{
	struct osmdiag_report *rep = sample();
	char *doc = NULL;
	json_t *j;

	ck_assert_int_eq(osmdiag_report_to_json(rep, &doc), OSMDIAG_OK);
	j = parse(doc);
	ck_assert_str_eq(jstr(json_array_get(json_object_get(j, "results"), 1), "message"),
		"pod \"x\"\nin <CrashLoopBackOff> & 'restarting' \xc3\xbc \xe2\x82\xac \x1b[31m");
	ck_assert_ptr_nonnull(strstr(doc, "\\\"x\\\"\\n"));
	ck_assert_ptr_nonnull(strstr(doc, "\\u001b"));
	json_decref(j);
	osmdiag_free(doc);
	osmdiag_report_free(rep);
}
END_TEST

START_TEST(json_invalid_utf8_and_no_mesh)
{
	struct osmdiag_report *rep = osmdiag__report_new();
	char *doc = NULL;
	json_t *j;

	ck_assert_ptr_nonnull(osmdiag__report_add(rep, "OSMD101", "control-plane", "t", OSMDIAG_STATUS_FAIL,
		"bad \xff\xfe bytes \xe2\x82 cut \xed\xa0\x80 surrogate"));
	ck_assert_int_eq(osmdiag_report_to_json(rep, &doc), OSMDIAG_OK);
	j = parse(doc);
	ck_assert(json_is_null(json_object_get(j, "mesh")));
	ck_assert_ptr_nonnull(strstr(jstr(json_array_get(json_object_get(j, "results"), 0), "message"),
		"bad \xef\xbf\xbd\xef\xbf\xbd bytes"));
	ck_assert_str_eq(jstr(j, "failOn"), "fail");
	json_decref(j);
	osmdiag_free(doc);

	/* an empty report is still one valid document */
	osmdiag_report_free(rep);
	rep = osmdiag__report_new();
	ck_assert_int_eq(osmdiag_report_to_json(rep, &doc), OSMDIAG_OK);
	j = parse(doc);
	ck_assert_int_eq(json_array_size(json_object_get(j, "results")), 0);
	json_decref(j);
	osmdiag_free(doc);
	osmdiag_report_free(rep);
	ck_assert_int_eq(osmdiag_report_to_json(NULL, &doc), OSMDIAG_EINVAL);
	ck_assert_ptr_null(doc);
}
END_TEST

START_TEST(text_plain)
{
	struct osmdiag_report *rep = sample();
	char *doc = NULL;

	ck_assert_int_eq(osmdiag_report_to_text(rep, 0, &doc), OSMDIAG_OK);
	ck_assert_msg(strchr(doc, '\x1b') == NULL, "escape in plain text:\n%s", doc);
	ck_assert_ptr_nonnull(strstr(doc, "osmdiag " OSMDIAG_VERSION " \xc2\xb7 mesh \"osm\" in kube-system "
		"\xc2\xb7 "
		"OSM v1.2.5 (profile v1.2) \xc2\xb7 source: snapshot /tmp/x.json\n"));
	ck_assert_ptr_nonnull(strstr(doc, "\ncontrol-plane\n"));
	ck_assert_ptr_nonnull(strstr(doc, "[ok]   OSMD101 osm-controller Deployment available"));
	ck_assert_ptr_nonnull(strstr(doc, "2/2 replicas"));
	ck_assert_ptr_nonnull(strstr(doc, "[FAIL] OSMD102 osm-controller pods ready"));
	ck_assert_ptr_nonnull(strstr(doc, "hint: read its last log\n"));
	ck_assert_ptr_nonnull(strstr(doc, "fix:  kubectl logs -n kube-system osm-controller-abc --previous\n"));
	ck_assert_ptr_nonnull(strstr(doc, "[warn] OSMD201"));
	ck_assert_ptr_nonnull(strstr(doc, "[info] OSMD132"));
	ck_assert_ptr_nonnull(strstr(doc, "[skip] OSMD221"));
	ck_assert_ptr_nonnull(strstr(doc, "[ERR]  OSMD601"));
	/* the pass result of OSMD102 is not listed without VERBOSE */
	ck_assert_ptr_null(strstr(doc, "osm-controller-def ready"));
	/* categories in catalogue order when the catalogue has them */
	if (osmdiag__catalogue_size() > 0)
		ck_assert(strstr(doc, "\ncontrol-plane\n") < strstr(doc, "\nwebhooks\n"));
	ck_assert_ptr_nonnull(strstr(doc, "2 passed \xc2\xb7 1 info \xc2\xb7 1 skipped \xc2\xb7 "
		"1 warning \xc2\xb7 "
		"1 failed \xc2\xb7 1 error"));
	ck_assert_ptr_nonnull(strstr(doc, "docs: docs/checks.md\n"));
	/* control characters of messages never reach the terminal */
	ck_assert_ptr_nonnull(strstr(doc, "pod \"x\" in <CrashLoopBackOff>"));
	osmdiag_free(doc);
	osmdiag_report_free(rep);
}
END_TEST

START_TEST(text_flags)
{
	struct osmdiag_report *rep = sample();
	char *doc = NULL;

	ck_assert_int_eq(osmdiag_report_to_text(rep, OSMDIAG_TEXT_UNICODE, &doc), OSMDIAG_OK);
	ck_assert_ptr_nonnull(strstr(doc, "\xe2\x9c\x94 OSMD101"));
	ck_assert_ptr_nonnull(strstr(doc, "\xe2\x9c\x96 OSMD102"));
	ck_assert_ptr_null(strstr(doc, "[ok]"));
	ck_assert_ptr_null(strchr(doc, '\x1b'));
	osmdiag_free(doc);

	ck_assert_int_eq(osmdiag_report_to_text(rep, OSMDIAG_TEXT_COLOR | OSMDIAG_TEXT_UNICODE, &doc),
		OSMDIAG_OK);
	ck_assert_ptr_nonnull(strstr(doc, "\x1b[31m"));
	ck_assert_ptr_nonnull(strstr(doc, "\x1b[0m"));
	/* the message's own escape sequence is neutralised */
	ck_assert_ptr_null(strstr(doc, "\xe2\x82\xac \x1b[31m"));
	osmdiag_free(doc);

	ck_assert_int_eq(osmdiag_report_to_text(rep, OSMDIAG_TEXT_VERBOSE, &doc), OSMDIAG_OK);
	ck_assert_ptr_nonnull(strstr(doc, "osm-controller-def ready"));
	osmdiag_free(doc);
	osmdiag_report_free(rep);
}
END_TEST

START_TEST(text_collapses_passes)
{
	struct osmdiag_report *rep = osmdiag__report_new();
	char *doc = NULL;

	for (int i = 0; i < 3; i++)
		ck_assert_ptr_nonnull(osmdiag__report_add(rep, "OSMD701", "dataplane", "Envoy image current",
			OSMDIAG_STATUS_PASS, i == 0 ? "first" : "other"));
	ck_assert_int_eq(osmdiag_report_to_text(rep, 0, &doc), OSMDIAG_OK);
	ck_assert_ptr_nonnull(strstr(doc, "no OSM mesh found"));
	ck_assert_ptr_nonnull(strstr(doc, "[ok]   OSMD701 Envoy image current  all 3 ok\n"));
	ck_assert_ptr_null(strstr(doc, "first"));
	ck_assert_ptr_nonnull(strstr(doc, "3 passed \xc2\xb7 0 info \xc2\xb7 0 skipped \xc2\xb7 "
		"0 warnings \xc2\xb7 "
		"0 failed \xc2\xb7 0 errors"));
	osmdiag_free(doc);
	osmdiag_report_free(rep);
}
END_TEST

START_TEST(junit_escapes)
{
	struct osmdiag_report *rep = osmdiag__report_new();
	struct osmdiag_result *r;
	char *doc = NULL;

	r = osmdiag__report_add(rep, "OSMD302", "meshconfig", "MeshConfig value types", OSMDIAG_STATUS_FAIL,
		"a<b&c\"d'e \x01 ctl");
	ck_assert_ptr_nonnull(r);
	set(&r->remediation, "kubectl patch meshconfig osm-mesh-config -n kube-system --type=merge -p "
		"'{\"spec\":{}}'");
	ck_assert_ptr_nonnull(osmdiag__report_add(rep, "OSMD221", "webhooks", "CRD conversion webhooks",
		OSMDIAG_STATUS_SKIP, "n/a"));
	ck_assert_ptr_nonnull(osmdiag__report_add(rep, "OSMD601", "certificates", "mesh root CA present",
		OSMDIAG_STATUS_ERROR, "forbidden"));
	ck_assert_ptr_nonnull(osmdiag__report_add(rep, "OSMD201", "webhooks", "validating webhook present",
		OSMDIAG_STATUS_WARN, "w"));
	ck_assert_int_eq(osmdiag_report_to_junit(rep, &doc), OSMDIAG_OK);
	ck_assert_ptr_nonnull(strstr(doc, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites"));
	ck_assert_ptr_nonnull(strstr(doc, "a&lt;b&amp;c&quot;d&apos;e"));
	ck_assert_ptr_null(strstr(doc, "a<b"));
	ck_assert_ptr_null(strchr(doc, '\x01'));
	ck_assert_ptr_nonnull(strstr(doc, "<failure type=\"fail\""));
	ck_assert_ptr_nonnull(strstr(doc, "<skipped message=\"n/a\"/>"));
	ck_assert_ptr_nonnull(strstr(doc, "<error type=\"error\""));
	ck_assert_ptr_nonnull(strstr(doc, "<testsuite name=\"meshconfig\" tests=\"1\" failures=\"1\""));
	ck_assert_ptr_nonnull(strstr(doc, "<testsuite name=\"webhooks\" tests=\"2\" failures=\"0\" errors=\"0\" "
		"skipped=\"1\""));
	/* a warning is a failure only when the run fails on warnings */
	ck_assert_ptr_null(strstr(doc, "<failure type=\"warn\""));
	osmdiag_free(doc);
	rep->fail_on = OSMDIAG_STATUS_WARN;
	ck_assert_int_eq(osmdiag_report_to_junit(rep, &doc), OSMDIAG_OK);
	ck_assert_ptr_nonnull(strstr(doc, "<failure type=\"warn\""));
	ck_assert_ptr_nonnull(strstr(doc, "<testsuites name=\"osmdiag " OSMDIAG_VERSION "\" tests=\"4\" "
		"failures=\"2\" errors=\"1\" skipped=\"1\""));
	osmdiag_free(doc);
	osmdiag_report_free(rep);
}
END_TEST

START_TEST(sarif_levels)
{
	struct osmdiag_report *rep = sample();
	char *doc = NULL;
	json_t *j, *run, *results;

	ck_assert_int_eq(osmdiag_report_to_sarif(rep, &doc), OSMDIAG_OK);
	j = parse(doc);
	ck_assert_str_eq(jstr(j, "version"), "2.1.0");
	run = json_array_get(json_object_get(j, "runs"), 0);
	ck_assert_str_eq(jstr(json_object_get(json_object_get(run, "tool"), "driver"), "name"), "osmdiag");
	ck_assert_int_eq(json_array_size(json_object_get(json_object_get(json_object_get(run, "tool"), "driver"),
		"rules")), osmdiag__catalogue_size());
	results = json_object_get(run, "results");
	/* fail, warn, info, error; pass and skip omitted */
	ck_assert_int_eq(json_array_size(results), 4);
	ck_assert_str_eq(jstr(json_array_get(results, 0), "ruleId"), "OSMD102");
	ck_assert_str_eq(jstr(json_array_get(results, 0), "level"), "error");
	ck_assert_str_eq(jstr(json_array_get(results, 1), "level"), "warning");
	ck_assert_str_eq(jstr(json_array_get(results, 2), "level"), "note");
	ck_assert_str_eq(jstr(json_array_get(results, 3), "level"), "error");
	ck_assert_str_eq(jstr(json_array_get(json_object_get(json_array_get(json_object_get(
		json_array_get(results, 0), "locations"), 0), "logicalLocations"), 0), "fullyQualifiedName"),
		"kube-system/Pod/osm-controller-abc");
	json_decref(j);
	osmdiag_free(doc);
	osmdiag_report_free(rep);
}
END_TEST

START_TEST(prometheus_lines)
{
	struct osmdiag_report *rep = sample();
	char *doc = NULL;

	set(&rep->results[0].category, "a\"b\\c\nd");
	ck_assert_int_eq(osmdiag_report_to_prometheus(rep, &doc), OSMDIAG_OK);
	ck_assert_ptr_nonnull(strstr(doc, "osmdiag_check_status{id=\"OSMD101\",category=\"a\\\"b\\\\c\\nd\","
		"status=\"pass\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(doc, "osmdiag_check_status{id=\"OSMD102\",category=\"control-plane\","
		"status=\"fail\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(doc, "osmdiag_check_status{id=\"OSMD102\",category=\"control-plane\","
		"status=\"pass\"} 0\n"));
	ck_assert_ptr_nonnull(strstr(doc, "osmdiag_results{status=\"pass\"} 2\n"));
	ck_assert_ptr_nonnull(strstr(doc, "osmdiag_results{status=\"error\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(doc, "osmdiag_run_duration_seconds 0.012500\n"));
	ck_assert_ptr_nonnull(strstr(doc, "# TYPE osmdiag_check_status gauge\n"));
	osmdiag_free(doc);
	osmdiag_report_free(rep);
}
END_TEST

START_TEST(catalogue_renderings)
{
	char *doc = NULL;
	json_t *j;
	size_t n = osmdiag__catalogue_size();

	ck_assert_int_eq(osmdiag_catalogue_to_json(&doc), OSMDIAG_OK);
	j = parse(doc);
	ck_assert(json_is_array(j));
	ck_assert_int_eq(json_array_size(j), n);
	if (n) {
		const osmdiag__check_def *d = osmdiag__catalogue_get(0);
		ck_assert_str_eq(jstr(json_array_get(j, 0), "id"), d->id);
		ck_assert_ptr_nonnull(json_object_get(json_array_get(j, 0), "expectation"));
	}
	json_decref(j);
	osmdiag_free(doc);

	ck_assert_int_eq(osmdiag_catalogue_to_markdown(&doc), OSMDIAG_OK);
	ck_assert_ptr_nonnull(strstr(doc, "# osmdiag checks\n"));
	for (size_t i = 0; i < n; i++) {
		const osmdiag__check_def *d = osmdiag__catalogue_get(i);
		char *anchor = osmdiag__docs_anchor(d->id);
		char *tag = osmdiag__asprintf("<a id=\"%s\"></a>", strchr(anchor, '#') + 1);
		ck_assert_msg(strstr(doc, tag) != NULL, "no %s", tag);
		free(tag);
		free(anchor);
	}
	ck_assert(doc[strlen(doc) - 1] == '\n' && doc[strlen(doc) - 2] != '\n');
	osmdiag_free(doc);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("formats");

	tcase_add_test(tc, json_has_every_member);
	tcase_add_test(tc, json_escapes);
	tcase_add_test(tc, json_invalid_utf8_and_no_mesh);
	tcase_add_test(tc, text_plain);
	tcase_add_test(tc, text_flags);
	tcase_add_test(tc, text_collapses_passes);
	tcase_add_test(tc, junit_escapes);
	tcase_add_test(tc, sarif_levels);
	tcase_add_test(tc, prometheus_lines);
	tcase_add_test(tc, catalogue_renderings);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return th_main(suite());
}
