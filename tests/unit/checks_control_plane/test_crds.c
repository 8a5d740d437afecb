/*
 * crds checks OSMD501-503 on the healthy fixtures, one mutation each, and
 * wrong JSON types.
 */
#include <string.h>

#include "harness.h"

#define V12 "examples/snapshots/aks-osm-v1.2-healthy"
#define V11 "tests/fixtures/healthy-v1.1"
#define V10 "tests/fixtures/healthy-v1.0"
#define BROKEN "examples/snapshots/aks-osm-v1.2-broken"
#define CRD "CustomResourceDefinition"

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

/* spec.versions entry named `name` of a CRD. */
static json_t *crd_version(const char *crd, const char *name)
{
	json_t *vers = json_object_get(json_object_get(th_object(src, CRD, NULL, crd), "spec"), "versions");

	for (size_t i = 0; i < json_array_size(vers); i++) {
		json_t *v = json_array_get(vers, i);

		if (strcmp(json_string_value(json_object_get(v, "name")), name) == 0)
			return v;
	}
	ck_abort_msg("CRD %s has no version %s", crd, name);
	return NULL;
}

static void expect_status(const char *id, int status, const char *needle)
{
	osmdiag_report *rep = th_run(src, id);

	ck_assert_msg(th_worst(rep, id) == status, "%s: worst %s, expected %s", id,
		      osmdiag_status_name(th_worst(rep, id)), osmdiag_status_name(status));
	if (needle)
		th_assert_text(rep, id, needle);
	osmdiag_report_free(rep);
}

/* ---- OSMD501 ---------------------------------------------------------------- */

START_TEST(crds_pass)
{
	expect_status("OSMD501", OSMDIAG_STATUS_PASS, "all 10 CRDs of the OSM v1.2 profile installed");
	/* the guide's list is wrong for v1.2 (FACTS 3.2 #10) */
	expect_status("OSMD501", OSMDIAG_STATUS_PASS, "wrongly includes multiclusterservices");
}
END_TEST

START_TEST(crds_missing_fail)
{
	th_remove(src, CRD, NULL, "retries.policy.openservicemesh.io");
	expect_status("OSMD501", OSMDIAG_STATUS_FAIL, "CRD retries.policy.openservicemesh.io not found");
	expect_status("OSMD501", OSMDIAG_STATUS_FAIL, "kubectl rollout restart deployment/osm-bootstrap -n "
		"kube-system");
}
END_TEST

START_TEST(crds_extra_info)
{
	th_add_json(src, "{\"apiVersion\":\"apiextensions.k8s.io/v1\",\"kind\":\"CustomResourceDefinition\","
		"\"metadata\":{\"name\":\"multiclusterservices.config.openservicemesh.io\"},\"spec\":{}}");
	expect_status("OSMD501", OSMDIAG_STATUS_INFO, "multiclusterservices.config.openservicemesh.io is "
		"installed but not part of OSM v1.2");
}
END_TEST

/* ---- OSMD502 ---------------------------------------------------------------- */

START_TEST(served_pass)
{
	expect_status("OSMD502", OSMDIAG_STATUS_PASS, "TrafficTarget:v1alpha3");
	expect_status("OSMD502", OSMDIAG_STATUS_PASS, "MeshConfig:v1alpha2");
}
END_TEST

START_TEST(served_false_fail)
{
	json_object_set_new(crd_version("traffictargets.access.smi-spec.io", "v1alpha3"), "served",
		json_false());
	expect_status("OSMD502", OSMDIAG_STATUS_FAIL, "expected v1alpha3 served");
	expect_status("OSMD502", OSMDIAG_STATUS_FAIL, "kubectl patch crd traffictargets.access.smi-spec.io "
		"--type=json -p "
		"'[{\"op\":\"replace\",\"path\":\"/spec/versions/0/served\",\"value\":true}]'");
}
END_TEST

START_TEST(served_meshconfig_version_fail)
{
	json_object_set_new(crd_version("meshconfigs.config.openservicemesh.io", "v1alpha2"), "name",
		json_string("v1alpha3"));
	expect_status("OSMD502", OSMDIAG_STATUS_FAIL, "expected v1alpha2 served");
}
END_TEST

START_TEST(served_crd_missing_fail)
{
	th_remove(src, CRD, NULL, "tcproutes.specs.smi-spec.io");
	expect_status("OSMD502", OSMDIAG_STATUS_FAIL, "TCPRoute v1alpha4 is not served");
}
END_TEST

START_TEST(served_wrong_type)
{
	json_object_set_new(crd_version("trafficsplits.split.smi-spec.io", "v1alpha2"), "served",
		json_string("true"));
	expect_status("OSMD502", OSMDIAG_STATUS_ERROR, ".served is a string, expected a boolean");
}
END_TEST

