#!/usr/bin/env bash
# The shared library exports exactly the symbols of the version script, and
# every one is prefixed osmdiag_ (jansson's check-exports, libnvme's map).
set -euo pipefail
lib=$1 map=$2
actual=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBRV]$/ {print $3}' | sed 's/@.*//' | sort -u)
expected=$(sed -n 's/^[[:space:]]*\(osmdiag_[A-Za-z0-9_]*\);$/\1/p' "$map" | sort -u)
status=0
bad=$(grep -v '^osmdiag_' <<<"$actual" || true)
if [ -n "$bad" ]; then
	echo "exported symbols without the osmdiag_ prefix:"; echo "$bad"; status=1
fi
if [ "$actual" != "$expected" ]; then
	echo "exports differ from $map (< built, > map):"
	diff <(echo "$actual") <(echo "$expected") || true
	status=1
fi
n=$(wc -l <<<"$actual")
[ $status -eq 0 ] && echo "ok: $n symbols exported, all osmdiag_*, all in the version script"
exit $status
