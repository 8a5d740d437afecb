/*
 * The model: what the checks ask about. Mesh discovery, the version profile
 * (spec/CHECKS.md table), object lookups and typed views. Built once per run
 * from the object store. Internal.
 */
#ifndef OSMDIAG_MODEL_H
#define OSMDIAG_MODEL_H

#include <stddef.h>
#include <time.h>

#include "model/obj.h"
#include "util/util.h"

struct osmdiag__store;

/* ---- version profiles ------------------------------------------------- */
typedef struct osmdiag__profile {
	const char *name;                 /* "v0.11", "v1.0", "v1.1", "v1.2" */
	int bootstrap_ports[2];           /* osm-bootstrap Service ports */
	const char *const *crds;          /* CRD names of the profile's set */
	size_t ncrds;
	const char *meshconfig_version;   /* storage version: "v1alpha1" / "v1alpha2" */
	int ca_bundle_from_root;          /* webhook caBundle == osm-ca-bundle ca.crt */
	const char *mwhc_secret;          /* webhook cert secret (v0.11/v1.0), else NULL */
	const char *vwhc_secret;
} osmdiag__profile;

/* Profile for an OSM version string ("v1.2.5", "1.1.3"); NULL if unknown. */
const osmdiag__profile *osmdiag__profile_for_version(const char *version);
/* Newest profile (fallback for unknown versions). */
const osmdiag__profile *osmdiag__profile_newest(void);
/* 1 when that exact version ships the CRD conversion webhook on
 * osm-bootstrap:9443 (v0.11.x, v1.0.x, v1.1.0-v1.1.1, v1.2.0). For an
 * unknown version: 0. */
int osmdiag__version_has_conversion_webhook(const char *version);

/* ---- meshes --------------------------------------------------------------- */
typedef struct osmdiag__mesh {
	char *name;           /* label meshName of the osm-controller Deployment */
	char *namespace_;     /* that Deployment's namespace */
	char *version;        /* label app.kubernetes.io/version, NULL when missing */
	const osmdiag__profile *profile; /* never NULL once discovered (fallback newest) */
	int version_known;    /* 0 when the version was missing/unknown (fallback used) */
	int conversion_webhook; /* this version ships the CRD conversion webhook */
	int enforce_single_mesh;/* controller label enforceSingleMesh=true */
	char *added_namespaces; /* comma-joined sorted monitored namespaces ("" if none) */
} osmdiag__mesh;

/* ---- the model ------------------------------------------------------------ */
typedef struct osmdiag__model {
	struct osmdiag__store *store; /* borrowed: every object fetched */
	osmdiag__mesh *meshes;        /* every control plane found, sorted ns/name */
	size_t nmeshes;
	const osmdiag__mesh *mesh;    /* the mesh under examination, NULL when none */
	char *no_mesh_reason;         /* why mesh == NULL */
	int expiry_warning_days;      /* certificates expiring within: warn */
	time_t now;                   /* "now" for certificate checks (tests may fix it) */
	struct osmdiag__pod_table *pods; /* the pods, as records (gather.c fills it), NULL when none */
} osmdiag__model;

/*
 * Discovers the meshes in `store` and picks the one to examine: with
 * `mesh_ns` and/or `mesh_name` given, the one that matches them (or, with
 * only a namespace given and no controller there, a mesh assumed in that
 * namespace with name `mesh_name` or "osm"); otherwise the only one, or the
 * first in namespace order when several exist. Returns 0, -1 on OOM.
 */
int osmdiag__model_init(osmdiag__model *m, struct osmdiag__store *store, const char *mesh_ns,
	const char *mesh_name);
void osmdiag__model_dispose(osmdiag__model *m);

/* Discovers meshes only (for `mesh list`); fills meshes/nmeshes. */
int osmdiag__model_discover(osmdiag__model *m, struct osmdiag__store *store);

/* ---- lookups ---------------------------------------------------------------- */
typedef struct osmdiag__objs {
	const osmdiag__obj **v;
	size_t n;
} osmdiag__objs;

