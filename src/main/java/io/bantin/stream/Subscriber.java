package io.bantin.stream;

import java.util.function.ToIntFunction;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * One open stream's live events: a queue that the fan-out fills and the connection drains, bounded in
 * events and in encoded bytes, and sharing a total with every other subscriber ({@link StreamBudget}).
 * Past any of these the subscriber is dropped at once instead of growing memory; the client resumes
 * with {@code Last-Event-ID} and loses nothing.
 */
final class Subscriber {

    /** Ends a stream whose client cannot keep up; the stream handler then closes its connection. */
    static final class SlowClientException extends RuntimeException {

        private final String budget;

        SlowClientException(StreamBudget.Reason reason) {
            // An expected outcome, counted by a meter: the message says all, no stack trace to fill.
            super("stream subscriber fell behind by more than its buffer; disconnected so it resumes", null, false, false);
            this.budget = switch (reason) {
                case events -> "buffer of events (bantin.stream.buffer)";
                case bytes -> "buffer of bytes (bantin.stream.buffer-bytes)";
                case total -> "share of all streams' bytes (bantin.stream.total-bytes)";
            };
        }

        /** The budget it went past, as the log says it. */
        String budget() {
            return budget;
        }
    }

    private final StreamBudget budget;
    private final ToIntFunction<StreamEvent> frameSize;
    private final Sinks.Many<StreamEvent> queue;
    private final Sinks.One<StreamBudget.Reason> dropped = Sinks.one();
    // Guarded by this: the fan-out adds, the connection's thread takes away, the end gives back the rest.
    private long queuedBytes;
    private boolean closed;

    Subscriber(StreamBudget budget, ToIntFunction<StreamEvent> frameSize) {
        this.budget = budget;
        this.frameSize = frameSize;
        this.queue = Sinks.many().unicast().onBackpressureBuffer(Queues.<StreamEvent>get(budget.maxEvents()).get());
    }

    /** Queues an event; false when it went past a budget and the subscriber has just been dropped. */
    boolean offer(StreamEvent event) {
        int size = frameSize.applyAsInt(event);
        StreamBudget.Reason over;
        synchronized (this) {
            if (closed) {
                return false;
            }
            over = admit(size);
            if (over == null) {
                if (queue.tryEmitNext(event) != Sinks.EmitResult.FAIL_OVERFLOW) {
                    return true;
                }
                queuedBytes -= size;
                budget.giveBack(size);
                over = StreamBudget.Reason.events;
            }
        }
        if (dropped.tryEmitValue(over) == Sinks.EmitResult.OK) {
            budget.dropped(over);
        }
        return false;
    }

    /** Takes the bytes for a frame of {@code size}, or says which budget it would go past. */
    private StreamBudget.Reason admit(int size) {
        if (queuedBytes == 0) {
            budget.force(size); // however big, one event is always let through to a subscriber keeping up
        }
        else if (queuedBytes + size > budget.maxBytes()) {
            return StreamBudget.Reason.bytes;
        }
        else if (!budget.take(size)) {
            return StreamBudget.Reason.total;
        }
        queuedBytes += size;
        return null;
    }

    /** The queued events, in order; each gives its bytes back as the connection takes it. */
    Flux<StreamEvent> events() {
        return queue.asFlux().doOnNext(event -> taken(frameSize.applyAsInt(event)));
    }

    private synchronized void taken(int size) {
        if (!closed) {
            queuedBytes -= size;
            budget.giveBack(size);
        }
    }

    /** Gives back whatever is still queued; the subscriber takes no more events. */
    synchronized void close() {
        closed = true;
        budget.giveBack(queuedBytes);
        queuedBytes = 0;
    }

    /**
     * Fails with {@link SlowClientException} as soon as the subscriber is dropped. Merged beside the
     * events rather than sent through the full queue, where a unicast sink would hold it back until drained.
     */
    Mono<StreamEvent> dropped() {
        return dropped.asMono().flatMap(reason -> Mono.error(new SlowClientException(reason)));
    }
}
