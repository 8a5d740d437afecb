/*
 * What a check is: a catalogue row plus a pure function of the model that
 * emits results. Internal.
 *
 * Adding a check = one row in its category's table + one function + tests.
 * Each category file (control_plane.c, webhooks.c, ...) exports its rows; the
 * catalogue (catalogue.c) is their concatenation in category order.
 */
#ifndef OSMDIAG_CHECK_IMPL_H
#define OSMDIAG_CHECK_IMPL_H

#include <stddef.h>

#include "model/model.h"
#include "osmdiag/check.h"
#include "util/util.h"

struct osmdiag_report;
struct osmdiag_result;

/* Kinds a check reads: the engine fetches only these (request planning) and
 * turns the check into `error` when one of them could not be listed. */
enum {
	OSMDIAG__NEED_DEPLOYMENT = 1u << 0,
	OSMDIAG__NEED_REPLICASET = 1u << 1,
	OSMDIAG__NEED_POD = 1u << 2,           /* every pod (the migration inventory) */
	OSMDIAG__NEED_SERVICE = 1u << 3,
	OSMDIAG__NEED_ENDPOINTS = 1u << 4,     /* EndpointSlice and Endpoints */
	OSMDIAG__NEED_NAMESPACE = 1u << 5,
	OSMDIAG__NEED_SECRET = 1u << 6,        /* mesh namespace only */
	OSMDIAG__NEED_MWHC = 1u << 7,
	OSMDIAG__NEED_VWHC = 1u << 8,
	OSMDIAG__NEED_CRD = 1u << 9,
	OSMDIAG__NEED_MESHCONFIG = 1u << 10,   /* mesh namespace only */
	/* Kinds the migration inventory reads (osmdiag_migrate), all cluster-wide. */
	OSMDIAG__NEED_SMI = 1u << 11,          /* TrafficTarget, HTTPRouteGroup, TCPRoute, TrafficSplit */
	OSMDIAG__NEED_OSM_POLICY = 1u << 12,   /* Egress, IngressBackend, UpstreamTrafficSetting, Retry */
	OSMDIAG__NEED_WORKLOADS_ALL = 1u << 13,/* Deployment, StatefulSet, DaemonSet, ServiceAccount */
	OSMDIAG__NEED_SERVICE_ALL = 1u << 14,  /* Service */
	OSMDIAG__NEED_INGRESS = 1u << 15,      /* networking.k8s.io Ingress */
	OSMDIAG__NEED_NODE = 1u << 16,
	/* The pods the checks read: injected pods (label OSMDIAG__PROXY_LABEL)
	 * anywhere, and every pod of the mesh namespace and of the namespaces the
	 * mesh monitors; gather.c lists them without the cluster's other pods. */
	OSMDIAG__NEED_POD_MESHED = 1u << 17,
	/* The pods of the mesh namespace (the control plane's). */
	OSMDIAG__NEED_POD_MESH_NS = 1u << 18,
	/* The ReplicaSets that own the pods the checks read (their workloads):
	 * those of the mesh namespace, of the monitored namespaces and of every
	 * namespace with an injected pod; gather.c lists only these. */
	OSMDIAG__NEED_REPLICASET_MESHED = 1u << 19
};

/* The label the injector puts on every pod it injects. */
#define OSMDIAG__PROXY_LABEL "osm-proxy-uuid"

/* Everything the migration inventory reads (osmdiag_migrate, osmdiag snapshot). */
#define OSMDIAG__NEEDS_MIGRATE (OSMDIAG__NEED_SMI | OSMDIAG__NEED_OSM_POLICY | OSMDIAG__NEED_WORKLOADS_ALL | \
	OSMDIAG__NEED_SERVICE_ALL | OSMDIAG__NEED_INGRESS | OSMDIAG__NEED_NODE | OSMDIAG__NEED_NAMESPACE | \
	OSMDIAG__NEED_POD | OSMDIAG__NEED_MESHCONFIG | OSMDIAG__NEED_CRD | OSMDIAG__NEED_REPLICASET)

/* The category of the migration catalogue rows (OSMD8xx): they have no `run`
 * function, are never part of a check run, and are evaluated by the migrate
 * engine (lib/migrate). */
#define OSMDIAG__CATEGORY_MIGRATION "migration"

typedef struct osmdiag__ctx osmdiag__ctx;
typedef void (*osmdiag__check_fn)(osmdiag__ctx *ctx);

typedef struct osmdiag__check_def {
	const char *id;          /* "OSMD101" */
	const char *category;    /* "control-plane", "webhooks", "meshconfig", "namespaces", "crds", "certificates", "dataplane" */
	const char *title;
	const char *severity;    /* "fail/warn", "info", ... as in CHECKS.md */
	const char *expectation; /* what must hold */
	const char *why;         /* what breaks when it does not */
	const char *fix;         /* how to fix, in words and commands */
	const char *guide;       /* the guide step it automates */
	unsigned needs;          /* OSMDIAG__NEED_* */
	const char *depends_on;  /* ID: when that check failed/skipped, this one is `skip` */
	osmdiag__check_fn run;
} osmdiag__check_def;

/* The run context handed to a check function. */
struct osmdiag__ctx {
	const osmdiag__model *m;         /* never NULL; m->mesh non-NULL (checks that need no mesh are not called without one only if they say so) */
	const osmdiag__check_def *def;
	struct osmdiag_report *rep;
	size_t first_result;             /* index of this check's first result */
};

/*
 * Emits one result of the current check with a printf message (one line: the
 * object, what was seen, what was expected). Returns the result so optional
 * fields can be set; NULL on OOM (the setters accept NULL).
 */
struct osmdiag_result *osmdiag__emit(osmdiag__ctx *ctx, int status, const char *fmt, ...)
	OSMDIAG__PRINTF(3, 4);
void osmdiag__result_set_resource(struct osmdiag_result *r, const char *kind, const char *ns,
	const char *name);
/* osmdiag__emit() plus the object the result is about (set when kind and
 * name are both non-NULL; ns NULL for cluster-scoped objects). */
struct osmdiag_result *osmdiag__emit_about(osmdiag__ctx *ctx, int status, const char *kind, const char *ns,
	const char *name, const char *fmt, ...) OSMDIAG__PRINTF(6, 7);
/* The result of a check that ran out of memory. */
void osmdiag__emit_oom(osmdiag__ctx *ctx);
void osmdiag__result_set_hint(struct osmdiag_result *r, const char *fmt, ...) OSMDIAG__PRINTF(2, 3);
void osmdiag__result_set_fix(struct osmdiag_result *r, const char *fmt, ...) OSMDIAG__PRINTF(2, 3);

/* Category tables (NULL-terminated by a row with id == NULL). */
extern const osmdiag__check_def osmdiag__checks_control_plane[];
extern const osmdiag__check_def osmdiag__checks_webhooks[];
extern const osmdiag__check_def osmdiag__checks_meshconfig[];
extern const osmdiag__check_def osmdiag__checks_namespaces[];
extern const osmdiag__check_def osmdiag__checks_crds[];
extern const osmdiag__check_def osmdiag__checks_certificates[];
extern const osmdiag__check_def osmdiag__checks_dataplane[];

/* The whole catalogue, in order. */
size_t osmdiag__catalogue_size(void);
const osmdiag__check_def *osmdiag__catalogue_get(size_t i);
const osmdiag__check_def *osmdiag__catalogue_lookup(const char *id);
int osmdiag__category_known(const char *category);

#endif /* OSMDIAG_CHECK_IMPL_H */