/*
 * Objects of `kind` in `ns` (NULL = all) matching the label selector text
 * `selector` (NULL = all), sorted by namespace then name. Returns 0, or -1 on
 * OOM / invalid selector (then out is empty). Free with osmdiag__objs_free().
 */
int osmdiag__model_list(const osmdiag__model *m, const char *kind, const char *ns,
	const char *selector, osmdiag__objs *out);
void osmdiag__objs_free(osmdiag__objs *objs);
/* One object or NULL. `ns` NULL for cluster-scoped kinds. */
const osmdiag__obj *osmdiag__model_get(const osmdiag__model *m, const char *kind, const char *ns,
	const char *name);
/* 1 when `labels` (object or NULL) matches the metav1.LabelSelector `sel`
 * (NULL/{} matches all); -1 when `sel` is invalid. */
int osmdiag__model_label_selector_matches(const osmdiag__obj *sel, const osmdiag__obj *labels);

/* The MeshConfig `osm-mesh-config` in the mesh namespace, or NULL. */
const osmdiag__obj *osmdiag__model_meshconfig(const osmdiag__model *m);
/* Value of env var `name` on the osm-injector Deployment's osm-injector
 * container (literal `value` only), or NULL. */
const char *osmdiag__model_injector_env(const osmdiag__model *m, const char *name);

/* ---- typed views --------------------------------------------------------------- */

/* A Deployment's replica counts. A count that is missing reads 0; a count
 * with a wrong type sets `bad_field` (e.g. "status.availableReplicas is a
 * string") and reads 0. spec.replicas missing = 1 (API default). */
typedef struct osmdiag__deployment_view {
	long long replicas;
	long long available;
	long long ready;
	long long updated;
	char bad_field[128];
} osmdiag__deployment_view;
void osmdiag__deployment_view_get(const osmdiag__obj *deploy, osmdiag__deployment_view *out);

/* One container of a pod, spec joined with its status. */
typedef struct osmdiag__container_view {
	const char *name;
	const char *image;           /* spec image */
	int has_status;
	int ready;
	long long restarts;
	const char *state;           /* "running", "waiting", "terminated", "unknown" */
	const char *reason;          /* waiting/terminated reason (CrashLoopBackOff...) or NULL */
	const char *last_reason;     /* lastState.terminated.reason or NULL */
	long long last_exit_code;    /* lastState.terminated.exitCode, -1 when none */
} osmdiag__container_view;

typedef struct osmdiag__pod_view {
	const char *name;
	const char *namespace_;
	const char *phase;           /* status.phase or "Unknown" */
	/* flags (0/1) as bytes: a large cluster has a view per pod */
	unsigned char scheduled, initialized, containers_ready, ready; /* condition == "True" */
	unsigned char host_network;
	unsigned char windows;       /* spec.nodeSelector kubernetes.io/os == windows */
	osmdiag__container_view *containers; /* spec.containers order */
	size_t ncontainers;
	osmdiag__container_view *init_containers;
	size_t ninit_containers;
	unsigned char shared_containers, shared_init_containers; /* the arrays belong to a memo */
} osmdiag__pod_view;

/* Per-array results of the two functions below, kept across pods: the pods
 * of a workload share their container and status arrays (store/trim.c). The
 * objects must outlive the memo and stay unchanged (a model's store). */
typedef struct osmdiag__view_memo {
	osmdiag__ptrmap views; /* (containers, statuses) -> container views */
	osmdiag__ptrmap bad;   /* (array, path) -> items_bad message */
} osmdiag__view_memo;
void osmdiag__view_memo_clear(osmdiag__view_memo *memo);

/* 1 when a pod field the views read has a wrong JSON type; the message in
 * buf names the field and the type found. `memo` may be NULL. */
int osmdiag__pod_bad_field(const osmdiag__obj *pod, char *buf, size_t len, osmdiag__view_memo *memo);

