/*
 * osmdiag_migrate(): gathers what the migration reads (one plan through the
 * engine's gather), runs the translations in a fixed order on the model and
 * assembles the findings, inventory, draft manifests and runbook. The public
 * accessors of osmdiag_migration live here too.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/gather.h"
#include "engine/options_impl.h"
#include "migrate/migrate_impl.h"
#include "report/report_impl.h"
#include "source/source_impl.h"

#define S(x) ((x) ? (x) : "")

void osmdiag_migration_free(osmdiag_migration *m)
{
	if (!m)
		return;
	osmdiag_report_free(m->rep);
	osmdiag__mig_manifests_free(m);
	json_decref(m->inventory);
	json_decref(m->runbook);
	json_decref(m->source);
	json_decref(m->mesh);
	free(m->runbook_md);
	free(m);
}

static int flag(const osmdiag__obj *mc, const char *path, int dflt)
{
	int v;

	return osmdiag__obj_get_bool(osmdiag__obj_get(mc, "spec"), path, &v) == OSMDIAG__F_OK ? v : dflt;
}

/* Route groups: translated through whatever references them. */
static void inventory_routes(osmdiag__mig *g)
{
	static const char *const kinds[] = { "HTTPRouteGroup", "TCPRoute" };

	for (size_t k = 0; k < 2; k++) {
		osmdiag__objs v;

		if (osmdiag__model_list(g->m, kinds[k], NULL, NULL, &v) < 0) {
			g->oom = 1;
			return;
		}
		for (size_t i = 0; i < v.n; i++) {
			char *src = osmdiag__asprintf("%s %s/%s", kinds[k], S(osmdiag__obj_namespace(v.v[i])),
						      S(osmdiag__obj_name(v.v[i])));
			json_t *to = json_array();

			if (!src || !to) {
				free(src);
				json_decref(to);
				g->oom = 1;
				break;
			}
			for (size_t m = 0; m < g->out->nman; m++)
				if (osmdiag__strlist_contains(&g->out->man[m].sources, src))
					osmdiag__mig_to_push(to, &g->out->man[m]);
			if (!json_array_size(to))
				osmdiag__mig_inventory(g, kinds[k], osmdiag__obj_namespace(v.v[i]),
					osmdiag__obj_name(v.v[i]),
					"none", "not referenced by a translated TrafficTarget or Egress", to);
			else
				osmdiag__mig_inventory(g, kinds[k], osmdiag__obj_namespace(v.v[i]),
					osmdiag__obj_name(v.v[i]),
					osmdiag__strlist_contains(&g->approx_routes, src) ? "approximate" :
					"exact",
					osmdiag__strlist_contains(&g->approx_routes, src) ?
					"some matches are approximated (OSMD825-827)" :
					"matches translated exactly", to);
			free(src);
		}
		osmdiag__objs_free(&v);
	}
}

static int inventory_cmp(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	static const char *const keys[] = { "kind", "namespace", "name" };

	for (size_t i = 0; i < 3; i++) {
		int c = strcmp(S(json_string_value(json_object_get(x, keys[i]))),
			       S(json_string_value(json_object_get(y, keys[i]))));

		if (c)
			return c;
	}
	return 0;
}

static int sort_inventory(json_t *arr)
{
	size_t n = json_array_size(arr);
	json_t **v = malloc((n ? n : 1) * sizeof(*v));

	if (!v)
		return -1;
	for (size_t i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(arr, i));
	if (n > 1)
		qsort(v, n, sizeof(*v), inventory_cmp);
	json_array_clear(arr);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, v[i]);
	free(v);
	return 0;
}

static void no_mesh(osmdiag__mig *g, const osmdiag__gather *st)
{
	osmdiag__ctx ctx;
	struct osmdiag_result *r;

	ctx.m = g->m;
	ctx.def = osmdiag__catalogue_lookup("OSMD801");
	ctx.rep = g->out->rep;
	ctx.first_result = 0;
	r = osmdiag__emit(&ctx, st->discovery_error ? OSMDIAG_STATUS_ERROR : OSMDIAG_STATUS_FAIL,
		"no OSM mesh to migrate: %s", st->discovery_error ? st->discovery_error
		: S(g->m->no_mesh_reason));
	osmdiag__result_set_hint(r, "point osmdiag at the mesh with --mesh-namespace / --mesh-name");
}

