/*
 * Checks OSMD201-204, 211-214, 221 (lib/checks/webhooks.c): each passes on the
 * healthy fixtures and warns/fails when one thing is changed. Also the runner's
 * main() for the whole checks_webhooks area.
 */
#include <check.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define V12 "examples/snapshots/aks-osm-v1.2-healthy"
#define V12_BROKEN "examples/snapshots/aks-osm-v1.2-broken"
#define V10 "tests/fixtures/healthy-v1.0"
#define V11 "tests/fixtures/healthy-v1.1"
#define VWHC "ValidatingWebhookConfiguration"
#define MWHC "MutatingWebhookConfiguration"
#define VWHC_NAME "aks-osm-validator-mesh-osm"
#define MWHC_NAME "aks-osm-webhook-osm"
#define NS "kube-system"

char *tw_cert_b64(time_t not_before, time_t not_after, const char *cn, int is_ca);
char *tw_cert_pem(time_t not_before, time_t not_after, const char *cn, int is_ca);
char *tw_b64(const char *data, size_t len, int wrap);
time_t tw_time(int y, int mo, int d);
void add_cert_model_tests(Suite *s);
void add_certificate_tests(Suite *s);

static const char *const MY_IDS[] = {
	"OSMD201", "OSMD202", "OSMD203", "OSMD204", "OSMD211", "OSMD212", "OSMD213", "OSMD214", "OSMD221",
};
#define NIDS (sizeof(MY_IDS) / sizeof(MY_IDS[0]))

static void setup(void)
{
	th_now = tw_time(2026, 11, 1);
}

static json_t *wh0(json_t *cfg)
{
	json_t *w = json_array_get(json_object_get(cfg, "webhooks"), 0);

	ck_assert(w != NULL);
	return w;
}

static json_t *vw(osmdiag_source *src)
{
	return wh0(th_object(src, VWHC, NULL, VWHC_NAME));
}

static json_t *mw(osmdiag_source *src)
{
	return wh0(th_object(src, MWHC, NULL, MWHC_NAME));
}

/* Adds a copy of an object under another name (and optionally removes the original). */
static void copy_as(osmdiag_source *src, const char *kind, const char *name, const char *new_name, int remove)
{
	json_t *copy = json_deep_copy(th_object(src, kind, NULL, name));
	char *text;

	th_set(copy, "metadata.name", json_string(new_name));
	text = json_dumps(copy, 0);
	json_decref(copy);
	if (remove)
		th_remove(src, kind, NULL, name);
	th_add_json(src, text);
	free(text);
}

static void expect(osmdiag_source *src, const char *id, int status, const char *needle)
{
	osmdiag_report *rep = th_run(src, id);

	ck_assert_msg(th_worst(rep, id) == status, "%s: worst %s, expected %s", id,
		osmdiag_status_name(th_worst(rep, id)), osmdiag_status_name(status));
	if (needle)
		th_assert_text(rep, id, needle);
	osmdiag_report_free(rep);
}

/* ---- healthy fixtures --------------------------------------------------------------- */

static void clean_for(const char *fixture, const char *id)
{
	osmdiag_source *src = th_fixture(fixture);
	osmdiag_report *rep = th_run(src, id);

	ck_assert_msg(th_worst(rep, id) == OSMDIAG_STATUS_PASS, "%s on %s: %s (%s)", id, fixture,
		osmdiag_status_name(th_worst(rep, id)), osmdiag_result_message(th_result(rep, id)));
	ck_assert_int_ge(th_count(rep, id, OSMDIAG_STATUS_PASS), 1);
	osmdiag_report_free(rep);
	osmdiag_source_free(src);
}

START_TEST(healthy_v12_pass)
{
	clean_for(V12, MY_IDS[_i]);
}
END_TEST

START_TEST(healthy_v11_pass)
{
	clean_for(V11, MY_IDS[_i]);
}
END_TEST

START_TEST(healthy_v10_pass)
{
	clean_for(V10, MY_IDS[_i]);
}
END_TEST

