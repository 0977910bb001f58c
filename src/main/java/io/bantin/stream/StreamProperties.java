package io.bantin.stream;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The {@code bantin.stream.*} settings.
 *
 * @param retention how long events stay in the log; a client resuming from before that gets {@code reset}
 * @param heartbeat the longest silence on an open stream (the contract promises at most 15 s)
 * @param retry the reconnection delay suggested to SSE clients
 * @param buffer events held for one subscriber that cannot keep up; beyond it the subscriber is dropped
 * @param cleanupInterval how often events older than the retention are deleted
 * @param bufferBytes the encoded frames held for one subscriber; beyond it the subscriber is dropped
 *        (a queue always takes one event, however big)
 * @param totalBytes the frames held for all subscribers together, an event counted once per subscriber
 *        holding it; past it, each subscriber that is behind is dropped at its next event
 * @param maxOpen open streams on this instance; past it a new stream gets 503 with {@code Retry-After}
 * @param writeBuffer what a stream's connection may hold unsent (its Netty high-water mark); frames
 *        wait in the subscriber's queue meanwhile, and go out in slices of half this size
 * @param openRate new streams admitted per second, on average; past it (and the burst) a new stream gets
 *        503 with {@code Retry-After}, so a storm of openings cannot take the event loops from other reads
 * @param openBurst new streams admitted at once before the rate applies
 * @param direct serve plain stream requests straight from Reactor Netty, ahead of Spring's filter chain
 *        (see {@link StreamRoute}); false sends every stream request through Spring
 */
@ConfigurationProperties("bantin.stream")
record StreamProperties(
        @DefaultValue("7d") Duration retention,
        @DefaultValue("10s") Duration heartbeat,
        @DefaultValue("3s") Duration retry,
        @DefaultValue("256") int buffer,
        @DefaultValue("1h") Duration cleanupInterval,
        @DefaultValue("4MB") DataSize bufferBytes,
        @DefaultValue("1GB") DataSize totalBytes,
        @DefaultValue("5000") int maxOpen,
        @DefaultValue("16KB") DataSize writeBuffer,
        @DefaultValue("100") double openRate,
        @DefaultValue("200") int openBurst,
        @DefaultValue("true") boolean direct) {
}
