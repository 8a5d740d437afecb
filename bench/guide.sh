#!/usr/bin/env bash
# The AKS OSM troubleshooting guide (shared/spec/GUIDE-aks-osm-troubleshooting.md) as an operator
# would type it: one kubectl call per step, jq for the JSON, plus the per-pod sidecar check the
# guide implies (for each monitored namespace: list its pods, flag those without an envoy container).
#
#   bench/guide.sh fixed                     the control-plane steps (components, webhooks, MeshConfig, CRDs)
#   bench/guide.sh namespaces [LIMIT]        the per-namespace steps, for the first LIMIT monitored namespaces
#   bench/guide.sh all                       both
#
# Environment: KUBECONFIG (required), KUBECTL_CACHE_DIR (kubectl --cache-dir; default a new temp dir),
# MESH_NS (kube-system), MESH_NAME (osm). Output goes to stdout, as an operator would read it.
set -euo pipefail

: "${KUBECONFIG:?set KUBECONFIG}"
MESH_NS=${MESH_NS:-kube-system}
MESH_NAME=${MESH_NAME:-osm}
CACHE=${KUBECTL_CACHE_DIR:-$(mktemp -d)}
k() { kubectl --kubeconfig "$KUBECONFIG" --cache-dir "$CACHE" "$@"; }

fixed() {
	# Check OSM Controller / Injector / Bootstrap deployment, pod, and service
	k get deployment,pod,service -n "$MESH_NS" --selector app=osm-controller
	k get deployment,pod,service -n "$MESH_NS" --selector app=osm-injector
	k get deployment,pod,service -n "$MESH_NS" --selector app=osm-bootstrap
	# Check validating and mutating webhooks
	k get ValidatingWebhookConfiguration --selector app=osm-controller
	k get MutatingWebhookConfiguration --selector app=osm-injector
	# Service and CA bundle of the webhooks
	k get ValidatingWebhookConfiguration "aks-osm-validator-mesh-$MESH_NAME" -o json |
		jq '.webhooks[0].clientConfig.service'
	k get MutatingWebhookConfiguration "aks-osm-webhook-$MESH_NAME" -o json |
		jq '.webhooks[0].clientConfig.service'
	# The osm-mesh-config resource: exists, then its contents
	k get meshconfig osm-mesh-config -n "$MESH_NS"
	k get meshconfig osm-mesh-config -n "$MESH_NS" -o yaml
	# Verify OSM CRDs
	k get crds
}

namespaces() {
	local limit=${1:-0} n=0 ns
	# Which namespaces the mesh monitors (`osm namespace list` does the same list)
	for ns in $(k get namespaces -l "openservicemesh.io/monitored-by=$MESH_NAME" -o json |
		jq -r '.items[].metadata.name'); do
		if [ "$limit" -gt 0 ] && [ "$n" -ge "$limit" ]; then
			break
		fi
		n=$((n + 1))
		# Check namespaces: annotations, then labels
		k get namespace "$ns" -o json | jq '.metadata.annotations'
		k get namespace "$ns" -o json | jq '.metadata.labels'
		# Pods without the Envoy sidecar (need a rollout restart)
		k get pods -n "$ns" -o json |
			jq -r '.items[] | select([.spec.containers[].name] | index("envoy") | not) | .metadata.name'
	done
	echo "guide: namespaces checked: $n" >&2
}

case "${1:-all}" in
fixed) fixed ;;
namespaces) namespaces "${2:-0}" ;;
all)
	fixed
	namespaces 0
	;;
*)
	echo "usage: $0 fixed | namespaces [LIMIT] | all" >&2
	exit 2
	;;
esac
