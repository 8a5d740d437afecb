/*
 * libosmdiag - mesh discovery: the `osm mesh list` equivalent.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef OSMDIAG_MESH_H
#define OSMDIAG_MESH_H

#include "common.h"
#include "errors.h"
#include "source.h"

OSMDIAG_BEGIN_DECL

/** Opaque list of the OSM control planes found in a cluster. */
typedef struct osmdiag_mesh_list osmdiag_mesh_list;

/**
 * Finds every OSM control plane: Deployments labelled app=osm-controller in
 * any namespace. Returns NULL with `err` filled when the source fails.
 */
OSMDIAG_API osmdiag_mesh_list *osmdiag_mesh_list_new(osmdiag_source *src, osmdiag_error *err);
OSMDIAG_API void osmdiag_mesh_list_free(osmdiag_mesh_list *list);
OSMDIAG_API size_t osmdiag_mesh_list_count(const osmdiag_mesh_list *list);
/** Fields of mesh `i`; borrowed strings, NULL when out of range. */
OSMDIAG_API const char *osmdiag_mesh_list_name(const osmdiag_mesh_list *list, size_t i);
OSMDIAG_API const char *osmdiag_mesh_list_namespace(const osmdiag_mesh_list *list, size_t i);
/** `app.kubernetes.io/version` label, "Unknown" when missing (as `osm mesh list`). */
OSMDIAG_API const char *osmdiag_mesh_list_version(const osmdiag_mesh_list *list, size_t i);
/** Profile chosen for the version ("v1.2"...). */
OSMDIAG_API const char *osmdiag_mesh_list_profile(const osmdiag_mesh_list *list, size_t i);
/** Namespaces labelled openservicemesh.io/monitored-by=<mesh>, comma-joined, sorted. */
OSMDIAG_API const char *osmdiag_mesh_list_namespaces(const osmdiag_mesh_list *list, size_t i);
/** The list as JSON: [{"name","namespace","version","profile","namespaces":[...]}]. */
OSMDIAG_API int osmdiag_mesh_list_to_json(const osmdiag_mesh_list *list, char **out);

OSMDIAG_END_DECL

#endif /* OSMDIAG_MESH_H */
