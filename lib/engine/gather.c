/*
 * Gathering: plans the list requests that the selected checks need (request
 * planning), fetches them through the source in two batches (mesh discovery
 * with the cluster-wide lists, then the mesh namespace's lists), keeps them in
 * a store and builds the model. Shared by running checks and by capturing a
 * snapshot. Internal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "checks/check_impl.h"
#include "engine/gather.h"
#include "engine/options_impl.h"
#include "source/source_impl.h"
#include "store/store.h"

/* What each need means as a list request: kind, scope and label selector. */
static const struct {
	unsigned need;
	const char *kind;
	int mesh_namespace_only; /* list in the mesh namespace, else cluster-wide */
	const char *selector;    /* label selector, NULL for all */
} plan_table[] = {
	{ OSMDIAG__NEED_DEPLOYMENT, "Deployment", 1, NULL },
	{ OSMDIAG__NEED_REPLICASET, "ReplicaSet", 0, NULL },
	/* the ReplicaSets of some namespaces, after discovery (meshed_rs_requests) */
	{ OSMDIAG__NEED_REPLICASET_MESHED, "ReplicaSet", 1, NULL },
	{ OSMDIAG__NEED_POD, "Pod", 0, NULL },
	/* injected pods, wherever they are; the other pods the checks read are
	 * listed per namespace after discovery (meshed_pod_requests) */
	{ OSMDIAG__NEED_POD_MESHED, "Pod", 0, OSMDIAG__PROXY_LABEL },
	{ OSMDIAG__NEED_POD_MESH_NS, "Pod", 1, NULL },
	{ OSMDIAG__NEED_SERVICE, "Service", 1, NULL },
	{ OSMDIAG__NEED_ENDPOINTS, "EndpointSlice", 1, NULL },
	{ OSMDIAG__NEED_ENDPOINTS, "Endpoints", 1, NULL },
	{ OSMDIAG__NEED_NAMESPACE, "Namespace", 0, NULL },
	{ OSMDIAG__NEED_SECRET, "Secret", 1, NULL },
	{ OSMDIAG__NEED_MWHC, "MutatingWebhookConfiguration", 0, NULL },
	{ OSMDIAG__NEED_VWHC, "ValidatingWebhookConfiguration", 0, NULL },
	{ OSMDIAG__NEED_CRD, "CustomResourceDefinition", 0, NULL },
	{ OSMDIAG__NEED_MESHCONFIG, "MeshConfig", 1, NULL },
	{ OSMDIAG__NEED_SMI, "TrafficTarget", 0, NULL },
	{ OSMDIAG__NEED_SMI, "HTTPRouteGroup", 0, NULL },
	{ OSMDIAG__NEED_SMI, "TCPRoute", 0, NULL },
	{ OSMDIAG__NEED_SMI, "TrafficSplit", 0, NULL },
	{ OSMDIAG__NEED_OSM_POLICY, "Egress", 0, NULL },
	{ OSMDIAG__NEED_OSM_POLICY, "IngressBackend", 0, NULL },
	{ OSMDIAG__NEED_OSM_POLICY, "UpstreamTrafficSetting", 0, NULL },
	{ OSMDIAG__NEED_OSM_POLICY, "Retry", 0, NULL },
	{ OSMDIAG__NEED_WORKLOADS_ALL, "Deployment", 0, NULL },
	{ OSMDIAG__NEED_WORKLOADS_ALL, "StatefulSet", 0, NULL },
	{ OSMDIAG__NEED_WORKLOADS_ALL, "DaemonSet", 0, NULL },
	{ OSMDIAG__NEED_WORKLOADS_ALL, "ServiceAccount", 0, NULL },
	{ OSMDIAG__NEED_SERVICE_ALL, "Service", 0, NULL },
	{ OSMDIAG__NEED_INGRESS, "Ingress", 0, NULL },
	{ OSMDIAG__NEED_NODE, "Node", 0, NULL },
};

#define NPLAN (sizeof(plan_table) / sizeof(plan_table[0]))
_Static_assert(NPLAN + 1 <= OSMDIAG__GATHER_SLOTS, "grow OSMDIAG__GATHER_SLOTS");

/* 1 when a cluster-wide list of all objects of the same kind is planned too
 * (then this namespaced or label-selected one would fetch a subset twice). */
