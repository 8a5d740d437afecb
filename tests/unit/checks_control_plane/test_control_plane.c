/*
 * control-plane checks OSMD101-104, 111-114, 121-124, 131, 132: each one
 * passing on the healthy v1.2 fixture and warning/failing after one mutation,
 * wrong JSON types, and the healthy v1.0/v1.1 fixtures.
 */
#include <string.h>

#include "harness.h"

#define V12 "examples/snapshots/aks-osm-v1.2-healthy"
#define V11 "tests/fixtures/healthy-v1.1"
#define V10 "tests/fixtures/healthy-v1.0"
#define BROKEN "examples/snapshots/aks-osm-v1.2-broken"
#define NS "kube-system"

#define CTRL_POD "osm-controller-7f8f76cb48-2nlf2"
#define CTRL_POD2 "osm-controller-7f8f76cb48-q2wzs"
#define INJ_POD "osm-injector-78b9c59677-5ff7p"
#define INJ_POD2 "osm-injector-78b9c59677-twtc2"
#define BOOT_POD "osm-bootstrap-bc499b769-qhwj6"

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

/* json_t at a dotted path (objects only). */
static json_t *jget(json_t *o, const char *path)
{
	char buf[256];
	char *save = NULL, *tok;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ".", &save); tok && o; tok = strtok_r(NULL, ".", &save))
		o = json_object_get(o, tok);
	ck_assert_msg(o != NULL, "fixture has no %s", path);
	return o;
}

static json_t *jat(json_t *o, const char *path, size_t i)
{
	json_t *a = json_array_get(jget(o, path), i);

	ck_assert_msg(a != NULL, "fixture has no %s[%zu]", path, i);
	return a;
}

/* Runs `id`, checks its worst status and that some result contains `needle`. */
static void expect_status(const char *id, int status, const char *needle)
{
	osmdiag_report *rep = th_run(src, id);

	ck_assert_msg(th_worst(rep, id) == status, "%s: worst %s, expected %s", id,
		      osmdiag_status_name(th_worst(rep, id)), osmdiag_status_name(status));
	if (needle)
		th_assert_text(rep, id, needle);
	osmdiag_report_free(rep);
}

static void set_condition(json_t *pod, const char *type, const char *value)
{
	json_t *conds = jget(pod, "status.conditions");

	for (size_t i = 0; i < json_array_size(conds); i++) {
		json_t *c = json_array_get(conds, i);

		if (strcmp(json_string_value(json_object_get(c, "type")), type) == 0)
			json_object_set_new(c, "status", json_string(value));
	}
}

/* ---- OSMD101 / 111 / 121 ---------------------------------------------------- */

START_TEST(deploy_pass)
{
	expect_status("OSMD101", OSMDIAG_STATUS_PASS, "2/2 replicas available");
	expect_status("OSMD111", OSMDIAG_STATUS_PASS, "2/2 replicas available");
	expect_status("OSMD121", OSMDIAG_STATUS_PASS, "1/1 replicas available");
}
END_TEST

START_TEST(deploy_fewer_warn)
{
	th_set(th_object(src, "Deployment", NS, "osm-controller"), "status.availableReplicas",
	       json_integer(1));
	expect_status("OSMD101", OSMDIAG_STATUS_WARN, "1/2");
	expect_status("OSMD101", OSMDIAG_STATUS_WARN, "kubectl rollout status deployment/osm-controller -n "
		"kube-system");
}
END_TEST

START_TEST(deploy_zero_fail)
{
	th_del(th_object(src, "Deployment", NS, "osm-injector"), "status.availableReplicas");
	expect_status("OSMD111", OSMDIAG_STATUS_FAIL, "0/2");
	expect_status("OSMD111", OSMDIAG_STATUS_FAIL, "kubectl describe deployment osm-injector -n "
		"kube-system");
}
END_TEST

