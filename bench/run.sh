#!/usr/bin/env bash
# Regenerates docs/BENCHMARKS.md end to end: every store in the jar against nginx serving a static
# registration, measured in the same run on the same cores.
#
#   bench/run.sh                         # full size: 1 000 000 registrations per store (~20 min)
#   BENCH_SIZE=100000 bench/run.sh       # quick run
#
# Environment (defaults in brackets):
#   BENCH_SIZE [1000000]       registrations in account-1 of each store
#   BENCH_STORES [all found]   e.g. "memory redis"; postgres and redis run when the jar has their store
#   BENCH_DURATION [10]        seconds per wrk run; BENCH_RUNS [3] runs per case, medians reported
#   BENCH_CONNECTIONS [64]     wrk -c; BENCH_THREADS [2] wrk -t
#   BENCH_PROFILE [1]          after the measured runs, one more run per case under JFR; hot frames in the report
#   BENCH_OUT [docs/BENCHMARKS.md]  where the report goes; BENCH_KEEP [0] keep the work dir (logs, JFR files)
#   PGHOST/PGPORT/PGUSER [127.0.0.1/5432/postgres]  the machine's PostgreSQL (trust auth); the script
#                              creates and drops the database gateway_bench
#
# Starts on 127.0.0.1 only, each on a free port: nginx (own config in a temp dir, not a daemon), a
# redis-server of its own (no persistence), one gateway per store. Stops all of them by PID on exit.
# Needs: Java 17, Maven, python3, curl, wrk and nginx (installed with apt-get when missing and root).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

SIZE=${BENCH_SIZE:-1000000}
DURATION=${BENCH_DURATION:-10}
RUNS=${BENCH_RUNS:-3}
CONNS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
PROFILE=${BENCH_PROFILE:-1}
OUT=${BENCH_OUT:-docs/BENCHMARKS.md}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
PGDB=gateway_bench
JAR=launcher/target/gateway.jar
TOKEN=bench-token
SHA=$(printf %s "$TOKEN" | sha256sum | cut -d' ' -f1)

log() { printf '%s bench: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "$*"; exit 1; }

need_apt() { # command package
  command -v "$1" >/dev/null && return
  [ "$(id -u)" = 0 ] || die "$1 is needed: apt-get install $2"
  log "installing $2"
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}
need_apt wrk wrk
need_apt nginx nginx
NGINX=$(command -v nginx)
for c in java mvn python3 curl jcmd jfr; do command -v $c >/dev/null || die "$c is needed"; done

log "building the jar"
mvn -B -q package -DskipTests >&2

WORK=$(mktemp -d /tmp/gateway-bench.XXXXXX)
chmod 755 "$WORK"
PIDS=()
PG_CREATED=0
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$PG_CREATED" = 1 ]; then
    psql -q -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -c "DROP DATABASE IF EXISTS $PGDB WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  if [ "${BENCH_KEEP:-0}" = 1 ]; then log "work dir kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
stop() { # pid: stop one process we started and forget it
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  local kept=() p
  for p in "${PIDS[@]}"; do [ "$p" = "$1" ] || kept+=("$p"); done
  PIDS=("${kept[@]}")
}
# CPU time (clock ticks) of processes, and of the whole machine (busy, total)
ticks() { local t=0 p; for p in "$@"; do [ -r /proc/$p/stat ] && t=$((t + $(awk '{print $14+$15}' /proc/$p/stat))); done; echo $t; }
machine() { awk '/^cpu /{print $2+$3+$4+$7+$8, $2+$3+$4+$5+$6+$7+$8}' /proc/stat; }

STORES_IN_JAR=$(unzip -p "$JAR" META-INF/services/io.warpgw.spi.RegistrationStoreProvider 2>/dev/null \
  | sed -nE 's/.*\.([A-Za-z]+)StoreProvider$/\1/p' | tr 'A-Z' 'a-z' | tr '\n' ' ')
STORES=${BENCH_STORES:-memory postgres redis}
RESULTS=$WORK/results.tsv   # store case rps p50 p99 gw_cpu store_cpu machine_busy
NOTES=$WORK/notes.tsv       # key value
: > "$RESULTS"; : > "$NOTES"
note() { printf '%s\t%s\n' "$1" "$2" >> "$NOTES"; }
note size "$SIZE"; note duration "$DURATION"; note runs "$RUNS"; note connections "$CONNS"; note threads "$THREADS"
note stores_in_jar "$STORES_IN_JAR"
note cores "$(nproc)"; note java "$(java -version 2>&1 | head -1)"; note wrk "$(wrk -v 2>&1 | head -1 | cut -c1-40)"
note nginx "$($NGINX -v 2>&1 | sed 's/.*: //')"; note load_before "$(cut -d' ' -f1-3 /proc/loadavg)"
note commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"; note date "$(date -u +%Y-%m-%dT%H:%MZ)"

cat > "$WORK/auth.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $TOKEN"
LUA

# measure STORE CASE URL JVM_PID "SERVER_PIDS" "BACKEND_PIDS": a warm-up, RUNS runs of wrk with the
# CPU time of the server, of its backend and of the machine, then (BENCH_PROFILE) one more under JFR
measure() {
  local store=$1 kase=$2 url=$3 jvm=$4 server=$5 backend=$6 i
  curl -sf -o /dev/null -H "Authorization: Bearer $TOKEN" "$url" || die "request failed: $url"
  log "$store / $kase: warm-up and $RUNS x ${DURATION}s"
  wrk -t"$THREADS" -c"$CONNS" -d3s -s "$WORK/auth.lua" "$url" > /dev/null
  for i in $(seq 1 "$RUNS"); do
    local g0 s0 m0 g1 s1 m1
    g0=$(ticks $server); s0=$(ticks $backend); m0=$(machine)
    ( wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency -s "$WORK/auth.lua" "$url" > "$WORK/$store.$kase.$i.wrk"
      times > "$WORK/$store.$kase.$i.times" )   # its second line: wrk's own CPU time
    g1=$(ticks $server); s1=$(ticks $backend); m1=$(machine)
    echo "$g0 $g1 $s0 $s1 $m0 $m1" > "$WORK/$store.$kase.$i.cpu"
  done
  python3 bench/report.py wrk "$WORK/$store.$kase" "$RUNS" "$(getconf CLK_TCK)" "$store" "$kase" >> "$RESULTS"
  if [ "$PROFILE" = 1 ] && [ "$jvm" != - ]; then
    jcmd "$jvm" JFR.start name="$kase" settings=profile filename="$WORK/$store.$kase.jfr" > /dev/null
    wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" -s "$WORK/auth.lua" "$url" > /dev/null
    jcmd "$jvm" JFR.stop name="$kase" > /dev/null
  fi
}

# ---- the ceiling: nginx serving one static registration (567 bytes) -------------------------------
start_nginx() {
  local port; port=$(free_port)
  mkdir -p "$WORK/nginx/logs" "$WORK/nginx/html"
  cp bench/registration.json "$WORK/nginx/html/registration.json"
  chmod -R a+rX "$WORK/nginx"
  cat > "$WORK/nginx/nginx.conf" <<NGINX
daemon off;
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 65;
  server {
    listen 127.0.0.1:$port;
    root $WORK/nginx/html;
    location = /registration { default_type application/json; try_files /registration.json =404; }
  }
}
NGINX
  "$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" 2>"$WORK/nginx/logs/stderr" &
  NGINX_PID=$!; PIDS+=("$NGINX_PID")
  for _ in $(seq 1 50); do curl -sf -o /dev/null "http://127.0.0.1:$port/registration" && break; sleep 0.1; done
  NGINX_URL=http://127.0.0.1:$port/registration
  curl -sf -o /dev/null "$NGINX_URL" || die "nginx did not start: $(cat "$WORK/nginx/logs/stderr")"
}
nginx_children() { echo "$NGINX_PID" $(pgrep -P "$NGINX_PID" || true); }

