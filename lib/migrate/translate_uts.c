/*
 * OSM UpstreamTrafficSetting -> DestinationRule connection pool and
 * EnvoyFilter local rate limits (memo 6.9, 7.9; OSMD833).
 */
#include <stdlib.h>
#include <string.h>

#include "migrate/migrate_impl.h"

#define S(x) ((x) ? (x) : "")

static void copy_int(json_t *dst, const char *dkey, const osmdiag__obj *src, const char *skey)
{
	long long v;

	if (osmdiag__obj_get_int(src, skey, &v) == OSMDIAG__F_OK)
		json_object_set_new(dst, dkey, json_integer(v));
}

static const char *fill_interval(const char *unit)
{
	if (osmdiag__streq(unit, "minute"))
		return "60s";
	if (osmdiag__streq(unit, "hour"))
		return "3600s";
	return "1s";
}

static json_t *token_bucket(const osmdiag__obj *rl, const char *count_key)
{
	long long n = 0, burst = 0;

	osmdiag__obj_get_int(rl, count_key, &n);
	osmdiag__obj_get_int(rl, "burst", &burst);
	return json_pack("{s:I, s:I, s:s}", "max_tokens", (json_int_t)(n + burst), "tokens_per_fill",
		(json_int_t)n,
			 "fill_interval", fill_interval(osmdiag__obj_str(rl, "unit")));
}

static json_t *pct100(const char *key)
{
	return json_pack("{s:s, s:{s:i, s:s}}", "runtime_key", key, "default_value", "numerator", 100,
			 "denominator", "HUNDRED");
}

static json_t *http_patch(const osmdiag__obj *rl)
{
	json_t *cfg = json_pack("{s:s, s:s, s:o, s:o, s:o}",
		"@type",
		"type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit",
		"stat_prefix", "http_local_rate_limiter", "token_bucket", token_bucket(rl, "requests"),
		"filter_enabled", pct100("local_rate_limit_enabled"),
		"filter_enforced", pct100("local_rate_limit_enforced"));
	long long code;
	const osmdiag__obj *hdrs = osmdiag__obj_get(rl, "responseHeadersToAdd");

	if (!cfg)
		return NULL;
	if (osmdiag__obj_get_int(rl, "responseStatusCode", &code) == OSMDIAG__F_OK)
		json_object_set_new(cfg, "status", json_pack("{s:I}", "code", (json_int_t)code));
	if (osmdiag__obj_len(hdrs)) {
		json_t *a = json_array();

		for (size_t i = 0; a && i < osmdiag__obj_len(hdrs); i++) {
			const osmdiag__obj *h = osmdiag__obj_at(hdrs, i);

			json_array_append_new(a, json_pack("{s:{s:s, s:s}}", "header", "key",
				S(osmdiag__obj_str(h, "name")), "value", S(osmdiag__obj_str(h, "value"))));
		}
		json_object_set_new(cfg, "response_headers_to_add", a);
	}
	return json_pack("{s:s, s:{s:s, s:{s:{s:{s:s}}}}, s:{s:s, s:{s:s, s:o}}}", "applyTo", "HTTP_FILTER",
		"match", "context", "SIDECAR_INBOUND", "listener", "filterChain", "filter", "name",
		"envoy.filters.network.http_connection_manager", "patch", "operation", "INSERT_BEFORE",
		"value",
		"name", "envoy.filters.http.local_ratelimit", "typed_config", cfg);
}

static json_t *tcp_patch(const osmdiag__obj *rl)
{
	json_t *cfg = json_pack("{s:s, s:s, s:o}",
		"@type",
		"type.googleapis.com/envoy.extensions.filters.network.local_ratelimit.v3.LocalRateLimit",
		"stat_prefix", "tcp_local_rate_limiter", "token_bucket", token_bucket(rl, "connections"));

	if (!cfg)
		return NULL;
	return json_pack("{s:s, s:{s:s, s:{s:{s:{s:s}}}}, s:{s:s, s:{s:s, s:o}}}", "applyTo",
		"NETWORK_FILTER",
		"match", "context", "SIDECAR_INBOUND", "listener", "filterChain", "filter", "name",
		"envoy.filters.network.tcp_proxy", "patch", "operation", "INSERT_BEFORE", "value",
		"name", "envoy.filters.network.local_ratelimit", "typed_config", cfg);
}

