/*
 * The inventory and the cluster, namespace and workload findings of the
 * migration (memo 8: OSMD801-806, 810-813, 815, 843-845).
 */
#include <stdlib.h>
#include <string.h>

#include "migrate/migrate_impl.h"

#define S(x) ((x) ? (x) : "")

static const char *const osm_kinds[] = { "TrafficTarget", "HTTPRouteGroup", "TCPRoute", "TrafficSplit",
	"Egress",
	"IngressBackend", "UpstreamTrafficSetting", "Retry" };
#define NKINDS (sizeof(osm_kinds) / sizeof(osm_kinds[0]))

static void inventory_summary(osmdiag__mig *g)
{
	osmdiag__buf b = OSMDIAG__BUF_INIT;
	osmdiag__strlist nss = OSMDIAG__STRLIST_INIT;
	size_t total = 0;
	struct osmdiag_result *r;

	/* namespaces that hold any policy object, plus the migrated ones */
	for (size_t i = 0; i < g->nss.n; i++)
		osmdiag__strlist_push_unique(&nss, g->nss.v[i]);
	for (size_t k = 0; k < NKINDS; k++) {
		osmdiag__objs v;

		if (osmdiag__model_list(g->m, osm_kinds[k], NULL, NULL, &v) < 0)
			continue;
		for (size_t i = 0; i < v.n; i++)
			osmdiag__strlist_push_unique(&nss, S(osmdiag__obj_namespace(v.v[i])));
		total += v.n;
		osmdiag__objs_free(&v);
	}
	osmdiag__strlist_sort(&nss);
	for (size_t n = 0; n < nss.n; n++) {
		int first = 1;

		osmdiag__buf_printf(&b, "%s%s%s: ", n ? "; " : "", nss.v[n],
			osmdiag__mig_migrated(g, nss.v[n]) ? ""
				    : " (not monitored)");
		for (size_t k = 0; k < NKINDS; k++) {
			osmdiag__objs v;

			if (osmdiag__model_list(g->m, osm_kinds[k], nss.v[n], NULL, &v) < 0)
				continue;
			if (v.n) {
				osmdiag__buf_printf(&b, "%s%zu %s (", first ? "" : ", ", v.n, osm_kinds[k]);
				for (size_t i = 0; i < v.n; i++)
					osmdiag__buf_printf(&b, "%s%s", i ? " " : "",
						S(osmdiag__obj_name(v.v[i])));
				osmdiag__buf_putc(&b, ')');
				first = 0;
			}
			osmdiag__objs_free(&v);
		}
		if (first)
			osmdiag__buf_puts(&b, "no policy objects");
	}
	r = osmdiag__mig_emit(g, "OSMD801", OSMDIAG_STATUS_INFO, NULL, NULL, NULL, "inventory: %zu OSM "
		"policy object(s) in %zu namespace(s); MeshConfig permissive=%s egress=%s egressPolicy=%s "
		"retryPolicy=%s ingressBackendPolicy=%s; %s", total, nss.n, g->permissive ? "true" : "false",
		g->egress ? "true" : "false", g->egress_policy ? "true" : "false", g->retry_policy ? "true" :
		"false",
		g->ingress_backend_policy ? "true" : "false", b.ptr ? b.ptr : "");
	osmdiag__result_set_hint(r, "save a snapshot now: osm uninstall cluster-wide-resources deletes the "
		"SMI and policy CRDs and with them every object listed here");
	osmdiag__result_set_fix(r, "osmdiag snapshot --out osm-snapshot");
	osmdiag__buf_free(&b);
	osmdiag__strlist_free(&nss);
}

static int is_windows(const osmdiag__obj *spec)
{
	return osmdiag__streq(osmdiag__obj_string_value(osmdiag__obj_member(osmdiag__obj_get(spec,
		"nodeSelector"),
		"kubernetes.io/os")), "windows");
}

static int is_virtual(const osmdiag__obj *spec)
{
	const osmdiag__obj *tol = osmdiag__obj_get(spec, "tolerations");

	if (osmdiag__streq(osmdiag__obj_string_value(osmdiag__obj_member(osmdiag__obj_get(spec,
			"nodeSelector"),
		"type")), "virtual-kubelet"))
		return 1;
	if (strncmp(S(osmdiag__obj_str(spec, "nodeName")), "virtual-node", 12) == 0)
		return 1;
	for (size_t i = 0; i < osmdiag__obj_len(tol); i++)
		if (strstr(S(osmdiag__obj_str(osmdiag__obj_at(tol, i), "key")), "virtual-kubelet"))
			return 1;
	return 0;
}

