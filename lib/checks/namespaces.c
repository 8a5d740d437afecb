/*
 * Checks of the category "namespaces" (OSMD401-405): namespace onboarding,
 * injection annotations and pods missing their sidecar.
 *
 * Guide: "Check namespaces". Facts: FACTS.md section 6 (inject decision in
 * pkg/injector/webhook.go mustInject) and 3.2 #11.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "osmdiag/check.h"
#include "checks/check_impl.h"

#define L_MONITORED "openservicemesh.io/monitored-by"
#define L_IGNORE "openservicemesh.io/ignore"
#define A_INJECT "openservicemesh.io/sidecar-injection"
#define S(x) ((x) ? (x) : "")

/* ---- helpers ----------------------------------------------------------------- */

static const osmdiag__obj *meta_member(const osmdiag__obj *o, const char *map, const char *key)
{
	const osmdiag__obj *mm = osmdiag__obj_member(osmdiag__obj_member(o, "metadata"), map);
	const osmdiag__obj *v = osmdiag__obj_member(mm, key);

	return v && strcmp(osmdiag__obj_type_name(v), "null") != 0 ? v : NULL;
}

static const osmdiag__obj *label_node(const osmdiag__obj *o, const char *key)
{
	return meta_member(o, "labels", key);
}

static const osmdiag__obj *ann_node(const osmdiag__obj *o, const char *key)
{
	return meta_member(o, "annotations", key);
}

/* Injection annotation value: 1 enabled, 0 disabled, -1 invalid (FACTS 6: case-insensitive). */
static int inject_value(const char *s)
{
	static const char *const on[] = { "enabled", "yes", "true" };
	static const char *const off[] = { "disabled", "no", "false" };

	if (!s)
		return -1;
	for (size_t i = 0; i < 3; i++) {
		if (osmdiag__strcaseeq(s, on[i]))
			return 1;
		if (osmdiag__strcaseeq(s, off[i]))
			return 0;
	}
	return -1;
}

/* Annotation state of an object: -2 absent, -1 invalid/wrong type, 0 disabled, 1 enabled. */
/* From the annotation's value (NULL: no annotation, -2). */
static int inject_state_of(const osmdiag__obj *v)
{
	if (!v)
		return -2;
	return inject_value(osmdiag__obj_string_value(v));
}

static int inject_state(const osmdiag__obj *o)
{
	return inject_state_of(ann_node(o, A_INJECT));
}

/* What the user most likely meant by an invalid value. */
static const char *guess_value(const char *s)
{
	static const char *const off[] = { "dis", "no", "n", "off", "0", "f", "false" };

	for (size_t i = 0; s && i < sizeof(off) / sizeof(off[0]); i++) {
		size_t n = strlen(off[i]);
		char head[8];

		if (strlen(s) < n)
			continue;
		snprintf(head, sizeof(head), "%.*s", (int)n, s);
		if (osmdiag__strcaseeq(head, off[i]))
			return "disabled";
	}
	return "enabled";
}

static int is_control_plane_ns(const osmdiag__model *m, const char *ns)
{
	return osmdiag__streq(ns, "kube-system") || osmdiag__streq(ns, "kube-public") ||
		osmdiag__streq(ns, m->mesh->namespace_);
}

/* 1 when namespace `nso` carries label monitored-by=<this mesh> (string). */
static int monitored_here(const osmdiag__model *m, const osmdiag__obj *nso)
{
	return osmdiag__streq(osmdiag__obj_string_value(label_node(nso, L_MONITORED)), m->mesh->name);
}

static const char *kind_title(const char *kind)
{
	if (!strcmp(kind, "deployment"))
		return "Deployment";
	if (!strcmp(kind, "statefulset"))
		return "StatefulSet";
	if (!strcmp(kind, "daemonset"))
		return "DaemonSet";
	if (!strcmp(kind, "replicaset"))
		return "ReplicaSet";
	return "Pod";
}

static int restartable(const char *kind)
{
	return !strcmp(kind, "deployment") || !strcmp(kind, "statefulset") || !strcmp(kind, "daemonset");
}

static const char *an(const char *type)
{
	return type && (type[0] == 'a' || type[0] == 'i' || type[0] == 'o') ? "an" : "a";
}

/* ---- OSMD401 namespace onboarding complete --------------------------------------------- */

