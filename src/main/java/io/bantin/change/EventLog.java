package io.bantin.change;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import io.bantin.system.BoundedReads;

/**
 * The append-only log of bulletin changes: the truth the change bus delivers from and streams replay.
 * Appends must run inside the transaction that made the change, so a change and its event commit
 * together or not at all.
 */
@Repository
public class EventLog {

    /** The channel every instance listens on; a notification's payload is the seq just appended. */
    static final String CHANNEL = "bantin_events";

    // One lock key for all appenders: held from the append to commit, it makes sequence numbers
    // become visible in order, so a reader resuming after N can never miss a smaller, later-committed one.
    private static final long APPEND_LOCK = 0x62616e74696eL; // "bantin"

    private static final String COLUMNS = """
            seq, bulletin_id, kind, category_slug, tag_slugs, previous_category_slug, previous_tag_slugs,
            scopes, created_at, payload::text AS payload""";

    private final DatabaseClient db;

    public EventLog(DatabaseClient db) {
        this.db = db;
    }

    /**
     * An appended event as the change bus knows it: its seq, and the time it was logged, which tells it from
     * an event given the same seq after the log restarted.
     */
    public record Appended(long seq, Instant at) {
    }

    /**
     * Appends an event, signals it to every instance at commit, and answers with its seq and time.
     * {@code previous} are the terms the bulletin had before an edit (else null): subscribers following
     * a category or tag it has just left hear of it as a deletion. {@code scopes} are kept with the event,
     * so every instance knows what it touched without a query.
     */
    public Mono<Appended> append(UUID bulletinId, Change.Kind kind, Change.Terms terms, Change.Terms previous,
            Collection<String> scopes, String payload) {
        // One statement, one round trip: the lock is held from here to commit, and every round trip made
        // while holding it delays every other writer. The insert reads its row from the lock's CTE, so the
        // seq is drawn only once the lock is held. pg_notify inside the transaction is delivered at commit,
        // when the row is visible to readers. The payload names the event (seq and time in microseconds), so an
        // instance that already delivered it need not read the log again.
        DatabaseClient.GenericExecuteSpec append = db.sql("""
                WITH locked AS (SELECT pg_advisory_xact_lock(:lock)),
                     appended AS (
                         INSERT INTO bulletin_events (bulletin_id, kind, category_slug, tag_slugs,
                                                      previous_category_slug, previous_tag_slugs, scopes, payload)
                         SELECT :bulletinId, :kind, :categorySlug, :tagSlugs,
                                :previousCategorySlug, :previousTagSlugs, :scopes, CAST(:payload AS json) FROM locked
                         RETURNING seq, created_at)
                SELECT seq, created_at, pg_notify(:channel,
                       seq || ' ' || CAST(extract(epoch FROM created_at) * 1000000 AS bigint)) FROM appended""")
                .bind("lock", APPEND_LOCK).bind("channel", CHANNEL)
                .bind("bulletinId", bulletinId).bind("kind", kind.name())
                .bind("tagSlugs", terms.tags().toArray(String[]::new))
                .bind("scopes", scopes.toArray(String[]::new)).bind("payload", payload);
        append = bindOrNull(append, "categorySlug", terms.category(), String.class);
        append = bindOrNull(append, "previousCategorySlug", previous == null ? null : previous.category(), String.class);
        append = bindOrNull(append, "previousTagSlugs", previous == null ? null : previous.tags().toArray(String[]::new),
                String[].class);
        return append.map(row -> new Appended(row.get("seq", Long.class),
                row.get("created_at", OffsetDateTime.class).toInstant())).one();
    }

    private static <T> DatabaseClient.GenericExecuteSpec bindOrNull(DatabaseClient.GenericExecuteSpec spec, String name,
            T value, Class<T> type) {
        return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
    }

    /** Up to {@code limit} changes after {@code seq}, in order. */
    public Flux<Change> after(long seq, int limit) {
        return BoundedReads.toTheEnd(db.sql("SELECT " + COLUMNS + " FROM bulletin_events WHERE seq > :seq ORDER BY seq LIMIT :limit")
                .bind("seq", seq).bind("limit", limit)
                .map(EventLog::change)
                .all());
    }