START_TEST(healthy_pass_messages)
{
	osmdiag_source *src = th_fixture(V12);
	osmdiag_report *rep = th_run_all(src);

	th_assert_text(rep, "OSMD201", "ValidatingWebhookConfiguration aks-osm-validator-mesh-osm present");
	th_assert_text(rep, "OSMD211", "MutatingWebhookConfiguration aks-osm-webhook-osm present");
	th_assert_text(rep, "OSMD202", "kube-system/osm-validator:9093/validate");
	th_assert_text(rep, "OSMD212", "kube-system/osm-injector:9090/mutate-pod-creation");
	th_assert_text(rep, "OSMD203", "equals Secret kube-system/osm-ca-bundle ca.crt");
	th_assert_text(rep, "OSMD213", "CN=osm-ca.openservicemesh.io");
	th_assert_text(rep, "OSMD204", "failurePolicy Fail");
	th_assert_text(rep, "OSMD221", "serves no CRD conversion webhook");
	osmdiag_report_free(rep);
	osmdiag_source_free(src);
	src = th_fixture(V10);
	rep = th_run(src, "OSMD221");
	th_assert_text(rep, "OSMD221", "osm-bootstrap:9443");
	osmdiag_report_free(rep);
	rep = th_run(src, "OSMD213");
	th_assert_text(rep, "OSMD213", "mutating-webhook-cert-secret");
	osmdiag_report_free(rep);
	osmdiag_source_free(src);
}
END_TEST

START_TEST(broken_example)
{
	osmdiag_source *src = th_fixture(V12_BROKEN);
	osmdiag_report *rep = th_run_all(src);

	ck_assert_int_eq(th_worst(rep, "OSMD202"), OSMDIAG_STATUS_FAIL);
	th_assert_text(rep, "OSMD202", "osm-config-validator");
	th_assert_text(rep, "OSMD202", "v0.8");
	ck_assert_int_eq(th_worst(rep, "OSMD213"), OSMDIAG_STATUS_FAIL);
	th_assert_text(rep, "OSMD213", "does not match Secret kube-system/osm-ca-bundle ca.crt");
	ck_assert_int_eq(th_worst(rep, "OSMD201"), OSMDIAG_STATUS_PASS);
	ck_assert_int_eq(th_worst(rep, "OSMD203"), OSMDIAG_STATUS_PASS);
	ck_assert_int_eq(th_worst(rep, "OSMD204"), OSMDIAG_STATUS_PASS);
	ck_assert_int_eq(th_worst(rep, "OSMD211"), OSMDIAG_STATUS_PASS);
	ck_assert_int_eq(th_worst(rep, "OSMD212"), OSMDIAG_STATUS_PASS);
	ck_assert_int_eq(th_worst(rep, "OSMD214"), OSMDIAG_STATUS_PASS);
	ck_assert_int_eq(th_worst(rep, "OSMD221"), OSMDIAG_STATUS_PASS);
	osmdiag_report_free(rep);
	osmdiag_source_free(src);
}
END_TEST

/* ---- OSMD201 / OSMD211 ---------------------------------------------------------------- */

START_TEST(t201_missing)
{
	osmdiag_source *src = th_fixture(V12);

	th_remove(src, VWHC, NULL, VWHC_NAME);
	expect(src, "OSMD201", OSMDIAG_STATUS_FAIL, "no ValidatingWebhookConfiguration labelled "
		"app=osm-controller");
	expect(src, "OSMD201", OSMDIAG_STATUS_FAIL, "kubectl rollout restart deployment/osm-controller -n "
		"kube-system");
	/* dependants skip */
	expect(src, "OSMD202", OSMDIAG_STATUS_SKIP, NULL);
	expect(src, "OSMD203", OSMDIAG_STATUS_SKIP, NULL);
	expect(src, "OSMD204", OSMDIAG_STATUS_SKIP, NULL);
	osmdiag_source_free(src);
}
END_TEST

START_TEST(t201_other_mesh_only)
{
	osmdiag_source *src = th_fixture(V12);

	json_object_set_new(json_object_get(json_object_get(th_object(src, VWHC, NULL, VWHC_NAME),
		"metadata"),
		"labels"), "app.kubernetes.io/instance", json_string("other"));
	expect(src, "OSMD201", OSMDIAG_STATUS_FAIL, "configurations of other meshes exist");
	osmdiag_source_free(src);
}
END_TEST

