"""osmdiag: diagnose Open Service Mesh (OSM) on Kubernetes from Python.

A Pythonic layer over libosmdiag (the C library behind the ``osmdiag``
command)::

    import osmdiag

    report = osmdiag.run(snapshot=["cluster.json"])
    for r in report.results:
        if r.status == "fail":
            print(r.id, r.message, r.remediation)
    print(report.summary)            # {"pass": 37, "info": 1, ..., "error": 0}
    if report.failed(fail_on="warn"):
        raise SystemExit(1)

Every call copies what the C library returned into plain Python objects and
frees the C memory before returning, so results outlive their report and can
be shared between threads. The C work (reading snapshots, talking to the API
server, running the checks) runs with the GIL released.

``report.to_json()`` is the same document as ``osmdiag check -o json``.
"""

from __future__ import annotations

import enum
import os
from dataclasses import dataclass, field
from typing import (Any, Dict, Iterable, Iterator, List, Optional, Sequence,
                    Tuple, Union)


# In a wheel, meson-python bundles libosmdiag.so.0 (built with -Dwheel=true, so
# the file carries its SONAME name) and points the extension's RPATH at it.
from . import _osmdiag as _c

__all__ = [
    "__version__", "run", "run_check", "checks", "mesh_list",
    "Error", "ErrorCode", "Status", "Result", "Resource", "Report", "Mesh",
    "MeshInfo", "CheckInfo",
]

#: Version of the C library this package runs on ("X.Y.Z").
__version__: str = _c.version_string()

# One reference-counted global set-up, from the importing (main) thread, before
# any thread calls run(): as the C API asks. Never undone: the library lives as
# long as the interpreter.
_c.global_init()

PathLike = Union[str, "os.PathLike[str]"]


# --------------------------------------------------------------------------- #
# Statuses and errors


class Status(str, enum.Enum):
    """Status of one result. Compares equal to its plain string ("pass", ...)
    and orders by gravity: PASS < INFO < SKIP < WARN < FAIL < ERROR."""

    PASS = "pass"
    INFO = "info"
    SKIP = "skip"
    WARN = "warn"
    FAIL = "fail"
    ERROR = "error"

    @property
    def level(self) -> int:
        """Gravity, the C enum value: 0 (pass) .. 5 (error)."""
        return _STATUS_LEVEL[self]

    @classmethod
    def parse(cls, value: Union["Status", str]) -> "Status":
        """A Status from a Status or a case-insensitive name."""
        if isinstance(value, Status):
            return value
        if isinstance(value, str):
            try:
                return cls(value.lower())
            except ValueError:
                pass
        raise ValueError("unknown status %r (want pass, info, skip, warn, fail or error)" % (value,))

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)

    def __hash__(self) -> int:
        return hash(self.value)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Status):
            return self is other
        if isinstance(other, str):
            return self.value == other
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def _cmp(self, other: object) -> int:
        o = Status.parse(other) if isinstance(other, (Status, str)) else None
        if o is None:
            raise TypeError("cannot order Status and %s" % type(other).__name__)
        return self.level - o.level

    def __lt__(self, other: object) -> bool:
        return self._cmp(other) < 0

    def __le__(self, other: object) -> bool:
        return self._cmp(other) <= 0

    def __gt__(self, other: object) -> bool:
        return self._cmp(other) > 0

    def __ge__(self, other: object) -> bool:
        return self._cmp(other) >= 0


_STATUS_LEVEL: Dict[Status, int] = {s: _c.status_from_name(s.value) for s in Status}
_STATUS_BY_LEVEL: Dict[int, Status] = {v: k for k, v in _STATUS_LEVEL.items()}


