/*
 * namespaces checks OSMD401-405 on the healthy fixtures, one mutation each,
 * and wrong JSON types in labels, annotations and pods.
 */
#include <string.h>

#include "harness.h"

#define V12 "examples/snapshots/aks-osm-v1.2-healthy"
#define V11 "tests/fixtures/healthy-v1.1"
#define V10 "tests/fixtures/healthy-v1.0"
#define BROKEN "examples/snapshots/aks-osm-v1.2-broken"
#define MON "openservicemesh.io/monitored-by"
#define INJ "openservicemesh.io/sidecar-injection"
#define IGN "openservicemesh.io/ignore"
#define STORE_POD "bookstore-v2-bt4dnpw4f-ksk5z"
#define THIEF_POD "bookthief-9w84s8sgkp-tw57j"

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

static json_t *ns_obj(const char *name)
{
	return th_object(src, "Namespace", NULL, name);
}

/* metadata.<map> of an object, created when absent. */
static json_t *meta_map(json_t *o, const char *map)
{
	json_t *md = json_object_get(o, "metadata");
	json_t *m = json_object_get(md, map);

	if (!json_is_object(m)) {
		m = json_object();
		json_object_set_new(md, map, m);
	}
	return m;
}

static void set_label(json_t *o, const char *key, json_t *v)
{
	json_object_set_new(meta_map(o, "labels"), key, v);
}

static void set_ann(json_t *o, const char *key, json_t *v)
{
	json_object_set_new(meta_map(o, "annotations"), key, v);
}

static void del_ann(json_t *o, const char *key)
{
	json_object_del(meta_map(o, "annotations"), key);
}

static void drop_container(json_t *pod, const char *name)
{
	json_t *cs = json_object_get(json_object_get(pod, "spec"), "containers");

	for (size_t i = 0; i < json_array_size(cs); i++)
		if (strcmp(json_string_value(json_object_get(json_array_get(cs, i), "name")), name) == 0) {
			json_array_remove(cs, i);
			return;
		}
	ck_abort_msg("pod has no container %s", name);
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
	return rep;
}

static void expect(const char *id, int status, const char *needle)
{
	osmdiag_report_free(expect_status(id, status, needle));
}

/* ---- OSMD401 ---------------------------------------------------------------------- */

START_TEST(onboarding_pass)
{
	expect("OSMD401", OSMDIAG_STATUS_PASS, "4 namespace(s) onboarded to mesh osm");
}
END_TEST

START_TEST(onboarding_no_annotation)
{
	osmdiag_report *rep;

	del_ann(ns_obj("bookthief"), INJ);
	rep = expect_status("OSMD401", OSMDIAG_STATUS_WARN, "namespace bookthief has label " MON "=osm but "
		"no "
		"annotation");
	th_assert_text(rep, "OSMD401", "kubectl annotate namespace bookthief " INJ "=enabled");
	th_assert_text(rep, "OSMD401", "AKS guide's \"needs both\" omits");
	ck_assert_int_eq(th_count(rep, "OSMD401", OSMDIAG_STATUS_WARN), 1);
	osmdiag_report_free(rep);
}
END_TEST

START_TEST(onboarding_pod_annotation_suffices)
{
	del_ann(ns_obj("bookthief"), INJ);
	set_ann(th_object(src, "Pod", "bookthief", THIEF_POD), INJ, json_string("enabled"));
	expect("OSMD401", OSMDIAG_STATUS_INFO, "opt in with the pod annotation");
}
END_TEST

START_TEST(onboarding_no_label)
{
	osmdiag_report *rep;

	json_object_del(meta_map(ns_obj("bookbuyer"), "labels"), MON);
	rep = expect_status("OSMD401", OSMDIAG_STATUS_WARN, "no label " MON "=osm");
	th_assert_text(rep, "OSMD401", "kubectl label namespace bookbuyer " MON "=osm");
	th_assert_text(rep, "OSMD401", "osm namespace add bookbuyer --mesh-name osm");
	osmdiag_report_free(rep);
}
END_TEST

START_TEST(onboarding_disabled_is_info)
{
	set_ann(ns_obj("bookthief"), INJ, json_string("disabled"));
	expect("OSMD401", OSMDIAG_STATUS_INFO, "only pods annotated");
}
END_TEST

