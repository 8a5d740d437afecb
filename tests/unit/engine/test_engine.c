/*
 * The engine: whole runs on the fixtures, mesh discovery and overrides,
 * selection, dependencies, failed lists (forbidden) and fatal source errors,
 * exit codes, the per-check API, mesh list, and snapshot capture.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "source/source_impl.h"
#include "util/util.h"

#define V12 "examples/snapshots/aks-osm-v1.2-healthy"
#define V11 "tests/fixtures/healthy-v1.1"
#define V10 "tests/fixtures/healthy-v1.0"
#define BROKEN "examples/snapshots/aks-osm-v1.2-broken"

static const char *const healthy[] = { V12, V11, V10 };

/* Catalogue rows that are checks (the migration findings, OSMD8xx, are not). */
static int is_check(const osmdiag_check_info *c)
{
	return strcmp(osmdiag_check_info_category(c), "migration") != 0;
}

static size_t check_count(void)
{
	size_t n = 0;

	for (size_t i = 0; i < osmdiag_catalogue_count(); i++)
		n += is_check(osmdiag_catalogue_at(i));
	return n;
}

/* ---- a source wrapper that injects list failures -------------------------- */

typedef struct wrapper {
	osmdiag_source *inner;
	const char *fail_kind;   /* this kind's list fails ... */
	int fail_code;           /* ... with this code */
	int fatal;               /* or every batch fails with this code */
	int add_private_key;     /* Secrets come back with a private key */
} wrapper;

static int wrapper_fetch(osmdiag_source *src, osmdiag__fetch *reqs, size_t n, long timeout_ms)
{
	wrapper *w = src->impl;
	int rc;

	if (w->fatal)
		return osmdiag__source_set_error(src, w->fatal, "Unauthorized: the server has asked for the client "
						 "to provide credentials");
	rc = osmdiag__source_fetch(w->inner, reqs, n, timeout_ms);
	for (size_t i = 0; rc == OSMDIAG_OK && i < n; i++) {
		if (w->fail_kind && strcmp(reqs[i].kind, w->fail_kind) == 0) {
			json_decref(reqs[i].items);
			reqs[i].items = NULL;
			reqs[i].code = w->fail_code;
			reqs[i].message = osmdiag__asprintf("forbidden: list secrets in %s",
							    reqs[i].namespace_ ? reqs[i].namespace_ : "all namespaces");
		}
		if (w->add_private_key && strcmp(reqs[i].kind, "Secret") == 0 && reqs[i].items) {
			json_t *copy = json_deep_copy(reqs[i].items), *s;
			size_t k;

			json_array_foreach(copy, k, s)
				json_object_set_new(json_object_get(s, "data"), "private.key",
						    json_string("LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCg=="));
			json_decref(reqs[i].items);
			reqs[i].items = copy;
		}
	}
	return rc;
}

static void wrapper_free(void *impl)
{
	wrapper *w = impl;

	osmdiag_source_free(w->inner);
	free(w);
}

static const osmdiag__source_ops wrapper_ops = { "snapshot", wrapper_fetch, wrapper_free };

static osmdiag_source *wrapped(const char *fixture, const char *fail_kind, int fail_code, int fatal)
{
	wrapper *w = calloc(1, sizeof(*w));
	osmdiag_source *src;

	ck_assert(w != NULL);
	w->inner = th_fixture(fixture);
	w->fail_kind = fail_kind;
	w->fail_code = fail_code;
	w->fatal = fatal;
	src = osmdiag__source_new(&wrapper_ops, w);
	ck_assert(src != NULL);
	return src;
}

/* ---- whole runs ----------------------------------------------------------- */

