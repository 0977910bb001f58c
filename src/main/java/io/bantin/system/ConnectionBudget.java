package io.bantin.system;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.management.UnixOperatingSystemMXBean;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.NettyPipeline;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Bounds what client connections hold: each must send a complete request head in time and may not sit
 * idle for long ({@link ConnectionDeadline}), a body must arrive in time, and at most
 * {@code bantin.connections.max} are open. At the cap the oldest idle connections are closed so that a
 * new client is still served; only when none is idle is the newcomer refused with 503. The cap stays
 * below the process's open-file limit, so the server never runs out of descriptors to accept with.
 * Meters: {@code bantin_connections_open}, {@code bantin_connections_closed_total{reason}}.
 */
@Configuration(proxyBeanMethods = false)
public class ConnectionBudget {

    private static final Logger log = LoggerFactory.getLogger(ConnectionBudget.class);
    private static final byte[] REFUSED = ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/problem+json\r\n"
            + "Retry-After: 5\r\nConnection: close\r\nContent-Length: 114\r\n\r\n"
            + "{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,"
            + "\"detail\":\"Too many open connections.\"}").getBytes(StandardCharsets.US_ASCII);

    /** Why the server closed a connection. */
    enum Reason { idle, head, evicted, refused }

    private final Map<Channel, ConnectionDeadline> open = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final Map<Reason, Counter> closed = new EnumMap<>(Reason.class);
    private final ConnectionProperties properties;
    private final int max;

    ConnectionBudget(ConnectionProperties properties, MeterRegistry registry) {
        this.properties = properties;
        long files = ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount() : Long.MAX_VALUE;
        this.max = (int) Math.max(1, Math.min(properties.max(), files - properties.fdReserve()));
        if (max < properties.max()) {
            log.info("connections: at most {} open (the open-file limit is {}, {} kept for the rest)", max, files,
                    properties.fdReserve());
        }
        Gauge.builder("bantin.connections.open", count, AtomicInteger::get)
                .description("Open client connections (bantin.connections.max caps them)").register(registry);
        Gauge.builder("bantin.connections.max", () -> max).description("The effective connection cap").register(registry);
        for (Reason reason : Reason.values()) {
            closed.put(reason, Counter.builder("bantin.connections.closed").tag("reason", reason.name())
                    .description("Connections the server closed: idle or slow head past its deadline, evicted at the cap, refused")
                    .register(registry));
        }
    }

    @Bean
    NettyServerCustomizer connectionBudgetCustomizer() {
        return server -> server
                .requestTimeout(properties.bodyTimeout())
                .readTimeout(properties.bodyReadTimeout())
                .doOnChannelInit((observer, channel, remote) -> watch(channel));
    }

    int max() {
        return max;
    }

    private void watch(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        ConnectionDeadline deadline = new ConnectionDeadline(this, properties.idleTimeout(), properties.headTimeout());
        pipeline.addFirst("bantin.connection.bytes", deadline.bytes());
        if (pipeline.get(NettyPipeline.HttpCodec) != null) {
            pipeline.addAfter(NettyPipeline.HttpCodec, "bantin.connection.requests", deadline.requests());
            pipeline.addAfter("bantin.connection.requests", "bantin.pipelined.close", new PipelinedClose());
            pipeline.addAfter("bantin.pipelined.close", "bantin.unread.body.close", new UnreadBodyClose());
        }
        else {
            pipeline.addLast("bantin.connection.requests", deadline.requests());
        }
    }

    /** A connection has opened: counts it, making room or refusing it at the cap. */
    void opened(Channel channel, ConnectionDeadline deadline) {
        open.put(channel, deadline);
        if (count.incrementAndGet() <= max) {
            return;
        }
        if (evictIdle(channel) == 0) {
            closed.get(Reason.refused).increment();
            channel.writeAndFlush(Unpooled.wrappedBuffer(REFUSED)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    void closed(Channel channel) {
        if (open.remove(channel) != null) {
            count.decrementAndGet();
        }
    }

    void timedOut(Channel channel, Reason reason) {
        closed.get(reason).increment();
        channel.close();
    }

    /**
     * Closes the oldest idle connections (a hundredth of the cap at a time, so that a flood does not scan
     * every connection at each accept); answers how many. Each is forgotten at once, so a later scan never
     * picks a connection that is still closing.
     */
    private int evictIdle(Channel newcomer) {
        int batch = Math.max(1, max / 100);
        List<Map.Entry<Channel, Long>> idle = new ArrayList<>();
        open.forEach((channel, deadline) -> {
            long since = deadline.idleSince(); // read once: it changes while we sort
            if (channel != newcomer && since != 0) {
                idle.add(Map.entry(channel, since));
            }
        });
        idle.sort(Map.Entry.comparingByValue());
        int evicted = 0;
        for (Map.Entry<Channel, Long> oldest : idle) {
            if (evicted == batch) {
                break;
            }
            if (open.remove(oldest.getKey()) != null) {
                count.decrementAndGet();
                closed.get(Reason.evicted).increment();
                oldest.getKey().close();
                evicted++;
            }
        }
        return evicted;
    }
}
