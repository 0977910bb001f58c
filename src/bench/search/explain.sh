#!/usr/bin/env bash
# EXPLAIN (ANALYZE, BUFFERS) of the app's full-text search query on a seeded bench database.
#
#   src/bench/search/explain.sh [COMMON_Q [RARE_Q [ABSENT_Q]]]   defaults: 'dan van', 'fansipan', 'xyzzy'
#
# COMMON_Q matches ~half the rows, RARE_Q ~0.1 % (1 row in 997 of the seed), ABSENT_Q none (the worst case
# of the ordered index: it walks every visible row).
#
# The SQL is taken from the sources (BulletinRows.SELECT, BulletinRows.VISIBLE, the q clause and the
# ORDER BY of BulletinRepository.list) so it is the query the app sends, with LIMIT 21 (a page of 20 + 1).
# Each query runs once to warm the cache, then under EXPLAIN (ANALYZE, BUFFERS):
#   1. custom plan (the literal q, what PostgreSQL plans for the first 5 executions of a statement);
#   2. generic plan (PREPARE + plan_cache_mode = force_generic_plan): r2dbc-postgresql caches named
#      prepared statements, so after 5 executions on one connection PostgreSQL may switch to this plan,
#      which cannot see how common the words are.
# BENCH_TRY_STATISTICS=1000 also re-runs the custom plans after
#   ALTER TABLE bulletins ALTER COLUMN search SET STATISTICS 1000; ANALYZE bulletins
# (the proposed fix), then puts the default statistics back (SET STATISTICS -1; ANALYZE).
# Seeds 100,000 rows first when the database holds fewer (env BENCH_SEARCH_ROWS to change).
# Plans are saved to bench-results/search-<utc time>/ (git-ignored).
set -euo pipefail

source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../lib/common.sh"

COMMON_Q=${1:-dan van}
RARE_Q=${2:-fansipan}
ABSENT_Q=${3:-xyzzy}
TRY_STATS=${BENCH_TRY_STATISTICS:-}
[[ -z $TRY_STATS || $TRY_STATS =~ ^[0-9]+$ ]] || { echo "BENCH_TRY_STATISTICS must be a number" >&2; exit 2; }
MIN_ROWS=${BENCH_SEARCH_ROWS:-100000}
OUT="$BENCH_ROOT/bench-results/search-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"

SRC="$BENCH_ROOT/src/main/java/io/bantin/bulletin"
SELECT_SQL=$(awk '/static final String SELECT = """/ { f = 1; next } f && /""";/ { exit } f' "$SRC/BulletinRows.java")
VISIBLE_SQL=$(sed -nE 's/.*VISIBLE = "([^"]*)".*/\1/p' "$SRC/BulletinRows.java")
Q_SQL=$(grep -o 'b\.search @@ [^"]*' "$SRC/BulletinRepository.java" | head -1)
ORDER_SQL=$(grep -o 'ORDER BY b\.published_at DESC, b\.id DESC' "$SRC/BulletinRepository.java" | head -1)
for part in SELECT_SQL VISIBLE_SQL Q_SQL ORDER_SQL; do
  [[ -n ${!part} ]] || { echo "could not find $part in $SRC: has the query moved?" >&2; exit 1; }
done
# :q -> $1 (a bound parameter, as r2dbc sends it)
QUERY="$SELECT_SQL WHERE $VISIBLE_SQL AND ${Q_SQL//:q/\$1} $ORDER_SQL LIMIT 21"
printf '%s\n' "$QUERY" >"$OUT/query.sql"

ensure_schema
count=$(bench_psql -At -c "SELECT count(*) FROM bulletins")
if ((count < MIN_ROWS)); then
  ensure_seed "$MIN_ROWS"
  count=$(bench_psql -At -c "SELECT count(*) FROM bulletins")
fi

sql_literal() { printf "'%s'" "${1//\'/\'\'}"; }

# $1 label, $2 q, $3 custom|generic
explain() {
  local label=$1 q=$2 mode=$3 lit
  lit=$(sql_literal "$q")
  {
    echo "SET plan_cache_mode = $([[ $mode == generic ]] && echo force_generic_plan || echo force_custom_plan);"
    echo "PREPARE search(text) AS $QUERY;"
    echo "EXECUTE search($lit) \\g /dev/null"
    echo "EXPLAIN (ANALYZE, BUFFERS) EXECUTE search($lit);"
  } | bench_psql -At -f - >"$OUT/$label.plan"
}

