package io.bantin.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.BantinApplication;
import io.bantin.change.PgNotificationListener;
import io.bantin.support.Api;
import io.bantin.support.IntegrationTest;
import io.bantin.support.PlainTestClient;

/** Two instances on two ports sharing one database, as in production behind a load balancer. */
@IntegrationTest
class TwoInstancesTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Autowired
    WebTestClient first;

    @Autowired
    JsonMapper json;

    @Autowired
    DatabaseClient db;

    ConfigurableApplicationContext secondInstance;
    WebTestClient second;
    String publisher;

    @BeforeAll
    void startSecondInstance() {
        // The second instance polls the log only every minute: whatever it streams promptly came through
        // LISTEN/NOTIFY (or the catch-up after a reconnect), not through the safety poll.
        // Command-line arguments, because builder properties are defaults that the property files override.
        secondInstance = new SpringApplicationBuilder(BantinApplication.class).profiles("test")
                .run("--server.port=0", "--bantin.change.backstop=1m");
        int port = ((WebServerApplicationContext) secondInstance).getWebServer().getPort();
        second = WebTestClient.bindToServer(PlainTestClient.connector())
                .baseUrl("http://127.0.0.1:" + port).responseTimeout(WAIT).build();
        first = first.mutate().responseTimeout(WAIT).build();
        publisher = Api.issueToken(first, "publisher");
    }

    @AfterAll
    void stopSecondInstance() {
        secondInstance.close();
    }

    private String title(ServerSentEvent<String> event) {
        return json.readTree(event.data()).get("title").stringValue();
    }

    @Test
    void aWriteOnOneInstanceIsStreamedByTheOther() {
        Flux<ServerSentEvent<String>> onSecond = StreamClient.sse(second, "/api/v1/stream");
        Api.create(first, publisher, "{\"title\":\"Ghi ở máy một\"}");

        StepVerifier.create(onSecond.map(this::title))
                .expectNext("Ghi ở máy một")
                .thenCancel().verify(Duration.ofSeconds(5));
    }

    @Test
    void aTokenRevokedOnOneInstanceIsRefusedByTheOtherAtOnce() {
        String token = Api.issueToken(first, "publisher");
        Api.create(second, token, "{\"title\":\"Tin trước khi thu hồi\"}");
        String id = db.sql("SELECT id::text FROM api_tokens WHERE revoked_at IS NULL AND role = 'publisher' "
                + "ORDER BY created_at DESC LIMIT 1").map(row -> row.get(0, String.class)).one().block();
        first.delete().uri("/api/v1/tokens/{id}", id)
                .header(org.springframework.http.HttpHeaders.AUTHORIZATION, "Bearer " + Api.ADMIN_TOKEN)
                .exchange().expectStatus().isNoContent();
        second.post().uri("/api/v1/bulletins")
                .header(org.springframework.http.HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .bodyValue("{\"title\":\"Tin sau khi thu hồi\"}").exchange()
                .expectStatus().isUnauthorized();
    }

    @Test
    void listenerSurvivesATerminatedDatabaseConnectionWithoutLosingEvents() {
        MeterRegistry meters = secondInstance.getBean(MeterRegistry.class);
        double reconnectsBefore = meters.counter("bantin.stream.listener.reconnects").count();
        Flux<ServerSentEvent<String>> onSecond = StreamClient.sse(second, "/api/v1/stream");

        Long terminated = db.sql("""
                SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity
                WHERE application_name = :name AND datname = current_database()""")
                .bind("name", PgNotificationListener.APPLICATION_NAME)
                .map(row -> row.get("n", Long.class)).one().block(WAIT);
        assertThat(terminated).as("listener connections of both instances").isEqualTo(2);
        // Written while the listeners are down: their notifications go nowhere.
        for (int i = 1; i <= 3; i++) {
            Api.create(first, publisher, "{\"title\":\"Trong lúc mất kết nối " + i + "\"}");
        }

        StepVerifier.create(onSecond.map(this::title))
                .expectNext("Trong lúc mất kết nối 1", "Trong lúc mất kết nối 2", "Trong lúc mất kết nối 3")
                .then(() -> Api.create(first, publisher, "{\"title\":\"Sau khi kết nối lại\"}"))
                .expectNext("Sau khi kết nối lại")
                .thenCancel().verify(WAIT);
        assertThat(meters.counter("bantin.stream.listener.reconnects").count()).isGreaterThan(reconnectsBefore);
    }

    @Test
    void scheduledBulletinsArePublishedOnceWithOneEventAcrossInstances() throws InterruptedException {
        int count = 10;
        String due = OffsetDateTime.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS).toString();
        Flux<ServerSentEvent<String>> onFirst = StreamClient.sse(first, "/api/v1/stream?category=Lịch hẹn");
        Flux<ServerSentEvent<String>> onSecond = StreamClient.sse(second, "/api/v1/stream?category=Lịch hẹn");
        for (int i = 1; i <= count; i++) {
            String created = Api.create(first, publisher, "{\"title\":\"Hẹn giờ " + i + "\",\"category\":\"Lịch hẹn\","
                    + "\"publishedAt\":\"" + due + "\"}");
            assertThat(json.readTree(created).get("status").stringValue()).isEqualTo("scheduled");
        }
        assertThat(countEvents()).as("no event before its time").isZero();

        for (Flux<ServerSentEvent<String>> stream : List.of(onFirst, onSecond)) {
            // Collect for a while past the due time: a second publication would show up here.
            List<ServerSentEvent<String>> got = stream.take(Duration.ofSeconds(7)).collectList().block(WAIT);
            assertThat(got).hasSize(count).allSatisfy(event -> assertThat(event.event()).isEqualTo("published"));
            Set<String> titles = got.stream().map(this::title).collect(Collectors.toSet());
            assertThat(titles).hasSize(count);
        }
        assertThat(countEvents()).isEqualTo(count);
        Map<String, Object> status = db.sql("""
                SELECT count(*) FILTER (WHERE status = 'published') AS published, count(*) AS total
                FROM bulletins WHERE title LIKE 'Hẹn giờ %'""").fetch().one().block(WAIT);
        assertThat(status).containsEntry("published", (long) count).containsEntry("total", (long) count);
    }

    private long countEvents() {
        return db.sql("""
                SELECT count(*) AS n FROM bulletin_events e JOIN bulletins b ON b.id = e.bulletin_id
                WHERE b.title LIKE 'Hẹn giờ %'""").map(row -> row.get("n", Long.class)).one().block(WAIT);
    }
}
