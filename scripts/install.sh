#!/usr/bin/env bash
# Installs the workspace's dependencies when package.json files or yarn.lock
# changed since the last install; a no-op otherwise.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
cd "$REPO_ROOT"

stamp=node_modules/.install-stamp
inputs=(yarn.lock package.json packages/*/package.json plugins/*/package.json)
digest="$(node -v; cat "${inputs[@]}" 2>/dev/null | sha256sum | cut -d' ' -f1)"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$digest" ]; then
  exit 0
fi

echo "install: yarn install (node $(node -v))"
if [ "${CI:-}" = "true" ]; then
  yarn install --immutable
else
  yarn install
fi
# The digest is taken again: a non-CI install may have updated yarn.lock
digest="$(node -v; cat "${inputs[@]}" 2>/dev/null | sha256sum | cut -d' ' -f1)"
echo "$digest" >"$stamp"
