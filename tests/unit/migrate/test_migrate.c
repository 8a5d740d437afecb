/*
 * Unit tests of the migration engine (lib/migrate): the SMI regex -> Istio
 * string-match table (memo 6.3), the YAML emitter's quoting, determinism of
 * the outputs, and findings raised by one case and not by another (mutations
 * of tests/fixtures/bookstore-smi, falling back to objects added to the
 * healthy fixture).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "migrate/migrate_impl.h"

#define HEALTHY "examples/snapshots/aks-osm-v1.2-healthy"
#define SMI "tests/fixtures/bookstore-smi"

/* ---- regex table -------------------------------------------------------------- */

typedef struct rx_case {
	const char *re;
	int where;
	int templates;
	int any;          /* field omitted */
	const char *values; /* "|"-joined expected values */
	unsigned approx;
} rx_case;

static const rx_case rx_cases[] = {
	/* paths */
	{ "/books-bought", OSMDIAG__RX_PATH, 1, 0, "/books-bought", 0 },
	{ "^/books-bought$", OSMDIAG__RX_PATH, 1, 0, "/books-bought", 0 },
	{ "/api/v1\\.0/x", OSMDIAG__RX_PATH, 1, 0, "/api/v1.0/x", 0 },
	{ ".*", OSMDIAG__RX_PATH, 1, 1, "", 0 },
	{ "", OSMDIAG__RX_PATH, 1, 1, "", 0 },
	{ "/status.*", OSMDIAG__RX_PATH, 1, 0, "/status*", 0 },
	{ ".*/new", OSMDIAG__RX_PATH, 1, 0, "*/new", 0 },
	{ ".*a-book.*new", OSMDIAG__RX_PATH, 1, 0, "*new", OSMDIAG__RX_OVER },
	{ "/api/v[0-9]+/x", OSMDIAG__RX_PATH, 1, 0, "/api/v*", OSMDIAG__RX_OVER },
	{ "/status.+", OSMDIAG__RX_PATH, 1, 0, "/status*", OSMDIAG__RX_OVER },
	{ "/shelf/[^/]+/book", OSMDIAG__RX_PATH, 1, 0, "/shelf/{*}/book", 0 },
	{ "/shelf/[^/]+/book", OSMDIAG__RX_PATH, 0, 0, "/shelf/*", OSMDIAG__RX_OVER },
	{ "/a|/b", OSMDIAG__RX_PATH, 1, 0, "/a|/b", 0 },
	{ "^(/a|/b)$", OSMDIAG__RX_PATH, 1, 0, "/a|/b", 0 },
	{ "(?:/a|/b.*)", OSMDIAG__RX_PATH, 1, 0, "/a|/b*", 0 },
	{ "/a|.*", OSMDIAG__RX_PATH, 1, 1, "", 0 },
	{ "[a-z]+", OSMDIAG__RX_PATH, 1, 1, "", OSMDIAG__RX_OVER },
	{ ".*x.*", OSMDIAG__RX_PATH, 1, 1, "", OSMDIAG__RX_OVER },
	{ "/a\\*b", OSMDIAG__RX_PATH, 1, 0, "/a*", OSMDIAG__RX_OVER }, /* never a literal * in a value (D4) */
	{ "(?i)/books", OSMDIAG__RX_PATH, 1, 0, "/books", OSMDIAG__RX_UNDER },
	{ "/a[", OSMDIAG__RX_PATH, 1, 1, "", OSMDIAG__RX_OVER },
	/* header values */
	{ "bookbuyer", OSMDIAG__RX_HEADER, 0, 0, "bookbuyer", 0 },
	{ ".*", OSMDIAG__RX_HEADER, 0, 0, "*", 0 },
	{ ".*-http-client/*.*", OSMDIAG__RX_HEADER, 0, 0, "*", OSMDIAG__RX_OVER },
	{ "Go-http-client/.*", OSMDIAG__RX_HEADER, 0, 0, "Go-http-client/*", 0 },
	{ ".*-client", OSMDIAG__RX_HEADER, 0, 0, "*-client", 0 },
	{ "a|b", OSMDIAG__RX_HEADER, 0, 0, "a|b", 0 },
	{ "\\d+", OSMDIAG__RX_HEADER, 0, 0, "*", OSMDIAG__RX_OVER },
};

