package io.bantin.stream;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

import org.springframework.stereotype.Component;

import io.bantin.change.Change;
import io.bantin.change.ChangeListener;
import io.bantin.system.BackgroundJob;

/**
 * This instance's stream fan-out: a listener of the change bus that hands each change, in order, to every
 * local subscriber. Running as a lifecycle job marks when open streams must end, and ticks their heartbeats:
 * one ticker for all of them rather than a timer each.
 */
@Component
class BulletinEvents extends BackgroundJob implements ChangeListener {

    private final StreamProperties properties;
    /** The open subscribers by their connection's event loop ({@link Subscriber#loop()}), so that one task a loop fans out. */
    private final Map<Object, LoopFanOut> byLoop = new ConcurrentHashMap<>();
    private final StreamMetrics metrics;
    // Renewed on each start: a stopped context can be started again (the test framework pauses idle ones).
    private volatile Sinks.One<Boolean> stopping = Sinks.one();
    private volatile boolean stopped;

    BulletinEvents(StreamProperties properties, MeterRegistry registry) {
        this.properties = properties;
        this.metrics = new StreamMetrics(registry, this::count);
    }

    StreamMetrics metrics() {
        return metrics;
    }

    /**
     * Registers a subscriber now, before its caller reads any history: every event fanned out from here
     * on reaches it, and every event fanned out earlier was already in the database for the caller to read.
     */
    void subscribe(Subscriber subscriber) {
        byLoop.computeIfAbsent(subscriber.loop(), loop -> new LoopFanOut(loop instanceof Executor executor ? executor : null))
                .members().add(subscriber);
        if (stopped) {
            subscriber.stop(); // too late: this instance no longer serves streams
        }
    }

    /**
     * Signals once this instance stops: open streams end then, so a graceful shutdown is not held up by
     * connections that never finish; their clients resume elsewhere with {@code Last-Event-ID}.
     */
    Mono<Boolean> stopping() {
        return stopping.asMono();
    }

    void unsubscribe(Subscriber subscriber) {
        LoopFanOut group = byLoop.get(subscriber.loop());
        if (group != null) {
            group.members().remove(subscriber);
        }
    }

    /**
     * Hands the change to each event loop ({@link LoopFanOut}), which offers it to that loop's subscribers: an
     * idle subscriber then writes it at once, with no task, lock or queue of its own (a delivery's cost was as
     * much in handing each of 10,000 subscribers its own task as in the write). Each loop takes the changes in
     * order, so every subscriber still gets them in the bus's order.
     */
    @Override
    public void changed(Change change) {
        StreamEvent event = StreamEvent.live(change);
        for (LoopFanOut group : byLoop.values()) {
            group.add(event);
        }
    }

    private int count() {
        int open = 0;
        for (LoopFanOut group : byLoop.values()) {
            open += group.members().size();
        }
        return open;
    }

    private void forEach(Consumer<Subscriber> action) {
        for (LoopFanOut group : byLoop.values()) {
            group.members().forEach(action);
        }
    }

    @Override
    public int getOrder() {
        return STREAMS;
    }

    /**
     * Every open stream gets a heartbeat each period unless it had something else to send; a stream's
     * silence is therefore at most one period plus the time it was busy, within the contract's 15 s.
     */
    @Override
    protected Disposable launch() {
        long period = properties.heartbeat().toMillis();
        return Schedulers.parallel().schedulePeriodically(() -> {
            forEach(Subscriber::heartbeat);
        }, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void start() {
        stopping = Sinks.one();
        stopped = false;
        super.start();
    }

    @Override
    public void stop() {
        stopped = true;
        stopping.tryEmitValue(true);
        forEach(Subscriber::stop);
        super.stop();
    }
}
