package io.bantin.system;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.PoolMetrics;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import io.bantin.web.DatabaseErrors;

/**
 * Takes a connection from a pool past those the database closed while they sat idle (a restart, a
 * failover, {@code pg_terminate_backend}, an idle timeout on the way). Each such connection fails its
 * validation at once and the pool drops it, but r2dbc-pool tries again only once
 * ({@code spring.r2dbc.pool.acquire-retry}): with more closed connections than that, the request answered
 * 503 although the database was back. A connection that cannot be made is not retried here, so an outage
 * still answers 503 as fast as before.
 */
final class ClosedConnections {

    private ClosedConnections() {
    }

    /** A connection from {@code pool}, skipping as many closed ones as the pool can hold. */
    static Mono<Connection> skipped(ConnectionFactory pool) {
        long attempts = pool instanceof ConnectionPool connections
                ? connections.getMetrics().map(PoolMetrics::getMaxAllocatedSize).orElse(1) : 0;
        Mono<Connection> take = Mono.from(pool.create());
        return attempts == 0 ? take : take.retryWhen(Retry.max(attempts).filter(DatabaseErrors::connectionGone));
    }
}
