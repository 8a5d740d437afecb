/*
 * Istio AKS add-on revisions (memo 2.4), the apiVersions each one serves
 * (2.5) and the fields that depend on it (2.6).
 */
#include <string.h>

#include "migrate/migrate_impl.h"

/* The revisions AKS has listed (asm-1-17 ... asm-1-27 in the support table;
 * asm-1-28 ... asm-1-30 appear in later pages and in the CRD table). */
static const osmdiag__mig_rev revisions[] = {
	{ "asm-1-17", "1.17", 17 }, { "asm-1-18", "1.18", 18 }, { "asm-1-19", "1.19", 19 },
	{ "asm-1-20", "1.20", 20 }, { "asm-1-21", "1.21", 21 }, { "asm-1-22", "1.22", 22 },
	{ "asm-1-23", "1.23", 23 }, { "asm-1-24", "1.24", 24 }, { "asm-1-25", "1.25", 25 },
	{ "asm-1-26", "1.26", 26 }, { "asm-1-27", "1.27", 27 }, { "asm-1-28", "1.28", 28 },
	{ "asm-1-29", "1.29", 29 }, { "asm-1-30", "1.30", 30 },
};

#define NREV (sizeof(revisions) / sizeof(revisions[0]))

const osmdiag__mig_rev *osmdiag__mig_rev_find(const char *name)
{
	for (size_t i = 0; name && i < NREV; i++)
		if (strcmp(revisions[i].name, name) == 0)
			return &revisions[i];
	return NULL;
}

const osmdiag__mig_rev *osmdiag__mig_rev_lowest(void)
{
	return &revisions[0];
}

char *osmdiag__mig_rev_list(void)
{
	osmdiag__buf b = OSMDIAG__BUF_INIT;

	for (size_t i = 0; i < NREV; i++)
		osmdiag__buf_printf(&b, "%s%s", i ? ", " : "", revisions[i].name);
	return b.oom ? (osmdiag__buf_free(&b), NULL) : osmdiag__buf_detach(&b);
}

/*
 * 2.5: v1 of networking/security/telemetry is served from Istio 1.22; before
 * that networking.istio.io/v1beta1, security.istio.io/v1beta1 (PeerAuthentication
 * has no v1 before 1.22) and telemetry.istio.io/v1alpha1. EnvoyFilter is
 * v1alpha3 on every revision.
 */
const char *osmdiag__mig_api_version(const osmdiag__mig_rev *r, const char *kind)
{
	static const char *const networking[] = { "VirtualService", "DestinationRule", "ServiceEntry",
		"Sidecar", "Gateway" };
	static const char *const security[] = { "AuthorizationPolicy", "PeerAuthentication",
		"RequestAuthentication" };
	int v1 = r && r->minor >= 22;

	if (!kind)
		return "v1";
	if (strcmp(kind, "EnvoyFilter") == 0)
		return "networking.istio.io/v1alpha3";
	if (strcmp(kind, "Telemetry") == 0)
		return v1 ? "telemetry.istio.io/v1" : "telemetry.istio.io/v1alpha1";
	for (size_t i = 0; i < sizeof(networking) / sizeof(networking[0]); i++)
		if (strcmp(kind, networking[i]) == 0)
			return v1 ? "networking.istio.io/v1" : "networking.istio.io/v1beta1";
	for (size_t i = 0; i < sizeof(security) / sizeof(security[0]); i++)
		if (strcmp(kind, security[i]) == 0)
			return v1 ? "security.istio.io/v1" : "security.istio.io/v1beta1";
	return "v1"; /* ConfigMap, Namespace */
}

int osmdiag__mig_feature_minor(int feature)
{
	switch (feature) {
	case OSMDIAG__MIG_FEAT_PATH_TEMPLATES:
		return 22;
	case OSMDIAG__MIG_FEAT_SERVICE_ACCOUNTS:
		return 25;
	case OSMDIAG__MIG_FEAT_RETRY_BACKOFF:
		return 26;
	case OSMDIAG__MIG_FEAT_ZIPKIN_PATH:
		return 24;
	default:
		return 1000;
	}
}

int osmdiag__mig_rev_has(const osmdiag__mig_rev *r, int feature)
{
	return r && r->minor >= osmdiag__mig_feature_minor(feature);
}
