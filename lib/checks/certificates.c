/*
 * Checks of the certificates category (spec/CHECKS.md OSMD601-602): the mesh
 * root CA in Secret osm-ca-bundle (FACTS §2 "CA secret", §7). Only the key
 * `ca.crt` is ever read; the private key is not touched.
 */
#include <stdio.h>
#include <string.h>

#include "osmdiag/check.h"
#include "checks/check_impl.h"
#include "model/cert.h"

#define CA_BUNDLE_SECRET "osm-ca-bundle"
#define CA_KEY "ca.crt"

/* The osm-docs "Root Certificate Rotation" (tresor) steps as one command line. */
static void set_rotation_fix(struct osmdiag_result *r, const char *ns)
{
	osmdiag__result_set_fix(r, "kubectl delete secret %s -n %s && kubectl rollout restart "
		"deployment/osm-controller -n %s && kubectl rollout restart deployment/osm-injector -n %s && "
		"kubectl rollout restart deployment/osm-bootstrap -n %s", CA_BUNDLE_SECRET, ns, ns, ns, ns);
}

/* ---- OSMD601 ------------------------------------------------------------------------ */

static void run_601(osmdiag__ctx *ctx)
{
	const char *ns = ctx->m->mesh->namespace_;
	const osmdiag__obj *s = osmdiag__model_get(ctx->m, "Secret", ns, CA_BUNDLE_SECRET);
	const osmdiag__obj *data = osmdiag__obj_get(s, "data");
	const osmdiag__obj *v = osmdiag__obj_member(data, CA_KEY);
	struct osmdiag_result *r;

	if (!s) {
		r = osmdiag__emit(ctx, OSMDIAG_STATUS_FAIL, "Secret %s/%s not found; expected the mesh root "
			"CA with key %s", ns, CA_BUNDLE_SECRET, CA_KEY);
		osmdiag__result_set_resource(r, "Secret", ns, CA_BUNDLE_SECRET);
		osmdiag__result_set_hint(r, "the control plane (tresor provider) creates the root CA secret "
			"when it starts and none exists; the running pods still hold the old CA in memory. "
			"Restart the three control-plane deployments so that they agree on a new root, then "
			"restart meshed workloads (kubectl rollout restart) so their sidecars get "
			"certificates from it");
		osmdiag__result_set_fix(r, "kubectl rollout restart deployment/osm-controller -n %s && "
			"kubectl rollout restart deployment/osm-injector -n %s && kubectl rollout restart "
			"deployment/osm-bootstrap -n %s", ns, ns, ns);
		return;
	}
	if (data && !osmdiag__obj_is_object(data)) {
		r = osmdiag__emit(ctx, OSMDIAG_STATUS_FAIL, "Secret %s/%s: data is %s, expected an object "
			"with key %s", ns, CA_BUNDLE_SECRET, osmdiag__obj_type_phrase(data), CA_KEY);
	} else if (!v) {
		r = osmdiag__emit(ctx, OSMDIAG_STATUS_FAIL, "Secret %s/%s has no key %s; expected the PEM "
			"root certificate there", ns, CA_BUNDLE_SECRET, CA_KEY);
	} else if (!osmdiag__obj_is_string(v)) {
		r = osmdiag__emit(ctx, OSMDIAG_STATUS_FAIL, "Secret %s/%s: data[\"%s\"] is %s, expected a "
			"base64 string", ns, CA_BUNDLE_SECRET, CA_KEY, osmdiag__obj_type_phrase(v));
	} else if (osmdiag__obj_string_value(v)[0] == '\0') {
		r = osmdiag__emit(ctx, OSMDIAG_STATUS_FAIL, "Secret %s/%s: data[\"%s\"] is empty, expected "
			"the PEM root certificate", ns, CA_BUNDLE_SECRET, CA_KEY);
	} else {
		osmdiag__emit(ctx, OSMDIAG_STATUS_PASS, "Secret %s/%s present with key %s", ns,
			CA_BUNDLE_SECRET, CA_KEY);
		return;
	}
	osmdiag__result_set_resource(r, "Secret", ns, CA_BUNDLE_SECRET);
	osmdiag__result_set_hint(r, "osm-controller, osm-injector and osm-bootstrap load the root CA from "
		"%s; a damaged secret is replaced only after it is deleted. Rotate it (osm-docs \"Root "
		"Certificate Rotation\"): delete the secret, restart the three deployments, then restart "
		"meshed workloads", CA_KEY);
	set_rotation_fix(r, ns);
}

/* ---- OSMD602 ------------------------------------------------------------------------ */

