#!/usr/bin/env bash
# WebSub durability: a ping owed when the instance dies is sent after it restarts (the position is in PostgreSQL).
# Starts the packaged jar on 127.0.0.1:$BENCH_PORT (18100) with a stand-in hub (python3, port 18102) that
# answers slowly, publishes one bulletin, kill -9s the server right after the 201 (its pings are in flight,
# unanswered), restarts it with the hub answering at once, and shows the hub then got every feed's ping.
# Usage: src/bench/websub/run.sh     Database: $BENCH_DB (bantin_websub; emptied first).
set -euo pipefail
cd "$(dirname "$0")/../../.."
PORT=${BENCH_PORT:-18100}
HUB_PORT=${BENCH_HUB_PORT:-18102}
DB=${BENCH_DB:-bantin_websub}
ADMIN=bench-$(od -An -N12 -tx1 /dev/urandom | tr -d " \n") # the start-up check refuses weak or placeholder tokens
OUT=$(mktemp -d)
HUB_LOG=$OUT/hub.log
SLOW=$OUT/hub-slow
BASE=http://127.0.0.1:$PORT

mvn -B -q -o package -DskipTests
JAR=$(ls target/bantin-*.jar | grep -v original | head -1)

psql -X -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1 \
  || psql -X -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB"
psql -X -h 127.0.0.1 -U postgres -d "$DB" -qc "DROP TABLE IF EXISTS websub_position, bulletin_events,
  bulletin_images, bulletin_tags, bulletins, categories, tags CASCADE" 2>/dev/null

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

touch "$SLOW" "$HUB_LOG"
python3 src/bench/websub/hub.py "$HUB_PORT" "$HUB_LOG" "$SLOW" &
PIDS+=($!)

start_server() {
  BANTIN_ADMIN_TOKEN=$ADMIN java -Xmx256m -jar "$JAR" --server.port="$PORT" \
    --spring.r2dbc.url="r2dbc:postgresql://localhost:5432/$DB" --bantin.public-url="$BASE" \
    --bantin.websub.hub="http://127.0.0.1:$HUB_PORT/hub" --logging.level.root=WARN >> "$OUT/server.log" 2>&1 &
  SERVER=$!
  PIDS+=("$SERVER")
  for _ in $(seq 1 240); do
    curl -fsS "$BASE/actuator/health/readiness" >/dev/null 2>&1 && return
    sleep 0.5
  done
  echo "server did not start; see $OUT/server.log" >&2
  exit 1
}

start_server
echo "== publishing, then kill -9 right after the 201 (the hub is slow: its pings are unanswered)"
curl -fsS -o /dev/null -w '%{http_code}\n' -X POST "$BASE/api/v1/bulletins" -H "Authorization: Bearer $ADMIN" \
  -H 'Content-Type: application/json' \
  -d '{"title":"Tin trước khi sập","category":"Thời sự","author":"Ban biên tập"}'
{ kill -9 "$SERVER"; wait "$SERVER"; } 2>/dev/null || true
echo "killed; the write had answered 201; the hub had received $(grep -c received "$HUB_LOG" || true) pings and answered $(grep -c answered "$HUB_LOG" || true)"
echo "event log: seq $(psql -X -h 127.0.0.1 -U postgres -d "$DB" -tAc 'SELECT max(seq) FROM bulletin_events');" \
  "websub_position: seq $(psql -X -h 127.0.0.1 -U postgres -d "$DB" -tAc 'SELECT seq FROM websub_position')"

rm -f "$SLOW"
: > "$HUB_LOG"
echo "== restart (the hub now answers at once)"
T0=$(date +%s.%N)
start_server
for _ in $(seq 1 120); do
  [ "$(grep -c answered "$HUB_LOG" || true)" -ge 9 ] && break
  sleep 0.25
done
echo "after the restart the hub answered $(grep -c answered "$HUB_LOG" || true) pings (9 expected: site, category, author x 3 formats):"
sort -n "$HUB_LOG" | awk -v t0="$T0" '$2 == "answered" { printf "  +%5.2f s after the restart began  %s\n", $1 - t0, $3 }'
echo "websub_position: seq $(psql -X -h 127.0.0.1 -U postgres -d "$DB" -tAc 'SELECT seq FROM websub_position')"
[ "$(grep -c answered "$HUB_LOG")" -ge 9 ]
