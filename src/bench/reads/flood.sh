#!/usr/bin/env bash
# One anonymous client asks for 2,000 distinct URL variants; the live heap must stay under the cache budget
# plus the baseline, and every answer must succeed.
#
#   src/bench/reads/flood.sh          # from anywhere in the clone; needs java (jcmd), mvn, psql, curl, jq
#
# Starts the packaged jar (-Xmx512m, default bantin.cache.max-bytes=64MB, or BENCH_CACHE_BYTES) on
# BENCH_BANTIN_PORT (18203) with its own database (bantin_bench_reads, emptied first), seeds 210 bulletins,
# measures the live heap after a full GC (jcmd GC.run, then GC.heap_info), sends the variants
# (feeds of the site and of three categories, in three formats, ?limit=1…167: every one a different answer
# of up to ~0.5 MB; 8 at a time), checks health, and measures the live heap again.
set -euo pipefail

cd "$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
BANTIN_PORT=${BENCH_BANTIN_PORT:-18203}
DB=${BENCH_DB:-bantin_bench_reads}
VARIANTS=${BENCH_VARIANTS:-2000}
source src/bench/reads/server.sh

live_heap_mib() {
  jcmd "$bantin_pid" GC.run > /dev/null
  jcmd "$bantin_pid" GC.heap_info | awk '/garbage-first heap/{for(i=1;i<=NF;i++) if($i=="used"){v=$(i+1); sub(/K,?/,"",v); printf "%.1f", v/1024}}'
}
metric() { curl -fs "$BANTIN/actuator/prometheus" | awk -v m="$1" '$1==m{printf "%d", $2}'; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
start_bantin -Xmx512m ${BENCH_CACHE_BYTES:+-Dbantin.cache.max-bytes=$BENCH_CACHE_BYTES}
seed 210
# The baseline is taken once every kind of URL the flood asks for has been served (code paths, buffers and
# meters warmed), so what grows afterwards is what the variants leave behind.
for path in / /api/v1/bulletins /feeds/opml.xml; do curl -fs -o /dev/null "$BANTIN$path"; done
for scope in "" categories/thoi-su/ categories/kinh-te/ categories/dan-van/; do
  for file in rss.xml atom.xml feed.json; do
    curl -fs -o /dev/null "$BANTIN/feeds/$scope$file?limit=201"
    curl -fs -o /dev/null -H 'Accept-Encoding: gzip' "$BANTIN/feeds/$scope$file?limit=201"
  done
done
budget=$(metric bantin_cache_max_bytes)
baseline=$(live_heap_mib)
echo "== live heap after GC before the flood: $baseline MiB; budget $((budget / 1048576)) MiB" >&2

urls="$WORK/urls"
: > "$urls"
n=0
for limit in $(seq 1 200); do
  for scope in "" categories/thoi-su/ categories/kinh-te/ categories/dan-van/; do
    for file in rss.xml atom.xml feed.json; do
      (( n < VARIANTS )) && echo "$BANTIN/feeds/$scope$file?limit=$limit" >> "$urls"
      n=$((n + 1))
    done
  done
done
echo "== $(wc -l < "$urls") distinct URLs, 8 at a time" >&2
t0=$SECONDS
xargs -P 8 -n 1 curl -s -o /dev/null -H 'Accept-Encoding: gzip' -w '%{http_code}\n' < "$urls" > "$WORK/codes"
took=$((SECONDS - t0))
after=$(live_heap_mib)
health=$(curl -s -o /dev/null -w '%{http_code}' "$BANTIN/actuator/health/readiness")
failed=$(grep -vc '^200$' "$WORK/codes" || true)

echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD), $(nproc) shared cores, load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| variants | took | non-200 | readiness after | live heap before | live heap after | cache held | budget | entries | evictions |"
echo "|---|---|---|---|---|---|---|---|---|---|"
printf '| %s | %s s | %s | %s | %s MiB | %s MiB | %s MiB | %s MiB | %s | %s |\n' "$(wc -l < "$urls")" "$took" "$failed" "$health" \
  "$baseline" "$after" "$(awk "BEGIN{printf \"%.1f\", $(metric bantin_cache_bytes) / 1048576}")" "$((budget / 1048576))" \
  "$(metric bantin_cache_entries)" "$(metric bantin_cache_evictions_total)"
awk -v b="$baseline" -v a="$after" -v m="$budget" 'BEGIN{ if (a > b + m / 1048576) { print "live heap grew past baseline + budget"; exit 1 } }'
[[ "$failed" == 0 && "$health" == 200 ]]
echo "(logs in $WORK)"
