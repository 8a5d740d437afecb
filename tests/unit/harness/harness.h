/*
 * Test harness for the Check suites: fixtures, mutations, single-check runs.
 *
 * Typical check test:
 *   osmdiag_source *src = th_fixture("examples/snapshots/aks-osm-v1.2-healthy");
 *   json_t *d = th_object(src, "Deployment", "kube-system", "osm-controller");
 *   json_object_set_new(json_object_get(d, "status"), "availableReplicas", json_integer(0));
 *   osmdiag_report *rep = th_run(src, "OSMD101");
 *   ck_assert_int_eq(th_worst(rep, "OSMD101"), OSMDIAG_STATUS_FAIL);
 *   th_assert_message(rep, "OSMD101", "0/2");
 *   osmdiag_report_free(rep); osmdiag_source_free(src);
 */
#ifndef OSMDIAG_TEST_HARNESS_H
#define OSMDIAG_TEST_HARNESS_H

#include <check.h>
#include <jansson.h>
#include <time.h>

#include "osmdiag/osmdiag.h"

/* Absolute path of a file in the source tree ("tests/fixtures/x"); static buffer rotation of 4. */
const char *th_path(const char *rel);
/* A snapshot source loaded from a path relative to the source root; aborts the test on error. */
osmdiag_source *th_fixture(const char *rel);
/* The stored (mutable) object; aborts the test when absent. */
json_t *th_object(osmdiag_source *src, const char *kind, const char *ns, const char *name);
/* The stored object or NULL. */
json_t *th_object_opt(osmdiag_source *src, const char *kind, const char *ns, const char *name);
/* Removes an object (must exist). */
void th_remove(osmdiag_source *src, const char *kind, const char *ns, const char *name);
/* Adds an object from JSON text (aborts on bad JSON). */
void th_add_json(osmdiag_source *src, const char *json_text);
/* Sets a value at a dotted path inside obj (creating objects on the way); steals value. */
void th_set(json_t *obj, const char *path, json_t *value);
/* Deletes the member at a dotted path (no-op when absent). */
void th_del(json_t *obj, const char *path);

/* Options used by th_run*: "now" fixed when set (0 = real time). */
extern time_t th_now;
/* Runs one check with default options; aborts the test when the run fails. */
osmdiag_report *th_run(osmdiag_source *src, const char *id);
/* Runs every check. */
osmdiag_report *th_run_all(osmdiag_source *src);
/* Worst status among the results of `id` (-1 when it has none). */
int th_worst(const osmdiag_report *rep, const char *id);
/* Number of results of `id` with `status` (-1 = any). */
int th_count(const osmdiag_report *rep, const char *id, int status);
/* Asserts some result of `id` has `needle` in its message (or hint/remediation). */
void th_assert_text(const osmdiag_report *rep, const char *id, const char *needle);
/* Asserts no result in the report is warn/fail/error; prints offenders. */
void th_assert_clean(const osmdiag_report *rep);
/* First result of `id` with status >= WARN, or the first result; NULL if none. */
const osmdiag_result *th_result(const osmdiag_report *rep, const char *id);

/* Runs the suite(s) and returns the process exit code. */
int th_main(Suite *s);

#endif /* OSMDIAG_TEST_HARNESS_H */
