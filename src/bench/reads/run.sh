#!/usr/bin/env bash
# Bantin's cached reads against nginx serving the same bytes as static files, both on 127.0.0.1.
#
#   src/bench/reads/run.sh            # from anywhere in the clone; needs java, mvn, psql, curl, jq, wrk, nginx
#
# Starts the packaged jar on BENCH_BANTIN_PORT (18201) with its own database (bantin_bench_reads, emptied
# first), seeds 60 Vietnamese bulletins, saves each read's answer into a static root served by nginx on
# BENCH_NGINX_PORT (18202) (plain and .gz for gzip_static), then runs wrk (BENCH_CONNECTIONS, default 50,
# BENCH_SECONDS each, default 10) for every read, at 200 with Accept-Encoding: gzip and at 304 with
# If-None-Match, BENCH_ROUNDS times (default 2), alternating the servers within each pair so that whatever
# else the shared cores do falls on both alike. Prints one markdown row per read, round and kind.
set -euo pipefail

cd "$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
BANTIN_PORT=${BENCH_BANTIN_PORT:-18201}
NGINX_PORT=${BENCH_NGINX_PORT:-18202}
SECONDS_EACH=${BENCH_SECONDS:-10}
ROUNDS=${BENCH_ROUNDS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-50}
DB=${BENCH_DB:-bantin_bench_reads}
NGINX="http://127.0.0.1:$NGINX_PORT"
source src/bench/reads/server.sh
port_free "$NGINX_PORT"

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
start_bantin -Xmx512m
seed 60
slug=$(curl -fs "$BANTIN/api/v1/bulletins?limit=1&fields=slug" | jq -r '.items[0].slug')

# name | Bantin path | nginx file | media type
reads=(
  "list|/api/v1/bulletins?limit=20|list.json"
  "bulletin|/api/v1/bulletins/$slug|bulletin.json"
  "home|/|index.html"
  "page|/bulletins/$slug|page.html"
  "rss20|/feeds/rss.xml?limit=20|rss20.xml"
  "rss|/feeds/rss.xml|rss.xml"
)

echo "== nginx on $NGINX serving the same bytes" >&2
mkdir -p "$WORK/root"
for read in "${reads[@]}"; do
  IFS='|' read -r name path file <<< "$read"
  curl -fs "$BANTIN$path" -o "$WORK/root/$file"
  gzip -k -6 "$WORK/root/$file"
done
start_nginx "types { application/rss+xml xml; application/json json; text/html html; }" \
  "charset_types application/rss+xml application/json text/html;" \
  'gzip_static on; gzip_vary on; add_header Cache-Control "public, max-age=60";'


direct_before=$(curl -fs "$BANTIN/actuator/prometheus" | awk '/^bantin_cache_direct_total/{printf "%d", $2}')
echo "== warm-up (3 s a read)" >&2
for read in "${reads[@]}"; do
  IFS='|' read -r name path file <<< "$read"
  wrk -t2 -c"$CONNECTIONS" -d3s -H 'Accept-Encoding: gzip' "$BANTIN$path" > /dev/null
done
echo "== measuring: $ROUNDS rounds, ${SECONDS_EACH}s per run, $CONNECTIONS connections" >&2
rows=()
for round in $(seq 1 "$ROUNDS"); do
  for read in "${reads[@]}"; do
    IFS='|' read -r name path file <<< "$read"
    be=$(etag "$BANTIN$path"); ne=$(etag "$NGINX/$file")
    [[ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $be" "$BANTIN$path")" == 304 ]]
    [[ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $ne" "$NGINX/$file")" == 304 ]]
    size=$(curl -fs -H 'Accept-Encoding: gzip' "$BANTIN$path" | wc -c)
    for kind in 200 304; do
      if [[ $kind == 200 ]]; then bh='Accept-Encoding: gzip'; nh=$bh; else bh="If-None-Match: $be"; nh="If-None-Match: $ne"; fi
      if (( round % 2 )); then
        read -r b bp be_ <<< "$(measure "bantin-$name-$kind-$round" "$BANTIN$path" "$bh")"
        read -r n np ne_ <<< "$(measure "nginx-$name-$kind-$round" "$NGINX/$file" "$nh")"
      else
        read -r n np ne_ <<< "$(measure "nginx-$name-$kind-$round" "$NGINX/$file" "$nh")"
        read -r b bp be_ <<< "$(measure "bantin-$name-$kind-$round" "$BANTIN$path" "$bh")"
      fi
      rows+=("$(printf '| `%s` | %s | %s | %s (p99 %s) | %s (p99 %s) | **%s** | %s |' "$path" "$kind" "$round" \
        "$b" "$bp" "$n" "$np" "$(awk "BEGIN{printf \"%.2f\", $b / $n}")" "$((be_ + ne_))")")
      [[ $kind == 200 ]] && rows[-1]="${rows[-1]/| 200 |/| 200 gzip ($size B) |}"
    done
  done
done

echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD); wrk -t2 -c$CONNECTIONS -d${SECONDS_EACH}s on $(nproc) shared cores;" \
  "load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "Bantin answered $(( $(curl -fs "$BANTIN/actuator/prometheus" | awk '/^bantin_cache_direct_total/{printf "%d", $2}') - direct_before ))" \
  "requests on its direct route during the runs."
echo
echo "| read | answer | round | Bantin req/s | nginx req/s | ratio | non-2xx/3xx |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo "(raw wrk output and logs in $WORK)"
