/*
 * Catalogue rows of the category "migration" (OSMD801-845): the findings of
 * `osmdiag migrate` (lib/migrate). They have no run function: they are never
 * part of a check run; the migrate engine evaluates them. Source:
 * shared/design/ISTIO-MIGRATION.md section 8 ("the memo").
 */
#include <stddef.h>

#include "checks/check_impl.h"

#define MIG OSMDIAG__CATEGORY_MIGRATION
#define GUIDE "Azure \"Migration guidance for Open Service Mesh (OSM) configurations to Istio\" " \
	"(which covers "
#define ROW(id_, title_, sev_, exp_, why_, fix_, guide_) \
	{ id_, MIG, title_, sev_, exp_, why_, fix_, guide_, 0, NULL, NULL }

const osmdiag__check_def osmdiag__checks_migration[] = {
	ROW("OSMD801", "Migration inventory", "info",
	    "Every SMI and OSM policy object, per namespace, and the MeshConfig settings are inventoried "
	    "before anything is removed.",
	    "`osm uninstall cluster-wide-resources` deletes the SMI and OSM policy CRDs and with them every "
	    "TrafficTarget, HTTPRouteGroup, TCPRoute, TrafficSplit, Egress, IngressBackend, "
	    "UpstreamTrafficSetting and Retry: a snapshot taken before is the only copy left.",
	    "Save a snapshot now: `osmdiag snapshot --out osm-snapshot`, then run `osmdiag migrate "
	    "--snapshot osm-snapshot` as often as needed.",
	    GUIDE "none of this): the \"identify your OSM configurations\" part of its recommendation."),
	ROW("OSMD802", "OSM add-on and Istio add-on cannot coexist", "info",
	    "The migration follows the order inventory, disable the OSM add-on, remove OSM's cluster-wide "
	    "resources, `az aks mesh enable --revision asm-X-Y`, revision labels, rollout restarts, apply "
	    "the drafts.",
	    "The Istio add-on cannot be enabled while the OSM add-on is on: between disabling OSM and "
	    "restarting the workloads they run without mTLS and without authorization policy.",
	    "Plan the un-meshed window (or migrate to a new cluster, blue/green); follow runbook.md: `az aks "
	    "disable-addons --addons open-service-mesh -g <rg> -n <cluster>`, `osm uninstall "
	    "cluster-wide-resources`, `az aks mesh enable --revision asm-X-Y -g <rg> -n <cluster>`.",
	    GUIDE "the redeploy walkthrough: uninstall OSM first)."),
	ROW("OSMD803", "Target revision given", "warn",
	    "The target Istio add-on revision (asm-1-N) is given explicitly.",
	    "apiVersions (v1 only from asm-1-22), path templates (1.22), HTTPRetry.backoff (1.26) and the "
	    "zipkin path (1.24) depend on it; without it the lowest supported revision is assumed.",
	    "List the revisions with `az aks mesh get-revisions --location <location>` and pass "
	    "`--target-revision asm-1-N`.",
	    GUIDE "no revision at all)."),
	ROW("OSMD804", "No Windows workloads in migrated namespaces", "fail",
	    "No pod template in a migrated namespace runs on Windows nodes (nodeSelector kubernetes.io/os: "
	    "windows); Windows nodes are reported as a warning.",
	    "The Istio add-on does not support Windows Server containers: such pods cannot be meshed.",
	    "Keep Windows workloads out of the mesh (pod label `sidecar.istio.io/inject: \"false\"`) or move "
	    "them to Linux nodes.",
	    GUIDE "nothing about Windows)."),
	ROW("OSMD805", "No virtual-node pods in migrated namespaces", "warn",
	    "No pod template in a migrated namespace targets virtual nodes (virtual-kubelet).",
	    "The Istio add-on does not support pods on virtual nodes.",
	    "Exclude them from injection or run them on regular nodes.",
	    GUIDE "nothing about virtual nodes)."),
	ROW("OSMD806", "No self-managed Istio", "fail",
	    "No `*.istio.io` CustomResourceDefinition exists before the add-on is enabled.",
	    "The add-on does not coexist with a self-managed Istio.",
	    "Uninstall it (`istioctl uninstall --purge`) and delete its CRDs before `az aks mesh enable`.",
	    GUIDE "nothing about existing Istio installations)."),
	ROW("OSMD810", "Namespaces get the revision label", "info",
	    "Each namespace the mesh monitors is labelled `istio.io/rev=asm-X-Y`; none carries "
	    "`istio-injection`.",
	    "The AKS add-on requires the revision label; `istio-injection=enabled` makes it skip the "
	    "namespace.",
	    "`kubectl label namespace <ns> istio.io/rev=asm-X-Y --overwrite` (and `kubectl label namespace "
	    "<ns> istio-injection-`).",
	    GUIDE "onboarding with `istio-injection=enabled`, which the add-on ignores: defect D1)."),
	ROW("OSMD811", "Injection opt-outs carried over", "info",
	    "Pod templates OSM did not inject (annotation openservicemesh.io/sidecar-injection: disabled) "
	    "get the label sidecar.istio.io/inject: \"false\"; templates that asked for injection outside "
	    "migrated namespaces get inject \"true\" plus istio.io/rev.",
	    "Otherwise the namespace label injects workloads that ran without a sidecar under OSM, or drops "
	    "ones that had one.",
	    "`kubectl patch deployment <name> -n <ns> --type merge -p "
	    "'{\"spec\":{\"template\":"
	    "{\"metadata\":{\"labels\":{\"sidecar.istio.io/inject\":\"false\"}}}}}'`",
	    GUIDE "nothing about per-pod injection)."),
	ROW("OSMD812", "Workloads restarted", "info",
	    "Every injected workload in a migrated namespace is restarted after the revision label.",
	    "Existing pods keep their old sidecar (or none) until they are recreated.",
	    "`kubectl rollout restart deployment/<name> -n <ns>` per workload (listed per namespace).",
	    GUIDE "a fresh deployment, no restarts)."),
	ROW("OSMD813", "No container runs as UID 1337", "warn",
	    "No container of a meshed pod runs as user 1337.",
	    "Istio reserves UID 1337 for its proxy and does not redirect that user's traffic (OSM used "
	    "1500): such a container bypasses the sidecar.",
	    "Change `securityContext.runAsUser` before injecting the Istio sidecar.",
	    GUIDE "nothing about UIDs)."),
	ROW("OSMD814", "Apps reachable on the pod IP", "warn",
	    "MeshConfig sidecar.localProxyMode is PodIP, or applications listen on all interfaces.",
	    "OSM's default Localhost forwarded inbound traffic to 127.0.0.1; Istio forwards to the pod IP, "
	    "so apps bound only to localhost stop being reachable (IST0143).",
	    "Make the applications listen on 0.0.0.0 (or the pod IP) before the migration.",
	    GUIDE "nothing about localProxyMode)."),
	ROW("OSMD815", "Service ports declare their protocol", "warn",
	    "Service ports in migrated namespaces that are server-first (3306, 5432, ...) or carry migrated "
	    "HTTP/TCP policy have `appProtocol` or a protocol-prefixed name.",
	    "Istio sniffs undeclared ports; server-first protocols stall under sniffing and HTTP routes and "
	    "authorization apply only when the port is known to be HTTP.",
	    "`kubectl patch service <name> -n <ns> --type json -p '[{\"op\":\"add\","
	    "\"path\":\"/spec/ports/0/appProtocol\",\"value\":\"http\"}]'` (`tcp` for server-first).",
	    GUIDE "\"targetPort and appProtocol not needed for Istio\", and a `mysqldb` Service that breaks "
	    "the demo: defect D6)."),
	ROW("OSMD820", "Permissive mode on: no authorization", "info",
	    "With permissive traffic policy mode on, no AuthorizationPolicy is emitted and each migrated "
	    "namespace gets PeerAuthentication STRICT.",
	    "OSM permissive mode bypasses SMI authorization; mTLS stays on either way. Istio allows traffic "
	    "when no ALLOW policy selects a workload, and its default mTLS mode is PERMISSIVE, so STRICT "
	    "keeps OSM's mTLS-only inbound.",
	    "Apply istio/<ns>.yaml (PeerAuthentication `default`, mode STRICT).",
	    GUIDE "\"the equivalent to OSM's permissive mode is PeerAuthentication\", which conflates "
	    "authorization with mTLS: defect D7)."),
	ROW("OSMD821", "Permissive mode off: deny by default", "warn",
	    "With permissive mode off, each migrated namespace gets an allow-nothing AuthorizationPolicy "
	    "plus one ALLOW policy per TrafficTarget.",
	    "Denied calls become HTTP 403 or a TCP reset, and OSM's client-side denial (no route to services "
	    "the client may not call) is gone: Istio enforces on the server only.",
	    "Apply the drafts; check clients that relied on a missing route.",
	    GUIDE "the AuthorizationPolicy examples, without allow-nothing)."),
	ROW("OSMD822", "TrafficTargets while permissive mode is on", "warn",
	    "No TrafficTarget exists while permissive mode is on, or the translated policies are marked "
	    "dry-run.",
	    "OSM ignored TrafficTargets in permissive mode; enforcing them under Istio would change "
	    "behaviour. They are emitted with the annotation istio.io/dry-run: \"true\" (evaluated, not "
	    "enforced).",
	    "Remove the dry-run annotation (and add allow-nothing) only when turning on deny-by-default on "
	    "purpose.",
	    GUIDE "nothing about this case)."),
	ROW("OSMD823", "TrafficTarget was active under OSM", "skip/warn",
	    "Each TrafficTarget is valid for OSM: in a monitored namespace, metadata.namespace equals "
	    "spec.destination.namespace, at least one rule, rule kinds HTTPRouteGroup or TCPRoute only, "
	    "every referenced route exists.",
	    "OSM ignored invalid TrafficTargets; translating them would grant access that never existed.",
	    "Fix or delete the TrafficTarget; it is not translated.",
	    GUIDE "nothing about validity)."),
	ROW("OSMD824", "A label selector matches exactly the ServiceAccount's pods", "fail",
	    "Some label set selects exactly the pod templates that run as the destination (or Retry source) "
	    "ServiceAccount and no template of another ServiceAccount in the namespace.",
	    "Istio selects workloads by labels, OSM by ServiceAccount: a too-wide selector extends a policy "
	    "to other workloads (e.g. {app: bookstore} selects bookstore-v2, which has its own "
	    "ServiceAccount).",
	    "Add the label osm-migration/serviceaccount: <sa> to those pod templates (the draft selects it; "
	    "remediation lists the kubectl patch commands).",
	    GUIDE "`matchLabels: {app: <name>}` after merging the bookstore ServiceAccounts, which changes "
	    "identities: defect D10)."),
	ROW("OSMD825", "pathRegex representable in Istio", "warn",
	    "Each HTTPRouteGroup pathRegex is a literal, `lit.*`, `.*lit`, `.*`, an alternation of those, or "
	    "(from asm-1-22) a segment template.",
	    "OSM matched pathRegex as an RE2 full match of the path; Istio paths have only exact, prefix*, "
	    "*suffix and templates. Other regexes become a broader (over) or narrower (under) value, named "
	    "in the message.",
	    "Accept the approximation, narrow the regex, or enforce the exact regex with an EnvoyFilter "
	    "(RBAC safe_regex) or ext-authz.",
	    GUIDE "`*/books-bought` (broader) and `*/buy-a-book/new` (narrower than `.*a-book.*new`): defect "
	    "D5)."),
	ROW("OSMD826", "Header regex representable in Istio", "warn",
	    "Each HTTPRouteGroup header value is a literal, prefix, suffix or `.*` (presence).",
	    "Istio conditions have only exact, prefix*, *suffix and presence (*); other regexes become "
	    "presence or prefix/suffix, usually broader. Headers stay ANDed in the same rule.",
	    "Accept the approximation or enforce the regex with an EnvoyFilter or ext-authz.",
	    GUIDE "a separate `when` rule (ORed: defect D3) with `*-http-client/*`, which never matches (a "
	    "`*` in the middle is literal: defect D4))."),
	ROW("OSMD827", "TCPRoute port equals targetPort", "warn",
	    "Each TCPRoute port is a Service port whose targetPort is the same number.",
	    "Istio operation.ports is the workload (container) port, SMI/OSM meant the Service port: the "
	    "draft uses the targetPort.",
	    "Verify the translated port; for a named targetPort replace it by the container port number.",
	    GUIDE "`ports: [\"3306\"]` without the distinction)."),
	ROW("OSMD828", "TrafficTarget sources and destination are ServiceAccounts", "fail",
	    "Every TrafficTarget source and destination has kind ServiceAccount.",
	    "Other kinds have no principal to translate.",
	    "Write that AuthorizationPolicy by hand.",
	    GUIDE "ServiceAccounts only)."),
	ROW("OSMD830", "TrafficSplit translatable", "warn/fail",
	    "Each TrafficSplit has a positive total weight, backends that are not the root service and that "
	    "have every root port; TCP roots are noted (tcp routes).",
	    "OSM built no route for a total weight of 0; a backend without a root port got no traffic; "
	    "self-referential splits work only with subsets.",
	    "Fix the weights/ports; the draft is a host-based VirtualService (the Services stay).",
	    GUIDE "collapsing the per-version Services into subsets and locating the backends in "
	    "TrafficTarget: defect D8)."),
	ROW("OSMD831", "One VirtualService per host", "warn",
	    "At most one generated VirtualService routes a host for the mesh.",
	    "Istio merges nothing across VirtualServices of one host for `mesh` (IST0109): TrafficSplit and "
	    "Retry routes are merged into one object.",
	    "Review the merged VirtualService.",
	    GUIDE "one VirtualService only)."),
	ROW("OSMD832", "Retries", "warn",
	    "Retry behaviour is decided: Istio retries twice by default, OSM never retried without a Retry "
	    "policy.",
	    "Without `defaultHttpRetryPolicy: {attempts: 0}` every request may be retried; Retry CRs were "
	    "inert with enableRetryPolicy false; source scoping becomes sourceNamespace + sourceLabels; "
	    "backoff needs asm-1-26.",
	    "Set `defaultHttpRetryPolicy: {attempts: 0}` in istio-shared-configmap-asm-X-Y (generated "
	    "default routes already carry `retries: {attempts: 0}`).",
	    GUIDE "nothing about retries)."),
	ROW("OSMD833", "UpstreamTrafficSetting", "warn",
	    "connectionSettings become a DestinationRule connectionPool (connectTimeout 5s kept), rate "
	    "limits an EnvoyFilter.",
	    "Istio's default connect timeout is 10s (OSM/Envoy 5s); local rate limits have no first-class "
	    "Istio API and EnvoyFilter is outside AKS support; limits are per pod, not aggregate; httpRoutes "
	    "limits are manual.",
	    "Apply the DestinationRule; decide whether the EnvoyFilter is acceptable.",
	    GUIDE "nothing about UpstreamTrafficSetting)."),
	ROW("OSMD834", "Egress", "warn/fail",
	    "Egress policies become ServiceEntries (plus VirtualServices for HTTPRouteGroup matches); "
	    "enableEgress false becomes outboundTrafficPolicy REGISTRY_ONLY.",
	    "REGISTRY_ONLY is not a firewall; ServiceAccount scoping is lost (namespace via exportTo, "
	    "workload via Sidecar, identity only via an egress gateway); TCP egress to any destination has "
	    "no equivalent (fail); with enableEgressPolicy false the CRs were inert.",
	    "Apply the ServiceEntries; for identity-level control enable an AKS Istio egress gateway.",
	    GUIDE "nothing about egress)."),
	ROW("OSMD835", "IngressBackend", "warn/fail",
	    "Each IngressBackend becomes a PERMISSIVE backend port plus an ALLOW AuthorizationPolicy from "
	    "its sources (controller outside the mesh), or the ingress moves to the Istio ingress gateway.",
	    "Plaintext from the controller needs PERMISSIVE; Service sources need IPs; "
	    "AuthenticatedPrincipal over https needs a certificate the controller cannot get (fail, manual); "
	    "App Routing IngressBackends follow their Ingress.",
	    "Apply the drafts, or `az aks mesh enable-ingress-gateway` and a Gateway + VirtualService.",
	    GUIDE "nothing about ingress)."),
	ROW("OSMD836", "Ingress without use-osm-mtls", "warn",
	    "No Ingress carries kubernetes.azure.com/use-osm-mtls: \"true\".",
	    "App Routing generated an IngressBackend and HTTPS/proxy-ssl annotations with OSM's client "
	    "certificate; both stop working without OSM.",
	    "Remove the annotation and the nginx backend-protocol/proxy-ssl annotations; choose the Istio "
	    "ingress gateway or a PERMISSIVE port.",
	    GUIDE "nothing about App Routing)."),
	ROW("OSMD837", "Components installed with OSM", "warn",
	    "No Contour or Jaeger installed by OSM runs in the mesh namespace.",
	    "They are removed with OSM.",
	    "Replace Contour with the Istio ingress gateway and Jaeger with your own tracing backend.",
	    GUIDE "nothing about them)."),
	ROW("OSMD838", "Tracing", "info",
	    "OSM tracing becomes a zipkin extension provider in the shared MeshConfig plus a Telemetry "
	    "resource.",
	    "The provider `path` exists from asm-1-24; OSM had no sampling knob.",
	    "Choose randomSamplingPercentage deliberately; verify the root namespace (aks-istio-system).",
	    GUIDE "nothing about tracing)."),
	ROW("OSMD839", "External authorization", "warn",
	    "OSM inbound external authorization becomes an envoyExtAuthzGrpc provider and CUSTOM "
	    "AuthorizationPolicies.",
	    "Istio's default ext-authz timeout is 600s (OSM 1s): the draft sets it; statPrefix has no "
	    "equivalent.",
	    "Apply and test the CUSTOM policies.",
	    GUIDE "nothing about ext-authz)."),
	ROW("OSMD840", "Exclusion lists", "warn",
	    "Port, IP-range and interface exclusions (mesh-wide and per pod) become "
	    "traffic.sidecar.istio.io/* pod annotations; inbound exclusions also get a DestinationRule with "
	    "tls DISABLE.",
	    "The add-on has no mesh-wide exclusion setting; clients keep sending mTLS to an inbound-excluded "
	    "port unless told not to.",
	    "Run the kubectl patch commands of the runbook; apply the DestinationRules.",
	    GUIDE "nothing about exclusions)."),
	ROW("OSMD841", "Settings without an equivalent", "info",
	    "No MeshConfig sidecar setting without an Istio add-on equivalent is set "
	    "(maxDataPlaneConnections, configResyncInterval, images, privileged init container, TLS max "
	    "version / below 1.2, ecdhCurves).",
	    "Those settings are dropped.",
	    "Nothing to apply; review whether they mattered.",
	    GUIDE "nothing about sidecar settings)."),
	ROW("OSMD842", "Certificates", "warn",
	    "Certificate validity 24h, key size 2048 and the Tresor provider (the defaults) are used.",
	    "Istio uses its own CA or an Azure Key Vault plug-in CA chosen at enable time; there is no "
	    "shared trust with OSM; SECRET_TTL through proxyMetadata is unverified on the add-on.",
	    "Choose the CA with `az aks mesh enable`; verify certificate lifetimes after the migration.",
	    GUIDE "nothing about certificates)."),
	ROW("OSMD843", "apiVersions for the target revision", "info",
	    "Drafts use the apiVersions the target revision serves (v1 from asm-1-22, v1beta1/v1alpha1 "
	    "before; EnvoyFilter v1alpha3).",
	    "ProxyConfig CRs are blocked on the add-on; EnvoyFilter is allowed but outside support.",
	    "Use the MeshConfig defaultConfig subset or the proxy.istio.io/config annotation instead of "
	    "ProxyConfig.",
	    GUIDE "networking.istio.io/v1alpha3, the oldest version: defect D11)."),
	ROW("OSMD844", "Observable changes", "info",
	    "Clients, alerts and dashboards are ready for Istio's behaviour.",
	    "A denied HTTP request gets 403 (RBAC: access denied), a denied TCP connection is closed; metric "
	    "names and ports differ; the Azure Monitor OSM ConfigMap no longer applies.",
	    "Update tests (e.g. the bookthief demo expects 503), alerts and dashboards; scrape with Azure "
	    "Managed Prometheus.",
	    GUIDE "BOOKTHIEF_EXPECTED_RESPONSE_CODE 503 unchanged: defect D12)."),
	ROW("OSMD845", "Clients from outside the migrated namespaces", "warn",
	    "Services in migrated namespaces are not called by plaintext clients from namespaces that are "
	    "not migrated (or from outside the cluster).",
	    "STRICT mTLS rejects plaintext clients (as OSM did), so the boundary must be checked.",
	    "Migrate the client namespaces too, or use the Istio ingress gateway / a PERMISSIVE port.",
	    GUIDE "all four namespaces at once)."),
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL }
};