START_TEST(regex_table)
{
	const rx_case *c = &rx_cases[_i];
	osmdiag__rx rx;
	char *joined;

	ck_assert_int_eq(osmdiag__rx_translate(c->re, c->where, c->templates, &rx), 0);
	joined = osmdiag__strlist_join(&rx.values, "|");
	ck_assert_msg(rx.any == c->any, "%s: any %d, want %d", c->re, rx.any, c->any);
	ck_assert_msg(strcmp(joined ? joined : "", c->values) == 0, "%s: values \"%s\", want \"%s\"", c->re,
		      joined ? joined : "", c->values);
	ck_assert_msg(rx.approx == c->approx, "%s: approx %s, want %s", c->re, osmdiag__rx_direction(rx.approx),
		      osmdiag__rx_direction(c->approx));
	/* D4: a '*' only at either end (or inside a {*} template) */
	for (size_t i = 0; i < rx.values.n; i++) {
		const char *v = rx.values.v[i];
		size_t n = strlen(v);

		for (size_t k = 1; k + 1 < n; k++)
			ck_assert_msg(v[k] != '*' || (v[k - 1] == '{' && v[k + 1] == '}'), "%s: '*' inside \"%s\"",
				      c->re, v);
	}
	free(joined);
	osmdiag__rx_dispose(&rx);
}
END_TEST

START_TEST(regex_directions)
{
	ck_assert_str_eq(osmdiag__rx_direction(0), "exact");
	ck_assert_str_eq(osmdiag__rx_direction(OSMDIAG__RX_OVER), "over");
	ck_assert_str_eq(osmdiag__rx_direction(OSMDIAG__RX_UNDER), "under");
	ck_assert_str_eq(osmdiag__rx_direction(OSMDIAG__RX_OVER | OSMDIAG__RX_UNDER), "over and under");
}
END_TEST

/* ---- YAML emitter ---------------------------------------------------------------- */

START_TEST(yaml_quoting)
{
	static const char *const quoted[] = { "", "true", "No", "on", "null", "~", "3306", "1.22", "-1", "0x1f",
		"2026-10-06", "*", "*new", "&a", "!x", "@type", "a: b", "a #b", " a", "a ", "-", "- a", "[x]",
		"{x}", "%x", "'x", "\"x", "1:30", ".inf", "tab\there" };
	static const char *const plain[] = { "/books-bought", "bookstore", "cluster.local/ns/a/sa/b",
		"5xx,retriable-4xx", "10.0.0.0/8", "httpbin.org", "-http-client", "GET", "4s", "a*" };

	for (size_t i = 0; i < sizeof(quoted) / sizeof(quoted[0]); i++)
		ck_assert_msg(osmdiag__yaml_needs_quotes(quoted[i]), "\"%s\" must be quoted", quoted[i]);
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		ck_assert_msg(!osmdiag__yaml_needs_quotes(plain[i]), "\"%s\" can be plain", plain[i]);
}
END_TEST

START_TEST(yaml_document)
{
	json_t *doc = json_loads("{\"spec\":{\"rules\":[{\"to\":[{\"operation\":{\"ports\":[\"3306\"]}}],"
		"\"from\":[{\"source\":{\"principals\":[\"*\"]}}]}],\"empty\":{},\"none\":[],"
		"\"portLevelMtls\":{\"14001\":{\"mode\":\"PERMISSIVE\"}},\"pct\":100.0,\"n\":5,\"b\":false,"
		"\"mesh\":\"a:\\n  b: c\"},\"kind\":\"X\",\"metadata\":{\"namespace\":\"ns\",\"name\":\"n\"},"
		"\"apiVersion\":\"v1\"}", 0, NULL);
	char *y;

	ck_assert_ptr_nonnull(doc);
	y = osmdiag__yaml_emit(doc);
	ck_assert_ptr_nonnull(y);
	ck_assert_str_eq(y,
		"apiVersion: v1\n"
		"kind: X\n"
		"metadata:\n"
		"  name: \"n\"\n"          /* YAML 1.1 reads a plain n as false */
		"  namespace: ns\n"
		"spec:\n"
		"  b: false\n"
		"  empty: {}\n"
		"  mesh: |-\n"
		"    a:\n"
		"      b: c\n"
		"  \"n\": 5\n"
		"  none: []\n"
		"  pct: 100.0\n"
		"  portLevelMtls:\n"
		"    14001:\n"
		"      mode: PERMISSIVE\n"
		"  rules:\n"
		"  - from:\n"
		"    - source:\n"
		"        principals:\n"
		"        - \"*\"\n"
		"    to:\n"
		"    - operation:\n"
		"        ports:\n"
		"        - \"3306\"\n");
	free(y);
	json_decref(doc);
}
END_TEST

