/*
 * libosmdiag - OSM to Istio (AKS add-on) migration: inventory, findings
 * (OSMD801-845), draft Istio manifests and a runbook.
 *
 *   osmdiag_migration *m = osmdiag_migrate(src, opts, "asm-1-22", &err);
 *   const osmdiag_report *rep = osmdiag_migration_report(m);      // findings
 *   for (size_t i = 0; i < osmdiag_migration_manifest_count(m); i++)
 *       puts(osmdiag_migration_manifest_yaml(m, i));
 *   osmdiag_migration_write(m, "out", &err);   // out/istio/NS.yaml, out/runbook.md, out/report.json
 *   osmdiag_migration_free(m);
 *
 * The manifests are drafts: every object carries the annotation
 * `migration.osmdiag.io/source` naming the OSM object(s) it was derived from;
 * approximations are findings in the report.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef OSMDIAG_MIGRATE_H
#define OSMDIAG_MIGRATE_H

#include "common.h"
#include "errors.h"
#include "source.h"
#include "check.h"
#include "report.h"

OSMDIAG_BEGIN_DECL

/** Opaque migration result. */
typedef struct osmdiag_migration osmdiag_migration;

/**
 * Reads the OSM configuration from `src` (the same source kinds as
 * osmdiag_run) and plans the migration to the Istio AKS add-on revision
 * `target_revision` ("asm-1-22"; NULL = the lowest supported revision, which
 * is reported as finding OSMD803). `opts` may be NULL (mesh namespace/name,
 * timeout are honoured). Returns a new migration (free with
 * osmdiag_migration_free()), or NULL with `err` filled: OSMDIAG_EINVAL for an
 * unknown revision, the source's error when the cluster could not be read.
 */
OSMDIAG_API osmdiag_migration *osmdiag_migrate(osmdiag_source *src, const osmdiag_options *opts,
	const char *target_revision, osmdiag_error *err);
/** Frees the migration. NULL-safe. */
OSMDIAG_API void osmdiag_migration_free(osmdiag_migration *m);

/** The findings (category "migration"), borrowed. osmdiag_report_exit_code() gives 1 with a `fail`. */
OSMDIAG_API const osmdiag_report *osmdiag_migration_report(const osmdiag_migration *m);
/** "asm-1-22" (borrowed). */
OSMDIAG_API const char *osmdiag_migration_target_revision(const osmdiag_migration *m);

/** Number of draft Istio objects, in output order (file, kind, name). */
OSMDIAG_API size_t osmdiag_migration_manifest_count(const osmdiag_migration *m);
/* Fields of manifest i: borrowed strings, NULL when i is out of range. */
/** Namespace of the file the object goes to: "" for mesh-wide (aks-istio-system, cluster-scoped). */
OSMDIAG_API const char *osmdiag_migration_manifest_namespace(const osmdiag_migration *m, size_t i);
OSMDIAG_API const char *osmdiag_migration_manifest_kind(const osmdiag_migration *m, size_t i);
OSMDIAG_API const char *osmdiag_migration_manifest_name(const osmdiag_migration *m, size_t i);
OSMDIAG_API const char *osmdiag_migration_manifest_api_version(const osmdiag_migration *m, size_t i);
/** One YAML document (no leading "---"). */
OSMDIAG_API const char *osmdiag_migration_manifest_yaml(const osmdiag_migration *m, size_t i);
/** The OSM objects it comes from: "TrafficTarget bookstore/bookstore, HTTPRouteGroup bookstore/x". */
OSMDIAG_API const char *osmdiag_migration_manifest_source(const osmdiag_migration *m, size_t i);

/** The ordered runbook in Markdown (borrowed). */
OSMDIAG_API const char *osmdiag_migration_runbook(const osmdiag_migration *m);

/* Export: each writes a NUL-terminated document to *out (free with osmdiag_free()). */
/** The JSON document (schemaVersion 1): findings, inventory, manifests, runbook. */
OSMDIAG_API int osmdiag_migration_to_json(const osmdiag_migration *m, char **out);
/** Human text; `flags` as for osmdiag_report_to_text(). */
OSMDIAG_API int osmdiag_migration_to_text(const osmdiag_migration *m, unsigned int flags, char **out);
/** A Markdown report: findings, inventory, manifests, runbook. */
OSMDIAG_API int osmdiag_migration_to_markdown(const osmdiag_migration *m, char **out);
/**
 * Writes DIR/istio/mesh-wide.yaml, DIR/istio/<namespace>.yaml, DIR/runbook.md
 * and DIR/report.json (directories created). Byte-for-byte the same for the
 * same input.
 */
OSMDIAG_API int osmdiag_migration_write(const osmdiag_migration *m, const char *dir, osmdiag_error *err);

OSMDIAG_END_DECL

#endif /* OSMDIAG_MIGRATE_H */
