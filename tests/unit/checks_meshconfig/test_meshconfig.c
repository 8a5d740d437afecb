/*
 * meshconfig checks OSMD301-305 on the healthy fixtures, one mutation each,
 * wrong JSON types, and the remediation commands (valid JSON in -p, shell-safe).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define V12 "examples/snapshots/aks-osm-v1.2-healthy"
#define V11 "tests/fixtures/healthy-v1.1"
#define V10 "tests/fixtures/healthy-v1.0"
#define BROKEN "examples/snapshots/aks-osm-v1.2-broken"
#define NS "kube-system"

static osmdiag_source *src;

static void setup(void)
{
	src = th_fixture(V12);
}

static void teardown(void)
{
	osmdiag_source_free(src);
	src = NULL;
}

static json_t *mc(void)
{
	return th_object(src, "MeshConfig", NS, "osm-mesh-config");
}

/*
 * Every `-p '...'` argument of every remediation of `id`, unquoted as a POSIX
 * shell would ('\'' = '), must be valid JSON. Returns the number checked.
 */
static int assert_fix_json(const osmdiag_report *rep, const char *id)
{
	int n = 0;

	for (size_t i = 0; i < osmdiag_report_count(rep); i++) {
		const osmdiag_result *r = osmdiag_report_at(rep, i);
		const char *fix = osmdiag_result_remediation(r), *p;

		if (strcmp(osmdiag_result_id(r), id) != 0 || !fix)
			continue;
		for (p = strstr(fix, "-p '"); p; p = strstr(p, "-p '")) {
			char arg[4096];
			size_t len = 0;
			json_error_t jerr;
			json_t *doc;

			p += 4;
			for (;;) {
				ck_assert_msg(*p, "unterminated quote in: %s", fix);
				if (*p == '\'' && strncmp(p, "'\\''", 4) == 0) {
					arg[len++] = '\'';
					p += 4;
					continue;
				}
				if (*p == '\'')
					break;
				ck_assert(len + 1 < sizeof(arg));
				arg[len++] = *p++;
			}
			arg[len] = '\0';
			doc = json_loads(arg, JSON_DECODE_ANY, &jerr);
			ck_assert_msg(doc != NULL, "remediation -p is not JSON (%s): %s", jerr.text, arg);
			json_decref(doc);
			n++;
		}
	}
	return n;
}

static osmdiag_report *expect_status(const char *id, int status, const char *needle)
{
	osmdiag_report *rep = th_run(src, id);

	if (th_worst(rep, id) != status && needle)
		th_assert_text(rep, id, "\x01"); /* prints the results */
	ck_assert_msg(th_worst(rep, id) == status, "%s: worst %s, expected %s", id,
		      osmdiag_status_name(th_worst(rep, id)), osmdiag_status_name(status));
	if (needle)
		th_assert_text(rep, id, needle);
	assert_fix_json(rep, id);
	return rep;
}

static void expect(const char *id, int status, const char *needle)
{
	osmdiag_report_free(expect_status(id, status, needle));
}

/* Removes env var `name` from the osm-injector container. */
static void drop_injector_env(const char *name)
{
	json_t *d = th_object(src, "Deployment", NS, "osm-injector");
	json_t *cs = json_object_get(json_object_get(json_object_get(json_object_get(d, "spec"), "template"),
		"spec"), "containers");

	for (size_t i = 0; i < json_array_size(cs); i++) {
		json_t *env = json_object_get(json_array_get(cs, i), "env");

		for (size_t k = 0; k < json_array_size(env); k++)
			if (strcmp(json_string_value(json_object_get(json_array_get(env, k), "name")),
				   name) == 0) {
				json_array_remove(env, k);
				return;
			}
	}
	ck_abort_msg("osm-injector has no env %s", name);
}

/* ---- OSMD301 ---------------------------------------------------------------------- */

START_TEST(present_pass)
{
	expect("OSMD301", OSMDIAG_STATUS_PASS, "apiVersion config.openservicemesh.io/v1alpha2");
}
END_TEST

START_TEST(present_missing)
{
	th_remove(src, "MeshConfig", NS, "osm-mesh-config");
	expect("OSMD301", OSMDIAG_STATUS_FAIL, "kubectl rollout restart deployment/osm-bootstrap -n "
		"kube-system");
}
END_TEST

