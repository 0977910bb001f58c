package io.bantin.stream;

/** Ends a stream whose client cannot keep up ({@link Subscriber}); the stream handler then closes its connection. */
final class SlowClientException extends RuntimeException {

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