static void check_onboarding(osmdiag__ctx *ctx)
{
	const osmdiag__model *m = ctx->m;
	const char *mesh = m->mesh->name;
	osmdiag__objs nss = { NULL, 0 };
	osmdiag__strlist ok = OSMDIAG__STRLIST_INIT;
	struct osmdiag_result *r;
	size_t nprob = 0;

	osmdiag__model_list(m, "Namespace", NULL, NULL, &nss);
	for (size_t i = 0; i < nss.n; i++) {
		const osmdiag__obj *nso = nss.v[i];
		const char *ns = osmdiag__obj_name(nso);
		const osmdiag__obj *lab = label_node(nso, L_MONITORED);
		int state = inject_state(nso);

		if (!ns || is_control_plane_ns(m, ns))
			continue; /* OSMD402 */
		if (monitored_here(m, nso)) {
			if (state == 1) {
				osmdiag__strlist_push(&ok, ns);
			} else if (state == 0) {
				r = osmdiag__emit(ctx, OSMDIAG_STATUS_INFO, "namespace %s is monitored by "
					"mesh %s with %s=%s: only pods annotated %s=enabled get a sidecar",
					ns, mesh, A_INJECT,
					S(osmdiag__obj_annotation(nso, A_INJECT)), A_INJECT);
				osmdiag__result_set_resource(r, "Namespace", NULL, ns);
				osmdiag__result_set_hint(r, "Injection is disabled for the namespace on "
					"purpose (osm namespace add --disable-sidecar-injection); a pod "
					"annotation enabled overrides it. To inject the whole namespace, "
					"annotate it enabled.");
				osmdiag__result_set_fix(r, "kubectl annotate namespace %s %s=enabled "
					"--overwrite", ns,
					A_INJECT);
				nprob++;
			} else if (state == -2) {
				osmdiag__pods pods = { NULL, 0 };
				size_t npods = 0, nann = 0;

				osmdiag__model_pods(m, ns, NULL, &pods);
				for (size_t k = 0; k < pods.n; k++) {
					const osmdiag__pod_view *pv = &pods.v[k]->view;

					if (pv->host_network || osmdiag__streq(pv->phase, "Succeeded") ||
					    osmdiag__streq(pv->phase, "Failed"))
						continue;
					npods++;
					if (inject_state_of(pods.v[k]->inject) == 1)
						nann++;
				}
				osmdiag__pods_free(&pods);
				if (npods && nann == npods) {
					r = osmdiag__emit(ctx, OSMDIAG_STATUS_INFO, "namespace %s is "
						"monitored by mesh %s without the %s annotation; all %zu "
						"pod(s) opt in with the pod annotation",
						ns, mesh, A_INJECT, npods);
					osmdiag__result_set_resource(r, "Namespace", NULL, ns);
					osmdiag__result_set_hint(r, "Per-pod injection is valid: the label "
						"is mandatory, the annotation may be on the pod instead of "
						"the namespace (the AKS guide says both are needed on the "
						"namespace).");
				} else {
					r = osmdiag__emit(ctx, OSMDIAG_STATUS_WARN, "namespace %s has label "
						"%s=%s but no annotation %s; %zu of %zu pod(s) opt in "
						"themselves, the rest get no sidecar",
						ns, L_MONITORED, mesh, A_INJECT, nann, npods);
					osmdiag__result_set_resource(r, "Namespace", NULL, ns);
					osmdiag__result_set_hint(r, "Annotate the namespace so the injector "
						"adds Envoy to new pods, then restart its workloads "
						"(OSMD404). The label is mandatory; the annotation may "
						"instead be on each pod (pod annotation enabled), which the "
						"AKS guide's \"needs both\" omits. `osm "
						"namespace add` does nothing here: it skips namespaces "
						"already labelled for the mesh.");
					osmdiag__result_set_fix(r, "kubectl annotate namespace %s %s=enabled",
						ns,
						A_INJECT);
				}
				nprob++;
			}
			/* state -1: OSMD403 */
		} else if (state == 1 && !lab) {
			r = osmdiag__emit(ctx, OSMDIAG_STATUS_WARN, "namespace %s has annotation %s=%s but "
				"no label %s=%s: the injector never sees its pods", ns, A_INJECT,
				S(osmdiag__obj_annotation(nso, A_INJECT)), L_MONITORED, mesh);
			osmdiag__result_set_resource(r, "Namespace", NULL, ns);
			osmdiag__result_set_hint(r, "The mutating webhook selects namespaces by the label "
				"%s=%s; the annotation alone does nothing. Label it (or run `osm namespace "
				"add %s --mesh-name %s`, which sets both), then restart its workloads.",
				L_MONITORED, mesh, ns,
				mesh);
			osmdiag__result_set_fix(r, "kubectl label namespace %s %s=%s", ns, L_MONITORED, mesh);
			nprob++;
		}
		/* labelled for another mesh or wrong type: OSMD405 */
	}
	if (!nprob) {
		char *list = osmdiag__strlist_join(&ok, ", ");

		if (ok.n)
			r = osmdiag__emit(ctx, OSMDIAG_STATUS_PASS, "%zu namespace(s) onboarded to mesh %s "
				"with label and annotation: %s", ok.n, mesh, S(list));
		else
			r = osmdiag__emit(ctx, OSMDIAG_STATUS_INFO, "no namespace is monitored by mesh %s "
				"(label %s=%s)",
				mesh, L_MONITORED, mesh);
		if (!ok.n)
			osmdiag__result_set_hint(r, "Add application namespaces with `osm namespace add <ns> "
				"--mesh-name %s` (sets the label and the annotation).", mesh);
		free(list);
	}
	osmdiag__strlist_free(&ok);
	osmdiag__objs_free(&nss);
}

