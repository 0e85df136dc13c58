#!/usr/bin/env bash
# The first figure of docs/BENCHMARKS.md: GET one registration and a 50-item list page at depth 0 and
# at depth 10 000, on the memory store preloaded with 1 000 000 registrations.
#   bench/memory.sh [registrations]      (needs wrk: apt-get install wrk; builds the jar if missing)
# Starts one gateway on a free port of 127.0.0.1, runs wrk -t2 -c64 -d10s --latency three times per
# case, prints a Markdown table of medians, and stops the gateway it started.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
JAR=launcher/target/gateway.jar
[ -f "$JAR" ] || mvn -B -q package -DskipTests
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

TOKEN=bench-token
SHA=$(printf %s "$TOKEN" | sha256sum | cut -d' ' -f1)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
WORK=$(mktemp -d)
cat > "$WORK/gateway.yaml" <<YAML
http: { port: $PORT }
auth:
  tokens: [ { name: bench, sha256: $SHA, accounts: ["*"], permission: write } ]
YAML
export ACCESS_LOG_LEVEL=WARN
java -Xmx4g -jar "$JAR" serve --config "$WORK/gateway.yaml" --seed-count "$N" > "$WORK/gateway.log" 2>&1 &
GW=$!
trap 'kill $GW 2>/dev/null; wait $GW 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 600); do grep -q "serving the" "$WORK/gateway.log" && break; sleep 0.5; done
grep -q "serving the" "$WORK/gateway.log" || { cat "$WORK/gateway.log"; exit 1; }
SEED_LINE=$(grep -o "seeded .*" "$WORK/gateway.log" | tail -1)
BASE=http://127.0.0.1:$PORT/client/v4/accounts/account-1/devices/registrations
AUTH="Authorization: Bearer $TOKEN"

# An id to get, and the cursor 10 000 items deep (cursors do not depend on per_page).
ID=$(curl -sf -H "$AUTH" "$BASE?per_page=1&sort_by=id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["result"][0]["id"])')
CURSOR=""
for _ in $(seq 1 10); do
  CURSOR=$(curl -sf -H "$AUTH" "$BASE?per_page=1000${CURSOR:+&cursor=$CURSOR}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["result_info"]["cursor"])')
done

cat > "$WORK/auth.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $TOKEN"
LUA

run() { # name url → "rps p50 p99" median of 3
  local name=$1 url=$2
  curl -sf -o /dev/null -H "$AUTH" "$url" || { echo "request failed: $url" >&2; exit 1; }
  wrk -t2 -c64 -d3s -s "$WORK/auth.lua" "$url" > /dev/null  # warm-up
  for i in 1 2 3; do
    wrk -t2 -c64 -d10s --latency -s "$WORK/auth.lua" "$url" > "$WORK/$name.$i"
  done
  python3 - "$WORK/$name" <<'PY'
import re, statistics, sys
def ms(v, unit): return float(v) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
rows = []
for i in (1, 2, 3):
    t = open(f"{sys.argv[1]}.{i}").read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
    p50 = ms(*re.search(r"50%\s+([\d.]+)(us|ms|s)", t).groups())
    p99 = ms(*re.search(r"99%\s+([\d.]+)(us|ms|s)", t).groups())
    errs = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
    if errs: sys.exit(f"{sys.argv[1]}: {errs.group(1)} non-2xx responses")
    rows.append((rps, p50, p99))
print(f"{statistics.median(r[0] for r in rows):.0f} {statistics.median(r[1] for r in rows):.2f} {statistics.median(r[2] for r in rows):.2f}")
PY
}

GET=$(run get "$BASE/$ID")
L0=$(run list0 "$BASE?per_page=50")
L10K=$(run list10k "$BASE?per_page=50&cursor=$CURSOR")
echo "| case | requests/s | p50 ms | p99 ms |"
echo "|---|---:|---:|---:|"
set -- $GET; echo "| GET one registration | $1 | $2 | $3 |"
set -- $L0; echo "| list, 50 items, depth 0 | $1 | $2 | $3 |"
set -- $L10K; echo "| list, 50 items, depth 10 000 | $1 | $2 | $3 |"
echo
echo "Preload: $SEED_LINE. Machine: $(nproc) cores, $(java -version 2>&1 | head -1), wrk and gateway on the same cores."