START_TEST(onboarding_wrong_type)
{
	/* a boolean annotation is OSMD403's finding; no crash, no double report here */
	set_ann(ns_obj("bookthief"), INJ, json_true());
	expect("OSMD401", OSMDIAG_STATUS_PASS, NULL);
}
END_TEST

/* ---- OSMD402 ---------------------------------------------------------------------- */

START_TEST(cp_ns_pass)
{
	expect("OSMD402", OSMDIAG_STATUS_PASS, "kube-system, kube-public");
}
END_TEST

START_TEST(cp_ns_labelled)
{
	osmdiag_report *rep;

	set_label(ns_obj("kube-system"), MON, json_string("osm"));
	rep = expect_status("OSMD402", OSMDIAG_STATUS_FAIL, "namespace kube-system (mesh namespace) carries "
		"label");
	th_assert_text(rep, "OSMD402", "kubectl label namespace kube-system " MON "-");
	ck_assert_int_eq(th_count(rep, "OSMD402", -1), 1);
	osmdiag_report_free(rep);
}
END_TEST

START_TEST(cp_ns_annotated)
{
	set_ann(ns_obj("kube-public"), INJ, json_string("enabled"));
	expect("OSMD402", OSMDIAG_STATUS_FAIL, "kubectl annotate namespace kube-public " INJ "-");
}
END_TEST

START_TEST(cp_ns_wrong_type)
{
	set_label(ns_obj("kube-system"), MON, json_integer(1));
	expect("OSMD402", OSMDIAG_STATUS_FAIL, "label " MON "=1");
}
END_TEST

/* ---- OSMD403 ---------------------------------------------------------------------- */

START_TEST(values_pass)
{
	expect("OSMD403", OSMDIAG_STATUS_PASS, "hold valid values");
}
END_TEST

START_TEST(values_case_insensitive)
{
	set_ann(ns_obj("bookbuyer"), INJ, json_string("YES"));
	expect("OSMD403", OSMDIAG_STATUS_PASS, NULL);
}
END_TEST

START_TEST(values_bad_namespace)
{
	set_ann(ns_obj("bookwarehouse"), INJ, json_string("enable"));
	expect("OSMD403", OSMDIAG_STATUS_FAIL, "kubectl annotate namespace bookwarehouse " INJ "=enabled "
		"--overwrite");
}
END_TEST

START_TEST(values_bad_namespace_off)
{
	set_ann(ns_obj("bookwarehouse"), INJ, json_string("off"));
	expect("OSMD403", OSMDIAG_STATUS_FAIL, INJ "=disabled --overwrite");
}
END_TEST

START_TEST(values_wrong_type)
{
	set_ann(ns_obj("bookwarehouse"), INJ, json_true());
	expect("OSMD403", OSMDIAG_STATUS_FAIL, "set to a boolean (true)");
}
END_TEST

START_TEST(values_bad_template)
{
	/* no pod can exist with it: the current ReplicaSet's template shows it */
	json_t *rs = th_object(src, "ReplicaSet", "bookstore", "bookstore-v2-bt4dnpw4f");

	th_set(rs, "spec.template.metadata.annotations", json_pack("{s:s}", INJ, "on"));
	expect("OSMD403", OSMDIAG_STATUS_FAIL, "kubectl patch deployment bookstore-v2 -n bookstore "
		"--type=merge "
		"-p '{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"" INJ "\":\"enabled\"}}}}}'");
}
END_TEST

START_TEST(values_old_replicaset_ignored)
{
	json_t *rs = th_object(src, "ReplicaSet", "bookstore", "bookstore-v2-bt4dnpw4f");

	th_set(rs, "spec.template.metadata.annotations", json_pack("{s:s}", INJ, "on"));
	th_set(rs, "spec.replicas", json_integer(0));
	expect("OSMD403", OSMDIAG_STATUS_PASS, NULL);
}
END_TEST

START_TEST(values_bad_pod)
{
	osmdiag_report *rep;

	set_ann(th_object(src, "Pod", "bookstore", STORE_POD), INJ, json_string("maybe"));
	rep = expect_status("OSMD403", OSMDIAG_STATUS_FAIL, "deployment/bookstore-v2 in bookstore");
	ck_assert_int_eq(th_count(rep, "OSMD403", OSMDIAG_STATUS_FAIL), 1);
	osmdiag_report_free(rep);
}
END_TEST

/* ---- OSMD404 ---------------------------------------------------------------------- */

