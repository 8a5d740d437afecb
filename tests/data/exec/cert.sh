#!/bin/sh
# Fake exec credential plugin: a v1 ExecCredential with a client certificate and key
# read from the PEM files $1 and $2 (PEM text in the JSON, not base64, as client-go wants).
[ -n "$COUNT_FILE" ] && echo run >> "$COUNT_FILE"
pem() { awk '{ printf "%s\\n", $0 }' "$1"; }
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"clientCertificateData":"%s","clientKeyData":"%s"}}\n' \
	"$(pem "$1")" "$(pem "$2")"
