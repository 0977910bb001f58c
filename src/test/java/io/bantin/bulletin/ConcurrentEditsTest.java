package io.bantin.bulletin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import io.bantin.support.Api;
import io.bantin.support.IntegrationTest;

/** Fifty editors race on one bulletin, each holding the same version: exactly one wins, none is lost unseen. */
@IntegrationTest
class ConcurrentEditsTest {

    @Autowired
    WebTestClient client;

    @Autowired
    JsonMapper json;

    @Autowired
    DatabaseClient db;

    @LocalServerPort
    int port;

    @Test
    void fiftyEditsOfOneVersionHaveExactlyOneWinnerAndEveryChangeAnEvent() {
        String publisher = Api.issueToken(client, "publisher");
        String id = json.readTree(Api.create(client, publisher, "{\"title\":\"Bản tin được sửa đồng thời\"}"))
                .get("id").stringValue();
        WebClient web = WebClient.create("http://localhost:" + port);
        for (int version = 1; version <= 3; version++) {
            int expected = version;
            List<Integer> statuses = Flux.range(0, 50)
                    .flatMap(i -> web.put().uri("/api/v1/bulletins/{id}", id)
                            .header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                            .header(HttpHeaders.IF_MATCH, "\"" + expected + "\"")
                            .contentType(MediaType.APPLICATION_JSON)
                            .bodyValue("{\"title\":\"Bản sửa " + expected + "." + i + "\"}")
                            .exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().value())), 50)
                    .collectList().block(Duration.ofSeconds(30));
            assertThat(statuses).filteredOn(s -> s == 200).as("winners at version " + expected).hasSize(1);
            assertThat(statuses).filteredOn(s -> s == 412).hasSize(49);
        }
        client.get().uri("/api/v1/bulletins/{id}", id).exchange().expectBody()
                .jsonPath("$.version").isEqualTo(4)
                .jsonPath("$.title").value(String.class, title -> assertThat(title).startsWith("Bản sửa 3."));
        List<String> kinds = db.sql("SELECT kind FROM bulletin_events WHERE bulletin_id = CAST(:id AS uuid) ORDER BY seq")
                .bind("id", id).map(row -> row.get("kind", String.class)).all().collectList().block();
        assertThat(kinds).containsExactly("published", "updated", "updated", "updated");
    }
}
