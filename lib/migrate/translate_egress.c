/*
 * OSM Egress -> ServiceEntry (+ VirtualService for HTTPRouteGroup matches)
 * (memo 6.7, 7.10; OSMD834). With enableEgress false the shared MeshConfig
 * gets outboundTrafficPolicy REGISTRY_ONLY (meshconfig.c) and every Egress a
 * ServiceEntry; with enableEgress true only Egresses that restricted routes
 * need one. One ServiceEntry per (namespace, host set), ports merged.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "migrate/migrate_impl.h"

#define S(x) ((x) ? (x) : "")

static const char *istio_protocol(const char *p)
{
	if (osmdiag__streq(p, "http"))
		return "HTTP";
	if (osmdiag__streq(p, "https"))
		return "TLS";
	return "TCP";
}

/* "httpbin.org" -> "httpbin-org" (DNS-1123 label-ish) */
static char *slug(const char *s)
{
	char *o = osmdiag__strdup(s);

	for (char *p = o; p && *p; p++) {
		*p = (char)tolower((unsigned char)*p);
		if (!isalnum((unsigned char)*p))
			*p = '-';
	}
	return o;
}

/* Adds port {number, name, protocol} to a ServiceEntry's ports unless present. */
static void add_port(json_t *ports, long long number, const char *proto)
{
	size_t i;
	json_t *p;
	char lower[16];
	size_t k = 0;

	json_array_foreach(ports, i, p)
		if (json_integer_value(json_object_get(p, "number")) == number)
			return;
	for (; proto[k] && k + 1 < sizeof(lower); k++)
		lower[k] = (char)tolower((unsigned char)proto[k]);
	lower[k] = '\0';
	json_array_append_new(ports, json_pack("{s:I, s:s, s:s}", "number", (json_int_t)number, "name", lower,
					       "protocol", proto));
}

static int port_cmp(const void *a, const void *b)
{
	json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a, "number"));
	json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b, "number"));

	return x < y ? -1 : x > y;
}

/* Sorts ports by number and makes names unique ("http", "http-8080"). */
static void tidy_ports(json_t *ports)
{
	size_t n = json_array_size(ports);
	json_t **v = malloc((n ? n : 1) * sizeof(*v));

	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(ports, i));
	if (n > 1)
		qsort(v, n, sizeof(*v), port_cmp);
	json_array_clear(ports);
	for (size_t i = 0; i < n; i++) {
		const char *proto = json_string_value(json_object_get(v[i], "protocol"));
		int dup = 0;

		for (size_t k = 0; k < n; k++)
			if (k != i && osmdiag__streq(json_string_value(json_object_get(v[k], "protocol")),
					proto))
				dup = 1;
		if (dup) {
			char *nm = osmdiag__asprintf("%s-%" JSON_INTEGER_FORMAT,
				json_string_value(json_object_get(v[i], "name")),
				json_integer_value(json_object_get(v[i], "number")));

			if (nm)
				json_object_set_new(v[i], "name", json_string(nm));
			free(nm);
		}
		json_array_append_new(ports, v[i]);
	}
	free(v);
}

/* exportTo: ["."] when every source is in the Egress namespace, else their namespaces. */
static json_t *export_to(const osmdiag__obj *eg, const char *ns)
{
	const osmdiag__obj *sources = osmdiag__obj_get(eg, "spec.sources");
	osmdiag__strlist l = OSMDIAG__STRLIST_INIT;
	int other = 0;
	json_t *a;

	for (size_t i = 0; i < osmdiag__obj_len(sources); i++) {
		const char *sns = osmdiag__obj_str(osmdiag__obj_at(sources, i), "namespace");

		if (!sns || !*sns)
			sns = ns;
		if (strcmp(sns, ns) != 0)
			other = 1;
		osmdiag__strlist_push_unique(&l, strcmp(sns, ns) == 0 ? "." : sns);
	}
	if (!other) {
		osmdiag__strlist_free(&l);
		return json_pack("[s]", ".");
	}
	osmdiag__strlist_sort(&l);
	a = osmdiag__mig_strarray(&l);
	osmdiag__strlist_free(&l);
	return a;
}

