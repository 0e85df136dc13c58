# Sourced by bench/run.sh and bench/loadtest.sh: start a gateway over a store on 127.0.0.1 with seeded
# registrations, and stop everything started, by PID, on exit.
#   bench_init                     work dir $WORK, the exit trap
#   stores_in_jar                  the store names the jar's ServiceLoader file lists
#   store_available STORE          0 when the store can run here (prints why not otherwise)
#   start_store STORE SIZE         seeds SIZE registrations into account-1 and starts a gateway:
#                                  sets GW_PID, BASE_URL (…/client/v4), SEED_LINE
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

heap() { [ "$1" = memory ] && echo "${BENCH_HEAP:-4g}" || echo "${BENCH_HEAP:-1g}"; }

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

seed_store() { # store size: the seed command, into the store's config
  local store=$1 size=$2 cfg
  # 1000-row batches on a busy 2-core machine can outlast the default 5 s statement timeout
  cfg=$(gateway_config "$store" 0 ", statement-timeout: 60000")
  log "$store: seeding $size registrations with the seed command"
  java -Xmx"$(heap "$store")" -jar "$JAR" seed --config "$cfg" --accounts 1 --per-account "$size" --seed 1 \
    > "$WORK/$store.seed.log" 2>&1 || die "$store seed failed: $(tail -5 "$WORK/$store.seed.log")"
  SEED_LINE=$(grep -o "seeded .*" "$WORK/$store.seed.log" | tail -1)
}

start_store() { # store size
  local store=$1 size=$2
  case $store in
    memory)
      log "memory: starting a gateway preloaded with $size registrations"
      start_gateway memory --seed-count "$size"
      SEED_LINE=$(grep -o "seeded .*" "$WORK/memory.gateway.log" | tail -1) ;;
    postgres)
      psql_admin -c "DROP DATABASE IF EXISTS $PGDB WITH (FORCE)" -c "CREATE DATABASE $PGDB" >/dev/null
      PG_CREATED=1
      seed_store postgres "$size"
      psql -q -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d "$PGDB" -c "VACUUM ANALYZE" >/dev/null 2>&1 || true
      start_gateway postgres ;;
    redis)
      REDIS_PORT=$(free_port)
      redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no --daemonize no \
        --dir "$WORK" --logfile "$WORK/redis.log" &
      REDIS_PID=$!; PIDS+=("$REDIS_PID")
      for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
      seed_store redis "$size"
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