START_TEST(t201_second)
{
	osmdiag_source *src = th_fixture(V12);

	copy_as(src, VWHC, VWHC_NAME, "osm-validator-mesh-osm", 0);
	expect(src, "OSMD201", OSMDIAG_STATUS_WARN, "kubectl delete validatingwebhookconfiguration "
		"osm-validator-mesh-osm");
	osmdiag_source_free(src);
}
END_TEST

START_TEST(t201_stale_name)
{
	osmdiag_source *src = th_fixture(V12);

	copy_as(src, VWHC, VWHC_NAME, "osm-validator-mesh-osm", 1);
	expect(src, "OSMD201", OSMDIAG_STATUS_FAIL, "aks-osm-validator-mesh-osm is missing");
	expect(src, "OSMD201", OSMDIAG_STATUS_FAIL,
		"kubectl delete validatingwebhookconfiguration osm-validator-mesh-osm && kubectl rollout "
		"restart deployment/osm-controller -n kube-system");
	osmdiag_source_free(src);
}
END_TEST

START_TEST(t211_missing)
{
	osmdiag_source *src = th_fixture(V12);

	th_remove(src, MWHC, NULL, MWHC_NAME);
	expect(src, "OSMD211", OSMDIAG_STATUS_FAIL, "no pod gets an Envoy sidecar");
	expect(src, "OSMD211", OSMDIAG_STATUS_FAIL, "kubectl rollout restart deployment/osm-injector -n "
		"kube-system");
	expect(src, "OSMD212", OSMDIAG_STATUS_SKIP, NULL);
	expect(src, "OSMD213", OSMDIAG_STATUS_SKIP, NULL);
	expect(src, "OSMD214", OSMDIAG_STATUS_SKIP, NULL);
	osmdiag_source_free(src);
}
END_TEST

START_TEST(t211_second)
{
	osmdiag_source *src = th_fixture(V12);

	copy_as(src, MWHC, MWHC_NAME, "osm-webhook-osm", 0);
	expect(src, "OSMD211", OSMDIAG_STATUS_WARN, "kubectl delete mutatingwebhookconfiguration "
		"osm-webhook-osm");
	/* the leftover is still checked by the dependants */
	expect(src, "OSMD212", OSMDIAG_STATUS_PASS, "osm-webhook-osm");
	osmdiag_source_free(src);
}
END_TEST

/* ---- OSMD202 / OSMD212 ---------------------------------------------------------------- */

START_TEST(t202_guide_object)
{
	osmdiag_source *src = th_fixture(V12);
	json_t *w = vw(src);

	th_set(w, "clientConfig.service.name", json_string("osm-config-validator"));
	th_set(w, "clientConfig.service.path", json_string("/validate-webhook"));
	expect(src, "OSMD202", OSMDIAG_STATUS_FAIL,
		"calls service kube-system/osm-config-validator:9093/validate-webhook; expected "
		"kube-system/osm-validator:9093/validate");
	expect(src, "OSMD202", OSMDIAG_STATUS_FAIL, "OSM v0.8 ConfigMap validator");
	osmdiag_source_free(src);
}
END_TEST

START_TEST(t202_port_default)
{
	osmdiag_source *src = th_fixture(V12);

	th_del(vw(src), "clientConfig.service.port");
	expect(src, "OSMD202", OSMDIAG_STATUS_FAIL, "osm-validator:443/validate");
	osmdiag_source_free(src);
}
END_TEST

START_TEST(t202_url)
{
	osmdiag_source *src = th_fixture(V12);
	json_t *w = vw(src);

	th_del(w, "clientConfig.service");
	th_set(w, "clientConfig.url", json_string("https://10.0.0.1:9093/validate"));
	expect(src, "OSMD202", OSMDIAG_STATUS_FAIL, "calls url https://10.0.0.1:9093/validate");
	osmdiag_source_free(src);
}
END_TEST