START_TEST(deploy_scaled_to_zero)
{
	th_set(th_object(src, "Deployment", NS, "osm-bootstrap"), "spec.replicas", json_integer(0));
	expect_status("OSMD121", OSMDIAG_STATUS_FAIL, "kubectl scale deployment/osm-bootstrap -n kube-system "
		"--replicas=1");
}
END_TEST

START_TEST(deploy_missing)
{
	th_remove(src, "Deployment", NS, "osm-bootstrap");
	expect_status("OSMD121", OSMDIAG_STATUS_FAIL, "kube-system/osm-bootstrap not found");
}
END_TEST

START_TEST(deploy_wrong_type)
{
	th_set(th_object(src, "Deployment", NS, "osm-controller"), "status.availableReplicas",
	       json_string("2"));
	expect_status("OSMD101", OSMDIAG_STATUS_ERROR, "status.availableReplicas is of type string");
}
END_TEST

/* ---- OSMD102 / 112 / 122 ------------------------------------------------------- */

START_TEST(pods_pass)
{
	expect_status("OSMD102", OSMDIAG_STATUS_PASS, "2/2 pods");
	expect_status("OSMD112", OSMDIAG_STATUS_PASS, "2/2 pods");
	expect_status("OSMD122", OSMDIAG_STATUS_PASS, "1/1 pods");
}
END_TEST

START_TEST(pods_crashloop_fail)
{
	json_t *pod = th_object(src, "Pod", NS, CTRL_POD);
	json_t *cs = jat(pod, "status.containerStatuses", 0);

	json_object_set_new(cs, "state", json_pack("{s:{s:s}}", "waiting", "reason", "CrashLoopBackOff"));
	json_object_set_new(cs, "ready", json_false());
	json_object_set_new(cs, "restartCount", json_integer(17));
	json_object_set_new(cs, "lastState", json_pack("{s:{s:s,s:i}}", "terminated", "reason", "Error",
		"exitCode", 1));
	set_condition(pod, "Ready", "False");
	set_condition(pod, "ContainersReady", "False");
	expect_status("OSMD102", OSMDIAG_STATUS_FAIL, "waiting (CrashLoopBackOff)");
	expect_status("OSMD102", OSMDIAG_STATUS_FAIL,
		"kubectl logs -n kube-system " CTRL_POD " -c osm-controller --previous");
	expect_status("OSMD102", OSMDIAG_STATUS_FAIL, "SMI CRDs");
}
END_TEST

START_TEST(pods_restart_warn)
{
	json_t *cs = jat(th_object(src, "Pod", NS, INJ_POD2), "status.containerStatuses", 0);

	json_object_set_new(cs, "restartCount", json_integer(3));
	expect_status("OSMD112", OSMDIAG_STATUS_WARN, "restarted 3 times");
}
END_TEST

START_TEST(pods_unscheduled_fail)
{
	json_t *pod = th_object(src, "Pod", NS, BOOT_POD);

	th_set(pod, "status.phase", json_string("Pending"));
	set_condition(pod, "PodScheduled", "False");
	expect_status("OSMD122", OSMDIAG_STATUS_FAIL, "PodScheduled");
	expect_status("OSMD122", OSMDIAG_STATUS_FAIL, "kubectl describe pod " BOOT_POD " -n kube-system");
}
END_TEST

START_TEST(pods_none_fail)
{
	th_remove(src, "Pod", NS, INJ_POD);
	th_remove(src, "Pod", NS, INJ_POD2);
	expect_status("OSMD112", OSMDIAG_STATUS_FAIL, "no pod labelled app=osm-injector");
}
END_TEST

START_TEST(pods_wrong_type)
{
	json_t *cs = jat(th_object(src, "Pod", NS, CTRL_POD2), "status.containerStatuses", 0);

	json_object_set_new(cs, "restartCount", json_string("0"));
	expect_status("OSMD102", OSMDIAG_STATUS_ERROR, "status.containerStatuses[0].restartCount is a "
		"string");
}
END_TEST

START_TEST(pods_conditions_wrong_type)
{
	th_set(th_object(src, "Pod", NS, CTRL_POD2), "status.conditions", json_string("Ready"));
	expect_status("OSMD102", OSMDIAG_STATUS_ERROR, "status.conditions is a string, expected an array");
}
END_TEST

