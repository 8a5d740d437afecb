/*
 * OSM -> Istio (AKS add-on) migration internals (osmdiag_migrate). Spec:
 * shared/design/ISTIO-MIGRATION.md ("the memo"; section numbers below refer
 * to it). One file per job:
 *   revision.c      supported revisions, apiVersions and fields per revision (2.4-2.6)
 *   regex.c         SMI RE2 full-match regex -> Istio string match (6.3), pure
 *   yaml_emit.c     deterministic YAML from json_t
 *   manifests.c     the set of draft objects (add, find, merge, sort, source annotation)
 *   findings.c      emitting OSMD8xx results, inventory rows
 *   workloads.c     pod templates, the ServiceAccount -> selector rule (6.1), Services
 *   inventory.c     inventory and cluster/namespace/workload findings (801-815, 845)
 *   translate_*.c   one OSM kind each (6.4, 6.6-6.10)
 *   meshconfig.c    MeshConfig (5.1, 6.11, tracing) and the shared Istio MeshConfig
 *   runbook.c       the ordered runbook
 *   output.c        JSON / text / Markdown / files
 *   migrate.c       the public API
 * Internal.
 */
#ifndef OSMDIAG_MIGRATE_IMPL_H
#define OSMDIAG_MIGRATE_IMPL_H

#include <stddef.h>

#include <jansson.h>

#include "checks/check_impl.h"
#include "model/model.h"
#include "osmdiag/migrate.h"
#include "util/util.h"

#define OSMDIAG__MIG_SOURCE_ANNOTATION "migration.osmdiag.io/source"
#define OSMDIAG__MIG_SA_LABEL "osm-migration/serviceaccount"
#define OSMDIAG__MIG_ROOT_NS "aks-istio-system"

/* ---- revision.c ------------------------------------------------------------ */
typedef struct osmdiag__mig_rev {
	const char *name;   /* "asm-1-22" */
	const char *istio;  /* "1.22" */
	int minor;          /* 22 */
} osmdiag__mig_rev;

enum {
	OSMDIAG__MIG_FEAT_PATH_TEMPLATES,   /* AuthorizationPolicy paths {*} {**}: 1.22 */
	OSMDIAG__MIG_FEAT_SERVICE_ACCOUNTS, /* source.serviceAccounts: 1.25 */
	OSMDIAG__MIG_FEAT_RETRY_BACKOFF,    /* HTTPRetry.backoff: 1.26 */
	OSMDIAG__MIG_FEAT_ZIPKIN_PATH       /* zipkin provider path: 1.24 */
};

const osmdiag__mig_rev *osmdiag__mig_rev_find(const char *name);
const osmdiag__mig_rev *osmdiag__mig_rev_lowest(void);
/* "asm-1-17, asm-1-18, ..." (new string). */
char *osmdiag__mig_rev_list(void);
/* apiVersion to emit for an Istio (or core) kind on this revision. */
const char *osmdiag__mig_api_version(const osmdiag__mig_rev *r, const char *kind);
int osmdiag__mig_rev_has(const osmdiag__mig_rev *r, int feature);
/* First Istio minor with the feature. */
int osmdiag__mig_feature_minor(int feature);

/* ---- regex.c --------------------------------------------------------------- */
enum { OSMDIAG__RX_PATH, OSMDIAG__RX_HEADER };
enum { OSMDIAG__RX_OVER = 1u, OSMDIAG__RX_UNDER = 2u };

typedef struct osmdiag__rx {
	int any;                 /* the field is omitted: matches anything */
	osmdiag__strlist values; /* Istio values (exact "a", prefix "a*", suffix "*a", presence "*",
				  * template) */
	unsigned approx;         /* 0 = exact; OSMDIAG__RX_OVER / _UNDER bits */
	const char *shape;       /* "literal", "prefix", "suffix", "presence", "template", "alternation",
				  * "any", ... */
} osmdiag__rx;

/* Translates an RE2 full-match regex (OSM semantics) for a path or a header
 * value; `templates` allows {*} path templates (asm-1-22+). 0, or -1 on OOM. */
int osmdiag__rx_translate(const char *re, int where, int templates, osmdiag__rx *out);
void osmdiag__rx_dispose(osmdiag__rx *rx);
/* "exact", "over", "under", "over and under". */
const char *osmdiag__rx_direction(unsigned approx);

/* ---- yaml_emit.c ----------------------------------------------------------- */
/* One YAML document (block style, keys in a fixed order: apiVersion, kind,
 * metadata, name, namespace first, the rest sorted). New string or NULL. */
