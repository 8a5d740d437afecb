/*
 * Checks of the webhooks category (spec/CHECKS.md OSMD201-204, 211-214, 221):
 * the validating webhook written by osm-controller, the mutating webhook
 * written by osm-injector (FACTS §2) and the CRD conversion webhooks of
 * osm-bootstrap (FACTS §2, §4).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "osmdiag/check.h"
#include "checks/check_impl.h"
#include "model/cert.h"

#define LABEL_MONITORED_BY "openservicemesh.io/monitored-by"
#define LABEL_INSTANCE "app.kubernetes.io/instance"
#define CA_BUNDLE_SECRET "osm-ca-bundle"
#define CA_KEY "ca.crt"
#define CRD_CONVERTER_SECRET "crd-converter-cert-secret"

/* What differs between the validating and the mutating webhook. */
typedef struct wh_kind {
	const char *kind;       /* API kind */
	const char *kubectl;    /* kubectl resource name */
	const char *app;        /* label app= of the object and the Deployment that writes it */
	const char *aks_prefix; /* AKS name = prefix + mesh */
	const char *up_prefix;  /* upstream name = prefix + mesh */
	const char *flag;       /* the writer's flag naming the object */
	const char *svc;        /* clientConfig.service */
	const char *path;
	long long port;
	int validating;
} wh_kind;

static const wh_kind VWHC = {
	"ValidatingWebhookConfiguration", "validatingwebhookconfiguration", "osm-controller",
	"aks-osm-validator-mesh-", "osm-validator-mesh-", "validator-webhook-config",
	"osm-validator", "/validate", 9093, 1
};

static const wh_kind MWHC = {
	"MutatingWebhookConfiguration", "mutatingwebhookconfiguration", "osm-injector",
	"aks-osm-webhook-", "osm-webhook-", "webhook-config-name",
	"osm-injector", "/mutate-pod-creation", 9090, 0
};

/* ---- shared helpers ------------------------------------------------------------ */

static const char *mesh_ns(const osmdiag__ctx *ctx)
{
	return ctx->m->mesh->namespace_;
}

static const char *mesh_name(const osmdiag__ctx *ctx)
{
	return ctx->m->mesh->name;
}

/* Webhook configurations of `k` that belong to the mesh: labelled app=<writer>,
 * and (where present) app.kubernetes.io/instance / meshName equal to the mesh. */
static int find_configs(const osmdiag__ctx *ctx, const wh_kind *k, osmdiag__objs *out, size_t *others)
{
	osmdiag__objs all = { NULL, 0 };
	char sel[64];
	size_t i, n = 0;

	out->v = NULL;
	out->n = 0;
	*others = 0;
	snprintf(sel, sizeof(sel), "app=%s", k->app);
	if (osmdiag__model_list(ctx->m, k->kind, NULL, sel, &all) < 0)
		return -1;
	for (i = 0; i < all.n; i++) {
		const char *inst = osmdiag__obj_label(all.v[i], LABEL_INSTANCE);
		const char *mn = osmdiag__obj_label(all.v[i], "meshName");

		if ((osmdiag__obj_has_label(all.v[i], LABEL_INSTANCE) && !osmdiag__streq(inst,
			mesh_name(ctx))) ||
		    (osmdiag__obj_has_label(all.v[i], "meshName") && !osmdiag__streq(mn, mesh_name(ctx)))) {
			(*others)++;
			continue;
		}
		all.v[n++] = all.v[i];
	}
	all.n = n;
	*out = all;
	return 0;
}

/* The object name the writer Deployment is configured for (flag --<flag>=x or
 * --<flag> x on its container), copied into buf; 0 when found. */
static int configured_name(const osmdiag__ctx *ctx, const wh_kind *k, char *buf, size_t len)
{
	const osmdiag__obj *d = osmdiag__model_get(ctx->m, "Deployment", mesh_ns(ctx), k->app);
	const osmdiag__obj *cs = osmdiag__obj_get(d, "spec.template.spec.containers");
	size_t i, j, fl = strlen(k->flag);

	for (i = 0; i < osmdiag__obj_len(cs); i++) {
		const osmdiag__obj *c = osmdiag__obj_at(cs, i);
		const osmdiag__obj *args = osmdiag__obj_get(c, "args");

		if (!osmdiag__streq(osmdiag__obj_str(c, "name"), k->app))
			continue;
		for (j = 0; j < osmdiag__obj_len(args); j++) {
			const char *a = osmdiag__obj_string_value(osmdiag__obj_at(args, j));
			const char *v = NULL;

			if (!a || a[0] != '-')
				continue;
			a += a[1] == '-' ? 2 : 1;
			if (strncmp(a, k->flag, fl) != 0)
				continue;
			if (a[fl] == '=')
				v = a + fl + 1;
			else if (a[fl] == '\0')
				v = osmdiag__obj_string_value(osmdiag__obj_at(args, j + 1));
			if (v && *v) {
				snprintf(buf, len, "%s", v);
				return 0;
			}
		}
	}
	return -1;
}

/* Label of one webhook entry for messages: "<Kind> <name> webhook <entry name>". */
static void entry_label(const wh_kind *k, const osmdiag__obj *cfg, const osmdiag__obj *wh, size_t i,
	size_t n, char *buf, size_t len)
{
	const char *wn = osmdiag__obj_str(wh, "name");

	if (wn)
		snprintf(buf, len, "%s %s webhook %s", k->kind, osmdiag__obj_name(cfg), wn);
	else if (n > 1)
		snprintf(buf, len, "%s %s webhooks[%zu]", k->kind, osmdiag__obj_name(cfg), i);
	else
		snprintf(buf, len, "%s %s", k->kind, osmdiag__obj_name(cfg));
}

static void set_cfg_resource(struct osmdiag_result *r, const wh_kind *k, const osmdiag__obj *cfg)
{
	osmdiag__result_set_resource(r, k->kind, NULL, osmdiag__obj_name(cfg));
}

static void set_restart_fix(osmdiag__ctx *ctx, struct osmdiag_result *r, const wh_kind *k)
{
	osmdiag__result_set_fix(r, "kubectl rollout restart deployment/%s -n %s", k->app, mesh_ns(ctx));
}

/*
 * `webhooks` of a configuration: returns the array, or NULL after emitting a
 * fail naming the field (missing, wrong type, empty).
 */
static const osmdiag__obj *webhooks_or_fail(osmdiag__ctx *ctx, const wh_kind *k, const osmdiag__obj *cfg)
{
	const osmdiag__obj *whs = osmdiag__obj_get(cfg, "webhooks");
	struct osmdiag_result *r;

	if (osmdiag__obj_is_array(whs) && osmdiag__obj_len(whs) > 0)
		return whs;
	if (!whs || osmdiag__obj_is_array(whs))
		r = osmdiag__emit(ctx, OSMDIAG_STATUS_FAIL, "%s %s has no webhooks (expected one entry "
			"calling service %s/%s:%lld%s)", k->kind, osmdiag__obj_name(cfg), mesh_ns(ctx),
			k->svc, k->port, k->path);
	else
		r = osmdiag__emit(ctx, OSMDIAG_STATUS_FAIL, "%s %s: webhooks is %s, expected an array",
			k->kind, osmdiag__obj_name(cfg), osmdiag__obj_type_phrase(whs));
	set_cfg_resource(r, k, cfg);
	osmdiag__result_set_hint(r, "%s rewrites the whole object at start; restart it (or delete the object "
		"first if it is a leftover: kubectl delete %s %s)", k->app, k->kubectl,
		osmdiag__obj_name(cfg));
	set_restart_fix(ctx, r, k);
	return NULL;
}

/* ---- OSMD201 / OSMD211: present ----------------------------------------------------- */

