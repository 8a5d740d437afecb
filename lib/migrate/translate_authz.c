/*
 * SMI access control -> Istio security (memo 5.1, 6.1-6.5, 7.3-7.5; checks
 * OSMD820-828): PeerAuthentication STRICT per migrated namespace, with
 * permissive mode off an allow-nothing AuthorizationPolicy per namespace plus
 * one ALLOW policy per TrafficTarget: one `source` holding every principal
 * (never a second `from` entry: D2), one rule per selected route match with
 * methods, paths and header conditions ANDed in that rule (never a separate
 * `when` rule: D3), regexes through regex.c (never a `*` in the middle: D4).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "migrate/migrate_impl.h"

#define S(x) ((x) ? (x) : "")

typedef struct tt_state {
	const char *ns, *name;
	char *src;               /* "TrafficTarget ns/name" */
	osmdiag__strlist sources; /* extra source strings (route groups) */
	int approx;
	osmdiag__strlist reasons;
} tt_state;

static void note(osmdiag__mig *g, tt_state *t, const char *fmt, const char *arg)
{
	(void)fmt;
	if (osmdiag__strlist_push_unique(&t->reasons, arg) < 0)
		g->oom = 1;
}

/* Once-only key; 1 when it was new. */
static int once(osmdiag__mig *g, const char *key)
{
	if (osmdiag__strlist_contains(&g->selector_done, key))
		return 0;
	if (osmdiag__strlist_push(&g->selector_done, key) < 0)
		g->oom = 1;
	return 1;
}

static void approx_route(osmdiag__mig *g, const char *kind, const char *ns, const char *name)
{
	char *k = osmdiag__asprintf("%s %s/%s", kind, ns, name);

	if (!k || osmdiag__strlist_push_unique(&g->approx_routes, k) < 0)
		g->oom = 1;
	free(k);
}

/* Reports an approximated regex (OSMD825 paths, OSMD826 headers) once per group/match/field. */
static void report_rx(osmdiag__mig *g, tt_state *t, const char *group, const char *match, const char *field,
	const char *re, const osmdiag__rx *rx)
{
	int header = strcmp(field, "pathRegex") != 0;
	char *vals = rx->any ? osmdiag__strdup("(field omitted: any)") : osmdiag__strlist_join(&rx->values,
		"\", \"");
	char *key = osmdiag__asprintf("rx|%s/%s|%s|%s|%s", t->ns, group, match, field, re);
	struct osmdiag_result *r;

	t->approx = 1;
	note(g, t, "%s", header ? "a header regex is approximated" : "a pathRegex is approximated");
	approx_route(g, "HTTPRouteGroup", t->ns, group);
	if (!vals || !key) {
		g->oom = 1;
		goto out;
	}
	if (!once(g, key))
		goto out;
	r = osmdiag__mig_emit(g, header ? "OSMD826" : "OSMD825", OSMDIAG_STATUS_WARN, "HTTPRouteGroup", t->ns,
		group, "HTTPRouteGroup %s/%s match %s: %s \"%s\" is emitted as %s%s%s (%s-approximation, %s)",
		t->ns,
		group, match, field, re, rx->any ? "" : "[\"", vals, rx->any ? "" : "\"]",
		osmdiag__rx_direction(rx->approx), rx->shape);
	if (header)
		osmdiag__result_set_hint(r, "OSM matched the whole header value with RE2; Istio conditions "
			"have only exact, prefix*, *suffix and presence (*). %s To enforce the exact regex "
			"use an EnvoyFilter (RBAC filter with safe_regex) or ext-authz (CUSTOM action).",
			(rx->approx & OSMDIAG__RX_UNDER) ? "The emitted value is narrower: clients may be "
			"denied."
							 : "The emitted value is broader than the regex.");
	else
		osmdiag__result_set_hint(r, "OSM matched pathRegex against the entire path (RE2 full match); "
			"Istio paths are exact, prefix*, *suffix or (asm-1-22+) templates like /a/{*}/b. %s "
			"To enforce the exact regex use an EnvoyFilter (RBAC filter with safe_regex) or "
			"ext-authz (CUSTOM action).",
			(rx->approx & OSMDIAG__RX_UNDER) ? "The emitted value is narrower: clients may be "
			"denied."
							 : "The emitted value is broader: more requests are "
							 "allowed.");
out:
	free(vals);
	free(key);
}