START_TEST(present_missing_skips_dependents)
{
	osmdiag_report *rep;

	th_remove(src, "MeshConfig", NS, "osm-mesh-config");
	rep = th_run_all(src);
	ck_assert_int_eq(th_worst(rep, "OSMD301"), OSMDIAG_STATUS_FAIL);
	ck_assert_int_eq(th_worst(rep, "OSMD302"), OSMDIAG_STATUS_SKIP);
	ck_assert_int_eq(th_worst(rep, "OSMD303"), OSMDIAG_STATUS_SKIP);
	ck_assert_int_eq(th_worst(rep, "OSMD304"), OSMDIAG_STATUS_SKIP);
	/* CHECKS.md: MeshConfig absent -> 302..305 skip, even though the
	 * injector env still names both images */
	ck_assert_int_eq(th_worst(rep, "OSMD305"), OSMDIAG_STATUS_SKIP);
	osmdiag_report_free(rep);
}
END_TEST

START_TEST(present_wrong_version)
{
	/* the guide's sample object (FACTS 3.2 #5) */
	th_set(mc(), "apiVersion", json_string("config.openservicemesh.io/v1alpha1"));
	expect("OSMD301", OSMDIAG_STATUS_FAIL, "The AKS guide's sample shows v1alpha1");
}
END_TEST

START_TEST(present_v1alpha3)
{
	th_set(mc(), "apiVersion", json_string("config.openservicemesh.io/v1alpha3"));
	expect("OSMD301", OSMDIAG_STATUS_FAIL, "never released");
}
END_TEST

START_TEST(present_wrong_type)
{
	th_set(mc(), "apiVersion", json_integer(2));
	expect("OSMD301", OSMDIAG_STATUS_FAIL, "apiVersion is integer");
}
END_TEST

START_TEST(present_v10_v1alpha2)
{
	osmdiag_source_free(src);
	src = th_fixture(V10);
	th_set(mc(), "apiVersion", json_string("config.openservicemesh.io/v1alpha2"));
	expect("OSMD301", OSMDIAG_STATUS_FAIL, "reads only v1alpha1");
}
END_TEST

/* ---- OSMD302 ---------------------------------------------------------------------- */

START_TEST(types_pass)
{
	expect("OSMD302", OSMDIAG_STATUS_PASS, "valid types and values");
}
END_TEST

START_TEST(types_string_for_int)
{
	osmdiag_report *rep;

	/* the guide's patch (FACTS 3.2 #2) */
	th_set(mc(), "spec.sidecar.maxDataPlaneConnections", json_string("error"));
	rep = expect_status("OSMD302", OSMDIAG_STATUS_FAIL,
		"spec.sidecar.maxDataPlaneConnections is the string \"error\"; the schema wants an integer");
	th_assert_text(rep, "OSMD302", "kubectl patch meshconfig osm-mesh-config -n kube-system --type=merge "
		"-p "
		"'{\"spec\":{\"sidecar\":{\"maxDataPlaneConnections\":0}}}'");
	th_assert_text(rep, "OSMD302", "the AKS guide's patch for this field sends the string \"error\"");
	ck_assert_int_eq(th_count(rep, "OSMD302", -1), 1);
	osmdiag_report_free(rep);
}
END_TEST

START_TEST(types_string_for_bool)
{
	osmdiag_report *rep;

	/* the guide's featureFlags patches (FACTS 3.2 #3) */
	th_set(mc(), "spec.featureFlags.enableWASMStats", json_string("false"));
	rep = expect_status("OSMD302", OSMDIAG_STATUS_FAIL, "the schema wants a boolean");
	th_assert_text(rep, "OSMD302", "-p '{\"spec\":{\"featureFlags\":{\"enableWASMStats\":false}}}'");
	th_assert_text(rep, "OSMD302", "the AKS guide's featureFlags table");
	th_assert_text(rep, "OSMD302", "default is true");
	osmdiag_report_free(rep);
}
END_TEST

START_TEST(types_one_result_per_field)
{
	osmdiag_report *rep;

	th_set(mc(), "spec.sidecar.maxDataPlaneConnections", json_string("error"));
	th_set(mc(), "spec.featureFlags.enableWASMStats", json_string("true"));
	rep = th_run(src, "OSMD302");
	ck_assert_int_eq(th_count(rep, "OSMD302", OSMDIAG_STATUS_FAIL), 2);
	ck_assert_int_eq(assert_fix_json(rep, "OSMD302"), 2);
	osmdiag_report_free(rep);
}
END_TEST

