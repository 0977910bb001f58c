#!/usr/bin/env bash
# HAProxy failover under write and stream load: starts the topology (src/deploy/topology.sh), opens SSE
# clients through the public door (they resume with Last-Event-ID), posts a bulletin every ~100 ms, kill -9s
# instance 1, and checks that no acknowledged write was lost (each 201's id is in the database and in every
# stream), that streams resumed without a gap or a repeat, and lists every failed request by its time from the kill.
# FAILOVER_SIGNAL=TERM stops the instance gracefully instead: HAProxy should drain it with no failed request.
# Usage: src/bench/failover/run.sh [streams=4] [seconds before the kill=5] [seconds after=10]
# Ports from BANTIN_TOPOLOGY_PORT (default 18700), database BANTIN_TOPOLOGY_DB (default bantin_bench_failover).
set -euo pipefail
cd "$(dirname "$0")/../../.."
export BANTIN_TOPOLOGY_PORT=${BANTIN_TOPOLOGY_PORT:-18700}
export BANTIN_TOPOLOGY_DB=${BANTIN_TOPOLOGY_DB:-bantin_bench_failover}
psql -X -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$BANTIN_TOPOLOGY_DB'" | grep -q 1 \
  || psql -X -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $BANTIN_TOPOLOGY_DB"
trap 'src/deploy/topology.sh stop >/dev/null' EXIT
src/deploy/topology.sh start | tee /tmp/topology-$$.out
TOKEN=$(sed -n 's/.*admin token: //p' /tmp/topology-$$.out); rm -f /tmp/topology-$$.out
echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 src/bench/failover/failover.py "http://127.0.0.1:$BANTIN_TOPOLOGY_PORT" "$TOKEN" target/topology/bantin-1.pid \
  "$BANTIN_TOPOLOGY_DB" "${1:-4}" "${2:-5}" "${3:-10}"
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
