/*
 * OSM MeshConfig -> Istio (memo 5.1, 6.11, 7.2, 7.12): the shared MeshConfig
 * ConfigMap istio-shared-configmap-asm-X-Y (REGISTRY_ONLY, extension
 * providers for tracing and ext-authz, meshMTLS, SECRET_TTL), Telemetry for
 * tracing, per-pod annotations for exclusion lists and sidecar resources,
 * DestinationRules that stop mTLS to inbound-excluded ports; findings 814,
 * 837-842.
 */
#include <stdlib.h>
#include <string.h>

#include "migrate/migrate_impl.h"

#define S(x) ((x) ? (x) : "")

static const osmdiag__obj *spec(const osmdiag__mig *g, const char *path)
{
	return osmdiag__obj_get(osmdiag__obj_get(g->meshconfig, "spec"), path);
}

static const char *spec_str(const osmdiag__mig *g, const char *path)
{
	return osmdiag__obj_str(osmdiag__obj_get(g->meshconfig, "spec"), path);
}

static void mc_source(osmdiag__mig *g)
{
	char *s = osmdiag__asprintf("MeshConfig %s/osm-mesh-config", g->m->mesh->namespace_);

	if (!s || osmdiag__strlist_push_unique(&g->mesh_config_sources, s) < 0)
		g->oom = 1;
	free(s);
}

static json_t *mesh_member(osmdiag__mig *g, const char *key, json_t *(*make)(void))
{
	json_t *v = json_object_get(g->mesh_config, key);

	if (!v) {
		v = make();
		if (!v || json_object_set_new(g->mesh_config, key, v) < 0) {
			g->oom = 1;
			return NULL;
		}
	}
	return v;
}

