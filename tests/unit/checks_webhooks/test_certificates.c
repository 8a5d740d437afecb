/*
 * Checks OSMD601-602 (lib/checks/certificates.c): the mesh root CA Secret
 * osm-ca-bundle, its presence and its validity.
 */
#include <check.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define V12 "examples/snapshots/aks-osm-v1.2-healthy"
#define V10 "tests/fixtures/healthy-v1.0"
#define V11 "tests/fixtures/healthy-v1.1"
#define NS "kube-system"
#define ROTATE "kubectl delete secret osm-ca-bundle -n kube-system && " \
	"kubectl rollout restart deployment/osm-controller -n kube-system && " \
	"kubectl rollout restart deployment/osm-injector -n kube-system && " \
	"kubectl rollout restart deployment/osm-bootstrap -n kube-system"

char *tw_cert_b64(time_t not_before, time_t not_after, const char *cn, int is_ca);
time_t tw_time(int y, int mo, int d);
void add_certificate_tests(Suite *s);

static const char *const IDS[] = { "OSMD601", "OSMD602" };

static void setup(void)
{
	th_now = tw_time(2026, 11, 1);
}

static json_t *data_of(osmdiag_source *src)
{
	json_t *d = json_object_get(th_object(src, "Secret", NS, "osm-ca-bundle"), "data");

	ck_assert(d != NULL);
	return d;
}

static void expect(osmdiag_source *src, const char *id, int status, const char *needle)
{
	osmdiag_report *rep = th_run(src, id);

	ck_assert_msg(th_worst(rep, id) == status, "%s: worst %s, expected %s (%s)", id,
		osmdiag_status_name(th_worst(rep, id)), osmdiag_status_name(status),
		osmdiag_result_message(th_result(rep, id)));
	if (needle)
		th_assert_text(rep, id, needle);
	osmdiag_report_free(rep);
}

static void clean(const char *fixture, const char *id)
{
	osmdiag_source *src = th_fixture(fixture);

	expect(src, id, OSMDIAG_STATUS_PASS, NULL);
	osmdiag_source_free(src);
}

START_TEST(healthy_v12)
{
	clean(V12, IDS[_i]);
}
END_TEST

START_TEST(healthy_v11)
{
	clean(V11, IDS[_i]);
}
END_TEST

START_TEST(healthy_v10)
{
	clean(V10, IDS[_i]);
}
END_TEST

START_TEST(t601_pass_message)
{
	osmdiag_source *src = th_fixture(V12);

	expect(src, "OSMD601", OSMDIAG_STATUS_PASS, "Secret kube-system/osm-ca-bundle present with key "
		"ca.crt");
	osmdiag_source_free(src);
}
END_TEST

START_TEST(t601_missing)
{
	osmdiag_source *src = th_fixture(V12);

	th_remove(src, "Secret", NS, "osm-ca-bundle");
	expect(src, "OSMD601", OSMDIAG_STATUS_FAIL, "Secret kube-system/osm-ca-bundle not found");
	expect(src, "OSMD601", OSMDIAG_STATUS_FAIL, "kubectl rollout restart deployment/osm-controller -n "
		"kube-system");
	expect(src, "OSMD602", OSMDIAG_STATUS_SKIP, "OSMD601");
	osmdiag_source_free(src);
}
END_TEST

START_TEST(t601_no_key)
{
	osmdiag_source *src = th_fixture(V12);

	json_object_del(data_of(src), "ca.crt");
	expect(src, "OSMD601", OSMDIAG_STATUS_FAIL, "Secret kube-system/osm-ca-bundle has no key ca.crt");
	expect(src, "OSMD601", OSMDIAG_STATUS_FAIL, ROTATE);
	osmdiag_source_free(src);
}
END_TEST

START_TEST(t601_wrong_types)
{
	osmdiag_source *src = th_fixture(V12);

	json_object_set_new(data_of(src), "ca.crt", json_integer(7));
	expect(src, "OSMD601", OSMDIAG_STATUS_FAIL, "data[\"ca.crt\"] is an integer, expected a base64 "
		"string");
	json_object_set_new(data_of(src), "ca.crt", json_string(""));
	expect(src, "OSMD601", OSMDIAG_STATUS_FAIL, "data[\"ca.crt\"] is empty");
	th_set(th_object(src, "Secret", NS, "osm-ca-bundle"), "data", json_string("ca.crt"));
	expect(src, "OSMD601", OSMDIAG_STATUS_FAIL, "data is a string, expected an object");
	osmdiag_source_free(src);
}
END_TEST

