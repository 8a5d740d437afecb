"""Live source against the fake API server (tests/fakeapi/run), when both exist."""
import json
import os
import subprocess

import pytest

import osmdiag
from conftest import HEALTHY, BROKEN

FAKEAPI = os.environ.get("OSMDIAG_FAKEAPI", "")

pytestmark = [
    pytest.mark.skipif(not (FAKEAPI and os.access(FAKEAPI, os.X_OK)),
                       reason="fake API server not available (OSMDIAG_FAKEAPI unset or tests/fakeapi/run missing)"),
]


@pytest.fixture(params=[HEALTHY, BROKEN], ids=["healthy", "broken"])
def fake_cluster(request, tmp_path):
    kc = tmp_path / "kubeconfig"
    proc = subprocess.Popen([FAKEAPI, "--snapshot", str(request.param), "--listen", "127.0.0.1:0",
                             "--kubeconfig-out", str(kc)], stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        if not line.startswith("ready "):
            pytest.fail("fake API server did not start: %r" % line)
        yield request.param, kc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _nodur(doc):
    doc = dict(doc)
    doc.pop("durationMs", None)
    doc.pop("source", None)
    doc["results"] = [{k: v for k, v in r.items() if k != "durationMs"} for r in doc["results"]]
    return doc


def test_live_equals_snapshot(fake_cluster):
    snap, kc = fake_cluster
    live = osmdiag.run(kubeconfig=str(kc), timeout=30)
    offline = osmdiag.run(snapshot=[snap])
    assert json.loads(live.to_json())["source"]["kind"] == "live"
    assert _nodur(json.loads(live.to_json())) == _nodur(json.loads(offline.to_json()))
    assert osmdiag.mesh_list(kubeconfig=str(kc)) == osmdiag.mesh_list(snapshot=[snap])


def test_live_same_as_cli(fake_cluster):
    cli = os.environ.get("OSMDIAG_CLI")
    if not cli:
        pytest.skip("OSMDIAG_CLI not set")
    _, kc = fake_cluster
    p = subprocess.run([cli, "check", "--kubeconfig", str(kc), "-o", "json"], capture_output=True, text=True)
    assert p.returncode in (0, 1, 4), p.stderr
    rep = osmdiag.run(kubeconfig=str(kc))
    assert _nodur(json.loads(rep.to_json())) == _nodur(json.loads(p.stdout))


def test_live_unknown_context(fake_cluster):
    _, kc = fake_cluster
    with pytest.raises(osmdiag.Error) as ei:
        osmdiag.run(kubeconfig=str(kc), context="no-such-context")
    assert "no-such-context" in str(ei.value)
