package io.bantin.grip;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The {@code bantin.stream.grip.*} settings: GRIP mode, where Pushpin holds the streams (see README, "Past one
 * machine"). Off by default: the default deployment is one jar and PostgreSQL.
 *
 * @param enabled a stream request that came through Pushpin gets GRIP instructions instead of a held connection
 * @param publishUrl Pushpin's HTTP publish endpoints, one per node (e.g. {@code http://127.0.0.1:5561}; the path
 *                   {@code /publish/} is added when none is given); every change is published to each
 * @param key Pushpin's {@code sig_key}: when set, only a request with a valid {@code Grip-Sig} signed with it is
 *            taken as coming through Pushpin; empty, any {@code Grip-Sig} is (fine only when the instances are
 *            reachable through Pushpin and HAProxy alone)
 * @param replayBytes the most a first answer's replay holds (Pushpin accepts up to 100,000 bytes); the rest
 *                    Pushpin fetches at once from the answer's next link
 * @param recoverAfter how long a quiet stream waits before Pushpin asks its next link again, in case a
 *                     publish was lost (Grip-Link timeout)
 * @param attempts how many times one publish is tried before the batch is left for the next round
 * @param backoff the wait before the first retry; it doubles for each retry after it
 * @param timeout the longest one try may take, connecting included
 */
@ConfigurationProperties("bantin.stream.grip")
public record GripProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("") List<String> publishUrl,
        @DefaultValue("") String key,
        @DefaultValue("64KB") DataSize replayBytes,
        @DefaultValue("10m") Duration recoverAfter,
        @DefaultValue("3") int attempts,
        @DefaultValue("200ms") Duration backoff,
        @DefaultValue("5s") Duration timeout) {

    public GripProperties {
        publishUrl = publishUrl == null ? List.of() : publishUrl.stream().map(String::strip).filter(url -> !url.isEmpty())
                .map(GripProperties::endpoint).distinct().toList();
        key = key == null ? "" : key;
        if (attempts < 1) {
            throw new IllegalArgumentException("grip: bantin.stream.grip.attempts must be at least 1");
        }
        if (replayBytes.toBytes() < 1 || replayBytes.toBytes() > 90_000) {
            throw new IllegalArgumentException("grip: bantin.stream.grip.replay-bytes must be 1B to 90KB: Pushpin"
                    + " takes a first answer of at most 100,000 bytes");
        }
    }

    private static String endpoint(String url) {
        URI uri = URI.create(url);
        if (!uri.isAbsolute() || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("grip: bantin.stream.grip.publish-url must be absolute http(s) URLs, not " + url);
        }
        String path = uri.getPath();
        return path == null || path.isEmpty() || path.equals("/") ? url.replaceAll("/+$", "") + "/publish/" : url;
    }
}