# ---- stores --------------------------------------------------------------------------------------
GW_PID=""
gateway_config() { # store port -> config file
  local store=$1 port=$2 f=$WORK/$1.yaml
  cat > "$f" <<YAML
http: { host: 127.0.0.1, port: $port }
auth:
  tokens: [ { name: bench, sha256: $SHA, accounts: ["*"], permission: write } ]
storage:
  type: $store
YAML
  case $store in
    postgres) printf '  postgres: { uri: "postgresql://%s@%s:%s/%s" }\n' "$PGUSER" "$PGHOST" "$PGPORT" "$PGDB" >> "$f" ;;
    redis) printf '  redis: { mode: standalone, endpoints: ["redis://127.0.0.1:%s"] }\n' "$REDIS_PORT" >> "$f" ;;
  esac
  echo "$f"
}
heap() { [ "$1" = memory ] && echo "${BENCH_HEAP:-4g}" || echo "${BENCH_HEAP:-1g}"; }

start_gateway() { # store [serve args...]
  local store=$1; shift
  local port; port=$(free_port)
  local cfg; cfg=$(gateway_config "$store" "$port")
  ACCESS_LOG_LEVEL=WARN java -Xmx"$(heap "$store")" -jar "$JAR" serve --config "$cfg" "$@" > "$WORK/$store.gateway.log" 2>&1 &
  GW_PID=$!; PIDS+=("$GW_PID")
  local waited=0
  until grep -q "serving the" "$WORK/$store.gateway.log"; do
    kill -0 "$GW_PID" 2>/dev/null || die "the $store gateway exited: $(tail -5 "$WORK/$store.gateway.log")"
    sleep 1; waited=$((waited + 1))
    [ $waited -lt 3600 ] || die "the $store gateway did not start in an hour"
  done
  BASE=http://127.0.0.1:$port/client/v4/accounts/account-1/devices/registrations
}

seed_store() { # store: the seed command, into the store's config; the log line gives the rate
  local store=$1
  local cfg; cfg=$(gateway_config "$store" 0)
  log "$store: seeding $SIZE registrations with the seed command"
  java -Xmx"$(heap "$store")" -jar "$JAR" seed --config "$cfg" --accounts 1 --per-account "$SIZE" --seed 1 \
    > "$WORK/$store.seed.log" 2>&1 || die "$store seed failed: $(tail -5 "$WORK/$store.seed.log")"
}