/* The ServiceEntry for (ns, hosts) or a new one. */
static osmdiag__mig_manifest *service_entry(osmdiag__mig *g, const char *ns, const char *name, json_t *hosts,
	json_t *exp, const char *resolution, const char *src)
{
	osmdiag__mig_manifest *mf = osmdiag__mig_find(g, "ServiceEntry", ns, name);
	json_t *se;

	if (mf) {
		json_t *e = json_object_get(json_object_get(mf->obj, "spec"), "exportTo");
		size_t i;
		json_t *x;

		/* widen exportTo to the union */
		json_array_foreach(exp, i, x) {
			size_t k;
			json_t *y;
			int have = 0;

			json_array_foreach(e, k, y)
				have |= json_equal(x, y);
			if (!have)
				json_array_append(e, x);
		}
		json_decref(exp);
		json_decref(hosts);
		osmdiag__mig_add_source(g, mf, src);
		return mf;
	}
	se = osmdiag__mig_object(g, "ServiceEntry", ns, name);
	if (!se) {
		json_decref(exp);
		json_decref(hosts);
		return NULL;
	}
	json_object_set_new(se, "spec", json_pack("{s:o, s:o, s:s, s:s, s:[]}", "hosts", hosts, "exportTo",
		exp,
						  "location", "MESH_EXTERNAL", "resolution", resolution,
						  "ports"));
	return osmdiag__mig_add(g, se, ns, src);
}

/* The VirtualService for HTTP route matches of one host. */
static osmdiag__mig_manifest *route_vs(osmdiag__mig *g, const osmdiag__obj *eg, const char *ns,
	const char *vsname,
	const char *host, const char *src)
{
	const osmdiag__obj *ports = osmdiag__obj_get(eg, "spec.ports");
	const osmdiag__obj *matches = osmdiag__obj_get(eg, "spec.matches");
	json_t *http = json_array(), *vs;
	osmdiag__mig_manifest *mf = NULL;

	if (!http)
		return NULL;
	for (size_t p = 0; p < osmdiag__obj_len(ports); p++) {
		const osmdiag__obj *pt = osmdiag__obj_at(ports, p);
		long long num = 0;
		json_t *ms = json_array();

		if (!osmdiag__streq(osmdiag__obj_str(pt, "protocol"), "http"))
			continue;
		osmdiag__obj_get_int(pt, "number", &num);
		for (size_t i = 0; i < osmdiag__obj_len(matches); i++) {
			const osmdiag__obj *ref = osmdiag__obj_at(matches, i);
			const osmdiag__obj *grp;
			const osmdiag__obj *gm;

			if (!osmdiag__streq(osmdiag__obj_str(ref, "kind"), "HTTPRouteGroup"))
				continue;
			grp = osmdiag__model_get(g->m, "HTTPRouteGroup", ns, osmdiag__obj_str(ref, "name"));
			gm = osmdiag__obj_get(grp, "spec.matches");
			for (size_t k = 0; k < osmdiag__obj_len(gm); k++) {
				const osmdiag__obj *m = osmdiag__obj_at(gm, k);
				const char *re = osmdiag__obj_str(m, "pathRegex");
				const osmdiag__obj *methods = osmdiag__obj_get(m, "methods");
				const osmdiag__obj *headers = osmdiag__obj_get(m, "headers");
				json_t *mr = json_pack("{s:I}", "port", (json_int_t)num);
				json_t *hm = json_object();

				/* RE2 full match on both sides (Envoy safe_regex): copied as is */
				if (re && *re)
					json_object_set_new(mr, "uri", json_pack("{s:s}", "regex", re));
				if (osmdiag__obj_len(methods)) {
					osmdiag__buf b = OSMDIAG__BUF_INIT;
					int star = 0;

					for (size_t x = 0; x < osmdiag__obj_len(methods); x++) {
						const char *mt =
							S(osmdiag__obj_string_value(osmdiag__obj_at(methods,
							x)));

						star |= strcmp(mt, "*") == 0;
						osmdiag__buf_printf(&b, "%s%s", x ? "|" : "", mt);
					}
					if (!star && b.ptr)
						json_object_set_new(mr, "method",
							json_pack("{s:s}", osmdiag__obj_len(methods)
							> 1 ? "regex" : "exact", b.ptr));
					osmdiag__buf_free(&b);
				}
				for (size_t x = 0; x < osmdiag__obj_len(headers); x++) {
					const char *hk;
					json_t *hv;

					json_object_foreach((json_t *)osmdiag__obj_at(headers, x), hk, hv)
						if (json_is_string(hv))
							json_object_set_new(hm, hk,
								json_pack("{s:O}", "regex", hv));
				}
				if (json_object_size(hm))
					json_object_set_new(mr, "headers", hm);
				else
					json_decref(hm);
				json_array_append_new(ms, mr);
			}
		}
		if (json_array_size(ms))
			json_array_append_new(http, json_pack("{s:o, s:[{s:{s:s, s:{s:I}}}]}", "match", ms,
				"route",
				"destination", "host", host, "port", "number", (json_int_t)num));
		else
			json_decref(ms);
	}
	if (!json_array_size(http)) {
		json_decref(http);
		return NULL;
	}
	vs = osmdiag__mig_object(g, "VirtualService", ns, vsname);
	if (!vs) {
		json_decref(http);
		return NULL;
	}
	json_object_set_new(vs, "spec", json_pack("{s:[s], s:o, s:o}", "hosts", host, "exportTo",
		export_to(eg, ns),
						  "http", http));
	mf = osmdiag__mig_add(g, vs, ns, src);
	for (size_t i = 0; mf && i < osmdiag__obj_len(matches); i++) {
		const osmdiag__obj *ref = osmdiag__obj_at(matches, i);
		char *gs = osmdiag__asprintf("%s %s/%s", S(osmdiag__obj_str(ref, "kind")), S(ns),
			S(osmdiag__obj_str(ref, "name")));

		if (gs && osmdiag__streq(osmdiag__obj_str(ref, "kind"), "HTTPRouteGroup"))
			osmdiag__mig_add_source(g, mf, gs);
		free(gs);
	}
	return mf;
}

