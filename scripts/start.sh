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
prometheus_flag=--prometheus
if ! command -v prometheus >/dev/null 2>&1; then
  prometheus_flag=
  echo "start: Prometheus is not installed, so the Service Mesh tab will show no metrics." \
    "Install it with: apt-get install -y --no-install-recommends prometheus"
fi
node packages/mesh-sandbox/bin/mesh-sandbox start $prometheus_flag &
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