/* Comma list of a MeshConfig array (ints or strings), "" when empty (new string). */
static char *list_csv(const osmdiag__obj *arr)
{
	osmdiag__buf b = OSMDIAG__BUF_INIT;

	for (size_t i = 0; i < osmdiag__obj_len(arr); i++) {
		const json_t *v = (const json_t *)osmdiag__obj_at(arr, i);

		if (b.len)
			osmdiag__buf_putc(&b, ',');
		if (json_is_integer(v))
			osmdiag__buf_printf(&b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		else if (json_is_string(v))
			osmdiag__buf_puts(&b, json_string_value(v));
	}
	if (!b.ptr)
		return osmdiag__strdup("");
	return osmdiag__buf_detach(&b);
}

/* Appends comma items of `add` to the comma list in `*dst` (unique). */
static void merge_csv(char **dst, const char *add)
{
	osmdiag__strlist l = OSMDIAG__STRLIST_INIT;
	char *joined;

	for (int pass = 0; pass < 2; pass++) {
		const char *s = pass ? add : *dst;

		while (s && *s) {
			const char *e = strchr(s, ',');
			size_t n = e ? (size_t)(e - s) : strlen(s);
			char *item = osmdiag__strndup(s, n);
			char *p = item, *q;

			while (p && *p == ' ')
				p++;
			q = p ? p + strlen(p) : NULL;
			while (q && q > p && q[-1] == ' ')
				*--q = '\0';
			if (p && *p)
				osmdiag__strlist_push_unique(&l, p);
			free(item);
			s = e ? e + 1 : NULL;
		}
	}
	joined = osmdiag__strlist_join(&l, ",");
	osmdiag__strlist_free(&l);
	if (joined) {
		free(*dst);
		*dst = joined;
	}
}

static const struct {
	const char *mesh_key;   /* MeshConfig traffic.<key> */
	const char *pod_key;    /* OSM pod annotation */
	const char *istio_key;  /* Istio pod annotation */
	int inbound_ports;
} exclusions[] = {
	{ "outboundPortExclusionList", "openservicemesh.io/outbound-port-exclusion-list",
	  "traffic.sidecar.istio.io/excludeOutboundPorts", 0 },
	{ "inboundPortExclusionList", "openservicemesh.io/inbound-port-exclusion-list",
	  "traffic.sidecar.istio.io/excludeInboundPorts", 1 },
	{ "outboundIPRangeExclusionList", "openservicemesh.io/outbound-ip-range-exclusion-list",
	  "traffic.sidecar.istio.io/excludeOutboundIPRanges", 0 },
	{ "outboundIPRangeInclusionList", "openservicemesh.io/outbound-ip-range-inclusion-list",
	  "traffic.sidecar.istio.io/includeOutboundIPRanges", 0 },
	{ "networkInterfaceExclusionList", NULL, "traffic.sidecar.istio.io/excludeInterfaces", 0 },
};
#define NEXCL (sizeof(exclusions) / sizeof(exclusions[0]))

static int injection_disabled(const osmdiag__mig_tpl *t)
{
	const char *a = osmdiag__obj_string_value(osmdiag__obj_member(osmdiag__obj_member(t->meta,
		"annotations"),
		"openservicemesh.io/sidecar-injection"));

	return a && (osmdiag__strcaseeq(a, "disabled") || osmdiag__strcaseeq(a, "no") ||
		osmdiag__strcaseeq(a, "false"));
}

json_t *osmdiag__mig_exclusion_patches(osmdiag__mig *g)
{
	json_t *out = json_array();
	static const char *const res[][2] = {
		{ "requests.cpu", "sidecar.istio.io/proxyCPU" },
		{ "limits.cpu", "sidecar.istio.io/proxyCPULimit" },
		{ "requests.memory", "sidecar.istio.io/proxyMemory" },
		{ "limits.memory", "sidecar.istio.io/proxyMemoryLimit" },
	};

	if (!out)
		return NULL;
	for (size_t n = 0; n < g->nss.n; n++) {
		osmdiag__mig_tpls t;

		if (osmdiag__mig_templates(g, g->nss.v[n], &t) < 0) {
			g->oom = 1;
			break;
		}
		for (size_t i = 0; i < t.n; i++) {
			json_t *ann = json_object();
			const osmdiag__obj *pann = osmdiag__obj_member(t.v[i].meta, "annotations");

			if (!osmdiag__mig_restart_kind(t.v[i].kind) || injection_disabled(&t.v[i]) || !ann) {
				json_decref(ann);
				continue;
			}
			for (size_t e = 0; e < NEXCL; e++) {
				char *v = list_csv(spec(g, "traffic") ? osmdiag__obj_get(spec(g, "traffic"),
					exclusions[e].mesh_key) : NULL);
				const char *pv = exclusions[e].pod_key
					? osmdiag__obj_string_value(osmdiag__obj_member(pann,
						exclusions[e].pod_key)) : NULL;

				if (!v)
					continue;
				if (pv)
					merge_csv(&v, pv);
				if (*v)
					json_object_set_new(ann, exclusions[e].istio_key, json_string(v));
				free(v);
			}
			for (size_t k = 0; k < sizeof(res) / sizeof(res[0]); k++) {
				const osmdiag__obj *r = osmdiag__obj_get(spec(g, "sidecar.resources"),
					res[k][0]);
				const json_t *rv = (const json_t *)r;
				char buf[64];

				if (json_is_string(rv))
					json_object_set_new(ann, res[k][1],
						json_string(json_string_value(rv)));
				else if (json_is_integer(rv)) {
					snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT,
						json_integer_value(rv));
					json_object_set_new(ann, res[k][1], json_string(buf));
				}
			}
			if (!json_object_size(ann)) {
				json_decref(ann);
				continue;
			}
			json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:o}", "namespace",
				t.v[i].namespace_,
				"kind", t.v[i].kind, "name", t.v[i].name, "annotations", ann));
		}
		osmdiag__mig_tpls_free(&t);
	}
	return out;
}

