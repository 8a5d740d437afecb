/* Read-only accessors over Kubernetes objects (the checks' view of jansson). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "model/obj.h"

const osmdiag__obj *osmdiag__obj_member(const osmdiag__obj *o, const char *key)
{
	json_t *v;

	if (!o || !json_is_object(o) || !key)
		return NULL;
	v = json_object_get(o, key);
	return v;
}

const osmdiag__obj *osmdiag__obj_get(const osmdiag__obj *o, const char *path)
{
	const char *p = path;

	if (!path)
		return NULL;
	while (o && *p) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);

		if (n >= 256)
			return NULL;
#if JANSSON_VERSION_HEX >= 0x020e00
		/* no copy of the key (the checks walk paths on every pod) */
		o = json_is_object(o) ? json_object_getn(o, p, n) : NULL;
#else
		char key[256];

		memcpy(key, p, n);
		key[n] = '\0';
		o = osmdiag__obj_member(o, key);
#endif
		p += n;
		if (*p == '.')
			p++;
	}
	return o;
}

const char *osmdiag__obj_str(const osmdiag__obj *o, const char *path)
{
	const json_t *v = osmdiag__obj_get(o, path);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

int osmdiag__obj_get_str(const osmdiag__obj *o, const char *path, const char **out)
{
	const json_t *v = osmdiag__obj_get(o, path);

	if (!v || json_is_null(v))
		return OSMDIAG__F_MISSING;
	if (!json_is_string(v))
		return OSMDIAG__F_WRONGTYPE;
	*out = json_string_value(v);
	return OSMDIAG__F_OK;
}

int osmdiag__obj_get_int(const osmdiag__obj *o, const char *path, long long *out)
{
	const json_t *v = osmdiag__obj_get(o, path);

	if (!v || json_is_null(v))
		return OSMDIAG__F_MISSING;
	if (!json_is_integer(v))
		return OSMDIAG__F_WRONGTYPE;
	*out = json_integer_value(v);
	return OSMDIAG__F_OK;
}

int osmdiag__obj_get_bool(const osmdiag__obj *o, const char *path, int *out)
{
	const json_t *v = osmdiag__obj_get(o, path);

	if (!v || json_is_null(v))
		return OSMDIAG__F_MISSING;
	if (!json_is_boolean(v))
		return OSMDIAG__F_WRONGTYPE;
	*out = json_is_true(v);
	return OSMDIAG__F_OK;
}

const char *osmdiag__obj_type_name(const osmdiag__obj *v)
{
	if (!v)
		return "missing";
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "object";
	case JSON_ARRAY: return "array";
	case JSON_STRING: return "string";
	case JSON_INTEGER: return "integer";
	case JSON_REAL: return "number";
	case JSON_TRUE:
	case JSON_FALSE: return "boolean";
	case JSON_NULL: return "null";
	}
	return "unknown";
}

int osmdiag__obj_is_object(const osmdiag__obj *v)
{
	return v && json_is_object(v);
}

int osmdiag__obj_is_array(const osmdiag__obj *v)
{
	return v && json_is_array(v);
}

int osmdiag__obj_is_string(const osmdiag__obj *v)
{
	return v && json_is_string(v);
}

const char *osmdiag__obj_string_value(const osmdiag__obj *v)
{
	return v && json_is_string(v) ? json_string_value(v) : NULL;
}

char *osmdiag__obj_dump(const osmdiag__obj *v)
{
	if (!v)
		return strdup("null");
	return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
}

size_t osmdiag__obj_len(const osmdiag__obj *arr)
{
	return arr && json_is_array(arr) ? json_array_size(arr) : 0;
}

const osmdiag__obj *osmdiag__obj_at(const osmdiag__obj *arr, size_t i)
{
	return arr && json_is_array(arr) ? json_array_get(arr, i) : NULL;
}

size_t osmdiag__obj_size(const osmdiag__obj *o)
{
	return o && json_is_object(o) ? json_object_size(o) : 0;
}

