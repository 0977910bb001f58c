package io.bantin.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.bantin.change.EventLog;
import io.bantin.support.Api;
import io.bantin.support.IntegrationTest;

/** {@code GET /api/v1/changes}: the stream's events as finite pages, for apps that sync in the background. */
@IntegrationTest
class ChangesApiTest {

    @Autowired
    WebTestClient client;

    @Autowired
    JsonMapper json;

    @Autowired
    DatabaseClient db;

    String publisher;

    @BeforeAll
    void setUp() {
        client = client.mutate().responseTimeout(Duration.ofSeconds(30)).build();
        publisher = Api.issueToken(client, "publisher");
    }

    private JsonNode changes(String query) {
        return json.readTree(client.get().uri("/api/v1/changes" + query).exchange().expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody(String.class).returnResult().getResponseBody());
    }

    private String create(String body) {
        return json.readTree(Api.create(client, publisher, body)).get("id").stringValue();
    }

    @Test
    void walksTheEventsInOrderWithTheStreamsPayloadsAndNextCursor() {
        JsonNode start = changes("");
        assertThat(start.get("items")).isEmpty();
        String from = start.get("next").stringValue();
        assertThat(Long.parseLong(from)).isEqualTo(StreamClient.lastSeq(db));

        String kept = create("{\"title\":\"Đồng bộ một\",\"category\":\"Đồng bộ\"}");
        String other = create("{\"title\":\"Đồng bộ hai\",\"category\":\"Khác\"}");
        client.put().uri("/api/v1/bulletins/" + kept).header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"title\":\"Đồng bộ một (sửa)\",\"category\":\"Đồng bộ\"}")
                .exchange().expectStatus().isOk();
        client.delete().uri("/api/v1/bulletins/" + other).header(HttpHeaders.AUTHORIZATION, "Bearer " + publisher)
                .exchange().expectStatus().isNoContent();

        // Two at a time: the app follows next until the items run out.
        List<JsonNode> items = new ArrayList<>();
        String cursor = from;
        for (int page = 0; page < 10; page++) {
            JsonNode answer = changes("?limit=2&after=" + cursor);
            assertThat(answer.get("items").size()).isLessThanOrEqualTo(2);
            answer.get("items").forEach(items::add);
            if (answer.get("items").isEmpty()) {
                assertThat(answer.get("next").stringValue()).isEqualTo(cursor);
                break;
            }
            cursor = answer.get("next").stringValue();
        }
        assertThat(items).extracting(item -> item.get("event").stringValue())
                .containsExactly("published", "published", "updated", "deleted");
        assertThat(items.get(0).get("data").get("title").stringValue()).isEqualTo("Đồng bộ một");
        assertThat(items.get(2).get("data").get("title").stringValue()).isEqualTo("Đồng bộ một (sửa)");
        assertThat(items.get(3).get("data").get("id").stringValue()).isEqualTo(other);
        assertThat(items).extracting(item -> item.get("id").longValue()).isSorted()
                .containsExactlyElementsOf(StreamClient.seqs(db).stream().filter(seq -> seq > Long.parseLong(from)).toList());

        // Filtered as the stream filters: the other category's bulletin is left out, its deletion still comes.
        JsonNode followed = changes("?category=Đồng bộ&after=" + from);
        assertThat(followed.get("items")).extracting(item -> item.get("event").stringValue())
                .containsExactly("published", "updated", "deleted");
        assertThat(followed.get("next").stringValue()).isEqualTo(Long.toString(StreamClient.lastSeq(db)));
    }

    @Test
    void aCursorOlderThanTheKeptLogGetsTheStreamsReset() {
        create("{\"title\":\"Cũ một\"}");
        long old = StreamClient.lastSeq(db);
        create("{\"title\":\"Cũ hai\"}");
        create("{\"title\":\"Mới nhất\"}");
        long newest = StreamClient.lastSeq(db);
        db.sql("UPDATE bulletin_events SET created_at = now() - interval '8 days' WHERE seq < :newest")
                .bind("newest", newest).then().block(Duration.ofSeconds(10));
        new EventLog(db).deleteOlderThan(Duration.ofDays(7)).block(Duration.ofSeconds(10));

        for (long cursor : List.of(old - 1, newest + 1000)) {
            JsonNode answer = changes("?after=" + cursor);
            assertThat(answer.get("items")).singleElement().satisfies(item -> {
                assertThat(item.get("event").stringValue()).isEqualTo("reset");
                assertThat(item.get("id").longValue()).isEqualTo(newest);
                assertThat(item.get("data").get("lastEventId").longValue()).isEqualTo(newest);
            });
            assertThat(answer.get("next").stringValue()).isEqualTo(Long.toString(newest));
        }
        assertThat(changes("?after=" + newest).get("items")).isEmpty();
    }

    @Test
    void badCursorOrLimitIsA400ProblemAndHeadAnswersWithoutBody() {
        for (String query : List.of("?after=abc", "?after=-1", "?limit=0", "?limit=501", "?limit=x", "?after=1e3")) {
            client.get().uri("/api/v1/changes" + query).exchange().expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.status").isEqualTo(400);
        }
        client.head().uri("/api/v1/changes?after=0").exchange().expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody().isEmpty();
    }
}
