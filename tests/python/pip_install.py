#!/usr/bin/env python3
"""The real `pip install <repository root>` test (meson suite 'python-pip').

Creates a fresh venv in a temporary directory, installs the repository with
pip (build isolation on: meson-python, meson, ninja and swig come from the
pinned [build-system] requirements; pip's cache may be used), checks the
installed files, imports the package from outside the source tree and runs
the pytest suite against the installed copy. Exit 77 = skipped (no package
index reachable). Argument: the repository root. Environment: OSMDIAG_CLI
(the built CLI, for the comparisons).
"""
import glob
import os
import subprocess
import sys
import sysconfig
import tempfile
import time

root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", ".."))
healthy = os.path.join(root, "examples", "snapshots", "aks-osm-v1.2-healthy")


def run(cmd, **kw):
    print("+ " + " ".join(cmd), flush=True)
    t = time.perf_counter()
    p = subprocess.run(cmd, text=True, **kw)
    print("  (%.1f s, exit %d)" % (time.perf_counter() - t, p.returncode), flush=True)
    return p


with tempfile.TemporaryDirectory(prefix="osmdiag-pip-") as tmp:
    venv = os.path.join(tmp, "venv")
    if run([sys.executable, "-m", "venv", venv]).returncode != 0:
        print("SKIP: cannot create a venv (Debian: apt-get install python3-venv)", file=sys.stderr)
        sys.exit(77)
    py = os.path.join(venv, "bin", "python")
    probe = run([py, "-m", "pip", "download", "-q", "--no-deps", "-d", os.path.join(tmp, "probe"),
                 "meson-python==0.17.1"], capture_output=True)
    if probe.returncode != 0:
        print("SKIP: no Python package index reachable:\n" + probe.stderr[-2000:], file=sys.stderr)
        sys.exit(77)
    # Build and install with isolation, from outside the tree.
    p = run([py, "-m", "pip", "install", root + "[test]", "mypy==1.13.0"], cwd=tmp)
    if p.returncode != 0:
        sys.exit(1)

    out = subprocess.run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['platlib'])"],
                         capture_output=True, text=True, check=True).stdout.strip()
    pkg = os.path.join(out, "osmdiag")
    libs = sorted(os.path.basename(f) for f in glob.glob(os.path.join(out, ".osmdiag.mesonpy.libs", "*")))
    print("installed package:", sorted(os.listdir(pkg)))
    print("bundled libraries:", libs)
    failures = []
    if not any(f.startswith("libosmdiag.so") for f in libs):
        failures.append("libosmdiag.so is not bundled in the wheel")
    for f in ("__init__.py", "py.typed", "_osmdiag.pyi"):
        if not os.path.exists(os.path.join(pkg, f)):
            failures.append("missing from the wheel: osmdiag/" + f)

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "LD_LIBRARY_PATH", "PYTHONHOME")}
    p = run([py, "-c", "import osmdiag; print(osmdiag.__file__); "
                       "print(osmdiag.run(snapshot=[%r]).summary)" % healthy], cwd=tmp, env=env,
            capture_output=True)
    print(p.stdout + p.stderr)
    if p.returncode != 0 or not p.stdout.strip().splitlines()[0].startswith(out):
        failures.append("import osmdiag from the venv failed or imported another copy")

    # The CLI executable lands in the wheel too (its install tag is `runtime`,
    # like the library's), but meson-python cannot make an executable find a
    # bundled library (its RPATH points into the wheel's .data dir), so it does
    # not run from a venv: reported, not failed, until cli/meson.build gives it
    # another install tag.
    cli = os.path.join(venv, "bin", "osmdiag")
    if os.path.exists(cli):
        p = run([cli, "checks", "-o", "json"], cwd=tmp, env=env, capture_output=True)
        if p.returncode != 0:
            print("NOTE: the wheel's osmdiag command does not run: " + p.stderr.strip())

    env.update(OSMDIAG_SRCDIR=root, OSMDIAG_EXPECT_MODULE_UNDER=out)
    p = run([py, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", os.path.join(root, "tests", "python")],
            cwd=tmp, env=env)
    if p.returncode != 0:
        failures.append("pytest against the installed package failed")

    for f in failures:
        print("FAIL: " + f, file=sys.stderr)
    sys.exit(1 if failures else 0)
