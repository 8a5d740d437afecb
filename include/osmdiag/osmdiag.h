/*
 * libosmdiag - diagnostics for Open Service Mesh (OSM) on Kubernetes.
 *
 * The only header users need. In 20 lines:
 *
 *   osmdiag_global_init();
 *   osmdiag_error err;
 *   osmdiag_source *src = osmdiag_source_new_snapshot(&err);
 *   if (osmdiag_source_add_snapshot(src, "cluster.json") != OSMDIAG_OK)
 *       fprintf(stderr, "%s\n", osmdiag_source_errmsg(src));
 *   osmdiag_options *opts = osmdiag_options_new();
 *   osmdiag_options_only(opts, "webhooks");
 *   osmdiag_report *rep = osmdiag_run(src, opts, &err);
 *   for (size_t i = 0; i < osmdiag_report_count(rep); i++) {
 *       const osmdiag_result *r = osmdiag_report_at(rep, i);
 *       printf("%s %s %s\n", osmdiag_result_id(r),
 *              osmdiag_status_name(osmdiag_result_status(r)), osmdiag_result_message(r));
 *   }
 *   osmdiag_report_free(rep); osmdiag_options_free(opts); osmdiag_source_free(src);
 *   osmdiag_global_shutdown();
 *
 * Conventions: every function is prefixed osmdiag_; constructors return the
 * new handle (NULL on error, detail in the optional osmdiag_error); getters
 * return borrowed pointers valid until their parent is freed; every _free is
 * NULL-safe; the library never prints and never exits. Handles are not
 * thread-safe: use one per thread. Call osmdiag_global_init() once from the
 * main thread before starting threads.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef OSMDIAG_OSMDIAG_H
#define OSMDIAG_OSMDIAG_H

#include "common.h"
#include "osmdiag/version.h"
#include "errors.h"
#include "source.h"
#include "check.h"
#include "report.h"
#include "checks.h"
#include "mesh.h"
#include "migrate.h"

OSMDIAG_BEGIN_DECL

/** Reference-counted global set-up (libcurl, hash seeds). Returns the new count (> 0) or an error code. */
OSMDIAG_API int osmdiag_global_init(void);
/** Undoes one osmdiag_global_init(); returns the remaining count. */
OSMDIAG_API int osmdiag_global_shutdown(void);

OSMDIAG_END_DECL

#endif /* OSMDIAG_OSMDIAG_H */