/* ---- OSMD103 / 113 / 123 ---------------------------------------------------------- */

START_TEST(svc_pass)
{
	expect_status("OSMD103", OSMDIAG_STATUS_PASS, "15128/TCP,9092/TCP,9091/TCP");
	expect_status("OSMD103", OSMDIAG_STATUS_PASS, "osm-validator ports 9093/TCP");
	expect_status("OSMD113", OSMDIAG_STATUS_PASS, "9090/TCP");
	/* v1.2: the hint names the guide's v1.1-era ports */
	expect_status("OSMD123", OSMDIAG_STATUS_PASS, "9443/TCP,9095/TCP");
}
END_TEST

START_TEST(svc_port_missing_fail)
{
	json_t *ports = jget(th_object(src, "Service", NS, "osm-controller"), "spec.ports");

	json_array_remove(ports, 1); /* 9092 */
	expect_status("OSMD103", OSMDIAG_STATUS_FAIL, "missing 9092/TCP");
	expect_status("OSMD103", OSMDIAG_STATUS_FAIL, "kubectl patch service osm-controller -n kube-system "
		"--type=merge -p '{\"spec\":{\"ports\":[{\"name\":\"ads-port\",\"port\":15128");
}
END_TEST

START_TEST(svc_selector_fail)
{
	th_set(th_object(src, "Service", NS, "osm-validator"), "spec.selector",
	       json_pack("{s:s,s:s}", "app", "osm-validator", "tier", "x"));
	expect_status("OSMD103", OSMDIAG_STATUS_FAIL, "expected app=osm-controller");
	expect_status("OSMD103", OSMDIAG_STATUS_FAIL, "kubectl patch service osm-validator -n kube-system "
		"--type=merge -p '{\"spec\":{\"selector\":{\"app\":\"osm-controller\",\"tier\":null}}}'");
}
END_TEST

START_TEST(svc_injector_port_fail)
{
	json_t *p = jat(th_object(src, "Service", NS, "osm-injector"), "spec.ports", 0);

	json_object_set_new(p, "port", json_integer(443));
	expect_status("OSMD113", OSMDIAG_STATUS_FAIL, "ports 443/TCP (missing 9090/TCP); expected 9090/TCP");
}
END_TEST

START_TEST(svc_bootstrap_guide_ports_fail)
{
	json_t *p = jat(th_object(src, "Service", NS, "osm-bootstrap"), "spec.ports", 1);

	json_object_set_new(p, "port", json_integer(9095));
	json_object_set_new(p, "targetPort", json_integer(9095));
	expect_status("OSMD123", OSMDIAG_STATUS_FAIL, "missing 9091/TCP");
	expect_status("OSMD123", OSMDIAG_STATUS_FAIL, "v1.1-and-older");
}
END_TEST

START_TEST(svc_missing_fail)
{
	th_remove(src, "Service", NS, "osm-validator");
	expect_status("OSMD103", OSMDIAG_STATUS_FAIL, "kubectl set selector --local -f - app=osm-controller");
}
END_TEST

START_TEST(svc_wrong_type)
{
	json_t *p = jat(th_object(src, "Service", NS, "osm-injector"), "spec.ports", 0);

	json_object_set_new(p, "port", json_string("9090"));
	expect_status("OSMD113", OSMDIAG_STATUS_ERROR, "spec.ports[0].port is a string, expected an integer");
}
END_TEST

/* ---- OSMD104 / 114 / 124 ------------------------------------------------------------ */

START_TEST(ep_pass)
{
	expect_status("OSMD104", OSMDIAG_STATUS_PASS, "osm-validator: 2 ready endpoints");
	expect_status("OSMD114", OSMDIAG_STATUS_PASS, "2 ready endpoints");
	expect_status("OSMD124", OSMDIAG_STATUS_PASS, "1 ready endpoint");
}
END_TEST

