/*
 * control-plane checks (OSMD101-104, 111-114, 121-124, 131, 132): the
 * osm-controller, osm-injector and osm-bootstrap Deployments, pods, Services
 * and endpoints (one implementation parametrised by component), the version
 * agreement of the control plane, and the mesh inventory.
 *
 * Facts: FACTS.md §1.1 (Deployments), §1.2 (Services and ports), §2 (webhook
 * labels), §5 (`osm mesh list`, enforceSingleMesh), §8 (health checks);
 * §3.2 #9 (the guide's bootstrap ports are v1.1-and-older).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "osmdiag/check.h"
#include "checks/check_impl.h"

/* ---- small helpers ----------------------------------------------------- */

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- components ---------------------------------------------------------- */

typedef struct cp_port {
	int port;          /* 0 = bootstrap port i of the profile */
	const char *name;  /* port name in the chart */
} cp_port;

typedef struct cp_svc {
	const char *name;
	cp_port ports[3];
	size_t nports;
} cp_svc;

typedef struct cp_comp {
	const char *app;   /* Deployment, pod label app=, main container, Service selector */
	const char *init;  /* init container name (chart) */
	cp_svc svcs[2];
	size_t nsvcs;
} cp_comp;

static const cp_comp comp_controller = {
	"osm-controller", "init-osm-controller",
	{ { "osm-controller", { { 15128, "ads-port" }, { 9092, "debug-port" }, { 9091, "healthz" } }, 3 },
	  { "osm-validator", { { 9093, "validator" } }, 1 } },
	2
};

static const cp_comp comp_injector = {
	"osm-injector", "init-osm-injector",
	{ { "osm-injector", { { 9090, "sidecar-inject" } }, 1 } },
	1
};

static const cp_comp comp_bootstrap = {
	"osm-bootstrap", "init-osm-bootstrap",
	{ { "osm-bootstrap", { { 0, "crdconversion" }, { 0, "health" } }, 2 } },
	1
};

static int port_of(const osmdiag__ctx *ctx, const cp_svc *svc, size_t i)
{
	if (svc->ports[i].port)
		return svc->ports[i].port;
	return ctx->m->mesh->profile->bootstrap_ports[i < 2 ? i : 1];
}

/* "9443/TCP,9091/TCP" for the expected ports of a Service. */
static void expected_ports_text(const osmdiag__ctx *ctx, const cp_svc *svc, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < svc->nports && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%d/TCP", i ? "," : "", port_of(ctx, svc, i));
}

/* 1 when the profile's bootstrap ports differ from the guide's 9443/TCP,9095/TCP. */
static int guide_bootstrap_ports_wrong(const osmdiag__ctx *ctx)
{
	const osmdiag__profile *p = ctx->m->mesh->profile;

	return p->bootstrap_ports[0] != 9443 || p->bootstrap_ports[1] != 9095;
}

static void set_bootstrap_guide_hint(const osmdiag__ctx *ctx, struct osmdiag_result *r, const char *prefix)
{
	const osmdiag__profile *p = ctx->m->mesh->profile;

	osmdiag__result_set_hint(r, "%sThe AKS guide's osm-bootstrap PORT(S) `9443/TCP,9095/TCP` is the "
		"v1.1-and-older layout; OSM %s serves its health port on 9091, so `%d/TCP,%d/TCP` is "
		"correct.",
		prefix ? prefix : "", p->name, p->bootstrap_ports[0], p->bootstrap_ports[1]);
}

/* ---- OSMD1x1: Deployment available ---------------------------------------- */

static void run_deployment(osmdiag__ctx *ctx, const cp_comp *c)
{
	const char *ns = ctx->m->mesh->namespace_;
	const osmdiag__obj *d = osmdiag__model_get(ctx->m, "Deployment", ns, c->app);
	osmdiag__deployment_view v;
	struct osmdiag_result *r;

	if (!d) {
		r = osmdiag__emit_about(ctx, OSMDIAG_STATUS_FAIL, "Deployment", ns, c->app,
			"Deployment %s/%s not found; expected it in the mesh namespace", ns, c->app);
		osmdiag__result_set_hint(r, "On AKS the add-on manager recreates deleted control-plane "
			"objects within minutes; if it stays missing, disable and re-enable the add-on (`az "
			"aks disable-addons -a open-service-mesh` then `az aks enable-addons -a "
			"open-service-mesh`, with your cluster's -g/-n).");
		return;
	}
	osmdiag__deployment_view_get(d, &v);
	if (v.bad_field[0]) {
		r = osmdiag__emit_about(ctx, OSMDIAG_STATUS_ERROR, "Deployment", ns, c->app,
			"Deployment %s/%s: %s; cannot read the replica counts", ns, c->app, v.bad_field);
		osmdiag__result_set_hint(r, "The object does not have the Kubernetes schema; re-read it with "
			"`kubectl get deployment %s -n %s -o json` (a hand-edited snapshot?).", c->app, ns);
		return;
	}
	if (v.replicas < 1) {
		r = osmdiag__emit_about(ctx, OSMDIAG_STATUS_FAIL, "Deployment", ns, c->app,
			"Deployment %s/%s is scaled to %lld replicas; expected >= 1", ns, c->app, v.replicas);
		osmdiag__result_set_hint(r, "Nothing serves %s while it has no replicas; scale it back "
			"up.", c->app);
		osmdiag__result_set_fix(r, "kubectl scale deployment/%s -n %s --replicas=1", c->app, ns);
		return;
	}
	if (v.available < 1) {
		r = osmdiag__emit_about(ctx, OSMDIAG_STATUS_FAIL, "Deployment", ns, c->app,
			"Deployment %s/%s has %lld/%lld replicas available; expected %lld/%lld", ns, c->app,
			v.available, v.replicas, v.replicas, v.replicas);
		osmdiag__result_set_hint(r, "No %s pod is available: the pods check (same category) names "
			"the pod condition or waiting reason; the Deployment's events show rollout "
			"errors.", c->app);
		osmdiag__result_set_fix(r, "kubectl describe deployment %s -n %s", c->app, ns);
		return;
	}
	if (v.available < v.replicas) {
		r = osmdiag__emit_about(ctx, OSMDIAG_STATUS_WARN, "Deployment", ns, c->app,
			"Deployment %s/%s has %lld/%lld replicas available; expected %lld/%lld", ns, c->app,
			v.available, v.replicas, v.replicas, v.replicas);
		osmdiag__result_set_hint(r, "Some %s replicas are not available (rollout in progress, or "
			"pods failing): see the pods check; wait for the rollout to finish.", c->app);
		osmdiag__result_set_fix(r, "kubectl rollout status deployment/%s -n %s "
			"--timeout=120s", c->app, ns);
		return;
	}
	osmdiag__emit_about(ctx, OSMDIAG_STATUS_PASS, "Deployment", ns, c->app,
		"Deployment %s/%s: %lld/%lld replicas available", ns, c->app, v.available, v.replicas);
}

