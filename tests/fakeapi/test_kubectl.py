#!/usr/bin/python3
"""Real kubectl (and curl, jq) against the fake API server. Python 3 stdlib only; TAP output.

usage: test_kubectl.py GROUP...   (groups: guide fixtures errors auth paging faults; default: all)

Every group starts its own server(s) through tests/fakeapi/run and kills them at the end, also on failure.
Environment: OSMDIAG_SRCDIR (repository root; default: derived from this file), OSMDIAG_FAKEAPI_BIN, KUBECTL.
"""
import http.client
import json
import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
SRCDIR = os.environ.get("OSMDIAG_SRCDIR") or os.path.dirname(os.path.dirname(HERE))
RUN = os.path.join(HERE, "run")
HEALTHY = os.path.join(SRCDIR, "examples", "snapshots", "aks-osm-v1.2-healthy")
BROKEN = os.path.join(SRCDIR, "examples", "snapshots", "aks-osm-v1.2-broken")
FIXTURES = os.path.join(SRCDIR, "tests", "fixtures")
NOW = "2026-11-25T21:30:00Z"  # the "now" of the v1.2 snapshots
ADMIN_TOKEN = "admin-token-for-tests"
KUBECTL = os.environ.get("KUBECTL") or shutil.which("kubectl") or "kubectl"

_servers = []
_results = []


class Fake:
    """One fake API server process (started by `run`) plus a kubeconfig and a scratch directory."""

    def __init__(self, *args, snapshots=(HEALTHY,)):
        self.dir = tempfile.mkdtemp(prefix="fakeapi-test-")
        self.kubeconfig = os.path.join(self.dir, "kubeconfig")
        self.ca = os.path.join(self.dir, "ca.crt")
        self.log = os.path.join(self.dir, "requests.jsonl")
        self.cache = os.path.join(self.dir, "cache")
        cmd = [RUN, "--listen", "127.0.0.1:0", "--kubeconfig-out", self.kubeconfig, "--ca-out", self.ca,
               "--log", self.log, "--now", NOW, "--admin-token", ADMIN_TOKEN]
        for s in snapshots:
            cmd += ["--snapshot", s]
        cmd += list(args)
        self.stderr = open(os.path.join(self.dir, "server.stderr"), "w+")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.stderr, text=True)
        _servers.append(self)
        line = self._readline(timeout=600)  # the first call may compile the server
        m = re.fullmatch(r"ready (https?://127\.0\.0\.1:(\d+))\n", line or "")
        if not m:
            self.stop()
            self.stderr.seek(0)
            raise RuntimeError("server did not start: %r\n%s" % (line, self.stderr.read()))
        self.url, self.port = m.group(1), int(m.group(2))

    def _readline(self, timeout):
        import select
        end = time.time() + timeout
        fd = self.proc.stdout
        while time.time() < end:
            r, _, _ = select.select([fd], [], [], 0.5)
            if r:
                line = fd.readline()
                return line
            if self.proc.poll() is not None:
                return None
        return None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.stderr.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def kubectl(self, *args, context=None, stdin=None):
        cmd = [KUBECTL, "--kubeconfig", self.kubeconfig, "--cache-dir", self.cache]
        if context:
            cmd += ["--context", context]
        cmd += list(args)
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=120, input=stdin)
        return p.returncode, p.stdout, p.stderr

    def kubectl_jq(self, args, jq_filter):
        """kubectl ... | jq FILTER through a real pipe."""
        k = subprocess.Popen([KUBECTL, "--kubeconfig", self.kubeconfig, "--cache-dir", self.cache] + list(args),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        j = subprocess.run(["jq", jq_filter], stdin=k.stdout, capture_output=True, text=True, timeout=120)
        k.stdout.close()
        k.wait(timeout=120)
        return k.returncode, j.returncode, j.stdout, j.stderr

    def ssl_context(self):
        ctx = ssl.create_default_context(cafile=self.ca)
        return ctx

    def api(self, path, query=None, token=ADMIN_TOKEN, accept="application/json", method="GET", body=None):
        """Direct HTTP request; returns (status, headers, parsed JSON or raw text)."""
        if query:
            path += "?" + urllib.parse.urlencode(query)
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.ssl_context(), timeout=30)
        headers = {"Accept": accept}
        if token:
            headers["Authorization"] = "Bearer " + token
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        conn.request(method, path, body=data, headers=headers)
        r = conn.getresponse()
        raw = r.read()
        conn.close()
        try:
            parsed = json.loads(raw)
        except ValueError:
            parsed = raw.decode(errors="replace")
        return r.status, dict(r.getheaders()), parsed

    def requests(self):
        with open(self.log) as f:
            return [json.loads(line) for line in f if line.strip()]

    def curl(self, path, *extra, token=ADMIN_TOKEN, timeout=60):
        """curl PATH; returns (exit code, http code, body bytes, seconds)."""
        out = os.path.join(self.dir, "curl.out")
        cmd = ["curl", "-sS", "--cacert", self.ca, "-o", out, "-w", "%{http_code} %{time_total}",
               "--max-time", str(timeout)]
        if token:
            cmd += ["-H", "Authorization: Bearer " + token]
        cmd += list(extra) + [self.url + path]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout + 30)
        code, secs = (p.stdout.split() + ["0", "0"])[:2]
        body = b""
        if os.path.exists(out):
            with open(out, "rb") as f:
                body = f.read()
            os.unlink(out)
        return p.returncode, int(code), body, float(secs), p.stderr


