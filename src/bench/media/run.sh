#!/usr/bin/env bash
# Photo uploads and photo serving, in one run, on the same 12-megapixel JPEG:
#
#   src/bench/media/run.sh        # from anywhere in a clone; needs java, mvn, psql, curl, jq, wrk, nginx,
#                                 # vipsthumbnail (Debian libvips-tools) and convert (Debian imagemagick)
#
#   1. time to the 201: Bantin keeping a 4000 × 3000 JPEG at widths 320, 640, 1024 and 1600 (decode, orient,
#      sRGB, resample, progressive JPEG q82, stored in PostgreSQL), against libvips' vipsthumbnail and
#      ImageMagick's convert making the same four sizes from the same file (median of BENCH_RUNS, default 5);
#   2. BENCH_CONCURRENT (8) uploads at once into one -Xmx512m instance: statuses, wall time, no
#      OutOfMemoryError, the peak heap after GC (the live heap) from its GC log while they ran;
#   3. serving the 640 rendition: Bantin against nginx serving the same bytes (gzip off), 200 and 304,
#      wrk -t2 -c50 for BENCH_SECONDS (10) each, BENCH_ROUNDS (3) alternating rounds.
#
# Uses its own database (bantin_bench_media, emptied first), 127.0.0.1 only; everything it starts is
# stopped on exit, by pid. The machine is shared: figures are indicative; the load average is printed.
set -euo pipefail

cd "$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
BANTIN_PORT=${BENCH_BANTIN_PORT:-18083}
NGINX_PORT=${BENCH_NGINX_PORT:-18098}
RUNS=${BENCH_RUNS:-5}
CONCURRENT=${BENCH_CONCURRENT:-8}
SECONDS_EACH=${BENCH_SECONDS:-10}
ROUNDS=${BENCH_ROUNDS:-3}
CONNECTIONS=50
DB=bantin_bench_media
NGINX="http://127.0.0.1:$NGINX_PORT"
source src/bench/reads/server.sh
port_free "$NGINX_PORT"
for tool in vipsthumbnail /usr/bin/convert wrk nginx jq; do
  command -v "$tool" > /dev/null || { echo "missing $tool: apt-get install libvips-tools imagemagick wrk nginx jq" >&2; exit 1; }
done

