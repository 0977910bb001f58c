package io.bantin.bulletin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import io.bantin.support.Api;
import io.bantin.support.IntegrationTest;
import io.bantin.support.Eventually;

@IntegrationTest
class CursorWalkTest {

    private static final int EXISTING = 47;

    @Autowired
    WebTestClient client;

    @Autowired
    JsonMapper json;

    @LocalServerPort
    int port;

    String publisher;
    Set<String> existing = new HashSet<>();

    @BeforeAll
    void setUp() {
        publisher = Api.issueToken(client, "publisher");
        for (int i = 0; i < EXISTING; i++) {
            // Several share a publication time, so the walk must break ties by id.
            String at = "2023-05-%02dT08:00:00+07:00".formatted(1 + i / 3);
            String created = Api.create(client, publisher,
                    "{\"title\":\"Tin lưu trữ số " + i + "\",\"publishedAt\":\"" + at + "\"}");
            existing.add(json.readTree(created).get("id").stringValue());
        }
    }

    @Test
    void walkingPagesWhileOthersPublishHasNoGapAndNoRepeat() throws InterruptedException {
        WebClient web = WebClient.create("http://localhost:" + port);
        List<String> written = java.util.Collections.synchronizedList(new ArrayList<>());
        Disposable writers = Flux.range(0, 60).delayElements(Duration.ofMillis(5))
                .concatMap(i -> web.post().uri("/api/v1/bulletins")
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{\"title\":\"Tin mới trong lúc duyệt " + i + "\"}")
                        .retrieve().bodyToMono(String.class))
                .subscribe(written::add);
        try {
            List<String> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                String uri = "/api/v1/bulletins?limit=5&until=2023-12-31" + (cursor == null ? "" : "&cursor=" + cursor);
                JsonNode page = json.readTree(client.get().uri(uri).exchange().expectStatus().isOk()
                        .expectBody(String.class).returnResult().getResponseBody());
                page.get("items").forEach(item -> seen.add(item.get("id").stringValue()));
                cursor = page.get("next").isNull() ? null : page.get("next").stringValue();
                pages++;
                awaitWrites(written, pages); // a new bulletin lands between every two pages
            } while (cursor != null && pages < 100);
            assertThat(seen).doesNotHaveDuplicates();
            assertThat(new HashSet<>(seen)).isEqualTo(existing);
            assertThat(written).as("bulletins published during the walk").hasSizeGreaterThanOrEqualTo(pages - 1);
        }
        finally {
            writers.dispose();
        }
    }

    private static void awaitWrites(List<String> written, int atLeast) throws InterruptedException {
        Eventually.eventually(Duration.ofSeconds(5), written::size, size -> size >= atLeast);
    }

    @Test
    void ndjsonStreamsEveryMatchBeyondThePageCap() {
        String body = client.get().uri("/api/v1/bulletins?q=luu tru").accept(MediaType.APPLICATION_NDJSON)
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        List<String> ids = body.lines().map(line -> json.readTree(line).get("id").stringValue()).toList();
        assertThat(ids).hasSize(EXISTING).doesNotHaveDuplicates();
        assertThat(new HashSet<>(ids)).isEqualTo(existing);
    }

    @Test
    void badLimitsAndForgedCursorsAre400() {
        for (String query : List.of("limit=-1", "limit=abc", "limit=0", "cursor=Zm9yZ2Vk", "since=hom-qua")) {
            client.get().uri("/api/v1/bulletins?" + query).exchange().expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        }
        long total = client.get().uri("/api/v1/bulletins").accept(MediaType.APPLICATION_NDJSON).exchange()
                .expectBody(String.class).returnResult().getResponseBody().lines().count();
        client.get().uri("/api/v1/bulletins?limit=1000").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items.length()").isEqualTo((int) Math.min(total, 100));
    }
}
