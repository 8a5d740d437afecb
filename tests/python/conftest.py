"""Shared fixtures of the Python binding tests.

Environment (set by tests/python/meson.build; all optional):
  OSMDIAG_SRCDIR   repository root (default: two levels up from here)
  OSMDIAG_CLI      the built `osmdiag` command; CLI comparisons skip without it
  OSMDIAG_FAKEAPI  tests/fakeapi/run; live tests skip without it
  OSMDIAG_EXPECT_MODULE_UNDER  the imported package must live under this
                   directory (guards against testing the wrong copy)
"""
import os
import pathlib

import pytest

SRCDIR = pathlib.Path(os.environ.get("OSMDIAG_SRCDIR") or pathlib.Path(__file__).resolve().parents[2])

# name -> snapshot directory: every bundled example and fixture cluster.
SNAPSHOTS = {
    "aks-osm-v1.2-healthy": SRCDIR / "examples" / "snapshots" / "aks-osm-v1.2-healthy",
    "aks-osm-v1.2-broken": SRCDIR / "examples" / "snapshots" / "aks-osm-v1.2-broken",
    "healthy-v1.0": SRCDIR / "tests" / "fixtures" / "healthy-v1.0",
    "healthy-v1.1": SRCDIR / "tests" / "fixtures" / "healthy-v1.1",
}
HEALTHY = SNAPSHOTS["aks-osm-v1.2-healthy"]
BROKEN = SNAPSHOTS["aks-osm-v1.2-broken"]


@pytest.fixture(scope="session")
def cli():
    path = os.environ.get("OSMDIAG_CLI")
    if not path or not os.access(path, os.X_OK):
        pytest.skip("OSMDIAG_CLI not set to the built osmdiag command")
    return path


@pytest.fixture(params=sorted(SNAPSHOTS), scope="session")
def snapshot(request):
    return SNAPSHOTS[request.param]