static int covered_cluster_wide(unsigned needs, size_t row)
{
	if (!plan_table[row].mesh_namespace_only && !plan_table[row].selector)
		return 0;
	for (size_t i = 0; i < NPLAN; i++)
		if (i != row && (needs & plan_table[i].need) && !plan_table[i].mesh_namespace_only &&
		    !plan_table[i].selector && strcmp(plan_table[i].kind, plan_table[row].kind) == 0)
			return 1;
	return 0;
}

void osmdiag__gather_dispose(osmdiag__gather *st)
{
	if (!st)
		return;
	osmdiag__model_dispose(&st->model);
	osmdiag__store_free(st->store);
	for (size_t i = 0; i < OSMDIAG__GATHER_SLOTS; i++)
		free(st->failed[i]);
	free(st->discovery_error);
	memset(st, 0, sizeof(*st));
}

/* ---- pods as records ------------------------------------------------------ */

/* A Pod list's records, made page by page as the list arrives (model.h): a
 * large cluster's pods are never held as JSON. */
typedef struct pod_sink {
	osmdiag__pod_table *t;
	osmdiag__store *store; /* an item of another kind in a pod list goes there */
} pod_sink;

static int pod_item(void *ud, json_t *item)
{
	pod_sink *ps = ud;
	const char *kind = json_string_value(json_object_get(item, "kind"));
	int rc;

	if (kind && strcmp(kind, "Pod") != 0) {
		/* as absorb() would store it (an odd object is skipped) */
		osmdiag__store_add_filtered(ps->store, item, NULL, 0);
		return 0;
	}
	rc = osmdiag__pod_table_add(ps->t, item);
	json_decref(item);
	return rc;
}

static void pod_reset(void *ud)
{
	osmdiag__pod_table_clear(((pod_sink *)ud)->t);
}

/* Pod lists become records, but for the migration inventory's list of every
 * pod (OSMDIAG__NEED_POD), which the store keeps whole. -1 on OOM. */
static int attach_sink(osmdiag__gather *st, osmdiag__fetch *r, unsigned need)
{
	pod_sink *ps;

	if (!r->kind || strcmp(r->kind, "Pod") != 0 || need == OSMDIAG__NEED_POD)
		return 0;
	ps = calloc(1, sizeof(*ps));
	if (!ps || !(ps->t = osmdiag__pod_table_new())) {
		free(ps);
		return -1;
	}
	ps->store = st->store;
	r->on_item = pod_item;
	r->on_reset = pod_reset;
	r->item_ud = ps;
	return 0;
}

/* Moves the records of the successful Pod lists into the model (when `keep`)
 * and frees the sinks. -1 on OOM. */
static int collect_sinks(osmdiag__gather *st, osmdiag__fetch *reqs, size_t n, int keep)
{
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		pod_sink *ps = reqs[i].on_item == pod_item ? reqs[i].item_ud : NULL;

		if (!ps)
			continue;
		if (keep && rc == 0 && reqs[i].code == OSMDIAG_OK) {
			if (!st->model.pods && !(st->model.pods = osmdiag__pod_table_new()))
				rc = -1;
			else if (osmdiag__pod_table_move(st->model.pods, ps->t) < 0)
				rc = -1;
		}
		osmdiag__pod_table_free(ps->t);
		free(ps);
		reqs[i].on_item = NULL;
		reqs[i].on_reset = NULL;
		reqs[i].item_ud = NULL;
	}
	return rc;
}

/* Records of the pods the store keeps whole (OSMDIAG__NEED_POD). -1 on OOM. */
static int records_from_store(osmdiag__gather *st)
{
	json_t *pods = osmdiag__store_list(st->store, "Pod", NULL, NULL);
	json_t *p;
	size_t i;
	int rc = pods ? 0 : -1;

	if (rc == 0 && !st->model.pods && !(st->model.pods = osmdiag__pod_table_new()))
		rc = -1;
	json_array_foreach(pods, i, p) {
		if (rc == 0)
			rc = osmdiag__pod_table_add(st->model.pods, p);
	}
	json_decref(pods);
	return rc;
}

