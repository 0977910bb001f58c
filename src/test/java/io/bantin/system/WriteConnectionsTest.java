package io.bantin.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.support.Api;
import io.bantin.support.IntegrationTest;

/**
 * Publishes keep their own connections: while reads have taken every connection of their pool (as a
 * flood of polls and searches does), a publish still goes through, token check and event included.
 */
@IntegrationTest
@TestPropertySource(properties = {"spring.r2dbc.pool.max-size=2", "spring.r2dbc.pool.max-acquire-time=500ms"})
class WriteConnectionsTest {

    @Autowired
    WebTestClient client;

    @Autowired
    ConnectionFactory readPool; // Boot's pool: the one bean of that type, serving reads

    @Test
    void publishGoesThroughWhileReadsHoldEveryReadConnection() {
        String token = Api.issueToken(client, "publisher");
        String created;
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                held.add(Mono.from(readPool.create()).block(Duration.ofSeconds(10)));
            }
            client.get().uri("/api/v1/bulletins?limit=1").exchange().expectStatus().isEqualTo(503);
            created = Api.create(client, token, "{\"title\":\"Đường riêng cho tin mới\",\"tags\":[\"kết nối\"]}");
        }
        finally {
            held.forEach(connection -> Mono.from(connection.close()).block(Duration.ofSeconds(10)));
        }
        assertThat(created).contains("\"title\":\"Đường riêng cho tin mới\"");
        String id = created.replaceAll("(?s).*?\"id\":\"([^\"]+)\".*", "$1");

        client.get().uri("/api/v1/bulletins/" + id).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.title").isEqualTo("Đường riêng cho tin mới");
        // Its event was written in the same transaction, on the same write connection.
        String events = client.get().uri("/api/v1/stream?tag=ket-noi")
                .header(HttpHeaders.ACCEPT, MediaType.APPLICATION_NDJSON_VALUE)
                .header("Last-Event-ID", "0")
                .exchange().expectStatus().isOk()
                .returnResult(String.class).getResponseBody()
                .filter(line -> !line.contains("\"heartbeat\"")).take(1).blockFirst(Duration.ofSeconds(10));
        assertThat(events).contains("\"event\":\"published\"").contains(id);
    }
}