/* ---- OSMD1x2: pods ready ------------------------------------------------------ */

static void add_issue(osmdiag__buf *b, const char *fmt, ...) OSMDIAG__PRINTF(2, 3);

static void add_issue(osmdiag__buf *b, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = osmdiag__vasprintf(fmt, ap);
	va_end(ap);
	if (!s) {
		b->oom = 1;
		return;
	}
	if (b->len)
		osmdiag__buf_puts(b, "; ");
	osmdiag__buf_puts(b, s);
	free(s);
}

typedef struct pod_eval {
	int status;
	const char *logs_container;   /* a container that restarted: logs --previous */
	const char *waiting_reason;   /* first waiting reason seen */
	int init_pending;             /* an init container has not completed */
	int unscheduled;
} pod_eval;

static void eval_containers(const osmdiag__container_view *cv, size_t n, int init, int running,
	osmdiag__buf *b, pod_eval *e)
{
	const char *what = init ? "init container" : "container";

	for (size_t i = 0; i < n; i++) {
		const osmdiag__container_view *c = &cv[i];
		const char *name = c->name ? c->name : "?";

		if (!c->has_status) {
			if (running) {
				add_issue(b, "%s %s has no status", what, name);
				e->status = OSMDIAG_STATUS_FAIL;
			}
			continue;
		}
		if (strcmp(c->state, "waiting") == 0) {
			add_issue(b, "%s %s waiting (%s)", what, name, c->reason ? c->reason : "no reason");
			e->status = OSMDIAG_STATUS_FAIL;
			if (!e->waiting_reason && c->reason)
				e->waiting_reason = c->reason;
			if (init)
				e->init_pending = 1;
		} else if (init && strcmp(c->state, "running") == 0) {
			add_issue(b, "init container %s still running", name);
			e->status = OSMDIAG_STATUS_FAIL;
			e->init_pending = 1;
		} else if (!init && strcmp(c->state, "terminated") == 0) {
			add_issue(b, "container %s terminated (%s)", name, c->reason ? c->reason : "no "
				"reason");
			e->status = OSMDIAG_STATUS_FAIL;
		} else if (!init && !c->ready) {
			add_issue(b, "container %s not ready", name);
			e->status = OSMDIAG_STATUS_FAIL;
		}
		if (c->restarts > 0) {
			if (c->last_reason)
				add_issue(b, "%s %s restarted %lld times (last: %s, exit code "
					"%lld)", what, name,
					  c->restarts, c->last_reason, c->last_exit_code);
			else
				add_issue(b, "%s %s restarted %lld times", what, name, c->restarts);
			if (e->status < OSMDIAG_STATUS_WARN)
				e->status = OSMDIAG_STATUS_WARN;
			if (!e->logs_container)
				e->logs_container = c->name;
		}
	}
}

static void pod_hint(const cp_comp *c, const osmdiag__pod_view *pv, const pod_eval *e,
	struct osmdiag_result *r)
{
	const char *wr = e->waiting_reason;

	if (e->unscheduled) {
		osmdiag__result_set_hint(r, "The pod cannot be scheduled: `kubectl describe pod` shows the "
			"scheduler's reason (node resources, node selector/affinity, taints).");
	} else if (wr && (strstr(wr, "ImagePull") || strstr(wr, "ErrImage") || strstr(wr, "InvalidImage"))) {
		osmdiag__result_set_hint(r, "The image cannot be pulled: check the image name and tag, and "
			"that the nodes reach the registry (mcr.microsoft.com on AKS).");
	} else if (e->init_pending && strcmp(c->app, "osm-bootstrap") != 0) {
		osmdiag__result_set_hint(r, "%s's init container waits until osm-bootstrap answers /healthz: "
			"fix osm-bootstrap first (OSMD121-124).", c->app);
	} else if (strcmp(c->app, "osm-controller") == 0 && (e->logs_container || wr)) {
		osmdiag__result_set_hint(r, "Read the previous container's logs for the crash reason; "
			"missing or unserved SMI CRDs make the controller's liveness probe fail "
			"(OSMD501/502), and on v1.0/v1.1 so does an unhealthy validator on :9093.");
	} else if (e->logs_container || wr) {
		osmdiag__result_set_hint(r, "Read the previous container's logs for the crash reason (errors "
			"carry an `error_code`; `osm support error-info <code>` explains it).");
	} else {
		osmdiag__result_set_hint(r, "`kubectl describe pod %s -n %s` shows the failing condition and "
			"the probe or event behind it.", pv->name, pv->namespace_);
	}
}

/* The pod condition of `type`, or NULL. */
static const osmdiag__obj *pod_condition(const osmdiag__pod *pod, const char *type)
{
	const osmdiag__obj *conds = osmdiag__obj_get(pod->status, "conditions");

	for (size_t i = 0; i < osmdiag__obj_len(conds); i++)
		if (osmdiag__streq(osmdiag__obj_str(osmdiag__obj_at(conds, i), "type"), type))
			return osmdiag__obj_at(conds, i);
	return NULL;
}

