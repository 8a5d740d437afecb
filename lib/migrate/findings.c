/*
 * Findings (catalogue rows OSMD801-845 of lib/checks/migration.c) and
 * inventory rows, plus small helpers shared by the translations.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "migrate/migrate_impl.h"
#include "report/report_impl.h"

struct osmdiag_result *osmdiag__mig_emit(osmdiag__mig *g, const char *id, int status, const char *kind,
	const char *ns, const char *name, const char *fmt, ...)
{
	const osmdiag__check_def *def = osmdiag__catalogue_lookup(id);
	osmdiag__ctx ctx;
	struct osmdiag_result *r;
	va_list ap;
	char *msg;

	if (!def) {
		g->oom = 1; /* a missing catalogue row is a programming error: surface it */
		return NULL;
	}
	ctx.m = g->m;
	ctx.def = def;
	ctx.rep = g->out->rep;
	ctx.first_result = g->out->rep->n;
	va_start(ap, fmt);
	msg = osmdiag__vasprintf(fmt, ap);
	va_end(ap);
	if (!msg) {
		g->oom = 1;
		return NULL;
	}
	r = osmdiag__emit_about(&ctx, status, kind, ns, name, "%s", msg);
	free(msg);
	if (!r)
		g->oom = 1;
	else if (def->fix) /* every finding says what to do; callers refine it */
		osmdiag__result_set_hint(r, "%s", def->fix);
	return r;
}

/* Merge sort (stable) by ID; results are moved, not copied. */
void osmdiag__mig_sort_findings(osmdiag_report *rep)
{
	struct osmdiag_result *tmp;
	size_t n = rep->n;

	if (n < 2)
		return;
	tmp = malloc(n * sizeof(*tmp));
	if (!tmp) { /* insertion sort in place: still stable */
		for (size_t i = 1; i < n; i++) {
			struct osmdiag_result x = rep->results[i];
			size_t j = i;

			for (; j > 0 && strcmp(rep->results[j - 1].id, x.id) > 0; j--)
				rep->results[j] = rep->results[j - 1];
			rep->results[j] = x;
		}
		return;
	}
	for (size_t w = 1; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
			size_t i = lo, j = mid, k = lo;

			while (i < mid && j < hi)
				tmp[k++] = strcmp(rep->results[j].id, rep->results[i].id) < 0
					? rep->results[j++]
					: rep->results[i++];
			while (i < mid)
				tmp[k++] = rep->results[i++];
			while (j < hi)
				tmp[k++] = rep->results[j++];
		}
		memcpy(rep->results, tmp, n * sizeof(*tmp));
	}
	free(tmp);
}

json_t *osmdiag__mig_ref(const char *kind, const char *ns, const char *name)
{
	return json_pack("{s:s, s:s, s:s}", "kind", kind ? kind : "", "namespace", ns ? ns : "", "name",
			 name ? name : "");
}

void osmdiag__mig_to_push(json_t *to, const osmdiag__mig_manifest *mf)
{
	if (to && mf)
		json_array_append_new(to, osmdiag__mig_ref(mf->kind, mf->namespace_, mf->name));
}

void osmdiag__mig_inventory(osmdiag__mig *g, const char *kind, const char *ns, const char *name,
	const char *translation, const char *reason, json_t *to)
{
	json_t *row = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "kind", kind ? kind : "", "namespace",
				ns ? ns : "", "name", name ? name : "", "translation", translation,
				"reason", reason ? reason : "", "to", to ? to : json_array());

	if (!row || json_array_append_new(g->out->inventory, row) < 0)
		g->oom = 1;
}

int osmdiag__mig_migrated(const osmdiag__mig *g, const char *ns)
{
	return ns && osmdiag__strlist_contains(&g->nss, ns);
}

char *osmdiag__mig_fqdn(const char *svc, const char *ns)
{
	const char *dot;

	if (!svc)
		return NULL;
	if (osmdiag__has_suffix(svc, ".svc.cluster.local"))
		return osmdiag__strdup(svc);
	if (osmdiag__has_suffix(svc, ".svc"))
		return osmdiag__asprintf("%s.cluster.local", svc);
	dot = strchr(svc, '.');
	if (dot)
		return osmdiag__asprintf("%s.svc.cluster.local", svc);
	return osmdiag__asprintf("%s.%s.svc.cluster.local", svc, ns ? ns : "default");
}

void osmdiag__mig_set_str(osmdiag__mig *g, json_t *o, const char *key, const char *value)
{
	if (!o || !value)
		return;
	if (json_object_set_new(o, key, json_string(value)) < 0)
		g->oom = 1;
}

json_t *osmdiag__mig_strarray(const osmdiag__strlist *l)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < l->n; i++)
		if (json_array_append_new(a, json_string(l->v[i])) < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

char *osmdiag__mig_principal(const osmdiag__mig *g, const char *ns, const char *sa)
{
	return osmdiag__asprintf("%s/ns/%s/sa/%s", g->trust_domain, ns ? ns : "", sa ? sa : "");
}
