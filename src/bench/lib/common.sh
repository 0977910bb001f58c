# Shared helpers for the Bantin benchmarks; source it, do not run it.
# Everything targets 127.0.0.1 only, and a database whose name starts with "bantin_bench" only
# (the seed truncates the bulletin tables).

BENCH_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH_ROOT=$(git -C "$BENCH_LIB_DIR" rev-parse --show-toplevel 2>/dev/null || (cd "$BENCH_LIB_DIR/../../.." && pwd))
BENCH_DB=${BENCH_DB:-bantin_bench}
BENCH_PG_PORT=${BENCH_PG_PORT:-5432}
BENCH_PORT=${BENCH_PORT:-18090}
BENCH_JAR="$BENCH_ROOT/target/bantin-0.1.0-SNAPSHOT.jar"

case "$BENCH_DB" in
  bantin_bench*) ;;
  *) echo "refusing to use database '$BENCH_DB': the benchmarks only touch bantin_bench*" >&2; exit 2 ;;
esac

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# psql against the bench database, failing on the first error, no ~/.psqlrc.
bench_psql() {
  psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$BENCH_PG_PORT" -U postgres -d "$BENCH_DB" "$@"
}

# Builds the jar when it is missing or older than the sources (tests skipped: this is a benchmark,
# not a test run), so a benchmark never measures stale code.
ensure_jar() {
  if [[ ! -f "$BENCH_JAR" || -n $(find "$BENCH_ROOT/src/main" "$BENCH_ROOT/pom.xml" "$BENCH_ROOT/schema.sql" \
        -newer "$BENCH_JAR" -print -quit) ]]; then
    log "building $BENCH_JAR"
    (cd "$BENCH_ROOT" && timeout 900 mvn -B -q -DskipTests package)
  fi
}

# Creates the database when missing and applies schema.sql, as the app does at start-up
# (the schema is idempotent and has no dollar-quoted bodies, so psql runs it as is).
ensure_schema() {
  if [[ -z $(psql -X -At -h 127.0.0.1 -p "$BENCH_PG_PORT" -U postgres -d postgres \
        -c "SELECT 1 FROM pg_database WHERE datname = '$BENCH_DB'") ]]; then
    log "creating database $BENCH_DB"
    psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$BENCH_PG_PORT" -U postgres -d postgres \
      -c "CREATE DATABASE $BENCH_DB"
  fi
  PGOPTIONS='-c client_min_messages=warning' bench_psql -f "$BENCH_ROOT/schema.sql" >/dev/null
}

# Seeds $1 bulletins unless the database already holds exactly that seed.
ensure_seed() {
  local rows=$1 have
  have=$(bench_psql -At -c "SELECT to_regclass('bench_seed') IS NOT NULL" )
  if [[ $have == t ]]; then
    have=$(bench_psql -At -c "SELECT s.rows FROM bench_seed s WHERE s.rows = (SELECT count(*) FROM bulletins)")
  else
    have=
  fi
  if [[ "$have" == "$rows" && -z "${BENCH_RESEED:-}" ]]; then
    log "database $BENCH_DB already holds the $rows-row seed (BENCH_RESEED=1 to redo it)"
    return
  fi
  log "seeding $rows bulletins into $BENCH_DB (this takes a while: ~4 min per million on 2 cores)"
  local t0=$SECONDS
  PGOPTIONS='-c client_min_messages=warning' timeout "${BENCH_SEED_TIMEOUT:-3600}" \
    psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$BENCH_PG_PORT" -U postgres -d "$BENCH_DB" \
    -v rows="$rows" -f "$BENCH_LIB_DIR/../seed/seed.sql"
  log "seeded in $((SECONDS - t0)) s"
}

# The number of bulletins the public list shows now: the app's VISIBLE predicate.
visible_count() {
  bench_psql -At -c "SELECT count(*) FROM bulletins b
    WHERE b.withdrawn_at IS NULL AND b.status <> 'draft' AND b.published_at <= now()"
}
