/*
 * Checks of the category "meshconfig" (OSMD301-305): the MeshConfig
 * `osm-mesh-config` against the schema of the mesh's OSM release
 * (meshconfig_schema.c), its notable settings and the sidecar images.
 *
 * Guide: "Check the osm-mesh-config resource" and its values table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "osmdiag/check.h"
#include "checks/check_impl.h"
#include "checks/meshconfig_schema.h"

#define MC_NAME "osm-mesh-config"
#define MC_GROUP "config.openservicemesh.io/"
#define S(x) ((x) ? (x) : "")

/* ---- small text helpers --------------------------------------------------- */

/* JSON string literal of `s` (quotes included) appended to b. */
static void buf_json_string(osmdiag__buf *b, const char *s)
{
	osmdiag__buf_putc(b, '"');
	for (const unsigned char *p = (const unsigned char *)S(s); *p; p++) {
		switch (*p) {
		case '"': osmdiag__buf_puts(b, "\\\""); break;
		case '\\': osmdiag__buf_puts(b, "\\\\"); break;
		case '\n': osmdiag__buf_puts(b, "\\n"); break;
		case '\r': osmdiag__buf_puts(b, "\\r"); break;
		case '\t': osmdiag__buf_puts(b, "\\t"); break;
		default:
			if (*p < 0x20)
				osmdiag__buf_printf(b, "\\u%04x", *p);
			else
				osmdiag__buf_putc(b, (char)*p);
		}
	}
	osmdiag__buf_putc(b, '"');
}

/* Appends `s` for use inside a single-quoted shell word: ' becomes '\''. */
static void buf_shell_sq(osmdiag__buf *b, const char *s)
{
	for (const char *p = S(s); *p; p++) {
		if (*p == '\'')
			osmdiag__buf_puts(b, "'\\''");
		else
			osmdiag__buf_putc(b, *p);
	}
}

/* `value_json` with "$NS" replaced by the mesh namespace (new string). */
static char *subst_ns(const char *value_json, const char *ns)
{
	osmdiag__buf b = OSMDIAG__BUF_INIT;
	const char *p = value_json, *hit;

	while ((hit = strstr(p, "$NS")) != NULL) {
		osmdiag__buf_put(&b, p, (size_t)(hit - p));
		osmdiag__buf_puts(&b, ns);
		p = hit + 3;
	}
	osmdiag__buf_puts(&b, p);
	return osmdiag__buf_detach(&b);
}

/* Appends the merge-patch document {"a":{"b":VALUE}} for dotted `path`. */
static void buf_merge_doc(osmdiag__buf *b, const char *path, const char *value_json)
{
	const char *p = path;
	size_t depth = 0;

	while (*p) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		char *key = osmdiag__strndup(p, n);

		osmdiag__buf_putc(b, '{');
		buf_json_string(b, key);
		osmdiag__buf_putc(b, ':');
		free(key);
		depth++;
		p += n;
		if (*p == '.')
			p++;
	}
	osmdiag__buf_puts(b, value_json);
	while (depth--)
		osmdiag__buf_putc(b, '}');
}

/* Appends `kubectl patch meshconfig ... --type=merge -p '<doc>'` setting `path` to `value_json`. */
static void buf_merge_cmd(osmdiag__buf *b, const char *ns, const char *path, const char *value_json)
{
	osmdiag__buf doc = OSMDIAG__BUF_INIT;
	char *v = subst_ns(value_json, ns);

	buf_merge_doc(&doc, path, v ? v : "null");
	osmdiag__buf_printf(b, "kubectl patch meshconfig %s -n %s --type=merge -p '", MC_NAME, ns);
	buf_shell_sq(b, doc.ptr);
	osmdiag__buf_putc(b, '\'');
	osmdiag__buf_free(&doc);
	free(v);
}

/* Appends `kubectl patch meshconfig ... --type=json -p '[{"op":"remove","path":...}]'`. */
static void buf_remove_cmd(osmdiag__buf *b, const char *ns, const char *const *segs, size_t nsegs)
{
	osmdiag__buf ptr = OSMDIAG__BUF_INIT, doc = OSMDIAG__BUF_INIT;

	for (size_t i = 0; i < nsegs; i++) {
		osmdiag__buf_putc(&ptr, '/');
		for (const char *c = segs[i]; *c; c++) {
			if (*c == '~')
				osmdiag__buf_puts(&ptr, "~0");
			else if (*c == '/')
				osmdiag__buf_puts(&ptr, "~1");
			else
				osmdiag__buf_putc(&ptr, *c);
		}
	}
	osmdiag__buf_puts(&doc, "[{\"op\":\"remove\",\"path\":");
	buf_json_string(&doc, ptr.ptr ? ptr.ptr : "");
	osmdiag__buf_puts(&doc, "}]");
	osmdiag__buf_printf(b, "kubectl patch meshconfig %s -n %s --type=json -p '", MC_NAME, ns);
	buf_shell_sq(b, doc.ptr);
	osmdiag__buf_putc(b, '\'');
	osmdiag__buf_free(&ptr);
	osmdiag__buf_free(&doc);
}

static const char *article(const char *type)
{
	return type[0] == 'a' || type[0] == 'i' || type[0] == 'o' ? "an" : "a";
}

/* "the string \"x\"", "the integer 5", "an object {...}" (truncated) into buf. */
static const char *describe(const osmdiag__obj *v, char *buf, size_t len)
{
	const char *type = osmdiag__obj_type_name(v);
	char *dump = osmdiag__obj_dump(v);
	const char *article = "the";

	if (!strcmp(type, "object") || !strcmp(type, "array"))
		article = "an";
	if (dump && strlen(dump) > 60)
		snprintf(buf, len, "%s %s %.57s...", article, type, dump);
	else
		snprintf(buf, len, "%s %s %s", article, type, dump ? dump : "");
	free(dump);
	return buf;
}

static const char *json_type_for(osmdiag__mc_type t)
{
	switch (t) {
	case OSMDIAG__MC_T_OBJECT:
	case OSMDIAG__MC_T_FREE_OBJECT: return "object";
	case OSMDIAG__MC_T_BOOL: return "boolean";
	case OSMDIAG__MC_T_INT: return "integer";
	case OSMDIAG__MC_T_STRING: return "string";
	case OSMDIAG__MC_T_STRING_ARRAY:
	case OSMDIAG__MC_T_INT_ARRAY: return "array";
	}
	return "?";
}

