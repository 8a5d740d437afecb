/*
 * dataplane checks (OSMD701-703): the Envoy sidecar and osm-init images of
 * injected pods against the images the injector uses now, and the health of
 * the envoy containers.
 *
 * Facts: FACTS.md §6 (injected pod layout, Windows pods), §7 (expected image:
 * MeshConfig spec.sidecar.envoyImage, else injector env OSM_DEFAULT_ENVOY_IMAGE;
 * the image is fixed at injection time).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "osmdiag/check.h"
#include "checks/check_impl.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define PROXY_LABEL OSMDIAG__PROXY_LABEL

/* ---- helpers (type messages, pod field validation) ---------------------- */

/* Injected pods (label osm-proxy-uuid, all namespaces); -1 on OOM (error emitted),
 * 0 when none (pass emitted), else the count. */
static long injected_pods(osmdiag__ctx *ctx, osmdiag__pods *pods)
{
	if (osmdiag__model_pods(ctx->m, NULL, PROXY_LABEL, pods) < 0) {
		osmdiag__emit_oom(ctx);
		return -1;
	}
	if (!pods->n) {
		osmdiag__emit(ctx, OSMDIAG_STATUS_PASS, "no injected pods (no pod labelled %s)", PROXY_LABEL);
		osmdiag__pods_free(pods);
		return 0;
	}
	return (long)pods->n;
}

/* ---- expected images ---------------------------------------------------------- */

typedef struct expect {
	const char *what;     /* "Envoy image" */
	const char *mc_path;  /* "spec.sidecar.envoyImage" */
	const char *env;      /* "OSM_DEFAULT_ENVOY_IMAGE" */
	const char *image;    /* NULL when undetermined */
	const char *source;   /* where it came from */
	char bad[192];        /* a MeshConfig field of a wrong type */
	size_t unknown;       /* pods examined while the image is undetermined */
	size_t ok;            /* pods running it */
} expect;

static void expect_init(const osmdiag__ctx *ctx, expect *e, const char *what, const char *mc_path,
	const char *env)
{
	const osmdiag__obj *mc = osmdiag__model_meshconfig(ctx->m);
	const char *s = NULL;
	int rc;

	memset(e, 0, sizeof(*e));
	e->what = what;
	e->mc_path = mc_path;
	e->env = env;
	rc = osmdiag__obj_get_str(mc, mc_path, &s);
	if (rc == OSMDIAG__F_WRONGTYPE) {
		snprintf(e->bad, sizeof(e->bad), "MeshConfig %s/osm-mesh-config %s is %s, expected a string",
			 ctx->m->mesh->namespace_, mc_path,
			 osmdiag__type_phrase(osmdiag__obj_type_name(osmdiag__obj_get(mc, mc_path))));
		return;
	}
	if (rc == OSMDIAG__F_OK && s[0]) {
		e->image = s;
		e->source = "MeshConfig";
		return;
	}
	s = osmdiag__model_injector_env(ctx->m, env);
	if (s && s[0]) {
		e->image = s;
		e->source = "osm-injector env";
	}
}

static const char *expect_source_text(const expect *e, char *buf, size_t len)
{
	if (e->source && strcmp(e->source, "MeshConfig") == 0)
		snprintf(buf, len, "MeshConfig %s", e->mc_path);
	else
		snprintf(buf, len, "osm-injector env %s", e->env);
	return buf;
}

/* ---- per-workload groups ----------------------------------------------------------- */

typedef struct wl_group {
	const char *ns;           /* the pods' (borrowed from the model) */
	char kind[16];
	char *name;
	const expect *exp;
	osmdiag__strlist images;  /* distinct wrong images ("none" when the container is absent) */
	osmdiag__strlist pods;    /* pods with a wrong image */
	size_t total;             /* injected pods of the workload examined */
} wl_group;

typedef struct wl_groups {
	wl_group *v;
	size_t n, cap;
	int oom;
} wl_groups;

