package io.bantin.system;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The work a background job has started (a tick, a batch, a read of the log), run to its end whoever stops
 * waiting for it, so that stopping the job can wait for it before the connection pool closes. Cut off, such
 * work left a statement that never reached PostgreSQL, and r2dbc-postgresql does not release the parameters
 * of a statement it never sent (pgjdbc/r2dbc-postgresql#734), or a transaction open on a pooled connection.
 */
public final class WorkUnderWay {

    private final Set<Mono<Void>> running = ConcurrentHashMap.newKeySet();

    /**
     * Starts {@code work} now, detached: cancelling the answer stops waiting for it, not the work. The answer
     * replays the work's outcome to every subscriber.
     */
    public <T> Mono<T> run(Mono<T> work) {
        Sinks.Empty<Void> finished = Sinks.empty();
        Mono<Void> done = finished.asMono();
        running.add(done);
        Mono<T> shared = work.doFinally(signal -> {
            running.remove(done);
            finished.tryEmitEmpty();
        }).cache();
        shared.subscribe(null, error -> { });
        return shared;
    }

    /** Completes once the work started before this call has finished, or after {@code within}; never fails. */
    public Mono<Void> finished(Duration within) {
        List<Mono<Void>> now = List.copyOf(running);
        return Mono.when(now).timeout(within, Mono.empty());
    }
}