static int is_null(const osmdiag__obj *v)
{
	return !v || !strcmp(osmdiag__obj_type_name(v), "null");
}

/*
 * The node at dotted `path` under `root`. Returns OSMDIAG__F_OK,
 * _MISSING (absent or null, or an ancestor absent) or _WRONGTYPE when an
 * ancestor is present but not an object; then `bad` gets that ancestor's path
 * and `bad_type` its JSON type.
 */
static int walk_path(const osmdiag__obj *root, const char *path, const osmdiag__obj **out, char *bad,
	size_t bad_len, const char **bad_type)
{
	const osmdiag__obj *o = root;
	const char *p = path;
	char key[128];

	*out = NULL;
	while (*p) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);

		if (n >= sizeof(key))
			return OSMDIAG__F_MISSING;
		if (!osmdiag__obj_is_object(o)) {
			snprintf(bad, bad_len, "%.*s", (int)(p - path - 1), path);
			*bad_type = osmdiag__obj_type_name(o);
			return OSMDIAG__F_WRONGTYPE;
		}
		memcpy(key, p, n);
		key[n] = '\0';
		o = osmdiag__obj_member(o, key);
		if (is_null(o))
			return OSMDIAG__F_MISSING;
		p += n;
		if (*p == '.')
			p++;
	}
	*out = o;
	return OSMDIAG__F_OK;
}

static void set_mc_resource(struct osmdiag_result *r, const osmdiag__model *m)
{
	osmdiag__result_set_resource(r, "MeshConfig", m->mesh->namespace_, MC_NAME);
}

/* The schema variant the MeshConfig is checked against. */
static unsigned mc_schema(const osmdiag__model *m, const osmdiag__obj *mc)
{
	unsigned s = osmdiag__mc_schema_for(m->mesh->profile->name, osmdiag__obj_api_version(mc));

	if (!s)
		s = osmdiag__mc_schema_for(m->mesh->profile->name, m->mesh->profile->meshconfig_version);
	return s ? s : OSMDIAG__MC_S_A2;
}

/* ---- OSMD301 MeshConfig present --------------------------------------------- */

static void check_present(osmdiag__ctx *ctx)
{
	const osmdiag__model *m = ctx->m;
	const char *ns = m->mesh->namespace_;
	const osmdiag__profile *prof = m->mesh->profile;
	const osmdiag__obj *mc = osmdiag__model_meshconfig(m);
	const char *api = NULL;
	char want[96];
	struct osmdiag_result *r;
	int rc;

	snprintf(want, sizeof(want), MC_GROUP "%s", prof->meshconfig_version);
	if (!mc) {
		osmdiag__objs others = { NULL, 0 };
		osmdiag__strlist names = OSMDIAG__STRLIST_INIT;
		char *joined;

		osmdiag__model_list(m, "MeshConfig", ns, NULL, &others);
		for (size_t i = 0; i < others.n; i++)
			osmdiag__strlist_push(&names, S(osmdiag__obj_name(others.v[i])));
		joined = osmdiag__strlist_join(&names, ", ");
		r = osmdiag__emit(ctx, OSMDIAG_STATUS_FAIL,
			"MeshConfig %s/%s not found (expected %s %s)%s%s%s",
			ns, MC_NAME, want, MC_NAME, names.n ? "; found only: " : "", names.n ? S(joined) : "",
			names.n ? " (OSM reads only the one named osm-mesh-config)" : "");
		osmdiag__result_set_resource(r, "MeshConfig", ns, MC_NAME);
		osmdiag__result_set_hint(r, "osm-bootstrap creates %s at start from the ConfigMap "
			"preset-mesh-config (key preset-mesh-config.json) when it is missing; without it the "
			"controller and injector run on defaults or fail. Check that the ConfigMap exists in "
			"%s, then restart osm-bootstrap.", MC_NAME, ns);
		osmdiag__result_set_fix(r, "kubectl rollout restart deployment/osm-bootstrap -n %s", ns);
		free(joined);
		osmdiag__strlist_free(&names);
		osmdiag__objs_free(&others);
		return;
	}
	rc = osmdiag__obj_get_str(mc, "apiVersion", &api);
	if (rc != OSMDIAG__F_OK) {
		r = osmdiag__emit(ctx, OSMDIAG_STATUS_FAIL,
			"MeshConfig %s/%s apiVersion is %s; expected \"%s\"",
			ns, MC_NAME, rc == OSMDIAG__F_MISSING ? "missing" :
			osmdiag__obj_type_name(osmdiag__obj_get(mc, "apiVersion")), want);
		set_mc_resource(r, m);
		osmdiag__result_set_hint(r, "apiVersion must be the string %s; re-read the object with "
			"`kubectl get meshconfig %s -n %s -o yaml`", want, MC_NAME, ns);
		osmdiag__result_set_fix(r,
			"kubectl get meshconfigs.%s.config.openservicemesh.io %s -n %s -o yaml",
			prof->meshconfig_version, MC_NAME, ns);
		return;
	}
	if (strcmp(api, want) != 0) {
		size_t gl = strlen(MC_GROUP);
		const char *ver = strncmp(api, MC_GROUP, gl) == 0 ? api + gl : NULL;
		const char *reason;

		if (!ver)
			reason = "wrong API group: MeshConfig belongs to config.openservicemesh.io";
		else if (!strcmp(ver, "v1alpha3"))
			reason = "v1alpha3 was never released (added and reverted within a minute upstream); "
				"no OSM release serves it";
		else if (!strcmp(ver, "v1alpha1") && !strcmp(prof->meshconfig_version, "v1alpha2"))
			reason = "v1alpha1 is only a served (deprecated) version here; this release stores "
				"and reads v1alpha2. The AKS guide's sample shows v1alpha1, the v0.11/v1.0 "
				"version. If the CRD does not serve v1alpha2 at all, the CRDs "
				"were not upgraded with the control plane (see OSMD502)";
		else if (!strcmp(ver, "v1alpha2") && !strcmp(prof->meshconfig_version, "v1alpha1"))
			reason = "v1alpha2 exists from OSM v1.1 on; this control plane (v0.11/v1.0) reads "
				"only v1alpha1: the CRDs are newer than the control plane, or the version "
				"label is wrong";
		else
			reason = "no OSM release serves this version";
		r = osmdiag__emit(ctx, OSMDIAG_STATUS_FAIL, "MeshConfig %s/%s apiVersion is %s; OSM %s "
			"(profile %s) stores %s", ns, MC_NAME, api, S(m->mesh->version), prof->name, want);
		set_mc_resource(r, m);
		osmdiag__result_set_hint(r, "%s.", reason);
		osmdiag__result_set_fix(r,
			"kubectl get meshconfigs.%s.config.openservicemesh.io %s -n %s -o yaml",
			prof->meshconfig_version, MC_NAME, ns);
		return;
	}
	r = osmdiag__emit(ctx, OSMDIAG_STATUS_PASS, "MeshConfig %s/%s present, apiVersion %s (profile %s)%s",
		ns,
		MC_NAME, api, prof->name, m->mesh->version_known ? "" : "; OSM version unknown, newest "
			"profile assumed");
	set_mc_resource(r, m);
}

