package io.bantin.change;

import java.time.Instant;
import java.util.List;

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

    private final EventLog eventLog;
    private final ChangeProperties properties;
    private final ObjectProvider<ChangeListener> listenerBeans;
    private volatile List<ChangeListener> listeners;
    // Handing one change to thousands of streams takes a while; on the driver's thread it would hold up
    // every pooled connection sharing that event loop, so reads and writes would queue behind the fan-out.
    private final Scheduler busThread = Schedulers.newSingle("bantin-change-bus", true);
    private volatile long delivered = -1; // -1 until the log's end at start-up is known

    // One read at a time; callers during a read share the one after it (it starts after their call).
    private final Object reads = new Object();
    private boolean reading;
    private Sinks.Empty<Void> nextRead;

    // Trust: LISTEN is in place and a read that began after it finished, so no commit can go unseen.
    private volatile boolean listening;
    private volatile long listenEpoch;
    private volatile long caughtUpEpoch = -1;

    ChangeBus(EventLog eventLog, ChangeProperties properties, ObjectProvider<ChangeListener> listenerBeans) {
        this.eventLog = eventLog;
        this.properties = properties;
        this.listenerBeans = listenerBeans;
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
     * Completes once every listener on this instance has received the change {@code seq} (and every one
     * before it), and what listeners do before its writer answers is done: the writer answers only then, so
     * its next read sees its own write, here and through caches outside. Never fails: after
     * {@code bantin.change.writer-wait} the write, already committed, answers anyway.
     */
    public Mono<Void> awaitDelivered(long seq) {
        return Mono.defer(() -> delivered >= seq ? Mono.<Void>empty() : read())
                .then(Mono.defer(() -> Flux.fromIterable(listeners()).flatMap(listener -> listener.beforeWriterAnswers(seq)).then()))
                .timeout(properties.writerWait())
                .onErrorResume(error -> {
                    log.warn("change: seq {} not delivered on this instance in time: {}", seq, error.toString());
                    return Mono.empty();
                });
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
        // On the write connections: a flood of reads holding every pooled connection must not hold back
        // the delivery that writers are waiting for. One read at a time takes at most one of them.
        DatabasePools.forWrites(Mono.defer(this::readToEnd)).subscribe(null, error -> {
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
                    .doOnNext(kept -> follow(kept.newest(), kept.newestAt())).then();
        }
        return eventLog.after(delivered, PAGE).publishOn(busThread).doOnNext(this::deliver).count()
                .flatMap(read -> read == PAGE ? readToEnd() : read > 0 ? Mono.empty() : followIfLogWentBack());
    }

    /**
     * The newest event is never deleted, so a log that ends before our last seq was truncated or restored:
     * follow it from its start rather than wait forever for numbers it may never reach again.
     */
    private Mono<Void> followIfLogWentBack() {
        return eventLog.bounds().publishOn(busThread).flatMap(kept -> {
            if (kept.newest() >= delivered) {
                return Mono.empty();
            }
            log.warn("change: the event log ends at seq {}, before {} already delivered; following it from its start",
                    kept.newest(), delivered);
            follow(Math.max(0, kept.oldest() - 1), Instant.now());
            return readToEnd();
        });
    }

    private void follow(long seq, Instant at) {
        for (ChangeListener listener : listeners()) {
            listener.following(seq, at);
        }
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
        Disposable backstop = Flux.interval(java.time.Duration.ZERO, properties.backstop()).onBackpressureDrop()
                .subscribe(tick -> read().subscribe(null, error -> { }));
        return backstop;
    }

    @PreDestroy
    void close() {
        busThread.dispose();
    }
}