static wl_group *group_for(wl_groups *g, const osmdiag__ctx *ctx, const osmdiag__pod *pod, const expect *e)
{
	char kind[sizeof(g->v->kind)], name[256];
	const char *ns = pod->namespace_;

	osmdiag__pod_workload(ctx->m, pod, kind, sizeof(kind), name, sizeof(name));
	if (!ns)
		ns = "";
	/* Pods arrive sorted by namespace and name, so a pod's group is almost
	 * always one of the newest: search from the end. A bare pod (or a Job's)
	 * is a group of its own: no search. */
	for (size_t i = strcmp(kind, "pod") != 0 ? g->n : 0; i-- > 0;)
		if (g->v[i].exp == e && strcmp(g->v[i].ns, ns) == 0 && strcmp(g->v[i].kind, kind) == 0 &&
		    strcmp(g->v[i].name, name) == 0)
			return &g->v[i];
	if (g->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 8;
		wl_group *v = realloc(g->v, cap * sizeof(*v));

		if (!v) {
			g->oom = 1;
			return NULL;
		}
		g->v = v;
		g->cap = cap;
	}
	memset(&g->v[g->n], 0, sizeof(g->v[g->n]));
	if (!(g->v[g->n].name = osmdiag__strdup(name))) {
		g->oom = 1;
		return NULL;
	}
	g->v[g->n].ns = ns;
	snprintf(g->v[g->n].kind, sizeof(g->v[g->n].kind), "%s", kind);
	g->v[g->n].exp = e;
	return &g->v[g->n++];
}

static void groups_free(wl_groups *g)
{
	for (size_t i = 0; i < g->n; i++) {
		free(g->v[i].name);
		osmdiag__strlist_free(&g->v[i].images);
		osmdiag__strlist_free(&g->v[i].pods);
	}
	free(g->v);
	memset(g, 0, sizeof(*g));
}

/* The restart command for a workload group. */
static void set_restart_fix(struct osmdiag_result *r, const wl_group *w)
{
	if (strcmp(w->kind, "deployment") == 0 || strcmp(w->kind, "statefulset") == 0 ||
	    strcmp(w->kind, "daemonset") == 0) {
		osmdiag__result_set_fix(r, "kubectl rollout restart %s/%s -n %s", w->kind, w->name, w->ns);
	} else {
		char *names = osmdiag__strlist_join(&w->pods, " ");

		osmdiag__result_set_fix(r, "kubectl delete pod %s -n %s", names ? names : w->name, w->ns);
		free(names);
	}
}

/* ---- OSMD701 / OSMD702 --------------------------------------------------------------- */

