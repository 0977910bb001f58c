#!/usr/bin/env bash
# Starts Bantin past one machine, on one machine: PostgreSQL, two Bantin instances, HAProxy across them,
# Varnish in front for everything cacheable and Pushpin holding live streams; then reports readiness.
#
#   src/deploy/topology.sh start | status | stop | restart 1|2   (restart: one instance, as after a kill)
#
# Ports (all on 127.0.0.1) start at BANTIN_TOPOLOGY_PORT (default 8600): +0 the public door (HAProxy),
# +1/+2 the instances, +10 HAProxy's instance balancer, +20 Varnish (+21 its admin), +30 Pushpin (its
# internal and publish ports at +40..+43, publishing at +41). Runtime files: target/topology/ (or BANTIN_TOPOLOGY_RUN).
# Each instance soft-purges Varnish by scope after every change (bantin.varnish.nodes); BANTIN_TOPOLOGY_ARGS
# adds to (or, given again, overrides) the instances' arguments; BANTIN_TOPOLOGY_DB names their database;
# BANTIN_TOPOLOGY_WAIT (seconds, default 90) bounds the wait for readiness (JVMs start slowly on busy cores).
# BANTIN_TOPOLOGY_JAVA_OPTS adds JVM options to both instances (the engine tests: -XX:+UseSerialGC -XX:TieredStopAtLevel=1).
# BANTIN_TOPOLOGY_GRIP=1 switches on GRIP mode: Pushpin holds the streams, the instances answer stream requests
# with GRIP instructions and publish every change to Pushpin's publish API (bantin.stream.grip.*).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BASE=${BANTIN_TOPOLOGY_PORT:-8600}
FRONT=$BASE; I1=$((BASE + 1)); I2=$((BASE + 2)); BACKEND=$((BASE + 10))
VARNISH=$((BASE + 20)); VARNISH_ADMIN=$((BASE + 21)); PUSHPIN=$((BASE + 30))
PUSHPIN_OFFSET=$((BASE + 40 - 5560)) # Pushpin's own ports (zmq, publish API) at +40..+43; publish is +41
DB=${BANTIN_TOPOLOGY_DB:-bantin_topology}
TOKEN=${BANTIN_ADMIN_TOKEN:-topology-$(hostname | sha256sum | cut -c1-24)}
# Pushpin signs what it forwards (Grip-Sig) with this key; in GRIP mode the instances check it.
GRIP_KEY=${BANTIN_TOPOLOGY_GRIP_KEY:-grip-$(echo "$TOKEN" | sha256sum | cut -c1-24)}
GRIP_ARGS=""
if [[ ${BANTIN_TOPOLOGY_GRIP:-0} == 1 ]]; then
  GRIP_ARGS="--bantin.stream.grip.enabled=true --bantin.stream.grip.publish-url=http://127.0.0.1:$((BASE + 41))"
  GRIP_ARGS+=" --bantin.stream.grip.key=$GRIP_KEY"
fi
RUN=${BANTIN_TOPOLOGY_RUN:-$ROOT/target/topology}
JAR="$ROOT/target/bantin-0.1.0-SNAPSHOT.jar"

say() { printf '[topology] %s\n' "$*"; }
up() { curl -fs -o /dev/null --max-time 2 "$1"; }

start_postgres() {
  if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
    say "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
  fi
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && return; sleep 1; done
  say "PostgreSQL did not start"; exit 1
}

