/*
 * The field filter: what of a Kubernetes object the library keeps. Applied to
 * every object as it enters an object store (snapshot files, live pages, test
 * additions), so memory and check time scale with what the checks read, not
 * with the size of the cluster's objects. Internal.
 */
#ifndef OSMDIAG_TRIM_H
#define OSMDIAG_TRIM_H

#include <jansson.h>

/*
 * Drops, in place, the members of `obj` that no check (nor the migration
 * planner) reads, by the per-kind keep-lists in trim.c; kinds without a list
 * keep every field except metadata.managedFields. `kind` NULL = the object's
 * own "kind". Values of an unexpected JSON type are kept whole, so type errors
 * still reach the checks. Never drops kind, apiVersion, metadata.name or
 * metadata.namespace: a trimmed object is still a valid object.
 */
void osmdiag__trim_object(json_t *obj, const char *kind);

/*
 * Parses one page of a list response (`{"kind":"PodList", ..., "items":[...]}`
 * of objects of `kind`) straight into trimmed objects: what the keep-lists drop
 * is validated but never built. Returns the document (new reference), or NULL
 * when the text is not plain valid JSON or holds something unusual (then parse
 * it with jansson for the value or the error message).
 */
json_t *osmdiag__trim_parse_list(const char *buf, size_t len, const char *kind);

/*
 * Parses the JSON value at the start of buf (a snapshot file's object, List or
 * array of them) into trimmed objects, each by its own kind (list items without
 * one by the list's kind). *used = the bytes read. NULL when anything is
 * unusual, a duplicate key in a kept object included: then let jansson parse it
 * (for the value or the error message). Equal subtrees of the objects are
 * shared as in osmdiag__trim_parse_list (never those of a List nested in a List,
 * which are kept whole for the store to trim): stored objects are read-only.
 */
json_t *osmdiag__trim_parse_value(const char *buf, size_t len, size_t *used);

/*
 * Process-wide switch, on by default. Tests turn it off to compare check
 * results on whole and trimmed objects; nothing else should.
 */
void osmdiag__trim_set_enabled(int on);
int osmdiag__trim_enabled(void);

#endif /* OSMDIAG_TRIM_H */