/* Adds the items of the successful requests into the run store. */
static int absorb(osmdiag__gather *st, osmdiag__fetch *reqs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		json_t *item;
		size_t k;

		if (reqs[i].code != OSMDIAG_OK || !reqs[i].items)
			continue;
		json_array_foreach(reqs[i].items, k, item) {
			char err[160];

			/* Objects without kind/name were refused by the source already;
			 * an odd one from a server is skipped, not fatal. Sources
			 * filter fields as they read (store/trim.h); the store drops
			 * Secrets' private keys. */
			osmdiag__store_add_filtered(st->store, json_incref(item), err, sizeof(err));
		}
	}
	return 0;
}

static char *fetch_failure(const osmdiag__fetch *f)
{
	if (f->message)
		return osmdiag__strdup(f->message);
	return osmdiag__asprintf("list %s failed: %s", f->kind, osmdiag_strerror(f->code));
}

/* 1 when a plan row lists cluster-wide, independent of the mesh found. */
static int mesh_independent(unsigned needs, size_t row)
{
	return (needs & plan_table[row].need) && !plan_table[row].mesh_namespace_only &&
	       plan_table[row].need != OSMDIAG__NEED_NAMESPACE && /* listed for discovery */
	       !covered_cluster_wide(needs, row);
}

/* Records the failures of phase-2 style requests (plan rows in map). */
static void record_failures(osmdiag__gather *st, const osmdiag__fetch *reqs, const size_t *map, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (reqs[i].code == OSMDIAG_OK || st->failed[map[i]])
			continue;
		st->failed[map[i]] = fetch_failure(&reqs[i]);
		st->failed_needs |= plan_table[map[i]].need;
		if (!st->failed_code)
			st->failed_code = reqs[i].code;
	}
}

/*
 * Phase 1: what mesh discovery needs (controllers and namespaces, cluster-wide)
 * and, in the same batch, the cluster-wide lists of the selected checks: they
 * do not depend on the mesh, so the longest ones (all pods) start at once
 * instead of after discovery. Their results go to `early` (plan rows in
 * early_map) and are kept only when a mesh is found.
 */
static int fetch_discovery(osmdiag_source *src, osmdiag__gather *st, unsigned needs, long timeout_ms,
	osmdiag__fetch *early, size_t *early_map, size_t *nearly, osmdiag_error *err)
{
	osmdiag__fetch reqs[2 + NPLAN];
	size_t n = 2;
	int rc;

	memset(reqs, 0, sizeof(reqs));
	reqs[0].kind = "Deployment";
	reqs[0].selector = "app=osm-controller";
	reqs[1].kind = "Namespace";
	*nearly = 0;
	for (size_t i = 0; i < NPLAN; i++) {
		if (!mesh_independent(needs, i))
			continue;
		reqs[n].kind = plan_table[i].kind;
		reqs[n].selector = plan_table[i].selector;
		if (attach_sink(st, &reqs[n++], plan_table[i].need) < 0) {
			collect_sinks(st, reqs, n, 0);
			return osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
		}
		early_map[(*nearly)++] = i;
	}
	rc = osmdiag__source_fetch(src, reqs, n, timeout_ms);
	if (rc != OSMDIAG_OK) {
		osmdiag__error_set(err, rc, "%s", osmdiag_source_errmsg(src));
		collect_sinks(st, reqs, n, 0);
		osmdiag__fetch_release(reqs, n);
		*nearly = 0;
		return rc;
	}
	absorb(st, reqs, 2);
	if (reqs[0].code != OSMDIAG_OK) {
		st->discovery_error = fetch_failure(&reqs[0]);
		st->failed_code = reqs[0].code;
	}
	if (reqs[1].code != OSMDIAG_OK) {
		st->failed[NPLAN] = fetch_failure(&reqs[1]);
		st->failed_needs |= OSMDIAG__NEED_NAMESPACE;
		if (!st->failed_code)
			st->failed_code = reqs[1].code;
	}
	osmdiag__fetch_release(reqs, 2);
	memcpy(early, reqs + 2, *nearly * sizeof(*early));
	return OSMDIAG_OK;
}

/*
 * The Secrets the checks read, by name: the mesh root CA, plus the webhook and
 * CRD-converter certificate secrets of releases that keep them (v0.11/v1.0).
 * Listing them by name (fieldSelector metadata.name=...) lets a Role grant
 * `list` on just these (resourceNames) instead of every Secret of the namespace.
 */