static void check_present(osmdiag__ctx *ctx, const wh_kind *k)
{
	osmdiag__objs cfgs;
	size_t others = 0, i;
	char want[256], aks[256], up[256];
	int from_flag;
	const osmdiag__obj *primary = NULL;
	struct osmdiag_result *r;

	if (find_configs(ctx, k, &cfgs, &others) < 0) {
		osmdiag__emit(ctx, OSMDIAG_STATUS_ERROR, "out of memory listing %ss", k->kind);
		return;
	}
	snprintf(aks, sizeof(aks), "%s%s", k->aks_prefix, mesh_name(ctx));
	snprintf(up, sizeof(up), "%s%s", k->up_prefix, mesh_name(ctx));
	from_flag = configured_name(ctx, k, want, sizeof(want)) == 0;
	if (cfgs.n == 0) {
		if (from_flag)
			r = osmdiag__emit(ctx, OSMDIAG_STATUS_FAIL,
				"no %s labelled app=%s for mesh %s; expected %s (deployment/%s --%s)",
				k->kind, k->app, mesh_name(ctx), want, k->app, k->flag);
		else
			r = osmdiag__emit(ctx, OSMDIAG_STATUS_FAIL,
				"no %s labelled app=%s for mesh %s; expected %s (AKS) or %s (upstream)",
				k->kind, k->app, mesh_name(ctx), aks, up);
		osmdiag__result_set_resource(r, k->kind, NULL, from_flag ? want : aks);
		osmdiag__result_set_hint(r, "%s creates this object when it starts; without it %s%s. Restart "
			"it and check its logs if the object does not appear%s", k->app,
			k->validating ? "OSM policy and SMI resources are not validated"
				      : "no pod gets an Envoy sidecar",
			others ? " (configurations of other meshes exist)" : "",
			others ? "; compare their app.kubernetes.io/instance label with the mesh name" : "");
		set_restart_fix(ctx, r, k);
		osmdiag__objs_free(&cfgs);
		return;
	}
	for (i = 0; i < cfgs.n && !primary; i++)
		if (osmdiag__streq(osmdiag__obj_name(cfgs.v[i]), from_flag ? want : aks))
			primary = cfgs.v[i];
	for (i = 0; i < cfgs.n && !primary && !from_flag; i++)
		if (osmdiag__streq(osmdiag__obj_name(cfgs.v[i]), up))
			primary = cfgs.v[i];
	if (!primary && from_flag) {
		for (i = 0; i < cfgs.n; i++) {
			r = osmdiag__emit(ctx, OSMDIAG_STATUS_FAIL,
				"%s %s is labelled app=%s for mesh %s but deployment/%s writes %s (--%s): %s "
				"is missing and %s is stale", k->kind,
				osmdiag__obj_name(cfgs.v[i]), k->app, mesh_name(ctx), k->app, want, k->flag,
				want, osmdiag__obj_name(cfgs.v[i]));
			set_cfg_resource(r, k, cfgs.v[i]);
			osmdiag__result_set_hint(r, "delete the stale object and restart %s so that it "
				"writes %s", k->app, want);
			osmdiag__result_set_fix(r, "kubectl delete %s %s && kubectl rollout restart "
				"deployment/%s -n %s",
				k->kubectl, osmdiag__obj_name(cfgs.v[i]), k->app, mesh_ns(ctx));
		}
		osmdiag__objs_free(&cfgs);
		return;
	}
	if (!primary)
		primary = cfgs.v[0];
	if (cfgs.n == 1) {
		osmdiag__emit(ctx, OSMDIAG_STATUS_PASS, "%s %s present (labelled app=%s, mesh %s)", k->kind,
			osmdiag__obj_name(primary), k->app, mesh_name(ctx));
	} else {
		for (i = 0; i < cfgs.n; i++) {
			if (cfgs.v[i] == primary)
				continue;
			r = osmdiag__emit(ctx, OSMDIAG_STATUS_WARN,
				"%s %s is a second configuration labelled app=%s for mesh %s; expected only "
				"%s", k->kind, osmdiag__obj_name(cfgs.v[i]), k->app,
				mesh_name(ctx), osmdiag__obj_name(primary));
			set_cfg_resource(r, k, cfgs.v[i]);
			osmdiag__result_set_hint(r, "the API server calls every configuration: a leftover "
				"from an earlier install (another name prefix or version) that points at a "
				"wrong service or an old CA makes %s fail; delete it (%s keeps %s up to "
				"date)",
				k->validating ? "creating OSM policy resources" : "pod creation", k->app,
				osmdiag__obj_name(primary));
			osmdiag__result_set_fix(r, "kubectl delete %s %s", k->kubectl,
				osmdiag__obj_name(cfgs.v[i]));
		}
	}
	osmdiag__objs_free(&cfgs);
}

static void run_201(osmdiag__ctx *ctx)
{
	check_present(ctx, &VWHC);
}

static void run_211(osmdiag__ctx *ctx)
{
	check_present(ctx, &MWHC);
}

/* ---- OSMD202 / OSMD212: service ----------------------------------------------------- */

/* Reads a string field; on a wrong type appends "<path> is <type>" to `bad`. */
static const char *str_field(const osmdiag__obj *o, const char *path, const char *prefix, osmdiag__buf *bad)
{
	const char *s = NULL;
	int rc = osmdiag__obj_get_str(o, path, &s);

	if (rc == OSMDIAG__F_WRONGTYPE)
		osmdiag__buf_printf(bad, "%s%s%s is %s, expected a string", bad->len ? "; " : "", prefix,
			path, osmdiag__obj_type_phrase(osmdiag__obj_get(o, path)));
	return rc == OSMDIAG__F_OK ? s : NULL;
}

/* Checks the Service the webhook should call: exists in the mesh namespace with `port`. */
static int check_target_service(osmdiag__ctx *ctx, const char *svc_name, long long port, const char *who,
	const char *see)
{
	const osmdiag__obj *svc = osmdiag__model_get(ctx->m, "Service", mesh_ns(ctx), svc_name);
	const osmdiag__obj *ports = osmdiag__obj_get(svc, "spec.ports");
	osmdiag__buf seen = OSMDIAG__BUF_INIT;
	struct osmdiag_result *r;
	size_t i;
	int found = 0;

	if (!svc) {
		r = osmdiag__emit(ctx, OSMDIAG_STATUS_FAIL, "Service %s/%s (called by %s) not found; "
			"expected it exposing port %lld", mesh_ns(ctx), svc_name, who, port);
		osmdiag__result_set_resource(r, "Service", mesh_ns(ctx), svc_name);
		osmdiag__result_set_hint(r, "the Service is part of the OSM installation (Helm chart / AKS "
			"add-on), not written by the webhook's owner; restore it by re-applying the "
			"installation%s", see);
		osmdiag__result_set_fix(r, "kubectl get service %s -n %s -o yaml", svc_name, mesh_ns(ctx));
		return 1;
	}
	if (!osmdiag__obj_is_array(ports)) {
		r = osmdiag__emit(ctx, OSMDIAG_STATUS_FAIL, "Service %s/%s: spec.ports is %s, expected an "
			"array with port %lld", mesh_ns(ctx), svc_name, osmdiag__obj_type_phrase(ports), port);
		osmdiag__result_set_resource(r, "Service", mesh_ns(ctx), svc_name);
		osmdiag__result_set_hint(r, "restore the Service from the OSM installation%s", see);
		return 1;
	}
	for (i = 0; i < osmdiag__obj_len(ports); i++) {
		long long p = 0;
		int rc = osmdiag__obj_get_int(osmdiag__obj_at(ports, i), "port", &p);

		if (rc == OSMDIAG__F_WRONGTYPE) {
			r = osmdiag__emit(ctx, OSMDIAG_STATUS_FAIL,
				"Service %s/%s: spec.ports[%zu].port is %s, expected an integer",
				mesh_ns(ctx), svc_name, i,
				osmdiag__obj_type_phrase(osmdiag__obj_get(osmdiag__obj_at(ports, i), "port")));
			osmdiag__result_set_resource(r, "Service", mesh_ns(ctx), svc_name);
			osmdiag__buf_free(&seen);
			return 1;
		}
		if (rc == OSMDIAG__F_OK) {
			osmdiag__buf_printf(&seen, "%s%lld", seen.len ? "," : "", p);
			if (p == port)
				found = 1;
		}
	}
	if (!found) {
		r = osmdiag__emit(ctx, OSMDIAG_STATUS_FAIL, "Service %s/%s exposes ports %s, expected %lld "
			"(called by %s)", mesh_ns(ctx), svc_name, seen.len ? seen.ptr : "none", port, who);
		osmdiag__result_set_resource(r, "Service", mesh_ns(ctx), svc_name);
		osmdiag__result_set_hint(r, "restore the Service from the OSM installation%s", see);
		osmdiag__result_set_fix(r, "kubectl get service %s -n %s -o yaml", svc_name, mesh_ns(ctx));
	}
	osmdiag__buf_free(&seen);
	return !found;
}