static void run_images(osmdiag__ctx *ctx, int init)
{
	const char *cname = init ? "osm-init" : "envoy";
	osmdiag__pods pods = { NULL, 0 };
	wl_groups groups = { NULL, 0, 0, 0 };
	expect lin, win;
	size_t problems = 0, windows = 0;
	char src[128];
	long n = injected_pods(ctx, &pods);

	if (n <= 0)
		return;
	if (init) {
		expect_init(ctx, &lin, "init container image", "spec.sidecar.initContainerImage",
			"OSM_DEFAULT_INIT_CONTAINER_IMAGE");
		memset(&win, 0, sizeof(win));
	} else {
		expect_init(ctx, &lin, "Envoy image", "spec.sidecar.envoyImage", "OSM_DEFAULT_ENVOY_IMAGE");
		expect_init(ctx, &win, "Windows Envoy image", "spec.sidecar.envoyWindowsImage",
			"OSM_DEFAULT_ENVOY_WINDOWS_IMAGE");
	}
	for (size_t i = 0; i < pods.n; i++) {
		const osmdiag__pod *pod = pods.v[i], *pi = pod;
		const char *ns = pod->namespace_, *pname = pod->name;
		const osmdiag__container_view *cv;
		const osmdiag__pod_view *pv;
		expect *e;
		wl_group *w;

		if (pi->bad) {
			problems++;
			osmdiag__emit_about(ctx, OSMDIAG_STATUS_ERROR, "Pod", ns, pname, "Pod %s/%s: %s; cannot read "
				"its %s",
				ns, pname, pi->bad, init ? "init containers" : "containers");
			continue;
		}
		pv = &pi->view;
		if (init && pv->windows) {
			/* Windows pods get no osm-init (FACTS §6) */
			windows++;
			continue;
		}
		e = pv->windows ? &win : &lin;
		if (pv->windows)
			windows++;
		if (e->bad[0] || !e->image) {
			e->unknown++;
			continue;
		}
		cv = init ? osmdiag__pod_view_init_container(pv, cname) :
			     osmdiag__pod_view_container(pv, cname);
		w = group_for(&groups, ctx, pod, e);
		if (!w)
			break;
		w->total++;
		if (cv && osmdiag__streq(cv->image, e->image)) {
			e->ok++;
		} else if (osmdiag__strlist_push_unique(&w->images, cv ? (cv->image ? cv->image : "(no "
			"image)") :
				"(none)") < 0 || osmdiag__strlist_push(&w->pods, pname ? pname : "?") < 0) {
			groups.oom = 1;
		}
	}
	if (groups.oom) {
		osmdiag__emit_oom(ctx);
		groups_free(&groups);
		osmdiag__pods_free(&pods);
		return;
	}
	for (size_t i = 0; i < groups.n; i++) {
		wl_group *w = &groups.v[i];
		struct osmdiag_result *r;
		int only_none;
		char *imgs;

		if (!w->pods.n)
			continue;
		problems++;
		imgs = osmdiag__strlist_join(&w->images, ", ");
		only_none = w->images.n == 1 && osmdiag__strlist_contains(&w->images, "(none)");
		r = osmdiag__emit_about(ctx, OSMDIAG_STATUS_WARN, w->kind, w->ns, w->name,
			"%s %s/%s: %zu/%zu injected pods run %s %s; expected %s (%s)", w->kind, w->ns,
			w->name, w->pods.n, w->total, cname,
			only_none ? "no container (missing)" : (imgs ? imgs : "?"), w->exp->image,
			expect_source_text(w->exp, src, sizeof(src)));
		free(imgs);
		if (strcmp(w->kind, "deployment") == 0 || strcmp(w->kind, "statefulset") == 0 ||
		    strcmp(w->kind, "daemonset") == 0)
			osmdiag__result_set_hint(r, "The %s is fixed when the injector adds the sidecar; "
				"upgrades and MeshConfig changes only reach new pods: restart the workload "
				"(if the expected image itself is wrong, fix %s first).", w->exp->what,
				expect_source_text(w->exp, src, sizeof(src)));
		else
			osmdiag__result_set_hint(r, "The %s is fixed when the injector adds the sidecar; "
				"this pod has no Deployment/StatefulSet/DaemonSet to restart it: delete it "
				"and re-create it from its original manifest (a Job or ReplicaSet re-creates "
				"it itself).", w->exp->what);
		set_restart_fix(r, w);
	}
	if (lin.bad[0] && lin.unknown) {
		problems++;
		osmdiag__emit_about(ctx, OSMDIAG_STATUS_ERROR, "MeshConfig", ctx->m->mesh->namespace_, "osm-mesh-config",
			"%s; cannot determine the expected %s", lin.bad, lin.what);
	} else if (lin.unknown) {
		problems++;
		osmdiag__emit(ctx, OSMDIAG_STATUS_SKIP, "cannot determine the expected %s for %zu pod%s: "
			"MeshConfig %s and osm-injector env %s are unset (see "
			"OSMD305)", lin.what, lin.unknown,
			lin.unknown == 1 ? "" : "s", lin.mc_path, lin.env);
	}
	if (win.bad[0] && win.unknown) {
		problems++;
		osmdiag__emit_about(ctx, OSMDIAG_STATUS_ERROR, "MeshConfig", ctx->m->mesh->namespace_, "osm-mesh-config",
			"%s; cannot determine the expected %s", win.bad, win.what);
	} else if (win.unknown) {
		problems++;
		osmdiag__emit(ctx, OSMDIAG_STATUS_SKIP, "cannot determine the expected %s for %zu Windows "
			"pod%s: MeshConfig %s and osm-injector env %s are unset (see "
			"OSMD305)", win.what, win.unknown,
			win.unknown == 1 ? "" : "s", win.mc_path, win.env);
	}
	if (!problems) {
		if (init && !lin.ok)
			osmdiag__emit(ctx, OSMDIAG_STATUS_PASS, "no Linux injected pods (%zu Windows pods "
				"have no osm-init)", windows);
		else if (!lin.ok)
			osmdiag__emit(ctx, OSMDIAG_STATUS_PASS, "%zu injected Windows pods run %s %s "
				"(%s)", win.ok,
				cname, win.image, expect_source_text(&win, src, sizeof(src)));
		else if (!win.ok)
			osmdiag__emit(ctx, OSMDIAG_STATUS_PASS, "%zu injected pods run %s %s "
				"(%s)%s", lin.ok, cname,
				lin.image, expect_source_text(&lin, src, sizeof(src)),
				init && windows ? "; Windows pods have no osm-init" : "");
		else
			osmdiag__emit(ctx, OSMDIAG_STATUS_PASS, "%zu injected Linux pods run %s %s, %zu "
				"Windows pods %s", lin.ok, cname, lin.image, win.ok, win.image);
	}
	groups_free(&groups);
	osmdiag__pods_free(&pods);
}

