/*
 * The MeshConfig schema per OSM release (see meshconfig_schema.h).
 *
 * Source: openservicemesh/osm cmd/osm-bootstrap/crds/config_meshconfig.yaml at
 * v0.11.1, v1.0.0, v1.1.3, v1.2.4 (copies in shared/osm-reference/crds/) and the
 * chart preset defaults (charts/osm/values.yaml, FACTS.md 3.1).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/meshconfig_schema.h"
#include "util/util.h"

#define ALL OSMDIAG__MC_S_ALL
#define V011 OSMDIAG__MC_S_V011
#define A1 OSMDIAG__MC_S_A1
#define A2 OSMDIAG__MC_S_A2

static const char *const envoy_log_levels[] = {
	"trace", "debug", "info", "warning", "warn", "error", "critical", "off", NULL
};
/* Not a CRD enum: the chart's values.schema.json pattern and zerolog's levels. */
static const char *const osm_log_levels[] = {
	"trace", "debug", "info", "warn", "error", "fatal", "panic", "disabled", NULL
};
static const char *const tls_versions[] = {
	"TLS_AUTO", "TLSv1_0", "TLSv1_1", "TLSv1_2", "TLSv1_3", NULL
};
static const char *const proxy_modes[] = { "Localhost", "PodIP", NULL };

#define GUIDE_FLAGS "the AKS guide's featureFlags table shows \"true\"/\"false\" strings and its patches " \
	"send strings, which the API server rejects"

#define T(x) OSMDIAG__MC_T_##x
#define V(x) OSMDIAG__MC_V_##x

