package io.bantin.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One event loop's share of the stream fan-out: the subscribers whose connections it serves, and the events
 * waiting for it. Each burst of events is one task on the loop, however many subscribers and events: the loop
 * hands every waiting event to each subscriber in turn, and an idle one writes them all with one flush. So
 * when the loop falls behind, it catches up with fewer, larger writes rather than one system call per event.
 */
final class LoopFanOut implements Runnable {

    private final Executor loop; // null: no connection (tests): events are handed over at once, on the caller's thread
    private final Set<Subscriber> members = ConcurrentHashMap.newKeySet();
    private final Queue<StreamEvent> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    LoopFanOut(Executor loop) {
        this.loop = loop;
    }

    Set<Subscriber> members() {
        return members;
    }

    /** Hands {@code event} to every member, in the order events are added. */
    void add(StreamEvent event) {
        if (loop == null) {
            for (Subscriber subscriber : members) {
                subscriber.offer(event);
            }
            return;
        }
        waiting.add(event);
        if (scheduled.compareAndSet(false, true)) {
            loop.execute(this);
        }
    }

    @Override
    public void run() {
        // Cleared first: an event added from here on schedules another run, or is taken by this one.
        scheduled.set(false);
        List<StreamEvent> burst = new ArrayList<>(4);
        for (StreamEvent event = waiting.poll(); event != null; event = waiting.poll()) {
            burst.add(event);
        }
        if (burst.isEmpty()) {
            return;
        }
        for (Subscriber subscriber : members) {
            subscriber.offerAll(burst);
        }
    }
}
