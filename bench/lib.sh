# Sourced by bench/run.sh and bench/loadtest.sh: start a gateway over a store on 127.0.0.1 with seeded
# registrations, and stop everything started, by PID, on exit.
#   bench_init                     work dir $WORK, the exit trap
#   stores_in_jar                  the store names the jar's ServiceLoader file lists
#   store_available STORE          0 when the store can run here (prints why not otherwise)
#   start_store STORE SIZE [OTHERS OTHER_SIZE]
#                                  seeds SIZE registrations into account-1 (and OTHER_SIZE into each of
#                                  account-2..account-(OTHERS+1)) and starts a gateway: sets GW_PID,
#                                  BASE_URL (…/client/v4), SEED_LINE, SEED_COUNT, SEED_SECS, and
#                                  STORE_BYTES (the store's size after seeding) with STORE_BYTES_HOW
#   backend_pids STORE             the PIDs of the store's server processes, for CPU accounting
#   stop_store STORE               stops the gateway and the store's server, drops its database
# Needs $ROOT (the repository) and $JAR. Uses PGHOST/PGPORT/PGUSER [127.0.0.1/5432/postgres].

TOKEN=${BENCH_TOKEN:-bench-token}
SHA=$(printf %s "$TOKEN" | sha256sum | cut -d' ' -f1)
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
PGDB=${BENCH_PGDB:-gateway_bench}
PIDS=()
PG_CREATED=0

log() { printf '%s bench: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "$*"; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

bench_init() {
  WORK=$(mktemp -d /tmp/gateway-bench.XXXXXX)
  chmod 755 "$WORK"
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

bench_cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ "$PG_CREATED" = 1 ] && drop_pg_db
  if [ "${BENCH_KEEP:-0}" = 1 ]; then log "work dir kept: $WORK"; else rm -rf "$WORK"; fi
}

stop_pid() { # stop one process we started and forget it
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  local kept=() p
  for p in "${PIDS[@]}"; do [ "$p" = "$1" ] || kept+=("$p"); done
  PIDS=("${kept[@]}")
}

psql_admin() { PGOPTIONS="-c client_min_messages=warning" psql -q -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres "$@"; }
drop_pg_db() { psql_admin -c "DROP DATABASE IF EXISTS $PGDB WITH (FORCE)" >/dev/null 2>&1 || true; PG_CREATED=0; }

stores_in_jar() {
  unzip -p "$JAR" META-INF/services/io.warpgw.spi.RegistrationStoreProvider 2>/dev/null \
    | sed -nE 's/.*\.([A-Za-z]+)StoreProvider$/\1/p' | tr 'A-Z' 'a-z' | tr '\n' ' '
}

store_available() {
  local store=$1
  if [[ " $(stores_in_jar) " != *" $store "* ]]; then echo "not in the jar (it has: $(stores_in_jar))"; return 1; fi
  case $store in
    postgres) psql_admin -c 'select 1' >/dev/null 2>&1 || { echo "no PostgreSQL at $PGHOST:$PGPORT as $PGUSER"; return 1; } ;;
    redis) command -v redis-server >/dev/null || { echo "no redis-server on the PATH"; return 1; } ;;
  esac
}

gateway_config() { # store port [postgres extras] -> path of a config file
  local store=$1 port=$2 pgextra=${3:-} f=$WORK/$1.yaml
  cat > "$f" <<YAML
http: { host: 127.0.0.1, port: $port }
auth:
  tokens: [ { name: bench, sha256: $SHA, accounts: ["*"], permission: write } ]
storage:
  type: $store
YAML
  case $store in
    postgres) printf '  postgres: { uri: "postgresql://%s@%s:%s/%s"%s }\n' "$PGUSER" "$PGHOST" "$PGPORT" "$PGDB" "$pgextra" >> "$f" ;;
    redis) printf '  redis: { mode: standalone, endpoints: ["redis://127.0.0.1:%s"] }\n' "$REDIS_PORT" >> "$f" ;;
  esac
  echo "$f"
}

