package io.bantin.change;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import jakarta.annotation.PreDestroy;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import io.bantin.system.BackgroundJob;
import io.bantin.system.DatabasePools;

/**
 * The one path from a commit to its consumers, on every instance: whenever woken (the writer itself, a
 * notification, the backstop, a reconnect) it reads the event log from the last seq it delivered and hands
 * each new change, in order, to every {@link ChangeListener}. The log is the truth; a wake-up only says "look".
 */
@Component
public class ChangeBus extends BackgroundJob {

    private static final Logger log = LoggerFactory.getLogger(ChangeBus.class);
    private static final int PAGE = 500;
    private static final int RECENT = 1024;

    private final EventLog eventLog;
    private final ChangeProperties properties;
    private final ObjectProvider<ChangeListener> listenerBeans;
    private volatile List<ChangeListener> listeners;
    // Handing one change to thousands of streams takes a while; on the driver's thread it would hold up
    // every pooled connection sharing that event loop, so reads and writes would queue behind the fan-out.
    private final Scheduler busThread = Schedulers.newSingle("bantin-change-bus", true);
    private volatile long delivered = -1; // -1 until the log's end at start-up is known
    private volatile Instant deliveredAt; // when the change at `delivered` was logged; null when none or unknown
    // What was delivered lately, seq to logged time in microseconds: tells a writer or a notification that their
    // event is in, without a read.
    private final Map<Long, Long> recent = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
            return size() > RECENT;
        }
    });

    // Reads begun after an event was committed, that the writer and the notification of that event share.
    private final Map<Event, Mono<Void>> covering = new ConcurrentHashMap<>();

    // One read at a time; callers during a read share the one after it (it starts after their call).
    private final Object reads = new Object();
    private boolean reading;
    private Sinks.Empty<Void> nextRead;

    // Trust: LISTEN is in place and a read that began after it finished, so no commit can go unseen.
    private volatile boolean listening;
    private volatile long listenEpoch;
    private volatile long caughtUpEpoch = -1;

    private final Counter logReads;
    private final Counter notifiedDelivered;
    private final Counter notifiedNew;

    ChangeBus(EventLog eventLog, ChangeProperties properties, ObjectProvider<ChangeListener> listenerBeans,
            MeterRegistry registry) {
        this.eventLog = eventLog;
        this.properties = properties;
        this.listenerBeans = listenerBeans;
        this.logReads = Counter.builder("bantin.change.reads")
                .description("Reads of the event log by this instance's change bus").register(registry);
        this.notifiedDelivered = notifications(registry, "delivered");
        this.notifiedNew = notifications(registry, "pending");
    }

    private static Counter notifications(MeterRegistry registry, String outcome) {
        return Counter.builder("bantin.change.notifications").tag("outcome", outcome)
                .description("Notifications of a change: already delivered here, or still to be read from the log")
                .register(registry);
    }

    /** The highest seq every listener has received on this instance (-1 before the first read). */
    public long delivered() {
        return delivered;
    }

    /**
     * True while every committed change is known here as soon as its notification arrives: LISTEN is in
     * place and the log was read to its end after that. Otherwise only reading the log tells.
     */
    public boolean trusted() {
        return listening && caughtUpEpoch == listenEpoch && delivered >= 0;
    }

    /**
     * Completes once every listener on this instance has received the change {@code event} (and every one
     * before it), and what listeners do before its writer answers is done: the writer answers only then, so
     * its next read sees its own write, here and through caches outside. Never fails: after
     * {@code bantin.change.writer-wait} the write, already committed, answers anyway.
     */
    public Mono<Void> awaitDelivered(EventLog.Appended event) {
        long seq = event.seq();
        return Mono.defer(() -> delivery(seq, micros(event.at())))
                .then(Mono.defer(() -> Flux.fromIterable(listeners()).flatMap(listener -> listener.beforeWriterAnswers(seq)).then()))
                .timeout(properties.writerWait())
                .onErrorResume(error -> {
                    log.warn("change: seq {} not delivered on this instance in time: {}", seq, error.toString());
                    return Mono.empty();
                });
    }

    /**
     * A notification of the event {@code seq} logged at {@code micros} (null when the payload did not say):
     * reads the log unless this very event was delivered already, or a read begun after it was committed is under
     * way (the writer's own, usually).
     */
    void notified(long seq, Long micros) {
        if (micros == null) {
            notifiedNew.increment();
            read().subscribe(null, error -> { });
            return;
        }
        (hasDelivered(seq, micros) ? notifiedDelivered : notifiedNew).increment();
        delivery(seq, micros).subscribe(null, error -> { });
    }

    /**
     * Completes once the event is delivered here. Called only once it is committed, so any read begun since
     * delivers it: the writer and the notification of one event share one read.
     */
    private Mono<Void> delivery(long seq, long micros) {
        if (hasDelivered(seq, micros)) {
            return Mono.empty();
        }
        Event event = new Event(seq, micros);
        Mono<Void> shared = covering.computeIfAbsent(event, e -> read());
        shared.subscribe(null, error -> covering.remove(event, shared), () -> covering.remove(event, shared));
        return shared;
    }

    /** A change by identity: after the log restarted, a new event may come with a seq already delivered. */
    private record Event(long seq, long micros) {
    }

    private boolean hasDelivered(long seq, long micros) {
        Long at = recent.get(seq);
        return at != null && at == micros;
    }

    static long micros(Instant at) {
        return at.getEpochSecond() * 1_000_000 + at.getNano() / 1_000;
    }

    /**
     * Completes once this instance has delivered {@code seq}, or once a read that began after this call found
     * the log without it (a number from elsewhere not committed here, or a log gone back). Fails only with
     * that read's error. A cache outside asks it before storing an answer (see {@code varnish.SeqGate}).
     */
    public Mono<Void> caughtUp(long seq) {
        return Mono.defer(() -> delivered >= seq ? Mono.<Void>empty() : read());
    }

    /**
     * Reads the log to its end and delivers what is new; completes when a read that began after this call
     * has finished, or fails with that read's error. Cheap to call often: concurrent callers share reads.
     */
    public Mono<Void> read() {
        Sinks.Empty<Void> done;
        boolean start = false;
        synchronized (reads) {
            if (nextRead == null) {
                nextRead = Sinks.empty();
            }
            done = nextRead;
            if (!reading) {
                reading = true;
                start = true;
            }
        }
        if (start) {
            runNext();
        }
        return done.asMono();
    }

    private void runNext() {
        Sinks.Empty<Void> done;
        synchronized (reads) {
            done = nextRead;
            nextRead = null;
            if (done == null) {
                reading = false;
                return;
            }
        }
        long epoch = listenEpoch;
        logReads.increment();
        // On the write connections: a flood of reads holding every pooled connection must not hold back
        // the delivery that writers are waiting for. One read at a time takes at most one of them.
        underWay.run(DatabasePools.forWrites(Mono.defer(this::readToEnd))).subscribe(null, error -> {
            log.warn("change: unable to read the event log after seq {}: {}", delivered, error.toString());
            done.tryEmitError(error);
            runNext();
        }, () -> {
            caughtUpEpoch = epoch;
            done.tryEmitEmpty();
            runNext();
        });
    }

    private Mono<Void> readToEnd() {
        if (delivered < 0) {
            // Live readers start at the log's current end; older changes are only for those who resume.
            return eventLog.bounds().publishOn(busThread)
                    .doOnNext(kept -> follow(kept.newest(), kept.newestAt(), kept.newest() > 0)).then();
        }
        long from = delivered;
        Instant fromAt = deliveredAt;
        // From the last delivered change itself: finding it there, logged at the same time, is what says the log
        // did not restart beneath us (a restarted log reuses seqs, and may already have passed ours).
        return eventLog.after(from - 1, PAGE + 1).publishOn(busThread).collectList().flatMap(page -> {
            if (page.isEmpty()) {
                return followIfLogWentBack();
            }
            Change first = page.get(0);
            if (first.seq() == from && fromAt != null && !fromAt.equals(first.at())) {
                return followFromStart("seq " + from + " is now another event");
            }
            List<Change> fresh = first.seq() == from ? page.subList(1, page.size()) : page;
            if (first.seq() > from && fromAt != null) {
                // Ours is gone: expired (then so is every one before it) or the log restarted below it.
                return eventLog.bounds().publishOn(busThread).flatMap(kept -> kept.oldest() < from
                        ? followFromStart("seq " + from + " is gone but older ones are kept")
                        : deliverAll(fresh));
            }
            return deliverAll(fresh);
        });
    }

    private Mono<Void> deliverAll(List<Change> fresh) {
        fresh.forEach(this::deliver);
        return fresh.size() >= PAGE ? readToEnd() : Mono.empty();
    }

    /**
     * The newest event is never deleted, so a log that ends before our last seq was truncated or restored:
     * follow it from its start rather than wait forever for numbers it may never reach again.
     */
    private Mono<Void> followIfLogWentBack() {
        return eventLog.bounds().publishOn(busThread).flatMap(kept -> kept.newest() >= delivered ? Mono.empty()
                : followFromStart("the log ends at seq " + kept.newest()));
    }

    private Mono<Void> followFromStart(String why) {
        return eventLog.bounds().publishOn(busThread).flatMap(kept -> {
            log.warn("change: the event log restarted ({}, {} already delivered); following it from its start, seq {}",
                    why, delivered, kept.oldest());
            follow(Math.max(0, kept.oldest() - 1), Instant.now(), false);
            return readToEnd();
        });
    }

    /** Delivers after {@code seq} from now on; {@code isThatEvent} when {@code at} is when that seq was logged. */
    private void follow(long seq, Instant at, boolean isThatEvent) {
        for (ChangeListener listener : listeners()) {
            listener.following(seq, at);
        }
        recent.clear();
        deliveredAt = isThatEvent ? at : null;
        delivered = seq;
    }

    private void deliver(Change change) {
        if (change.seq() <= delivered) {
            return;
        }
        for (ChangeListener listener : listeners()) {
            try {
                listener.changed(change);
            }
            catch (RuntimeException e) {
                log.warn("change: {} failed on seq {}: {}", listener.getClass().getSimpleName(), change.seq(), e.toString());
            }
        }
        recent.put(change.seq(), micros(change.at()));
        deliveredAt = change.at();
        delivered = change.seq();
    }

    private List<ChangeListener> listeners() {
        List<ChangeListener> known = listeners;
        if (known == null) {
            known = listenerBeans.orderedStream().toList();
            listeners = known;
        }
        return known;
    }

    /** Called by the LISTEN session once it is in place: a read from now on makes this instance trusted. */
    void listening() {
        listenEpoch++;
        listening = true;
        read().subscribe(null, error -> { });
    }

    /** Called when the LISTEN session is lost: until it is back, nothing says when to look. */
    void notListening() {
        listening = false;
    }

    @Override
    protected Disposable launch() {
        delivered = -1; // (re)started: follow the log from its end as it is now
        deliveredAt = null;
        recent.clear();
        Disposable backstop = Flux.interval(java.time.Duration.ZERO, properties.backstop()).onBackpressureDrop()
                .subscribe(tick -> read().subscribe(null, error -> { }));
        return backstop;
    }

    @PreDestroy
    void close() {
        busThread.dispose();
    }
}
