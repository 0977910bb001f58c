package io.bantin.bulletin;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code bantin.export.*} settings: NDJSON exports of {@code GET /api/v1/bulletins} (see {@link BulletinExport}).
 *
 * @param maxConcurrent exports in progress on this instance; past it 503 with {@code Retry-After}
 * @param writeTimeout the longest an export waits for its client to take the next line; then it is cut off
 */
@ConfigurationProperties("bantin.export")
record ExportProperties(
        @DefaultValue("4") int maxConcurrent,
        @DefaultValue("20s") Duration writeTimeout) {
}
