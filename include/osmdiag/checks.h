/*
 * libosmdiag - one function per catalogue check.
 *
 * Each runs that single check on `src` (fetching only what it needs) and
 * returns a report holding its results, exactly as osmdiag_run_check() with
 * the ID does. `opts` may be NULL. Free the report with osmdiag_report_free().
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef OSMDIAG_CHECKS_H
#define OSMDIAG_CHECKS_H

#include "common.h"
#include "report.h"

OSMDIAG_BEGIN_DECL

/** OSMD101: osm-controller Deployment available. */
OSMDIAG_API osmdiag_report *osmdiag_check_osmd101(osmdiag_source *src, const osmdiag_options *opts, osmdiag_error *err);
/** OSMD102: osm-controller pods ready. */
OSMDIAG_API osmdiag_report *osmdiag_check_osmd102(osmdiag_source *src, const osmdiag_options *opts, osmdiag_error *err);
/** OSMD103: osm-controller Services. */
OSMDIAG_API osmdiag_report *osmdiag_check_osmd103(osmdiag_source *src, const osmdiag_options *opts, osmdiag_error *err);
/** OSMD104: osm-controller endpoints. */
OSMDIAG_API osmdiag_report *osmdiag_check_osmd104(osmdiag_source *src, const osmdiag_options *opts, osmdiag_error *err);
/** OSMD111: osm-injector Deployment available. */
OSMDIAG_API osmdiag_report *osmdiag_check_osmd111(osmdiag_source *src, const osmdiag_options *opts, osmdiag_error *err);
/** OSMD112: osm-injector pods ready. */
OSMDIAG_API osmdiag_report *osmdiag_check_osmd112(osmdiag_source *src, const osmdiag_options *opts, osmdiag_error *err);
/** OSMD113: osm-injector Service. */
OSMDIAG_API osmdiag_report *osmdiag_check_osmd113(osmdiag_source *src, const osmdiag_options *opts, osmdiag_error *err);
/** OSMD114: osm-injector endpoints. */
OSMDIAG_API osmdiag_report *osmdiag_check_osmd114(osmdiag_source *src, const osmdiag_options *opts, osmdiag_error *err);
/** OSMD121: osm-bootstrap Deployment available. */
OSMDIAG_API osmdiag_report *osmdiag_check_osmd121(osmdiag_source *src, const osmdiag_options *opts, osmdiag_error *err);
/** OSMD122: osm-bootstrap pods ready. */
OSMDIAG_API osmdiag_report *osmdiag_check_osmd122(osmdiag_source *src, const osmdiag_options *opts, osmdiag_error *err);
/** OSMD123: osm-bootstrap Service. */
OSMDIAG_API osmdiag_report *osmdiag_check_osmd123(osmdiag_source *src, const osmdiag_options *opts, osmdiag_error *err);
/** OSMD124: osm-bootstrap endpoints. */
OSMDIAG_API osmdiag_report *osmdiag_check_osmd124(osmdiag_source *src, const osmdiag_options *opts, osmdiag_error *err);
/** OSMD131: control-plane versions agree. */
OSMDIAG_API osmdiag_report *osmdiag_check_osmd131(osmdiag_source *src, const osmdiag_options *opts, osmdiag_error *err);
/** OSMD132: mesh inventory. */
OSMDIAG_API osmdiag_report *osmdiag_check_osmd132(osmdiag_source *src, const osmdiag_options *opts, osmdiag_error *err);
/** OSMD201: validating webhook present. */
OSMDIAG_API osmdiag_report *osmdiag_check_osmd201(osmdiag_source *src, const osmdiag_options *opts, osmdiag_error *err);
/** OSMD202: validating webhook service. */
OSMDIAG_API osmdiag_report *osmdiag_check_osmd202(osmdiag_source *src, const osmdiag_options *opts, osmdiag_error *err);
/** OSMD203: validating webhook CA bundle. */
OSMDIAG_API osmdiag_report *osmdiag_check_osmd203(osmdiag_source *src, const osmdiag_options *opts, osmdiag_error *err);
/** OSMD204: validating webhook policy. */
OSMDIAG_API osmdiag_report *osmdiag_check_osmd204(osmdiag_source *src, const osmdiag_options *opts, osmdiag_error *err);
/** OSMD211: mutating webhook present. */
OSMDIAG_API osmdiag_report *osmdiag_check_osmd211(osmdiag_source *src, const osmdiag_options *opts, osmdiag_error *err);
/** OSMD212: mutating webhook service. */
OSMDIAG_API osmdiag_report *osmdiag_check_osmd212(osmdiag_source *src, const osmdiag_options *opts, osmdiag_error *err);
/** OSMD213: mutating webhook CA bundle. */
OSMDIAG_API osmdiag_report *osmdiag_check_osmd213(osmdiag_source *src, const osmdiag_options *opts, osmdiag_error *err);
/** OSMD214: mutating webhook policy. */
OSMDIAG_API osmdiag_report *osmdiag_check_osmd214(osmdiag_source *src, const osmdiag_options *opts, osmdiag_error *err);
/** OSMD221: CRD conversion webhooks. */
OSMDIAG_API osmdiag_report *osmdiag_check_osmd221(osmdiag_source *src, const osmdiag_options *opts, osmdiag_error *err);
/** OSMD301: MeshConfig present. */
OSMDIAG_API osmdiag_report *osmdiag_check_osmd301(osmdiag_source *src, const osmdiag_options *opts, osmdiag_error *err);
/** OSMD302: MeshConfig value types. */
OSMDIAG_API osmdiag_report *osmdiag_check_osmd302(osmdiag_source *src, const osmdiag_options *opts, osmdiag_error *err);
/** OSMD303: MeshConfig unknown fields. */
OSMDIAG_API osmdiag_report *osmdiag_check_osmd303(osmdiag_source *src, const osmdiag_options *opts, osmdiag_error *err);
/** OSMD304: MeshConfig notable settings. */
OSMDIAG_API osmdiag_report *osmdiag_check_osmd304(osmdiag_source *src, const osmdiag_options *opts, osmdiag_error *err);
/** OSMD305: sidecar images resolvable. */
OSMDIAG_API osmdiag_report *osmdiag_check_osmd305(osmdiag_source *src, const osmdiag_options *opts, osmdiag_error *err);
/** OSMD401: namespace onboarding complete. */
OSMDIAG_API osmdiag_report *osmdiag_check_osmd401(osmdiag_source *src, const osmdiag_options *opts, osmdiag_error *err);
/** OSMD402: control-plane namespaces not in mesh. */
OSMDIAG_API osmdiag_report *osmdiag_check_osmd402(osmdiag_source *src, const osmdiag_options *opts, osmdiag_error *err);
/** OSMD403: injection annotation values valid. */
OSMDIAG_API osmdiag_report *osmdiag_check_osmd403(osmdiag_source *src, const osmdiag_options *opts, osmdiag_error *err);
/** OSMD404: pods missing the sidecar. */
OSMDIAG_API osmdiag_report *osmdiag_check_osmd404(osmdiag_source *src, const osmdiag_options *opts, osmdiag_error *err);
/** OSMD405: namespace mesh mismatch. */
OSMDIAG_API osmdiag_report *osmdiag_check_osmd405(osmdiag_source *src, const osmdiag_options *opts, osmdiag_error *err);
/** OSMD501: required CRDs installed. */
OSMDIAG_API osmdiag_report *osmdiag_check_osmd501(osmdiag_source *src, const osmdiag_options *opts, osmdiag_error *err);
/** OSMD502: SMI versions served. */
OSMDIAG_API osmdiag_report *osmdiag_check_osmd502(osmdiag_source *src, const osmdiag_options *opts, osmdiag_error *err);
/** OSMD503: unsupported SMI kinds. */
OSMDIAG_API osmdiag_report *osmdiag_check_osmd503(osmdiag_source *src, const osmdiag_options *opts, osmdiag_error *err);
/** OSMD601: mesh root CA present. */
OSMDIAG_API osmdiag_report *osmdiag_check_osmd601(osmdiag_source *src, const osmdiag_options *opts, osmdiag_error *err);
/** OSMD602: mesh root CA validity. */
OSMDIAG_API osmdiag_report *osmdiag_check_osmd602(osmdiag_source *src, const osmdiag_options *opts, osmdiag_error *err);
/** OSMD701: Envoy image current. */
OSMDIAG_API osmdiag_report *osmdiag_check_osmd701(osmdiag_source *src, const osmdiag_options *opts, osmdiag_error *err);
/** OSMD702: init container image current. */
OSMDIAG_API osmdiag_report *osmdiag_check_osmd702(osmdiag_source *src, const osmdiag_options *opts, osmdiag_error *err);
/** OSMD703: sidecars healthy. */
OSMDIAG_API osmdiag_report *osmdiag_check_osmd703(osmdiag_source *src, const osmdiag_options *opts, osmdiag_error *err);

OSMDIAG_END_DECL

#endif /* OSMDIAG_CHECKS_H */
