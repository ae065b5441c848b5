#!/usr/bin/env bash
# The adopter path, end to end: the plugins as a platform team gets them.
#   1. build (dist) and `yarn pack` every publishable package of plugins/*
#   2. generate a fresh app with @backstage/create-app (--skip-install), align its
#      @backstage/* dependencies with this repo's release (scripts/adopter/align-app.js)
#   3. add the packed plugins as their READMEs say (scripts/adopter/add-plugins.js),
#      `yarn install` with the tarballs, production build of the frontend
#   4. start the mesh sandbox and the app's backend (serving the frontend) on their own
#      ports, and check in Chromium: the Service Mesh tab of an entity with only
#      backstage.io/kubernetes-id shows sandbox data; the onboarding template completes
# The app lives outside the repo ($ADOPTER_DIR, default $TMPDIR/istio-adopter); logs,
# results (e2e.json) and screenshots go to test-results/adopter/.
# Usage: scripts/adopter.sh [prepare|run|all]   (default all; `run` reuses a prepared app)
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
set +e
cd "$REPO_ROOT"

CREATE_APP_VERSION="${CREATE_APP_VERSION:-0.9.2}"
work="${ADOPTER_DIR:-${TMPDIR:-/tmp}/istio-adopter}"
out="$REPO_ROOT/test-results/adopter"
port="${ADOPTER_PORT:-27107}"
# The sandbox on ports of its own, next to a running `make start`
k8s_port="${ADOPTER_K8S_PORT:-26443}"
metrics_port=29464
tempo_port=23200
admin_port=29465
prometheus_port=29090
chromium_path="${CHROMIUM_PATH:-/usr/bin/chromium}"

phase="${1:-all}"
app="$work/app"
started=$SECONDS

fail() {
  echo "adopter: $*" >&2
  exit 1
}
step() { echo "adopter: [$((SECONDS - started))s] $*"; }

