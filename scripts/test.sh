#!/usr/bin/env bash
# `make test`: every layer CI runs, in order, each reported with its counts.
#   lockfile  every @backstage/* package at one version, better-sqlite3 >= 13
#   types     tsc over the whole repo
#   deprecated  no use of an API its declaration marks @deprecated
#   api-reports the published packages' report.api.md match their exports
#   lint      eslint in every package
#   format    prettier --check
#   unit      jest in every package (unit and integration tests, once)
#   e2e       the portal started as `make start` does, checked in Chromium
#   production  two backend replicas on PostgreSQL and Redis (scripts/production.sh)
#   adopter   the packed plugins in a fresh create-app app, checked in Chromium
#             (scripts/adopter.sh)
# Usage: scripts/test.sh [layer ...]   (default: all layers)
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
set +e
cd "$REPO_ROOT"

results_dir="$REPO_ROOT/test-results"
mkdir -p "$results_dir"
layers=("$@")
[ ${#layers[@]} -eq 0 ] && layers=(lockfile types deprecated api-reports lint format unit e2e production adopter)

summary=()
total_passed=0
total_failed=0
failed_layers=0

record() { # layer status detail passed failed
  local layer=$1 status=$2 detail=$3 passed=${4:-0} failed=${5:-0}
  summary+=("$(printf '%-11s %-5s %s' "$layer" "$status" "$detail")")
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  [ "$status" = ok ] || failed_layers=$((failed_layers + 1))
}

banner() { printf '\n=== %s ===\n' "$1"; }

layer_lockfile() {
  banner "lockfile"
  if node scripts/check-lockfile.js; then
    record lockfile ok "1 check passed"
  else
    record lockfile FAIL "see above"
  fi
}

layer_types() {
  banner "types (tsc)"
  local log="$results_dir/tsc.log"
  yarn tsc --pretty false >"$log" 2>&1
  local rc=$? errors
  errors=$(grep -c 'error TS' "$log")
  cat "$log"
  if [ $rc -eq 0 ]; then
    record types ok "0 type errors"
  else
    record types FAIL "$errors type errors"
  fi
}

layer_deprecated() {
  banner "deprecated APIs"
  local log="$results_dir/deprecated.log"
  node scripts/check-deprecated.js >"$log" 2>&1
  local rc=$?
  cat "$log"
  if [ $rc -eq 0 ]; then
    record deprecated ok "$(tail -n 1 "$log" | sed 's/^deprecated: //')"
  else
    record deprecated FAIL "$(tail -n 1 "$log" | sed 's/^deprecated: //')"
  fi
}

layer_api_reports() {
  banner "API reports (repo-tools api-reports --ci)"
  local log="$results_dir/api-reports.log"
  local packages=(plugins/*/)
  # Declarations of every package, fresh, for API Extractor
  rm -rf dist-types
  { yarn tsc --pretty false --incremental false &&
    yarn backstage-repo-tools api-reports --ci \
      -o ae-wrong-input-file-type,ae-undocumented --validate-release-tags \
      "${packages[@]%/}"; } >"$log" 2>&1
  local rc=$?
  cat "$log"
  if [ $rc -eq 0 ]; then
    record api-reports ok "${#packages[@]} packages match their report.api.md"
  else
    record api-reports FAIL "run 'yarn build:api-reports plugins/*' and commit the reports"
  fi
}

layer_lint() {
  banner "lint (eslint)"
  local log="$results_dir/lint.log"
  yarn backstage-cli repo lint --max-warnings 0 >"$log" 2>&1
  local rc=$?
  cat "$log"
  local problems
  problems=$(grep -c "^Lint failed in" "$log")
  if [ $rc -eq 0 ]; then
    record lint ok "0 problems in $(ls -d packages/*/ plugins/*/ | wc -l) packages"
  else
    record lint FAIL "failed in $problems packages"
  fi
}

layer_format() {
  banner "format (prettier)"
  local log="$results_dir/prettier.log"
  yarn prettier --check . >"$log" 2>&1
  local rc=$?
  cat "$log"
  if [ $rc -eq 0 ]; then
    record format ok "all files formatted"
  else
    record format FAIL "$(grep -cE '^\[(warn\] [^C]|error\] [^ >])' "$log") files need 'yarn prettier --write' or cannot be parsed"
  fi
}

layer_unit() {
  banner "unit and integration (jest)"
  local json="$results_dir/jest.json"
  rm -f "$json"
  # CI=true: run every test once (the CLI watches otherwise)
  CI=true yarn backstage-cli repo test --ci --json --outputFile="$json"
  local rc=$?
  if [ ! -f "$json" ]; then
    record unit FAIL "jest wrote no results (exit $rc)"
    return
  fi
  local counts
  counts=$(node -e '
    const r = require(process.argv[1]);
    console.log(r.numPassedTests, r.numFailedTests, r.numPendingTests + r.numTodoTests, r.numTotalTestSuites);
  ' "$json")
  read -r passed failed skipped suites <<<"$counts"
  local status=ok
  if [ $rc -ne 0 ] || [ "$failed" -ne 0 ] || [ "$skipped" -ne 0 ] || [ "$passed" -eq 0 ]; then
    status=FAIL
  fi
  record unit "$status" "$passed passed, $failed failed, $skipped skipped in $suites suites" "$passed" "$((failed + skipped))"
}

layer_e2e() {
  banner "end to end (Playwright, Chromium)"
  bash scripts/e2e.sh
  local rc=$?
  # One results file per phase (scripts/e2e.sh): the default sandbox, the Sail
  # layout; E2E_PHASES picks some of them
  local json files=()
  for phase in ${E2E_PHASES:-default sail}; do
    case "$phase" in
      default) json="$results_dir/e2e.json" ;;
      *) json="$results_dir/e2e-$phase.json" ;;
    esac
    if [ ! -f "$json" ]; then
      record e2e FAIL "no results in $(basename "$json") (exit $rc)"
      return
    fi
    files+=("$json")
  done
  local counts
  counts=$(node -e '
    const stats = process.argv.slice(1).map(f => require(f).stats);
    const sum = key => stats.reduce((n, s) => n + s[key], 0);
    console.log(sum("expected") + sum("flaky"), sum("unexpected"), sum("skipped"));
  ' "${files[@]}")
  read -r passed failed skipped <<<"$counts"
  local status=ok
  if [ $rc -ne 0 ] || [ "$failed" -ne 0 ] || [ "$skipped" -ne 0 ] || [ "$passed" -eq 0 ]; then
    status=FAIL
  fi
  record e2e "$status" "$passed passed, $failed failed, $skipped skipped (screenshots in test-results/)" "$passed" "$((failed + skipped))"
}

layer_production() {
  banner "production (two replicas, PostgreSQL, Redis)"
  local log="$results_dir/production.log"
  bash scripts/production.sh test 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  local passed failed
  passed=$(grep -aE '^ℹ pass [0-9]+' "$log" | awk '{print $3}')
  failed=$(grep -aE '^ℹ fail [0-9]+' "$log" | awk '{print $3}')
  passed=${passed:-0}
  failed=${failed:-0}
  local status=ok
  if [ $rc -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
    status=FAIL
  fi
  record production "$status" "$passed passed, $failed failed (log: test-results/production.log)" "$passed" "$failed"
}

layer_adopter() {
  banner "adopter (packed plugins in a fresh create-app app, Chromium)"
  local json="$results_dir/adopter/e2e.json" begin=$SECONDS
  bash scripts/adopter.sh
  local rc=$? took=$((SECONDS - begin))
  if [ ! -f "$json" ]; then
    record adopter FAIL "no results (exit $rc) after ${took}s, see test-results/adopter/"
    return
  fi
  local counts
  counts=$(node -e '
    const s = require(process.argv[1]).stats;
    console.log(s.expected + s.flaky, s.unexpected, s.skipped);
  ' "$json")
  read -r passed failed skipped <<<"$counts"
  local status=ok
  if [ $rc -ne 0 ] || [ "$failed" -ne 0 ] || [ "$skipped" -ne 0 ] || [ "$passed" -eq 0 ]; then
    status=FAIL
  fi
  record adopter "$status" "$passed passed, $failed failed, $skipped skipped in ${took}s (screenshots in test-results/adopter/)" "$passed" "$((failed + skipped))"
}

for layer in "${layers[@]}"; do
  case "$layer" in
    lockfile | types | deprecated | lint | format | unit | e2e | production | adopter) "layer_$layer" ;;
    api-reports) layer_api_reports ;;
    *)
      echo "unknown layer '$layer' (lockfile, types, deprecated, api-reports, lint, format, unit, e2e, production, adopter)" >&2
      exit 2
      ;;
  esac
done

printf '\n=== summary ===\n'
printf '%s\n' "${summary[@]}"
echo "tests: $total_passed passed, $total_failed failed"
[ "$failed_layers" -eq 0 ]
