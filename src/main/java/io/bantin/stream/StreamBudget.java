package io.bantin.stream;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import io.bantin.web.ProblemException;

/**
 * What the streams of this instance may hold: open streams, and the frames queued for subscribers that
 * are behind, per subscriber and all together ({@code bantin.stream.*}). Subscribers take and give back
 * bytes here; the meters show the totals ({@code bantin_stream_queued_bytes}, {@code _open},
 * {@code _dropped_total{reason}}, {@code _refused_total}).
 */
@Component
class StreamBudget {

    /** Why a subscriber was dropped. */
    enum Reason { events, bytes, total }

    private final StreamProperties properties;
    private final AtomicLong queued = new AtomicLong();
    private final AtomicInteger open = new AtomicInteger();
    private final Map<Reason, Counter> dropped = new EnumMap<>(Reason.class);
    private final Counter anyDrop;
    private final Counter refused;

    StreamBudget(StreamProperties properties, MeterRegistry registry) {
        this.properties = properties;
        Gauge.builder("bantin.stream.queued.bytes", queued, AtomicLong::get).baseUnit("bytes")
                .description("Encoded frames queued for stream subscribers, counted once per subscriber").register(registry);
        Gauge.builder("bantin.stream.open", open, AtomicInteger::get)
                .description("Open streams on this instance (bantin.stream.max-open caps them)").register(registry);
        for (Reason reason : Reason.values()) {
            dropped.put(reason, Counter.builder("bantin.stream.dropped").tag("reason", reason.name())
                    .description("Subscribers dropped for falling behind, by the budget they went past").register(registry));
        }
        anyDrop = Counter.builder("bantin.stream.slow.clients.dropped")
                .description("Subscribers disconnected because their buffer filled up").register(registry);
        refused = Counter.builder("bantin.stream.refused")
                .description("Streams refused with 503 because bantin.stream.max-open were open").register(registry);
    }

    /** Counts a stream as open, or refuses it with a 503 problem when the instance has its maximum. */
    void open() {
        if (open.incrementAndGet() > properties.maxOpen()) {
            open.decrementAndGet();
            refused.increment();
            throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "This instance has " + properties.maxOpen()
                    + " streams open, its maximum; try again shortly.").withHeader(HttpHeaders.RETRY_AFTER, "5")
                    // closed after the answer: kept alive, the connection stayed open until the idle timeout
                    .withHeader(HttpHeaders.CONNECTION, "close");
        }
    }

    /** Counts a stream as open, or answers false (nothing counted) when the instance has its maximum. */
    boolean tryOpen() {
        if (open.incrementAndGet() > properties.maxOpen()) {
            open.decrementAndGet();
            return false;
        }
        return true;
    }

    void closed() {
        open.decrementAndGet();
    }

    int maxEvents() {
        return properties.buffer();
    }

    long maxBytes() {
        return properties.bufferBytes().toBytes();
    }

    /** Takes {@code bytes} from the total; false (nothing taken) when that would go past it. */
    boolean take(long bytes) {
        long limit = properties.totalBytes().toBytes();
        for (;;) {
            long now = queued.get();
            if (now + bytes > limit) {
                return false;
            }
            if (queued.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    /** Takes {@code bytes} whatever the total: a subscriber that is not behind always gets its next event. */
    void force(long bytes) {
        queued.addAndGet(bytes);
    }

    void giveBack(long bytes) {
        queued.addAndGet(-bytes);
    }

    void dropped(Reason reason) {
        dropped.get(reason).increment();
        anyDrop.increment();
    }

    long queuedBytes() {
        return queued.get();
    }
}