char *osmdiag__yaml_emit(const json_t *doc);
/* 1 when the string cannot be written as a plain YAML scalar. */
int osmdiag__yaml_needs_quotes(const char *s);

/* ---- the migration object ---------------------------------------------------- */
typedef struct osmdiag__mig_manifest {
	char *file_ns;            /* "" = mesh-wide file */
	char *kind;
	char *name;
	char *namespace_;         /* metadata.namespace, "" when cluster-scoped */
	char *api_version;
	json_t *obj;              /* owned */
	osmdiag__strlist sources; /* "TrafficTarget ns/name" */
	char *source;             /* joined at finalisation */
	char *yaml;               /* emitted at finalisation */
} osmdiag__mig_manifest;

struct osmdiag_migration {
	osmdiag_report *rep;
	const osmdiag__mig_rev *rev;
	osmdiag__mig_manifest *man;
	size_t nman, capman;
	json_t *inventory;        /* array of {kind, namespace, name, translation, reason, to} */
	json_t *runbook;          /* array of {step, title, commands, notes} */
	char *runbook_md;
	json_t *source;           /* {kind, description} */
	json_t *mesh;             /* {name, namespace, version, profile} or null */
};

/* Working state while a migration is computed. */
typedef struct osmdiag__mig {
	struct osmdiag_migration *out;
	const osmdiag__model *m;
	const osmdiag__mig_rev *rev;
	int rev_given;
	const osmdiag__obj *meshconfig;  /* MeshConfig object or NULL */
	int permissive;                  /* traffic.enablePermissiveTrafficPolicyMode */
	int egress;                      /* traffic.enableEgress */
	int egress_policy;               /* featureFlags.enableEgressPolicy */
	int ingress_backend_policy;      /* featureFlags.enableIngressBackendPolicy */
	int retry_policy;                /* featureFlags.enableRetryPolicy */
	const char *trust_domain;
	osmdiag__strlist nss;            /* migrated (monitored) namespaces, sorted */
	osmdiag__strlist policy_services;/* "ns/name" of Services the policies use (OSMD815) */
	osmdiag__strlist selector_done;  /* "ns/sa" already reported by OSMD824, other once-only keys */
	osmdiag__strlist approx_routes;  /* "Kind ns/name" of route groups translated approximately */
	json_t *mesh_config;             /* the shared Istio MeshConfig being built (object) */
	osmdiag__strlist mesh_config_sources;
	int oom;
} osmdiag__mig;

/* ---- manifests.c --------------------------------------------------------------- */
/* A new object {apiVersion, kind, metadata{name, namespace}} for this revision. */
json_t *osmdiag__mig_object(osmdiag__mig *g, const char *kind, const char *ns, const char *name);
/* Adds `obj` (stolen) to the file `file_ns` ("" = mesh-wide) with its source;
 * returns the stored manifest (an existing one with the same kind/ns/name
 * gets the source appended and `obj` is dropped); NULL on OOM. */
osmdiag__mig_manifest *osmdiag__mig_add(osmdiag__mig *g, json_t *obj, const char *file_ns,
	const char *source);
osmdiag__mig_manifest *osmdiag__mig_find(osmdiag__mig *g, const char *kind, const char *ns, const char *name);
/* The VirtualService whose hosts[0] (or DestinationRule whose host) is `host`, in `ns`. */
osmdiag__mig_manifest *osmdiag__mig_find_host(osmdiag__mig *g, const char *kind, const char *ns,
	const char *host);
void osmdiag__mig_add_source(osmdiag__mig *g, osmdiag__mig_manifest *mf, const char *source);
/* Sorts, joins sources, sets the annotation and emits the YAML. 0 / -1 OOM. */
int osmdiag__mig_finalise(struct osmdiag_migration *mg);
void osmdiag__mig_manifests_free(struct osmdiag_migration *mg);
/* "istio/mesh-wide.yaml" / "istio/<ns>.yaml" (new string). */
char *osmdiag__mig_file_of(const char *file_ns);

/* ---- findings.c -------------------------------------------------------------------- */
/* Emits a result of catalogue row `id` about an object (kind NULL = none). */
struct osmdiag_result *osmdiag__mig_emit(osmdiag__mig *g, const char *id, int status, const char *kind,
	const char *ns, const char *name, const char *fmt, ...) OSMDIAG__PRINTF(7, 8);
/* Stable sort of the report's results by ID. */
void osmdiag__mig_sort_findings(osmdiag_report *rep);
/* Inventory row; `to` (stolen) is an array of {kind, namespace, name} or NULL. */
void osmdiag__mig_inventory(osmdiag__mig *g, const char *kind, const char *ns, const char *name,
	const char *translation, const char *reason, json_t *to);