static void run_all(osmdiag__mig *g, const osmdiag__gather *st)
{
	const char *why;
	osmdiag__objs mcs;

	if ((why = osmdiag__gather_input_failure(st, OSMDIAG__NEEDS_MIGRATE)) != NULL) {
		osmdiag__ctx ctx = { g->m, osmdiag__catalogue_lookup("OSMD801"), g->out->rep, 0 };

		osmdiag__emit(&ctx, OSMDIAG_STATUS_ERROR, "the inventory is incomplete: %s", why);
	}
	g->meshconfig = osmdiag__model_meshconfig(g->m);
	if (!g->meshconfig && osmdiag__model_list(g->m, "MeshConfig", NULL, NULL, &mcs) == 0) {
		if (mcs.n)
			g->meshconfig = mcs.v[0];
		osmdiag__objs_free(&mcs);
	}
	g->permissive = flag(g->meshconfig, "traffic.enablePermissiveTrafficPolicyMode", 1);
	g->egress = flag(g->meshconfig, "traffic.enableEgress", 1);
	g->egress_policy = flag(g->meshconfig, "featureFlags.enableEgressPolicy", 1);
	g->ingress_backend_policy = flag(g->meshconfig, "featureFlags.enableIngressBackendPolicy", 1);
	g->retry_policy = flag(g->meshconfig, "featureFlags.enableRetryPolicy", 0);
	g->trust_domain = "cluster.local";
	/* migrated namespaces = those the mesh monitors */
	for (const char *p = g->m->mesh->added_namespaces; p && *p;) {
		size_t n = strcspn(p, ",");
		char *ns = osmdiag__strndup(p, n);

		if (!ns || osmdiag__strlist_push_unique(&g->nss, ns) < 0)
			g->oom = 1;
		free(ns);
		p = p[n] ? p + n + 1 : NULL;
	}
	osmdiag__strlist_sort(&g->nss);

	osmdiag__mig_translate_authz(g);
	osmdiag__mig_translate_split(g);
	osmdiag__mig_translate_retry(g);
	osmdiag__mig_translate_uts(g);
	osmdiag__mig_translate_egress(g);
	osmdiag__mig_translate_ingress(g);
	osmdiag__mig_meshconfig(g);
	osmdiag__mig_meshconfig_finish(g);
	osmdiag__mig_inventory_run(g);
	osmdiag__mig_service_protocols(g);
	inventory_routes(g);
	if (sort_inventory(g->out->inventory) < 0)
		g->oom = 1;
}

