#!/usr/bin/env bash
# NDJSON export benchmark: does GET /api/v1/bulletins (Accept: application/x-ndjson) stream N rows
# through a -Xmx256m server with flat memory?
#
#   src/bench/ndjson/run.sh [ROWS]          ROWS defaults to 1000000 (env BENCH_ROWS too)
#
# Env: BENCH_PASSES (2), BENCH_PORT (18090), BENCH_DB (bantin_bench), BENCH_RESEED=1 to force a reseed,
#      BENCH_STREAM_TIMEOUT (1200 s per pass), BENCH_SLOW_SECONDS (30; 0 skips the slow-client pass),
#      BENCH_SLOW_RATE (1M, curl --limit-rate), BENCH_XMX (256m).
# Results (logs, jstat samples, gc.log, results.md) go to bench-results/ndjson-<utc time>/ (git-ignored).
set -euo pipefail

source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../lib/common.sh"

ROWS=${1:-${BENCH_ROWS:-1000000}}
PASSES=${BENCH_PASSES:-2}
STREAM_TIMEOUT=${BENCH_STREAM_TIMEOUT:-1200}
SLOW_SECONDS=${BENCH_SLOW_SECONDS:-30}
SLOW_RATE=${BENCH_SLOW_RATE:-1M}
XMX=${BENCH_XMX:-256m}
[[ $ROWS =~ ^[0-9]+$ && $ROWS -gt 0 ]] || { echo "ROWS must be a positive integer" >&2; exit 2; }

OUT="$BENCH_ROOT/bench-results/ndjson-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
BASE="http://127.0.0.1:$BENCH_PORT"
SERVER_PID= JSTAT_PID= RSS_PID=

cleanup() {
  local rc=$?
  for p in $JSTAT_PID $RSS_PID; do kill "$p" 2>/dev/null || true; done
  if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    log "stopping server (pid $SERVER_PID)"
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 40); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
  fi
  wait 2>/dev/null || true
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if (exec 3<>"/dev/tcp/127.0.0.1/$BENCH_PORT") 2>/dev/null; then
  echo "port $BENCH_PORT is already in use: not starting a second server" >&2; exit 1
fi

ensure_jar
ensure_schema
ensure_seed "$ROWS"
EXPECTED=$(visible_count)
log "visible bulletins: $EXPECTED (of $ROWS seeded)"

log "starting server on $BASE with -Xmx$XMX (logs in $OUT)"
java -Xmx"$XMX" -Xlog:gc:file="$OUT/gc.log":uptime -Xlog:gc+init:file="$OUT/gc-init.log" \
  -jar "$BENCH_JAR" --server.port="$BENCH_PORT" \
  --spring.r2dbc.url="r2dbc:postgresql://127.0.0.1:$BENCH_PG_PORT/$BENCH_DB" \
  --bantin.admin-token="bench-$(od -An -N12 -tx1 /dev/urandom | tr -d " \n")" >"$OUT/server.log" 2>&1 &
SERVER_PID=$!
for i in $(seq 120); do
  kill -0 "$SERVER_PID" 2>/dev/null || { tail -30 "$OUT/server.log" >&2; echo "server died" >&2; exit 1; }
  curl -fsS -o /dev/null "$BASE/actuator/health/readiness" 2>/dev/null && break
  [[ $i == 120 ]] && { echo "server not ready after 120 s" >&2; exit 1; }
  sleep 1
done
log "server ready (pid $SERVER_PID)"

mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }           # KiB -> MiB
gc_lines() { wc -l <"$OUT/gc.log"; }
# After-GC heap (MiB) of the last "Pause Full" line of gc.log (jcmd GC.run: "Diagnostic Command").
live_after_full_gc() {
  jcmd "$SERVER_PID" GC.run >/dev/null
  sleep 0.5
  grep 'Pause Full' "$OUT/gc.log" | tail -1 | sed -E 's/.* [0-9]+M->([0-9]+)M\(.*/\1/' || true
}

