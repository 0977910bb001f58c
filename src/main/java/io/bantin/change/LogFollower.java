package io.bantin.change;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import io.bantin.system.WorkUnderWay;

/**
 * Hands the changes this instance's bus has delivered to some outside party (a WebSub hub, a Varnish node), in
 * batches, from a position kept in PostgreSQL: a crash loses nothing (the next taker sends again, at least
 * once) and of N instances one sends each change (the others skip the position while it is taken).
 */
public final class LogFollower {

    /** Where a follower stands in the log, kept where every instance sees it. */
    public interface Position {

        /**
         * Takes the position, runs {@code work} from it (it answers the new position) and stores that; empty
         * when another instance holds it. A position never taken before starts at {@code initial}: the last seq
         * this instance had delivered before the follower's first wake-up (-1 when unknown: the log's end).
         */
        Mono<Long> advance(long initial, Function<Long, Mono<Long>> work);

        /**
         * As {@link #advance}, but waits (bounded) while another instance holds the position rather than
         * answering empty: a writer that must know its change was sent waits for that instance's batch.
         */
        default Mono<Long> advanceWaiting(long initial, Function<Long, Mono<Long>> work) {
            return advance(initial, work);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(LogFollower.class);
    private static final int BATCH = 500;
    /** Takes over the work of an instance that died holding the position, and anything a wake-up missed. */
    private static final Duration BACKSTOP = Duration.ofSeconds(10);
    private static final Duration HELD_RETRY = Duration.ofSeconds(1);

    private final String name;
    private final ChangeBus bus;
    private final EventLog eventLog;
    private final Position position;
    private final Function<List<Change>, Mono<Void>> send;
    private final WorkUnderWay underWay;
    // Wake-ups not yet served; only the caller that raises it from 0 starts a batch, so batches never overlap.
    private final AtomicInteger pending = new AtomicInteger();
    private volatile boolean active;
    // What the bus had delivered before the first change this follower heard of: where a new position starts.
    private volatile long initial = -1;
    // The highest position this instance has seen stored: a change at or before it was sent by someone.
    private volatile long sentUpTo = -1;
    // Counts the bus's fresh starts on the log: a position seen stored in an earlier one says nothing of this one.
    private volatile int logEpoch;
    // The last batch could not reach what the bus delivered: the bus is ahead of a restarted log.
    private volatile boolean stalled;
    // One waiting round at a time; callers during a round share the one after it (it starts after their call).
    private final Object rounds = new Object();
    private boolean roundRunning;
    private Sinks.Empty<Void> nextRound;

    /**
     * {@code send} hands on a batch of changes; it should not fail (what it gives up on, it reports itself).
     * Batches run in {@code underWay}: the job that owns this follower lets them end when it stops.
     */
    public LogFollower(String name, ChangeBus bus, EventLog eventLog, Position position,
            Function<List<Change>, Mono<Void>> send, WorkUnderWay underWay) {
        this.name = name;
        this.bus = bus;
        this.eventLog = eventLog;
        this.position = position;
        this.send = send;
        this.underWay = underWay;
    }

    /** Looks for delivered changes not yet sent; cheap to call on every change. */
    public void wake() {
        long delivered = bus.delivered();
        // The bus moves past a change only once every listener has had it. A bus now behind what was noted
        // follows a restarted log (emptied or restored): a position not yet stored starts in the new log.
        if (initial < 0 || initial > delivered) {
            initial = delivered;
        }
        if (active && pending.getAndIncrement() == 0) {
            drain();
        }
    }

    /**
     * The bus follows the log afresh (at start-up, or a log found emptied or restored): what was sent says
     * nothing of the changes to come, which may reuse its seqs. Then looks for changes as {@link #wake} does.
     */
    public void following() {
        logEpoch++;
        sentUpTo = -1;
        wake();
    }

    private void drain() {
        int served = pending.get();
        underWay.run(Mono.defer(this::batches)).subscribe(null, error -> {
            log.warn("{}: unable to follow the event log: {}", name, error.toString());
            finish(served);
        }, () -> finish(served));
    }

    private void finish(int served) {
        if (pending.addAndGet(-served) != 0 && active) {
            drain();
        }
    }

    /**
     * Batches until the position reaches what this instance has delivered. While another instance holds the
     * position, looks again shortly: that instance may stop before sending what this one has delivered, and
     * nothing else would wake this one before the backstop.
     */
    private Mono<Void> batches() {
        int epoch = logEpoch;
        return position.advance(initial, this::sendAfter).doOnNext(seq -> reached(seq, epoch)).map(Optional::of).defaultIfEmpty(Optional.empty())
                .flatMap(to -> to.isEmpty() ? (active ? Mono.delay(HELD_RETRY).then(Mono.defer(this::batchesWhileActive))
                        : Mono.<Void>empty())
                        : to.get() < bus.delivered() && !stalled ? batchesWhileActive() : Mono.<Void>empty());
    }

    /** Once stopped, the batch under way ends with what it has sent: no next one begins. */
    private Mono<Void> batchesWhileActive() {
        return active ? batches() : Mono.empty();
    }

    private void reached(long seq, int epoch) {
        if (epoch == logEpoch && seq > sentUpTo) {
            sentUpTo = seq;
        }
    }

    /**
     * Completes once the change {@code seq}, already delivered on this instance, has been sent (by this
     * instance or another), or after {@code within}; never fails. A writer calls it before answering, so what
     * the change invalidates outside is invalidated before the writer hears "done". The round it waits for runs
     * detached: giving up on it never leaves its transaction half-done.
     */
    public Mono<Void> sent(long seq, Duration within) {
        return Mono.defer(() -> sentUpTo >= seq || !active ? Mono.<Void>empty() : round())
                .timeout(within)
                .onErrorResume(error -> {
                    log.warn("{}: seq {} not sent before the writer's answer: {}", name, seq, error.toString());
                    return Mono.empty();
                });
    }

    private Mono<Void> round() {
        Sinks.Empty<Void> done;
        boolean start = false;
        synchronized (rounds) {
            if (nextRound == null) {
                nextRound = Sinks.empty();
            }
            done = nextRound;
            if (!roundRunning) {
                roundRunning = true;
                start = true;
            }
        }
        if (start) {
            runNextRound();
        }
        return done.asMono();
    }

    private void runNextRound() {
        Sinks.Empty<Void> done;
        synchronized (rounds) {
            done = nextRound;
            nextRound = null;
            if (done == null) {
                roundRunning = false;
                return;
            }
        }
        int epoch = logEpoch;
        underWay.run(Mono.defer(() -> position.advanceWaiting(initial, this::sendAfter)).doOnNext(seq -> reached(seq, epoch)))
                .subscribe(null, error -> {
                    done.tryEmitError(error);
                    runNextRound();
                }, () -> {
                    done.tryEmitEmpty();
                    runNextRound();
                });
    }

    /** Sends the changes after {@code from} that this instance has delivered; answers the last seq. */
    private Mono<Long> sendAfter(long from) {
        stalled = false;
        long upTo = bus.delivered();
        if (upTo <= from) {
            return Mono.just(from);
        }
        return eventLog.between(from, upTo, BATCH).collectList().flatMap(changes -> changes.isEmpty()
                ? skipTo(from, upTo)
                : send.apply(changes).then(Mono.just(changes.get(changes.size() - 1).seq())));
    }

    /**
     * Where to go when nothing is kept between {@code from} and what the bus delivered: past what the retention
     * deleted, but never past the log's newest event. A bus still counting in a log that has just restarted
     * (emptied or restored) is ahead of it; moving there skipped the new log's first events once it reached
     * that far. Then this follower waits for the bus to follow the new log rather than read again at once.
     */
    private Mono<Long> skipTo(long from, long upTo) {
        return eventLog.bounds().map(kept -> {
            long to = Math.max(from, Math.min(upTo, kept.newest()));
            stalled = to < upTo;
            return to;
        });
    }

    /**
     * Starts following (and looking every few seconds whatever the wake-ups); disposing the answer stops it. A
     * batch under way runs to its end: cancelled, its transaction could be left open on a pooled connection,
     * holding the position from every other instance.
     */
    public Disposable start() {
        pending.set(0);
        active = true;
        Disposable backstop = Flux.interval(Duration.ZERO, BACKSTOP).onBackpressureDrop().subscribe(tick -> wake());
        return () -> {
            active = false;
            backstop.dispose();
        };
    }
}
