package io.bantin.stream;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

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
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private final StreamMetrics metrics;
    // Renewed on each start: a stopped context can be started again (the test framework pauses idle ones).
    private volatile Sinks.One<Boolean> stopping = Sinks.one();
    private volatile boolean stopped;

    BulletinEvents(StreamProperties properties, MeterRegistry registry) {
        this.properties = properties;
        this.metrics = new StreamMetrics(registry, subscribers);
    }

    StreamMetrics metrics() {
        return metrics;
    }

    /**
     * Registers a subscriber now, before its caller reads any history: every event fanned out from here
     * on reaches it, and every event fanned out earlier was already in the database for the caller to read.
     */
    void subscribe(Subscriber subscriber) {
        subscribers.add(subscriber);
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
        subscribers.remove(subscriber);
    }

    @Override
    public void changed(Change change) {
        StreamEvent event = StreamEvent.live(change);
        for (Subscriber subscriber : subscribers) {
            subscriber.offer(event);
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
            for (Subscriber subscriber : subscribers) {
                subscriber.heartbeat();
            }
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
        for (Subscriber subscriber : subscribers) {
            subscriber.stop();
        }
        super.stop();
    }
}
