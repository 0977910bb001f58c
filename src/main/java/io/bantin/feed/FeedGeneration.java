package io.bantin.feed;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import io.bantin.web.DatabaseErrors;

/**
 * The newest event in {@code bulletin_events}, polled once a second: every instance sees every write
 * this way, whichever instance took it, with one tiny query per second shared by all requests.
 * Rendered feeds are cached per generation and their validators derive from it.
 */
@Component
public class FeedGeneration implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FeedGeneration.class);
    static final Duration POLL_EVERY = Duration.ofSeconds(1);
    /** Older than this, the last poll is not trusted: a request polls itself rather than serve old feeds. */
    private static final Duration TRUSTED_FOR = Duration.ofSeconds(3);
    /** A poll that hangs must not stop the ones after it. */
    private static final Duration POLL_TIMEOUT = Duration.ofSeconds(5);

    /**
     * A state of the bulletins as feeds see it.
     *
     * @param id what identifies it: the sequence number and the time of its event (sequence numbers alone
     *           repeat if the log is ever emptied and restarted)
     * @param lastModified when it came to be, to the second, for {@code Last-Modified}
     * @param stale true when the database could not be asked: the last generation known, served anyway
     */
    public record Generation(String id, Instant lastModified, boolean stale) {

        Generation(String id, Instant lastModified) {
            this(id, lastModified, false);
        }
    }

    private record Polled(Generation generation, long seq, long atNanos) {
    }

    private final DatabaseClient db;
    private final AtomicReference<Polled> last = new AtomicReference<>();
    private volatile Disposable polling;

    FeedGeneration(DatabaseClient db) {
        this.db = db;
    }

    /**
     * The current generation: the polled one while fresh, else one read now. While the database cannot
     * be read, the last generation known, marked stale: readers keep getting the feeds already rendered.
     */
    public Mono<Generation> current() {
        Generation fresh = fresh();
        if (fresh != null) {
            return Mono.just(fresh);
        }
        Polled polled = last.get();
        return polled == null ? poll() : poll().onErrorResume(error -> Mono.just(new Generation(
                polled.generation().id(), polled.generation().lastModified(), true)));
    }

    /** The polled generation while it is trusted; null when only a query (or a stale answer) would do. */
    public Generation fresh() {
        Polled polled = last.get();
        return polled != null && System.nanoTime() - polled.atNanos() < TRUSTED_FOR.toNanos() ? polled.generation() : null;
    }

    private Mono<Generation> poll() {
        return db.sql("SELECT seq, created_at FROM bulletin_events ORDER BY seq DESC LIMIT 1")
                .map(row -> new Object[] {row.get("seq", Long.class), row.get("created_at", OffsetDateTime.class)})
                .one()
                .defaultIfEmpty(new Object[] {0L, null})
                .timeout(POLL_TIMEOUT)
                .onErrorMap(error -> DatabaseErrors.timedOut(error, "feeds: bulletin_events not read in time"))
                .map(row -> remember((Long) row[0], row[1] == null ? Instant.EPOCH : ((OffsetDateTime) row[1]).toInstant()));
    }

    private Generation remember(long seq, Instant eventAt) {
        Polled updated = last.updateAndGet(previous -> {
            Instant modified = eventAt.truncatedTo(ChronoUnit.SECONDS);
            String id = seq + "." + Long.toString(ChronoUnit.MICROS.between(Instant.EPOCH, eventAt), 36);
            if (previous != null && previous.generation().id().equals(id)) {
                return new Polled(previous.generation(), seq, System.nanoTime());
            }
            // Events carry their transaction's start time, so a later event can be older than the one
            // before it; Last-Modified must still move forward or If-Modified-Since would hide the change.
            if (previous != null && seq > previous.seq() && !modified.isAfter(previous.generation().lastModified())) {
                modified = previous.generation().lastModified().plusSeconds(1);
            }
            return new Polled(new Generation(id, modified), seq, System.nanoTime());
        });
        return updated.generation();
    }

    @Override
    public void start() {
        polling = Flux.interval(Duration.ZERO, POLL_EVERY)
                .onBackpressureDrop()
                .concatMap(tick -> poll().onErrorResume(e -> {
                    log.warn("feeds: unable to poll bulletin_events: {}", e.toString());
                    return Mono.empty();
                }), 1)
                .subscribe();
    }

    @Override
    public void stop() {
        Disposable running = polling;
        if (running != null) {
            running.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        Disposable running = polling;
        return running != null && !running.isDisposed();
    }
}
