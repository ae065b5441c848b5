#!/usr/bin/env bash
# Starts the portal as `make start` does, waits until it answers, runs the
# Playwright tests in Debian's Chromium, then stops everything it started.
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
rm -f test-results/e2e.json
log=test-results/portal.log

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

wait_for() { # url seconds
  local deadline=$((SECONDS + $2))
  while [ $SECONDS -lt $deadline ]; do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    kill -0 "$portal" 2>/dev/null || return 1
    sleep 1
  done
  return 1
}

echo "e2e: starting the portal (log: $log)"
if ! wait_for http://localhost:7007/.backstage/health/v1/readiness 240 ||
  ! wait_for http://localhost:3000 240; then
  echo "e2e: the portal did not become ready; last lines of $log:" >&2
  tail -n 40 "$log" >&2
  exit 1
fi
echo "e2e: portal ready after ${SECONDS}s"

# The backend logs JSON-less colored lines in development; an error line at
# startup means a plugin failed to initialize
errors=$(grep -a -cE '\berror\b' "$log")
if [ "$errors" -ne 0 ]; then
  echo "e2e: the portal logged $errors error lines during startup:" >&2
  grep -a -E '\berror\b' "$log" | head -n 20 >&2
  exit 1
fi
echo "e2e: 0 error lines in the startup log"

CHROMIUM_PATH="$chromium_path" yarn playwright test
