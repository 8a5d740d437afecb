#!/usr/bin/env python3
"""Counts test cases across meson test logs and prints `N passed, N failed`.

A TAP test (the Check suites, the e2e scripts) counts each `ok`/`not ok` line;
any other test counts once by its result. A TAP test that crashed after some
`ok` lines still counts one failure, so a crash is never hidden.
Usage: summarize.py LABEL=build/meson-logs/testlog.json ...
"""
import json
import re
import sys

TAP = re.compile(r"^(not ok|ok)\b(.*)$")


def count(path):
    passed = failed = skipped = 0
    bad = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            t = json.loads(line)
            result = t.get("result")
            out = t.get("stdout") or ""
            p = fl = s = 0
            for l in out.splitlines():
                m = TAP.match(l)
                if not m:
                    continue
                if "# SKIP" in m.group(2):
                    s += 1
                elif m.group(1) == "ok":
                    p += 1
                else:
                    fl += 1
            if p + fl + s == 0:
                if result in ("OK", "EXPECTEDFAIL"):
                    p = 1
                elif result == "SKIP":
                    s = 1
                else:
                    fl = 1
            elif result not in ("OK", "EXPECTEDFAIL", "SKIP") and fl == 0:
                fl = 1  # crashed or timed out after its last `ok`
            if fl:
                bad.append(t.get("name"))
            passed, failed, skipped = passed + p, failed + fl, skipped + s
    return passed, failed, skipped, bad


def main():
    tp = tf = ts = 0
    for arg in sys.argv[1:]:
        label, _, path = arg.partition("=")
        p, f, s, bad = count(path)
        print(f"{label}: {p} passed, {f} failed, {s} skipped" + (f"  (failing: {', '.join(bad)})" if bad else ""))
        tp, tf, ts = tp + p, tf + f, ts + s
    line = f"{tp} passed, {tf} failed"
    if ts:
        line += f", {ts} skipped"
    print(line)
    return 1 if tf or tp == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
