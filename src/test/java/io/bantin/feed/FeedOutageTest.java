package io.bantin.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.BeforeAll;
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
 * A feed that has to be rendered while the pool has no connection to give is a 503 to retry, never a 500
 * (a real outage, with and without a copy rendered before, is in DatabaseOutageTest).
 */
@IntegrationTest
@TestPropertySource(properties = {"spring.r2dbc.pool.max-size=3", "spring.r2dbc.pool.max-acquire-time=500ms"})
class FeedOutageTest {

    @Autowired
    WebTestClient client;

    @Autowired
    ConnectionFactory pool;

    @BeforeAll
    void setUp() {
        Api.create(client, Api.issueToken(client, "publisher"), "{\"title\":\"Tin cho nguồn cấp\"}");
    }

    @Test
    void feedRenderWaitingForAPoolThatStaysEmptyAnswers503() {
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) { // every pooled connection, as writers queued on a lock would hold them
                held.add(Mono.from(pool.create()).block(Duration.ofSeconds(10)));
            }
            expect503(client.get().uri("/feeds/atom.xml?limit=3").exchange());
        }
        finally {
            held.forEach(connection -> Mono.from(connection.close()).block(Duration.ofSeconds(10)));
        }
        client.get().uri("/feeds/atom.xml?limit=3").exchange().expectStatus().isOk();
    }

    private static void expect503(WebTestClient.ResponseSpec response) {
        String body = response.expectStatus().isEqualTo(503)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "5")
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(body).contains("\"status\":503").contains("database is unavailable");
    }
}