START_TEST(t202_wrong_types)
{
	osmdiag_source *src = th_fixture(V12);

	th_set(vw(src), "clientConfig.service.port", json_string("9093"));
	expect(src, "OSMD202", OSMDIAG_STATUS_FAIL, "clientConfig.service.port is a string, expected an "
		"integer");
	th_set(vw(src), "clientConfig.service", json_string("osm-validator"));
	expect(src, "OSMD202", OSMDIAG_STATUS_FAIL, "clientConfig.service is a string, expected an object");
	th_set(vw(src), "clientConfig", json_integer(1));
	expect(src, "OSMD202", OSMDIAG_STATUS_FAIL, "clientConfig is an integer, expected an object");
	th_set(th_object(src, VWHC, NULL, VWHC_NAME), "webhooks", json_object());
	expect(src, "OSMD202", OSMDIAG_STATUS_FAIL, "webhooks is an object, expected an array");
	th_set(th_object(src, VWHC, NULL, VWHC_NAME), "webhooks", json_array());
	expect(src, "OSMD202", OSMDIAG_STATUS_FAIL, "has no webhooks");
	osmdiag_source_free(src);
}
END_TEST

START_TEST(t202_service_missing)
{
	osmdiag_source *src = th_fixture(V12);

	th_remove(src, "Service", NS, "osm-validator");
	expect(src, "OSMD202", OSMDIAG_STATUS_FAIL, "Service kube-system/osm-validator (called by the "
		"validating webhook) not found");
	osmdiag_source_free(src);
}
END_TEST

START_TEST(t202_service_port)
{
	osmdiag_source *src = th_fixture(V12);
	json_t *svc = th_object(src, "Service", NS, "osm-validator");

	json_object_set_new(json_array_get(json_object_get(json_object_get(svc, "spec"), "ports"), 0), "port",
		json_integer(443));
	expect(src, "OSMD202", OSMDIAG_STATUS_FAIL, "exposes ports 443, expected 9093");
	json_object_set_new(json_array_get(json_object_get(json_object_get(svc, "spec"), "ports"), 0), "port",
		json_string("9093"));
	expect(src, "OSMD202", OSMDIAG_STATUS_FAIL, "spec.ports[0].port is a string");
	osmdiag_source_free(src);
}
END_TEST

START_TEST(t212_path)
{
	osmdiag_source *src = th_fixture(V12);

	th_set(mw(src), "clientConfig.service.path", json_string("/mutate"));
	expect(src, "OSMD212", OSMDIAG_STATUS_FAIL, "expected "
		"kube-system/osm-injector:9090/mutate-pod-creation");
	expect(src, "OSMD212", OSMDIAG_STATUS_FAIL, "kubectl rollout restart deployment/osm-injector -n "
		"kube-system");
	osmdiag_source_free(src);
}
END_TEST

START_TEST(t212_namespace)
{
	osmdiag_source *src = th_fixture(V12);

	th_set(mw(src), "clientConfig.service.namespace", json_string("osm-system"));
	expect(src, "OSMD212", OSMDIAG_STATUS_FAIL, "calls service osm-system/osm-injector:9090");
	th_set(mw(src), "clientConfig.service.namespace", json_true());
	expect(src, "OSMD212", OSMDIAG_STATUS_FAIL, "clientConfig.service.namespace is a boolean");
	osmdiag_source_free(src);
}
END_TEST

/* ---- OSMD203 / OSMD213 ------------------------------------------------------------------ */

START_TEST(t203_empty)
{
	osmdiag_source *src = th_fixture(V12);

	th_del(vw(src), "clientConfig.caBundle");
	expect(src, "OSMD203", OSMDIAG_STATUS_FAIL, "caBundle is empty");
	th_set(vw(src), "clientConfig.caBundle", json_string(""));
	expect(src, "OSMD203", OSMDIAG_STATUS_FAIL, "caBundle is empty");
	osmdiag_source_free(src);
}
END_TEST

START_TEST(t203_wrong_type_and_garbage)
{
	osmdiag_source *src = th_fixture(V12);

	th_set(vw(src), "clientConfig.caBundle", json_integer(42));
	expect(src, "OSMD203", OSMDIAG_STATUS_FAIL, "caBundle is an integer, expected a base64 string");
	th_set(vw(src), "clientConfig.caBundle", json_string("aGVsbG8="));
	expect(src, "OSMD203", OSMDIAG_STATUS_FAIL, "caBundle does not parse: not PEM");
	th_set(vw(src), "clientConfig.caBundle", json_string("-----BEGIN CERTIFICATE-----"));
	expect(src, "OSMD203", OSMDIAG_STATUS_FAIL, "it must be base64-encoded");
	osmdiag_source_free(src);
}
END_TEST

