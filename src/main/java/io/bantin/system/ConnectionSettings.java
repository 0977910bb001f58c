package io.bantin.system;

import java.util.Map;

import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;

import org.springframework.boot.r2dbc.autoconfigure.ConnectionFactoryOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** PostgreSQL session settings for every pooled connection. */
@Configuration
class ConnectionSettings {

    /**
     * The driver caches prepared statements, and after a few runs PostgreSQL may switch one to a
     * generic plan that ignores its parameters. For the search that is ruinous: the same plan
     * serves a word in half the bulletins and a word in none (measured: 17 s instead of 0.05 ms at
     * a million rows, src/bench/search). Custom plans look at the words every time.
     */
    @Bean
    ConnectionFactoryOptionsBuilderCustomizer customPlans() {
        return options -> options.option(PostgresqlConnectionFactoryProvider.OPTIONS,
                Map.of("plan_cache_mode", "force_custom_plan"));
    }
}