/* ---- value validation shared by 302 and 303 ------------------------------------ */

/*
 * Checks `v` (present, non-null) against row `f` for `schema`. Returns 1 when
 * valid; else 0 with `msg` = what is wrong (without the path) and, in `fixed`,
 * a corrected JSON value when the intent is clear (caller frees), else NULL.
 */
static int value_check(const osmdiag__mc_field *f, unsigned schema, const osmdiag__obj *v, char *msg,
	size_t len, char **fixed)
{
	const char *want = json_type_for(f->type);
	const char *got = osmdiag__obj_type_name(v);
	char d[128], why[160];

	*fixed = NULL;
	msg[0] = '\0';
	if (strcmp(want, got) != 0) {
		const char *s = osmdiag__obj_string_value(v);

		snprintf(msg, len, "is %s; the schema wants %s %s", describe(v, d, sizeof(d)),
			f->type == OSMDIAG__MC_T_INT ? "an" : "a", osmdiag__mc_type_name(f->type));
		if (f->type == OSMDIAG__MC_T_OBJECT || f->type == OSMDIAG__MC_T_FREE_OBJECT ||
		    f->type == OSMDIAG__MC_T_STRING_ARRAY || f->type == OSMDIAG__MC_T_INT_ARRAY)
			snprintf(msg, len, "is %s; the schema wants %s", describe(v, d, sizeof(d)),
				!strcmp(want, "object") ? "an object" :
				osmdiag__mc_type_name(f->type));
		if (f->type == OSMDIAG__MC_T_BOOL && s &&
		    (osmdiag__strcaseeq(s, "true") || osmdiag__strcaseeq(s, "false")))
			*fixed = osmdiag__strdup(osmdiag__strcaseeq(s, "true") ? "true" : "false");
		if (f->type == OSMDIAG__MC_T_INT && s && *s && strspn(s, "0123456789") == strlen(s) &&
		    strlen(s) < 10 && osmdiag__mc_validate_int(f->validator, atoll(s), NULL, 0))
			*fixed = osmdiag__asprintf("%lld", atoll(s));
		return 0;
	}
	switch (f->type) {
	case OSMDIAG__MC_T_STRING: {
		const char *s = osmdiag__obj_string_value(v);

		if (!osmdiag__mc_enum_ok(f, s)) {
			char list[200];

			osmdiag__mc_enum_list(f, list, sizeof(list));
			snprintf(msg, len, "is \"%s\"; %s: %s", s, f->enum_runtime_only ?
				"OSM accepts only (the API server stores any string, the control plane "
				"cannot parse it)" : "allowed values", list);
			for (const char *const *e = f->enum_values; *e; e++)
				if (osmdiag__strcaseeq(*e, s)) {
					osmdiag__buf b = OSMDIAG__BUF_INIT;

					buf_json_string(&b, *e);
					*fixed = osmdiag__buf_detach(&b);
					break;
				}
			return 0;
		}
		if (!osmdiag__mc_validate_string(f->validator, s, why, sizeof(why))) {
			snprintf(msg, len, "is \"%s\": %s", s, why);
			return 0;
		}
		return 1;
	}
	case OSMDIAG__MC_T_INT: {
		long long n = 0;

		osmdiag__obj_get_int(v, "", &n);
		if (!osmdiag__mc_validate_int(f->validator, n, why, sizeof(why))) {
			snprintf(msg, len, "is %lld: %s", n, why);
			return 0;
		}
		return 1;
	}
	case OSMDIAG__MC_T_STRING_ARRAY:
	case OSMDIAG__MC_T_INT_ARRAY: {
		size_t n = osmdiag__obj_len(v), nbad = 0;
		osmdiag__buf bad = OSMDIAG__BUF_INIT, fix = OSMDIAG__BUF_INIT;
		int want_int = f->type == OSMDIAG__MC_T_INT_ARRAY;

		osmdiag__buf_putc(&fix, '[');
		for (size_t i = 0; i < n; i++) {
			const osmdiag__obj *it = osmdiag__obj_at(v, i);
			const char *it_type = osmdiag__obj_type_name(it);
			const char *s = osmdiag__obj_string_value(it);
			int ok = 1;

			why[0] = '\0';
			if (strcmp(it_type, want_int ? "integer" : "string") != 0) {
				ok = 0;
				snprintf(why, sizeof(why), "wants %s", want_int ? "an integer" : "a string");
				/* "8080" in a port list: keep it as 8080 */
				if (want_int && s && *s && strspn(s, "0123456789") == strlen(s) &&
				    strlen(s) < 10 &&
				    osmdiag__mc_validate_int(f->validator, atoll(s), NULL, 0))
					osmdiag__buf_printf(&fix, "%s%lld", fix.len > 1 ? "," : "", atoll(s));
			} else if (want_int) {
				long long x = 0;

				osmdiag__obj_get_int(it, "", &x);
				ok = osmdiag__mc_validate_int(f->validator, x, why, sizeof(why));
				if (ok)
					osmdiag__buf_printf(&fix, "%s%lld", fix.len > 1 ? "," : "", x);
			} else {
				ok = osmdiag__mc_validate_string(f->validator, s, why, sizeof(why));
				if (ok) {
					if (fix.len > 1)
						osmdiag__buf_putc(&fix, ',');
					buf_json_string(&fix, s);
				}
			}
			if (!ok) {
				osmdiag__buf_printf(&bad, "%s[%zu] %s (%s)", nbad ? ", " : "", i,
					describe(it, d, sizeof(d)), why);
				nbad++;
			}
		}
		osmdiag__buf_putc(&fix, ']');
		if (nbad) {
			snprintf(msg, len, "has %zu invalid item%s: %s",
				nbad, nbad == 1 ? "" : "s", S(bad.ptr));
			*fixed = osmdiag__buf_detach(&fix);
		} else if (!n && (f->min_items_one & schema)) {
			snprintf(msg, len, "is empty; the schema wants at least one item");
		}
		osmdiag__buf_free(&bad);
		osmdiag__buf_free(&fix);
		return msg[0] == '\0';
	}
	default:
		return 1;
	}
}

