"""Lifetimes (drop in any order, GC) and concurrent runs."""
import gc
import threading
import weakref

import osmdiag
from conftest import BROKEN, HEALTHY, SNAPSHOTS


def test_results_outlive_report():
    rep = osmdiag.run(snapshot=[BROKEN])
    results = rep.results
    first = results[0]
    expected = (first.id, first.message, first.hint)
    del rep
    gc.collect()
    # build and free other reports so freed C memory gets reused
    for _ in range(5):
        osmdiag.run(snapshot=[HEALTHY])
    gc.collect()
    assert (first.id, first.message, first.hint) == expected
    assert all(isinstance(r.message, str) for r in results)


def test_drop_results_before_report_and_cycles():
    rep = osmdiag.run(snapshot=[HEALTHY])
    r0 = rep.results[0]
    rep.results.clear()
    del r0
    gc.collect()
    assert rep.to_json().startswith("{") and rep.summary  # summary recomputed from (now empty) results
    # a reference cycle holding a report is collected without harm
    class Holder:
        pass
    holder = Holder()
    holder.rep = osmdiag.run(snapshot=[HEALTHY])
    holder.me = holder
    ref = weakref.ref(holder)
    del holder
    gc.collect()
    assert ref() is None


def test_low_level_handles_freed_by_gc():
    # Owned low-level handles dropped without an explicit free are released by their destructors;
    # explicit frees disown them (no double free).
    c = osmdiag._osmdiag
    for _ in range(50):
        err = c.error()
        src = c.source_new_snapshot(err)
        assert c.source_add_snapshot(src, str(HEALTHY)) == c.OK
        opts = c.options_new()
        rep = c.run(src, opts, err)
        r = c.report_at(rep, 0)
        del src, opts  # dropped before the report: the report owns its data
        assert c.result_id(r) == "OSMD101"
        del rep, r
    gc.collect()
    src = c.source_new_snapshot(None)
    c.source_free(src)
    del src
    gc.collect()


def test_error_object_is_plain_data():
    err = osmdiag._osmdiag.error()
    assert err.code == 0 and err.message == "" and err.http_status == 0
    try:
        err.code = 3
    except AttributeError:
        pass
    else:
        raise AssertionError("osmdiag_error fields must be read-only")


def test_eight_threads_at_once():
    n = 8
    expected = {name: osmdiag.run(snapshot=[path]).to_dict() for name, path in SNAPSHOTS.items()}
    names = sorted(SNAPSHOTS)
    barrier = threading.Barrier(n)
    outcomes = [None] * n

    def work(i):
        name = names[i % len(names)]
        try:
            barrier.wait(timeout=30)
            docs = []
            for _ in range(5):
                rep = osmdiag.run(snapshot=[SNAPSHOTS[name]])
                docs.append(rep.to_dict())
                osmdiag.mesh_list(snapshot=[SNAPSHOTS[name]])
            outcomes[i] = (name, docs)
        except BaseException as e:  # reported below
            outcomes[i] = e

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)

    def nodur(d):
        d = dict(d)
        d.pop("durationMs")
        d["results"] = [{k: v for k, v in r.items() if k != "durationMs"} for r in d["results"]]
        return d

    for o in outcomes:
        assert not isinstance(o, BaseException), repr(o)
        name, docs = o
        for d in docs:
            assert nodur(d) == nodur(expected[name])


def test_threads_release_the_gil():
    # While C works, other Python threads keep running: count ticks of a busy
    # Python thread during runs; with the GIL held for the whole run it would
    # barely tick.
    stop = threading.Event()
    ticks = [0]

    def spin():
        while not stop.is_set():
            ticks[0] += 1

    t = threading.Thread(target=spin)
    t.start()
    try:
        for _ in range(20):
            osmdiag.run(snapshot=[BROKEN])
    finally:
        stop.set()
        t.join()
    assert ticks[0] > 0


def test_errors_in_threads():
    errs = []

    def work():
        try:
            osmdiag.run(snapshot=["/nonexistent/osmdiag/snapshot.json"])
        except osmdiag.Error as e:
            errs.append(e)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(errs) == 8 and all(e.name == "OSMDIAG_ENOTFOUND" for e in errs)