/* DestinationRules with tls DISABLE for inbound-excluded ports (6.11). */
static void inbound_exclusion_rules(osmdiag__mig *g, json_t *patches)
{
	size_t i;
	json_t *p;

	json_array_foreach(patches, i, p) {
		const char *ports = json_string_value(json_object_get(json_object_get(p, "annotations"),
			"traffic.sidecar.istio.io/excludeInboundPorts"));
		const char *ns = json_string_value(json_object_get(p, "namespace"));
		const osmdiag__obj *w = osmdiag__model_get(g->m, json_string_value(json_object_get(p,
			"kind")), ns,
			json_string_value(json_object_get(p, "name")));
		const osmdiag__obj *labels = osmdiag__obj_get(w, "spec.template.metadata.labels");
		osmdiag__objs svcs;

		if (!ports || !*ports || osmdiag__model_list(g->m, "Service", ns, NULL, &svcs) < 0)
			continue;
		for (size_t s = 0; s < svcs.n; s++) {
			json_t *sel = osmdiag__mig_service_selector(svcs.v[s]);
			const osmdiag__obj *sp = osmdiag__obj_get(svcs.v[s], "spec.ports");

			if (!sel || !osmdiag__mig_labels_match(sel, labels)) {
				json_decref(sel);
				continue;
			}
			json_decref(sel);
			for (size_t k = 0; k < osmdiag__obj_len(sp); k++) {
				long long port = 0, tp = 0;
				char pstr[24], *name, *host, *src;
				const char *q;
				int hit = 0;
				osmdiag__mig_manifest *mf;
				json_t *pls;

				osmdiag__obj_get_int(osmdiag__obj_at(sp, k), "port", &port);
				if (osmdiag__obj_get_int(osmdiag__obj_at(sp, k), "targetPort",
						&tp) != OSMDIAG__F_OK)
					tp = port;
				snprintf(pstr, sizeof(pstr), "%lld", tp);
				for (q = ports; q && *q;) {
					size_t n = strcspn(q, ",");

					hit |= n == strlen(pstr) && strncmp(q, pstr, n) == 0;
					q = q[n] ? q + n + 1 : NULL;
				}
				if (!hit)
					continue;
				name = osmdiag__asprintf("%s-port-%lld-plaintext",
					S(osmdiag__obj_name(svcs.v[s])), port);
				host = osmdiag__mig_fqdn(osmdiag__obj_name(svcs.v[s]), ns);
				src = osmdiag__asprintf("MeshConfig %s/osm-mesh-config",
					g->m->mesh->namespace_);
				if (!name || !host || !src) {
					g->oom = 1;
				} else if ((mf = osmdiag__mig_find_host(g, "DestinationRule", ns,
						host)) != NULL) {
					json_t *tpol = json_object_get(json_object_get(mf->obj, "spec"),
						"trafficPolicy");

					if (!tpol) {
						tpol = json_object();
						json_object_set_new(json_object_get(mf->obj, "spec"),
							"trafficPolicy", tpol);
					}
					pls = json_object_get(tpol, "portLevelSettings");
					if (!pls) {
						pls = json_array();
						json_object_set_new(tpol, "portLevelSettings", pls);
					}
					json_array_append_new(pls, json_pack("{s:{s:I}, s:{s:s}}", "port",
						"number",
						(json_int_t)port, "tls", "mode", "DISABLE"));
					osmdiag__mig_add_source(g, mf, src);
				} else {
					json_t *dr = osmdiag__mig_object(g, "DestinationRule", ns, name);

					if (dr)
						json_object_set_new(dr, "spec",
							json_pack("{s:s, s:{s:[{s:{s:I}, s:{s:s}}]}}",
							"host", host, "trafficPolicy", "portLevelSettings",
							"port", "number",
							(json_int_t)port, "tls", "mode", "DISABLE"));
					osmdiag__mig_add(g, dr, ns, src);
				}
				free(name);
				free(host);
				free(src);
			}
		}
		osmdiag__objs_free(&svcs);
	}
}