/* ---- OSMD302 MeshConfig value types -------------------------------------------- */

static void emit_bad_field(osmdiag__ctx *ctx, const osmdiag__mc_field *f, const char *what, const char *fixed)
{
	const osmdiag__model *m = ctx->m;
	const char *ns = m->mesh->namespace_;
	const char *def = osmdiag__mc_default(f, m->mesh->profile->name);
	const char *value = fixed ? fixed : def;
	struct osmdiag_result *r;
	osmdiag__buf hint = OSMDIAG__BUF_INIT, fix = OSMDIAG__BUF_INIT;
	char *defs = def ? subst_ns(def, ns) : NULL;

	r = osmdiag__emit(ctx, OSMDIAG_STATUS_FAIL, "%s %s", f->path, what);
	set_mc_resource(r, m);
	osmdiag__buf_printf(&hint, "The schema type is %s; ", osmdiag__mc_type_name(f->type));
	if (def)
		osmdiag__buf_printf(&hint, "the OSM %s default is %s. ", m->mesh->profile->name, S(defs));
	else if (f->required)
		osmdiag__buf_puts(&hint, "it has no default: set the value your setup needs. ");
	else
		osmdiag__buf_puts(&hint, "it has no default: the fix removes it so OSM falls back to its "
			"built-in behaviour. ");
	osmdiag__buf_puts(&hint, "The API server rejects writes with a wrong type or value (422 Invalid) and "
		"OSM cannot use such a value; booleans are JSON true/false and integers unquoted numbers.");
	if (f->guide_note)
		osmdiag__buf_printf(&hint, " Note: %s.", f->guide_note);
	osmdiag__result_set_hint(r, "%s", S(hint.ptr));
	if (value || !f->required) {
		buf_merge_cmd(&fix, ns, f->path, value ? value : "null");
		osmdiag__result_set_fix(r, "%s", S(fix.ptr));
	}
	free(defs);
	osmdiag__buf_free(&hint);
	osmdiag__buf_free(&fix);
}

static void check_types(osmdiag__ctx *ctx)
{
	const osmdiag__model *m = ctx->m;
	const osmdiag__obj *mc = osmdiag__model_meshconfig(m);
	unsigned schema = mc_schema(m, mc);
	size_t nbad = 0, nseen = 0;
	struct osmdiag_result *r;

	for (size_t i = 0; i < osmdiag__mc_field_count(); i++) {
		const osmdiag__mc_field *f = osmdiag__mc_field_at(i);
		const char *dot = strrchr(f->path, '.');
		const osmdiag__obj *parent = mc, *v;
		char msg[512], *fixed = NULL;

		if (!(f->schemas & schema))
			continue;
		if (dot) {
			char ppath[128];

			snprintf(ppath, sizeof(ppath), "%.*s", (int)(dot - f->path), f->path);
			parent = osmdiag__obj_get(mc, ppath);
			if (is_null(parent) || !osmdiag__obj_is_object(parent))
				continue; /* absent, or reported by the parent's row */
		}
		v = osmdiag__obj_member(parent, dot ? dot + 1 : f->path);
		if (is_null(v)) {
			if (f->required) {
				char pp[128];

				snprintf(pp, sizeof(pp), "%.*s", (int)(dot - f->path), f->path);
				snprintf(msg, sizeof(msg), "is missing; the schema requires it whenever %s "
					"is set (type %s)", pp, osmdiag__mc_type_name(f->type));
				emit_bad_field(ctx, f, msg, NULL);
				nbad++;
			}
			continue;
		}
		nseen++;
		if (!value_check(f, schema, v, msg, sizeof(msg), &fixed)) {
			emit_bad_field(ctx, f, msg, fixed);
			nbad++;
		}
		free(fixed);
	}
	if (!nbad) {
		r = osmdiag__emit(ctx, OSMDIAG_STATUS_PASS, "MeshConfig %s/%s: all %zu known fields set have "
			"valid types and values for schema %s", m->mesh->namespace_, MC_NAME, nseen,
			osmdiag__mc_schema_name(schema));
		set_mc_resource(r, m);
	}
}

/* ---- OSMD303 MeshConfig unknown fields ---------------------------------------------- */

#define MAX_DEPTH 16

typedef struct unknown_walk {
	osmdiag__ctx *ctx;
	unsigned schema;
	const char *segs[MAX_DEPTH];
	size_t nsegs;
	size_t nunknown;
} unknown_walk;

static char *seg_path(const unknown_walk *w)
{
	osmdiag__buf b = OSMDIAG__BUF_INIT;

	for (size_t i = 0; i < w->nsegs; i++) {
		if (i)
			osmdiag__buf_putc(&b, '.');
		osmdiag__buf_puts(&b, w->segs[i]);
	}
	return osmdiag__buf_detach(&b);
}

