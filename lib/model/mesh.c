/*
 * Mesh discovery (`osm mesh list` logic, FACTS §5) and the model's lookups.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "model/model.h"
#include "store/store.h"
#include "util/util.h"

#define LABEL_MONITORED_BY "openservicemesh.io/monitored-by"

static void mesh_dispose(osmdiag__mesh *mesh)
{
	free(mesh->name);
	free(mesh->namespace_);
	free(mesh->version);
	free(mesh->added_namespaces);
	memset(mesh, 0, sizeof(*mesh));
}

/* Fills profile, conversion flag and monitored namespaces of a mesh. */
static int mesh_complete(osmdiag__mesh *mesh, osmdiag__store *store)
{
	osmdiag__strlist names = OSMDIAG__STRLIST_INIT;
	const osmdiag__profile *p = osmdiag__profile_for_version(mesh->version);
	json_t *nss = osmdiag__store_list(store, "Namespace", NULL, NULL);
	json_t *ns;
	size_t i;

	mesh->version_known = p != NULL;
	mesh->profile = p ? p : osmdiag__profile_newest();
	mesh->conversion_webhook = osmdiag__version_has_conversion_webhook(mesh->version);
	if (!nss)
		return -1;
	json_array_foreach(nss, i, ns) {
		if (osmdiag__streq(osmdiag__obj_label(ns, LABEL_MONITORED_BY), mesh->name))
			osmdiag__strlist_push(&names, osmdiag__obj_name(ns));
	}
	json_decref(nss);
	osmdiag__strlist_sort(&names);
	mesh->added_namespaces = osmdiag__strlist_join(&names, ",");
	osmdiag__strlist_free(&names);
	return mesh->added_namespaces ? 0 : -1;
}

static int cmp_mesh(const void *a, const void *b)
{
	const osmdiag__mesh *x = a, *y = b;
	int c = strcmp(x->namespace_, y->namespace_);

	return c ? c : strcmp(x->name, y->name);
}

int osmdiag__model_discover(osmdiag__model *m, osmdiag__store *store)
{
	osmdiag__selector *sel = osmdiag__selector_parse("app=osm-controller", NULL, 0);
	json_t *deps;
	json_t *d;
	size_t i;

	m->store = store;
	if (!sel)
		return -1;
	deps = osmdiag__store_list(store, "Deployment", NULL, sel);
	osmdiag__selector_free(sel);
	if (!deps)
		return -1;
	m->meshes = calloc(json_array_size(deps) + 1, sizeof(*m->meshes));
	if (!m->meshes) {
		json_decref(deps);
		return -1;
	}
	json_array_foreach(deps, i, d) {
		osmdiag__mesh *mesh = &m->meshes[m->nmeshes];
		const char *name = osmdiag__obj_label(d, "meshName");
		const char *ns = osmdiag__obj_namespace(d);
		int dup = 0;

		/* `osm mesh list` shows an empty name for a missing label. */
		for (size_t k = 0; k < m->nmeshes; k++)
			dup |= osmdiag__streq(m->meshes[k].namespace_, ns ? ns : "") &&
			       osmdiag__streq(m->meshes[k].name, name ? name : "");
		if (dup)
			continue;
		mesh->name = osmdiag__strdup(name ? name : "");
		mesh->namespace_ = osmdiag__strdup(ns ? ns : "");
		mesh->version = osmdiag__strdup(osmdiag__obj_label(d, "app.kubernetes.io/version"));
		mesh->enforce_single_mesh = osmdiag__streq(osmdiag__obj_label(d, "enforceSingleMesh"), "true");
		m->nmeshes++;
		if (!mesh->name || !mesh->namespace_ || mesh_complete(mesh, store) < 0) {
			json_decref(deps);
			return -1;
		}
	}
	json_decref(deps);
	if (m->nmeshes > 1)
		qsort(m->meshes, m->nmeshes, sizeof(*m->meshes), cmp_mesh);
	return 0;
}

