/*
 * The MeshConfig (meshconfigs.config.openservicemesh.io) schema per OSM
 * release, as a static table: field paths, JSON types, enums, validators,
 * which schema variants know each field, and the chart preset defaults used
 * to build corrected `kubectl patch` commands. Derived from the released
 * CRDs (cmd/osm-bootstrap/crds/config_meshconfig.yaml at v0.11.1, v1.0.0,
 * v1.1.3, v1.2.4) and FACTS.md section 3.1. Internal.
 *
 * Three distinct schemas exist:
 *   V011 - v0.11.x v1alpha1 (adds spec.traffic.useHTTPSIngress; no minItems
 *          on ingressGateway.subjectAltNames);
 *   A1   - v1alpha1 as stored by v1.0.x and served (deprecated) by v1.1/v1.2;
 *   A2   - v1alpha2 stored by v1.1.x / v1.2.x (adds TLS versions, cipher
 *          suites, ECDH curves, localProxyMode, outboundIPRangeInclusionList,
 *          networkInterfaceExclusionList).
 * (v1.1.0's v1alpha2 lacks localProxyMode and networkInterfaceExclusionList,
 * added in v1.1.1; AKS ships 1.1.3, so the table follows v1.1.3.)
 */
#ifndef OSMDIAG_MESHCONFIG_SCHEMA_H
#define OSMDIAG_MESHCONFIG_SCHEMA_H

#include <stddef.h>

/* Schema variants (bit mask). */
enum {
	OSMDIAG__MC_S_V011 = 1u << 0,
	OSMDIAG__MC_S_A1 = 1u << 1,
	OSMDIAG__MC_S_A2 = 1u << 2,
	OSMDIAG__MC_S_ALL = 7u
};

typedef enum {
	OSMDIAG__MC_T_OBJECT = 0,    /* object with the listed properties */
	OSMDIAG__MC_T_FREE_OBJECT,   /* object, additionalProperties: any member allowed */
	OSMDIAG__MC_T_BOOL,
	OSMDIAG__MC_T_INT,
	OSMDIAG__MC_T_STRING,
	OSMDIAG__MC_T_STRING_ARRAY,
	OSMDIAG__MC_T_INT_ARRAY
} osmdiag__mc_type;

typedef enum {
	OSMDIAG__MC_V_NONE = 0,
	OSMDIAG__MC_V_DURATION,      /* Go time.ParseDuration */
	OSMDIAG__MC_V_DURATION_POS,  /* Go duration > 0 (certificate validity) */
	OSMDIAG__MC_V_CIDR,          /* IPv4 a.b.c.d/n (CRD item pattern) */
	OSMDIAG__MC_V_PORT,          /* 1..65535 */
	OSMDIAG__MC_V_PORT16,        /* 1..32767 (Go int16: tracing.port) */
	OSMDIAG__MC_V_KEYBITS        /* 2048..4096 */
} osmdiag__mc_validator;

typedef struct osmdiag__mc_field {
	const char *path;                 /* dotted path from the object root: "spec.sidecar.logLevel" */
	osmdiag__mc_type type;
	unsigned schemas;                 /* OSMDIAG__MC_S_* variants that know the field */
	const char *const *enum_values;   /* NULL, or NULL-terminated allowed values (strings) */
	int enum_runtime_only;            /* enum not in the CRD: the API server stores any
	                                   * string, OSM cannot use it */
	osmdiag__mc_validator validator;  /* applies to the value or to each array item */
	int required;                     /* required whenever the parent object is present */
	unsigned min_items_one;           /* variants with minItems: 1 (arrays) */
	/* Chart preset default as JSON text for remediation patches, NULL = none
	 * (the fix removes the field with `null`). "$NS" is replaced by the mesh
	 * namespace. def_v12 overrides it for profile v1.2 when non-NULL. */
	const char *def;
	const char *def_v12;
	const char *guide_note;           /* where the AKS guide is wrong about this field, or NULL */
} osmdiag__mc_field;

/* The table (schema order: parents before children). */
size_t osmdiag__mc_field_count(void);
const osmdiag__mc_field *osmdiag__mc_field_at(size_t i);
/* Row for a dotted path (any variant), NULL when no variant knows it. */
const osmdiag__mc_field *osmdiag__mc_lookup(const char *path);
/* Rows whose last path segment equals `leaf` are visited in table order;
 * returns the first one known to `schema` other than `except_path`, or NULL. */
const osmdiag__mc_field *osmdiag__mc_find_leaf(const char *leaf, unsigned schema,
	const char *except_path, int case_insensitive);

/* The variant an object of `api_version` ("config.openservicemesh.io/v1alpha2"
 * or just "v1alpha2") is validated against on `profile` ("v0.11", "v1.0",
 * "v1.1", "v1.2"); 0 when that profile serves no such version. */
unsigned osmdiag__mc_schema_for(const char *profile, const char *api_version);
/* "v1alpha1 (OSM v0.11)", "v1alpha1 (OSM v1.0, served by v1.1/v1.2)", "v1alpha2 (OSM v1.1/v1.2)". */
const char *osmdiag__mc_schema_name(unsigned schema);
/* Names of the variants in `mask`, comma-joined, into buf. */
const char *osmdiag__mc_schema_list(unsigned mask, char *buf, size_t len);

/* "boolean", "integer", "string", "array of string", "array of integer", "object". */
const char *osmdiag__mc_type_name(osmdiag__mc_type t);
/* Default JSON text for profile (may contain "$NS"); NULL = none. */
const char *osmdiag__mc_default(const osmdiag__mc_field *f, const char *profile);

/* Validators: 1 when valid. `why` (optional) receives a short reason. */
int osmdiag__mc_valid_cidr(const char *s);
int osmdiag__mc_validate_string(osmdiag__mc_validator v, const char *s, char *why, size_t len);
int osmdiag__mc_validate_int(osmdiag__mc_validator v, long long n, char *why, size_t len);
/* 1 when `s` is in the field's enum (always 1 without an enum). */
int osmdiag__mc_enum_ok(const osmdiag__mc_field *f, const char *s);
/* The enum joined with ", " into buf. */
const char *osmdiag__mc_enum_list(const osmdiag__mc_field *f, char *buf, size_t len);

/* Known misplacements (fields users or the AKS guide put in the wrong place). */
typedef struct osmdiag__mc_misplaced {
	const char *path;          /* the wrong path */
	unsigned schemas;          /* variants where it is unknown */
	const char *correct_path;  /* where it belongs, NULL when it was removed */
	const char *reason;        /* one sentence */
} osmdiag__mc_misplaced;

const osmdiag__mc_misplaced *osmdiag__mc_misplaced_lookup(const char *path, unsigned schema);

#endif /* OSMDIAG_MESHCONFIG_SCHEMA_H */
