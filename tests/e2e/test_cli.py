#!/usr/bin/python3
"""End-to-end tests of the `osmdiag` command (spec/INTERFACES.md).

Usage: test_cli.py OSMDIAG_BINARY CASE     (source root from $OSMDIAG_SRCDIR)

Each CASE is one meson test. Exit 0 = pass, 1 = fail, 77 = skip (e.g. the
example snapshots are absent, python3-jsonschema is not installed).
"""
import json
import os
import shutil
import pty
import re
import select
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

BIN = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "osmdiag"
SRC = os.environ.get("OSMDIAG_SRCDIR") or os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
HEALTHY = os.path.join(SRC, "examples", "snapshots", "aks-osm-v1.2-healthy")
BROKEN = os.path.join(SRC, "examples", "snapshots", "aks-osm-v1.2-broken")
FIXTURES = os.path.join(SRC, "tests", "fixtures")
STATUSES = ["pass", "info", "skip", "warn", "fail", "error"]
ANSI = re.compile(r"\x1b\[")
SUMMARY = re.compile(r"^(\d+) passed · (\d+) info · (\d+) skipped · (\d+) warnings? · (\d+) failed · "
                     r"(\d+) errors?\s+docs: docs/checks\.md$", re.M)

failures = []


class Skip(Exception):
    pass


