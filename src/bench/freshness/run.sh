#!/usr/bin/env bash
# Freshness: PAIRS write-then-read pairs (1,000 by default) against two instances of the packaged jar on
# 127.0.0.1:$BENCH_PORT (18110) and $BENCH_PORT2 (18111) sharing one database ($BENCH_DB, bantin_freshness,
# emptied first). Counts stale reads on the writing instance (feed, JSON list, bulletin JSON, page) and times
# the 201-to-fresh-feed delay on the second instance (p50/p90/p99). Bounded: every wait has a timeout.
# Usage: src/bench/freshness/run.sh [PAIRS]
set -euo pipefail
cd "$(dirname "$0")/../../.."
PAIRS=${1:-1000}
PORT=${BENCH_PORT:-18110}
PORT2=${BENCH_PORT2:-18111}
DB=${BENCH_DB:-bantin_freshness}
ADMIN=bench-$(od -An -N12 -tx1 /dev/urandom | tr -d " \n") # the start-up check refuses weak or placeholder tokens
OUT=$(mktemp -d)

mvn -B -q -o package -DskipTests
JAR=$(ls target/bantin-*.jar | grep -v original | head -1)
psql -X -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1 \
  || psql -X -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB"
psql -X -h 127.0.0.1 -U postgres -d "$DB" -qc "DROP TABLE IF EXISTS websub_position, log_positions, bulletin_events,
  bulletin_images, bulletin_tags, bulletins, categories, tags CASCADE" 2>/dev/null

PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do
    for _ in $(seq 1 60); do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$p" 2>/dev/null || true
  done
}
trap cleanup EXIT
for port in "$PORT" "$PORT2"; do # one after the other: the first one creates the schema
  BANTIN_ADMIN_TOKEN=$ADMIN java -Xmx256m -jar "$JAR" --server.port="$port" \
    --spring.r2dbc.url="r2dbc:postgresql://localhost:5432/$DB" --logging.level.root=WARN \
    --bantin.write-rate.per-second=1000 --bantin.write-rate.burst=1000 > "$OUT/server-$port.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 240); do
    curl -fsS "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null 2>&1 && break
    sleep 0.5
  done
done
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
timeout 1200 java -Xmx256m src/bench/freshness/FreshBench.java "http://127.0.0.1:$PORT" "http://127.0.0.1:$PORT2" \
  "$ADMIN" "$PAIRS"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