# memory: 1 000 000 + 10 x 100 000 registrations at ~1.4 KB of heap each
heap() { [ "$1" = memory ] && echo "${BENCH_HEAP:-6g}" || echo "${BENCH_HEAP:-1g}"; }

start_gateway() { # store [serve args...]
  local store=$1; shift
  local port cfg waited=0
  port=$(free_port)
  cfg=$(gateway_config "$store" "$port")
  : > "$WORK/$store.gateway.log"
  ACCESS_LOG_LEVEL=WARN java -Xmx"$(heap "$store")" ${BENCH_JAVA_OPTS:-} -jar "$JAR" serve --config "$cfg" "$@" \
    > "$WORK/$store.gateway.log" 2>&1 &
  GW_PID=$!; PIDS+=("$GW_PID")
  until grep -q "serving the" "$WORK/$store.gateway.log"; do
    kill -0 "$GW_PID" 2>/dev/null || die "the $store gateway exited: $(tail -5 "$WORK/$store.gateway.log")"
    sleep 1; waited=$((waited + 1))
    [ $waited -lt 3600 ] || die "the $store gateway did not start in an hour"
  done
  BASE_URL=http://127.0.0.1:$port/client/v4
}

seed_cmd() { # store accounts per_account seed: one run of the seed command; appends its `seeded` line to SEED_LINES
  local store=$1 accounts=$2 per=$3 seed=$4 cfg
  # 1000-row batches on a busy 2-core machine can outlast the default 5 s statement timeout
  cfg=$(gateway_config "$store" 0 ", statement-timeout: 60000")
  log "$store: seeding account-1..account-$accounts, --per-account $per (seed $seed)"
  java -Xmx"$(heap "$store")" -jar "$JAR" seed --config "$cfg" --accounts "$accounts" --per-account "$per" --seed "$seed" \
    > "$WORK/$store.seed.$seed.log" 2>&1 || die "$store seed failed: $(tail -5 "$WORK/$store.seed.$seed.log")"
  SEED_LINES+=("$(grep -o "seeded .*" "$WORK/$store.seed.$seed.log" | tail -1)")
}

# sizes size others other_size: the --per-account value giving account-1 SIZE and account-2..account-(OTHERS+1)
# OTHER_SIZE each, and the account count, e.g. "11 1000000,100000"
sizes() {
  local size=$1 others=${2:-0} other=${3:-0}
  if [ "$others" -gt 0 ]; then echo "$((others + 1)) $size,$other"; else echo "1 $size"; fi
}

# seed_store store size others other_size: one run of the seed command
seed_store() {
  local store=$1 accounts per
  read -r accounts per < <(sizes "$2" "${3:-0}" "${4:-0}")
  SEED_LINES=()
  seed_cmd "$store" "$accounts" "$per" 1
  seed_summary
}

# SEED_LINES -> SEED_LINE (one line per seeding step, joined) and SEED_COUNT, SEED_SECS (their sums)
seed_summary() {
  SEED_LINE=$(printf '%s; ' "${SEED_LINES[@]}"); SEED_LINE=${SEED_LINE%; }
  read -r SEED_COUNT SEED_SECS < <(printf '%s\n' "${SEED_LINES[@]}" \
    | sed -nE 's/.*(seeded|imported) ([0-9]+) registrations.* in ([0-9.]+) s.*/\2 \3/p' \
    | awk '{n+=$1; s+=$2} END {printf "%d %.1f\n", n, s}')
}

redis_used_memory() { redis-cli -p "$REDIS_PORT" info memory | tr -d '\r' | sed -n 's/^used_memory://p'; }
pg_bytes() { # table + index + TOAST bytes of every user table of the bench database
  psql -qtA -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d "$PGDB" -c "select coalesce(sum(pg_total_relation_size(c.oid)),0)
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r','p') and n.nspname not in ('pg_catalog','information_schema')"
}