static size_t secret_selectors(const osmdiag__mesh *mesh, const char *out[4])
{
	static const char *const ca = "metadata.name=osm-ca-bundle";
	static const char *const mwhc = "metadata.name=mutating-webhook-cert-secret";
	static const char *const vwhc = "metadata.name=validating-webhook-cert-secret";
	static const char *const conv = "metadata.name=crd-converter-cert-secret";
	size_t n = 0;

	out[n++] = ca;
	if (mesh->profile->mwhc_secret)
		out[n++] = mwhc;
	if (mesh->profile->vwhc_secret)
		out[n++] = vwhc;
	if (mesh->conversion_webhook && !mesh->profile->ca_bundle_from_root)
		out[n++] = conv;
	return n;
}

/*
 * The pods of OSMDIAG__NEED_POD_MESHED that phase 1 did not list (it listed
 * the injected ones): those of the mesh namespace (unless listed whole for
 * the control-plane checks) and of the monitored namespaces, one list per
 * namespace, or, when the mesh monitors more than
 * OSMDIAG__GATHER_NS_LISTS_MAX namespaces, one cluster-wide list. Either way
 * without the injected pods (`!label`), so no pod comes twice, and none of the
 * cluster's other namespaces. Fills reqs/map from *n on; -1 on OOM.
 */
static int meshed_pod_requests(const osmdiag__mesh *mesh, unsigned needs, size_t row, osmdiag__fetch *reqs,
	size_t *map, size_t *n, char **names)
{
	static const char *const others = "!" OSMDIAG__PROXY_LABEL;
	const char *added = mesh->added_namespaces ? mesh->added_namespaces : "";
	size_t nmon = 0;

	*names = NULL;
	for (const char *p = added; *p; p++)
		nmon += p == added || p[-1] == ',';
	if (nmon > OSMDIAG__GATHER_NS_LISTS_MAX) {
		reqs[*n].kind = "Pod";
		reqs[*n].selector = others;
		map[(*n)++] = row;
		return 0;
	}
	/* "mesh-ns\0a\0b\0...": the mesh namespace, then the monitored ones */
	size_t mlen = strlen(mesh->namespace_), alen = strlen(added);
	char *buf = malloc(mlen + alen + 2);
	if (!buf)
		return -1;
	memcpy(buf, mesh->namespace_, mlen + 1);
	memcpy(buf + mlen + 1, added, alen + 1);
	for (char *q = buf + mlen + 1; *q; q++)
		if (*q == ',')
			*q = '\0';
	/* the mesh namespace is listed whole for the control-plane checks when they
	 * run (OSMDIAG__NEED_POD_MESH_NS), else here; once if it is monitored too */
	int mesh_here = !(needs & OSMDIAG__NEED_POD_MESH_NS);
	for (char *ns = buf; ns < buf + mlen + alen + 2 && *ns; ns += strlen(ns) + 1) {
		int is_mesh = strcmp(ns, buf) == 0;
		if (ns == buf ? !mesh_here : is_mesh && mesh_here)
			continue;
		reqs[*n].kind = "Pod";
		reqs[*n].namespace_ = ns;
		reqs[*n].selector = others;
		map[(*n)++] = row;
	}
	*names = buf;
	return 0;
}

/* Adds ns to the set unless there (names are few: at most one over the cap). */
static int ns_set_add(osmdiag__strlist *set, const char *ns, size_t len)
{
	for (size_t i = 0; i < set->n; i++)
		if (strncmp(set->v[i], ns, len) == 0 && set->v[i][len] == '\0')
			return 0;
	char *one = osmdiag__strndup(ns, len);
	int rc = one ? osmdiag__strlist_push(set, one) : -1;

	free(one);
	return rc;
}

/*
 * The ReplicaSets of OSMDIAG__NEED_REPLICASET_MESHED: those of the namespaces
 * whose pods the checks resolve to their workloads, i.e. the mesh namespace,
 * the monitored namespaces and every namespace holding an injected pod (phase
 * 1 listed those pods), one list per namespace, or one cluster-wide list when
 * they are more than OSMDIAG__GATHER_NS_LISTS_MAX or than half of the cluster's
 * namespaces. The names go to `set`, which outlives the fetch. -1 on OOM.
 */