osmdiag_migration *osmdiag_migrate(osmdiag_source *src, const osmdiag_options *opts,
	const char *target_revision,
	osmdiag_error *err)
{
	osmdiag_options defaults;
	osmdiag__gather st;
	osmdiag__mig g;
	osmdiag_migration *m = NULL;
	const osmdiag__mig_rev *rev;

	osmdiag_error_clear(err);
	memset(&st, 0, sizeof(st));
	memset(&g, 0, sizeof(g));
	if (!src) {
		osmdiag__error_set(err, OSMDIAG_EINVAL, "no source of cluster state given");
		return NULL;
	}
	rev = target_revision ? osmdiag__mig_rev_find(target_revision) : osmdiag__mig_rev_lowest();
	if (!rev) {
		char *list = osmdiag__mig_rev_list();

		osmdiag__error_set(err, OSMDIAG_EINVAL, "unknown target revision \"%s\" (want one of %s)",
				   target_revision, list ? list : "asm-1-N");
		free(list);
		return NULL;
	}
	if (!opts) {
		memset(&defaults, 0, sizeof(defaults));
		defaults.fail_on = OSMDIAG_STATUS_FAIL;
		defaults.expiry_warning_days = 30;
		opts = &defaults;
	}
	if (osmdiag__gather_run(&st, src, opts, OSMDIAG__NEEDS_MIGRATE, err) != OSMDIAG_OK)
		goto out;
	m = calloc(1, sizeof(*m));
	if (!m)
		goto oom;
	m->rep = osmdiag__report_new();
	m->inventory = json_array();
	m->source = json_pack("{s:s, s:s}", "kind", S(osmdiag_source_kind(src)), "description",
			      S(osmdiag_source_description(src)));
	m->rev = rev;
	if (!m->rep || !m->inventory || !m->source)
		goto oom;
	m->rep->fail_on = OSMDIAG_STATUS_FAIL;
	m->rep->source_kind = osmdiag__strdup(osmdiag_source_kind(src));
	m->rep->source_desc = osmdiag__strdup(osmdiag_source_description(src));
	g.out = m;
	g.m = &st.model;
	g.rev = rev;
	g.rev_given = target_revision != NULL;
	g.mesh_config = json_object();
	if (!g.mesh_config)
		goto oom;
	if (st.model.mesh) {
		const osmdiag__mesh *mesh = st.model.mesh;

		m->mesh = json_pack("{s:s, s:s, s:o, s:s}", "name", S(mesh->name), "namespace",
			S(mesh->namespace_),
				    "version", mesh->version ? json_string(mesh->version) : json_null(),
				    "profile",
				    mesh->profile ? mesh->profile->name : "");
		if (!m->mesh || osmdiag__report_set_mesh(m->rep, mesh->name, mesh->namespace_, mesh->version,
							 mesh->profile ? mesh->profile->name : NULL) < 0)
			goto oom;
		run_all(&g, &st);
	} else {
		m->mesh = json_null();
		no_mesh(&g, &st);
	}
	if (g.oom || m->rep->oom)
		goto oom;
	osmdiag__mig_sort_findings(m->rep);
	if (osmdiag__mig_finalise(m) < 0)
		goto oom;
	if (st.model.mesh) {
		if (osmdiag__mig_runbook(&g) < 0 || g.oom)
			goto oom;
	} else {
		m->runbook = json_array();
		m->runbook_md = osmdiag__strdup("# OSM to Istio migration runbook\n\nNo OSM mesh was found: "
						"nothing to migrate.\n");
		if (!m->runbook || !m->runbook_md)
			goto oom;
	}
	goto out;
oom:
	osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
	osmdiag_migration_free(m);
	m = NULL;
out:
	json_decref(g.mesh_config);
	osmdiag__strlist_free(&g.nss);
	osmdiag__strlist_free(&g.policy_services);
	osmdiag__strlist_free(&g.selector_done);
	osmdiag__strlist_free(&g.approx_routes);
	osmdiag__strlist_free(&g.mesh_config_sources);
	osmdiag__gather_dispose(&st);
	return m;
}

const osmdiag_report *osmdiag_migration_report(const osmdiag_migration *m)
{
	return m ? m->rep : NULL;
}

const char *osmdiag_migration_target_revision(const osmdiag_migration *m)
{
	return m ? m->rev->name : NULL;
}

size_t osmdiag_migration_manifest_count(const osmdiag_migration *m)
{
	return m ? m->nman : 0;
}

#define MANIFEST_FIELD(fn, expr) \
	const char *osmdiag_migration_manifest_##fn(const osmdiag_migration *m, size_t i) \
	{ \
		if (!m || i >= m->nman) \
			return NULL; \
		return (expr); \
	}
MANIFEST_FIELD(namespace, m->man[i].file_ns)
MANIFEST_FIELD(kind, m->man[i].kind)
MANIFEST_FIELD(name, m->man[i].name)
MANIFEST_FIELD(api_version, m->man[i].api_version)
MANIFEST_FIELD(yaml, m->man[i].yaml)
MANIFEST_FIELD(source, m->man[i].source)
#undef MANIFEST_FIELD

const char *osmdiag_migration_runbook(const osmdiag_migration *m)
{
	return m ? m->runbook_md : NULL;
}