def run(*args, env=None, stdin=subprocess.DEVNULL):
    e = dict(os.environ)
    e.pop("NO_COLOR", None)
    if env:
        e.update(env)
    p = subprocess.run([BIN, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=stdin, env=e,
                       timeout=120)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def run_tty(*args, env=None):
    """Runs with stdout on a pseudo-terminal; returns (exit code, output)."""
    e = dict(os.environ)
    e.pop("NO_COLOR", None)
    e["TERM"] = "xterm-256color"
    if env:
        e.update(env)
    master, slave = pty.openpty()
    p = subprocess.Popen([BIN, *args], stdout=slave, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=e)
    os.close(slave)
    out = b""
    while True:
        r, _, _ = select.select([master], [], [], 60)
        if not r:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    p.wait(timeout=60)
    p.stderr.close()
    return p.returncode, out.decode("utf-8", "replace")


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL: " + what)
    return cond


def need(path):
    if not os.path.exists(path):
        raise Skip("missing " + os.path.relpath(path, SRC))
    return path


def snapshots():
    """Every bundled example and fixture snapshot that exists."""
    out = [p for p in (HEALTHY, BROKEN) if os.path.exists(p)]
    if os.path.isdir(FIXTURES):
        for name in sorted(os.listdir(FIXTURES)):
            p = os.path.join(FIXTURES, name)
            if os.path.isdir(p) or name.endswith((".json", ".yaml", ".yml")):
                out.append(p)
    return out


def tmpfile(text, suffix=".json"):
    f = tempfile.NamedTemporaryFile("w", suffix=suffix, delete=False)
    f.write(text)
    f.close()
    return f.name


EMPTY_LIST = '{"apiVersion": "v1", "kind": "List", "items": []}\n'


def rel(p):
    return os.path.relpath(p, SRC)


# ---------------------------------------------------------------------------------------------------------
def case_exit_codes():
    empty = tmpfile(EMPTY_LIST)
    bad = tmpfile('{"kind": "Pod", "metadata": {"name": ')
    nokind = tmpfile('{"apiVersion": "v1", "metadata": {"name": "x"}}\n')
    try:
        # No cluster configured: no kubeconfig in an empty HOME, not in a pod.
        home = tempfile.mkdtemp(prefix="osmdiag-home-")
        nocluster = {"HOME": home, "KUBECONFIG": "", "KUBERNETES_SERVICE_HOST": "",
                     "KUBERNETES_SERVICE_PORT": ""}
        for args, want in (([], "kubeconfig"), (["--kubeconfig", "/dev/null"], "/dev/null"),
                           (["--in-cluster"], "KUBERNETES_SERVICE_HOST"), (["--context", "prod"], "kubeconfig"),
                           (["--snapshot", empty, "--kubeconfig", "/dev/null"], "--snapshot")):
            rc, out, err = run("check", *args, env=nocluster)
            check(rc == 2 and want in err and out == "" and len(err.strip().splitlines()) <= 4,
                  "check %s: want exit 2 and a short error naming %r, got %d %r" % (args, want, rc, err))
        rc, _, err = run("snapshot", "--out", os.path.join(home, "x"), env=nocluster)
        check(rc == 2 and "kubeconfig" in err, "snapshot without a cluster: want exit 2, got %d %r" % (rc, err))
        rc, _, err = run("mesh", "list", env=nocluster)
        check(rc == 2 and "kubeconfig" in err, "mesh list without source: want exit 2, got %d %r" % (rc, err))
        shutil.rmtree(home, ignore_errors=True)

        for args, why in ((["check", "--snapshot", empty, "--bogus"], "bad flag"),
                          (["check", "--snapshot", empty, "-x"], "bad shorthand"),
                          (["check", "--snapshot", empty, "-o", "yaml"], "bad -o"),
                          (["check", "--snapshot", empty, "--fail-on", "info"], "bad --fail-on"),
                          (["check", "--snapshot", empty, "--timeout", "soon"], "bad --timeout"),
                          (["check", "--snapshot", empty, "stray"], "positional"),
                          (["check", "--snapshot"], "missing value"),
                          (["checks", "-o", "yaml"], "checks bad -o"),
                          (["explain"], "explain without ID"),
                          (["frobnicate"], "unknown command"),
                          ([], "no command")):
            rc, out, err = run(*args)
            check(rc == 2 and err.startswith("osmdiag") and "Usage: osmdiag" in err and out == "",
                  "%s (%s): want exit 2 with error and usage on stderr, got %d %r" % (why, args, rc, err))

        rc, _, err = run("check", "--snapshot", empty, "--only", "OSMD999")
        check(rc == 2 and "OSMD999" in err, "--only OSMD999: want exit 2 naming it, got %d %r" % (rc, err))
        rc, _, err = run("check", "--snapshot", empty, "--skip", "nosuchcategory")
        check(rc == 2, "--skip unknown: want exit 2, got %d" % rc)
        rc, _, err = run("explain", "OSMD999")
        check(rc == 2 and "OSMD999" in err, "explain OSMD999: want exit 2, got %d" % rc)

        rc, out, err = run("check", "--snapshot", "/nonexistent/snapshot.json")
        check(rc == 2 and err.startswith("osmdiag: ") and "/nonexistent/snapshot.json" in err and out == "",
              "missing snapshot: want exit 2 naming the file, got %d %r" % (rc, err))
        for path, what in ((bad, "invalid JSON"), (nokind, "object without kind")):
            rc, out, err = run("check", "--snapshot", path)
            check(rc == 2 and err.startswith("osmdiag: ") and os.path.basename(path) in err and out == "",
                  "%s: want exit 2 naming the file, got %d %r" % (what, rc, err))

        for a in (["--help"], ["-h"]):
            for cmd in (["check"], ["checks"], ["explain"], ["mesh", "list"], ["snapshot"], []):
                rc, out, _ = run(*cmd, *a)
                check(rc == 0 and "Usage: osmdiag" in out, "%s %s: want usage on stdout, exit 0" % (cmd, a))
        rc, out, _ = run("--version")
        check(rc == 0 and re.match(r"^osmdiag \d+\.\d+\.\d+", out), "--version: got %d %r" % (rc, out))

        # no mesh at all: OSMD101 fails -> 1, whatever the format
        for fmt in ("text", "json", "junit", "sarif", "prometheus"):
            rc, out, _ = run("check", "--snapshot", empty, "-o", fmt)
            check(rc == 1, "empty snapshot -o %s: want exit 1 (no control plane), got %d" % (fmt, rc))

        # the examples
        for snap, want in ((HEALTHY, 0), (BROKEN, 1)):
            if not os.path.exists(snap):
                print("note: %s absent, not checked" % rel(snap))
                continue
            for fmt in ("text", "json", "junit", "sarif", "prometheus"):
                rc, _, err = run("check", "--snapshot", snap, "-o", fmt)
                check(rc == want, "%s -o %s: want exit %d, got %d %s" % (rel(snap), fmt, want, rc, err))
            rc, out, _ = run("check", "--snapshot", snap, "-o", "json", "--fail-on", "warn")
            doc = json.loads(out)
            s = doc["summary"]
            want_w = 1 if s["warn"] + s["fail"] > 0 else (4 if s["error"] else 0)
            check(rc == want_w, "%s --fail-on warn: want %d, got %d" % (rel(snap), want_w, rc))
            check(doc["failOn"] == "warn", "failOn member should be warn")
            rc, _, _ = run("check", "--snapshot", snap, "--only", "control-plane,OSMD203")
            check(rc in (0, 1), "--only category,ID: got %d" % rc)
    finally:
        for p in (empty, bad, nokind):
            os.unlink(p)


def case_json_schema():
    try:
        import jsonschema
    except ImportError:
        raise Skip("python3-jsonschema is not installed")
    with open(os.path.join(SRC, "docs", "report.schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    rc, out, _ = run("checks", "-o", "json")
    # Every check has a result; migration findings (OSMD8xx) belong to `osmdiag migrate`.
    catalogue = [c["id"] for c in json.loads(out) if c["category"] != "migration"]
    empty = tmpfile(EMPTY_LIST)
    snaps = [empty] + snapshots()
    try:
        for snap in snaps:
            rc, out, err = run("check", "--snapshot", snap, "-o", "json")
            if not check(rc in (0, 1, 4), "%s: exit %d %s" % (rel(snap), rc, err)):
                continue
            check(out.count("\n{") == 0 and out.startswith("{"), "%s: one JSON document" % rel(snap))
            doc = json.loads(out)
            errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
            for e in errors[:10]:
                check(False, "%s: schema: %s at %s" % (rel(snap), e.message, "/".join(map(str, e.path))))
            counts = {s: 0 for s in STATUSES}
            for r in doc["results"]:
                counts[r["status"]] += 1
            check(counts == doc["summary"], "%s: summary %s != counted %s" % (rel(snap), doc["summary"], counts))
            ids = [r["id"] for r in doc["results"]]
            check(set(ids) == set(catalogue), "%s: checks without results: %s" % (
                rel(snap), sorted(set(catalogue) - set(ids))))
            order = [catalogue.index(i) for i in ids if i in catalogue]
            check(order == sorted(order), "%s: results not in catalogue order" % rel(snap))
            for r in doc["results"]:
                check(r["docs"] == "docs/checks.md#" + r["id"].lower(), "%s: docs anchor %s" % (r["id"], r["docs"]))
            if snap == empty:
                check(doc["mesh"] is None, "empty snapshot: mesh should be null")
            check(doc["source"]["kind"] == "snapshot" and snap in doc["source"]["description"],
                  "%s: source %s" % (rel(snap), doc["source"]))
    finally:
        os.unlink(empty)


def case_formats():
    empty = tmpfile(EMPTY_LIST)
    try:
        for snap in [empty] + snapshots():
            rc, out, _ = run("check", "--snapshot", snap, "-o", "json")
            doc = json.loads(out)
            n = len(doc["results"])

            rc, out, _ = run("check", "--snapshot", snap, "-o", "junit")
            root = ET.fromstring(out.encode("utf-8"))
            cases = root.findall("./testsuite/testcase")
            check(root.tag == "testsuites" and len(cases) == n,
                  "%s junit: %d testcases for %d results" % (rel(snap), len(cases), n))
            check(int(root.get("tests")) == n, "junit tests attribute")
            check(len(root.findall("./testsuite/testcase/skipped")) == doc["summary"]["skip"], "junit skipped")
            check(len(root.findall("./testsuite/testcase/error")) == doc["summary"]["error"], "junit errors")
            check(len(root.findall("./testsuite/testcase/failure")) == doc["summary"]["fail"], "junit failures")

            rc, out, _ = run("check", "--snapshot", snap, "-o", "sarif")
            sarif = json.loads(out)
            check(sarif["version"] == "2.1.0", "sarif version")
            run0 = sarif["runs"][0]
            rules = [r["id"] for r in run0["tool"]["driver"]["rules"]]
            want = sum(doc["summary"][s] for s in ("info", "warn", "fail", "error"))
            check(len(run0["results"]) == want, "sarif: %d results, want %d" % (len(run0["results"]), want))
            for r in run0["results"]:
                check(r["level"] in ("error", "warning", "note"), "sarif level " + r["level"])
                check(rules[r["ruleIndex"]] == r["ruleId"], "sarif ruleIndex")

            rc, out, _ = run("check", "--snapshot", snap, "-o", "prometheus")
            line_re = re.compile(r'^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*",?)*\})? '
                                 r'[-+]?[0-9.eE+-]+$')
            results = {}
            per_check = {}
            for line in out.splitlines():
                if line.startswith("#"):
                    check(re.match(r"^# (HELP|TYPE) [a-z_]+ ", line), "prometheus comment: " + line)
                    continue
                check(line_re.match(line), "prometheus line does not parse: " + line)
                m = re.match(r'^osmdiag_results\{status="(\w+)"\} (\d+)$', line)
                if m:
                    results[m.group(1)] = int(m.group(2))
                m = re.match(r'^osmdiag_check_status\{id="(\w+)",.*\} ([01])$', line)
                if m:
                    per_check[m.group(1)] = per_check.get(m.group(1), 0) + int(m.group(2))
            check(results == doc["summary"], "prometheus osmdiag_results %s != %s" % (results, doc["summary"]))
            check(all(v == 1 for v in per_check.values()) and len(per_check) == len({r["id"] for r in doc["results"]}),
                  "prometheus: one status at 1 per check")
            check("osmdiag_run_duration_seconds " in out, "prometheus duration")
    finally:
        os.unlink(empty)


def case_text():
    empty = tmpfile(EMPTY_LIST)
    try:
        for snap in [empty] + snapshots():
            rc, out, _ = run("check", "--snapshot", snap)
            check(not ANSI.search(out), "%s: ANSI escapes in piped text" % rel(snap))
            m = SUMMARY.search(out)
            if check(m, "%s: no summary line in:\n%s" % (rel(snap), out[-400:])):
                doc = json.loads(run("check", "--snapshot", snap, "-o", "json")[1])
                got = dict(zip(STATUSES, map(int, m.groups())))
                check(got == doc["summary"], "%s: text summary %s != json %s" % (rel(snap), got, doc["summary"]))
            check(out.startswith("osmdiag "), "text header")
            check("[ok]" in out or "[FAIL]" in out, "plain marks when piped")
            check("\u2714" not in out and "\u2716" not in out, "no unicode marks when piped")
        snap = HEALTHY if os.path.exists(HEALTHY) else empty
        rc, out = run_tty("check", "--snapshot", snap)
        check(ANSI.search(out) and ("\u2714" in out or "\u2716" in out), "terminal: colour and unicode marks")
        rc, out = run_tty("check", "--snapshot", snap, env={"NO_COLOR": "1"})
        check(not ANSI.search(out) and "[" in out, "NO_COLOR on a terminal: no escapes, plain marks")
        rc, out = run_tty("check", "--snapshot", snap, "--no-color")
        check(not ANSI.search(out), "--no-color on a terminal: no escapes")
        if os.path.exists(HEALTHY):
            rc, out, _ = run("check", "--snapshot", HEALTHY)
            check('mesh "osm" in kube-system' in out and "OSM v1.2.5 (profile v1.2)" in out,
                  "healthy header names the mesh: " + out.splitlines()[0])
            rcv, outv, _ = run("check", "--snapshot", HEALTHY, "-v")
            check(len(outv) >= len(out), "-v shows at least as much")
        if os.path.exists(BROKEN):
            rc, out, _ = run("check", "--snapshot", BROKEN)
            check("[FAIL]" in out, "broken: a [FAIL] line")
            check(re.search(r"^      (hint|fix): ", out, re.M), "broken: hint/fix lines beneath problems")
    finally:
        os.unlink(empty)


def case_checks_markdown():
    rc, out, err = run("checks", "-o", "markdown")
    check(rc == 0, "checks -o markdown: exit %d %s" % (rc, err))
    path = os.path.join(SRC, "docs", "checks.md")
    try:
        with open(path, encoding="utf-8") as f:
            doc = f.read()
    except FileNotFoundError:
        doc = None
    check(doc == out, "docs/checks.md is out of date: run `osmdiag checks -o markdown > docs/checks.md` "
                      "(from the build: ./build/cli/osmdiag checks -o markdown > docs/checks.md)")
    rc, out, _ = run("checks", "-o", "json")
    cat = json.loads(out)
    ids = [c["id"] for c in cat]
    check(len(ids) == len(set(ids)) and len(ids) > 0, "checks -o json: unique IDs")
    md = run("checks", "-o", "markdown")[1]
    for c in cat:
        check('<a id="%s"></a>' % c["id"].lower() in md, "markdown anchor for " + c["id"])
        for k in ("title", "category", "severity", "expectation", "why", "fix", "guide"):
            check(isinstance(c.get(k), str) and c[k].strip(), "%s: catalogue field %s empty" % (c["id"], k))
    rc, out, _ = run("checks")
    check(rc == 0 and all(i in out for i in ids), "checks (text) lists every ID")


def case_explain():
    rc, out, err = run("explain", "OSMD203")
    check(rc == 0, "explain OSMD203: exit %d %s" % (rc, err))
    check(out.startswith("OSMD203: validating webhook CA bundle"), "explain title: " + out[:80])
    for h in ("What it expects", "Why it matters", "How to fix", "Guide step", "docs/checks.md#osmd203"):
        check(h in out, "explain shows " + h)
    rc2, out2, _ = run("explain", "osmd203")
    check(rc2 == 0 and out2 == out, "explain is case-insensitive")


def case_mesh_list():
    snap = need(HEALTHY)
    rc, out, err = run("mesh", "list", "--snapshot", snap)
    check(rc == 0, "mesh list: exit %d %s" % (rc, err))
    check(re.search(r"^MESH NAME\s+MESH NAMESPACE\s+VERSION\s+ADDED NAMESPACES$", out, re.M), "mesh list header")
    m = re.search(r"^osm\s+kube-system\s+v1\.2\.5\s+(\S+)$", out, re.M)
    if check(m, "mesh list row `osm  kube-system  v1.2.5` in:\n" + out):
        check("bookstore" in m.group(1) and "bookbuyer" in m.group(1), "added namespaces: " + m.group(1))
    rc, out, _ = run("mesh", "list", "--snapshot", snap, "-o", "json")
    meshes = json.loads(out)
    check(rc == 0 and meshes and meshes[0]["name"] == "osm" and meshes[0]["namespace"] == "kube-system",
          "mesh list -o json")
    empty = tmpfile(EMPTY_LIST)
    try:
        rc, out, _ = run("mesh", "list", "--snapshot", empty)
        check(rc == 0 and "No osm mesh control planes found" in out, "mesh list on an empty snapshot")
    finally:
        os.unlink(empty)


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}


def main():
    if len(sys.argv) != 3 or sys.argv[2] not in CASES:
        print("usage: test_cli.py OSMDIAG_BINARY {%s}" % "|".join(CASES), file=sys.stderr)
        return 2
    try:
        CASES[sys.argv[2]]()
    except Skip as e:
        print("SKIP: %s" % e)
        return 77
    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