static void run_pods(osmdiag__ctx *ctx, const cp_comp *c)
{
	const char *ns = ctx->m->mesh->namespace_;
	osmdiag__pods pods = { NULL, 0 };
	size_t ok = 0, problems = 0;
	long long restarts = 0;
	char sel[64];

	snprintf(sel, sizeof(sel), "app=%s", c->app);
	if (osmdiag__model_pods(ctx->m, ns, sel, &pods) < 0) {
		osmdiag__emit_oom(ctx);
		return;
	}
	if (pods.n == 0) {
		const osmdiag__obj *d = osmdiag__model_get(ctx->m, "Deployment", ns, c->app);
		struct osmdiag_result *r;

		if (!d) {
			osmdiag__emit_about(ctx, OSMDIAG_STATUS_SKIP, "Deployment", ns, c->app,
				"no pod labelled app=%s in %s and Deployment %s/%s not found (see the "
				"Deployment check)", c->app, ns, ns, c->app);
		} else {
			r = osmdiag__emit_about(ctx, OSMDIAG_STATUS_FAIL, "Deployment", ns, c->app,
				"no pod labelled app=%s in %s; expected >= 1", c->app, ns);
			osmdiag__result_set_hint(r, "The Deployment's ReplicaSet could not create pods "
				"(quota, admission or scheduling errors): its events say why.");
			osmdiag__result_set_fix(r, "kubectl describe replicaset -n %s -l app=%s", ns, c->app);
		}
		osmdiag__pods_free(&pods);
		return;
	}
	for (size_t i = 0; i < pods.n; i++) {
		const osmdiag__pod *pod = pods.v[i], *pi = pod;
		const char *pname = pod->name;
		osmdiag__buf b = OSMDIAG__BUF_INIT;
		pod_eval e = { OSMDIAG_STATUS_PASS, NULL, NULL, 0, 0 };
		const osmdiag__pod_view *pv;
		struct osmdiag_result *r;
		int running;

		if (pi->bad) {
			osmdiag__emit_about(ctx, OSMDIAG_STATUS_ERROR, "Pod", ns, pname, "Pod %s/%s: %s; cannot "
				"evaluate the pod",
				ns, pname, pi->bad);
			problems++;
			continue;
		}
		pv = &pi->view;
		running = strcmp(pv->phase, "Running") == 0;
		if (!running) {
			add_issue(&b, "phase %s", pv->phase);
			e.status = OSMDIAG_STATUS_FAIL;
		}
		if (!pv->scheduled) {
			const osmdiag__obj *cond = pod_condition(pod, "PodScheduled");
			const char *reason = osmdiag__obj_str(cond, "reason");
			const char *message = osmdiag__obj_str(cond, "message");

			if (reason || message)
				add_issue(&b, "not scheduled (%s%s%s)", reason ? reason : "",
					  reason && message ? ": " : "", message ? message : "");
			else
				add_issue(&b, "condition PodScheduled not True");
			e.status = OSMDIAG_STATUS_FAIL;
			e.unscheduled = 1;
		} else if (!pv->initialized || !pv->containers_ready || !pv->ready) {
			add_issue(&b, "conditions not True:%s%s%s", pv->initialized ? "" : " Initialized",
				  pv->containers_ready ? "" : " ContainersReady", pv->ready ? "" : " Ready");
			e.status = OSMDIAG_STATUS_FAIL;
		}
		eval_containers(pv->init_containers, pv->ninit_containers, 1, running, &b, &e);
		eval_containers(pv->containers, pv->ncontainers, 0, running, &b, &e);
		for (size_t k = 0; k < pv->ncontainers; k++)
			restarts += pv->containers[k].restarts;
		if (b.oom) {
			osmdiag__emit_oom(ctx);
			problems++;
		} else if (e.status != OSMDIAG_STATUS_PASS) {
			r = osmdiag__emit_about(ctx, e.status, "Pod", ns, pname,
				"Pod %s/%s: %s; expected Running, "
				"PodScheduled/Initialized/ContainersReady/Ready True, 0 "
				"restarts", ns, pname, b.ptr);
			pod_hint(c, pv, &e, r);
			if (e.logs_container)
				osmdiag__result_set_fix(r, "kubectl logs -n %s %s -c %s "
					"--previous", ns, pname,
					e.logs_container);
			else
				osmdiag__result_set_fix(r, "kubectl describe pod %s -n %s", pname, ns);
			problems++;
		} else {
			ok++;
		}
		osmdiag__buf_free(&b);
	}
	if (!problems)
		osmdiag__emit_about(ctx, OSMDIAG_STATUS_PASS, "Deployment", ns, c->app,
			"%zu/%zu pods labelled app=%s Running and Ready, %lld "
			"restarts", ok, pods.n, c->app, restarts);
	osmdiag__pods_free(&pods);
}

/* ---- OSMD1x3: Services ---------------------------------------------------------- */

typedef struct sel_ctx {
	osmdiag__buf *b;
	int extra;
} sel_ctx;

static int sel_extra_key(const char *key, const osmdiag__obj *value, void *ud)
{
	sel_ctx *sc = ud;

	(void)value;
	if (strcmp(key, "app") == 0)
		return 0;
	osmdiag__buf_printf(sc->b, ",\"%s\":null", key);
	sc->extra++;
	return 0;
}

