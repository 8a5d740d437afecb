#!/usr/bin/python3
"""Unit tests of tests/migrate/istio_schema.py (TAP): good objects pass on the Istio minors
that serve them, bad objects report the JSON path of each violation."""

import copy
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import istio_schema as S  # noqa: E402

RESULTS = []


def case(name):
    def deco(fn):
        RESULTS.append((name, fn))
        return fn
    return deco


def obj(api, kind, name, spec, ns="bookstore", **md):
    m = {"name": name, "namespace": ns}
    m.update(md)
    return {"apiVersion": api, "kind": kind, "metadata": m, "spec": spec}


AP_BOOKSTORE = obj("security.istio.io/v1", "AuthorizationPolicy", "bookstore", {
    "selector": {"matchLabels": {"app": "bookstore", "version": "v1"}},
    "action": "ALLOW",
    "rules": [{"from": [{"source": {"principals": ["cluster.local/ns/bookbuyer/sa/bookbuyer"]}}],
               "to": [{"operation": {"methods": ["GET"], "paths": ["/books-bought"]}}],
               "when": [{"key": "request.headers[client-app]", "values": ["bookbuyer"]},
                        {"key": "request.headers[user-agent]", "values": ["*"]}]}]})

GOOD = [
    obj("security.istio.io/v1", "AuthorizationPolicy", "allow-nothing", {}),
    AP_BOOKSTORE,
    obj("security.istio.io/v1beta1", "AuthorizationPolicy", "mysql", {
        "selector": {"matchLabels": {"app": "mysql"}}, "action": "ALLOW",
        "rules": [{"from": [{"source": {"principals": ["cluster.local/ns/bookwarehouse/sa/bookwarehouse"]}}],
                   "to": [{"operation": {"ports": ["3306"]}}]}]}, ns="bookwarehouse"),
    obj("security.istio.io/v1", "PeerAuthentication", "default", {"mtls": {"mode": "STRICT"}}),
    obj("security.istio.io/v1", "PeerAuthentication", "httpbin-ingress", {
        "selector": {"matchLabels": {"app": "httpbin"}}, "mtls": {"mode": "STRICT"},
        "portLevelMtls": {"14001": {"mode": "PERMISSIVE"}}}, ns="httpbin"),
    obj("networking.istio.io/v1", "VirtualService", "bookstore-split", {
        "hosts": ["bookstore.bookstore.svc.cluster.local"],
        "http": [{"route": [{"destination": {"host": "bookstore-v1.bookstore.svc.cluster.local"}, "weight": 50},
                            {"destination": {"host": "bookstore-v2.bookstore.svc.cluster.local"}, "weight": 50}]}]}),
    obj("networking.istio.io/v1", "VirtualService", "bookstore-v2", {
        "hosts": ["bookstore-v2.bookstore.svc.cluster.local"],
        "http": [{"match": [{"sourceNamespace": "bookbuyer", "sourceLabels": {"app": "bookbuyer"}}],
                  "route": [{"destination": {"host": "bookstore-v2.bookstore.svc.cluster.local"}}],
                  "retries": {"attempts": 5, "perTryTimeout": "4s", "retryOn": "5xx,retriable-4xx"}},
                 {"route": [{"destination": {"host": "bookstore-v2.bookstore.svc.cluster.local"}}],
                  "retries": {"attempts": 0}}]}),
    obj("networking.istio.io/v1", "VirtualService", "httpbin-80", {
        "hosts": ["httpbin.org"], "exportTo": ["."],
        "http": [{"match": [{"port": 80, "uri": {"regex": "/get"}}, {"port": 80, "uri": {"regex": "/status.*"}}],
                  "route": [{"destination": {"host": "httpbin.org", "port": {"number": 80}}}]}]}, ns="curl"),
    obj("networking.istio.io/v1", "DestinationRule", "httpbin", {
        "host": "httpbin.httpbin.svc.cluster.local",
        "trafficPolicy": {"connectionPool": {"tcp": {"maxConnections": 1, "connectTimeout": "5s"},
                                             "http": {"http1MaxPendingRequests": 1, "maxRequestsPerConnection": 1}}}},
        ns="httpbin"),
    obj("networking.istio.io/v1", "ServiceEntry", "httpbin-org", {
        "hosts": ["httpbin.org"], "exportTo": ["."], "location": "MESH_EXTERNAL", "resolution": "DNS",
        "ports": [{"number": 80, "name": "http", "protocol": "HTTP"},
                  {"number": 443, "name": "tls", "protocol": "TLS"}]}, ns="curl"),
    obj("networking.istio.io/v1", "ServiceEntry", "tcp-egress", {
        "hosts": ["egress-10-0-0-0-8.curl"], "addresses": ["10.0.0.0/8"], "location": "MESH_EXTERNAL",
        "resolution": "NONE", "ports": [{"number": 5432, "name": "tcp-5432", "protocol": "TCP"}]}, ns="curl"),
    obj("networking.istio.io/v1", "Sidecar", "curl", {
        "workloadSelector": {"labels": {"app": "curl"}},
        "egress": [{"hosts": ["./*", "istio-system/*"]}],
        "outboundTrafficPolicy": {"mode": "REGISTRY_ONLY"}}, ns="curl"),
    obj("networking.istio.io/v1", "Gateway", "httpbin-gateway", {
        "selector": {"istio": "aks-istio-ingressgateway-external"},
        "servers": [{"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["*"]}]}, ns="httpbin"),
    obj("telemetry.istio.io/v1", "Telemetry", "mesh-default", {
        "tracing": [{"providers": [{"name": "osm-zipkin"}], "randomSamplingPercentage": 100.0}]},
        ns="aks-istio-system"),
    obj("networking.istio.io/v1alpha3", "EnvoyFilter", "http-rate-limit", {
        "workloadSelector": {"labels": {"app": "fortio"}},
        "configPatches": [{"applyTo": "HTTP_FILTER",
                           "match": {"context": "SIDECAR_INBOUND", "listener": {"filterChain": {"filter": {
                               "name": "envoy.filters.network.http_connection_manager"}}}},
                           "patch": {"operation": "INSERT_BEFORE", "value": {
                               "name": "envoy.filters.http.local_ratelimit",
                               "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.http."
                                                         "local_ratelimit.v3.LocalRateLimit",
                                                "stat_prefix": "http_local_rate_limiter",
                                                "token_bucket": {"max_tokens": 3, "tokens_per_fill": 3,
                                                                 "fill_interval": "60s"}}}}}]}, ns="demo"),
    obj("security.istio.io/v1", "RequestAuthentication", "jwt", {
        "selector": {"matchLabels": {"app": "bookstore"}},
        "jwtRules": [{"issuer": "https://issuer.example", "jwksUri": "https://issuer.example/jwks"}]}),
]


def expect_path(o, minor, path_prefix, words=()):
    errs = S.validate(o, minor)
    hits = [e for e in errs if e.startswith(path_prefix + ":")]
    assert hits, "no violation at %s on %s; got %r" % (path_prefix, minor, errs)
    for w in words:
        assert any(w in h for h in hits), "violation at %s lacks %r: %r" % (path_prefix, w, hits)
    return errs


def mutate(base, fn):
    o = copy.deepcopy(base)
    fn(o)
    return o


@case("trimmed CRDs hold exactly the ten kinds, for 1.22 and 1.27")
def _kinds():
    for m in S.MINORS:
        assert S.schemas(m).kinds() == sorted(S.KINDS), S.schemas(m).kinds()


@case("served versions match the memo table (section 2.5)")
def _versions():
    for m in S.MINORS:
        sc = S.schemas(m)
        for k in ("VirtualService", "DestinationRule", "ServiceEntry", "Sidecar", "Gateway"):
            assert sc.served_versions(k) == ["v1", "v1alpha3", "v1beta1"], (m, k)
        for k in ("AuthorizationPolicy", "PeerAuthentication", "RequestAuthentication"):
            assert sc.served_versions(k) == ["v1", "v1beta1"], (m, k)
        assert sc.served_versions("Telemetry") == ["v1", "v1alpha1"]
        assert sc.served_versions("EnvoyFilter") == ["v1alpha3"]


@case("good objects validate on 1.22 and 1.27")
def _good():
    for o in GOOD:
        for m in S.MINORS:
            errs = S.validate(o, m)
            assert not errs, (o["kind"], o["metadata"]["name"], m, errs)


@case("v1beta1 variants of the good objects validate too")
def _good_beta():
    for o in GOOD:
        b = copy.deepcopy(o)
        g, v = b["apiVersion"].split("/")
        if v == "v1":
            b["apiVersion"] = g + ("/v1alpha1" if b["kind"] == "Telemetry" else "/v1beta1")
        for m in S.MINORS:
            assert not S.validate(b, m), (b, S.validate(b, m))


@case("unknown field reported with its JSON path")
def _unknown():
    o = mutate(AP_BOOKSTORE, lambda x: x["spec"]["rules"][0]["from"][0]["source"].update(
        principal=["cluster.local/ns/bookbuyer/sa/bookbuyer"]))
    for m in S.MINORS:
        expect_path(o, m, "$.spec.rules[0].from[0].source.principal", ["unknown field"])


@case("unknown top-level field and misplaced spec field")
def _unknown_top():
    o = mutate(GOOD[3], lambda x: x.update(mtls={"mode": "STRICT"}))
    expect_path(o, "1.22", "$.mtls", ["unknown field"])


@case("enum violation (PeerAuthentication mtls.mode)")
def _enum():
    o = mutate(GOOD[3], lambda x: x["spec"]["mtls"].update(mode="STRICTLY"))
    expect_path(o, "1.27", "$.spec.mtls.mode", ['"STRICTLY" is not one of'])


@case("enum violation (AuthorizationPolicy action)")
def _enum_action():
    o = mutate(AP_BOOKSTORE, lambda x: x["spec"].update(action="ALLOWED"))
    expect_path(o, "1.22", "$.spec.action")


@case("type violation: weight as a string")
def _type():
    o = mutate(GOOD[5], lambda x: x["spec"]["http"][0]["route"][0].update(weight="50"))
    expect_path(o, "1.22", "$.spec.http[0].route[0].weight", ["expected integer", "string"])


@case("type violation: ports in an AuthorizationPolicy operation are strings")
def _type_ports():
    o = mutate(GOOD[2], lambda x: x["spec"]["rules"][0]["to"][0]["operation"].update(ports=[3306]))
    expect_path(o, "1.27", "$.spec.rules[0].to[0].operation.ports[0]", ["expected string"])


@case("int32 format range")
def _int32():
    o = mutate(GOOD[5], lambda x: x["spec"]["http"][0]["route"][0].update(weight=2 ** 31))
    expect_path(o, "1.22", "$.spec.http[0].route[0].weight", ["int32"])


@case("CEL duration (1.27; the 1.22 CRDs have no CEL rules): invalid and too small durations")
def _duration():
    o = mutate(GOOD[6], lambda x: x["spec"]["http"][0]["retries"].update(perTryTimeout="4 seconds"))
    expect_path(o, "1.27", "$.spec.http[0].retries.perTryTimeout", ["duration"])
    assert not S.validate(o, "1.22"), "1.22 CRDs carry no CEL rules"
    o = mutate(GOOD[8], lambda x: x["spec"]["trafficPolicy"]["connectionPool"]["tcp"].update(connectTimeout="0s"))
    expect_path(o, "1.27", "$.spec.trafficPolicy.connectionPool.tcp.connectTimeout")
    assert S.parse_duration("1h2m3.5s") == 3723.5 and S.parse_duration("2ms") == 0.002
    assert S.parse_duration("5") is None and S.parse_duration("") is None


@case("HTTPRetry.backoff: unknown on 1.22, valid on 1.27 (memo section 2.6)")
def _backoff():
    o = mutate(GOOD[6], lambda x: x["spec"]["http"][0]["retries"].update(backoff="2ms"))
    expect_path(o, "1.22", "$.spec.http[0].retries.backoff", ["unknown field", "Istio 1.22"])
    assert not S.validate(o, "1.27"), S.validate(o, "1.27")


@case("source.serviceAccounts: unknown on 1.22; exclusive with principals on 1.27 (CEL)")
def _service_accounts():
    o = mutate(AP_BOOKSTORE, lambda x: x["spec"]["rules"][0]["from"][0]["source"].update(
        serviceAccounts=["bookbuyer/bookbuyer"]))
    expect_path(o, "1.22", "$.spec.rules[0].from[0].source.serviceAccounts", ["unknown field"])
    expect_path(o, "1.27", "$.spec.rules[0].from[0].source", ["x-kubernetes-validations"])
    ok = mutate(o, lambda x: x["spec"]["rules"][0]["from"][0]["source"].pop("principals"))
    assert not S.validate(ok, "1.27"), S.validate(ok, "1.27")


@case("maxItems (serviceAccounts at most 16 on 1.27)")
def _max_items():
    o = mutate(AP_BOOKSTORE, lambda x: x["spec"]["rules"][0]["from"][0].update(
        source={"serviceAccounts": ["ns/sa%d" % i for i in range(17)]}))
    expect_path(o, "1.27", "$.spec.rules[0].from[0].source.serviceAccounts", ["maxItems"])


@case("oneOf: StringMatch with both exact and prefix, and with none")
def _one_of():
    o = mutate(GOOD[7], lambda x: x["spec"]["http"][0]["match"][0]["uri"].update(prefix="/get"))
    expect_path(o, "1.22", "$.spec.http[0].match[0].uri", ["oneOf"])
    o = mutate(GOOD[7], lambda x: x["spec"]["http"][0]["match"][0].update(uri={}))
    assert not S.validate(o, "1.22"), "an empty StringMatch is accepted by the schema (first alternative)"
    o = mutate(GOOD[7], lambda x: x["spec"]["http"][0]["match"][0].update(uri={"regexp": "/get"}))
    expect_path(o, "1.27", "$.spec.http[0].match[0].uri.regexp", ["unknown field"])


@case("required: ServiceEntry without hosts, port without number")
def _required():
    o = mutate(GOOD[9], lambda x: x["spec"].pop("hosts"))
    expect_path(o, "1.22", "$.spec.hosts", ["required"])
    o = mutate(GOOD[9], lambda x: x["spec"]["ports"][0].pop("number"))
    expect_path(o, "1.27", "$.spec.ports[0].number", ["required"])


@case("CEL: ServiceEntry CIDR address needs resolution NONE or STATIC")
def _se_cidr():
    o = mutate(GOOD[10], lambda x: x["spec"].update(resolution="DNS"))
    expect_path(o, "1.27", "$.spec", ["x-kubernetes-validations"])


@case("CEL: port number range and unique ServiceEntry port numbers")
def _se_ports():
    o = mutate(GOOD[9], lambda x: x["spec"]["ports"][1].update(number=80))
    expect_path(o, "1.27", "$.spec.ports", ["x-kubernetes-validations"])
    o = mutate(GOOD[9], lambda x: x["spec"]["ports"][1].update(number=70000))
    errs = S.validate(o, "1.27")
    assert any(e.startswith("$.spec.ports[1].number:") for e in errs), errs


@case("CEL: portLevelMtls requires a selector; port keys in range")
def _plm():
    o = mutate(GOOD[4], lambda x: x["spec"].pop("selector"))
    expect_path(o, "1.27", "$.spec", ["x-kubernetes-validations"])
    o = mutate(GOOD[4], lambda x: x["spec"]["portLevelMtls"].update({"0": {"mode": "DISABLE"}}))
    expect_path(o, "1.27", "$.spec.portLevelMtls", ["x-kubernetes-validations"])


@case("apiVersion: EnvoyFilter v1 not served; wrong group; unknown kind")
def _api():
    o = mutate(GOOD[14], lambda x: x.update(apiVersion="networking.istio.io/v1"))
    expect_path(o, "1.27", "$.apiVersion", ["not served"])
    o = mutate(GOOD[3], lambda x: x.update(apiVersion="networking.istio.io/v1"))
    expect_path(o, "1.22", "$.apiVersion", ["group"])
    errs = S.validate({"apiVersion": "security.istio.io/v1beta1", "kind": "ProxyConfig", "metadata": {"name": "x"}},
                      "1.22")
    assert errs and errs[0].startswith("$.kind:"), errs


@case("metadata: annotation values must be strings, names DNS-1123")
def _metadata():
    o = mutate(GOOD[0], lambda x: x["metadata"].update(annotations={"istio.io/dry-run": True}))
    expect_path(o, "1.22", '$.metadata.annotations["istio.io/dry-run"]', ["must be a string"])
    o = mutate(GOOD[0], lambda x: x["metadata"].update(name="Allow_Nothing"))
    expect_path(o, "1.27", "$.metadata.name", ["DNS-1123"])
    o = mutate(GOOD[0], lambda x: x["metadata"].update(annotations={"istio.io/dry-run": "true"}))
    assert not S.validate(o, "1.22")


@case("null values: rejected unless nullable")
def _null():
    o = mutate(GOOD[3], lambda x: x["spec"].update(mtls=None))
    expect_path(o, "1.22", "$.spec.mtls", ["null"])


@case("preserve-unknown-fields: EnvoyFilter patch value accepts any Envoy config")
def _preserve():
    o = mutate(GOOD[14], lambda x: x["spec"]["configPatches"][0]["patch"]["value"].update(anything={"x": [1]}))
    assert not S.validate(o, "1.22")


@case("every violation of a multi-fault object is reported")
def _many():
    def f(x):
        x["spec"]["action"] = "PERMIT"
        x["spec"]["rules"][0]["to"][0]["operation"]["method"] = ["GET"]
        x["spec"]["rules"][0]["when"][0]["values"] = "bookbuyer"
    o = mutate(AP_BOOKSTORE, f)
    errs = S.validate(o, "1.27")
    paths = sorted(e.split(":")[0] for e in errs)
    assert paths == ["$.spec.action", "$.spec.rules[0].to[0].operation.method",
                     "$.spec.rules[0].when[0].values"], errs


@case("command line: exit 0 on good files, 1 with one line per violation")
def _cli():
    import subprocess
    import tempfile
    import json as _json
    with tempfile.TemporaryDirectory() as d:
        good = os.path.join(d, "good.yaml")
        bad = os.path.join(d, "bad.yaml")
        with open(good, "w") as f:
            f.write("\n---\n".join(_json.dumps(o) for o in GOOD))
        with open(bad, "w") as f:
            f.write(_json.dumps(mutate(GOOD[3], lambda x: x["spec"]["mtls"].update(mode="NOPE"))))
        me = os.path.join(os.path.dirname(os.path.abspath(__file__)), "istio_schema.py")
        r = subprocess.run([sys.executable, me, good], capture_output=True, text=True)
        assert r.returncode == 0, r.stdout + r.stderr
        r = subprocess.run([sys.executable, me, "--istio", "1.22", bad], capture_output=True, text=True)
        assert r.returncode == 1 and r.stdout.count("\n") == 1 and "$.spec.mtls.mode" in r.stdout, r.stdout


def main():
    print("1..%d" % len(RESULTS))
    failed = 0
    for i, (name, fn) in enumerate(RESULTS, 1):
        try:
            fn()
            print("ok %d - %s" % (i, name))
        except Exception as e:  # AssertionError and unexpected errors alike
            failed += 1
            print("not ok %d - %s" % (i, name))
            for line in ("%s: %s" % (type(e).__name__, e)).splitlines():
                print("# " + line)
    unchecked = set()
    for m in S.MINORS:
        unchecked |= S.schemas(m).unchecked_rules
    for r in sorted(unchecked):
        print("# CEL rule not implemented (not checked): " + r)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
