package io.bantin.change;

import java.util.function.Function;

import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Positions of log followers by name, in {@code log_positions}: one instance at a time takes a follower's row
 * with {@code FOR UPDATE SKIP LOCKED} (a writer waiting for its change to be sent: {@code FOR UPDATE}, bounded), sends,
 * and moves it on in the same transaction. A follower seen for the
 * first time starts where its instance's bus stood before the first change it heard of; a position past the log's end (emptied or restored) starts again before
 * the oldest event kept.
 */
@Repository
public class LogPositions {

    private final DatabaseClient db;
    private final TransactionalOperator tx;

    LogPositions(DatabaseClient db, ReactiveTransactionManager transactions) {
        this.db = db;
        this.tx = TransactionalOperator.create(transactions);
    }

    private static final String TAKE = """
            SELECT p.seq AS stored, CASE WHEN p.seq > (SELECT COALESCE(max(seq), 0) FROM bulletin_events)
                        THEN (SELECT COALESCE(min(seq), 1) - 1 FROM bulletin_events) ELSE p.seq END AS seq
            FROM log_positions p WHERE p.follower = :name FOR UPDATE""";
    private static final String TAKE_UNLESS_HELD = TAKE + " SKIP LOCKED";
    /** How long a writer waits for another instance's batch to let go of the position. */
    private static final String LOCK_WAIT = "SET LOCAL lock_timeout = '2s'";

    /** The position of the follower {@code name}. */
    public LogFollower.Position of(String name) {
        return new LogFollower.Position() {
            @Override
            public Mono<Long> advance(long initial, Function<Long, Mono<Long>> work) {
                return tx.transactional(take(name, TAKE_UNLESS_HELD, initial).flatMap(taken -> move(name, taken, work)));
            }

            @Override
            public Mono<Long> advanceWaiting(long initial, Function<Long, Mono<Long>> work) {
                return tx.transactional(db.sql(LOCK_WAIT).then()
                        .then(take(name, TAKE, initial)).flatMap(taken -> move(name, taken, work)));
            }
        };
    }

    /** The position as stored, and where to go on from: before the oldest kept event when the log ends before it. */
    private record Taken(long stored, long from) {
    }

    private Mono<Taken> take(String name, String sql, long initial) {
        return stored(name, sql)
                .switchIfEmpty(Mono.defer(() -> db.sql("""
                        INSERT INTO log_positions (follower, seq)
                        SELECT :name, CASE WHEN :initial < 0 THEN COALESCE(max(seq), 0)
                                           WHEN :initial > COALESCE(max(seq), 0) THEN COALESCE(min(seq), 1) - 1
                                           ELSE :initial END FROM bulletin_events
                        ON CONFLICT (follower) DO NOTHING RETURNING seq""")
                        .bind("name", name).bind("initial", initial).map(row -> row.get("seq", Long.class)).one()
                        .map(seq -> new Taken(seq, seq))))
                // Another instance inserted the row first: the insert waited for its commit and did nothing, so
                // take the row it stored (a writer waiting for its change once answered here without sending it).
                .switchIfEmpty(Mono.defer(() -> stored(name, sql)));
    }

    private Mono<Taken> stored(String name, String sql) {
        return db.sql(sql).bind("name", name).map(row -> new Taken(row.get("stored", Long.class), row.get("seq", Long.class))).one();
    }

    /**
     * Runs {@code work} from the position and stores where it ends, also when that is where it began but not what
     * was stored: a position put back into a restarted log stays there, and a log that grows past the old seq
     * before the next batch is not skipped.
     */
    private Mono<Long> move(String name, Taken taken, Function<Long, Mono<Long>> work) {
        return work.apply(taken.from()).flatMap(to -> to == taken.stored() ? Mono.just(to)
                : db.sql("UPDATE log_positions SET seq = :seq, moved_at = now() WHERE follower = :name")
                        .bind("seq", to).bind("name", name).then().thenReturn(to));
    }

    /** Where the follower {@code name} stands, or -1 when it never ran; for tests and operators. */
    public Mono<Long> seq(String name) {
        return db.sql("SELECT seq FROM log_positions WHERE follower = :name").bind("name", name)
                .map(row -> row.get("seq", Long.class)).one().defaultIfEmpty(-1L);
    }
}
