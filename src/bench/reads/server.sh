# Shared by reads/run.sh, reads/flood.sh, media/run.sh and feeds/run.sh; source it, do not run it. Starts the packaged jar on
# $BANTIN_PORT with its own database ($DB, emptied first) and seeds $SEED Vietnamese bulletins in three
# categories. Sets $BANTIN, $WORK, $bantin_pid; stops what it started on exit (by pid).

BANTIN="http://127.0.0.1:$BANTIN_PORT"
WORK=$(mktemp -d /tmp/bantin-reads.XXXXXX)
chmod 755 "$WORK" # nginx workers run as an unprivileged user
ADMIN=bench-admin-$RANDOM$RANDOM
bantin_pid=""

cleanup() {
  [[ -n "$bantin_pid" ]] && kill "$bantin_pid" 2>/dev/null && wait "$bantin_pid" 2>/dev/null || true
  [[ -f "$WORK/nginx.pid" ]] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
}
trap cleanup EXIT

port_free() {
  if ss -ltn | awk '{print $4}' | grep -q ":$1\$"; then echo "port $1 is taken; set BENCH_*_PORT" >&2; exit 1; fi
}

start_bantin() { # extra java options...
  port_free "$BANTIN_PORT"
  local jar
  jar=$(ls target/bantin-*.jar 2>/dev/null | grep -v original | head -1 || true)
  # Rebuilt when missing or older than the sources, so a run never measures stale code.
  if [[ -z "$jar" || -n "${BENCH_REBUILD:-}" || -n $(find src/main pom.xml schema.sql -newer "$jar" -print -quit) ]]; then
    mvn -B -q -o -DskipTests package >&2
    jar=$(ls target/bantin-*.jar | grep -v original | head -1)
  fi
  echo "== start Bantin ($jar, commit $(git rev-parse --short HEAD)) on $BANTIN, database $DB" >&2
  psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1 \
    && psql -h 127.0.0.1 -U postgres -d "$DB" -qc "DO 'BEGIN IF to_regclass(''bulletin_events'') IS NOT NULL THEN
         TRUNCATE bulletin_events, bulletin_images, bulletin_tags, bulletins, categories, tags, idempotency_keys, api_tokens,
                  media_files, media;
       END IF; END'" >&2
  SERVER_PORT=$BANTIN_PORT SPRING_R2DBC_URL="r2dbc:postgresql://localhost:5432/$DB" BANTIN_ADMIN_TOKEN=$ADMIN \
    BANTIN_PUBLIC_URL=$BANTIN java "$@" -jar "$jar" > "$WORK/bantin.log" 2>&1 &
  bantin_pid=$!
  for _ in $(seq 1 120); do
    curl -fs "$BANTIN/actuator/health/readiness" > /dev/null 2>&1 && break
    sleep 0.5
  done
  curl -fs "$BANTIN/actuator/health/readiness" > /dev/null || { tail -30 "$WORK/bantin.log"; exit 1; }
}

seed() { # count
  echo "== seed $1 bulletins" >&2
  local publisher paragraph categories i
  publisher=$(curl -fs -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
    -d '{"name":"bench","role":"publisher"}' "$BANTIN/api/v1/tokens" | jq -r .token)
  paragraph='<p>Sáng nay, Ủy ban nhân dân tỉnh Đắk Lắk tổ chức hội nghị tổng kết công tác năm, đánh giá kết quả thực hiện các chỉ tiêu kinh tế – xã hội, quốc phòng – an ninh và triển khai nhiệm vụ trọng tâm của năm tới. Các đại biểu đã thảo luận sôi nổi về chuyển đổi số, xây dựng nông thôn mới và phát triển cây cà phê bền vững.</p>'
  categories=("Thời sự" "Kinh tế" "Dân vận")
  for i in $(seq 1 "$1"); do
    jq -n --arg t "Bản tin số $i: hội nghị tổng kết công tác năm ở Đắk Lắk" --arg p "$paragraph$paragraph$paragraph" \
      --arg c "Các đại biểu dự hội nghị số $i" --arg cat "${categories[$((i % 3))]}" \
      '{title:$t, summary:"Tóm tắt: các đại biểu đánh giá kết quả năm qua và bàn nhiệm vụ năm tới.", body:$p,
        author:"Nguyễn Thị Hồng Nhung", category:$cat, tags:["Hội nghị","Đắk Lắk"],
        images:[{url:"https://anh.example.vn/2024/hoi-nghi.jpg", caption:$c}], language:"vi"}' |
      curl -fs -o /dev/null -H "Authorization: Bearer $publisher" -H 'Content-Type: application/json' \
        --data-binary @- "$BANTIN/api/v1/bulletins"
  done
  # Reads follow the write once the instance has seen it (today a 1 s poll): wait for the whole seed.
  for _ in $(seq 1 40); do
    [[ $(curl -fs "$BANTIN/api/v1/bulletins?limit=100&fields=id" | jq '.items | length') -ge $(( $1 < 100 ? $1 : 100 )) ]] \
      && [[ $(curl -fs "$BANTIN/feeds/rss.xml" | grep -o '<item>' | wc -l) -eq $(( $1 < 50 ? $1 : 50 )) ]] && return
    sleep 0.5
  done
  echo "the seed did not show in the reads" >&2; exit 1
}

# nginx on $NGINX_PORT serving $WORK/root, as a static server at its best: sendfile, keep-alive, no access log.
start_nginx() { # "types { … }" "charset_types …" "extra server directives"
  mkdir -p "$WORK/tmp"
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
  $1
  charset utf-8; $2
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/root;
    $3
  }
}
CONF
  nginx -c "$WORK/nginx.conf" -p "$WORK"
  sleep 0.5
}

etag() { curl -fsI "$1" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}'; }

measure() { # name url header -> "rps p99 non2xx3xx"
  wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_EACH}s" --latency -H "$3" "$2" > "$WORK/$1.wrk"
  local rps p99 errors
  rps=$(awk '/^Requests\/sec/{printf "%d", $2}' "$WORK/$1.wrk")
  p99=$(awk '$1=="99%"{print $2}' "$WORK/$1.wrk")
  errors=$(awk '/Non-2xx or 3xx/{print $NF}' "$WORK/$1.wrk")
  echo "$rps $p99 ${errors:-0}"
}