static void slice_all_ready(const char *slice, json_t *value)
{
	json_t *eps = jget(th_object(src, "EndpointSlice", NS, slice), "endpoints");

	for (size_t i = 0; i < json_array_size(eps); i++) {
		json_t *c = json_object_get(json_array_get(eps, i), "conditions");

		if (value)
			json_object_set(c, "ready", value);
		else
			json_object_del(c, "ready");
	}
	if (value)
		json_decref(value);
}

START_TEST(ep_slice_not_ready_fail)
{
	slice_all_ready("osm-validator-j2xz7", json_false());
	expect_status("OSMD104", OSMDIAG_STATUS_FAIL, "osm-validator has 0 ready endpoints (2 not ready");
	expect_status("OSMD104", OSMDIAG_STATUS_FAIL, "kubectl rollout restart deployment/osm-controller");
}
END_TEST

START_TEST(ep_injector_not_ready_fail)
{
	slice_all_ready("osm-injector-jvt5p", json_false());
	expect_status("OSMD114", OSMDIAG_STATUS_FAIL, "osm-injector has 0 ready endpoints (2 not ready");
	expect_status("OSMD114", OSMDIAG_STATUS_FAIL,
		"kubectl rollout restart deployment/osm-injector -n kube-system");
}
END_TEST

START_TEST(ep_ready_missing_counts_ready)
{
	slice_all_ready("osm-injector-jvt5p", NULL);
	expect_status("OSMD114", OSMDIAG_STATUS_PASS, "2 ready endpoints");
}
END_TEST

START_TEST(ep_legacy_fallback)
{
	th_remove(src, "EndpointSlice", NS, "osm-bootstrap-c7p5r");
	expect_status("OSMD124", OSMDIAG_STATUS_PASS, "(Endpoints)");
	th_del(th_object(src, "Endpoints", NS, "osm-bootstrap"), "subsets");
	expect_status("OSMD124", OSMDIAG_STATUS_FAIL, "0 ready endpoints");
	th_remove(src, "Endpoints", NS, "osm-bootstrap");
	expect_status("OSMD124", OSMDIAG_STATUS_FAIL, "no EndpointSlice and no Endpoints");
}
END_TEST

START_TEST(ep_no_service_skip)
{
	th_remove(src, "Service", NS, "osm-injector");
	expect_status("OSMD114", OSMDIAG_STATUS_SKIP, "not found");
}
END_TEST

START_TEST(ep_wrong_type)
{
	json_t *ep = jat(th_object(src, "EndpointSlice", NS, "osm-controller-vdbhp"), "endpoints", 0);

	json_object_set_new(json_object_get(ep, "conditions"), "ready", json_string("true"));
	expect_status("OSMD104", OSMDIAG_STATUS_ERROR, "endpoints[0].conditions.ready is a string");
}
END_TEST

/* ---- OSMD131 ------------------------------------------------------------------------ */

START_TEST(ver_pass)
{
	expect_status("OSMD131", OSMDIAG_STATUS_PASS, "v1.2.5 on 3 Deployments and 2 webhook configurations");
}
END_TEST

START_TEST(ver_webhook_warn)
{
	json_t *l = jget(th_object(src, "MutatingWebhookConfiguration", NULL, "aks-osm-webhook-osm"),
		"metadata.labels");

	json_object_set_new(l, "app.kubernetes.io/version", json_string("v1.1.3"));
	expect_status("OSMD131", OSMDIAG_STATUS_WARN, "has version v1.1.3; expected v1.2.5");
	expect_status("OSMD131", OSMDIAG_STATUS_WARN, "kubectl rollout restart deployment/osm-injector -n "
		"kube-system");
}
END_TEST

START_TEST(ver_deploy_warn)
{
	json_t *l = jget(th_object(src, "Deployment", NS, "osm-bootstrap"), "metadata.labels");

	json_object_del(l, "app.kubernetes.io/version");
	expect_status("OSMD131", OSMDIAG_STATUS_WARN, "osm-bootstrap has no label app.kubernetes.io/version");
}
END_TEST

