#!/usr/bin/env bash
# Stream load test: one Bantin instance (-Xmx512m) on 127.0.0.1:18082, N SSE subscribers, B bulletins.
# Usage: src/bench/streams/run.sh [SUBSCRIBERS=1000] [BULLETINS=100] [PAUSE_MS=0]
# Reports the live heap per idle stream (class histograms with no stream and with N idle ones), then
# publishes B bulletins one every PAUSE_MS (200: 5 a second) and reports deliveries/s, p50/p99/max and CPU.
# The server's stream caps (max-open, open-rate, connection cap) are raised to fit N.
# BENCH_INSTANCES=2: a second instance (-Xmx512m, port BENCH_PORT2=18083) on the same database; the
# subscribers are split round-robin between the two, bulletins are published through the first one, so
# the second one's subscribers get every event through the cross-instance path (NOTIFY + bulletin_events).
# BENCH_WARMUP=W: W bulletins published at the same pace first, unmeasured (see StreamBench.java).
# BENCH_JVM_ARGS: more options for the servers' JVMs (a flight recording, say).
# Figures on a shared 2-core machine are indicative only. Bounded: every wait has a timeout.
set -euo pipefail
cd "$(dirname "$0")/../../.."
SUBSCRIBERS=${1:-1000}
BULLETINS=${2:-100}
PAUSE_MS=${3:-0}
INSTANCES=${BENCH_INSTANCES:-1}
PORT=${BENCH_PORT:-18082}
PORT2=${BENCH_PORT2:-18083}
DB_URL=${BENCH_R2DBC_URL:-r2dbc:postgresql://localhost:5432/bantin_streams}
ADMIN=bench-$(od -An -N12 -tx1 /dev/urandom | tr -d " \n")
case "$INSTANCES" in 1|2) ;; *) echo "BENCH_INSTANCES must be 1 or 2" >&2; exit 2 ;; esac
ulimit -n "$(ulimit -Hn)" # each subscriber is one socket on both sides

mvn -B -q -o package -DskipTests
JAR=$(ls target/bantin-*.jar | grep -v original | head -1)

PORTS=("$PORT")
[ "$INSTANCES" = 2 ] && PORTS+=("$PORT2")
SERVERS=()
stop_servers() { # TERM, then wait (bounded) so the ports are free when the script returns, then KILL
  for s in "${SERVERS[@]}"; do kill "$s" 2>/dev/null || true; done
  for s in "${SERVERS[@]}"; do
    for _ in $(seq 1 60); do kill -0 "$s" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$s" 2>/dev/null || true
  done
}
trap stop_servers EXIT
for p in "${PORTS[@]}"; do # a server left on the port would answer the health check in this run's stead
  ! curl -fsS -o /dev/null "http://127.0.0.1:$p/actuator/health" 2>/dev/null || { echo "port $p is taken" >&2; exit 1; }
done
for i in "${!PORTS[@]}"; do
  # started one after the other: the first one creates the database and the schema
  LOG=target/bench-server.log
  [ "$i" -gt 0 ] && LOG=target/bench-server-$((i + 1)).log
  BANTIN_ADMIN_TOKEN=$ADMIN java -Xmx512m ${BENCH_JVM_ARGS:-} -jar "$JAR" --server.port="${PORTS[$i]}" --spring.r2dbc.url="$DB_URL" \
    --logging.level.root=WARN --bantin.stream.max-open=$((SUBSCRIBERS + 1000)) \
    --bantin.connections.max=$((SUBSCRIBERS + 2000)) --bantin.stream.open-rate=100000 --bantin.stream.open-burst=100000 \
    > "$LOG" 2>&1 &
  SERVERS+=($!)
  for _ in $(seq 1 600); do # up to 5 minutes: a loaded machine starts slowly
    curl -fsS "http://127.0.0.1:${PORTS[$i]}/actuator/health" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -fsS "http://127.0.0.1:${PORTS[$i]}/actuator/health" >/dev/null || { echo "server on ${PORTS[$i]} not up" >&2; exit 1; }
done
BASES=$(printf 'http://127.0.0.1:%s,' "${PORTS[@]}")
PIDS=$(IFS=,; echo "${SERVERS[*]}")

BENCH_SERVER_PID=$PIDS timeout 900 java -Xmx1g src/bench/streams/StreamBench.java \
  "${BASES%,}" "$ADMIN" "$SUBSCRIBERS" "$BULLETINS" "$PAUSE_MS"

for i in "${!SERVERS[@]}"; do
  # the client is gone: let the server finish closing its streams (bounded) before measuring what is left
  for _ in $(seq 1 60); do
    curl -fsS "http://127.0.0.1:${PORTS[$i]}/actuator/prometheus" | grep -qE '^bantin_stream_subscribers 0' && break
    sleep 0.5
  done
  jcmd "${SERVERS[$i]}" GC.run >/dev/null
  echo
  if [ "$INSTANCES" = 1 ]; then
    echo "server heap after the run (after a full GC):"
  else
    echo "server $((i + 1)) (port ${PORTS[$i]}) heap after the run (after a full GC):"
  fi
  jcmd "${SERVERS[$i]}" GC.heap_info | grep -iE 'used|total' | head -3
  curl -fsS "http://127.0.0.1:${PORTS[$i]}/actuator/prometheus" | grep -E '^bantin_stream' || true
done
