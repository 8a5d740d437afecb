"""Type hints: the package is typed (py.typed + _osmdiag.pyi) and checks with mypy."""
import importlib.util
import os
import pathlib
import py_compile
import subprocess
import sys

import pytest

import osmdiag

PKG = pathlib.Path(osmdiag.__file__).parent

USAGE = '''
import osmdiag
from typing import Dict, List

report: osmdiag.Report = osmdiag.run(snapshot=["cluster.json"], only=["webhooks"], skip=["OSMD304"], timeout=30)
for r in report.results:
    s: str = r.status
    ok: bool = r.status == "fail"
    text: str = r.id + r.category + r.title + r.message + r.docs
    hint = r.hint
    if hint is not None:
        text += hint
    ms: float = r.duration_ms
summary: Dict[str, int] = report.summary
failed: bool = report.failed(fail_on="warn")
doc: str = report.to_json()
cat: List[osmdiag.CheckInfo] = osmdiag.checks()
one: osmdiag.Report = osmdiag.run_check("OSMD201", snapshot=["cluster.json"])
meshes: List[osmdiag.Mesh] = osmdiag.mesh_list(snapshot="cluster.json")
version: str = osmdiag.__version__
try:
    osmdiag.run(kubeconfig=None, context="aks-prod")
except osmdiag.Error as e:
    code: int = e.code
    name: str = e.name
'''

BAD_USAGE = '''
import osmdiag
n: int = osmdiag.run(snapshot=["x"]).results[0].message
'''


def test_marker_and_stub_shipped(tmp_path):
    assert (PKG / "py.typed").is_file()
    stub = PKG / "_osmdiag.pyi"
    assert stub.is_file()
    py_compile.compile(str(stub), cfile=str(tmp_path / "stub.pyc"), doraise=True)


def test_stub_lists_what_the_package_uses():
    # every _c.<name> the package calls exists in the extension and in the stub
    import re
    src = (PKG / "__init__.py").read_text()
    used = set(re.findall(r"\b_c\.([A-Za-z_][A-Za-z0-9_]*)", src))
    stub = (PKG / "_osmdiag.pyi").read_text()
    declared = set(re.findall(r"^(?:def|class) ([A-Za-z_][A-Za-z0-9_]*)|^([A-Z_][A-Z0-9_]*):", stub, re.M))
    declared = {a or b for a, b in declared}
    assert used <= declared, used - declared
    live = {"source_new_kubeconfig", "source_new_in_cluster"}
    for name in declared - live:
        assert hasattr(osmdiag._osmdiag, name), name


@pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="mypy not installed (pip install mypy==1.13.0)")
def test_mypy(tmp_path):
    good = tmp_path / "good.py"
    good.write_text(USAGE)
    bad = tmp_path / "bad.py"
    bad.write_text(BAD_USAGE)
    env = dict(os.environ, MYPYPATH="")
    base = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache")]
    p = subprocess.run(base + [str(good)], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert p.returncode == 0, p.stdout + p.stderr
    p = subprocess.run(base + [str(bad)], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert p.returncode == 1 and "Incompatible types" in p.stdout, p.stdout + p.stderr
    # the package itself is clean under --strict
    p = subprocess.run(base + ["-p", "osmdiag"], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert p.returncode == 0, p.stdout + p.stderr