/* ---- engine --------------------------------------------------------------------- */

static const char *smi_or_healthy(void)
{
	return access(th_path(SMI "/smi-policies.yaml"), R_OK) == 0 ? SMI : HEALTHY;
}

static osmdiag_migration *migrate(osmdiag_source *src, const char *rev)
{
	osmdiag_error err;
	osmdiag_migration *m = osmdiag_migrate(src, NULL, rev, &err);

	ck_assert_msg(m != NULL, "migrate: %s", err.message);
	return m;
}

static int count(const osmdiag_migration *m, const char *id, int status)
{
	return th_count(osmdiag_migration_report(m), id, status);
}

static const char *find_yaml(const osmdiag_migration *m, const char *kind, const char *ns, const char *name)
{
	for (size_t i = 0; i < osmdiag_migration_manifest_count(m); i++) {
		const char *y = osmdiag_migration_manifest_yaml(m, i);
		char needle[256];

		snprintf(needle, sizeof(needle), "  namespace: %s\n", ns);
		if (strcmp(osmdiag_migration_manifest_kind(m, i), kind) == 0 &&
		    strcmp(osmdiag_migration_manifest_name(m, i), name) == 0 && strstr(y, needle))
			return y;
	}
	return NULL;
}

/* The §7.3 objects on top of the healthy fixture, permissive mode off. */
static void add_smi(osmdiag_source *src)
{
	json_t *mc = th_object(src, "MeshConfig", "kube-system", "osm-mesh-config");

	th_set(mc, "spec.traffic.enablePermissiveTrafficPolicyMode", json_false());
	th_add_json(src, "{\"apiVersion\":\"access.smi-spec.io/v1alpha3\",\"kind\":\"TrafficTarget\",\"metadata\":"
		"{\"name\":\"bookstore\",\"namespace\":\"bookstore\"},\"spec\":{\"destination\":{\"kind\":"
		"\"ServiceAccount\",\"name\":\"bookstore\",\"namespace\":\"bookstore\"},\"rules\":[{\"kind\":"
		"\"HTTPRouteGroup\",\"name\":\"bookstore-service-routes\",\"matches\":[\"buy-a-book\",\"books-bought\"]}],"
		"\"sources\":[{\"kind\":\"ServiceAccount\",\"name\":\"bookbuyer\",\"namespace\":\"bookbuyer\"}]}}");
	th_add_json(src, "{\"apiVersion\":\"specs.smi-spec.io/v1alpha4\",\"kind\":\"HTTPRouteGroup\",\"metadata\":"
		"{\"name\":\"bookstore-service-routes\",\"namespace\":\"bookstore\"},\"spec\":{\"matches\":["
		"{\"name\":\"books-bought\",\"pathRegex\":\"/books-bought\",\"methods\":[\"GET\"],\"headers\":["
		"{\"user-agent\":\".*-http-client/*.*\"},{\"client-app\":\"bookbuyer\"}]},"
		"{\"name\":\"buy-a-book\",\"pathRegex\":\".*a-book.*new\",\"methods\":[\"GET\"]}]}}");
}

