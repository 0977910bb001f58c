package io.bantin.stream;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.netty.channel.Channel;

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

    /**
     * The frames for {@code wanted}: {@code frames} encodes each event for this stream's wire (null: nothing
     * to send), {@link StreamEvent#OPEN} first, once nothing can be missed any more. Frames longer than
     * {@code slice} go out in slices, and only while {@code channel} is writable (null: no connection, as in
     * tests). Fails with a 503 problem, before anything is sent, when the instance has all the streams it may
     * have open; with {@link SlowClientException} when the client falls past a budget.
     */
    Flux<ByteBuffer> of(StreamRequest wanted, Function<StreamEvent, byte[]> frames, Channel channel, int slice) {
        return Flux.defer(() -> {
            budget.open();
            return start(wanted, frames, channel, slice);
        });
    }

    /**
     * {@link #of} for a caller that subscribes at once, or null (nothing taken) when the instance has all the
     * streams it may have open: the caller then lets the ordinary route refuse it.
     */
    Flux<ByteBuffer> opened(StreamRequest wanted, Function<StreamEvent, byte[]> frames, Channel channel, int slice) {
        return budget.tryOpen() ? Flux.from(start(wanted, frames, channel, slice)) : null;
    }

    /**
     * {@link #opened} for a stream written straight to its connection by {@code chunked}: the stream's end, or
     * null (nothing taken) when the instance has all the streams it may have open.
     */
    Mono<Void> openedChunked(StreamRequest wanted, Function<StreamEvent, byte[]> frames, Channel channel,
            ChunkWriter chunked) {
        if (!budget.tryOpen()) {
            return null;
        }
        Subscriber subscriber = new Subscriber(budget, wanted, frames, channel, live, chunked);
        readFirst(subscriber, wanted);
        return subscriber.written();
    }

    private Subscriber start(StreamRequest wanted, Function<StreamEvent, byte[]> frames, Channel channel, int slice) {
        Subscriber subscriber = new Subscriber(budget, wanted, frames, channel, slice, live);
        readFirst(subscriber, wanted);
        return subscriber;
    }

    private void readFirst(Subscriber subscriber, StreamRequest wanted) {
        // Registered before the history is read: whatever the fan-out sends from now on is queued
        // for us, and whatever it sent before is already in the log for the history to find.
        live.subscribe(subscriber);
        // Without a resume point the stream starts at the log's current end: the fan-out may still be
        // sending events committed before this request, and those are not "live" for this client. The
        // response only begins once that end is known, so a client that has seen it misses nothing after.
        subscriber.readFirst(wanted.resumeAfter() == null
                ? bounds.get().map(kept -> StreamEvent.control(kept.newest(), StreamEvent.OPEN_AT, null)).flux()
                : history(wanted.resumeAfter()).startWith(StreamEvent.OPEN));
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