static char *patch_command(const json_t *p)
{
	char *ann = json_dumps(json_object_get(p, "annotations"), JSON_COMPACT | JSON_SORT_KEYS);
	const char *kind = osmdiag__mig_restart_kind(json_string_value(json_object_get(p, "kind")));
	char *cmd = ann ? osmdiag__asprintf("kubectl patch %s %s -n %s --type merge -p "
		"'{\"spec\":{\"template\":{\"metadata\":{\"annotations\":%s}}}}'", S(kind),
		json_string_value(json_object_get(p, "name")),
		json_string_value(json_object_get(p, "namespace")), ann)
			: NULL;

	free(ann);
	return cmd;
}

static void exclusions_run(osmdiag__mig *g)
{
	json_t *patches = osmdiag__mig_exclusion_patches(g);
	osmdiag__strlist global = OSMDIAG__STRLIST_INIT;
	size_t i;
	json_t *p;

	if (!patches) {
		g->oom = 1;
		return;
	}
	for (size_t e = 0; e < NEXCL; e++) {
		char *v = list_csv(osmdiag__obj_get(spec(g, "traffic"), exclusions[e].mesh_key));
		char *item = v && *v ? osmdiag__asprintf("%s [%s]", exclusions[e].mesh_key, v) : NULL;

		if (item)
			osmdiag__strlist_push(&global, item);
		free(item);
		free(v);
	}
	if (global.n) {
		char *lists = osmdiag__strlist_join(&global, ", ");
		struct osmdiag_result *r = osmdiag__mig_emit(g, "OSMD840", OSMDIAG_STATUS_WARN, "MeshConfig",
			g->m->mesh->namespace_, "osm-mesh-config", "mesh-wide exclusion lists %s have no "
			"mesh-wide equivalent on the AKS add-on: %zu pod template(s) get "
			"traffic.sidecar.istio.io/* annotations (see the runbook)", lists ? lists : "",
			json_array_size(patches));

		osmdiag__result_set_hint(r, "inbound exclusions also need a DestinationRule with tls.mode "
			"DISABLE for the port (emitted), or clients keep sending mTLS to a port without a "
			"sidecar");
		free(lists);
		mc_source(g);
	}
	json_array_foreach(patches, i, p) {
		const char *ns = json_string_value(json_object_get(p, "namespace"));
		const char *name = json_string_value(json_object_get(p, "name"));
		const osmdiag__obj *w = osmdiag__model_get(g->m, json_string_value(json_object_get(p,
			"kind")), ns, name);
		const osmdiag__obj *pann = osmdiag__obj_get(w, "spec.template.metadata.annotations");
		int own = 0;
		char *cmd;

		for (size_t e = 0; e < NEXCL; e++)
			own |= exclusions[e].pod_key &&
				osmdiag__obj_member(pann, exclusions[e].pod_key) != NULL;
		if (!own)
			continue;
		cmd = patch_command(p);
		{
			struct osmdiag_result *r = osmdiag__mig_emit(g, "OSMD840", OSMDIAG_STATUS_WARN,
				json_string_value(json_object_get(p, "kind")), ns, name, "%s %s/%s has OSM "
				"exclusion annotations: replace them with traffic.sidecar.istio.io/* "
				"annotations",
				json_string_value(json_object_get(p, "kind")), S(ns), S(name));

			if (cmd)
				osmdiag__result_set_fix(r, "%s", cmd);
		}
		free(cmd);
	}
	inbound_exclusion_rules(g, patches);
	osmdiag__strlist_free(&global);
	json_decref(patches);
}