START_TEST(types_bad_duration)
{
	th_set(mc(), "spec.certificate.serviceCertValidityDuration", json_string("1day"));
	expect("OSMD302", OSMDIAG_STATUS_FAIL, "not a Go duration");
}
END_TEST

START_TEST(types_bad_enum)
{
	osmdiag_report *rep;

	th_set(mc(), "spec.sidecar.logLevel", json_string("Debug"));
	rep = expect_status("OSMD302", OSMDIAG_STATUS_FAIL, "allowed values: trace, debug");
	/* the intended value, case fixed */
	th_assert_text(rep, "OSMD302", "{\"logLevel\":\"debug\"}");
	osmdiag_report_free(rep);
}
END_TEST

START_TEST(types_bad_osm_log_level)
{
	th_set(mc(), "spec.observability.osmLogLevel", json_string("verbose"));
	expect("OSMD302", OSMDIAG_STATUS_FAIL, "{\"osmLogLevel\":\"info\"}");
}
END_TEST

START_TEST(types_bad_ports)
{
	json_t *a = json_array();

	json_array_append_new(a, json_integer(6379));
	json_array_append_new(a, json_string("8080"));
	json_array_append_new(a, json_integer(70000));
	th_set(mc(), "spec.traffic.outboundPortExclusionList", a);
	expect("OSMD302", OSMDIAG_STATUS_FAIL, "{\"outboundPortExclusionList\":[6379,8080]}");
}
END_TEST

START_TEST(types_bad_cidr)
{
	json_t *a = json_array();

	json_array_append_new(a, json_string("10.0.0.0/8"));
	json_array_append_new(a, json_string("10.0.0.300/8"));
	th_set(mc(), "spec.traffic.outboundIPRangeExclusionList", a);
	expect("OSMD302", OSMDIAG_STATUS_FAIL, "not an IPv4 CIDR");
}
END_TEST

START_TEST(types_bad_keybits)
{
	th_set(mc(), "spec.certificate.certKeyBitSize", json_integer(1024));
	expect("OSMD302", OSMDIAG_STATUS_FAIL, "2048..4096");
}
END_TEST

START_TEST(types_required_missing)
{
	/* the guide's sample lacks certKeyBitSize (FACTS 3.2 #5) */
	th_del(mc(), "spec.certificate.certKeyBitSize");
	expect("OSMD302", OSMDIAG_STATUS_FAIL, "{\"certificate\":{\"certKeyBitSize\":2048}}");
}
END_TEST

START_TEST(types_tracing_port_int16)
{
	th_set(mc(), "spec.observability.tracing.port", json_integer(40000));
	expect("OSMD302", OSMDIAG_STATUS_FAIL, "int16");
}
END_TEST

START_TEST(types_object_wrong_type)
{
	th_set(mc(), "spec.traffic", json_string("on"));
	expect("OSMD302", OSMDIAG_STATUS_FAIL, "spec.traffic is the string \"on\"; the schema wants an "
		"object");
}
END_TEST

START_TEST(types_spec_wrong_type)
{
	json_object_set_new(mc(), "spec", json_array());
	expect("OSMD302", OSMDIAG_STATUS_FAIL, "spec is an array");
}
END_TEST

START_TEST(types_real_for_int)
{
	th_set(mc(), "spec.certificate.certKeyBitSize", json_real(2048.5));
	expect("OSMD302", OSMDIAG_STATUS_FAIL, "the number 2048.5");
}
END_TEST

START_TEST(types_v1alpha2_field_on_v10)
{
	/* on v1.0 the field is unknown (OSMD303), not a type problem */
	osmdiag_source_free(src);
	src = th_fixture(V10);
	th_set(mc(), "spec.sidecar.tlsMinProtocolVersion", json_integer(3));
	expect("OSMD302", OSMDIAG_STATUS_PASS, NULL);
}
END_TEST

/* ---- OSMD303 ---------------------------------------------------------------------- */

START_TEST(unknown_pass)
{
	expect("OSMD303", OSMDIAG_STATUS_PASS, "every field is known");
}
END_TEST