static void run_602(osmdiag__ctx *ctx)
{
	const char *ns = ctx->m->mesh->namespace_;
	const osmdiag__obj *s = osmdiag__model_get(ctx->m, "Secret", ns, CA_BUNDLE_SECRET);
	const osmdiag__obj *v = osmdiag__obj_member(osmdiag__obj_get(s, "data"), CA_KEY);
	osmdiag__certs certs = OSMDIAG__CERTS_INIT;
	osmdiag__cert_validity val;
	struct osmdiag_result *r;
	char err[256], after[40], cnt[40];
	const osmdiag__cert *c;
	int rc;

	if (!osmdiag__obj_is_string(v)) {
		/* OSMD601 reports it (602 depends on it); reached only in a partial run. */
		r = osmdiag__emit(ctx, OSMDIAG_STATUS_FAIL, "Secret %s/%s: data[\"%s\"] is %s, expected a "
			"base64 string (see OSMD601)", ns, CA_BUNDLE_SECRET, CA_KEY,
			v ? osmdiag__obj_type_phrase(v) : "missing");
		osmdiag__result_set_resource(r, "Secret", ns, CA_BUNDLE_SECRET);
		return;
	}
	rc = osmdiag__certs_parse_b64(osmdiag__obj_string_value(v), &certs, err, sizeof(err));
	if (rc == OSMDIAG__CERT_ENOMEM) {
		osmdiag__emit(ctx, OSMDIAG_STATUS_ERROR, "out of memory parsing Secret %s/%s %s", ns,
			CA_BUNDLE_SECRET, CA_KEY);
		osmdiag__certs_dispose(&certs);
		return;
	}
	if (rc != OSMDIAG__CERT_OK) {
		r = osmdiag__emit(ctx, OSMDIAG_STATUS_FAIL, "Secret %s/%s %s does not parse: %s; expected "
			"base64 of a PEM certificate", ns, CA_BUNDLE_SECRET, CA_KEY, err);
		osmdiag__result_set_resource(r, "Secret", ns, CA_BUNDLE_SECRET);
		osmdiag__result_set_hint(r, "the control plane cannot load an unparsable root CA; rotate it "
			"(osm-docs \"Root Certificate Rotation\"): delete the secret, restart "
			"osm-controller, osm-injector and osm-bootstrap, then restart meshed workloads");
		set_rotation_fix(r, ns);
		osmdiag__certs_dispose(&certs);
		return;
	}
	osmdiag__certs_validity(&certs, ctx->m->now, ctx->m->expiry_warning_days, &val);
	c = &certs.v[val.index];
	osmdiag__format_rfc3339(c->not_after, after, sizeof(after));
	cnt[0] = '\0';
	if (certs.n > 1)
		snprintf(cnt, sizeof(cnt), " (%zu certificates)", certs.n);
	if (c->not_before > ctx->m->now)
		r = osmdiag__emit(ctx, val.status, "Secret %s/%s %s%s: %s, %s (notAfter %s)", ns,
			CA_BUNDLE_SECRET,
			CA_KEY, cnt, c->subject, val.text, after);
	else
		r = osmdiag__emit(ctx, val.status, "Secret %s/%s %s%s: %s, %s", ns, CA_BUNDLE_SECRET, CA_KEY,
			cnt, c->subject, val.text);
	if (val.status != OSMDIAG_STATUS_PASS) {
		osmdiag__result_set_resource(r, "Secret", ns, CA_BUNDLE_SECRET);
		if (val.status == OSMDIAG_STATUS_WARN)
			osmdiag__result_set_hint(r, "the mesh root CA expires in %lld day%s: once expired, "
				"mTLS between sidecars and the webhooks' TLS fail. Rotate it before then "
				"(osm-docs \"Root Certificate Rotation\", tresor): delete the secret, "
				"restart osm-controller, osm-injector and osm-bootstrap, then restart meshed "
				"workloads so their sidecars get certificates from the new root (expect mTLS "
				"errors during the transition). With Vault or cert-manager, rotate the CA "
				"there instead", val.days, val.days == 1 ? "" : "s");
		else
			osmdiag__result_set_hint(r, "the mesh root CA is %s: mTLS between sidecars and the "
				"webhooks' TLS fail. Rotate it (osm-docs \"Root Certificate Rotation\", "
				"tresor): delete the secret, restart osm-controller, osm-injector and "
				"osm-bootstrap, then restart meshed workloads so their sidecars get "
				"certificates from the new root. With Vault or cert-manager, rotate the CA "
				"there instead",
				c->not_before > ctx->m->now ? "not valid yet (check the clocks)" : "expired");
		set_rotation_fix(r, ns);
	}
	osmdiag__certs_dispose(&certs);
}

const osmdiag__check_def osmdiag__checks_certificates[] = {
	{ "OSMD601", "certificates", "mesh root CA present", "fail",
	  "Secret osm-ca-bundle exists in the mesh namespace with a non-empty data key ca.crt (no other key "
	  "is read: the private key never enters results or snapshots).",
	  "osm-controller, osm-injector and osm-bootstrap load the mesh root CA from this secret; without it "
	  "a restart creates a new root that running sidecars and webhooks do not trust.",
	  "Restart the control plane so it recreates the secret: kubectl rollout restart "
	  "deployment/osm-controller -n <mesh-namespace> (and osm-injector, osm-bootstrap), then restart "
	  "meshed workloads.",
	  "Certificate management",
	  OSMDIAG__NEED_SECRET, NULL, run_601 },
	{ "OSMD602", "certificates", "mesh root CA validity", "fail/warn",
	  "osm-ca-bundle ca.crt parses as base64 PEM certificate(s); none is expired or not yet valid (fail) "
	  "or expires within the warning window, 30 days by default (warn); subject and notAfter in the "
	  "message.",
	  "Every sidecar certificate and the webhooks' TLS chain to this root; when it expires mTLS between "
	  "meshed pods and the admission webhooks fail.",
	  "Rotate the root (osm-docs \"Root Certificate Rotation\", tresor): kubectl delete secret "
	  "osm-ca-bundle -n <mesh-namespace>; kubectl rollout restart deployment/osm-controller, "
	  "deployment/osm-injector and deployment/osm-bootstrap -n <mesh-namespace>; then restart meshed "
	  "workloads.",
	  "Certificate management",
	  OSMDIAG__NEED_SECRET, "OSMD601", run_602 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL },
};