START_TEST(t203_mismatch)
{
	osmdiag_source *src = th_fixture(V12);
	char *other = tw_cert_b64(tw_time(2026, 10, 1), tw_time(2036, 10, 1), "osm-ca.openservicemesh.io", 1);

	th_set(vw(src), "clientConfig.caBundle", json_string(other));
	expect(src, "OSMD203", OSMDIAG_STATUS_FAIL, "does not match Secret kube-system/osm-ca-bundle ca.crt");
	expect(src, "OSMD203", OSMDIAG_STATUS_FAIL, "sha256:");
	expect(src, "OSMD203", OSMDIAG_STATUS_FAIL, "kubectl rollout restart deployment/osm-controller -n "
		"kube-system");
	free(other);
	osmdiag_source_free(src);
}
END_TEST

/* The root CA about to expire: the secret and both webhooks carry it. */
static void install_root(osmdiag_source *src, const char *b64)
{
	json_object_set_new(json_object_get(th_object(src, "Secret", NS, "osm-ca-bundle"), "data"), "ca.crt",
		json_string(b64));
	th_set(vw(src), "clientConfig.caBundle", json_string(b64));
	th_set(mw(src), "clientConfig.caBundle", json_string(b64));
}

START_TEST(t203_expiring)
{
	osmdiag_source *src = th_fixture(V12);
	char *soon = tw_cert_b64(th_now - 86400 * 3650LL, th_now + 10 * 86400 + 60,
		"osm-ca.openservicemesh.io", 1);

	install_root(src, soon);
	expect(src, "OSMD203", OSMDIAG_STATUS_WARN, "expires in 10 days (2026-11-11T00:01:00Z)");
	expect(src, "OSMD213", OSMDIAG_STATUS_WARN, "expires in 10 days");
	free(soon);
	osmdiag_source_free(src);
}
END_TEST

START_TEST(t203_expired)
{
	osmdiag_source *src = th_fixture(V12);
	char *old = tw_cert_b64(th_now - 86400 * 3650LL, th_now - 2 * 86400, "osm-ca.openservicemesh.io", 1);

	install_root(src, old);
	expect(src, "OSMD203", OSMDIAG_STATUS_FAIL, "expired 2 days ago");
	free(old);
	osmdiag_source_free(src);
}
END_TEST

START_TEST(t203_v12_rotation_superset)
{
	/* v1.2 VWHC: GetTrustedCAs() may hold the old root next to the current one. */
	osmdiag_source *src = th_fixture(V12);
	char *p1 = tw_cert_pem(th_now - 86400, th_now + 3650 * 86400LL, "osm-ca.openservicemesh.io", 1);
	char *p2 = tw_cert_pem(tw_time(2016, 1, 1), tw_time(2027, 1, 1), "old-root", 1);
	size_t l1 = strlen(p1), l2 = strlen(p2);
	char *both = malloc(l1 + l2 + 1), *root, *b;

	memcpy(both, p1, l1);
	memcpy(both + l1, p2, l2 + 1);
	root = tw_b64(p1, l1, 0);
	b = tw_b64(both, l1 + l2, 0);
	install_root(src, root);
	th_set(vw(src), "clientConfig.caBundle", json_string(b));
	expect(src, "OSMD203", OSMDIAG_STATUS_PASS, "2 certificates");
	/* the mutating webhook must equal the root exactly */
	th_set(mw(src), "clientConfig.caBundle", json_string(b));
	expect(src, "OSMD213", OSMDIAG_STATUS_FAIL, "does not match");
	free(p1);
	free(p2);
	free(both);
	free(root);
	free(b);
	osmdiag_source_free(src);
}
END_TEST

START_TEST(t213_secret_missing_not_compared)
{
	osmdiag_source *src = th_fixture(V12);

	th_remove(src, "Secret", NS, "osm-ca-bundle");
	expect(src, "OSMD213", OSMDIAG_STATUS_PASS, "not compared: Secret kube-system/osm-ca-bundle not "
		"found");
	osmdiag_source_free(src);
}
END_TEST

