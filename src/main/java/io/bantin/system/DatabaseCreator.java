package io.bantin.system;

import java.time.Duration;
import java.util.regex.Pattern;

import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.R2dbcException;
import reactor.core.publisher.Mono;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

/**
 * Creates the configured database when it is missing, before anything else touches it, so a
 * newcomer's first start needs no manual {@code createdb}; and fails fast, in seconds, when no
 * PostgreSQL answers.
 */
public class DatabaseCreator implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        Environment env = event.getEnvironment();
        String url = env.getProperty("spring.r2dbc.url");
        if (url == null || !env.getProperty("bantin.create-database", Boolean.class, true)) {
            return;
        }
        ConnectionFactoryOptions options = ConnectionFactoryOptions.parse(url);
        if (!"postgresql".equals(options.getValue(ConnectionFactoryOptions.DRIVER))) {
            return;
        }
        String host = String.valueOf(options.getValue(ConnectionFactoryOptions.HOST));
        Object portValue = options.getValue(ConnectionFactoryOptions.PORT);
        int port = portValue == null ? 5432 : Integer.parseInt(portValue.toString());
        String database = String.valueOf(options.getValue(ConnectionFactoryOptions.DATABASE));
        Object user = options.hasOption(ConnectionFactoryOptions.USER)
                ? options.getValue(ConnectionFactoryOptions.USER) : env.getProperty("spring.r2dbc.username", "postgres");
        Object password = options.hasOption(ConnectionFactoryOptions.PASSWORD)
                ? options.getValue(ConnectionFactoryOptions.PASSWORD) : env.getProperty("spring.r2dbc.password");
        String target = host + ":" + port + " (database " + database + ", user " + user + ")";

        PostgresqlConnectionConfiguration.Builder config = PostgresqlConnectionConfiguration.builder()
                .host(host).port(port).username(user.toString()).database("postgres")
                .connectTimeout(CONNECT_TIMEOUT);
        if (password != null) {
            config.password(password.toString());
        }
        try {
            // Start-up runs on the main thread before any event loop exists; waiting here is the point.
            Mono.usingWhen(new PostgresqlConnectionFactory(config.build()).create(),
                            connection -> createIfMissing(connection, database),
                            PostgresqlConnection::close)
                    .block(CONNECT_TIMEOUT.multipliedBy(3));
        }
        catch (RuntimeException e) {
            throw new DatabaseUnavailableException(target, e);
        }
    }

    private static Mono<Void> createIfMissing(PostgresqlConnection connection, String database) {
        if (!PLAIN_NAME.matcher(database).matches()) {
            return Mono.empty(); // an exotic name is the operator's to create; we never build quoted DDL from input
        }
        return connection.createStatement("SELECT 1 FROM pg_database WHERE datname = $1").bind("$1", database)
                .execute().flatMap(result -> result.map((row, meta) -> 1)).hasElements()
                .flatMap(exists -> exists ? Mono.empty()
                        : connection.createStatement("CREATE DATABASE " + database).execute()
                                .flatMap(result -> result.getRowsUpdated()).then()
                                // another instance starting at the same moment created it first: 42P04, or
                                // 23505 when both passed the catalogue check before either committed
                                .onErrorResume(R2dbcException.class, e -> "42P04".equals(e.getSqlState())
                                        || "23505".equals(e.getSqlState()) ? Mono.empty() : Mono.error(e)));
    }
}