static int injection_disabled(const osmdiag__obj *meta)
{
	const char *a = osmdiag__obj_string_value(osmdiag__obj_member(osmdiag__obj_member(meta,
		"annotations"),
		"openservicemesh.io/sidecar-injection"));

	return a && (osmdiag__strcaseeq(a, "disabled") || osmdiag__strcaseeq(a, "no") ||
		osmdiag__strcaseeq(a, "false"));
}

static int runs_as_1337(const osmdiag__obj *spec)
{
	long long uid;
	const osmdiag__obj *cs = osmdiag__obj_get(spec, "containers");

	if (osmdiag__obj_get_int(spec, "securityContext.runAsUser", &uid) == OSMDIAG__F_OK && uid == 1337)
		return 1;
	for (size_t i = 0; i < osmdiag__obj_len(cs); i++)
		if (osmdiag__obj_get_int(osmdiag__obj_at(cs, i), "securityContext.runAsUser",
				&uid) == OSMDIAG__F_OK &&
		    uid == 1337)
			return 1;
	return 0;
}

static void workloads(osmdiag__mig *g)
{
	for (size_t n = 0; n < g->nss.n; n++) {
		const char *ns = g->nss.v[n];
		osmdiag__mig_tpls t;
		osmdiag__buf restarts = OSMDIAG__BUF_INIT;
		size_t nrestart = 0;

		if (osmdiag__mig_templates(g, ns, &t) < 0) {
			g->oom = 1;
			return;
		}
		for (size_t i = 0; i < t.n; i++) {
			const osmdiag__mig_tpl *w = &t.v[i];
			const char *rk = osmdiag__mig_restart_kind(w->kind);
			struct osmdiag_result *r;

			if (is_windows(w->spec)) {
				r = osmdiag__mig_emit(g, "OSMD804", OSMDIAG_STATUS_FAIL, w->kind, ns, w->name,
					"%s %s/%s runs on Windows nodes in a migrated namespace: the Istio "
					"add-on does not support Windows Server containers", w->kind, ns,
					w->name);
				osmdiag__result_set_hint(r, "keep this workload out of the mesh (label "
					"sidecar.istio.io/inject: \"false\") or move it to Linux");
			}
			if (is_virtual(w->spec)) {
				r = osmdiag__mig_emit(g, "OSMD805", OSMDIAG_STATUS_WARN, w->kind, ns, w->name,
					"%s %s/%s runs on virtual nodes: the Istio add-on does not support "
					"virtual-node pods",
					w->kind, ns, w->name);
				osmdiag__result_set_hint(r, "exclude it from injection or run it on regular "
					"nodes");
			}
			if (injection_disabled(w->meta)) {
				r = osmdiag__mig_emit(g, "OSMD811", OSMDIAG_STATUS_INFO, w->kind, ns, w->name,
					"%s %s/%s has openservicemesh.io/sidecar-injection: disabled: label "
					"it sidecar.istio.io/inject: \"false\"", w->kind, ns, w->name);
				if (rk)
					osmdiag__result_set_fix(r, "kubectl patch %s %s -n %s --type merge "
						"-p '{\"spec\":{\"template\":{\"metadata\":"
						"{\"labels\":{\"sidecar.istio.io/inject\":\"false\"}}}}}'",
						rk, w->name, ns);
				else
					osmdiag__result_set_fix(r, "kubectl label %s %s -n %s "
						"sidecar.istio.io/inject=false",
						strcmp(w->kind, "Pod") == 0 ? "pod" : "replicaset", w->name,
						ns);
				continue;
			}
			if (runs_as_1337(w->spec)) {
				r = osmdiag__mig_emit(g, "OSMD813", OSMDIAG_STATUS_WARN, w->kind, ns, w->name,
					"%s %s/%s runs a container as UID 1337, which Istio reserves for its "
					"proxy (OSM used 1500): its traffic bypasses the sidecar", w->kind,
					ns, w->name);
				osmdiag__result_set_hint(r, "change runAsUser before injecting the Istio "
					"sidecar");
			}
			if (rk) {
				osmdiag__buf_printf(&restarts, "%skubectl rollout restart %s/%s -n %s",
					nrestart ? "; " : "",
					rk, w->name, ns);
				nrestart++;
			}
		}
		if (nrestart) {
			struct osmdiag_result *r = osmdiag__mig_emit(g, "OSMD812", OSMDIAG_STATUS_INFO,
				"Namespace", NULL,
				ns, "namespace %s: %zu workload(s) to restart after the revision label so "
				"that they get the Istio sidecar", ns, nrestart);

			osmdiag__result_set_fix(r, "%s", restarts.ptr ? restarts.ptr : "");
		}
		osmdiag__buf_free(&restarts);
		osmdiag__mig_tpls_free(&t);
	}
	/* OSMD811 (approx): pods/templates asking for injection in namespaces that are not migrated */
	{
		osmdiag__mig_tpls all;

		if (osmdiag__mig_templates(g, NULL, &all) < 0) {
			g->oom = 1;
			return;
		}
		for (size_t i = 0; i < all.n; i++) {
			const osmdiag__mig_tpl *w = &all.v[i];
			const char *a =
				osmdiag__obj_string_value(osmdiag__obj_member(osmdiag__obj_member(w->meta,
				"annotations"), "openservicemesh.io/sidecar-injection"));
			const char *rk = osmdiag__mig_restart_kind(w->kind);
			struct osmdiag_result *r;

			if (osmdiag__mig_migrated(g, w->namespace_) || !a ||
					!osmdiag__strcaseeq(a, "enabled") || !rk)
				continue;
			r = osmdiag__mig_emit(g, "OSMD811", OSMDIAG_STATUS_INFO, w->kind, w->namespace_,
				w->name, "%s %s/%s asks for injection in namespace %s, which is not "
				"migrated: label its pods sidecar.istio.io/inject: \"true\" and "
				"istio.io/rev: %s", w->kind, S(w->namespace_), w->name,
				S(w->namespace_), g->rev->name);
			osmdiag__result_set_fix(r, "kubectl patch %s %s -n %s --type merge -p "
				"'{\"spec\":{\"template\":"
				"{\"metadata\":{\"labels\":{\"sidecar.istio.io/inject\":\"true\","
				"\"istio.io/rev\":\"%s\"}}}}}'",
				rk, w->name, S(w->namespace_), g->rev->name);
		}
		osmdiag__mig_tpls_free(&all);
	}
}