START_TEST(t213_mismatch)
{
	osmdiag_source *src = th_fixture(V12);
	char *other = tw_cert_b64(tw_time(2026, 10, 1), tw_time(2036, 10, 1), "osm-ca.openservicemesh.io", 1);

	th_set(mw(src), "clientConfig.caBundle", json_string(other));
	expect(src, "OSMD213", OSMDIAG_STATUS_FAIL, "does not match Secret kube-system/osm-ca-bundle ca.crt");
	expect(src, "OSMD213", OSMDIAG_STATUS_FAIL, "kubectl rollout restart deployment/osm-injector -n "
		"kube-system");
	free(other);
	osmdiag_source_free(src);
}
END_TEST

START_TEST(t213_v10_webhook_secret)
{
	osmdiag_source *src = th_fixture(V10);
	char *other = tw_cert_b64(tw_time(2022, 1, 1), tw_time(2032, 1, 1), "osm-injector.kube-system.svc",
		0);

	th_set(mw(src), "clientConfig.caBundle", json_string(other));
	expect(src, "OSMD213", OSMDIAG_STATUS_FAIL,
		"does not match Secret kube-system/mutating-webhook-cert-secret ca.crt");
	free(other);
	osmdiag_source_free(src);
}
END_TEST

/* ---- OSMD204 / OSMD214 ------------------------------------------------------------------ */

START_TEST(t204_ignore)
{
	osmdiag_source *src = th_fixture(V12);

	th_set(vw(src), "failurePolicy", json_string("Ignore"));
	expect(src, "OSMD204", OSMDIAG_STATUS_WARN, "failurePolicy Ignore (expected Fail)");
	osmdiag_source_free(src);
}
END_TEST

START_TEST(t204_default_fail)
{
	osmdiag_source *src = th_fixture(V12);

	th_del(vw(src), "failurePolicy");
	expect(src, "OSMD204", OSMDIAG_STATUS_PASS, NULL);
	th_set(th_object(src, VWHC, NULL, VWHC_NAME), "apiVersion",
		json_string("admissionregistration.k8s.io/v1beta1"));
	expect(src, "OSMD204", OSMDIAG_STATUS_WARN, "failurePolicy Ignore by default");
	osmdiag_source_free(src);
}
END_TEST

START_TEST(t204_wrong_types)
{
	osmdiag_source *src = th_fixture(V12);

	th_set(vw(src), "failurePolicy", json_integer(1));
	expect(src, "OSMD204", OSMDIAG_STATUS_FAIL, "failurePolicy is an integer, expected a string");
	th_set(vw(src), "failurePolicy", json_string("Fail"));
	th_set(vw(src), "namespaceSelector.matchExpressions", json_string("x"));
	expect(src, "OSMD204", OSMDIAG_STATUS_FAIL, "namespaceSelector.matchExpressions is a string");
	th_set(vw(src), "namespaceSelector", json_array());
	expect(src, "OSMD204", OSMDIAG_STATUS_FAIL, "namespaceSelector is an array, expected an object");
	osmdiag_source_free(src);
}
END_TEST

START_TEST(t204_selector_other_mesh)
{
	osmdiag_source *src = th_fixture(V12);
	json_t *ml = json_object_get(json_object_get(vw(src), "namespaceSelector"), "matchLabels");

	json_object_set_new(ml, "openservicemesh.io/monitored-by", json_string("osm2"));
	expect(src, "OSMD204", OSMDIAG_STATUS_WARN,
		"namespaceSelector does not select namespaces labelled openservicemesh.io/monitored-by=osm");
	json_object_set_new(ml, "openservicemesh.io/monitored-by", json_integer(3));
	expect(src, "OSMD204", OSMDIAG_STATUS_FAIL,
		"namespaceSelector.matchLabels[\"openservicemesh.io/monitored-by\"] is an integer");
	osmdiag_source_free(src);
}
END_TEST

