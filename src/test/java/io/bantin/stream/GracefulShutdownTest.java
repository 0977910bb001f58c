package io.bantin.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import io.bantin.BantinApplication;
import io.bantin.support.Api;
import io.bantin.support.Eventually;
import io.bantin.support.IntegrationTest;

/** An instance told to stop finishes the write it is doing and sends its stream clients away to come back. */
@IntegrationTest
class GracefulShutdownTest {

    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
    };

    @Autowired
    WebTestClient first;

    @Autowired
    DatabaseClient db;

    @Autowired
    JsonMapper json;

    @Test
    void stoppingFinishesInFlightWritesAndSendsStreamsAFinalRetry() throws Exception {
        String publisher = Api.issueToken(first, "publisher");
        long before = StreamClient.lastSeq(db);
        ConfigurableApplicationContext leaving = new SpringApplicationBuilder(BantinApplication.class).profiles("test")
                .run("--server.port=0");
        WebClient web = WebClient.create("http://127.0.0.1:"
                + ((WebServerApplicationContext) leaving).getWebServer().getPort());
        CompletableFuture<List<ServerSentEvent<String>>> stream = web.get().uri("/api/v1/stream")
                .accept(MediaType.TEXT_EVENT_STREAM).retrieve().bodyToFlux(SSE).collectList()
                .timeout(Duration.ofSeconds(40)).toFuture();

        // Hold the event log's append lock, so the write below is caught mid-transaction.
        PostgresqlConnection locker = new PostgresqlConnectionFactory(PostgresqlConnectionConfiguration.builder()
                .host("localhost").port(5432).username("postgres")
                .database(db.sql("SELECT current_database()").map(r -> r.get(0, String.class)).one().block())
                .build()).create().block();
        try {
            locker.createStatement("SELECT pg_advisory_lock(" + 0x62616e74696eL + ")").execute()
                    .flatMap(r -> r.getRowsUpdated()).then().block();
            CompletableFuture<Integer> write = web.post().uri("/api/v1/bulletins")
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"title\":\"Tin viết lúc tắt máy\"}")
                    .exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().value()))
                    .timeout(Duration.ofSeconds(40)).toFuture();
            // The write reaches the lock: its session waits for it.
            Eventually.eventually(Duration.ofSeconds(20), () -> db.sql(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                    + " AND classid::bigint = :high AND objid::bigint = :low")
                    .bind("high", 0x62616e74696eL >>> 32).bind("low", 0x62616e74696eL & 0xffffffffL).map(row -> row.get(0, Long.class)).one()
                    .block(Duration.ofSeconds(5)), waiting -> waiting > 0);
            CompletableFuture<Void> closing = new CompletableFuture<>();
            leaving.addApplicationListener((ContextClosedEvent closed) -> closing.complete(null));
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(leaving::close);
            closing.get(20, TimeUnit.SECONDS);
            assertThat(write).as("the write waits for the lock").isNotDone();
            locker.createStatement("SELECT pg_advisory_unlock(" + 0x62616e74696eL + ")").execute()
                    .flatMap(r -> r.getRowsUpdated()).then().block();

            assertThat(write.get(20, TimeUnit.SECONDS)).as("the in-flight write completes").isEqualTo(201);
            stopped.get(30, TimeUnit.SECONDS);
            List<ServerSentEvent<String>> events = stream.get(10, TimeUnit.SECONDS);
            assertThat(events).as("the stream ended with a reconnection hint").isNotEmpty();
            ServerSentEvent<String> last = events.get(events.size() - 1);
            assertThat(last.comment()).isEqualTo("bantin stopping");
            assertThat(last.retry()).isEqualTo(Duration.ofSeconds(3));
        }
        finally {
            locker.close().block();
            leaving.close();
        }

        // The client comes back to the other instance and misses nothing.
        List<String> resumed = StreamClient.sse(first, "/api/v1/stream?lastEventId=" + before).take(1)
                .map(event -> json.readTree(event.data()).get("title").stringValue())
                .collectList().block(Duration.ofSeconds(20));
        assertThat(resumed).containsExactly("Tin viết lúc tắt máy");
    }
}
