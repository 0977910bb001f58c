package io.bantin.stream;

import io.micrometer.core.instrument.Counter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * One open stream's live events: a bounded queue that the fan-out fills and the connection drains.
 * When the queue is full the subscriber is dropped at once instead of growing the heap; the client
 * resumes with {@code Last-Event-ID} and loses nothing.
 */
final class Subscriber {

    /** Ends a stream whose client cannot keep up; the stream handler then closes its connection. */
    static final class SlowClientException extends RuntimeException {

        SlowClientException() {
            // An expected outcome, counted by a meter: the message says all, no stack trace to fill.
            super("stream subscriber fell behind by more than its buffer; disconnected so it resumes", null, false, false);
        }
    }

    private final Sinks.Many<StreamEvent> queue;
    private final Sinks.Empty<Void> dropped = Sinks.empty();
    private final Counter droppedCounter;

    Subscriber(int capacity, Counter droppedCounter) {
        this.droppedCounter = droppedCounter;
        this.queue = Sinks.many().unicast().onBackpressureBuffer(Queues.<StreamEvent>get(capacity).get());
    }

    /** Queues an event; false when the queue was full and the subscriber has just been dropped. */
    boolean offer(StreamEvent event) {
        if (queue.tryEmitNext(event) == Sinks.EmitResult.FAIL_OVERFLOW) {
            if (dropped.tryEmitEmpty() == Sinks.EmitResult.OK) {
                droppedCounter.increment();
            }
            return false;
        }
        return true;
    }

    /** The queued events, in order. */
    Flux<StreamEvent> events() {
        return queue.asFlux();
    }

    /**
     * Fails with {@link SlowClientException} as soon as the subscriber is dropped. Merged beside the
     * events rather than sent through the full queue, where a unicast sink would hold it back until drained.
     */
    Mono<StreamEvent> dropped() {
        return dropped.asMono().then(Mono.error(SlowClientException::new));
    }
}
