package io.bantin.stream;

import java.util.List;
import java.util.UUID;

import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/**
 * The append-only log of bulletin events: the truth that streams replay and resume from.
 * Appends must run inside the transaction that made the change, so a change and its event
 * commit together or not at all.
 */
@Repository
public class EventLog {

    /** Kinds of event, as streams name them. */
    public enum Kind {
        published, updated, deleted
    }

    // One lock key for all appenders: held from the append to commit, it makes sequence numbers
    // become visible in order, so a reader resuming after N can never miss a smaller, later-committed one.
    private static final long APPEND_LOCK = 0x62616e74696eL; // "bantin"

    private final DatabaseClient db;

    EventLog(DatabaseClient db) {
        this.db = db;
    }

    /** Appends an event and answers with its sequence number. */
    public Mono<Long> append(UUID bulletinId, Kind kind, String categorySlug, List<String> tagSlugs, String payload) {
        DatabaseClient.GenericExecuteSpec insert = db.sql("""
                INSERT INTO bulletin_events (bulletin_id, kind, category_slug, tag_slugs, payload)
                VALUES (:bulletinId, :kind, :categorySlug, :tagSlugs, CAST(:payload AS json))
                RETURNING seq""")
                .bind("bulletinId", bulletinId).bind("kind", kind.name())
                .bind("tagSlugs", tagSlugs.toArray(String[]::new)).bind("payload", payload);
        insert = categorySlug == null ? insert.bindNull("categorySlug", String.class)
                : insert.bind("categorySlug", categorySlug);
        return db.sql("SELECT pg_advisory_xact_lock(:lock)").bind("lock", APPEND_LOCK).then()
                .then(insert.map(row -> row.get("seq", Long.class)).one());
    }
}
