"""The Pythonic API on the bundled snapshots."""
import dataclasses
import json
import os
import pathlib

import pytest

import osmdiag
from conftest import BROKEN, HEALTHY, SNAPSHOTS, SRCDIR

STATUSES = ["pass", "info", "skip", "warn", "fail", "error"]


def test_imported_copy_is_the_one_under_test():
    where = os.environ.get("OSMDIAG_EXPECT_MODULE_UNDER")
    if where:
        assert pathlib.Path(osmdiag.__file__).resolve().is_relative_to(pathlib.Path(where).resolve()), \
            osmdiag.__file__


def test_version():
    assert isinstance(osmdiag.__version__, str)
    parts = osmdiag.__version__.split(".")
    assert len(parts) == 3 and all(p.isdigit() for p in parts)
    assert osmdiag._osmdiag.VERSION == osmdiag.__version__


def test_run_healthy():
    rep = osmdiag.run(snapshot=[str(HEALTHY)])
    assert isinstance(rep, osmdiag.Report)
    assert len(rep.results) > 30 and len(rep) == len(rep.results)
    assert list(rep.summary) == STATUSES
    assert sum(rep.summary.values()) == len(rep.results)
    assert rep.summary["fail"] == 0 and rep.summary["error"] == 0
    assert not rep.failed() and not rep.failed(fail_on="fail")
    assert rep.exit_code() == 0
    assert rep.mesh == osmdiag.MeshInfo("osm", "kube-system", "v1.2.5", "v1.2")
    assert rep.source == "snapshot " + str(HEALTHY)
    assert rep.duration_ms >= 0
    for r in rep.results:
        assert isinstance(r, osmdiag.Result)
        assert r.id.startswith("OSMD") and r.category and r.title and r.message
        assert r.status in STATUSES
        assert r.docs.startswith("docs/checks.md#")
        assert isinstance(r.duration_ms, float) and r.duration_ms >= 0
        assert r.hint is None or isinstance(r.hint, str)
        assert r.remediation is None or isinstance(r.remediation, str)
        assert r.resource is None or isinstance(r.resource, osmdiag.Resource)


def test_run_broken_failed_and_fixes():
    rep = osmdiag.run(snapshot=BROKEN)  # a single path, a pathlib.Path
    assert rep.summary["fail"] > 0
    assert rep.failed() and rep.failed("warn") and rep.failed(fail_on=osmdiag.Status.FAIL)
    assert rep.exit_code() == 1
    fails = rep.by_status("fail")
    assert fails and all(r.status == "fail" for r in fails)
    assert any(r.remediation for r in fails), "a broken cluster should come with fix commands"
    assert rep.worst >= "fail"


def test_failed_threshold_warn_vs_fail():
    rep = osmdiag.run(snapshot=[SNAPSHOTS["healthy-v1.1"]])
    has_warn = rep.summary["warn"] > 0
    assert rep.failed("warn") == (has_warn or rep.summary["fail"] > 0)
    with pytest.raises(ValueError):
        rep.failed("pass")


def test_status_is_a_string_enum():
    rep = osmdiag.run(snapshot=[HEALTHY])
    r = rep.results[0]
    assert r.status == "pass" and "pass" == r.status and r.status != "fail"
    assert isinstance(r.status, str) and isinstance(r.status, osmdiag.Status)
    assert str(r.status) == "pass" and f"{r.status}" == "pass" and r.status.value == "pass"
    assert r.status in {"pass"} and {"pass": 1}[r.status] == 1
    assert json.dumps({"s": r.status}) == '{"s": "pass"}'
    assert [s.value for s in osmdiag.Status] == STATUSES
    assert [s.level for s in osmdiag.Status] == list(range(6))
    assert osmdiag.Status.PASS < osmdiag.Status.WARN < "fail" < osmdiag.Status.ERROR
    assert sorted(["error", osmdiag.Status.WARN, osmdiag.Status.PASS], key=osmdiag.Status.parse) == \
        ["pass", "warn", "error"]
    assert osmdiag.Status.parse("FAIL") is osmdiag.Status.FAIL
    with pytest.raises(ValueError):
        osmdiag.Status.parse("bogus")


