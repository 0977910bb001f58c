package io.bantin.system;

import java.time.Duration;
import java.util.function.Supplier;

import org.slf4j.Logger;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;

/** Reactive work that runs while the application runs: launched with the context, disposed when it stops. */
public abstract class BackgroundJob implements SmartLifecycle {

    private volatile Disposable running;

    /** Starts the work; disposing the answer stops it. */
    protected abstract Disposable launch();

    /**
     * Runs {@code tick} every {@code interval}, one at a time; a failed tick is logged and the next one
     * tries again, so a database outage pauses the job instead of ending it.
     */
    protected static Disposable every(Duration interval, Supplier<Mono<?>> tick, Logger log, String failure) {
        return Flux.interval(interval).onBackpressureDrop()
                .concatMap(n -> tick.get().onErrorResume(error -> {
                    log.warn("{}: {}", failure, error.toString());
                    return Mono.empty();
                }))
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

    @Override
    public boolean isRunning() {
        return running != null;
    }
}
