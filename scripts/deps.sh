#!/usr/bin/env bash
# Installs the Debian packages the build and the tests need (pinned by the
# Debian 12 release; versions seen: meson 1.0.1, check 0.15.2, jansson 2.14,
# libyaml 0.2.5, libcurl 7.88.1, OpenSSL 3.0, swig 4.1.0, valgrind 3.19).
# Safe to run again: it installs only what is missing.
set -euo pipefail

packages=(meson ninja-build pkgconf gcc g++ libcurl4-openssl-dev libjansson-dev libyaml-dev
	libssl-dev check valgrind python3-jsonschema libubsan1 libasan8 jq
	swig python3-dev python3-venv python3-pip python3-pytest python3-yaml)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
	echo "deps: installing ${missing[*]}" >&2
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO="sudo"
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Go (the Go binding and the fake API server): the machines ship a recent Go;
# Debian's golang-go is older than bindings/go/go.mod asks for, so say so.
if ! command -v go >/dev/null 2>&1 && [ ! -x /usr/local/go/bin/go ]; then
	echo "deps: no Go toolchain found (Go >= 1.21 needed for bindings/go and tests/fakeapi)" >&2
fi
