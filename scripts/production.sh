#!/usr/bin/env bash
# `make start-production`: the portal as it runs in production, on this
# machine: PostgreSQL and Redis (installed from Debian's packages when
# missing), a production build of the frontend served by the backend, and two
# backend replicas on the same database and cache (ports 7107 and 7108), reading
# a mesh sandbox of its own as their cluster. Its ports differ from `make
# start`'s, so both can run at once. app-config.production.yaml is used as a
# deployment would use it, with its values from the environment.
#
#   scripts/production.sh start   run until Ctrl-C
#   scripts/production.sh test    start, run the replica tests, stop
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
cd "$REPO_ROOT"

mode="${1:-start}"
state="$REPO_ROOT/.production"
pg_port="${PRODUCTION_PG_PORT:-55432}"
redis_port="${PRODUCTION_REDIS_PORT:-56379}"
replica_ports=(7107 7108)
sandbox_dir="$state/sandbox"
sandbox_ports=(--port 16443 --metrics-port 19464 --tempo-port 13200 --admin-port 19465 --prometheus-port 19090)

log() { echo "production: $*"; }

bash scripts/system-deps.sh postgresql redis-server

pg_bin() {
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$bin" ] || {
    echo "production: PostgreSQL's server binaries are missing (apt-get install postgresql)" >&2
    exit 1
  }
  echo "$bin"
}

# PostgreSQL refuses to run as root: the cluster belongs to the postgres user
as_postgres() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

children=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${children[@]}"; do
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  if [ -f "$state/pg/postmaster.pid" ]; then
    as_postgres "$(pg_bin)/pg_ctl" -D "$state/pg" -m fast stop >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_for() { # url seconds [pid] [log]
  local deadline=$((SECONDS + $2))
  while [ $SECONDS -lt $deadline ]; do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    [ -z "${3:-}" ] || kill -0 "$3" 2>/dev/null || return 1
    # The development runner keeps watching after the backend exits
    [ -z "${4:-}" ] || ! grep -aq '"level":"error","message":"Unhandled rejection' "$4" || return 1
    sleep 1
  done
  return 1
}

start_postgres() {
  local bin
  bin="$(pg_bin)"
  rm -rf "$state/pg" "$state/pg-run"
  mkdir -p "$state/pg" "$state/pg-run"
  [ "$(id -u)" = 0 ] && chown postgres "$state/pg" "$state/pg-run" && chmod 755 "$state"
  printf 'backstage\n' >"$state/pgpass"
  [ "$(id -u)" = 0 ] && chown postgres "$state/pgpass"
  as_postgres "$bin/initdb" -D "$state/pg" -U backstage --pwfile="$state/pgpass" \
    -A scram-sha-256 >"$state/initdb.log" 2>&1 || {
    cat "$state/initdb.log" >&2
    exit 1
  }
  as_postgres "$bin/pg_ctl" -D "$state/pg" -l "$state/pg-run/postgres.log" -w \
    -o "-p $pg_port -k $state/pg-run -c listen_addresses=127.0.0.1" start >/dev/null
  log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port"
}

start_redis() {
  set -m
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no \
    >"$state/redis.log" 2>&1 &
  children+=($!)
  set +m
  for _ in $(seq 1 50); do
    redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break
    sleep 0.2
  done
  log "Redis $(redis-server --version | awk '{print $3}' | sed 's/v=//') on 127.0.0.1:$redis_port"
}

start_sandbox() {
  rm -rf "$sandbox_dir"
  set -m
  node packages/mesh-sandbox/bin/mesh-sandbox start --prometheus --dir "$sandbox_dir" \
    "${sandbox_ports[@]}" >"$state/sandbox.log" 2>&1 &
  children+=($!)
  set +m
  for _ in $(seq 1 60); do
    [ -f "$sandbox_dir/endpoints.json" ] && break
    sleep 0.5
  done
  [ -f "$sandbox_dir/endpoints.json" ] || {
    echo "production: the mesh sandbox did not start; see $state/sandbox.log" >&2
    exit 1
  }
  log "mesh sandbox and Prometheus started"
}

