#!/usr/bin/env python3
"""Runs the pytest suite of the Python binding against the build tree
(PYTHONPATH=<build>/bindings/python, set by meson). Exit 77 = skipped."""
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
pkg = os.path.join(os.environ.get("OSMDIAG_PY_BUILD_DIR", ""), "osmdiag")
if not os.path.isfile(os.path.join(pkg, "__init__.py")):
    print("SKIP: the Python binding was not built (needs swig and python3-dev)", file=sys.stderr)
    sys.exit(77)
try:
    import pytest
except ImportError:
    print("SKIP: pytest is not installed for %s (Debian: apt-get install python3-pytest)" % sys.executable,
          file=sys.stderr)
    sys.exit(77)
sys.exit(pytest.main(["-q", "-rs", "-p", "no:cacheprovider", here] + sys.argv[1:]))