class ErrorCode(enum.IntEnum):
    """The C library's error codes (osmdiag_errcode)."""

    OK = _c.OK
    ERROR = _c.ERROR
    ENOMEM = _c.ENOMEM
    EINVAL = _c.EINVAL
    ENOTFOUND = _c.ENOTFOUND
    ECONFIG = _c.ECONFIG
    EAUTH = _c.EAUTH
    ETLS = _c.ETLS
    ENET = _c.ENET
    ETIMEOUT = _c.ETIMEOUT
    EHTTP = _c.EHTTP
    EPARSE = _c.EPARSE
    EEXEC = _c.EEXEC
    ENOTSUPPORTED = _c.ENOTSUPPORTED
    EFORBIDDEN = _c.EFORBIDDEN


class Error(Exception):
    """A run could not happen: unreadable snapshot, bad option, unreachable
    cluster, refused credentials... (failing checks are results, not errors).

    ``str(e)`` is the library's message (it names the file, object or
    request); ``e.code`` the error code (an ``ErrorCode``, an int),
    ``e.name`` its symbolic name ("OSMDIAG_EPARSE"), ``e.http_status`` the
    HTTP status where one was received, else 0.
    """

    code: Union[ErrorCode, int]
    name: str
    message: str
    http_status: int

    def __init__(self, code: int, message: str = "", http_status: int = 0) -> None:
        try:
            self.code = ErrorCode(code)
        except ValueError:
            self.code = code
        self.name = _c.err_name(code)
        self.message = message or _c.strerror(code)
        self.http_status = http_status
        super().__init__(self.message)

    def __repr__(self) -> str:
        return "osmdiag.Error(%s, %r)" % (self.name, self.message)

    def __reduce__(self) -> Any:
        return (Error, (int(self.code), self.message, self.http_status))


def _raise_from(err: Any, fallback_code: int = _c.ERROR) -> "Error":
    code = err.code or fallback_code
    return Error(code, err.message, err.http_status)


# --------------------------------------------------------------------------- #
# Result objects: plain, immutable Python data


@dataclass(frozen=True)
class Resource:
    """The Kubernetes object a result is about. ``namespace`` is None for
    cluster-scoped objects."""

    kind: str
    namespace: Optional[str]
    name: str

    def __str__(self) -> str:
        return "%s %s/%s" % (self.kind, self.namespace, self.name) if self.namespace \
            else "%s %s" % (self.kind, self.name)


@dataclass(frozen=True)
class Result:
    """One check result."""

    id: str
    category: str
    title: str
    status: Status
    message: str
    resource: Optional[Resource]
    hint: Optional[str]
    remediation: Optional[str]
    docs: str
    duration_ms: float

    def to_dict(self) -> Dict[str, Any]:
        """The result as in the JSON report (camelCase keys)."""
        return {
            "id": self.id,
            "category": self.category,
            "title": self.title,
            "status": self.status.value,
            "message": self.message,
            "resource": None if self.resource is None else {
                "kind": self.resource.kind,
                "namespace": self.resource.namespace,
                "name": self.resource.name,
            },
            "hint": self.hint,
            "remediation": self.remediation,
            "docs": self.docs,
            "durationMs": self.duration_ms,
        }


@dataclass(frozen=True)
class MeshInfo:
    """The mesh a report examined."""

    name: Optional[str]
    namespace: Optional[str]
    version: Optional[str]
    profile: Optional[str]


@dataclass(frozen=True)
class Mesh:
    """One OSM control plane found by mesh_list()."""

    name: str
    namespace: str
    version: str
    profile: str
    namespaces: List[str] = field(default_factory=list)


@dataclass(frozen=True)
class CheckInfo:
    """One catalogue entry (``osmdiag explain ID``)."""

    id: str
    category: str
    title: str
    expectation: str
    why: str
    fix: str
    guide: str
    severity: str
    docs: str


_SUMMARY_KEYS: Tuple[str, ...] = ("pass", "info", "skip", "warn", "fail", "error")


