/*
 * The osmdiag_source handle: error state, batch fetch, public list/count API.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "source/source_impl.h"
#include "util/util.h"
#include "store/store.h"

osmdiag_source *osmdiag__source_new(const osmdiag__source_ops *ops, void *impl)
{
	if (!ops)
		return NULL;
	osmdiag_source *src = calloc(1, sizeof(*src));
	if (!src)
		return NULL;
	src->ops = ops;
	src->impl = impl;
	src->max_concurrency = 8;
	return src;
}

int osmdiag__source_set_error(osmdiag_source *src, int code, const char *fmt, ...)
{
	if (!src)
		return code;
	src->errcode = code;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(src->errmsg, sizeof(src->errmsg), fmt, ap);
	va_end(ap);
	return code;
}

void osmdiag__source_clear_error(osmdiag_source *src)
{
	if (!src)
		return;
	src->errcode = 0;
	src->errmsg[0] = '\0';
}

/* 1 when `obj` matches the field selector, 0 when not, -1 when it is invalid. */
static int field_match(json_t *obj, const char *fs)
{
	const char *p = fs;

	while (*p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char term[512], *op, *val;
		const char *actual;
		int neq = 0;

		if (len == 0 || len >= sizeof(term))
			return -1;
		memcpy(term, p, len);
		term[len] = '\0';
		if ((op = strstr(term, "!=")) != NULL) {
			neq = 1;
			val = op + 2;
		} else if ((op = strstr(term, "==")) != NULL) {
			val = op + 2;
		} else if ((op = strchr(term, '=')) != NULL) {
			val = op + 1;
		} else {
			return -1;
		}
		*op = '\0';
		if (strcmp(term, "metadata.name") == 0)
			actual = json_string_value(json_object_get(json_object_get(obj, "metadata"), "name"));
		else if (strcmp(term, "metadata.namespace") == 0)
			actual = json_string_value(json_object_get(json_object_get(obj, "metadata"), "namespace"));
		else
			return -1;
		if (!actual)
			actual = "";
		if ((strcmp(actual, val) == 0) == neq)
			return 0;
		p += len + (end ? 1 : 0);
	}
	return 1;
}

/* Applies a request's field selector to its items; -1 when the selector is invalid. */
static int filter_fields(osmdiag__fetch *req)
{
	json_t *kept = json_array();
	json_t *item;
	size_t i;

	if (!kept)
		return -1;
	json_array_foreach(req->items, i, item) {
		int m = field_match(item, req->field_selector);

		if (m < 0) {
			json_decref(kept);
			json_decref(req->items);
			req->items = NULL;
			return -1;
		}
		if (m)
			json_array_append(kept, item);
	}
	json_decref(req->items);
	req->items = kept;
	return 0;
}

/* Hands a whole list's items to the request's on_item (sources that read
 * whole lists); 0, or -1 on out of memory. */
static int consume(osmdiag__fetch *r)
{
	size_t i;
	json_t *it;
	json_t *none = json_array();

	if (!none)
		return -1;
	json_array_foreach(r->items, i, it) {
		if (r->on_item(r->item_ud, json_incref(it)) < 0) {
			json_decref(none);
			return -1;
		}
		r->consumed++;
	}
	json_decref(r->items);
	r->items = none;
	return 0;
}

int osmdiag__source_fetch(osmdiag_source *src, osmdiag__fetch *reqs, size_t n, long timeout_ms)
{
	if (!src || !src->ops || !src->ops->fetch)
		return osmdiag__source_set_error(src, OSMDIAG_EINVAL, "no source");
	if (n > 0 && !reqs)
		return osmdiag__source_set_error(src, OSMDIAG_EINVAL, "no requests");
	osmdiag__source_clear_error(src);
	if (atomic_load(&src->cancelled))
		return osmdiag__source_set_error(src, OSMDIAG_ECANCELED, "cancelled");
	/* The out fields are overwritten (release a batch before reusing it). */
	for (size_t i = 0; i < n; i++) {
		reqs[i].items = NULL;
		reqs[i].code = 0;
		reqs[i].http_status = 0;
		reqs[i].message = NULL;
		reqs[i].consumed = 0;
	}
	int rc = src->ops->fetch(src, reqs, n, timeout_ms);
	if (rc != OSMDIAG_OK) {
		if (src->errcode == 0)
			osmdiag__source_set_error(src, rc, "the %s source failed", src->ops->kind);
		/* every request carries the failure too */
		for (size_t i = 0; i < n; i++) {
			if (reqs[i].code != 0)
				continue;
			json_decref(reqs[i].items);
			reqs[i].items = NULL;
			reqs[i].code = rc;
			reqs[i].message = strdup(src->errmsg);
		}
		return rc;
	}
	/* Keep the promise "items or an error" even for a sloppy implementation. */
	for (size_t i = 0; i < n; i++) {
		if (reqs[i].code == 0 && reqs[i].items && reqs[i].field_selector && *reqs[i].field_selector &&
		    filter_fields(&reqs[i]) < 0) {
			reqs[i].code = OSMDIAG_EINVAL;
			reqs[i].message = osmdiag__asprintf("invalid field selector \"%s\" (supported: metadata.name, "
							    "metadata.namespace with =, ==, !=)", reqs[i].field_selector);
		}
		if (reqs[i].code == 0 && !reqs[i].items) {
			reqs[i].code = OSMDIAG_ERROR;
			free(reqs[i].message);
			reqs[i].message = strdup("the source returned no result");
		} else if (reqs[i].code != 0 && reqs[i].items) {
			json_decref(reqs[i].items);
			reqs[i].items = NULL;
		}
		if (reqs[i].code == 0 && reqs[i].on_item && json_array_size(reqs[i].items) && consume(&reqs[i]) < 0) {
			json_decref(reqs[i].items);
			reqs[i].items = NULL;
			reqs[i].code = OSMDIAG_ENOMEM;
			free(reqs[i].message);
			reqs[i].message = strdup("out of memory");
		}
		if (reqs[i].code == 0)
			src->objects_read += reqs[i].consumed + json_array_size(reqs[i].items);
	}
	return OSMDIAG_OK;
}