static void check_service(osmdiag__ctx *ctx, const wh_kind *k)
{
	osmdiag__objs cfgs;
	size_t others, c, i;
	int problems = 0;
	osmdiag__buf ok = OSMDIAG__BUF_INIT;

	if (find_configs(ctx, k, &cfgs, &others) < 0) {
		osmdiag__emit(ctx, OSMDIAG_STATUS_ERROR, "out of memory listing %ss", k->kind);
		return;
	}
	for (c = 0; c < cfgs.n; c++) {
		const osmdiag__obj *cfg = cfgs.v[c];
		const osmdiag__obj *whs = webhooks_or_fail(ctx, k, cfg);

		if (!whs) {
			problems++;
			continue;
		}
		for (i = 0; i < osmdiag__obj_len(whs); i++) {
			const osmdiag__obj *wh = osmdiag__obj_at(whs, i);
			const osmdiag__obj *cc = osmdiag__obj_get(wh, "clientConfig");
			const osmdiag__obj *svc = osmdiag__obj_get(cc, "service");
			osmdiag__buf bad = OSMDIAG__BUF_INIT, diff = OSMDIAG__BUF_INIT;
			const char *url = NULL, *name, *ns, *path;
			long long port = 443;
			int prc;
			char label[512];
			struct osmdiag_result *r = NULL;

			entry_label(k, cfg, wh, i, osmdiag__obj_len(whs), label, sizeof(label));
			if (!osmdiag__obj_is_object(cc)) {
				osmdiag__buf_printf(&bad, "clientConfig is %s, expected an object",
					osmdiag__obj_type_phrase(cc));
			} else {
				url = str_field(cc, "url", "clientConfig.", &bad);
				if (url) {
					r = osmdiag__emit(ctx, OSMDIAG_STATUS_FAIL,
						"%s calls url %s; expected service %s/%s:%lld%s", label, url,
						mesh_ns(ctx), k->svc, k->port, k->path);
				} else if (!svc) {
					osmdiag__buf_printf(&bad,
						"%sclientConfig has neither service nor url",
						bad.len ? "; " : "");
				} else if (!osmdiag__obj_is_object(svc)) {
					osmdiag__buf_printf(&bad,
						"%sclientConfig.service is %s, expected an object",
						bad.len ? "; " : "", osmdiag__obj_type_phrase(svc));
				} else {
					name = str_field(svc, "name", "clientConfig.service.", &bad);
					ns = str_field(svc, "namespace", "clientConfig.service.", &bad);
					path = str_field(svc, "path", "clientConfig.service.", &bad);
					prc = osmdiag__obj_get_int(svc, "port", &port);
					if (prc == OSMDIAG__F_WRONGTYPE)
						osmdiag__buf_printf(&bad,
							"%sclientConfig.service.port is %s, expected an "
							"integer", bad.len ? "; " : "",
							osmdiag__obj_type_phrase(osmdiag__obj_get(svc, "port")));
					else if (prc == OSMDIAG__F_MISSING)
						port = 443; /* the admissionregistration/v1 default */
					if (!bad.len && (!osmdiag__streq(name, k->svc) || !osmdiag__streq(ns,
						mesh_ns(ctx)) ||
							 !osmdiag__streq(path, k->path) || port != k->port))
						osmdiag__buf_printf(&diff, "%s/%s:%lld%s",
							ns ? ns : "(no namespace)",
							name ? name : "(no name)", port, path ? path : "");
				}
			}
			if (bad.len) {
				r = osmdiag__emit(ctx, OSMDIAG_STATUS_FAIL, "%s: %s", label, bad.ptr);
			} else if (diff.len) {
				r = osmdiag__emit(ctx, OSMDIAG_STATUS_FAIL,
					"%s calls service %s; expected %s/%s:%lld%s",
					label, diff.ptr, mesh_ns(ctx), k->svc, k->port, k->path);
			}
			if (r) {
				problems++;
				set_cfg_resource(r, k, cfg);
				if (k->validating)
					osmdiag__result_set_hint(r,
						"osm-controller rewrites this object with "
						"clientConfig.service {name: osm-validator, namespace: %s, "
						"path: /validate, port: 9093} at start: restart it (if %s is "
						"a leftover, delete it instead: kubectl delete %s %s). The "
						"AKS guide's sample {\"name\":\"osm-config-validator\","
						"\"path\":\"/validate-webhook\",\"port\":9093} is the OSM "
						"v0.8 ConfigMap validator, not the current object",
						mesh_ns(ctx), osmdiag__obj_name(cfg), k->kubectl,
						osmdiag__obj_name(cfg));
				else
					osmdiag__result_set_hint(r,
						"osm-injector rewrites this object with clientConfig.service "
						"{name: osm-injector, namespace: %s, path: "
						"/mutate-pod-creation, port: 9090} at start: restart it (if "
						"%s is a leftover, delete it instead: kubectl delete %s %s)",
						mesh_ns(ctx), osmdiag__obj_name(cfg), k->kubectl,
						osmdiag__obj_name(cfg));
				set_restart_fix(ctx, r, k);
			} else if (!url) {
				osmdiag__buf_printf(&ok, "%s%s", ok.len ? ", " : "", osmdiag__obj_name(cfg));
			}
			osmdiag__buf_free(&bad);
			osmdiag__buf_free(&diff);
		}
	}
	{
		char who[128];

		snprintf(who, sizeof(who), "%s webhook", k->validating ? "the validating" : "the mutating");
		problems += check_target_service(ctx, k->svc, k->port, who,
			k->validating ? " (OSMD103 checks it in full)" : " (OSMD113 checks it in full)");
	}
	if (!problems)
		osmdiag__emit(ctx, OSMDIAG_STATUS_PASS, "%s %s calls service %s/%s:%lld%s, and the Service "
			"exposes port %lld", k->kind, ok.len ? ok.ptr : "(none)", mesh_ns(ctx), k->svc,
			k->port, k->path, k->port);
	osmdiag__buf_free(&ok);
	osmdiag__objs_free(&cfgs);
}

static void run_202(osmdiag__ctx *ctx)
{
	check_service(ctx, &VWHC);
}

static void run_212(osmdiag__ctx *ctx)
{
	check_service(ctx, &MWHC);
}

/* ---- OSMD203 / OSMD213 / OSMD221: CA bundles ------------------------------------------ */

/* The reference bundle: `ca.crt` of Secret `secret` in the mesh namespace.
 * Returns 1 when parsed into out, 0 when unavailable (why says so). */