static int meshed_rs_requests(const osmdiag__model *m, size_t row, osmdiag__fetch *reqs, size_t *map,
	size_t *n, osmdiag__strlist *set)
{
	const char *added = m->mesh->added_namespaces ? m->mesh->added_namespaces : "";
	osmdiag__pods pods = { NULL, 0 };
	int rc = ns_set_add(set, m->mesh->namespace_, strlen(m->mesh->namespace_));

	for (const char *p = added; *p && rc == 0 && set->n <= OSMDIAG__GATHER_NS_LISTS_MAX;) {
		size_t len = strcspn(p, ",");

		if (len)
			rc = ns_set_add(set, p, len);
		p += len + (p[len] == ',');
	}
	if (rc == 0 && set->n <= OSMDIAG__GATHER_NS_LISTS_MAX &&
	    osmdiag__model_pods(m, NULL, OSMDIAG__PROXY_LABEL, &pods) == 0) {
		const char *prev = NULL;

		/* sorted by namespace: each namespace once */
		for (size_t i = 0; i < pods.n && rc == 0 && set->n <= OSMDIAG__GATHER_NS_LISTS_MAX; i++) {
			const char *ns = pods.v[i]->namespace_;

			if (ns && (!prev || strcmp(prev, ns) != 0))
				rc = ns_set_add(set, ns, strlen(ns));
			prev = ns;
		}
	}
	osmdiag__pods_free(&pods);
	if (rc < 0)
		return -1;
	/* most of the cluster's namespaces: one list costs about the same bytes in
	 * one request */
	osmdiag__objs all = { NULL, 0 };
	size_t nns = osmdiag__model_list(m, "Namespace", NULL, NULL, &all) == 0 ? all.n : 0;
	osmdiag__objs_free(&all);
	if (set->n > OSMDIAG__GATHER_NS_LISTS_MAX || set->n * 2 > nns) {
		reqs[*n].kind = "ReplicaSet";
		map[(*n)++] = row;
		return 0;
	}
	for (size_t i = 0; i < set->n; i++) {
		reqs[*n].kind = "ReplicaSet";
		reqs[*n].namespace_ = set->v[i];
		map[(*n)++] = row;
	}
	return 0;
}