store_pids() { # store -> pids of its server processes (for CPU accounting)
  case $1 in
    redis) echo "$REDIS_PID" ;;
    postgres) pgrep -u postgres postgres | tr '\n' ' ' ;;
    *) echo "" ;;
  esac
}

bench_store() {
  local store=$1
  case $store in
    memory)
      log "memory: starting a gateway preloaded with $SIZE registrations"
      start_gateway memory --seed-count "$SIZE"
      grep -o "seeded .*" "$WORK/memory.gateway.log" | tail -1 > "$WORK/memory.seedline" ;;
    postgres)
      psql -q -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -c "DROP DATABASE IF EXISTS $PGDB WITH (FORCE)" \
        -c "CREATE DATABASE $PGDB" >/dev/null
      PG_CREATED=1
      seed_store postgres
      grep -o "seeded .*" "$WORK/postgres.seed.log" | tail -1 > "$WORK/postgres.seedline"
      psql -q -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d "$PGDB" -c "VACUUM ANALYZE" >/dev/null 2>&1 || true
      start_gateway postgres ;;
    redis)
      REDIS_PORT=$(free_port)
      redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no --daemonize no \
        --dir "$WORK" --logfile "$WORK/redis.log" &
      REDIS_PID=$!; PIDS+=("$REDIS_PID")
      for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
      seed_store redis
      grep -o "seeded .*" "$WORK/redis.seed.log" | tail -1 > "$WORK/redis.seedline"
      start_gateway redis ;;
  esac
  note "seed_$store" "$(cat "$WORK/$store.seedline")"
  note "rss_$store" "$(awk '/VmRSS/{print $2}' /proc/$GW_PID/status)"
  local auth="Authorization: Bearer $TOKEN" id cursor=""
  id=$(curl -sf -H "$auth" "$BASE?per_page=1&sort_by=id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["result"][0]["id"])')
  curl -sf -H "$auth" "$BASE/$id" > "$WORK/$store.get.json"
  note "get_bytes_$store" "$(wc -c < "$WORK/$store.get.json")"
  for _ in $(seq 1 10); do   # the cursor 10 000 items deep in created_at order (cursors do not depend on per_page)
    cursor=$(curl -sf -H "$auth" "$BASE?per_page=1000${cursor:+&cursor=$cursor}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["result_info"]["cursor"])')
  done
  [ -n "$cursor" ] || die "$store: fewer than 10 000 registrations; BENCH_SIZE must be at least 10001"
  curl -sf -H "$auth" "$BASE?per_page=50" | wc -c > "$WORK/$store.listbytes"
  note "list_bytes_$store" "$(cat "$WORK/$store.listbytes")"
  local others; others=$(store_pids "$store")
  measure "$store" get "$BASE/$id" "$GW_PID" "$GW_PID" "$others"
  measure "$store" list0 "$BASE?per_page=50" "$GW_PID" "$GW_PID" "$others"
  measure "$store" list10k "$BASE?per_page=50&cursor=$cursor" "$GW_PID" "$GW_PID" "$others"
  stop "$GW_PID"
  if [ "$store" = redis ]; then stop "$REDIS_PID"; fi
  if [ "$store" = postgres ]; then
    psql -q -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -c "DROP DATABASE IF EXISTS $PGDB WITH (FORCE)" >/dev/null
    PG_CREATED=0
  fi
}

start_nginx
measure nginx static "$NGINX_URL" - "$(nginx_children)" ""
for store in $STORES; do
  if [[ " $STORES_IN_JAR " != *" $store "* ]]; then
    log "$store: not in this jar (it has: $STORES_IN_JAR); skipped"; note "skipped_$store" "not in the jar"; continue
  fi
  case $store in
    postgres) psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -c 'select 1' >/dev/null 2>&1 \
      || { log "postgres: no PostgreSQL at $PGHOST:$PGPORT; skipped"; note skipped_postgres "no server at $PGHOST:$PGPORT"; continue; } ;;
    redis) command -v redis-server >/dev/null \
      || { log "redis: no redis-server on the PATH; skipped"; note skipped_redis "no redis-server"; continue; } ;;
  esac
  bench_store "$store"
done
# the ceiling again at the end: the report uses the median of both, and shows the drift
measure nginx static_end "$NGINX_URL" - "$(nginx_children)" ""
stop "$NGINX_PID"
note load_after "$(cut -d' ' -f1-3 /proc/loadavg)"

if [ "$PROFILE" = 1 ]; then
  for f in "$WORK"/*.jfr; do
    [ -e "$f" ] || continue
    b=$(basename "$f" .jfr)
    jfr print --stack-depth 64 --events jdk.ExecutionSample "$f" > "$WORK/$b.samples" 2>/dev/null || true
    jfr print --events jdk.GarbageCollection "$f" > "$WORK/$b.gc" 2>/dev/null || true
  done
fi
python3 bench/report.py markdown "$WORK" "$OUT" bench/FINDINGS.md
log "wrote $OUT"
