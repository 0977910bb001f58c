package io.bantin.stream;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code bantin.stream.*} settings.
 *
 * @param retention how long events stay in the log; a client resuming from before that gets {@code reset}
 * @param heartbeat the longest silence on an open stream (the contract promises at most 15 s)
 * @param retry the reconnection delay suggested to SSE clients
 * @param buffer events held for one subscriber that cannot keep up; beyond it the subscriber is dropped
 * @param cleanupInterval how often events older than the retention are deleted
 */
@ConfigurationProperties("bantin.stream")
record StreamProperties(
        @DefaultValue("7d") Duration retention,
        @DefaultValue("10s") Duration heartbeat,
        @DefaultValue("3s") Duration retry,
        @DefaultValue("256") int buffer,
        @DefaultValue("1h") Duration cleanupInterval) {
}
