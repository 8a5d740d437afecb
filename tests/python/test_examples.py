"""The examples in examples/python run against the bundled snapshots."""
import os
import subprocess
import sys

import pytest

from conftest import BROKEN, HEALTHY, SNAPSHOTS, SRCDIR

EXAMPLES = SRCDIR / "examples" / "python"


def _run(script, *args):
    if not (EXAMPLES / script).is_file():
        pytest.skip("examples/python/%s not in this tree" % script)
    return subprocess.run([sys.executable, str(EXAMPLES / script), *map(str, args)],
                          capture_output=True, text=True, timeout=120, env=dict(os.environ))


def test_ci_gate_broken_fails_with_fixes():
    p = _run("ci_gate.py", "--snapshot", BROKEN)
    assert p.returncode == 1, p.stderr
    assert "fix:  kubectl" in p.stdout and "gate: FAILED" in p.stdout


def test_ci_gate_healthy_passes(tmp_path):
    out = tmp_path / "report.json"
    p = _run("ci_gate.py", "--snapshot", HEALTHY, "--json-out", out)
    assert p.returncode == 0, p.stdout + p.stderr
    assert out.read_text().startswith("{")


def test_ci_gate_bad_input_exit_2(tmp_path):
    p = _run("ci_gate.py", "--snapshot", tmp_path / "missing.json")
    assert p.returncode == 2 and "OSMDIAG_ENOTFOUND" in p.stderr


def test_fleet_table():
    p = _run("fleet.py", *[a for s in sorted(SNAPSHOTS.values()) for a in ("--snapshot", s)])
    assert p.returncode == 1, p.stderr  # the broken cluster fails the fleet
    lines = p.stdout.splitlines()
    assert lines[0].split()[:3] == ["snapshot", "mesh", "OSM"]
    assert len(lines) == 1 + len(SNAPSHOTS)
    assert any("FAIL" in line and "aks-osm-v1.2-broken" in line for line in lines)