START_TEST(versions_wrong_type)
{
	th_set(th_object(src, CRD, NULL, "httproutegroups.specs.smi-spec.io"), "spec.versions",
	       json_string("v1alpha4"));
	expect_status("OSMD502", OSMDIAG_STATUS_ERROR, "spec.versions is a string, expected an array");
}
END_TEST

/* ---- OSMD503 ---------------------------------------------------------------- */

START_TEST(unsupported_pass)
{
	expect_status("OSMD503", OSMDIAG_STATUS_PASS, "no unsupported SMI CRDs");
}
END_TEST

START_TEST(unsupported_info)
{
	th_add_json(src, "{\"apiVersion\":\"apiextensions.k8s.io/v1\",\"kind\":\"CustomResourceDefinition\","
		"\"metadata\":{\"name\":\"udproutes.specs.smi-spec.io\"},"
		"\"spec\":{\"group\":\"specs.smi-spec.io\"}}");
	th_add_json(src, "{\"apiVersion\":\"apiextensions.k8s.io/v1\",\"kind\":\"CustomResourceDefinition\","
		"\"metadata\":{\"name\":\"trafficmetrics.metrics.smi-spec.io\"},\"spec\":{}}");
	expect_status("OSMD503", OSMDIAG_STATUS_INFO, "CRD udproutes.specs.smi-spec.io is installed");
	expect_status("OSMD503", OSMDIAG_STATUS_INFO, "trafficmetrics.metrics.smi-spec.io");
}
END_TEST

/* ---- fixtures ------------------------------------------------------------------ */

static void assert_clean(const char *fixture, const char *needle501)
{
	static const char *const ids[] = { "OSMD501", "OSMD502", "OSMD503" };
	osmdiag_source *s = th_fixture(fixture);
	osmdiag_report *rep = th_run_all(s);

	for (size_t i = 0; i < 3; i++) {
		int w = th_worst(rep, ids[i]);

		ck_assert_msg(w >= OSMDIAG_STATUS_PASS && w <= OSMDIAG_STATUS_INFO, "%s on %s: "
			"%s", ids[i], fixture,
			      osmdiag_status_name(w));
	}
	th_assert_text(rep, "OSMD501", needle501);
	osmdiag_report_free(rep);
	osmdiag_source_free(s);
}

START_TEST(healthy_v10)
{
	assert_clean(V10, "all 8 CRDs of the OSM v1.0 profile");
}
END_TEST

START_TEST(healthy_v11)
{
	assert_clean(V11, "all 10 CRDs of the OSM v1.1 profile");
}
END_TEST

START_TEST(broken_fixture)
{
	osmdiag_source *s = th_fixture(BROKEN);
	osmdiag_report *rep = th_run_all(s);

	ck_assert_int_eq(th_worst(rep, "OSMD501"), OSMDIAG_STATUS_FAIL);
	th_assert_text(rep, "OSMD501", "retries.policy.openservicemesh.io");
	th_assert_text(rep, "OSMD501", "multiclusterservices.config.openservicemesh.io is installed");
	ck_assert_int_eq(th_count(rep, "OSMD501", OSMDIAG_STATUS_FAIL), 1);
	ck_assert_int_eq(th_worst(rep, "OSMD502"), OSMDIAG_STATUS_PASS);
	ck_assert_int_eq(th_worst(rep, "OSMD503"), OSMDIAG_STATUS_PASS);
	osmdiag_report_free(rep);
	osmdiag_source_free(s);
}
END_TEST

static Suite *crds_suite(void)
{
	Suite *s = suite_create("checks_crds");
	TCase *t = tcase_create("mutations");
	TCase *f = tcase_create("fixtures");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, crds_pass);
	tcase_add_test(t, crds_missing_fail);
	tcase_add_test(t, crds_extra_info);
	tcase_add_test(t, served_pass);
	tcase_add_test(t, served_false_fail);
	tcase_add_test(t, served_meshconfig_version_fail);
	tcase_add_test(t, served_crd_missing_fail);
	tcase_add_test(t, served_wrong_type);
	tcase_add_test(t, versions_wrong_type);
	tcase_add_test(t, unsupported_pass);
	tcase_add_test(t, unsupported_info);
	suite_add_tcase(s, t);
	tcase_set_timeout(f, 60);
	tcase_add_test(f, healthy_v10);
	tcase_add_test(f, healthy_v11);
	tcase_add_test(f, broken_fixture);
	suite_add_tcase(s, f);
	return s;
}

int main(void)
{
	return th_main(crds_suite());
}
