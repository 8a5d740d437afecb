/*
 * SMI TrafficSplit -> VirtualService (memo 6.6, 7.6; OSMD830-831). Host-based
 * (the per-version Services stay): hosts = root FQDN, one weighted route with
 * the backend FQDNs; SMI weights are relative, as Istio's are. A root with a
 * TCP port gets `tcp` routes; a root with several ports one route per port.
 */
#include <stdlib.h>
#include <string.h>

#include "migrate/migrate_impl.h"

#define S(x) ((x) ? (x) : "")

/* 1 when a Service port is declared TCP (appProtocol or name prefix). */
static int port_is_tcp(const osmdiag__obj *p)
{
	const char *ap = osmdiag__obj_str(p, "appProtocol");
	const char *name = osmdiag__obj_str(p, "name");

	if (ap)
		return strncmp(ap, "tcp", 3) == 0 || strcmp(ap, "mysql") == 0 || strcmp(ap, "mongo") == 0 ||
		       strcmp(ap, "redis") == 0;
	return name && (strncmp(name, "tcp", 3) == 0 || strncmp(name, "mysql", 5) == 0 ||
			strncmp(name, "mongo", 5) == 0 || strncmp(name, "redis", 5) == 0);
}

/* Service name and namespace of a TrafficSplit service reference. */
static void split_name(const char *ref, const char *ns, char *name, size_t nlen, char *sns, size_t slen)
{
	const char *dot = strchr(ref, '.');

	if (!dot) {
		snprintf(name, nlen, "%s", ref);
		snprintf(sns, slen, "%s", ns);
		return;
	}
	snprintf(name, nlen, "%.*s", (int)(dot - ref), ref);
	{
		const char *e = strchr(dot + 1, '.');

		snprintf(sns, slen, "%.*s", e ? (int)(e - dot - 1) : (int)strlen(dot + 1), dot + 1);
	}
}

static int has_port(const osmdiag__obj *svc, long long port)
{
	const osmdiag__obj *ports = osmdiag__obj_get(svc, "spec.ports");

	for (size_t i = 0; i < osmdiag__obj_len(ports); i++) {
		long long p;

		if (osmdiag__obj_get_int(osmdiag__obj_at(ports, i), "port", &p) == OSMDIAG__F_OK && p == port)
			return 1;
	}
	return 0;
}

