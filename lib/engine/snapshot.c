/*
 * `osmdiag snapshot`: captures exactly what a check run with the same options
 * and a migration inventory read (the same gathering), as a snapshot the snapshot source reads back. Secrets
 * are written with their `ca.crt` only: a private key never reaches the disk.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "engine/gather.h"
#include "engine/options_impl.h"
#include "osmdiag/report.h"
#include "store/store.h"
#include "util/util.h"

typedef struct capture {
	json_t *by_kind; /* kind -> array of objects */
} capture;

/* A copy of a Secret that keeps only data["ca.crt"] (stored Secrets do
 * already: a second guard before anything is written to disk). */
static json_t *secret_public_copy(json_t *secret)
{
	json_t *copy = json_deep_copy(secret);

	if (!copy)
		return NULL;
	osmdiag__secret_keep_ca_only(copy);
	json_object_del(json_object_get(copy, "metadata"), "managedFields");
	return copy;
}

static int collect(json_t *obj, void *ud)
{
	capture *c = ud;
	const char *kind = json_string_value(json_object_get(obj, "kind"));
	json_t *arr, *item;

	if (!kind)
		return 0;
	arr = json_object_get(c->by_kind, kind);
	if (!arr) {
		arr = json_array();
		if (!arr || json_object_set_new(c->by_kind, kind, arr) < 0)
			return -1;
	}
	item = strcmp(kind, "Secret") == 0 ? secret_public_copy(obj) : json_incref(obj);
	return item ? json_array_append_new(arr, item) : -1;
}

static int path_is_file(const char *path)
{
	return osmdiag__has_suffix(path, ".json") || osmdiag__has_suffix(path, ".yaml") ||
	       osmdiag__has_suffix(path, ".yml");
}

static int write_json(const char *path, json_t *doc, osmdiag_error *err)
{
	if (json_dump_file(doc, path, JSON_INDENT(2) | JSON_SORT_KEYS) < 0)
		return osmdiag__error_set(err, OSMDIAG_ERROR, "cannot write %s: %s", path, strerror(errno));
	return OSMDIAG_OK;
}

static json_t *list_of(const char *kind, json_t *items)
{
	char list_kind[128];

	snprintf(list_kind, sizeof(list_kind), "%sList", kind ? kind : "");
	return json_pack("{s:s, s:s, s:{}, s:O}", "apiVersion", "v1", "kind", kind ? list_kind : "List",
			 "metadata", "items", items);
}

static int write_capture(const capture *c, const char *path, osmdiag_error *err)
{
	const char *kind;
	json_t *items;
	int rc = OSMDIAG_OK;

	if (path_is_file(path)) {
		json_t *all = json_array(), *doc;

		json_object_foreach(c->by_kind, kind, items)
			json_array_extend(all, items);
		doc = list_of(NULL, all);
		json_decref(all);
		if (!doc)
			return osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
		rc = write_json(path, doc, err);
		json_decref(doc);
		return rc;
	}
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return osmdiag__error_set(err, OSMDIAG_ERROR, "cannot create directory %s: %s", path,
					  strerror(errno));
	json_object_foreach(c->by_kind, kind, items) {
		char *file = osmdiag__asprintf("%s/%s.json", path, kind);
		json_t *doc = list_of(kind, items);

		if (!file || !doc)
			rc = osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
		else
			rc = write_json(file, doc, err);
		free(file);
		json_decref(doc);
		if (rc != OSMDIAG_OK)
			break;
	}
	return rc;
}

int osmdiag_snapshot_write(osmdiag_source *src, const osmdiag_options *opts, const char *path,
	osmdiag_error *err)
{
	osmdiag_options defaults;
	osmdiag__gather g;
	capture c = { NULL };
	int rc;

	osmdiag_error_clear(err);
	if (!src || !path || !*path)
		return osmdiag__error_set(err, OSMDIAG_EINVAL, "a source and an output path are required");
	if (!opts) {
		memset(&defaults, 0, sizeof(defaults));
		defaults.fail_on = OSMDIAG_STATUS_FAIL;
		defaults.expiry_warning_days = 30;
		opts = &defaults;
	}
	/* What `check` reads, and what `migrate` reads: the inventory must be
	 * taken before OSM is uninstalled, which deletes its CRDs and objects. */
	rc = osmdiag__gather_run(&g, src, opts, osmdiag__plan_needs(opts, NULL) | OSMDIAG__NEEDS_MIGRATE, err);
	if (rc == OSMDIAG_OK) {
		/* A list that failed (forbidden, timeout) would make a snapshot that
		 * silently differs from the cluster: refuse it. */
		if (g.discovery_error)
			rc = osmdiag__error_set(err, g.failed_code, "%s", g.discovery_error);
		else if (g.failed_needs)
			rc = osmdiag__error_set(err, g.failed_code, "%s",
						osmdiag__gather_input_failure(&g, g.failed_needs));
	}
	if (rc == OSMDIAG_OK) {
		c.by_kind = json_object();
		if (!c.by_kind || osmdiag__store_foreach(g.store, collect, &c) != 0)
			rc = osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
		else
			rc = write_capture(&c, path, err);
	}
	json_decref(c.by_kind);
	osmdiag__gather_dispose(&g);
	return rc;
}