START_TEST(sidecar_pass)
{
	expect("OSMD404", OSMDIAG_STATUS_PASS, "have the envoy sidecar");
}
END_TEST

START_TEST(sidecar_missing)
{
	osmdiag_report *rep;

	drop_container(th_object(src, "Pod", "bookstore", STORE_POD), "envoy");
	rep = expect_status("OSMD404", OSMDIAG_STATUS_WARN, "deployment/bookstore-v2 in namespace bookstore");
	th_assert_text(rep, "OSMD404", "kubectl rollout restart deployment/bookstore-v2 -n bookstore");
	ck_assert_int_eq(th_count(rep, "OSMD404", OSMDIAG_STATUS_WARN), 1);
	osmdiag_report_free(rep);
}
END_TEST

START_TEST(sidecar_missing_completed_pod)
{
	json_t *pod = th_object(src, "Pod", "bookstore", STORE_POD);

	drop_container(pod, "envoy");
	th_set(pod, "status.phase", json_string("Succeeded"));
	expect("OSMD404", OSMDIAG_STATUS_PASS, NULL);
}
END_TEST

START_TEST(sidecar_missing_host_network)
{
	json_t *pod = th_object(src, "Pod", "bookstore", STORE_POD);

	drop_container(pod, "envoy");
	th_set(pod, "spec.hostNetwork", json_true());
	expect("OSMD404", OSMDIAG_STATUS_PASS, NULL);
}
END_TEST

START_TEST(sidecar_missing_pod_opt_out)
{
	json_t *pod = th_object(src, "Pod", "bookstore", STORE_POD);

	drop_container(pod, "envoy");
	set_ann(pod, INJ, json_string("Disabled"));
	expect("OSMD404", OSMDIAG_STATUS_PASS, NULL);
}
END_TEST

START_TEST(sidecar_missing_pod_opt_in)
{
	/* namespace not annotated, pod annotated: the pod annotation wins (FACTS 6) */
	json_t *pod = th_object(src, "Pod", "bookthief", THIEF_POD);

	del_ann(ns_obj("bookthief"), INJ);
	drop_container(pod, "envoy");
	set_ann(pod, INJ, json_string("enabled"));
	expect("OSMD404", OSMDIAG_STATUS_WARN, "kubectl rollout restart deployment/bookthief -n bookthief");
}
END_TEST

START_TEST(sidecar_missing_not_injecting)
{
	/* namespace without annotation does not inject: OSMD401's finding, not 404's */
	del_ann(ns_obj("bookthief"), INJ);
	drop_container(th_object(src, "Pod", "bookthief", THIEF_POD), "envoy");
	expect("OSMD404", OSMDIAG_STATUS_PASS, NULL);
}
END_TEST

START_TEST(sidecar_bare_pod)
{
	th_add_json(src, "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"debug\","
		"\"namespace\":\"bookstore\"},\"spec\":{\"containers\":[{\"name\":\"sh\","
		"\"image\":\"busybox\"}]},"
		"\"status\":{\"phase\":\"Running\"}}");
	expect("OSMD404", OSMDIAG_STATUS_WARN, "kubectl get pod debug -n bookstore -o yaml | kubectl replace "
		"--force -f -");
}
END_TEST

START_TEST(sidecar_wrong_type)
{
	th_set(th_object(src, "Pod", "bookstore", STORE_POD), "spec.containers", json_string("envoy"));
	expect("OSMD404", OSMDIAG_STATUS_ERROR, "spec.containers is a string");
}
END_TEST

/* ---- OSMD405 ---------------------------------------------------------------------- */

START_TEST(mismatch_pass)
{
	expect("OSMD405", OSMDIAG_STATUS_PASS, "4 namespace(s) monitored by mesh osm");
}
END_TEST

START_TEST(mismatch_unknown_mesh)
{
	set_label(ns_obj("bookbuyer"), MON, json_string("osm-system"));
	expect("OSMD405", OSMDIAG_STATUS_WARN, "kubectl label namespace bookbuyer " MON "=osm --overwrite");
}
END_TEST

START_TEST(mismatch_ignored)
{
	set_label(ns_obj("bookbuyer"), IGN, json_string("true"));
	expect("OSMD405", OSMDIAG_STATUS_WARN, "kubectl label namespace bookbuyer " IGN "-");
}
END_TEST

