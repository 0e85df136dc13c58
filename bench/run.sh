#!/usr/bin/env bash
# Regenerates docs/BENCHMARKS.md end to end: every store in the jar against nginx serving a static
# registration, measured in the same run on the same cores.
#
#   bench/run.sh                         # full size: 1 000 000 registrations in account-1 + 10 x 100 000
#                                        # per store (~45 min; the seeding alone ~20 min)
#   BENCH_SIZE=100000 bench/run.sh       # quick run
#
# Environment (defaults in brackets):
#   BENCH_SIZE [1000000]       registrations in account-1 of each store
#   BENCH_OTHERS [10]          more accounts (account-2 …) seeded with BENCH_OTHER_SIZE [BENCH_SIZE/10] each,
#                              all in one run (`--accounts 11 --per-account SIZE,OTHER_SIZE`: memory with
#                              serve, the others with the seed command)
#   BENCH_IMPORT [BENCH_SIZE/4]   registrations POSTed to …/import (into a new account) for the import rate
#                              (large enough that the JIT's warm-up is a small part of it)
#   BENCH_SEARCH [nakamura]    the search= term of the search case (a last name of the synthetic users)
#   BENCH_REVOKE_CONNECTIONS [8]  wrk -c of the revoke case (1000 ids, a ~45 KB request line each)
#   BENCH_STORES [all found]   e.g. "memory redis"; postgres and redis run when the jar has their store
#   BENCH_DURATION [10]        seconds per wrk run; BENCH_RUNS [3] runs per case, medians reported
#   BENCH_CONNECTIONS [64]     wrk -c; BENCH_THREADS [2] wrk -t
#   BENCH_PROFILE [1]          after the measured runs, one more run per case under JFR; hot frames in the report
#   BENCH_OUT [docs/BENCHMARKS.md]  where the report goes; BENCH_KEEP [0] keep the work dir (logs, JFR files)
#   BENCH_JAR [build launcher/target/gateway.jar]  a gateway jar built elsewhere, used as it is
#   BENCH_JAVA_OPTS []         extra JVM options for the gateways (e.g. -XX:+UseZGC); BENCH_HEAP [6g memory, 1g others]
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
OTHERS=${BENCH_OTHERS:-10}
OTHER_SIZE=${BENCH_OTHER_SIZE:-$((SIZE / 10))}
IMPORT=${BENCH_IMPORT:-$((SIZE / 4))}
SEARCH=${BENCH_SEARCH:-nakamura}
REVOKE_CONNS=${BENCH_REVOKE_CONNECTIONS:-8}
DURATION=${BENCH_DURATION:-10}
RUNS=${BENCH_RUNS:-3}
CONNS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
PROFILE=${BENCH_PROFILE:-1}
OUT=${BENCH_OUT:-docs/BENCHMARKS.md}
JAR=${BENCH_JAR:-launcher/target/gateway.jar}   # BENCH_JAR: benchmark a jar built elsewhere (no build)
. bench/lib.sh

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

if [ -z "${BENCH_JAR:-}" ]; then log "building the jar"; mvn -B -q package -DskipTests -Dimage.skip >&2; fi

bench_init
# CPU time (clock ticks) of processes, and of the whole machine (busy, total)
ticks() { local t=0 p; for p in "$@"; do [ -r /proc/$p/stat ] && t=$((t + $(awk '{print $14+$15}' /proc/$p/stat))); done; echo $t; }
machine() { awk '/^cpu /{print $2+$3+$4+$7+$8, $2+$3+$4+$5+$6+$7+$8}' /proc/stat; }

STORES_IN_JAR=$(stores_in_jar)
STORES=${BENCH_STORES:-memory postgres redis}
RESULTS=$WORK/results.tsv   # store case rps p50 p99 gw_cpu store_cpu machine_busy
NOTES=$WORK/notes.tsv       # key value
: > "$RESULTS"; : > "$NOTES"
note() { printf '%s\t%s\n' "$1" "$2" >> "$NOTES"; }
note size "$SIZE"; note others "$OTHERS"; note other_size "$OTHER_SIZE"; note search "$SEARCH"
note revoke_connections "$REVOKE_CONNS"; note duration "$DURATION"; note runs "$RUNS"; note connections "$CONNS"; note threads "$THREADS"
note stores_in_jar "$STORES_IN_JAR"; note jar "${BENCH_JAR:-}"
note cores "$(nproc)"; note java "$(java -version 2>&1 | head -1)"; note wrk "$(wrk -v 2>&1 | head -1 | cut -c1-40)"
note nginx "$($NGINX -v 2>&1 | sed 's/.*: //')"; note load_before "$(cut -d' ' -f1-3 /proc/loadavg)"
note commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"; note date "$(date -u +%Y-%m-%dT%H:%MZ)"

cat > "$WORK/auth.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $TOKEN"
LUA

