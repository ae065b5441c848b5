#!/usr/bin/env bash
# `make start`: the portal (frontend :3000, backend :7007) on the development
# defaults of app-config.yaml. Ctrl-C stops every process this script started.
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
yarn start "$@" &
children+=($!)
set +m

echo "start: frontend http://localhost:3000, backend http://localhost:7007 (Ctrl-C stops both)"
wait "${children[@]}"
