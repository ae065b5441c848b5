#!/usr/bin/env bash
# `make start`: the mesh sandbox (a local ambient mesh, packages/mesh-sandbox),
# a real Prometheus scraping it when the binary is installed, and the portal
# (frontend :3000, backend :7007) on the development defaults of
# app-config.yaml. Ctrl-C stops every process this script started.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
cd "$REPO_ROOT"

children=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${children[@]}"; do
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Each child runs in its own process group so that cleanup reaches its children
set -m

rm -f .sandbox/endpoints.json
# Services published by templates (portal.localPublish) lived in the previous sandbox
rm -rf .sandbox/services
prometheus_flag=--prometheus
if ! command -v prometheus >/dev/null 2>&1; then
  prometheus_flag=
  echo "start: Prometheus is not installed, so the Service Mesh tab will show no metrics." \
    "Install it with: apt-get install -y --no-install-recommends prometheus"
fi
# Platform variants of the sandbox (see packages/mesh-sandbox/README.md):
#   SANDBOX_LAYOUT=sail               Sail Operator layout (ztunnel in ns ztunnel, istio-cni in istio-cni)
#   SANDBOX_ISTIO_VERSION=1.28.0      with Gateway API v1.5.0: istiod never ready (istio/istio#59443)
#   SANDBOX_GATEWAY_API_VERSION=v1.4.0
#   SANDBOX_ZTUNNEL_API_VERSION=v1alpha1  Sail before 1.28
sandbox_flags=()
[ -n "${SANDBOX_LAYOUT:-}" ] && sandbox_flags+=(--layout "$SANDBOX_LAYOUT")
[ -n "${SANDBOX_ISTIO_VERSION:-}" ] && sandbox_flags+=(--istio-version "$SANDBOX_ISTIO_VERSION")
[ -n "${SANDBOX_GATEWAY_API_VERSION:-}" ] && sandbox_flags+=(--gateway-api-version "$SANDBOX_GATEWAY_API_VERSION")
[ -n "${SANDBOX_ZTUNNEL_API_VERSION:-}" ] && sandbox_flags+=(--ztunnel-api-version "$SANDBOX_ZTUNNEL_API_VERSION")
node packages/mesh-sandbox/bin/mesh-sandbox start $prometheus_flag "${sandbox_flags[@]}" &
children+=($!)

# The backend reads the sandbox's kubeconfig when it starts
for _ in $(seq 1 60); do
  [ -f .sandbox/endpoints.json ] && break
  kill -0 "${children[0]}" 2>/dev/null || {
    echo "start: the mesh sandbox exited" >&2
    exit 1
  }
  sleep 0.5
done
[ -f .sandbox/endpoints.json ] || {
  echo "start: the mesh sandbox did not start within 30 s" >&2
  exit 1
}

yarn start "$@" &
children+=($!)
set +m

echo "start: frontend http://localhost:3000, backend http://localhost:7007 (Ctrl-C stops everything)"
wait "${children[@]}"