int osmdiag__model_init(osmdiag__model *m, osmdiag__store *store, const char *mesh_ns,
	const char *mesh_name)
{
	if (mesh_ns && !*mesh_ns)
		mesh_ns = NULL;
	if (mesh_name && !*mesh_name)
		mesh_name = NULL;
	if (osmdiag__model_discover(m, store) < 0)
		return -1;
	for (size_t i = 0; i < m->nmeshes && !m->mesh; i++) {
		if ((!mesh_ns || osmdiag__streq(mesh_ns, m->meshes[i].namespace_)) &&
		    (!mesh_name || osmdiag__streq(mesh_name, m->meshes[i].name)))
			m->mesh = &m->meshes[i];
	}
	if (m->mesh)
		return 0;
	if (mesh_ns) {
		/* The operator says where the mesh is: examine it even without a
		 * controller Deployment there (OSMD101 reports it missing). */
		osmdiag__mesh *mesh = &m->meshes[m->nmeshes];

		mesh->name = osmdiag__strdup(mesh_name ? mesh_name : "osm");
		mesh->namespace_ = osmdiag__strdup(mesh_ns);
		if (!mesh->name || !mesh->namespace_ || mesh_complete(mesh, store) < 0)
			return -1;
		m->nmeshes++;
		m->mesh = mesh;
		return 0;
	}
	if (mesh_name)
		m->no_mesh_reason = osmdiag__asprintf(
			"no OSM control plane found for mesh \"%s\": no Deployment labelled app=osm-controller,"
			" meshName=%s in any namespace", mesh_name, mesh_name);
	else
		m->no_mesh_reason = osmdiag__strdup(
			"no OSM control plane found: no Deployment labelled app=osm-controller in any namespace");
	return m->no_mesh_reason ? 0 : -1;
}

void osmdiag__model_dispose(osmdiag__model *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nmeshes; i++)
		mesh_dispose(&m->meshes[i]);
	free(m->meshes);
	free(m->no_mesh_reason);
	osmdiag__pod_table_free(m->pods);
	m->pods = NULL;
	m->meshes = NULL;
	m->nmeshes = 0;
	m->mesh = NULL;
	m->no_mesh_reason = NULL;
}

int osmdiag__model_list(const osmdiag__model *m, const char *kind, const char *ns,
	const char *selector, osmdiag__objs *out)
{
	osmdiag__selector *sel = NULL;
	json_t *arr;
	json_t *o;
	size_t i;

	out->v = NULL;
	out->n = 0;
	if (selector && *selector) {
		sel = osmdiag__selector_parse(selector, NULL, 0);
		if (!sel)
			return -1;
	}
	arr = osmdiag__store_list(m->store, kind, ns, sel);
	osmdiag__selector_free(sel);
	if (!arr)
		return -1;
	if (json_array_size(arr)) {
		out->v = malloc(json_array_size(arr) * sizeof(*out->v));
		if (!out->v) {
			json_decref(arr);
			return -1;
		}
	}
	/* The store keeps the objects alive; the array only borrowed them. */
	json_array_foreach(arr, i, o)
		out->v[out->n++] = o;
	json_decref(arr);
	return 0;
}

void osmdiag__objs_free(osmdiag__objs *objs)
{
	if (!objs)
		return;
	free(objs->v);
	objs->v = NULL;
	objs->n = 0;
}

const osmdiag__obj *osmdiag__model_get(const osmdiag__model *m, const char *kind, const char *ns,
	const char *name)
{
	return osmdiag__store_get(m->store, kind, ns, name);
}

int osmdiag__model_label_selector_matches(const osmdiag__obj *sel, const osmdiag__obj *labels)
{
	osmdiag__selector *s = osmdiag__selector_from_json(sel, NULL, 0);
	int rc;

	if (!s)
		return -1;
	rc = osmdiag__selector_matches(s, json_is_object(labels) ? labels : NULL);
	osmdiag__selector_free(s);
	return rc;
}

const osmdiag__obj *osmdiag__model_meshconfig(const osmdiag__model *m)
{
	if (!m->mesh)
		return NULL;
	return osmdiag__store_get(m->store, "MeshConfig", m->mesh->namespace_, "osm-mesh-config");
}

const char *osmdiag__model_injector_env(const osmdiag__model *m, const char *name)
{
	const json_t *d, *containers, *c;
	size_t i;

	if (!m->mesh)
		return NULL;
	d = osmdiag__store_get(m->store, "Deployment", m->mesh->namespace_, "osm-injector");
	containers = osmdiag__obj_get(d, "spec.template.spec.containers");
	for (i = 0; i < osmdiag__obj_len(containers); i++) {
		const json_t *env;

		c = osmdiag__obj_at(containers, i);
		if (!osmdiag__streq(osmdiag__obj_str(c, "name"), "osm-injector"))
			continue;
		env = osmdiag__obj_get(c, "env");
		for (size_t k = 0; k < osmdiag__obj_len(env); k++) {
			const json_t *e = osmdiag__obj_at(env, k);

			if (osmdiag__streq(osmdiag__obj_str(e, "name"), name))
				return osmdiag__obj_str(e, "value");
		}
	}
	return NULL;
}