START_TEST(smi_translation_and_findings)
{
	osmdiag_source *src = th_fixture(HEALTHY);
	osmdiag_migration *m;
	const char *y;

	add_smi(src);
	m = migrate(src, "asm-1-22");
	ck_assert_int_ge(count(m, "OSMD821", OSMDIAG_STATUS_WARN), 1);
	ck_assert_int_eq(count(m, "OSMD820", -1), 0);
	ck_assert_int_eq(count(m, "OSMD825", OSMDIAG_STATUS_WARN), 1);  /* .*a-book.*new */
	ck_assert_int_eq(count(m, "OSMD826", OSMDIAG_STATUS_WARN), 1);  /* the user-agent header regex */
	ck_assert_int_eq(count(m, "OSMD803", -1), 0);
	y = find_yaml(m, "AuthorizationPolicy", "bookstore", "bookstore");
	ck_assert_ptr_nonnull(y);
	ck_assert_ptr_nonnull(strstr(y, "apiVersion: security.istio.io/v1\n"));
	ck_assert_ptr_nonnull(strstr(y, "      - /books-bought\n"));
	ck_assert_ptr_nonnull(strstr(y, "      - \"*new\"\n"));
	ck_assert_ptr_nonnull(strstr(y, "key: request.headers[client-app]"));
	ck_assert_ptr_nonnull(strstr(y, "cluster.local/ns/bookbuyer/sa/bookbuyer"));
	ck_assert_ptr_null(strstr(y, "namespaces:")); /* D2: never a second `from` with namespaces */
	ck_assert_ptr_nonnull(strstr(y, "migration.osmdiag.io/source: TrafficTarget bookstore/bookstore, "
				      "HTTPRouteGroup bookstore/bookstore-service-routes"));
	ck_assert_ptr_nonnull(find_yaml(m, "AuthorizationPolicy", "bookbuyer", "allow-nothing"));
	ck_assert_int_eq(osmdiag_report_exit_code(osmdiag_migration_report(m), OSMDIAG_STATUS_FAIL), 0);
	osmdiag_migration_free(m);
	osmdiag_source_free(src);
}
END_TEST

START_TEST(selector_is_exact_or_fails)
{
	osmdiag_source *src = th_fixture(HEALTHY);
	osmdiag_migration *m;
	json_t *v2;
	const char *y;

	add_smi(src);
	m = migrate(src, "asm-1-22");
	y = find_yaml(m, "AuthorizationPolicy", "bookstore", "bookstore");
	ck_assert_int_eq(count(m, "OSMD824", -1), 0);
	ck_assert_ptr_nonnull(strstr(y, "version: v1"));  /* {app: bookstore} alone would select v2 too */
	osmdiag_migration_free(m);

	/* bookstore-v2 runs as SA bookstore-v2 but with exactly bookstore-v1's labels: no safe selector */
	v2 = th_object(src, "Deployment", "bookstore", "bookstore-v2");
	th_set(v2, "spec.template.metadata.labels.version", json_string("v1"));
	m = migrate(src, "asm-1-22");
	ck_assert_int_eq(count(m, "OSMD824", OSMDIAG_STATUS_FAIL), 1);
	ck_assert_int_eq(osmdiag_report_exit_code(osmdiag_migration_report(m), OSMDIAG_STATUS_FAIL), 1);
	y = find_yaml(m, "AuthorizationPolicy", "bookstore", "bookstore");
	ck_assert_ptr_nonnull(strstr(y, OSMDIAG__MIG_SA_LABEL ": bookstore"));
	osmdiag_migration_free(m);
	osmdiag_source_free(src);
}
END_TEST

