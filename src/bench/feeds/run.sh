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
WORK=$(mktemp -d /tmp/bantin-bench.XXXXXX)
chmod 755 "$WORK" # nginx workers run as an unprivileged user
ADMIN=bench-$(od -An -N12 -tx1 /dev/urandom | tr -d " \n")
BANTIN="http://127.0.0.1:$BANTIN_PORT"
NGINX="http://127.0.0.1:$NGINX_PORT"
bantin_pid=""

cleanup() {
  [[ -n "$bantin_pid" ]] && kill "$bantin_pid" 2>/dev/null && wait "$bantin_pid" 2>/dev/null || true
  [[ -f "$WORK/nginx.pid" ]] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
}
trap cleanup EXIT

for port in "$BANTIN_PORT" "$NGINX_PORT"; do # never disturb what others run on this machine
  if ss -ltn | awk '{print $4}' | grep -q ":$port\$"; then echo "port $port is taken; set BENCH_*_PORT" >&2; exit 1; fi
done

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== package" >&2
jar=$(ls target/bantin-*.jar 2>/dev/null | grep -v original | head -1 || true)
if [[ -z "$jar" || -n "${BENCH_REBUILD:-}" ]]; then
  mvn -B -q -DskipTests package >&2
  jar=$(ls target/bantin-*.jar | grep -v original | head -1)
fi

echo "== start Bantin ($jar) on $BANTIN, database $DB" >&2
psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1 \
  && psql -h 127.0.0.1 -U postgres -d "$DB" -qc "DO 'BEGIN IF to_regclass(''bulletin_events'') IS NOT NULL THEN
       TRUNCATE bulletin_events, bulletin_images, bulletin_tags, bulletins, categories, tags, idempotency_keys, api_tokens;
     END IF; END'" >&2
SERVER_PORT=$BANTIN_PORT SPRING_R2DBC_URL="r2dbc:postgresql://localhost:5432/$DB" BANTIN_ADMIN_TOKEN=$ADMIN \
  BANTIN_PUBLIC_URL=$BANTIN java -Xmx512m -jar "$jar" > "$WORK/bantin.log" 2>&1 &
bantin_pid=$!
for _ in $(seq 1 120); do
  curl -fs "$BANTIN/actuator/health/readiness" > /dev/null 2>&1 && break
  sleep 0.5
done
curl -fs "$BANTIN/actuator/health/readiness" > /dev/null || { tail -30 "$WORK/bantin.log"; exit 1; }

echo "== seed 50 bulletins" >&2
publisher=$(curl -fs -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d '{"name":"bench","role":"publisher"}' "$BANTIN/api/v1/tokens" | jq -r .token)
paragraph='<p>Sáng nay, Ủy ban nhân dân tỉnh Đắk Lắk tổ chức hội nghị tổng kết công tác năm, đánh giá kết quả thực hiện các chỉ tiêu kinh tế – xã hội, quốc phòng – an ninh và triển khai nhiệm vụ trọng tâm của năm tới. Các đại biểu đã thảo luận sôi nổi về chuyển đổi số, xây dựng nông thôn mới và phát triển cây cà phê bền vững.</p>'
for i in $(seq 1 50); do
  jq -n --arg t "Bản tin số $i: hội nghị tổng kết công tác năm ở Đắk Lắk" --arg p "$paragraph$paragraph$paragraph" \
    --arg c "Các đại biểu dự hội nghị số $i" \
    '{title:$t, summary:"Tóm tắt: các đại biểu đánh giá kết quả năm qua và bàn nhiệm vụ năm tới.", body:$p,
      author:"Nguyễn Thị Hồng Nhung", category:"Thời sự", tags:["Hội nghị","Đắk Lắk"],
      images:[{url:"https://anh.example.vn/2024/hoi-nghi.jpg", caption:$c}], language:"vi"}' |
    curl -fs -o /dev/null -H "Authorization: Bearer $publisher" -H 'Content-Type: application/json' \
      --data-binary @- "$BANTIN/api/v1/bulletins"
done
sleep 2 # one generation poll
count=0
for _ in $(seq 1 20); do
  curl -fs "$BANTIN/feeds/rss.xml" -o "$WORK/rss.xml"
  count=$(grep -o '<item>' "$WORK/rss.xml" | wc -l)
  [[ "$count" -eq 50 ]] && break
  sleep 0.5
done
[[ "$count" -eq 50 ]] || { echo "feed has $count items, not 50" >&2; exit 1; }

echo "== nginx on $NGINX serving the same bytes" >&2
mkdir -p "$WORK/root" "$WORK/tmp"
cp "$WORK/rss.xml" "$WORK/root/rss.xml"
gzip -k -6 "$WORK/root/rss.xml"
cat > "$WORK/nginx.conf" <<CONF
worker_processes auto;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/tmp; proxy_temp_path $WORK/tmp; fastcgi_temp_path $WORK/tmp;
  uwsgi_temp_path $WORK/tmp; scgi_temp_path $WORK/tmp;
  sendfile on; tcp_nopush on; keepalive_requests 1000000;
  types { application/rss+xml xml; }
  charset utf-8; charset_types application/rss+xml;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/root;
    gzip_static on; gzip_vary on;
    add_header Cache-Control "public, max-age=60";
  }
}
CONF
nginx -c "$WORK/nginx.conf" -p "$WORK"
sleep 0.5

bantin_etag=$(curl -fsI "$BANTIN/feeds/rss.xml" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')
nginx_etag=$(curl -fsI "$NGINX/rss.xml" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')
[[ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $bantin_etag" "$BANTIN/feeds/rss.xml")" == 304 ]]
[[ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $nginx_etag" "$NGINX/rss.xml")" == 304 ]]
size=$(stat -c %s "$WORK/root/rss.xml"); gz=$(curl -fs -H 'Accept-Encoding: gzip' "$BANTIN/feeds/rss.xml" | wc -c)

measure() { # name url header -> "rps p99"
  wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_EACH}s" --latency -H "$3" "$2" > "$WORK/$1.wrk"
  local rps p99 errors
  rps=$(awk '/^Requests\/sec/{printf "%d", $2}' "$WORK/$1.wrk")
  p99=$(awk '$1=="99%"{print $2}' "$WORK/$1.wrk")
  errors=$(awk '/Non-2xx or 3xx/{print $NF}' "$WORK/$1.wrk")
  echo "$rps $p99 ${errors:-0}"
}

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
