#!/usr/bin/env python3
"""CI gate: fail the pipeline on fail-level findings and print the fixes.

    python3 ci_gate.py --snapshot snap/                  # or a live cluster:
    python3 ci_gate.py --kubeconfig ~/.kube/config --context aks-prod --fail-on warn

Exit status: 0 clean, 1 findings at or above --fail-on, 2 could not run
(bad snapshot, unknown check...), 3 cluster unreachable; as `osmdiag check`.
Writes the JSON report with --json-out FILE (e.g. a CI artifact).
"""
import argparse
import sys

import osmdiag

UNREACHABLE = {"ENET", "EAUTH", "ETLS", "ETIMEOUT", "EHTTP", "EFORBIDDEN", "EEXEC"}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    src = ap.add_mutually_exclusive_group()
    src.add_argument("--snapshot", action="append", metavar="PATH", help="snapshot file or directory (repeatable)")
    src.add_argument("--kubeconfig", metavar="FILE")
    src.add_argument("--in-cluster", action="store_true")
    ap.add_argument("--context")
    ap.add_argument("--mesh-namespace")
    ap.add_argument("--only", action="append", metavar="ID|CATEGORY")
    ap.add_argument("--skip", action="append", metavar="ID|CATEGORY")
    ap.add_argument("--fail-on", choices=["warn", "fail"], default="fail")
    ap.add_argument("--timeout", type=float, default=60, metavar="SECONDS")
    ap.add_argument("--json-out", metavar="FILE", help="also write the JSON report here")
    a = ap.parse_args(argv)

    try:
        report = osmdiag.run(snapshot=a.snapshot, kubeconfig=a.kubeconfig, context=a.context,
                             in_cluster=a.in_cluster, mesh_namespace=a.mesh_namespace, only=a.only,
                             skip=a.skip, fail_on=a.fail_on, timeout=a.timeout)
    except osmdiag.Error as e:
        print("osmdiag: %s (%s)" % (e, e.name), file=sys.stderr)
        return 3 if e.name.replace("OSMDIAG_", "") in UNREACHABLE else 2

    if a.json_out:
        with open(a.json_out, "w", encoding="utf-8") as f:
            f.write(report.to_json())

    mesh = report.mesh
    print("mesh: %s" % ("%s in %s, OSM %s" % (mesh.name, mesh.namespace, mesh.version) if mesh else "none found"))
    gate = osmdiag.Status.parse(a.fail_on)
    findings = [r for r in report.results if r.status != "error" and r.status >= gate]
    for r in findings:
        print("\n%-5s %s %s" % (r.status.value.upper(), r.id, r.title))
        print("      %s" % r.message)
        if r.hint:
            print("      hint: %s" % r.hint)
        if r.remediation:
            print("      fix:  %s" % r.remediation)
        print("      docs: %s" % r.docs)
    for r in report.by_status("error"):
        print("\nERROR %s %s: %s" % (r.id, r.title, r.message))
    s = report.summary
    print("\n%d passed, %d info, %d skipped, %d warnings, %d failed, %d errors" %
          (s["pass"], s["info"], s["skip"], s["warn"], s["fail"], s["error"]))
    if report.failed(fail_on=a.fail_on):
        print("gate: FAILED (%d finding(s) at or above %s)" % (len(findings), a.fail_on))
    return report.exit_code(a.fail_on)


if __name__ == "__main__":
    sys.exit(main())