START_TEST(t204_selector_expression_in)
{
	/* matchExpressions In [osm] instead of matchLabels is equivalent */
	osmdiag_source *src = th_fixture(V12);
	json_t *sel = json_object_get(vw(src), "namespaceSelector");

	json_object_del(sel, "matchLabels");
	json_array_append_new(json_object_get(sel, "matchExpressions"),
		json_pack("{s:s,s:s,s:[s]}", "key", "openservicemesh.io/monitored-by", "operator", "In",
		"values", "osm"));
	expect(src, "OSMD204", OSMDIAG_STATUS_PASS, NULL);
	osmdiag_source_free(src);
}
END_TEST

START_TEST(t204_selector_too_broad)
{
	osmdiag_source *src = th_fixture(V12);

	th_del(vw(src), "namespaceSelector");
	expect(src, "OSMD204", OSMDIAG_STATUS_WARN, "also selects namespaces without the label");
	osmdiag_source_free(src);
}
END_TEST

START_TEST(t204_mesh_ns_not_excluded)
{
	osmdiag_source *src = th_fixture(V12);
	json_t *me = json_object_get(json_object_get(vw(src), "namespaceSelector"), "matchExpressions");

	json_array_remove(me, 1);
	expect(src, "OSMD204", OSMDIAG_STATUS_WARN, "does not exclude the mesh namespace kube-system");
	osmdiag_source_free(src);
}
END_TEST

START_TEST(t214_ignore)
{
	osmdiag_source *src = th_fixture(V12);

	th_set(mw(src), "failurePolicy", json_string("Ignore"));
	expect(src, "OSMD214", OSMDIAG_STATUS_WARN, "start without a sidecar");
	expect(src, "OSMD214", OSMDIAG_STATUS_WARN, "kubectl rollout restart deployment/osm-injector -n "
		"kube-system");
	osmdiag_source_free(src);
}
END_TEST

START_TEST(t214_bad_operator)
{
	osmdiag_source *src = th_fixture(V12);
	json_t *me = json_object_get(json_object_get(mw(src), "namespaceSelector"), "matchExpressions");

	json_object_set_new(json_array_get(me, 0), "operator", json_string("Missing"));
	expect(src, "OSMD214", OSMDIAG_STATUS_FAIL, "matchExpressions[0].operator is \"Missing\"");
	osmdiag_source_free(src);
}
END_TEST

/* ---- OSMD221 ---------------------------------------------------------------------------------- */

#define CRD "CustomResourceDefinition"
#define CRD_TT "traffictargets.access.smi-spec.io"

START_TEST(t221_webhook_on_v12)
{
	osmdiag_source *src = th_fixture(V12);
	json_t *crd = th_object(src, CRD, NULL, CRD_TT);

	th_set(crd, "spec.conversion", json_pack("{s:s,s:{s:{s:{s:s,s:s,s:s,s:i}},s:[s]}}", "strategy",
		"Webhook",
		"webhook", "clientConfig", "service", "name", "osm-bootstrap", "namespace", NS, "path",
		"/convert/trafficaccess", "port", 9443, "conversionReviewVersions", "v1"));
	expect(src, "OSMD221", OSMDIAG_STATUS_FAIL, "traffictargets.access.smi-spec.io: conversion.strategy "
		"Webhook");
	expect(src, "OSMD221", OSMDIAG_STATUS_FAIL,
		"kubectl patch crd traffictargets.access.smi-spec.io --type=json -p "
		"'[{\"op\":\"replace\",\"path\":\"/spec/conversion\",\"value\":{\"strategy\":\"None\"}}]'");
	osmdiag_source_free(src);
}
END_TEST

START_TEST(t221_wrong_type)
{
	osmdiag_source *src = th_fixture(V12);

	th_set(th_object(src, CRD, NULL, CRD_TT), "spec.conversion.strategy", json_integer(1));
	expect(src, "OSMD221", OSMDIAG_STATUS_FAIL, "spec.conversion.strategy is an integer");
	th_set(th_object(src, CRD, NULL, CRD_TT), "spec.conversion", json_string("None"));
	expect(src, "OSMD221", OSMDIAG_STATUS_FAIL, "spec.conversion is a string, expected an object");
	osmdiag_source_free(src);
}
END_TEST

