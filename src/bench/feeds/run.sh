#!/usr/bin/env bash
# Bantin's 50-item RSS feed against nginx serving the same bytes as a static file, both on 127.0.0.1.
#
#   src/bench/feeds/run.sh            # from the project root; needs java, mvn, psql, curl, wrk, nginx
#
# Starts the packaged jar on BENCH_BANTIN_PORT (18081) with its own database (bantin_feeds, emptied
# first), seeds 50 Vietnamese bulletins, copies /feeds/rss.xml into a static root served by nginx on
# BENCH_NGINX_PORT (18097), then runs wrk (50 connections, BENCH_SECONDS each, default 15) for:
#   (a) 200 with Accept-Encoding: gzip   (Bantin: its render cache; nginx: gzip_static)
#   (b) 304 with If-None-Match            (Bantin: from the in-memory generation; nginx: its ETag)
# BENCH_ROUNDS times (default 3, alternating the servers) and prints requests/s, p99 latency and the
# ratio per round as a markdown table. The machine is shared and wrk competes for its cores: figures
# are indicative. Everything it starts is stopped on exit, by pid.
set -euo pipefail

cd "$(dirname "$0")/../../.."
BANTIN_PORT=${BENCH_BANTIN_PORT:-18081}
NGINX_PORT=${BENCH_NGINX_PORT:-18097}
SECONDS_EACH=${BENCH_SECONDS:-15}
ROUNDS=${BENCH_ROUNDS:-3}
CONNECTIONS=${BENCH_CONNECTIONS:-50}
DB=${BENCH_DB:-bantin_feeds}
NGINX="http://127.0.0.1:$NGINX_PORT"
source src/bench/reads/server.sh # start_bantin, seed, start_nginx, etag, measure; stops what it started

port_free "$NGINX_PORT"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
start_bantin -Xmx512m
seed 50
curl -fs "$BANTIN/feeds/rss.xml" -o "$WORK/rss.xml"

echo "== nginx on $NGINX serving the same bytes" >&2
mkdir -p "$WORK/root"
cp "$WORK/rss.xml" "$WORK/root/rss.xml"
gzip -k -6 "$WORK/root/rss.xml"
start_nginx "types { application/rss+xml xml; }" "charset_types application/rss+xml;" \
  'gzip_static on; gzip_vary on; add_header Cache-Control "public, max-age=60";'

bantin_etag=$(etag "$BANTIN/feeds/rss.xml")
nginx_etag=$(etag "$NGINX/rss.xml")
[[ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $bantin_etag" "$BANTIN/feeds/rss.xml")" == 304 ]]
[[ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $nginx_etag" "$NGINX/rss.xml")" == 304 ]]
size=$(stat -c %s "$WORK/root/rss.xml"); gz=$(curl -fs -H 'Accept-Encoding: gzip' "$BANTIN/feeds/rss.xml" | wc -c)

echo "== warm-up Bantin (5 s)" >&2
wrk -t2 -c"$CONNECTIONS" -d5s -H 'Accept-Encoding: gzip' "$BANTIN/feeds/rss.xml" > /dev/null
# Rounds alternate the two servers so that whatever else the shared cores do falls on both alike.
echo "== measuring: $ROUNDS rounds, ${SECONDS_EACH}s per run, $CONNECTIONS connections" >&2
rows=()
for round in $(seq 1 "$ROUNDS"); do
  read -r b200 b200p99 b200e <<< "$(measure bantin-200-$round "$BANTIN/feeds/rss.xml" 'Accept-Encoding: gzip')"
  read -r n200 n200p99 n200e <<< "$(measure nginx-200-$round "$NGINX/rss.xml" 'Accept-Encoding: gzip')"
  read -r b304 b304p99 b304e <<< "$(measure bantin-304-$round "$BANTIN/feeds/rss.xml" "If-None-Match: $bantin_etag")"
  read -r n304 n304p99 n304e <<< "$(measure nginx-304-$round "$NGINX/rss.xml" "If-None-Match: $nginx_etag")"
  rows+=("$(printf '| %s | %s (p99 %s) | %s (p99 %s) | %s | %s (p99 %s) | %s (p99 %s) | %s | %s |' "$round" \
    "$b200" "$b200p99" "$n200" "$n200p99" "$(awk "BEGIN{printf \"%.2f\", $b200 / $n200}")" \
    "$b304" "$b304p99" "$n304" "$n304p99" "$(awk "BEGIN{printf \"%.2f\", $b304 / $n304}")" \
    "$((b200e + n200e + b304e + n304e))")")
done

echo
echo "50-item RSS feed: $size bytes, $gz bytes gzipped; wrk -t2 -c$CONNECTIONS -d${SECONDS_EACH}s on $(nproc) shared cores;" \
  "load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "Bantin answered $(curl -fs "$BANTIN/actuator/prometheus" | awk '/^bantin_cache_direct_total/{printf "%d", $2}') feed requests on its direct route."
echo
echo "| round | Bantin 200 gzip req/s | nginx 200 gzip_static req/s | ratio | Bantin 304 req/s | nginx 304 req/s | ratio | non-2xx/3xx |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo "(raw wrk output and logs in $WORK)"
