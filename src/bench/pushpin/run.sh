#!/usr/bin/env bash
# GRIP mode against direct mode, on the same machine and cores: the topology of src/deploy/topology.sh (two
# instances -Xmx512m, HAProxy, Varnish, Pushpin) started once per mode, and src/bench/streams/StreamBench.java
# opening N SSE subscribers and publishing B bulletins (PAUSE_MS apart).
#   direct: the subscribers go to the two instances straight (held in-process, round-robin);
#   grip:   the subscribers go to Pushpin (BANTIN_TOPOLOGY_GRIP=1), which holds them and is fed by the
#           instances' publishes.
# Reported per mode: subscribers held, deliveries per second, p50/p99 publish->delivery, and the memory each
# side holds per subscriber: the instances' heap after a full GC, and Pushpin's RSS (condure, pushpin-proxy,
# pushpin-handler, zurl), each with the subscribers open minus before they were opened.
#
#   src/bench/pushpin/run.sh [SUBSCRIBERS=2000] [BULLETINS=20] [PAUSE_MS=200] [MODES="direct grip"]
#
# Ports: topology base BENCH_TOPOLOGY_PORT (default 8850: 8850-8893). Database bantin_bench_pushpin.
# Bounded: every wait has a timeout; the topology is stopped on exit.
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"
cd "$BENCH_ROOT"
SUBSCRIBERS=${1:-2000}
BULLETINS=${2:-20}
PAUSE_MS=${3:-200}
MODES=${4:-direct grip}
BASE=${BENCH_TOPOLOGY_PORT:-8850}
RUN=target/topology
export BANTIN_TOPOLOGY_PORT=$BASE BANTIN_TOPOLOGY_DB=bantin_bench_pushpin
export BANTIN_ADMIN_TOKEN=bench-$(od -An -N12 -tx1 /dev/urandom | tr -d " \n")
# Room for the subscribers on each instance, opened as fast as the client goes.
export BANTIN_TOPOLOGY_ARGS="--bantin.stream.max-open=20000 --bantin.stream.open-rate=5000 --bantin.stream.open-burst=5000 --logging.level.root=WARN"
ulimit -n "$(ulimit -Hn)"

ensure_jar
mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
trap 'src/deploy/topology.sh stop >/dev/null 2>&1 || true' EXIT

# The resident memory, in KiB, of Pushpin's processes (its runner's children) and of our zurl.
pushpin_rss() {
  local pids
  pids=$( { pgrep -P "$(cat $RUN/pushpin.pid 2>/dev/null)" 2>/dev/null; cat $RUN/zurl.pid 2>/dev/null; } | paste -sd, -)
  if [[ -z $pids ]]; then echo 0; return; fi
  ps -o rss= -p "$pids" | awk '{s += $1} END {print s + 0}'
}
# The instances' heap in use after a full GC, in KiB, summed.
instances_heap() {
  local total=0 n used
  for n in 1 2; do
    jcmd "$(cat $RUN/bantin-$n.pid)" GC.run >/dev/null
    used=$(curl -fsS "http://127.0.0.1:$((BASE + n))/actuator/prometheus" \
      | awk '/^jvm_memory_used_bytes\{area="heap"/ {s += $NF} END {printf "%d", s / 1024}')
    total=$((total + used))
  done
  echo "$total"
}

for mode in $MODES; do
  log "mode $mode: starting the topology on $BASE"
  BANTIN_TOPOLOGY_GRIP=$([[ $mode == grip ]] && echo 1 || echo 0) timeout 300 src/deploy/topology.sh start >target/bench-pushpin-$mode-topology.log 2>&1 \
    || { cat target/bench-pushpin-$mode-topology.log; exit 1; }
  sleep 5 # the JIT and the pools settle
  heap0=$(instances_heap); rss0=$(pushpin_rss)
  if [[ $mode == grip ]]; then
    bases="http://127.0.0.1:$((BASE + 30))"
  else
    bases="http://127.0.0.1:$((BASE + 1)),http://127.0.0.1:$((BASE + 2))"
  fi
  out=target/bench-pushpin-$mode.out
  BENCH_HOLD_SECONDS=30 timeout 900 java -Xmx1g -cp "$(cat target/bench.classpath)" src/bench/streams/StreamBench.java \
    "$bases" "$BANTIN_ADMIN_TOKEN" "$SUBSCRIBERS" "$BULLETINS" "$PAUSE_MS" >"$out" 2>&1 &
  client=$!
  for _ in $(seq 1 900); do grep -q '^holding' "$out" && break; kill -0 $client 2>/dev/null || break; sleep 1; done
  heap1=$(instances_heap); rss1=$(pushpin_rss)
  held=$(curl -fsS "http://127.0.0.1:$((BASE + 1))/actuator/prometheus" "http://127.0.0.1:$((BASE + 2))/actuator/prometheus" \
    | awk '/^bantin_stream_subscribers / {s += $NF} END {print s + 0}')
  wait $client || true
  grep -E '^connected|^\||^without' "$out" | grep -v '^|---' || cat "$out"
  connected=$(sed -nE 's/^connected ([0-9]+) of.*/\1/p' "$out")
  # deliveries over the time from the first publish to the last delivery
  # the table's columns: deliveries (expected) $6, deliveries/s $8 (first publish to last delivery), p50 $9, p99 $10, max $11
  grep -E '^\| [0-9]' "$out" | awk -F'|' '{ printf "deliveries: %s; deliveries per second: %s; p50 %s ms, p99 %s ms, max %s ms\n", $6, $8, $9, $10, $11 }' 
  awk -v m="$mode" -v n="$connected" -v held="$held" -v h0="$heap0" -v h1="$heap1" -v r0="$rss0" -v r1="$rss1" 'BEGIN {
    printf "%s: %d subscribers held (%d of them by the instances); Bantin heap %.0f -> %.0f MiB (%.1f KiB a subscriber); Pushpin RSS %.0f -> %.0f MiB (%.1f KiB a subscriber)\n",
      m, n, held, h0 / 1024, h1 / 1024, (h1 - h0) / (n > 0 ? n : 1), r0 / 1024, r1 / 1024, (r1 - r0) / (n > 0 ? n : 1) }'
  src/deploy/topology.sh stop >/dev/null
  sleep 3
done