START_TEST(healthy_fixture_is_clean)
{
	osmdiag_source *src = th_fixture(healthy[_i]);
	osmdiag_report *rep = th_run_all(src);

	th_assert_clean(rep);
	/* Every selected check yields at least one result. */
	for (size_t i = 0; i < osmdiag_catalogue_count(); i++) {
		const char *id = osmdiag_check_info_id(osmdiag_catalogue_at(i));

		if (is_check(osmdiag_catalogue_at(i)))
			ck_assert_msg(th_count(rep, id, -1) >= 1, "%s has no result on %s", id, healthy[_i]);
		else
			ck_assert_msg(th_count(rep, id, -1) == 0, "migration finding %s in a check run", id);
	}
	ck_assert_int_eq(osmdiag_report_exit_code(rep, OSMDIAG_STATUS_WARN), 0);
	ck_assert_str_eq(osmdiag_report_mesh_name(rep), "osm");
	ck_assert_str_eq(osmdiag_report_mesh_namespace(rep), "kube-system");
	osmdiag_report_free(rep);
	osmdiag_source_free(src);
}
END_TEST

START_TEST(profiles_follow_versions)
{
	static const char *const profile[] = { "v1.2", "v1.1", "v1.0" };
	static const char *const version[] = { "v1.2.5", "v1.1.3", "v1.0.0" };
	osmdiag_source *src = th_fixture(healthy[_i]);
	osmdiag_report *rep = th_run(src, "OSMD132");

	ck_assert_str_eq(osmdiag_report_mesh_profile(rep), profile[_i]);
	ck_assert_str_eq(osmdiag_report_mesh_version(rep), version[_i]);
	osmdiag_report_free(rep);
	osmdiag_source_free(src);
}
END_TEST

START_TEST(broken_example_fails)
{
	osmdiag_source *src = th_fixture(BROKEN);
	osmdiag_report *rep = th_run_all(src);
	static const char *const failing[] = { "OSMD102", "OSMD111", "OSMD123", "OSMD202", "OSMD213",
		"OSMD302", "OSMD403", "OSMD501" };

	for (size_t i = 0; i < sizeof(failing) / sizeof(failing[0]); i++)
		ck_assert_msg(th_worst(rep, failing[i]) == OSMDIAG_STATUS_FAIL, "%s should fail", failing[i]);
	ck_assert_int_eq(osmdiag_report_exit_code(rep, OSMDIAG_STATUS_FAIL), 1);
	ck_assert_uint_gt(osmdiag_report_summary(rep, OSMDIAG_STATUS_FAIL), 8);
	osmdiag_report_free(rep);
	osmdiag_source_free(src);
}
END_TEST

START_TEST(unknown_version_falls_back)
{
	osmdiag_source *src = th_fixture(V12);
	json_t *d = th_object(src, "Deployment", "kube-system", "osm-controller");
	osmdiag_report *rep;

	json_object_set_new(json_object_get(json_object_get(d, "metadata"), "labels"), "app.kubernetes.io/version",
			    json_string("v9.9.9"));
	rep = th_run(src, "OSMD132");
	ck_assert_str_eq(osmdiag_report_mesh_profile(rep), "v1.2");
	th_assert_text(rep, "OSMD132", "v1.2");
	ck_assert_int_le(th_worst(rep, "OSMD132"), OSMDIAG_STATUS_INFO);
	osmdiag_report_free(rep);
	osmdiag_source_free(src);
}
END_TEST

/* ---- mesh discovery -------------------------------------------------------- */

START_TEST(no_mesh_fails_101_and_skips_the_rest)
{
	osmdiag_source *src = th_fixture(V12);
	osmdiag_report *rep;

	th_remove(src, "Deployment", "kube-system", "osm-controller");
	rep = th_run_all(src);
	ck_assert_int_eq(th_worst(rep, "OSMD101"), OSMDIAG_STATUS_FAIL);
	th_assert_text(rep, "OSMD101", "no Deployment labelled app=osm-controller in any namespace");
	ck_assert_ptr_null(osmdiag_report_mesh_name(rep));
	for (size_t i = 0; i < osmdiag_report_count(rep); i++) {
		const osmdiag_result *r = osmdiag_report_at(rep, i);

		if (strcmp(osmdiag_result_id(r), "OSMD101") != 0)
			ck_assert_msg(osmdiag_result_status(r) == OSMDIAG_STATUS_SKIP, "%s not skipped",
				      osmdiag_result_id(r));
	}
	ck_assert_uint_eq(osmdiag_report_count(rep), check_count());
	osmdiag_report_free(rep);
	osmdiag_source_free(src);
}
END_TEST