static void tls_and_sidecar(osmdiag__mig *g)
{
	osmdiag__strlist dropped = OSMDIAG__STRLIST_INIT;
	const char *min = spec_str(g, "sidecar.tlsMinProtocolVersion");
	const char *max = spec_str(g, "sidecar.tlsMaxProtocolVersion");
	const osmdiag__obj *ciphers = spec(g, "sidecar.cipherSuites");
	long long v;
	int b;
	const char *s;

	if (osmdiag__streq(min, "TLSv1_3")) {
		json_t *mm = mesh_member(g, "meshMTLS", json_object);

		osmdiag__mig_set_str(g, mm, "minProtocolVersion", "TLSV1_3");
		mc_source(g);
	} else if (osmdiag__streq(min, "TLSv1_0") || osmdiag__streq(min, "TLSv1_1")) {
		osmdiag__strlist_push(&dropped, "sidecar.tlsMinProtocolVersion below TLS 1.2 (Istio's "
			"minimum is 1.2)");
	}
	if (max && !osmdiag__streq(max, "TLSv1_3") && !osmdiag__streq(max, "TLS_AUTO"))
		osmdiag__strlist_push(&dropped, "sidecar.tlsMaxProtocolVersion (Istio's maximum is TLS 1.3)");
	if (osmdiag__obj_len(ciphers)) {
		json_t *mm = mesh_member(g, "meshMTLS", json_object);

		json_object_set_new(mm, "cipherSuites", json_deep_copy((const json_t *)ciphers));
		mc_source(g);
	}
	if (osmdiag__obj_len(spec(g, "sidecar.ecdhCurves")))
		osmdiag__strlist_push(&dropped, "sidecar.ecdhCurves (mesh mTLS does not respect ECDH "
			"curves)");
	if (osmdiag__obj_get_int(spec(g, "sidecar"), "maxDataPlaneConnections", &v) == OSMDIAG__F_OK && v > 0)
		osmdiag__strlist_push(&dropped, "sidecar.maxDataPlaneConnections");
	s = spec_str(g, "sidecar.configResyncInterval");
	if (s && *s && strcmp(s, "0s") != 0 && strcmp(s, "0") != 0)
		osmdiag__strlist_push(&dropped, "sidecar.configResyncInterval");
	if (S(spec_str(g, "sidecar.envoyImage"))[0])
		osmdiag__strlist_push(&dropped, "sidecar.envoyImage (managed by AKS)");
	if (S(spec_str(g, "sidecar.envoyWindowsImage"))[0])
		osmdiag__strlist_push(&dropped, "sidecar.envoyWindowsImage (no Windows support)");
	if (S(spec_str(g, "sidecar.initContainerImage"))[0])
		osmdiag__strlist_push(&dropped, "sidecar.initContainerImage (managed by AKS)");
	if (osmdiag__obj_get_bool(spec(g, "sidecar"), "enablePrivilegedInitContainer", &b) == OSMDIAG__F_OK &&
			b)
		osmdiag__strlist_push(&dropped, "sidecar.enablePrivilegedInitContainer");
	if (dropped.n) {
		char *l = osmdiag__strlist_join(&dropped, ", ");
		struct osmdiag_result *r = osmdiag__mig_emit(g, "OSMD841", OSMDIAG_STATUS_INFO, "MeshConfig",
			g->m->mesh->namespace_, "osm-mesh-config", "MeshConfig settings with no Istio add-on "
			"equivalent are dropped: %s", l ? l : "");

		osmdiag__result_set_hint(r, "nothing to apply; review whether the setting mattered");
		free(l);
	}
	osmdiag__strlist_free(&dropped);
}