summarize() { # $1 label, $2 q, $3 mode
  local f="$OUT/$1.plan" idx top exec matches est
  idx=$(grep -oE '(Bitmap Index Scan|Index Scan|Index Only Scan|Seq Scan)( Backward)? (using|on) [a-z_]+( on [a-z_]+ b)?' "$f" |
        grep -E 'bulletins_|on bulletins' | sort -u | paste -sd ';' - | sed 's/;/; /g')
  top=$(grep -m1 -oE '^[A-Za-z ]+' "$f" | sed 's/ *$//')
  exec=$(sed -nE 's/^Execution Time: ([0-9.]+) ms/\1/p' "$f")
  matches=$(echo "SELECT count(*) FROM bulletins b WHERE $VISIBLE_SQL AND ${Q_SQL//:q/$(sql_literal "$2")};" |
            bench_psql -At -f -)
  est=$(grep -m1 -E 'Index Scan using bulletins_visible_order|Bitmap Index Scan on bulletins_search|Seq Scan on bulletins b' "$f" |
        sed -nE 's/.*\(cost=[0-9.]+\.\.[0-9.]+ rows=([0-9]+) .*/\1/p')
  uses=no; grep -q 'Bitmap Index Scan on bulletins_search' "$f" && uses=yes
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$2" "$3" "$matches" "$est" "$uses" "$idx" "$exec"
}

RUNS=("common-custom|$COMMON_Q|custom" "common-generic|$COMMON_Q|generic"
      "rare-custom|$RARE_Q|custom" "rare-generic|$RARE_Q|generic"
      "absent-custom|$ABSENT_Q|custom" "absent-generic|$ABSENT_Q|generic")
for r in "${RUNS[@]}"; do
  IFS='|' read -r label q mode <<<"$r"
  log "EXPLAIN $label (q = '$q')"
  explain "$label" "$q" "$mode"
done

if [[ -n $TRY_STATS ]]; then
  restore_stats() {
    log "restoring the default statistics target of bulletins.search"
    bench_psql -c "ALTER TABLE bulletins ALTER COLUMN search SET STATISTICS -1" -c "ANALYZE bulletins"
  }
  trap restore_stats EXIT
  log "trying ALTER TABLE bulletins ALTER COLUMN search SET STATISTICS $TRY_STATS; ANALYZE"
  bench_psql -c "ALTER TABLE bulletins ALTER COLUMN search SET STATISTICS $TRY_STATS" -c "ANALYZE bulletins"
  for r in "common-custom|$COMMON_Q|custom" "rare-custom|$RARE_Q|custom" "absent-custom|$ABSENT_Q|custom" \
           "rare-generic|$RARE_Q|generic"; do
    IFS='|' read -r label q mode <<<"$r"
    label="stats$TRY_STATS-$label"
    log "EXPLAIN $label (q = '$q')"
    explain "$label" "$q" "$mode"
    RUNS+=("$label|$q|$mode")
  done
fi

{
  echo "# Full-text search plans, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "- $(bench_psql -At -c 'SHOW server_version' | sed 's/^/PostgreSQL /'), database $BENCH_DB, $count bulletins," \
       "$(nproc) cores shared with other builds"
  echo "- query: BulletinRows.SELECT + VISIBLE + \`${Q_SQL}\` + ORDER BY published_at DESC, id DESC LIMIT 21 (saved in query.sql)"
  echo
  echo "| run | q | plan | visible matches | planner's estimate | Bitmap Index Scan on bulletins_search | bulletins indexes used | execution ms |"
  echo "|---|---|---|---|---|---|---|---|"
  for r in "${RUNS[@]}"; do IFS='|' read -r label q mode <<<"$r"; summarize "$label" "$q" "$mode"; done
} >"$OUT/summary.md"

for r in "${RUNS[@]}"; do
  IFS='|' read -r label q mode <<<"$r"
  echo "== $label: q = '$q', $mode plan =="
  cat "$OUT/$label.plan"
  echo
done
cat "$OUT/summary.md"
if grep -q '^| common-custom .*| yes |' "$OUT/summary.md" && grep -q '^| rare-custom .*| yes |' "$OUT/summary.md"; then
  echo; echo "bulletins_search (Bitmap Index Scan) is used for both queries."
else
  echo; echo "bulletins_search is NOT used for every query: the planner walks bulletins_visible_order (newest first)"
  echo "and filters each row on 'search @@ ...', stopping after 21 matches. Right for common words, slow for rare"
  echo "or absent ones (it walks the whole index); see src/bench/README.md for why and the proposed change."
fi
log "plans in $OUT"