static void check_service(osmdiag__ctx *ctx, const cp_comp *c, const cp_svc *svc, osmdiag__buf *passed,
	int *problems)
{
	const char *ns = ctx->m->mesh->namespace_;
	const osmdiag__obj *s = osmdiag__model_get(ctx->m, "Service", ns, svc->name);
	const osmdiag__obj *ports, *selector;
	int bootstrap = strcmp(c->app, "osm-bootstrap") == 0;
	struct osmdiag_result *r;
	osmdiag__buf seen = OSMDIAG__BUF_INIT, missing = OSMDIAG__BUF_INIT;
	char expected[64], bad[256];
	const char *sel_app;
	static osmdiag__field_spec port_fields[] = { { "port", "integer" }, { "protocol", "string" } };

	expected_ports_text(ctx, svc, expected, sizeof(expected));
	if (!s) {
		(*problems)++;
		r = osmdiag__emit_about(ctx, OSMDIAG_STATUS_FAIL, "Service", ns, svc->name,
			"Service %s/%s not found; expected ports %s with selector "
			"app=%s", ns, svc->name, expected,
			c->app);
		osmdiag__result_set_hint(r, "Without the Service nothing reaches %s (on AKS the add-on "
			"manager normally recreates it); create it with the chart's ports and "
			"selector.", c->app);
		if (strcmp(svc->name, c->app) == 0) {
			osmdiag__buf cmd = OSMDIAG__BUF_INIT;

			osmdiag__buf_printf(&cmd, "kubectl create service clusterip %s -n %s", svc->name, ns);
			for (size_t i = 0; i < svc->nports; i++)
				osmdiag__buf_printf(&cmd, " "
					"--tcp=%d:%d", port_of(ctx, svc, i), port_of(ctx, svc, i));
			osmdiag__result_set_fix(r, "%s", cmd.ptr ? cmd.ptr : "");
			osmdiag__buf_free(&cmd);
		} else {
			osmdiag__result_set_fix(r, "kubectl create service clusterip %s -n %s --tcp=%d:%d "
				"--dry-run=client -o yaml | kubectl set selector --local -f - app=%s -o yaml "
				"| kubectl apply -f "
				"-", svc->name, ns, port_of(ctx, svc, 0), port_of(ctx, svc, 0),
				c->app);
		}
		return;
	}
	ports = osmdiag__obj_get(s, "spec.ports");
	if (osmdiag__obj_wrong_type(s, "", "spec", "object", bad, sizeof(bad)) ||
	    osmdiag__obj_wrong_type(s, "", "spec.ports", "array", bad, sizeof(bad)) ||
	    osmdiag__obj_wrong_type(s, "", "spec.selector", "object", bad, sizeof(bad)) ||
	    osmdiag__obj_items_bad(s, "spec.ports", port_fields, NELEM(port_fields), bad, sizeof(bad)) ||
	    osmdiag__obj_wrong_type(s, "", "spec.selector.app", "string", bad, sizeof(bad))) {
		(*problems)++;
		osmdiag__emit_about(ctx, OSMDIAG_STATUS_ERROR, "Service", ns, svc->name, "Service %s/%s: "
			"%s", ns, svc->name,
			bad);
		return;
	}
	for (size_t i = 0; i < osmdiag__obj_len(ports); i++) {
		const osmdiag__obj *p = osmdiag__obj_at(ports, i);
		long long num = 0;
		const char *proto = osmdiag__obj_str(p, "protocol");

		osmdiag__obj_get_int(p, "port", &num);
		osmdiag__buf_printf(&seen, "%s%lld/%s", seen.len ? "," : "", num, proto ? proto : "TCP");
	}
	for (size_t i = 0; i < svc->nports; i++) {
		int want = port_of(ctx, svc, i), found = 0;

		for (size_t k = 0; k < osmdiag__obj_len(ports) && !found; k++) {
			const osmdiag__obj *p = osmdiag__obj_at(ports, k);
			const char *proto = osmdiag__obj_str(p, "protocol");
			long long num = 0;

			osmdiag__obj_get_int(p, "port", &num);
			found = num == want && (!proto || strcmp(proto, "TCP") == 0);
		}
		if (!found)
			osmdiag__buf_printf(&missing, "%s%d/TCP", missing.len ? "," : "", want);
	}
	if (missing.len) {
		osmdiag__buf patch = OSMDIAG__BUF_INIT;

		(*problems)++;
		r = osmdiag__emit_about(ctx, OSMDIAG_STATUS_FAIL, "Service", ns, svc->name,
			"Service %s/%s ports %s (missing %s); expected %s", ns, svc->name,
			seen.len ? seen.ptr : "none", missing.ptr, expected);
		if (bootstrap && guide_bootstrap_ports_wrong(ctx))
			set_bootstrap_guide_hint(ctx, r, "Set the Service ports to the chart's. ");
		else
			osmdiag__result_set_hint(r, "Clients of %s connect to these ports; set the Service "
				"ports to the chart's.", svc->name);
		osmdiag__buf_puts(&patch, "{\"spec\":{\"ports\":[");
		for (size_t i = 0; i < svc->nports; i++)
			osmdiag__buf_printf(&patch, "%s{\"name\":\"%s\",\"port\":%d,\"protocol\":\"TCP\","
				"\"targetPort\":%d}", i ? "," : "", svc->ports[i].name, port_of(ctx, svc, i),
				port_of(ctx, svc, i));
		osmdiag__buf_puts(&patch, "]}}");
		osmdiag__result_set_fix(r, "kubectl patch service %s -n %s --type=merge -p "
			"'%s'", svc->name, ns,
			patch.ptr ? patch.ptr : "");
		osmdiag__buf_free(&patch);
	}
	selector = osmdiag__obj_get(s, "spec.selector");
	sel_app = osmdiag__obj_str(s, "spec.selector.app");
	if (!osmdiag__streq(sel_app, c->app)) {
		osmdiag__buf patch = OSMDIAG__BUF_INIT;
		sel_ctx sc = { &patch, 0 };
		char *dump = osmdiag__obj_dump(selector);

		(*problems)++;
		r = osmdiag__emit_about(ctx, OSMDIAG_STATUS_FAIL, "Service", ns, svc->name,
			"Service %s/%s selector %s; expected "
			"app=%s", ns, svc->name, dump ? dump : "?", c->app);
		free(dump);
		osmdiag__result_set_hint(r, "The selector decides which pods receive the traffic; with the "
			"wrong one the Service has no (or the wrong) endpoints.");
		osmdiag__buf_printf(&patch, "{\"spec\":{\"selector\":{\"app\":\"%s\"", c->app);
		osmdiag__obj_each(selector, sel_extra_key, &sc);
		osmdiag__buf_puts(&patch, "}}}");
		osmdiag__result_set_fix(r, "kubectl patch service %s -n %s --type=merge -p "
			"'%s'", svc->name, ns,
			patch.ptr ? patch.ptr : "");
		osmdiag__buf_free(&patch);
	}
	if (!missing.len && osmdiag__streq(sel_app, c->app))
		osmdiag__buf_printf(passed, "%s%s/%s ports %s selector app=%s", passed->len ? "; " : "", ns,
			svc->name, seen.ptr ? seen.ptr : "", c->app);
	osmdiag__buf_free(&seen);
	osmdiag__buf_free(&missing);
}

static void run_services(osmdiag__ctx *ctx, const cp_comp *c)
{
	osmdiag__buf passed = OSMDIAG__BUF_INIT;
	int problems = 0;

	for (size_t i = 0; i < c->nsvcs; i++)
		check_service(ctx, c, &c->svcs[i], &passed, &problems);
	if (!problems) {
		struct osmdiag_result *r;

		r = osmdiag__emit_about(ctx, OSMDIAG_STATUS_PASS, "Service", ctx->m->mesh->namespace_, c->svcs[0].name,
			"Service%s %s", c->nsvcs > 1 ? "s" : "", passed.ptr ? passed.ptr : "");
		if (strcmp(c->app, "osm-bootstrap") == 0 && guide_bootstrap_ports_wrong(ctx))
			set_bootstrap_guide_hint(ctx, r, NULL);
	}
	osmdiag__buf_free(&passed);
}

/* ---- OSMD1x4: endpoints ---------------------------------------------------------- */

/* Counts ready/not-ready endpoints of a Service; -1 on a wrong type (bad filled),
 * 0 when counted, 1 when there is neither an EndpointSlice nor an Endpoints. */
static int count_endpoints(const osmdiag__ctx *ctx, const char *svc, long long *ready, long long *notready,
	const char **source, char *bad, size_t badlen, int *oom)
{
	static osmdiag__field_spec ep_fields[] = { { "addresses", "array" }, { "conditions", "object" },
		{ "conditions.ready", "boolean" } };
	static osmdiag__field_spec subset_fields[] = { { "addresses", "array" }, { "notReadyAddresses", "array" } };
	const char *ns = ctx->m->mesh->namespace_;
	osmdiag__objs slices = { NULL, 0 };
	const osmdiag__obj *eps;
	char sel[128];

	*ready = *notready = 0;
	snprintf(sel, sizeof(sel), "kubernetes.io/service-name=%s", svc);
	if (osmdiag__model_list(ctx->m, "EndpointSlice", ns, sel, &slices) < 0) {
		*oom = 1;
		return -1;
	}
	if (slices.n) {
		*source = "EndpointSlice";
		for (size_t i = 0; i < slices.n; i++) {
			const osmdiag__obj *sl = slices.v[i];
			const osmdiag__obj *arr = osmdiag__obj_member(sl, "endpoints");
			char prefix[160];

			snprintf(prefix, sizeof(prefix), "EndpointSlice %s/%s: ", ns, osmdiag__obj_name(sl));
			if (osmdiag__obj_wrong_type(sl, prefix, "endpoints", "array", bad, badlen) ||
			    osmdiag__obj_items_bad(sl, "endpoints", ep_fields, NELEM(ep_fields), bad, badlen)) {
				if (strncmp(bad, prefix, strlen(prefix)) != 0) {
					char tmp[256];

					snprintf(tmp, sizeof(tmp), "%s%s", prefix, bad);
					snprintf(bad, badlen, "%s", tmp);
				}
				osmdiag__objs_free(&slices);
				return -1;
			}
			for (size_t k = 0; k < osmdiag__obj_len(arr); k++) {
				const osmdiag__obj *ep = osmdiag__obj_at(arr, k);
				/* missing/null = unknown: interpreted as ready (discovery/v1 API) */
				int r = 1;

				osmdiag__obj_get_bool(ep, "conditions.ready", &r);
				if (r)
					(*ready)++;
				else
					(*notready)++;
			}
		}
		osmdiag__objs_free(&slices);
		return 0;
	}
	osmdiag__objs_free(&slices);
	eps = osmdiag__model_get(ctx->m, "Endpoints", ns, svc);
	if (!eps)
		return 1;
	*source = "Endpoints";
	if (osmdiag__obj_wrong_type(eps, "", "subsets", "array", bad, badlen) ||
	    osmdiag__obj_items_bad(eps, "subsets", subset_fields, NELEM(subset_fields), bad, badlen)) {
		char tmp[256];

		snprintf(tmp, sizeof(tmp), "Endpoints %s/%s: %s", ns, svc, bad);
		snprintf(bad, badlen, "%s", tmp);
		return -1;
	}
	for (size_t i = 0; i < osmdiag__obj_len(osmdiag__obj_member(eps, "subsets")); i++) {
		const osmdiag__obj *sub = osmdiag__obj_at(osmdiag__obj_member(eps, "subsets"), i);

		*ready += (long long)osmdiag__obj_len(osmdiag__obj_member(sub, "addresses"));
		*notready += (long long)osmdiag__obj_len(osmdiag__obj_member(sub, "notReadyAddresses"));
	}
	return 0;
}

