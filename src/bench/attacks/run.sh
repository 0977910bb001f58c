#!/usr/bin/env bash
# Hostile-client benchmark: one Bantin instance (-Xmx512m) on 127.0.0.1, each attack for ATTACK_SECONDS
# while a separate polite client probes GET /api/v1/bulletins/{slug} and /feeds/rss.xml; after each attack
# it reports heap and direct memory after a full GC, open files, OutOfMemoryError in the log, and how
# long until the polite client is served normally again. See src/bench/README.md.
# Usage: src/bench/attacks/run.sh [ATTACK ...]   (default: all; names: sse sse-retry slowloris idle exports tokens body pipelining)
# Knobs: ATTACK_SECONDS (30), BENCH_PORT (18310), BENCH_DB (bantin_bench_attacks), SSE_CLIENTS (3000),
# SLOWLORIS (500), IDLE_FLOOD (12000), EXPORTS (100: half never read), BENCH_REBUILD=1,
# BENCH_JAVA_OPTS (extra JVM options, e.g. -XX:StartFlightRecording=filename=sse.jfr to profile).
set -euo pipefail
BENCH_PORT=${BENCH_PORT:-18310}
BENCH_DB=${BENCH_DB:-bantin_bench_attacks}
source "$(dirname "$0")/../lib/common.sh"
cd "$BENCH_ROOT"
ulimit -n "$(ulimit -Hn)"   # the attacker's own sockets; the server keeps the same limit

[[ -n "${BENCH_REBUILD:-}" ]] && rm -f "$BENCH_JAR"
ensure_jar
ensure_schema
OUT=bench-results/attacks-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
ADMIN=bench-$(od -An -N12 -tx1 /dev/urandom | tr -d " \n")
bench_psql -c "TRUNCATE bulletins, bulletin_events, categories, tags CASCADE" >/dev/null 2>&1 || true
# 2,000 bulletins of ~6 KB for the exports (about 12 MB an export).
bench_psql -c "INSERT INTO bulletins (id, slug, title, body, body_text, status, published_at, updated_at)
  SELECT gen_random_uuid(), 'tan-cong-' || g, 'Tin thử tải số ' || g, '<p>' || repeat('Ngân sách tỉnh. ', 400) || '</p>',
         repeat('Ngân sách tỉnh. ', 400), 'published', now() - g * interval '1 minute', now()
  FROM generate_series(1, 2000) g" >/dev/null

log "starting server on 127.0.0.1:$BENCH_PORT (-Xmx512m), logs in $OUT/server.log"
java -Xmx512m ${BENCH_JAVA_OPTS:-} -jar "$BENCH_JAR" --server.port="$BENCH_PORT" \
  --spring.r2dbc.url="r2dbc:postgresql://127.0.0.1:$BENCH_PG_PORT/$BENCH_DB" \
  --bantin.admin-token="$ADMIN" >"$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; for _ in $(seq 40); do kill -0 $SERVER 2>/dev/null || break; sleep 0.5; done; kill -9 $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 120); do
  curl -sf -o /dev/null "http://127.0.0.1:$BENCH_PORT/actuator/health/readiness" && break
  kill -0 "$SERVER" 2>/dev/null || { tail -20 "$OUT/server.log" >&2; exit 1; }
  sleep 0.5
done
log "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 src/bench/attacks/attacks.py "http://127.0.0.1:$BENCH_PORT" "$SERVER" "$ADMIN" "$OUT/server.log" "$@" \
  | tee "$OUT/report.md"
log "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