static void translate_one(osmdiag__mig *g, const osmdiag__obj *ts)
{
	const char *ns = osmdiag__obj_namespace(ts), *name = osmdiag__obj_name(ts);
	const char *root = osmdiag__obj_str(ts, "spec.service");
	const osmdiag__obj *backends = osmdiag__obj_get(ts, "spec.backends");
	char rname[256], rns[256];
	char *src = osmdiag__asprintf("TrafficSplit %s/%s", S(ns), S(name));
	char *host = NULL;
	const osmdiag__obj *rsvc;
	const osmdiag__obj *rports;
	json_t *routes = NULL, *vs = NULL, *to = NULL;
	long long total = 0;
	int tcp = 0, approx = 0;
	const char *reason = "host-based VirtualService, weights copied";

	if (!src) {
		g->oom = 1;
		return;
	}
	if (!osmdiag__mig_migrated(g, ns)) {
		osmdiag__mig_inventory(g, "TrafficSplit", ns, name, "none", "namespace not monitored by the "
			"mesh: inert under OSM", NULL);
		goto out;
	}
	if (!root || !*root || !osmdiag__obj_len(backends)) {
		osmdiag__mig_emit(g, "OSMD830", OSMDIAG_STATUS_FAIL, "TrafficSplit", ns, name, "TrafficSplit "
			"%s/%s has no spec.service or no backends: not translated", S(ns), S(name));
		osmdiag__mig_inventory(g, "TrafficSplit", ns, name, "none", "no root service or no backends",
			NULL);
		goto out;
	}
	split_name(root, ns, rname, sizeof(rname), rns, sizeof(rns));
	host = osmdiag__mig_fqdn(root, ns);
	rsvc = osmdiag__model_get(g->m, "Service", rns, rname);
	rports = osmdiag__obj_get(rsvc, "spec.ports");
	if (rsvc)
		osmdiag__mig_use_service(g, rns, rname);
	for (size_t i = 0; i < osmdiag__obj_len(rports); i++)
		if (port_is_tcp(osmdiag__obj_at(rports, i)))
			tcp = 1;
	for (size_t i = 0; i < osmdiag__obj_len(backends); i++) {
		long long w = 0;

		osmdiag__obj_get_int(osmdiag__obj_at(backends, i), "weight", &w);
		total += w;
	}
	if (total <= 0) {
		struct osmdiag_result *r = osmdiag__mig_emit(g, "OSMD830", OSMDIAG_STATUS_FAIL,
			"TrafficSplit", ns,
			name, "TrafficSplit %s/%s: the total weight is %lld: OSM built no route (it logged "
			"an error); the VirtualService would send no traffic", S(ns), S(name), total);

		osmdiag__result_set_hint(r, "give at least one backend a positive weight");
		approx = 1;
		reason = "total weight 0";
	}
	if (tcp) {
		osmdiag__mig_emit(g, "OSMD830", OSMDIAG_STATUS_INFO, "TrafficSplit", ns, name, "TrafficSplit "
			"%s/%s: root Service %s/%s has a TCP port: emitted as tcp routes", S(ns), S(name),
			rns, rname);
	}
	routes = json_array();
	if (!host || !routes) {
		g->oom = 1;
		goto out;
	}
	/* one route per root port when there are several, else one route */
	{
		size_t nports = osmdiag__obj_len(rports) > 1 ? osmdiag__obj_len(rports) : 1;

		for (size_t p = 0; p < nports; p++) {
			long long port = 0;
			json_t *dests = json_array(), *route = json_object();

			if (!dests || !route) {
				json_decref(dests);
				json_decref(route);
				g->oom = 1;
				goto out;
			}
			if (osmdiag__obj_len(rports) > 1)
				osmdiag__obj_get_int(osmdiag__obj_at(rports, p), "port", &port);
			for (size_t i = 0; i < osmdiag__obj_len(backends); i++) {
				const osmdiag__obj *b = osmdiag__obj_at(backends, i);
				const char *bref = S(osmdiag__obj_str(b, "service"));
				char bname[256], bns[256];
				char *bhost = osmdiag__mig_fqdn(bref, ns);
				const osmdiag__obj *bsvc;
				long long w = 0;
				json_t *d;

				split_name(bref, ns, bname, sizeof(bname), bns, sizeof(bns));
				bsvc = osmdiag__model_get(g->m, "Service", bns, bname);
				if (bsvc)
					osmdiag__mig_use_service(g, bns, bname);
				osmdiag__obj_get_int(b, "weight", &w);
				if (!bhost) {
					g->oom = 1;
					continue;
				}
				d = json_pack("{s:{s:s}, s:I}", "destination", "host", bhost, "weight",
					(json_int_t)w);
				if (port)
					json_object_set_new(json_object_get(d, "destination"), "port",
							    json_pack("{s:I}", "number", (json_int_t)port));
				json_array_append_new(dests, d);
				if (p == 0 && strcmp(bhost, host) == 0) {
					struct osmdiag_result *r =
						osmdiag__mig_emit(g, "OSMD830", OSMDIAG_STATUS_WARN,
						"TrafficSplit", ns, name, "TrafficSplit %s/%s: backend %s is "
						"the root service itself (self-referential)", S(ns), S(name),
						bref);

					osmdiag__result_set_hint(r, "SMI discourages self-referential "
						"splits; with Istio the root host routes to itself, which "
						"works only with subsets");
					approx = 1;
				}
				if (p == 0 && rsvc && bsvc) {
					for (size_t k = 0; k < osmdiag__obj_len(rports); k++) {
						long long rp = 0;

						osmdiag__obj_get_int(osmdiag__obj_at(rports, k), "port", &rp);
						if (!has_port(bsvc, rp)) {
							struct osmdiag_result *r =
								osmdiag__mig_emit(g, "OSMD830",
								OSMDIAG_STATUS_WARN, "TrafficSplit", ns, name,
								"TrafficSplit %s/%s: backend Service %s/%s "
								"lacks the root port %lld: it got no traffic "
								"under OSM on that port",
								S(ns), S(name), bns, bname, rp);

							osmdiag__result_set_hint(r, "add port %lld to "
								"Service %s/%s (SMI: every root port must "
								"exist on every backend)", rp,
								bns, bname);
							approx = 1;
						}
					}
				}
				free(bhost);
			}
			json_object_set_new(route, "route", dests);
			if (port)
				json_object_set_new(route, "match",
					json_pack("[{s:I}]", "port", (json_int_t)port));
			json_array_append_new(routes, route);
		}
	}

	{
		osmdiag__mig_manifest *mf = osmdiag__mig_find_host(g, "VirtualService", ns, host);

		if (mf) { /* one VirtualService per host (IST0109): merge */
			json_t *spec = json_object_get(mf->obj, "spec");
			json_t *have = json_object_get(spec, tcp ? "tcp" : "http");
			struct osmdiag_result *r = osmdiag__mig_emit(g, "OSMD831", OSMDIAG_STATUS_WARN,
				"TrafficSplit",
				ns, name, "TrafficSplit %s/%s: VirtualService %s/%s already routes host %s: "
				"merged into it (one VirtualService per host, IST0109)", S(ns), S(name),
				mf->namespace_, mf->name,
				host);

			(void)r;
			if (!have)
				json_object_set(spec, tcp ? "tcp" : "http", routes);
			else
				json_array_extend(have, routes);
			osmdiag__mig_add_source(g, mf, src);
			to = json_array();
			osmdiag__mig_to_push(to, mf);
		} else {
			vs = osmdiag__mig_object(g, "VirtualService", ns, name);
			if (!vs)
				goto out;
			json_object_set_new(vs, "spec", json_pack("{s:[s], s:O}", "hosts", host, tcp ? "tcp" :
				"http",
								  routes));
			mf = osmdiag__mig_add(g, vs, ns, src);
			vs = NULL;
			to = json_array();
			osmdiag__mig_to_push(to, mf);
		}
	}
	osmdiag__mig_inventory(g, "TrafficSplit", ns, name, approx ? "approximate" : "exact", reason, to);
	to = NULL;
out:
	json_decref(routes);
	json_decref(vs);
	json_decref(to);
	free(host);
	free(src);
}

void osmdiag__mig_translate_split(osmdiag__mig *g)
{
	osmdiag__objs v;

	if (osmdiag__model_list(g->m, "TrafficSplit", NULL, NULL, &v) < 0) {
		g->oom = 1;
		return;
	}
	for (size_t i = 0; i < v.n; i++)
		translate_one(g, v.v[i]);
	osmdiag__objs_free(&v);
}
