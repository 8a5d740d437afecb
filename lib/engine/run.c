/*
 * The engine: plans the list requests the selected checks need, fetches them
 * through the source, builds the model, runs the checks in catalogue order
 * with the dependency/skip rules of spec/CHECKS.md, and fills the report.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "checks/check_impl.h"
#include "engine/options_impl.h"
#include "model/model.h"
#include "osmdiag/report.h"
#include "report/report_impl.h"
#include "source/source_impl.h"
#include "store/store.h"

/* What each need means as a list request: kind and scope. */
static const struct {
	unsigned need;
	const char *kind;
	int mesh_namespace_only; /* list in the mesh namespace, else cluster-wide */
} plan_table[] = {
	{ OSMDIAG__NEED_DEPLOYMENT, "Deployment", 1 },
	{ OSMDIAG__NEED_REPLICASET, "ReplicaSet", 0 },
	{ OSMDIAG__NEED_POD, "Pod", 0 },
	{ OSMDIAG__NEED_SERVICE, "Service", 1 },
	{ OSMDIAG__NEED_ENDPOINTS, "EndpointSlice", 1 },
	{ OSMDIAG__NEED_ENDPOINTS, "Endpoints", 1 },
	{ OSMDIAG__NEED_NAMESPACE, "Namespace", 0 },
	{ OSMDIAG__NEED_SECRET, "Secret", 1 },
	{ OSMDIAG__NEED_MWHC, "MutatingWebhookConfiguration", 0 },
	{ OSMDIAG__NEED_VWHC, "ValidatingWebhookConfiguration", 0 },
	{ OSMDIAG__NEED_CRD, "CustomResourceDefinition", 0 },
	{ OSMDIAG__NEED_MESHCONFIG, "MeshConfig", 1 },
};

#define NPLAN (sizeof(plan_table) / sizeof(plan_table[0]))

typedef struct run_state {
	osmdiag__store *store;
	char *failed[NPLAN + 2];   /* per plan row: why the list failed (NULL = ok) */
	unsigned failed_needs;     /* needs whose list failed */
	char *discovery_error;     /* mesh discovery list failed */
} run_state;

static void run_state_dispose(run_state *st)
{
	osmdiag__store_free(st->store);
	for (size_t i = 0; i < NPLAN + 2; i++)
		free(st->failed[i]);
	free(st->discovery_error);
}

/* Adds the items of the successful requests into the run store. */
static int absorb(run_state *st, osmdiag__fetch *reqs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		json_t *item;
		size_t k;

		if (reqs[i].code != OSMDIAG_OK || !reqs[i].items)
			continue;
		json_array_foreach(reqs[i].items, k, item) {
			char err[160];

			/* Objects without kind/name were refused by the source already;
			 * an odd one from a server is skipped, not fatal. */
			osmdiag__store_add(st->store, json_incref(item), err, sizeof(err));
		}
	}
	return 0;
}

static char *fetch_failure(const osmdiag__fetch *f)
{
	if (f->message)
		return osmdiag__strdup(f->message);
	return osmdiag__asprintf("list %s failed: %s", f->kind, osmdiag_strerror(f->code));
}

/* Phase 1: what mesh discovery needs (controllers and namespaces, cluster-wide). */
static int fetch_discovery(osmdiag_source *src, run_state *st, long timeout_ms, osmdiag_error *err)
{
	osmdiag__fetch reqs[2] = {
		{ .kind = "Deployment", .selector = "app=osm-controller" },
		{ .kind = "Namespace" },
	};
	int rc = osmdiag__source_fetch(src, reqs, 2, timeout_ms);

	if (rc != OSMDIAG_OK) {
		osmdiag__error_set(err, rc, "%s", osmdiag_source_errmsg(src));
		osmdiag__fetch_release(reqs, 2);
		return rc;
	}
	absorb(st, reqs, 2);
	if (reqs[0].code != OSMDIAG_OK)
		st->discovery_error = fetch_failure(&reqs[0]);
	if (reqs[1].code != OSMDIAG_OK) {
		st->failed[NPLAN] = fetch_failure(&reqs[1]);
		st->failed_needs |= OSMDIAG__NEED_NAMESPACE;
	}
	osmdiag__fetch_release(reqs, 2);
	return OSMDIAG_OK;
}