/* Fills `out` (borrowed strings from `pod`, container arrays from `memo` when
 * not NULL, valid while it lives); 0, or -1 on OOM. */
int osmdiag__pod_view_get(const osmdiag__obj *pod, osmdiag__pod_view *out, osmdiag__view_memo *memo);
void osmdiag__pod_view_dispose(osmdiag__pod_view *pv);
/* The named container or NULL. */
const osmdiag__container_view *osmdiag__pod_view_container(const osmdiag__pod_view *pv,
	const char *name);
const osmdiag__container_view *osmdiag__pod_view_init_container(const osmdiag__pod_view *pv,
	const char *name);

/*
 * A pod as the checks read it (pods.c): built from the pod's JSON when its
 * list page arrives, which is then dropped. A large cluster's pods are most of
 * its objects, and a pod kept as JSON costs ~2 KB even trimmed (its own
 * object, metadata and labels); a record keeps references to the parts it
 * shares with the other pods of its workload (spec, status, owner references,
 * annotation values) and its own name and labels.
 */
typedef struct osmdiag__pod {
	const char *name, *namespace_;
	const osmdiag__obj *spec;       /* the pod's spec and status (any JSON type; NULL when missing) */
	const osmdiag__obj *status;
	const osmdiag__obj *owner_refs; /* metadata.ownerReferences, NULL when missing */
	const osmdiag__obj *inject;     /* annotation openservicemesh.io/sidecar-injection, NULL when missing */
	const char *const *labels;      /* key, value, key, value, ..., NULL (value NULL: not a string) */
	const char *bad;                /* osmdiag__pod_bad_field's message, NULL when none */
	osmdiag__pod_view view;         /* always filled (what can be read) */
} osmdiag__pod;

/* Records of one model (pods.c). */
typedef struct osmdiag__pod_table osmdiag__pod_table;
osmdiag__pod_table *osmdiag__pod_table_new(void);
void osmdiag__pod_table_free(osmdiag__pod_table *t);
/* Adds a record made from `pod` (JSON, a reference taken: it may be freed
 * afterwards); a later pod of the same namespace and name replaces an earlier
 * one. 0, or -1 on out of memory. */
int osmdiag__pod_table_add(osmdiag__pod_table *t, const osmdiag__obj *pod);
/* The table's records so far are void (their list starts again). */
void osmdiag__pod_table_clear(osmdiag__pod_table *t);
/* Moves the records of `from` into `to` (emptied). 0, or -1 on out of memory. */
int osmdiag__pod_table_move(osmdiag__pod_table *to, osmdiag__pod_table *from);

typedef struct osmdiag__pods {
	const osmdiag__pod **v;
	size_t n;
} osmdiag__pods;
/*
 * The model's pods in `ns` (NULL = all) matching the label selector text
 * `selector` (NULL = all), sorted by namespace then name. 0, or -1 on OOM or
 * an invalid selector (then out is empty). Free with osmdiag__pods_free().
 */
int osmdiag__model_pods(const osmdiag__model *m, const char *ns, const char *selector, osmdiag__pods *out);
void osmdiag__pods_free(osmdiag__pods *pods);
/* A label's value, NULL when missing or not a string. */
const char *osmdiag__pod_label(const osmdiag__pod *pod, const char *key);

/*
 * The workload that owns a pod, as `kubectl rollout restart` names it:
 * kind "deployment"/"statefulset"/"daemonset" (lower case) and name. A pod
 * owned by a ReplicaSet resolves to its Deployment (through the stored
 * ReplicaSet's ownerReferences, else the pod-template-hash naming rule).
 * Returns 1 when found, 0 for a bare pod or another owner (then kind is
 * "pod" and name the pod's name). Strings written into the buffers.
 */
int osmdiag__pod_workload(const osmdiag__model *m, const osmdiag__pod *pod, char *kind,
	size_t kind_len, char *name, size_t name_len);

#endif /* OSMDIAG_MODEL_H */