class Report:
    """The results of one run, copied out of the C report (which is kept, and
    freed with the Report, only to render the other output formats)."""

    __slots__ = ("results", "mesh", "source", "duration_ms", "fail_on", "_json", "_rep")

    results: List[Result]
    mesh: Optional[MeshInfo]
    source: str
    duration_ms: float
    fail_on: Status

    def __init__(self, results: List[Result], mesh: Optional[MeshInfo], source: str,
                 duration_ms: float, fail_on: Status, json_doc: str, rep: Any = None) -> None:
        self.results = results
        self.mesh = mesh
        self.source = source
        self.duration_ms = duration_ms
        self.fail_on = fail_on
        self._json = json_doc
        self._rep = rep

    @property
    def summary(self) -> Dict[str, int]:
        """Number of results per status: {"pass": n, "info": n, "skip": n,
        "warn": n, "fail": n, "error": n} (every key present, in that order)."""
        counts = dict.fromkeys(_SUMMARY_KEYS, 0)
        for r in self.results:
            counts[r.status.value] += 1
        return counts

    @property
    def worst(self) -> Status:
        """The gravest status in the report (PASS when empty)."""
        return max((r.status for r in self.results), key=lambda s: s.level, default=Status.PASS)

    def failed(self, fail_on: Union[Status, str, None] = "fail") -> bool:
        """True when a result is at or above ``fail_on`` ("warn" or "fail";
        None = the run's fail_on): what makes ``osmdiag check`` exit 1."""
        threshold = self.fail_on if fail_on is None else _fail_on(fail_on)
        # `error` means "could not evaluate": exit_code() 4, not a finding.
        return any(r.status is not Status.ERROR and r.status.level >= threshold.level
                   for r in self.results)

    def exit_code(self, fail_on: Union[Status, str, None] = None) -> int:
        """The exit status ``osmdiag check`` gives for this report: 1 when
        failed(fail_on), else 4 when a check ended ``error``, else 0."""
        if self.failed(fail_on):
            return 1
        return 4 if any(r.status is Status.ERROR for r in self.results) else 0

    def by_status(self, *statuses: Union[Status, str]) -> List[Result]:
        """Results with one of the statuses, in report order."""
        wanted = {Status.parse(s) for s in statuses}
        return [r for r in self.results if r.status in wanted]

    def to_json(self) -> str:
        """The JSON report: the same document as ``osmdiag check -o json``."""
        return self._json

    def _render(self, fmt: str, flags: int = 0) -> str:
        if self._rep is None:
            raise Error(_c.EINVAL, "this Report was not made by osmdiag.run(): only to_json() works")
        out: Optional[str] = self._rep.render(fmt, flags)
        if out is None:
            raise Error(_c.ENOMEM, "cannot render the %s report" % fmt)
        return out

    def to_text(self, *, color: bool = False, unicode: bool = False, verbose: bool = False) -> str:
        """The text report of ``osmdiag check`` (``-o text``): ANSI colours and
        unicode marks only when asked for; ``verbose`` also shows the messages
        of passed checks (``-v``)."""
        return self._render("text", (_c.TEXT_COLOR if color else 0) | (_c.TEXT_UNICODE if unicode else 0) |
                            (_c.TEXT_VERBOSE if verbose else 0))

    def to_junit(self) -> str:
        """JUnit XML (``-o junit``): one test case per result."""
        return self._render("junit")

    def to_sarif(self) -> str:
        """SARIF 2.1.0 (``-o sarif``)."""
        return self._render("sarif")

    def to_prometheus(self) -> str:
        """Prometheus text exposition (``-o prometheus``)."""
        return self._render("prometheus")

    def to_dict(self) -> Dict[str, Any]:
        """The JSON report, parsed."""
        import json
        doc: Dict[str, Any] = json.loads(self._json)
        return doc

    def __iter__(self) -> Iterator[Result]:
        return iter(self.results)

    def __len__(self) -> int:
        return len(self.results)

    def __repr__(self) -> str:
        s = self.summary
        return "<osmdiag.Report %d results: %s>" % (
            len(self.results), ", ".join("%s=%d" % (k, v) for k, v in s.items() if v))


