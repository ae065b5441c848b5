#!/usr/bin/env bash
# `make bench`: the mesh sandbox with 50 ms added to every Kubernetes request, a
# real Prometheus scraping it, and the backend (our plugins and the Kubernetes
# plugin, both on the sandbox cluster) on ports of their own; then the load in
# scripts/bench/bench.mjs. Everything binds to 127.0.0.1 and stops at the end.
#
# BENCH_LOAD_SECONDS  length of the RSS load (default 60; the goal is stated for 300)
# BENCH_SECONDS       length of each throughput run (default 10)
# BENCH_PORT_BASE     first of the ports used (default 17100)
# BENCH_NODE_OPTIONS  NODE_OPTIONS of the backend, e.g. --cpu-prof --cpu-prof-dir=/tmp/prof
# BENCH_BROWSER=0     skip timing the Service Mesh tab in Chromium (scripts/bench/tab.sh)
# BENCH_BUNDLE=0      skip the tab's JavaScript size (scripts/bench/bundle-size.js, a production build)
# BENCH_FLEET_SIZE    components seeded for the fleet page row (default 500)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../toolchain.sh"
cd "$REPO_ROOT"

BASE="${BENCH_PORT_BASE:-17100}"
KUBE_PORT=$((BASE + 1))
METRICS_PORT=$((BASE + 2))
TEMPO_PORT=$((BASE + 3))
ADMIN_PORT=$((BASE + 4))
PROM_PORT=$((BASE + 9))
BACKEND_PORT=$((BASE + 7))
DIR="$(mktemp -d /tmp/istio-bench.XXXXXX)"

children=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${children[@]}"; do
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
set -m

command -v prometheus >/dev/null 2>&1 || bash scripts/system-deps.sh prometheus

node packages/mesh-sandbox/bin/mesh-sandbox start --dir "$DIR" \
  --port "$KUBE_PORT" --metrics-port "$METRICS_PORT" --tempo-port "$TEMPO_PORT" \
  --admin-port "$ADMIN_PORT" --prometheus --prometheus-port "$PROM_PORT" \
  --waypoint-delay-ms 100 >"$DIR/sandbox.log" 2>&1 &
children+=($!)
for _ in $(seq 1 120); do
  [ -f "$DIR/endpoints.json" ] && break
  sleep 0.5
done
[ -f "$DIR/endpoints.json" ] || { cat "$DIR/sandbox.log"; echo "bench: the sandbox did not start" >&2; exit 1; }

CA_DATA="$(base64 -w0 <"$DIR/ca.crt")"

# The fleet: BENCH_FLEET_SIZE Deployments in the sandbox, one catalog Component each
BENCH_KUBE="https://127.0.0.1:${KUBE_PORT}" BENCH_CA="$DIR/ca.crt" \
  BENCH_FLEET_CATALOG="$DIR/fleet-catalog.yaml" node scripts/bench/seedFleet.mjs
cat >"$DIR/app-config.bench.yaml" <<YAML
backend:
  baseUrl: http://127.0.0.1:${BACKEND_PORT}
  listen:
    host: 127.0.0.1
    port: ${BACKEND_PORT}
kubernetes:
  serviceLocatorMethod:
    type: multiTenant
  clusterLocatorMethods:
    - type: config
      clusters:
        - name: sandbox
          url: https://127.0.0.1:${KUBE_PORT}
          authProvider: serviceAccount
          serviceAccountToken: mesh-sandbox-readonly-token
          caData: ${CA_DATA}
catalog:
  locations:
    - type: file
      target: ../../examples/org.yaml
    - type: file
      target: ../../examples/system.yaml
    - type: file
      target: ../../examples/components.yaml
    - type: file
      target: ../../examples/apis.yaml
    - type: file
      target: ${DIR}/fleet-catalog.yaml
istio:
  clusterCache:
    # The fleet's namespaces are claimed once the catalog has ingested them
    namespaceRefreshSeconds: 20
  localKubeconfig: null
  prometheus:
    - name: local
      baseUrl: http://127.0.0.1:${PROM_PORT}
  tempo:
    - name: sandbox
      baseUrl: http://127.0.0.1:${TEMPO_PORT}
YAML

# Every Kubernetes request answers 50 ms later
curl -fsS -X POST -H 'Content-Type: application/json' \
  -d '{"server":"kubernetes","path":"*","delayMs":50}' \
  "http://127.0.0.1:${ADMIN_PORT}/faults" >/dev/null

(cd packages/backend && NODE_ENV=development NODE_OPTIONS="${BENCH_NODE_OPTIONS:-}" yarn backstage-cli package start \
  --config ../../app-config.yaml --config "$DIR/app-config.bench.yaml") \
  >"$DIR/backend.log" 2>&1 &
children+=($!)
for _ in $(seq 1 240); do
  curl -fsS "http://127.0.0.1:${BACKEND_PORT}/api/istio/health" >/dev/null 2>&1 && break
  sleep 1
done
curl -fsS "http://127.0.0.1:${BACKEND_PORT}/api/istio/health" >/dev/null || {
  tail -50 "$DIR/backend.log"; echo "bench: the backend did not start" >&2; exit 1; }
BACKEND_PID="$(ss -ltnpH "sport = :${BACKEND_PORT}" | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -1)"
set +m

BENCH_BACKEND="http://127.0.0.1:${BACKEND_PORT}" \
  BENCH_KUBE="https://127.0.0.1:${KUBE_PORT}" \
  BENCH_CA="$DIR/ca.crt" \
  BENCH_BACKEND_PID="$BACKEND_PID" \
  BENCH_FLEET_SIZE="${BENCH_FLEET_SIZE:-500}" \
  node scripts/bench/bench.mjs

cleanup
if [ "${BENCH_BROWSER:-1}" = 1 ]; then
  bash scripts/bench/tab.sh
fi
# The tab's own JavaScript (our chunks, gzip) in a production build of the app,
# against its 200 kB budget
if [ "${BENCH_BUNDLE:-1}" = 1 ]; then
  node scripts/bench/bundle-size.js --build
fi
