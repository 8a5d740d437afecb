"""Python results equal the CLI's `osmdiag check -o json` for every fixture."""
import json
import re
import subprocess

import pytest

import osmdiag
from conftest import HEALTHY, SNAPSHOTS, SRCDIR


def _strip(doc):
    doc = dict(doc)
    doc.pop("durationMs", None)
    doc["results"] = [{k: v for k, v in r.items() if k != "durationMs"} for r in doc["results"]]
    return doc


def _cli_json(cli, args):
    p = subprocess.run([cli, "check", *args, "-o", "json"], capture_output=True, text=True, timeout=120)
    assert p.returncode in (0, 1, 4), p.stderr
    return p.returncode, json.loads(p.stdout)


def test_same_document_as_cli(snapshot, cli):
    code, expected = _cli_json(cli, ["--snapshot", str(snapshot)])
    rep = osmdiag.run(snapshot=[str(snapshot)])
    assert _strip(json.loads(rep.to_json())) == _strip(expected)
    # the Python objects carry the same data
    assert rep.summary == expected["summary"]
    assert [{k: v for k, v in r.to_dict().items() if k != "durationMs"} for r in rep.results] == \
        _strip(expected)["results"]
    assert rep.exit_code() == code
    if expected["mesh"] is None:
        assert rep.mesh is None
    else:
        assert rep.mesh == osmdiag.MeshInfo(**expected["mesh"])


def test_several_snapshots_and_options_as_cli(cli):
    a, b = SNAPSHOTS["aks-osm-v1.2-healthy"], SNAPSHOTS["healthy-v1.1"]
    _, expected = _cli_json(cli, ["--snapshot", str(a), "--snapshot", str(b), "--only", "webhooks,meshconfig",
                                  "--skip", "OSMD304", "--fail-on", "warn", "--timeout", "30"])
    rep = osmdiag.run(snapshot=[str(a), str(b)], only=["webhooks,meshconfig"], skip=["OSMD304"],
                      fail_on="warn", timeout=30)
    assert _strip(json.loads(rep.to_json())) == _strip(expected)


@pytest.mark.parametrize("check_id", ["OSMD101", "OSMD203", "OSMD302", "OSMD601"])
def test_run_check_as_cli_only(check_id, cli):
    _, expected = _cli_json(cli, ["--snapshot", str(HEALTHY), "--only", check_id])
    rep = osmdiag.run_check(check_id, snapshot=[str(HEALTHY)])
    got = [r.to_dict() for r in rep.results]
    want = expected["results"]
    assert [r["id"] for r in got] == [r["id"] for r in want] == [check_id]
    assert {k: v for k, v in got[0].items() if k != "durationMs"} == \
        {k: v for k, v in want[0].items() if k != "durationMs"}


def test_mesh_list_as_cli(cli):
    p = subprocess.run([cli, "mesh", "list", "--snapshot", str(HEALTHY), "-o", "json"],
                       capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        pytest.skip("this osmdiag has no `mesh list -o json`: " + p.stderr.strip())
    expected = json.loads(p.stdout)
    got = osmdiag.mesh_list(snapshot=[str(HEALTHY)])
    assert [(m.name, m.namespace, m.version, m.profile, m.namespaces) for m in got] == \
        [(m["name"], m["namespace"], m["version"], m["profile"], m["namespaces"]) for m in expected]


def test_catalogue_as_cli(cli):
    p = subprocess.run([cli, "checks", "-o", "json"], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    expected = json.loads(p.stdout)
    assert [c.id for c in osmdiag.checks()] == [c["id"] for c in expected]


def _cli_out(cli, args):
    p = subprocess.run([cli, "check", *args], capture_output=True, text=True, timeout=120,
                       env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1"})
    assert p.returncode in (0, 1, 4), p.stderr
    return p.stdout


_VARYING = re.compile(r'(time="[0-9.]+"|"durationMs": ?[0-9.e+-]+|timestamp="[^"]*"|osmdiag_\w*duration_seconds'
                      r'(\{[^}]*\})? [0-9.e+-]+|"(startTimeUtc|endTimeUtc)": ?"[^"]*"|in [0-9.]+ ?m?s)')


@pytest.mark.parametrize("fmt", ["text", "junit", "sarif", "prometheus"])
def test_other_formats_as_cli(fmt, snapshot, cli):
    """to_text/to_junit/to_sarif/to_prometheus give the CLI's -o output (but for timings)."""
    expected = _cli_out(cli, ["--snapshot", str(snapshot), "-o", fmt])
    rep = osmdiag.run(snapshot=[str(snapshot)])
    got = {"text": rep.to_text, "junit": rep.to_junit, "sarif": rep.to_sarif,
           "prometheus": rep.to_prometheus}[fmt]()
    assert got and _VARYING.sub("T", got) == _VARYING.sub("T", expected)


def test_text_flags(cli):
    rep = osmdiag.run(snapshot=[str(HEALTHY)])
    plain = rep.to_text()
    assert "\x1b[" not in plain and "\x1b[" in rep.to_text(color=True)
    assert "\u2714" in rep.to_text(unicode=True) and "\u2714" not in plain
    # verbose shows passed results that plain output collapses ("all N ok")
    smi = SRCDIR / "tests" / "fixtures" / "bookstore-smi-permissive"
    rep = osmdiag.run(snapshot=[str(smi)])
    verbose = rep.to_text(verbose=True)
    assert len(verbose) > len(rep.to_text())
    assert _VARYING.sub("T", verbose) == _VARYING.sub("T", _cli_out(cli, ["--snapshot", str(smi), "-v"]))