/* Service <svc>.<ns>.svc.cluster.local named by a UTS host, or NULL. */
static const osmdiag__obj *host_service(osmdiag__mig *g, const char *host)
{
	char name[256], ns[256];
	const char *d1 = host ? strchr(host, '.') : NULL;
	const char *d2 = d1 ? strchr(d1 + 1, '.') : NULL;

	if (!d1 || !d2 || !osmdiag__has_suffix(host, ".svc.cluster.local"))
		return NULL;
	snprintf(name, sizeof(name), "%.*s", (int)(d1 - host), host);
	snprintf(ns, sizeof(ns), "%.*s", (int)(d2 - d1 - 1), d1 + 1);
	return osmdiag__model_get(g->m, "Service", ns, name);
}

static void translate_one(osmdiag__mig *g, const osmdiag__obj *u)
{
	const char *ns = osmdiag__obj_namespace(u), *name = osmdiag__obj_name(u);
	const char *host = osmdiag__obj_str(u, "spec.host");
	const osmdiag__obj *cs = osmdiag__obj_get(u, "spec.connectionSettings");
	const osmdiag__obj *http_rl = osmdiag__obj_get(u, "spec.rateLimit.local.http");
	const osmdiag__obj *tcp_rl = osmdiag__obj_get(u, "spec.rateLimit.local.tcp");
	size_t nroutes = osmdiag__obj_len(osmdiag__obj_get(u, "spec.httpRoutes"));
	char *src = osmdiag__asprintf("UpstreamTrafficSetting %s/%s", S(ns), S(name));
	json_t *to = json_array();
	osmdiag__strlist notes = OSMDIAG__STRLIST_INIT;
	const char *translation = "exact";

	if (!src || !to) {
		g->oom = 1;
		goto out;
	}
	if (!host || !*host) {
		osmdiag__mig_emit(g, "OSMD833", OSMDIAG_STATUS_WARN, "UpstreamTrafficSetting", ns, name,
			"UpstreamTrafficSetting %s/%s has no spec.host: not translated", S(ns), S(name));
		osmdiag__mig_inventory(g, "UpstreamTrafficSetting", ns, name, "none", "no spec.host", NULL);
		json_decref(to);
		to = NULL;
		goto out;
	}
	if (osmdiag__obj_is_object(cs) && osmdiag__obj_size(cs)) {
		json_t *pool = json_object(), *tcp = json_object(), *http = json_object();
		const osmdiag__obj *ct = osmdiag__obj_get(cs, "tcp"), *ch = osmdiag__obj_get(cs, "http");
		osmdiag__mig_manifest *mf;
		const char *timeout = osmdiag__obj_str(ct, "connectTimeout");

		copy_int(tcp, "maxConnections", ct, "maxConnections");
		/* OSM left connect_timeout unset: Envoy's 5s; Istio's default is 10s */
		json_object_set_new(tcp, "connectTimeout", json_string(timeout && *timeout ? timeout : "5s"));
		copy_int(http, "http2MaxRequests", ch, "maxRequests");
		copy_int(http, "http1MaxPendingRequests", ch, "maxPendingRequests");
		copy_int(http, "maxRequestsPerConnection", ch, "maxRequestsPerConnection");
		copy_int(http, "maxRetries", ch, "maxRetries");
		json_object_set_new(pool, "tcp", tcp);
		if (json_object_size(http))
			json_object_set_new(pool, "http", http);
		else
			json_decref(http);
		mf = osmdiag__mig_find_host(g, "DestinationRule", ns, host);
		if (mf) {
			json_t *spec = json_object_get(mf->obj, "spec");
			json_t *tp = json_object_get(spec, "trafficPolicy");

			if (!tp) {
				tp = json_object();
				json_object_set_new(spec, "trafficPolicy", tp);
			}
			json_object_set_new(tp, "connectionPool", pool);
			osmdiag__mig_add_source(g, mf, src);
		} else {
			json_t *dr = osmdiag__mig_object(g, "DestinationRule", ns, name);

			if (dr)
				json_object_set_new(dr, "spec", json_pack("{s:s, s:{s:o}}", "host", host,
					"trafficPolicy",
									  "connectionPool", pool));
			else
				json_decref(pool);
			mf = osmdiag__mig_add(g, dr, ns, src);
		}
		osmdiag__mig_to_push(to, mf);
		osmdiag__strlist_push(&notes, "connectionSettings -> DestinationRule connectionPool "
			"(connectTimeout 5s kept explicitly)");
	}
	if (http_rl || tcp_rl) {
		const osmdiag__obj *svc = host_service(g, host);
		json_t *sel = osmdiag__mig_service_selector(svc);
		json_t *patches = json_array();
		json_t *ef = osmdiag__mig_object(g, "EnvoyFilter", ns, name);
		osmdiag__mig_manifest *mf;

		if (http_rl)
			json_array_append_new(patches, http_patch(http_rl));
		if (tcp_rl)
			json_array_append_new(patches, tcp_patch(tcp_rl));
		if (ef) {
			json_t *spec = json_pack("{s:o}", "configPatches", patches);

			if (sel)
				json_object_set_new(spec, "workloadSelector",
					json_pack("{s:O}", "labels", sel));
			json_object_set_new(ef, "spec", spec);
		} else {
			json_decref(patches);
		}
		mf = osmdiag__mig_add(g, ef, ns, src);
		osmdiag__mig_to_push(to, mf);
		if (svc)
			osmdiag__mig_use_service(g, osmdiag__obj_namespace(svc), osmdiag__obj_name(svc));
		translation = "approximate";
		osmdiag__strlist_push(&notes, "rateLimit -> EnvoyFilter (outside AKS support)");
		if (!sel) {
			struct osmdiag_result *r = osmdiag__mig_emit(g, "OSMD833", OSMDIAG_STATUS_WARN,
				"UpstreamTrafficSetting", ns, name, "UpstreamTrafficSetting %s/%s: host %s "
				"is not a Service with a selector in the snapshot: the EnvoyFilter has no "
				"workloadSelector and applies to every pod of namespace %s", S(ns), S(name),
				host, S(ns));

			osmdiag__result_set_hint(r, "add spec.workloadSelector.labels for the pods behind %s",
				host);
		}
		json_decref(sel);
	}
	{
		struct osmdiag_result *r = osmdiag__mig_emit(g, "OSMD833", OSMDIAG_STATUS_WARN,
			"UpstreamTrafficSetting", ns, name, "UpstreamTrafficSetting %s/%s (host %s):%s%s%s",
			S(ns),
			S(name), host, osmdiag__obj_size(cs) ? " connectionSettings -> DestinationRule "
			"(connectTimeout 5s kept: Istio's default is 10s);" : "", (http_rl || tcp_rl) ? " "
			"local rate limit -> EnvoyFilter, outside AKS add-on support, per pod not aggregate;"
			: "", nroutes ?
			" httpRoutes per-route rate limits are not translated (manual)" : "");

		osmdiag__result_set_hint(r, "EnvoyFilter is allowed on the AKS add-on but issues from it are "
			"outside support; rate limits apply per Envoy instance (per pod), as in OSM");
	}
	if (nroutes) {
		translation = osmdiag__obj_size(cs) || http_rl || tcp_rl ? "approximate" : "none";
		osmdiag__strlist_push(&notes, "httpRoutes rate limits not translated (manual)");
	}
	{
		char *reason = osmdiag__strlist_join(&notes, "; ");

		osmdiag__mig_inventory(g, "UpstreamTrafficSetting", ns, name, translation, reason ? reason :
			"", to);
		to = NULL;
		free(reason);
	}
out:
	json_decref(to);
	osmdiag__strlist_free(&notes);
	free(src);
}

void osmdiag__mig_translate_uts(osmdiag__mig *g)
{
	osmdiag__objs v;

	if (osmdiag__model_list(g->m, "UpstreamTrafficSetting", NULL, NULL, &v) < 0) {
		g->oom = 1;
		return;
	}
	for (size_t i = 0; i < v.n; i++)
		translate_one(g, v.v[i]);
	osmdiag__objs_free(&v);
}
