package io.bantin.system;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code bantin.export-pool.*} settings: the connections NDJSON exports query on, beside the read and
 * write pools (see {@link DatabasePools}), so that exports never make other reads wait for a connection.
 *
 * @param maxSize how many connections exports may hold at once; each holds one only for a chunk's query
 * @param maxAcquireTime how long an export's chunk waits for one of them before the export fails
 */
@ConfigurationProperties("bantin.export-pool")
public record ExportPoolProperties(
        @DefaultValue("2") int maxSize,
        @DefaultValue("10s") Duration maxAcquireTime) {
}
