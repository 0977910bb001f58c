package io.bantin.stream;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.function.Function;

import io.netty.channel.Channel;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;

import io.bantin.system.OutboundGate;

/**
 * One open stream, as one small object: the events the fan-out queued for it (bounded in events and in
 * encoded bytes, and sharing a total with every other subscriber, {@link StreamBudget}), then its log
 * history before them, written as frames to its connection only while the connection is writable.
 * <p>
 * It replaces a chain of Reactor operators per stream (merge, concat, filter, interval, take-until, a
 * 256-slot queue, a writability gate): an idle stream held ~31 KiB, a third of it in that chain. Here an
 * idle stream holds this object and nothing else; the queue exists only while events wait. Heartbeats come
 * from one ticker for all streams ({@link BulletinEvents}), the stop from the fan-out telling every stream.
 * <p>
 * Signals go to the connection from its event loop (one task per burst, however many events it holds), or
 * from the caller's thread when there is no connection (tests). Past a budget the subscriber is dropped at
 * once with {@link SlowClientException}; the client resumes with {@code Last-Event-ID} and loses nothing.
 */
final class Subscriber implements Publisher<ByteBuffer>, Subscription {

    private static final AtomicIntegerFieldUpdater<Subscriber> WIP =
            AtomicIntegerFieldUpdater.newUpdater(Subscriber.class, "wip");
    private static final AtomicLongFieldUpdater<Subscriber> REQUESTED =
            AtomicLongFieldUpdater.newUpdater(Subscriber.class, "requested");

    private final StreamBudget budget;
    private final StreamRequest wanted;
    private final Function<StreamEvent, byte[]> frames; // null: this stream sends nothing for that event
    private final Channel channel; // null without a connection (tests): always writable, signals on the caller
    private final int slice;
    private final BulletinEvents live;
    private final ChunkWriter chunked; // null: the frames go to a Reactor subscriber
    private final Runnable drainTask = this::drainLoop;
    private StreamHistory history; // the log before the live events; null once done

    // Guarded by this: the fan-out adds, the drain takes away, the end gives back the rest.
    private ArrayDeque<StreamEvent> queue; // only while events wait
    private long queuedBytes;
    private boolean closed;
    private StreamBudget.Reason dropped;
    private boolean stopping;
    private boolean beat;

    // The drain's own state (one drain at a time).
    private CoreSubscriber<? super ByteBuffer> downstream;
    private boolean opened;
    private long highest;
    private byte[] frame; // the frame being written, in slices
    private StreamEvent framed; // what the frame is of
    private int written;
    private boolean awaitingWritable;
    private int headers; // chunked: 0 not sent, 1 on their way, 2 written
    private boolean done;

    private volatile int wip;
    private volatile long requested;
    private volatile boolean cancelled;
    private volatile Throwable unsent; // chunked: the headers could not be written

    Subscriber(StreamBudget budget, StreamRequest wanted, Function<StreamEvent, byte[]> frames, Channel channel,
            int slice, BulletinEvents live) {
        this(budget, wanted, frames, channel, slice, live, null);
    }

    /** A subscriber writing straight to its connection through {@code chunked}: started by {@link #written}. */
    Subscriber(StreamBudget budget, StreamRequest wanted, Function<StreamEvent, byte[]> frames, Channel channel,
            BulletinEvents live, ChunkWriter chunked) {
        this(budget, wanted, frames, channel, Integer.MAX_VALUE, live, chunked);
    }

    private Subscriber(StreamBudget budget, StreamRequest wanted, Function<StreamEvent, byte[]> frames, Channel channel,
            int slice, BulletinEvents live, ChunkWriter chunked) {
        this.chunked = chunked;
        this.budget = budget;
        this.wanted = wanted;
        this.frames = frames;
        this.channel = channel;
        this.slice = slice;
        this.live = live;
        this.highest = wanted.resumeAfter() == null ? -1 : wanted.resumeAfter();
    }

    /** Starts with {@code history}: events read from the log (and {@link StreamEvent#OPEN}) before the live ones. */
    void readFirst(Publisher<StreamEvent> history) {
        this.history = new StreamHistory(history, this::drain);
    }

    /**
     * Starts a chunked subscriber: it completes once the stream has ended, and cancelling it ends the stream.
     * The frames need no demand: they are written whenever the connection is writable.
     */
    Mono<Void> written() {
        return Mono.create(end -> {
            chunked.endsWith(end);
            end.onCancel(this::cancel);
            // However the connection ends, the stream ends with it, even between two writes.
            channel.closeFuture().addListener(closed -> cancel());
            requested = Long.MAX_VALUE;
            history.start();
        });
    }

