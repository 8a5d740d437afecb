#!/usr/bin/env bash
# `meson install` into a staging dir, then build examples/c/webhook_fixes.c as a
# user would (pkg-config osmdiag, installed headers and library only) and run it.
set -euo pipefail
build=$1 src=$2
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
meson install -C "$build" --destdir "$stage" --quiet >/dev/null
pcdir=$(dirname "$(find "$stage" -name osmdiag.pc | head -1)")
[ -n "$pcdir" ] || { echo "osmdiag.pc not installed"; exit 1; }
prefix=$(PKG_CONFIG_PATH=$pcdir pkg-config --variable=prefix osmdiag)
cflags=$(PKG_CONFIG_PATH=$pcdir pkg-config --cflags osmdiag | sed "s|$prefix|$stage$prefix|g")
libs=$(PKG_CONFIG_PATH=$pcdir pkg-config --libs osmdiag | sed "s|$prefix|$stage$prefix|g")
libdir=$(PKG_CONFIG_PATH=$pcdir pkg-config --variable=libdir osmdiag | sed "s|^|$stage|")
# SONAME present and the dev symlink installed.
soname=$(objdump -p "$libdir/libosmdiag.so" | awk '/SONAME/ {print $2}')
[ "$soname" = "libosmdiag.so.0" ] || { echo "unexpected SONAME '$soname'"; exit 1; }
[ -f "$stage$prefix/include/osmdiag/version.h" ] || { echo "version.h not installed"; exit 1; }
cc -std=c99 -Wall -Wextra -Werror $cflags "$src/examples/c/webhook_fixes.c" $libs -o "$stage/webhook-fixes"
set +e
out=$(LD_LIBRARY_PATH=$libdir "$stage/webhook-fixes" "$src/examples/snapshots/aks-osm-v1.2-broken")
rc=$?
set -e
echo "$out"
[ $rc -eq 1 ] || { echo "expected exit 1 on the broken example, got $rc"; exit 1; }
grep -q "OSMD202 *fail" <<<"$out" || { echo "OSMD202 should fail on the broken example"; exit 1; }
grep -q "fix: " <<<"$out" || { echo "no fix printed"; exit 1; }
LD_LIBRARY_PATH=$libdir "$stage/webhook-fixes" "$src/examples/snapshots/aks-osm-v1.2-healthy" >/dev/null \
	|| { echo "healthy example should give exit 0"; exit 1; }
echo "ok: installed library, headers and pkg-config file build and run the example"
