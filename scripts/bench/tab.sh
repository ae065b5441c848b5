#!/usr/bin/env bash
# Optional row of `make bench` (BENCH_BROWSER=1): starts the portal as
# `make start` does (ports 3000/7007: it stops if another portal holds them), adds 50 ms to
# every Kubernetes request, and times the Service Mesh tab in Chromium.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../toolchain.sh"
cd "$REPO_ROOT"
for port in 3000 7007; do
  if curl -s -o /dev/null "http://localhost:$port" 2>/dev/null; then
    echo "bench: port $port is in use (another portal or e2e run?); stop it, or skip this row with BENCH_BROWSER=0" >&2
    exit 1
  fi
done
log="$(mktemp /tmp/istio-bench-portal.XXXXXX.log)"
set -m
bash scripts/start.sh >"$log" 2>&1 &
portal=$!
set +m
stop_portal() {
  kill -INT -- "-$portal" 2>/dev/null
  for _ in $(seq 1 20); do
    kill -0 "$portal" 2>/dev/null || return 0
    sleep 0.5
  done
  kill -KILL -- "-$portal" 2>/dev/null
}
trap stop_portal EXIT
for _ in $(seq 1 300); do
  curl -fsS -o /dev/null http://localhost:3000 2>/dev/null &&
    curl -fsS -o /dev/null http://localhost:7007/.backstage/health/v1/readiness 2>/dev/null && break
  kill -0 "$portal" 2>/dev/null || { tail -20 "$log"; exit 1; }
  sleep 1
done
curl -fsS -X POST -H 'Content-Type: application/json' \
  -d '{"server":"kubernetes","path":"*","delayMs":50}' \
  "http://127.0.0.1:9465/faults" >/dev/null
sleep 20
node scripts/bench/tab.mjs