/* Phase 2: every kind the selected checks need, in one concurrent batch. */
static int fetch_needs(osmdiag_source *src, run_state *st, unsigned needs, const char *mesh_ns,
	long timeout_ms, osmdiag_error *err)
{
	osmdiag__fetch reqs[NPLAN];
	size_t map[NPLAN];
	size_t n = 0;
	int rc;

	memset(reqs, 0, sizeof(reqs));
	for (size_t i = 0; i < NPLAN; i++) {
		if (!(needs & plan_table[i].need))
			continue;
		/* Namespaces were listed for discovery already. */
		if (plan_table[i].need == OSMDIAG__NEED_NAMESPACE)
			continue;
		reqs[n].kind = plan_table[i].kind;
		reqs[n].namespace_ = plan_table[i].mesh_namespace_only ? mesh_ns : NULL;
		map[n++] = i;
	}
	if (!n)
		return OSMDIAG_OK;
	rc = osmdiag__source_fetch(src, reqs, n, timeout_ms);
	if (rc != OSMDIAG_OK) {
		osmdiag__error_set(err, rc, "%s", osmdiag_source_errmsg(src));
		osmdiag__fetch_release(reqs, n);
		return rc;
	}
	absorb(st, reqs, n);
	for (size_t i = 0; i < n; i++) {
		if (reqs[i].code == OSMDIAG_OK)
			continue;
		st->failed[map[i]] = fetch_failure(&reqs[i]);
		st->failed_needs |= plan_table[map[i]].need;
	}
	osmdiag__fetch_release(reqs, n);
	return OSMDIAG_OK;
}

/* Why a check's input is missing (first failed kind it needs), or NULL. */
static const char *input_failure(const run_state *st, unsigned needs)
{
	if (!(needs & st->failed_needs))
		return NULL;
	for (size_t i = 0; i < NPLAN; i++)
		if ((needs & plan_table[i].need) && st->failed[i])
			return st->failed[i];
	if ((needs & OSMDIAG__NEED_NAMESPACE) && st->failed[NPLAN])
		return st->failed[NPLAN];
	return "a list request failed";
}

/* ---- results ---------------------------------------------------------------- */

struct osmdiag_result *osmdiag__emit(osmdiag__ctx *ctx, int status, const char *fmt, ...)
{
	va_list ap;
	char *msg;
	struct osmdiag_result *r;

	va_start(ap, fmt);
	msg = osmdiag__vasprintf(fmt, ap);
	va_end(ap);
	if (!msg) {
		ctx->rep->oom = 1;
		return NULL;
	}
	r = osmdiag__report_add(ctx->rep, ctx->def->id, ctx->def->category, ctx->def->title, status, msg);
	free(msg);
	return r;
}

void osmdiag__result_set_resource(struct osmdiag_result *r, const char *kind, const char *ns,
	const char *name)
{
	if (!r)
		return;
	free(r->res_kind);
	free(r->res_namespace);
	free(r->res_name);
	r->res_kind = osmdiag__strdup(kind);
	r->res_namespace = ns && *ns ? osmdiag__strdup(ns) : NULL;
	r->res_name = osmdiag__strdup(name);
}

static void set_text(char **field, const char *fmt, va_list ap)
{
	free(*field);
	*field = osmdiag__vasprintf(fmt, ap);
}

void osmdiag__result_set_hint(struct osmdiag_result *r, const char *fmt, ...)
{
	va_list ap;

	if (!r)
		return;
	va_start(ap, fmt);
	set_text(&r->hint, fmt, ap);
	va_end(ap);
}

void osmdiag__result_set_fix(struct osmdiag_result *r, const char *fmt, ...)
{
	va_list ap;

	if (!r)
		return;
	va_start(ap, fmt);
	set_text(&r->remediation, fmt, ap);
	va_end(ap);
}

/* ---- running ---------------------------------------------------------------- */