static void certificates(osmdiag__mig *g)
{
	osmdiag__strlist why = OSMDIAG__STRLIST_INIT;
	const char *validity = spec_str(g, "certificate.serviceCertValidityDuration");
	double secs = 0;
	long long bits;
	const osmdiag__obj *ctl = osmdiag__model_get(g->m, "Deployment", g->m->mesh->namespace_,
		"osm-controller");
	const osmdiag__obj *args = osmdiag__obj_get(osmdiag__obj_at(osmdiag__obj_get(ctl,
		"spec.template.spec.containers"), 0), "args");
	const char *cm = NULL;

	if (validity && osmdiag__parse_go_duration(validity, &secs) == 0 && secs != 86400) {
		json_t *dc = mesh_member(g, "defaultConfig", json_object);
		json_t *pm = dc ? json_object_get(dc, "proxyMetadata") : NULL;
		char *w = osmdiag__asprintf("serviceCertValidityDuration %s (Istio: 24h; SECRET_TTL emitted, "
			"its effect on the add-on is unverified)", validity);

		if (dc && !pm) {
			pm = json_object();
			json_object_set_new(dc, "proxyMetadata", pm);
		}
		osmdiag__mig_set_str(g, pm, "SECRET_TTL", validity);
		mc_source(g);
		if (w)
			osmdiag__strlist_push(&why, w);
		free(w);
	}
	if (osmdiag__obj_get_int(spec(g, "certificate"), "certKeyBitSize", &bits) == OSMDIAG__F_OK &&
			bits != 2048)
		osmdiag__strlist_push(&why, "certKeyBitSize is not 2048 (no Istio equivalent)");
	for (size_t i = 0; i < osmdiag__obj_len(args); i++) {
		const char *a = osmdiag__obj_string_value(osmdiag__obj_at(args, i));

		if (osmdiag__streq(a, "--certificate-manager"))
			cm = osmdiag__obj_string_value(osmdiag__obj_at(args, i + 1));
		else if (a && strncmp(a, "--certificate-manager=", 22) == 0)
			cm = a + 22;
	}
	if (cm && !osmdiag__streq(cm, "tresor")) {
		char *w = osmdiag__asprintf("certificate provider %s (Istio CA or the Azure Key Vault "
			"plug-in CA, chosen at enable time)", cm);

		if (w)
			osmdiag__strlist_push(&why, w);
		free(w);
	}
	if (why.n) {
		char *l = osmdiag__strlist_join(&why, "; ");
		struct osmdiag_result *r = osmdiag__mig_emit(g, "OSMD842", OSMDIAG_STATUS_WARN, "MeshConfig",
			g->m->mesh->namespace_, "osm-mesh-config", "certificate settings differ from "
			"Istio's: %s",
			l ? l : "");

		osmdiag__result_set_hint(r, "OSM and Istio share no trust: there is no mixed-mesh period; a "
			"plug-in CA must be chosen with az aks mesh enable (switching later needs disable + "
			"enable)");
		free(l);
	}
	osmdiag__strlist_free(&why);
}

