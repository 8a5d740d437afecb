/*
 * libosmdiag - the check catalogue and run options.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef OSMDIAG_CHECK_H
#define OSMDIAG_CHECK_H

#include "common.h"
#include "errors.h"

OSMDIAG_BEGIN_DECL

/** Result statuses, in rising order of gravity. */
typedef enum {
	OSMDIAG_STATUS_PASS = 0,
	OSMDIAG_STATUS_INFO = 1,
	OSMDIAG_STATUS_SKIP = 2,
	OSMDIAG_STATUS_WARN = 3,
	OSMDIAG_STATUS_FAIL = 4,
	OSMDIAG_STATUS_ERROR = 5
} osmdiag_status;

/** "pass", "info", "skip", "warn", "fail", "error"; "unknown" otherwise. Static. */
OSMDIAG_API const char *osmdiag_status_name(int status);
/** Parses a status name (case-insensitive); -1 if unknown. */
OSMDIAG_API int osmdiag_status_from_name(const char *name);

/* ------------------------------------------------------------------ */
/* Catalogue                                                           */

/** One catalogue entry. Static data owned by the library. */
typedef struct osmdiag_check_info osmdiag_check_info;

/** Number of checks in the catalogue. */
OSMDIAG_API size_t osmdiag_catalogue_count(void);
/** Entry `i` (0-based, catalogue order), NULL when out of range. */
OSMDIAG_API const osmdiag_check_info *osmdiag_catalogue_at(size_t i);
/** Entry by ID ("OSMD101", case-insensitive), NULL when unknown. */
OSMDIAG_API const osmdiag_check_info *osmdiag_catalogue_find(const char *id);

/** The accessors below return borrowed static strings, never NULL for a valid entry. */
OSMDIAG_API const char *osmdiag_check_info_id(const osmdiag_check_info *c);
OSMDIAG_API const char *osmdiag_check_info_category(const osmdiag_check_info *c);
OSMDIAG_API const char *osmdiag_check_info_title(const osmdiag_check_info *c);
/** What the check expects (one paragraph). */
OSMDIAG_API const char *osmdiag_check_info_expectation(const osmdiag_check_info *c);
/** Why it matters: what breaks in the mesh when it does not hold. */
OSMDIAG_API const char *osmdiag_check_info_why(const osmdiag_check_info *c);
/** How to fix it, in words and commands. */
OSMDIAG_API const char *osmdiag_check_info_fix(const osmdiag_check_info *c);
/** The guide step this check automates. */
OSMDIAG_API const char *osmdiag_check_info_guide(const osmdiag_check_info *c);
/** Severity of a violated expectation, e.g. "fail/warn". */
OSMDIAG_API const char *osmdiag_check_info_severity(const osmdiag_check_info *c);
/** Docs reference, "docs/checks.md#osmd101". */
OSMDIAG_API const char *osmdiag_check_info_docs(const osmdiag_check_info *c);

/** The catalogue as JSON (array of entries) or Markdown (docs/checks.md). Free with osmdiag_free(). */
OSMDIAG_API int osmdiag_catalogue_to_json(char **out);
OSMDIAG_API int osmdiag_catalogue_to_markdown(char **out);

/* ------------------------------------------------------------------ */
/* Run options (opaque, with setters; NULL options = defaults)         */

typedef struct osmdiag_options osmdiag_options;

/** New options with the defaults: mesh discovered, every check, fail-on
 *  `fail`, expiry warning window 30 days. NULL on out of memory. */
OSMDIAG_API osmdiag_options *osmdiag_options_new(void);
OSMDIAG_API void osmdiag_options_free(osmdiag_options *opts);

/** Mesh namespace override (NULL = discover). The string is copied. */
OSMDIAG_API int osmdiag_options_set_mesh_namespace(osmdiag_options *opts, const char *ns);
/** Mesh name override (NULL = discover). The string is copied. */
OSMDIAG_API int osmdiag_options_set_mesh_name(osmdiag_options *opts, const char *name);
/**
 * Adds to the "only" list a check ID ("OSMD201") or a category ("webhooks");
 * a comma-separated list is accepted. When the list is non-empty only those
 * checks run. OSMDIAG_EINVAL for an unknown ID or category.
 */
OSMDIAG_API int osmdiag_options_only(osmdiag_options *opts, const char *id_or_category);
/** Adds check IDs or categories (comma-separated) to the skip list. */
OSMDIAG_API int osmdiag_options_skip(osmdiag_options *opts, const char *id_or_category);
/** Lowest status that makes osmdiag_report_exit_code() return 1: WARN or FAIL. */
OSMDIAG_API int osmdiag_options_set_fail_on(osmdiag_options *opts, int status);
/** Certificates expiring within `days` (>= 0) are `warn`. Default 30. */
OSMDIAG_API int osmdiag_options_set_expiry_warning_days(osmdiag_options *opts, int days);
/** Overall time budget for fetching cluster state, milliseconds (0 = none). */
OSMDIAG_API int osmdiag_options_set_timeout_ms(osmdiag_options *opts, long timeout_ms);
/** Message of the last failed setter; never NULL. */
OSMDIAG_API const char *osmdiag_options_errmsg(const osmdiag_options *opts);

OSMDIAG_END_DECL

#endif /* OSMDIAG_CHECK_H */
