/*
 * The source interface behind osmdiag_source: list objects of a kind,
 * optionally in one namespace, with a label selector. Requests come in
 * batches so that the live source can run them concurrently. Internal.
 */
#ifndef OSMDIAG_SOURCE_IMPL_H
#define OSMDIAG_SOURCE_IMPL_H

#include <stdatomic.h>

#include <jansson.h>

struct osmdiag__store;

#include "osmdiag/source.h"

/* One list request and its outcome. */
typedef struct osmdiag__fetch {
	/* in */
	const char *kind;       /* Kubernetes kind, e.g. "Deployment" */
	const char *namespace_; /* NULL = all namespaces */
	const char *selector;   /* label selector text; NULL = everything */
	/* out */
	json_t *items;          /* new reference: JSON array of objects; NULL on error */
	int code;               /* OSMDIAG_OK or an osmdiag_errcode (EFORBIDDEN, ETIMEOUT, ...) */
	int http_status;
	char *message;          /* malloc'd one-line reason when code != 0 */
	/* in, last so that positional initialisers stay valid: a field selector on
	 * metadata.name / metadata.namespace (`=`, `==`, `!=`, comma = and);
	 * the server applies it (narrow RBAC: resourceNames), and
	 * osmdiag__source_fetch() again on what comes back, for every source */
	const char *field_selector;
	/* in, optional (never with a field selector): receives each item as it
	 * arrives, a new reference, instead of `items` (then an empty array), so
	 * that a large list is never held whole; returns 0, or -1 on out of memory
	 * (the request fails). `on_reset` voids what it received so far (the list
	 * starts again). A failed request's items are void too: the caller drops
	 * them. Sources that read whole lists leave it to osmdiag__source_fetch. */
	int (*on_item)(void *ud, json_t *item);
	void (*on_reset)(void *ud);
	void *item_ud;
	/* out: the items given to on_item */
	size_t consumed;
} osmdiag__fetch;

typedef struct osmdiag__source_ops {
	const char *kind; /* "snapshot" or "live" */
	/*
	 * Runs the requests (in any order, concurrently if it can), filling each
	 * one's out fields. Returns OSMDIAG_OK when the batch ran, even if some
	 * requests failed on their own (403 on one list); returns an error code,
	 * with the message on the source, only when nothing can work (cluster
	 * unreachable, credentials refused, timeout before anything answered).
	 */
	int (*fetch)(osmdiag_source *src, osmdiag__fetch *reqs, size_t n, long timeout_ms);
	void (*free_impl)(void *impl);
} osmdiag__source_ops;

struct osmdiag_source {
	const osmdiag__source_ops *ops;
	void *impl;
	int errcode;
	char errmsg[OSMDIAG_ERROR_MESSAGE_SIZE];
	char *description;   /* for report headers; set by the implementation */
	size_t requests;     /* HTTP requests sent (live) */
	size_t objects_read; /* objects of the successful lists so far (live) */
	int max_concurrency; /* live: parallel requests, default 8 */
	atomic_int cancelled;/* set by osmdiag_source_cancel() from any thread */
};

/* Creates a source around an implementation (used by the constructors). */
osmdiag_source *osmdiag__source_new(const osmdiag__source_ops *ops, void *impl);
/* Records the last error on the handle and returns `code`. */
int osmdiag__source_set_error(osmdiag_source *src, int code, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;
void osmdiag__source_clear_error(osmdiag_source *src);
/* Runs a batch through the source; on return each request has items or an error. */
int osmdiag__source_fetch(osmdiag_source *src, osmdiag__fetch *reqs, size_t n, long timeout_ms);
/* Releases the out fields of a batch. */
void osmdiag__fetch_release(osmdiag__fetch *reqs, size_t n);

#endif /* OSMDIAG_SOURCE_IMPL_H */

/* Snapshot sources only: the store holding the loaded objects (tests mutate
 * it); NULL for another kind of source. */
struct osmdiag__store *osmdiag__snapshot_store(osmdiag_source *src);
