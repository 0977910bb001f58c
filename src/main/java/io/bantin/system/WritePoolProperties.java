package io.bantin.system;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code bantin.write-pool.*} settings: the connections kept for writes, beside the
 * {@code spring.r2dbc.pool.*} pool that serves reads (see {@link DatabasePools}).
 *
 * @param maxSize how many connections writes may hold at once; writes serialise on the event log's
 *        lock at commit, so a few are enough
 * @param maxAcquireTime how long a write waits for one of them before it answers 503
 */
@ConfigurationProperties("bantin.write-pool")
public record WritePoolProperties(
        @DefaultValue("6") int maxSize,
        @DefaultValue("10s") Duration maxAcquireTime) {
}