# The environment a deployment would set; here it points at the local stack
export_environment() {
  local endpoints="$sandbox_dir/endpoints.json"
  export APP_BASE_URL="http://localhost:${replica_ports[0]}"
  export POSTGRES_HOST=127.0.0.1 POSTGRES_PORT="$pg_port"
  export POSTGRES_USER=backstage POSTGRES_PASSWORD=backstage
  export REDIS_URL="redis://127.0.0.1:$redis_port"
  export K8S_CLUSTER_NAME=sandbox
  K8S_CLUSTER_URL="$(node -p "require('$endpoints').kubernetes")"
  export K8S_CLUSTER_URL
  export K8S_CLUSTER_TOKEN
  K8S_CLUSTER_TOKEN="$(node -e "
    const yaml = require('yaml');
    const kc = yaml.parse(require('fs').readFileSync('$sandbox_dir/kubeconfig', 'utf8'));
    const ctx = kc.contexts.find(c => c.name === 'sandbox-admin') ?? kc.contexts[0];
    console.log(kc.users.find(u => u.name === ctx.context.user).user.token);
  ")"
  export K8S_CLUSTER_CA_DATA
  K8S_CLUSTER_CA_DATA="$(base64 -w0 "$sandbox_dir/ca.crt")"
  export ISTIO_PROMETHEUS_URL="$(node -p "require('$endpoints').prometheus")"
  export ISTIO_TEMPO_URL="$(node -p "require('$endpoints').tempo")"
  export PROMETHEUS_URL="$ISTIO_PROMETHEUS_URL"
}

build_frontend() {
  if [ "${PRODUCTION_SKIP_BUILD:-}" = true ] && [ -f packages/app/dist/index.html ]; then
    log "using the frontend build in packages/app/dist (PRODUCTION_SKIP_BUILD=true)"
    return
  fi
  log "building the frontend (production build)"
  yarn workspace app build --config ../../app-config.production.yaml \
    --config "$state/production-local.yaml" >"$state/frontend-build.log" 2>&1 || {
    tail -n 40 "$state/frontend-build.log" >&2
    exit 1
  }
}

transform="$(node -p "require.resolve('@backstage/cli-node/config/nodeTransform.cjs')")"
replica_pids=()
start_replica() { # index
  local i=$1 port=${replica_ports[$1]}
  cat >"$state/replica-$i.yaml" <<EOF
# Written by scripts/production.sh: what differs between the replicas
backend:
  listen:
    port: $port
EOF
  # The backend's TypeScript runs through Backstage's Node transform (what
  # `backstage-cli package start` uses) in one process, without the
  # development watcher, so that a replica is exactly one process to stop
  set -m
  (cd packages/backend && NODE_ENV=production exec node --enable-source-maps \
    --require "$transform" src/index.ts \
    --config ../../app-config.production.yaml \
    --config "$state/production-local.yaml" --config "$state/replica-$i.yaml") \
    >"$state/replica-$i.log" 2>&1 &
  local pid=$!
  set +m
  children+=($pid)
  replica_pids[$i]=$pid
}

mkdir -p "$state"
# Settings of this local stack that a real deployment would not share: guest
# sign-in (so that the tests and a person can sign in without an identity
# provider) and the demo catalog
cat >"$state/production-local.yaml" <<'EOF'
# Written by scripts/production.sh for the local production stack only
auth:
  providers:
    guest:
      dangerouslyAllowOutsideDevelopment: true
      userEntityRef: user:default/guest
      ownershipEntityRefs:
        - user:default/guest
        - group:default/team-commerce
        - group:default/platform-team
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
      target: ../../templates/onboard-namespace/template.yaml
EOF
# The build reads the same configuration as the backend that serves it

start_postgres
start_redis
start_sandbox
export_environment
build_frontend
# One after the other, as a rolling deployment starts them: the first replica
# runs the database migrations, the second finds them done
for i in "${!replica_ports[@]}"; do
  start_replica "$i"
  port=${replica_ports[$i]}
  if ! wait_for "http://localhost:$port/.backstage/health/v1/readiness" 300 "${replica_pids[$i]}" "$state/replica-$i.log"; then
    echo "production: replica $i (:$port) did not become ready; last lines of its log:" >&2
    tail -n 40 "$state/replica-$i.log" >&2
    exit 1
  fi
  log "replica $i ready on http://localhost:$port"
done

case "$mode" in
  start)
    log "portal on http://localhost:${replica_ports[0]} and http://localhost:${replica_ports[1]} (Ctrl-C stops everything)"
    wait "${children[@]}"
    ;;
  test)
    export PRODUCTION_STATE="$state" PRODUCTION_REDIS_PORT="$redis_port"
    export REPLICA_URLS="http://localhost:${replica_ports[0]},http://localhost:${replica_ports[1]}"
    export REPLICA_PIDS="${replica_pids[0]},${replica_pids[1]}"
    set +e
    node --test --test-reporter=spec --test-timeout=300000 scripts/production/replicas.test.mjs
    rc=$?
    set -e
    exit $rc
    ;;
  *)
    echo "usage: scripts/production.sh start|test" >&2
    exit 2
    ;;
esac
