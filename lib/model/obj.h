/*
 * Read-only accessors over Kubernetes objects for the checks. The checks see
 * `osmdiag__obj` only through these functions, never jansson itself, so a
 * wrong type in any field is handled in one place. Internal.
 */
#ifndef OSMDIAG_OBJ_H
#define OSMDIAG_OBJ_H

#include <stddef.h>

struct json_t;
typedef struct json_t osmdiag__obj;

/* Field lookup results. */
enum {
	OSMDIAG__F_OK = 0,
	OSMDIAG__F_MISSING = -1,   /* absent or JSON null */
	OSMDIAG__F_WRONGTYPE = -2  /* present with another JSON type */
};

/*
 * `path` is a dotted member path ("spec.template.spec.containers"); for keys
 * that contain dots (labels) use osmdiag__obj_member() or the label helpers.
 * Every function is NULL-safe on `o` (a NULL object has no fields).
 */
const osmdiag__obj *osmdiag__obj_get(const osmdiag__obj *o, const char *path);
const osmdiag__obj *osmdiag__obj_member(const osmdiag__obj *o, const char *key);

/* String at path: NULL when missing or not a string. */
const char *osmdiag__obj_str(const osmdiag__obj *o, const char *path);
/* Typed reads: return OSMDIAG__F_OK / _MISSING / _WRONGTYPE; *out untouched unless OK. */
int osmdiag__obj_get_str(const osmdiag__obj *o, const char *path, const char **out);
int osmdiag__obj_get_int(const osmdiag__obj *o, const char *path, long long *out);
int osmdiag__obj_get_bool(const osmdiag__obj *o, const char *path, int *out);

/* JSON type name of a value: "string", "integer", "number", "boolean",
 * "object", "array", "null"; "missing" for NULL. */
const char *osmdiag__obj_type_name(const osmdiag__obj *v);
int osmdiag__obj_is_object(const osmdiag__obj *v);
int osmdiag__obj_is_array(const osmdiag__obj *v);
int osmdiag__obj_is_string(const osmdiag__obj *v);
/* Value of a string node (NULL if not a string). */
const char *osmdiag__obj_string_value(const osmdiag__obj *v);
/* Compact JSON text of any value (new string, free()); for messages. */
char *osmdiag__obj_dump(const osmdiag__obj *v);

/* The type with its article, for messages: "a string", "an integer", ... */
const char *osmdiag__type_phrase(const char *type_name);
const char *osmdiag__obj_type_phrase(const osmdiag__obj *v);

/*
 * Type validation for messages that name the field: 1 when the value at
 * `path` is present (not null) with a JSON type other than `want` ("string",
 * "integer", "boolean", "object", "array"), writing
 * "<prefix><path> is <a type>, expected <a want>" into buf.
 */
int osmdiag__obj_wrong_type(const osmdiag__obj *o, const char *prefix, const char *path,
	const char *want, char *buf, size_t len);
/* {path, type} pairs for osmdiag__obj_items_bad(). */
typedef const char *const osmdiag__field_spec[2];
/* 1 when an element of the array at `path` is not an object or one of its
 * `fields` has a wrong type (message in buf, e.g. "spec.containers[2].image is ..."). */
int osmdiag__obj_items_bad(const osmdiag__obj *o, const char *path, osmdiag__field_spec *fields,
	size_t nfields, char *buf, size_t len);

/* Arrays: length (0 when not an array) and element i (NULL when out of range). */
size_t osmdiag__obj_len(const osmdiag__obj *arr);
const osmdiag__obj *osmdiag__obj_at(const osmdiag__obj *arr, size_t i);

/* Objects: number of members and iteration in sorted key order. */
size_t osmdiag__obj_size(const osmdiag__obj *o);
typedef int (*osmdiag__obj_each_fn)(const char *key, const osmdiag__obj *value, void *ud);
/* Calls fn per member in key order; stops when fn returns non-zero (returned). */
int osmdiag__obj_each(const osmdiag__obj *o, osmdiag__obj_each_fn fn, void *ud);

/* Metadata shortcuts (NULL when missing/wrong type). */
const char *osmdiag__obj_kind(const osmdiag__obj *o);
const char *osmdiag__obj_api_version(const osmdiag__obj *o);
const char *osmdiag__obj_name(const osmdiag__obj *o);
const char *osmdiag__obj_namespace(const osmdiag__obj *o);
const char *osmdiag__obj_label(const osmdiag__obj *o, const char *key);
int osmdiag__obj_has_label(const osmdiag__obj *o, const char *key);
const char *osmdiag__obj_annotation(const osmdiag__obj *o, const char *key);
int osmdiag__obj_has_annotation(const osmdiag__obj *o, const char *key);
/* metadata.labels as an object (NULL when absent). */
const osmdiag__obj *osmdiag__obj_labels(const osmdiag__obj *o);

#endif /* OSMDIAG_OBJ_H */
