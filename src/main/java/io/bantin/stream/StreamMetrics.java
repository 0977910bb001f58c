package io.bantin.stream;

import java.util.function.IntSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** The stream's meters, as {@code /actuator/prometheus} shows them ({@code bantin_stream_*}). */
final class StreamMetrics {

    final Counter delivered;
    final Counter slowClientsDropped;

    StreamMetrics(MeterRegistry registry, IntSupplier subscribers) {
        // Held strongly: a gauge holds its object weakly, and nothing else holds this function.
        Gauge.builder("bantin.stream.subscribers", subscribers, IntSupplier::getAsInt).strongReference(true)
                .description("Open stream connections on this instance").register(registry);
        delivered = Counter.builder("bantin.stream.events.delivered")
                .description("Events handed to stream subscribers").register(registry);
        slowClientsDropped = Counter.builder("bantin.stream.slow.clients.dropped")
                .description("Subscribers disconnected because their buffer filled up").register(registry);
    }
}
