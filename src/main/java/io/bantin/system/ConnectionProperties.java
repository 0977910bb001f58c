package io.bantin.system;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code bantin.connections.*} settings: what one client connection may hold (see {@link ConnectionBudget}).
 *
 * @param max open client connections; past it the oldest idle ones are closed for the newcomer, or the
 *        newcomer gets 503 when none is idle. Never more than the process's file limit minus {@code fdReserve}
 * @param fdReserve file descriptors kept for everything else (database connections, jars, logs, the listener)
 * @param idleTimeout how long a connection may wait, without a byte, for its first or next request
 * @param headTimeout how long a request head may take to arrive in full once its first byte is in
 * @param bodyTimeout how long a request body may take to arrive in full (Reactor Netty's request timeout)
 * @param bodyReadTimeout the longest pause between two reads of a request body
 */
@ConfigurationProperties("bantin.connections")
public record ConnectionProperties(
        @DefaultValue("10000") int max,
        @DefaultValue("500") int fdReserve,
        @DefaultValue("30s") Duration idleTimeout,
        @DefaultValue("10s") Duration headTimeout,
        @DefaultValue("30s") Duration bodyTimeout,
        @DefaultValue("10s") Duration bodyReadTimeout) {
}
