#!/bin/sh
# Fake exec credential plugin: prints a client.authentication.k8s.io/v1 ExecCredential
# with the token $1 (default "exec-token-v1").
# Env: COUNT_FILE  a line is appended per run (the tests count runs)
#      INFO_FILE   KUBERNETES_EXEC_INFO is copied there
#      EXPIRY_SECONDS  status.expirationTimestamp = now + N seconds
#      EXTRA       printed to stderr (exec.env reaches the plugin)
[ -n "$COUNT_FILE" ] && echo run >> "$COUNT_FILE"
[ -n "$INFO_FILE" ] && printf '%s' "$KUBERNETES_EXEC_INFO" > "$INFO_FILE"
[ -n "$EXTRA" ] && echo "extra=$EXTRA" >&2
exp=""
if [ -n "$EXPIRY_SECONDS" ]; then
	t=$(date -u -d "@$(( $(date +%s) + EXPIRY_SECONDS ))" +%Y-%m-%dT%H:%M:%SZ)
	exp=", \"expirationTimestamp\": \"$t\""
fi
printf '{"apiVersion": "client.authentication.k8s.io/v1", "kind": "ExecCredential", "status": {"token": "%s"%s}}\n' \
	"${1:-exec-token-v1}" "$exp"
