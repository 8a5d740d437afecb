/*
 * Object store: Kubernetes objects indexed by kind, namespace and name, and
 * the one label-selector implementation (text selectors and
 * metav1.LabelSelector objects). Internal.
 */
#ifndef OSMDIAG_STORE_H
#define OSMDIAG_STORE_H

#include <stddef.h>
#include <jansson.h>

typedef struct osmdiag__store osmdiag__store;
typedef struct osmdiag__selector osmdiag__selector;

osmdiag__store *osmdiag__store_new(void);
void osmdiag__store_free(osmdiag__store *st);

/*
 * Adds `obj` (reference stolen, also on failure). The object must be a JSON
 * object with a string `kind` and a string `metadata.name`; otherwise returns
 * -1 and writes a message naming what is missing into errbuf. A second object
 * with the same kind/namespace/name replaces the first (last wins, like
 * `kubectl apply` of a later file).
 */
int osmdiag__store_add(osmdiag__store *st, json_t *obj, char *errbuf, size_t errlen);
/* The same for an object the field filter (store/trim.h) was applied to by
 * its source already (live pages, snapshot files): not filtered again. */
int osmdiag__store_add_filtered(osmdiag__store *st, json_t *obj, char *errbuf, size_t errlen);

/* A Secret keeps only data["ca.crt"] (and stringData["ca.crt"]): private keys
 * never stay in memory. Every object entering a store goes through it. */
void osmdiag__secret_keep_ca_only(json_t *secret);

size_t osmdiag__store_count(const osmdiag__store *st);

/*
 * The rules osmdiag__store_add enforces: a JSON object with a non-empty string
 * `kind`, a `metadata` object, a non-empty string `metadata.name` and, when
 * present, a string `metadata.namespace`. 0, or -1 with a one-line message.
 */
int osmdiag__store_validate(const json_t *obj, char *errbuf, size_t errlen);

/* "an object", "a string", "a number", "a boolean", "null", ... */
const char *osmdiag__json_type_name(const json_t *v);

/* Removes one object; 0 when it was there, -1 when not (tests use it to
 * build fixtures that lack an object). */
int osmdiag__store_remove(osmdiag__store *st, const char *kind, const char *ns, const char *name);

/* Borrowed object or NULL. `ns` NULL/"" for cluster-scoped objects. */
json_t *osmdiag__store_get(const osmdiag__store *st, const char *kind, const char *ns,
	const char *name);

/*
 * New JSON array of the objects of `kind` in `ns` (NULL/"" = all) whose labels
 * match `sel` (NULL = all), in a stable order (namespace, then name).
 * NULL only on OOM.
 */
json_t *osmdiag__store_list(const osmdiag__store *st, const char *kind, const char *ns,
	const osmdiag__selector *sel);

/* Calls fn for every object (any kind); stops when fn returns non-zero. */
int osmdiag__store_foreach(const osmdiag__store *st, int (*fn)(json_t *obj, void *ud), void *ud);

/*
 * Parses a text label selector (kubectl --selector grammar: `a=b`, `a==b`,
 * `a!=b`, `a in (x,y)`, `a notin (x,y)`, `a`, `!a`, comma-separated = AND).
 * NULL/"" gives a selector matching everything. NULL on a syntax error, with
 * the message in errbuf (`unable to parse requirement: ...`).
 */
osmdiag__selector *osmdiag__selector_parse(const char *text, char *errbuf, size_t errlen);

/*
 * Builds a selector from a metav1.LabelSelector JSON object (matchLabels and
 * matchExpressions with In, NotIn, Exists, DoesNotExist). NULL `ls` or {}
 * matches everything. NULL on an invalid selector, message in errbuf.
 */
osmdiag__selector *osmdiag__selector_from_json(const json_t *ls, char *errbuf, size_t errlen);

/* 1 when `labels` (a JSON object of string values, or NULL = no labels) matches. */
int osmdiag__selector_matches(const osmdiag__selector *sel, const json_t *labels);
/* The same for labels as key, value, ..., NULL (a NULL value: not a string). */
int osmdiag__selector_matches_kv(const osmdiag__selector *sel, const char *const *kv);

void osmdiag__selector_free(osmdiag__selector *sel);

#endif /* OSMDIAG_STORE_H */