def _fail_on(value: Union[Status, str]) -> Status:
    st = Status.parse(value)
    if st not in (Status.WARN, Status.FAIL):
        raise ValueError("fail_on must be \"warn\" or \"fail\", not %r" % (value,))
    return st


# --------------------------------------------------------------------------- #
# Sources and options


def _paths(snapshot: Union[PathLike, Sequence[PathLike]]) -> List[str]:
    if isinstance(snapshot, (str, os.PathLike)):
        items: Iterable[Any] = [snapshot]
    else:
        items = snapshot
    out = []
    for p in items:
        if not isinstance(p, (str, os.PathLike)):
            raise TypeError("snapshot paths must be str or os.PathLike, not %s" % type(p).__name__)
        s = os.fspath(p)
        if not isinstance(s, str):
            raise TypeError("snapshot paths must be text paths")
        if not s:
            raise ValueError("snapshot needs a file or directory path")
        out.append(s)
    if not out:
        raise ValueError("snapshot=[] names no file or directory")
    return out


class _Source:
    """A C source handle plus the description the CLI would print."""

    def __init__(self, handle: Any, description: Optional[str]) -> None:
        self.handle = handle
        self.description = description

    def close(self) -> None:
        if self.handle is not None:
            _c.source_free(self.handle)
            self.handle = None


def _open_source(snapshot: Union[PathLike, Sequence[PathLike], None],
                 kubeconfig: Optional[PathLike], context: Optional[str],
                 in_cluster: bool) -> _Source:
    live = kubeconfig is not None or context is not None or in_cluster
    if snapshot is not None and live:
        raise ValueError("give either snapshot=... or a live source (kubeconfig/context/in_cluster), not both")
    if in_cluster and (kubeconfig is not None or context is not None):
        raise ValueError("in_cluster=True does not take kubeconfig or context")
    err = _c.error()
    if snapshot is not None:
        paths = _paths(snapshot)
        h = _c.source_new_snapshot(err)
        if h is None:
            raise _raise_from(err)
        src = _Source(h, "snapshot " + ", ".join(paths))
        try:
            for p in paths:
                rc = _c.source_add_snapshot(h, p)
                if rc != _c.OK:
                    raise Error(_c.source_errcode(h) or rc, _c.source_errmsg(h))
        except BaseException:
            src.close()
            raise
        return src
    if in_cluster:
        h = _c.source_new_in_cluster(err)
    else:
        kc = os.fspath(kubeconfig) if kubeconfig is not None else None
        h = _c.source_new_kubeconfig(kc, context, err)
    if h is None:
        raise _raise_from(err)
    return _Source(h, None)


