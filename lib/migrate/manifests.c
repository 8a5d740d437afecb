/*
 * The set of draft Istio objects: created with the apiVersion of the target
 * revision, deduplicated by kind/namespace/name, looked up by host (one
 * VirtualService per host, one DestinationRule per host), annotated with the
 * OSM objects they come from, sorted (file, kind, name) and emitted as YAML.
 */
#include <stdlib.h>
#include <string.h>

#include "migrate/migrate_impl.h"

json_t *osmdiag__mig_object(osmdiag__mig *g, const char *kind, const char *ns, const char *name)
{
	json_t *o = json_object(), *meta = json_object();

	if (!o || !meta || json_object_set_new(o, "apiVersion",
			json_string(osmdiag__mig_api_version(g->rev, kind))) < 0 ||
	    json_object_set_new(o, "kind", json_string(kind)) < 0 ||
	    json_object_set_new(meta, "name", json_string(name)) < 0 ||
	    (ns && *ns && json_object_set_new(meta, "namespace", json_string(ns)) < 0)) {
		json_decref(o);
		json_decref(meta);
		g->oom = 1;
		return NULL;
	}
	if (json_object_set_new(o, "metadata", meta) < 0) {
		json_decref(o);
		g->oom = 1;
		return NULL;
	}
	return o;
}

static const char *meta_str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(json_object_get(o, "metadata"), key));
}

osmdiag__mig_manifest *osmdiag__mig_find(osmdiag__mig *g, const char *kind, const char *ns, const char *name)
{
	struct osmdiag_migration *mg = g->out;

	for (size_t i = 0; i < mg->nman; i++) {
		osmdiag__mig_manifest *mf = &mg->man[i];

		if (strcmp(mf->kind, kind) == 0 && strcmp(mf->name, name) == 0 &&
		    strcmp(mf->namespace_, ns ? ns : "") == 0)
			return mf;
	}
	return NULL;
}

osmdiag__mig_manifest *osmdiag__mig_find_host(osmdiag__mig *g, const char *kind, const char *ns,
	const char *host)
{
	struct osmdiag_migration *mg = g->out;

	for (size_t i = 0; i < mg->nman; i++) {
		osmdiag__mig_manifest *mf = &mg->man[i];
		const json_t *spec = json_object_get(mf->obj, "spec");
		const char *h;

		if (strcmp(mf->kind, kind) != 0 || strcmp(mf->namespace_, ns ? ns : "") != 0)
			continue;
		if (strcmp(kind, "DestinationRule") == 0)
			h = json_string_value(json_object_get(spec, "host"));
		else
			h = json_string_value(json_array_get(json_object_get(spec, "hosts"), 0));
		/* only mesh VirtualServices (no gateways) count for "one per host" */
		if (h && strcmp(h, host) == 0 && !json_object_get(spec, "gateways"))
			return mf;
	}
	return NULL;
}

void osmdiag__mig_add_source(osmdiag__mig *g, osmdiag__mig_manifest *mf, const char *source)
{
	if (mf && source && *source && osmdiag__strlist_push_unique(&mf->sources, source) < 0)
		g->oom = 1;
}

osmdiag__mig_manifest *osmdiag__mig_add(osmdiag__mig *g, json_t *obj, const char *file_ns, const char *source)
{
	struct osmdiag_migration *mg = g->out;
	osmdiag__mig_manifest *mf;
	const char *kind = json_string_value(json_object_get(obj, "kind"));
	const char *name = meta_str(obj, "name");
	const char *ns = meta_str(obj, "namespace");

	if (!obj || !kind || !name) {
		json_decref(obj);
		g->oom = 1;
		return NULL;
	}
	mf = osmdiag__mig_find(g, kind, ns, name);
	if (mf) {
		json_decref(obj);
		osmdiag__mig_add_source(g, mf, source);
		return mf;
	}
	if (mg->nman == mg->capman) {
		size_t cap = mg->capman ? mg->capman * 2 : 32;
		osmdiag__mig_manifest *v = realloc(mg->man, cap * sizeof(*v));

		if (!v) {
			json_decref(obj);
			g->oom = 1;
			return NULL;
		}
		mg->man = v;
		mg->capman = cap;
	}
	mf = &mg->man[mg->nman];
	memset(mf, 0, sizeof(*mf));
	mf->file_ns = osmdiag__strdup(file_ns ? file_ns : "");
	mf->kind = osmdiag__strdup(kind);
	mf->name = osmdiag__strdup(name);
	mf->namespace_ = osmdiag__strdup(ns ? ns : "");
	mf->api_version = osmdiag__strdup(json_string_value(json_object_get(obj, "apiVersion")));
	mf->obj = obj;
	if (!mf->file_ns || !mf->kind || !mf->name || !mf->namespace_ || !mf->api_version) {
		free(mf->file_ns);
		free(mf->kind);
		free(mf->name);
		free(mf->namespace_);
		free(mf->api_version);
		json_decref(obj);
		g->oom = 1;
		return NULL;
	}
	mg->nman++;
	osmdiag__mig_add_source(g, mf, source);
	return mf;
}

static int manifest_cmp(const void *a, const void *b)
{
	const osmdiag__mig_manifest *x = a, *y = b;
	int c = strcmp(x->file_ns, y->file_ns);

	if (c)
		return c;
	if ((c = strcmp(x->kind, y->kind)) != 0)
		return c;
	if ((c = strcmp(x->name, y->name)) != 0)
		return c;
	return strcmp(x->namespace_, y->namespace_);
}

int osmdiag__mig_finalise(struct osmdiag_migration *mg)
{
	if (mg->nman > 1)
		qsort(mg->man, mg->nman, sizeof(*mg->man), manifest_cmp);
	for (size_t i = 0; i < mg->nman; i++) {
		osmdiag__mig_manifest *mf = &mg->man[i];
		json_t *meta = json_object_get(mf->obj, "metadata");
		json_t *ann = json_object_get(meta, "annotations");

		free(mf->source);
		free(mf->yaml);
		mf->source = osmdiag__strlist_join(&mf->sources, ", ");
		mf->yaml = NULL;
		if (!mf->source)
			return -1;
		if (!ann) {
			ann = json_object();
			if (!ann || json_object_set_new(meta, "annotations", ann) < 0)
				return -1;
		}
		if (json_object_set_new(ann, OSMDIAG__MIG_SOURCE_ANNOTATION, json_string(mf->source)) < 0)
			return -1;
		mf->yaml = osmdiag__yaml_emit(mf->obj);
		if (!mf->yaml)
			return -1;
	}
	return 0;
}

void osmdiag__mig_manifests_free(struct osmdiag_migration *mg)
{
	for (size_t i = 0; i < mg->nman; i++) {
		osmdiag__mig_manifest *mf = &mg->man[i];

		free(mf->file_ns);
		free(mf->kind);
		free(mf->name);
		free(mf->namespace_);
		free(mf->api_version);
		json_decref(mf->obj);
		osmdiag__strlist_free(&mf->sources);
		free(mf->source);
		free(mf->yaml);
	}
	free(mg->man);
	mg->man = NULL;
	mg->nman = mg->capman = 0;
}

char *osmdiag__mig_file_of(const char *file_ns)
{
	if (!file_ns || !*file_ns)
		return osmdiag__strdup("istio/mesh-wide.yaml");
	return osmdiag__asprintf("istio/%s.yaml", file_ns);
}
