package io.bantin.websub;

import java.util.function.Function;

import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

import io.bantin.change.LogFollower;

/**
 * How far in the event log the hub has been pinged, kept in PostgreSQL ({@code websub_position}): one
 * instance at a time takes the row with {@code FOR UPDATE SKIP LOCKED}, pings, and moves it on in the same
 * transaction. A crash rolls the transaction back, so the next taker pings again (at least once); the
 * others skip the row while it is taken, so N instances ping each change once, not N times.
 */
@Repository
class WebSubPosition implements LogFollower.Position {

    private final DatabaseClient db;
    private final TransactionalOperator tx;

    WebSubPosition(DatabaseClient db, ReactiveTransactionManager transactions) {
        this.db = db;
        this.tx = TransactionalOperator.create(transactions);
    }

    /**
     * Takes the position, runs {@code work} from it (it answers the new position) and stores that; empty
     * when another instance holds it. A position past the log's end (the log was emptied or restored) starts
     * again before the oldest event kept.
     */
    @Override
    public Mono<Long> advance(long initial, Function<Long, Mono<Long>> work) {
        Mono<Long> taken = db.sql("""
                SELECT CASE WHEN p.seq > (SELECT COALESCE(max(seq), 0) FROM bulletin_events)
                            THEN (SELECT COALESCE(min(seq), 1) - 1 FROM bulletin_events) ELSE p.seq END AS seq
                FROM websub_position p WHERE p.id = 1 FOR UPDATE SKIP LOCKED""")
                .map(row -> row.get("seq", Long.class)).one()
                .switchIfEmpty(Mono.defer(() -> db.sql("""
                        INSERT INTO websub_position (id, seq) VALUES (1, 0) ON CONFLICT (id) DO NOTHING RETURNING seq""")
                        .map(row -> row.get("seq", Long.class)).one()));
        return tx.transactional(taken.flatMap(from -> work.apply(from).flatMap(to -> to.equals(from) ? Mono.just(to)
                : db.sql("UPDATE websub_position SET seq = :seq, pinged_at = now() WHERE id = 1")
                        .bind("seq", to).then().thenReturn(to))));
    }
}
