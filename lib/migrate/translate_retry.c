/*
 * OSM Retry -> VirtualService retries (memo 6.10, 7.8; OSMD832). Only with
 * featureFlags.enableRetryPolicy (else the CRs were inert). Per destination
 * Service: in the single VirtualService of its FQDN, a first route matching
 * the source (sourceNamespace + the source ServiceAccount's pod labels) with
 * the retries, then the default route with `retries: {attempts: 0}` (OSM
 * retried nothing without a Retry; Istio retries twice by default).
 */
#include <stdlib.h>
#include <string.h>

#include "migrate/migrate_impl.h"

#define S(x) ((x) ? (x) : "")

static json_t *retries_of(osmdiag__mig *g, const osmdiag__obj *rt, int *dropped_backoff)
{
	const osmdiag__obj *p = osmdiag__obj_get(rt, "spec.retryPolicy");
	long long n = 1;
	json_t *r = json_object();
	const char *s;

	if (!r) {
		g->oom = 1;
		return NULL;
	}
	osmdiag__obj_get_int(p, "numRetries", &n); /* Envoy default 1 when unset */
	json_object_set_new(r, "attempts", json_integer(n));
	if ((s = osmdiag__obj_str(p, "perTryTimeout")) != NULL)
		osmdiag__mig_set_str(g, r, "perTryTimeout", s);
	if ((s = osmdiag__obj_str(p, "retryOn")) != NULL)
		osmdiag__mig_set_str(g, r, "retryOn", s);
	if ((s = osmdiag__obj_str(p, "retryBackoffBaseInterval")) != NULL) {
		if (osmdiag__mig_rev_has(g->rev, OSMDIAG__MIG_FEAT_RETRY_BACKOFF))
			osmdiag__mig_set_str(g, r, "backoff", s);
		else
			*dropped_backoff = 1;
	}
	return r;
}

/* The default (last, match-less) route of an http list, or NULL. */
static json_t *default_route(json_t *http)
{
	json_t *last = json_array_get(http, json_array_size(http) ? json_array_size(http) - 1 : 0);

	return last && !json_object_get(last, "match") ? last : NULL;
}

