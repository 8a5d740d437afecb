#!/bin/sh
# Fake exec credential plugin for the 401 retry: the first run (no lines in $2 yet)
# returns the stale token "stale-token" with a far expiry, later runs return $1.
n=0
[ -f "$2" ] && n=$(wc -l < "$2")
echo run >> "$2"
tok="$1"
[ "$n" -eq 0 ] && tok="stale-token"
t=$(date -u -d "@$(( $(date +%s) + 3600 ))" +%Y-%m-%dT%H:%M:%SZ)
printf '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"%s"}}\n' "$tok" "$t"
