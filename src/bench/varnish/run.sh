#!/usr/bin/env bash
# Varnish in front, purged by scope from the change bus: starts the whole topology (src/deploy/topology.sh,
# each instance purging Varnish), then through the public door publishes N bulletins into category A and
# measures how long until the feed and the JSON list served through Varnish show each one (p50/p99), checks
# that category B's feed stays a Varnish HIT meanwhile, and that writes and a stream pass straight through;
# then a polling load (hitratio.py) and Varnish's hit ratio from varnishstat.
# Usage: src/bench/varnish/run.sh [publishes=100] [polling GETs=20000] [a publish every=2500 GETs]
# Ports from BANTIN_TOPOLOGY_PORT (default 18700), database BANTIN_TOPOLOGY_DB (default bantin_bench_varnish).
set -euo pipefail
cd "$(dirname "$0")/../../.."
N=${1:-100}
GETS=${2:-20000}
EVERY=${3:-2500}
export BANTIN_TOPOLOGY_PORT=${BANTIN_TOPOLOGY_PORT:-18700}
export BANTIN_TOPOLOGY_DB=${BANTIN_TOPOLOGY_DB:-bantin_bench_varnish}
psql -X -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$BANTIN_TOPOLOGY_DB'" | grep -q 1 \
  || psql -X -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $BANTIN_TOPOLOGY_DB"
trap 'src/deploy/topology.sh stop >/dev/null' EXIT
src/deploy/topology.sh start | tee /tmp/topology-$$.out
TOKEN=$(sed -n 's/.*admin token: //p' /tmp/topology-$$.out); rm -f /tmp/topology-$$.out
echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 src/bench/varnish/freshness.py "http://127.0.0.1:$BANTIN_TOPOLOGY_PORT" "$TOKEN" "$N"
echo "== load average after freshness: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 src/bench/varnish/hitratio.py "http://127.0.0.1:$BANTIN_TOPOLOGY_PORT" "$TOKEN" target/topology/varnish "$GETS" "$EVERY"
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== purges: $(curl -fs "http://127.0.0.1:$((BANTIN_TOPOLOGY_PORT + 1))/actuator/prometheus" | grep '^bantin_varnish_purges_total' | tr '\n' ' ')"