def _selection(value: Union[str, Sequence[str], None]) -> List[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    out = []
    for v in value:
        if not isinstance(v, str):
            raise TypeError("check IDs and categories must be str, not %s" % type(v).__name__)
        out.append(v)
    return out


def _make_options(mesh_namespace: Optional[str], mesh_name: Optional[str],
                  only: Union[str, Sequence[str], None], skip: Union[str, Sequence[str], None],
                  fail_on: Status, timeout: Optional[float], expiry_warning_days: Optional[int]) -> Any:
    timeout_ms = 0
    if timeout is not None:
        t = float(timeout)
        if not (t >= 0 and t <= 86400.0 * 7):
            raise ValueError("timeout must be a number of seconds between 0 and 604800, not %r" % (timeout,))
        timeout_ms = int(t * 1000.0 + 0.5)
        if t > 0 and timeout_ms == 0:
            timeout_ms = 1
    opts = _c.options_new()
    if opts is None:
        raise Error(_c.ENOMEM)
    try:
        steps: List[Tuple[Any, Any]] = []
        if mesh_namespace is not None:
            steps.append((_c.options_set_mesh_namespace, mesh_namespace))
        if mesh_name is not None:
            steps.append((_c.options_set_mesh_name, mesh_name))
        steps += [(_c.options_only, s) for s in _selection(only)]
        steps += [(_c.options_skip, s) for s in _selection(skip)]
        steps.append((_c.options_set_fail_on, _STATUS_LEVEL[fail_on]))
        steps.append((_c.options_set_timeout_ms, timeout_ms))
        if expiry_warning_days is not None:
            steps.append((_c.options_set_expiry_warning_days, int(expiry_warning_days)))
        for fn, arg in steps:
            rc = fn(opts, arg)
            if rc != _c.OK:
                raise Error(rc, _c.options_errmsg(opts))
    except BaseException:
        _c.options_free(opts)
        raise
    return opts


# --------------------------------------------------------------------------- #
# Copying C data into Python


def _copy_result(r: Any) -> Result:
    kind = _c.result_resource_kind(r)
    name = _c.result_resource_name(r)
    res = None
    if kind is not None or name is not None:
        res = Resource(kind or "", _c.result_resource_namespace(r) or None, name or "")
    return Result(
        id=_c.result_id(r) or "",
        category=_c.result_category(r) or "",
        title=_c.result_title(r) or "",
        status=_STATUS_BY_LEVEL[_c.result_status(r)],
        message=_c.result_message(r) or "",
        resource=res,
        hint=_c.result_hint(r),
        remediation=_c.result_remediation(r),
        docs=_c.result_docs(r) or "docs/checks.md",
        duration_ms=_c.result_duration_ms(r),
    )


def _copy_report(rep: Any, src: _Source, fail_on: Status) -> Report:
    if src.description is not None:
        rc = _c.report_set_source_description(rep, src.description)
        if rc != _c.OK:
            raise Error(rc)
    json_doc = rep.render_json()
    if json_doc is None:
        raise Error(_c.ENOMEM, "cannot render the JSON report")
    results = [_copy_result(_c.report_at(rep, i)) for i in range(_c.report_count(rep))]
    mesh = None
    if _c.report_mesh_name(rep) is not None or _c.report_mesh_namespace(rep) is not None:
        mesh = MeshInfo(_c.report_mesh_name(rep), _c.report_mesh_namespace(rep),
                        _c.report_mesh_version(rep), _c.report_mesh_profile(rep))
    desc = src.description if src.description is not None else _c.source_description(src.handle)
    return Report(results, mesh, desc, _c.report_duration_ms(rep), fail_on, json_doc, rep)


def _run(check_id: Optional[str], snapshot: Any, kubeconfig: Any, context: Optional[str],
         in_cluster: bool, mesh_namespace: Optional[str], mesh_name: Optional[str],
         only: Any, skip: Any, fail_on: Union[Status, str], timeout: Optional[float],
         expiry_warning_days: Optional[int]) -> Report:
    fo = _fail_on(fail_on)
    opts = _make_options(mesh_namespace, mesh_name, only, skip, fo, timeout, expiry_warning_days)
    try:
        src = _open_source(snapshot, kubeconfig, context, in_cluster)
        try:
            err = _c.error()
            if check_id is None:
                rep = _c.run(src.handle, opts, err)
            else:
                rep = _c.run_check(src.handle, check_id, opts, err)
            if rep is None:
                raise _raise_from(err)
            # the Report owns `rep` from here (freed when it is collected)
            return _copy_report(rep, src, fo)
        finally:
            src.close()
    finally:
        _c.options_free(opts)


def run(snapshot: Union[PathLike, Sequence[PathLike], None] = None, *,
        kubeconfig: Optional[PathLike] = None, context: Optional[str] = None,
        in_cluster: bool = False, mesh_namespace: Optional[str] = None,
        mesh_name: Optional[str] = None, only: Union[str, Sequence[str], None] = None,
        skip: Union[str, Sequence[str], None] = None, fail_on: Union[Status, str] = "fail",
        timeout: Optional[float] = None, expiry_warning_days: Optional[int] = None) -> Report:
    """Runs the checks, as ``osmdiag check`` does, and returns the Report.

    Source: ``snapshot`` (a path or a list of files/directories), or a live
    cluster: ``kubeconfig`` (None = $KUBECONFIG, else ~/.kube/config) and
    ``context`` (None = the current one), or ``in_cluster=True``. With no
    source at all, the default kubeconfig is used (as the CLI).

    ``only``/``skip``: check IDs ("OSMD201") or categories ("webhooks"), a
    string (comma-separated accepted) or a list. ``timeout``: seconds for
    reading cluster state (None = no limit). ``fail_on`` ("warn"/"fail") is
    recorded in the report and is the default of ``report.failed(None)``.

    Raises osmdiag.Error when the run cannot happen (unreadable snapshot,
    unknown check ID, unreachable cluster...).
    """
    return _run(None, snapshot, kubeconfig, context, in_cluster, mesh_namespace, mesh_name,
                only, skip, fail_on, timeout, expiry_warning_days)


def run_check(check_id: str, snapshot: Union[PathLike, Sequence[PathLike], None] = None, *,
              kubeconfig: Optional[PathLike] = None, context: Optional[str] = None,
              in_cluster: bool = False, mesh_namespace: Optional[str] = None,
              mesh_name: Optional[str] = None, fail_on: Union[Status, str] = "fail",
              timeout: Optional[float] = None, expiry_warning_days: Optional[int] = None) -> Report:
    """Runs one check by ID ("OSMD201"), plus what it depends on, silently."""
    if not isinstance(check_id, str):
        raise TypeError("check_id must be str, not %s" % type(check_id).__name__)
    return _run(check_id, snapshot, kubeconfig, context, in_cluster, mesh_namespace, mesh_name,
                None, None, fail_on, timeout, expiry_warning_days)


def _copy_check_info(c: Any) -> CheckInfo:
    return CheckInfo(
        id=_c.check_info_id(c), category=_c.check_info_category(c), title=_c.check_info_title(c),
        expectation=_c.check_info_expectation(c), why=_c.check_info_why(c), fix=_c.check_info_fix(c),
        guide=_c.check_info_guide(c), severity=_c.check_info_severity(c), docs=_c.check_info_docs(c))


def checks(check_id: Optional[str] = None) -> List[CheckInfo]:
    """The catalogue, in catalogue order (``osmdiag checks``); with an ID,
    the list holding that one entry (Error EINVAL for an unknown ID)."""
    if check_id is not None:
        c = _c.catalogue_find(check_id)
        if c is None:
            raise Error(_c.EINVAL, "unknown check ID \"%s\" (see osmdiag.checks())" % check_id)
        return [_copy_check_info(c)]
    return [_copy_check_info(_c.catalogue_at(i)) for i in range(_c.catalogue_count())]


def mesh_list(snapshot: Union[PathLike, Sequence[PathLike], None] = None, *,
              kubeconfig: Optional[PathLike] = None, context: Optional[str] = None,
              in_cluster: bool = False) -> List[Mesh]:
    """Every OSM control plane in the cluster (``osmdiag mesh list``)."""
    src = _open_source(snapshot, kubeconfig, context, in_cluster)
    try:
        err = _c.error()
        lst = _c.mesh_list_new(src.handle, err)
        if lst is None:
            raise _raise_from(err)
        try:
            out = []
            for i in range(_c.mesh_list_count(lst)):
                nss = _c.mesh_list_namespaces(lst, i) or ""
                out.append(Mesh(name=_c.mesh_list_name(lst, i) or "",
                                namespace=_c.mesh_list_namespace(lst, i) or "",
                                version=_c.mesh_list_version(lst, i) or "",
                                profile=_c.mesh_list_profile(lst, i) or "",
                                namespaces=[n for n in nss.split(",") if n]))
            return out
        finally:
            _c.mesh_list_free(lst)
    finally:
        src.close()