static void report_unknown(unknown_walk *w, const char *path, const osmdiag__obj *v)
{
	osmdiag__ctx *ctx = w->ctx;
	const osmdiag__model *m = ctx->m;
	const char *ns = m->mesh->namespace_;
	const char *leaf = w->segs[w->nsegs - 1];
	const osmdiag__mc_misplaced *mp = osmdiag__mc_misplaced_lookup(path, w->schema);
	const osmdiag__mc_field *other = osmdiag__mc_lookup(path);
	const osmdiag__mc_field *target = NULL;
	osmdiag__buf msg = OSMDIAG__BUF_INIT, hint = OSMDIAG__BUF_INIT, fix = OSMDIAG__BUF_INIT;
	struct osmdiag_result *r;
	char list[200], d[128];

	osmdiag__buf_printf(&msg, "%s (%s) is not a field of the MeshConfig schema %s; the API server prunes "
		"it",
		path, describe(v, d, sizeof(d)), osmdiag__mc_schema_name(w->schema));
	if (mp) {
		target = mp->correct_path ? osmdiag__mc_lookup(mp->correct_path) : NULL;
		if (target)
			osmdiag__buf_printf(&msg, "; it belongs at %s", target->path);
		osmdiag__buf_printf(&hint, "%s.", mp->reason);
	} else if (other && !strchr(leaf, '.')) {
		osmdiag__buf_printf(&msg, "; only %s know%s it", osmdiag__mc_schema_list(other->schemas, list,
			sizeof(list)), (other->schemas & (other->schemas - 1)) ? "" : "s");
		osmdiag__buf_printf(&hint, "This OSM release (profile %s) ignores %s; remove it, or upgrade "
			"OSM to a release whose schema has it.", m->mesh->profile->name, path);
	} else {
		target = osmdiag__mc_find_leaf(leaf, w->schema, path, 0);
		if (!target)
			target = osmdiag__mc_find_leaf(leaf, w->schema, path, 1);
		if (target) {
			osmdiag__buf_printf(&msg, "; did you mean %s?", target->path);
			osmdiag__buf_printf(&hint, "Field names are case-sensitive and fixed in place: the "
				"schema has %s (%s).", target->path, osmdiag__mc_type_name(target->type));
		} else {
			osmdiag__buf_puts(&hint, "The field is silently dropped on write (or rejected under "
				"strict field validation); remove it from your manifests.");
		}
	}
	osmdiag__buf_puts(&hint, " Remove the field");
	buf_remove_cmd(&fix, ns, w->segs, w->nsegs);
	if (target && (target->schemas & w->schema)) {
		char vmsg[256], *fixed = NULL;
		char *carried = NULL;
		const char *value;

		if (value_check(target, w->schema, v, vmsg, sizeof(vmsg), &fixed))
			carried = osmdiag__obj_dump(v);
		value = carried ? carried : fixed;
		if (!value)
			value = osmdiag__mc_default(target, m->mesh->profile->name);
		if (value) {
			osmdiag__buf_printf(&hint, " and set %s instead", target->path);
			osmdiag__buf_puts(&fix, "; ");
			buf_merge_cmd(&fix, ns, target->path, value);
		}
		free(carried);
		free(fixed);
	}
	osmdiag__buf_puts(&hint, " (the remove fails harmlessly when the server already pruned it).");
	r = osmdiag__emit(ctx, OSMDIAG_STATUS_WARN, "%s", S(msg.ptr));
	set_mc_resource(r, m);
	osmdiag__result_set_hint(r, "%s", S(hint.ptr));
	osmdiag__result_set_fix(r, "%s", S(fix.ptr));
	osmdiag__buf_free(&msg);
	osmdiag__buf_free(&hint);
	osmdiag__buf_free(&fix);
	w->nunknown++;
}

static int walk_member(const char *key, const osmdiag__obj *value, void *ud)
{
	unknown_walk *w = ud;
	const osmdiag__mc_field *f;
	char *path;
	int known;

	if (w->nsegs >= MAX_DEPTH)
		return 0;
	w->segs[w->nsegs++] = key;
	path = seg_path(w);
	if (!path) {
		w->nsegs--;
		return 0;
	}
	if (w->nsegs == 1) {
		/* root: the object envelope */
		known = !strcmp(key, "apiVersion") || !strcmp(key, "kind") || !strcmp(key, "metadata") ||
			!strcmp(key, "spec");
		if (!known)
			report_unknown(w, path, value);
		else if (!strcmp(key, "spec") && osmdiag__obj_is_object(value))
			osmdiag__obj_each(value, walk_member, w);
	} else {
		f = strchr(key, '.') ? NULL : osmdiag__mc_lookup(path);
		if (!f || !(f->schemas & w->schema))
			report_unknown(w, path, value);
		else if (f->type == OSMDIAG__MC_T_OBJECT && osmdiag__obj_is_object(value))
			osmdiag__obj_each(value, walk_member, w);
	}
	free(path);
	w->nsegs--;
	return 0;
}

static void check_unknown(osmdiag__ctx *ctx)
{
	const osmdiag__model *m = ctx->m;
	const osmdiag__obj *mc = osmdiag__model_meshconfig(m);
	unknown_walk w;
	struct osmdiag_result *r;

	memset(&w, 0, sizeof(w));
	w.ctx = ctx;
	w.schema = mc_schema(m, mc);
	osmdiag__obj_each(mc, walk_member, &w);
	if (!w.nunknown) {
		r = osmdiag__emit(ctx, OSMDIAG_STATUS_PASS, "MeshConfig %s/%s: every field is known to "
			"schema %s",
			m->mesh->namespace_, MC_NAME, osmdiag__mc_schema_name(w.schema));
		set_mc_resource(r, m);
	}
}

/* ---- OSMD304 MeshConfig notable settings ---------------------------------------------- */

/* Reads a typed field for 304; on a wrong type emits an error result and returns -1. */
static int read_field(osmdiag__ctx *ctx, const osmdiag__obj *mc, const char *path, const char *want,
	const osmdiag__obj **out)
{
	char bad[128];
	const char *bad_type = NULL, *shown;
	int rc = walk_path(mc, path, out, bad, sizeof(bad), &bad_type);
	struct osmdiag_result *r;

	if (rc == OSMDIAG__F_MISSING)
		return 0;
	if (rc == OSMDIAG__F_OK && !strcmp(osmdiag__obj_type_name(*out), want))
		return 1;
	if (rc == OSMDIAG__F_OK) {
		snprintf(bad, sizeof(bad), "%s", path);
		bad_type = osmdiag__obj_type_name(*out);
	}
	shown = strcmp(bad, path) ? "object" : want;
	r = osmdiag__emit(ctx, OSMDIAG_STATUS_ERROR, "%s is %s %s, not %s %s: cannot evaluate %s (see "
		"OSMD302)",
		bad, article(S(bad_type)), S(bad_type), article(shown), shown, path);
	set_mc_resource(r, ctx->m);
	osmdiag__result_set_hint(r, "Fix the type first (OSMD302 gives the patch).");
	*out = NULL;
	return -1;
}

static int read_bool(osmdiag__ctx *ctx, const osmdiag__obj *mc, const char *path, int *val)
{
	const osmdiag__obj *v;
	int rc = read_field(ctx, mc, path, "boolean", &v);

	*val = 0;
	if (rc == 1)
		osmdiag__obj_get_bool(v, "", val);
	return rc;
}

