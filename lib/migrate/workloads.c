/*
 * Pod templates and the ServiceAccount -> label selector rule (memo 6.1):
 * Istio selects workloads by labels, OSM by ServiceAccount. The selector is
 * the intersection of the template labels of the ServiceAccount's workloads,
 * narrowed to `app` alone when that already selects exactly them; it must
 * select no template of another ServiceAccount in the namespace.
 */
#include <stdlib.h>
#include <string.h>

#include "migrate/migrate_impl.h"

/* Labels controllers add to pods: never part of a selector. */
static int generated_label(const char *k)
{
	return strcmp(k, "pod-template-hash") == 0 || strcmp(k, "controller-revision-hash") == 0 ||
	       strcmp(k, "pod-template-generation") == 0 || strncmp(k, "statefulset.kubernetes.io/",
	       26) == 0 ||
	       strncmp(k, "batch.kubernetes.io/", 20) == 0 || strcmp(k, "controller-uid") == 0 ||
	       strcmp(k, "job-name") == 0 || strcmp(k, "security.istio.io/tlsMode") == 0 ||
	       strncmp(k, "service.istio.io/", 17) == 0 || strcmp(k, "istio.io/rev") == 0;
}

static int has_owner(const osmdiag__obj *o)
{
	return osmdiag__obj_len(osmdiag__obj_get(o, "metadata.ownerReferences")) > 0;
}

static int push_tpl(osmdiag__mig_tpls *t, const osmdiag__mig_tpl *x)
{
	osmdiag__mig_tpl *v = realloc(t->v, (t->n + 1) * sizeof(*v));

	if (!v)
		return -1;
	v[t->n++] = *x;
	t->v = v;
	return 0;
}

int osmdiag__mig_templates(const osmdiag__mig *g, const char *ns, osmdiag__mig_tpls *out)
{
	static const char *const kinds[] = { "DaemonSet", "Deployment", "Pod", "ReplicaSet", "StatefulSet" };

	memset(out, 0, sizeof(*out));
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		osmdiag__objs objs;

		if (osmdiag__model_list(g->m, kinds[k], ns, NULL, &objs) < 0)
			return -1;
		for (size_t i = 0; i < objs.n; i++) {
			const osmdiag__obj *o = objs.v[i];
			int pod = strcmp(kinds[k], "Pod") == 0;
			osmdiag__mig_tpl t;

			if ((pod || strcmp(kinds[k], "ReplicaSet") == 0) && has_owner(o))
				continue;
			t.kind = kinds[k];
			t.name = osmdiag__obj_name(o);
			t.namespace_ = osmdiag__obj_namespace(o);
			t.obj = o;
			t.meta = pod ? osmdiag__obj_get(o, "metadata")
				: osmdiag__obj_get(o, "spec.template.metadata");
			t.spec = pod ? osmdiag__obj_get(o, "spec")
				: osmdiag__obj_get(o, "spec.template.spec");
			t.sa = osmdiag__obj_str(t.spec, "serviceAccountName");
			if (!t.sa || !*t.sa)
				t.sa = osmdiag__obj_str(t.spec, "serviceAccount");
			if (!t.sa || !*t.sa)
				t.sa = "default";
			if (!t.name)
				continue;
			if (push_tpl(out, &t) < 0) {
				osmdiag__objs_free(&objs);
				osmdiag__mig_tpls_free(out);
				return -1;
			}
		}
		osmdiag__objs_free(&objs);
	}
	return 0;
}

