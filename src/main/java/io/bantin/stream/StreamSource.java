package io.bantin.stream;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import io.bantin.change.EventLog;

/**
 * The events one stream request gets: the missed ones from the log, then live ones, with no gap and
 * no duplicate at the seam; or {@code reset} when the resume point is older than what the log keeps.
 */
@Component
class StreamSource {

    static final String RESET = "reset";
    private static final int PAGE = 500;

    private final BulletinEvents live;
    private final EventLog eventLog;
    private final StreamBudget budget;
    private final SharedQuery<EventLog.Bounds> bounds;

    StreamSource(BulletinEvents live, EventLog eventLog, StreamBudget budget) {
        this.live = live;
        this.eventLog = eventLog;
        this.budget = budget;
        this.bounds = new SharedQuery<>(eventLog::bounds);
    }

    /** {@link #of(StreamRequest, ToIntFunction)} for a stream sending SSE frames. */
    Flux<StreamEvent> of(StreamRequest wanted) {
        return of(wanted, event -> event.sse().length);
    }

    /**
     * The events for {@code wanted}, preceded by {@link StreamEvent#OPEN} once nothing can be missed any more;
     * {@code frameSize} is what one event costs on this stream's wire, counted against its budget. Fails
     * with a 503 problem, before anything is sent, when the instance has all the streams it may have open.
     */
    Flux<StreamEvent> of(StreamRequest wanted, ToIntFunction<StreamEvent> frameSize) {
        return Flux.defer(() -> {
            budget.open();
            // Registered before the history is read: whatever the fan-out sends from now on is queued
            // for us, and whatever it sent before is already in the log for the history to find.
            Subscriber subscriber = budget.subscriber(frameSize);
            live.subscribe(subscriber);
            long[] highest = {wanted.resumeAfter() == null ? -1 : wanted.resumeAfter()};
            // Without a resume point the stream starts at the log's current end: the fan-out may still be
            // sending events committed before this request, and those are not "live" for this client. The
            // response only begins once that end is known, so a client that has seen it misses nothing after.
            Flux<StreamEvent> history = wanted.resumeAfter() == null
                    ? bounds.get().doOnNext(kept -> highest[0] = kept.newest()).thenReturn(StreamEvent.OPEN).flux()
                    : history(wanted.resumeAfter()).startWith(StreamEvent.OPEN);
            // Prefetch 1: the subscriber's bounded queue is the buffer; the merge must not add another.
            return Flux.merge(1, Flux.concat(history, subscriber.events()), subscriber.dropped())
                    // History and live overlap at the seam; both run in seq order, so "newer than the
                    // last one sent" keeps each event exactly once.
                    .filter(event -> event.isOpen() || event.seq() > highest[0] || event.kind().equals(RESET))
                    .doOnNext(event -> highest[0] = Math.max(highest[0], event.seq()))
                    .mapNotNull(event -> event.isOpen() || event.kind().equals(RESET) ? event : wanted.view(event))
                    .doOnNext(event -> {
                        if (!event.isOpen()) {
                            live.metrics().delivered.increment();
                        }
                    })
                    .takeUntilOther(live.stopping())
                    .doFinally(signal -> {
                        live.unsubscribe(subscriber);
                        subscriber.close();
                        budget.closed();
                    });
        });
    }

    /** Emits once this instance stops serving streams. */
    Mono<Boolean> stopping() {
        return live.stopping();
    }

    private Flux<StreamEvent> history(long after) {
        return bounds.get().flatMapMany(kept -> {
            // The cleanup deletes a prefix of the log, so a resume point just before the oldest kept
            // event has missed nothing; one further back, or past the end, has lost track.
            if (!lost(after, kept)) {
                return pages(after);
            }
            return Flux.just(reset(kept.newest())).concatWith(pages(kept.newest()));
        });
    }

    static boolean lost(long after, EventLog.Bounds kept) {
        return after < kept.oldest() - 1 || after > kept.newest();
    }

    /** Tells a client that lost track to reload its lists and go on from {@code newest}. */
    static StreamEvent reset(long newest) {
        return StreamEvent.control(newest, RESET, "{\"lastEventId\":" + newest + "}");
    }

    /**
     * The log after {@code after}, a page at a time as the client takes it. Iterative on purpose: a page
     * that chained the read of the next one kept every page read so far reachable until the stream ended,
     * and ten clients resuming 12,000 events each filled a 512 MiB heap.
     */
    private Flux<StreamEvent> pages(long after) {
        AtomicLong last = new AtomicLong(after);
        return Flux.defer(() -> eventLog.after(last.get(), PAGE).map(StreamEvent::of).collectList())
                .repeat()
                .takeUntil(page -> page.size() < PAGE)
                .concatMapIterable(page -> {
                    if (!page.isEmpty()) {
                        last.set(page.get(page.size() - 1).seq());
                    }
                    return page;
                }, 1);
    }
}