START_TEST(permissive_and_revision)
{
	osmdiag_source *src = th_fixture(HEALTHY);
	osmdiag_migration *m = migrate(src, NULL);
	osmdiag_error err;

	ck_assert_str_eq(osmdiag_migration_target_revision(m), "asm-1-17");
	ck_assert_int_eq(count(m, "OSMD803", OSMDIAG_STATUS_WARN), 1);
	ck_assert_int_eq(count(m, "OSMD820", OSMDIAG_STATUS_INFO), 1);
	ck_assert_int_eq(count(m, "OSMD821", -1), 0);
	ck_assert_int_eq(count(m, "OSMD822", -1), 0);
	ck_assert_str_eq(osmdiag_migration_manifest_api_version(m, 0), "security.istio.io/v1beta1");
	osmdiag_migration_free(m);

	/* a TrafficTarget while permissive: dry-run */
	th_add_json(src, "{\"apiVersion\":\"access.smi-spec.io/v1alpha3\",\"kind\":\"TrafficTarget\",\"metadata\":"
		"{\"name\":\"wh\",\"namespace\":\"bookwarehouse\"},\"spec\":{\"destination\":{\"kind\":"
		"\"ServiceAccount\",\"name\":\"bookwarehouse\",\"namespace\":\"bookwarehouse\"},\"rules\":[{\"kind\":"
		"\"HTTPRouteGroup\",\"name\":\"missing\"}],\"sources\":[{\"kind\":\"ServiceAccount\",\"name\":"
		"\"bookstore\",\"namespace\":\"bookstore\"}]}}");
	m = migrate(src, "asm-1-27");
	ck_assert_int_eq(count(m, "OSMD822", OSMDIAG_STATUS_WARN), 1);
	ck_assert_int_eq(count(m, "OSMD823", OSMDIAG_STATUS_WARN), 1); /* missing route group: inert */
	ck_assert_ptr_null(find_yaml(m, "AuthorizationPolicy", "bookwarehouse", "wh"));
	osmdiag_migration_free(m);

	ck_assert_ptr_null(osmdiag_migrate(src, NULL, "asm-9-99", &err));
	ck_assert_int_eq(err.code, OSMDIAG_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.message, "asm-1-22"));
	osmdiag_source_free(src);
}
END_TEST

START_TEST(findings_from_cluster_state)
{
	osmdiag_source *src = th_fixture(HEALTHY);
	osmdiag_migration *m = migrate(src, "asm-1-22");
	json_t *d;

	ck_assert_int_eq(count(m, "OSMD806", -1), 0);
	ck_assert_int_eq(count(m, "OSMD811", -1), 0);
	ck_assert_int_eq(count(m, "OSMD813", -1), 0);
	ck_assert_int_eq(count(m, "OSMD841", -1), 0);
	ck_assert_int_eq(count(m, "OSMD812", OSMDIAG_STATUS_INFO), 4);
	osmdiag_migration_free(m);

	th_add_json(src, "{\"apiVersion\":\"apiextensions.k8s.io/v1\",\"kind\":\"CustomResourceDefinition\","
		"\"metadata\":{\"name\":\"virtualservices.networking.istio.io\"},\"spec\":{}}");
	d = th_object(src, "Deployment", "bookthief", "bookthief");
	th_set(d, "spec.template.metadata.annotations", json_pack("{s:s}", "openservicemesh.io/sidecar-injection",
		"disabled"));
	d = th_object(src, "Deployment", "bookbuyer", "bookbuyer");
	th_set(d, "spec.template.spec.securityContext.runAsUser", json_integer(1337));
	th_set(th_object(src, "MeshConfig", "kube-system", "osm-mesh-config"), "spec.sidecar.configResyncInterval",
	       json_string("30s"));
	m = migrate(src, "asm-1-22");
	ck_assert_int_eq(count(m, "OSMD806", OSMDIAG_STATUS_FAIL), 1);
	ck_assert_int_eq(count(m, "OSMD811", OSMDIAG_STATUS_INFO), 1);
	ck_assert_int_eq(count(m, "OSMD813", OSMDIAG_STATUS_WARN), 1);
	ck_assert_int_eq(count(m, "OSMD841", OSMDIAG_STATUS_INFO), 1);
	ck_assert_int_eq(count(m, "OSMD812", OSMDIAG_STATUS_INFO), 3);
	ck_assert_ptr_nonnull(strstr(osmdiag_migration_runbook(m), "sidecar.istio.io/inject\":\"false"));
	osmdiag_migration_free(m);
	osmdiag_source_free(src);
}
END_TEST