START_TEST(t602_pass_message)
{
	osmdiag_source *src = th_fixture(V12);

	expect(src, "OSMD602", OSMDIAG_STATUS_PASS,
		"CN=osm-ca.openservicemesh.io,O=Open Service Mesh,L=CA,C=US, valid until "
		"2036-10-03T09:08:29Z");
	osmdiag_source_free(src);
}
END_TEST

START_TEST(t602_expiring)
{
	osmdiag_source *src = th_fixture(V12);
	char *b = tw_cert_b64(th_now - 3650 * 86400LL, th_now + 12 * 86400 + 5, "osm-ca.openservicemesh.io",
		1);

	json_object_set_new(data_of(src), "ca.crt", json_string(b));
	expect(src, "OSMD602", OSMDIAG_STATUS_WARN, "expires in 12 days (2026-11-13T00:00:05Z)");
	expect(src, "OSMD602", OSMDIAG_STATUS_WARN, "CN=osm-ca.openservicemesh.io,O=osmdiag tests, expires "
		"in 12 days");
	expect(src, "OSMD602", OSMDIAG_STATUS_WARN, ROTATE);
	free(b);
	osmdiag_source_free(src);
}
END_TEST

START_TEST(t602_expiring_outside_window)
{
	osmdiag_source *src = th_fixture(V12);
	char *b = tw_cert_b64(th_now - 3650 * 86400LL, th_now + 31 * 86400, "osm-ca.openservicemesh.io", 1);

	json_object_set_new(data_of(src), "ca.crt", json_string(b));
	expect(src, "OSMD602", OSMDIAG_STATUS_PASS, "valid until 2026-12-02");
	free(b);
	osmdiag_source_free(src);
}
END_TEST

START_TEST(t602_expired)
{
	osmdiag_source *src = th_fixture(V12);
	char *b = tw_cert_b64(th_now - 3650 * 86400LL, th_now - 40 * 86400, "osm-ca.openservicemesh.io", 1);

	json_object_set_new(data_of(src), "ca.crt", json_string(b));
	expect(src, "OSMD602", OSMDIAG_STATUS_FAIL, "expired 40 days ago (2026-09-22T00:00:00Z)");
	expect(src, "OSMD602", OSMDIAG_STATUS_FAIL, ROTATE);
	free(b);
	osmdiag_source_free(src);
}
END_TEST

START_TEST(t602_not_yet_valid)
{
	osmdiag_source *src = th_fixture(V12);

	th_now = tw_time(2026, 10, 1); /* before the fixture CA's notBefore (2026-10-06) */
	expect(src, "OSMD602", OSMDIAG_STATUS_FAIL, "not valid before 2026-10-06T09:08:29Z (notAfter "
		"2036-10-03T09:08:29Z)");
	expect(src, "OSMD602", OSMDIAG_STATUS_FAIL, "check the clocks");
	osmdiag_source_free(src);
}
END_TEST

START_TEST(t602_garbage)
{
	osmdiag_source *src = th_fixture(V12);

	json_object_set_new(data_of(src), "ca.crt", json_string("bm90IGEgY2VydA=="));
	expect(src, "OSMD602", OSMDIAG_STATUS_FAIL, "ca.crt does not parse: not PEM");
	json_object_set_new(data_of(src), "ca.crt", json_string("#not base64#"));
	expect(src, "OSMD602", OSMDIAG_STATUS_FAIL, "not valid base64");
	osmdiag_source_free(src);
}
END_TEST

void add_certificate_tests(Suite *s)
{
	TCase *tc = tcase_create("certificates");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, healthy_v12, 0, 2);
	tcase_add_loop_test(tc, healthy_v11, 0, 2);
	tcase_add_loop_test(tc, healthy_v10, 0, 2);
	tcase_add_test(tc, t601_pass_message);
	tcase_add_test(tc, t601_missing);
	tcase_add_test(tc, t601_no_key);
	tcase_add_test(tc, t601_wrong_types);
	tcase_add_test(tc, t602_pass_message);
	tcase_add_test(tc, t602_expiring);
	tcase_add_test(tc, t602_expiring_outside_window);
	tcase_add_test(tc, t602_expired);
	tcase_add_test(tc, t602_not_yet_valid);
	tcase_add_test(tc, t602_garbage);
	suite_add_tcase(s, tc);
}
