package io.bantin.websub;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;
import org.springframework.r2dbc.connection.init.ResourceDatabasePopulator;
import org.springframework.r2dbc.core.DatabaseClient;

import io.bantin.change.LogPositions;
import io.bantin.support.IntegrationTest;

/**
 * WebSub's position lives in {@code log_positions} now: a database from before, with its own
 * {@code websub_position} row, keeps where its hub was pinged up to, and applying the schema again changes nothing.
 */
@IntegrationTest
class PositionMigrationTest {

    @Autowired
    DatabaseClient db;

    @Autowired
    ConnectionFactory connections;

    @Autowired
    LogPositions positions;

    private void applySchema() {
        new ResourceDatabasePopulator(new ClassPathResource("schema.sql")).populate(connections)
                .block(Duration.ofSeconds(30));
    }

    private String table(String name) {
        return db.sql("SELECT CAST(to_regclass(:name) AS text) AS t").bind("name", name)
                .map(row -> String.valueOf(row.get("t", String.class))).one().block(Duration.ofSeconds(10));
    }

    @Test
    void anOlderDatabaseKeepsWhereItsHubWasPingedUpTo() {
        assertThat(table("websub_position")).as("gone once the schema was applied").isEqualTo("null");
        db.sql("DELETE FROM log_positions WHERE follower = 'websub'").then().block(Duration.ofSeconds(10));
        db.sql("""
                CREATE TABLE websub_position (id smallint PRIMARY KEY CHECK (id = 1), seq bigint NOT NULL, pinged_at timestamptz)""")
                .then().then(db.sql("INSERT INTO websub_position (id, seq, pinged_at) VALUES (1, 4242, now())").then())
                .block(Duration.ofSeconds(10));

        applySchema();

        assertThat(positions.seq(HubPinger.POSITION).block(Duration.ofSeconds(10))).isEqualTo(4242L);
        assertThat(table("websub_position")).isEqualTo("null");

        applySchema(); // again, as every start does
        assertThat(positions.seq(HubPinger.POSITION).block(Duration.ofSeconds(10))).isEqualTo(4242L);
    }
}