START_TEST(ver_wrong_type)
{
	json_t *l = jget(th_object(src, "ValidatingWebhookConfiguration", NULL, "aks-osm-validator-mesh-osm"),
		"metadata.labels");

	json_object_set_new(l, "app.kubernetes.io/version", json_integer(12));
	expect_status("OSMD131", OSMDIAG_STATUS_ERROR, "label app.kubernetes.io/version is an integer");
}
END_TEST

/* ---- OSMD132 ------------------------------------------------------------------------ */

#define SECOND_MESH \
	"{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"osm-controller\"," \
	"\"namespace\":\"osm-system\",\"labels\":{\"app\":\"osm-controller\",\"meshName\":\"edge\"," \
	"\"app.kubernetes.io/version\":\"v1.2.4\"}},\"spec\":{\"replicas\":1},\"status\":{}}"

START_TEST(inv_info)
{
	expect_status("OSMD132", OSMDIAG_STATUS_INFO, "mesh osm in kube-system: version v1.2.5, profile "
		"v1.2");
	expect_status("OSMD132", OSMDIAG_STATUS_INFO, "added namespaces: bookbuyer");
}
END_TEST

START_TEST(inv_unknown_version_info)
{
	json_object_set_new(jget(th_object(src, "Deployment", NS, "osm-controller"), "metadata.labels"),
		"app.kubernetes.io/version", json_string("v9.9.9"));
	expect_status("OSMD132", OSMDIAG_STATUS_INFO, "newest profile v1.2");
}
END_TEST

START_TEST(inv_missing_version_info)
{
	json_object_del(jget(th_object(src, "Deployment", NS, "osm-controller"), "metadata.labels"),
		"app.kubernetes.io/version");
	expect_status("OSMD132", OSMDIAG_STATUS_INFO, "has no label app.kubernetes.io/version");
}
END_TEST

START_TEST(inv_two_meshes_fail)
{
	th_add_json(src, SECOND_MESH);
	expect_status("OSMD132", OSMDIAG_STATUS_FAIL, "enforceSingleMesh=true");
	expect_status("OSMD132", OSMDIAG_STATUS_FAIL, "osm uninstall mesh --mesh-name edge --osm-namespace "
		"osm-system");
}
END_TEST

START_TEST(inv_two_meshes_no_enforce_info)
{
	json_object_del(jget(th_object(src, "Deployment", NS, "osm-controller"), "metadata.labels"),
		"enforceSingleMesh");
	th_add_json(src, SECOND_MESH);
	expect_status("OSMD132", OSMDIAG_STATUS_INFO, "other mesh edge in osm-system");
}
END_TEST

/* ---- whole fixtures ------------------------------------------------------------------- */

static const char *const ids[] = {
	"OSMD101", "OSMD102", "OSMD103", "OSMD104", "OSMD111", "OSMD112", "OSMD113", "OSMD114",
	"OSMD121", "OSMD122", "OSMD123", "OSMD124", "OSMD131", "OSMD132",
};

static void assert_healthy(const char *fixture)
{
	osmdiag_source *s = th_fixture(fixture);
	osmdiag_report *rep = th_run_all(s);

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
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
	assert_healthy(V10);
}
END_TEST

START_TEST(healthy_v11)
{
	assert_healthy(V11);
}
END_TEST

START_TEST(healthy_v12)
{
	assert_healthy(V12);
}
END_TEST

START_TEST(v11_bootstrap_ports)
{
	osmdiag_source *s = th_fixture(V11);
	osmdiag_report *rep = th_run(s, "OSMD123");

	ck_assert_int_eq(th_worst(rep, "OSMD123"), OSMDIAG_STATUS_PASS);
	th_assert_text(rep, "OSMD123", "ports 9443/TCP,9095/TCP");
	osmdiag_report_free(rep);
	osmdiag_source_free(s);
}
END_TEST