prepare() {
rm -rf "$out" "$work"
mkdir -p "$out/screenshots" "$work/packs"

# 1. dist builds and tarballs
step "type declarations (tsc) for the dist builds"
yarn tsc --pretty false >"$out/tsc.log" 2>&1 || fail "tsc failed, see $out/tsc.log"
for dir in plugins/*/; do
  dir=${dir%/}
  [ "$(node -p "require('./$dir/package.json').private === true")" = true ] && continue
  name=$(node -p "require('./$dir/package.json').name")
  file="$work/packs/$(echo "$name" | sed 's/^@//; s#/#-#').tgz"
  step "build and pack $name"
  (cd "$dir" && yarn backstage-cli package build >>"$out/build.log" 2>&1) ||
    fail "build of $name failed, see $out/build.log"
  (cd "$dir" && yarn pack --out "$file" >>"$out/build.log" 2>&1) ||
    fail "pack of $name failed, see $out/build.log"
  listing=$(tar -tzf "$file")
  grep -q '^package/dist/index' <<<"$listing" || fail "$file has no dist/"
done

# 2. a fresh app
step "create-app $CREATE_APP_VERSION"
echo istio-adopter | npx -y "@backstage/create-app@$CREATE_APP_VERSION" \
  --skip-install --path "$app" >"$out/create-app.log" 2>&1 ||
  fail "create-app failed, see $out/create-app.log"
node scripts/adopter/align-app.js "$app" | tee -a "$out/create-app.log" ||
  fail "aligning the app failed"

# 3. our plugins, config, entities and the onboarding template
node scripts/adopter/add-plugins.js "$app" "$work/packs" || fail "adding the plugins failed"
mkdir -p "$app/examples/istio"
cp templates/onboard-namespace/template.yaml "$app/examples/istio/onboard-namespace.yaml"
cat >"$app/examples/istio/components.yaml" <<'EOF'
# The Kubernetes plugin's minimal setup: backstage.io/kubernetes-id only
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: orders
  annotations:
    backstage.io/kubernetes-id: orders
spec:
  type: service
  lifecycle: production
  owner: guests
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: reports
  annotations:
    backstage.io/kubernetes-id: reports
spec:
  type: service
  lifecycle: production
  owner: guests
EOF

step "yarn install (packed tarballs)"
(cd "$app" && yarn install --no-immutable >"$out/install.log" 2>&1) ||
  fail "yarn install failed, see $out/install.log"
for name in plugin-istio plugin-istio-backend plugin-istio-common plugin-istio-node \
  plugin-scaffolder-backend-module-istio; do
  main=$(node -p "require('$app/node_modules/@ambient-mesh/$name/package.json').main")
  case "$main" in dist/*) ;; *) fail "@ambient-mesh/$name is not the packed dist build (main: $main)" ;; esac
done
step "production build of the app's frontend"
(cd "$app" && yarn workspace app build >"$out/app-build.log" 2>&1) ||
  fail "frontend build failed, see $out/app-build.log"

}

# 4. run it
run() {
[ -f "$app/packages/app/dist/index.html" ] || fail "no prepared app in $app (run: scripts/adopter.sh prepare)"
rm -rf "$work/sandbox" "$out/screenshots" "$out/e2e.json"
cat >"$app/app-config.adopter.yaml" <<EOF
# The adopter test's overrides: one port for backend and frontend, the sandbox
app:
  baseUrl: http://localhost:$port
backend:
  baseUrl: http://localhost:$port
  listen:
    port: $port
  cors:
    origin: http://localhost:$port
catalog:
  locations:
    - type: file
      target: $app/examples/istio/components.yaml
    - type: file
      target: $app/examples/istio/onboard-namespace.yaml
      rules:
        - allow: [Template]
kubernetes:
  serviceLocatorMethod:
    type: multiTenant
  clusterLocatorMethods:
    - type: config
      clusters: []
istio:
  localKubeconfig:
    path: $work/sandbox/kubeconfig
    context: sandbox-admin
    name: sandbox
  prometheus:
    - name: sandbox
      baseUrl: http://127.0.0.1:$prometheus_port
  tempo:
    - name: sandbox
      baseUrl: http://127.0.0.1:$tempo_port
EOF
mkdir -p "$out/screenshots"
pids=()
stop_all() {
  for pid in "${pids[@]}"; do kill -INT -- "-$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 20); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    kill -KILL -- "-$pid" 2>/dev/null
  done
}
trap stop_all EXIT
set -m
node packages/mesh-sandbox/bin/mesh-sandbox start --dir "$work/sandbox" \
  --port "$k8s_port" --metrics-port "$metrics_port" --tempo-port "$tempo_port" \
  --admin-port "$admin_port" --prometheus --prometheus-port "$prometheus_port" \
  >"$out/sandbox.log" 2>&1 &
pids+=($!)
(cd "$app" && exec node "$PORTAL_YARN_JS" workspace backend start \
  --config ../../app-config.yaml --config ../../app-config.adopter.yaml) \
  >"$out/backend.log" 2>&1 &
pids+=($!)
set +m

wait_for() { # url seconds
  local deadline=$((SECONDS + $2))
  while [ $SECONDS -lt $deadline ]; do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 1
  done
  return 1
}
step "starting the sandbox and the app's backend on :$port"
for _ in $(seq 1 60); do [ -f "$work/sandbox/endpoints.json" ] && break; sleep 1; done
[ -f "$work/sandbox/endpoints.json" ] || fail "the sandbox did not start, see $out/sandbox.log"
wait_for "http://localhost:$port/.backstage/health/v1/readiness" 300 ||
  fail "the app's backend did not become ready; see $out/backend.log"
wait_for "http://localhost:$port/catalog" 30 || fail "the backend does not serve the frontend"
errors=$(grep -a -ciE '"level":"error"|\berror\b.*(plugin|module|startup)' "$out/backend.log")
step "app ready, $errors error lines at startup"
[ "$errors" -eq 0 ] || { grep -a -iE 'error' "$out/backend.log" | head -n 20 >&2; fail "the backend logged errors at startup"; }

step "Chromium checks"
ADOPTER_URL="http://localhost:$port" CHROMIUM_PATH="$chromium_path" \
  yarn playwright test -c playwright.adopter.config.ts
rc=$?
step "done (exit $rc)"
return $rc
}

case "$phase" in
  prepare) prepare ;;
  run) run ;;
  all) prepare && run ;;
  *) fail "unknown phase '$phase' (prepare, run, all)" ;;
esac
