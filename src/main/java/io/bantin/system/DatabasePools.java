package io.bantin.system;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.Wrapped;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

import org.springframework.boot.r2dbc.autoconfigure.R2dbcProperties;
import org.springframework.boot.r2dbc.health.ConnectionFactoryHealthIndicator;
import org.springframework.boot.r2dbc.metrics.ConnectionPoolMetrics;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Gives writes connections of their own. Reads use Boot's pool ({@code spring.r2dbc.pool.*}); work
 * marked with {@link #forWrites} uses a second, small pool on the same database. With one pool, a
 * flood of reads queued hundreds deep in front of a publish, which timed out waiting (the soak's
 * 503s); now a write waits only behind other writes. NDJSON exports, marked with {@link #forExports}, get a
 * third pool ({@code bantin.export-pool.*}), so that many exports never make other reads wait for a
 * connection. Every repository and transaction goes through
 * {@link Connections#factory()}, which picks the pool from the Reactor context of the subscriber.
 */
@Configuration(proxyBeanMethods = false)
public class DatabasePools {

    private static final String WRITES = DatabasePools.class.getName() + ".writes";
    private static final String EXPORTS = DatabasePools.class.getName() + ".exports";

    /** Runs {@code work}'s database access, transactions included, on the write connections. */
    public static <T> Mono<T> forWrites(Mono<T> work) {
        return work.contextWrite(Context.of(WRITES, Boolean.TRUE));
    }

    /** Runs {@code export}'s database access on the export connections. */
    public static <T> Flux<T> forExports(Flux<T> export) {
        return export.contextWrite(Context.of(EXPORTS, Boolean.TRUE));
    }

    /**
     * Not a {@link ConnectionFactory} bean itself, so that Boot still builds its pool (it backs off
     * when the application declares a connection factory) and health, metrics and schema set-up use it.
     */
    @Bean(destroyMethod = "dispose")
    Connections databaseConnections(ConnectionFactory connectionFactory, R2dbcProperties r2dbc,
            WritePoolProperties writes, ExportPoolProperties exports) {
        if (!(connectionFactory instanceof ConnectionPool reads)) {
            return new Connections(connectionFactory, null, null); // pooling switched off: nothing to keep apart
        }
        return new Connections(reads, pool(reads, r2dbc, "writes", writes.maxSize(), writes.maxAcquireTime()),
                pool(reads, r2dbc, "exports", exports.maxSize(), exports.maxAcquireTime()));
    }

    /** A pool beside Boot's, opened on first use (most instances write and export rarely), with its checks. */
    private static ConnectionPool pool(ConnectionPool reads, R2dbcProperties r2dbc, String name, int maxSize,
            java.time.Duration maxAcquireTime) {
        ConnectionPoolConfiguration.Builder config = ConnectionPoolConfiguration.builder(reads.unwrap())
                .name(name)
                .initialSize(0)
                .maxSize(maxSize)
                .maxAcquireTime(maxAcquireTime);
        R2dbcProperties.Pool pool = r2dbc.getPool();
        if (pool.getMaxCreateConnectionTime() != null) {
            config.maxCreateConnectionTime(pool.getMaxCreateConnectionTime());
        }
        if (pool.getValidationQuery() != null && !pool.getValidationQuery().isBlank()) {
            config.validationQuery(pool.getValidationQuery());
        }
        config.maxIdleTime(pool.getMaxIdleTime());
        return new ConnectionPool(config.build());
    }

    @Bean
    DatabaseClient databaseClient(Connections connections) {
        return DatabaseClient.create(connections.factory());
    }

    @Bean
    R2dbcTransactionManager transactionManager(Connections connections) {
        return new R2dbcTransactionManager(connections.factory());
    }

    /**
     * Readiness ({@code writeConnections}) counts the write pool too: an instance whose writes cannot get a
     * connection is not ready, even when its reads can (the two pools fill and fail apart).
     */
    @Bean
    ConnectionFactoryHealthIndicator writeConnectionsHealthIndicator(Connections connections) {
        return new ConnectionFactoryHealthIndicator(connections.writes != null ? connections.writes : connections.factory());
    }

    /** {@code r2dbc.pool.*} meters for the write and export pools, tagged {@code name}; Boot meters the other. */
    @Bean
    MeterBinder writePoolMetrics(Connections connections) {
        return registry -> {
            if (connections.writes != null) {
                new ConnectionPoolMetrics(connections.writes, "writes", Tags.empty()).bindTo(registry);
                new ConnectionPoolMetrics(connections.exports, "exports", Tags.empty()).bindTo(registry);
            }
        };
    }

    /** The two pools and the factory that chooses between them. */
    public static final class Connections {

        private final ConnectionPool writes;
        private final ConnectionPool exports;
        private final ConnectionFactory factory;

        Connections(ConnectionFactory reads, ConnectionPool writes, ConnectionPool exports) {
            this.writes = writes;
            this.exports = exports;
            this.factory = writes == null ? reads : new Routing(reads, writes, exports);
        }

        public ConnectionFactory factory() {
            return factory;
        }

        void dispose() {
            if (writes != null) {
                writes.dispose();
                exports.dispose();
            }
        }
    }

    /**
     * Decides per subscription. {@link Wrapped} leads to the read pool and through it to the driver,
     * for code that needs a connection of its own (the LISTEN session).
     */
    private record Routing(ConnectionFactory reads, ConnectionPool writes, ConnectionPool exports)
            implements ConnectionFactory, Wrapped<ConnectionFactory> {

        @Override
        public Publisher<? extends Connection> create() {
            return Mono.deferContextual(context -> ClosedConnections.skipped(context.hasKey(WRITES) ? writes
                    : context.hasKey(EXPORTS) ? exports : reads));
        }

        @Override
        public ConnectionFactoryMetadata getMetadata() {
            return reads.getMetadata();
        }

        @Override
        public ConnectionFactory unwrap() {
            return reads;
        }
    }
}