/* Phase 2: every kind the selected checks need, in one concurrent batch. */
static int fetch_needs(osmdiag_source *src, osmdiag__gather *st, unsigned needs, const osmdiag__model *m,
	long timeout_ms, osmdiag_error *err)
{
	const osmdiag__mesh *mesh = m->mesh;
	/* plan rows, Secrets by name, meshed pods and ReplicaSets per namespace */
	size_t cap = NPLAN + 4 + 2 * (OSMDIAG__GATHER_NS_LISTS_MAX + 1);
	osmdiag__fetch *reqs = calloc(cap, sizeof(*reqs));
	size_t *map = calloc(cap, sizeof(*map));
	char *names = NULL;
	osmdiag__strlist rs_ns = OSMDIAG__STRLIST_INIT;
	size_t n = 0;
	int rc;

	if (!reqs || !map) {
		free(reqs);
		free(map);
		return osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < NPLAN; i++) {
		const char *secrets[4];
		size_t ns = 1;

		if (!(needs & plan_table[i].need) || covered_cluster_wide(needs, i))
			continue;
		/* the pods and ReplicaSets of the mesh's namespaces (the injected
		 * pods came with discovery) */
		if (plan_table[i].need == OSMDIAG__NEED_POD_MESHED ||
		    plan_table[i].need == OSMDIAG__NEED_REPLICASET_MESHED) {
			if (plan_table[i].need == OSMDIAG__NEED_POD_MESHED
			    ? meshed_pod_requests(mesh, needs, i, reqs, map, &n, &names) < 0
			    : meshed_rs_requests(m, i, reqs, map, &n, &rs_ns) < 0) {
				free(reqs);
				free(map);
				free(names);
				osmdiag__strlist_free(&rs_ns);
				return osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
			}
			continue;
		}
		/* Namespaces were listed for discovery already, the cluster-wide
		 * kinds with it. */
		if (plan_table[i].need == OSMDIAG__NEED_NAMESPACE || mesh_independent(needs, i))
			continue;
		secrets[0] = NULL;
		if (plan_table[i].need == OSMDIAG__NEED_SECRET)
			ns = secret_selectors(mesh, secrets);
		for (size_t k = 0; k < ns; k++) {
			reqs[n].kind = plan_table[i].kind;
			reqs[n].namespace_ = plan_table[i].mesh_namespace_only ? mesh->namespace_ : NULL;
			reqs[n].field_selector = secrets[k];
			map[n++] = i;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (attach_sink(st, &reqs[i], plan_table[map[i]].need) < 0) {
			collect_sinks(st, reqs, n, 0);
			free(reqs);
			free(map);
			free(names);
			osmdiag__strlist_free(&rs_ns);
			return osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
		}
	}
	rc = n ? osmdiag__source_fetch(src, reqs, n, timeout_ms) : OSMDIAG_OK;
	if (rc != OSMDIAG_OK) {
		osmdiag__error_set(err, rc, "%s", osmdiag_source_errmsg(src));
		collect_sinks(st, reqs, n, 0);
	} else {
		absorb(st, reqs, n);
		record_failures(st, reqs, map, n);
		if (collect_sinks(st, reqs, n, 1) < 0)
			rc = osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
	}
	osmdiag__fetch_release(reqs, n);
	free(reqs);
	free(map);
	free(names);
	osmdiag__strlist_free(&rs_ns);
	return rc;
}

/* Why a check's input is missing (first failed kind it needs), or NULL. */
const char *osmdiag__gather_input_failure(const osmdiag__gather *st, unsigned needs)
{
	if (!(needs & st->failed_needs))
		return NULL;
	for (size_t i = 0; i < NPLAN; i++)
		if ((needs & plan_table[i].need) && st->failed[i])
			return st->failed[i];
	if ((needs & OSMDIAG__NEED_NAMESPACE) && st->failed[NPLAN])
		return st->failed[NPLAN];
	return "a list request failed";
}


int osmdiag__check_selected(const osmdiag_options *opts, const char *only_id, const osmdiag__check_def *d)
{
	if (!d->run) /* migration findings: evaluated by osmdiag_migrate, not by check runs */
		return 0;
	return only_id ? osmdiag__strcaseeq(d->id, only_id) : osmdiag__options_selects(opts, d->id, d->category);
}

unsigned osmdiag__plan_needs(const osmdiag_options *opts, const char *only_id)
{
	unsigned needs = 0;

	for (size_t i = 0; i < osmdiag__catalogue_size(); i++) {
		const osmdiag__check_def *d = osmdiag__catalogue_get(i);

		/* A selected check and the checks it depends on. */
		for (const osmdiag__check_def *x = osmdiag__check_selected(opts, only_id, d) ? d : NULL; x;
		     x = x->depends_on ? osmdiag__catalogue_lookup(x->depends_on) : NULL)
			needs |= x->needs;
	}
	return needs;
}

int osmdiag__gather_run(osmdiag__gather *st, osmdiag_source *src, const osmdiag_options *opts,
	unsigned needs, osmdiag_error *err)
{
	int rc;

	memset(st, 0, sizeof(*st));
	st->store = osmdiag__store_new();
	if (!st->store)
		return osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
	osmdiag__fetch early[NPLAN];
	size_t early_map[NPLAN], nearly = 0;

	rc = fetch_discovery(src, st, needs, opts->timeout_ms, early, early_map, &nearly, err);
	if (rc != OSMDIAG_OK)
		return rc;
	if (osmdiag__model_init(&st->model, st->store, opts->mesh_namespace, opts->mesh_name) < 0) {
		collect_sinks(st, early, nearly, 0);
		osmdiag__fetch_release(early, nearly);
		return osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
	}
	if (st->model.mesh) {
		/* without a mesh the store holds only what discovery read */
		absorb(st, early, nearly);
		record_failures(st, early, early_map, nearly);
	}
	rc = collect_sinks(st, early, nearly, st->model.mesh != NULL);
	osmdiag__fetch_release(early, nearly);
	if (rc < 0)
		return osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
	if (st->model.mesh) {
		rc = fetch_needs(src, st, needs, &st->model, opts->timeout_ms, err);
		if (rc != OSMDIAG_OK)
			return rc;
		if ((needs & OSMDIAG__NEED_POD) && records_from_store(st) < 0)
			return osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
	}
	st->model.expiry_warning_days = opts->expiry_warning_days;
	st->model.now = opts->now ? opts->now : time(NULL);
	return OSMDIAG_OK;
}
