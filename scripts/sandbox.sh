#!/usr/bin/env bash
# `make sandbox`: the mesh sandbox alone, in the foreground, with a real
# Prometheus when the binary is installed. Writes .sandbox/kubeconfig and
# .sandbox/endpoints.json.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
cd "$REPO_ROOT"
flags=("$@")
command -v prometheus >/dev/null 2>&1 && flags+=(--prometheus)
exec node packages/mesh-sandbox/bin/mesh-sandbox start "${flags[@]}"