typedef struct check_run {
	int done;
	int worst;          /* worst status of its results */
	char *summary;      /* first non-pass message, for dependants' skip reason */
} check_run;

static int run_one(const osmdiag__model *m, const run_state *st, const osmdiag__check_def *def,
	check_run *runs, osmdiag_report *rep);

static int ensure_run(const osmdiag__model *m, const run_state *st, const osmdiag__check_def *def,
	check_run *runs)
{
	size_t idx;

	for (idx = 0; osmdiag__catalogue_get(idx) != def; idx++)
		;
	if (runs[idx].done)
		return 0;
	{
		/* Dependencies that were not selected still run, into a scratch report. */
		osmdiag_report *scratch = osmdiag__report_new();
		int rc;

		if (!scratch)
			return -1;
		rc = run_one(m, st, def, runs, scratch);
		osmdiag_report_free(scratch);
		return rc;
	}
}

static int run_one(const osmdiag__model *m, const run_state *st, const osmdiag__check_def *def,
	check_run *runs, osmdiag_report *rep)
{
	osmdiag__ctx ctx = { m, def, rep, rep->n };
	const char *why;
	size_t idx;
	double t0 = osmdiag__now_ms(), dt;

	for (idx = 0; osmdiag__catalogue_get(idx) != def; idx++)
		;
	if (!m->mesh) {
		if (strcmp(def->id, "OSMD101") == 0) {
			struct osmdiag_result *r = osmdiag__emit(&ctx, OSMDIAG_STATUS_FAIL, "%s",
				st->discovery_error ? st->discovery_error : m->no_mesh_reason);

			osmdiag__result_set_hint(r,
				"install or enable OSM (on AKS: az aks enable-addons --addons open-service-mesh"
				" -g <resource-group> -n <cluster>), or point osmdiag at the mesh with"
				" --mesh-namespace / --mesh-name");
			osmdiag__result_set_fix(r, "kubectl get deployments -A -l app=osm-controller");
			if (st->discovery_error && r)
				r->status = OSMDIAG_STATUS_ERROR;
		} else {
			osmdiag__emit(&ctx, OSMDIAG_STATUS_SKIP, "skipped: %s",
				st->discovery_error ? st->discovery_error : m->no_mesh_reason);
		}
	} else if ((why = input_failure(st, def->needs)) != NULL) {
		osmdiag__emit(&ctx, OSMDIAG_STATUS_ERROR, "%s", why);
	} else {
		const osmdiag__check_def *dep = def->depends_on ? osmdiag__catalogue_lookup(def->depends_on)
							       : NULL;
		size_t di = 0;

		if (dep) {
			if (ensure_run(m, st, dep, runs) < 0)
				return -1;
			for (; osmdiag__catalogue_get(di) != dep; di++)
				;
		}
		if (dep && runs[di].worst >= OSMDIAG_STATUS_SKIP && runs[di].worst != OSMDIAG_STATUS_WARN) {
			osmdiag__emit(&ctx, OSMDIAG_STATUS_SKIP, "skipped: %s (%s) did not pass: %s", dep->id,
				      dep->title, runs[di].summary ? runs[di].summary : "see its result");
		} else {
			def->run(&ctx);
			if (rep->n == ctx.first_result)
				osmdiag__emit(&ctx, OSMDIAG_STATUS_ERROR,
					      "internal error: check %s produced no result", def->id);
		}
	}
	if (rep->oom)
		return -1;
	dt = osmdiag__now_ms() - t0;
	runs[idx].done = 1;
	runs[idx].worst = OSMDIAG_STATUS_PASS;
	for (size_t i = ctx.first_result; i < rep->n; i++) {
		struct osmdiag_result *r = &rep->results[i];

		r->duration_ms = dt;
		if (r->status > runs[idx].worst)
			runs[idx].worst = r->status;
		if (r->status >= OSMDIAG_STATUS_SKIP && r->status != OSMDIAG_STATUS_WARN && !runs[idx].summary)
			runs[idx].summary = osmdiag__strdup(r->message);
	}
	return 0;
}