start_samplers() { # $1 = file prefix
  jstat -gc -t "$SERVER_PID" 250 >"$1.jstat" 2>/dev/null &
  JSTAT_PID=$!
  ( while kill -0 "$SERVER_PID" 2>/dev/null; do
      awk '/^VmRSS/ { print $2 }' "/proc/$SERVER_PID/status"; sleep 0.25
    done ) >"$1.rss" 2>/dev/null &
  RSS_PID=$!
  sleep 1.5 # let jstat attach before the stream starts
}
stop_samplers() {
  sleep 1
  kill "$JSTAT_PID" "$RSS_PID" 2>/dev/null || true
  wait "$JSTAT_PID" "$RSS_PID" 2>/dev/null || true
  JSTAT_PID= RSS_PID=
}

# jstat (JDK 17, G1): max of S0U+S1U+EU+OU, max OU, young and full GC counts over the window.
jstat_summary() {
  awk 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
       $1 ~ /^[0-9.]+$/ {
         used = $c["S0U"] + $c["S1U"] + $c["EU"] + $c["OU"]; if (used > mu) mu = used
         if ($c["OU"] > mo) mo = $c["OU"]
         if (n == 0) { y0 = $c["YGC"]; f0 = $c["FGC"] }; y1 = $c["YGC"]; f1 = $c["FGC"]; n++ }
       END { printf "%.1f %.1f %d %d %d\n", mu / 1024, mo / 1024, y1 - y0, f1 - f0, n }' "$1"
}
# gc.log lines ($2, $3]: max after-GC heap and ~10 evenly spaced after-GC values (MiB).
gc_window() {
  sed -n "$(($2 + 1)),$3p" "$1" | grep -E 'Pause Young' |
    sed -nE 's/.* [0-9]+M->([0-9]+)M\(([0-9]+)M\).*/\1/p' |
    awk '{ v[NR] = $1; if ($1 > m) m = $1 }
         END { s = ""; step = NR > 10 ? NR / 10 : 1
               for (i = 1; i <= NR; i += step) s = s (s == "" ? "" : " ") v[int(i)]
               printf "%d|%s\n", m, s }'
}

{
  echo "# NDJSON export benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "- host: $(nproc) cores (shared with other builds), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- $(java -version 2>&1 | head -1), $(grep -m1 -o "Using [A-Za-z0-9]*" "$OUT/gc.log" 2>/dev/null || echo 'GC ?'), -Xmx$XMX"
  echo "- $(bench_psql -At -c 'SHOW server_version' | sed 's/^/PostgreSQL /'), database $BENCH_DB, commit $(git -C "$BENCH_ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "- seeded $ROWS bulletins, $EXPECTED visible; request: GET /api/v1/bulletins, Accept: application/x-ndjson, curl | wc -lc"
  echo
  echo "| pass | rows streamed | expected | ok | wall s | first byte s | rows/s | MB | MB/s | peak heap used (jstat) MiB | peak old gen MiB | max after-GC MiB | live before → after MiB | young GCs | full GCs | peak RSS MiB |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
} >"$OUT/results.md"
FLAT="$OUT/after-gc.txt"; : >"$FLAT"
FAILED=0

for pass in $(seq "$PASSES"); do
  live0=$(live_after_full_gc)
  g0=$(gc_lines)
  start_samplers "$OUT/pass$pass"
  log "pass $pass: streaming $EXPECTED rows"
  set +e
  curl -sS --fail --max-time "$STREAM_TIMEOUT" -H 'Accept: application/x-ndjson' \
    -w '%{stderr}%{time_starttransfer} %{time_total} %{size_download}\n' \
    "$BASE/api/v1/bulletins" 2>"$OUT/pass$pass.curl" | wc -lc >"$OUT/pass$pass.wc"
  rcs=("${PIPESTATUS[@]}")
  set -e
  stop_samplers
  g1=$(gc_lines)
  live1=$(live_after_full_gc)
  read -r lines bytes <"$OUT/pass$pass.wc"
  read -r ttfb wall _ < <(tail -1 "$OUT/pass$pass.curl")
  read -r peak_used peak_old ygc fgc nsamples < <(jstat_summary "$OUT/pass$pass.jstat")
  IFS='|' read -r max_after series < <(gc_window "$OUT/gc.log" "$g0" "$g1")
  peak_rss=$(sort -n "$OUT/pass$pass.rss" | tail -1)
  ok=yes
  if [[ ${rcs[0]} != 0 || $lines != "$EXPECTED" ]]; then ok="NO (curl rc ${rcs[0]})"; FAILED=1; fi
  echo "pass $pass: $series" >>"$FLAT"
  awk -v p="$pass" -v l="$lines" -v e="$EXPECTED" -v ok="$ok" -v w="$wall" -v t="$ttfb" -v b="$bytes" \
      -v pu="$peak_used" -v po="$peak_old" -v ma="$max_after" -v l0="$live0" -v l1="$live1" \
      -v y="$ygc" -v f="$fgc" -v r="$(mb "${peak_rss:-0}")" 'BEGIN {
    printf "| %s | %d | %d | %s | %.1f | %.2f | %.0f | %.0f | %.1f | %s | %s | %s | %s → %s | %d | %d | %s |\n",
      p, l, e, ok, w, t, (w > 0 ? l / w : 0), b / 1e6, (w > 0 ? b / 1e6 / w : 0), pu, po, ma, l0, l1, y, f, r }' \
    >>"$OUT/results.md"
  log "pass $pass: $lines rows, ${wall}s, curl rc ${rcs[0]}, jstat samples $nsamples"