static int reference_bundle(const osmdiag__ctx *ctx, const char *secret, osmdiag__certs *out, char *why,
	size_t wl)
{
	const osmdiag__obj *s = osmdiag__model_get(ctx->m, "Secret", mesh_ns(ctx), secret);
	const osmdiag__obj *v = osmdiag__obj_member(osmdiag__obj_get(s, "data"), CA_KEY);
	char err[200];

	out->v = NULL;
	out->n = 0;
	if (!s) {
		snprintf(why, wl, "Secret %s/%s not found", mesh_ns(ctx), secret);
		return 0;
	}
	if (!osmdiag__obj_is_string(v)) {
		snprintf(why, wl, "Secret %s/%s has no string %s", mesh_ns(ctx), secret, CA_KEY);
		return 0;
	}
	if (osmdiag__certs_parse_b64(osmdiag__obj_string_value(v), out, err,
		sizeof(err)) != OSMDIAG__CERT_OK) {
		snprintf(why, wl, "Secret %s/%s %s does not parse: %s", mesh_ns(ctx), secret, CA_KEY, err);
		return 0;
	}
	return 1;
}

typedef struct bundle_eval {
	int status;          /* PASS / WARN / FAIL */
	char msg[768];       /* "<subject>: <validity>" or the problem */
	int mismatch;
} bundle_eval;

/*
 * Evaluates a caBundle value `v` (field name `field` for messages): present,
 * a string, parses, validity, and (when `ref` holds certificates) equality
 * with it, or containment of it when `superset_ok`.
 */
static void eval_bundle(const osmdiag__ctx *ctx, const osmdiag__obj *v, const char *field,
	const osmdiag__certs *ref, const char *ref_name, int superset_ok, bundle_eval *out)
{
	osmdiag__certs c = OSMDIAG__CERTS_INIT;
	osmdiag__cert_validity val;
	char err[200];

	memset(out, 0, sizeof(*out));
	if (!v || (osmdiag__obj_is_string(v) && osmdiag__obj_string_value(v)[0] == '\0')) {
		out->status = OSMDIAG_STATUS_FAIL;
		snprintf(out->msg, sizeof(out->msg), "%s is empty; expected the base64 PEM CA bundle%s%s",
			field,
			ref && ref->n ? " of " : "", ref && ref->n ? ref_name : "");
		return;
	}
	if (!osmdiag__obj_is_string(v)) {
		out->status = OSMDIAG_STATUS_FAIL;
		snprintf(out->msg, sizeof(out->msg), "%s is %s, expected a base64 string", field, osmdiag__obj_type_phrase(v));
		return;
	}
	if (osmdiag__certs_parse_b64(osmdiag__obj_string_value(v), &c, err,
		sizeof(err)) != OSMDIAG__CERT_OK) {
		out->status = OSMDIAG_STATUS_FAIL;
		snprintf(out->msg, sizeof(out->msg), "%s does not parse: %s", field, err);
		osmdiag__certs_dispose(&c);
		return;
	}
	osmdiag__certs_validity(&c, ctx->m->now, ctx->m->expiry_warning_days, &val);
	out->status = val.status;
	if (ref && ref->n && !osmdiag__certs_equal(&c, ref) &&
	    !(superset_ok && osmdiag__certs_contains_all(&c, ref))) {
		char date[40];

		out->status = OSMDIAG_STATUS_FAIL;
		out->mismatch = 1;
		osmdiag__format_rfc3339(ref->v[0].not_after, date, sizeof(date));
		snprintf(out->msg, sizeof(out->msg), "%s (%s %s, %s) does not match %s (%s %s, notAfter %s)",
			field, c.v[val.index].subject, c.v[val.index].fingerprint, val.text, ref_name,
			ref->v[0].subject, ref->v[0].fingerprint, date);
	} else if (c.n > 1) {
		snprintf(out->msg, sizeof(out->msg), "%s: %zu certificates, %s %s", field, c.n,
			c.v[val.index].subject, val.text);
	} else {
		snprintf(out->msg, sizeof(out->msg), "%s: %s %s", field, c.v[val.index].subject, val.text);
	}
	osmdiag__certs_dispose(&c);
}

static void check_ca_bundle(osmdiag__ctx *ctx, const wh_kind *k)
{
	const osmdiag__profile *p = ctx->m->mesh->profile;
	osmdiag__objs cfgs;
	size_t others, c, i;
	int problems = 0;
	osmdiag__certs ref = OSMDIAG__CERTS_INIT;
	char why[400] = "", ref_name[200] = "";
	const char *secret = p->ca_bundle_from_root ? CA_BUNDLE_SECRET : k->validating ? p->vwhc_secret
											: p->mwhc_secret;
	int have_ref = 0;
	/* v1.2 VWHC: GetTrustedCAs() = the root plus, during a MeshRootCertificate rotation, the old one. */
	int superset_ok = k->validating && strcmp(p->name, "v1.2") == 0;
	osmdiag__buf ok = OSMDIAG__BUF_INIT;

	why[0] = '\0';
	if (secret) {
		have_ref = reference_bundle(ctx, secret, &ref, why, sizeof(why));
		snprintf(ref_name, sizeof(ref_name), "Secret %s/%s %s", mesh_ns(ctx), secret, CA_KEY);
	} else {
		snprintf(why, sizeof(why), "profile %s names no secret to compare with", p->name);
	}
	if (find_configs(ctx, k, &cfgs, &others) < 0) {
		osmdiag__emit(ctx, OSMDIAG_STATUS_ERROR, "out of memory listing %ss", k->kind);
		osmdiag__certs_dispose(&ref);
		return;
	}
	for (c = 0; c < cfgs.n; c++) {
		const osmdiag__obj *cfg = cfgs.v[c];
		const osmdiag__obj *whs = webhooks_or_fail(ctx, k, cfg);

		if (!whs) {
			problems++;
			continue;
		}
		for (i = 0; i < osmdiag__obj_len(whs); i++) {
			const osmdiag__obj *wh = osmdiag__obj_at(whs, i);
			const osmdiag__obj *cc = osmdiag__obj_get(wh, "clientConfig");
			char label[512];
			bundle_eval ev;
			struct osmdiag_result *r;

			entry_label(k, cfg, wh, i, osmdiag__obj_len(whs), label, sizeof(label));
			if (cc && !osmdiag__obj_is_object(cc)) {
				ev.status = OSMDIAG_STATUS_FAIL;
				ev.mismatch = 0;
				snprintf(ev.msg, sizeof(ev.msg), "clientConfig is %s, expected an object",
					osmdiag__obj_type_phrase(cc));
			} else {
				eval_bundle(ctx, osmdiag__obj_get(cc, "caBundle"), "caBundle",
					have_ref ? &ref : NULL, ref_name, superset_ok, &ev);
			}
			if (ev.status == OSMDIAG_STATUS_PASS) {
				osmdiag__buf_printf(&ok, "%s%s %s", ok.len ? "; " : "",
					osmdiag__obj_name(cfg), ev.msg);
				continue;
			}
			problems++;
			r = osmdiag__emit(ctx, ev.status, "%s: %s", label, ev.msg);
			set_cfg_resource(r, k, cfg);
			if (ev.mismatch)
				osmdiag__result_set_hint(r, "%s writes caBundle from %s when it starts; "
					"after the CA was recreated or rotated the webhook still carries the "
					"old one, the API server rejects the webhook's TLS certificate and "
					"%s fail. Restart %s", k->app,
					p->ca_bundle_from_root ? "the mesh root CA (osm-ca-bundle ca.crt)"
							       : "its webhook certificate secret",
					k->validating ? "OSM policy writes" : "pod creations in monitored "
					"namespaces", k->app);
			else if (ev.status == OSMDIAG_STATUS_WARN)
				osmdiag__result_set_hint(r, "the CA in caBundle expires soon; once it has, "
					"the API server cannot verify %s and %s fail. Rotate the mesh root "
					"CA (OSMD602 gives the commands); %s rewrites caBundle when "
					"restarted", k->svc,
					k->validating ? "OSM policy writes" : "pod creations in monitored "
					"namespaces", k->app);
			else
				osmdiag__result_set_hint(r, "without a valid caBundle the API server cannot "
					"verify the webhook's TLS certificate, so %s fail; %s rewrites "
					"caBundle when it starts: restart it (if the CA itself is expired, "
					"rotate it first: see OSMD602)",
					k->validating ? "OSM policy writes" : "pod creations in monitored "
					"namespaces", k->app);
			set_restart_fix(ctx, r, k);
		}
	}
	if (!problems) {
		if (have_ref)
			osmdiag__emit(ctx, OSMDIAG_STATUS_PASS, "%s %s; equals %s", k->kind,
				ok.len ? ok.ptr : "(none)", ref_name);
		else
			osmdiag__emit(ctx, OSMDIAG_STATUS_PASS, "%s %s (not compared: %s)", k->kind,
				ok.len ? ok.ptr : "(none)", why);
	}
	osmdiag__buf_free(&ok);
	osmdiag__certs_dispose(&ref);
	osmdiag__objs_free(&cfgs);
}