static void namespaces(osmdiag__mig *g)
{
	for (size_t n = 0; n < g->nss.n; n++) {
		const char *ns = g->nss.v[n];
		const osmdiag__obj *o = osmdiag__model_get(g->m, "Namespace", NULL, ns);
		const char *inj = osmdiag__obj_label(o, "istio-injection");
		struct osmdiag_result *r;
		json_t *to = json_array();

		/* 7.1: the revision label is a runbook command (kubectl label), not a Namespace manifest */
		if (inj) {
			r = osmdiag__mig_emit(g, "OSMD810", OSMDIAG_STATUS_WARN, "Namespace", NULL, ns,
				"namespace %s has istio-injection=%s, which the AKS add-on ignores (it skips "
				"the namespace): use istio.io/rev=%s", ns, inj, g->rev->name);
			osmdiag__result_set_hint(r, "the Azure migration guide uses istio-injection=enabled "
				"(D1); the add-on needs the revision label");
			osmdiag__result_set_fix(r, "kubectl label namespace %s istio-injection- && kubectl "
				"label namespace %s istio.io/rev=%s --overwrite", ns, ns, g->rev->name);
		} else {
			r = osmdiag__mig_emit(g, "OSMD810", OSMDIAG_STATUS_INFO, "Namespace", NULL, ns,
				"namespace %s is monitored by mesh %s: label it istio.io/rev=%s (not "
				"istio-injection=enabled)", ns,
				g->m->mesh->name, g->rev->name);
			osmdiag__result_set_fix(r, "kubectl label namespace %s istio.io/rev=%s --overwrite",
				ns,
				g->rev->name);
		}
		osmdiag__mig_to_push(to, osmdiag__mig_find(g, "PeerAuthentication", ns, "default"));
		osmdiag__mig_inventory(g, "Namespace", "", ns, "exact", "monitored-by label + injection "
			"annotation -> istio.io/rev label (runbook); mTLS -> PeerAuthentication STRICT", to);
	}
}

