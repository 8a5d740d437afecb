#!/usr/bin/env python3
"""Generates benchmark cluster snapshots shaped like the bundled example.

    gen_cluster.py SIZE OUTDIR   SIZE = S | M | L | Lfew  (or NAMESPACES:PODS_PER_NAMESPACE[:MESHED])

S is the bundled healthy example (copied). M = 200 app namespaces x 10 pods (2,000 pods);
L = 2,000 namespaces x 10 pods (20,000 pods). Lfew = L's cluster where the mesh has only 20 of
the 2,000 namespaces (the others run the same workloads without the mesh: no label, no
annotation, no sidecar), the common case of a mesh for a few applications in a shared cluster.
Every meshed app namespace is onboarded to the mesh
(label + annotation) and holds what an injected workload has in a real cluster: a
ServiceAccount, a Deployment, its ReplicaSet, its pods (app container, envoy sidecar,
osm-init, osm-proxy-uuid label, ready statuses), a Service, its EndpointSlice and
Endpoints. The control plane, webhooks, CRDs, MeshConfig and CA come from the healthy
example, so the generated cluster passes every check. Objects are cloned from the
example's bookstore workload, so their size and shape are those of `kubectl get -o json`.
Output: OUTDIR/base/ (the example) and OUTDIR/apps-NNNN.json Lists of 100 namespaces each.
"""
import copy
import json
import os
import shutil
import sys
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLE = os.path.join(HERE, "..", "examples", "snapshots", "aks-osm-v1.2-healthy")
SIZES = {"S": (0, 0, 0), "M": (200, 10, 200), "L": (2000, 10, 2000), "Lfew": (2000, 10, 20)}


def templates():
    with open(os.path.join(EXAMPLE, "apps.json"), encoding="utf-8") as f:
        items = json.load(f)["items"]
    by = {}
    for it in items:
        if it["metadata"].get("namespace") == "bookstore" or it["kind"] == "Namespace" and \
                it["metadata"]["name"] == "bookstore":
            name = it["metadata"]["name"]
            if it["kind"] in ("Namespace", "ServiceAccount") or name.startswith("bookstore-v1"):
                by.setdefault(it["kind"], it)
    missing = {"Namespace", "ServiceAccount", "Deployment", "ReplicaSet", "Pod", "Service",
               "EndpointSlice", "Endpoints"} - set(by)
    if missing:
        sys.exit(f"gen_cluster: the example lacks templates for {sorted(missing)}")
    return by


def rename(obj, old, new):
    """Replaces a name everywhere in an object (names, labels, selectors, owner refs)."""
    return json.loads(json.dumps(obj).replace(old, new))


def unmesh(o):
    """The same object outside the mesh: no monitored-by label, injection annotation, sidecar."""
    md = o["metadata"]
    md.get("labels", {}).pop("openservicemesh.io/monitored-by", None)
    md.get("labels", {}).pop("osm-proxy-uuid", None)
    md.get("annotations", {}).pop("openservicemesh.io/sidecar-injection", None)
    if o["kind"] == "Pod":
        for k in ("containers", "initContainers"):
            o["spec"][k] = [c for c in o["spec"].get(k, []) if c["name"] not in ("envoy", "osm-init")]
        for k in ("containerStatuses", "initContainerStatuses"):
            if k in o.get("status", {}):
                o["status"][k] = [c for c in o["status"][k] if c["name"] not in ("envoy", "osm-init")]
        if not o["spec"].get("initContainers"):
            o["spec"].pop("initContainers", None)
            o.get("status", {}).pop("initContainerStatuses", None)
    return o


def namespace_objects(t, i, pods, meshed=True):
    ns = f"app-{i:04d}"
    app = f"svc-{i:04d}"
    objs = []
    nso = copy.deepcopy(t["Namespace"])
    nso = rename(nso, "bookstore", ns)
    nso["metadata"]["uid"] = str(uuid.UUID(int=i * 7 + 1))
    objs.append(nso)
    for kind in ("ServiceAccount", "Deployment", "ReplicaSet", "Service", "EndpointSlice", "Endpoints"):
        o = rename(copy.deepcopy(t[kind]), "bookstore-v1", app)
        o = rename(o, '"bookstore"', f'"{ns}"')
        o["metadata"]["namespace"] = ns
        o["metadata"]["uid"] = str(uuid.uuid5(uuid.NAMESPACE_DNS, f"{kind}/{ns}/{app}"))
        if kind == "Deployment":
            o["spec"]["replicas"] = pods
            st = o.setdefault("status", {})
            for k in ("replicas", "readyReplicas", "availableReplicas", "updatedReplicas"):
                st[k] = pods
        if kind == "ReplicaSet":
            o["spec"]["replicas"] = pods
            st = o.setdefault("status", {})
            for k in ("replicas", "readyReplicas", "availableReplicas", "fullyLabeledReplicas"):
                st[k] = pods
        objs.append(o)
    rs_name = next(o for o in objs if o["kind"] == "ReplicaSet")["metadata"]["name"]
    pod_t = rename(copy.deepcopy(t["Pod"]), "bookstore-v1", app)
    pod_t = rename(pod_t, '"bookstore"', f'"{ns}"')
    for p in range(pods):
        pod = copy.deepcopy(pod_t)
        suffix = f"{p:05x}"
        pod["metadata"]["name"] = f"{rs_name}-{suffix}"
        pod["metadata"]["namespace"] = ns
        pod["metadata"]["uid"] = str(uuid.uuid5(uuid.NAMESPACE_DNS, f"pod/{ns}/{p}"))
        pod["metadata"].setdefault("labels", {})["osm-proxy-uuid"] = str(
            uuid.uuid5(uuid.NAMESPACE_URL, f"proxy/{ns}/{p}"))
        ip = f"10.{(i >> 8) & 255}.{i & 255}.{p + 10}"
        st = pod.setdefault("status", {})
        st["podIP"] = ip
        st["podIPs"] = [{"ip": ip}]
        objs.append(pod)
    return objs if meshed else [unmesh(o) if o["kind"] in ("Namespace", "Pod") else o for o in objs]


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    size, out = sys.argv[1], sys.argv[2]
    if size in SIZES:
        nns, pods, meshed = SIZES[size]
    else:
        try:
            f = [int(x) for x in size.split(":")]
            nns, pods, meshed = f[0], f[1], f[2] if len(f) > 2 else f[0]
        except (ValueError, IndexError):
            sys.exit(f"gen_cluster: unknown size {size!r}")
    if os.path.exists(out):
        shutil.rmtree(out)
    shutil.copytree(EXAMPLE, os.path.join(out, "base"))
    t = templates()
    batch, n = [], 0
    for i in range(1, nns + 1):
        batch.extend(namespace_objects(t, i, pods, i <= meshed))
        if i % 100 == 0 or i == nns:
            with open(os.path.join(out, f"apps-{n:04d}.json"), "w", encoding="utf-8") as f:
                json.dump({"apiVersion": "v1", "kind": "List", "metadata": {}, "items": batch}, f,
                          separators=(",", ":"))
            batch, n = [], n + 1
    print(f"{out}: {nns} namespaces ({min(meshed, nns)} in the mesh), {nns * pods} pods (+ the example)")


if __name__ == "__main__":
    main()