static osmdiag_report *run_checks(osmdiag_source *src, const char *only_id, const osmdiag_options *opts,
	osmdiag_error *err)
{
	osmdiag_options defaults;
	run_state st;
	osmdiag__model m;
	osmdiag_report *rep = NULL;
	check_run *runs = NULL;
	size_t ncheck = osmdiag__catalogue_size();
	unsigned needs = 0;
	double t0 = osmdiag__now_ms();
	int rc;

	osmdiag_error_clear(err);
	if (!src) {
		osmdiag__error_set(err, OSMDIAG_EINVAL, "no source of cluster state given");
		return NULL;
	}
	if (!opts) {
		memset(&defaults, 0, sizeof(defaults));
		defaults.fail_on = OSMDIAG_STATUS_FAIL;
		defaults.expiry_warning_days = 30;
		opts = &defaults;
	}
	memset(&st, 0, sizeof(st));
	memset(&m, 0, sizeof(m));
	st.store = osmdiag__store_new();
	runs = calloc(ncheck, sizeof(*runs));
	rep = osmdiag__report_new();
	if (!st.store || !runs || !rep)
		goto oom;

	/* Which checks run, and what they (and their dependencies) read. */
	for (size_t i = 0; i < ncheck; i++) {
		const osmdiag__check_def *d = osmdiag__catalogue_get(i);
		int selected = only_id ? osmdiag__strcaseeq(d->id, only_id)
				       : osmdiag__options_selects(opts, d->id, d->category);

		for (const osmdiag__check_def *x = selected ? d : NULL; x;
		     x = x->depends_on ? osmdiag__catalogue_lookup(x->depends_on) : NULL)
			needs |= x->needs;
	}

	rc = fetch_discovery(src, &st, opts->timeout_ms, err);
	if (rc != OSMDIAG_OK)
		goto fail;
	if (osmdiag__model_init(&m, st.store, opts->mesh_namespace, opts->mesh_name) < 0)
		goto oom;
	if (m.mesh) {
		rc = fetch_needs(src, &st, needs, m.mesh->namespace_, opts->timeout_ms, err);
		if (rc != OSMDIAG_OK)
			goto fail;
	}
	m.expiry_warning_days = opts->expiry_warning_days;
	m.now = opts->now ? opts->now : time(NULL);
	rep->fail_on = opts->fail_on;
	rep->source_kind = osmdiag__strdup(osmdiag_source_kind(src));
	if (m.mesh && osmdiag__report_set_mesh(rep, m.mesh->name, m.mesh->namespace_, m.mesh->version,
					       m.mesh->profile->name) < 0)
		goto oom;

	for (size_t i = 0; i < ncheck; i++) {
		const osmdiag__check_def *d = osmdiag__catalogue_get(i);
		int selected = only_id ? osmdiag__strcaseeq(d->id, only_id)
				       : osmdiag__options_selects(opts, d->id, d->category);

		if (selected && run_one(&m, &st, d, runs, rep) < 0)
			goto oom;
	}
	rep->duration_ms = osmdiag__now_ms() - t0;
	goto out;

oom:
	osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
fail:
	osmdiag_report_free(rep);
	rep = NULL;
out:
	for (size_t i = 0; runs && i < ncheck; i++)
		free(runs[i].summary);
	free(runs);
	osmdiag__model_dispose(&m);
	run_state_dispose(&st);
	return rep;
}

osmdiag_report *osmdiag_run(osmdiag_source *src, const osmdiag_options *opts, osmdiag_error *err)
{
	return run_checks(src, NULL, opts, err);
}

osmdiag_report *osmdiag_run_check(osmdiag_source *src, const char *id, const osmdiag_options *opts,
	osmdiag_error *err)
{
	if (!id || !osmdiag__catalogue_lookup(id)) {
		osmdiag__error_set(err, OSMDIAG_EINVAL, "unknown check ID \"%s\" (see `osmdiag checks`)",
				   id ? id : "(null)");
		return NULL;
	}
	return run_checks(src, osmdiag__catalogue_lookup(id)->id, opts, err);
}