def test_results_are_immutable_values():
    a = osmdiag.run(snapshot=[HEALTHY]).results
    b = osmdiag.run(snapshot=[HEALTHY]).results
    with pytest.raises(dataclasses.FrozenInstanceError):
        a[0].message = "x"
    strip = lambda r: dataclasses.replace(r, duration_ms=0.0)
    assert [strip(r) for r in a] == [strip(r) for r in b]
    assert hash(strip(a[0])) == hash(strip(b[0]))


def test_only_skip_and_options():
    rep = osmdiag.run(snapshot=[HEALTHY], only=["webhooks"], skip=["OSMD204"])
    cats = {r.category for r in rep.results}
    assert cats == {"webhooks"}
    assert "OSMD204" not in {r.id for r in rep.results}
    rep2 = osmdiag.run(snapshot=[HEALTHY], only="OSMD201,OSMD211")
    assert [r.id for r in rep2.results] == ["OSMD201", "OSMD211"]
    rep3 = osmdiag.run(snapshot=[HEALTHY], kubeconfig=None, mesh_namespace="kube-system",
                       only=["webhooks"], skip=["OSMD304"], timeout=30)
    assert rep3.results and all(r.category == "webhooks" for r in rep3.results)
    rep4 = osmdiag.run(snapshot=[HEALTHY], fail_on="warn")
    assert rep4.fail_on == "warn" and json.loads(rep4.to_json())["failOn"] == "warn"


def test_run_check_one():
    rep = osmdiag.run_check("OSMD201", snapshot=[HEALTHY])
    assert [r.id for r in rep.results] == ["OSMD201"]
    assert rep.results[0].category == "webhooks"
    assert osmdiag.run_check("osmd201", snapshot=[HEALTHY]).results[0].id == "OSMD201"


def test_checks_catalogue():
    cat = osmdiag.checks()
    assert len(cat) == osmdiag._osmdiag.catalogue_count() > 30
    ids = [c.id for c in cat]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    c = osmdiag.checks("OSMD203")[0]
    assert c.id == "OSMD203" and c.category == "webhooks"
    for field in ("title", "expectation", "why", "fix", "guide", "severity", "docs"):
        assert getattr(c, field)
    # every run result belongs to the catalogue
    rep = osmdiag.run(snapshot=[BROKEN])
    assert {r.id for r in rep.results} <= set(ids)


def test_mesh_list():
    meshes = osmdiag.mesh_list(snapshot=[HEALTHY])
    assert len(meshes) == 1
    m = meshes[0]
    assert (m.name, m.namespace, m.version, m.profile) == ("osm", "kube-system", "v1.2.5", "v1.2")
    assert m.namespaces and all(isinstance(n, str) and n for n in m.namespaces)
    assert m.namespaces == sorted(m.namespaces)


def test_to_json_matches_the_objects(snapshot):
    rep = osmdiag.run(snapshot=[snapshot])
    doc = json.loads(rep.to_json())
    assert doc == rep.to_dict()
    assert doc["schemaVersion"] == 1
    assert doc["summary"] == rep.summary
    def nodur(d):
        return {k: v for k, v in d.items() if k != "durationMs"}
    assert [nodur(r.to_dict()) for r in rep.results] == [nodur(d) for d in doc["results"]]
    for r, d in zip(rep.results, doc["results"]):
        assert abs(r.duration_ms - d["durationMs"]) < 0.001


# --- errors -------------------------------------------------------------------

def test_error_bad_snapshot_file(tmp_path):
    bad = tmp_path / "cluster.json"
    bad.write_text('{"kind": "List", "items": [ {"kind": "Pod", ')
    with pytest.raises(osmdiag.Error) as ei:
        osmdiag.run(snapshot=[str(bad)])
    e = ei.value
    assert e.name == "OSMDIAG_EPARSE"
    assert e.code == osmdiag.ErrorCode.EPARSE and e.code == -11
    assert str(bad) in str(e), "the message names the file"
    assert str(e) == e.message and "OSMDIAG_EPARSE" in repr(e)
    assert isinstance(e, Exception)