static void cluster(osmdiag__mig *g)
{
	osmdiag__objs v;
	osmdiag__strlist names = OSMDIAG__STRLIST_INIT;
	struct osmdiag_result *r;

	if (osmdiag__model_list(g->m, "Node", NULL, NULL, &v) == 0) {
		size_t win = 0;

		for (size_t i = 0; i < v.n; i++)
			if (osmdiag__streq(osmdiag__obj_label(v.v[i], "kubernetes.io/os"), "windows"))
				win++;
		if (win) {
			r = osmdiag__mig_emit(g, "OSMD804", OSMDIAG_STATUS_WARN, NULL, NULL, NULL, "%zu "
				"Windows node(s) in the cluster: the Istio add-on does not support Windows "
				"Server containers (pods on them cannot be meshed)", win);
			osmdiag__result_set_hint(r, "keep Windows workloads out of migrated namespaces or "
				"label them sidecar.istio.io/inject: \"false\"");
		}
		osmdiag__objs_free(&v);
	}
	if (osmdiag__model_list(g->m, "CustomResourceDefinition", NULL, NULL, &v) == 0) {
		for (size_t i = 0; i < v.n; i++)
			if (osmdiag__has_suffix(S(osmdiag__obj_name(v.v[i])), ".istio.io"))
				osmdiag__strlist_push(&names, osmdiag__obj_name(v.v[i]));
		osmdiag__objs_free(&v);
	}
	if (names.n) {
		char *l = osmdiag__strlist_join(&names, ", ");

		r = osmdiag__mig_emit(g, "OSMD806", OSMDIAG_STATUS_FAIL, NULL, NULL, NULL, "%zu Istio CRD(s) "
			"already exist (%s): a self-managed Istio cannot coexist with the AKS add-on",
			names.n, l ? l : "");
		osmdiag__result_set_hint(r, "uninstall the self-managed Istio (istioctl uninstall --purge) "
			"and remove its CRDs before az aks mesh enable");
		osmdiag__result_set_fix(r, "kubectl get crd -o name | grep '\\.istio\\.io$' | xargs kubectl "
			"delete");
		free(l);
	}
	osmdiag__strlist_free(&names);
}

static int server_first_port(long long p)
{
	static const long long ports[] = { 25, 110, 143, 587, 3306, 5432, 27017 };

	for (size_t i = 0; i < sizeof(ports) / sizeof(ports[0]); i++)
		if (ports[i] == p)
			return 1;
	return 0;
}

static int protocol_name(const char *name)
{
	static const char *const prefixes[] = { "http", "http2", "https", "grpc", "grpc-web", "tcp", "tls",
		"mongo",
		"mysql", "redis", "udp" };
	size_t n;

	if (!name)
		return 0;
	n = strcspn(name, "-");
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (strlen(prefixes[i]) == n && strncmp(name, prefixes[i], n) == 0)
			return 1;
	return 0;
}

void osmdiag__mig_service_protocols(osmdiag__mig *g)
{
	for (size_t n = 0; n < g->nss.n; n++) {
		osmdiag__objs svcs;

		if (osmdiag__model_list(g->m, "Service", g->nss.v[n], NULL, &svcs) < 0) {
			g->oom = 1;
			return;
		}
		for (size_t i = 0; i < svcs.n; i++) {
			const osmdiag__obj *svc = svcs.v[i];
			const osmdiag__obj *ports = osmdiag__obj_get(svc, "spec.ports");
			char *key = osmdiag__asprintf("%s/%s", g->nss.v[n], S(osmdiag__obj_name(svc)));
			int used = key && osmdiag__strlist_contains(&g->policy_services, key);
			const char *type = osmdiag__obj_str(svc, "spec.type");

			free(key);
			if (osmdiag__streq(type, "LoadBalancer") || osmdiag__streq(type, "NodePort")) {
				struct osmdiag_result *r =
					osmdiag__mig_emit(g, "OSMD845", OSMDIAG_STATUS_WARN, "Service",
					g->nss.v[n], osmdiag__obj_name(svc), "Service %s/%s is of type %s: "
					"clients from outside the mesh send plaintext, which STRICT mTLS "
					"rejects (as OSM did without an IngressBackend)", g->nss.v[n],
					S(osmdiag__obj_name(svc)), type);

				osmdiag__result_set_hint(r, "put the Istio ingress gateway in front of it or "
					"give its port a PERMISSIVE portLevelMtls");
			}
			for (size_t k = 0; k < osmdiag__obj_len(ports); k++) {
				const osmdiag__obj *p = osmdiag__obj_at(ports, k);
				long long port = 0, tp = 0;
				int sf;
				struct osmdiag_result *r;

				if (osmdiag__obj_str(p, "appProtocol") ||
						protocol_name(osmdiag__obj_str(p, "name")))
					continue;
				osmdiag__obj_get_int(p, "port", &port);
				if (osmdiag__obj_get_int(p, "targetPort", &tp) != OSMDIAG__F_OK)
					tp = port;
				sf = server_first_port(port) || server_first_port(tp);
				if (!sf && !used)
					continue;
				r = osmdiag__mig_emit(g, "OSMD815", OSMDIAG_STATUS_WARN, "Service",
					g->nss.v[n],
					osmdiag__obj_name(svc), "Service %s/%s port %lld (%s) declares no "
					"protocol (no appProtocol, no protocol-prefixed name)%s: Istio "
					"sniffs it", g->nss.v[n],
					S(osmdiag__obj_name(svc)), port, S(osmdiag__obj_str(p, "name")), sf
					? " on a server-first port" :
					" and migrated policies route or authorize it");
				osmdiag__result_set_hint(r, "%s", sf ? "server-first protocols (MySQL, "
					"PostgreSQL, SMTP, MongoDB) must be declared TCP or sniffing stalls "
					"them" : "declare appProtocol so HTTP routes and HTTP authorization "
					"apply deterministically");
				osmdiag__result_set_fix(r, "kubectl patch service %s -n %s --type json -p "
					"'[{\"op\":\"add\",\"path\":\"/spec/ports/%zu/appProtocol\","
					"\"value\":\"%s\"}]'",
					S(osmdiag__obj_name(svc)), g->nss.v[n], k, sf ? "tcp" : "http");
			}
		}
		osmdiag__objs_free(&svcs);
	}
}

