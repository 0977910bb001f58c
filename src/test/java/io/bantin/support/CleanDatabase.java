package io.bantin.support;

import java.time.Duration;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.junit.jupiter.SpringExtension;

import io.bantin.change.ChangeBus;
import io.bantin.security.AdminTokenBootstrap;

/** Empties every table before a test class, then registers the test admin token again. */
public class CleanDatabase implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        var spring = SpringExtension.getApplicationContext(context);
        DatabaseClient db = spring.getBean(DatabaseClient.class);
        db.sql("""
                TRUNCATE bulletin_events, bulletin_images, bulletin_tags, bulletins, categories, tags,
                         idempotency_keys, api_tokens, websub_position, log_positions, media_files, media RESTART IDENTITY CASCADE""")
                .then()
                .then(spring.getBean(AdminTokenBootstrap.class).ensureAdminToken())
                .block(Duration.ofSeconds(30));
        // The log restarts at seq 1: the bus follows it from its new end, as after a restart.
        ChangeBus bus = spring.getBean(ChangeBus.class);
        bus.stop();
        bus.start();
    }
}