static void run_endpoints(osmdiag__ctx *ctx, const cp_comp *c)
{
	const char *ns = ctx->m->mesh->namespace_;
	osmdiag__buf passed = OSMDIAG__BUF_INIT;
	int problems = 0;

	for (size_t i = 0; i < c->nsvcs; i++) {
		const char *svc = c->svcs[i].name;
		long long ready = 0, notready = 0;
		const char *source = "";
		char bad[256] = "";
		struct osmdiag_result *r;
		int oom = 0, rc;

		if (!osmdiag__model_get(ctx->m, "Service", ns, svc)) {
			problems++;
			osmdiag__emit_about(ctx, OSMDIAG_STATUS_SKIP, "Service", ns, svc,
				"Service %s/%s not found (see the Services check); no endpoints to "
				"examine", ns, svc);
			continue;
		}
		rc = count_endpoints(ctx, svc, &ready, &notready, &source, bad, sizeof(bad), &oom);
		if (oom) {
			osmdiag__emit_oom(ctx);
			problems++;
			continue;
		}
		if (rc < 0) {
			problems++;
			osmdiag__emit_about(ctx, OSMDIAG_STATUS_ERROR, "Service", ns, svc, "%s; cannot count the "
				"endpoints of Service %s/%s", bad, ns, svc);
			continue;
		}
		if (rc > 0 || ready == 0) {
			problems++;
			if (rc > 0)
				r = osmdiag__emit_about(ctx, OSMDIAG_STATUS_FAIL, "Service", ns, svc,
					"Service %s/%s has no EndpointSlice and no Endpoints; expected >= 1 "
					"ready endpoint", ns, svc);
			else
				r = osmdiag__emit_about(ctx, OSMDIAG_STATUS_FAIL, "Service", ns, svc,
					"Service %s/%s has 0 ready endpoints (%lld not ready, from %s); "
					"expected >= 1",
					ns, svc, notready, source);
			osmdiag__result_set_hint(r, "No Ready pod matches the Service selector, so calls to "
				"%s fail (webhook calls time out, sidecars lose the control plane): fix the "
				"pods (pods check) or the selector (Services check) first; a restart helps "
				"when the pods are stuck.", svc);
			osmdiag__result_set_fix(r, "kubectl rollout restart deployment/%s -n %s", c->app, ns);
			continue;
		}
		osmdiag__buf_printf(&passed, "%s%s/%s: %lld ready endpoint%s "
			"(%s)", passed.len ? "; " : "", ns, svc,
			ready, ready == 1 ? "" : "s", source);
	}
	if (!problems)
		osmdiag__emit_about(ctx, OSMDIAG_STATUS_PASS, "Service", ns, c->svcs[0].name, "%s",
			passed.ptr ? passed.ptr : "");
	osmdiag__buf_free(&passed);
}

/* ---- the twelve component checks ------------------------------------------------------ */

static void run_101(osmdiag__ctx *ctx) { run_deployment(ctx, &comp_controller); }
static void run_102(osmdiag__ctx *ctx) { run_pods(ctx, &comp_controller); }
static void run_103(osmdiag__ctx *ctx) { run_services(ctx, &comp_controller); }
static void run_104(osmdiag__ctx *ctx) { run_endpoints(ctx, &comp_controller); }
static void run_111(osmdiag__ctx *ctx) { run_deployment(ctx, &comp_injector); }
static void run_112(osmdiag__ctx *ctx) { run_pods(ctx, &comp_injector); }
static void run_113(osmdiag__ctx *ctx) { run_services(ctx, &comp_injector); }
static void run_114(osmdiag__ctx *ctx) { run_endpoints(ctx, &comp_injector); }
static void run_121(osmdiag__ctx *ctx) { run_deployment(ctx, &comp_bootstrap); }
static void run_122(osmdiag__ctx *ctx) { run_pods(ctx, &comp_bootstrap); }
static void run_123(osmdiag__ctx *ctx) { run_services(ctx, &comp_bootstrap); }
static void run_124(osmdiag__ctx *ctx) { run_endpoints(ctx, &comp_bootstrap); }

/* ---- OSMD131: versions agree ------------------------------------------------------------- */

#define VERSION_LABEL "app.kubernetes.io/version"

/* 1 when a webhook configuration belongs to the mesh under examination: one
 * of its webhooks' clientConfig.service.namespace is the mesh namespace, or
 * (no service namespace readable) label app.kubernetes.io/instance = mesh. */
static int webhook_of_mesh(const osmdiag__ctx *ctx, const osmdiag__obj *wh)
{
	const osmdiag__obj *hooks = osmdiag__obj_member(wh, "webhooks");
	int any_ns = 0;

	for (size_t i = 0; i < osmdiag__obj_len(hooks); i++) {
		const char *ns = osmdiag__obj_str(osmdiag__obj_at(hooks, i),
			"clientConfig.service.namespace");

		if (!ns)
			continue;
		any_ns = 1;
		if (strcmp(ns, ctx->m->mesh->namespace_) == 0)
			return 1;
	}
	if (any_ns)
		return 0;
	return osmdiag__streq(osmdiag__obj_label(wh, "app.kubernetes.io/instance"), ctx->m->mesh->name);
}