    /** Up to {@code limit} changes after {@code seq} and up to {@code upTo}, in order. */
    public Flux<Change> between(long seq, long upTo, int limit) {
        return BoundedReads.toTheEnd(db.sql("SELECT " + COLUMNS + " FROM bulletin_events WHERE seq > :seq AND seq <= :upTo ORDER BY seq LIMIT :limit")
                .bind("seq", seq).bind("upTo", upTo).bind("limit", limit)
                .map(EventLog::change)
                .all());
    }


    private static Change change(Readable row) {
        String[] previousTags = row.get("previous_tag_slugs", String[].class);
        Change.Terms previous = previousTags == null ? null
                : new Change.Terms(row.get("previous_category_slug", String.class), List.of(previousTags));
        String[] scopes = row.get("scopes", String[].class);
        return new Change(row.get("seq", Long.class), Change.Kind.valueOf(row.get("kind", String.class)),
                row.get("bulletin_id", UUID.class), row.get("created_at", OffsetDateTime.class).toInstant(),
                scopes == null ? null : java.util.Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(scopes))),
                new Change.Terms(row.get("category_slug", String.class),
                        List.copyOf(Arrays.asList(row.get("tag_slugs", String[].class)))),
                previous, row.get("payload", String.class));
    }

    /** The newest kept event that touched {@code scope}: its seq and time; seq 0 and the oldest kept event's time if none. */
    public record Touched(String scope, long seq, Instant at) {
    }

    /**
     * The newest kept event touching each of {@code scopes} (an event without scopes touched them all), in one
     * round trip: what makes a scope's version the same on every instance, however long each has run.
     */
    public Flux<Touched> newestTouching(Collection<String> scopes) {
        return db.sql("""
                SELECT s.scope, COALESCE(e.seq, 0) AS seq,
                       COALESCE(e.created_at, (SELECT created_at FROM bulletin_events ORDER BY seq LIMIT 1),
                                'epoch'::timestamptz) AS at
                FROM unnest(CAST(:scopes AS text[])) AS s(scope)
                LEFT JOIN LATERAL (
                    SELECT seq, created_at FROM bulletin_events
                    WHERE scopes @> ARRAY[s.scope] OR scopes IS NULL
                    ORDER BY seq DESC LIMIT 1) e ON true""")
                .bind("scopes", scopes.toArray(String[]::new))
                .map(row -> new Touched(row.get("scope", String.class), row.get("seq", Long.class),
                        row.get("at", OffsetDateTime.class).toInstant()))
                .all();
    }

    /**
     * The oldest and newest sequence numbers still kept, both 0 when the log is empty, and the time of the
     * newest event (the epoch when empty).
     */
    public record Bounds(long oldest, long newest, Instant newestAt) {
    }

    public Mono<Bounds> bounds() {
        return db.sql("""
                SELECT COALESCE(min(seq), 0) AS oldest, COALESCE(max(seq), 0) AS newest,
                       (SELECT created_at FROM bulletin_events ORDER BY seq DESC LIMIT 1) AS newest_at
                FROM bulletin_events""")
                .map(row -> {
                    OffsetDateTime at = row.get("newest_at", OffsetDateTime.class);
                    return new Bounds(row.get("oldest", Long.class), row.get("newest", Long.class),
                            at == null ? Instant.EPOCH : at.toInstant());
                }).one();
    }

    /**
     * Deletes events older than {@code retention}, always as a prefix of the log and never the newest
     * event, so "the oldest kept seq" tells a resuming client exactly whether it missed anything.
     */
    public Mono<Long> deleteOlderThan(Duration retention) {
        return db.sql("""
                DELETE FROM bulletin_events
                WHERE seq <= (SELECT max(seq) FROM bulletin_events
                              WHERE created_at < now() - make_interval(secs => :seconds))
                  AND seq < (SELECT max(seq) FROM bulletin_events)""")
                .bind("seconds", (double) retention.toSeconds()).fetch().rowsUpdated();
    }
}