static const osmdiag__mc_field fields[] = {
	/*
	 * path, type, schemas, enum, runtime-only enum, validator, required, minItems1,
	 * default, v1.2 default, guide note
	 */
	{ "spec", T(OBJECT), ALL, NULL, 0, V(NONE), 0, 0,
	  NULL, NULL, NULL },

	{ "spec.sidecar", T(OBJECT), ALL, NULL, 0, V(NONE), 0, 0,
	  NULL, NULL, NULL },
	{ "spec.sidecar.enablePrivilegedInitContainer", T(BOOL), ALL, NULL, 0, V(NONE), 0, 0,
	  "false", NULL, NULL },
	{ "spec.sidecar.logLevel", T(STRING), ALL, envoy_log_levels, 0, V(NONE), 0, 0,
	  "\"error\"", NULL, NULL },
	{ "spec.sidecar.maxDataPlaneConnections", T(INT), ALL, NULL, 0, V(NONE), 0, 0,
	  "0", NULL,
	  "the AKS guide's patch for this field sends the string \"error\"; the schema wants an integer "
	  "and the API server rejects it" },
	{ "spec.sidecar.envoyImage", T(STRING), ALL, NULL, 0, V(NONE), 0, 0,
	  NULL, NULL, NULL },
	{ "spec.sidecar.envoyWindowsImage", T(STRING), ALL, NULL, 0, V(NONE), 0, 0,
	  NULL, NULL, NULL },
	{ "spec.sidecar.initContainerImage", T(STRING), ALL, NULL, 0, V(NONE), 0, 0,
	  NULL, NULL, NULL },
	{ "spec.sidecar.resources", T(OBJECT), ALL, NULL, 0, V(NONE), 0, 0,
	  "{}", NULL, NULL },
	{ "spec.sidecar.resources.limits", T(FREE_OBJECT), ALL, NULL, 0, V(NONE), 0, 0,
	  NULL, NULL, NULL },
	{ "spec.sidecar.resources.requests", T(FREE_OBJECT), ALL, NULL, 0, V(NONE), 0, 0,
	  NULL, NULL, NULL },
	{ "spec.sidecar.configResyncInterval", T(STRING), ALL, NULL, 0, V(DURATION), 0, 0,
	  "\"0s\"", NULL, NULL },
	{ "spec.sidecar.tlsMinProtocolVersion", T(STRING), A2, tls_versions, 0, V(NONE), 0, 0,
	  "\"TLSv1_2\"", NULL, NULL },
	{ "spec.sidecar.tlsMaxProtocolVersion", T(STRING), A2, tls_versions, 0, V(NONE), 0, 0,
	  "\"TLSv1_3\"", NULL, NULL },
	{ "spec.sidecar.cipherSuites", T(STRING_ARRAY), A2, NULL, 0, V(NONE), 0, 0,
	  NULL, NULL, NULL },
	{ "spec.sidecar.ecdhCurves", T(STRING_ARRAY), A2, NULL, 0, V(NONE), 0, 0,
	  NULL, NULL, NULL },
	{ "spec.sidecar.localProxyMode", T(STRING), A2, proxy_modes, 0, V(NONE), 0, 0,
	  "\"Localhost\"", NULL, NULL },

	{ "spec.traffic", T(OBJECT), ALL, NULL, 0, V(NONE), 0, 0,
	  NULL, NULL, NULL },
	{ "spec.traffic.enableEgress", T(BOOL), ALL, NULL, 0, V(NONE), 0, 0,
	  "false", "true", NULL },
	{ "spec.traffic.outboundIPRangeExclusionList", T(STRING_ARRAY), ALL, NULL, 0, V(CIDR), 0, 0,
	  "[]", NULL, NULL },
	{ "spec.traffic.outboundIPRangeInclusionList", T(STRING_ARRAY), A2, NULL, 0, V(CIDR), 0, 0,
	  "[]", NULL, NULL },
	{ "spec.traffic.outboundPortExclusionList", T(INT_ARRAY), ALL, NULL, 0, V(PORT), 0, 0,
	  "[]", NULL, NULL },
	{ "spec.traffic.inboundPortExclusionList", T(INT_ARRAY), ALL, NULL, 0, V(PORT), 0, 0,
	  "[]", NULL, NULL },
	{ "spec.traffic.networkInterfaceExclusionList", T(STRING_ARRAY), A2, NULL, 0, V(NONE), 0, 0,
	  "[]", NULL, NULL },
	{ "spec.traffic.useHTTPSIngress", T(BOOL), V011, NULL, 0, V(NONE), 0, 0,
	  "false", NULL, NULL },
	{ "spec.traffic.enablePermissiveTrafficPolicyMode", T(BOOL), ALL, NULL, 0, V(NONE), 0, 0,
	  "false", "true", NULL },
	{ "spec.traffic.inboundExternalAuthorization", T(OBJECT), ALL, NULL, 0, V(NONE), 0, 0,
	  NULL, NULL, NULL },
	{ "spec.traffic.inboundExternalAuthorization.enable", T(BOOL), ALL, NULL, 0, V(NONE), 0, 0,
	  "false", NULL, NULL },
	{ "spec.traffic.inboundExternalAuthorization.address", T(STRING), ALL, NULL, 0, V(NONE), 0, 0,
	  NULL, NULL, NULL },
	{ "spec.traffic.inboundExternalAuthorization.port", T(INT), ALL, NULL, 0, V(PORT), 0, 0,
	  NULL, NULL, NULL },
	{ "spec.traffic.inboundExternalAuthorization.statPrefix", T(STRING), ALL, NULL, 0, V(NONE), 0, 0,
	  "\"inboundExtAuthz\"", NULL, NULL },
	{ "spec.traffic.inboundExternalAuthorization.timeout", T(STRING), ALL, NULL, 0, V(DURATION), 0, 0,
	  "\"1s\"", NULL, NULL },
	{ "spec.traffic.inboundExternalAuthorization.failureModeAllow", T(BOOL), ALL, NULL, 0, V(NONE), 0, 0,
	  "false", NULL, NULL },

	{ "spec.observability", T(OBJECT), ALL, NULL, 0, V(NONE), 0, 0,
	  NULL, NULL, NULL },
	{ "spec.observability.osmLogLevel", T(STRING), ALL, osm_log_levels, 1, V(NONE), 0, 0,
	  "\"info\"", NULL, NULL },
	{ "spec.observability.enableDebugServer", T(BOOL), ALL, NULL, 0, V(NONE), 0, 0,
	  "false", NULL, NULL },
	{ "spec.observability.tracing", T(OBJECT), ALL, NULL, 0, V(NONE), 0, 0,
	  NULL, NULL, NULL },
	{ "spec.observability.tracing.enable", T(BOOL), ALL, NULL, 0, V(NONE), 0, 0,
	  "false", NULL, NULL },
	{ "spec.observability.tracing.port", T(INT), ALL, NULL, 0, V(PORT16), 0, 0,
	  "9411", NULL, NULL },
	{ "spec.observability.tracing.address", T(STRING), ALL, NULL, 0, V(NONE), 0, 0,
	  "\"jaeger.$NS.svc.cluster.local\"", NULL, NULL },
	{ "spec.observability.tracing.endpoint", T(STRING), ALL, NULL, 0, V(NONE), 0, 0,
	  "\"/api/v2/spans\"", NULL, NULL },

	{ "spec.certificate", T(OBJECT), ALL, NULL, 0, V(NONE), 0, 0,
	  NULL, NULL, NULL },
	{ "spec.certificate.serviceCertValidityDuration", T(STRING), ALL, NULL, 0, V(DURATION_POS), 1, 0,
	  "\"24h\"", NULL, NULL },
	{ "spec.certificate.certKeyBitSize", T(INT), ALL, NULL, 0, V(KEYBITS), 1, 0,
	  "2048", NULL,
	  "the AKS guide's sample MeshConfig has no certKeyBitSize, which every released schema requires "
	  "once spec.certificate is set" },
	{ "spec.certificate.ingressGateway", T(OBJECT), ALL, NULL, 0, V(NONE), 0, 0,
	  NULL, NULL, NULL },
	{ "spec.certificate.ingressGateway.subjectAltNames", T(STRING_ARRAY), ALL, NULL, 0, V(NONE), 1,
	  A1 | A2,
	  NULL, NULL, NULL },
	{ "spec.certificate.ingressGateway.validityDuration", T(STRING), ALL, NULL, 0, V(DURATION_POS), 1, 0,
	  "\"24h\"", NULL, NULL },
	{ "spec.certificate.ingressGateway.secret", T(OBJECT), ALL, NULL, 0, V(NONE), 1, 0,
	  NULL, NULL, NULL },
	{ "spec.certificate.ingressGateway.secret.name", T(STRING), ALL, NULL, 0, V(NONE), 1, 0,
	  NULL, NULL, NULL },
	{ "spec.certificate.ingressGateway.secret.namespace", T(STRING), ALL, NULL, 0, V(NONE), 1, 0,
	  NULL, NULL, NULL },

	{ "spec.featureFlags", T(OBJECT), ALL, NULL, 0, V(NONE), 0, 0,
	  NULL, NULL, NULL },
	{ "spec.featureFlags.enableWASMStats", T(BOOL), ALL, NULL, 0, V(NONE), 0, 0,
	  "true", NULL, GUIDE_FLAGS },
	{ "spec.featureFlags.enableEgressPolicy", T(BOOL), ALL, NULL, 0, V(NONE), 0, 0,
	  "true", NULL, GUIDE_FLAGS },
	{ "spec.featureFlags.enableMulticlusterMode", T(BOOL), ALL, NULL, 0, V(NONE), 0, 0,
	  "false", NULL, GUIDE_FLAGS },
	{ "spec.featureFlags.enableSnapshotCacheMode", T(BOOL), ALL, NULL, 0, V(NONE), 0, 0,
	  "false", NULL, GUIDE_FLAGS },
	{ "spec.featureFlags.enableAsyncProxyServiceMapping", T(BOOL), ALL, NULL, 0, V(NONE), 0, 0,
	  "false", NULL, GUIDE_FLAGS },
	{ "spec.featureFlags.enableIngressBackendPolicy", T(BOOL), ALL, NULL, 0, V(NONE), 0, 0,
	  "true", NULL, GUIDE_FLAGS },
	{ "spec.featureFlags.enableEnvoyActiveHealthChecks", T(BOOL), ALL, NULL, 0, V(NONE), 0, 0,
	  "false", NULL, GUIDE_FLAGS },
	{ "spec.featureFlags.enableRetryPolicy", T(BOOL), ALL, NULL, 0, V(NONE), 0, 0,
	  "false", NULL, GUIDE_FLAGS },
};

