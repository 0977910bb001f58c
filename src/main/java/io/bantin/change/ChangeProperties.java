package io.bantin.change;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code bantin.change.*} settings of the change bus.
 *
 * @param backstop how often the log is read even without a notification, in case one was lost; freshness
 *                 never waits on it (LISTEN/NOTIFY and the writer itself wake the bus)
 * @param listenerCheck how often the LISTEN connection is asked whether it is still alive
 * @param listenerMaxBackoff the longest wait between two attempts to re-open the LISTEN connection
 * @param writerWait the longest a write's answer waits for the bus to deliver it on its own instance
 * @param rememberedScopes how many scopes keep a version of their own; past that, all share the newest
 */
@ConfigurationProperties("bantin.change")
public record ChangeProperties(
        @DefaultValue("30s") Duration backstop,
        @DefaultValue("5s") Duration listenerCheck,
        @DefaultValue("10s") Duration listenerMaxBackoff,
        @DefaultValue("5s") Duration writerWait,
        @DefaultValue("20000") int rememberedScopes) {
}
