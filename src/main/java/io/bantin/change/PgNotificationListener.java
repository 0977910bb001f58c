package io.bantin.change;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
 * instance wrote them, and wakes the change bus. A lost connection is re-opened with backoff, and the
 * bus then reads everything after the last seq it delivered, so nothing is lost meanwhile.
 */
@Component
public class PgNotificationListener extends BackgroundJob {

    /** How the LISTEN session shows in {@code pg_stat_activity}. */
    public static final String APPLICATION_NAME = "bantin-listener";

    private static final Logger log = LoggerFactory.getLogger(PgNotificationListener.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);

    private final PostgresqlConnectionFactory connections;
    private final ChangeBus bus;
    private final ChangeProperties properties;
    private final AtomicBoolean connectedBefore = new AtomicBoolean();
    private final Counter reconnects;

    PgNotificationListener(ConnectionFactory pool, ChangeBus bus, ChangeProperties properties, MeterRegistry registry) {
        this.connections = unwrap(pool);
        this.bus = bus;
        this.properties = properties;
        this.reconnects = Counter.builder("bantin.stream.listener.reconnects")
                .description("Times the LISTEN connection to PostgreSQL was opened again").register(registry);
    }

    /** The pool would hand the connection back and lose the LISTEN; so dig down to the driver's factory. */
    private static PostgresqlConnectionFactory unwrap(ConnectionFactory factory) {
        Object current = factory;
        while (!(current instanceof PostgresqlConnectionFactory)) {
            if (!(current instanceof Wrapped<?> wrapped) || wrapped.unwrap() == current) {
                throw new IllegalStateException("change: LISTEN needs r2dbc-postgresql, found " + current);
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
                        .doBeforeRetry(signal -> log.warn("change: LISTEN connection lost ({}); reconnecting",
                                signal.failure().toString())))
                .subscribe(notification -> {
                    if (notification.seq() > 0) {
                        bus.notified(notification.seq(), notification.micros());
                    }
                });
    }

    /** The event a notification names: its seq (at least 1) and logged time (null when the payload did not say). */
    private record Notified(long seq, Long micros) {
    }

    /** One session: emits seq 0 once LISTEN is in place (the bus catches up), then each notification. */
    private Flux<Notified> listen() {
        return Flux.usingWhen(connections.create(), connection -> {
            Flux<Notified> notified = connection.getNotifications()
                    .map(notification -> parse(notification.getParameter()));
            Mono<Notified> listening = execute(connection, "SET application_name = '" + APPLICATION_NAME + "'")
                    .then(execute(connection, "LISTEN " + EventLog.CHANNEL))
                    .then(Mono.fromCallable(this::connected));
            // A connection can die without a word (no RST); asking it something now and then tells.
            Flux<Notified> alive = Flux.interval(properties.listenerCheck()).onBackpressureDrop()
                    .concatMap(tick -> Mono.from(connection.validate(ValidationDepth.REMOTE)))
                    .filter(valid -> !valid)
                    .flatMap(invalid -> Mono.error(new IllegalStateException("LISTEN connection no longer valid")));
            // Subscribing to notifications before LISTEN runs, so none slips between the two.
            return Flux.merge(notified, listening, alive)
                    .concatWith(Mono.error(() -> new IllegalStateException("LISTEN connection closed")))
                    .doFinally(signal -> bus.notListening());
        }, PostgresqlConnection::close, (connection, error) -> connection.close(), PostgresqlConnection::close);
    }

    private static Mono<Void> execute(PostgresqlConnection connection, String sql) {
        return connection.createStatement(sql).execute().flatMap(PostgresqlResult::getRowsUpdated).then();
    }

    private Notified connected() {
        if (connectedBefore.getAndSet(true)) {
            reconnects.increment();
            log.info("change: LISTEN connection re-opened; catching up from the event log");
        }
        bus.listening();
        return new Notified(0, null);
    }

    /** "seq micros", as {@link EventLog#append} sends it; anything else on our channel still means "look". */
    private static Notified parse(String payload) {
        String[] parts = payload == null ? new String[0] : payload.trim().split(" ");
        try {
            long seq = Math.max(1L, Long.parseLong(parts[0]));
            return new Notified(seq, parts.length == 2 ? Long.valueOf(parts[1]) : null);
        }
        catch (RuntimeException e) {
            return new Notified(1L, null);
        }
    }
}