static void tracing_and_authz(osmdiag__mig *g)
{
	int b = 0;
	struct osmdiag_result *r;

	if (osmdiag__obj_get_bool(spec(g, "observability.tracing"), "enable", &b) == OSMDIAG__F_OK && b) {
		const char *addr = spec_str(g, "observability.tracing.address");
		const char *endpoint = spec_str(g, "observability.tracing.endpoint");
		long long port = 9411;
		json_t *providers = mesh_member(g, "extensionProviders", json_array);
		json_t *zipkin = json_pack("{s:s}", "service", S(addr));
		json_t *tel = osmdiag__mig_object(g, "Telemetry", OSMDIAG__MIG_ROOT_NS, "mesh-default");
		char *src = osmdiag__asprintf("MeshConfig %s/osm-mesh-config", g->m->mesh->namespace_);
		int path_dropped = 0;

		osmdiag__obj_get_int(spec(g, "observability.tracing"), "port", &port);
		json_object_set_new(zipkin, "port", json_integer(port));
		if (endpoint && *endpoint) {
			if (osmdiag__mig_rev_has(g->rev, OSMDIAG__MIG_FEAT_ZIPKIN_PATH))
				json_object_set_new(zipkin, "path", json_string(endpoint));
			else if (strcmp(endpoint, "/api/v2/spans") != 0)
				path_dropped = 1;
		}
		json_array_append_new(providers, json_pack("{s:s, s:o}", "name", "osm-zipkin", "zipkin",
			zipkin));
		mc_source(g);
		if (tel)
			json_object_set_new(tel, "spec", json_pack("{s:[{s:[{s:s}], s:f}]}", "tracing",
				"providers",
				"name", "osm-zipkin", "randomSamplingPercentage", 100.0));
		osmdiag__mig_add(g, tel, "", src);
		free(src);
		r = osmdiag__mig_emit(g, "OSMD838", OSMDIAG_STATUS_INFO, "MeshConfig", g->m->mesh->namespace_,
			"osm-mesh-config", "tracing to %s:%lld%s becomes the extension provider osm-zipkin "
			"(Allowed) and Telemetry %s/mesh-default with randomSamplingPercentage 100%s",
			S(addr), port, S(endpoint),
			OSMDIAG__MIG_ROOT_NS, path_dropped ? "; the custom endpoint path needs asm-1-24+ and "
			"is dropped"
			: "");
		osmdiag__result_set_hint(r, "OSM had no sampling knob: choose a rate; a Jaeger deployed by "
			"OSM goes away with OSM; the root namespace aks-istio-system is unverified (read "
			"rootNamespace from ConfigMap istio-%s)", g->rev->name);
	}
	b = 0;
	if (osmdiag__obj_get_bool(spec(g, "traffic.inboundExternalAuthorization"), "enable",
			&b) == OSMDIAG__F_OK && b) {
		const osmdiag__obj *ea = spec(g, "traffic.inboundExternalAuthorization");
		const char *timeout = osmdiag__obj_str(ea, "timeout");
		long long port = 0;
		int fail_open = 0;
		json_t *providers = mesh_member(g, "extensionProviders", json_array);
		json_t *p;
		char *src = osmdiag__asprintf("MeshConfig %s/osm-mesh-config", g->m->mesh->namespace_);

		osmdiag__obj_get_int(ea, "port", &port);
		osmdiag__obj_get_bool(ea, "failureModeAllow", &fail_open);
		p = json_pack("{s:s, s:I, s:s, s:b}", "service", S(osmdiag__obj_str(ea, "address")), "port",
			      (json_int_t)port, "timeout", timeout && *timeout ? timeout : "1s", "failOpen",
			      fail_open);
		json_array_append_new(providers, json_pack("{s:s, s:o}", "name", "osm-ext-authz",
			"envoyExtAuthzGrpc", p));
		mc_source(g);
		for (size_t i = 0; i < g->nss.n; i++) {
			json_t *ap = osmdiag__mig_object(g, "AuthorizationPolicy", g->nss.v[i],
				"osm-ext-authz");

			if (ap)
				json_object_set_new(ap, "spec", json_pack("{s:s, s:{s:s}, s:[{}]}", "action",
					"CUSTOM",
					"provider", "name", "osm-ext-authz", "rules"));
			osmdiag__mig_add(g, ap, g->nss.v[i], src ? src : "");
		}
		free(src);
		r = osmdiag__mig_emit(g, "OSMD839", OSMDIAG_STATUS_WARN, "MeshConfig", g->m->mesh->namespace_,
			"osm-mesh-config", "inbound external authorization (%s:%lld) becomes the "
			"envoyExtAuthzGrpc provider osm-ext-authz with timeout %s (Istio's default is 600s, "
			"OSM's 1s) and a CUSTOM AuthorizationPolicy per migrated namespace",
			S(osmdiag__obj_str(ea, "address")), port,
			timeout && *timeout ? timeout : "1s");
		osmdiag__result_set_hint(r, "statPrefix has no equivalent; CUSTOM with rules: [{}] as an "
			"\"all requests\" scope is unverified: test it");
	}
}