# measure STORE CASE URL JVM_PID "SERVER_PIDS" [METHOD [CONNECTIONS]]: a warm-up, RUNS runs of wrk with
# the CPU time of the server, of the store's backend and of the machine, then (BENCH_PROFILE) one more
# under JFR
measure() {
  local store=$1 kase=$2 url=$3 jvm=$4 server=$5 method=${6:-GET} conns=${7:-$CONNS} backend i script
  script=$WORK/auth.lua
  if [ "$method" != GET ]; then
    script=$WORK/$store.$kase.lua
    { cat "$WORK/auth.lua"; echo "wrk.method = \"$method\""; } > "$script"
  fi
  curl -sf -o /dev/null -X "$method" -H "Authorization: Bearer $TOKEN" "$url" || die "request failed: $method ${url:0:200}"
  log "$store / $kase: warm-up and $RUNS x ${DURATION}s"
  wrk -t"$THREADS" -c"$conns" -d3s -s "$script" "$url" > /dev/null
  backend=$(backend_pids "$store")
  for i in $(seq 1 "$RUNS"); do
    local g0 s0 m0 g1 s1 m1
    g0=$(ticks $server); s0=$(ticks $backend); m0=$(machine)
    ( wrk -t"$THREADS" -c"$conns" -d"${DURATION}s" --latency -s "$script" "$url" > "$WORK/$store.$kase.$i.wrk"
      times > "$WORK/$store.$kase.$i.times" )   # its second line: wrk's own CPU time
    g1=$(ticks $server); s1=$(ticks $backend); m1=$(machine)
    echo "$g0 $g1 $s0 $s1 $m0 $m1" > "$WORK/$store.$kase.$i.cpu"
  done
  python3 bench/report.py wrk "$WORK/$store.$kase" "$RUNS" "$(getconf CLK_TCK)" "$store" "$kase" >> "$RESULTS"
  if [ "$PROFILE" = 1 ] && [ "$jvm" != - ]; then
    jcmd "$jvm" JFR.start name="$kase" settings=profile filename="$WORK/$store.$kase.jfr" > /dev/null
    wrk -t"$THREADS" -c"$conns" -d"${DURATION}s" -s "$script" "$url" > /dev/null
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
bench_store() {
  local store=$1
  start_store "$store" "$SIZE" "$OTHERS" "$OTHER_SIZE"
  import_case "$store" "$IMPORT"
  note "import_$store" "$IMPORT_LINE"
  # a full collection first, so the seeding's garbage is not charged to whichever case runs first
  jcmd "$GW_PID" GC.run > /dev/null 2>&1 || true
  local BASE=$BASE_URL/accounts/account-1/devices/registrations
  echo "$SEED_LINE" > "$WORK/$store.seedline"
  note "seed_$store" "$(cat "$WORK/$store.seedline")"
  note "seed_count_$store" "$SEED_COUNT"; note "seed_secs_$store" "$SEED_SECS"
  note "store_bytes_$store" "$STORE_BYTES"; note "store_bytes_how_$store" "$STORE_BYTES_HOW"
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
  measure "$store" get "$BASE/$id" "$GW_PID" "$GW_PID"
  measure "$store" list0 "$BASE?per_page=50" "$GW_PID" "$GW_PID"
  measure "$store" list10k "$BASE?per_page=50&cursor=$cursor" "$GW_PID" "$GW_PID"
  note "search_count_$store" "$(curl -sf -H "$auth" "$BASE?search=$SEARCH&per_page=1000" | python3 -c 'import json,sys; print(json.load(sys.stdin)["result_info"]["count"])')"
  measure "$store" search "$BASE?search=$SEARCH&per_page=50" "$GW_PID" "$GW_PID"
  # the last case, as it is a write: 1000 ids of account-1 (its first 1000 by id); wrk repeats the same
  # request, so from the second one on every id is already revoked: a success that changes nothing
  local ids
  ids=$(curl -sf -H "$auth" "$BASE?per_page=1000&sort_by=id" | python3 -c 'import json,sys; print("&".join("id=" + r["id"] for r in json.load(sys.stdin)["result"]))')
  [ "$(tr '&' '\n' <<< "$ids" | wc -l)" = 1000 ] || die "$store: could not take 1000 ids from account-1"
  measure "$store" revoke "$BASE/revoke?$ids" "$GW_PID" "$GW_PID" POST "$REVOKE_CONNS"
  stop_store "$store"
}

start_nginx
measure nginx static "$NGINX_URL" - "$(nginx_children)"
for store in $STORES; do
  why=$(store_available "$store") || { log "$store: skipped: $why"; note "skipped_$store" "$why"; continue; }
  bench_store "$store"
done
# the ceiling again at the end: the report uses the median of both, and shows the drift
measure nginx static_end "$NGINX_URL" - "$(nginx_children)"
stop_pid "$NGINX_PID"
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