/* ---- OSMD402 control-plane namespaces not in mesh ---------------------------------------- */

static void check_control_plane_ns(osmdiag__ctx *ctx)
{
	const osmdiag__model *m = ctx->m;
	const char *names[3] = { "kube-system", "kube-public", m->mesh->namespace_ };
	osmdiag__strlist clean = OSMDIAG__STRLIST_INIT;
	struct osmdiag_result *r;
	size_t nbad = 0;

	for (size_t i = 0; i < 3; i++) {
		const osmdiag__obj *nso;
		const osmdiag__obj *lab, *ann;
		osmdiag__buf fix = OSMDIAG__BUF_INIT;
		char *lv, *av;

		if ((i == 2 && (!strcmp(names[2], "kube-system") || !strcmp(names[2], "kube-public"))))
			continue;
		nso = osmdiag__model_get(m, "Namespace", NULL, names[i]);
		if (!nso)
			continue;
		lab = label_node(nso, L_MONITORED);
		ann = ann_node(nso, A_INJECT);
		if (!lab && !ann) {
			osmdiag__strlist_push(&clean, names[i]);
			continue;
		}
		lv = lab ? osmdiag__obj_dump(lab) : NULL;
		av = ann ? osmdiag__obj_dump(ann) : NULL;
		r = osmdiag__emit(ctx, OSMDIAG_STATUS_FAIL, "namespace %s%s carries %s%s%s%s%s; "
			"control-plane namespaces must carry neither",
			names[i], !strcmp(names[i], m->mesh->namespace_) ?
			" (mesh namespace)" : "",
			lab ? "label " L_MONITORED "=" : "", lab ? S(lv) : "", lab && ann ? " and " : "",
			ann ? "annotation " A_INJECT "=" : "", ann ? S(av) : "");
		osmdiag__result_set_resource(r, "Namespace", NULL, names[i]);
		osmdiag__result_set_hint(r, "OSM never injects kube-system, kube-public or its own "
			"namespace, but the label puts the namespace under the injector webhook "
			"(failurePolicy Fail): when osm-injector is down, system pods there cannot be "
			"created, and the controller watches control-plane pods as mesh workloads. The AKS "
			"guide: kube-system is never labelled or annotated. Remove them (or `osm namespace "
			"remove %s`).", names[i]);
		if (lab)
			osmdiag__buf_printf(&fix, "kubectl label namespace %s %s-", names[i], L_MONITORED);
		if (ann)
			osmdiag__buf_printf(&fix, "%skubectl annotate namespace %s %s-", lab ? " && "
				: "", names[i],
				A_INJECT);
		osmdiag__result_set_fix(r, "%s", S(fix.ptr));
		osmdiag__buf_free(&fix);
		free(lv);
		free(av);
		nbad++;
	}
	if (!nbad) {
		char *list = osmdiag__strlist_join(&clean, ", ");

		r = osmdiag__emit(ctx, OSMDIAG_STATUS_PASS, "control-plane namespaces (%s) carry neither %s "
			"nor %s",
			clean.n ? S(list) : "none found", L_MONITORED, A_INJECT);
		free(list);
	}
	osmdiag__strlist_free(&clean);
}

/* ---- OSMD403 injection annotation values valid ----------------------------------------- */