START_TEST(mesh_namespace_override)
{
	osmdiag_source *src = th_fixture(V12);
	osmdiag_options *opts = osmdiag_options_new();
	osmdiag_error err;
	osmdiag_report *rep;

	ck_assert_int_eq(osmdiag_options_set_mesh_namespace(opts, "osm-system"), OSMDIAG_OK);
	rep = osmdiag_run(src, opts, &err);
	ck_assert_ptr_nonnull(rep);
	ck_assert_str_eq(osmdiag_report_mesh_namespace(rep), "osm-system");
	/* The operator named the namespace: the controller is reported missing there. */
	ck_assert_int_eq(th_worst(rep, "OSMD101"), OSMDIAG_STATUS_FAIL);
	th_assert_text(rep, "OSMD101", "osm-system");
	osmdiag_report_free(rep);
	osmdiag_options_free(opts);
	osmdiag_source_free(src);
}
END_TEST

START_TEST(mesh_list_api)
{
	osmdiag_source *src = th_fixture(V12);
	osmdiag_error err;
	osmdiag_mesh_list *ml = osmdiag_mesh_list_new(src, &err);
	char *json = NULL;

	ck_assert_ptr_nonnull(ml);
	ck_assert_uint_eq(osmdiag_mesh_list_count(ml), 1);
	ck_assert_str_eq(osmdiag_mesh_list_name(ml, 0), "osm");
	ck_assert_str_eq(osmdiag_mesh_list_namespace(ml, 0), "kube-system");
	ck_assert_str_eq(osmdiag_mesh_list_version(ml, 0), "v1.2.5");
	ck_assert_str_eq(osmdiag_mesh_list_namespaces(ml, 0), "bookbuyer,bookstore,bookthief,bookwarehouse");
	ck_assert_ptr_null(osmdiag_mesh_list_name(ml, 1));
	ck_assert_int_eq(osmdiag_mesh_list_to_json(ml, &json), OSMDIAG_OK);
	ck_assert_ptr_nonnull(strstr(json, "\"bookwarehouse\""));
	osmdiag_free(json);
	osmdiag_mesh_list_free(ml);
	osmdiag_mesh_list_free(NULL);
	osmdiag_source_free(src);
}
END_TEST

/* ---- selection and dependencies ----------------------------------------------- */

START_TEST(only_and_skip)
{
	osmdiag_source *src = th_fixture(V12);
	osmdiag_options *opts = osmdiag_options_new();
	osmdiag_error err;
	osmdiag_report *rep;

	ck_assert_int_eq(osmdiag_options_only(opts, "webhooks, OSMD601"), OSMDIAG_OK);
	ck_assert_int_eq(osmdiag_options_skip(opts, "OSMD204"), OSMDIAG_OK);
	rep = osmdiag_run(src, opts, &err);
	ck_assert_ptr_nonnull(rep);
	for (size_t i = 0; i < osmdiag_report_count(rep); i++) {
		const char *id = osmdiag_result_id(osmdiag_report_at(rep, i));

		ck_assert_msg(strncmp(id, "OSMD2", 5) == 0 || strcmp(id, "OSMD601") == 0, "%s selected", id);
		ck_assert_str_ne(id, "OSMD204");
	}
	ck_assert_int_eq(th_count(rep, "OSMD601", -1), 1);
	ck_assert_int_eq(th_count(rep, "OSMD211", -1), 1);
	osmdiag_report_free(rep);

	ck_assert_int_eq(osmdiag_options_only(opts, "OSMD999"), OSMDIAG_EINVAL);
	ck_assert_ptr_nonnull(strstr(osmdiag_options_errmsg(opts), "OSMD999"));
	ck_assert_int_eq(osmdiag_options_skip(opts, "nonsense"), OSMDIAG_EINVAL);
	ck_assert_int_eq(osmdiag_options_only(opts, ""), OSMDIAG_EINVAL);
	ck_assert_int_eq(osmdiag_options_set_fail_on(opts, OSMDIAG_STATUS_INFO), OSMDIAG_EINVAL);
	ck_assert_int_eq(osmdiag_options_set_expiry_warning_days(opts, -1), OSMDIAG_EINVAL);
	ck_assert_int_eq(osmdiag_options_set_timeout_ms(opts, -5), OSMDIAG_EINVAL);
	ck_assert_int_eq(osmdiag_options_only(NULL, "webhooks"), OSMDIAG_EINVAL);
	osmdiag_options_free(opts);
	osmdiag_options_free(NULL);
	osmdiag_source_free(src);
}
END_TEST