void osmdiag__fetch_release(osmdiag__fetch *reqs, size_t n)
{
	if (!reqs)
		return;
	for (size_t i = 0; i < n; i++) {
		json_decref(reqs[i].items);
		reqs[i].items = NULL;
		free(reqs[i].message);
		reqs[i].message = NULL;
		reqs[i].code = 0;
		reqs[i].http_status = 0;
	}
}

/* ---- public API ---------------------------------------------------------------- */

/* Writes `v` as compact JSON into memory the library allocated (free with
 * osmdiag_free), independent of jansson's allocator settings. */
static char *dump_json(const json_t *v)
{
	size_t need = json_dumpb(v, NULL, 0, JSON_COMPACT);
	if (need == 0)
		return NULL;
	char *out = malloc(need + 1);
	if (!out)
		return NULL;
	if (json_dumpb(v, out, need, JSON_COMPACT) != need) {
		free(out);
		return NULL;
	}
	out[need] = '\0';
	return out;
}

int osmdiag_source_list_json(osmdiag_source *src, const char *kind, const char *namespace_,
	const char *selector, char **out)
{
	if (out)
		*out = NULL;
	if (!src)
		return OSMDIAG_EINVAL;
	osmdiag__source_clear_error(src);
	if (!out)
		return osmdiag__source_set_error(src, OSMDIAG_EINVAL, "list: out is NULL");
	if (!kind || !*kind)
		return osmdiag__source_set_error(src, OSMDIAG_EINVAL, "list: a kind is required");
	osmdiag__fetch req;
	memset(&req, 0, sizeof(req));
	req.kind = kind;
	req.namespace_ = namespace_ && *namespace_ ? namespace_ : NULL;
	req.selector = selector && *selector ? selector : NULL;
	int rc = osmdiag__source_fetch(src, &req, 1, 0);
	if (rc == OSMDIAG_OK && req.code != 0) {
		rc = osmdiag__source_set_error(src, req.code, "%s", req.message ? req.message : "list failed");
	} else if (rc == OSMDIAG_OK) {
		*out = dump_json(req.items);
		if (!*out)
			rc = osmdiag__source_set_error(src, OSMDIAG_ENOMEM, "out of memory");
	}
	osmdiag__fetch_release(&req, 1);
	return rc;
}

size_t osmdiag_source_object_count(const osmdiag_source *src)
{
	if (!src)
		return 0;
	/* the snapshot source holds its files' objects; the live one counts what it read */
	struct osmdiag__store *st = osmdiag__snapshot_store((osmdiag_source *)src);
	return st ? osmdiag__store_count(st) : src->objects_read;
}

const char *osmdiag_source_kind(const osmdiag_source *src)
{
	return src && src->ops && src->ops->kind ? src->ops->kind : "";
}

int osmdiag_source_errcode(const osmdiag_source *src)
{
	return src ? src->errcode : OSMDIAG_EINVAL;
}

const char *osmdiag_source_errmsg(const osmdiag_source *src)
{
	return src ? src->errmsg : "";
}

void osmdiag_source_free(osmdiag_source *src)
{
	if (!src)
		return;
	if (src->ops && src->ops->free_impl)
		src->ops->free_impl(src->impl);
	free(src->description);
	free(src);
}

void osmdiag_free(void *ptr)
{
	free(ptr);
}
