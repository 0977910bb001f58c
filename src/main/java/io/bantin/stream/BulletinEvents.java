package io.bantin.stream;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

import org.springframework.stereotype.Component;

import io.bantin.system.BackgroundJob;

/**
 * This instance's fan-out: whenever woken (a notification, the safety poll, a reconnect) it reads the
 * event log from the last seq it delivered and hands each new event, in order, to every local subscriber.
 * The log is the truth; a wake-up only says "look".
 */
@Component
class BulletinEvents extends BackgroundJob {

    private static final Logger log = LoggerFactory.getLogger(BulletinEvents.class);
    private static final int PAGE = 500;

    private final EventLog eventLog;
    private final StreamProperties properties;
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private final StreamMetrics metrics;
    // Wake-ups not yet served; only the caller that raises it from 0 starts a read, so reads never overlap.
    private final AtomicInteger pendingWakeups = new AtomicInteger();
    private volatile long lastSeq = -1; // -1 until the log's current end is known
    // Renewed on each start: a stopped context can be started again (the test framework pauses idle ones).
    private volatile Sinks.One<Boolean> stopping = Sinks.one();
    private final Scheduler fanOutThread = Schedulers.newSingle("bantin-fan-out", true);

    BulletinEvents(EventLog eventLog, StreamProperties properties, MeterRegistry registry) {
        this.eventLog = eventLog;
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

    /** Asks for the log to be read; cheap, callable from any thread, coalesced while a read runs. */
    void wake() {
        if (pendingWakeups.getAndIncrement() == 0) {
            drain();
        }
    }

    private void drain() {
        int served = pendingWakeups.get();
        Mono<Void> read = lastSeq < 0 ? Mono.empty() : readNew();
        read.subscribe(null, error -> {
            log.warn("stream: unable to read the event log after seq {}: {}", lastSeq, error.toString());
            finish(served);
        }, () -> finish(served));
    }

    private void finish(int served) {
        if (pendingWakeups.addAndGet(-served) != 0) {
            drain();
        }
    }

    private Mono<Void> readNew() {
        // Handing one event to thousands of streams takes a while; on the driver's thread it would hold up
        // every pooled connection sharing that event loop, so reads and writes would queue behind the fan-out.
        return Mono.defer(() -> eventLog.after(lastSeq, PAGE).publishOn(fanOutThread).doOnNext(this::fanOut).count()
                .flatMap(read -> read == PAGE ? readNew() : read > 0 ? Mono.empty() : followIfLogWentBack()));
    }

    /**
     * The newest event is never deleted, so a log that ends before our last seq was truncated or restored:
     * follow it from its start rather than wait forever for numbers it may never reach again.
     */
    private Mono<Void> followIfLogWentBack() {
        return eventLog.bounds().flatMap(kept -> {
            if (kept.newest() >= lastSeq) {
                return Mono.empty();
            }
            log.warn("stream: the event log ends at seq {}, before {} already sent; following it from its start",
                    kept.newest(), lastSeq);
            lastSeq = Math.max(0, kept.oldest() - 1);
            return readNew();
        });
    }

    private void fanOut(StreamEvent event) {
        lastSeq = event.seq();
        metrics.committed(event.kind());
        for (Subscriber subscriber : subscribers) {
            subscriber.offer(event);
        }
    }

    @Override
    protected Disposable launch() {
        // Live subscribers start at the log's current end; older events are only for those who resume.
        Disposable init = eventLog.bounds()
                .retryWhen(Retry.backoff(Long.MAX_VALUE, properties.pollInterval()).maxBackoff(properties.pollInterval()))
                .subscribe(bounds -> {
                    lastSeq = bounds.newest();
                    wake();
                });
        Disposable poll = Flux.interval(properties.pollInterval()).onBackpressureDrop().subscribe(tick -> wake());
        return Disposables.composite(init, poll);
    }

    @Override
    public void start() {
        stopping = Sinks.one();
        super.start();
    }

    @Override
    public void stop() {
        stopping.tryEmitValue(true);
        super.stop();
    }

    @PreDestroy
    void close() {
        fanOutThread.dispose();
    }
}
