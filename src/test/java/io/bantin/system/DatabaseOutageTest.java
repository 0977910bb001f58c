package io.bantin.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.support.Api;
import io.bantin.support.IntegrationTest;
import io.bantin.support.Eventually;
import io.bantin.support.ExpectedFailures;

/** The real database goes away under a running server, then comes back: no restart needed. */
@IntegrationTest
class DatabaseOutageTest {

    @Autowired
    WebTestClient client;

    @Autowired
    DatabaseClient db;

    @Test
    void outageTurnsReadinessDownAndWritesInto503ThenEverythingRecovers() throws Exception {
        String publisher = Api.issueToken(client, "publisher");
        Api.create(client, publisher, "{\"title\":\"Tin trước sự cố\"}");
        byte[] feed = Eventually.eventually(Duration.ofSeconds(20), () -> client.get().uri("/feeds/rss.xml").exchange()
                .expectStatus().isOk().expectBody().returnResult().getResponseBodyContent(),
                body -> new String(body, java.nio.charset.StandardCharsets.UTF_8).contains("Tin trước sự cố"));
        // A stream opened before the outage must stay open through it and carry what comes after.
        java.util.concurrent.CompletableFuture<java.util.List<String>> stream = client.get().uri("/api/v1/stream")
                .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk()
                .returnResult(new org.springframework.core.ParameterizedTypeReference<
                        org.springframework.http.codec.ServerSentEvent<String>>() {
                }).getResponseBody()
                .filter(event -> "published".equals(event.event())).map(event -> event.data()).take(1)
                .collectList().timeout(Duration.ofSeconds(60)).toFuture();
        String database = db.sql("SELECT current_database()").map(row -> row.get(0, String.class)).one().block();
        DatabaseClient admin = admin();
        // The server logs what the outage does to it, until it is over; those failures are the point here, not news.
        ExpectedFailures outage = ExpectedFailures.mentioning("08006", "55000", "57P01", "Connection unexpectedly closed",
                "not currently accepting connections", "terminating connection");
        try {
            admin.sql("ALTER DATABASE " + database + " ALLOW_CONNECTIONS false").then().block();
            admin.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :db AND pid <> pg_backend_pid()")
                    .bind("db", database).then().block();

            client.post().uri("/api/v1/bulletins").header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"title\":\"Tin lúc mất kết nối\"}")
                    .exchange()
                    .expectStatus().isEqualTo(503)
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectHeader().exists(HttpHeaders.RETRY_AFTER);
            client.get().uri("/actuator/health/readiness").exchange().expectStatus().isEqualTo(503)
                    .expectBody().jsonPath("$.status").isEqualTo("DOWN")
                    .jsonPath("$.components.writeConnections.status").isEqualTo("DOWN");
            client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
            // Once past the time a polled generation is trusted, the copy rendered before is served as stale.
            byte[] stale = Eventually.eventually(Duration.ofSeconds(20), () -> client.get().uri("/feeds/rss.xml").exchange()
                    .expectStatus().isOk().expectBody().returnResult(),
                    result -> "110 - \"Response is Stale\"".equals(result.getResponseHeaders().getFirst(HttpHeaders.WARNING)))
                    .getResponseBodyContent();
            assertThat(new String(stale, java.nio.charset.StandardCharsets.UTF_8)).as("the feed rendered before")
                    .isEqualTo(new String(feed, java.nio.charset.StandardCharsets.UTF_8)).contains("Tin trước sự cố");
            // A feed never rendered before has no copy to fall back on: a 503 to retry, not a 500.
            client.get().uri("/feeds/atom.xml?limit=3").exchange().expectStatus().isEqualTo(503)
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectHeader().exists(HttpHeaders.RETRY_AFTER);
        }
        finally {
            admin.sql("ALTER DATABASE " + database + " ALLOW_CONNECTIONS true").then().block();
        }
        try (outage) {
            Eventually.eventually(Duration.ofSeconds(20), () -> client.get().uri("/actuator/health/readiness").exchange()
                    .expectBody(String.class).returnResult().getStatus(), status -> status.is2xxSuccessful());
        }
        // Ready means the write connections too: the first write after the outage goes through.
        client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.components.writeConnections.status").isEqualTo("UP");
        String created = Api.create(client, publisher, "{\"title\":\"Tin sau khi có lại kết nối\"}");
        assertThat(created).contains("Tin sau khi có lại kết nối");
        assertThat(stream.get(30, java.util.concurrent.TimeUnit.SECONDS)).singleElement().asString()
                .contains("Tin sau khi có lại kết nối");
    }

    @Test
    void afterARestartEveryPoolSkipsTheConnectionsTheDatabaseClosed() {
        String publisher = Api.issueToken(client, "publisher");
        Api.create(client, publisher, "{\"title\":\"Tin trước khi khởi động lại\"}");
        // Each pool holds several idle connections, more than r2dbc-pool's one retry gets past.
        Flux.range(0, 6).flatMap(i -> db.sql("SELECT pg_sleep(0.2)").then()).then().block(Duration.ofSeconds(20));
        Flux.range(0, 2).flatMap(i -> DatabasePools.forWrites(db.sql("SELECT pg_sleep(0.2)").then())).then()
                .block(Duration.ofSeconds(20));
        Flux.range(0, 2).flatMap(i -> DatabasePools.forExports(db.sql("SELECT pg_sleep(0.2)").fetch().all())).then()
                .block(Duration.ofSeconds(20));
        String database = db.sql("SELECT current_database()").map(row -> row.get(0, String.class)).one().block();
        try (ExpectedFailures restart = ExpectedFailures.mentioning("08006", "57P01", "Connection unexpectedly closed",
                "terminating connection")) {
            // What a restart of PostgreSQL does to the connections, with the database back at once.
            long closed = admin().sql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = :db"
                    + " AND pid <> pg_backend_pid()").bind("db", database).map(row -> row.get(0, Long.class)).one().block();
            assertThat(closed).as("connections the database closed").isGreaterThanOrEqualTo(10);

            for (int i = 0; i < 6; i++) {
                assertThat(db.sql("SELECT 1").map(row -> row.get(0, Integer.class)).one().block()).isEqualTo(1);
            }
            String created = Api.create(client, publisher, "{\"title\":\"Tin sau khi khởi động lại\"}");
            assertThat(created).contains("Tin sau khi khởi động lại");
            String export = client.get().uri("/api/v1/bulletins").accept(MediaType.APPLICATION_NDJSON).exchange()
                    .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
            assertThat(export).contains("Tin trước khi khởi động lại");
        }
    }

    private static DatabaseClient admin() {
        return DatabaseClient.create(new PostgresqlConnectionFactory(PostgresqlConnectionConfiguration.builder()
                .host("localhost").port(5432).username("postgres").database("postgres").build()));
    }

    @Test
    void aFailureAfterTheInsertLeavesNeitherBulletinNorEvent() {
        String publisher = Api.issueToken(client, "publisher");
        // The event insert fails after the bulletin row is written, as a crash between the two would.
        db.sql("ALTER TABLE bulletin_events ADD CONSTRAINT simulated_crash CHECK (payload::text NOT LIKE '%Tin gây sự cố%') NOT VALID")
                .then().block();
        try (ExpectedFailures crash = ExpectedFailures.mentioning("simulated_crash")) {
            client.post().uri("/api/v1/bulletins").header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"title\":\"Tin gây sự cố\",\"tags\":[\"Sự cố\"]}")
                    .exchange().expectStatus().is5xxServerError()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        }
        finally {
            db.sql("ALTER TABLE bulletin_events DROP CONSTRAINT simulated_crash").then().block();
        }
        long bulletins = db.sql("SELECT count(*) FROM bulletins WHERE title = 'Tin gây sự cố'")
                .map(row -> row.get(0, Long.class)).one().block();
        long tags = db.sql("SELECT count(*) FROM tags WHERE slug = 'su-co'").map(row -> row.get(0, Long.class)).one().block();
        assertThat(bulletins).isZero();
        assertThat(tags).as("the tag created in the same transaction is rolled back too").isZero();
    }
}