typedef struct ver_obj {
	const char *kind;
	const char *ns;
	const char *name;
	const char *version;  /* NULL when missing */
	const char *bad_type; /* label of another JSON type */
	const char *restart;  /* Deployment whose restart rewrites it (webhooks) */
} ver_obj;

static void ver_fill(ver_obj *v, const char *kind, const osmdiag__obj *o, const char *restart)
{
	const osmdiag__obj *lv = osmdiag__obj_member(osmdiag__obj_labels(o), VERSION_LABEL);

	v->kind = kind;
	v->ns = osmdiag__obj_namespace(o);
	v->name = osmdiag__obj_name(o);
	v->version = osmdiag__obj_string_value(lv);
	v->bad_type = lv && !osmdiag__obj_is_string(lv) && strcmp(osmdiag__obj_type_name(lv), "null") != 0 ?
		osmdiag__obj_type_name(lv) : NULL;
	v->restart = restart;
}

static void run_131(osmdiag__ctx *ctx)
{
	static const char *const deploys[] = { "osm-controller", "osm-injector", "osm-bootstrap" };
	const osmdiag__mesh *mesh = ctx->m->mesh;
	osmdiag__objs mw = { NULL, 0 }, vw = { NULL, 0 };
	ver_obj objs[16];
	size_t n = 0, ndeploy = 0, nhooks = 0;
	const char *ref = mesh->version, *ref_from = "osm-controller";
	int problems = 0;

	if (osmdiag__model_list(ctx->m, "MutatingWebhookConfiguration", NULL, "app=osm-injector", &mw) < 0 ||
	    osmdiag__model_list(ctx->m, "ValidatingWebhookConfiguration", NULL, "app=osm-controller",
				&vw) < 0) {
		osmdiag__objs_free(&mw);
		osmdiag__emit_oom(ctx);
		return;
	}
	for (size_t i = 0; i < NELEM(deploys); i++) {
		const osmdiag__obj *d = osmdiag__model_get(ctx->m, "Deployment", mesh->namespace_,
			deploys[i]);

		if (d) {
			ver_fill(&objs[n++], "Deployment", d, NULL);
			ndeploy++;
		}
	}
	for (size_t i = 0; i < mw.n && n < NELEM(objs); i++)
		if (webhook_of_mesh(ctx, mw.v[i])) {
			ver_fill(&objs[n++], "MutatingWebhookConfiguration", mw.v[i], "osm-injector");
			nhooks++;
		}
	for (size_t i = 0; i < vw.n && n < NELEM(objs); i++)
		if (webhook_of_mesh(ctx, vw.v[i])) {
			ver_fill(&objs[n++], "ValidatingWebhookConfiguration", vw.v[i], "osm-controller");
			nhooks++;
		}
	if (!ref) {
		/* the controller has no version label: compare against the first one found */
		for (size_t i = 0; i < n && !ref; i++) {
			ref = objs[i].version;
			ref_from = objs[i].name;
		}
	}
	for (size_t i = 0; i < n; i++) {
		ver_obj *v = &objs[i];
		const char *nsp = v->ns ? v->ns : "", *sep = v->ns ? "/" : "";
		struct osmdiag_result *r;

		if (v->bad_type) {
			problems++;
			osmdiag__emit_about(ctx, OSMDIAG_STATUS_ERROR, v->kind, v->ns, v->name,
				"%s %s%s%s: label %s is %s, expected a string", v->kind, nsp, sep, v->name,
				VERSION_LABEL, osmdiag__type_phrase(v->bad_type));
			continue;
		}
		if (v->version && osmdiag__streq(v->version, ref))
			continue;
		problems++;
		if (!v->version)
			r = osmdiag__emit_about(ctx, OSMDIAG_STATUS_WARN, v->kind, v->ns, v->name,
				"%s %s%s%s has no label %s; expected %s (as %s)", v->kind, nsp, sep, v->name,
				VERSION_LABEL, ref ? ref : "a version", ref_from);
		else
			r = osmdiag__emit_about(ctx, OSMDIAG_STATUS_WARN, v->kind, v->ns, v->name,
				"%s %s%s%s has version %s; expected %s (as %s)", v->kind, nsp, sep, v->name,
				v->version, ref ? ref : "a version", ref_from);
		if (v->restart) {
			osmdiag__result_set_hint(r, "%s rewrites this webhook configuration (labels "
				"included) when it starts; a stale version means it was left by another "
				"install or %s did not restart after the upgrade. The uninstall hook only "
				"deletes webhooks carrying its own version.",
				v->restart, v->restart);
			osmdiag__result_set_fix(r, "kubectl rollout restart deployment/%s -n %s", v->restart,
				mesh->namespace_);
		} else {
			osmdiag__result_set_hint(r, "The control plane is half upgraded: components of "
				"different versions disagree on CRD versions, ports and certificates. Finish "
				"the upgrade (on AKS the add-on manager upgrades every component together; "
				"check the cluster's add-on state).");
			osmdiag__result_set_fix(r, "kubectl get deployments -n %s -l "
				"app.kubernetes.io/name=openservicemesh.io -L "
				"%s", mesh->namespace_, VERSION_LABEL);
		}
	}
	if (!problems)
		osmdiag__emit_about(ctx, OSMDIAG_STATUS_PASS, "Deployment", mesh->namespace_, "osm-controller",
			"version %s on %zu Deployments and %zu webhook configurations", ref ? ref : "(none)",
			ndeploy, nhooks);
	osmdiag__objs_free(&mw);
	osmdiag__objs_free(&vw);
}

/* ---- OSMD132: mesh inventory ---------------------------------------------------------------- */