static int cmp_key(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int osmdiag__obj_each(const osmdiag__obj *o, osmdiag__obj_each_fn fn, void *ud)
{
	const char **keys;
	const char *key;
	json_t *value;
	size_t n = 0;
	int rc = 0;

	if (!o || !json_is_object(o) || !json_object_size(o))
		return 0;
	keys = malloc(json_object_size(o) * sizeof(*keys));
	if (!keys)
		return -1;
	json_object_foreach((json_t *)o, key, value)
		keys[n++] = key;
	qsort(keys, n, sizeof(*keys), cmp_key);
	for (size_t i = 0; i < n && !rc; i++)
		rc = fn(keys[i], json_object_get(o, keys[i]), ud);
	free(keys);
	return rc;
}

const char *osmdiag__obj_kind(const osmdiag__obj *o)
{
	return osmdiag__obj_str(o, "kind");
}

const char *osmdiag__obj_api_version(const osmdiag__obj *o)
{
	return osmdiag__obj_str(o, "apiVersion");
}

const char *osmdiag__obj_name(const osmdiag__obj *o)
{
	return osmdiag__obj_str(o, "metadata.name");
}

const char *osmdiag__obj_namespace(const osmdiag__obj *o)
{
	return osmdiag__obj_str(o, "metadata.namespace");
}

const osmdiag__obj *osmdiag__obj_labels(const osmdiag__obj *o)
{
	const json_t *l = osmdiag__obj_get(o, "metadata.labels");

	return json_is_object(l) ? l : NULL;
}

const char *osmdiag__obj_label(const osmdiag__obj *o, const char *key)
{
	return osmdiag__obj_string_value(osmdiag__obj_member(osmdiag__obj_labels(o), key));
}

int osmdiag__obj_has_label(const osmdiag__obj *o, const char *key)
{
	return osmdiag__obj_member(osmdiag__obj_labels(o), key) != NULL;
}

static const json_t *annotations(const osmdiag__obj *o)
{
	const json_t *a = osmdiag__obj_get(o, "metadata.annotations");

	return json_is_object(a) ? a : NULL;
}

const char *osmdiag__obj_annotation(const osmdiag__obj *o, const char *key)
{
	return osmdiag__obj_string_value(osmdiag__obj_member(annotations(o), key));
}

int osmdiag__obj_has_annotation(const osmdiag__obj *o, const char *key)
{
	return osmdiag__obj_member(annotations(o), key) != NULL;
}

const char *osmdiag__type_phrase(const char *t)
{
	static const char *const names[][2] = {
		{ "string", "a string" }, { "integer", "an integer" }, { "number", "a number" },
		{ "boolean", "a boolean" }, { "object", "an object" }, { "array", "an array" },
	};

	for (size_t i = 0; t && i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i][0], t) == 0)
			return names[i][1];
	return t ? t : "missing";
}

const char *osmdiag__obj_type_phrase(const osmdiag__obj *v)
{
	return osmdiag__type_phrase(osmdiag__obj_type_name(v));
}

int osmdiag__obj_wrong_type(const osmdiag__obj *o, const char *prefix, const char *path,
	const char *want, char *buf, size_t len)
{
	const json_t *v = osmdiag__obj_get(o, path);

	if (!v || json_is_null(v) || strcmp(osmdiag__obj_type_name(v), want) == 0)
		return 0;
	snprintf(buf, len, "%s%s is %s, expected %s", prefix, path, osmdiag__obj_type_phrase(v),
		 osmdiag__type_phrase(want));
	return 1;
}

int osmdiag__obj_items_bad(const osmdiag__obj *o, const char *path, osmdiag__field_spec *fields,
	size_t nfields, char *buf, size_t len)
{
	const json_t *arr = osmdiag__obj_get(o, path);
	char prefix[96];

	for (size_t i = 0; i < osmdiag__obj_len(arr); i++) {
		const json_t *it = osmdiag__obj_at(arr, i);

		if (!json_is_object(it)) {
			snprintf(buf, len, "%s[%zu] is %s, expected an object", path, i, osmdiag__obj_type_phrase(it));
			return 1;
		}
		for (size_t f = 0; f < nfields; f++) {
			const json_t *v = osmdiag__obj_get(it, fields[f][0]);

			/* the message (and its prefix) only for a wrong one: this runs per pod */
			if (!v || json_is_null(v) || strcmp(osmdiag__obj_type_name(v), fields[f][1]) == 0)
				continue;
			snprintf(prefix, sizeof(prefix), "%s[%zu].", path, i);
			return osmdiag__obj_wrong_type(it, prefix, fields[f][0], fields[f][1], buf, len);
		}
	}
	return 0;
}