START_TEST(unknown_misplaced_log_level)
{
	osmdiag_report *rep;

	/* the guide's patch (FACTS 3.2 #1) */
	th_set(mc(), "spec.observability.tracing.osmLogLevel", json_string("debug"));
	rep = expect_status("OSMD303", OSMDIAG_STATUS_WARN, "it belongs at spec.observability.osmLogLevel");
	th_assert_text(rep, "OSMD303", "spec.observability.tracing.osmLogLevel is a wrong path");
	th_assert_text(rep, "OSMD303", "--type=json -p '[{\"op\":\"remove\",\"path\":"
		"\"/spec/observability/tracing/osmLogLevel\"}]'");
	th_assert_text(rep, "OSMD303", "--type=merge -p "
		"'{\"spec\":{\"observability\":{\"osmLogLevel\":\"debug\"}}}'");
	ck_assert_int_eq(assert_fix_json(rep, "OSMD303"), 2);
	osmdiag_report_free(rep);
}
END_TEST

START_TEST(unknown_use_https_ingress)
{
	th_set(mc(), "spec.traffic.useHTTPSIngress", json_false());
	expect("OSMD303", OSMDIAG_STATUS_WARN, "removed in v1.0");
}
END_TEST

START_TEST(unknown_use_https_ingress_v10)
{
	osmdiag_source_free(src);
	src = th_fixture(V10);
	th_set(mc(), "spec.traffic.useHTTPSIngress", json_true());
	expect("OSMD303", OSMDIAG_STATUS_WARN, "the AKS guide still lists it");
}
END_TEST

START_TEST(unknown_newer_field_on_v10)
{
	osmdiag_source_free(src);
	src = th_fixture(V10);
	th_set(mc(), "spec.sidecar.tlsMinProtocolVersion", json_string("TLSv1_2"));
	expect("OSMD303", OSMDIAG_STATUS_WARN, "only v1alpha2 (OSM v1.1/v1.2) knows it");
}
END_TEST

START_TEST(unknown_case_typo_shell_safe)
{
	osmdiag_report *rep;

	/* wrong case; the carried value has a single quote */
	th_set(mc(), "spec.sidecar.EnvoyImage", json_string("repo/envoy:it's"));
	rep = expect_status("OSMD303", OSMDIAG_STATUS_WARN, "did you mean spec.sidecar.envoyImage?");
	th_assert_text(rep, "OSMD303", "{\"envoyImage\":\"repo/envoy:it'\\''s\"}");
	osmdiag_report_free(rep);
}
END_TEST

START_TEST(unknown_plain)
{
	osmdiag_report *rep;

	th_set(mc(), "spec.traffic.foo/bar~baz", json_integer(1));
	rep = expect_status("OSMD303", OSMDIAG_STATUS_WARN, "spec.traffic.foo/bar~baz (the integer 1)");
	/* JSON pointer escaping */
	th_assert_text(rep, "OSMD303", "\"path\":\"/spec/traffic/foo~1bar~0baz\"");
	osmdiag_report_free(rep);
}
END_TEST

START_TEST(unknown_wrong_type_parent)
{
	/* a non-object where an object belongs: no walk into it, no crash (OSMD302 reports it) */
	th_set(mc(), "spec.sidecar", json_string("x"));
	expect("OSMD303", OSMDIAG_STATUS_PASS, NULL);
}
END_TEST

START_TEST(unknown_broken_fixture)
{
	osmdiag_report *rep;

	osmdiag_source_free(src);
	src = th_fixture(BROKEN);
	rep = th_run_all(src);
	ck_assert_int_eq(th_worst(rep, "OSMD302"), OSMDIAG_STATUS_FAIL);
	ck_assert_int_eq(th_count(rep, "OSMD302", OSMDIAG_STATUS_FAIL), 2);
	ck_assert_int_eq(th_worst(rep, "OSMD303"), OSMDIAG_STATUS_WARN);
	ck_assert_int_eq(th_worst(rep, "OSMD301"), OSMDIAG_STATUS_PASS);
	ck_assert_int_eq(th_worst(rep, "OSMD305"), OSMDIAG_STATUS_PASS);
	ck_assert_int_lt(th_worst(rep, "OSMD304"), OSMDIAG_STATUS_WARN);
	osmdiag_report_free(rep);
}
END_TEST

/* ---- OSMD304 ---------------------------------------------------------------------- */

START_TEST(notable_none)
{
	osmdiag_report *rep = expect_status("OSMD304", OSMDIAG_STATUS_INFO, "nothing notable");

	ck_assert_int_eq(th_count(rep, "OSMD304", -1), 1);
	osmdiag_report_free(rep);
}
END_TEST