static void run_132(osmdiag__ctx *ctx)
{
	const osmdiag__model *m = ctx->m;
	const osmdiag__mesh *mesh = m->mesh;
	const osmdiag__mesh *enforcing = NULL;
	struct osmdiag_result *r;

	r = osmdiag__emit_about(ctx, OSMDIAG_STATUS_INFO, "Deployment", mesh->namespace_, "osm-controller",
		"mesh %s in %s: version %s, profile %s, added namespaces: %s", mesh->name, mesh->namespace_,
		mesh->version ? mesh->version : "Unknown", mesh->profile->name,
		mesh->added_namespaces && mesh->added_namespaces[0] ? mesh->added_namespaces : "none");
	if (!mesh->version_known) {
		const char *ns = mesh->namespace_;

		if (mesh->version)
			r = osmdiag__emit_about(ctx, OSMDIAG_STATUS_INFO, "Deployment", ns, "osm-controller",
				"mesh %s: OSM version %s is not a known release (v0.11, v1.0-v1.2); the "
				"expectations use the newest profile %s", mesh->name, mesh->version,
				mesh->profile->name);
		else
			r = osmdiag__emit_about(ctx, OSMDIAG_STATUS_INFO, "Deployment", ns, "osm-controller",
				"mesh %s: Deployment osm-controller has no label app.kubernetes.io/version; "
				"the expectations use the newest profile %s", mesh->name,
				mesh->profile->name);
		osmdiag__result_set_hint(r, "Version-dependent results (ports, CRD set, MeshConfig version, "
			"webhook CA source) may not match this release.");
	}
	for (size_t i = 0; i < m->nmeshes; i++) {
		const osmdiag__mesh *o = &m->meshes[i];

		if (o->enforce_single_mesh && !enforcing)
			enforcing = o;
		if (osmdiag__streq(o->namespace_, mesh->namespace_) && osmdiag__streq(o->name, mesh->name))
			continue;
		osmdiag__emit_about(ctx, OSMDIAG_STATUS_INFO, "Deployment", o->namespace_, "osm-controller",
			"other mesh %s in %s: version %s, profile %s, added namespaces: "
			"%s", o->name, o->namespace_,
			o->version ? o->version : "Unknown", o->profile ? o->profile->name : "?",
			o->added_namespaces && o->added_namespaces[0] ? o->added_namespaces : "none");
	}
	if (m->nmeshes > 1 && enforcing) {
		osmdiag__buf list = OSMDIAG__BUF_INIT, cmd = OSMDIAG__BUF_INIT;

		for (size_t i = 0; i < m->nmeshes; i++) {
			const osmdiag__mesh *o = &m->meshes[i];

			osmdiag__buf_printf(&list, "%s%s in %s", i ? ", " : "", o->name, o->namespace_);
			if (o == enforcing)
				continue;
			osmdiag__buf_printf(&cmd, "%sosm uninstall mesh --mesh-name %s --osm-namespace %s",
				cmd.len ? " && " : "", o->name, o->namespace_);
		}
		r = osmdiag__emit_about(ctx, OSMDIAG_STATUS_FAIL, "Deployment", enforcing->namespace_, "osm-controller",
			"%zu meshes found (%s) but mesh %s in %s has enforceSingleMesh=true; expected a "
			"single mesh",
			m->nmeshes, list.ptr ? list.ptr : "", enforcing->name, enforcing->namespace_);
		osmdiag__result_set_hint(r, "Meshes watching the same cluster compete for namespaces, "
			"webhooks and CRDs; keep one control plane (the AKS add-on is the one in "
			"kube-system) and uninstall the others.");
		osmdiag__result_set_fix(r, "%s", cmd.ptr ? cmd.ptr : "");
		osmdiag__buf_free(&list);
		osmdiag__buf_free(&cmd);
	}
}

/* ---- the table ------------------------------------------------------------------------------------- */

#define GUIDE_CTRL "Check OSM Controller deployment, pod, and service: " \
	"`kubectl get deployment,pod,service -n kube-system --selector app=osm-controller`"
#define GUIDE_INJ "Check OSM Injector deployment, pod, and service: " \
	"`kubectl get deployment,pod,service -n kube-system --selector app=osm-injector`"
#define GUIDE_BOOT "Check OSM Bootstrap deployment, pod, and service: " \
	"`kubectl get deployment,pod,service -n kube-system --selector app=osm-bootstrap` (its " \
	"`9443/TCP,9095/TCP` is v1.1-and-older; v1.2 shows `9443/TCP,9091/TCP`)"

#define DEPLOY_EXPECT(x) "Deployment " x " exists in the mesh namespace and status.availableReplicas == " \
	"spec.replicas >= 1 (0 available: fail; fewer: warn)."
#define DEPLOY_FIX(x) "Look at the pods check for the failing pod and the Deployment's events: " \
	"`kubectl describe deployment " x " -n <mesh-ns>`; wait for a rollout with `kubectl rollout status " \
	"deployment/" x " -n <mesh-ns>`; scale back a Deployment scaled to 0 with `kubectl scale " \
	"deployment/" x " -n <mesh-ns> --replicas=1`."
#define PODS_EXPECT(x) ">= 1 pod labelled app=" x " in the mesh namespace; each Running with conditions " \
	"PodScheduled, Initialized, ContainersReady and Ready True; waiting reasons (CrashLoopBackOff, " \
	"ImagePullBackOff, ...) are named; a restartCount > 0 is warn."
#define PODS_FIX "Read the crashed container's logs " \
	"(`kubectl logs -n <ns> <pod> -c <container> --previous`) or the pod's events " \
	"(`kubectl describe pod <pod> -n <ns>`) and fix the cause (image pull, " \
	"scheduling, a failing dependency such as osm-bootstrap or the SMI CRDs)."
#define EP_EXPECT(x) "Every " x " Service has >= 1 ready endpoint: EndpointSlices labelled " \
	"kubernetes.io/service-name=<svc> (an endpoint without conditions.ready counts as ready), else " \
	"the legacy Endpoints subsets' addresses."
#define EP_FIX(x) "Make the pods Ready (pods check) and the Service selector match them (Services check); " \
	"restart stuck pods with `kubectl rollout restart deployment/" x " -n <mesh-ns>`."

