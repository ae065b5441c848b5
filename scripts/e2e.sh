#!/usr/bin/env bash
# Starts the portal as `make start` does, waits until it answers, runs the
# Playwright tests in Debian's Chromium, then stops everything it started.
# Two phases, each on a freshly started portal:
#   default  the sandbox as `make start` runs it; every test not tagged @sail
#   sail     SANDBOX_LAYOUT=sail (Sail Operator's namespaces), signed in as the
#            platform admin (istio:mesh:check is an admin action); tests tagged @sail
# Results: test-results/e2e.json and test-results/e2e-sail.json.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
set +e
cd "$REPO_ROOT"

chromium_path="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium_path" ]; then
  echo "e2e: Chromium not found at $chromium_path (apt-get install chromium)" >&2
  exit 1
fi

mkdir -p test-results
rm -f test-results/e2e.json test-results/e2e-sail.json

portal=
descendants() { # pid: every process below it (start.sh puts its children in their own process groups)
  local child
  for child in $(pgrep -P "$1"); do
    echo "$child"
    descendants "$child"
  done
}
stop_portal() {
  [ -n "$portal" ] || return 0
  local pids alive pid
  pids="$portal $(descendants "$portal")"
  # TERM, not INT: a background job ignores SIGINT
  kill -TERM $pids 2>/dev/null
  for _ in $(seq 1 20); do
    alive=0
    for pid in $pids; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ $alive -eq 0 ] && break
    sleep 0.5
  done
  kill -KILL $pids 2>/dev/null
  wait "$portal" 2>/dev/null
  portal=
}
trap stop_portal EXIT

wait_for() { # url seconds
  local deadline=$((SECONDS + $2))
  while [ $SECONDS -lt $deadline ]; do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    kill -0 "$portal" 2>/dev/null || return 1
    sleep 1
  done
  return 1
}

# run_phase <name> <log> <results json> <playwright filter...> -- <start.sh args...>
run_phase() {
  local name=$1 log=$2 results=$3
  shift 3
  local filter=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do
    filter+=("$1")
    shift
  done
  shift
  local started=$SECONDS
  set -m
  bash scripts/start.sh "$@" >"$log" 2>&1 &
  portal=$!
  set +m
  echo "e2e [$name]: starting the portal (log: $log)"
  if ! wait_for http://localhost:7007/.backstage/health/v1/readiness 240 ||
    ! wait_for http://localhost:3000 240; then
    echo "e2e [$name]: the portal did not become ready; last lines of $log:" >&2
    tail -n 40 "$log" >&2
    return 1
  fi
  echo "e2e [$name]: portal ready after $((SECONDS - started))s"

  # The backend logs JSON-less colored lines in development; an error line at
  # startup means a plugin failed to initialize
  local errors
  errors=$(grep -a -cE '\berror\b' "$log")
  if [ "$errors" -ne 0 ]; then
    echo "e2e [$name]: the portal logged $errors error lines during startup:" >&2
    grep -a -E '\berror\b' "$log" | head -n 20 >&2
    return 1
  fi
  echo "e2e [$name]: 0 error lines in the startup log"

  E2E_RESULTS="$results" CHROMIUM_PATH="$chromium_path" yarn playwright test "${filter[@]}"
  local rc=$?
  stop_portal
  return $rc
}

# E2E_PHASES="sail" runs one phase (while working on its tests)
phases=${E2E_PHASES:-default sail}
rc=0
if [[ " $phases " == *" default "* ]]; then
  run_phase default test-results/portal.log test-results/e2e.json --grep-invert @sail -- || rc=1
fi
if [[ " $phases " == *" sail "* ]]; then
  SANDBOX_LAYOUT=sail
  export SANDBOX_LAYOUT
  run_phase sail test-results/portal-sail.log test-results/e2e-sail.json --grep @sail -- \
    --config "$REPO_ROOT/app-config.yaml" --config "$REPO_ROOT/app-config.platform-admin.yaml" || rc=1
  unset SANDBOX_LAYOUT
fi
exit $rc