static void run_701(osmdiag__ctx *ctx) { run_images(ctx, 0); }
static void run_702(osmdiag__ctx *ctx) { run_images(ctx, 1); }

/* ---- OSMD703 ------------------------------------------------------------------------------ */

static void run_703(osmdiag__ctx *ctx)
{
	osmdiag__pods pods = { NULL, 0 };
	size_t problems = 0, examined = 0;
	long n = injected_pods(ctx, &pods);

	if (n <= 0)
		return;
	for (size_t i = 0; i < pods.n; i++) {
		const osmdiag__pod *pod = pods.v[i], *pi = pod;
		const char *ns = pod->namespace_, *pname = pod->name;
		const osmdiag__container_view *cv;
		osmdiag__buf b = OSMDIAG__BUF_INIT;
		const osmdiag__pod_view *pv;
		struct osmdiag_result *r;

		if (pi->bad) {
			problems++;
			osmdiag__emit_about(ctx, OSMDIAG_STATUS_ERROR, "Pod", ns, pname, "Pod %s/%s: %s; cannot read "
				"the envoy container", ns, pname, pi->bad);
			continue;
		}
		pv = &pi->view;
		cv = osmdiag__pod_view_container(pv, "envoy");
		/* finished pods and pods without the sidecar (OSMD701) are not examined */
		if (!cv || strcmp(pv->phase, "Succeeded") == 0 || strcmp(pv->phase, "Failed") == 0)
			continue;
		examined++;
		if (!cv->has_status) {
			osmdiag__buf_printf(&b, "envoy has no status (pod phase %s)", pv->phase);
		} else {
			if (strcmp(cv->state, "waiting") == 0)
				osmdiag__buf_printf(&b, "envoy waiting (%s)", cv->reason ? cv->reason : "no "
					"reason");
			else if (strcmp(cv->state, "terminated") == 0)
				osmdiag__buf_printf(&b, "envoy terminated "
					"(%s)", cv->reason ? cv->reason : "no reason");
			else if (!cv->ready)
				osmdiag__buf_puts(&b, "envoy not ready");
			if (cv->restarts > 0) {
				osmdiag__buf_printf(&b, "%senvoy restarted %lld "
					"times", b.len ? ", " : "", cv->restarts);
				if (cv->last_reason)
					osmdiag__buf_printf(&b, " (last: %s, exit code "
						"%lld)", cv->last_reason,
						cv->last_exit_code);
			}
		}
		if (b.oom) {
			problems++;
			osmdiag__emit_oom(ctx);
		} else if (b.len) {
			problems++;
			r = osmdiag__emit_about(ctx, OSMDIAG_STATUS_WARN, "Pod", ns, pname,
				"Pod %s/%s: %s; expected envoy ready with 0 restarts", ns, pname, b.ptr);
			if (osmdiag__streq(cv->last_reason, "OOMKilled") ||
			    osmdiag__streq(cv->reason, "OOMKilled"))
				osmdiag__result_set_hint(r, "Envoy was OOM-killed: raise "
					"spec.sidecar.resources.limits.memory in the MeshConfig, then "
					"restart the workload.");
			else if (cv->reason && strstr(cv->reason, "Image"))
				osmdiag__result_set_hint(r, "The Envoy image cannot be pulled: check the "
					"image (OSMD701) and that the node reaches its registry.");
			else if (osmdiag__streq(cv->reason, "CreateContainerConfigError"))
				osmdiag__result_set_hint(r, "The sidecar's bootstrap Secret "
					"envoy-bootstrap-config-<uuid> may be missing: restart the workload "
					"so the injector creates a new one.");
			else
				osmdiag__result_set_hint(r, "An Envoy that is not ready has no configuration "
					"from osm-controller (check OSMD101-104) or cannot start: its logs "
					"say which; the pod's traffic fails meanwhile.");
			if (cv->restarts > 0)
				osmdiag__result_set_fix(r, "kubectl logs %s -n %s -c envoy "
					"--previous", pname, ns);
			else
				osmdiag__result_set_fix(r, "kubectl logs %s -n %s -c envoy", pname, ns);
		}
		osmdiag__buf_free(&b);
	}
	if (!problems)
		osmdiag__emit(ctx, OSMDIAG_STATUS_PASS, "%zu/%zu envoy sidecars of running pods ready, 0 "
			"restarts",
			examined, examined);
	osmdiag__pods_free(&pods);
}