START_TEST(notable_permissive_off)
{
	th_set(mc(), "spec.traffic.enablePermissiveTrafficPolicyMode", json_false());
	expect("OSMD304", OSMDIAG_STATUS_INFO, "SMI TrafficTargets");
}
END_TEST

START_TEST(notable_egress_off_debug_on)
{
	osmdiag_report *rep;

	th_set(mc(), "spec.traffic.enableEgress", json_false());
	th_set(mc(), "spec.observability.enableDebugServer", json_true());
	rep = expect_status("OSMD304", OSMDIAG_STATUS_INFO, "enableEgress is false");
	th_assert_text(rep, "OSMD304", "port 9092");
	ck_assert_int_eq(th_count(rep, "OSMD304", OSMDIAG_STATUS_INFO), 2);
	osmdiag_report_free(rep);
}
END_TEST

START_TEST(notable_tracing_without_address)
{
	th_set(mc(), "spec.observability.tracing.enable", json_true());
	expect("OSMD304", OSMDIAG_STATUS_INFO, "\"address\":\"jaeger.kube-system.svc.cluster.local\"");
}
END_TEST

START_TEST(notable_short_validity)
{
	th_set(mc(), "spec.certificate.serviceCertValidityDuration", json_string("30s"));
	expect("OSMD304", OSMDIAG_STATUS_WARN, "rotate continuously");
}
END_TEST

START_TEST(notable_wrong_type)
{
	th_set(mc(), "spec.traffic.enableEgress", json_string("true"));
	expect("OSMD304", OSMDIAG_STATUS_ERROR, "spec.traffic.enableEgress is a string, not a boolean");
}
END_TEST

START_TEST(notable_wrong_type_parent)
{
	th_set(mc(), "spec.observability", json_integer(1));
	expect("OSMD304", OSMDIAG_STATUS_ERROR, "spec.observability is an integer, not an object");
}
END_TEST

/* ---- OSMD305 ---------------------------------------------------------------------- */

START_TEST(images_pass_env)
{
	expect("OSMD305", OSMDIAG_STATUS_PASS, "from osm-injector env");
}
END_TEST

START_TEST(images_no_envoy)
{
	osmdiag_report *rep;

	drop_injector_env("OSM_DEFAULT_ENVOY_IMAGE");
	rep = expect_status("OSMD305", OSMDIAG_STATUS_FAIL, "MeshConfig sidecar.envoyImage not set");
	th_assert_text(rep, "OSMD305",
		"{\"sidecar\":{\"envoyImage\":\"envoyproxy/envoy-distroless:v1.22.2\"}}");
	ck_assert_int_eq(th_count(rep, "OSMD305", -1), 1);
	osmdiag_report_free(rep);
}
END_TEST

START_TEST(images_no_init)
{
	drop_injector_env("OSM_DEFAULT_INIT_CONTAINER_IMAGE");
	/* derived from the injector image's registry and tag */
	expect("OSMD305", OSMDIAG_STATUS_FAIL,
		"\"initContainerImage\":\"mcr.microsoft.com/oss/openservicemesh/"
		"init:v1.2.5\"");
}
END_TEST

START_TEST(images_meshconfig_wins)
{
	drop_injector_env("OSM_DEFAULT_ENVOY_IMAGE");
	th_set(mc(), "spec.sidecar.envoyImage", json_string("example.io/envoy:v1"));
	expect("OSMD305", OSMDIAG_STATUS_PASS, "envoy example.io/envoy:v1 (from MeshConfig)");
}
END_TEST

START_TEST(images_wrong_type)
{
	th_set(mc(), "spec.sidecar.envoyImage", json_true());
	expect("OSMD305", OSMDIAG_STATUS_FAIL, "spec.sidecar.envoyImage is a boolean");
}
END_TEST

START_TEST(images_no_meshconfig_no_env)
{
	th_remove(src, "MeshConfig", NS, "osm-mesh-config");
	drop_injector_env("OSM_DEFAULT_ENVOY_IMAGE");
	expect("OSMD305", OSMDIAG_STATUS_SKIP, "OSMD301");
}
END_TEST

/* ---- healthy fixtures of the other releases ------------------------------------------ */

