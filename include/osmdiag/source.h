/*
 * libosmdiag - sources of cluster state.
 *
 * A source answers one question: "list the objects of a kind, optionally in
 * one namespace, matching a label selector". The snapshot source reads files;
 * the live source (a later release) asks a Kubernetes API server. The checks
 * never know which one they got.
 *
 * Handles are not thread-safe: use one per thread or serialise calls.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef OSMDIAG_SOURCE_H
#define OSMDIAG_SOURCE_H

#include "common.h"
#include "errors.h"

OSMDIAG_BEGIN_DECL

/** Opaque source of cluster state. */
typedef struct osmdiag_source osmdiag_source;

/**
 * Creates an empty snapshot source; add files or directories with
 * osmdiag_source_add_snapshot(). Returns NULL (and fills `err`) on failure.
 */
OSMDIAG_API osmdiag_source *osmdiag_source_new_snapshot(osmdiag_error *err);

/**
 * Reads a snapshot file or directory into the source, now. A file holds JSON
 * or YAML: one object, a Kubernetes List (`List` or `*List`, items with or
 * without their own kind/apiVersion) or several YAML documents. Directories
 * are read recursively (files ending .json, .yaml, .yml), which also covers
 * `kubectl cluster-info dump --output-directory`.
 *
 * @return OSMDIAG_OK, or OSMDIAG_ENOTFOUND / OSMDIAG_EPARSE / ... with the
 *         detail (file, line, object) in osmdiag_source_errmsg().
 */
OSMDIAG_API int osmdiag_source_add_snapshot(osmdiag_source *src, const char *path);

/**
 * Creates a live source that talks to the Kubernetes API server named by a
 * kubeconfig, as kubectl does: `kubeconfig` NULL = the KUBECONFIG list of
 * files merged (first wins), else ~/.kube/config; `context` NULL = the
 * current context. Credentials (token, client certificate, exec plugin) and
 * TLS settings come from the kubeconfig. Nothing is contacted yet.
 * Returns NULL with `err` filled (OSMDIAG_ECONFIG naming file and field,
 * OSMDIAG_ENOTFOUND, OSMDIAG_ENOTSUPPORTED for auth-provider).
 */
OSMDIAG_API osmdiag_source *osmdiag_source_new_kubeconfig(const char *kubeconfig, const char *context,
	osmdiag_error *err);

/**
 * Creates a live source from the in-cluster configuration of a pod: the
 * service-account token and CA under /var/run/secrets/kubernetes.io/
 * serviceaccount and KUBERNETES_SERVICE_HOST/PORT.
 */
OSMDIAG_API osmdiag_source *osmdiag_source_new_in_cluster(osmdiag_error *err);

/** Bounds the number of concurrent requests of a live source (default 8, 1..64). */
OSMDIAG_API int osmdiag_source_set_max_concurrency(osmdiag_source *src, int n);

/**
 * Cancels the work of `src` from any thread: requests in flight stop within
 * about a second and the running osmdiag_run()/osmdiag_migrate()/... returns
 * NULL with OSMDIAG_ECANCELED; later runs on this source fail the same way.
 * The only function that may be called concurrently with others on a source.
 */
OSMDIAG_API void osmdiag_source_cancel(osmdiag_source *src);

/** Human description for report headers: the snapshot paths, or
 *  `context "aks-prod" (https://host:443)`. Borrowed; never NULL. */
OSMDIAG_API const char *osmdiag_source_description(const osmdiag_source *src);

/** Number of HTTP requests a live source has sent (0 for snapshots). */
OSMDIAG_API size_t osmdiag_source_request_count(const osmdiag_source *src);

/**
 * Lists objects of `kind` ("Deployment", "Pod", ...: the Kubernetes kind,
 * case-sensitive), in `namespace` (NULL or "" = all namespaces), matching the
 * label `selector` (NULL or "" = everything; full selector grammar: `a=b`,
 * `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, comma = and).
 * Writes a JSON array of the objects to `*out` (free with osmdiag_free()).
 */
OSMDIAG_API int osmdiag_source_list_json(osmdiag_source *src, const char *kind,
	const char *namespace_, const char *selector, char **out);

/** Number of objects the source holds (snapshot), or has read so far (live:
 *  the objects of every list that succeeded, counted per list). */
OSMDIAG_API size_t osmdiag_source_object_count(const osmdiag_source *src);

/** Source kind: "snapshot" or "live". Borrowed static string. */
OSMDIAG_API const char *osmdiag_source_kind(const osmdiag_source *src);

/** Code of the last error on this handle (0 if none). */
OSMDIAG_API int osmdiag_source_errcode(const osmdiag_source *src);
/** Message of the last error on this handle; never NULL, "" if none; valid
 *  until the next call on the handle. */
OSMDIAG_API const char *osmdiag_source_errmsg(const osmdiag_source *src);

/** Frees the source. NULL-safe. */
OSMDIAG_API void osmdiag_source_free(osmdiag_source *src);

/** Frees memory the library handed over (JSON/text exports). NULL-safe. */
OSMDIAG_API void osmdiag_free(void *ptr);

OSMDIAG_END_DECL

#endif /* OSMDIAG_SOURCE_H */
