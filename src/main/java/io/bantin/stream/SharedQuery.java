package io.bantin.stream;

import java.util.function.Supplier;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One database read shared by everyone who asks while it is pending: each caller gets the answer of a
 * query that started after it asked (so it sees everything committed before), and however many ask at
 * once, at most two queries run. 3,000 streams opening together each read the log's bounds, and queued
 * 3,000 deep for the read pool in front of every other read.
 */
final class SharedQuery<T> {

    private final Supplier<Mono<T>> query;
    private Sinks.One<T> next; // the round that starts once the running one ends; guarded by this
    private boolean running;

    SharedQuery(Supplier<Mono<T>> query) {
        this.query = query;
    }

    Mono<T> get() {
        return Mono.defer(() -> {
            Sinks.One<T> mine;
            boolean start;
            synchronized (this) {
                if (next == null) {
                    next = Sinks.one();
                }
                mine = next;
                start = !running;
                if (start) {
                    running = true;
                    next = null;
                }
            }
            if (start) {
                run(mine);
            }
            return mine.asMono();
        });
    }

    private void run(Sinks.One<T> round) {
        query.get().subscribe(
                value -> round.tryEmitValue(value),
                error -> {
                    round.tryEmitError(error);
                    finished();
                },
                () -> {
                    round.tryEmitEmpty(); // no-op after a value
                    finished();
                });
    }

    private void finished() {
        Sinks.One<T> waiting;
        synchronized (this) {
            waiting = next;
            next = null;
            running = waiting != null;
        }
        if (waiting != null) {
            run(waiting);
        }
    }
}