static void emit_bad_value(osmdiag__ctx *ctx, const char *what, const char *kind, const char *ns,
	const char *name, const osmdiag__obj *v, const char *fix_fmt_kind)
{
	const char *s = osmdiag__obj_string_value(v);
	const char *type = osmdiag__obj_type_name(v);
	const char *guess = guess_value(s);
	struct osmdiag_result *r;
	char *dump = osmdiag__obj_dump(v);

	if (s)
		r = osmdiag__emit(ctx, OSMDIAG_STATUS_FAIL, "%s has %s=\"%s\"; valid values are enabled, "
			"yes, true, disabled, no, false (any case)", what, A_INJECT, s);
	else
		r = osmdiag__emit(ctx, OSMDIAG_STATUS_FAIL, "%s has %s set to %s %s (%s); annotation values "
			"are strings: enabled, yes, true, disabled, no, false",
			what, A_INJECT, an(type), type, S(dump));
	osmdiag__result_set_resource(r, kind, ns, name);
	osmdiag__result_set_hint(r, "The injector rejects every new pod it sees with this value (\"Invalid "
		"annotation value for key %s\"), so the workload cannot create pods. Use enabled to inject "
		"or disabled to opt out (the fix assumes %s).", A_INJECT, guess);
	if (!strcmp(fix_fmt_kind, "namespace"))
		osmdiag__result_set_fix(r, "kubectl annotate namespace %s %s=%s --overwrite", name, A_INJECT,
			guess);
	else if (!strcmp(fix_fmt_kind, "pod"))
		osmdiag__result_set_fix(r, "kubectl annotate pod %s -n %s %s=%s --overwrite", name, ns,
			A_INJECT, guess);
	else
		osmdiag__result_set_fix(r, "kubectl patch %s %s -n %s --type=merge -p "
			"'{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"%s\":\"%s\"}}}}}'",
			fix_fmt_kind, name, ns, A_INJECT, guess);
	free(dump);
}

static void check_annotation_values(osmdiag__ctx *ctx)
{
	const osmdiag__model *m = ctx->m;
	osmdiag__objs nss = { NULL, 0 }, rss = { NULL, 0 };
	osmdiag__pods pods = { NULL, 0 };
	osmdiag__strlist reported = OSMDIAG__STRLIST_INIT, monitored = OSMDIAG__STRLIST_INIT;
	struct osmdiag_result *r;
	size_t nbad = 0, nchecked = 0;
	char what[512];

	osmdiag__model_list(m, "Namespace", NULL, NULL, &nss);
	for (size_t i = 0; i < nss.n; i++) {
		const char *ns = osmdiag__obj_name(nss.v[i]);
		const osmdiag__obj *v = ann_node(nss.v[i], A_INJECT);

		if (monitored_here(m, nss.v[i]))
			osmdiag__strlist_push(&monitored, S(ns));
		if (!v)
			continue;
		nchecked++;
		if (inject_value(osmdiag__obj_string_value(v)) >= 0)
			continue;
		snprintf(what, sizeof(what), "namespace %s%s", S(ns), monitored_here(m, nss.v[i]) ? "" :
			" (not monitored yet)");
		emit_bad_value(ctx, what, "Namespace", NULL, ns, v, "namespace");
		nbad++;
	}
	/*
	 * Pod templates of the current ReplicaSets (spec.replicas > 0) in monitored
	 * namespaces: with a bad value their pods are rejected, so no pod shows it.
	 * (ReplicaSets are read in the monitored namespaces, Deployments only in the mesh namespace.)
	 */
	osmdiag__model_list(m, "ReplicaSet", NULL, NULL, &rss);
	for (size_t i = 0; i < rss.n; i++) {
		const char *ns = osmdiag__obj_namespace(rss.v[i]);
		const char *name = osmdiag__obj_name(rss.v[i]);
		const osmdiag__obj *v = ann_node(osmdiag__obj_get(rss.v[i], "spec.template"), A_INJECT);
		const osmdiag__obj *refs = osmdiag__obj_get(rss.v[i], "metadata.ownerReferences");
		const char *dep = NULL;
		long long replicas = 1;

		if (!v || !osmdiag__strlist_contains(&monitored, S(ns)))
			continue;
		osmdiag__obj_get_int(rss.v[i], "spec.replicas", &replicas);
		if (replicas <= 0)
			continue; /* an old revision */
		nchecked++;
		if (inject_value(osmdiag__obj_string_value(v)) >= 0)
			continue;
		for (size_t k = 0; k < osmdiag__obj_len(refs); k++)
			if (osmdiag__streq(osmdiag__obj_str(osmdiag__obj_at(refs, k), "kind"), "Deployment"))
				dep = osmdiag__obj_str(osmdiag__obj_at(refs, k), "name");
		if (dep) {
			snprintf(what, sizeof(what), "deployment/%s in %s (pod template)", dep, S(ns));
			emit_bad_value(ctx, what, "Deployment", ns, dep, v, "deployment");
			snprintf(what, sizeof(what), "%s/deployment/%s", S(ns), dep);
		} else {
			snprintf(what, sizeof(what), "replicaset/%s in %s (pod template)", S(name), S(ns));
			emit_bad_value(ctx, what, "ReplicaSet", ns, name, v, "replicaset");
			snprintf(what, sizeof(what), "%s/replicaset/%s", S(ns), S(name));
		}
		osmdiag__strlist_push(&reported, what);
		nbad++;
	}
	/* Pods in monitored namespaces, one result per owning workload. */
	osmdiag__model_pods(m, NULL, NULL, &pods);
	for (size_t i = 0; i < pods.n; i++) {
		const char *ns = pods.v[i]->namespace_, *pname = pods.v[i]->name;
		const osmdiag__obj *v = pods.v[i]->inject;
		char kind[32], name[256], key[600];

		if (!v || !osmdiag__strlist_contains(&monitored, S(ns)))
			continue;
		nchecked++;
		if (inject_value(osmdiag__obj_string_value(v)) >= 0)
			continue;
		osmdiag__pod_workload(m, pods.v[i], kind, sizeof(kind), name, sizeof(name));
		snprintf(key, sizeof(key), "%s/%s/%s", S(ns), kind, name);
		if (osmdiag__strlist_contains(&reported, key))
			continue;
		osmdiag__strlist_push(&reported, key);
		if (restartable(kind)) {
			snprintf(what, sizeof(what), "%s/%s in %s (pod %s)", kind, name, S(ns), pname);
			emit_bad_value(ctx, what, kind_title(kind), ns, name, v, kind);
		} else {
			snprintf(what, sizeof(what), "pod %s/%s", S(ns), pname);
			emit_bad_value(ctx, what, "Pod", ns, pname, v, "pod");
		}
		nbad++;
	}
	if (!nbad)
		r = osmdiag__emit(ctx, OSMDIAG_STATUS_PASS, "%zu %s annotation(s) on namespaces, pod "
			"templates and pods all hold valid values", nchecked, A_INJECT);
	(void)r;
	osmdiag__strlist_free(&reported);
	osmdiag__strlist_free(&monitored);
	osmdiag__objs_free(&nss);
	osmdiag__objs_free(&rss);
	osmdiag__pods_free(&pods);
}

