package io.bantin.stream;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.postgresql.api.PostgresqlResult;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ValidationDepth;
import io.r2dbc.spi.Wrapped;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.stereotype.Component;

import io.bantin.system.BackgroundJob;

/**
 * Holds one dedicated, unpooled connection per instance that LISTENs for new events, whichever
 * instance wrote them, and wakes the fan-out. A lost connection is re-opened with backoff, and the
 * fan-out then reads everything after the last seq it saw, so nothing is lost meanwhile.
 */
@Component
class PgNotificationListener extends BackgroundJob {

    /** How the LISTEN session shows in {@code pg_stat_activity}. */
    static final String APPLICATION_NAME = "bantin-listener";

    private static final Logger log = LoggerFactory.getLogger(PgNotificationListener.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);

    private final PostgresqlConnectionFactory connections;
    private final BulletinEvents events;
    private final StreamProperties properties;
    private final AtomicBoolean connectedBefore = new AtomicBoolean();

    PgNotificationListener(ConnectionFactory pool, BulletinEvents events, StreamProperties properties) {
        this.connections = unwrap(pool);
        this.events = events;
        this.properties = properties;
    }

    /** The pool would hand the connection back and lose the LISTEN; so dig down to the driver's factory. */
    private static PostgresqlConnectionFactory unwrap(ConnectionFactory factory) {
        Object current = factory;
        while (!(current instanceof PostgresqlConnectionFactory)) {
            if (!(current instanceof Wrapped<?> wrapped) || wrapped.unwrap() == current) {
                throw new IllegalStateException("stream: LISTEN needs r2dbc-postgresql, found " + current);
            }
            current = wrapped.unwrap();
        }
        return (PostgresqlConnectionFactory) current;
    }

    @Override
    protected Disposable launch() {
        return Flux.defer(this::listen)
                .retryWhen(Retry.backoff(Long.MAX_VALUE, FIRST_BACKOFF).maxBackoff(properties.listenerMaxBackoff())
                        .transientErrors(true) // a session that worked for a while starts again from a short wait
                        .doBeforeRetry(signal -> log.warn("stream: LISTEN connection lost ({}); reconnecting",
                                signal.failure().toString())))
                .subscribe(seq -> events.wake());
    }

    /** One session: emits 0 once LISTEN is in place (time to catch up), then the seq of each notification. */
    private Flux<Long> listen() {
        return Flux.usingWhen(connections.create(), connection -> {
            Flux<Long> notified = connection.getNotifications()
                    .map(notification -> parse(notification.getParameter()));
            Mono<Long> listening = execute(connection, "SET application_name = '" + APPLICATION_NAME + "'")
                    .then(execute(connection, "LISTEN " + EventLog.CHANNEL))
                    .then(Mono.fromCallable(this::connected));
            // A connection can die without a word (no RST); asking it something now and then tells.
            Flux<Long> alive = Flux.interval(properties.pollInterval()).onBackpressureDrop()
                    .concatMap(tick -> Mono.from(connection.validate(ValidationDepth.REMOTE)))
                    .filter(valid -> !valid)
                    .flatMap(invalid -> Mono.error(new IllegalStateException("LISTEN connection no longer valid")));
            // Subscribing to notifications before LISTEN runs, so none slips between the two.
            return Flux.merge(notified, listening, alive)
                    .concatWith(Mono.error(() -> new IllegalStateException("LISTEN connection closed")));
        }, PostgresqlConnection::close, (connection, error) -> connection.close(), PostgresqlConnection::close);
    }

    private static Mono<Void> execute(PostgresqlConnection connection, String sql) {
        return connection.createStatement(sql).execute().flatMap(PostgresqlResult::getRowsUpdated).then();
    }

    private long connected() {
        if (connectedBefore.getAndSet(true)) {
            events.metrics().listenerReconnects.increment();
            log.info("stream: LISTEN connection re-opened; catching up from the event log");
        }
        return 0L;
    }

    private static long parse(String payload) {
        try {
            return payload == null ? 0L : Long.parseLong(payload);
        }
        catch (NumberFormatException e) {
            return 0L; // a foreign NOTIFY on our channel still just means "look"
        }
    }
}
