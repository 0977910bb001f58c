package io.bantin.system;

import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reads of a bounded number of rows (a {@code LIMIT} in the SQL) that run to their end once begun, whoever
 * stops waiting. A reader that goes away mid-read (a stream or an export client that disconnects) cancelled
 * the statement, and r2dbc-postgresql 1.1.3 then strands buffers: the parameters of a statement not yet sent
 * (pgjdbc/r2dbc-postgresql#734) or the rows still arriving (#580), bytes a client could make us leak at will.
 */
public final class BoundedReads {

    private BoundedReads() {
    }

    /** {@code rows}, read whole before any is handed on; the subscriber's context (its pool) goes along. */
    public static <T> Flux<T> toTheEnd(Flux<T> rows) {
        return whole(rows).flatMapIterable(all -> all);
    }

    /** {@code rows} read whole, as one list, for a caller that wants the list. */
    public static <T> Mono<List<T>> whole(Flux<T> rows) {
        return Mono.deferContextual(context -> Mono.fromFuture(() -> rows.collectList().contextWrite(context).toFuture(), true));
    }
}