void osmdiag__mig_inventory_run(osmdiag__mig *g)
{
	struct osmdiag_result *r;

	inventory_summary(g);
	if (strcmp(g->m->mesh->namespace_, "kube-system") == 0) {
		r = osmdiag__mig_emit(g, "OSMD802", OSMDIAG_STATUS_INFO, NULL, NULL, NULL, "the OSM AKS "
			"add-on (mesh %s in kube-system) cannot coexist with the Istio add-on: inventory, "
			"disable the OSM add-on, remove its cluster-wide resources, az aks mesh enable "
			"--revision %s, revision labels, rollout restarts, apply the drafts (runbook.md)",
			g->m->mesh->name, g->rev->name);
		osmdiag__result_set_hint(r, "between disabling OSM and restarting the workloads they run "
			"without mTLS and without policy: plan that window, or migrate to a new (blue/green) "
			"cluster");
		osmdiag__result_set_fix(r, "az aks disable-addons --addons open-service-mesh "
			"--resource-group <resource-group> --name <cluster>");
	}
	if (!g->rev_given) {
		r = osmdiag__mig_emit(g, "OSMD803", OSMDIAG_STATUS_WARN, NULL, NULL, NULL, "no target "
			"revision given: assumed %s, the lowest supported; apiVersions and fields depend on "
			"it", g->rev->name);
		osmdiag__result_set_hint(r, "list the revisions of your region with az aks mesh "
			"get-revisions --location <location> and pass --target-revision");
	}
	cluster(g);
	namespaces(g);
	workloads(g);
	r = osmdiag__mig_emit(g, "OSMD843", OSMDIAG_STATUS_INFO, NULL, NULL, NULL, "target %s (Istio %s): "
		"AuthorizationPolicy/PeerAuthentication %s, VirtualService/DestinationRule/ServiceEntry %s, "
		"Telemetry %s, EnvoyFilter %s; ProxyConfig CRs are blocked on the add-on", g->rev->name,
		g->rev->istio,
		osmdiag__mig_api_version(g->rev, "AuthorizationPolicy"),
		osmdiag__mig_api_version(g->rev, "VirtualService"),
		osmdiag__mig_api_version(g->rev, "Telemetry"),
		osmdiag__mig_api_version(g->rev, "EnvoyFilter"));
	osmdiag__result_set_hint(r, "use the MeshConfig defaultConfig subset or the proxy.istio.io/config "
		"pod annotation instead of ProxyConfig; EnvoyFilter is allowed but outside AKS support; the "
		"trust domain is assumed %s (verify in ConfigMap istio-%s)", g->trust_domain, g->rev->name);
	r = osmdiag__mig_emit(g, "OSMD844", OSMDIAG_STATUS_INFO, NULL, NULL, NULL, "observable changes: a "
		"denied HTTP request gets 403 \"RBAC: access denied\" (clients expecting OSM's behaviour, "
		"e.g. the bookthief demo's 503, must change), a denied TCP connection is closed; metric "
		"names and ports differ; the Azure Monitor ConfigMap container-azm-ms-osmconfig no longer "
		"applies");
	osmdiag__result_set_hint(r, "update alerts, dashboards and tests; scrape Istio with Azure Managed "
		"Prometheus");
}
