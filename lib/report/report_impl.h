/*
 * Report internals: results, summary, mesh identity, source. Each output
 * format is one file (json.c, text.c, junit.c, sarif.c, prometheus.c). Internal.
 */
#ifndef OSMDIAG_REPORT_IMPL_H
#define OSMDIAG_REPORT_IMPL_H

#include <stddef.h>

#include "osmdiag/report.h"

struct osmdiag_result {
	char *id;
	char *category;
	char *title;
	int status;
	char *message;
	char *res_kind;      /* NULL when the result names no object */
	char *res_namespace; /* NULL for cluster-scoped objects */
	char *res_name;
	char *hint;          /* NULL when none */
	char *remediation;   /* NULL when none */
	char *docs;          /* "docs/checks.md#osmd101" */
	double duration_ms;
};

struct osmdiag_report {
	struct osmdiag_result *results;
	size_t n;
	size_t cap;
	int oom;
	char *mesh_name;      /* all four NULL when no mesh was found */
	char *mesh_namespace;
	char *mesh_version;
	char *mesh_profile;
	char *source_kind;    /* "snapshot" / "live" */
	char *source_desc;    /* free text: paths, context */
	int fail_on;          /* the run's threshold (WARN or FAIL) */
	double duration_ms;
};

struct osmdiag_report *osmdiag__report_new(void);
/* Appends a result with copies of the strings (NULL allowed for optional ones). */
struct osmdiag_result *osmdiag__report_add(struct osmdiag_report *rep, const char *id,
	const char *category, const char *title, int status, const char *message);
int osmdiag__report_set_mesh(struct osmdiag_report *rep, const char *name, const char *ns,
	const char *version, const char *profile);

/* JSON text helpers shared by the formats (json.c): a quoted, escaped string
 * (NULL = null; invalid UTF-8 becomes U+FFFD), a number, and the length of
 * the valid UTF-8 sequence at s (0 when invalid). */
struct osmdiag__buf;
int osmdiag__json_put_str(struct osmdiag__buf *b, const char *s);
int osmdiag__json_put_num(struct osmdiag__buf *b, double v);
size_t osmdiag__utf8_seq_len(const unsigned char *s);

/* "docs/checks.md#osmd101" for an ID (new string). */
char *osmdiag__docs_anchor(const char *id);

#endif /* OSMDIAG_REPORT_IMPL_H */