median() { sort -n | awk '{a[NR]=$1} END{print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
now() { date +%s.%N; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== a 12-megapixel photo" >&2
# Plasma fractal noise, blurred a little: compresses like a real photo (a flat test card would flatter everyone).
/usr/bin/convert -size 4000x3000 -seed 7 plasma:fractal -blur 0x1.2 -quality 92 -sampling-factor 2x2 "$WORK/photo.jpg"
photo_bytes=$(stat -c %s "$WORK/photo.jpg")

# Uploads as fast as the benchmark sends them: the per-token upload rate is not what is measured.
export BANTIN_MEDIA_PER_MINUTE=1000 BANTIN_MEDIA_BURST=100
start_bantin -Xmx512m -Xlog:gc:file="$WORK/gc.log":uptimemillis
publisher=$(curl -fs -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d '{"name":"bench-media","role":"publisher"}' "$BANTIN/api/v1/tokens" | jq -r .token)

upload() { # -> "status seconds"
  curl -s -o "$WORK/upload.json" -w '%{http_code} %{time_total}' -H "Authorization: Bearer $publisher" \
    -H 'Content-Type: image/jpeg' --data-binary @"$WORK/photo.jpg" "$BANTIN/api/v1/media"
}

echo "== 1. time to the 201 against vipsthumbnail and convert ($RUNS runs each, after one warm-up)" >&2
read -r status _ <<< "$(upload)"
[[ "$status" == 201 ]] || { cat "$WORK/upload.json"; exit 1; }
bantin_times=(); vips_times=(); magick_times=(); hinted_times=()
for run in $(seq 1 "$RUNS"); do
  read -r status seconds <<< "$(upload)"
  [[ "$status" == 201 ]] || { cat "$WORK/upload.json"; exit 1; }
  bantin_times+=("$seconds")
  t0=$(now)
  for w in 320 640 1024 1600; do
    vipsthumbnail "$WORK/photo.jpg" --size "${w}x" -o "$WORK/vips-$w.jpg[Q=82,strip,interlace]"
  done
  vips_times+=("$(echo "$(now) - $t0" | bc)")
  t0=$(now)
  /usr/bin/convert "$WORK/photo.jpg" -auto-orient -strip -colorspace sRGB -quality 82 -interlace JPEG \
    \( +clone -resize 1600x -write "$WORK/magick-1600.jpg" +delete \) \
    \( +clone -resize 1024x -write "$WORK/magick-1024.jpg" +delete \) \
    \( +clone -resize 640x -write "$WORK/magick-640.jpg" +delete \) \
    -resize 320x "$WORK/magick-320.jpg"
  magick_times+=("$(echo "$(now) - $t0" | bc)")
  # The same with libjpeg's shrink-on-load hint, as Bantin and libvips decode: a fairer ImageMagick.
  t0=$(now)
  /usr/bin/convert -define jpeg:size=1600x1200 "$WORK/photo.jpg" -auto-orient -strip -colorspace sRGB -quality 82 \
    -interlace JPEG \( +clone -resize 1600x -write "$WORK/hinted-1600.jpg" +delete \) \
    \( +clone -resize 1024x -write "$WORK/hinted-1024.jpg" +delete \) \
    \( +clone -resize 640x -write "$WORK/hinted-640.jpg" +delete \) \
    -resize 320x "$WORK/hinted-320.jpg"
  hinted_times+=("$(echo "$(now) - $t0" | bc)")
done
bantin_median=$(printf '%s\n' "${bantin_times[@]}" | median)
vips_median=$(printf '%s\n' "${vips_times[@]}" | median)
magick_median=$(printf '%s\n' "${magick_times[@]}" | median)
hinted_median=$(printf '%s\n' "${hinted_times[@]}" | median)
sizes=$(jq -r '[.renditions[] | "\(.width)×\(.height) \(.length) B"] | join(", ")' "$WORK/upload.json")
vips_sizes=$(for w in 320 640 1024 1600; do printf '%s B ' "$(stat -c %s "$WORK/vips-$w.jpg")"; done)
magick_sizes=$(for w in 320 640 1024 1600; do printf '%s B ' "$(stat -c %s "$WORK/magick-$w.jpg")"; done)
key_url=$(jq -r '.renditions[] | select(.width == 640) | .url' "$WORK/upload.json")

echo "== 2. $CONCURRENT uploads at once" >&2
# One journalist each: a token may have only two uploads in progress at once.
tokens=()
for i in $(seq 1 "$CONCURRENT"); do
  tokens+=("$(curl -fs -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
    -d "{\"name\":\"bench-media-$i\",\"role\":\"publisher\"}" "$BANTIN/api/v1/tokens" | jq -r .token)")
done
gc_from=$(awk 'END{print NR}' "$WORK/gc.log")
t0=$(now)
for i in $(seq 1 "$CONCURRENT"); do
  curl -s -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer ${tokens[$((i - 1))]}" -H 'Content-Type: image/jpeg' \
    --data-binary @"$WORK/photo.jpg" "$BANTIN/api/v1/media" > "$WORK/concurrent-$i.status" &
done
wait $(jobs -p | grep -v "^$bantin_pid\$") 2>/dev/null || true
for i in $(seq 1 "$CONCURRENT"); do while [[ ! -s "$WORK/concurrent-$i.status" ]]; do sleep 0.1; done; done
concurrent_wall=$(echo "$(now) - $t0" | bc)
statuses=$(cat "$WORK"/concurrent-*.status | sort | uniq -c | awk '{printf "%s×%s ", $1, $2}')
# "Pause Young (Normal) (G1 Evacuation Pause) 120M->38M(512M)": the figure after the arrow is what GC kept.
peak_live=$(awk -v from="$gc_from" 'NR > from && /->/ { match($0, /->[0-9]+M/); v = substr($0, RSTART + 2, RLENGTH - 3) + 0; if (v > max) max = v } END { print max + 0 }' "$WORK/gc.log")
peak_committed=$(awk -v from="$gc_from" 'NR > from && /->/ { match($0, /\([0-9]+M\)/); v = substr($0, RSTART + 1, RLENGTH - 3) + 0; if (v > max) max = v } END { print max + 0 }' "$WORK/gc.log")
oom=$(grep -c OutOfMemoryError "$WORK/bantin.log" || true)
jcmd "$bantin_pid" GC.run > /dev/null 2>&1 || true
sleep 1
after_gc=$(tail -1 "$WORK/gc.log" | grep -o -- '->[0-9]*M' | tr -d '>M-' || true)

echo "== 3. the 640 rendition: Bantin against nginx on the same bytes" >&2
path=${key_url#"$BANTIN"}
mkdir -p "$WORK/root$(dirname "$path")"
curl -fs "$BANTIN$path" -o "$WORK/root$path"
file_bytes=$(stat -c %s "$WORK/root$path")
start_nginx "types { image/jpeg jpg; }" "" 'gzip off; add_header Cache-Control "public, max-age=31536000, immutable";'
cmp <(curl -fs "$BANTIN$path") <(curl -fs "$NGINX$path")
bantin_etag=$(etag "$BANTIN$path")
nginx_etag=$(etag "$NGINX$path")
[[ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $bantin_etag" "$BANTIN$path")" == 304 ]]
[[ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $nginx_etag" "$NGINX$path")" == 304 ]]

wrk -t2 -c50 -d5s "$BANTIN$path" > /dev/null
rows=()
for round in $(seq 1 "$ROUNDS"); do
  read -r b200 b200p99 b200e <<< "$(measure bantin-200-$round "$BANTIN$path" 'Accept: image/*')"
  read -r n200 n200p99 n200e <<< "$(measure nginx-200-$round "$NGINX$path" 'Accept: image/*')"
  read -r b304 b304p99 b304e <<< "$(measure bantin-304-$round "$BANTIN$path" "If-None-Match: $bantin_etag")"
  read -r n304 n304p99 n304e <<< "$(measure nginx-304-$round "$NGINX$path" "If-None-Match: $nginx_etag")"
  rows+=("$(printf '| %s | %s (p99 %s) | %s (p99 %s) | %s | %s (p99 %s) | %s (p99 %s) | %s | %s |' "$round" \
    "$b200" "$b200p99" "$n200" "$n200p99" "$(awk "BEGIN{printf \"%.2f\", $b200 / $n200}")" \
    "$b304" "$b304p99" "$n304" "$n304p99" "$(awk "BEGIN{printf \"%.2f\", $b304 / $n304}")" \
    "$((b200e + n200e + b304e + n304e))")")
done

echo
echo "Photo: 4000 × 3000 JPEG, $photo_bytes bytes; $(nproc) shared cores; load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| making 320, 640, 1024, 1600 | median of $RUNS (s) | ratio to ImageMagick |"
echo "|---|---|---|"
printf '| Bantin, upload to 201 (kept in PostgreSQL) | %.3f | %.2f× |\n' "$bantin_median" "$(echo "$bantin_median / $magick_median" | bc -l)"
printf '| ImageMagick convert, one command | %.3f | 1.00× |\n' "$magick_median"
printf '| ImageMagick convert, one command, -define jpeg:size=1600x1200 | %.3f | %.2f× |\n' "$hinted_median" "$(echo "$hinted_median / $magick_median" | bc -l)"
printf '| libvips vipsthumbnail, four commands | %.3f | %.2f× |\n' "$vips_median" "$(echo "$vips_median / $magick_median" | bc -l)"
printf 'Bantin against libvips: %.2f×. Sizes: Bantin %s; libvips %s; ImageMagick %s\n' \
  "$(echo "$bantin_median / $vips_median" | bc -l)" "$sizes" "$vips_sizes" "$magick_sizes"
echo
echo "$CONCURRENT concurrent uploads into -Xmx512m: ${statuses}in ${concurrent_wall}s; OutOfMemoryError: $oom;" \
  "highest heap after a GC pause while they ran: ${peak_live} MB (an upper bound of the live heap: young pauses leave dead old objects; committed at most ${peak_committed} MB); after a full GC: ${after_gc:-?} MB"
echo
echo "640 rendition ($file_bytes bytes), gzip off, wrk -t2 -c50 -d${SECONDS_EACH}s:"
echo
echo "| round | Bantin 200 req/s | nginx 200 req/s | ratio | Bantin 304 req/s | nginx 304 req/s | ratio | non-2xx/3xx |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo "(raw output, GC log and server log in $WORK)"