static void run_203(osmdiag__ctx *ctx)
{
	check_ca_bundle(ctx, &VWHC);
}

static void run_213(osmdiag__ctx *ctx)
{
	check_ca_bundle(ctx, &MWHC);
}

/* ---- OSMD204 / OSMD214: policy ---------------------------------------------------------- */

typedef struct labelset {
	const char *k[3];
	const char *v[3];
	size_t n;
} labelset;

static const char *ls_get(const labelset *ls, const char *key, int *present)
{
	size_t i;

	for (i = 0; i < ls->n; i++)
		if (strcmp(ls->k[i], key) == 0) {
			*present = 1;
			return ls->v[i];
		}
	*present = 0;
	return NULL;
}

typedef struct ml_state {
	const labelset *ls;
	osmdiag__buf *bad;
	int match;
	int err;
} ml_state;

static int ml_cb(const char *key, const osmdiag__obj *value, void *ud)
{
	ml_state *st = ud;
	const char *have;
	int present;

	if (!osmdiag__obj_is_string(value)) {
		osmdiag__buf_printf(st->bad, "namespaceSelector.matchLabels[\"%s\"] is %s, expected a string",
			key, osmdiag__obj_type_phrase(value));
		st->err = 1;
		return 1;
	}
	have = ls_get(st->ls, key, &present);
	if (!present || strcmp(have, osmdiag__obj_string_value(value)) != 0)
		st->match = 0;
	return 0;
}

/*
 * metav1.LabelSelector evaluation on a synthetic label set: 1 match, 0 no
 * match, -1 invalid (reason in bad, field named).
 */
static int sel_matches(const osmdiag__obj *sel, const labelset *ls, osmdiag__buf *bad)
{
	const osmdiag__obj *ml = osmdiag__obj_get(sel, "matchLabels");
	const osmdiag__obj *me = osmdiag__obj_get(sel, "matchExpressions");
	int match = 1;
	size_t i, j;

	if (!sel)
		return 1;
	if (!osmdiag__obj_is_object(sel)) {
		osmdiag__buf_printf(bad, "namespaceSelector is %s, expected an object", osmdiag__obj_type_phrase(sel));
		return -1;
	}
	if (ml && !osmdiag__obj_is_object(ml)) {
		osmdiag__buf_printf(bad, "namespaceSelector.matchLabels is %s, expected an object",
			osmdiag__obj_type_phrase(ml));
		return -1;
	}
	if (me && !osmdiag__obj_is_array(me)) {
		osmdiag__buf_printf(bad, "namespaceSelector.matchExpressions is %s, expected an array",
			osmdiag__obj_type_phrase(me));
		return -1;
	}
	/* matchLabels: every key must be present with that value. */
	if (ml) {
		ml_state st = { ls, bad, 1, 0 };

		osmdiag__obj_each(ml, ml_cb, &st);
		if (st.err)
			return -1;
		if (!st.match)
			match = 0;
	}
	for (i = 0; i < osmdiag__obj_len(me); i++) {
		const osmdiag__obj *e = osmdiag__obj_at(me, i);
		const osmdiag__obj *vals = osmdiag__obj_get(e, "values");
		const char *key = NULL, *op = NULL, *have;
		int present, in = 0;

		if (!osmdiag__obj_is_object(e)) {
			osmdiag__buf_printf(bad, "namespaceSelector.matchExpressions[%zu] is %s, expected an "
				"object", i, osmdiag__obj_type_phrase(e));
			return -1;
		}
		if (osmdiag__obj_get_str(e, "key", &key) != OSMDIAG__F_OK ||
		    osmdiag__obj_get_str(e, "operator", &op) != OSMDIAG__F_OK) {
			const char *f = osmdiag__obj_get_str(e, "key",
				&key) != OSMDIAG__F_OK ? "key" : "operator";

			osmdiag__buf_printf(bad, "namespaceSelector.matchExpressions[%zu].%s is %s, expected "
				"a string", i, f, osmdiag__obj_type_phrase(osmdiag__obj_get(e, f)));
			return -1;
		}
		if (vals && !osmdiag__obj_is_array(vals)) {
			osmdiag__buf_printf(bad, "namespaceSelector.matchExpressions[%zu].values is %s, "
				"expected an array", i, osmdiag__obj_type_phrase(vals));
			return -1;
		}
		have = ls_get(ls, key, &present);
		for (j = 0; j < osmdiag__obj_len(vals); j++) {
			const osmdiag__obj *v = osmdiag__obj_at(vals, j);

			if (!osmdiag__obj_is_string(v)) {
				osmdiag__buf_printf(bad,
					"namespaceSelector.matchExpressions[%zu].values[%zu] is %s, expected "
					"a string", i, j, osmdiag__obj_type_phrase(v));
				return -1;
			}
			if (present && strcmp(osmdiag__obj_string_value(v), have) == 0)
				in = 1;
		}
		if (strcmp(op, "In") == 0) {
			if (!present || !in)
				match = 0;
		} else if (strcmp(op, "NotIn") == 0) {
			if (present && in)
				match = 0;
		} else if (strcmp(op, "Exists") == 0) {
			if (!present)
				match = 0;
		} else if (strcmp(op, "DoesNotExist") == 0) {
			if (present)
				match = 0;
		} else {
			osmdiag__buf_printf(bad, "namespaceSelector.matchExpressions[%zu].operator is "
				"\"%s\", expected In, NotIn, Exists or DoesNotExist", i, op);
			return -1;
		}
	}
	return match;
}