/* ---- OSMD404 pods missing the sidecar ------------------------------------------------------ */

typedef struct missing_group {
	char ns[256];
	char kind[32];
	char name[256];
	int resolved;        /* pod_workload found a workload */
	int owned;           /* pod has ownerReferences */
	osmdiag__strlist pods;
} missing_group;

static missing_group *group_for(missing_group **groups, size_t *n, size_t *cap, const char *ns,
	const char *kind, const char *name)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*groups)[i].ns, ns) && !strcmp((*groups)[i].kind, kind) &&
		    !strcmp((*groups)[i].name, name))
			return &(*groups)[i];
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 8;
		missing_group *g = realloc(*groups, nc * sizeof(*g));

		if (!g)
			return NULL;
		*groups = g;
		*cap = nc;
	}
	memset(&(*groups)[*n], 0, sizeof(missing_group));
	snprintf((*groups)[*n].ns, sizeof((*groups)[*n].ns), "%s", ns);
	snprintf((*groups)[*n].kind, sizeof((*groups)[*n].kind), "%s", kind);
	snprintf((*groups)[*n].name, sizeof((*groups)[*n].name), "%s", name);
	return &(*groups)[(*n)++];
}

static void check_missing_sidecar(osmdiag__ctx *ctx)
{
	const osmdiag__model *m = ctx->m;
	osmdiag__objs nss = { NULL, 0 };
	osmdiag__strlist injecting = OSMDIAG__STRLIST_INIT;
	missing_group *groups = NULL;
	size_t ngroups = 0, cap = 0, npods = 0, nerr = 0;
	struct osmdiag_result *r;

	osmdiag__model_list(m, "Namespace", NULL, NULL, &nss);
	for (size_t i = 0; i < nss.n; i++) {
		const osmdiag__obj *nso = nss.v[i];
		const char *ns = osmdiag__obj_name(nso);
		int ns_state = inject_state(nso);
		osmdiag__pods pods = { NULL, 0 };
		int any = 0;

		/* mustInject: monitored, not a control-plane namespace, not ignored by the webhook */
		if (!ns || !monitored_here(m, nso) || is_control_plane_ns(m, ns) || label_node(nso, L_IGNORE))
			continue;
		osmdiag__model_pods(m, ns, NULL, &pods);
		for (size_t k = 0; k < pods.n; k++) {
			const osmdiag__pod *pod = pods.v[k];
			const osmdiag__obj *cs = osmdiag__obj_get(pod->spec, "containers");
			const osmdiag__pod_view *pv;
			int pod_state = inject_state_of(pod->inject), inject;
			char kind[32], name[256];
			missing_group *g;

			if (pod_state == -1 || (pod_state == -2 && ns_state == -1))
				continue; /* OSMD403 */
			inject = pod_state == 1 || (pod_state == -2 && ns_state == 1);
			if (!inject)
				continue;
			pv = &pod->view;
			if (!strcmp(pv->phase, "Succeeded") || !strcmp(pv->phase, "Failed") ||
			    pv->host_network)
				continue;
			any = 1;
			npods++;
			if (!osmdiag__obj_is_array(cs)) {
				const char *t = osmdiag__obj_type_name(cs);

				r = osmdiag__emit(ctx, OSMDIAG_STATUS_ERROR, "pod %s/%s: spec.containers is "
					"%s %s, not an array; cannot tell whether it has the envoy sidecar",
					ns, S(pv->name), an(t), t);
				osmdiag__result_set_resource(r, "Pod", ns, pv->name);
				nerr++;
			} else if (!osmdiag__pod_view_container(pv, "envoy")) {
				int resolved = osmdiag__pod_workload(m, pod, kind, sizeof(kind), name,
					sizeof(name));

				if (!restartable(kind)) {
					snprintf(kind, sizeof(kind), "pod");
					snprintf(name, sizeof(name), "%s", S(pv->name));
				}
				g = group_for(&groups, &ngroups, &cap, ns, kind, name);
				if (g) {
					g->resolved = resolved && restartable(kind);
					g->owned = osmdiag__obj_len(pod->owner_refs) > 0;
					osmdiag__strlist_push(&g->pods, S(pv->name));
				}
			}
		}
		osmdiag__pods_free(&pods);
		(void)any;
		osmdiag__strlist_push(&injecting, ns);
	}
	for (size_t i = 0; i < ngroups; i++) {
		missing_group *g = &groups[i];
		char *list = osmdiag__strlist_join(&g->pods, ", ");

		if (g->resolved) {
			r = osmdiag__emit(ctx, OSMDIAG_STATUS_WARN, "%s/%s in namespace %s: %zu pod(s) "
				"without the envoy sidecar (%s) although the namespace injects",
				g->kind, g->name, g->ns, g->pods.n, S(list));
			osmdiag__result_set_resource(r, kind_title(g->kind), g->ns, g->name);
			osmdiag__result_set_hint(r, "Sidecars are injected only when a pod is created: these "
				"pods predate onboarding (the AKS guide: after `osm namespace add` only new "
				"pods get Envoy). Restart the workload; if new pods still lack envoy, check "
				"the injector and its webhook (OSMD111-114, OSMD211-214).");
			osmdiag__result_set_fix(r, "kubectl rollout restart %s/%s -n %s",
				g->kind, g->name, g->ns);
		} else {
			r = osmdiag__emit(ctx, OSMDIAG_STATUS_WARN, "pod %s/%s has no envoy sidecar although "
				"the namespace injects", g->ns, g->name);
			osmdiag__result_set_resource(r, "Pod", g->ns, g->name);
			if (g->owned) {
				osmdiag__result_set_hint(r, "Sidecars are injected only at pod creation. The "
					"pod's owner recreates it when it is deleted.");
				osmdiag__result_set_fix(r, "kubectl delete pod %s -n %s", g->name, g->ns);
			} else {
				osmdiag__result_set_hint(r, "Sidecars are injected only at pod creation; a "
					"bare pod must be recreated.");
				osmdiag__result_set_fix(r, "kubectl get pod %s -n %s -o yaml | kubectl "
					"replace --force -f -", g->name, g->ns);
			}
		}
		free(list);
		osmdiag__strlist_free(&g->pods);
	}
	if (!ngroups && !nerr) {
		char *list = osmdiag__strlist_join(&injecting, ", ");

		if (injecting.n)
			r = osmdiag__emit(ctx, OSMDIAG_STATUS_PASS, "all %zu pod(s) that should be injected "
				"in %zu namespace(s) (%s) have the envoy sidecar",
				npods, injecting.n, S(list));
		else
			r = osmdiag__emit(ctx, OSMDIAG_STATUS_PASS, "no namespace injects sidecars for mesh "
				"%s; nothing to check", m->mesh->name);
		free(list);
	}
	free(groups);
	osmdiag__strlist_free(&injecting);
	osmdiag__objs_free(&nss);
}

