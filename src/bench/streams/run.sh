#!/usr/bin/env bash
# Stream load test: one Bantin instance (-Xmx512m) on 127.0.0.1:18082, N SSE subscribers, B bulletins.
# Usage: src/bench/streams/run.sh [SUBSCRIBERS=1000] [BULLETINS=100] [PAUSE_MS=0]
# Figures on a shared 2-core machine are indicative only. Bounded: every wait has a timeout.
set -euo pipefail
cd "$(dirname "$0")/../../.."
SUBSCRIBERS=${1:-1000}
BULLETINS=${2:-100}
PAUSE_MS=${3:-0}
PORT=${BENCH_PORT:-18082}
DB_URL=${BENCH_R2DBC_URL:-r2dbc:postgresql://localhost:5432/bantin_streams}
ADMIN=bench-admin-token
ulimit -n "$(ulimit -Hn)" # each subscriber is one socket on both sides

mvn -B -q -o package -DskipTests
mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
JAR=$(ls target/bantin-*.jar | grep -v original | head -1)

BANTIN_ADMIN_TOKEN=$ADMIN java -Xmx512m -jar "$JAR" --server.port="$PORT" --spring.r2dbc.url="$DB_URL" \
  --logging.level.root=WARN > target/bench-server.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$PORT/actuator/health" >/dev/null 2>&1 && break
  sleep 0.5
done

BENCH_SERVER_PID=$SERVER timeout 900 java -Xmx1g -cp "$(cat target/bench.classpath)" src/bench/streams/StreamBench.java \
  "http://127.0.0.1:$PORT" "$ADMIN" "$SUBSCRIBERS" "$BULLETINS" "$PAUSE_MS"

jcmd "$SERVER" GC.run >/dev/null
echo
echo "server heap after the run (after a full GC):"
jcmd "$SERVER" GC.heap_info | grep -iE 'used|total' | head -3
curl -fsS "http://127.0.0.1:$PORT/actuator/prometheus" | grep -E '^bantin_stream' || true