/* ---- the table ------------------------------------------------------------------------------ */

#define GUIDE_ENVOY "Upgrading Envoy (the image is fixed at injection: patch the MeshConfig image, then " \
	"`kubectl rollout restart`)"
#define IMG_NEEDS (OSMDIAG__NEED_POD_MESHED | OSMDIAG__NEED_MESHCONFIG | OSMDIAG__NEED_DEPLOYMENT | \
	OSMDIAG__NEED_REPLICASET_MESHED)

const osmdiag__check_def osmdiag__checks_dataplane[] = {
	{ "OSMD701", "dataplane", "Envoy image current", "warn",
	  "Every pod labelled osm-proxy-uuid runs container envoy with the expected image: MeshConfig "
	  "spec.sidecar.envoyImage, else osm-injector env OSM_DEFAULT_ENVOY_IMAGE (Windows pods: "
	  "envoyWindowsImage / OSM_DEFAULT_ENVOY_WINDOWS_IMAGE); one result per workload.",
	  "The Envoy image is fixed when the pod is injected: after an OSM upgrade or an image change old "
	  "pods keep an Envoy the control plane may no longer configure correctly (xDS incompatibilities, "
	  "missing security fixes), and the mesh runs mixed proxy versions.",
	  "Restart each listed workload so the injector re-injects the current image: `kubectl rollout "
	  "restart deployment/<name> -n <ns>`; if the expected image is wrong, patch MeshConfig "
	  "spec.sidecar.envoyImage first.",
	  GUIDE_ENVOY, IMG_NEEDS, NULL, run_701 },
	{ "OSMD702", "dataplane", "init container image current", "warn",
	  "Every injected Linux pod runs init container osm-init with MeshConfig "
	  "spec.sidecar.initContainerImage, else osm-injector env OSM_DEFAULT_INIT_CONTAINER_IMAGE (Windows "
	  "pods have no osm-init); one result per workload.",
	  "osm-init programs the iptables redirection to Envoy; an old image may miss rules newer releases "
	  "rely on (exclusion lists, network interface exclusions), so traffic bypasses or loops around the "
	  "sidecar.",
	  "Restart each listed workload (`kubectl rollout restart deployment/<name> -n <ns>`).",
	  GUIDE_ENVOY, IMG_NEEDS, NULL, run_702 },
	{ "OSMD703", "dataplane", "sidecars healthy", "warn",
	  "The envoy container of every running injected pod is ready, has restartCount 0 and is not waiting "
	  "(CrashLoopBackOff, ImagePullBackOff, ...); one result per pod.",
	  "A pod whose Envoy is not ready or restarts loses its inbound and outbound traffic: all of the "
	  "pod's connections go through the sidecar.",
	  "Read the sidecar's logs (`kubectl logs <pod> -n <ns> -c envoy --previous`), fix the cause "
	  "(control plane unreachable, OOM: raise spec.sidecar.resources), then restart the workload.",
	  GUIDE_ENVOY, OSMDIAG__NEED_POD_MESHED, NULL, run_703 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL }
};