/* ---- OSMD405 namespace mesh mismatch ------------------------------------------------------- */

static void check_mesh_mismatch(osmdiag__ctx *ctx)
{
	const osmdiag__model *m = ctx->m;
	const char *mesh = m->mesh->name;
	osmdiag__objs nss = { NULL, 0 };
	osmdiag__strlist names = OSMDIAG__STRLIST_INIT;
	struct osmdiag_result *r;
	size_t nmon = 0, nprob = 0, nother = 0;
	char *known;

	for (size_t i = 0; i < m->nmeshes; i++)
		osmdiag__strlist_push_unique(&names, S(m->meshes[i].name));
	known = osmdiag__strlist_join(&names, ", ");
	osmdiag__model_list(m, "Namespace", NULL, NULL, &nss);
	for (size_t i = 0; i < nss.n; i++) {
		const osmdiag__obj *nso = nss.v[i];
		const char *ns = osmdiag__obj_name(nso);
		const osmdiag__obj *lab = label_node(nso, L_MONITORED);
		const osmdiag__obj *ign = label_node(nso, L_IGNORE);
		const char *v = osmdiag__obj_string_value(lab);

		if (!lab || !ns)
			continue;
		if (!v) {
			const char *t = osmdiag__obj_type_name(lab);
			char *dump = osmdiag__obj_dump(lab);

			r = osmdiag__emit(ctx, OSMDIAG_STATUS_WARN, "namespace %s label %s is %s %s (%s), "
				"not a string naming a mesh", ns, L_MONITORED, an(t), t, S(dump));
			osmdiag__result_set_resource(r, "Namespace", NULL, ns);
			osmdiag__result_set_hint(r, "Label values are strings; the webhook and the "
				"controller match the mesh name %s exactly.", mesh);
			osmdiag__result_set_fix(r, "kubectl label namespace %s %s=%s --overwrite",
				ns, L_MONITORED,
				mesh);
			free(dump);
			nprob++;
			continue;
		}
		if (!strcmp(v, mesh)) {
			nmon++;
			if (ign) {
				r = osmdiag__emit(ctx, OSMDIAG_STATUS_WARN, "namespace %s is monitored by "
					"mesh %s but also labelled %s: the injector webhook skips it",
					ns, mesh, L_IGNORE);
				osmdiag__result_set_resource(r, "Namespace", NULL, ns);
				osmdiag__result_set_hint(r, "The webhooks' namespaceSelector requires %s to "
					"be absent (any value, even \"false\", excludes the namespace), "
					"while the controller still programs it: new pods get no sidecar. "
					"Remove the ignore label, or take the namespace out of the mesh with "
					"`osm namespace remove %s --mesh-name %s`.", L_IGNORE, ns, mesh);
				osmdiag__result_set_fix(r, "kubectl label namespace %s %s-", ns, L_IGNORE);
				nprob++;
			}
			continue;
		}
		if (osmdiag__strlist_contains(&names, v)) {
			nother++;
			continue; /* belongs to another discovered mesh: fine */
		}
		r = osmdiag__emit(ctx, OSMDIAG_STATUS_WARN, "namespace %s has %s=\"%s\", but no mesh of that "
			"name exists (meshes found: %s)", ns, L_MONITORED, v, S(known));
		osmdiag__result_set_resource(r, "Namespace", NULL, ns);
		osmdiag__result_set_hint(r, "No control plane watches this namespace and no webhook injects "
			"it. If it should be in mesh %s, relabel it and restart its workloads; otherwise "
			"remove the label.", mesh);
		osmdiag__result_set_fix(r, "kubectl label namespace %s %s=%s --overwrite",
			ns, L_MONITORED, mesh);
		nprob++;
	}
	if (!nprob) {
		r = osmdiag__emit(ctx, OSMDIAG_STATUS_PASS, "%zu namespace(s) monitored by mesh %s%s%s%s; "
			"every %s label names a discovered mesh and none is ignored", nmon, mesh,
			nother ? ", " : "", nother ? "others by meshes "
				: "", nother ? S(known) : "", L_MONITORED);
	}
	free(known);
	osmdiag__strlist_free(&names);
	osmdiag__objs_free(&nss);
}