    @Override
    public void subscribe(org.reactivestreams.Subscriber<? super ByteBuffer> subscriber) {
        downstream = Operators.toCoreSubscriber(subscriber);
        downstream.onSubscribe(this);
        history.start();
    }

    @Override
    public void request(long n) {
        if (Operators.validate(n)) {
            Operators.addCap(REQUESTED, this, n);
            drain();
        }
    }

    @Override
    public void cancel() {
        cancelled = true;
        drain();
    }

    /** What the fan-out groups subscribers by: the event loop of the connection, or this class without one. */
    Object loop() {
        return channel == null ? Subscriber.class : channel.eventLoop();
    }

    /**
     * Takes {@code events} from the fan-out, on the connection's event loop: an idle chunked subscriber writes
     * them at once, with one flush; the others (and the rest, once it is no longer idle) are queued.
     */
    void offerAll(List<StreamEvent> events) {
        int next = 0;
        if (chunked != null && WIP.compareAndSet(this, 0, 1)) {
            boolean wrote = false;
            for (; next < events.size(); next++) {
                StreamEvent mine = wanted.view(events.get(next));
                if (mine != null) {
                    if (!writeNow(mine)) {
                        break;
                    }
                    wrote = true;
                }
            }
            if (wrote) {
                chunked.flush();
            }
            if (WIP.decrementAndGet(this) != 0) {
                drainLoop(); // a signal came meanwhile: the drain is ours to run
            }
        }
        for (; next < events.size(); next++) {
            if (!offer(events.get(next))) {
                return;
            }
        }
    }

    /** Queues an event from the fan-out; false when it went past a budget and the subscriber has just been dropped. */
    boolean offer(StreamEvent event) {
        StreamEvent mine = wanted.view(event);
        if (mine == null) {
            return true; // not for this stream: costs it nothing
        }
        byte[] bytes = frames.apply(mine);
        int size = bytes == null ? 0 : bytes.length;
        StreamBudget.Reason over;
        synchronized (this) {
            if (closed || dropped != null) {
                return false;
            }
            over = admit(size);
            if (over == null) {
                if (queue == null) {
                    queue = new ArrayDeque<>(4);
                }
                queue.add(mine);
                beat = false; // the event breaks the silence
            }
            else {
                dropped = over;
            }
        }
        if (over != null) {
            budget.dropped(over);
        }
        drain();
        return over == null;
    }

    /**
     * Writes {@code event}, unflushed, if nothing is before it (no history, queue or frame half written) and the
     * connection takes it; the caller owns the drain. False: the event must be queued.
     */
    private boolean writeNow(StreamEvent event) {
        if (done || cancelled || history != null || headers != 2 || frame != null || !channel.isWritable()) {
            return false;
        }
        synchronized (this) {
            if (queue != null || closed || dropped != null || stopping) {
                return false;
            }
            beat = false; // the event breaks the silence
        }
        if (event.seq() > highest) { // history and live overlap at the seam, as in nextFrame
            highest = event.seq();
            live.metrics().delivered.increment();
            chunked.write(event);
        }
        return true;
    }