void osmdiag__mig_tpls_free(osmdiag__mig_tpls *t)
{
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

int osmdiag__mig_labels_match(const json_t *sel, const osmdiag__obj *labels)
{
	const char *k;
	json_t *v;

	if (!json_is_object(sel))
		return 0;
	json_object_foreach((json_t *)sel, k, v) {
		const char *have = osmdiag__obj_string_value(osmdiag__obj_member(labels, k));

		if (!have || !osmdiag__streq(have, json_string_value(v)))
			return 0;
	}
	return 1;
}

static const osmdiag__obj *tpl_labels(const osmdiag__mig_tpl *t)
{
	return osmdiag__obj_member(t->meta, "labels");
}

/* Intersection of the labels of the SA's templates (new object, may be empty). */
static json_t *intersect(const osmdiag__mig_tpls *all, const char *sa)
{
	json_t *sel = NULL;

	for (size_t i = 0; i < all->n; i++) {
		const osmdiag__obj *labels;
		const char *k;
		json_t *v;
		void *tmp;

		if (strcmp(all->v[i].sa, sa) != 0)
			continue;
		labels = tpl_labels(&all->v[i]);
		if (!sel) {
			sel = json_object();
			if (!sel)
				return NULL;
			json_object_foreach((json_t *)labels, k, v)
				if (json_is_string(v) && !generated_label(k))
					json_object_set(sel, k, v);
			continue;
		}
		json_object_foreach_safe(sel, tmp, k, v) {
			const char *have = osmdiag__obj_string_value(osmdiag__obj_member(labels, k));

			if (!have || !osmdiag__streq(have, json_string_value(v)))
				json_object_del(sel, k);
		}
	}
	return sel ? sel : json_object();
}

/* 1 when `sel` selects no template of another ServiceAccount. */
static int selects_only(const osmdiag__mig_tpls *all, const char *sa, const json_t *sel)
{
	if (!json_object_size(sel))
		return 0;
	for (size_t i = 0; i < all->n; i++)
		if (strcmp(all->v[i].sa, sa) != 0 && osmdiag__mig_labels_match(sel, tpl_labels(&all->v[i])))
			return 0;
	return 1;
}

static json_t *placeholder(const char *sa)
{
	return json_pack("{s:s}", OSMDIAG__MIG_SA_LABEL, sa);
}

/* kubectl patch commands adding the placeholder label to the SA's templates. */
static char *label_patches(const osmdiag__mig_tpls *all, const char *sa)
{
	osmdiag__buf b = OSMDIAG__BUF_INIT;

	for (size_t i = 0; i < all->n; i++) {
		const osmdiag__mig_tpl *t = &all->v[i];
		const char *rk = osmdiag__mig_restart_kind(t->kind);

		if (strcmp(t->sa, sa) != 0)
			continue;
		if (b.len)
			osmdiag__buf_puts(&b, "; ");
		if (rk)
			osmdiag__buf_printf(&b, "kubectl patch %s %s -n %s --type merge -p "
				"'{\"spec\":{\"template\":{\"metadata\":{\"labels\":{\"%s\":\"%s\"}}}}}'", rk,
				t->name,
				t->namespace_, OSMDIAG__MIG_SA_LABEL, sa);
		else
			osmdiag__buf_printf(&b, "kubectl label %s %s -n %s %s=%s", strcmp(t->kind, "Pod") == 0
				? "pod" : "replicaset", t->name, t->namespace_, OSMDIAG__MIG_SA_LABEL, sa);
	}
	return osmdiag__buf_detach(&b);
}

json_t *osmdiag__mig_sa_selector(osmdiag__mig *g, const char *ns, const char *sa, const char *why,
	int *quality)
{
	osmdiag__mig_tpls all;
	json_t *sel = NULL;
	size_t mine = 0;
	char *key = osmdiag__asprintf("%s/%s", ns, sa);
	int report;

	*quality = -1;
	if (!key || osmdiag__mig_templates(g, ns, &all) < 0) {
		free(key);
		g->oom = 1;
		return NULL;
	}
	report = !osmdiag__strlist_contains(&g->selector_done, key);
	if (report && osmdiag__strlist_push(&g->selector_done, key) < 0)
		g->oom = 1;
	for (size_t i = 0; i < all.n; i++)
		if (strcmp(all.v[i].sa, sa) == 0)
			mine++;
	if (!mine) {
		*quality = 0;
		sel = placeholder(sa);
		if (report) {
			struct osmdiag_result *r = osmdiag__mig_emit(g, "OSMD824", OSMDIAG_STATUS_WARN,
				"ServiceAccount", ns, sa, "ServiceAccount %s/%s (%s) has no pods or pod "
				"templates: the selector %s=%s selects nothing until workloads carry it", ns,
				sa, why,
				OSMDIAG__MIG_SA_LABEL, sa);

			osmdiag__result_set_hint(r, "label the pod templates that run as %s/%s with %s=%s, "
				"or replace the selector", ns, sa, OSMDIAG__MIG_SA_LABEL, sa);
		}
		goto out;
	}
	sel = intersect(&all, sa);
	if (!sel) {
		g->oom = 1;
		goto out;
	}
	{
		const char *app = json_string_value(json_object_get(sel, "app"));
		json_t *only_app = app ? json_pack("{s:s}", "app", app) : NULL;

		if (only_app && selects_only(&all, sa, only_app)) {
			json_decref(sel);
			sel = only_app;
			*quality = 1;
			goto out;
		}
		json_decref(only_app);
	}
	if (selects_only(&all, sa, sel)) {
		*quality = 1;
		goto out;
	}
	{
		char *dump = osmdiag__obj_dump(sel);
		char *fix = label_patches(&all, sa);

		json_decref(sel);
		sel = placeholder(sa);
		if (report) {
			struct osmdiag_result *r = osmdiag__mig_emit(g, "OSMD824", OSMDIAG_STATUS_FAIL,
				"ServiceAccount", ns, sa, "no label set selects exactly the pods of "
				"ServiceAccount %s/%s (%s): their common labels %s also select pods of other "
				"ServiceAccounts",
				ns, sa, why, dump ? dump : "{}");

			osmdiag__result_set_hint(r, "Istio selects workloads by labels, OSM selected by "
				"ServiceAccount; the draft uses the selector %s=%s: add that label to the "
				"pod templates of %s/%s before applying it", OSMDIAG__MIG_SA_LABEL, sa, ns,
				sa);
			if (fix && *fix)
				osmdiag__result_set_fix(r, "%s", fix);
		}
		free(dump);
		free(fix);
	}
out:
	if (!sel)
		g->oom = 1;
	osmdiag__mig_tpls_free(&all);
	free(key);
	return sel;
}

json_t *osmdiag__mig_service_selector(const osmdiag__obj *svc)
{
	const osmdiag__obj *sel = osmdiag__obj_get(svc, "spec.selector");

	if (!osmdiag__obj_is_object(sel) || !osmdiag__obj_size(sel))
		return NULL;
	return json_deep_copy((const json_t *)sel);
}

void osmdiag__mig_use_service(osmdiag__mig *g, const char *ns, const char *name)
{
	char *k = osmdiag__asprintf("%s/%s", ns ? ns : "", name ? name : "");

	if (!k || osmdiag__strlist_push_unique(&g->policy_services, k) < 0)
		g->oom = 1;
	free(k);
}

const char *osmdiag__mig_restart_kind(const char *kind)
{
	if (strcmp(kind, "Deployment") == 0)
		return "deployment";
	if (strcmp(kind, "StatefulSet") == 0)
		return "statefulset";
	if (strcmp(kind, "DaemonSet") == 0)
		return "daemonset";
	return NULL;
}