/* ---- the table ----------------------------------------------------------------------------- */

#define NS_GUIDE "Check namespaces"

const osmdiag__check_def osmdiag__checks_namespaces[] = {
	{ "OSMD401", "namespaces", "namespace onboarding complete", "warn",
	  "Each namespace labelled openservicemesh.io/monitored-by=<mesh> has the annotation "
	  "openservicemesh.io/sidecar-injection: enabled (or its pods carry that annotation), and each "
	  "annotated namespace has the label.",
	  "The injector webhook only sees namespaces with the label, and injects only when the namespace or "
	  "the pod annotation says enabled; a half-onboarded namespace runs pods without Envoy, "
	  "outside the mesh's mTLS and policies.",
	  "`kubectl annotate namespace <ns> openservicemesh.io/sidecar-injection=enabled` or `kubectl label "
	  "namespace <ns> openservicemesh.io/monitored-by=<mesh>` (or `osm namespace add <ns> --mesh-name "
	  "<mesh>` for a namespace without the label), then restart the workloads. The label is mandatory; "
	  "the annotation may be on the pod instead (the guide says the namespace needs both).",
	  NS_GUIDE " (annotation and label of the namespace)",
	  OSMDIAG__NEED_NAMESPACE | OSMDIAG__NEED_POD_MESHED, NULL, check_onboarding },
	{ "OSMD402", "namespaces", "control-plane namespaces not in mesh", "fail",
	  "kube-system, kube-public and the mesh namespace carry neither the label "
	  "openservicemesh.io/monitored-by nor the annotation openservicemesh.io/sidecar-injection.",
	  "OSM never injects them, but the label routes their pod creations through the injector webhook "
	  "(failurePolicy Fail): if osm-injector is down, system pods cannot be created; the controller also "
	  "treats control-plane pods as mesh workloads.",
	  "`kubectl label namespace kube-system openservicemesh.io/monitored-by-` and `kubectl annotate "
	  "namespace kube-system openservicemesh.io/sidecar-injection-` (same for the other "
	  "namespaces).",
	  NS_GUIDE " (note: kube-system never participates in a service mesh)",
	  OSMDIAG__NEED_NAMESPACE, NULL, check_control_plane_ns },
	{ "OSMD403", "namespaces", "injection annotation values valid", "fail",
	  "Namespace, pod-template and pod openservicemesh.io/sidecar-injection values are enabled, yes, "
	  "true, disabled, no or false (any case).",
	  "Any other value makes the injector reject the pod (\"Invalid annotation value for key "
	  "openservicemesh.io/sidecar-injection\"): Deployments in that namespace cannot create pods.",
	  "`kubectl annotate namespace <ns> openservicemesh.io/sidecar-injection=enabled --overwrite`; for a "
	  "workload, patch its pod template annotation.",
	  NS_GUIDE,
	  OSMDIAG__NEED_NAMESPACE | OSMDIAG__NEED_POD_MESHED | OSMDIAG__NEED_REPLICASET_MESHED, NULL,
	  check_annotation_values },
	{ "OSMD404", "namespaces", "pods missing the sidecar", "warn",
	  "In namespaces that inject (monitored by the mesh, not ignored, annotation enabled on the "
	  "namespace or the pod), every running non-hostNetwork pod without a pod-level opt-out has a "
	  "container named envoy.",
	  "A pod without Envoy is outside the mesh: no mTLS, no traffic policy, and with permissive mode off "
	  "its meshed peers refuse its traffic. Injection only happens at pod creation.",
	  "Restart the owning workload: `kubectl rollout restart deployment/<name> -n <ns>`.",
	  NS_GUIDE " (note: only new pods are injected; restart existing workloads)",
	  OSMDIAG__NEED_NAMESPACE | OSMDIAG__NEED_POD_MESHED | OSMDIAG__NEED_REPLICASET_MESHED, NULL,
	  check_missing_sidecar },
	{ "OSMD405", "namespaces", "namespace mesh mismatch", "warn",
	  "Every openservicemesh.io/monitored-by label names a discovered mesh, and no namespace monitored "
	  "by this mesh is labelled openservicemesh.io/ignore.",
	  "A namespace labelled for a mesh that does not exist is watched by no controller and injected by "
	  "no webhook; the ignore label excludes a monitored namespace from the webhooks, so its new "
	  "pods get no sidecar.",
	  "`kubectl label namespace <ns> openservicemesh.io/monitored-by=<mesh> --overwrite` or `kubectl "
	  "label namespace <ns> openservicemesh.io/ignore-`.",
	  NS_GUIDE " (label openservicemesh.io/monitored-by: osm)",
	  OSMDIAG__NEED_NAMESPACE, NULL, check_mesh_mismatch },
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL }
};
