package io.bantin.websub;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code bantin.websub.*} settings (W3C WebSub, https://www.w3.org/TR/websub/): with {@code hub} set, feeds
 * advertise that hub and every change to a feed pings it; unset (or blank), WebSub is off.
 *
 * @param hub the hub's URL (env {@code BANTIN_WEBSUB_HUB}), absolute http or https
 * @param attempts how many times one ping is tried before it is given up
 * @param backoff the wait before the first retry; it doubles for each retry after it
 * @param timeout the longest one try may take, connecting included
 * @param concurrency the most pings in flight at once, whatever the rate of writes
 */
@ConfigurationProperties("bantin.websub")
public record WebSubProperties(
        String hub,
        @DefaultValue("3") int attempts,
        @DefaultValue("1s") Duration backoff,
        @DefaultValue("10s") Duration timeout,
        @DefaultValue("4") int concurrency) {

    public WebSubProperties {
        hub = hub == null || hub.isBlank() ? null : hub.strip();
        if (hub != null) {
            URI uri = URI.create(hub);
            if (!uri.isAbsolute() || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    || uri.getHost() == null) {
                throw new IllegalArgumentException("websub: bantin.websub.hub must be an absolute http(s) URL, not " + hub);
            }
        }
        if (attempts < 1 || concurrency < 1) {
            throw new IllegalArgumentException("websub: bantin.websub.attempts and .concurrency must be at least 1");
        }
    }

    public boolean enabled() {
        return hub != null;
    }

    /**
     * The {@code Link} header value a feed at {@code selfUrl} answers with (WebSub 4, RFC 8288), or null when off.
     */
    public String linkHeader(String selfUrl) {
        return enabled() ? "<" + hub + ">; rel=\"hub\", <" + selfUrl + ">; rel=\"self\"" : null;
    }
}