#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

static const osmdiag__mc_misplaced misplaced[] = {
	{ "spec.observability.tracing.osmLogLevel", ALL, "spec.observability.osmLogLevel",
	  "The control-plane log level lives at spec.observability.osmLogLevel; the AKS guide's "
	  "spec.observability.tracing.osmLogLevel is a wrong path, pruned by the API server, so the level "
	  "never changes" },
	{ "spec.traffic.useHTTPSIngress", A1 | A2, NULL,
	  "The field spec.traffic.useHTTPSIngress exists only in OSM v0.11 and was removed in v1.0 (the AKS "
		"guide still "
	  "lists it); HTTPS to backends is set per IngressBackend "
	  "(spec.backends[].port.protocol: https)" },
	{ "spec.observability.tracing.logLevel", ALL, "spec.observability.osmLogLevel",
	  "Tracing has no log level; the control-plane log level is spec.observability.osmLogLevel" },
	{ "spec.observability.logLevel", ALL, "spec.observability.osmLogLevel",
	  "The control-plane log level is spec.observability.osmLogLevel (Envoy's is "
		"spec.sidecar.logLevel)" },
	{ "spec.sidecar.osmLogLevel", ALL, "spec.observability.osmLogLevel",
	  "The field osmLogLevel belongs to spec.observability (Envoy's level is spec.sidecar.logLevel)" },
};

