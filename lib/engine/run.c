/*
 * The engine: runs the selected checks in catalogue order on the gathered
 * model (gather.c), with the dependency/skip/error rules of spec/CHECKS.md,
 * and fills the report.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "checks/check_impl.h"
#include "engine/gather.h"
#include "engine/options_impl.h"
#include "model/model.h"
#include "osmdiag/report.h"
#include "report/report_impl.h"
#include "source/source_impl.h"
#include "store/store.h"

/* ---- results ---------------------------------------------------------------- */

/* Adds a result of the current check; the resource is set when kind and name are given. */
static struct osmdiag_result *vemit(osmdiag__ctx *ctx, int status, const char *kind, const char *ns,
	const char *name, const char *fmt, va_list ap)
{
	char *msg = osmdiag__vasprintf(fmt, ap);
	struct osmdiag_result *r;

	if (!msg) {
		ctx->rep->oom = 1;
		return NULL;
	}
	r = osmdiag__report_add(ctx->rep, ctx->def->id, ctx->def->category, ctx->def->title, status, msg);
	free(msg);
	if (kind && name)
		osmdiag__result_set_resource(r, kind, ns, name);
	return r;
}

struct osmdiag_result *osmdiag__emit(osmdiag__ctx *ctx, int status, const char *fmt, ...)
{
	va_list ap;
	struct osmdiag_result *r;

	va_start(ap, fmt);
	r = vemit(ctx, status, NULL, NULL, NULL, fmt, ap);
	va_end(ap);
	return r;
}

struct osmdiag_result *osmdiag__emit_about(osmdiag__ctx *ctx, int status, const char *kind, const char *ns,
	const char *name, const char *fmt, ...)
{
	va_list ap;
	struct osmdiag_result *r;

	va_start(ap, fmt);
	r = vemit(ctx, status, kind, ns, name, fmt, ap);
	va_end(ap);
	return r;
}

void osmdiag__emit_oom(osmdiag__ctx *ctx)
{
	osmdiag__emit(ctx, OSMDIAG_STATUS_ERROR, "out of memory while evaluating the check");
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

static int run_one(const osmdiag__model *m, const osmdiag__gather *st, const osmdiag__check_def *def,
	check_run *runs, osmdiag_report *rep);

static int ensure_run(const osmdiag__model *m, const osmdiag__gather *st, const osmdiag__check_def *def,
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

static int run_one(const osmdiag__model *m, const osmdiag__gather *st, const osmdiag__check_def *def,
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
	} else if ((why = osmdiag__gather_input_failure(st, def->needs)) != NULL) {
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

/* Options with the defaults, for callers that pass NULL. */
static const osmdiag_options *options_or_defaults(const osmdiag_options *opts, osmdiag_options *defaults)
{
	if (opts)
		return opts;
	memset(defaults, 0, sizeof(*defaults));
	defaults->fail_on = OSMDIAG_STATUS_FAIL;
	defaults->expiry_warning_days = 30;
	return defaults;
}

static osmdiag_report *run_checks(osmdiag_source *src, const char *only_id, const osmdiag_options *opts,
	osmdiag_error *err)
{
	osmdiag_options defaults;
	osmdiag__gather g;
	osmdiag_report *rep = NULL;
	check_run *runs = NULL;
	size_t ncheck = osmdiag__catalogue_size();
	double t0 = osmdiag__now_ms();
	const osmdiag__model *m = &g.model;

	osmdiag_error_clear(err);
	memset(&g, 0, sizeof(g));
	if (!src) {
		osmdiag__error_set(err, OSMDIAG_EINVAL, "no source of cluster state given");
		return NULL;
	}
	opts = options_or_defaults(opts, &defaults);
	if (osmdiag__gather_run(&g, src, opts, osmdiag__plan_needs(opts, only_id), err) != OSMDIAG_OK)
		goto out;
	runs = calloc(ncheck, sizeof(*runs));
	rep = osmdiag__report_new();
	if (!runs || !rep)
		goto oom;
	rep->fail_on = opts->fail_on;
	rep->source_kind = osmdiag__strdup(osmdiag_source_kind(src));
	rep->source_desc = osmdiag__strdup(osmdiag_source_description(src));
	if (m->mesh && osmdiag__report_set_mesh(rep, m->mesh->name, m->mesh->namespace_, m->mesh->version,
						m->mesh->profile->name) < 0)
		goto oom;
	for (size_t i = 0; i < ncheck; i++) {
		const osmdiag__check_def *d = osmdiag__catalogue_get(i);

		if (osmdiag__check_selected(opts, only_id, d) && run_one(m, &g, d, runs, rep) < 0)
			goto oom;
	}
	rep->duration_ms = osmdiag__now_ms() - t0;
	goto out;

oom:
	osmdiag__error_set(err, OSMDIAG_ENOMEM, "out of memory");
	osmdiag_report_free(rep);
	rep = NULL;
out:
	for (size_t i = 0; runs && i < ncheck; i++)
		free(runs[i].summary);
	free(runs);
	osmdiag__gather_dispose(&g);
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