/* {kind, namespace, name} (new) */
json_t *osmdiag__mig_ref(const char *kind, const char *ns, const char *name);
/* Appends a ref to the `to` array of the manifest-less helper list (NULL-safe). */
void osmdiag__mig_to_push(json_t *to, const osmdiag__mig_manifest *mf);
/* 1 when `ns` is a migrated namespace. */
int osmdiag__mig_migrated(const osmdiag__mig *g, const char *ns);
/* "<svc>.<ns>.svc.cluster.local" from a short name, "name.ns", or an FQDN (new string). */
char *osmdiag__mig_fqdn(const char *svc, const char *ns);
/* json helpers: set a string / array of strings (NULL-safe, OOM sets g->oom). */
void osmdiag__mig_set_str(osmdiag__mig *g, json_t *o, const char *key, const char *value);
json_t *osmdiag__mig_strarray(const osmdiag__strlist *l);

/* ---- workloads.c ---------------------------------------------------------------------- */
typedef struct osmdiag__mig_tpl {
	const char *kind;         /* "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Pod" */
	const char *name;
	const char *namespace_;
	const char *sa;           /* serviceAccountName, "default" when empty */
	const osmdiag__obj *obj;  /* the workload */
	const osmdiag__obj *meta; /* pod template metadata (or the pod's metadata) */
	const osmdiag__obj *spec; /* pod spec */
} osmdiag__mig_tpl;

typedef struct osmdiag__mig_tpls {
	osmdiag__mig_tpl *v;
	size_t n;
} osmdiag__mig_tpls;

/* Pod templates in `ns` (NULL = all): workloads, ReplicaSets without an
 * owner, bare Pods. Sorted by namespace, kind, name. 0 / -1 OOM. */
int osmdiag__mig_templates(const osmdiag__mig *g, const char *ns, osmdiag__mig_tpls *out);
void osmdiag__mig_tpls_free(osmdiag__mig_tpls *t);
/* 1 when a template's labels contain every label of `sel` (an object). */
int osmdiag__mig_labels_match(const json_t *sel, const osmdiag__obj *labels);
/*
 * 6.1: matchLabels selecting exactly the pods of ServiceAccount ns/sa (new
 * object). *quality: 1 exact, 0 no pods (placeholder label), -1 no safe
 * selector (placeholder label). Reports OSMD824 once per ns/sa with `why`.
 */
json_t *osmdiag__mig_sa_selector(osmdiag__mig *g, const char *ns, const char *sa, const char *why,
	int *quality);
/* matchLabels of a Service's selector (new object) or NULL. */
json_t *osmdiag__mig_service_selector(const osmdiag__obj *svc);
/* Records a Service a policy relies on (for OSMD815). */
void osmdiag__mig_use_service(osmdiag__mig *g, const char *ns, const char *name);
/* "kubectl rollout restart deployment/x -n ns"-style kind ("deployment") or NULL for pods/ReplicaSets. */
const char *osmdiag__mig_restart_kind(const char *kind);

/* ---- inventory.c / translate_*.c / meshconfig.c / runbook.c --------------------------- */
void osmdiag__mig_inventory_run(osmdiag__mig *g);      /* 801-806, 810-815, 845, 843-844 */
void osmdiag__mig_service_protocols(osmdiag__mig *g);  /* 815, after the translations */
void osmdiag__mig_translate_authz(osmdiag__mig *g);    /* 820-828 */
void osmdiag__mig_translate_split(osmdiag__mig *g);    /* 830-831 */
void osmdiag__mig_translate_retry(osmdiag__mig *g);    /* 832 */
void osmdiag__mig_translate_uts(osmdiag__mig *g);      /* 833 */
void osmdiag__mig_translate_egress(osmdiag__mig *g);   /* 834 */
void osmdiag__mig_translate_ingress(osmdiag__mig *g);  /* 835-836 */
void osmdiag__mig_meshconfig(osmdiag__mig *g);         /* 814, 837-842 */
void osmdiag__mig_meshconfig_finish(osmdiag__mig *g);  /* the shared ConfigMap */
/* Exclusion-list patches per workload (6.11): array of {namespace, kind, name, annotations{}} (new). */
json_t *osmdiag__mig_exclusion_patches(osmdiag__mig *g);
int osmdiag__mig_runbook(osmdiag__mig *g);

/* The principal of a ServiceAccount: "<trustDomain>/ns/<ns>/sa/<sa>" (new string). */
char *osmdiag__mig_principal(const osmdiag__mig *g, const char *ns, const char *sa);

#endif /* OSMDIAG_MIGRATE_IMPL_H */
