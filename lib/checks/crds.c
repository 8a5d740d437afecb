/*
 * crds checks (OSMD501-503): the profile's CRD set, the SMI and MeshConfig
 * versions the controller needs served, and SMI kinds OSM does not support.
 *
 * Facts: FACTS.md §4 (CRDs per release), §1.2 (controller liveness needs the
 * SMI versions, pkg/smi/health.go), §3.2 #10 (the guide's CRD list).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "osmdiag/check.h"
#include "checks/check_impl.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define CRD_KIND "CustomResourceDefinition"

/* The eight CRDs the AKS guide lists (the v0.11/v1.0 set). */
static const char *const guide_crds[] = {
	"egresses.policy.openservicemesh.io", "httproutegroups.specs.smi-spec.io",
	"ingressbackends.policy.openservicemesh.io", "meshconfigs.config.openservicemesh.io",
	"multiclusterservices.config.openservicemesh.io", "tcproutes.specs.smi-spec.io",
	"trafficsplits.split.smi-spec.io", "traffictargets.access.smi-spec.io",
};

static int in_list(const char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (osmdiag__streq(list[i], s))
			return 1;
	return 0;
}

/* 1 when the profile's set differs from the guide's list; fills what differs. */
static int guide_list_differs(const osmdiag__profile *p, osmdiag__buf *extra, osmdiag__buf *lacking)
{
	for (size_t i = 0; i < NELEM(guide_crds); i++)
		if (!in_list(p->crds, p->ncrds, guide_crds[i]))
			osmdiag__buf_printf(extra, "%s%s", extra->len ? ", " : "", guide_crds[i]);
	for (size_t i = 0; i < p->ncrds; i++)
		if (!in_list(guide_crds, NELEM(guide_crds), p->crds[i]))
			osmdiag__buf_printf(lacking, "%s%s", lacking->len ? ", " : "", p->crds[i]);
	return extra->len || lacking->len;
}

static void set_guide_hint(struct osmdiag_result *r, const osmdiag__profile *p, const char *prefix)
{
	osmdiag__buf extra = OSMDIAG__BUF_INIT, lacking = OSMDIAG__BUF_INIT;

	if (guide_list_differs(p, &extra, &lacking))
		osmdiag__result_set_hint(r, "%sThe AKS guide's CRD list is the v1.0 set; for OSM %s it "
			"%s%s%s%s%s.",
			prefix ? prefix : "", p->name, extra.len ? "wrongly includes " : "",
			extra.len ? extra.ptr : "", extra.len && lacking.len ? " and " : "",
			lacking.len ? "lacks " : "", lacking.len ? lacking.ptr : "");
	else if (prefix)
		osmdiag__result_set_hint(r, "%s", prefix);
	osmdiag__buf_free(&extra);
	osmdiag__buf_free(&lacking);
}

#define REAPPLY_HINT "osm-bootstrap applies the CRDs when it starts (its init container up to " \
	"v1.1.1/v1.2.0, the bootstrap process itself from v1.1.2/v1.2.1): restarting it re-installs them. "

/* ---- OSMD501 ------------------------------------------------------------------- */