const osmdiag__check_def osmdiag__checks_control_plane[] = {
	{ "OSMD101", "control-plane", "osm-controller Deployment available", "fail/warn",
	  DEPLOY_EXPECT("osm-controller"),
	  "osm-controller is the control plane: it serves the xDS configuration every Envoy sidecar needs "
	  "(ADS on 15128), issues the mesh certificates and validates OSM policies. Without an available "
	  "replica, sidecars keep stale configuration, new pods get no config and policy changes fail.",
	  DEPLOY_FIX("osm-controller"), GUIDE_CTRL, OSMDIAG__NEED_DEPLOYMENT, NULL, run_101 },
	{ "OSMD102", "control-plane", "osm-controller pods ready", "fail/warn", PODS_EXPECT("osm-controller"),
	  "A controller pod that is not Ready receives no xDS connections and no validation calls; a "
	  "restarting controller (often a failing liveness probe when SMI CRDs are missing) drops every "
	  "sidecar's xDS stream each time.",
	  PODS_FIX, GUIDE_CTRL, OSMDIAG__NEED_POD_MESH_NS | OSMDIAG__NEED_DEPLOYMENT, NULL, run_102 },
	{ "OSMD103", "control-plane", "osm-controller Services", "fail",
	  "Service osm-controller exposes 15128/TCP, 9092/TCP, 9091/TCP and Service osm-validator 9093/TCP, "
	  "both with selector app=osm-controller.",
	  "Sidecars reach the ADS server through osm-controller:15128 and the API server calls the "
	  "validating webhook through osm-validator:9093; a missing Service or port breaks xDS or makes "
	  "every validated OSM policy create/update fail (failurePolicy Fail).",
	  "Restore the chart's Services: `kubectl patch service <svc> -n <mesh-ns> --type=merge -p ...` with "
	  "the expected ports and selector (the result gives the exact patch).",
	  GUIDE_CTRL, OSMDIAG__NEED_SERVICE, NULL, run_103 },
	{ "OSMD104", "control-plane", "osm-controller endpoints", "fail", EP_EXPECT("osm-controller"),
	  "A Service without ready endpoints drops the traffic: sidecars cannot fetch configuration and "
	  "validating webhook calls fail, so OSM policy objects cannot be created.",
	  EP_FIX("osm-controller"), GUIDE_CTRL, OSMDIAG__NEED_SERVICE | OSMDIAG__NEED_ENDPOINTS, NULL,
	  run_104 },
	{ "OSMD111", "control-plane", "osm-injector Deployment available", "fail/warn",
	  DEPLOY_EXPECT("osm-injector"),
	  "osm-injector is the mutating webhook that adds the Envoy sidecar; with failurePolicy Fail, no "
	  "available injector means pod creation in every monitored namespace is rejected.",
	  DEPLOY_FIX("osm-injector"), GUIDE_INJ, OSMDIAG__NEED_DEPLOYMENT, NULL, run_111 },
	{ "OSMD112", "control-plane", "osm-injector pods ready", "fail/warn", PODS_EXPECT("osm-injector"),
	  "An injector pod that is not Ready cannot answer the mutating webhook: pods in monitored "
	  "namespaces fail to be created (failurePolicy Fail) or time out.",
	  PODS_FIX, GUIDE_INJ, OSMDIAG__NEED_POD_MESH_NS | OSMDIAG__NEED_DEPLOYMENT, NULL, run_112 },
	{ "OSMD113", "control-plane", "osm-injector Service", "fail",
	  "Service osm-injector exposes 9090/TCP with selector app=osm-injector.",
	  "The mutating webhook points at osm-injector:9090; without that Service or port every pod creation "
	  "in a monitored namespace fails.",
	  "Restore the Service: `kubectl patch service osm-injector -n <mesh-ns> --type=merge -p "
	  "'{\"spec\":{\"ports\":[{\"name\":\"sidecar-inject\",\"port\":9090,\"protocol\":\"TCP\","
	  "\"targetPort\":9090}]}}'`.",
	  GUIDE_INJ, OSMDIAG__NEED_SERVICE, NULL, run_113 },
	{ "OSMD114", "control-plane", "osm-injector endpoints", "fail", EP_EXPECT("osm-injector"),
	  "Without a ready endpoint the API server cannot call the mutating webhook: pod creation in "
	  "monitored namespaces fails with `failed calling webhook \"osm-inject.k8s.io\"`.",
	  EP_FIX("osm-injector"), GUIDE_INJ, OSMDIAG__NEED_SERVICE | OSMDIAG__NEED_ENDPOINTS, NULL, run_114 },
	{ "OSMD121", "control-plane", "osm-bootstrap Deployment available", "fail/warn",
	  DEPLOY_EXPECT("osm-bootstrap"),
	  "osm-bootstrap installs the CRDs and the MeshConfig and (v1.0, v1.1.0-1.1.1, v1.2.0) serves the "
	  "CRD conversion webhook; the controller and injector init containers wait for its /healthz, so "
	  "they do not start without it.",
	  DEPLOY_FIX("osm-bootstrap"), GUIDE_BOOT, OSMDIAG__NEED_DEPLOYMENT, NULL, run_121 },
	{ "OSMD122", "control-plane", "osm-bootstrap pods ready", "fail/warn", PODS_EXPECT("osm-bootstrap"),
	  "A bootstrap pod that is not Ready blocks the controller and injector init containers and, on "
	  "conversion-webhook versions, makes reads of converted OSM resources fail.",
	  PODS_FIX, GUIDE_BOOT, OSMDIAG__NEED_POD_MESH_NS | OSMDIAG__NEED_DEPLOYMENT, NULL, run_122 },
	{ "OSMD123", "control-plane", "osm-bootstrap Service", "fail",
	  "Service osm-bootstrap exposes the profile's ports (9443/TCP plus 9095/TCP up to v1.1, 9091/TCP on "
	  "v1.2) with selector app=osm-bootstrap.",
	  "The controller and injector init containers poll osm-bootstrap:<health port>/healthz and the CRD "
	  "conversion webhook (where shipped) is called on 9443; a wrong port keeps the control plane from "
	  "starting.",
	  "Restore the Service ports of the profile with `kubectl patch service osm-bootstrap -n <mesh-ns> "
	  "--type=merge -p ...` (the result gives the exact patch). The AKS guide's `9443/TCP,9095/TCP` is "
	  "the v1.1-and-older layout.",
	  GUIDE_BOOT, OSMDIAG__NEED_SERVICE, NULL, run_123 },
	{ "OSMD124", "control-plane", "osm-bootstrap endpoints", "fail", EP_EXPECT("osm-bootstrap"),
	  "Without a ready endpoint the controller and injector init containers wait forever and CRD "
	  "conversion webhook calls (where shipped) fail.",
	  EP_FIX("osm-bootstrap"), GUIDE_BOOT, OSMDIAG__NEED_SERVICE | OSMDIAG__NEED_ENDPOINTS, NULL,
	  run_124 },
	{ "OSMD131", "control-plane", "control-plane versions agree", "warn",
	  "Label app.kubernetes.io/version is equal on the osm-controller, osm-injector and osm-bootstrap "
	  "Deployments and on the mesh's MutatingWebhookConfiguration (app=osm-injector) and "
	  "ValidatingWebhookConfiguration (app=osm-controller).",
	  "Components of different releases disagree on CRD versions, ports, certificate sources and webhook "
	  "contents; a webhook configuration with a stale version label survives uninstall and keeps "
	  "intercepting requests.",
	  "Finish the upgrade so every component runs the same release; restart osm-injector / "
	  "osm-controller (`kubectl rollout restart deployment/<name> -n <mesh-ns>`) so they rewrite their "
	  "webhook configurations.",
	  "Check OSM Controller / Injector / Bootstrap deployment, pod, and service; Check validating and "
	  "mutating webhooks",
	  OSMDIAG__NEED_DEPLOYMENT | OSMDIAG__NEED_MWHC | OSMDIAG__NEED_VWHC, NULL, run_131 },
	{ "OSMD132", "control-plane", "mesh inventory", "info/fail",
	  "The `osm mesh list` equivalent: mesh name, namespace, version, profile and added namespaces "
	  "(label openservicemesh.io/monitored-by=<mesh>), always info; more than one mesh while one has "
	  "enforceSingleMesh=true is fail.",
	  "Several control planes in one cluster compete for namespaces, webhooks and CRDs; OSM's preinstall "
	  "refuses a second mesh when enforceSingleMesh is set, so a second one was forced in.",
	  "Keep one mesh: uninstall the others with `osm uninstall mesh --mesh-name <name> --osm-namespace "
	  "<ns>`.",
	  "Verify OSM CRDs, step 2: `osm mesh list`",
	  OSMDIAG__NEED_DEPLOYMENT | OSMDIAG__NEED_NAMESPACE, NULL, run_132 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL }
};