static void check_policy(osmdiag__ctx *ctx, const wh_kind *k)
{
	osmdiag__objs cfgs;
	size_t others, c, i;
	int problems = 0;
	osmdiag__buf ok = OSMDIAG__BUF_INIT;
	const char *mesh = mesh_name(ctx), *ns = mesh_ns(ctx);
	/* A monitored namespace; an unlabelled one; the mesh namespace labelled
	 * (OSM excludes it by its `name` label; Kubernetes >= 1.21 also sets
	 * kubernetes.io/metadata.name). */
	labelset monitored = { { LABEL_MONITORED_BY }, { mesh }, 1 };
	labelset unlabelled = { { NULL }, { NULL }, 0 };
	labelset meshns = { { LABEL_MONITORED_BY, "name", "kubernetes.io/metadata.name" }, { mesh, ns, ns },
		3 };

	if (find_configs(ctx, k, &cfgs, &others) < 0) {
		osmdiag__emit(ctx, OSMDIAG_STATUS_ERROR, "out of memory listing %ss", k->kind);
		return;
	}
	for (c = 0; c < cfgs.n; c++) {
		const osmdiag__obj *cfg = cfgs.v[c];
		const osmdiag__obj *whs = webhooks_or_fail(ctx, k, cfg);
		const char *api = osmdiag__obj_api_version(cfg);
		/* failurePolicy defaults to Fail in admissionregistration/v1, Ignore in v1beta1 */
		const char *deflt = api && strstr(api, "v1beta1") ? "Ignore" : "Fail";

		if (!whs) {
			problems++;
			continue;
		}
		for (i = 0; i < osmdiag__obj_len(whs); i++) {
			const osmdiag__obj *wh = osmdiag__obj_at(whs, i);
			const osmdiag__obj *sel = osmdiag__obj_get(wh, "namespaceSelector");
			osmdiag__buf bad = OSMDIAG__BUF_INIT, warn = OSMDIAG__BUF_INIT,
				hint = OSMDIAG__BUF_INIT;
			const char *fp = NULL;
			char label[512];
			int rc, m1, m2, m3;
			struct osmdiag_result *r;

			entry_label(k, cfg, wh, i, osmdiag__obj_len(whs), label, sizeof(label));
			rc = osmdiag__obj_get_str(wh, "failurePolicy", &fp);
			if (rc == OSMDIAG__F_WRONGTYPE) {
				osmdiag__buf_printf(&bad, "failurePolicy is %s, expected a string",
					osmdiag__obj_type_phrase(osmdiag__obj_get(wh, "failurePolicy")));
			} else {
				if (rc == OSMDIAG__F_MISSING)
					fp = deflt;
				if (strcmp(fp, "Fail") != 0) {
					osmdiag__buf_printf(&warn, "failurePolicy %s%s (expected Fail)", fp,
						rc == OSMDIAG__F_MISSING ? " by default" : "");
					osmdiag__buf_printf(&hint, "with failurePolicy %s %s; ", fp,
						k->validating
						? "OSM policy resources are admitted unvalidated whenever "
							"the validator is unreachable"
						: "pods created while osm-injector is unreachable start "
							"without a sidecar, silently");
				}
			}
			m1 = sel_matches(sel, &monitored, &bad);
			m2 = m1 < 0 ? -1 : sel_matches(sel, &unlabelled, &bad);
			m3 = m2 < 0 ? -1 : sel_matches(sel, &meshns, &bad);
			if (m1 == 0) {
				osmdiag__buf_printf(&warn, "%snamespaceSelector does not select namespaces "
					"labelled %s=%s",
					warn.len ? "; " : "", LABEL_MONITORED_BY, mesh);
				osmdiag__buf_printf(&hint, "%s; ", k->validating
					? "OSM resources in the mesh's namespaces are not validated"
					: "pods in the mesh's namespaces get no sidecar");
			} else if (m2 == 1) {
				osmdiag__buf_printf(&warn, "%snamespaceSelector also selects namespaces "
					"without the label %s=%s", warn.len ? "; " : "", LABEL_MONITORED_BY,
					mesh);
				osmdiag__buf_printf(&hint, "%s in every namespace now depend on %s being up; ",
					k->validating ? "policy writes" : "pod creations", k->app);
			}
			if (m3 == 1) {
				osmdiag__buf_printf(&warn, "%snamespaceSelector does not exclude the mesh "
					"namespace %s (expected matchExpressions name NotIn [%s])",
					warn.len ? "; " : "", ns, ns);
				osmdiag__buf_printf(&hint, "the control plane's own %s must not go through "
					"this webhook (a restart of %s could not admit itself); ",
					k->validating ? "resources" : "pods", k->app);
			}
			r = NULL;
			if (bad.len)
				r = osmdiag__emit(ctx, OSMDIAG_STATUS_FAIL, "%s: %s", label, bad.ptr);
			else if (warn.len)
				r = osmdiag__emit(ctx, OSMDIAG_STATUS_WARN, "%s: %s", label, warn.ptr);
			if (r) {
				problems++;
				set_cfg_resource(r, k, cfg);
				osmdiag__result_set_hint(r, "%s%s writes failurePolicy Fail and "
					"namespaceSelector {matchLabels {%s: %s}, matchExpressions "
					"[openservicemesh.io/ignore DoesNotExist, name NotIn [%s], "
					"control-plane DoesNotExist]} when it starts: restart it", hint.len
					? hint.ptr : "", k->app, LABEL_MONITORED_BY, mesh, ns);
				set_restart_fix(ctx, r, k);
			} else {
				osmdiag__buf_printf(&ok, "%s%s", ok.len ? ", " : "", osmdiag__obj_name(cfg));
			}
			osmdiag__buf_free(&bad);
			osmdiag__buf_free(&warn);
			osmdiag__buf_free(&hint);
		}
	}
	if (!problems)
		osmdiag__emit(ctx, OSMDIAG_STATUS_PASS, "%s %s: failurePolicy Fail, namespaceSelector "
			"selects %s=%s and excludes %s", k->kind, ok.len ? ok.ptr : "(none)",
			LABEL_MONITORED_BY, mesh, ns);
	osmdiag__buf_free(&ok);
	osmdiag__objs_free(&cfgs);
}

static void run_204(osmdiag__ctx *ctx)
{
	check_policy(ctx, &VWHC);
}

static void run_214(osmdiag__ctx *ctx)
{
	check_policy(ctx, &MWHC);
}

/* ---- OSMD221: CRD conversion webhooks ------------------------------------------------------ */

static int is_osm_group(const char *g)
{
	return g && (osmdiag__streq(g, "openservicemesh.io") || osmdiag__has_suffix(g,
		".openservicemesh.io") ||
		     osmdiag__streq(g, "smi-spec.io") || osmdiag__has_suffix(g, ".smi-spec.io"));
}