def test_error_message_equals_the_c_message(tmp_path, cli):
    import subprocess
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: Pod\nmetadata: [unclosed\n")
    with pytest.raises(osmdiag.Error) as ei:
        osmdiag.run(snapshot=[str(bad)])
    p = subprocess.run([cli, "check", "--snapshot", str(bad), "-o", "json"], capture_output=True, text=True)
    assert p.returncode == 2
    assert ei.value.message in p.stderr


def test_error_missing_snapshot(tmp_path):
    missing = tmp_path / "nope.json"
    with pytest.raises(osmdiag.Error) as ei:
        osmdiag.run(snapshot=[missing])
    assert ei.value.name == "OSMDIAG_ENOTFOUND"
    assert str(missing) in str(ei.value)


def test_error_object_without_kind(tmp_path):
    bad = tmp_path / "nokind.json"
    bad.write_text('{"apiVersion": "v1", "metadata": {"name": "x"}}')
    with pytest.raises(osmdiag.Error) as ei:
        osmdiag.run(snapshot=[bad])
    assert ei.value.code < 0 and str(bad) in str(ei.value)


def test_error_unknown_check_or_category():
    with pytest.raises(osmdiag.Error) as ei:
        osmdiag.run(snapshot=[HEALTHY], only=["OSMD999"])
    assert ei.value.name == "OSMDIAG_EINVAL" and "OSMD999" in str(ei.value)
    with pytest.raises(osmdiag.Error) as ei:
        osmdiag.run(snapshot=[HEALTHY], skip=["no-such-category"])
    assert ei.value.name == "OSMDIAG_EINVAL"
    with pytest.raises(osmdiag.Error) as ei:
        osmdiag.run_check("OSMD999", snapshot=[HEALTHY])
    assert ei.value.code == osmdiag.ErrorCode.EINVAL
    with pytest.raises(osmdiag.Error):
        osmdiag.checks("OSMD999")


def test_error_pickles():
    import pickle
    e = osmdiag.Error(osmdiag.ErrorCode.EPARSE, "bad file x.json")
    e2 = pickle.loads(pickle.dumps(e))
    assert (e2.code, e2.name, e2.message) == (e.code, e.name, e.message)


def test_argument_errors(tmp_path):
    with pytest.raises(ValueError):
        osmdiag.run(snapshot=[HEALTHY], kubeconfig=str(tmp_path / "kc"))
    with pytest.raises(ValueError):
        osmdiag.run(snapshot=[])
    with pytest.raises(ValueError):
        osmdiag.run(snapshot=[""])
    with pytest.raises(TypeError):
        osmdiag.run(snapshot=[42])
    with pytest.raises(ValueError):
        osmdiag.run(snapshot=[HEALTHY], fail_on="info")
    with pytest.raises(ValueError):
        osmdiag.run(snapshot=[HEALTHY], timeout=-1)
    with pytest.raises(TypeError):
        osmdiag.run(snapshot=[HEALTHY], only=[1])


def test_bad_kubeconfig_is_an_error(tmp_path):
    kc = tmp_path / "kubeconfig"
    kc.write_text("apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\ncurrent-context: nope\n")
    with pytest.raises(osmdiag.Error) as ei:
        osmdiag.run(kubeconfig=str(kc))
    assert ei.value.code in (osmdiag.ErrorCode.ECONFIG, osmdiag.ErrorCode.ENOTFOUND)
    with pytest.raises(osmdiag.Error):
        osmdiag.run(kubeconfig=str(tmp_path / "missing"))


def test_render_needs_a_report_from_run():
    """A Report built by hand has its JSON but no C report to render the other formats from."""
    rep = osmdiag.Report([], None, "by hand", 0.0, osmdiag.Status.FAIL, "{}")
    assert rep.to_json() == "{}"
    for render in (rep.to_text, rep.to_junit, rep.to_sarif, rep.to_prometheus):
        with pytest.raises(osmdiag.Error) as e:
            render()
        assert e.value.name == "OSMDIAG_EINVAL" and "osmdiag.run()" in str(e.value)