static void check_notable(osmdiag__ctx *ctx)
{
	const osmdiag__model *m = ctx->m;
	const char *ns = m->mesh->namespace_;
	const osmdiag__obj *mc = osmdiag__model_meshconfig(m);
	const osmdiag__obj *v;
	struct osmdiag_result *r;
	osmdiag__buf fix = OSMDIAG__BUF_INIT;
	int permissive, egress, debug, tracing, rc, n = 0, nerr = 0;
	const char *validity = NULL, *addr = NULL, *envoy_level = NULL, *osm_level = NULL;
	double secs = 0;

#define FIX(path, val) do { osmdiag__buf_free(&fix); buf_merge_cmd(&fix, ns, path, val); \
	osmdiag__result_set_fix(r, "%s", S(fix.ptr)); } while (0)

	if ((rc = read_bool(ctx, mc, "spec.traffic.enablePermissiveTrafficPolicyMode", &permissive)) < 0)
		nerr++;
	else if (!permissive) {
		r = osmdiag__emit(ctx, OSMDIAG_STATUS_INFO, "spec.traffic.enablePermissiveTrafficPolicyMode "
			"is %s: permissive mode off, traffic between meshed services needs SMI "
			"TrafficTargets", rc ? "false" : "unset (false)");
		set_mc_resource(r, m);
		osmdiag__result_set_hint(r, "Every allowed route needs a TrafficTarget "
			"(access.smi-spec.io/v1alpha3) plus an HTTPRouteGroup/TCPRoute; without them "
			"requests fail (403/connection reset). Enable permissive mode only if you do not "
			"want policy enforcement.");
		FIX("spec.traffic.enablePermissiveTrafficPolicyMode", "true");
		n++;
	}
	if ((rc = read_bool(ctx, mc, "spec.traffic.enableEgress", &egress)) < 0)
		nerr++;
	else if (!egress) {
		r = osmdiag__emit(ctx, OSMDIAG_STATUS_INFO, "spec.traffic.enableEgress is %s: meshed pods "
			"reach destinations outside the mesh only through Egress policies",
			rc ? "false" : "unset (false)");
		set_mc_resource(r, m);
		osmdiag__result_set_hint(r, "Create Egress policies (policy.openservicemesh.io/v1alpha1) for "
			"external hosts, or enable global egress.");
		FIX("spec.traffic.enableEgress", "true");
		n++;
	}
	if (read_bool(ctx, mc, "spec.observability.enableDebugServer", &debug) < 0)
		nerr++;
	else if (debug) {
		r = osmdiag__emit(ctx, OSMDIAG_STATUS_INFO, "spec.observability.enableDebugServer is true: "
			"osm-controller serves /debug (certificates, xDS, pprof) on port 9092");
		set_mc_resource(r, m);
		osmdiag__result_set_hint(r, "Useful while troubleshooting; turn it off afterwards, it "
			"exposes mesh internals to anything that can reach osm-controller:9092.");
		FIX("spec.observability.enableDebugServer", "false");
		n++;
	}
	if (read_bool(ctx, mc, "spec.observability.tracing.enable", &tracing) < 0) {
		nerr++;
	} else if (tracing) {
		rc = read_field(ctx, mc, "spec.observability.tracing.address", "string", &v);
		if (rc < 0)
			nerr++;
		addr = rc == 1 ? osmdiag__obj_string_value(v) : NULL;
		if (rc >= 0 && (!addr || !*addr)) {
			r = osmdiag__emit(ctx, OSMDIAG_STATUS_INFO, "spec.observability.tracing.enable is "
				"true but spec.observability.tracing.address is %s: Envoy has nowhere to "
				"send spans",
				addr ? "empty" : "unset");
			set_mc_resource(r, m);
			osmdiag__result_set_hint(r, "Set the tracing collector address (the chart default is "
				"jaeger.%s.svc.cluster.local, port 9411, endpoint /api/v2/spans), or disable "
				"tracing.",
				ns);
			FIX("spec.observability.tracing.address", "\"jaeger.$NS.svc.cluster.local\"");
			n++;
		}
	}
	rc = read_field(ctx, mc, "spec.certificate.serviceCertValidityDuration", "string", &v);
	if (rc < 0)
		nerr++;
	validity = rc == 1 ? osmdiag__obj_string_value(v) : NULL;
	if (validity && osmdiag__parse_go_duration(validity, &secs) == 0 && secs < 60) {
		r = osmdiag__emit(ctx, OSMDIAG_STATUS_WARN, "spec.certificate.serviceCertValidityDuration is "
			"\"%s\" (%gs), under 1m: service certificates rotate continuously", validity, secs);
		set_mc_resource(r, m);
		osmdiag__result_set_hint(r, "OSM renews a certificate when at most ~30-34s remain, so a "
			"validity under about a minute renews on nearly every check, churning Envoy secrets "
			"and CPU. The default is 24h.");
		FIX("spec.certificate.serviceCertValidityDuration", "\"24h\"");
		n++;
	}
	rc = read_field(ctx, mc, "spec.sidecar.logLevel", "string", &v);
	if (rc < 0)
		nerr++;
	envoy_level = rc == 1 ? osmdiag__obj_string_value(v) : NULL;
	if (envoy_level && (!strcmp(envoy_level, "trace") || !strcmp(envoy_level, "debug"))) {
		r = osmdiag__emit(ctx, OSMDIAG_STATUS_INFO, "spec.sidecar.logLevel is \"%s\": verbose Envoy "
			"logs for newly injected pods", envoy_level);
		set_mc_resource(r, m);
		osmdiag__result_set_hint(r, "Fine while troubleshooting; the default is error. Only pods "
			"created after the change pick up the level.");
		FIX("spec.sidecar.logLevel", "\"error\"");
		n++;
	}
	rc = read_field(ctx, mc, "spec.observability.osmLogLevel", "string", &v);
	if (rc < 0)
		nerr++;
	osm_level = rc == 1 ? osmdiag__obj_string_value(v) : NULL;
	if (osm_level && (!strcmp(osm_level, "trace") || !strcmp(osm_level, "debug"))) {
		r = osmdiag__emit(ctx, OSMDIAG_STATUS_INFO, "spec.observability.osmLogLevel is \"%s\": "
			"verbose control-plane logs", osm_level);
		set_mc_resource(r, m);
		osmdiag__result_set_hint(r, "Fine while troubleshooting; the default is info.");
		FIX("spec.observability.osmLogLevel", "\"info\"");
		n++;
	}
#undef FIX
	osmdiag__buf_free(&fix);
	if (!n && !nerr) {
		r = osmdiag__emit(ctx, OSMDIAG_STATUS_INFO, "nothing notable: permissive mode on, egress on, "
			"debug server off, tracing %s, serviceCertValidityDuration %s",
			tracing ? "on" : "off",
			validity ? validity : "unset (24h)");
		set_mc_resource(r, m);
	}
}

/* ---- OSMD305 sidecar images resolvable --------------------------------------------- */