static void run_501(osmdiag__ctx *ctx)
{
	const osmdiag__mesh *mesh = ctx->m->mesh;
	const osmdiag__profile *p = mesh->profile;
	size_t missing = 0;

	for (size_t i = 0; i < p->ncrds; i++) {
		struct osmdiag_result *r;

		if (osmdiag__model_get(ctx->m, CRD_KIND, NULL, p->crds[i]))
			continue;
		missing++;
		r = osmdiag__emit_about(ctx, OSMDIAG_STATUS_FAIL, CRD_KIND, NULL, p->crds[i],
			"CRD %s not found; expected installed (OSM %s profile set of %zu CRDs)", p->crds[i],
			p->name, p->ncrds);
		set_guide_hint(r, p, REAPPLY_HINT);
		osmdiag__result_set_fix(r, "kubectl rollout restart deployment/osm-bootstrap -n %s",
			mesh->namespace_);
	}
	if (!missing) {
		struct osmdiag_result *r;

		r = osmdiag__emit_about(ctx, OSMDIAG_STATUS_PASS, CRD_KIND, NULL, NULL, "all %zu CRDs of the OSM %s profile installed",
			p->ncrds, p->name);
		set_guide_hint(r, p, NULL);
	}
	/* CRDs of the guide's (older) list that this release does not ship: harmless, worth a note */
	for (size_t i = 0; i < NELEM(guide_crds); i++) {
		struct osmdiag_result *r;

		if (in_list(p->crds, p->ncrds, guide_crds[i]) ||
		    !osmdiag__model_get(ctx->m, CRD_KIND, NULL, guide_crds[i]))
			continue;
		r = osmdiag__emit_about(ctx, OSMDIAG_STATUS_INFO, CRD_KIND, NULL, guide_crds[i], "CRD %s is installed but not part of "
			"OSM %s; OSM ignores it", guide_crds[i], p->name);
		osmdiag__result_set_hint(r, "Left from an older release or applied from the AKS guide's CRD "
			"list (the v1.0 set). Deleting it also deletes its objects; nothing in OSM %s uses "
			"them.",
			p->name);
		osmdiag__result_set_fix(r, "kubectl delete crd %s", guide_crds[i]);
	}
}

/* ---- OSMD502 ------------------------------------------------------------------- */

typedef struct served_req {
	const char *crd;
	const char *version; /* NULL = the profile's MeshConfig version */
	const char *kind;
} served_req;

static const served_req served_reqs[] = {
	{ "traffictargets.access.smi-spec.io", "v1alpha3", "TrafficTarget" },
	{ "httproutegroups.specs.smi-spec.io", "v1alpha4", "HTTPRouteGroup" },
	{ "tcproutes.specs.smi-spec.io", "v1alpha4", "TCPRoute" },
	{ "trafficsplits.split.smi-spec.io", "v1alpha2", "TrafficSplit" },
	{ "meshconfigs.config.openservicemesh.io", NULL, "MeshConfig" },
};

/*
 * Reads spec.versions of a CRD: the served names into `served`, the index of
 * `want` into *idx (-1 when absent) and whether it is served. Returns 0, or
 * -1 with `bad` naming the field of a wrong type.
 */
static int read_versions(const osmdiag__obj *crd, const char *want, osmdiag__buf *served, long *idx,
	int *want_served, char *bad, size_t badlen)
{
	const osmdiag__obj *vers = osmdiag__obj_get(crd, "spec.versions");
	const osmdiag__obj *spec = osmdiag__obj_member(crd, "spec");
	const char *t;

	*idx = -1;
	*want_served = 0;
	if (spec && !osmdiag__obj_is_object(spec) && strcmp(osmdiag__obj_type_name(spec), "null") != 0) {
		snprintf(bad, badlen, "spec is %s, expected an object", osmdiag__type_phrase(osmdiag__obj_type_name(spec)));
		return -1;
	}
	t = osmdiag__obj_type_name(vers);
	if (vers && !osmdiag__obj_is_array(vers) && strcmp(t, "null") != 0) {
		snprintf(bad, badlen, "spec.versions is %s, expected an array", osmdiag__type_phrase(t));
		return -1;
	}
	for (size_t i = 0; i < osmdiag__obj_len(vers); i++) {
		const osmdiag__obj *v = osmdiag__obj_at(vers, i);
		const char *name = NULL;
		int s = 0, rc;

		if (!osmdiag__obj_is_object(v)) {
			snprintf(bad, badlen, "spec.versions[%zu] is %s, expected an object", i,
				 osmdiag__type_phrase(osmdiag__obj_type_name(v)));
			return -1;
		}
		rc = osmdiag__obj_get_str(v, "name", &name);
		if (rc == OSMDIAG__F_WRONGTYPE) {
			snprintf(bad, badlen, "spec.versions[%zu].name is %s, expected a string", i,
				 osmdiag__type_phrase(osmdiag__obj_type_name(osmdiag__obj_member(v, "name"))));
			return -1;
		}
		rc = osmdiag__obj_get_bool(v, "served", &s);
		if (rc == OSMDIAG__F_WRONGTYPE) {
			snprintf(bad, badlen, "spec.versions[%zu].served is %s, expected a boolean", i,
				 osmdiag__type_phrase(osmdiag__obj_type_name(osmdiag__obj_member(v, "served"))));
			return -1;
		}
		if (s && name)
			osmdiag__buf_printf(served, "%s%s", served->len ? "," : "", name);
		if (osmdiag__streq(name, want)) {
			*idx = (long)i;
			*want_served = s;
		}
	}
	return 0;
}

