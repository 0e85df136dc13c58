#!/usr/bin/env bash
# Runs Gatling scenarios of loadtest/ against a gateway it starts on 127.0.0.1 over the store named.
#
#   bench/loadtest.sh STORE SCENARIO [-Dproperty=value ...]
#     STORE     memory | postgres | redis
#     SCENARIO  ReadMostly | PaginationWalk | WriteMix | Ramp | all
#   LOADTEST_SIZE [100000] registrations seeded into account-1 first
#
# Extra -D options go to every scenario (see loadtest/README.md). Prints each HTML report's path,
# exits non-zero when a scenario's assertions fail, and stops what it started (gateway, redis-server,
# the gateway_bench PostgreSQL database) by PID on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
JAR=${BENCH_JAR:-launcher/target/gateway.jar}   # BENCH_JAR: benchmark a jar built elsewhere (no build)
. bench/lib.sh

[ $# -ge 2 ] || { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
STORE=$1 SCENARIO=$2; shift 2
SIZE=${LOADTEST_SIZE:-100000}
case $SCENARIO in
  all) SCENARIOS="ReadMostly PaginationWalk WriteMix Ramp" ;;
  ReadMostly|PaginationWalk|WriteMix|Ramp) SCENARIOS=$SCENARIO ;;
  *) die "unknown scenario $SCENARIO: ReadMostly, PaginationWalk, WriteMix, Ramp or all" ;;
esac

if [ -z "${BENCH_JAR:-}" ]; then log "building the jar"; mvn -B -q package -DskipTests -Dimage.skip >&2; fi
log "compiling the simulations"
mvn -B -q -Ploadtest -pl loadtest test-compile >&2
bench_init
why=$(store_available "$STORE") || die "$STORE: $why"
start_store "$STORE" "$SIZE"
log "$STORE: $SEED_LINE; gateway at $BASE_URL"

failed=0
summary=()
for s in $SCENARIOS; do
  log "$STORE / $s"
  out=$WORK/$s.gatling.log
  if mvn -B -Ploadtest -pl loadtest gatling:test -Dgatling.simulationClass=io.warpgw.loadtest.${s}Simulation \
      -DbaseUrl="$BASE_URL" -Dtoken="$TOKEN" -Daccounts=account-1 "$@" > "$out" 2>&1; then
    verdict=green
  else
    verdict=RED; failed=1
  fi
  grep -E '^(Global|Details)[^|]*: ' "$out" | sed 's/^/  /' >&2 || true
  grep -E 'knee passed' "$out" | tail -1 | sed 's/^.*knee passed/  knee passed/' >&2 || true
  report=$(grep -o 'file://[^ ]*index.html' "$out" | tail -1 || true)
  if [ -n "$report" ]; then
    cp "$out" "$(dirname "${report#file://}")/console.log"   # the console output, errors section included
    [ $verdict = green ] || sed -n '/---- Errors/,/^====/p' "$out" | head -12 >&2
  else
    tail -40 "$out" >&2; report="(no report: see the output above)"
  fi
  summary+=("$STORE $s: $verdict  ${report#file://}")
done
printf '%s\n' "${summary[@]}"
exit $failed