    /** Takes the bytes for a frame of {@code size}, or says which budget it would go past. */
    private StreamBudget.Reason admit(int size) {
        if (queue != null && queue.size() >= budget.maxEvents()) {
            return StreamBudget.Reason.events;
        }
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

    /** From the shared ticker: a heartbeat goes out if nothing else is waiting to. */
    void heartbeat() {
        synchronized (this) {
            if (queue != null && !queue.isEmpty()) {
                return;
            }
            beat = true;
        }
        drain();
    }

    /** This instance stops: the stream ends, after its stopping frame if its encoding has one. */
    void stop() {
        synchronized (this) {
            stopping = true;
        }
        drain();
    }

    private void drain() {
        if (WIP.getAndIncrement(this) != 0) {
            return;
        }
        if (channel == null || channel.eventLoop().inEventLoop()) {
            drainLoop();
        }
        else {
            channel.eventLoop().execute(drainTask);
        }
    }

    private void drainLoop() {
        int missed = 1;
        do {
            if (!done) {
                drainOnce();
            }
            missed = WIP.addAndGet(this, -missed);
        } while (missed != 0);
    }

    private void drainOnce() {
        long emitted = 0;
        long wanting = requested;
        while (true) {
            if (cancelled) {
                finish();
                return;
            }
            StreamBudget.Reason over;
            boolean stop;
            synchronized (this) {
                over = dropped;
                stop = stopping;
            }
            if (over != null) {
                finish();
                fail(new SlowClientException(over));
                return;
            }
            if (history != null && history.failed() != null) {
                Throwable error = history.failed();
                finish();
                fail(error);
                return;
            }
            if (unsent != null) {
                finish();
                chunked.fail(unsent);
                return;
            }
            if (headers == 1) {
                break; // woken once they are written
            }
            // A frame half written is finished first, unless the client is not reading: then it ends now.
            if (stop && (frame == null || channel != null && !channel.isWritable())) {
                finish();
                byte[] last = frames.apply(StreamEvent.STOPPING);
                if (chunked != null) {
                    if (last != null && headers == 2 && frame == null) {
                        chunked.write(StreamEvent.STOPPING);
                        chunked.flush();
                    }
                    chunked.complete();
                    return;
                }
                if (last != null && emitted < wanting && frame == null) {
                    downstream.onNext(ByteBuffer.wrap(last));
                }
                downstream.onComplete();
                return;
            }
            if (emitted == wanting) {
                break;
            }
            if (!writable()) {
                break; // woken again once the connection drains
            }
            if (frame == null && !nextFrame()) {
                break;
            }
            if (chunked != null) {
                if (headers == 0) {
                    headers = 1;
                    chunked.open(() -> {
                        headers = 2;
                        drain();
                    }, error -> {
                        unsent = error;
                        drain();
                    });
                    break;
                }
                chunked.write(framed);
                frame = null;
                emitted++;
                continue;
            }
            int length = Math.min(slice, frame.length - written);
            ByteBuffer part = written == 0 && length == frame.length ? ByteBuffer.wrap(frame)
                    : ByteBuffer.wrap(frame, written, length).slice();
            written += length;
            if (written == frame.length) {
                frame = null;
                written = 0;
            }
            emitted++;
            downstream.onNext(part);
        }
        if (emitted > 0) {
            if (chunked != null) {
                chunked.flush();
            }
            else {
                REQUESTED.addAndGet(this, -emitted);
            }
        }
    }

    private void fail(Throwable error) {
        if (chunked == null) {
            downstream.onError(error);
        }
        else if (error instanceof SlowClientException dropped) {
            StreamHandler.disconnect(channel, dropped).subscribe(null, null, chunked::complete);
        }
        else {
            chunked.fail(error);
        }
    }

    private boolean writable() {
        if (channel == null || channel.isWritable() || !channel.isActive()) {
            return true;
        }
        if (!awaitingWritable) {
            awaitingWritable = true;
            OutboundGate.onWritable(channel, () -> {
                awaitingWritable = false;
                drain();
            });
        }
        return false;
    }

    /** Takes the next frame to write: history first, then the queue, then a due heartbeat; false when none. */
    private boolean nextFrame() {
        while (true) {
            StreamEvent event;
            if (history != null) {
                event = history.poll();
                if (event == null) {
                    return false; // the log is being read
                }
                if (event == StreamHistory.END) {
                    history = null;
                    continue;
                }
                if (event.kind().equals(StreamEvent.OPEN_AT)) {
                    highest = event.seq();
                    event = StreamEvent.OPEN;
                }
                if (event != StreamEvent.OPEN && !event.kind().equals(StreamSource.RESET)) {
                    event = wanted.view(event);
                    if (event == null) {
                        continue;
                    }
                }
            }
            else {
                synchronized (this) {
                    event = queue == null ? null : queue.poll();
                    if (event == null) {
                        queue = null;
                        if (!beat || !opened) {
                            return false;
                        }
                        beat = false;
                        event = StreamEvent.HEARTBEAT;
                    }
                    else {
                        byte[] bytes = frames.apply(event);
                        taken(bytes == null ? 0 : bytes.length);
                    }
                }
            }
            if (event == StreamEvent.OPEN) {
                opened = true;
            }
            else if (event != StreamEvent.HEARTBEAT) {
                // History and live overlap at the seam; both run in seq order, so "newer than the last one
                // sent" keeps each event exactly once.
                if (event.seq() <= highest && !event.kind().equals(StreamSource.RESET)) {
                    continue;
                }
                highest = Math.max(highest, event.seq());
                live.metrics().delivered.increment();
            }
            byte[] bytes = frames.apply(event);
            if (bytes != null && bytes.length > 0) {
                frame = bytes;
                framed = event;
                written = 0;
                return true;
            }
        }
    }

    private void taken(int size) { // holds this
        if (!closed) {
            queuedBytes -= size;
            budget.giveBack(size);
        }
    }

    /** Ends this stream once: it takes no more events and gives back whatever is still queued. */
    private void finish() {
        if (done) {
            return;
        }
        done = true;
        if (history != null) {
            history.cancel();
            history = null;
        }
        live.unsubscribe(this);
        synchronized (this) {
            closed = true;
            queue = null;
            budget.giveBack(queuedBytes);
            queuedBytes = 0;
        }
        budget.closed();
    }
}