/* Image of the osm-injector container in the injector Deployment, or NULL. */
static const char *injector_image(const osmdiag__model *m)
{
	const osmdiag__obj *d = osmdiag__model_get(m, "Deployment", m->mesh->namespace_, "osm-injector");
	const osmdiag__obj *cs = osmdiag__obj_get(d, "spec.template.spec.containers");

	for (size_t i = 0; i < osmdiag__obj_len(cs); i++) {
		const osmdiag__obj *c = osmdiag__obj_at(cs, i);

		if (osmdiag__streq(osmdiag__obj_str(c, "name"), "osm-injector"))
			return osmdiag__obj_str(c, "image");
	}
	return NULL;
}

/* `<registry>/init:<tag>` from the injector image `<registry>/osm-injector:<tag>` (new string or NULL). */
static char *init_image_from_injector(const char *img)
{
	const char *slash, *colon;

	if (!img)
		return NULL;
	slash = strrchr(img, '/');
	colon = strrchr(img, ':');
	if (!slash || !colon || colon < slash || strchr(img, '@') ||
	    strncmp(slash + 1, "osm-injector:", 13) != 0)
		return NULL;
	return osmdiag__asprintf("%.*s/init%s", (int)(slash - img), img, colon);
}

static const char *envoy_default(const char *profile)
{
	if (osmdiag__streq(profile, "v1.2"))
		return "envoyproxy/envoy-distroless:v1.22.2";
	if (osmdiag__streq(profile, "v1.1"))
		return "envoyproxy/envoy-alpine:v1.19.3";
	/* v0.11.1/v1.0.0 chart default (digest only, Envoy v1.19.1) */
	return "envoyproxy/envoy-alpine@sha256:"
		"6502a637c6c5fba4d03d0672d878d12da4bcc7a0d0fb3f1d506982dde0039abd";
}

static void check_images(osmdiag__ctx *ctx)
{
	static const struct {
		const char *field;     /* MeshConfig spec.sidecar.<field> */
		const char *env;       /* injector env */
		const char *what;
	} imgs[] = {
		{ "envoyImage", "OSM_DEFAULT_ENVOY_IMAGE", "Envoy sidecar" },
		{ "initContainerImage", "OSM_DEFAULT_INIT_CONTAINER_IMAGE", "init container (osm-init)" },
	};
	const osmdiag__model *m = ctx->m;
	const char *ns = m->mesh->namespace_;
	const osmdiag__obj *mc = osmdiag__model_meshconfig(m);
	const char *found[2] = { NULL, NULL }, *from[2] = { NULL, NULL };
	int nfail = 0, nskip = 0;
	struct osmdiag_result *r;

	for (size_t i = 0; i < 2; i++) {
		char path[96], bad[128];
		const char *bad_type = NULL, *env = osmdiag__model_injector_env(m, imgs[i].env);
		const osmdiag__obj *v = NULL;
		int rc = OSMDIAG__F_MISSING;

		snprintf(path, sizeof(path), "spec.sidecar.%s", imgs[i].field);
		if (mc)
			rc = walk_path(mc, path, &v, bad, sizeof(bad), &bad_type);
		if (rc == OSMDIAG__F_OK && !osmdiag__obj_is_string(v)) {
			snprintf(bad, sizeof(bad), "%s", path);
			bad_type = osmdiag__obj_type_name(v);
			rc = OSMDIAG__F_WRONGTYPE;
		}
		if (rc == OSMDIAG__F_WRONGTYPE) {
			r = osmdiag__emit(ctx, OSMDIAG_STATUS_FAIL, "MeshConfig %s is %s %s, not %s: OSM "
				"cannot read the %s image from it%s%s",
				bad, article(S(bad_type)), S(bad_type),
				strcmp(bad, path) ? "an object" : "a string",
				imgs[i].what, env && *env ? "; injector env "
					: "", env && *env ? imgs[i].env : "");
			set_mc_resource(r, m);
			osmdiag__result_set_hint(r, "Fix the type (OSMD302 gives the patch).");
			nfail++;
			continue;
		}
		if (rc == OSMDIAG__F_OK && *osmdiag__obj_string_value(v)) {
			found[i] = osmdiag__obj_string_value(v);
			from[i] = "MeshConfig";
			continue;
		}
		if (env && *env) {
			found[i] = env;
			from[i] = "osm-injector env";
			continue;
		}
		if (!mc) {
			r = osmdiag__emit(ctx, OSMDIAG_STATUS_SKIP, "%s image: osm-injector has no %s and "
				"MeshConfig %s/%s is absent (see OSMD301)",
				imgs[i].what, imgs[i].env, ns, MC_NAME);
			osmdiag__result_set_resource(r, "Deployment", ns, "osm-injector");
			nskip++;
			continue;
		}
		{
			osmdiag__buf fix = OSMDIAG__BUF_INIT, val = OSMDIAG__BUF_INIT;
			char *img = i == 0 ? osmdiag__strdup(envoy_default(m->mesh->profile->name)) :
				init_image_from_injector(injector_image(m));

			r = osmdiag__emit(ctx, OSMDIAG_STATUS_FAIL, "no %s image: MeshConfig %s is %s and "
				"osm-injector env %s is unset; the injector rejects pods with \"MeshConfig "
				"sidecar.%s not set\"",
				imgs[i].what, path, rc == OSMDIAG__F_OK ? "empty" : "unset", imgs[i].env,
				imgs[i].field);
			set_mc_resource(r, m);
			osmdiag__result_set_hint(r, "OSM v1.0+ takes the image from MeshConfig %s when set, "
				"else from the osm-injector Deployment env %s (set by the chart/add-on). Set "
				"it in the MeshConfig%s, then restart the workloads that failed to get pods.",
				path, imgs[i].env,
				img ? " (the value below is the chart default for this release; AKS uses its "
				"mcr.microsoft.com/oss mirror)" : "");
			if (img) {
				buf_json_string(&val, img);
				buf_merge_cmd(&fix, ns, path, val.ptr);
				osmdiag__result_set_fix(r, "%s", S(fix.ptr));
			}
			free(img);
			osmdiag__buf_free(&fix);
			osmdiag__buf_free(&val);
			nfail++;
		}
	}
	if (!nfail && !nskip) {
		r = osmdiag__emit(ctx, OSMDIAG_STATUS_PASS, "sidecar images resolve: envoy %s (from %s), "
			"init %s (from %s)", found[0], from[0], found[1], from[1]);
		osmdiag__result_set_resource(r, "MeshConfig", ns, MC_NAME);
	} else if (!nfail && nskip < 2 && found[0]) {
		r = osmdiag__emit(ctx, OSMDIAG_STATUS_PASS, "Envoy image resolves: %s (from %s)",
			found[0], from[0]);
		osmdiag__result_set_resource(r, "Deployment", ns, "osm-injector");
	} else if (!nfail && nskip < 2 && found[1]) {
		r = osmdiag__emit(ctx, OSMDIAG_STATUS_PASS, "init image resolves: %s (from %s)",
			found[1], from[1]);
		osmdiag__result_set_resource(r, "Deployment", ns, "osm-injector");
	}
}

