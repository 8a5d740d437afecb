/*
 * dataplane checks OSMD701-703 on the healthy fixtures, one mutation each,
 * Windows pods, undetermined images, and wrong JSON types.
 */
#include <string.h>

#include "harness.h"

#define V12 "examples/snapshots/aks-osm-v1.2-healthy"
#define V11 "tests/fixtures/healthy-v1.1"
#define V10 "tests/fixtures/healthy-v1.0"
#define BROKEN "examples/snapshots/aks-osm-v1.2-broken"
#define NS "kube-system"

#define BUYER_NS "bookbuyer"
#define BUYER_POD "bookbuyer-b8vkt9thmt-pn762"
#define STORE_NS "bookstore"
#define STORE_POD1 "bookstore-v1-f7gvsmmnfk-dlt8m"
#define STORE_POD2 "bookstore-v1-f7gvsmmnfk-w9glz"

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

/* The element named `name` of the array at spec.<key> / status.<key> of an object. */
static json_t *named(json_t *obj, const char *parent, const char *key, const char *name)
{
	json_t *arr = json_object_get(json_object_get(obj, parent), key);

	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *c = json_array_get(arr, i);

		if (strcmp(json_string_value(json_object_get(c, "name")), name) == 0)
			return c;
	}
	ck_abort_msg("no %s.%s[name=%s]", parent, key, name);
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

/* Removes env var `name` from the osm-injector Deployment's container. */
static void injector_env_del(const char *name)
{
	json_t *d = th_object(src, "Deployment", NS, "osm-injector");
	json_t *c = json_array_get(json_object_get(json_object_get(json_object_get(json_object_get(d, "spec"),
		"template"), "spec"), "containers"), 0);
	json_t *env = json_object_get(c, "env");

	for (size_t i = 0; i < json_array_size(env); i++)
		if (strcmp(json_string_value(json_object_get(json_array_get(env, i), "name")), name) == 0) {
			json_array_remove(env, i);
			return;
		}
	ck_abort_msg("osm-injector has no env %s", name);
}

/* ---- OSMD701 ------------------------------------------------------------------ */

START_TEST(envoy_pass)
{
	expect_status("OSMD701", OSMDIAG_STATUS_PASS,
		"6 injected pods run envoy mcr.microsoft.com/oss/envoyproxy/envoy-distroless:v1.22.2 "
		"(osm-injector env OSM_DEFAULT_ENVOY_IMAGE)");
}
END_TEST

START_TEST(envoy_old_image_warn)
{
	json_t *pod = th_object(src, "Pod", BUYER_NS, BUYER_POD);

	json_object_set_new(named(pod, "spec", "containers", "envoy"), "image",
		json_string("mcr.microsoft.com/oss/envoyproxy/envoy:v1.19.1"));
	expect_status("OSMD701", OSMDIAG_STATUS_WARN, "deployment bookbuyer/bookbuyer: 1/1 injected pods run "
		"envoy mcr.microsoft.com/oss/envoyproxy/envoy:v1.19.1; expected "
		"mcr.microsoft.com/oss/envoyproxy/envoy-distroless:v1.22.2");
	expect_status("OSMD701", OSMDIAG_STATUS_WARN, "kubectl rollout restart deployment/bookbuyer -n "
		"bookbuyer");
}
END_TEST

START_TEST(envoy_grouped_per_workload)
{
	osmdiag_report *rep;

	json_object_set_new(named(th_object(src, "Pod", STORE_NS, STORE_POD1), "spec", "containers", "envoy"),
		"image", json_string("envoy:old"));
	json_object_set_new(named(th_object(src, "Pod", STORE_NS, STORE_POD2), "spec", "containers", "envoy"),
		"image", json_string("envoy:old"));
	rep = th_run(src, "OSMD701");
	ck_assert_int_eq(th_count(rep, "OSMD701", OSMDIAG_STATUS_WARN), 1);
	th_assert_text(rep, "OSMD701", "deployment bookstore/bookstore-v1: 2/2 injected pods");
	osmdiag_report_free(rep);
}
END_TEST

START_TEST(envoy_meshconfig_wins)
{
	th_set(th_object(src, "MeshConfig", NS, "osm-mesh-config"), "spec.sidecar.envoyImage",
	       json_string("mcr.microsoft.com/oss/envoyproxy/envoy-distroless:v1.22.9"));
	expect_status("OSMD701", OSMDIAG_STATUS_WARN, "(MeshConfig spec.sidecar.envoyImage)");
}
END_TEST

START_TEST(envoy_bare_pod_warn)
{
	json_t *pod = th_object(src, "Pod", BUYER_NS, BUYER_POD);

	th_del(pod, "metadata.ownerReferences");
	json_object_set_new(named(pod, "spec", "containers", "envoy"), "image", json_string("envoy:old"));
	expect_status("OSMD701", OSMDIAG_STATUS_WARN, "kubectl delete pod " BUYER_POD " -n bookbuyer");
}
END_TEST