def check(name, fn):
    try:
        fn()
        _results.append((True, name, None))
    except Exception:  # noqa: BLE001 - every failure is reported as a TAP "not ok"
        _results.append((False, name, traceback.format_exc()))


def eq(a, b, what=""):
    if a != b:
        raise AssertionError("%s: expected %r, got %r" % (what, b, a))


def has(text, needle, what="output"):
    if needle not in text:
        raise AssertionError("%s does not contain %r:\n%s" % (what, needle, text))


def table(stdout):
    """Parse kubectl's column output into sections of rows (lists of cells split on 2+ spaces)."""
    sections, cur = [], []
    for line in stdout.splitlines():
        if not line.strip():
            if cur:
                sections.append(cur)
            cur = []
            continue
        cur.append(re.split(r"\s{2,}", line.strip()))
    if cur:
        sections.append(cur)
    return sections


def ok_rc(rc, out, err):
    if rc != 0:
        raise AssertionError("kubectl rc=%d\nstdout:\n%s\nstderr:\n%s" % (rc, out, err))


# --------------------------------------------------------------------------------------------------
# groups

def group_guide():
    f = Fake()
    try:
        def controller():
            rc, out, err = f.kubectl("get", "deployment,pod,service", "-n", "kube-system", "--selector", "app=osm-controller")
            ok_rc(rc, out, err)
            dep, pods, svcs = table(out)
            eq(dep[0], ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"], "deployment header")
            eq(dep[1][:4], ["deployment.apps/osm-controller", "2/2", "2", "2"], "deployment row")
            eq(pods[0], ["NAME", "READY", "STATUS", "RESTARTS", "AGE"], "pod header")
            eq(len(pods) - 1, 2, "pod count")
            for row in pods[1:]:
                if not row[0].startswith("pod/osm-controller-"):
                    raise AssertionError(row)
                eq(row[1:4], ["1/1", "Running", "0"], "pod row")
            eq(svcs[0], ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"], "service header")
            got = {r[0]: (r[1], r[3], r[4]) for r in svcs[1:]}
            eq(got, {"service/osm-controller": ("ClusterIP", "<none>", "15128/TCP,9092/TCP,9091/TCP"),
                     "service/osm-validator": ("ClusterIP", "<none>", "9093/TCP")}, "services")
        check("guide: kubectl get deployment,pod,service --selector app=osm-controller", controller)

        def injector():
            rc, out, err = f.kubectl("get", "deployment,pod,service", "-n", "kube-system", "--selector", "app=osm-injector")
            ok_rc(rc, out, err)
            dep, pods, svcs = table(out)
            eq(dep[1][:4], ["deployment.apps/osm-injector", "2/2", "2", "2"], "deployment row")
            eq(len(pods) - 1, 2, "pod count")
            eq([(r[0], r[4]) for r in svcs[1:]], [("service/osm-injector", "9090/TCP")], "services")
        check("guide: kubectl get deployment,pod,service --selector app=osm-injector", injector)

        def bootstrap():
            rc, out, err = f.kubectl("get", "deployment,pod,service", "-n", "kube-system", "--selector", "app=osm-bootstrap")
            ok_rc(rc, out, err)
            dep, pods, svcs = table(out)
            eq(dep[1][:4], ["deployment.apps/osm-bootstrap", "1/1", "1", "1"], "deployment row")
            eq(len(pods) - 1, 1, "pod count")
            eq([(r[0], r[4]) for r in svcs[1:]], [("service/osm-bootstrap", "9443/TCP,9091/TCP")], "services")
        check("guide: kubectl get deployment,pod,service --selector app=osm-bootstrap (v1.2 ports)", bootstrap)

        def vwc_table():
            rc, out, err = f.kubectl("get", "ValidatingWebhookConfiguration", "--selector", "app=osm-controller")
            ok_rc(rc, out, err)
            (t,) = table(out)
            eq(t[0], ["NAME", "WEBHOOKS", "AGE"], "header")
            eq(t[1][:2], ["aks-osm-validator-mesh-osm", "1"], "row")
        check("guide: kubectl get ValidatingWebhookConfiguration --selector app=osm-controller", vwc_table)

        def mwc_table():
            rc, out, err = f.kubectl("get", "MutatingWebhookConfiguration", "--selector", "app=osm-injector")
            ok_rc(rc, out, err)
            (t,) = table(out)
            eq(t[1][:2], ["aks-osm-webhook-osm", "1"], "row")
        check("guide: kubectl get MutatingWebhookConfiguration --selector app=osm-injector", mwc_table)

        validator = {"name": "osm-validator", "namespace": "kube-system", "path": "/validate", "port": 9093}
        injector_svc = {"name": "osm-injector", "namespace": "kube-system", "path": "/mutate-pod-creation", "port": 9090}

        def vwc_jq_list():
            krc, jrc, out, err = f.kubectl_jq(["get", "ValidatingWebhookConfiguration", "--selector", "app=osm-controller",
                                               "-o", "json"], ".items[0].webhooks[0].clientConfig.service")
            eq((krc, jrc), (0, 0), "exit codes (%s)" % err)
            eq(json.loads(out), validator, "clientConfig.service")
        check("guide: kubectl get ValidatingWebhookConfiguration --selector ... -o json | jq '.items[0]...service'", vwc_jq_list)

        def vwc_jq_named():
            krc, jrc, out, err = f.kubectl_jq(["get", "ValidatingWebhookConfiguration", "aks-osm-validator-mesh-osm", "-o", "json"],
                                              ".webhooks[0].clientConfig.service")
            eq((krc, jrc), (0, 0), "exit codes (%s)" % err)
            eq(json.loads(out), validator, "clientConfig.service")
        check("guide: kubectl get ValidatingWebhookConfiguration aks-osm-validator-mesh-osm -o json | jq", vwc_jq_named)

        def mwc_jq_named():
            krc, jrc, out, err = f.kubectl_jq(["get", "MutatingWebhookConfiguration", "aks-osm-webhook-osm", "-o", "json"],
                                              ".webhooks[0].clientConfig.service")
            eq((krc, jrc), (0, 0), "exit codes (%s)" % err)
            eq(json.loads(out), injector_svc, "clientConfig.service")
        check("guide: kubectl get MutatingWebhookConfiguration aks-osm-webhook-osm -o json | jq", mwc_jq_named)

        def mwc_jq_list():
            krc, jrc, out, err = f.kubectl_jq(["get", "MutatingWebhookConfiguration", "--selector", "app=osm-injector",
                                               "-o", "json"], ".items[0].webhooks[0].clientConfig.service")
            eq((krc, jrc), (0, 0), "exit codes (%s)" % err)
            eq(json.loads(out), injector_svc, "clientConfig.service")
        check("guide: kubectl get MutatingWebhookConfiguration --selector ... -o json | jq", mwc_jq_list)

        def meshconfig_table():
            rc, out, err = f.kubectl("get", "meshconfig", "osm-mesh-config", "-n", "kube-system")
            ok_rc(rc, out, err)
            (t,) = table(out)
            eq(t[0], ["NAME", "AGE"], "header")
            eq(t[1][0], "osm-mesh-config", "row")
        check("guide: kubectl get meshconfig osm-mesh-config -n kube-system", meshconfig_table)

        def meshconfig_yaml():
            rc, out, err = f.kubectl("get", "meshconfig", "osm-mesh-config", "-n", "kube-system", "-o", "yaml")
            ok_rc(rc, out, err)
            for needle in ["apiVersion: config.openservicemesh.io/v1alpha2", "kind: MeshConfig", "  name: osm-mesh-config",
                           "  namespace: kube-system", "    enablePermissiveTrafficPolicyMode: true",
                           "    serviceCertValidityDuration: 24h", "    outboundPortExclusionList: []"]:
                has(out, needle + "\n")
        check("guide: kubectl get meshconfig osm-mesh-config -n kube-system -o yaml", meshconfig_yaml)

        def namespace_json():
            rc, out, err = f.kubectl("get", "namespace", "bookstore", "-o", "json")
            ok_rc(rc, out, err)
            ns = json.loads(out)
            eq((ns["apiVersion"], ns["kind"], ns["metadata"]["name"]), ("v1", "Namespace", "bookstore"), "identity")
            eq(ns["metadata"]["labels"].get("openservicemesh.io/monitored-by"), "osm", "monitored-by label")
            eq(ns["metadata"]["annotations"].get("openservicemesh.io/sidecar-injection"), "enabled", "injection annotation")
        check("guide: kubectl get namespace bookstore -o json", namespace_json)

        def namespace_jq():
            krc, jrc, out, err = f.kubectl_jq(["get", "namespace", "bookbuyer", "-o", "json"], ".metadata.annotations")
            eq((krc, jrc), (0, 0), "exit codes (%s)" % err)
            eq(json.loads(out).get("openservicemesh.io/sidecar-injection"), "enabled", "annotation")
        check("guide: kubectl get namespace bookbuyer -o json | jq '.metadata.annotations'", namespace_jq)

        def crds():
            rc, out, err = f.kubectl("get", "crds")
            ok_rc(rc, out, err)
            (t,) = table(out)
            eq(t[0], ["NAME", "CREATED AT"], "header")
            names = [r[0] for r in t[1:]]
            for want in ["egresses.policy.openservicemesh.io", "httproutegroups.specs.smi-spec.io",
                         "ingressbackends.policy.openservicemesh.io", "meshconfigs.config.openservicemesh.io",
                         "meshrootcertificates.config.openservicemesh.io",
                         "tcproutes.specs.smi-spec.io", "trafficsplits.split.smi-spec.io", "traffictargets.access.smi-spec.io"]:
                if want not in names:
                    raise AssertionError("missing CRD %s in %s" % (want, names))
            eq(len(names), 10, "CRD count")
            if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", t[1][1]):
                raise AssertionError("CREATED AT cell %r" % t[1][1])
        check("guide: kubectl get crds", crds)

        def proxies():
            rc, out, err = f.kubectl("get", "pods", "-A", "-l", "osm-proxy-uuid")
            ok_rc(rc, out, err)
            (t,) = table(out)
            eq(t[0], ["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE"], "header")
            eq(len(t) - 1, 6, "injected pods")
            eq(sorted({r[0] for r in t[1:]}), ["bookbuyer", "bookstore", "bookthief", "bookwarehouse"], "namespaces")
            for r in t[1:]:
                eq(r[2:4], ["2/2", "Running"], "pod row")
        check("guide: kubectl get pods -A -l osm-proxy-uuid", proxies)

        def versions_and_discovery():
            reqs = f.requests()
            agents = {r.get("userAgent", "").split(" ")[0] for r in reqs}
            if "kubectl/v1.31.9" not in agents and not any(a.startswith("kubectl/v1.31") for a in agents):
                raise AssertionError("dispatcher did not run kubectl 1.31: %s" % agents)
            disc = [r for r in reqs if r["path"] in ("/api", "/apis")]
            if not disc or any("APIGroupDiscoveryList" not in r.get("accept", "") for r in disc):
                raise AssertionError("expected aggregated discovery requests: %s" % disc)
            with open(f.log) as fh:
                if ADMIN_TOKEN in fh.read():
                    raise AssertionError("token leaked into the request log")
        check("guide: /version picks kubectl 1.31, aggregated discovery used, no token in the log", versions_and_discovery)
    finally:
        f.stop()

    def legacy():
        g = Fake("--legacy-discovery")
        try:
            rc, out, err = g.kubectl("get", "deployment,pod,service", "-n", "kube-system", "--selector", "app=osm-controller")
            ok_rc(rc, out, err)
            has(out, "deployment.apps/osm-controller   2/2")
            has(out, "15128/TCP,9092/TCP,9091/TCP")
            rc, out, err = g.kubectl("get", "crds")
            ok_rc(rc, out, err)
            has(out, "meshconfigs.config.openservicemesh.io")
            if err.strip():
                raise AssertionError("stderr: %s" % err)
            paths = {r["path"] for r in g.requests()}
            for p in ["/api/v1", "/apis/apps/v1", "/apis/config.openservicemesh.io/v1alpha2"]:
                if p not in paths:
                    raise AssertionError("legacy discovery did not fetch %s" % p)
        finally:
            g.stop()
    check("guide: legacy discovery (--legacy-discovery) works for kubectl", legacy)


def group_fixtures():
    cases = [("healthy-v1.0", os.path.join(FIXTURES, "healthy-v1.0"), "v1alpha1", "9443/TCP,9095/TCP"),
             ("healthy-v1.1", os.path.join(FIXTURES, "healthy-v1.1"), "v1alpha2", "9443/TCP,9095/TCP"),
             ("v1.2-broken", BROKEN, "v1alpha2", None),
             ("cluster-info-dump", os.path.join(FIXTURES, "cluster-info-dump"), None, "9443/TCP,9091/TCP")]
    for name, path, mc_version, boot_ports in cases:
        def one(path=path, mc_version=mc_version, boot_ports=boot_ports):
            f = Fake(snapshots=(path,))
            try:
                rc, out, err = f.kubectl("get", "deployment,pod,service", "-n", "kube-system", "--selector", "app=osm-bootstrap")
                ok_rc(rc, out, err)
                if boot_ports:
                    has(out, boot_ports)
                if mc_version:
                    rc, out, err = f.kubectl("get", "meshconfig", "osm-mesh-config", "-n", "kube-system", "-o", "json")
                    ok_rc(rc, out, err)
                    mc = json.loads(out)
                    eq(mc["kind"], "MeshConfig", "kind")
                    # served at the preferred (highest) served version of the CRD
                    if not mc["apiVersion"].startswith("config.openservicemesh.io/"):
                        raise AssertionError(mc["apiVersion"])
                    st, _, obj = f.api("/apis/config.openservicemesh.io/%s/namespaces/kube-system/meshconfigs/osm-mesh-config" % mc_version)
                    eq(st, 200, "GET at the stored version")
                    eq(obj["apiVersion"], "config.openservicemesh.io/" + mc_version, "apiVersion")
                rc, out, err = f.kubectl("get", "pods", "-A")
                ok_rc(rc, out, err)
            finally:
                f.stop()
        check("fixtures: %s loads and serves kubectl" % name, one)


def group_errors():
    f = Fake()
    try:
        def notfound():
            rc, out, err = f.kubectl("get", "meshconfig", "nope", "-n", "kube-system")
            eq(rc, 1, "rc")
            has(err, 'Error from server (NotFound): meshconfigs.config.openservicemesh.io "nope" not found', "stderr")
        check("errors: NotFound for a missing MeshConfig", notfound)

        def notfound_core():
            rc, out, err = f.kubectl("get", "namespace", "ghost", "-o", "json")
            eq(rc, 1, "rc")
            has(err, 'Error from server (NotFound): namespaces "ghost" not found', "stderr")
            st, _, body = f.api("/api/v1/namespaces/ghost")
            eq(st, 404, "status")
            eq({k: body.get(k) for k in ("kind", "apiVersion", "status", "reason", "code")},
               {"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "NotFound", "code": 404}, "Status")
            eq(body["details"], {"name": "ghost", "group": "", "kind": "namespaces"}, "details")
        check("errors: NotFound Status for a missing namespace (kubectl and raw)", notfound_core)

        def unknown_type():
            rc, out, err = f.kubectl("get", "frobnicators")
            eq(rc, 1, "rc")
            has(err, 'the server doesn\'t have a resource type "frobnicators"', "stderr")
            st, _, body = f.api("/apis/nope.example.com/v1/things")
            eq((st, body.get("reason")), (404, "NotFound"), "unknown group")
            st, _, body = f.api("/api/v1/frobnicators")
            eq((st, body.get("kind")), (404, "Status"), "unknown resource")
        check("errors: unknown resource types", unknown_type)

        def bad_selector():
            rc, out, err = f.kubectl("get", "pods", "-n", "kube-system", "-l", "app in (a")
            eq(rc, 1, "rc")
            has(err, "Error from server (BadRequest)", "stderr")
            for sel in ["app in (a", "a b", "!", "app=(x)", "=x", "app notin ()"]:
                st, _, body = f.api("/api/v1/pods", {"labelSelector": sel})
                eq((st, body.get("reason")), (400, "BadRequest"), "selector %r" % sel)
            st, _, body = f.api("/api/v1/pods", {"fieldSelector": "spec.bogus=1"})
            eq((st, body.get("message")), (400, "field label not supported: spec.bogus"), "field selector")
        check("errors: BadRequest for bad label/field selectors", bad_selector)

        def selectors():
            def names(q, path="/api/v1/pods"):
                st, _, body = f.api(path, q)
                eq(st, 200, "status for %s" % q)
                return sorted(i["metadata"]["name"] for i in body["items"])
            all_pods = names({})
            ctrl = names({"labelSelector": "app=osm-controller"})
            eq(len(ctrl), 2, "app=osm-controller")
            eq(names({"labelSelector": "app==osm-controller"}), ctrl, "==")
            inj = names({"labelSelector": "app in (osm-controller,osm-injector)"})
            eq(len(inj), 4, "in")
            not_in = names({"labelSelector": "app notin (osm-controller,osm-injector)"})
            eq(sorted(inj + not_in), all_pods, "notin is the complement (keeps pods without the label)")
            ne = names({"labelSelector": "app!=osm-controller"})
            eq(sorted(ne + ctrl), all_pods, "!= is the complement")
            proxied = names({"labelSelector": "osm-proxy-uuid"})
            unproxied = names({"labelSelector": "!osm-proxy-uuid"})
            eq(len(proxied), 6, "exists")
            eq(sorted(proxied + unproxied), all_pods, "!key")
            eq(names({"labelSelector": "osm-proxy-uuid,app=bookstore"}), names({"labelSelector": "app=bookstore"}), "comma = AND")
            eq(names({"fieldSelector": "metadata.namespace=bookstore"}), names({}, "/api/v1/namespaces/bookstore/pods"), "field ns")
            one = ctrl[0]
            eq(names({"fieldSelector": "metadata.name=" + one}), [one], "field name =")
            eq(names({"fieldSelector": "metadata.name==" + one}), [one], "field name ==")
            eq(len(names({"fieldSelector": "metadata.name!=" + one})), len(all_pods) - 1, "field name !=")
            eq(len(names({"fieldSelector": "status.phase=Running"})), len(all_pods), "status.phase")
        check("errors: label selector grammar (=, ==, !=, in, notin, key, !key, commas) and field selectors", selectors)

        def list_shape():
            st, _, body = f.api("/api/v1/namespaces/kube-system/pods")
            eq((body["kind"], body["apiVersion"]), ("PodList", "v1"), "list kind")
            if not body["metadata"].get("resourceVersion"):
                raise AssertionError("no list resourceVersion")
            if "kind" in body["items"][0]:
                raise AssertionError("built-in list items carry kind")
            st, _, body = f.api("/apis/config.openservicemesh.io/v1alpha2/meshconfigs")
            eq(body["items"][0]["kind"], "MeshConfig", "CR list items carry kind")
            st, _, body = f.api("/apis/config.openservicemesh.io/v1alpha1/namespaces/kube-system/meshconfigs/osm-mesh-config")
            eq((st, body["apiVersion"]), (200, "config.openservicemesh.io/v1alpha1"), "served at the requested version")
            st, _, body = f.api("/api/v1/namespaces/kube-system/pods", accept="application/vnd.kubernetes.protobuf")
            eq((st, body.get("reason")), (406, "NotAcceptable"), "406")
        check("errors: list envelope, CR version rewrite, 406", list_shape)

        def write_refused():
            st, _, body = f.api("/api/v1/namespaces/kube-system/configmaps", method="POST", body={"metadata": {"name": "x"}})
            eq((st, body.get("reason")), (405, "MethodNotAllowed"), "POST")
        check("errors: writes are refused with a Status", write_refused)
    finally:
        f.stop()


def group_auth():
    tmp = tempfile.mkdtemp(prefix="fakeapi-rbac-")
    rbac = os.path.join(tmp, "rbac.json")
    with open(rbac, "w") as fh:
        json.dump({"users": {"reader": [{"verbs": ["get", "list"], "apiGroups": [""], "resources": ["pods", "services"],
                                         "namespaces": ["kube-system"]},
                                        {"verbs": ["get", "list"], "apiGroups": [""], "resources": ["namespaces"]}]}}, fh)
    f = Fake("--rbac", rbac, "--token", "reader=reader-token", "--client-cert-out", os.path.join(tmp, "client"),
             "--client-cert-cn", "cert-user")
    try:
        def forbidden():
            rc, out, err = f.kubectl("get", "secrets", "-n", "kube-system", context="reader")
            eq(rc, 1, "rc")
            has(err, 'Error from server (Forbidden): secrets is forbidden: User "reader" cannot list resource "secrets" '
                     'in API group "" in the namespace "kube-system"', "stderr")
        check("auth: RBAC Forbidden with kube-apiserver's wording", forbidden)

        def allowed():
            rc, out, err = f.kubectl("get", "pods", "-n", "kube-system", "-l", "app=osm-controller", context="reader")
            ok_rc(rc, out, err)
            eq(len(table(out)[0]) - 1, 2, "pods")
        check("auth: RBAC allows the listed verbs/resources/namespace", allowed)

        def partial():
            rc, out, err = f.kubectl("get", "deployment,pod,service", "-n", "kube-system", "--selector", "app=osm-controller",
                                     context="reader")
            eq(rc, 1, "rc")
            has(err, 'deployments.apps is forbidden: User "reader" cannot list resource "deployments" in API group "apps" '
                     'in the namespace "kube-system"', "stderr")
            has(out, "pod/osm-controller-")
            has(out, "service/osm-validator")
        check("auth: multi-type get prints allowed tables and the Forbidden line", partial)

        def cluster_scope():
            rc, out, err = f.kubectl("get", "crds", context="reader")
            eq(rc, 1, "rc")
            has(err, 'customresourcedefinitions.apiextensions.k8s.io is forbidden: User "reader" cannot list resource '
                     '"customresourcedefinitions" in API group "apiextensions.k8s.io" at the cluster scope', "stderr")
            rc, out, err = f.kubectl("get", "pods", "-A", context="reader")
            eq(rc, 1, "rc -A")
            has(err, 'pods is forbidden: User "reader" cannot list resource "pods" in API group "" at the cluster scope')
            rc, out, err = f.kubectl("get", "secret", "osm-ca-bundle", "-n", "kube-system", context="reader")
            has(err, 'secrets "osm-ca-bundle" is forbidden: User "reader" cannot get resource "secrets"', "named get")
        check("auth: Forbidden at the cluster scope and for named gets", cluster_scope)

        def can_i():
            rc, out, err = f.kubectl("auth", "can-i", "list", "pods", "-n", "kube-system", context="reader")
            eq((rc, out.strip()), (0, "yes"), "can-i pods")
            rc, out, err = f.kubectl("auth", "can-i", "list", "secrets", "-n", "kube-system", context="reader")
            eq((rc, out.strip()), (1, "no"), "can-i secrets")
            rc, out, err = f.kubectl("auth", "can-i", "list", "secrets", "-n", "kube-system")
            eq((rc, out.strip()), (0, "yes"), "admin can-i secrets")
        check("auth: kubectl auth can-i (SelfSubjectAccessReview) follows the RBAC file", can_i)

        def unauthorized():
            rc, out, err = f.kubectl("--token", "wrong-token", "get", "pods")
            eq(rc, 1, "rc")
            has(err, "error: You must be logged in to the server", "stderr")
            st, _, body = f.api("/api/v1/pods", token=None)
            eq((st, body.get("reason"), body.get("message")), (401, "Unauthorized", "Unauthorized"), "no token")
            st, _, body = f.api("/api/v1/pods", token="nope")
            eq((st, body.get("kind")), (401, "Status"), "bad token")
            st, _, body = f.api("/version", token=None)
            eq(st, 200, "/version is public")
        check("auth: Unauthorized with a bad or missing token", unauthorized)

        def client_cert():
            rc, out, err = f.kubectl("auth", "whoami", "-o", "json", context="cert-user")
            ok_rc(rc, out, err)
            eq(json.loads(out)["status"]["userInfo"]["username"], "cert-user", "username")
            rc, out, err = f.kubectl("get", "pods", "-n", "kube-system", context="cert-user")
            eq(rc, 1, "rc (no RBAC rules for cert-user)")
            has(err, 'User "cert-user" cannot list resource "pods"', "stderr")
            # the issued files work with curl too
            p = subprocess.run(["curl", "-sS", "--cacert", f.ca, "--cert", os.path.join(tmp, "client.crt"),
                                "--key", os.path.join(tmp, "client.key"), f.url + "/api/v1/namespaces"],
                               capture_output=True, text=True, timeout=60)
            st = json.loads(p.stdout)
            eq((st["kind"], st["reason"]), ("Status", "Forbidden"), "curl with client cert")
            has(st["message"], 'User "cert-user" cannot list resource "namespaces"', "message")
        check("auth: client certificate authentication (kubeconfig context and --client-cert-out files)", client_cert)
    finally:
        f.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def group_paging():
    f = Fake("--continue-ttl", "2s")
    try:
        def chunked_kubectl():
            rc, out, err = f.kubectl("get", "pods", "-A", "--chunk-size=2")
            ok_rc(rc, out, err)
            rc2, out2, err2 = f.kubectl("get", "pods", "-A")
            ok_rc(rc2, out2, err2)
            eq(out, out2, "chunked output")
            eq(len(table(out)[0]) - 1, 16, "pods")
            pages = [r for r in f.requests() if r["path"] == "/api/v1/pods" and "limit=2" in r["query"]]
            eq(len(pages), 8, "requests with limit=2")
            eq(sum("continue=" in r["query"] for r in pages), 7, "requests with continue")
        check("paging: kubectl get pods -A --chunk-size=2 gives all pods", chunked_kubectl)

        def raw_paging():
            st, _, full = f.api("/api/v1/pods")
            want = [(i["metadata"]["namespace"], i["metadata"]["name"]) for i in full["items"]]
            eq(want, sorted(want), "etcd key order")
            got, cont, first = [], None, True
            while True:
                q = {"limit": "5"}
                if cont:
                    q["continue"] = cont
                st, _, page = f.api("/api/v1/pods", q)
                eq(st, 200, "page status")
                if first:
                    eq(page["metadata"].get("remainingItemCount"), len(want) - 5, "remainingItemCount")
                    first = False
                eq(page["metadata"]["resourceVersion"], full["metadata"]["resourceVersion"], "resourceVersion")
                got += [(i["metadata"]["namespace"], i["metadata"]["name"]) for i in page["items"]]
                cont = page["metadata"].get("continue")
                if not cont:
                    break
            eq(got, want, "paged items")
        check("paging: limit/continue over the raw API returns every item once, in order", raw_paging)

        def garbage():
            st, _, body = f.api("/api/v1/pods", {"limit": "2", "continue": "garbage!!"})
            eq((st, body.get("reason"), body.get("code")), (410, "Expired", 410), "status")
            has(body["message"], "The provided continue parameter is too old to display a consistent list result.")
        check("paging: garbage continue token -> 410 Expired Status", garbage)

        def expired():
            st, _, page = f.api("/api/v1/pods", {"limit": "2"})
            tok = page["metadata"]["continue"]
            time.sleep(2.5)
            st, _, body = f.api("/api/v1/pods", {"limit": "2", "continue": tok})
            eq((st, body.get("reason")), (410, "Expired"), "status")
            fresh = body["metadata"].get("continue")
            if not fresh:
                raise AssertionError("no fresh continue token in the 410 Status")
            st, _, page2 = f.api("/api/v1/pods", {"limit": "2", "continue": fresh})
            eq(st, 200, "the fresh token continues")
            rc, out, err = f.kubectl("get", "pods", "-A", "--chunk-size=3")
            ok_rc(rc, out, err)
        check("paging: expired continue token (--continue-ttl) -> 410 with a fresh token", expired)
    finally:
        f.stop()


def group_faults():
    tmp = tempfile.mkdtemp(prefix="fakeapi-faults-")
    rules = [
        {"name": "slow", "path": "/api/v1/namespaces/kube-system/configmaps", "latency": 700},
        {"name": "busy", "path": "/api/v1/namespaces/kube-system/services", "status": 429, "retryAfter": 3, "count": 1},
        {"name": "boom", "path": "/api/v1/namespaces/kube-system/endpoints", "status": 500},
        {"name": "down", "path": "/api/v1/namespaces/kube-system/serviceaccounts", "status": 503, "count": 2},
        {"name": "reset", "pathRegexp": "^/api/v1/namespaces/bookstore/pods$", "reset": 100},
        {"name": "trunc", "path": "/api/v1/namespaces/bookbuyer/pods", "truncate": 120},
        {"name": "trunc-chunked", "path": "/api/v1/namespaces/bookthief/pods", "truncate": 120, "truncateMode": "chunked"},
        {"name": "trunc-eof", "path": "/api/v1/namespaces/bookwarehouse/pods", "truncate": 120, "truncateMode": "eof"},
        {"name": "drip", "path": "/api/v1/namespaces/monitoring/services", "drip": {"bytes": 200, "intervalMs": 100}},
        {"name": "huge", "path": "/api/v1/nodes", "huge": 3},
        {"name": "page2", "path": "/api/v1/secrets", "query": {"continue": "*"}, "status": 503},
    ]
    faults = os.path.join(tmp, "faults.json")
    with open(faults, "w") as fh:
        json.dump(rules, fh)
    f = Fake("--faults", faults)
    try:
        def latency():
            rc, code, body, secs, err = f.curl("/api/v1/namespaces/kube-system/configmaps")
            eq((rc, code), (0, 200), "curl")
            if secs < 0.7:
                raise AssertionError("took %.3fs" % secs)
            json.loads(body)
        check("faults: latency", latency)

        def too_many():
            rc, code, body, secs, err = f.curl("/api/v1/namespaces/kube-system/services", "-D", os.path.join(tmp, "h"))
            eq(code, 429, "first request")
            with open(os.path.join(tmp, "h")) as fh:
                has(fh.read().lower(), "retry-after: 3", "headers")
            st = json.loads(body)
            eq((st["kind"], st["reason"], st["details"]["retryAfterSeconds"]), ("Status", "TooManyRequests", 3), "Status")
            rc, code, body, secs, err = f.curl("/api/v1/namespaces/kube-system/services")
            eq(code, 200, "count=1: second request passes")
        check("faults: status 429 with Retry-After, count", too_many)

        def status_5xx():
            rc, code, body, secs, err = f.curl("/api/v1/namespaces/kube-system/endpoints")
            eq((code, json.loads(body)["reason"]), (500, "InternalError"), "500")
            rc, code, body, secs, err = f.curl("/api/v1/namespaces/kube-system/serviceaccounts")
            eq((code, json.loads(body)["reason"]), (503, "ServiceUnavailable"), "503")
            rc, out, err = f.kubectl("get", "endpoints", "-n", "kube-system")
            eq(rc, 1, "kubectl rc")
            has(err, "Error from server (InternalError): Internal error occurred: injected fault", "kubectl stderr")
        check("faults: status 500/503 (Status bodies, kubectl's InternalError line)", status_5xx)

        def reset_h1():
            rc, code, body, secs, err = f.curl("/api/v1/namespaces/bookstore/pods", "--http1.1")
            if rc == 0:
                raise AssertionError("curl succeeded")
            eq(len(body) <= 100, True, "at most 100 bytes (%d)" % len(body))
            has(err.lower(), "reset", "curl error")
        check("faults: reset (HTTP/1.1: TCP RST mid-body)", reset_h1)

        def reset_h2():
            rc, code, body, secs, err = f.curl("/api/v1/namespaces/bookstore/pods", "--http2")
            if rc == 0:
                raise AssertionError("curl succeeded")
            if "stream" not in err.lower() and "http/2" not in err.lower():
                raise AssertionError("unexpected curl error: %s" % err)
        check("faults: reset (HTTP/2: stream aborted)", reset_h2)

        def truncate_length():
            rc, code, body, secs, err = f.curl("/api/v1/namespaces/bookbuyer/pods", "--http1.1")
            eq((rc, code, len(body)), (18, 200, 120), "curl: partial file")
            rc, code, body, secs, err = f.curl("/api/v1/namespaces/bookbuyer/pods", "--http2")
            eq((code, len(body)), (200, 120), "h2: 200 with 120 bytes")
            if rc == 0:
                raise AssertionError("h2: curl did not notice the Content-Length mismatch")
        check("faults: truncate (Content-Length mismatch, HTTP/1.1 and HTTP/2)", truncate_length)

        def truncate_chunked():
            rc, code, body, secs, err = f.curl("/api/v1/namespaces/bookthief/pods", "--http1.1")
            eq((code, len(body)), (200, 120), "partial body")
            if rc == 0:
                raise AssertionError("curl accepted an unterminated chunked body")
        check("faults: truncate (chunked, no last chunk)", truncate_chunked)

        def truncate_eof():
            rc, code, body, secs, err = f.curl("/api/v1/namespaces/bookwarehouse/pods", "--http1.1")
            eq((rc, code, len(body)), (0, 200, 120), "clean close after 120 bytes")
            try:
                json.loads(body)
            except ValueError:
                return
            raise AssertionError("body parsed as JSON")
        check("faults: truncate (eof: looks complete, invalid JSON)", truncate_eof)

        def drip():
            rc, code, body, secs, err = f.curl("/api/v1/namespaces/monitoring/services")
            eq((rc, code), (0, 200), "curl")
            doc = json.loads(body)
            eq(doc["kind"], "ServiceList", "kind")
            want = (len(body) + 199) // 200 - 1
            if secs < want * 0.1 * 0.8:
                raise AssertionError("%d bytes in %.2fs: not dripped" % (len(body), secs))
        check("faults: drip", drip)

        def huge():
            rc, code, body, secs, err = f.curl("/api/v1/nodes")
            eq((rc, code), (0, 200), "curl")
            if len(body) < 3 << 20:
                raise AssertionError("only %d bytes" % len(body))
            eq(len(json.loads(body)["items"]), 2, "valid JSON with the nodes")
            rc, out, err = f.kubectl("get", "nodes")
            ok_rc(rc, out, err)
        check("faults: huge (3 MB, still valid JSON; kubectl copes)", huge)

        def query_match():
            st, _, page = f.api("/api/v1/secrets", {"limit": "1"})
            eq(st, 200, "first page")
            st, _, body = f.api("/api/v1/secrets", {"limit": "1", "continue": "x"})
            eq(st, 503, "continue request hits the rule")
        check("faults: query matching (only requests with continue)", query_match)

        def log_counts():
            reqs = f.requests()
            n = sum(1 for r in reqs if r["path"] == "/api/v1/namespaces/kube-system/services")
            eq(n, 2, "requests logged for the 429 path")
            bad = [r for r in reqs if r["path"] == "/api/v1/namespaces/bookstore/pods"]
            if not bad or not all(any(x.startswith("reset:") for x in r.get("faults", [])) for r in bad):
                raise AssertionError("reset requests not logged with their fault: %s" % bad)
            for r in reqs:
                for k in ("method", "path", "query", "status", "bytes", "durationMs", "user"):
                    if k not in r:
                        raise AssertionError("log line without %s: %s" % (k, r))
        check("faults: request log (one JSON line per request, with faults)", log_counts)
    finally:
        f.stop()
        shutil.rmtree(tmp, ignore_errors=True)


GROUPS = {"guide": group_guide, "fixtures": group_fixtures, "errors": group_errors, "auth": group_auth,
          "paging": group_paging, "faults": group_faults}


def main():
    groups = sys.argv[1:] or list(GROUPS)
    for tool in (KUBECTL, "curl", "jq"):
        if not shutil.which(tool):
            print("1..0 # SKIP %s not found" % tool)
            return 0
    try:
        for g in groups:
            try:
                GROUPS[g]()
            except Exception:  # a server that does not start fails the group
                _results.append((False, "%s: setup" % g, traceback.format_exc()))
    finally:
        for s in _servers:
            try:
                s.stop()
            except Exception:
                pass
    print("1..%d" % len(_results))
    failed = 0
    for i, (ok, name, tb) in enumerate(_results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
        if not ok:
            failed += 1
            for line in tb.rstrip().splitlines():
                print("# " + line)
    sys.stdout.flush()
    return 1 if failed else 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *a: (_ for _ in ()).throw(KeyboardInterrupt()))
    sys.exit(main())