/* ---- the table ------------------------------------------------------------------------ */

#define MC_GUIDE "Check the osm-mesh-config resource"

const osmdiag__check_def osmdiag__checks_meshconfig[] = {
	{ "OSMD301", "meshconfig", "MeshConfig present", "fail",
	  "MeshConfig osm-mesh-config exists in the mesh namespace in the profile's storage apiVersion "
	  "(config.openservicemesh.io/v1alpha1 for v0.11/v1.0, v1alpha2 for v1.1/v1.2).",
	  "osm-controller and osm-injector read all mesh settings (traffic policy mode, egress, sidecar "
	  "images, certificate validity) from it; without it they run on built-in defaults or cannot "
	  "inject sidecars. An object in another version means the CRDs and the control plane disagree.",
	  "Restart osm-bootstrap, which recreates osm-mesh-config from the ConfigMap preset-mesh-config: "
	  "`kubectl rollout restart deployment/osm-bootstrap -n <mesh-ns>`. Read it in the storage version: "
	  "`kubectl get meshconfigs.v1alpha2.config.openservicemesh.io osm-mesh-config -n <mesh-ns> -o yaml` "
	  "(v1alpha1 on v1.0). The AKS guide's sample shows v1alpha1, which v1.1+ only serves as deprecated.",
	  MC_GUIDE " (step 1: kubectl get meshconfig osm-mesh-config -n kube-system)",
	  OSMDIAG__NEED_MESHCONFIG, NULL, check_present },
	{ "OSMD302", "meshconfig", "MeshConfig value types", "fail",
	  "Every known field has its schema type (boolean, integer, string, array of string/integer, object) "
	  "and a valid value: log levels in their enum, Go durations parse (24h, 1h30m, 0s), CIDRs "
	  "valid, ports 1..65535, certKeyBitSize 2048..4096, required certificate fields present.",
	  "The API server rejects writes with wrong types (422 Invalid), so patches copied from the AKS "
	  "guide (strings for booleans, \"error\" for maxDataPlaneConnections) never apply; OSM cannot "
	  "decode a stored MeshConfig with a wrong type and ignores invalid durations, levels and key "
	  "sizes.",
	  "Patch each field with a correctly typed value: `kubectl patch meshconfig osm-mesh-config -n "
	  "<mesh-ns> --type=merge -p '{\"spec\":{\"featureFlags\":{\"enableWASMStats\":true}}}'` (JSON "
	  "booleans and numbers, not strings).",
	  MC_GUIDE " (step 2 and the osm-mesh-config values table)",
	  OSMDIAG__NEED_MESHCONFIG, "OSMD301", check_types },
	{ "OSMD303", "meshconfig", "MeshConfig unknown fields", "warn",
	  "No field the profile's MeshConfig schema does not know (the API server prunes such fields); known "
	  "misplacements are named, e.g. spec.observability.tracing.osmLogLevel -> "
	  "spec.observability.osmLogLevel, spec.traffic.useHTTPSIngress on v1.0+.",
	  "A pruned field is silently dropped: the setting the user believes is active never takes effect "
	  "(the AKS guide's osmLogLevel patch under tracing does nothing).",
	  "Remove the unknown field (`kubectl patch meshconfig osm-mesh-config -n <mesh-ns> --type=json -p "
	  "'[{\"op\":\"remove\",\"path\":\"/spec/...\"}]'`) and set the real one, e.g. `kubectl patch "
	  "meshconfig osm-mesh-config -n <mesh-ns> --type=merge -p "
	  "'{\"spec\":{\"observability\":{\"osmLogLevel\":\"info\"}}}'`.",
	  MC_GUIDE " (the osm-mesh-config values table)",
	  OSMDIAG__NEED_MESHCONFIG, "OSMD301", check_unknown },
	{ "OSMD304", "meshconfig", "MeshConfig notable settings", "info/warn",
	  "Values that change mesh behaviour are reported as info: permissive mode off (SMI TrafficTargets "
	  "required), egress off, debug server on, tracing on without an address, verbose log levels; "
	  "serviceCertValidityDuration under 1m is a warning (continuous certificate rotation).",
	  "These settings explain common symptoms: denied traffic without TrafficTargets, blocked external "
	  "calls, an exposed debug endpoint, missing traces, constant certificate churn.",
	  "Change the setting if it is not intended, e.g. `kubectl patch meshconfig osm-mesh-config -n "
	  "<mesh-ns> --type=merge -p "
	  "'{\"spec\":{\"traffic\":{\"enablePermissiveTrafficPolicyMode\":true}}}'`.",
	  MC_GUIDE " (the osm-mesh-config values table)",
	  OSMDIAG__NEED_MESHCONFIG, "OSMD301", check_notable },
	{ "OSMD305", "meshconfig", "sidecar images resolvable", "fail",
	  "MeshConfig spec.sidecar.envoyImage / initContainerImage are set, or the osm-injector Deployment "
	  "env OSM_DEFAULT_ENVOY_IMAGE / OSM_DEFAULT_INIT_CONTAINER_IMAGE is set.",
	  "Without an image the injector rejects every pod in meshed namespaces (\"MeshConfig "
	  "sidecar.envoyImage not set\" / \"sidecar.initContainerImage not set\"), so workloads cannot "
	  "create pods.",
	  "Set the image in the MeshConfig: `kubectl patch meshconfig osm-mesh-config -n <mesh-ns> "
	  "--type=merge -p '{\"spec\":{\"sidecar\":{\"envoyImage\":\"<image>\"}}}'`, or restore the "
	  "injector env from the chart.",
	  MC_GUIDE " (envoyImage / initContainerImage rows)",
	  OSMDIAG__NEED_MESHCONFIG | OSMDIAG__NEED_DEPLOYMENT, "OSMD301", check_images },
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL }
};