done

if [[ $SLOW_SECONDS -gt 0 ]]; then
  # A client slower than the database: backpressure must stop the server reading ahead, so the
  # heap stays flat although the database could deliver far more than the client takes.
  live0=$(live_after_full_gc)
  g0=$(gc_lines)
  start_samplers "$OUT/slow"
  log "slow client: --limit-rate $SLOW_RATE for $SLOW_SECONDS s"
  set +e
  curl -sS --max-time "$SLOW_SECONDS" --limit-rate "$SLOW_RATE" -H 'Accept: application/x-ndjson' \
    -w '%{stderr}%{time_starttransfer} %{time_total} %{size_download}\n' \
    "$BASE/api/v1/bulletins" 2>"$OUT/slow.curl" | wc -lc >"$OUT/slow.wc"
  set -e
  stop_samplers
  g1=$(gc_lines)
  sleep 2
  # After the client went away the app must cancel its cursor query, not keep reading.
  still=$(bench_psql -At -c "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
           AND pid <> pg_backend_pid() AND state = 'active' AND query LIKE '%FROM bulletins b%'")
  live1=$(live_after_full_gc)
  read -r lines bytes <"$OUT/slow.wc"
  read -r ttfb wall _ < <(tail -1 "$OUT/slow.curl")
  read -r peak_used peak_old ygc fgc nsamples < <(jstat_summary "$OUT/slow.jstat")
  IFS='|' read -r max_after series < <(gc_window "$OUT/gc.log" "$g0" "$g1")
  peak_rss=$(sort -n "$OUT/slow.rss" | tail -1)
  echo "slow: $series" >>"$FLAT"
  awk -v l="$lines" -v w="$wall" -v t="$ttfb" -v b="$bytes" -v pu="$peak_used" -v po="$peak_old" \
      -v ma="${max_after:-0}" -v l0="$live0" -v l1="$live1" -v y="$ygc" -v f="$fgc" \
      -v r="$(mb "${peak_rss:-0}")" -v rate="$SLOW_RATE" -v s="$still" 'BEGIN {
    printf "| slow client (%s/s, cut after %ds) | %d | – | %s | %.1f | %.2f | %.0f | %.0f | %.2f | %s | %s | %s | %s → %s | %d | %d | %s |\n",
      rate, w, l, (s == 0 ? "query cancelled" : "QUERY STILL RUNNING"), w, t, (w > 0 ? l / w : 0), b / 1e6,
      (w > 0 ? b / 1e6 / w : 0), pu, po, ma, l0, l1, y, f, r }' >>"$OUT/results.md"
  [[ $still == 0 ]] || FAILED=1
fi

{
  echo
  echo "After-GC heap (MiB) of ~10 evenly spaced young GCs through each pass (flat = constant memory):"
  echo
  sed 's/^/    /' "$FLAT"
  echo
  echo "- load average at end: $(cut -d' ' -f1-3 /proc/loadavg); MB = 10^6 bytes; heap figures from jstat -gc every 250 ms"
  echo "  and the G1 log (-Xlog:gc); \"live\" = heap after a System.gc() (jcmd GC.run) before and after the pass."
} >>"$OUT/results.md"

echo
cat "$OUT/results.md"
log "results in $OUT"
exit "$FAILED"