static json_t *values_array(const osmdiag__strlist *l)
{
	return osmdiag__mig_strarray(l);
}

static int when_cmp(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;

	return strcmp(S(json_string_value(json_object_get(x, "key"))), S(json_string_value(json_object_get(y,
		"key"))));
}

/* Adds one header condition (name, regex) to `when`. */
static void add_header(osmdiag__mig *g, tt_state *t, const char *group, const char *match, json_t *when,
	const char *name, const char *re)
{
	osmdiag__rx rx;
	char *lower = osmdiag__strdup(name), *key, *field;

	if (!lower || osmdiag__rx_translate(re, OSMDIAG__RX_HEADER, 0, &rx) < 0) {
		free(lower);
		g->oom = 1;
		return;
	}
	for (char *p = lower; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	key = osmdiag__asprintf("request.headers[%s]", lower);
	field = osmdiag__asprintf("header %s", name);
	if (rx.approx && field)
		report_rx(g, t, group, match, field, re, &rx);
	if (key && rx.values.n) {
		json_t *c = json_pack("{s:s, s:o}", "key", key, "values", values_array(&rx.values));

		if (!c || json_array_append_new(when, c) < 0)
			g->oom = 1;
	}
	free(key);
	free(field);
	free(lower);
	osmdiag__rx_dispose(&rx);
}

/* One rule for an HTTPRouteGroup match. */
static json_t *http_rule(osmdiag__mig *g, tt_state *t, const char *group, const osmdiag__obj *m,
	const json_t *from)
{
	json_t *rule = json_object(), *op = json_object(), *when = json_array();
	const char *mname = S(osmdiag__obj_str(m, "name"));
	const osmdiag__obj *methods = osmdiag__obj_get(m, "methods");
	const char *path = osmdiag__obj_str(m, "pathRegex");
	const osmdiag__obj *headers = osmdiag__obj_get(m, "headers");

	if (!rule || !op || !when) {
		g->oom = 1;
		goto fail;
	}
	json_object_set(rule, "from", (json_t *)from);
	if (osmdiag__obj_len(methods)) {
		json_t *ms = json_array();
		int star = 0;

		for (size_t i = 0; ms && i < osmdiag__obj_len(methods); i++) {
			const char *x = osmdiag__obj_string_value(osmdiag__obj_at(methods, i));
			char *up = osmdiag__strdup(x);

			if (!up)
				continue;
			for (char *p = up; *p; p++)
				*p = (char)toupper((unsigned char)*p);
			if (strcmp(up, "*") == 0)
				star = 1;
			json_array_append_new(ms, json_string(up));
			free(up);
		}
		if (ms && !star && json_array_size(ms))
			json_object_set_new(op, "methods", ms);
		else
			json_decref(ms);
	}
	if (path && *path) {
		osmdiag__rx rx;

		if (osmdiag__rx_translate(path, OSMDIAG__RX_PATH,
			    osmdiag__mig_rev_has(g->rev, OSMDIAG__MIG_FEAT_PATH_TEMPLATES), &rx) < 0) {
			g->oom = 1;
			goto fail;
		}
		if (rx.approx)
			report_rx(g, t, group, mname, "pathRegex", path, &rx);
		if (!rx.any && rx.values.n)
			json_object_set_new(op, "paths", values_array(&rx.values));
		osmdiag__rx_dispose(&rx);
	}
	/* headers: OSM CRD = array of single-key maps; the SMI text shows one map */
	if (osmdiag__obj_is_array(headers)) {
		for (size_t i = 0; i < osmdiag__obj_len(headers); i++) {
			const char *k;
			json_t *v;

			json_object_foreach((json_t *)osmdiag__obj_at(headers, i), k, v)
				if (json_is_string(v))
					add_header(g, t, group, mname, when, k, json_string_value(v));
		}
	} else if (osmdiag__obj_is_object(headers)) {
		const char *k;
		json_t *v;

		json_object_foreach((json_t *)headers, k, v)
			if (json_is_string(v))
				add_header(g, t, group, mname, when, k, json_string_value(v));
	}
	if (json_object_size(op))
		json_object_set_new(rule, "to", json_pack("[{s:O}]", "operation", op));
	if (json_array_size(when)) {
		size_t n = json_array_size(when);
		json_t **v = malloc(n * sizeof(*v)), *sorted = json_array();

		if (!v || !sorted) {
			free(v);
			json_decref(sorted);
			g->oom = 1;
			goto fail;
		}
		for (size_t i = 0; i < n; i++)
			v[i] = json_array_get(when, i);
		if (n > 1)
			qsort(v, n, sizeof(*v), when_cmp);
		for (size_t i = 0; i < n; i++)
			json_array_append(sorted, v[i]);
		free(v);
		json_object_set_new(rule, "when", sorted);
	}
	json_decref(op);
	json_decref(when);
	return rule;
fail:
	json_decref(rule);
	json_decref(op);
	json_decref(when);
	return NULL;
}

/* The workload (target) port behind Service port `port` for the destination pods (OSMD827). */
static long target_port(osmdiag__mig *g, tt_state *t, const json_t *sel, long port, const char *route)
{
	osmdiag__objs svcs;
	long result = port;

	if (osmdiag__model_list(g->m, "Service", t->ns, NULL, &svcs) < 0) {
		g->oom = 1;
		return port;
	}
	for (size_t i = 0; i < svcs.n; i++) {
		const osmdiag__obj *svc = svcs.v[i];
		json_t *ssel = osmdiag__mig_service_selector(svc);
		const osmdiag__obj *ports = osmdiag__obj_get(svc, "spec.ports");
		int selects = ssel && json_is_object(sel) && json_object_size(sel) &&
			osmdiag__mig_labels_match(ssel, (const osmdiag__obj *)sel);

		/* the Service selects the destination pods when its selector is a subset of their labels */
		json_decref(ssel);
		if (!selects)
			continue;
		for (size_t k = 0; k < osmdiag__obj_len(ports); k++) {
			const osmdiag__obj *p = osmdiag__obj_at(ports, k);
			long long num = 0, tp = 0;

			if (osmdiag__obj_get_int(p, "port", &num) != OSMDIAG__F_OK || num != port)
				continue;
			osmdiag__mig_use_service(g, t->ns, osmdiag__obj_name(svc));
			if (osmdiag__obj_get_int(p, "targetPort", &tp) == OSMDIAG__F_OK && tp != num) {
				struct osmdiag_result *r =
					osmdiag__mig_emit(g, "OSMD827", OSMDIAG_STATUS_WARN, "TCPRoute",
					t->ns, route, "TCPRoute %s/%s port %ld is Service %s/%s port %lld "
					"with targetPort %lld: the AuthorizationPolicy uses the workload "
					"port %lld", t->ns, route, port,
					t->ns, S(osmdiag__obj_name(svc)), num, tp, tp);

				osmdiag__result_set_hint(r, "Istio operation.ports is the port the workload "
					"listens on, SMI/OSM meant the Service port; verify the translated "
					"port");
				t->approx = 1;
				note(g, t, "%s", "a TCPRoute port was mapped through targetPort");
				approx_route(g, "TCPRoute", t->ns, route);
				result = (long)tp;
			} else if (osmdiag__obj_str(p, "targetPort")) {
				struct osmdiag_result *r =
					osmdiag__mig_emit(g, "OSMD827", OSMDIAG_STATUS_WARN, "TCPRoute",
					t->ns, route, "TCPRoute %s/%s port %ld is Service %s/%s port %lld "
					"with the named targetPort \"%s\": the AuthorizationPolicy keeps %ld",
					t->ns, route, port, t->ns,
					S(osmdiag__obj_name(svc)), num, osmdiag__obj_str(p, "targetPort"),
					port);

				osmdiag__result_set_hint(r, "Istio operation.ports is the container port: "
					"replace %ld by the number of the container port named \"%s\"", port,
					osmdiag__obj_str(p, "targetPort"));
				t->approx = 1;
				approx_route(g, "TCPRoute", t->ns, route);
			}
			goto out;
		}
	}
out:
	osmdiag__objs_free(&svcs);
	return result;
}

static json_t *tcp_rule(osmdiag__mig *g, tt_state *t, const osmdiag__obj *route, const json_t *from,
	const json_t *sel)
{
	const osmdiag__obj *ports = osmdiag__obj_get(route, "spec.matches.ports");
	json_t *rule = json_pack("{s:O}", "from", from), *ps = json_array();

	if (!rule || !ps) {
		json_decref(rule);
		json_decref(ps);
		g->oom = 1;
		return NULL;
	}
	for (size_t i = 0; i < osmdiag__obj_len(ports); i++) {
		const osmdiag__obj *p = osmdiag__obj_at(ports, i);
		long port = json_is_integer((const json_t *)p) ? (long)json_integer_value((const json_t *)p)
			: -1;
		char buf[24];

		if (port < 0)
			continue;
		snprintf(buf, sizeof(buf), "%ld", target_port(g, t, sel, port, S(osmdiag__obj_name(route))));
		json_array_append_new(ps, json_string(buf));
	}
	if (json_array_size(ps))
		json_object_set_new(rule, "to", json_pack("[{s:{s:o}}]", "operation", "ports", ps));
	else
		json_decref(ps);
	return rule;
}

/* Why a TrafficTarget was inert under OSM (NULL when valid). */
static const char *invalid_reason(osmdiag__mig *g, const osmdiag__obj *tt, char *buf, size_t len)
{
	const char *ns = osmdiag__obj_namespace(tt);
	const osmdiag__obj *rules = osmdiag__obj_get(tt, "spec.rules");

	if (!osmdiag__streq(osmdiag__obj_str(tt, "spec.destination.namespace"), ns)) {
		snprintf(buf, len, "spec.destination.namespace \"%s\" differs from its namespace \"%s\"",
			 S(osmdiag__obj_str(tt, "spec.destination.namespace")), S(ns));
		return buf;
	}
	if (!osmdiag__obj_len(rules))
		return "it has no rules";
	for (size_t i = 0; i < osmdiag__obj_len(rules); i++) {
		const osmdiag__obj *r = osmdiag__obj_at(rules, i);
		const char *kind = S(osmdiag__obj_str(r, "kind"));
		const char *name = S(osmdiag__obj_str(r, "name"));

		if (strcmp(kind, "HTTPRouteGroup") != 0 && strcmp(kind, "TCPRoute") != 0) {
			snprintf(buf, len, "rule %zu has kind \"%s\" (OSM accepts only HTTPRouteGroup and "
				"TCPRoute; one such rule invalidates the whole TrafficTarget)", i, kind);
			return buf;
		}
		if (!osmdiag__model_get(g->m, kind, ns, name)) {
			snprintf(buf, len, "rule %zu references %s %s/%s, which does not exist", i, kind,
				S(ns), name);
			return buf;
		}
	}
	return NULL;
}

static void translate_one(osmdiag__mig *g, const osmdiag__obj *tt)
{
	tt_state t;
	char buf[512];
	const char *why;
	const osmdiag__obj *sources = osmdiag__obj_get(tt, "spec.sources");
	const osmdiag__obj *rules = osmdiag__obj_get(tt, "spec.rules");
	const char *dkind = osmdiag__obj_str(tt, "spec.destination.kind");
	const char *dsa = osmdiag__obj_str(tt, "spec.destination.name");
	osmdiag__strlist principals = OSMDIAG__STRLIST_INIT;
	json_t *sel = NULL, *from = NULL, *rl = NULL, *ap = NULL, *to = NULL;
	char *sel_why = NULL;
	int quality = 1;

	memset(&t, 0, sizeof(t));
	t.ns = osmdiag__obj_namespace(tt);
	t.name = osmdiag__obj_name(tt);
	t.src = osmdiag__asprintf("TrafficTarget %s/%s", S(t.ns), S(t.name));
	if (!t.src) {
		g->oom = 1;
		return;
	}
	if (!osmdiag__mig_migrated(g, t.ns)) {
		osmdiag__mig_emit(g, "OSMD823", OSMDIAG_STATUS_SKIP, "TrafficTarget", t.ns, t.name,
			"TrafficTarget %s/%s is in namespace %s, which the mesh does not monitor: OSM "
			"ignored it; not translated",
			S(t.ns), S(t.name), S(t.ns));
		osmdiag__mig_inventory(g, "TrafficTarget", t.ns, t.name, "none", "namespace not monitored by "
			"the mesh: inert under OSM", NULL);
		goto out;
	}
	if (!osmdiag__streq(dkind, "ServiceAccount")) {
		struct osmdiag_result *r = osmdiag__mig_emit(g, "OSMD828", OSMDIAG_STATUS_FAIL,
			"TrafficTarget", t.ns,
			t.name, "TrafficTarget %s/%s destination kind is \"%s\", expected ServiceAccount: "
			"not translated",
			S(t.ns), S(t.name), S(dkind));

		osmdiag__result_set_hint(r, "write the AuthorizationPolicy by hand");
		osmdiag__mig_inventory(g, "TrafficTarget", t.ns, t.name, "none", "destination kind is not "
			"ServiceAccount", NULL);
		goto out;
	}
	for (size_t i = 0; i < osmdiag__obj_len(sources); i++) {
		const osmdiag__obj *s = osmdiag__obj_at(sources, i);
		const char *skind = osmdiag__obj_str(s, "kind");
		const char *sns = osmdiag__obj_str(s, "namespace");
		char *p;

		if (!osmdiag__streq(skind, "ServiceAccount")) {
			struct osmdiag_result *r = osmdiag__mig_emit(g, "OSMD828", OSMDIAG_STATUS_FAIL,
				"TrafficTarget",
				t.ns, t.name, "TrafficTarget %s/%s source %zu has kind \"%s\", expected "
				"ServiceAccount: not translated", S(t.ns), S(t.name), i, S(skind));

			osmdiag__result_set_hint(r, "write the AuthorizationPolicy by hand");
			osmdiag__mig_inventory(g, "TrafficTarget", t.ns, t.name, "none",
				"a source kind is not ServiceAccount", NULL);
			goto out;
		}
		if (!sns || !*sns)
			sns = t.ns;
		p = osmdiag__mig_principal(g, sns, osmdiag__obj_str(s, "name"));
		if (!p || osmdiag__strlist_push_unique(&principals, p) < 0)
			g->oom = 1;
		free(p);
		if (!osmdiag__mig_migrated(g, sns)) {
			char *k = osmdiag__asprintf("845|%s|%s", sns, t.src);

			if (k && once(g, k)) {
				struct osmdiag_result *r =
					osmdiag__mig_emit(g, "OSMD845", OSMDIAG_STATUS_WARN,
					"TrafficTarget", t.ns, t.name, "TrafficTarget %s/%s admits "
					"ServiceAccount %s/%s from namespace %s, which is not migrated: with "
					"STRICT mTLS its calls are rejected",
					S(t.ns), S(t.name), sns, S(osmdiag__obj_str(s, "name")), sns);

				osmdiag__result_set_hint(r, "migrate namespace %s too (kubectl label "
					"namespace %s istio.io/rev=%s) or drop the source", sns, sns,
					g->rev->name);
			}
			free(k);
		}
	}
	if ((why = invalid_reason(g, tt, buf, sizeof(buf))) != NULL) {
		struct osmdiag_result *r = osmdiag__mig_emit(g, "OSMD823", OSMDIAG_STATUS_WARN,
			"TrafficTarget", t.ns,
			t.name, "TrafficTarget %s/%s was inert under OSM: %s; not translated", S(t.ns),
			S(t.name), why);

		osmdiag__result_set_hint(r, "OSM ignored this TrafficTarget (pkg/smi/client.go "
			"isValidTrafficTarget); translating it would grant access that never existed");
		osmdiag__mig_inventory(g, "TrafficTarget", t.ns, t.name, "none", why, NULL);
		goto out;
	}

	sel_why = osmdiag__asprintf("destination of %s", t.src);
	sel = osmdiag__mig_sa_selector(g, t.ns, dsa, sel_why ? sel_why : "", &quality);
	if (quality != 1) {
		t.approx = 1;
		note(g, &t, "%s", "no label set selects exactly the destination ServiceAccount's pods "
			"(OSMD824)");
	}
	{ /* the Services in front of the destination pods carry the policy's traffic (OSMD815) */
		osmdiag__objs svcs;

		if (osmdiag__model_list(g->m, "Service", t.ns, NULL, &svcs) == 0) {
			for (size_t i = 0; sel && i < svcs.n; i++) {
				json_t *ssel = osmdiag__mig_service_selector(svcs.v[i]);

				if (ssel && osmdiag__mig_labels_match(ssel, (const osmdiag__obj *)sel))
					osmdiag__mig_use_service(g, t.ns, osmdiag__obj_name(svcs.v[i]));
				json_decref(ssel);
			}
			osmdiag__objs_free(&svcs);
		}
	}
	from = json_pack("[{s:{s:o}}]", "source", "principals", osmdiag__mig_strarray(&principals));
	rl = json_array();
	if (!sel || !from || !rl) {
		g->oom = 1;
		goto out;
	}
	for (size_t i = 0; i < osmdiag__obj_len(rules); i++) {
		const osmdiag__obj *r = osmdiag__obj_at(rules, i);
		const char *kind = osmdiag__obj_str(r, "kind");
		const char *rname = osmdiag__obj_str(r, "name");
		const osmdiag__obj *route = osmdiag__model_get(g->m, kind, t.ns, rname);
		const osmdiag__obj *want = osmdiag__obj_get(r, "matches");
		char *rsrc = osmdiag__asprintf("%s %s/%s", S(kind), S(t.ns), S(rname));

		if (!rsrc || osmdiag__strlist_push_unique(&t.sources, rsrc) < 0)
			g->oom = 1;
		free(rsrc);
		if (strcmp(kind, "TCPRoute") == 0) {
			json_t *x = tcp_rule(g, &t, route, from, sel);

			if (x)
				json_array_append_new(rl, x);
			continue;
		}
		/* HTTPRouteGroup: matches in the group's order, those the rule names (all when none) */
		for (size_t k = 0; k < osmdiag__obj_len(osmdiag__obj_get(route, "spec.matches")); k++) {
			const osmdiag__obj *m = osmdiag__obj_at(osmdiag__obj_get(route, "spec.matches"), k);
			const char *mname = osmdiag__obj_str(m, "name");
			int selected = !osmdiag__obj_len(want);
			json_t *x;

			for (size_t w = 0; !selected && w < osmdiag__obj_len(want); w++)
				selected = osmdiag__streq(osmdiag__obj_string_value(osmdiag__obj_at(want, w)),
					mname);
			if (!selected)
				continue;
			x = http_rule(g, &t, S(rname), m, from);
			if (x)
				json_array_append_new(rl, x);
		}
	}

	ap = osmdiag__mig_object(g, "AuthorizationPolicy", t.ns, t.name);
	if (!ap)
		goto out;
	if (g->permissive)
		json_object_set_new(json_object_get(ap, "metadata"), "annotations",
				    json_pack("{s:s}", "istio.io/dry-run", "true"));
	json_object_set_new(ap, "spec", json_pack("{s:{s:O}, s:s, s:O}", "selector", "matchLabels", sel,
		"action",
						  "ALLOW", "rules", rl));
	{
		osmdiag__mig_manifest *mf = osmdiag__mig_add(g, ap, t.ns, t.src);

		for (size_t i = 0; mf && i < t.sources.n; i++)
			osmdiag__mig_add_source(g, mf, t.sources.v[i]);
		to = json_array();
		osmdiag__mig_to_push(to, mf);
	}
	if (g->permissive) {
		t.approx = 1;
		note(g, &t, "%s", "permissive mode on: OSM ignored it; emitted with istio.io/dry-run");
	}
	{
		char *reason = t.reasons.n ? osmdiag__strlist_join(&t.reasons, "; ")
					   : osmdiag__strdup("selector, principals, methods, paths and "
						"headers exact");

		osmdiag__mig_inventory(g, "TrafficTarget", t.ns, t.name, t.approx ? "approximate" : "exact",
				       reason ? reason : "", to);
		free(reason);
	}
out:
	json_decref(sel);
	json_decref(from);
	json_decref(rl);
	free(sel_why);
	free(t.src);
	osmdiag__strlist_free(&t.sources);
	osmdiag__strlist_free(&t.reasons);
	osmdiag__strlist_free(&principals);
}

void osmdiag__mig_translate_authz(osmdiag__mig *g)
{
	osmdiag__objs tts;
	const char *mc_ns = g->m->mesh->namespace_;
	char *mc_src = osmdiag__asprintf("MeshConfig %s/osm-mesh-config", mc_ns);
	struct osmdiag_result *r;

	if (!mc_src || osmdiag__model_list(g->m, "TrafficTarget", NULL, NULL, &tts) < 0) {
		free(mc_src);
		g->oom = 1;
		return;
	}
	/* 6.5: STRICT per migrated namespace (OSM accepted only mTLS from mesh peers) */
	for (size_t i = 0; i < g->nss.n; i++) {
		json_t *pa = osmdiag__mig_object(g, "PeerAuthentication", g->nss.v[i], "default");

		if (pa)
			json_object_set_new(pa, "spec", json_pack("{s:{s:s}}", "mtls", "mode", "STRICT"));
		osmdiag__mig_add(g, pa, g->nss.v[i], mc_src);
	}
	if (g->permissive) {
		r = osmdiag__mig_emit(g, "OSMD820", OSMDIAG_STATUS_INFO, "MeshConfig", mc_ns,
			"osm-mesh-config",
			"permissive traffic policy mode is on: no AuthorizationPolicy is emitted (Istio "
			"allows when no ALLOW policy selects a workload); PeerAuthentication STRICT in each "
			"of the %zu migrated namespaces keeps OSM's mTLS-only inbound", g->nss.n);
		osmdiag__result_set_hint(r, "permissive mode is about SMI authorization, not mTLS: the Azure "
			"guide's mapping to PeerAuthentication alone is wrong (D7)");
	} else {
		r = osmdiag__mig_emit(g, "OSMD821", OSMDIAG_STATUS_WARN, "MeshConfig", mc_ns,
			"osm-mesh-config",
			"permissive traffic policy mode is off: allow-nothing AuthorizationPolicy in each of "
			"the %zu migrated namespaces plus one ALLOW policy per TrafficTarget; denied calls "
			"become HTTP 403 / TCP reset and client-side denial (no route) is gone", g->nss.n);
		osmdiag__result_set_hint(r, "OSM also denied on the client side (a client got routes only to "
			"Services it was allowed to call); Istio enforces on the server only");
		for (size_t i = 0; i < g->nss.n; i++) {
			json_t *ap = osmdiag__mig_object(g, "AuthorizationPolicy", g->nss.v[i],
				"allow-nothing");

			if (ap)
				json_object_set_new(ap, "spec", json_object());
			osmdiag__mig_add(g, ap, g->nss.v[i], mc_src);
		}
	}
	if (g->permissive && tts.n) {
		r = osmdiag__mig_emit(g, "OSMD822", OSMDIAG_STATUS_WARN, "MeshConfig", mc_ns,
			"osm-mesh-config",
			"%zu TrafficTarget(s) exist while permissive mode is on: OSM ignored them; they are "
			"emitted as AuthorizationPolicies annotated istio.io/dry-run: \"true\" (evaluated, "
			"not enforced)", tts.n);
		osmdiag__result_set_hint(r, "remove the dry-run annotation only when you mean to turn on "
			"deny-by-default authorization (and add allow-nothing policies)");
	}
	for (size_t i = 0; i < tts.n; i++)
		translate_one(g, tts.v[i]);
	osmdiag__objs_free(&tts);
	free(mc_src);
}
