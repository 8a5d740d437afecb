/*
 * The live source: osmdiag__source_ops over the Kubernetes API. Maps each
 * kind to its API path, runs a batch of list requests through http.c and
 * hands the items (with kind/apiVersion set) back; plus the public
 * constructors osmdiag_source_new_kubeconfig / _new_in_cluster.
 *
 * SPDX-License-Identifier: Apache-2.0
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "source/live/live.h"
#include "source/source_impl.h"

#define DEFAULT_CONCURRENCY 8

typedef struct live {
	osmdiag__live_config *cfg;
	osmdiag__auth *auth;
	osmdiag__http *http;
	char *description;   /* until the source exists; then src->description (freed by source.c) */
} live;

static const struct kind_map {
	const char *kind;
	const char *prefix;      /* API group/version path */
	const char *resource;    /* plural */
	int namespaced;
	const char *fallback;    /* prefix tried on 404 */
} kinds[] = {
	{ "Deployment", "/apis/apps/v1", "deployments", 1, NULL },
	{ "ReplicaSet", "/apis/apps/v1", "replicasets", 1, NULL },
	{ "Pod", "/api/v1", "pods", 1, NULL },
	{ "Service", "/api/v1", "services", 1, NULL },
	{ "Endpoints", "/api/v1", "endpoints", 1, NULL },
	{ "Namespace", "/api/v1", "namespaces", 0, NULL },
	{ "Secret", "/api/v1", "secrets", 1, NULL },
	{ "ConfigMap", "/api/v1", "configmaps", 1, NULL },
	{ "ServiceAccount", "/api/v1", "serviceaccounts", 1, NULL },
	{ "EndpointSlice", "/apis/discovery.k8s.io/v1", "endpointslices", 1, NULL },
	{ "MutatingWebhookConfiguration", "/apis/admissionregistration.k8s.io/v1",
	  "mutatingwebhookconfigurations", 0, NULL },
	{ "ValidatingWebhookConfiguration", "/apis/admissionregistration.k8s.io/v1",
	  "validatingwebhookconfigurations", 0, NULL },
	{ "CustomResourceDefinition", "/apis/apiextensions.k8s.io/v1", "customresourcedefinitions", 0, NULL },
	{ "MeshConfig", "/apis/config.openservicemesh.io/v1alpha2", "meshconfigs", 1,
	  "/apis/config.openservicemesh.io/v1alpha1" },
	/* the migration inventory (a kind that is not served lists as empty) */
	{ "StatefulSet", "/apis/apps/v1", "statefulsets", 1, NULL },
	{ "DaemonSet", "/apis/apps/v1", "daemonsets", 1, NULL },
	{ "Node", "/api/v1", "nodes", 0, NULL },
	{ "Ingress", "/apis/networking.k8s.io/v1", "ingresses", 1, NULL },
	{ "TrafficTarget", "/apis/access.smi-spec.io/v1alpha3", "traffictargets", 1, NULL },
	{ "HTTPRouteGroup", "/apis/specs.smi-spec.io/v1alpha4", "httproutegroups", 1, NULL },
	{ "TCPRoute", "/apis/specs.smi-spec.io/v1alpha4", "tcproutes", 1, NULL },
	{ "TrafficSplit", "/apis/split.smi-spec.io/v1alpha2", "trafficsplits", 1, NULL },
	{ "Egress", "/apis/policy.openservicemesh.io/v1alpha1", "egresses", 1, NULL },
	{ "IngressBackend", "/apis/policy.openservicemesh.io/v1alpha1", "ingressbackends", 1, NULL },
	{ "UpstreamTrafficSetting", "/apis/policy.openservicemesh.io/v1alpha1", "upstreamtrafficsettings", 1, NULL },
	{ "Retry", "/apis/policy.openservicemesh.io/v1alpha1", "retries", 1, NULL },
};

static const struct kind_map *find_kind(const char *kind)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kinds[i].kind, kind) == 0)
			return &kinds[i];
	return NULL;
}

static void live_free(void *impl)
{
	live *lv = impl;
	if (!lv)
		return;
	osmdiag__http_free(lv->http);
	osmdiag__auth_free(lv->auth);
	osmdiag__live_config_free(lv->cfg);
	free(lv->description);
	free(lv);
}

typedef struct req_text {
	char *paths[2];
	char *what;
} req_text;

