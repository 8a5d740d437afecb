/* `osm mesh list`: every control plane in the cluster. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "model/model.h"
#include "osmdiag/mesh.h"
#include "source/source_impl.h"
#include "store/store.h"
#include "util/util.h"

struct osmdiag_mesh_list {
	osmdiag__store *store;
	osmdiag__model model;
};

osmdiag_mesh_list *osmdiag_mesh_list_new(osmdiag_source *src, osmdiag_error *err)
{
	osmdiag__fetch reqs[2] = {
		{ .kind = "Deployment", .selector = "app=osm-controller" },
		{ .kind = "Namespace" },
	};
	osmdiag_mesh_list *list;
	int rc;

	osmdiag_error_clear(err);
	if (!src) {
		osmdiag__error_set(err, OSMDIAG_EINVAL, "no source of cluster state given");
		return NULL;
	}
	list = calloc(1, sizeof(*list));
	if (!list || !(list->store = osmdiag__store_new())) {
		free(list);
		osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
		return NULL;
	}
	rc = osmdiag__source_fetch(src, reqs, 2, 0);
	if (rc != OSMDIAG_OK) {
		osmdiag__error_set(err, rc, "%s", osmdiag_source_errmsg(src));
		goto fail;
	}
	for (size_t i = 0; i < 2; i++) {
		json_t *item;
		size_t k;

		if (reqs[i].code != OSMDIAG_OK) {
			osmdiag__error_set(err, reqs[i].code, "%s",
					   reqs[i].message ? reqs[i].message : osmdiag_strerror(reqs[i].code));
			goto fail;
		}
		json_array_foreach(reqs[i].items, k, item)
			osmdiag__store_add(list->store, json_incref(item), NULL, 0);
	}
	if (osmdiag__model_discover(&list->model, list->store) < 0) {
		osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
		goto fail;
	}
	osmdiag__fetch_release(reqs, 2);
	return list;
fail:
	osmdiag__fetch_release(reqs, 2);
	osmdiag_mesh_list_free(list);
	return NULL;
}

void osmdiag_mesh_list_free(osmdiag_mesh_list *list)
{
	if (!list)
		return;
	osmdiag__model_dispose(&list->model);
	osmdiag__store_free(list->store);
	free(list);
}

size_t osmdiag_mesh_list_count(const osmdiag_mesh_list *list)
{
	return list ? list->model.nmeshes : 0;
}

static const osmdiag__mesh *mesh_at(const osmdiag_mesh_list *list, size_t i)
{
	return list && i < list->model.nmeshes ? &list->model.meshes[i] : NULL;
}

const char *osmdiag_mesh_list_name(const osmdiag_mesh_list *list, size_t i)
{
	const osmdiag__mesh *m = mesh_at(list, i);

	return m ? m->name : NULL;
}

const char *osmdiag_mesh_list_namespace(const osmdiag_mesh_list *list, size_t i)
{
	const osmdiag__mesh *m = mesh_at(list, i);

	return m ? m->namespace_ : NULL;
}

const char *osmdiag_mesh_list_version(const osmdiag_mesh_list *list, size_t i)
{
	const osmdiag__mesh *m = mesh_at(list, i);

	return m ? (m->version && *m->version ? m->version : "Unknown") : NULL;
}

const char *osmdiag_mesh_list_profile(const osmdiag_mesh_list *list, size_t i)
{
	const osmdiag__mesh *m = mesh_at(list, i);

	return m ? m->profile->name : NULL;
}

const char *osmdiag_mesh_list_namespaces(const osmdiag_mesh_list *list, size_t i)
{
	const osmdiag__mesh *m = mesh_at(list, i);

	return m ? m->added_namespaces : NULL;
}

int osmdiag_mesh_list_to_json(const osmdiag_mesh_list *list, char **out)
{
	json_t *arr = json_array();

	if (!out)
		return OSMDIAG_EINVAL;
	*out = NULL;
	if (!arr)
		return OSMDIAG_ENOMEM;
	for (size_t i = 0; i < osmdiag_mesh_list_count(list); i++) {
		const osmdiag__mesh *m = mesh_at(list, i);
		json_t *nss = json_array();
		const char *p = m->added_namespaces;

		while (nss && p && *p) {
			const char *comma = strchr(p, ',');
			size_t n = comma ? (size_t)(comma - p) : strlen(p);

			json_array_append_new(nss, json_stringn(p, n));
			p += n + (comma ? 1 : 0);
		}
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s?, s:s, s:b, s:o*}", "name", m->name,
						     "namespace", m->namespace_, "version", m->version,
						     "profile", m->profile->name, "versionKnown", m->version_known,
						     "namespaces", nss));
	}
	*out = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(arr);
	return *out ? OSMDIAG_OK : OSMDIAG_ENOMEM;
}
