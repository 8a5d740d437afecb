/*
 * libosmdiag - running checks and reading their results.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef OSMDIAG_REPORT_H
#define OSMDIAG_REPORT_H

#include "common.h"
#include "errors.h"
#include "source.h"
#include "check.h"

OSMDIAG_BEGIN_DECL

/** Opaque report: the results of one run, plus the mesh it examined. */
typedef struct osmdiag_report osmdiag_report;
/** One result; owned by its report. */
typedef struct osmdiag_result osmdiag_result;

/**
 * Runs every selected check (see osmdiag_options_only/_skip) on `src`.
 * `opts` may be NULL (defaults). Returns a new report (free with
 * osmdiag_report_free()), or NULL when the run could not happen at all
 * (invalid options, unreachable cluster, credentials refused), with `err`
 * filled. Checks that fail are not errors: they are results.
 */
OSMDIAG_API osmdiag_report *osmdiag_run(osmdiag_source *src, const osmdiag_options *opts,
	osmdiag_error *err);

/** Runs one check by ID (plus what it depends on, silently). */
OSMDIAG_API osmdiag_report *osmdiag_run_check(osmdiag_source *src, const char *id,
	const osmdiag_options *opts, osmdiag_error *err);

/**
 * Captures exactly what osmdiag_run() with these options and osmdiag_migrate()
 * read from `src` (the same list requests) as a snapshot that osmdiag_source_add_snapshot()
 * reads back: `path` ending in .json or .yaml is one file (a List), anything
 * else a directory (created) with one file per kind. From Secrets only
 * `osm-ca-bundle`'s `ca.crt` is written: never a private key.
 */
OSMDIAG_API int osmdiag_snapshot_write(osmdiag_source *src, const osmdiag_options *opts,
	const char *path, osmdiag_error *err);

/** Frees the report and every result in it. NULL-safe. */
OSMDIAG_API void osmdiag_report_free(osmdiag_report *rep);

/** Number of results. */
OSMDIAG_API size_t osmdiag_report_count(const osmdiag_report *rep);
/** Result `i`, borrowed until the report is freed; NULL when out of range. */
OSMDIAG_API const osmdiag_result *osmdiag_report_at(const osmdiag_report *rep, size_t i);
/** Number of results with `status`. */
OSMDIAG_API size_t osmdiag_report_summary(const osmdiag_report *rep, int status);
/** Worst status in the report (PASS for an empty one). */
OSMDIAG_API int osmdiag_report_worst(const osmdiag_report *rep);
/**
 * Exit code as INTERFACES.md defines it for `osmdiag check`: 1 if a result is
 * at or above `fail_on` (WARN or FAIL; other values mean the run's option),
 * else 4 if a result is `error`, else 0.
 */
OSMDIAG_API int osmdiag_report_exit_code(const osmdiag_report *rep, int fail_on);
/** Total run time in milliseconds (fetch + checks). */
OSMDIAG_API double osmdiag_report_duration_ms(const osmdiag_report *rep);

/** The mesh examined; NULL when none was found. Borrowed strings. */
OSMDIAG_API const char *osmdiag_report_mesh_name(const osmdiag_report *rep);
OSMDIAG_API const char *osmdiag_report_mesh_namespace(const osmdiag_report *rep);
OSMDIAG_API const char *osmdiag_report_mesh_version(const osmdiag_report *rep);
OSMDIAG_API const char *osmdiag_report_mesh_profile(const osmdiag_report *rep);

/* Result fields: borrowed strings, valid until the report is freed. Optional
 * fields (resource, hint, remediation) return NULL when absent. */
OSMDIAG_API const char *osmdiag_result_id(const osmdiag_result *r);
OSMDIAG_API const char *osmdiag_result_category(const osmdiag_result *r);
OSMDIAG_API const char *osmdiag_result_title(const osmdiag_result *r);
OSMDIAG_API int osmdiag_result_status(const osmdiag_result *r);
/** One line: the object, what was seen and what was expected. */
OSMDIAG_API const char *osmdiag_result_message(const osmdiag_result *r);
OSMDIAG_API const char *osmdiag_result_resource_kind(const osmdiag_result *r);
OSMDIAG_API const char *osmdiag_result_resource_namespace(const osmdiag_result *r);
OSMDIAG_API const char *osmdiag_result_resource_name(const osmdiag_result *r);
OSMDIAG_API const char *osmdiag_result_hint(const osmdiag_result *r);
/** Exact command that fixes the problem, where one exists. */
OSMDIAG_API const char *osmdiag_result_remediation(const osmdiag_result *r);
/** "docs/checks.md#osmd101" */
OSMDIAG_API const char *osmdiag_result_docs(const osmdiag_result *r);
OSMDIAG_API double osmdiag_result_duration_ms(const osmdiag_result *r);

/* ------------------------------------------------------------------ */
/* Export. Each writes a NUL-terminated document to *out (free with     */
/* osmdiag_free()) and returns OSMDIAG_OK.                              */

/** The JSON report of INTERFACES.md (schemaVersion 1), the bindings' escape hatch. */
OSMDIAG_API int osmdiag_report_to_json(const osmdiag_report *rep, char **out);

/** Flags for osmdiag_report_to_text(). */
#define OSMDIAG_TEXT_COLOR   1u  /**< ANSI colours */
#define OSMDIAG_TEXT_UNICODE 2u  /**< ✔ ⚠ ✖ marks instead of [ok] [warn] [FAIL] */
#define OSMDIAG_TEXT_VERBOSE 4u  /**< also show the messages of passed checks */

/** Human report grouped by category (linkerd-check style). */
OSMDIAG_API int osmdiag_report_to_text(const osmdiag_report *rep, unsigned int flags, char **out);
/** JUnit XML: one testsuite per category, one testcase per result. */
OSMDIAG_API int osmdiag_report_to_junit(const osmdiag_report *rep, char **out);
/** SARIF 2.1.0 for code-scanning dashboards. */
OSMDIAG_API int osmdiag_report_to_sarif(const osmdiag_report *rep, char **out);
/** Prometheus text exposition: a gauge per check and status. */
OSMDIAG_API int osmdiag_report_to_prometheus(const osmdiag_report *rep, char **out);

/** Records where the report's data came from (e.g. "context \"aks-prod\"" or
 *  the snapshot paths); shown in the headers of every format. Copied. */
OSMDIAG_API int osmdiag_report_set_source_description(osmdiag_report *rep, const char *desc);

OSMDIAG_END_DECL

#endif /* OSMDIAG_REPORT_H */