START_TEST(mismatch_wrong_type)
{
	set_label(ns_obj("bookbuyer"), MON, json_true());
	expect("OSMD405", OSMDIAG_STATUS_WARN, "is a boolean (true), not a string");
}
END_TEST

/* ---- fixtures ---------------------------------------------------------------------- */

static void assert_ids_clean(const char *fixture)
{
	static const char *const ids[] = { "OSMD401", "OSMD402", "OSMD403", "OSMD404", "OSMD405" };
	osmdiag_report *rep;

	osmdiag_source_free(src);
	src = th_fixture(fixture);
	rep = th_run_all(src);
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		if (th_worst(rep, ids[i]) >= OSMDIAG_STATUS_WARN || th_worst(rep, ids[i]) < 0)
			th_assert_text(rep, ids[i], "\x01");
		ck_assert_int_eq(th_worst(rep, ids[i]), OSMDIAG_STATUS_PASS);
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

START_TEST(broken_fixture)
{
	osmdiag_report *rep;

	osmdiag_source_free(src);
	src = th_fixture(BROKEN);
	rep = th_run_all(src);
	/* #11 bookthief not annotated */
	ck_assert_int_eq(th_worst(rep, "OSMD401"), OSMDIAG_STATUS_WARN);
	th_assert_text(rep, "OSMD401", "namespace bookthief");
	/* #12 bookwarehouse "enable" */
	ck_assert_int_eq(th_worst(rep, "OSMD403"), OSMDIAG_STATUS_FAIL);
	th_assert_text(rep, "OSMD403", "bookwarehouse");
	/* #13 bookstore-v2 without envoy; bookthief does not inject, so no result for it */
	ck_assert_int_eq(th_count(rep, "OSMD404", OSMDIAG_STATUS_WARN), 1);
	th_assert_text(rep, "OSMD404", "kubectl rollout restart deployment/bookstore-v2 -n bookstore");
	ck_assert_int_eq(th_worst(rep, "OSMD402"), OSMDIAG_STATUS_PASS);
	ck_assert_int_eq(th_worst(rep, "OSMD405"), OSMDIAG_STATUS_PASS);
	osmdiag_report_free(rep);
}
END_TEST

static Suite *namespaces_suite(void)
{
	Suite *s = suite_create("checks_namespaces");
	TCase *tc = tcase_create("namespaces");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, onboarding_pass);
	tcase_add_test(tc, onboarding_no_annotation);
	tcase_add_test(tc, onboarding_pod_annotation_suffices);
	tcase_add_test(tc, onboarding_no_label);
	tcase_add_test(tc, onboarding_disabled_is_info);
	tcase_add_test(tc, onboarding_wrong_type);
	tcase_add_test(tc, cp_ns_pass);
	tcase_add_test(tc, cp_ns_labelled);
	tcase_add_test(tc, cp_ns_annotated);
	tcase_add_test(tc, cp_ns_wrong_type);
	tcase_add_test(tc, values_pass);
	tcase_add_test(tc, values_case_insensitive);
	tcase_add_test(tc, values_bad_namespace);
	tcase_add_test(tc, values_bad_namespace_off);
	tcase_add_test(tc, values_wrong_type);
	tcase_add_test(tc, values_bad_template);
	tcase_add_test(tc, values_old_replicaset_ignored);
	tcase_add_test(tc, values_bad_pod);
	tcase_add_test(tc, sidecar_pass);
	tcase_add_test(tc, sidecar_missing);
	tcase_add_test(tc, sidecar_missing_completed_pod);
	tcase_add_test(tc, sidecar_missing_host_network);
	tcase_add_test(tc, sidecar_missing_pod_opt_out);
	tcase_add_test(tc, sidecar_missing_pod_opt_in);
	tcase_add_test(tc, sidecar_missing_not_injecting);
	tcase_add_test(tc, sidecar_bare_pod);
	tcase_add_test(tc, sidecar_wrong_type);
	tcase_add_test(tc, mismatch_pass);
	tcase_add_test(tc, mismatch_unknown_mesh);
	tcase_add_test(tc, mismatch_ignored);
	tcase_add_test(tc, mismatch_wrong_type);
	tcase_add_test(tc, healthy_v10);
	tcase_add_test(tc, healthy_v11);
	tcase_add_test(tc, healthy_v12);
	tcase_add_test(tc, broken_fixture);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return th_main(namespaces_suite());
}