static void translate_one(osmdiag__mig *g, const osmdiag__obj *rt)
{
	const char *ns = osmdiag__obj_namespace(rt), *name = osmdiag__obj_name(rt);
	const char *sns = osmdiag__obj_str(rt, "spec.source.namespace");
	const char *ssa = osmdiag__obj_str(rt, "spec.source.name");
	const osmdiag__obj *dests = osmdiag__obj_get(rt, "spec.destinations");
	char *src = osmdiag__asprintf("Retry %s/%s", S(ns), S(name));
	char *why = osmdiag__asprintf("source of Retry %s/%s", S(ns), S(name));
	json_t *labels = NULL, *to = json_array();
	int quality = 1, dropped = 0, approx = 1;

	if (!src || !why || !to) {
		g->oom = 1;
		goto out;
	}
	if (!g->retry_policy) {
		osmdiag__mig_inventory(g, "Retry", ns, name, "none", "featureFlags.enableRetryPolicy is "
			"false: the Retry was inert under OSM", NULL);
		goto out;
	}
	if (!sns || !*sns)
		sns = ns;
	labels = osmdiag__mig_sa_selector(g, sns, S(ssa), why, &quality);
	if (!labels)
		goto out;
	for (size_t i = 0; i < osmdiag__obj_len(dests); i++) {
		const osmdiag__obj *d = osmdiag__obj_at(dests, i);
		const char *dkind = osmdiag__obj_str(d, "kind");
		const char *dname = osmdiag__obj_str(d, "name");
		const char *dns = osmdiag__obj_str(d, "namespace");
		char *host;
		osmdiag__mig_manifest *mf;
		json_t *http, *def, *route, *retries;

		if (!dns || !*dns)
			dns = ns;
		if (!osmdiag__streq(dkind, "Service") || !dname) {
			osmdiag__mig_emit(g, "OSMD832", OSMDIAG_STATUS_WARN, "Retry", ns, name, "Retry %s/%s "
				"destination %zu has kind \"%s\", expected Service: skipped", S(ns), S(name),
				i, S(dkind));
			continue;
		}
		host = osmdiag__mig_fqdn(dname, dns);
		if (!host) {
			g->oom = 1;
			continue;
		}
		osmdiag__mig_use_service(g, dns, dname);
		mf = osmdiag__mig_find_host(g, "VirtualService", dns, host);
		if (mf && !osmdiag__strlist_contains(&mf->sources, src)) {
			struct osmdiag_result *r = osmdiag__mig_emit(g, "OSMD831", OSMDIAG_STATUS_WARN,
				"Retry", ns,
				name, "Retry %s/%s: VirtualService %s/%s already routes host %s: the retry "
				"route is merged into it (one VirtualService per host, IST0109)", S(ns),
				S(name), mf->namespace_, mf->name,
				host);

			osmdiag__result_set_hint(r, "review the merged VirtualService: the retry route comes "
				"first, with the same destinations and weights as the default route");
		}
		if (!mf) {
			json_t *vs = osmdiag__mig_object(g, "VirtualService", dns, dname);

			if (vs)
				json_object_set_new(vs, "spec", json_pack("{s:[s], s:[{s:[{s:{s:s}}]}]}",
					"hosts", host,
					"http", "route", "destination", "host", host));
			mf = osmdiag__mig_add(g, vs, dns, NULL);
		}
		if (!mf) {
			free(host);
			continue;
		}
		osmdiag__mig_add_source(g, mf, src);
		osmdiag__mig_to_push(to, mf);
		http = json_object_get(json_object_get(mf->obj, "spec"), "http");
		if (!http) {
			http = json_array();
			json_object_set_new(json_object_get(mf->obj, "spec"), "http", http);
			json_array_append_new(http, json_pack("{s:[{s:{s:s}}]}", "route", "destination",
				"host", host));
		}
		def = default_route(http);
		if (!def) {
			def = json_pack("{s:[{s:{s:s}}]}", "route", "destination", "host", host);
			json_array_append_new(http, def);
		}
		retries = retries_of(g, rt, &dropped);
		route = json_pack("{s:[{s:s, s:O}], s:O, s:o}", "match", "sourceNamespace", sns,
			"sourceLabels", labels,
				  "route", json_object_get(def, "route"), "retries", retries);
		if (!route || json_array_insert_new(http, json_array_size(http) - 1, route) < 0)
			g->oom = 1;
		if (!json_object_get(def, "retries"))
			json_object_set_new(def, "retries", json_pack("{s:i}", "attempts", 0));
		free(host);
	}
	{
		struct osmdiag_result *r = osmdiag__mig_emit(g, "OSMD832", OSMDIAG_STATUS_WARN, "Retry", ns,
			name,
			"Retry %s/%s: retries of ServiceAccount %s/%s scoped with sourceNamespace %s + "
			"sourceLabels of its pods%s; other clients of the destinations get retries: "
			"{attempts: 0}", S(ns), S(name),
			S(sns), S(ssa), S(sns), dropped ? "; retryBackoffBaseInterval dropped "
			"(HTTPRetry.backoff needs asm-1-26+)" : "");

		osmdiag__result_set_hint(r, "sourceLabels select pods, not an identity: pods of another "
			"ServiceAccount with the same labels get the retries too");
	}
	osmdiag__mig_inventory(g, "Retry", ns, name, approx ? "approximate" : "exact", dropped
		? "source scoping by sourceNamespace/sourceLabels; backoff dropped for this revision"
		: "source scoping by sourceNamespace/sourceLabels", to);
	to = NULL;
out:
	json_decref(labels);
	json_decref(to);
	free(src);
	free(why);
}

void osmdiag__mig_translate_retry(osmdiag__mig *g)
{
	osmdiag__objs v;
	struct osmdiag_result *r;

	if (osmdiag__model_list(g->m, "Retry", NULL, NULL, &v) < 0) {
		g->oom = 1;
		return;
	}
	r = osmdiag__mig_emit(g, "OSMD832", OSMDIAG_STATUS_WARN, NULL, NULL, NULL, "Istio retries every HTTP "
		"request twice by default (attempts: 2), OSM never retried without a Retry policy: set "
		"defaultHttpRetryPolicy: {attempts: 0} in istio-shared-configmap-%s to keep OSM's behaviour "
		"(generated VirtualServices already carry retries: {attempts: 0} on their default routes)%s",
		g->rev->name, v.n && !g->retry_policy ? "; the Retry CRs were inert (enableRetryPolicy: "
		"false) and are not translated" : "");
	osmdiag__result_set_hint(r, "defaultHttpRetryPolicy is an Allowed (unsupported) MeshConfig field on "
		"the add-on; the draft does not set it: decide mesh-wide");
	osmdiag__result_set_fix(r, "kubectl edit configmap istio-shared-configmap-%s -n aks-istio-system  "
		"# mesh: | defaultHttpRetryPolicy: {attempts: 0}", g->rev->name);
	for (size_t i = 0; i < v.n; i++)
		translate_one(g, v.v[i]);
	osmdiag__objs_free(&v);
}