static int live_fetch(osmdiag_source *src, osmdiag__fetch *reqs, size_t n, long timeout_ms)
{
	live *lv = src->impl;
	osmdiag__http_list *lists = calloc(n ? n : 1, sizeof(*lists));
	req_text *txt = calloc(n ? n : 1, sizeof(*txt));
	size_t *map = calloc(n ? n : 1, sizeof(*map));
	size_t nl = 0;
	char errbuf[OSMDIAG_ERROR_MESSAGE_SIZE];
	int rc = OSMDIAG_OK;

	if (!lists || !txt || !map) {
		rc = osmdiag__source_set_error(src, OSMDIAG_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const struct kind_map *km = find_kind(reqs[i].kind ? reqs[i].kind : "");
		if (!km) {
			reqs[i].code = OSMDIAG_EINVAL;
			reqs[i].message = osmdiag__asprintf("the live source cannot list kind \"%s\"",
				reqs[i].kind ? reqs[i].kind : "");
			continue;
		}
		const char *ns = km->namespaced && reqs[i].namespace_ && *reqs[i].namespace_ ? reqs[i].namespace_
											     : NULL;
		char *ens = ns ? osmdiag__http_escape(ns) : NULL;
		osmdiag__http_list *l = &lists[nl];
		req_text *t = &txt[nl];
		if (ns && !ens) {
			rc = osmdiag__source_set_error(src, OSMDIAG_ENOMEM, "out of memory");
			goto out;
		}
		for (int a = 0; a < 2; a++) {
			const char *prefix = a == 0 ? km->prefix : km->fallback;
			if (!prefix)
				continue;
			t->paths[a] = ens ? osmdiag__asprintf("%s/namespaces/%s/%s", prefix, ens, km->resource)
					  : osmdiag__asprintf("%s/%s", prefix, km->resource);
			l->paths[a] = t->paths[a];
		}
		free(ens);
		t->what = ns ? osmdiag__asprintf("list %s in %s", km->resource, ns)
			     : osmdiag__asprintf("list %s%s", km->resource, km->namespaced ? " in all namespaces" : "");
		l->what = t->what;
		l->kind = km->kind;
		l->on_item = reqs[i].on_item;
		l->on_reset = reqs[i].on_reset;
		l->item_ud = reqs[i].item_ud;
		if ((reqs[i].selector && *reqs[i].selector) || (reqs[i].field_selector && *reqs[i].field_selector)) {
			char *e = osmdiag__http_escape(reqs[i].selector ? reqs[i].selector : "");
			char *f = osmdiag__http_escape(reqs[i].field_selector ? reqs[i].field_selector : "");

			l->query = e && f ? osmdiag__asprintf("%s%s%s%s%s", *e ? "labelSelector=" : "", e,
							 *e && *f ? "&" : "", *f ? "fieldSelector=" : "", f) : NULL;
			free(e);
			free(f);
			if (!l->query) {
				rc = osmdiag__source_set_error(src, OSMDIAG_ENOMEM, "out of memory");
				goto out;
			}
		}
		if (!t->paths[0] || (km->fallback && !t->paths[1]) || !t->what) {
			rc = osmdiag__source_set_error(src, OSMDIAG_ENOMEM, "out of memory");
			goto out;
		}
		map[nl++] = i;
	}
	if (nl == 0)
		goto out;

	errbuf[0] = '\0';
	rc = osmdiag__http_run(lv->http, lists, nl, src->max_concurrency > 0 ? src->max_concurrency
		: DEFAULT_CONCURRENCY, timeout_ms, &src->cancelled, &src->requests, errbuf, sizeof(errbuf));
	for (size_t k = 0; k < nl; k++) {
		osmdiag__fetch *r = &reqs[map[k]];
		r->items = lists[k].items;
		lists[k].items = NULL;
		r->code = lists[k].code;
		r->consumed = lists[k].consumed;
		r->http_status = lists[k].http_status;
		r->message = lists[k].message;
		lists[k].message = NULL;
		if (r->code == OSMDIAG_OK && !r->items) {
			r->code = OSMDIAG_ERROR;
			free(r->message);
			r->message = osmdiag__strdup("no result");
		}
	}
	if (rc != OSMDIAG_OK)
		osmdiag__source_set_error(src, rc, "%s", *errbuf ? errbuf : osmdiag_strerror(rc));
out:
	for (size_t k = 0; lists && txt && k < n; k++) {
		json_decref(lists[k].items);
		free(lists[k].message);
		free(lists[k].query);
		free(txt[k].paths[0]);
		free(txt[k].paths[1]);
		free(txt[k].what);
	}
	free(lists);
	free(txt);
	free(map);
	return rc;
}

static const osmdiag__source_ops live_ops = {
	"live",
	live_fetch,
	live_free,
};

/* Wraps a loaded configuration into a source (takes ownership of cfg). */
static osmdiag_source *make_source(osmdiag__live_config *cfg, osmdiag_error *err)
{
	live *lv = calloc(1, sizeof(*lv));
	osmdiag_source *src = NULL;

	if (!lv) {
		osmdiag__live_config_free(cfg);
		osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
		return NULL;
	}
	lv->cfg = cfg;
	lv->auth = osmdiag__auth_new(cfg);
	lv->http = lv->auth ? osmdiag__http_new(cfg, lv->auth) : NULL;
	if (cfg->in_cluster)
		lv->description = osmdiag__asprintf("in-cluster (%s)", cfg->server);
	else
		lv->description = osmdiag__asprintf("context \"%s\" (%s)", cfg->context ? cfg->context : "",
			cfg->server);
	if (lv->http && lv->description)
		src = osmdiag__source_new(&live_ops, lv);
	if (!src) {
		live_free(lv);
		osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
		return NULL;
	}
	src->description = lv->description;
	lv->description = NULL;
	src->max_concurrency = DEFAULT_CONCURRENCY;
	return src;
}

osmdiag_source *osmdiag_source_new_kubeconfig(const char *kubeconfig, const char *context, osmdiag_error *err)
{
	osmdiag__live_config *cfg = NULL;

	osmdiag_error_clear(err);
	if (osmdiag__kubeconfig_load(kubeconfig, context, &cfg, err) != OSMDIAG_OK)
		return NULL;
	return make_source(cfg, err);
}

osmdiag_source *osmdiag_source_new_in_cluster(osmdiag_error *err)
{
	osmdiag__live_config *cfg = NULL;

	osmdiag_error_clear(err);
	if (osmdiag__incluster_load(&cfg, err) != OSMDIAG_OK)
		return NULL;
	return make_source(cfg, err);
}