static void run_502(osmdiag__ctx *ctx)
{
	const osmdiag__mesh *mesh = ctx->m->mesh;
	size_t problems = 0;
	osmdiag__buf okb = OSMDIAG__BUF_INIT;

	for (size_t i = 0; i < NELEM(served_reqs); i++) {
		const served_req *q = &served_reqs[i];
		const char *want = q->version ? q->version : mesh->profile->meshconfig_version;
		const osmdiag__obj *crd = osmdiag__model_get(ctx->m, CRD_KIND, NULL, q->crd);
		osmdiag__buf served = OSMDIAG__BUF_INIT;
		struct osmdiag_result *r;
		int is_served = 0;
		char bad[160];
		long idx;

		if (!crd) {
			problems++;
			r = osmdiag__emit_about(ctx, OSMDIAG_STATUS_FAIL, CRD_KIND, NULL, q->crd, "CRD %s not found, so %s %s is not "
				"served; expected served (see OSMD501)", q->crd, q->kind, want);
			osmdiag__result_set_hint(r, q->version ? REAPPLY_HINT "Without it osm-controller's "
				"liveness probe fails and the controller restarts in a loop." : REAPPLY_HINT);
			osmdiag__result_set_fix(r, "kubectl rollout restart deployment/osm-bootstrap -n %s",
				mesh->namespace_);
			continue;
		}
		if (read_versions(crd, want, &served, &idx, &is_served, bad, sizeof(bad)) < 0) {
			problems++;
			osmdiag__emit_about(ctx, OSMDIAG_STATUS_ERROR, CRD_KIND, NULL, q->crd, "CRD %s: %s; cannot read the served "
				"versions",
				q->crd, bad);
			osmdiag__buf_free(&served);
			continue;
		}
		if (!is_served) {
			problems++;
			r = osmdiag__emit_about(ctx, OSMDIAG_STATUS_FAIL, CRD_KIND, NULL, q->crd, "CRD %s serves %s; expected %s served",
				q->crd, served.len ? served.ptr : "no version", want);
			if (q->version)
				osmdiag__result_set_hint(r, "osm-controller discovers %s %s for its "
					"readiness and liveness probes (pkg/smi/health.go): without it the "
					"controller restarts in a loop. "
					"%s", q->kind, want, idx < 0 ? REAPPLY_HINT : "");
			else
				osmdiag__result_set_hint(r, "The OSM %s control plane reads and writes "
					"MeshConfig %s (its storage version). %s", mesh->profile->name, want,
					idx < 0 ? REAPPLY_HINT : "");
			if (idx >= 0)
				osmdiag__result_set_fix(r, "kubectl patch crd %s --type=json -p "
					"'[{\"op\":\"replace\",\"path\":\"/spec/versions/%ld/served\","
					"\"value\":true}]'", q->crd, idx);
			else
				osmdiag__result_set_fix(r, "kubectl rollout restart deployment/osm-bootstrap "
					"-n %s",
					mesh->namespace_);
		} else {
			osmdiag__buf_printf(&okb, "%s%s:%s", okb.len ? "," : "", q->kind, want);
		}
		osmdiag__buf_free(&served);
	}
	if (!problems)
		osmdiag__emit_about(ctx, OSMDIAG_STATUS_PASS, CRD_KIND, NULL, NULL, "served: %s", okb.ptr ? okb.ptr : "");
	osmdiag__buf_free(&okb);
}

/* ---- OSMD503 ------------------------------------------------------------------- */