static void removed_components(osmdiag__mig *g)
{
	osmdiag__objs d;

	if (osmdiag__model_list(g->m, "Deployment", g->m->mesh->namespace_, NULL, &d) < 0) {
		g->oom = 1;
		return;
	}
	for (size_t i = 0; i < d.n; i++) {
		const char *name = S(osmdiag__obj_name(d.v[i]));
		const char *what = strstr(name, "contour") ? "Contour (OSM's ingress)"
			: strstr(name, "jaeger")
			? "Jaeger (OSM's tracing backend)" : NULL;
		struct osmdiag_result *r;

		if (!what)
			continue;
		r = osmdiag__mig_emit(g, "OSMD837", OSMDIAG_STATUS_WARN, "Deployment", g->m->mesh->namespace_,
			name,
			"Deployment %s/%s is %s installed with OSM: it is removed with OSM",
			g->m->mesh->namespace_,
			name, what);
		osmdiag__result_set_hint(r, "%s", strstr(name, "contour") ? "replace it with the Istio "
			"ingress gateway (az aks mesh enable-ingress-gateway --ingress-gateway-type external)"
			: "deploy your own tracing backend and point the zipkin provider at it");
	}
	osmdiag__objs_free(&d);
}

void osmdiag__mig_meshconfig(osmdiag__mig *g)
{
	const char *lpm = spec_str(g, "sidecar.localProxyMode");
	struct osmdiag_result *r;

	if (!g->meshconfig)
		return;
	if (!lpm || osmdiag__strcaseeq(lpm, "Localhost")) {
		r = osmdiag__mig_emit(g, "OSMD814", OSMDIAG_STATUS_WARN, "MeshConfig", g->m->mesh->namespace_,
			"osm-mesh-config", "sidecar.localProxyMode is %s: OSM forwarded inbound traffic to "
			"127.0.0.1, Istio forwards to the pod IP: apps listening only on localhost stop "
			"being reachable (IST0143)",
			lpm ? lpm : "unset (default Localhost)");
		osmdiag__result_set_hint(r, "make the applications listen on 0.0.0.0 (or the pod IP) before "
			"the migration");
	}
	if (!g->egress) {
		json_t *otp = mesh_member(g, "outboundTrafficPolicy", json_object);

		osmdiag__mig_set_str(g, otp, "mode", "REGISTRY_ONLY");
		mc_source(g);
	}
	tls_and_sidecar(g);
	certificates(g);
	tracing_and_authz(g);
	exclusions_run(g);
	removed_components(g);
}

void osmdiag__mig_meshconfig_finish(osmdiag__mig *g)
{
	json_t *cm, *to = json_array();
	char *name, *text;
	size_t n;
	osmdiag__mig_manifest *mf;

	if (!g->meshconfig || !to) {
		json_decref(to);
		return;
	}
	if (json_object_size(g->mesh_config)) {
		name = osmdiag__asprintf("istio-shared-configmap-%s", g->rev->name);
		text = osmdiag__yaml_emit(g->mesh_config);
		cm = name ? osmdiag__mig_object(g, "ConfigMap", OSMDIAG__MIG_ROOT_NS, name) : NULL;
		if (!text || !cm) {
			g->oom = 1;
			json_decref(cm);
		} else {
			char *joined = osmdiag__strlist_join(&g->mesh_config_sources, ", ");

			n = strlen(text);
			if (n && text[n - 1] == '\n')
				text[n - 1] = '\0';
			json_object_set_new(cm, "data", json_pack("{s:s}", "mesh", text));
			mf = osmdiag__mig_add(g, cm, "", joined ? joined : "");
			free(joined);
			(void)mf;
		}
		free(name);
		free(text);
	}
	/* inventory row: everything whose source names the MeshConfig or a migrated Namespace */
	for (size_t i = 0; i < g->out->nman; i++) {
		osmdiag__mig_manifest *m = &g->out->man[i];

		for (size_t k = 0; k < m->sources.n; k++)
			if (strncmp(m->sources.v[k], "MeshConfig ", 11) == 0) {
				osmdiag__mig_to_push(to, m);
				break;
			}
	}
	osmdiag__mig_inventory(g, "MeshConfig", g->m->mesh->namespace_, "osm-mesh-config", "approximate",
		"fields map one by one (memo 5.1): see findings OSMD814, OSMD820-822, OSMD838-842", to);
}