START_TEST(broken_fixture)
{
	static const struct { const char *id; int status; } want[] = {
		{ "OSMD101", OSMDIAG_STATUS_WARN }, { "OSMD102", OSMDIAG_STATUS_FAIL },
		{ "OSMD103", OSMDIAG_STATUS_PASS }, { "OSMD104", OSMDIAG_STATUS_PASS },
		{ "OSMD111", OSMDIAG_STATUS_FAIL }, { "OSMD112", OSMDIAG_STATUS_FAIL },
		{ "OSMD113", OSMDIAG_STATUS_PASS }, { "OSMD114", OSMDIAG_STATUS_FAIL },
		{ "OSMD121", OSMDIAG_STATUS_PASS }, { "OSMD122", OSMDIAG_STATUS_PASS },
		{ "OSMD123", OSMDIAG_STATUS_FAIL }, { "OSMD124", OSMDIAG_STATUS_PASS },
		{ "OSMD131", OSMDIAG_STATUS_PASS },
	};
	osmdiag_source *s = th_fixture(BROKEN);
	osmdiag_report *rep = th_run_all(s);

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		ck_assert_msg(th_worst(rep, want[i].id) == want[i].status, "%s on broken: %s, expected %s",
			      want[i].id, osmdiag_status_name(th_worst(rep, want[i].id)),
			      osmdiag_status_name(want[i].status));
	th_assert_text(rep, "OSMD112", "Unschedulable");
	osmdiag_report_free(rep);
	osmdiag_source_free(s);
}
END_TEST

static Suite *control_plane_suite(void)
{
	Suite *s = suite_create("checks_control_plane");
	TCase *t = tcase_create("mutations");
	TCase *f = tcase_create("fixtures");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, deploy_pass);
	tcase_add_test(t, deploy_fewer_warn);
	tcase_add_test(t, deploy_zero_fail);
	tcase_add_test(t, deploy_scaled_to_zero);
	tcase_add_test(t, deploy_missing);
	tcase_add_test(t, deploy_wrong_type);
	tcase_add_test(t, pods_pass);
	tcase_add_test(t, pods_crashloop_fail);
	tcase_add_test(t, pods_restart_warn);
	tcase_add_test(t, pods_unscheduled_fail);
	tcase_add_test(t, pods_none_fail);
	tcase_add_test(t, pods_wrong_type);
	tcase_add_test(t, pods_conditions_wrong_type);
	tcase_add_test(t, svc_pass);
	tcase_add_test(t, svc_port_missing_fail);
	tcase_add_test(t, svc_selector_fail);
	tcase_add_test(t, svc_injector_port_fail);
	tcase_add_test(t, svc_bootstrap_guide_ports_fail);
	tcase_add_test(t, svc_missing_fail);
	tcase_add_test(t, svc_wrong_type);
	tcase_add_test(t, ep_pass);
	tcase_add_test(t, ep_slice_not_ready_fail);
	tcase_add_test(t, ep_injector_not_ready_fail);
	tcase_add_test(t, ep_ready_missing_counts_ready);
	tcase_add_test(t, ep_legacy_fallback);
	tcase_add_test(t, ep_no_service_skip);
	tcase_add_test(t, ep_wrong_type);
	tcase_add_test(t, ver_pass);
	tcase_add_test(t, ver_webhook_warn);
	tcase_add_test(t, ver_deploy_warn);
	tcase_add_test(t, ver_wrong_type);
	tcase_add_test(t, inv_info);
	tcase_add_test(t, inv_unknown_version_info);
	tcase_add_test(t, inv_missing_version_info);
	tcase_add_test(t, inv_two_meshes_fail);
	tcase_add_test(t, inv_two_meshes_no_enforce_info);
	suite_add_tcase(s, t);
	tcase_set_timeout(f, 60);
	tcase_add_test(f, healthy_v10);
	tcase_add_test(f, healthy_v11);
	tcase_add_test(f, healthy_v12);
	tcase_add_test(f, v11_bootstrap_ports);
	tcase_add_test(f, broken_fixture);
	suite_add_tcase(s, f);
	return s;
}

int main(void)
{
	return th_main(control_plane_suite());
}
