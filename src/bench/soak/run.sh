#!/usr/bin/env bash
# Soak test (issue 5): one Bantin instance (-Xmx512m) under mixed traffic for DURATION seconds.
#
#   src/bench/soak/run.sh [DURATION_SECONDS=600] [SUBSCRIBERS=2000] [NEVER_READERS=100] [READ_RATE=150]
#
# Reads (feeds with/without If-None-Match and gzip, JSON lists, searches, NDJSON exports limited to 500 rows,
# single bulletins) are offered at READ_RATE requests/s (open loop), publishes at SOAK_PUBLISH_RATE (20/s), and
# SUBSCRIBERS SSE streams stay open, NEVER_READERS of them never reading. See SoakBench.java for what is checked.
# Database bantin_soak (emptied first) on 127.0.0.1:5432, server on 127.0.0.1:${SOAK_PORT:-18095}.
# Output: bench-results/soak-<UTC time>/ (results.md, soak.log, server.log, gc.log, heap_info.txt).
# Bounded: every wait has a timeout; the server and the load client are stopped on exit (by pid).
set -euo pipefail
cd "$(dirname "$0")/../../.."

DURATION=${1:-600}
SUBSCRIBERS=${2:-2000}
NEVER_READERS=${3:-100}
READ_RATE=${4:-150}
PORT=${SOAK_PORT:-18095}
DB=bantin_soak
ADMIN=soak-$(od -An -N12 -tx1 /dev/urandom | tr -d " \n")
OUT=bench-results/soak-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
ulimit -n "$(ulimit -Hn)" # every SSE client is one socket on each side (and both sides live on this machine)

server=""
cleanup() {
  if [[ -n "$server" ]] && kill -0 "$server" 2>/dev/null; then
    kill "$server" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$server" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$server" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ss -ltn | awk '{print $4}' | grep -q ":$PORT\$"; then echo "port $PORT is taken; set SOAK_PORT" >&2; exit 1; fi

echo "== build (offline)" >&2
timeout 900 mvn -B -q -o -DskipTests package
timeout 300 mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
JAR=target/bantin-0.1.0-SNAPSHOT.jar

echo "== empty database $DB" >&2
if psql -X -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
  psql -X -h 127.0.0.1 -U postgres -d "$DB" -qc "DO 'BEGIN IF to_regclass(''bulletin_events'') IS NOT NULL THEN
       TRUNCATE bulletin_events, bulletin_images, bulletin_tags, bulletins, categories, tags, idempotency_keys, api_tokens;
     END IF; END'" >&2
fi

echo "== start the server on 127.0.0.1:$PORT (-Xmx512m)" >&2
{ echo "date: $(date -u +%FT%TZ)"; echo "commit: $(git rev-parse --short HEAD)"; echo "uptime before: $(uptime)";
  echo "nproc: $(nproc)"; java -version 2>&1 | head -1; } > "$OUT/machine.txt"
java -Xmx512m -Xlog:gc:file="$OUT/gc.log":uptime -XX:+HeapDumpOnOutOfMemoryError -XX:HeapDumpPath="$OUT" -jar "$JAR" --server.port="$PORT" --server.address=127.0.0.1 \
  --spring.r2dbc.url="r2dbc:postgresql://localhost:5432/$DB" --bantin.admin-token="$ADMIN" \
  --bantin.write-rate.per-second=1000 --bantin.write-rate.burst=1000 > "$OUT/server.log" 2>&1 &
server=$!
for _ in $(seq 1 180); do
  curl -fs "http://127.0.0.1:$PORT/actuator/health/readiness" > /dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { tail -30 "$OUT/server.log" >&2; exit 1; }
  sleep 0.5
done
curl -fs "http://127.0.0.1:$PORT/actuator/health/readiness" > /dev/null || { tail -30 "$OUT/server.log" >&2; exit 1; }
echo "== server pid $server; load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2

set +e
SOAK_BASE="http://127.0.0.1:$PORT" SOAK_ADMIN_TOKEN=$ADMIN SOAK_DB=$DB SOAK_SERVER_PID=$server \
  SOAK_DURATION=$DURATION SOAK_SUBSCRIBERS=$SUBSCRIBERS SOAK_NEVER_READERS=$NEVER_READERS SOAK_READ_RATE=$READ_RATE \
  SOAK_OUT="$OUT" timeout $((DURATION + 900)) \
  java -Xmx1g -XX:+UseParallelGC -cp "$(cat target/bench.classpath)" src/bench/soak/SoakBench.java 2>&1 | tee "$OUT/soak.log"
status=${PIPESTATUS[0]}
set -e
echo "uptime after: $(uptime)" >> "$OUT/machine.txt"
grep -cE ' ERROR |Exception' "$OUT/server.log" > "$OUT/server-errors.count" || true
echo
cat "$OUT/machine.txt"
echo "server log: $(cat "$OUT/server-errors.count") lines with ERROR/Exception ($OUT/server.log)"
echo "raw output in $OUT"
exit "$status"