START_TEST(run_check_runs_dependencies_silently)
{
	osmdiag_source *src = th_fixture(V12);
	osmdiag_report *rep;
	osmdiag_error err;

	th_remove(src, "ValidatingWebhookConfiguration", NULL, "aks-osm-validator-mesh-osm");
	rep = th_run(src, "OSMD202");
	ck_assert_int_eq(th_count(rep, "OSMD201", -1), 0);
	ck_assert_int_eq(th_worst(rep, "OSMD202"), OSMDIAG_STATUS_SKIP);
	th_assert_text(rep, "OSMD202", "OSMD201");
	osmdiag_report_free(rep);

	/* The per-check functions are the same calls. */
	rep = osmdiag_check_osmd202(src, NULL, &err);
	ck_assert_ptr_nonnull(rep);
	ck_assert_int_eq(th_worst(rep, "OSMD202"), OSMDIAG_STATUS_SKIP);
	osmdiag_report_free(rep);

	ck_assert_ptr_null(osmdiag_run_check(src, "OSMD000", NULL, &err));
	ck_assert_int_eq(err.code, OSMDIAG_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.message, "OSMD000"));
	ck_assert_ptr_null(osmdiag_run(NULL, NULL, &err));
	ck_assert_int_eq(err.code, OSMDIAG_EINVAL);
	osmdiag_source_free(src);
}
END_TEST

START_TEST(expiry_window_option)
{
	osmdiag_source *src = th_fixture(V12);
	osmdiag_options *opts = osmdiag_options_new();
	osmdiag_error err;
	osmdiag_report *rep;

	/* The fixture CA is valid for 10 years: a 20-year window makes it "expiring". */
	ck_assert_int_eq(osmdiag_options_set_expiry_warning_days(opts, 7300), OSMDIAG_OK);
	rep = osmdiag_run_check(src, "OSMD602", opts, &err);
	ck_assert_int_eq(th_worst(rep, "OSMD602"), OSMDIAG_STATUS_WARN);
	ck_assert_int_eq(osmdiag_report_exit_code(rep, OSMDIAG_STATUS_WARN), 1);
	ck_assert_int_eq(osmdiag_report_exit_code(rep, OSMDIAG_STATUS_FAIL), 0);
	osmdiag_report_free(rep);
	osmdiag_options_free(opts);
	osmdiag_source_free(src);
}
END_TEST

/* ---- failed lists and fatal errors ------------------------------------------------- */

START_TEST(forbidden_list_errors_its_checks)
{
	osmdiag_source *src = wrapped(V12, "Secret", OSMDIAG_EFORBIDDEN, 0);
	osmdiag_report *rep = th_run_all(src);

	ck_assert_int_eq(th_worst(rep, "OSMD601"), OSMDIAG_STATUS_ERROR);
	ck_assert_int_eq(th_worst(rep, "OSMD602"), OSMDIAG_STATUS_ERROR);
	th_assert_text(rep, "OSMD601", "forbidden: list secrets in kube-system");
	/* Checks that do not read Secrets are unaffected. */
	ck_assert_int_eq(th_worst(rep, "OSMD101"), OSMDIAG_STATUS_PASS);
	ck_assert_int_eq(th_worst(rep, "OSMD501"), OSMDIAG_STATUS_PASS);
	ck_assert_int_eq(osmdiag_report_exit_code(rep, OSMDIAG_STATUS_FAIL), 4);
	osmdiag_report_free(rep);
	osmdiag_source_free(src);
}
END_TEST