static void assert_ids_clean(const char *fixture)
{
	static const char *const ids[] = { "OSMD301", "OSMD302", "OSMD303", "OSMD304", "OSMD305" };
	osmdiag_report *rep;

	osmdiag_source_free(src);
	src = th_fixture(fixture);
	rep = th_run_all(src);
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		if (th_worst(rep, ids[i]) >= OSMDIAG_STATUS_WARN || th_worst(rep, ids[i]) < 0)
			th_assert_text(rep, ids[i], "\x01");
		ck_assert_int_ge(th_worst(rep, ids[i]), OSMDIAG_STATUS_PASS);
		ck_assert_int_lt(th_worst(rep, ids[i]), OSMDIAG_STATUS_SKIP);
	}
	osmdiag_report_free(rep);
}

START_TEST(healthy_v10)
{
	assert_ids_clean(V10);
}
END_TEST

START_TEST(healthy_v11)
{
	assert_ids_clean(V11);
}
END_TEST

START_TEST(healthy_v12)
{
	assert_ids_clean(V12);
}
END_TEST

START_TEST(healthy_v10_notable)
{
	osmdiag_report *rep;

	/* v1.0/v1.1 defaults: permissive and egress off (info) */
	osmdiag_source_free(src);
	src = th_fixture(V10);
	rep = expect_status("OSMD304", OSMDIAG_STATUS_INFO, "permissive mode off");
	th_assert_text(rep, "OSMD304", "enableEgress is false");
	osmdiag_report_free(rep);
}
END_TEST

static Suite *meshconfig_suite(void)
{
	Suite *s = suite_create("checks_meshconfig");
	TCase *tc = tcase_create("meshconfig");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, present_pass);
	tcase_add_test(tc, present_missing);
	tcase_add_test(tc, present_missing_skips_dependents);
	tcase_add_test(tc, present_wrong_version);
	tcase_add_test(tc, present_v1alpha3);
	tcase_add_test(tc, present_wrong_type);
	tcase_add_test(tc, present_v10_v1alpha2);
	tcase_add_test(tc, types_pass);
	tcase_add_test(tc, types_string_for_int);
	tcase_add_test(tc, types_string_for_bool);
	tcase_add_test(tc, types_one_result_per_field);
	tcase_add_test(tc, types_bad_duration);
	tcase_add_test(tc, types_bad_enum);
	tcase_add_test(tc, types_bad_osm_log_level);
	tcase_add_test(tc, types_bad_ports);
	tcase_add_test(tc, types_bad_cidr);
	tcase_add_test(tc, types_bad_keybits);
	tcase_add_test(tc, types_required_missing);
	tcase_add_test(tc, types_tracing_port_int16);
	tcase_add_test(tc, types_object_wrong_type);
	tcase_add_test(tc, types_spec_wrong_type);
	tcase_add_test(tc, types_real_for_int);
	tcase_add_test(tc, types_v1alpha2_field_on_v10);
	tcase_add_test(tc, unknown_pass);
	tcase_add_test(tc, unknown_misplaced_log_level);
	tcase_add_test(tc, unknown_use_https_ingress);
	tcase_add_test(tc, unknown_use_https_ingress_v10);
	tcase_add_test(tc, unknown_newer_field_on_v10);
	tcase_add_test(tc, unknown_case_typo_shell_safe);
	tcase_add_test(tc, unknown_plain);
	tcase_add_test(tc, unknown_wrong_type_parent);
	tcase_add_test(tc, unknown_broken_fixture);
	tcase_add_test(tc, notable_none);
	tcase_add_test(tc, notable_permissive_off);
	tcase_add_test(tc, notable_egress_off_debug_on);
	tcase_add_test(tc, notable_tracing_without_address);
	tcase_add_test(tc, notable_short_validity);
	tcase_add_test(tc, notable_wrong_type);
	tcase_add_test(tc, notable_wrong_type_parent);
	tcase_add_test(tc, images_pass_env);
	tcase_add_test(tc, images_no_envoy);
	tcase_add_test(tc, images_no_init);
	tcase_add_test(tc, images_meshconfig_wins);
	tcase_add_test(tc, images_wrong_type);
	tcase_add_test(tc, images_no_meshconfig_no_env);
	tcase_add_test(tc, healthy_v10);
	tcase_add_test(tc, healthy_v11);
	tcase_add_test(tc, healthy_v12);
	tcase_add_test(tc, healthy_v10_notable);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return th_main(meshconfig_suite());
}
