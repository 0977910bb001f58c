package io.bantin.change;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;

/**
 * A consumer of the change bus: every change, once, in sequence order, on every instance, on the bus's own
 * thread (so a listener must not block, and should be quick: the writer's answer waits for all of them).
 * Listeners run in {@link #getOrder()} order: versions first, so that what runs after sees answers that
 * already include the change.
 */
public interface ChangeListener extends Ordered {

    int VERSIONS = 0;
    int STREAMS = 100;
    int WEBSUB = 200;
    int CACHES = 250;
    int METRICS = 300;

    /** One committed change; the next one comes only after every listener returned. */
    void changed(Change change);

    /**
     * The bus follows the log from {@code seq} on (at start-up, or after the log was found truncated or
     * restored): whatever came before it is not known one by one. {@code at} is the time of that event
     * (the epoch when the log is empty).
     */
    default void following(long seq, java.time.Instant at) {
    }

    /**
     * Work the writer of change {@code seq} waits for, after every listener received it and before it answers
     * (a purge outside that must land before the writer hears "done"). Should not fail; the writer answers
     * anyway after {@code bantin.change.writer-wait}.
     */
    default Mono<Void> beforeWriterAnswers(long seq) {
        return Mono.empty();
    }
}