start_instances() {
  if [[ ! -f "$JAR" || -n $(find "$ROOT/src/main" "$ROOT/pom.xml" "$ROOT/schema.sql" -newer "$JAR" -print -quit) ]]; then
    say "building $JAR"
    (cd "$ROOT" && mvn -B -q -DskipTests package)
  fi
  # Created here, once: two instances starting at once on a loaded machine each had 9 s to connect and create it.
  if [[ -z $(psql -X -At -h 127.0.0.1 -U postgres -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DB'") ]]; then
    psql -X -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE $DB"
  fi
  rm -f "$RUN"/bantin-[12].log
  start_instance 1
  start_instance 2
}

start_instance() {
  local n=$1 port=$((BASE + $1))
  say "starting Bantin instance $n on $port"
  nohup java -Xmx512m ${BANTIN_TOPOLOGY_JAVA_OPTS:-} -jar "$JAR" --server.port="$port" \
    --spring.r2dbc.url="r2dbc:postgresql://127.0.0.1:5432/$DB" \
    --bantin.public-url="http://127.0.0.1:$FRONT" --bantin.admin-token="$TOKEN" --bantin.create-database=false \
    --bantin.varnish.nodes="http://127.0.0.1:$VARNISH" $GRIP_ARGS ${BANTIN_TOPOLOGY_ARGS:-} >>"$RUN/bantin-$n.log" 2>&1 &
  echo $! >"$RUN/bantin-$n.pid"
}

start_haproxy() {
  local servers="    server bantin1 127.0.0.1:$I1 check
    server bantin2 127.0.0.1:$I2 check"
  sed -e "s/@FRONT_PORT@/$FRONT/; s/@VARNISH_PORT@/$VARNISH/; s/@PUSHPIN_PORT@/$PUSHPIN/; s/@BACKEND_PORT@/$BACKEND/" \
    "$ROOT/src/deploy/haproxy.cfg" | awk -v s="$servers" '{ if ($0 == "@SERVERS@") print s; else print }' >"$RUN/haproxy.cfg"
  say "starting HAProxy on $FRONT (public) and $BACKEND (instances)"
  haproxy -D -f "$RUN/haproxy.cfg" -p "$RUN/haproxy.pid"
}

start_varnish() {
  sed -e "s/@BACKEND_PORT@/$BACKEND/" "$ROOT/src/deploy/bantin.vcl" >"$RUN/bantin.vcl"
  say "starting Varnish on $VARNISH"
  varnishd -n "$RUN/varnish" -a "127.0.0.1:$VARNISH" -T "127.0.0.1:$VARNISH_ADMIN" -f "$RUN/bantin.vcl" \
    -s malloc,256m -P "$RUN/varnish.pid" -p vsl_space=16m
}

# Pushpin sends at most message_rate messages a second to its clients (one per subscriber per item) and
# holds at most message_hwm more; past that it drops them. Debian's 2,500 and 25,000 held 500 SSE
# subscribers at 5 publishes a second ~2 s behind and lost events at 10,000 subscribers.
PUSHPIN_MESSAGE_RATE=${BANTIN_PUSHPIN_MESSAGE_RATE:-100000}
PUSHPIN_MESSAGE_HWM=${BANTIN_PUSHPIN_MESSAGE_HWM:-500000}

start_pushpin() {
  mkdir -p "$RUN/pushpin/run" "$RUN/pushpin/log"
  echo "* 127.0.0.1:$BACKEND" >"$RUN/pushpin/routes"
  sed -e "s|^rundir=.*|rundir=$RUN/pushpin/run|; s|^logdir=.*|logdir=$RUN/pushpin/log|" \
      -e "s|^http_port=.*|http_port=$PUSHPIN|; s|^port_offset=.*|port_offset=$PUSHPIN_OFFSET|" \
      -e "s|^routesfile=.*|routesfile=$RUN/pushpin/routes|" -e "s|^sig_key=.*|sig_key=$GRIP_KEY|" \
      -e "s|^ipc_prefix=.*|ipc_prefix=bantin-$BASE-|" \
      -e "s|^message_rate=.*|message_rate=$PUSHPIN_MESSAGE_RATE|; s|^message_hwm=.*|message_hwm=$PUSHPIN_MESSAGE_HWM|" \
      /etc/pushpin/pushpin.conf >"$RUN/pushpin/pushpin.conf"
  # Pushpin reaches the origin through zurl; Debian's zurl refuses loopback targets and listens on a
  # system path, so this topology runs its own.
  local zurl="ipc://$RUN/pushpin/run/zurl"
  cat >"$RUN/pushpin/zurl.conf" <<ZURL
[General]
in_spec=$zurl-in
in_stream_spec=$zurl-in-stream
out_spec=$zurl-out
in_req_spec=$zurl-req
defpolicy=allow
allow=
deny=
max_open_requests=20000
buffer_size=200000
timeout=600
ZURL
  printf 'zurl_out_specs=%s\nzurl_out_stream_specs=%s\nzurl_in_specs=%s\n' "$zurl-in" "$zurl-in-stream" "$zurl-out" \
    | sed -i '/^\[proxy\]/r /dev/stdin' "$RUN/pushpin/pushpin.conf"
  nohup zurl --config="$RUN/pushpin/zurl.conf" >"$RUN/pushpin/zurl.out" 2>&1 &
  echo $! >"$RUN/zurl.pid"
  say "starting Pushpin on $PUSHPIN (publish API on $((BASE + 41)))"
  nohup pushpin --config="$RUN/pushpin/pushpin.conf" >"$RUN/pushpin/pushpin.out" 2>&1 &
  echo $! >"$RUN/pushpin.pid"
}

status() {
  local ok=0
  check() { if up "$2"; then say "ready    $1"; else say "NOT READY $1"; ok=1; fi; }
  check "bantin-1      http://127.0.0.1:$I1" "http://127.0.0.1:$I1/actuator/health/readiness"
  check "bantin-2      http://127.0.0.1:$I2" "http://127.0.0.1:$I2/actuator/health/readiness"
  check "haproxy       http://127.0.0.1:$BACKEND" "http://127.0.0.1:$BACKEND/actuator/health/readiness"
  check "varnish       http://127.0.0.1:$VARNISH" "http://127.0.0.1:$VARNISH/feeds/rss.xml"
  check "pushpin       http://127.0.0.1:$PUSHPIN" "http://127.0.0.1:$PUSHPIN/actuator/health/readiness"
  check "public door   http://127.0.0.1:$FRONT" "http://127.0.0.1:$FRONT/api/v1/bulletins?limit=1"
  return $ok
}

stop() {
  for f in "$RUN"/*.pid; do
    [[ -f $f ]] || continue
    kill "$(cat "$f")" 2>/dev/null || true
    rm -f "$f"
  done
  say "stopped"
}

case "${1:-start}" in
  start)
    mkdir -p "$RUN"
    stop >/dev/null
    start_postgres
    start_instances
    start_haproxy
    start_varnish
    start_pushpin
    # Instances start in seconds on quiet cores; on cores shared with other builds it took over two minutes.
    say "waiting for readiness (up to ${BANTIN_TOPOLOGY_WAIT:-90} s)"
    until status >/dev/null 2>&1 || ((SECONDS > ${BANTIN_TOPOLOGY_WAIT:-90})); do sleep 1; done
    status && say "admin token: $TOKEN" && say "public door: http://127.0.0.1:$FRONT"
    ;;
  status) status ;;
  restart) # one instance, 1 or 2, e.g. after a failover test killed it
    [[ ${2:-} == [12] ]] || { echo "usage: $0 restart 1|2" >&2; exit 2; }
    if [[ -f "$RUN/bantin-$2.pid" ]] && kill "$(cat "$RUN/bantin-$2.pid")" 2>/dev/null; then
      for _ in $(seq 1 60); do kill -0 "$(cat "$RUN/bantin-$2.pid")" 2>/dev/null || break; sleep 0.5; done
    fi
    start_instance "$2"
    until up "http://127.0.0.1:$((BASE + $2))/actuator/health/readiness" || ((SECONDS > ${BANTIN_TOPOLOGY_WAIT:-240})); do sleep 1; done
    status ;;
  stop) stop ;;
  *) echo "usage: $0 start|status|stop|restart 1|2" >&2; exit 2 ;;
esac