static void run_221(osmdiag__ctx *ctx)
{
	const osmdiag__mesh *mesh = ctx->m->mesh;
	const osmdiag__profile *p = mesh->profile;
	osmdiag__objs crds;
	osmdiag__certs ref = OSMDIAG__CERTS_INIT;
	char why[400] = "", ref_name[200] = "";
	const char *secret = p->ca_bundle_from_root ? CA_BUNDLE_SECRET : CRD_CONVERTER_SECRET;
	int have_ref = 0, problems = 0;
	size_t i, nosm = 0, nwebhook = 0;
	const char *ver = mesh->version ? mesh->version : "(unknown version)";

	if (osmdiag__model_list(ctx->m, "CustomResourceDefinition", NULL, NULL, &crds) < 0) {
		osmdiag__emit(ctx, OSMDIAG_STATUS_ERROR, "out of memory listing CustomResourceDefinitions");
		return;
	}
	if (mesh->conversion_webhook) {
		have_ref = reference_bundle(ctx, secret, &ref, why, sizeof(why));
		snprintf(ref_name, sizeof(ref_name), "Secret %s/%s %s", mesh_ns(ctx), secret, CA_KEY);
	}
	for (i = 0; i < crds.n; i++) {
		const osmdiag__obj *crd = crds.v[i];
		const char *name = osmdiag__obj_name(crd), *group = NULL, *strategy = NULL;
		const osmdiag__obj *conv = osmdiag__obj_get(crd, "spec.conversion");
		int rc;
		struct osmdiag_result *r;

		if (osmdiag__obj_get_str(crd, "spec.group", &group) != OSMDIAG__F_OK)
			group = name ? strchr(name, '.') : NULL, group = group ? group + 1 : NULL;
		if (!is_osm_group(group))
			continue;
		nosm++;
		if (conv && !osmdiag__obj_is_object(conv)) {
			r = osmdiag__emit(ctx, OSMDIAG_STATUS_FAIL,
				"CustomResourceDefinition %s: spec.conversion is %s, expected an object",
				name, osmdiag__obj_type_phrase(conv));
			osmdiag__result_set_resource(r, "CustomResourceDefinition", NULL, name);
			problems++;
			continue;
		}
		rc = osmdiag__obj_get_str(conv, "strategy", &strategy);
		if (rc == OSMDIAG__F_WRONGTYPE) {
			r = osmdiag__emit(ctx, OSMDIAG_STATUS_FAIL,
				"CustomResourceDefinition %s: spec.conversion.strategy is %s, expected "
				"\"None\" or \"Webhook\"", name,
				osmdiag__obj_type_phrase(osmdiag__obj_get(conv, "strategy")));
			osmdiag__result_set_resource(r, "CustomResourceDefinition", NULL, name);
			problems++;
			continue;
		}
		if (rc != OSMDIAG__F_OK || strcmp(strategy, "Webhook") != 0)
			continue;
		nwebhook++;
		if (!mesh->conversion_webhook) {
			r = osmdiag__emit(ctx, OSMDIAG_STATUS_FAIL,
				"CustomResourceDefinition %s: conversion.strategy Webhook, expected None "
				"(OSM %s serves no CRD conversion webhook)", name, ver);
			osmdiag__result_set_resource(r, "CustomResourceDefinition", NULL, name);
			osmdiag__result_set_hint(r, "the conversion webhook on osm-bootstrap:9443 exists "
				"only in OSM v0.11-v1.1.1 and v1.2.0; with it gone the API server cannot "
				"convert stored %s objects between versions and reads fail. Restarting "
				"osm-bootstrap (v1.1.2+/v1.2.1+) resets the strategy to None (kubectl "
				"rollout restart deployment/osm-bootstrap -n %s), or patch it: the patch "
				"replaces spec.conversion whole because the API server rejects strategy None "
				"while spec.conversion.webhook is still set (\"should not be set when "
				"strategy is not set to Webhook\"); a merge patch would need "
				"\"webhook\":null as well", group, mesh_ns(ctx));
			osmdiag__result_set_fix(r, "kubectl patch crd %s --type=json -p "
				"'[{\"op\":\"replace\",\"path\":\"/spec/conversion\","
				"\"value\":{\"strategy\":\"None\"}}]'", name);
			problems++;
			continue;
		}
		{
			/* apiextensions v1: conversion.webhook.clientConfig; v1beta1: webhookClientConfig */
			const osmdiag__obj *cc = osmdiag__obj_get(conv, "webhook.clientConfig");
			const char *cc_field = "spec.conversion.webhook.clientConfig";
			osmdiag__buf bad = OSMDIAG__BUF_INIT;
			const char *sname = NULL, *sns = NULL;
			long long port = 443;
			bundle_eval ev;

			if (!cc && osmdiag__obj_get(conv, "webhookClientConfig")) {
				cc = osmdiag__obj_get(conv, "webhookClientConfig");
				cc_field = "spec.conversion.webhookClientConfig";
			}
			memset(&ev, 0, sizeof(ev));
			if (!osmdiag__obj_is_object(cc)) {
				osmdiag__buf_printf(&bad, "%s is %s, expected an object", cc_field,
					osmdiag__obj_type_phrase(cc));
			} else if (osmdiag__obj_get(cc, "url")) {
				osmdiag__buf_printf(&bad, "%s.url is set (%s), expected service "
					"%s/osm-bootstrap:9443",
					cc_field, osmdiag__obj_str(cc, "url") ? osmdiag__obj_str(cc, "url")
										: "not a string",
					mesh_ns(ctx));
			} else {
				const osmdiag__obj *svc = osmdiag__obj_get(cc, "service");
				int prc;

				if (!osmdiag__obj_is_object(svc)) {
					osmdiag__buf_printf(&bad, "%s.service is %s, expected an object",
						cc_field, osmdiag__obj_type_phrase(svc));
				} else {
					sname = str_field(svc, "name", "clientConfig.service.", &bad);
					sns = str_field(svc, "namespace", "clientConfig.service.", &bad);
					prc = osmdiag__obj_get_int(svc, "port", &port);
					if (prc == OSMDIAG__F_WRONGTYPE)
						osmdiag__buf_printf(&bad,
							"%sclientConfig.service.port is %s, expected an "
							"integer",
							bad.len ? "; " : "",
							osmdiag__obj_type_phrase(osmdiag__obj_get(svc, "port")));
					if (!bad.len && (!osmdiag__streq(sname, "osm-bootstrap") ||
							 !osmdiag__streq(sns, mesh_ns(ctx)) || port != 9443))
						osmdiag__buf_printf(&bad,
							"conversion webhook calls service %s/%s:%lld, "
							"expected %s/osm-bootstrap:9443",
							sns ? sns : "(no namespace)",
							sname ? sname : "(no name)", port, mesh_ns(ctx));
				}
				if (!bad.len) {
					eval_bundle(ctx, osmdiag__obj_get(cc, "caBundle"), "caBundle",
						have_ref ? &ref : NULL, ref_name, 0, &ev);
					if (ev.status != OSMDIAG_STATUS_PASS)
						osmdiag__buf_printf(&bad, "%s", ev.msg);
				}
			}
			if (bad.len) {
				int st = ev.status == OSMDIAG_STATUS_WARN ? ev.status : OSMDIAG_STATUS_FAIL;

				r = osmdiag__emit(ctx, st, "CustomResourceDefinition %s: %s", name, bad.ptr);
				osmdiag__result_set_resource(r, "CustomResourceDefinition", NULL, name);
				osmdiag__result_set_hint(r, "osm-bootstrap (OSM %s) points every OSM CRD at "
					"its conversion webhook %s/osm-bootstrap:9443 with its CA when it "
					"starts; a wrong target or CA makes the API server fail to convert, "
					"and reads of %s objects fail: restart it", ver, mesh_ns(ctx), group);
				osmdiag__result_set_fix(r, "kubectl rollout restart deployment/osm-bootstrap "
					"-n %s", mesh_ns(ctx));
				problems++;
			}
			osmdiag__buf_free(&bad);
		}
	}
	if (mesh->conversion_webhook && nwebhook > 0)
		problems += check_target_service(ctx, "osm-bootstrap", 9443, "the CRD conversion webhooks",
			" (OSMD123 checks it in full)");
	if (!problems) {
		if (mesh->conversion_webhook)
			osmdiag__emit(ctx, OSMDIAG_STATUS_PASS, "%zu of %zu OSM CRDs convert through "
				"%s/osm-bootstrap:9443 with a valid caBundle%s%s (OSM %s ships the "
				"conversion webhook)", nwebhook, nosm,
				mesh_ns(ctx), have_ref ? " equal to " : "", have_ref ? ref_name : "", ver);
		else
			osmdiag__emit(ctx, OSMDIAG_STATUS_PASS, "none of %zu OSM CRDs uses conversion "
				"strategy Webhook (OSM %s serves no CRD conversion webhook)", nosm, ver);
	}
	osmdiag__certs_dispose(&ref);
	osmdiag__objs_free(&crds);
}

/* ---- the table ------------------------------------------------------------------------------ */

#define GUIDE_WEBHOOKS "Check validating and mutating webhooks"
#define GUIDE_VWHC_SVC "Check for the service and CA bundle of the Validating Webhook"
#define GUIDE_MWHC_SVC "Check for the service and CA bundle of the Mutating webhook"

