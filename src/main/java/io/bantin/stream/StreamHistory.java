package io.bantin.stream;

import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;

/**
 * A stream's log before its live events, read one event at a time as its connection takes them: a {@link
 * Subscriber} polls it and is woken ({@code wake}) when the next one is read, the log ends or the read fails.
 */
final class StreamHistory implements CoreSubscriber<StreamEvent> {

    static final StreamEvent END = StreamEvent.control(-1, "end", null);

    private final Publisher<StreamEvent> source;
    private final Runnable wake;
    private Subscription upstream;
    private volatile StreamEvent next;
    private volatile Throwable failed;
    private volatile boolean complete;

    StreamHistory(Publisher<StreamEvent> source, Runnable wake) {
        this.source = source;
        this.wake = wake;
    }

    void start() {
        source.subscribe(this);
    }

    @Override
    public void onSubscribe(Subscription s) {
        upstream = s;
        s.request(1);
    }

    @Override
    public void onNext(StreamEvent event) {
        next = event;
        wake.run();
    }

    @Override
    public void onError(Throwable t) {
        failed = t;
        wake.run();
    }

    @Override
    public void onComplete() {
        complete = true;
        wake.run();
    }

    /** The next event read, END once all are, or null while one is being read. */
    StreamEvent poll() {
        StreamEvent event = next;
        if (event != null) {
            next = null;
            upstream.request(1);
            return event;
        }
        return complete ? END : null;
    }

    /** Why the read failed; null unless it did. */
    Throwable failed() {
        return failed;
    }

    void cancel() {
        if (upstream != null) {
            upstream.cancel();
        }
    }
}
