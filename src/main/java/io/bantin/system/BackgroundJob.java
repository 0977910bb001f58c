package io.bantin.system;

import java.time.Duration;
import java.util.function.Supplier;

import org.slf4j.Logger;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;

/**
 * Reactive work that runs while the application runs: launched with the context, disposed when it stops; what
 * it started through {@link #underWay} finishes first (bounded), while the database is still there.
 */
public abstract class BackgroundJob implements SmartLifecycle {

    /** The longest a stop waits for the work under way: a batch's HTTP calls are bounded by their own timeouts. */
    private static final Duration DRAIN = Duration.ofSeconds(5);

    /** What the job started and should see to its end when it stops. */
    protected final WorkUnderWay underWay = new WorkUnderWay();

    private volatile Disposable running;

    /** Starts the work; disposing the answer stops it. */
    protected abstract Disposable launch();

    /**
     * Runs {@code tick} every {@code interval}, one at a time; a failed tick is logged and the next one
     * tries again, so a database outage pauses the job instead of ending it. A stop lets the tick under way end.
     */
    protected Disposable every(Duration interval, Supplier<Mono<?>> tick, Logger log, String failure) {
        return Flux.interval(interval).onBackpressureDrop()
                .concatMap(n -> underWay.run(Mono.defer(() -> tick.get().then()).onErrorResume(error -> {
                    log.warn("{}: {}", failure, error.toString());
                    return Mono.empty();
                })))
                .subscribe();
    }

    @Override
    public void start() {
        running = launch();
    }

    @Override
    public void stop() {
        Disposable current = running;
        running = null;
        if (current != null) {
            current.dispose();
        }
    }

    /** Stops, then tells Spring once the work under way has finished (or after a few seconds). */
    @Override
    public void stop(Runnable callback) {
        stop();
        underWay.finished(DRAIN).subscribe(null, error -> callback.run(), callback::run);
    }

    @Override
    public boolean isRunning() {
        return running != null;
    }
}
