package io.bantin.varnish;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code bantin.varnish.*} settings: with {@code nodes} set, every committed change soft-purges its scopes
 * on each of those Varnish nodes (see src/deploy/bantin.vcl); empty, purging is off.
 *
 * @param nodes the nodes' base URLs, absolute http(s), comma separated (env {@code BANTIN_VARNISH_NODES})
 * @param attempts how many times one purge is tried before the batch is left for the next round
 * @param backoff the wait before the first retry; it doubles for each retry after it
 * @param timeout the longest one try may take, connecting included
 * @param answerWait the longest a write's answer waits for its change's purge on the nodes (the purge is
 *                   durable anyway: the log follower sends it later if this wait runs out)
 * @param fetchWait the longest a fetch from Varnish waits for this instance to deliver the newest change
 *                  Varnish purged, so that it never answers (and Varnish never stores) from before it
 */
@ConfigurationProperties("bantin.varnish")
public record VarnishProperties(
        @DefaultValue("") List<String> nodes,
        @DefaultValue("3") int attempts,
        @DefaultValue("200ms") Duration backoff,
        @DefaultValue("5s") Duration timeout,
        @DefaultValue("1s") Duration answerWait,
        @DefaultValue("1s") Duration fetchWait) {

    public VarnishProperties {
        nodes = nodes == null ? List.of() : nodes.stream().map(String::strip).filter(node -> !node.isEmpty())
                .map(node -> node.endsWith("/") ? node.substring(0, node.length() - 1) : node).distinct().toList();
        for (String node : nodes) {
            URI uri = URI.create(node);
            if (!uri.isAbsolute() || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    || uri.getHost() == null) {
                throw new IllegalArgumentException("varnish: bantin.varnish.nodes must be absolute http(s) URLs, not " + node);
            }
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("varnish: bantin.varnish.attempts must be at least 1");
        }
    }
}