# import_case store count: the import extension's rate on the running gateway: POST .../import of COUNT synthetic
# registrations (NDJSON from bench/report.py ndjson, the seed command's shapes, written to a file once
# so that the time, and the rate, are the gateway's, not the generator's) into the new account
# account-import; leaves IMPORT_LINE
import_case() { # store count
  local STORE_NAME=$1 count=$2 t0 t1 created file=$WORK/import.ndjson
  if [ ! -s "$file" ]; then
    log "generating $count registrations for the import case"
    python3 "$ROOT/bench/report.py" ndjson "$count" 2 > "$file"
  fi
  log "$STORE_NAME: importing $count registrations (POST .../import)"
  t0=$(date +%s.%N)
  curl -sf -X POST -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/x-ndjson" -T - \
    "$BASE_URL/accounts/account-import/devices/registrations/import" < "$file" > "$WORK/$STORE_NAME.import.json" \
    || die "$STORE_NAME import failed"
  t1=$(date +%s.%N)
  created=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["result"]; assert not r["failed"], r["failed"][:3]; print(r["created"])' "$WORK/$STORE_NAME.import.json") \
    || die "$STORE_NAME import: $(head -c 300 "$WORK/$STORE_NAME.import.json")"
  IMPORT_LINE=$(awk -v n="$created" -v a="$t0" -v b="$t1" 'BEGIN {printf "imported %d registrations in %.1f s: %d registrations/s", n, b-a, n/(b-a)}')
}

start_store() { # store size [others other_size]
  local store=$1 size=$2 others=${3:-0} other=${4:-0} before accounts per
  case $store in
    memory)
      SEED_LINES=()
      read -r accounts per < <(sizes "$size" "$others" "$other")
      log "memory: starting a gateway preloaded with --accounts $accounts --per-account $per"
      start_gateway memory --accounts "$accounts" --per-account "$per"
      SEED_LINES+=("$(grep -o "seeded .*" "$WORK/memory.gateway.log" | tail -1)")
      seed_summary
      jcmd "$GW_PID" GC.run > /dev/null 2>&1 || true
      # heap used after a full collection (includes the gateway's own few MB)
      STORE_BYTES=$(jcmd "$GW_PID" GC.heap_info 2>/dev/null | sed -nE 's/.* total [0-9]+K, used ([0-9]+)K.*/\1/p' | head -1)
      STORE_BYTES=$(( ${STORE_BYTES:-0} * 1024 )); STORE_BYTES_HOW="JVM heap used after a full GC" ;;
    postgres)
      psql_admin -c "DROP DATABASE IF EXISTS $PGDB WITH (FORCE)" -c "CREATE DATABASE $PGDB" >/dev/null
      PG_CREATED=1
      seed_store postgres "$size" "$others" "$other"
      psql -q -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d "$PGDB" -c "VACUUM ANALYZE" >/dev/null 2>&1 || true
      STORE_BYTES=$(pg_bytes); STORE_BYTES_HOW="pg_total_relation_size of the tables (with indexes, TOAST)"
      start_gateway postgres ;;
    redis)
      REDIS_PORT=$(free_port)
      redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no --daemonize no \
        --dir "$WORK" --logfile "$WORK/redis.log" &
      REDIS_PID=$!; PIDS+=("$REDIS_PID")
      for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
      before=$(redis_used_memory)
      seed_store redis "$size" "$others" "$other"
      STORE_BYTES=$(( $(redis_used_memory) - before )); STORE_BYTES_HOW="INFO memory used_memory, after seeding minus before"
      start_gateway redis ;;
    *) die "unknown store $store" ;;
  esac
}

backend_pids() { # store -> the processes of its server now (PostgreSQL forks one per connection)
  case $1 in
    redis) echo "$REDIS_PID" ;;
    postgres) pgrep -u postgres postgres | tr '\n' ' ' ;;
  esac
}

stop_store() {
  stop_pid "$GW_PID"
  case $1 in
    redis) stop_pid "$REDIS_PID" ;;
    postgres) drop_pg_db ;;
  esac
}
