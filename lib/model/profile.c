/*
 * Version profiles: every version-dependent expectation of spec/CHECKS.md
 * (FACTS §1.2 ports, §4 CRD sets, §3 MeshConfig versions, §2 caBundle source).
 */
#include <stdio.h>
#include <string.h>

#include "model/model.h"

#define CRD_MESHCONFIG "meshconfigs.config.openservicemesh.io"
#define CRD_MCS "multiclusterservices.config.openservicemesh.io"
#define CRD_MRC "meshrootcertificates.config.openservicemesh.io"
#define CRD_EGRESS "egresses.policy.openservicemesh.io"
#define CRD_INGRESSBACKEND "ingressbackends.policy.openservicemesh.io"
#define CRD_RETRY "retries.policy.openservicemesh.io"
#define CRD_UTS "upstreamtrafficsettings.policy.openservicemesh.io"
#define CRD_HTTPROUTEGROUP "httproutegroups.specs.smi-spec.io"
#define CRD_TCPROUTE "tcproutes.specs.smi-spec.io"
#define CRD_TRAFFICTARGET "traffictargets.access.smi-spec.io"
#define CRD_TRAFFICSPLIT "trafficsplits.split.smi-spec.io"

static const char *const crds_v1_0[] = {
	CRD_MESHCONFIG, CRD_MCS, CRD_EGRESS, CRD_INGRESSBACKEND,
	CRD_HTTPROUTEGROUP, CRD_TCPROUTE, CRD_TRAFFICTARGET, CRD_TRAFFICSPLIT,
};

static const char *const crds_v1_1[] = {
	CRD_MESHCONFIG, CRD_MCS, CRD_EGRESS, CRD_INGRESSBACKEND, CRD_RETRY, CRD_UTS,
	CRD_HTTPROUTEGROUP, CRD_TCPROUTE, CRD_TRAFFICTARGET, CRD_TRAFFICSPLIT,
};

static const char *const crds_v1_2[] = {
	CRD_MESHCONFIG, CRD_MRC, CRD_EGRESS, CRD_INGRESSBACKEND, CRD_RETRY, CRD_UTS,
	CRD_HTTPROUTEGROUP, CRD_TCPROUTE, CRD_TRAFFICTARGET, CRD_TRAFFICSPLIT,
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const osmdiag__profile profiles[] = {
	{ "v0.11", { 9443, 9095 }, crds_v1_0, N(crds_v1_0), "v1alpha1", 0,
	  "mutating-webhook-cert-secret", "validating-webhook-cert-secret" },
	{ "v1.0", { 9443, 9095 }, crds_v1_0, N(crds_v1_0), "v1alpha1", 0,
	  "mutating-webhook-cert-secret", "validating-webhook-cert-secret" },
	{ "v1.1", { 9443, 9095 }, crds_v1_1, N(crds_v1_1), "v1alpha2", 1, NULL, NULL },
	{ "v1.2", { 9443, 9091 }, crds_v1_2, N(crds_v1_2), "v1alpha2", 1, NULL, NULL },
};

/* Parses "v1.2.5" / "1.2.5" / "v1.2.0-rc.1"; returns 0 when major.minor were read. */
static int parse_version(const char *v, int *major, int *minor, int *patch)
{
	int n;

	*patch = -1;
	if (!v)
		return -1;
	if (*v == 'v' || *v == 'V')
		v++;
	n = sscanf(v, "%d.%d.%d", major, minor, patch);
	return n >= 2 && *major >= 0 && *minor >= 0 ? 0 : -1;
}

const osmdiag__profile *osmdiag__profile_for_version(const char *version)
{
	int major, minor, patch;

	if (parse_version(version, &major, &minor, &patch) < 0)
		return NULL;
	if (major == 0 && minor == 11)
		return &profiles[0];
	if (major == 1 && minor >= 0 && minor <= 2)
		return &profiles[1 + minor];
	return NULL;
}

const osmdiag__profile *osmdiag__profile_newest(void)
{
	return &profiles[N(profiles) - 1];
}

int osmdiag__version_has_conversion_webhook(const char *version)
{
	int major, minor, patch;

	if (parse_version(version, &major, &minor, &patch) < 0)
		return 0;
	if (major == 0 && minor == 11)
		return 1;
	if (major == 1 && minor == 0)
		return 1;
	if (major == 1 && minor == 1)
		return patch == 0 || patch == 1;
	if (major == 1 && minor == 2)
		return patch == 0;
	return 0;
}