size_t osmdiag__mc_field_count(void)
{
	return NFIELDS;
}

const osmdiag__mc_field *osmdiag__mc_field_at(size_t i)
{
	return i < NFIELDS ? &fields[i] : NULL;
}

const osmdiag__mc_field *osmdiag__mc_lookup(const char *path)
{
	if (!path)
		return NULL;
	for (size_t i = 0; i < NFIELDS; i++)
		if (strcmp(fields[i].path, path) == 0)
			return &fields[i];
	return NULL;
}

static const char *leaf_of(const char *path)
{
	const char *dot = strrchr(path, '.');

	return dot ? dot + 1 : path;
}

const osmdiag__mc_field *osmdiag__mc_find_leaf(const char *leaf, unsigned schema,
	const char *except_path, int case_insensitive)
{
	if (!leaf)
		return NULL;
	for (size_t i = 0; i < NFIELDS; i++) {
		const char *l = leaf_of(fields[i].path);

		if (!(fields[i].schemas & schema) || osmdiag__streq(fields[i].path, except_path))
			continue;
		if (case_insensitive ? osmdiag__strcaseeq(l, leaf) : strcmp(l, leaf) == 0)
			return &fields[i];
	}
	return NULL;
}

unsigned osmdiag__mc_schema_for(const char *profile, const char *api_version)
{
	const char *v;

	if (!profile || !api_version)
		return 0;
	v = strrchr(api_version, '/');
	if (v) {
		if (strncmp(api_version, "config.openservicemesh.io/", 26) != 0)
			return 0;
		v++;
	} else {
		v = api_version;
	}
	if (strcmp(profile, "v0.11") == 0)
		return strcmp(v, "v1alpha1") == 0 ? OSMDIAG__MC_S_V011 : 0;
	if (strcmp(profile, "v1.0") == 0)
		return strcmp(v, "v1alpha1") == 0 ? OSMDIAG__MC_S_A1 : 0;
	/* v1.1, v1.2 (and anything newer): v1alpha2 stored, v1alpha1 served. */
	if (strcmp(v, "v1alpha2") == 0)
		return OSMDIAG__MC_S_A2;
	if (strcmp(v, "v1alpha1") == 0)
		return OSMDIAG__MC_S_A1;
	return 0;
}

const char *osmdiag__mc_schema_name(unsigned schema)
{
	switch (schema) {
	case OSMDIAG__MC_S_V011: return "v1alpha1 (OSM v0.11)";
	case OSMDIAG__MC_S_A1: return "v1alpha1 (OSM v1.0; served by v1.1/v1.2)";
	case OSMDIAG__MC_S_A2: return "v1alpha2 (OSM v1.1/v1.2)";
	}
	return "unknown";
}