static char *slurp_dir(const char *dir)
{
	static const char *const files[] = { "report.json", "runbook.md", "istio/mesh-wide.yaml",
		"istio/bookstore.yaml", "istio/bookwarehouse.yaml", "istio/bookbuyer.yaml" };
	osmdiag__buf b = OSMDIAG__BUF_INIT;

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[512], chunk[4096];
		FILE *f;
		size_t n;

		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		f = fopen(path, "rb");
		osmdiag__buf_printf(&b, "== %s %s\n", files[i], f ? "" : "(absent)");
		while (f && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			osmdiag__buf_put(&b, chunk, n);
		if (f)
			fclose(f);
	}
	return osmdiag__buf_detach(&b);
}

START_TEST(deterministic_outputs)
{
	const char *fix = smi_or_healthy();
	char tmpl[2][64] = { "/tmp/osmdiag-mig-a-XXXXXX", "/tmp/osmdiag-mig-b-XXXXXX" };
	char *docs[2][3], *files[2];

	for (int k = 0; k < 2; k++) {
		osmdiag_source *src = th_fixture(fix);
		osmdiag_migration *m;
		osmdiag_error err;

		if (strcmp(fix, HEALTHY) == 0)
			add_smi(src);
		m = migrate(src, "asm-1-22");
		ck_assert_ptr_nonnull(mkdtemp(tmpl[k]));
		ck_assert_int_eq(osmdiag_migration_write(m, tmpl[k], &err), OSMDIAG_OK);
		ck_assert_int_eq(osmdiag_migration_to_json(m, &docs[k][0]), OSMDIAG_OK);
		ck_assert_int_eq(osmdiag_migration_to_text(m, 0, &docs[k][1]), OSMDIAG_OK);
		ck_assert_int_eq(osmdiag_migration_to_markdown(m, &docs[k][2]), OSMDIAG_OK);
		files[k] = slurp_dir(tmpl[k]);
		ck_assert_ptr_nonnull(strstr(files[k], "== istio/bookstore.yaml \n"));
		osmdiag_migration_free(m);
		osmdiag_source_free(src);
	}
	for (int i = 0; i < 3; i++) {
		ck_assert_str_eq(docs[0][i], docs[1][i]);
		osmdiag_free(docs[0][i]);
		osmdiag_free(docs[1][i]);
	}
	ck_assert_str_eq(files[0], files[1]);
	free(files[0]);
	free(files[1]);
	for (int k = 0; k < 2; k++) {
		char cmd[256];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpl[k]);
		ck_assert_int_eq(system(cmd), 0);
	}
}
END_TEST

START_TEST(accessors_null_safe)
{
	osmdiag_error err;
	char *out = (char *)1;

	ck_assert_ptr_null(osmdiag_migrate(NULL, NULL, NULL, &err));
	ck_assert_int_eq(err.code, OSMDIAG_EINVAL);
	ck_assert_uint_eq(osmdiag_migration_manifest_count(NULL), 0);
	ck_assert_ptr_null(osmdiag_migration_manifest_yaml(NULL, 0));
	ck_assert_ptr_null(osmdiag_migration_report(NULL));
	ck_assert_int_eq(osmdiag_migration_to_json(NULL, &out), OSMDIAG_EINVAL);
	ck_assert_ptr_null(out);
	ck_assert_int_ne(osmdiag_migration_write(NULL, "/tmp/x", &err), OSMDIAG_OK);
	osmdiag_migration_free(NULL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("migrate");
	TCase *tc = tcase_create("regex");

	tcase_add_loop_test(tc, regex_table, 0, (int)(sizeof(rx_cases) / sizeof(rx_cases[0])));
	tcase_add_test(tc, regex_directions);
	suite_add_tcase(s, tc);
	tc = tcase_create("yaml");
	tcase_add_test(tc, yaml_quoting);
	tcase_add_test(tc, yaml_document);
	suite_add_tcase(s, tc);
	tc = tcase_create("engine");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, smi_translation_and_findings);
	tcase_add_test(tc, selector_is_exact_or_fails);
	tcase_add_test(tc, permissive_and_revision);
	tcase_add_test(tc, findings_from_cluster_state);
	tcase_add_test(tc, deterministic_outputs);
	tcase_add_test(tc, accessors_null_safe);
	suite_add_tcase(s, tc);
	return th_main(s);
}