START_TEST(fatal_source_error_fails_the_run)
{
	osmdiag_source *src = wrapped(V12, NULL, 0, OSMDIAG_EAUTH);
	osmdiag_error err;
	osmdiag_mesh_list *ml;

	ck_assert_ptr_null(osmdiag_run(src, NULL, &err));
	ck_assert_int_eq(err.code, OSMDIAG_EAUTH);
	ck_assert_ptr_nonnull(strstr(err.message, "Unauthorized"));
	ml = osmdiag_mesh_list_new(src, &err);
	ck_assert_ptr_null(ml);
	ck_assert_int_eq(err.code, OSMDIAG_EAUTH);
	osmdiag_source_free(src);
}
END_TEST

START_TEST(cancelled_source_stops_runs)
{
	osmdiag_source *src = th_fixture(V12);
	osmdiag_error err;

	osmdiag_source_cancel(src);
	osmdiag_source_cancel(NULL);
	ck_assert_ptr_null(osmdiag_run(src, NULL, &err));
	ck_assert_int_eq(err.code, OSMDIAG_ECANCELED);
	ck_assert_str_eq(osmdiag_err_name(OSMDIAG_ECANCELED), "OSMDIAG_ECANCELED");
	ck_assert_ptr_null(osmdiag_mesh_list_new(src, &err));
	ck_assert_int_eq(err.code, OSMDIAG_ECANCELED);
	osmdiag_source_free(src);
}
END_TEST

/* ---- snapshot capture ------------------------------------------------------------ */