const char *osmdiag__mc_schema_list(unsigned mask, char *buf, size_t len)
{
	static const unsigned order[] = { OSMDIAG__MC_S_V011, OSMDIAG__MC_S_A1, OSMDIAG__MC_S_A2 };
	size_t used = 0;

	if (!len)
		return buf;
	buf[0] = '\0';
	for (size_t i = 0; i < 3; i++) {
		int n;

		if (!(mask & order[i]))
			continue;
		n = snprintf(buf + used, len - used, "%s%s", used ? ", "
			"" : "", osmdiag__mc_schema_name(order[i]));
		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
	return buf;
}

const char *osmdiag__mc_type_name(osmdiag__mc_type t)
{
	switch (t) {
	case OSMDIAG__MC_T_OBJECT:
	case OSMDIAG__MC_T_FREE_OBJECT: return "object";
	case OSMDIAG__MC_T_BOOL: return "boolean";
	case OSMDIAG__MC_T_INT: return "integer";
	case OSMDIAG__MC_T_STRING: return "string";
	case OSMDIAG__MC_T_STRING_ARRAY: return "array of string";
	case OSMDIAG__MC_T_INT_ARRAY: return "array of integer";
	}
	return "unknown";
}

const char *osmdiag__mc_default(const osmdiag__mc_field *f, const char *profile)
{
	if (!f)
		return NULL;
	if (f->def_v12 && osmdiag__streq(profile, "v1.2"))
		return f->def_v12;
	return f->def;
}

static int parse_uint(const char *s, size_t n, long *out)
{
	long v = 0;

	if (!n || n > 3)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int osmdiag__mc_valid_cidr(const char *s)
{
	const char *p = s;
	long v;

	if (!s)
		return 0;
	for (int octet = 0; octet < 4; octet++) {
		size_t n = strspn(p, "0123456789");

		if (parse_uint(p, n, &v) < 0 || v > 255)
			return 0;
		p += n;
		if (*p != (octet < 3 ? '.' : '/'))
			return 0;
		p++;
	}
	if (parse_uint(p, strlen(p), &v) < 0 || v > 32 || strlen(p) > 2)
		return 0;
	return 1;
}

static void set_why(char *why, size_t len, const char *msg)
{
	if (why && len)
		snprintf(why, len, "%s", msg);
}

int osmdiag__mc_validate_string(osmdiag__mc_validator v, const char *s, char *why, size_t len)
{
	double secs = 0;

	switch (v) {
	case OSMDIAG__MC_V_DURATION:
		if (osmdiag__parse_go_duration(s, &secs) < 0) {
			set_why(why, len, "not a Go duration (e.g. 24h, 1h30m, 30s)");
			return 0;
		}
		return 1;
	case OSMDIAG__MC_V_DURATION_POS:
		if (osmdiag__parse_go_duration(s, &secs) < 0) {
			set_why(why, len, "not a Go duration (e.g. 24h, 1h30m, 30s)");
			return 0;
		}
		if (secs <= 0) {
			set_why(why, len, "not a positive duration");
			return 0;
		}
		return 1;
	case OSMDIAG__MC_V_CIDR:
		if (!osmdiag__mc_valid_cidr(s)) {
			set_why(why, len, "not an IPv4 CIDR (a.b.c.d/n)");
			return 0;
		}
		return 1;
	default:
		return 1;
	}
}

int osmdiag__mc_validate_int(osmdiag__mc_validator v, long long n, char *why, size_t len)
{
	switch (v) {
	case OSMDIAG__MC_V_PORT:
		if (n < 1 || n > 65535) {
			set_why(why, len, "not a port in 1..65535");
			return 0;
		}
		return 1;
	case OSMDIAG__MC_V_PORT16:
		if (n < 1 || n > 32767) {
			set_why(why, len, "not in 1..32767 (OSM reads tracing.port as a Go int16; a larger "
				"value "
				"makes the MeshConfig undecodable)");
			return 0;
		}
		return 1;
	case OSMDIAG__MC_V_KEYBITS:
		if (n < 2048 || n > 4096) {
			set_why(why, len, "not in 2048..4096 (OSM silently uses 2048)");
			return 0;
		}
		return 1;
	default:
		return 1;
	}
}

int osmdiag__mc_enum_ok(const osmdiag__mc_field *f, const char *s)
{
	if (!f || !f->enum_values)
		return 1;
	if (!s)
		return 0;
	for (const char *const *e = f->enum_values; *e; e++)
		if (strcmp(*e, s) == 0)
			return 1;
	return 0;
}

const char *osmdiag__mc_enum_list(const osmdiag__mc_field *f, char *buf, size_t len)
{
	size_t used = 0;

	if (!len)
		return buf;
	buf[0] = '\0';
	if (!f || !f->enum_values)
		return buf;
	for (const char *const *e = f->enum_values; *e; e++) {
		int n = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", *e);

		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
	return buf;
}

const osmdiag__mc_misplaced *osmdiag__mc_misplaced_lookup(const char *path, unsigned schema)
{
	if (!path)
		return NULL;
	for (size_t i = 0; i < sizeof(misplaced) / sizeof(misplaced[0]); i++)
		if ((misplaced[i].schemas & schema) && strcmp(misplaced[i].path, path) == 0)
			return &misplaced[i];
	return NULL;
}