START_TEST(envoy_windows_pod)
{
	json_t *pod = th_object(src, "Pod", BUYER_NS, BUYER_POD);

	th_set(pod, "spec.nodeSelector", json_pack("{s:s}", "kubernetes.io/os", "windows"));
	/* the Linux image on a Windows pod is wrong */
	expect_status("OSMD701", OSMDIAG_STATUS_WARN, "expected "
		"mcr.microsoft.com/oss/envoyproxy/envoy-windows:v1.22.1");
	json_object_set_new(named(pod, "spec", "containers", "envoy"), "image",
		json_string("mcr.microsoft.com/oss/envoyproxy/envoy-windows:v1.22.1"));
	expect_status("OSMD701", OSMDIAG_STATUS_PASS, "1 Windows pods");
	/* Windows pods have no osm-init */
	th_del(pod, "spec.initContainers");
	expect_status("OSMD702", OSMDIAG_STATUS_PASS, NULL);
}
END_TEST

START_TEST(envoy_undetermined_skip)
{
	injector_env_del("OSM_DEFAULT_ENVOY_IMAGE");
	expect_status("OSMD701", OSMDIAG_STATUS_SKIP, "see OSMD305");
}
END_TEST

START_TEST(no_injected_pods_pass)
{
	static const char *const pods[][2] = {
		{ "bookbuyer", BUYER_POD }, { "bookstore", STORE_POD1 }, { "bookstore", STORE_POD2 },
		{ "bookstore", "bookstore-v2-bt4dnpw4f-ksk5z" },
		{ "bookthief", "bookthief-9w84s8sgkp-tw57j" },
		{ "bookwarehouse", "bookwarehouse-fwx6g4dtn-9dlqg" },
	};

	for (size_t i = 0; i < 6; i++)
		th_remove(src, "Pod", pods[i][0], pods[i][1]);
	expect_status("OSMD701", OSMDIAG_STATUS_PASS, "no injected pods");
	expect_status("OSMD702", OSMDIAG_STATUS_PASS, "no injected pods");
	expect_status("OSMD703", OSMDIAG_STATUS_PASS, "no injected pods");
}
END_TEST

START_TEST(envoy_meshconfig_wrong_type)
{
	th_set(th_object(src, "MeshConfig", NS, "osm-mesh-config"), "spec.sidecar.envoyImage",
	       json_integer(5));
	expect_status("OSMD701", OSMDIAG_STATUS_ERROR, "spec.sidecar.envoyImage is an integer, expected a "
		"string");
}
END_TEST

START_TEST(envoy_pod_image_wrong_type)
{
	json_object_set_new(named(th_object(src, "Pod", BUYER_NS, BUYER_POD), "spec", "containers", "envoy"),
		"image", json_integer(1));
	expect_status("OSMD701", OSMDIAG_STATUS_ERROR, "spec.containers[1].image is an integer");
}
END_TEST

/* ---- OSMD702 ------------------------------------------------------------------ */

START_TEST(init_pass)
{
	expect_status("OSMD702", OSMDIAG_STATUS_PASS, "6 injected pods run osm-init "
		"mcr.microsoft.com/oss/openservicemesh/init:v1.2.5");
}
END_TEST

START_TEST(init_old_image_warn)
{
	json_object_set_new(named(th_object(src, "Pod", STORE_NS, STORE_POD1), "spec", "initContainers",
		"osm-init"), "image", json_string("mcr.microsoft.com/oss/openservicemesh/init:v1.1.3"));
	expect_status("OSMD702", OSMDIAG_STATUS_WARN, "deployment bookstore/bookstore-v1: 1/2 injected pods "
		"run osm-init mcr.microsoft.com/oss/openservicemesh/init:v1.1.3");
	expect_status("OSMD702", OSMDIAG_STATUS_WARN, "kubectl rollout restart deployment/bookstore-v1 -n "
		"bookstore");
}
END_TEST

START_TEST(init_missing_warn)
{
	th_del(th_object(src, "Pod", BUYER_NS, BUYER_POD), "spec.initContainers");
	expect_status("OSMD702", OSMDIAG_STATUS_WARN, "no container (missing)");
}
END_TEST

START_TEST(init_meshconfig_wrong_type)
{
	th_set(th_object(src, "MeshConfig", NS, "osm-mesh-config"), "spec.sidecar.initContainerImage",
	       json_pack("[s]", "init"));
	expect_status("OSMD702", OSMDIAG_STATUS_ERROR, "spec.sidecar.initContainerImage is an array");
}
END_TEST

/* ---- OSMD703 ------------------------------------------------------------------ */

START_TEST(sidecar_pass)
{
	expect_status("OSMD703", OSMDIAG_STATUS_PASS, "6/6 envoy sidecars");
}
END_TEST

START_TEST(sidecar_not_ready_warn)
{
	json_t *cs = named(th_object(src, "Pod", BUYER_NS, BUYER_POD), "status", "containerStatuses",
		"envoy");

	json_object_set_new(cs, "ready", json_false());
	expect_status("OSMD703", OSMDIAG_STATUS_WARN, "Pod bookbuyer/" BUYER_POD ": envoy not ready");
	expect_status("OSMD703", OSMDIAG_STATUS_WARN, "kubectl logs " BUYER_POD " -n bookbuyer -c envoy");
}
END_TEST