static char *results_json(osmdiag_report *rep)
{
	json_t *doc, *results, *r;
	char *out, *text;
	size_t i;

	ck_assert_int_eq(osmdiag_report_to_json(rep, &text), OSMDIAG_OK);
	doc = json_loads(text, 0, NULL);
	osmdiag_free(text);
	ck_assert_ptr_nonnull(doc);
	results = json_object_get(doc, "results");
	json_array_foreach(results, i, r)
		json_object_del(r, "durationMs");
	out = json_dumps(results, JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(doc);
	return out;
}

START_TEST(snapshot_round_trip)
{
	static const char *const targets[] = { "capture.json", "capture-dir" };
	wrapper *w;
	osmdiag_source *src = wrapped(healthy[_i / 2], NULL, 0, 0), *back;
	char dir[] = "/tmp/osmdiag-capture-XXXXXX", path[256], cmd[512];
	osmdiag_report *a, *b;
	char *ja, *jb;
	osmdiag_error err;
	FILE *f;
	char line[4096];

	w = src->impl;
	w->add_private_key = 1;
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/%s", dir, targets[_i % 2]);
	ck_assert_msg(osmdiag_snapshot_write(src, NULL, path, &err) == OSMDIAG_OK, "%s", err.message);
	a = th_run_all(src);
	back = osmdiag_source_new_snapshot(&err);
	ck_assert_int_eq(osmdiag_source_add_snapshot(back, path), OSMDIAG_OK);
	b = th_run_all(back);
	ja = results_json(a);
	jb = results_json(b);
	ck_assert_str_eq(ja, jb);
	/* No private key reached the disk. */
	snprintf(cmd, sizeof(cmd), "grep -r -l -e private.key -e 'PRIVATE KEY' %s", dir);
	f = popen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_msg(fgets(line, sizeof(line), f) == NULL, "private key written to %s", line);
	pclose(f);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
	free(ja);
	free(jb);
	osmdiag_report_free(a);
	osmdiag_report_free(b);
	osmdiag_source_free(back);
	osmdiag_source_free(src);
}
END_TEST

START_TEST(snapshot_refuses_partial_capture)
{
	osmdiag_source *src = wrapped(V12, "Secret", OSMDIAG_EFORBIDDEN, 0);
	char dir[] = "/tmp/osmdiag-capture-XXXXXX", path[256], cmd[300];
	osmdiag_error err;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/snap.json", dir);
	ck_assert_int_eq(osmdiag_snapshot_write(src, NULL, path, &err), OSMDIAG_EFORBIDDEN);
	ck_assert_int_eq(err.code, OSMDIAG_EFORBIDDEN);
	ck_assert_ptr_nonnull(strstr(err.message, "forbidden"));
	ck_assert_int_ne(access(path, F_OK), 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
	osmdiag_source_free(src);
}
END_TEST

/* ---- small public pieces ---------------------------------------------------------- */

START_TEST(status_and_error_names)
{
	ck_assert_str_eq(osmdiag_status_name(OSMDIAG_STATUS_WARN), "warn");
	ck_assert_str_eq(osmdiag_status_name(42), "unknown");
	ck_assert_int_eq(osmdiag_status_from_name("FAIL"), OSMDIAG_STATUS_FAIL);
	ck_assert_int_eq(osmdiag_status_from_name("bogus"), -1);
	ck_assert_str_eq(osmdiag_err_name(OSMDIAG_EPARSE), "OSMDIAG_EPARSE");
	ck_assert_str_eq(osmdiag_strerror(OSMDIAG_EFORBIDDEN), "forbidden");
	ck_assert_str_eq(osmdiag_err_name(-999), "OSMDIAG_EUNKNOWN");
	ck_assert_str_eq(osmdiag_version_string(), OSMDIAG_VERSION);
	ck_assert_str_eq(osmdiag_error_message(NULL), "");
	ck_assert_uint_eq(check_count(), 41);
	ck_assert_str_eq(osmdiag_check_info_docs(osmdiag_catalogue_find("osmd203")), "docs/checks.md#osmd203");
	ck_assert_ptr_null(osmdiag_catalogue_find("OSMD000"));
	ck_assert_ptr_null(osmdiag_catalogue_at(1000));
	ck_assert_ptr_null(osmdiag_report_at(NULL, 0));
	osmdiag_report_free(NULL);
	osmdiag_source_free(NULL);
	osmdiag_free(NULL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("engine");
	TCase *runs = tcase_create("runs"), *mesh = tcase_create("mesh"), *sel = tcase_create("selection");
	TCase *errs = tcase_create("errors"), *snap = tcase_create("snapshot"), *misc = tcase_create("misc");

	tcase_add_loop_test(runs, healthy_fixture_is_clean, 0, 3);
	tcase_add_loop_test(runs, profiles_follow_versions, 0, 3);
	tcase_add_test(runs, broken_example_fails);
	tcase_add_test(runs, unknown_version_falls_back);
	tcase_add_test(mesh, no_mesh_fails_101_and_skips_the_rest);
	tcase_add_test(mesh, mesh_namespace_override);
	tcase_add_test(mesh, mesh_list_api);
	tcase_add_test(sel, only_and_skip);
	tcase_add_test(sel, run_check_runs_dependencies_silently);
	tcase_add_test(sel, expiry_window_option);
	tcase_add_test(errs, forbidden_list_errors_its_checks);
	tcase_add_test(errs, fatal_source_error_fails_the_run);
	tcase_add_test(errs, cancelled_source_stops_runs);
	tcase_add_loop_test(snap, snapshot_round_trip, 0, 6);
	tcase_add_test(snap, snapshot_refuses_partial_capture);
	tcase_add_test(misc, status_and_error_names);
	suite_add_tcase(s, runs);
	suite_add_tcase(s, mesh);
	suite_add_tcase(s, sel);
	suite_add_tcase(s, errs);
	suite_add_tcase(s, snap);
	suite_add_tcase(s, misc);
	return th_main(s);
}
