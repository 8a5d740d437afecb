#!/usr/bin/env python3
"""Check several clusters and print one table.

    python3 fleet.py                             # every context of the kubeconfig
    python3 fleet.py --context aks-a --context aks-b
    python3 fleet.py --snapshot snapA/ --snapshot snapB/   # one snapshot (file or dir) per cluster

The clusters are checked in parallel threads (the library releases the GIL
while it works). Exit status 1 when any cluster has fail-level findings or
could not be checked.
"""
import argparse
import concurrent.futures
import os
import sys

import osmdiag


def contexts_of(kubeconfig):
    """Context names of a kubeconfig (needs PyYAML; else name them with --context)."""
    path = kubeconfig or os.environ.get("KUBECONFIG", "").split(os.pathsep)[0] or \
        os.path.expanduser("~/.kube/config")
    try:
        import yaml
    except ImportError:
        sys.exit("fleet.py: PyYAML is needed to list the contexts of %s; pass --context NAME instead" % path)
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f) or {}
    return [c["name"] for c in doc.get("contexts") or [] if c.get("name")]


def check(target, kind, kubeconfig, timeout):
    try:
        if kind == "snapshot":
            rep = osmdiag.run(snapshot=[target], timeout=timeout)
        else:
            rep = osmdiag.run(kubeconfig=kubeconfig, context=target, timeout=timeout)
        return target, rep, None
    except osmdiag.Error as e:
        return target, None, e


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--snapshot", action="append", metavar="PATH", help="one cluster's snapshot (repeatable)")
    ap.add_argument("--kubeconfig", metavar="FILE")
    ap.add_argument("--context", action="append", metavar="NAME", help="context to check (repeatable)")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--jobs", type=int, default=4)
    a = ap.parse_args(argv)

    if a.snapshot:
        kind, targets = "snapshot", a.snapshot
    else:
        kind, targets = "context", a.context or contexts_of(a.kubeconfig)
    if not targets:
        sys.exit("fleet.py: nothing to check")

    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as pool:
        rows = list(pool.map(lambda t: check(t, kind, a.kubeconfig, a.timeout), targets))

    headers = [kind, "mesh", "OSM", "pass", "info", "skip", "warn", "fail", "error", "verdict", "first failure"]
    table = []
    bad = 0
    for target, rep, err in rows:
        if err is not None:
            bad += 1
            table.append([target, "-", "-", "", "", "", "", "", "", err.name, str(err)[:60]])
            continue
        s = rep.summary
        fails = rep.by_status("fail")
        verdict = "FAIL" if rep.failed() else ("ERROR" if s["error"] else ("WARN" if s["warn"] else "OK"))
        bad += verdict in ("FAIL", "ERROR")
        mesh = rep.mesh
        table.append([target, "%s/%s" % (mesh.namespace, mesh.name) if mesh else "none",
                      (mesh.version or "?") if mesh else "-"] +
                     [str(s[k]) for k in ("pass", "info", "skip", "warn", "fail", "error")] +
                     [verdict, ("%s %s" % (fails[0].id, fails[0].title)) if fails else ""])
    widths = [max(len(h), *(len(r[i]) for r in table)) for i, h in enumerate(headers)]
    for row in [headers] + table:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