const osmdiag__check_def osmdiag__checks_webhooks[] = {
	{ "OSMD201", "webhooks", "validating webhook present", "fail",
	  "A ValidatingWebhookConfiguration labelled app=osm-controller for the mesh exists (AKS name "
	  "aks-osm-validator-mesh-<mesh>, upstream osm-validator-mesh-<mesh>; the name osm-controller's "
	  "--validator-webhook-config flag gives), and only one.",
	  "Without it OSM policy resources (IngressBackend, Egress) and SMI TrafficTargets are admitted "
	  "unvalidated; a second, stale configuration is still called by the API server and can block those "
	  "writes.",
	  "osm-controller creates and rewrites the object when it starts: kubectl rollout restart "
	  "deployment/osm-controller -n <mesh-namespace>. Delete stale copies: kubectl delete "
	  "validatingwebhookconfiguration <name>.",
	  GUIDE_WEBHOOKS ": kubectl get ValidatingWebhookConfiguration --selector app=osm-controller",
	  OSMDIAG__NEED_VWHC | OSMDIAG__NEED_DEPLOYMENT, NULL, run_201 },
	{ "OSMD202", "webhooks", "validating webhook service", "fail",
	  "Each webhook's clientConfig.service is {name osm-validator, namespace <mesh namespace>, path "
	  "/validate, port 9093} (no url), and Service osm-validator exists exposing port 9093.",
	  "The API server calls the validator through this Service; a wrong target makes every create/update "
	  "of OSM policy resources fail (failurePolicy Fail) or skip validation.",
	  "Restart osm-controller, which rewrites the object: kubectl rollout restart "
	  "deployment/osm-controller -n <mesh-namespace>. The AKS guide's expected output "
	  "{\"name\":\"osm-config-validator\",\"path\":\"/validate-webhook\",\"port\":9093} is the OSM v0.8 "
	  "ConfigMap validator; do not \"fix\" the object towards it.",
	  GUIDE_VWHC_SVC ": kubectl get ValidatingWebhookConfiguration aks-osm-validator-mesh-osm -o json | "
	  "jq '.webhooks[0].clientConfig.service'",
	  OSMDIAG__NEED_VWHC | OSMDIAG__NEED_SERVICE, "OSMD201", run_202 },
	{ "OSMD203", "webhooks", "validating webhook CA bundle", "fail/warn",
	  "Each webhook's clientConfig.caBundle is non-empty base64 of PEM certificate(s) that parse, none "
	  "expired or not yet valid (fail) or expiring within the warning window (warn); v1.1+: equal to "
	  "Secret osm-ca-bundle ca.crt (v1.2: may also hold the previous root during a MeshRootCertificate "
	  "rotation); v1.0: equal to validating-webhook-cert-secret ca.crt when that secret exists.",
	  "The API server verifies the validator's TLS certificate with this bundle; a wrong or expired CA "
	  "makes every validated write fail with an x509 error.",
	  "Restart osm-controller, which writes caBundle from the mesh CA at start: kubectl rollout restart "
	  "deployment/osm-controller -n <mesh-namespace>; if the CA itself expired, rotate it first "
	  "(OSMD602).",
	  GUIDE_VWHC_SVC,
	  OSMDIAG__NEED_VWHC | OSMDIAG__NEED_SECRET, "OSMD201", run_203 },
	{ "OSMD204", "webhooks", "validating webhook policy", "warn",
	  "Each webhook has failurePolicy Fail (absent = Fail in admissionregistration/v1) and a "
	  "namespaceSelector that selects namespaces labelled openservicemesh.io/monitored-by=<mesh>, does "
	  "not select unlabelled namespaces and excludes the mesh namespace.",
	  "failurePolicy Ignore lets invalid policies in whenever the validator is down; a selector that "
	  "misses the mesh label skips validation, one that is too broad makes unrelated namespaces depend "
	  "on osm-controller.",
	  "Restart osm-controller, which rewrites the policy and selector: kubectl rollout restart "
	  "deployment/osm-controller -n <mesh-namespace>.",
	  GUIDE_WEBHOOKS,
	  OSMDIAG__NEED_VWHC, "OSMD201", run_204 },
	{ "OSMD211", "webhooks", "mutating webhook present", "fail",
	  "A MutatingWebhookConfiguration labelled app=osm-injector for the mesh exists (AKS name "
	  "aks-osm-webhook-<mesh>, upstream osm-webhook-<mesh>; the name osm-injector's "
	  "--webhook-config-name flag gives), and only one.",
	  "Without it no pod gets an Envoy sidecar: new pods in monitored namespaces run outside the mesh; a "
	  "second, stale configuration is still called by the API server and can block pod creation.",
	  "osm-injector creates and rewrites the object when it starts: kubectl rollout restart "
	  "deployment/osm-injector -n <mesh-namespace>. Delete stale copies: kubectl delete "
	  "mutatingwebhookconfiguration <name>.",
	  GUIDE_WEBHOOKS ": kubectl get MutatingWebhookConfiguration --selector app=osm-injector",
	  OSMDIAG__NEED_MWHC | OSMDIAG__NEED_DEPLOYMENT, NULL, run_211 },
	{ "OSMD212", "webhooks", "mutating webhook service", "fail",
	  "Each webhook's clientConfig.service is {name osm-injector, namespace <mesh namespace>, path "
	  "/mutate-pod-creation, port 9090} (no url), and Service osm-injector exists exposing port 9090.",
	  "The API server calls the injector through this Service for every pod creation in monitored "
	  "namespaces; a wrong target makes those creations fail (failurePolicy Fail).",
	  "Restart osm-injector, which rewrites the object: kubectl rollout restart deployment/osm-injector "
	  "-n <mesh-namespace>.",
	  GUIDE_MWHC_SVC ": kubectl get MutatingWebhookConfiguration aks-osm-webhook-osm -o json | jq "
	  "'.webhooks[0].clientConfig.service'",
	  OSMDIAG__NEED_MWHC | OSMDIAG__NEED_SERVICE, "OSMD211", run_212 },
	{ "OSMD213", "webhooks", "mutating webhook CA bundle", "fail/warn",
	  "Each webhook's clientConfig.caBundle is non-empty base64 of PEM certificate(s) that parse, none "
	  "expired or not yet valid (fail) or expiring within the warning window (warn); v1.1+: equal to "
	  "Secret osm-ca-bundle ca.crt; v1.0: equal to mutating-webhook-cert-secret ca.crt when that secret "
	  "exists.",
	  "The API server verifies the injector's TLS certificate with this bundle; a wrong or expired CA "
	  "makes every pod creation in monitored namespaces fail with an x509 error.",
	  "Restart osm-injector, which writes caBundle from the mesh CA at start: kubectl rollout restart "
	  "deployment/osm-injector -n <mesh-namespace>; if the CA itself expired, rotate it first (OSMD602).",
	  GUIDE_MWHC_SVC,
	  OSMDIAG__NEED_MWHC | OSMDIAG__NEED_SECRET, "OSMD211", run_213 },
	{ "OSMD214", "webhooks", "mutating webhook policy", "warn",
	  "Each webhook has failurePolicy Fail (absent = Fail in admissionregistration/v1) and a "
	  "namespaceSelector that selects namespaces labelled openservicemesh.io/monitored-by=<mesh>, does "
	  "not select unlabelled namespaces and excludes the mesh namespace.",
	  "failurePolicy Ignore lets pods start without a sidecar whenever the injector is down; a selector "
	  "that misses the mesh label injects nothing, one that is too broad makes every namespace's pod "
	  "creation depend on osm-injector.",
	  "Restart osm-injector, which rewrites the policy and selector: kubectl rollout restart "
	  "deployment/osm-injector -n <mesh-namespace>.",
	  GUIDE_WEBHOOKS,
	  OSMDIAG__NEED_MWHC, "OSMD211", run_214 },
	{ "OSMD221", "webhooks", "CRD conversion webhooks", "fail",
	  "On OSM versions with the CRD conversion webhook (v0.11.x, v1.0.x, v1.1.0-v1.1.1, v1.2.0) every "
	  "OSM CRD (*.openservicemesh.io, *.smi-spec.io) with conversion.strategy Webhook calls service "
	  "osm-bootstrap:9443 in the mesh namespace with a caBundle that parses and is valid; on every other "
	  "version no OSM CRD uses strategy Webhook.",
	  "The API server converts stored custom resources through this webhook; a CRD pointing at a dead or "
	  "wrong webhook makes list/get of its resources fail, which breaks osm-controller and kubectl.",
	  "Conversion-webhook versions: kubectl rollout restart deployment/osm-bootstrap -n "
	  "<mesh-namespace>. Other versions: kubectl patch crd <name> --type=json -p "
	  "'[{\"op\":\"replace\",\"path\":\"/spec/conversion\",\"value\":{\"strategy\":\"None\"}}]' "
	  "(spec.conversion.webhook must go too: the API server rejects it with strategy None).",
	  "Verify OSM CRDs",
	  OSMDIAG__NEED_CRD | OSMDIAG__NEED_SERVICE | OSMDIAG__NEED_SECRET, NULL, run_221 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL },
};
