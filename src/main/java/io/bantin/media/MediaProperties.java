package io.bantin.media;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The media library's budgets ({@code bantin.media.*}): what one upload and all uploads together may make the
 * server hold, and how fast one token may upload.
 *
 * @param maxBytes the largest upload body; read up to this and no further (413 past it)
 * @param maxPixels the most pixels an image's header may claim, checked before any decoding (422 past it)
 * @param decoders photos decoded at once (0: one per core)
 * @param queue uploads waiting for a decoder; past decoders + queue, an upload gets 503 with Retry-After before
 *     its body is read, so the bytes held for uploads stay under (decoders + queue) × max-bytes
 * @param quality the JPEG quality of renditions, 0 to 1
 * @param perMinute uploads a token may make a minute, on average
 * @param burst uploads a token may make at once
 * @param cacheMaxBytes renditions kept in memory for serving, in bytes
 */
@ConfigurationProperties("bantin.media")
public record MediaProperties(DataSize maxBytes, Long maxPixels, Integer decoders, Integer queue, Float quality,
        Double perMinute, Double burst, DataSize cacheMaxBytes) {

    public MediaProperties {
        maxBytes = maxBytes == null ? DataSize.ofMegabytes(20) : maxBytes;
        maxPixels = maxPixels == null ? 50_000_000L : maxPixels;
        decoders = decoders == null || decoders <= 0 ? Runtime.getRuntime().availableProcessors() : decoders;
        queue = queue == null ? 6 : Math.max(0, queue);
        quality = quality == null ? 0.82f : quality;
        perMinute = perMinute == null ? 60.0 : perMinute;
        burst = burst == null ? 20.0 : burst;
        cacheMaxBytes = cacheMaxBytes == null ? DataSize.ofMegabytes(32) : cacheMaxBytes;
    }
}