static void translate_one(osmdiag__mig *g, const osmdiag__obj *eg)
{
	const char *ns = osmdiag__obj_namespace(eg), *name = osmdiag__obj_name(eg);
	const osmdiag__obj *hosts = osmdiag__obj_get(eg, "spec.hosts");
	const osmdiag__obj *ips = osmdiag__obj_get(eg, "spec.ipAddresses");
	const osmdiag__obj *ports = osmdiag__obj_get(eg, "spec.ports");
	const osmdiag__obj *matches = osmdiag__obj_get(eg, "spec.matches");
	char *src = osmdiag__asprintf("Egress %s/%s", S(ns), S(name));
	json_t *to = json_array();
	int has_routes = 0, tcp_any = 0, manual = 0;
	const char *translation = "approximate";

	if (!src || !to) {
		g->oom = 1;
		goto out;
	}
	if (!g->egress_policy) {
		osmdiag__mig_emit(g, "OSMD834", OSMDIAG_STATUS_WARN, "Egress", ns, name, "Egress %s/%s was "
			"inert (featureFlags.enableEgressPolicy is false): not translated", S(ns), S(name));
		osmdiag__mig_inventory(g, "Egress", ns, name, "none", "enableEgressPolicy false: inert under "
			"OSM", NULL);
		goto out;
	}
	if (!osmdiag__mig_migrated(g, ns)) {
		osmdiag__mig_inventory(g, "Egress", ns, name, "none", "namespace not monitored by the mesh: "
			"inert under OSM", NULL);
		goto out;
	}
	for (size_t i = 0; i < osmdiag__obj_len(matches); i++)
		if (osmdiag__streq(osmdiag__obj_str(osmdiag__obj_at(matches, i), "kind"), "HTTPRouteGroup"))
			has_routes = 1;
	for (size_t i = 0; i < osmdiag__obj_len(ports); i++) {
		const char *proto = osmdiag__obj_str(osmdiag__obj_at(ports, i), "protocol");

		if (!osmdiag__streq(proto, "http") && !osmdiag__streq(proto, "https") &&
				!osmdiag__obj_len(ips))
			tcp_any = 1;
	}
	if (g->egress && !has_routes) {
		osmdiag__mig_inventory(g, "Egress", ns, name, "exact", "enableEgress true: outbound traffic "
			"is allowed (ALLOW_ANY); nothing to emit", NULL);
		goto out;
	}
	/* hosts: HTTP and HTTPS ports */
	if (osmdiag__obj_len(hosts)) {
		json_t *harr = json_array();
		osmdiag__buf nm = OSMDIAG__BUF_INIT;
		osmdiag__mig_manifest *mf;
		int any = 0;

		for (size_t i = 0; i < osmdiag__obj_len(hosts); i++) {
			const char *h = osmdiag__obj_string_value(osmdiag__obj_at(hosts, i));
			char *s = slug(h ? h : "");

			json_array_append_new(harr, json_string(S(h)));
			osmdiag__buf_printf(&nm, "%s%s", i ? "-" : "", s ? s : "");
			free(s);
		}
		for (size_t i = 0; i < osmdiag__obj_len(ports); i++) {
			const char *proto = osmdiag__obj_str(osmdiag__obj_at(ports, i), "protocol");

			any |= osmdiag__streq(proto, "http") || osmdiag__streq(proto, "https");
		}
		if (any && nm.ptr) {
			mf = service_entry(g, ns, nm.ptr, harr, export_to(eg, ns), "DNS", src);
			harr = NULL;
			for (size_t i = 0; mf && i < osmdiag__obj_len(ports); i++) {
				const osmdiag__obj *pt = osmdiag__obj_at(ports, i);
				const char *proto = osmdiag__obj_str(pt, "protocol");
				long long num = 0;

				if (!osmdiag__streq(proto, "http") && !osmdiag__streq(proto, "https"))
					continue;
				osmdiag__obj_get_int(pt, "number", &num);
				add_port(json_object_get(json_object_get(mf->obj, "spec"), "ports"), num,
					 istio_protocol(proto));
			}
			if (mf)
				tidy_ports(json_object_get(json_object_get(mf->obj, "spec"), "ports"));
			osmdiag__mig_to_push(to, mf);
		}
		json_decref(harr);
		osmdiag__buf_free(&nm);
		if (has_routes) {
			for (size_t i = 0; i < osmdiag__obj_len(hosts); i++) {
				const char *h = osmdiag__obj_string_value(osmdiag__obj_at(hosts, i));
				char *s = slug(S(h));
				char *vsname = osmdiag__obj_len(hosts) > 1
					? osmdiag__asprintf("%s-%s", S(name), S(s))
									  : osmdiag__strdup(name);

				if (vsname && h)
					osmdiag__mig_to_push(to, route_vs(g, eg, ns, vsname, h, src));
				free(vsname);
				free(s);
			}
		}
	}
	/* IP ranges: TCP ports with addresses and a synthetic host */
	if (osmdiag__obj_len(ips)) {
		json_t *addrs = json_array();
		char *host = osmdiag__asprintf("%s.%s.egress.osm-migration.local", S(name), S(ns));
		char *sename = osmdiag__asprintf("%s-ips", S(name));
		osmdiag__mig_manifest *mf = NULL;

		for (size_t i = 0; addrs && i < osmdiag__obj_len(ips); i++)
			json_array_append_new(addrs,
				json_string(S(osmdiag__obj_string_value(osmdiag__obj_at(ips, i)))));
		if (host && sename && addrs)
			mf = service_entry(g, ns, sename, json_pack("[s]", host), export_to(eg, ns), "NONE",
				src);
		if (mf) {
			json_object_set_new(json_object_get(mf->obj, "spec"), "addresses", addrs);
			addrs = NULL;
			for (size_t i = 0; i < osmdiag__obj_len(ports); i++) {
				const osmdiag__obj *pt = osmdiag__obj_at(ports, i);
				const char *proto = osmdiag__obj_str(pt, "protocol");
				long long num = 0;

				if (osmdiag__streq(proto, "http") || osmdiag__streq(proto, "https"))
					continue;
				osmdiag__obj_get_int(pt, "number", &num);
				add_port(json_object_get(json_object_get(mf->obj, "spec"), "ports"), num,
					"TCP");
			}
			tidy_ports(json_object_get(json_object_get(mf->obj, "spec"), "ports"));
			osmdiag__mig_to_push(to, mf);
		}
		json_decref(addrs);
		free(host);
		free(sename);
	}
	if (tcp_any) {
		struct osmdiag_result *r = osmdiag__mig_emit(g, "OSMD834", OSMDIAG_STATUS_FAIL, "Egress", ns,
			name,
			"Egress %s/%s allows TCP to any destination on a port (no ipAddresses): no "
			"ServiceEntry equivalent; manual", S(ns), S(name));

		osmdiag__result_set_hint(r, "options: a Sidecar with outboundTrafficPolicy ALLOW_ANY for the "
			"source workloads, or traffic.sidecar.istio.io/excludeOutboundPorts on their pod "
			"templates");
		manual = 1;
	}
	{
		struct osmdiag_result *r = osmdiag__mig_emit(g, "OSMD834", OSMDIAG_STATUS_WARN, "Egress", ns,
			name,
			"Egress %s/%s: ServiceEntry scoped to namespaces with exportTo; OSM scoped it to "
			"source ServiceAccounts%s%s", S(ns), S(name), has_routes ? "; HTTPRouteGroup matches "
			"copied as VirtualService uri/header regexes (RE2 full match as in OSM, unmatched "
			"paths get 404)" : "",
			g->egress ? "" : "; outboundTrafficPolicy REGISTRY_ONLY is not a firewall");

		osmdiag__result_set_hint(r, "per-workload scoping: a Sidecar with workloadSelector and "
			"egress hosts; identity-based egress control needs an AKS Istio egress gateway plus "
			"an AuthorizationPolicy on it");
	}
	if (manual && !json_array_size(to))
		translation = "none";
	osmdiag__mig_inventory(g, "Egress", ns, name, translation, manual ? "TCP egress to any destination "
		"is manual; source ServiceAccount scoping becomes namespace scoping" : "source "
		"ServiceAccount scoping becomes namespace scoping (exportTo)", to);
	to = NULL;
out:
	json_decref(to);
	free(src);
}

void osmdiag__mig_translate_egress(osmdiag__mig *g)
{
	osmdiag__objs v;

	if (osmdiag__model_list(g->m, "Egress", NULL, NULL, &v) < 0) {
		g->oom = 1;
		return;
	}
	for (size_t i = 0; i < v.n; i++)
		translate_one(g, v.v[i]);
	osmdiag__objs_free(&v);
}
