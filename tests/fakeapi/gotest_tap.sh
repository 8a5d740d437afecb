#!/usr/bin/env bash
# Runs the fake API server's Go unit tests (go test -v) and prints TAP: one line per top-level test.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
go=""
for g in "$(command -v go 2>/dev/null || true)" /usr/local/go/bin/go /usr/lib/go/bin/go; do
    if [ -n "$g" ] && [ -x "$g" ]; then go="$g"; break; fi
done
if [ -z "$go" ]; then echo "1..0 # SKIP no Go toolchain"; exit 0; fi
export GOTOOLCHAIN=local GOFLAGS=-mod=mod GOPROXY=off GOWORK=off CGO_ENABLED=0
export GOCACHE="${GOCACHE:-${TMPDIR:-/tmp}/osmdiag-gocache-$(id -u)}"
out="$(cd "$here" && "$go" test -v -count=1 ./... 2>&1)"
rc=$?
n=0; body=""
while IFS= read -r line; do
    case "$line" in
        "--- PASS: "*) n=$((n+1)); t="${line#--- PASS: }"; body+="ok $n - ${t%% *}"$'\n' ;;
        "--- SKIP: "*) n=$((n+1)); t="${line#--- SKIP: }"; body+="ok $n - ${t%% *} # SKIP"$'\n' ;;
        "--- FAIL: "*) n=$((n+1)); t="${line#--- FAIL: }"; body+="not ok $n - ${t%% *}"$'\n' ;;
    esac
done <<< "$out"
if [ $rc -ne 0 ] && ! grep -q '^--- FAIL' <<< "$out"; then
    n=$((n+1)); body+="not ok $n - go test (build or setup failure)"$'\n'
fi
echo "1..$n"
printf '%s' "$body"
if [ $rc -ne 0 ]; then sed 's/^/# /' <<< "$out"; fi
exit $rc