START_TEST(t221_v10_wrong_port)
{
	osmdiag_source *src = th_fixture(V10);

	th_set(th_object(src, CRD, NULL, CRD_TT), "spec.conversion.webhook.clientConfig.service.port",
		json_integer(443));
	expect(src, "OSMD221", OSMDIAG_STATUS_FAIL, "calls service kube-system/osm-bootstrap:443");
	expect(src, "OSMD221", OSMDIAG_STATUS_FAIL, "kubectl rollout restart deployment/osm-bootstrap -n "
		"kube-system");
	osmdiag_source_free(src);
}
END_TEST

START_TEST(t221_v10_bad_ca)
{
	osmdiag_source *src = th_fixture(V10);

	th_set(th_object(src, CRD, NULL, CRD_TT), "spec.conversion.webhook.clientConfig.caBundle",
		json_string("bm90IGEgY2VydA=="));
	expect(src, "OSMD221", OSMDIAG_STATUS_FAIL, "caBundle does not parse");
	th_set(th_object(src, CRD, NULL, CRD_TT), "spec.conversion.webhook.clientConfig.caBundle",
		json_real(1.5));
	expect(src, "OSMD221", OSMDIAG_STATUS_FAIL, "caBundle is a number");
	osmdiag_source_free(src);
}
END_TEST

START_TEST(t221_v10_service_missing)
{
	osmdiag_source *src = th_fixture(V10);

	th_remove(src, "Service", NS, "osm-bootstrap");
	expect(src, "OSMD221", OSMDIAG_STATUS_FAIL, "Service kube-system/osm-bootstrap (called by the CRD "
		"conversion webhooks) not found");
	osmdiag_source_free(src);
}
END_TEST

/* ---- runner ------------------------------------------------------------------------------------ */

static Suite *webhooks_suite(void)
{
	Suite *s = suite_create("checks_webhooks");
	TCase *tc = tcase_create("webhooks");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, healthy_v12_pass, 0, NIDS);
	tcase_add_loop_test(tc, healthy_v11_pass, 0, NIDS);
	tcase_add_loop_test(tc, healthy_v10_pass, 0, NIDS);
	tcase_add_test(tc, healthy_pass_messages);
	tcase_add_test(tc, broken_example);
	tcase_add_test(tc, t201_missing);
	tcase_add_test(tc, t201_other_mesh_only);
	tcase_add_test(tc, t201_second);
	tcase_add_test(tc, t201_stale_name);
	tcase_add_test(tc, t211_missing);
	tcase_add_test(tc, t211_second);
	tcase_add_test(tc, t202_guide_object);
	tcase_add_test(tc, t202_port_default);
	tcase_add_test(tc, t202_url);
	tcase_add_test(tc, t202_wrong_types);
	tcase_add_test(tc, t202_service_missing);
	tcase_add_test(tc, t202_service_port);
	tcase_add_test(tc, t212_path);
	tcase_add_test(tc, t212_namespace);
	tcase_add_test(tc, t203_empty);
	tcase_add_test(tc, t203_wrong_type_and_garbage);
	tcase_add_test(tc, t203_mismatch);
	tcase_add_test(tc, t203_expiring);
	tcase_add_test(tc, t203_expired);
	tcase_add_test(tc, t203_v12_rotation_superset);
	tcase_add_test(tc, t213_secret_missing_not_compared);
	tcase_add_test(tc, t213_mismatch);
	tcase_add_test(tc, t213_v10_webhook_secret);
	tcase_add_test(tc, t204_ignore);
	tcase_add_test(tc, t204_default_fail);
	tcase_add_test(tc, t204_wrong_types);
	tcase_add_test(tc, t204_selector_other_mesh);
	tcase_add_test(tc, t204_selector_expression_in);
	tcase_add_test(tc, t204_selector_too_broad);
	tcase_add_test(tc, t204_mesh_ns_not_excluded);
	tcase_add_test(tc, t214_ignore);
	tcase_add_test(tc, t214_bad_operator);
	tcase_add_test(tc, t221_webhook_on_v12);
	tcase_add_test(tc, t221_wrong_type);
	tcase_add_test(tc, t221_v10_wrong_port);
	tcase_add_test(tc, t221_v10_bad_ca);
	tcase_add_test(tc, t221_v10_service_missing);
	suite_add_tcase(s, tc);
	add_certificate_tests(s);
	add_cert_model_tests(s);
	return s;
}

int main(void)
{
	return th_main(webhooks_suite());
}