static void run_503(osmdiag__ctx *ctx)
{
	osmdiag__objs crds = { NULL, 0 };
	size_t found = 0;

	if (osmdiag__model_list(ctx->m, CRD_KIND, NULL, NULL, &crds) < 0) {
		osmdiag__emit(ctx, OSMDIAG_STATUS_ERROR, "out of memory while listing CRDs");
		return;
	}
	for (size_t i = 0; i < crds.n; i++) {
		const char *name = osmdiag__obj_name(crds.v[i]);
		struct osmdiag_result *r;

		if (!name || (strcmp(name, "udproutes.specs.smi-spec.io") != 0 &&
			      !osmdiag__has_suffix(name, ".metrics.smi-spec.io")))
			continue;
		found++;
		r = osmdiag__emit_about(ctx, OSMDIAG_STATUS_INFO, CRD_KIND, NULL, name, "CRD %s is installed; OSM does not support it "
			"and ignores its objects", name);
		osmdiag__result_set_hint(r, "Objects of this kind have no effect on the mesh; OSM implements "
			"SMI TrafficTarget v1alpha3, HTTPRouteGroup/TCPRoute v1alpha4 and TrafficSplit "
			"v1alpha2 only. Remove the CRD if nothing else uses it.");
		osmdiag__result_set_fix(r, "kubectl delete crd %s", name);
	}
	if (!found)
		osmdiag__emit(ctx, OSMDIAG_STATUS_PASS, "no unsupported SMI CRDs installed "
			"(udproutes.specs.smi-spec.io, *.metrics.smi-spec.io)");
	osmdiag__objs_free(&crds);
}

/* ---- the table ------------------------------------------------------------------- */

#define GUIDE_CRDS "Verify OSM CRDs"

const osmdiag__check_def osmdiag__checks_crds[] = {
	{ "OSMD501", "crds", "required CRDs installed", "fail",
	  "Every CRD of the version profile's set exists: v1.0 the guide's eight; v1.1 adds retries.policy "
	  "and upstreamtrafficsettings.policy; v1.2 drops multiclusterservices.config and adds "
	  "meshrootcertificates.config.",
	  "Without a CRD its OSM or SMI objects cannot be created or watched: the controller's informers "
	  "fail, policies are not applied, and missing SMI CRDs fail the controller's liveness probe.",
	  "Restart osm-bootstrap, which applies the CRDs of its release at start: `kubectl rollout restart "
	  "deployment/osm-bootstrap -n <mesh-ns>`. The guide's list is the v1.0 set (wrong for v1.1/v1.2).",
	  GUIDE_CRDS ", step 1: `kubectl get crds`", OSMDIAG__NEED_CRD, NULL, run_501 },
	{ "OSMD502", "crds", "SMI versions served", "fail",
	  "traffictargets.access.smi-spec.io serves v1alpha3, httproutegroups.specs.smi-spec.io v1alpha4, "
	  "tcproutes.specs.smi-spec.io v1alpha4, trafficsplits.split.smi-spec.io v1alpha2 "
	  "(spec.versions[].served), and meshconfigs.config.openservicemesh.io serves the profile's storage "
	  "version (v1alpha1 up to v1.0, v1alpha2 from v1.1).",
	  "osm-controller's readiness and liveness probes discover these SMI versions: without them it "
	  "restarts in a loop; without the MeshConfig version the control plane cannot read its "
	  "configuration.",
	  "Set the version served (`kubectl patch crd <crd> --type=json -p "
	  "'[{\"op\":\"replace\",\"path\":\"/spec/versions/<i>/served\",\"value\":true}]'`) or restart "
	  "osm-bootstrap to re-apply the CRDs.",
	  GUIDE_CRDS ", step 2: `osm mesh list` SMI SUPPORTED", OSMDIAG__NEED_CRD, NULL, run_502 },
	{ "OSMD503", "crds", "unsupported SMI kinds", "info",
	  "udproutes.specs.smi-spec.io and *.metrics.smi-spec.io are reported as info when installed: OSM "
	  "ignores them.",
	  "Nothing breaks, but objects of these kinds have no effect, which surprises users expecting UDP "
	  "routing or SMI metrics from OSM.",
	  "Remove the CRDs if nothing else uses them (`kubectl delete crd <name>`).",
	  GUIDE_CRDS ", step 2: udproutes \"Not supported\", *.metrics.smi-spec.io", OSMDIAG__NEED_CRD, NULL,
	  run_503 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL }
};