START_TEST(sidecar_crashloop_warn)
{
	json_t *cs = named(th_object(src, "Pod", STORE_NS, STORE_POD2), "status", "containerStatuses",
		"envoy");

	json_object_set_new(cs, "ready", json_false());
	json_object_set_new(cs, "restartCount", json_integer(4));
	json_object_set_new(cs, "state", json_pack("{s:{s:s}}", "waiting", "reason", "CrashLoopBackOff"));
	json_object_set_new(cs, "lastState", json_pack("{s:{s:s,s:i}}", "terminated", "reason", "OOMKilled",
		"exitCode", 137));
	expect_status("OSMD703", OSMDIAG_STATUS_WARN, "envoy waiting (CrashLoopBackOff), envoy restarted 4 "
		"times (last: OOMKilled, exit code 137)");
	expect_status("OSMD703", OSMDIAG_STATUS_WARN, "kubectl logs " STORE_POD2 " -n bookstore -c envoy "
		"--previous");
	expect_status("OSMD703", OSMDIAG_STATUS_WARN, "spec.sidecar.resources.limits.memory");
}
END_TEST

START_TEST(sidecar_wrong_type)
{
	json_t *cs = named(th_object(src, "Pod", BUYER_NS, BUYER_POD), "status", "containerStatuses",
		"envoy");

	json_object_set_new(cs, "ready", json_string("yes"));
	expect_status("OSMD703", OSMDIAG_STATUS_ERROR, ".ready is a string, expected a boolean");
}
END_TEST

/* ---- fixtures ------------------------------------------------------------------ */

static void assert_clean(const char *fixture)
{
	static const char *const ids[] = { "OSMD701", "OSMD702", "OSMD703" };
	osmdiag_source *s = th_fixture(fixture);
	osmdiag_report *rep = th_run_all(s);

	for (size_t i = 0; i < 3; i++) {
		int w = th_worst(rep, ids[i]);

		ck_assert_msg(w >= OSMDIAG_STATUS_PASS && w <= OSMDIAG_STATUS_INFO, "%s on %s: %s "
			"(%s)", ids[i],
			      fixture, osmdiag_status_name(w),
			      th_result(rep, ids[i]) ? osmdiag_result_message(th_result(rep, ids[i])) : "no "
			      	"result");
	}
	osmdiag_report_free(rep);
	osmdiag_source_free(s);
}

START_TEST(healthy_v10)
{
	assert_clean(V10);
}
END_TEST

START_TEST(healthy_v11)
{
	assert_clean(V11);
}
END_TEST

START_TEST(healthy_v12)
{
	assert_clean(V12);
}
END_TEST

START_TEST(broken_fixture)
{
	osmdiag_source *s = th_fixture(BROKEN);
	osmdiag_report *rep = th_run_all(s);

	ck_assert_int_eq(th_worst(rep, "OSMD701"), OSMDIAG_STATUS_WARN);
	ck_assert_int_eq(th_count(rep, "OSMD701", OSMDIAG_STATUS_WARN), 1);
	th_assert_text(rep, "OSMD701", "kubectl rollout restart deployment/bookbuyer -n bookbuyer");
	ck_assert_int_eq(th_worst(rep, "OSMD702"), OSMDIAG_STATUS_PASS);
	ck_assert_int_eq(th_worst(rep, "OSMD703"), OSMDIAG_STATUS_PASS);
	osmdiag_report_free(rep);
	osmdiag_source_free(s);
}
END_TEST

static Suite *dataplane_suite(void)
{
	Suite *s = suite_create("checks_dataplane");
	TCase *t = tcase_create("mutations");
	TCase *f = tcase_create("fixtures");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, envoy_pass);
	tcase_add_test(t, envoy_old_image_warn);
	tcase_add_test(t, envoy_grouped_per_workload);
	tcase_add_test(t, envoy_meshconfig_wins);
	tcase_add_test(t, envoy_bare_pod_warn);
	tcase_add_test(t, envoy_windows_pod);
	tcase_add_test(t, envoy_undetermined_skip);
	tcase_add_test(t, no_injected_pods_pass);
	tcase_add_test(t, envoy_meshconfig_wrong_type);
	tcase_add_test(t, envoy_pod_image_wrong_type);
	tcase_add_test(t, init_pass);
	tcase_add_test(t, init_old_image_warn);
	tcase_add_test(t, init_missing_warn);
	tcase_add_test(t, init_meshconfig_wrong_type);
	tcase_add_test(t, sidecar_pass);
	tcase_add_test(t, sidecar_not_ready_warn);
	tcase_add_test(t, sidecar_crashloop_warn);
	tcase_add_test(t, sidecar_wrong_type);
	suite_add_tcase(s, t);
	tcase_set_timeout(f, 60);
	tcase_add_test(f, healthy_v10);
	tcase_add_test(f, healthy_v11);
	tcase_add_test(f, healthy_v12);
	tcase_add_test(f, broken_fixture);
	suite_add_tcase(s, f);
	return s;
}

int main(void)
{
	return th_main(dataplane_suite());
}
